/**
 * The mask as PyRadiomics' shape classes see it: cropped to the ROI bounding box (cropToTumorMask with
 * padDistance 0, as featureextractor.computeShape calls it) and then padded with one voxel of zeros on
 * every side (shape.py / shape2D.py pad by 1 before marching cubes). Index (0, 0, 0) of the result is the
 * padding voxel before the bounding box's first voxel, so coordinates match PyRadiomics' arrays exactly.
 */
import type { Vec3 } from "../../image/volume.js";
import { cropAndPadMask } from "../../kernels/masks.js";
import type { FeatureClassInfo } from "../types.js";

export interface PaddedRoi {
  /** 1 inside the ROI, 0 elsewhere; x fastest. */
  data: Uint8Array;
  /** Padded size along x, y, z (bounding box + 2 on each axis that is padded). */
  size: Vec3;
  /** Number of ROI voxels. */
  count: number;
}

/** Checks a mask against its declared size and spacing; throws an Error naming the bad argument. */
export function validateMaskInput(what: string, mask: Uint8Array, size: Vec3, spacing: Vec3): void {
  if (size.length !== 3 || size.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${what}: mask size must be three positive integers, got [${size.join(", ")}]`);
  }
  if (mask.length !== size[0] * size[1] * size[2]) {
    throw new Error(
      `${what}: mask has ${mask.length} voxels but size ${size.join("x")} needs ${size[0] * size[1] * size[2]}`,
    );
  }
  if (spacing.length !== 3 || spacing.some((s) => !Number.isFinite(s) || s <= 0)) {
    throw new Error(`${what}: spacing must be three positive numbers, got [${spacing.join(", ")}]`);
  }
}

/**
 * Crops `mask` (nonzero = ROI) to its bounding box and pads it with zeros: one voxel per side on x and
 * y, and on z too when `padZ` (false for true 2D masks, which stay one slice thick).
 */
export function cropAndPadRoi(
  what: string,
  mask: Uint8Array,
  size: Vec3,
  padZ: boolean,
): PaddedRoi {
  const padded = cropAndPadMask(mask, size, padZ);
  if (!padded) throw new Error(`${what}: the mask contains no ROI voxels`);
  return padded;
}

/** Throws an Error naming the first requested feature that `info` does not define. */
export function checkFeatureNames(
  what: string,
  info: FeatureClassInfo,
  names: readonly string[],
): void {
  for (const name of names) {
    if (!info.features.includes(name)) {
      throw new Error(`${what}: unknown feature '${name}' (known: ${info.features.join(", ")})`);
    }
  }
}
