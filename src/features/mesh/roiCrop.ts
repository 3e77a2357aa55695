/**
 * The mask as PyRadiomics' shape classes see it: cropped to the ROI bounding box (cropToTumorMask with
 * padDistance 0, as featureextractor.computeShape calls it) and then padded with one voxel of zeros on
 * every side (shape.py / shape2D.py pad by 1 before marching cubes). Index (0, 0, 0) of the result is the
 * padding voxel before the bounding box's first voxel, so coordinates match PyRadiomics' arrays exactly.
 */
import type { Vec3 } from "../../image/volume.js";
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
  const [nx, ny, nz] = size;
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  let count = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      let first = 0;
      while (first < nx && mask[row + first] === 0) first++;
      if (first === nx) continue;
      let last = nx - 1;
      while (mask[row + last] === 0) last--;
      for (let x = first; x <= last; x++) if (mask[row + x] !== 0) count++;
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
  }
  if (count === 0) throw new Error(`${what}: the mask contains no ROI voxels`);
  const pz = padZ ? 1 : 0;
  const px = x1 - x0 + 3;
  const py = y1 - y0 + 3;
  const pzSize = z1 - z0 + 1 + 2 * pz;
  const data = new Uint8Array(px * py * pzSize);
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const src = x0 + nx * (y + ny * z);
      const dst = 1 + px * (y - y0 + 1 + py * (z - z0 + pz));
      for (let x = 0; x <= x1 - x0; x++) data[dst + x] = mask[src + x] !== 0 ? 1 : 0;
    }
  }
  return { data, size: [px, py, pzSize], count };
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
