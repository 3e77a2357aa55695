/**
 * ROI handling as PyRadiomics does it (imageoperations.getMask / checkMask / _correctMask /
 * _checkROI / cropToTumorMask): label selection, image/mask geometry check within
 * geometryTolerance, optional mask correction by nearest-neighbour resampling onto the image grid,
 * bounding box, ROI dimensionality and size checks, and cropping with padDistance.
 */
import { maskBounds, matchLabel } from "../kernels/masks.js";
import {
  indexToPhysical,
  physicalToIndex,
  type Vec3,
  type Volume,
  voxelCount,
  withData,
} from "./volume.js";

export class RoiError extends Error {}

/** Inclusive index bounds per axis (x, y, z). */
export interface BoundingBox {
  lower: Vec3;
  upper: Vec3;
}

/** A bounding box with the number of ROI voxels inside it. */
export interface RoiBox extends BoundingBox {
  count: number;
}

/** Sorted distinct non-zero labels present in a mask. */
export function labelsPresent(mask: Volume): number[] {
  const seen = new Set<number>();
  const d = mask.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v !== 0) seen.add(v);
  }
  return [...seen].sort((a, b) => a - b);
}

/** Binary ROI (1 where mask == label) after PyRadiomics' getMask checks. */
export function selectLabel(mask: Volume, label: number): Uint8Array {
  // PyRadiomics casts the mask to UInt32 before comparing: integer voxels compare directly (a
  // negative value cannot wrap onto a positive label below 2^31), float voxels are truncated.
  const { roi, count } = matchLabel(mask.data, label);
  if (count === 0) {
    const labels = labelsPresent(mask);
    if (labels.length === 0)
      throw new RoiError("no labels found in this mask (nothing is segmented)");
    throw new RoiError(`label ${label} not present in mask; labels found: ${labels.join(", ")}`);
  }
  return roi;
}

function castToUInt32(v: number): number {
  return Math.trunc(v) >>> 0;
}

/**
 * ITK's ImageToImageFilter::VerifyInputInformation rule used by LabelStatisticsImageFilter:
 * origins and spacings must agree within tolerance * spacing[0] of the image, direction cosines
 * within the tolerance itself (default 1e-6 each, or geometryTolerance when set).
 */
export function geometryMismatch(
  image: Volume,
  mask: Volume,
  tolerance: number | null,
): string | null {
  if (image.dimension !== mask.dimension) {
    return `image is ${image.dimension}D but mask is ${mask.dimension}D`;
  }
  for (let a = 0; a < 3; a++) {
    if (image.size[a] !== mask.size[a]) {
      return `size differs: image ${image.size.join("x")}, mask ${mask.size.join("x")}`;
    }
  }
  const coordTol = Math.abs((tolerance ?? 1e-6) * image.spacing[0]);
  const dirTol = tolerance ?? 1e-6;
  for (let a = 0; a < 3; a++) {
    if (Math.abs(image.origin[a] - mask.origin[a]) > coordTol) {
      return `origin differs: image (${image.origin.join(", ")}), mask (${mask.origin.join(", ")})`;
    }
    if (Math.abs(image.spacing[a] - mask.spacing[a]) > coordTol) {
      return `spacing differs: image (${image.spacing.join(", ")}), mask (${mask.spacing.join(", ")})`;
    }
  }
  for (let k = 0; k < 9; k++) {
    if (Math.abs(image.direction[k] - mask.direction[k]) > dirTol) {
      return `direction differs: image (${image.direction.join(", ")}), mask (${mask.direction.join(", ")})`;
    }
  }
  return null;
}

/** Inclusive bounding box of the non-zero voxels of a binary ROI. */
export function boundingBox(roi: Uint8Array, size: Vec3): RoiBox | null {
  return maskBounds(roi, size);
}

export interface RoiCheckOptions {
  minimumROIDimensions: number;
  minimumROISize: number | null;
}

/**
 * PyRadiomics checkMask's ROI tests: at least 2 voxels spanning at least minimumROIDimensions
 * dimensions, and more than minimumROISize voxels when that is set. Returns the bounding box.
 */
export function checkRoi(roi: Uint8Array, size: Vec3, opts: RoiCheckOptions): RoiBox {
  const box = boundingBox(roi, size);
  if (!box) throw new RoiError("the ROI is empty");
  let dims = 0;
  for (let a = 0; a < 3; a++) if (box.upper[a]! - box.lower[a]! + 1 > 1) dims++;
  if (dims === 0) {
    throw new RoiError(
      "mask only contains 1 segmented voxel; cannot extract features for a single voxel",
    );
  }
  if (dims < opts.minimumROIDimensions) {
    throw new RoiError(
      `mask has too few dimensions (number of dimensions ${dims}, minimum required ${opts.minimumROIDimensions})`,
    );
  }
  if (opts.minimumROISize !== null) {
    const n = box.count;
    if (n <= opts.minimumROISize) {
      throw new RoiError(
        `size of the ROI is too small (minimum size: ${opts.minimumROISize}, ROI size: ${n})`,
      );
    }
  }
  return box;
}

/**
 * correctMask: check that the labelled region lies inside the image's physical extent
 * (PyRadiomics _checkROI, tolerance 1e-3 index units), then resample the mask onto the image grid
 * with nearest-neighbour interpolation (ITK rounds continuous indices half up).
 */
export function resampleMaskToImage(
  image: Volume,
  mask: Volume,
  label: number,
): Volume<Uint32Array> {
  const roi = selectLabel(mask, label);
  const box = boundingBox(roi, mask.size)!;
  const c0 = indexToPhysical(mask, [box.lower[0] - 0.5, box.lower[1] - 0.5, box.lower[2] - 0.5]);
  const c1 = indexToPhysical(mask, [box.upper[0] + 0.5, box.upper[1] + 0.5, box.upper[2] + 0.5]);
  const i0 = physicalToIndex(image, c0);
  const i1 = physicalToIndex(image, c1);
  const tol = 1e-3;
  const axes = image.dimension === 2 ? 2 : 3;
  for (let a = 0; a < axes; a++) {
    const lo = Math.min(i0[a]!, i1[a]!);
    const hi = Math.max(i0[a]!, i1[a]!);
    if (lo < -0.5 - tol || hi > image.size[a]! - 0.5 + tol) {
      throw new RoiError(
        `bounding box of the ROI is larger than the image space (ROI index bounds in the image: ` +
          `(${i0.map((v) => v.toFixed(3)).join(", ")}) to (${i1.map((v) => v.toFixed(3)).join(", ")}), image size ${image.size.join("x")})`,
      );
    }
  }
  const [nx, ny, nz] = image.size;
  const out = new Uint32Array(voxelCount(image.size));
  const [mx, my, mz] = mask.size;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const idx = physicalToIndex(mask, indexToPhysical(image, [x, y, z]));
        const ix = Math.floor(idx[0] + 0.5);
        const iy = Math.floor(idx[1] + 0.5);
        const iz = mask.dimension === 2 ? 0 : Math.floor(idx[2] + 0.5);
        if (ix < 0 || iy < 0 || iz < 0 || ix >= mx || iy >= my || iz >= mz) continue;
        out[i] = castToUInt32(mask.data[ix + mx * (iy + my * iz)]!);
      }
    }
  }
  return withData(image, out);
}

/** Crop bounds as PyRadiomics cropToTumorMask: bounding box grown by padDistance, clipped to the image. */
export function cropBounds(box: BoundingBox, size: Vec3, padDistance: number): BoundingBox {
  const lower: Vec3 = [0, 0, 0];
  const upper: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    lower[a] = Math.max(box.lower[a]! - padDistance, 0);
    upper[a] = Math.min(box.upper[a]! + padDistance, size[a]! - 1);
  }
  return { lower, upper };
}

/** Copy the region `bounds` of a volume; origin moves to the region's first voxel. */
export function cropVolume<T extends Volume>(vol: T, bounds: BoundingBox): T {
  const [nx, ny] = vol.size;
  const sx = bounds.upper[0] - bounds.lower[0] + 1;
  const sy = bounds.upper[1] - bounds.lower[1] + 1;
  const sz = bounds.upper[2] - bounds.lower[2] + 1;
  const Ctor = vol.data.constructor as new (n: number) => T["data"];
  const data = new Ctor(sx * sy * sz);
  let o = 0;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      const start = bounds.lower[0] + nx * (bounds.lower[1] + y + ny * (bounds.lower[2] + z));
      data.set(vol.data.subarray(start, start + sx) as never, o);
      o += sx;
    }
  }
  return {
    ...vol,
    data,
    size: [sx, sy, sz],
    origin: indexToPhysical(vol, bounds.lower),
    spacing: [...vol.spacing],
    direction: [...vol.direction],
  };
}

/** Crop a binary ROI array, or any per-voxel array (same layout as a volume of `size`). */
export function cropRoi<T extends Uint8Array | Int32Array>(
  roi: T,
  size: Vec3,
  bounds: BoundingBox,
  into?: T,
): T {
  const [nx, ny] = size;
  const sx = bounds.upper[0] - bounds.lower[0] + 1;
  const sy = bounds.upper[1] - bounds.lower[1] + 1;
  const sz = bounds.upper[2] - bounds.lower[2] + 1;
  // `into`: a buffer to reuse (voxel mode crops one small box per ROI voxel); the result is its
  // first sx * sy * sz elements.
  const out = into
    ? (into.subarray(0, sx * sy * sz) as T)
    : new (roi.constructor as new (n: number) => T)(sx * sy * sz);
  let o = 0;
  for (let z = 0; z < sz; z++) {
    for (let y = 0; y < sy; y++) {
      const start = bounds.lower[0] + nx * (bounds.lower[1] + y + ny * (bounds.lower[2] + z));
      out.set(roi.subarray(start, start + sx) as never, o);
      o += sx;
    }
  }
  return out;
}
