/**
 * Keyboard shortcuts of the viewer (listed in help.ts). Keys act on the view that has the
 * keyboard (the active plane); typing in a form control is left alone except for Escape.
 */
import * as editing from "./editing.js";
import type { Viewer } from "./viewer.js";

function isFormControl(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLSelectElement ||
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLElement && target.isContentEditable)
  );
}

/** Handles a keydown; true when it was a shortcut (the caller then prevents the default). */
export function handleKey(vw: Viewer, e: KeyboardEvent): boolean {
  const key = e.key;
  if (key === "Escape") {
    if (vw.help.open) {
      vw.help.close();
      return true;
    }
    return editing.cancelPolygon(vw);
  }
  if (isFormControl(e.target) || e.altKey) return false;
  const mod = e.ctrlKey || e.metaKey;
  if (mod) {
    const k = key.toLowerCase();
    if (k === "z" && !e.shiftKey) vw.action("undo");
    else if ((k === "z" && e.shiftKey) || k === "y") vw.action("redo");
    else return false;
    return true;
  }
  if (key === "?" || key === "F1") {
    vw.help.toggle();
    return true;
  }
  if (!vw.c || vw.state !== "ready") return false;
  // Buttons keep Enter and Space for themselves.
  const onButton = e.target instanceof HTMLButtonElement;
  const plane = vw.ui.activePlane;
  const step = e.shiftKey ? 5 : 1;
  switch (key) {
    case "ArrowDown":
    case "PageDown":
      vw.moveSlice(plane, step);
      return true;
    case "ArrowUp":
    case "PageUp":
      vw.moveSlice(plane, -step);
      return true;
    case "Enter":
      if (onButton || !vw.polygon) return false;
      editing.closePolygon(vw);
      return true;
    case "Delete":
    case "Backspace":
      vw.action("clear-slice");
      return true;
    case "+":
    case "=":
      vw.action("zoom-in");
      return true;
    case "-":
      vw.action("zoom-out");
      return true;
    case "0":
      vw.action("zoom-reset");
      return true;
    case "[":
    case "]": {
      const d = vw.ui.brushDiameter + (key === "]" ? 1 : -1);
      vw.ui.brushDiameter = Math.min(50, Math.max(1, d));
      vw.syncToolbar();
      vw.requestRender();
      return true;
    }
    case ",":
      vw.action("copy-previous");
      return true;
    case ".":
      vw.action("copy-next");
      return true;
    case "1":
    case "2": {
      const r = key === "1" ? 1 : 2;
      vw.setShow(r, !vw.ui.show[r]);
      return true;
    }
  }
  switch (key.toLowerCase()) {
    case "n":
      vw.setTool("navigate");
      return true;
    case "p":
      vw.setTool("polygon");
      return true;
    case "b":
      vw.setTool("brush");
      return true;
    case "e":
      vw.setTool("erase");
      return true;
    case "f":
      vw.action("fill-holes");
      return true;
    case "i":
      vw.action("interpolate");
      return true;
    case "l":
      vw.action("largest-slice");
      return true;
    case "w":
      vw.action(e.shiftKey ? "window-full" : "window-auto");
      return true;
  }
  return false;
}
