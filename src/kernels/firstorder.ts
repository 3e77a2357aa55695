/**
 * Binding of the first-order statistics kernel (src/kernels/assembly/firstorder.ts, where the
 * methods are documented): one call per image computes what src/features/firstorder.ts's requested
 * features need from the ROI's values and discretised levels (order statistics from a sort, mean,
 * central moments, energy, mean absolute deviations, level probabilities).
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface FirstOrderExports extends KernelExports {
  firstOrderScratchBytes(n: number): number;
  firstOrderStatistics(
    x: number,
    levels: number,
    n: number,
    shift: number,
    wanted: number,
    scratch: number,
    scratchBytes: number,
    results: number,
    probabilities: number,
  ): number;
}

/** Minimum, maximum, median and the 10th, 25th, 75th and 90th percentiles (needs N_p > 0). */
export const FIRST_ORDER_ORDER_STATISTICS = 1;
/** mean(X). */
export const FIRST_ORDER_MEAN = 2;
/** Central moments m2, m3, m4 (and the mean). */
export const FIRST_ORDER_MOMENTS = 4;
/** sum((X + c)^2). */
export const FIRST_ORDER_ENERGY = 8;
/** mean(|X - mean(X)|) (and the mean). */
export const FIRST_ORDER_MEAN_ABSOLUTE_DEVIATION = 16;
/** MAD of the values within [P10, P90] (and the order statistics). */
export const FIRST_ORDER_ROBUST_MEAN_ABSOLUTE_DEVIATION = 32;
/** p(i) over the levels present. */
export const FIRST_ORDER_LEVEL_PROBABILITIES = 64;

/** Slots of the kernel's results (RESULT_* in the kernel). */
const RESULT_SLOTS = 16;
const RESULT_LEVEL_MIN = 14;
const RESULT_LEVEL_MAX = 15;

/** The statistics asked for; the others are NaN. */
export interface FirstOrderStatistics {
  minimum: number;
  maximum: number;
  p10: number;
  p25: number;
  p75: number;
  p90: number;
  median: number;
  mean: number;
  /** Central moments mean((X - mean(X))^k), k = 2, 3, 4. */
  m2: number;
  m3: number;
  m4: number;
  energy: number;
  meanAbsoluteDeviation: number;
  robustMeanAbsoluteDeviation: number;
  /** p(i) = (ROI voxels of level i) / N_p over the levels present, ascending (empty unless asked). */
  levelProbabilities: Float64Array;
}

/**
 * The statistics `wanted` (FIRST_ORDER_* flags, or-ed) of the ROI values X (array order) and their
 * discretised levels (same order), c = voxelArrayShift.
 */
export function firstOrderStatistics(
  values: Float64Array,
  levels: Int32Array,
  voxelArrayShift: number,
  wanted: number,
): FirstOrderStatistics {
  const n = values.length;
  if (levels.length !== n)
    throw new Error(`firstOrderStatistics: ${n} values but ${levels.length} levels`);
  if (
    n === 0 &&
    wanted & (FIRST_ORDER_ORDER_STATISTICS | FIRST_ORDER_ROBUST_MEAN_ABSOLUTE_DEVIATION)
  )
    throw new RangeError("firstOrderStatistics: no order statistics of an empty ROI");
  const frame = new KernelFrame<FirstOrderExports>();
  const x = frame.input(values);
  const levelsAt = frame.input(levels);
  const results = frame.reserve64(RESULT_SLOTS);
  const probabilities = frame.reserve64(n);
  let scratchBytes = frame.wasm.firstOrderScratchBytes(n) >>> 0;
  let scratch = frame.reserveBytes(scratchBytes);
  frame.commit();
  frame.float64(results, RESULT_SLOTS).fill(Number.NaN);
  const call = () =>
    frame.wasm.firstOrderStatistics(
      x,
      levelsAt,
      n,
      voxelArrayShift,
      wanted,
      scratch,
      scratchBytes,
      results,
      probabilities,
    );
  let present = call();
  if (present < 0) {
    // The level tallies did not fit the scratch: lay out room for them and count the levels again.
    const range = frame.float64(results, RESULT_SLOTS);
    scratchBytes = 4 * (range[RESULT_LEVEL_MAX]! - range[RESULT_LEVEL_MIN]! + 1);
    scratch = frame.reserveBytes(scratchBytes);
    frame.commit();
    wanted = FIRST_ORDER_LEVEL_PROBABILITIES;
    present = call();
  }
  const r = frame.float64(results, RESULT_SLOTS);
  return {
    minimum: r[0]!,
    maximum: r[1]!,
    p10: r[2]!,
    p25: r[3]!,
    p75: r[4]!,
    p90: r[5]!,
    median: r[6]!,
    mean: r[7]!,
    m2: r[8]!,
    m3: r[9]!,
    m4: r[10]!,
    energy: r[11]!,
    meanAbsoluteDeviation: r[12]!,
    robustMeanAbsoluteDeviation: r[13]!,
    levelProbabilities: frame.float64(probabilities, present).slice(),
  };
}
