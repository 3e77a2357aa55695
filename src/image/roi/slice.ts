/**
 * Slices of a label mask as a slice viewer shows them, and the shared conventions of the ROI
 * editing operations in this folder.
 *
 * A slice is the 2D array of voxels with one index axis (the plane's normal) fixed. Its in-plane
 * axes are u (columns, fastest) and v (rows):
 *
 * | plane    | fixed | u | v |
 * |----------|-------|---|---|
 * | axial    | z     | x | y |
 * | coronal  | y     | x | z |
 * | sagittal | x     | y | z |
 *
 * so a slice read with `readSlice` is `width * height` bytes with flat index `u + width * v`,
 * exactly the layout of the volume's own x-fastest storage for axial slices. These are index axes,
 * not patient axes: a viewer flips or rotates them on screen from the image direction.
 *
 * Every edit acts on the binary region of one `label` (1..255) on one slice: voxels that join the
 * region become `label` whatever they held before, voxels that leave it become 0, and voxels of
 * other labels outside the edited region are left alone. An edit is returned as a `SliceEdit`
 * (the slice before and after, already applied) so that `EditHistory` can undo and redo it.
 *
 * Nothing here imports from node:*, so the module runs unchanged in a browser.
 */
import { type Vec3, type Volume, voxelCount, withData } from "../volume.js";

export type Plane = "axial" | "coronal" | "sagittal";

/** One slice of a mask: the plane and the index along the plane's normal axis. */
export interface SliceRef {
  plane: Plane;
  index: number;
}

/** An undoable edit of one slice: the slice content before and after. */
export interface SliceEdit {
  ref: SliceRef;
  before: Uint8Array;
  after: Uint8Array;
}

export type PaintMode = "paint" | "erase";

/** Invalid input to an ROI editing operation. */
export class RoiEditError extends Error {
  override name = "RoiEditError";
}

export type Axis = 0 | 1 | 2;

const AXES: Record<Plane, { u: Axis; v: Axis; normal: Axis }> = {
  axial: { u: 0, v: 1, normal: 2 },
  coronal: { u: 0, v: 2, normal: 1 },
  sagittal: { u: 1, v: 2, normal: 0 },
};

/** Index axes (0 = x, 1 = y, 2 = z) of a plane: in-plane u (fastest), v, and the normal. */
export function planeAxes(plane: Plane): { u: Axis; v: Axis; normal: Axis } {
  // Object.hasOwn so that a JavaScript caller passing "toString" gets an error, not a prototype.
  if (!Object.hasOwn(AXES, plane)) {
    throw new RoiEditError(
      `unknown plane ${JSON.stringify(plane)}: use axial, coronal or sagittal`,
    );
  }
  const a = AXES[plane];
  return { u: a.u, v: a.v, normal: a.normal };
}

/** Number of slices of a plane: the size along its normal axis. */
export function sliceCount(size: readonly [number, number, number], plane: Plane): number {
  return size[planeAxes(plane).normal];
}

/** Width (voxels along u) and height (voxels along v) of a plane's slices. */
export function sliceDims(
  size: readonly [number, number, number],
  plane: Plane,
): { width: number; height: number } {
  const a = planeAxes(plane);
  return { width: size[a.u], height: size[a.v] };
}

/** Voxel spacing in mm along u and v of a plane (the in-plane metric of brushes and distances). */
export function planeSpacing(
  spacing: readonly [number, number, number],
  plane: Plane,
): { su: number; sv: number } {
  const a = planeAxes(plane);
  const su = spacing[a.u];
  const sv = spacing[a.v];
  if (!(Number.isFinite(su) && su > 0 && Number.isFinite(sv) && sv > 0)) {
    throw new RoiEditError(
      `${plane} in-plane spacing must be finite and > 0 mm, got ${su} x ${sv}`,
    );
  }
  return { su, sv };
}

/** Throws unless `mask` is a Uint8Array volume whose voxel count matches its size. */
export function checkMask(mask: Volume<Uint8Array>): void {
  if (!(mask.data instanceof Uint8Array)) {
    throw new RoiEditError("an ROI mask must hold its voxels in a Uint8Array (labels 0..255)");
  }
  const s = mask.size;
  if (!s.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new RoiEditError(`mask size must be positive integers, got ${s.join(" x ")}`);
  }
  if (mask.data.length !== voxelCount(s)) {
    throw new RoiEditError(
      `mask has ${mask.data.length} voxels but its size ${s.join(" x ")} needs ${voxelCount(s)}`,
    );
  }
}

/** Throws unless `label` is an integer in 1..255 (0 is background in a Uint8Array mask). */
export function checkLabel(label: number): void {
  if (!(Number.isInteger(label) && label >= 1 && label <= 255)) {
    throw new RoiEditError(`label must be an integer in 1..255, got ${label}`);
  }
}

/** Throws unless `index` is an integer slice index of `plane` in a volume of `size`. */
export function checkSliceIndex(size: Vec3, plane: Plane, index: number, what = "slice"): void {
  const n = sliceCount(size, plane);
  if (!(Number.isInteger(index) && index >= 0 && index < n)) {
    throw new RoiEditError(
      `${what} index ${index} is out of range for the ${plane} plane (0..${n - 1})`,
    );
  }
}

/** Throws unless `mode` is "paint" or "erase". */
export function checkMode(mode: PaintMode): void {
  if (mode !== "paint" && mode !== "erase") {
    throw new RoiEditError(`paint mode must be "paint" or "erase", got ${JSON.stringify(mode)}`);
  }
}

/** Flat-index strides of the volume along u, v and the normal of a plane, and the slice size. */
function layout(size: Vec3, plane: Plane) {
  const a = planeAxes(plane);
  const stride: Vec3 = [1, size[0], size[0] * size[1]];
  return {
    width: size[a.u],
    height: size[a.v],
    su: stride[a.u],
    sv: stride[a.v],
    sn: stride[a.normal],
  };
}

/** A copy of one slice, `width * height` bytes, u fastest. */
export function readSlice(mask: Volume<Uint8Array>, ref: SliceRef): Uint8Array {
  checkMask(mask);
  checkSliceIndex(mask.size, ref.plane, ref.index);
  const { width, height, su, sv, sn } = layout(mask.size, ref.plane);
  const d = mask.data;
  const base = ref.index * sn;
  // Axial slices are contiguous in x-fastest storage: one block copy.
  if (ref.plane === "axial") return d.slice(base, base + width * height);
  const out = new Uint8Array(width * height);
  for (let v = 0, k = 0; v < height; v++) {
    let p = base + v * sv;
    for (let u = 0; u < width; u++, k++, p += su) out[k] = d[p]!;
  }
  return out;
}

/** Writes `data` (`width * height` bytes, u fastest) into one slice of the mask. */
export function writeSlice(mask: Volume<Uint8Array>, ref: SliceRef, data: Uint8Array): void {
  checkMask(mask);
  checkSliceIndex(mask.size, ref.plane, ref.index);
  const { width, height, su, sv, sn } = layout(mask.size, ref.plane);
  if (data.length !== width * height) {
    throw new RoiEditError(
      `slice data has ${data.length} voxels but a ${ref.plane} slice has ${width} x ${height}`,
    );
  }
  const d = mask.data;
  const base = ref.index * sn;
  if (ref.plane === "axial") {
    d.set(data, base);
    return;
  }
  for (let v = 0, k = 0; v < height; v++) {
    let p = base + v * sv;
    for (let u = 0; u < width; u++, k++, p += su) d[p] = data[k]!;
  }
}

/**
 * Applies `after` to the slice whose current content is `before` and returns the edit, or null
 * (writing nothing) when the two are byte-identical.
 */
export function commitSlice(
  mask: Volume<Uint8Array>,
  ref: SliceRef,
  before: Uint8Array,
  after: Uint8Array,
): SliceEdit | null {
  let same = true;
  for (let i = 0; i < before.length; i++) {
    if (before[i] !== after[i]) {
      same = false;
      break;
    }
  }
  if (same) return null;
  writeSlice(mask, ref, after);
  return { ref: { plane: ref.plane, index: ref.index }, before, after };
}

/**
 * The slice after painting or erasing a region: `stamp` (1 inside the region, 0 outside, same
 * layout as the slice) sets `label` on the region ("paint", overwriting whatever was there) or
 * clears the region's `label` voxels to 0 ("erase", other labels untouched).
 */
export function stampSlice(
  before: Uint8Array,
  stamp: Uint8Array,
  label: number,
  mode: PaintMode,
): Uint8Array {
  const after = before.slice();
  if (mode === "paint") {
    for (let i = 0; i < after.length; i++) if (stamp[i] !== 0) after[i] = label;
  } else {
    for (let i = 0; i < after.length; i++) if (stamp[i] !== 0 && after[i] === label) after[i] = 0;
  }
  return after;
}

/** Throws unless every point is a pair of finite numbers. */
export function checkPoints(points: readonly (readonly [number, number])[], what: string): void {
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    if (!(p.length === 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]))) {
      throw new RoiEditError(`${what} ${i} must be two finite numbers (u, v), got [${p}]`);
    }
  }
}

/** An all-zero Uint8Array mask with the geometry (size, spacing, origin, direction, dimension) of `image`. */
export function emptyMaskLike(image: Volume): Volume<Uint8Array> {
  return withData(image, new Uint8Array(voxelCount(image.size)));
}

/**
 * A paint or erase edit of slice `ref` with a shape drawn on the slice's grid: checks the inputs,
 * asks `rasterise` for the shape (width x height, 1 inside, given the spacing along u and v in
 * mm), stamps it (stampSlice) and applies it (commitSlice).
 */
export function paintShape(
  mask: Volume<Uint8Array>,
  ref: SliceRef,
  label: number,
  mode: PaintMode,
  rasterise: (width: number, height: number, su: number, sv: number) => Uint8Array,
): SliceEdit | null {
  checkMask(mask);
  checkSliceIndex(mask.size, ref.plane, ref.index);
  checkLabel(label);
  checkMode(mode);
  const { width, height } = sliceDims(mask.size, ref.plane);
  const { su, sv } = planeSpacing(mask.spacing, ref.plane);
  const stamp = rasterise(width, height, su, sv);
  const before = readSlice(mask, ref);
  return commitSlice(mask, ref, before, stampSlice(before, stamp, label, mode));
}
