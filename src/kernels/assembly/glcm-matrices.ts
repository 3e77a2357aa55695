/**
 * GLCM raw counts to PyRadiomics' processed matrices (glcm._calculateMatrix; binding:
 * src/kernels/glcm-matrices.ts, caller src/features/glcm/matrices.ts): symmetrised (P + P^T) when
 * asked, summed over the angles with their distance weights when given (weightingNorm), empty
 * angles dropped when more than one angle is left, each matrix divided by its sum (an all-zero
 * single matrix becomes NaN).
 *
 * The arithmetic is the former TypeScript's, operation for operation: counts are integers, so the
 * symmetrisation and the unweighted sums are exact; the weighted sum adds angle after angle from 0
 * (texture-common's weightedAngleSum), each matrix's sum adds its cells in order (angleSums), and
 * each cell is divided once by it.
 */
import { getF64, getI32, setF64 } from "./memory-access";

/**
 * counts: i32 [angleCount][n][n]; weights: f64 [angleCount], or 0 for none; work: f64
 * [angleCount][n][n] scratch; sums: f64 [angleCount] scratch; out: f64 [kept][n][n]. Returns kept,
 * the number of matrices written.
 */
export function glcmProcessedMatrices(
  counts: usize,
  angleCount: i32,
  n: i32,
  symmetric: bool,
  weights: usize,
  work: usize,
  sums: usize,
  out: usize,
): i32 {
  const nn = n * n;
  // As doubles, symmetrised: 2 P(i, i) on the diagonal, P(i, j) + P(j, i) off it.
  for (let a = 0; a < angleCount; a++) {
    const base = a * nn;
    for (let i = 0; i < n; i++) {
      const row = base + i * n;
      for (let j = 0; j < n; j++) {
        const pij = <f64>getI32(counts, row + j);
        setF64(work, row + j, symmetric ? pij + <f64>getI32(counts, base + j * n + i) : pij);
      }
    }
  }
  let matrices = angleCount;
  if (weights !== 0) {
    // One matrix: sum over the angles of weight x matrix, added in angle order into zeros.
    const weighted = work + ((<usize>(angleCount * nn)) << 3);
    for (let c = 0; c < nn; c++) setF64(weighted, c, 0);
    for (let a = 0; a < angleCount; a++) {
      const w = getF64(weights, a);
      const base = a * nn;
      for (let c = 0; c < nn; c++)
        setF64(weighted, c, getF64(weighted, c) + getF64(work, base + c) * w);
    }
    memory.copy(work, weighted, (<usize>nn) << 3);
    matrices = 1;
  }
  let kept = 0;
  for (let a = 0; a < matrices; a++) {
    let s: f64 = 0;
    const base = a * nn;
    for (let c = 0; c < nn; c++) s += getF64(work, base + c);
    setF64(sums, a, s);
  }
  for (let a = 0; a < matrices; a++) {
    const s = getF64(sums, a);
    if (matrices > 1 && s === 0) continue;
    const divisor = s === 0 ? NaN : s;
    const base = a * nn;
    const dst = kept * nn;
    for (let c = 0; c < nn; c++) setF64(out, dst + c, getF64(work, base + c) / divisor);
    kept++;
  }
  return kept;
}
