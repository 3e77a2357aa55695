/**
 * The viewer's check list: each present mask's checkImageMask messages and the largest-slice
 * warning with its ways out (undo, go to the largest slice, switch to slice-by-slice drawing).
 */
import { h, replace } from "../ui/dom.js";
import type { Reader } from "./types.js";
import type { Viewer } from "./viewer.js";

export function renderChecks(el: HTMLElement, vw: Viewer): void {
  const c = vw.c;
  const items: HTMLElement[] = [];
  if (c) {
    for (const r of [1, 2] as Reader[]) {
      for (const text of c.checks[r]) {
        items.push(h("li", { "data-reader": r }, h("strong", null, `Reader ${r} mask: `), text));
      }
    }
    if (c.largestWarning) {
      items.push(
        h(
          "li",
          { class: "rv-largest-warning" },
          c.largestWarning,
          h(
            "div",
            null,
            h(
              "button",
              { type: "button", class: "rv-button", onclick: () => vw.action("undo") },
              "Undo",
            ),
            h(
              "button",
              { type: "button", class: "rv-button", onclick: () => vw.action("largest-slice") },
              "Go to largest slice",
            ),
            h(
              "button",
              { type: "button", class: "rv-button", onclick: () => vw.setMode("3d") },
              "Switch to slice by slice",
            ),
          ),
        ),
      );
    }
  }
  if (items.length === 0) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  replace(el, h("h3", null, "Checks"), h("ul", null, items));
  el.hidden = false;
}
