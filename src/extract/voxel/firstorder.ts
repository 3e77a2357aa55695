/**
 * Batched voxel-based first order (PyRadiomics firstorder._initVoxelBasedCalculation: each
 * feature over every kernel's values at once): one WebAssembly call per image gathers each kernel's
 * values and levels in offset order and computes its statistics (src/kernels/voxel-firstorder.ts),
 * then each feature is src/features/firstorder.ts's own formula on each kernel's statistics, so
 * every map value is bit-identical to computeFirstOrderFeatures on the kernel's values.
 */
import {
  FIRST_ORDER_FEATURES,
  FIRSTORDER_CLASS,
  type FirstOrderContext,
} from "../../features/firstorder.js";
import type { FirstOrderStatistics } from "../../kernels/firstorder.js";
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

/**
 * Writes feature `name` of every kernel (row k of `rows`) to out[centres[k]] with the segment-based
 * formula (src/features/firstorder.ts FIRST_ORDER_FEATURES, PyRadiomics firstorder.get*) on the
 * kernel's statistics. Entropy and Uniformity, sums over the kernel's level probabilities, come
 * summed by the kernel in numpy's pairwise order (as sumOverLevels sums them).
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
  if (name === "Entropy") {
    for (let k = 0; k < K; k++) out[centres[k]!] = -rows[k * R + ROW_ENTROPY_SUM]!;
    return;
  }
  if (name === "Uniformity") {
    for (let k = 0; k < K; k++) out[centres[k]!] = rows[k * R + ROW_UNIFORMITY]!;
    return;
  }
  const feature = FIRST_ORDER_FEATURES[name]!;
  // One statistics object, refilled per kernel (the formulas read, never keep, it).
  const stats: FirstOrderStatistics = {
    minimum: 0,
    maximum: 0,
    p10: 0,
    p25: 0,
    p75: 0,
    p90: 0,
    median: 0,
    mean: 0,
    m2: 0,
    m3: 0,
    m4: 0,
    energy: 0,
    meanAbsoluteDeviation: 0,
    robustMeanAbsoluteDeviation: 0,
    levelProbabilities: new Float64Array(0),
  };
  const context: FirstOrderContext = { stats, n: 0, voxelVolume };
  for (let k = 0; k < K; k++) {
    const at = k * R;
    stats.minimum = rows[at + ROW_MINIMUM]!;
    stats.maximum = rows[at + ROW_MAXIMUM]!;
    stats.p10 = rows[at + ROW_P10]!;
    stats.p25 = rows[at + ROW_P25]!;
    stats.p75 = rows[at + ROW_P75]!;
    stats.p90 = rows[at + ROW_P90]!;
    stats.median = rows[at + ROW_MEDIAN]!;
    stats.mean = rows[at + ROW_MEAN]!;
    stats.m2 = rows[at + ROW_M2]!;
    stats.m3 = rows[at + ROW_M3]!;
    stats.m4 = rows[at + ROW_M4]!;
    stats.energy = rows[at + ROW_ENERGY]!;
    stats.meanAbsoluteDeviation = rows[at + ROW_MAD]!;
    stats.robustMeanAbsoluteDeviation = rows[at + ROW_ROBUST_MAD]!;
    context.n = rows[at + ROW_COUNT]!;
    out[centres[k]!] = feature.value(context);
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
    const feature = FIRST_ORDER_FEATURES[name];
    if (feature === undefined || !FIRSTORDER_CLASS.features.includes(name))
      throw new Error(`unknown firstorder feature '${name}'`);
    wanted |= feature.needs;
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
