/**
 * GLCM features of the sum distribution p_{x+y}(k) = sum_{i + j = k} p(i, j), k = 2..2Ng
 * (PyRadiomics glcm.py): SumAverage and SumEntropy. (SumVariance is deprecated: it equals
 * ClusterTendency, see angle-features.ts.)
 */
import { NUMPY_EPS as EPS } from "../texture-common.js";
import type { AngleValues } from "./class-info.js";

/** SumAverage = sum k p_{x+y}(k), SumEntropy = -sum p_{x+y} log2(p_{x+y} + eps). */
export function sumFeatures(pxAddy: Float64Array, ng: number, r: AngleValues): void {
  let sumAvg = 0;
  let sumEnt = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const v = pxAddy[k]!;
    // An empty bin's terms are signed zeros: skipping them leaves both sums unchanged.
    if (v === 0) continue;
    sumAvg += k * v;
    sumEnt += v * Math.log2(v + EPS);
  }
  r.SumAverage = sumAvg;
  r.SumEntropy = -sumEnt;
}
