/**
 * Display transform of a slice (pure, no DOM): which index axis runs across the screen, which
 * way, and where each voxel lands in CSS pixels for a given canvas size, zoom and pan.
 *
 * Slices are index planes (see src/image/roi/slice.ts: axial = z fixed with u = x, v = y;
 * coronal = y fixed with u = x, v = z; sagittal = x fixed with u = y, v = z). On screen they are
 * turned to the radiological convention ITK-SNAP and OHIF use for LPS images, from the image
 * direction (each index axis is taken along its nearest patient axis, as ITK-SNAP does for
 * oblique images):
 *
 * | patient view | screen right        | screen down          |
 * |--------------|---------------------|----------------------|
 * | axial        | patient left (+L)   | posterior (+P)       |
 * | coronal      | patient left (+L)   | inferior (-S)        |
 * | sagittal     | posterior (+P)      | inferior (-S)        |
 *
 * so with an identity direction an axial slice shows +x to the right and +y downwards (patient
 * right on screen left, anterior up) and coronal / sagittal slices have superior up. When the
 * index plane's in-plane axes map to screen the other way round (e.g. a sagittally acquired
 * volume) the slice is shown transposed: u runs vertically and v horizontally.
 */
import type { Plane } from "../../../src/image/roi/index.js";
import type { Mat3 } from "../../../src/image/volume.js";

export type { Plane };
type Axis = 0 | 1 | 2;

const PLANE_AXES: Record<Plane, { u: Axis; v: Axis; normal: Axis }> = {
  axial: { u: 0, v: 1, normal: 2 },
  coronal: { u: 0, v: 2, normal: 1 },
  sagittal: { u: 1, v: 2, normal: 0 },
};

/** Index axes (0 = x, 1 = y, 2 = z) of a plane: u (columns of the slice), v (rows), normal. */
export function axesOf(plane: Plane): { u: Axis; v: Axis; normal: Axis } {
  return PLANE_AXES[plane];
}

const PERMUTATIONS: [Axis, Axis, Axis][] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

/**
 * For each index axis k, its nearest patient axis (0 = L, 1 = P, 2 = S in LPS) and the sign of
 * the index axis along it: the permutation maximising the summed |cosines| (so two index axes
 * never share a patient axis, even at 45 degrees).
 */
export function nearestPatientAxes(direction: Mat3): { axis: [Axis, Axis, Axis]; sign: number[] } {
  let best = PERMUTATIONS[0]!;
  let bestScore = -1;
  for (const p of PERMUTATIONS) {
    // Column k of the row-major matrix is index axis k: component along patient axis r is d[3r + k].
    const score =
      Math.abs(direction[3 * p[0]]!) +
      Math.abs(direction[3 * p[1] + 1]!) +
      Math.abs(direction[3 * p[2] + 2]!);
    if (score > bestScore + 1e-12) {
      best = p;
      bestScore = score;
    }
  }
  const sign = [0, 1, 2].map((k) => (direction[3 * best[k]! + k]! < 0 ? -1 : 1));
  return { axis: best, sign };
}

export interface PlaneOrientation {
  /** The patient view the index plane shows (its normal's nearest patient axis). */
  view: Plane;
  /** u runs vertically and v horizontally on screen. */
  transposed: boolean;
  /** The horizontal index axis decreases to the right. */
  flipH: boolean;
  /** The vertical index axis decreases downwards. */
  flipV: boolean;
  /** Patient direction letters at the screen edges. */
  labels: { left: string; right: string; top: string; bottom: string };
}

const VIEW_OF_NORMAL: Plane[] = ["sagittal", "coronal", "axial"];

/** How an index plane of an image with `direction` is turned on screen (see the module comment). */
export function planeOrientation(direction: Mat3, plane: Plane): PlaneOrientation {
  const { axis, sign } = nearestPatientAxes(direction);
  const a = PLANE_AXES[plane];
  const view = VIEW_OF_NORMAL[axis[a.normal]]!;
  // Patient axis shown horizontally (its + direction to the right) and vertically, with the sign
  // of the patient axis that points down the screen.
  const h: Axis = view === "sagittal" ? 1 : 0;
  const downSign = view === "axial" ? 1 : -1;
  const transposed = axis[a.u] !== h;
  const horizontal = transposed ? a.v : a.u;
  const vertical = transposed ? a.u : a.v;
  const labels =
    view === "axial"
      ? { left: "R", right: "L", top: "A", bottom: "P" }
      : view === "coronal"
        ? { left: "R", right: "L", top: "S", bottom: "I" }
        : { left: "A", right: "P", top: "S", bottom: "I" };
  return {
    view,
    transposed,
    flipH: sign[horizontal]! < 0,
    flipV: sign[vertical]! !== downSign,
    labels,
  };
}

/** A slice's display grid: display columns / rows (voxels) and their spacing in mm. */
export interface DisplayGeometry extends PlaneOrientation {
  plane: Plane;
  /** Voxels along u and v of the slice (index axes). */
  width: number;
  height: number;
  /** Voxels across (horizontal) and down (vertical) the screen. */
  cols: number;
  rows: number;
  /** mm per voxel across and down the screen. */
  spacingH: number;
  spacingV: number;
}

export function displayGeometry(
  size: readonly number[],
  spacing: readonly number[],
  direction: Mat3,
  plane: Plane,
): DisplayGeometry {
  const o = planeOrientation(direction, plane);
  const a = PLANE_AXES[plane];
  const width = size[a.u]!;
  const height = size[a.v]!;
  const su = spacing[a.u]!;
  const sv = spacing[a.v]!;
  return {
    ...o,
    plane,
    width,
    height,
    cols: o.transposed ? height : width,
    rows: o.transposed ? width : height,
    spacingH: o.transposed ? sv : su,
    spacingV: o.transposed ? su : sv,
  };
}

export interface Viewport {
  /** Canvas size in CSS pixels. */
  cssWidth: number;
  cssHeight: number;
  /** 1 = the slice fits the canvas. */
  zoom: number;
  /** Offset of the slice's centre from the canvas centre, CSS pixels. */
  panX: number;
  panY: number;
}

/** Where a slice lands on the canvas (CSS pixels relative to the canvas's top-left corner). */
export interface ScreenMapping {
  /** CSS pixels per mm (the same both ways: the physical aspect ratio is kept). */
  pxPerMm: number;
  /** Top-left corner and size of the slice's display rectangle. */
  x0: number;
  y0: number;
  drawWidth: number;
  drawHeight: number;
  /**
   * Centre of voxel (u = 0, v = 0) and CSS pixels per voxel (signed when the axis is flipped)
   * along the screen's horizontal and vertical axes. Not transposed: x = originX + u * scaleX,
   * y = originY + v * scaleY; transposed: x = originX + v * scaleX, y = originY + u * scaleY.
   */
  originX: number;
  originY: number;
  scaleX: number;
  scaleY: number;
  transposed: boolean;
}

/** CSS pixels per mm at which the whole slice fits the canvas (zoom 1). */
export function fitScale(geom: DisplayGeometry, cssWidth: number, cssHeight: number): number {
  const w = geom.cols * geom.spacingH;
  const hgt = geom.rows * geom.spacingV;
  if (!(w > 0 && hgt > 0 && cssWidth > 0 && cssHeight > 0)) return 1;
  return Math.min(cssWidth / w, cssHeight / hgt);
}

export function screenMapping(geom: DisplayGeometry, vp: Viewport): ScreenMapping {
  const pxPerMm = fitScale(geom, vp.cssWidth, vp.cssHeight) * vp.zoom;
  const pxH = geom.spacingH * pxPerMm;
  const pxV = geom.spacingV * pxPerMm;
  const drawWidth = geom.cols * pxH;
  const drawHeight = geom.rows * pxV;
  const x0 = (vp.cssWidth - drawWidth) / 2 + vp.panX;
  const y0 = (vp.cssHeight - drawHeight) / 2 + vp.panY;
  return {
    pxPerMm,
    x0,
    y0,
    drawWidth,
    drawHeight,
    originX: x0 + (geom.flipH ? geom.cols - 0.5 : 0.5) * pxH,
    originY: y0 + (geom.flipV ? geom.rows - 0.5 : 0.5) * pxV,
    scaleX: geom.flipH ? -pxH : pxH,
    scaleY: geom.flipV ? -pxV : pxV,
    transposed: geom.transposed,
  };
}

/** CSS position of the continuous slice coordinate (u, v) (voxel centres at integers). */
export function voxelToScreen(m: ScreenMapping, u: number, v: number): [number, number] {
  return m.transposed
    ? [m.originX + v * m.scaleX, m.originY + u * m.scaleY]
    : [m.originX + u * m.scaleX, m.originY + v * m.scaleY];
}

/** Continuous slice coordinate (u, v) under a CSS position; round it for the voxel. */
export function screenToVoxel(m: ScreenMapping, x: number, y: number): [number, number] {
  const a = (x - m.originX) / m.scaleX;
  const b = (y - m.originY) / m.scaleY;
  return m.transposed ? [b, a] : [a, b];
}

/** The voxel (integer u, v) under a CSS position, or null outside the slice. */
export function voxelAt(
  m: ScreenMapping,
  geom: DisplayGeometry,
  x: number,
  y: number,
): [number, number] | null {
  const [u, v] = screenToVoxel(m, x, y);
  const iu = Math.round(u);
  const iv = Math.round(v);
  if (iu < 0 || iv < 0 || iu >= geom.width || iv >= geom.height) return null;
  return [iu, iv];
}

/** The pan that keeps the point at CSS (x, y) fixed when the zoom changes from vp.zoom to `zoom`. */
export function zoomAbout(
  geom: DisplayGeometry,
  vp: Viewport,
  zoom: number,
  x: number,
  y: number,
): Viewport {
  const fit = fitScale(geom, vp.cssWidth, vp.cssHeight);
  const before = fit * vp.zoom;
  const after = fit * zoom;
  // Position of (x, y) relative to the slice centre, in mm; unchanged by the zoom.
  const qx = (x - vp.cssWidth / 2 - vp.panX) / before;
  const qy = (y - vp.cssHeight / 2 - vp.panY) / before;
  return {
    ...vp,
    zoom,
    panX: x - vp.cssWidth / 2 - qx * after,
    panY: y - vp.cssHeight / 2 - qy * after,
  };
}

/**
 * Index-space strides that render.ts walks: for slice voxel (u, v) the volume's flat index is
 * base + u * su + v * sv, and its display pixel is d0 + u * du + v * dv in a cols x rows buffer.
 */
export function sliceStrides(
  size: readonly number[],
  geom: DisplayGeometry,
  index: number,
): { base: number; su: number; sv: number; d0: number; du: number; dv: number } {
  const a = PLANE_AXES[geom.plane];
  const stride = [1, size[0]!, size[0]! * size[1]!];
  const { cols, rows } = geom;
  const stepH = geom.flipH ? -1 : 1;
  const stepV = geom.flipV ? -cols : cols;
  const d0 = (geom.flipH ? cols - 1 : 0) + (geom.flipV ? (rows - 1) * cols : 0);
  return {
    base: index * stride[a.normal]!,
    su: stride[a.u]!,
    sv: stride[a.v]!,
    d0,
    du: geom.transposed ? stepV : stepH,
    dv: geom.transposed ? stepH : stepV,
  };
}
