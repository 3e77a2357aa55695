/**
 * Voxel-based first order (binding: src/kernels/voxel-firstorder.ts; driver:
 * src/extract/voxel/firstorder.ts): every kernel of one image in one call, PyRadiomics
 * firstorder._initVoxelBasedCalculation's kernels with the statistics of
 * src/kernels/assembly/firstorder.ts. A kernel's values are gathered in offset order because that
 * order is the array order numpy's pairwise sums see (PyRadiomics reduces the kernel array along its
 * offset axis), so each statistic is bit-identical to the per-kernel computation.
 */
import { firstOrderStatistics } from "./firstorder";
import { log2 } from "./math";
import { pairwiseSum } from "./numpy-sum";
import { f64At, i32At } from "./voxel-common";

/** The level probabilities' flag (FIRST_ORDER_LEVEL_PROBABILITIES in src/kernels/firstorder.ts). */
const LEVEL_PROBABILITIES = 64;

/** Doubles per kernel row: firstOrderStatistics' 16 result slots, then the slots below. */
const VOXEL_FIRST_ORDER_ROW: i32 = 19;
/** N_p, the kernel's voxel count. */
const ROW_COUNT = 16;
/** sum_i p(i) log2(p(i) + eps) (Entropy is its negative). */
const ROW_ENTROPY_SUM = 17;
/** sum_i p(i)^2 (Uniformity). */
const ROW_UNIFORMITY = 18;

/** Double precision's machine epsilon (JavaScript's Number.EPSILON, numpy's eps). */
const EPSILON: f64 = 2.220446049250313e-16;

/**
 * For each of the `kernelCount` kernels (centre grid indices `centres`), gathers centre + offset for
 * the `offsetCount` (x, y, z) `offsets` inside the nx x ny x nz grid (and where mask is 1 when
 * `masked`), in offset order, into `gathered` / `gatheredLevels` (room for offsetCount), computes
 * the `wanted` statistics of `values` / `levels` there (firstOrderStatistics, c = shift) and writes
 * row k of `rows` (VOXEL_FIRST_ORDER_ROW doubles; slots of statistics not wanted are untouched).
 * `scratch` holds scratchBytes >= firstOrderScratchBytes(offsetCount) bytes, with room for the
 * tallies of every level present; `probabilities` and `mapped` hold offsetCount doubles each,
 * `steps` offsetCount i32. Returns -1 when a kernel's level tallies did not fit the scratch (its
 * row's level range slots say why), else 0.
 */
export function voxelFirstOrder(
  values: usize,
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  centres: usize,
  kernelCount: i32,
  offsets: usize,
  offsetCount: i32,
  steps: usize,
  masked: i32,
  shift: f64,
  wanted: i32,
  gathered: usize,
  gatheredLevels: usize,
  scratch: usize,
  scratchBytes: usize,
  probabilities: usize,
  mapped: usize,
  rows: usize,
): i32 {
  const plane = nx * ny;
  // Each offset's grid index step and the offsets' extent per axis: a kernel whose offsets all
  // stay inside the grid (most of them) gathers without bounds tests, in the same order.
  let lowX = 0;
  let lowY = 0;
  let lowZ = 0;
  let highX = 0;
  let highY = 0;
  let highZ = 0;
  for (let o = 0; o < offsetCount; o++) {
    const ox = load<i32>(i32At(offsets, 3 * o));
    const oy = load<i32>(i32At(offsets, 3 * o + 1));
    const oz = load<i32>(i32At(offsets, 3 * o + 2));
    store<i32>(i32At(steps, o), ox + nx * oy + plane * oz);
    lowX = min<i32>(lowX, ox);
    lowY = min<i32>(lowY, oy);
    lowZ = min<i32>(lowZ, oz);
    highX = max<i32>(highX, ox);
    highY = max<i32>(highY, oy);
    highZ = max<i32>(highZ, oz);
  }
  for (let k = 0; k < kernelCount; k++) {
    const centre = load<i32>(i32At(centres, k));
    const x = centre % nx;
    const y = (centre / nx) % ny;
    const z = centre / plane;
    let n = 0;
    if (
      x + lowX >= 0 &&
      y + lowY >= 0 &&
      z + lowZ >= 0 &&
      x + highX < nx &&
      y + highY < ny &&
      z + highZ < nz
    ) {
      for (let o = 0; o < offsetCount; o++) {
        const at = centre + load<i32>(i32At(steps, o));
        if (masked && load<u8>(mask + <usize>at) === 0) continue;
        store<f64>(f64At(gathered, n), load<f64>(f64At(values, at)));
        store<i32>(i32At(gatheredLevels, n), load<i32>(i32At(levels, at)));
        n++;
      }
    } else {
      for (let o = 0; o < offsetCount; o++) {
        const kx = x + load<i32>(i32At(offsets, 3 * o));
        const ky = y + load<i32>(i32At(offsets, 3 * o + 1));
        const kz = z + load<i32>(i32At(offsets, 3 * o + 2));
        if (kx < 0 || ky < 0 || kz < 0 || kx >= nx || ky >= ny || kz >= nz) continue;
        const at = kx + nx * ky + plane * kz;
        if (masked && load<u8>(mask + <usize>at) === 0) continue;
        store<f64>(f64At(gathered, n), load<f64>(f64At(values, at)));
        store<i32>(i32At(gatheredLevels, n), load<i32>(i32At(levels, at)));
        n++;
      }
    }
    const row = f64At(rows, k * VOXEL_FIRST_ORDER_ROW);
    store<f64>(f64At(row, ROW_COUNT), <f64>n);
    const present = firstOrderStatistics(
      gathered,
      gatheredLevels,
      n,
      shift,
      wanted,
      scratch,
      scratchBytes,
      row,
      probabilities,
    );
    if (present < 0) return -1;
    if (!(wanted & LEVEL_PROBABILITIES)) continue;
    // numpy's pairwise sums of p log2(p + eps) and p^2 over the levels present, ascending
    // (PyRadiomics firstorder.getEntropyFeatureValue / getUniformityFeatureValue); log2 is
    // Math.log2's port, so both equal the JavaScript per-kernel values bit for bit.
    for (let i = 0; i < present; i++) {
      const p = load<f64>(f64At(probabilities, i));
      store<f64>(f64At(mapped, i), p * log2(p + EPSILON));
    }
    store<f64>(f64At(row, ROW_ENTROPY_SUM), pairwiseSum(mapped, present));
    for (let i = 0; i < present; i++) {
      const p = load<f64>(f64At(probabilities, i));
      store<f64>(f64At(mapped, i), p * p);
    }
    store<f64>(f64At(row, ROW_UNIFORMITY), pairwiseSum(mapped, present));
  }
  return 0;
}
