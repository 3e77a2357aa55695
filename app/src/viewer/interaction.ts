/**
 * Pointer and wheel handling of one slice view:
 * - right-drag or Ctrl + left-drag: window / level;
 * - middle-drag or Shift + left-drag: pan;
 * - left button with the tool: navigate (click / drag moves the crosshair), polygon (click adds a
 *   vertex, double-click closes), brush / eraser (drag paints);
 * - wheel: next (down) / previous (up) slice; Ctrl + wheel: zoom about the pointer.
 * The pointer position also drives the status line and the brush outline.
 */
import * as editing from "./editing.js";
import type { SliceView } from "./slice-view.js";
import { screenToVoxel, voxelAt } from "./transform.js";
import type { Viewer } from "./viewer.js";

type Drag = "window" | "pan" | "navigate" | "brush" | null;

export function attachInteraction(view: SliceView, vw: Viewer): () => void {
  const canvas = view.canvas;
  const plane = view.plane;
  let drag: Drag = null;
  let lastX = 0;
  let lastY = 0;
  let wheelRest = 0;

  const local = (e: MouseEvent): [number, number] => {
    const r = canvas.getBoundingClientRect();
    return [e.clientX - r.left, e.clientY - r.top];
  };
  /** Continuous slice coordinates under the pointer (updating the mapping first). */
  const sliceAt = (x: number, y: number): [number, number] | null => {
    const m = view.updateMapping();
    return m ? screenToVoxel(m, x, y) : null;
  };
  const voxel = (x: number, y: number): [number, number] | null => {
    const m = view.updateMapping();
    return m && view.geom ? voxelAt(m, view.geom, x, y) : null;
  };
  const guard = (f: () => void) => {
    try {
      f();
    } catch (error) {
      vw.showError(error instanceof Error ? error.message : String(error));
    }
  };

  const onDown = (e: PointerEvent) =>
    guard(() => {
      if (!vw.c || vw.state !== "ready") return;
      view.element.focus({ preventScroll: true });
      vw.setActivePlane(plane);
      const [x, y] = local(e);
      lastX = x;
      lastY = y;
      if (e.button === 2 || (e.button === 0 && (e.ctrlKey || e.metaKey))) drag = "window";
      else if (e.button === 1 || (e.button === 0 && e.shiftKey)) drag = "pan";
      else if (e.button === 0) {
        const tool = vw.ui.tool;
        if (tool === "navigate") {
          const v = voxel(x, y);
          if (v) vw.setCrosshair(plane, v[0], v[1]);
          drag = "navigate";
        } else if (tool === "polygon") {
          const uv = sliceAt(x, y);
          if (uv) editing.polygonClick(vw, plane, uv, x, y);
        } else {
          const uv = sliceAt(x, y);
          if (uv && editing.brushBegin(vw, plane, uv, tool === "erase")) drag = "brush";
        }
      }
      if (drag) {
        e.preventDefault();
        canvas.setPointerCapture(e.pointerId);
      }
    });

  const onMove = (e: PointerEvent) =>
    guard(() => {
      if (!vw.c || vw.state !== "ready") return;
      const [x, y] = local(e);
      const dx = x - lastX;
      const dy = y - lastY;
      lastX = x;
      lastY = y;
      const uv = sliceAt(x, y);
      if (drag === "window") vw.windowDrag(dx, dy);
      else if (drag === "pan") vw.pan(plane, dx, dy);
      else if (drag === "navigate") {
        const v = voxel(x, y);
        if (v) vw.setCrosshair(plane, v[0], v[1]);
      } else if (drag === "brush" && uv) editing.brushMove(vw, uv);
      const tool = vw.ui.tool;
      if (uv && (tool === "brush" || tool === "erase")) {
        vw.brushHover = { plane, at: uv };
        vw.requestRender();
      }
      if (tool === "polygon" && vw.polygon && vw.polygon.plane === plane) {
        vw.polygon.hover = uv;
        vw.requestRender();
      }
      vw.hover(plane, voxel(x, y));
    });

  const onUp = (e: PointerEvent) =>
    guard(() => {
      if (drag === "brush") editing.brushEnd(vw);
      drag = null;
      if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    });

  const onLeave = () =>
    guard(() => {
      if (vw.brushHover?.plane === plane && drag !== "brush") {
        vw.brushHover = null;
        vw.requestRender();
      }
      if (vw.polygon?.plane === plane) {
        vw.polygon.hover = null;
        vw.requestRender();
      }
      vw.hover(plane, null);
    });

  const onWheel = (e: WheelEvent) =>
    guard(() => {
      if (!vw.c || vw.state !== "ready") return;
      e.preventDefault();
      const delta =
        e.deltaMode === 1 ? e.deltaY * 40 : e.deltaMode === 2 ? e.deltaY * 800 : e.deltaY;
      if (e.ctrlKey || e.metaKey) {
        const [x, y] = local(e);
        vw.zoomView(plane, Math.exp(-delta / 500), x, y);
        return;
      }
      // As OHIF: wheel down is the next slice (index + 1). A mouse notch (about 100 px) is one
      // slice; small trackpad deltas add up to one.
      if (Math.abs(delta) >= 50) {
        wheelRest = 0;
        vw.moveSlice(plane, delta > 0 ? 1 : -1);
      } else {
        wheelRest += delta;
        if (Math.abs(wheelRest) >= 50) {
          vw.moveSlice(plane, wheelRest > 0 ? 1 : -1);
          wheelRest = 0;
        }
      }
      vw.setActivePlane(plane);
      const [x, y] = local(e);
      vw.hover(plane, voxel(x, y));
    });

  const onDblClick = (e: MouseEvent) =>
    guard(() => {
      if (vw.ui.tool === "polygon" && vw.polygon) {
        e.preventDefault();
        editing.closePolygon(vw);
      }
    });

  const onContext = (e: Event) => e.preventDefault();
  const onFocus = () => vw.setActivePlane(plane);

  canvas.addEventListener("pointerdown", onDown);
  canvas.addEventListener("pointermove", onMove);
  canvas.addEventListener("pointerup", onUp);
  canvas.addEventListener("pointercancel", onUp);
  canvas.addEventListener("pointerleave", onLeave);
  canvas.addEventListener("wheel", onWheel, { passive: false });
  canvas.addEventListener("dblclick", onDblClick);
  canvas.addEventListener("contextmenu", onContext);
  view.element.addEventListener("focus", onFocus);
  return () => {
    canvas.removeEventListener("pointerdown", onDown);
    canvas.removeEventListener("pointermove", onMove);
    canvas.removeEventListener("pointerup", onUp);
    canvas.removeEventListener("pointercancel", onUp);
    canvas.removeEventListener("pointerleave", onLeave);
    canvas.removeEventListener("wheel", onWheel);
    canvas.removeEventListener("dblclick", onDblClick);
    canvas.removeEventListener("contextmenu", onContext);
    view.element.removeEventListener("focus", onFocus);
  };
}
