/**
 * Batched voxel-based first order (PyRadiomics firstorder._initVoxelBasedCalculation: each
 * feature over every kernel's values at once): one WebAssembly call per image gathers each kernel's
 * values and levels in offset order and computes its statistics (src/kernels/voxel-firstorder.ts),
 * then the features follow from each kernel's row with the formulas of
 * src/features/firstorder.ts, operation for operation, so every map value is bit-identical to
 * computeFirstOrderFeatures on the kernel's values.
 */
import { FIRSTORDER_CLASS } from "../../features/firstorder.js";
import {
  FIRST_ORDER_ENERGY,
  FIRST_ORDER_LEVEL_PROBABILITIES,
  FIRST_ORDER_MEAN,
  FIRST_ORDER_MEAN_ABSOLUTE_DEVIATION,
  FIRST_ORDER_MOMENTS,
  FIRST_ORDER_ORDER_STATISTICS,
  FIRST_ORDER_ROBUST_MEAN_ABSOLUTE_DEVIATION,
} from "../../kernels/firstorder.js";
import {
  ROW_COUNT,
  ROW_ENERGY,
  ROW_ENTROPY_SUM,
  ROW_M2,
  ROW_M3,
  ROW_M4,
  ROW_MAD,
  ROW_MAXIMUM,
  ROW_MEAN,
  ROW_MEDIAN,
  ROW_MINIMUM,
  ROW_P10,
  ROW_P25,
  ROW_P75,
  ROW_P90,
  ROW_ROBUST_MAD,
  ROW_UNIFORMITY,
  VOXEL_FIRST_ORDER_ROW,
  voxelFirstOrderRows,
} from "../../kernels/voxel-firstorder.js";
import type { VoxelClassCompute } from "./types.js";

/** Statistics (FIRST_ORDER_* flags) each feature reads, as src/features/firstorder.ts's FEATURES. */
const NEEDS: Record<string, number> = {
  "10Percentile": FIRST_ORDER_ORDER_STATISTICS,
  "90Percentile": FIRST_ORDER_ORDER_STATISTICS,
  Energy: FIRST_ORDER_ENERGY,
  Entropy: FIRST_ORDER_LEVEL_PROBABILITIES,
  InterquartileRange: FIRST_ORDER_ORDER_STATISTICS,
  Kurtosis: FIRST_ORDER_MOMENTS,
  Maximum: FIRST_ORDER_ORDER_STATISTICS,
  MeanAbsoluteDeviation: FIRST_ORDER_MEAN_ABSOLUTE_DEVIATION,
  Mean: FIRST_ORDER_MEAN,
  Median: FIRST_ORDER_ORDER_STATISTICS,
  Minimum: FIRST_ORDER_ORDER_STATISTICS,
  Range: FIRST_ORDER_ORDER_STATISTICS,
  RobustMeanAbsoluteDeviation: FIRST_ORDER_ROBUST_MEAN_ABSOLUTE_DEVIATION,
  RootMeanSquared: FIRST_ORDER_ENERGY,
  Skewness: FIRST_ORDER_MOMENTS,
  StandardDeviation: FIRST_ORDER_MOMENTS,
  TotalEnergy: FIRST_ORDER_ENERGY,
  Uniformity: FIRST_ORDER_LEVEL_PROBABILITIES,
  Variance: FIRST_ORDER_MOMENTS,
};

/** Features that are one statistic of the row as it is (src/features/firstorder.ts's FEATURES). */
const COLUMN: Record<string, number> = {
  "10Percentile": ROW_P10,
  "90Percentile": ROW_P90,
  Energy: ROW_ENERGY,
  Maximum: ROW_MAXIMUM,
  MeanAbsoluteDeviation: ROW_MAD,
  Mean: ROW_MEAN,
  Median: ROW_MEDIAN,
  Minimum: ROW_MINIMUM,
  RobustMeanAbsoluteDeviation: ROW_ROBUST_MAD,
  Uniformity: ROW_UNIFORMITY,
};

/**
 * Writes feature `name` of every kernel (row k of `rows`) to out[centres[k]]: the expressions of
 * src/features/firstorder.ts's FEATURES on the same statistics (PyRadiomics firstorder.get*).
 */
function fillFeature(
  name: string,
  rows: Float64Array,
  centres: Int32Array,
  voxelVolume: number,
  out: Float64Array,
): void {
  const R = VOXEL_FIRST_ORDER_ROW;
  const K = centres.length;
  const slot = COLUMN[name];
  if (slot !== undefined) {
    for (let k = 0; k < K; k++) out[centres[k]!] = rows[k * R + slot]!;
    return;
  }
  switch (name) {
    case "Entropy":
      for (let k = 0; k < K; k++) out[centres[k]!] = -rows[k * R + ROW_ENTROPY_SUM]!;
      return;
    case "InterquartileRange":
      for (let k = 0; k < K; k++)
        out[centres[k]!] = rows[k * R + ROW_P75]! - rows[k * R + ROW_P25]!;
      return;
    case "Kurtosis":
      for (let k = 0; k < K; k++) {
        const m2 = rows[k * R + ROW_M2]!;
        out[centres[k]!] = m2 === 0 ? 0 : rows[k * R + ROW_M4]! / m2 ** 2;
      }
      return;
    case "Range":
      for (let k = 0; k < K; k++)
        out[centres[k]!] = rows[k * R + ROW_MAXIMUM]! - rows[k * R + ROW_MINIMUM]!;
      return;
    case "RootMeanSquared":
      for (let k = 0; k < K; k++)
        out[centres[k]!] = Math.sqrt(rows[k * R + ROW_ENERGY]! / rows[k * R + ROW_COUNT]!);
      return;
    case "Skewness":
      for (let k = 0; k < K; k++) {
        const m2 = rows[k * R + ROW_M2]!;
        out[centres[k]!] = m2 === 0 ? 0 : rows[k * R + ROW_M3]! / m2 ** 1.5;
      }
      return;
    case "StandardDeviation":
      for (let k = 0; k < K; k++) out[centres[k]!] = Math.sqrt(rows[k * R + ROW_M2]!);
      return;
    case "TotalEnergy":
      for (let k = 0; k < K; k++) out[centres[k]!] = rows[k * R + ROW_ENERGY]! * voxelVolume;
      return;
    case "Variance":
      for (let k = 0; k < K; k++) out[centres[k]!] = Math.sqrt(rows[k * R + ROW_M2]!) ** 2;
      return;
    default:
      throw new Error(`unknown firstorder feature '${name}'`);
  }
}

/**
 * VOXEL_CLASS_COMPUTE.firstorder: every kernel of a grid in one pass. A kernel is its centre plus
 * the offsets inside the grid (and the ROI with maskedKernel), so it is never empty. Every name,
 * the deprecated StandardDeviation included, gets a value when asked, as computeFirstOrderFeatures
 * gives one.
 */
export const computeVoxelFirstOrder: VoxelClassCompute = (grid, kernels, _texture, names, out) => {
  let wanted = 0;
  for (const name of names) {
    const needs = NEEDS[name];
    if (needs === undefined || !FIRSTORDER_CLASS.features.includes(name))
      throw new Error(`unknown firstorder feature '${name}'`);
    wanted |= needs;
  }
  if (names.length === 0 || kernels.centres.length === 0) return;
  // computeFirstOrderFeatures' voxel volume: the product of the first `dimension` spacings.
  let voxelVolume = 1;
  for (let a = 0; a < grid.dimension; a++) voxelVolume *= grid.spacing[a]!;
  const rows = voxelFirstOrderRows({
    values: grid.values,
    levels: grid.levels,
    mask: grid.mask,
    size: grid.size,
    centres: kernels.centres,
    offsets: kernels.offsets,
    maskedKernel: kernels.maskedKernel,
    voxelArrayShift: grid.voxelArrayShift,
    wanted,
  });
  names.forEach((name, i) => {
    fillFeature(name, rows, kernels.centres, voxelVolume, out[i]!);
  });
};
