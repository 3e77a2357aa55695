/**
 * The help popover: keyboard shortcuts and mouse controls, toggled by the toolbar's "?" button
 * (and the ? key), closed by Escape or a click outside it.
 */
import { h } from "../ui/dom.js";

export const SHORTCUTS: [string, string][] = [
  ["Wheel, ↓ / ↑, PageDown / PageUp", "Next / previous slice (Shift + key: 5 slices)"],
  ["Ctrl + wheel, + / −, 0", "Zoom about the pointer, zoom in / out, fit"],
  ["Middle-drag or Shift + drag", "Pan"],
  ["Right-drag or Ctrl + drag", "Window (left / right) and level (up / down)"],
  ["W / Shift + W", "Auto window (1st–99th percentile) / full range"],
  ["N, P, B, E", "Navigate, polygon, brush, eraser"],
  ["Click (navigate)", "Move the crosshair (links the three views)"],
  ["Polygon: click, double-click / Enter", "Add a vertex; close (or click the first vertex)"],
  ["Escape", "Cancel the polygon; close this help"],
  ["[ / ]", "Smaller / larger brush"],
  ["F, I", "Fill holes, interpolate between drawn slices"],
  [", / .", "Copy the ROI to the previous / next slice"],
  ["Delete", "Clear the ROI on this slice"],
  ["Ctrl + Z, Ctrl + Y or Ctrl + Shift + Z", "Undo, redo"],
  ["1 / 2", "Show or hide reader 1's / reader 2's ROI"],
  ["L", "Go to the largest ROI slice"],
  ["?", "This help"],
];

export class HelpPopover {
  readonly element: HTMLDivElement;
  #button: HTMLButtonElement;
  #onDocumentDown = (e: PointerEvent) => {
    const t = e.target as Node | null;
    if (t && !this.element.contains(t) && !this.#button.contains(t)) this.close();
  };

  constructor(button: HTMLButtonElement) {
    this.#button = button;
    this.element = h(
      "div",
      {
        class: "rv-help",
        role: "dialog",
        "aria-label": "Keyboard shortcuts and mouse controls",
        hidden: true,
        id: `rv-help-${Math.random().toString(36).slice(2, 8)}`,
      },
      h("h2", null, "Shortcuts"),
      h(
        "table",
        null,
        h(
          "tbody",
          null,
          SHORTCUTS.map(([keys, what]) =>
            h("tr", null, h("th", { scope: "row" }, keys), h("td", null, what)),
          ),
        ),
      ),
      h(
        "p",
        null,
        "Click a view first so that it has the keyboard. Edits are saved to the workspace automatically.",
      ),
    );
    button.setAttribute("aria-controls", this.element.id);
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  toggle(): void {
    if (this.open) this.close();
    else this.show();
  }

  show(): void {
    this.element.hidden = false;
    this.#button.setAttribute("aria-expanded", "true");
    document.addEventListener("pointerdown", this.#onDocumentDown, true);
  }

  close(): void {
    this.element.hidden = true;
    this.#button.setAttribute("aria-expanded", "false");
    document.removeEventListener("pointerdown", this.#onDocumentDown, true);
  }
}
