/**
 * The discretised ROI as every IBSI-1 texture family reads it (GLCM, GLRLM, GLSZM, GLDZM, NGTDM,
 * NGLDM; IBSI-1 manual, chapter 3): grey levels 1..Ng inside the intensity mask and 0 outside, on an
 * x-fastest grid with z the slice axis (src/ibsi/types.ts). Here: the input checks the families
 * share and the count of intensity-mask voxels per slice (N_v of a slice's matrix).
 */
import type { BoundingBox } from "../../image/mask.js";
import type { Vec3 } from "../../image/volume.js";
import { type IbsiDiscretised, IbsiSettingError } from "../types.js";

/**
 * Checks a discretised ROI against its grid: three positive integer sizes, an Int32Array with one
 * level per voxel, an integer nLevels >= 1 and every level in 0..nLevels. Throws an
 * IbsiSettingError naming the setting; `family` ("GLCM", "GLSZM", ...) starts the message.
 */
export function checkDiscretised(d: IbsiDiscretised, size: Vec3, family: string): void {
  if (
    !Array.isArray(size) ||
    size.length !== 3 ||
    !size.every((n) => Number.isInteger(n) && n > 0)
  ) {
    throw new IbsiSettingError(`${family}: size must be three positive integers, got [${size}]`);
  }
  const voxels = size[0] * size[1] * size[2];
  if (!(d.levels instanceof Int32Array)) {
    throw new IbsiSettingError(`${family}: levels must be an Int32Array`);
  }
  if (d.levels.length !== voxels) {
    throw new IbsiSettingError(
      `${family}: levels has ${d.levels.length} entries but size [${size}] has ${voxels} voxels`,
    );
  }
  if (!Number.isInteger(d.nLevels) || d.nLevels < 1) {
    throw new IbsiSettingError(`${family}: nLevels must be an integer >= 1, got ${d.nLevels}`);
  }
  const levels = d.levels;
  for (let v = 0; v < voxels; v++) {
    const g = levels[v]!;
    if (g < 0 || g > d.nLevels) {
      throw new IbsiSettingError(
        `${family}: levels must lie in 0..nLevels (nLevels = ${d.nLevels}); voxel ${v} has level ${g}`,
      );
    }
  }
}

/**
 * Intensity-mask voxels (level > 0) of each slice z = box.lower[2]..box.upper[2], counted inside
 * the box (by default the whole grid).
 */
export function roiVoxelsPerSlice(
  levels: Int32Array,
  size: Vec3,
  box: BoundingBox = { lower: [0, 0, 0], upper: [size[0] - 1, size[1] - 1, size[2] - 1] },
): Float64Array {
  const [nx, ny] = size;
  const { lower, upper } = box;
  const counts = new Float64Array(upper[2] - lower[2] + 1);
  for (let z = lower[2]; z <= upper[2]; z++) {
    let n = 0;
    for (let y = lower[1]; y <= upper[1]; y++) {
      const row = nx * (y + ny * z);
      for (let v = row + lower[0]; v <= row + upper[0]; v++) if (levels[v]! > 0) n++;
    }
    counts[z - lower[2]] = n;
  }
  return counts;
}

/** Sum of the values (e.g. the intensity-mask voxels of the whole ROI from roiVoxelsPerSlice). */
export function sumOf(values: ArrayLike<number>): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k]!;
  return sum;
}
