/**
 * GLCM raw counts to PyRadiomics' processed matrices (glcm._calculateMatrix): symmetrised
 * (P + P^T) when asked, summed over the angles with their distance weights when given
 * (weightingNorm), empty angles dropped when more than one angle is left, each matrix divided by
 * its sum (an all-zero single matrix becomes NaN). The ROI's matrices (binding:
 * src/kernels/glcm-matrices.ts, caller src/features/glcm/matrices.ts) and every voxel-based
 * kernel's (./voxel-glcm.ts) go through the same steps below.
 *
 * The arithmetic is the former TypeScript's, operation for operation: counts are integers, so the
 * symmetrisation and the unweighted sums are exact; the weighted sum adds angle after angle into
 * zeros (texture-common's weightedAngleSum), each matrix's sum adds its cells in order
 * (angleSums), and each cell is divided once by it.
 */
import { getF64, getI32, setF64 } from "./memory-access";

/** P + P^T in place for each of angleCount n x n matrices of doubles (the diagonal doubled). */
export function symmetriseMatrices(mats: usize, angleCount: i32, n: i32): void {
  const nn = n * n;
  for (let a = 0; a < angleCount; a++) {
    const base = a * nn;
    for (let i = 0; i < n; i++) {
      const ii = base + i * n + i;
      setF64(mats, ii, getF64(mats, ii) + getF64(mats, ii));
      for (let j = i + 1; j < n; j++) {
        const ij = base + i * n + j;
        const ji = base + j * n + i;
        const sum = getF64(mats, ij) + getF64(mats, ji);
        setF64(mats, ij, sum);
        setF64(mats, ji, sum);
      }
    }
  }
}

/** into = sum over the angles of weights[first + a] x matrix a, added in angle order into zeros. */
export function weightedMatrixSum(
  mats: usize,
  angleCount: i32,
  nn: i32,
  weights: usize,
  first: i32,
  into: usize,
): void {
  memory.fill(into, 0, (<usize>nn) << 3);
  for (let a = 0; a < angleCount; a++) {
    const w = getF64(weights, first + a);
    const base = a * nn;
    for (let c = 0; c < nn; c++) setF64(into, c, getF64(into, c) + getF64(mats, base + c) * w);
  }
}

/**
 * Each matrix divided by its sum, compacted in place (an empty matrix is dropped when there are
 * several; a lone empty matrix becomes NaN); sums: f64[angleCount] scratch. Returns how many
 * matrices are kept.
 */
export function normaliseMatrices(mats: usize, angleCount: i32, nn: i32, sums: usize): i32 {
  for (let a = 0; a < angleCount; a++) {
    let s: f64 = 0;
    const base = a * nn;
    for (let c = 0; c < nn; c++) s += getF64(mats, base + c);
    setF64(sums, a, s);
  }
  let kept = 0;
  for (let a = 0; a < angleCount; a++) {
    const sum = getF64(sums, a);
    if (angleCount > 1 && sum === 0) continue;
    const s = sum === 0 ? NaN : sum;
    const base = a * nn;
    const to = kept * nn;
    for (let c = 0; c < nn; c++) setF64(mats, to + c, getF64(mats, base + c) / s);
    kept++;
  }
  return kept;
}

/**
 * The ROI's processed matrices. counts: i32 [angleCount][n][n]; weights: f64 [angleCount], or 0
 * for none; work: f64 [angleCount (+ 1 with weights)][n][n]; sums: f64 [angleCount]. The kept
 * matrices are left at the start of `work`; returns how many.
 */
export function glcmProcessedMatrices(
  counts: usize,
  angleCount: i32,
  n: i32,
  symmetric: bool,
  weights: usize,
  work: usize,
  sums: usize,
): i32 {
  const nn = n * n;
  for (let c = 0; c < angleCount * nn; c++) setF64(work, c, <f64>getI32(counts, c));
  if (symmetric) symmetriseMatrices(work, angleCount, n);
  if (weights === 0) return normaliseMatrices(work, angleCount, nn, sums);
  const weighted = work + ((<usize>(angleCount * nn)) << 3);
  weightedMatrixSum(work, angleCount, nn, weights, 0, weighted);
  memory.copy(work, weighted, (<usize>nn) << 3);
  return normaliseMatrices(work, 1, nn, sums);
}
