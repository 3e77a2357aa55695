/**
 * ROI actions of the viewer on the active reader's mask: polygon and brush gestures, fill holes,
 * copy to the next / previous slice, interpolation, clear slice, undo / redo, the largest-slice
 * mode check and jump, and saving (NRRD, DICOM-SEG). Each action goes through the pure editing
 * module (src/image/roi) and records its edits as one undoable step.
 */
import {
  commitSlice,
  copySlice,
  fillHoles,
  interpolateSlices,
  labelledSlices,
  largestSlice,
  paintBrush,
  paintPolygon,
  readSlice,
  type SliceEdit,
  type SliceRef,
} from "../../../src/image/roi/index.js";
import { physicalToIndex, type Vec3, type Volume } from "../../../src/image/volume.js";
import { writeImage } from "../../../src/io/read-image.js";
import { download } from "../ui/dom.js";
import { maskFileName, segFileName } from "./files.js";
import type { Action } from "./toolbar.js";
import { axesOf, type Plane, voxelToScreen } from "./transform.js";
import type { Reader } from "./types.js";
import type { CaseData, Viewer } from "./viewer.js";

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const ACTIONS: Record<Action, (vw: Viewer) => void> = {
  undo: (vw) => undoRedo(vw, "undo"),
  redo: (vw) => undoRedo(vw, "redo"),
  "fill-holes": fillHolesAction,
  "copy-next": (vw) => copyAction(vw, 1),
  "copy-previous": (vw) => copyAction(vw, -1),
  interpolate: interpolateAction,
  "clear-slice": clearSliceAction,
  "largest-slice": jumpToLargest,
  "save-nrrd": (vw) => void saveNrrd(vw),
  "save-seg": (vw) => void saveSeg(vw),
  "window-auto": (vw) => vw.autoWindow(),
  "window-full": (vw) => vw.fullWindow(),
  "zoom-in": (vw) => zoomAll(vw, 1.25),
  "zoom-out": (vw) => zoomAll(vw, 0.8),
  "zoom-reset": (vw) => vw.resetViews(),
  help: (vw) => vw.help.toggle(),
};

export function runAction(vw: Viewer, action: Action): void {
  ACTIONS[action](vw);
}

function zoomAll(vw: Viewer, factor: number): void {
  for (const plane of ["axial", "sagittal", "coronal"] as Plane[]) vw.zoomView(plane, factor);
}

// ---- polygon -------------------------------------------------------------------------------

/** Where and when a click on the first vertex closed a polygon. */
const lastClose = new WeakMap<Viewer, { plane: Plane; x: number; y: number; time: number }>();

/** A click of the polygon tool at slice voxel `uv` (CSS position x, y in the view). */
export function polygonClick(
  vw: Viewer,
  plane: Plane,
  uv: [number, number],
  x: number,
  y: number,
): void {
  const index = vw.sliceIndex(plane);
  const p = vw.polygon;
  // The second click of a double-click whose first click closed the polygon (on its first
  // vertex) starts no new polygon. (PointerEvent.detail is 0 in Chrome: time and place it.)
  const closed = lastClose.get(vw);
  if (!p && closed && closed.plane === plane && performance.now() - closed.time < 500) {
    if (Math.hypot(x - closed.x, y - closed.y) <= 8) return;
  }
  if (!p || p.plane !== plane || p.index !== index) {
    vw.polygon = { plane, index, points: [uv], hover: null };
    vw.requestRender();
    return;
  }
  const m = vw.views[plane].mapping;
  if (p.points.length >= 3 && m) {
    const [fx, fy] = voxelToScreen(m, p.points[0]![0], p.points[0]![1]);
    if (Math.hypot(x - fx, y - fy) <= 8) {
      lastClose.set(vw, { plane, x, y, time: performance.now() });
      closePolygon(vw);
      return;
    }
  }
  p.points.push(uv);
  vw.requestRender();
}

/** Closes and paints the polygon being drawn (repeated vertices, as a double-click leaves, dropped). */
export function closePolygon(vw: Viewer): void {
  const p = vw.polygon;
  if (!p) return;
  const m = vw.views[p.plane].mapping;
  const points: [number, number][] = [];
  for (const q of p.points) {
    const last = points[points.length - 1];
    if (last) {
      const du = q[0] - last[0];
      const dv = q[1] - last[1];
      const px = m ? Math.hypot(du * m.scaleX, dv * m.scaleY) : Math.hypot(du, dv) * 100;
      if (px < 3) continue;
    }
    points.push(q);
  }
  if (points.length < 3) {
    vw.showError("A polygon needs at least three vertices: keep clicking, or Escape to cancel.");
    p.points = points;
    vw.requestRender();
    return;
  }
  vw.polygon = null;
  const mask = vw.editableMask();
  if (!mask || !vw.c) {
    vw.requestRender();
    return;
  }
  const edit = paintPolygon(mask, { plane: p.plane, index: p.index }, points, vw.c.label, "paint");
  if (!edit) vw.requestRender();
  vw.afterEdit(edit);
}

export function cancelPolygon(vw: Viewer): boolean {
  if (!vw.polygon) return false;
  vw.polygon = null;
  vw.requestRender();
  return true;
}

// ---- brush ---------------------------------------------------------------------------------

interface Stroke {
  reader: Reader;
  ref: SliceRef;
  mask: Volume<Uint8Array>;
  mode: "paint" | "erase";
  last: [number, number];
  before: Uint8Array | null;
  after: Uint8Array | null;
}

const strokes = new WeakMap<Viewer, Stroke>();

function paintStroke(vw: Viewer, s: Stroke, centres: [number, number][]): void {
  const edit = paintBrush(s.mask, s.ref, centres, vw.ui.brushDiameter / 2, vw.c!.label, s.mode);
  if (!edit) return;
  s.before ??= edit.before;
  s.after = edit.after;
  vw.requestRender(true);
}

/** Starts a brush / eraser stroke at slice voxel `uv`; false when the mask cannot be edited. */
export function brushBegin(
  vw: Viewer,
  plane: Plane,
  uv: [number, number],
  erase: boolean,
): boolean {
  const mask = vw.editableMask();
  if (!mask) return false;
  const s: Stroke = {
    reader: vw.ui.reader,
    ref: { plane, index: vw.sliceIndex(plane) },
    mask,
    mode: erase ? "erase" : "paint",
    last: uv,
    before: null,
    after: null,
  };
  strokes.set(vw, s);
  paintStroke(vw, s, [uv]);
  return true;
}

export function brushMove(vw: Viewer, uv: [number, number]): void {
  const s = strokes.get(vw);
  if (!s) return;
  paintStroke(vw, s, [s.last, uv]);
  s.last = uv;
}

/** Ends the stroke: the whole stroke is one undoable edit. */
export function brushEnd(vw: Viewer): void {
  const s = strokes.get(vw);
  if (!s) return;
  strokes.delete(vw);
  if (s.before && s.after && vw.ui.reader === s.reader) {
    const edit: SliceEdit = { ref: s.ref, before: s.before, after: s.after };
    vw.afterEdit(edit);
  }
}

// ---- slice actions ---------------------------------------------------------------------------

function hasLabel(slice: Uint8Array, label: number): boolean {
  for (let i = 0; i < slice.length; i++) if (slice[i] === label) return true;
  return false;
}

const PLANE_NAMES: Record<Plane, string> = {
  axial: "axial",
  coronal: "coronal",
  sagittal: "sagittal",
};

function fillHolesAction(vw: Viewer): void {
  const mask = vw.editableMask();
  if (!mask || !vw.c) return;
  const ref = vw.currentRef();
  const edit = fillHoles(mask, ref, vw.c.label);
  if (!edit)
    vw.showError(
      `No holes to fill in the ROI on ${PLANE_NAMES[ref.plane]} slice ${ref.index + 1}.`,
    );
  vw.afterEdit(edit);
}

function copyAction(vw: Viewer, direction: 1 | -1): void {
  const mask = vw.editableMask();
  const c = vw.c;
  if (!mask || !c) return;
  const ref = vw.currentRef();
  const to = ref.index + direction;
  const count = c.image.size[axesOf(ref.plane).normal];
  if (to < 0 || to >= count) {
    vw.showError(
      `There is no ${direction > 0 ? "next" : "previous"} ${PLANE_NAMES[ref.plane]} slice.`,
    );
    return;
  }
  if (!hasLabel(readSlice(mask, ref), c.label)) {
    vw.showError(`Nothing to copy: ${PLANE_NAMES[ref.plane]} slice ${ref.index + 1} has no ROI.`);
    return;
  }
  vw.afterEdit(copySlice(mask, ref, to, c.label));
  vw.goToSlice(ref.plane, to);
}

function interpolateAction(vw: Viewer): void {
  const mask = vw.editableMask();
  const c = vw.c;
  if (!mask || !c) return;
  const { plane, index } = vw.currentRef();
  const drawn = labelledSlices(mask, plane, c.label);
  const below = drawn.filter((k) => k < index).pop();
  const above = drawn.find((k) => k > index);
  const pairs: [number, number][] = [];
  if (drawn.includes(index)) {
    if (below !== undefined && index - below >= 2) pairs.push([below, index]);
    if (above !== undefined && above - index >= 2) pairs.push([index, above]);
  } else if (below !== undefined && above !== undefined) {
    pairs.push([below, above]);
  }
  if (pairs.length === 0) {
    vw.showError(
      drawn.includes(index)
        ? `No gap to interpolate next to ${plane} slice ${index + 1}: draw the ROI on a slice further below or above it.`
        : `Interpolation needs the ROI drawn on a ${plane} slice below and one above slice ${index + 1}.`,
    );
    return;
  }
  const edits: SliceEdit[] = [];
  for (const [from, to] of pairs) edits.push(...interpolateSlices(mask, plane, c.label, from, to));
  vw.afterEdit(edits);
}

function clearSliceAction(vw: Viewer): void {
  const mask = vw.editableMask();
  const c = vw.c;
  if (!mask || !c) return;
  const ref = vw.currentRef();
  const before = readSlice(mask, ref);
  const after = before.slice();
  for (let i = 0; i < after.length; i++) if (after[i] === c.label) after[i] = 0;
  vw.afterEdit(commitSlice(mask, ref, before, after));
}

function undoRedo(vw: Viewer, which: "undo" | "redo"): void {
  const c = vw.c;
  if (!c) return;
  const r = vw.ui.reader;
  const mask = c.masks[r];
  const history = c.histories[r];
  if (!mask || !(which === "undo" ? history.canUndo : history.canRedo)) return;
  vw.polygon = null;
  const refs = which === "undo" ? history.undo(mask) : history.redo(mask);
  if (refs.length === 0) return;
  // When no view shows a changed slice, go to the first one so that the change is seen.
  const visible = refs.some((ref) => vw.sliceIndex(ref.plane) === ref.index);
  if (!visible) vw.goToSlice(refs[0]!.plane, refs[0]!.index);
  vw.maskChanged(r);
}

// ---- largest slice ---------------------------------------------------------------------------

/** Axial slice of the ROI's largest cross-section and the ROI's centroid on it, or null. */
export function roiCentre(c: CaseData, r: Reader): Vec3 | null {
  const m = c.masks[r];
  if (!m || !c.usable[r]) return null;
  const k = largestSlice(m, "axial", c.label);
  if (k < 0) return null;
  const [nx, ny] = m.size;
  let sx = 0;
  let sy = 0;
  let n = 0;
  const base = k * nx * ny;
  for (let y = 0, p = base; y < ny; y++) {
    for (let x = 0; x < nx; x++, p++) {
      if (m.data[p] === c.label) {
        sx += x;
        sy += y;
        n++;
      }
    }
  }
  return [Math.round(sx / n), Math.round(sy / n), k];
}

function jumpToLargest(vw: Viewer): void {
  const c = vw.c;
  if (!c) return;
  const r = vw.ui.reader;
  const at = roiCentre(c, r);
  if (!at) {
    vw.showError(`Reader ${r} has no ROI on ${c.title} yet.`);
    return;
  }
  vw.polygon = null;
  c.crosshair = at;
  vw.setActivePlane("axial");
  vw.requestRender();
  vw.hover("axial", null);
}

/** In largest-slice mode: a warning when the active reader's ROI spans several axial slices. */
export function checkLargest(vw: Viewer): void {
  const c = vw.c;
  if (!c) return;
  c.largestWarning = null;
  const r = vw.ui.reader;
  const m = c.masks[r];
  if (vw.ui.mode !== "largest" || !m || !c.usable[r]) return;
  const slices = labelledSlices(m, "axial", c.label);
  if (slices.length > 1) {
    const shown = slices
      .slice(0, 6)
      .map((k) => k + 1)
      .join(", ");
    c.largestWarning = `Largest-slice mode: reader ${r}'s ROI is now on ${slices.length} axial slices (${shown}${slices.length > 6 ? ", …" : ""}), but a largest-slice ROI is drawn on one slice only.`;
  }
}

// ---- geometry ----------------------------------------------------------------------------------

/** The voxel of `image` nearest to physical point `p`, or null outside the image. */
export function physicalToVoxel(image: Volume, p: Vec3): Vec3 | null {
  const idx = physicalToIndex(image, p).map(Math.round) as Vec3;
  return idx.every((k, a) => k >= 0 && k < image.size[a]!) ? idx : null;
}

// ---- saving ----------------------------------------------------------------------------------

async function saveNrrd(vw: Viewer): Promise<void> {
  const c = vw.c;
  if (!c) return;
  const r = vw.ui.reader;
  const mask = c.masks[r];
  if (!mask) {
    vw.showError(`Reader ${r} has no mask for ${c.title} yet: draw the ROI first.`);
    return;
  }
  const name = maskFileName(c.title, r);
  try {
    const bytes = await writeImage(mask, name);
    download(name, new Uint8Array(bytes), "application/octet-stream");
  } catch (error) {
    vw.showError(`Could not save ${name}: ${message(error)}`);
  }
}

async function saveSeg(vw: Viewer): Promise<void> {
  const c = vw.c;
  if (!c) return;
  const r = vw.ui.reader;
  const mask = c.masks[r];
  if (!c.dicomFiles) {
    vw.showError("DICOM-SEG export needs an image loaded from a DICOM series.");
    return;
  }
  if (!mask) {
    vw.showError(`Reader ${r} has no mask for ${c.title} yet: draw the ROI first.`);
    return;
  }
  const name = segFileName(c.title, r);
  try {
    const { segmentationBytes } = await import("./seg-export.js");
    const bytes = segmentationBytes(c.dicomFiles, mask, c.label, `${c.title} ROI`, name);
    download(name, new Uint8Array(bytes), "application/dicom");
  } catch (error) {
    vw.showError(`Could not write the DICOM-SEG ${name}: ${message(error)}`);
  }
}
