/**
 * GLCM features of the difference distribution p_{x-y}(k) = sum_{|i - j| = k} p(i, j),
 * k = 0..Ng-1 (PyRadiomics glcm.py): DifferenceAverage, DifferenceEntropy, DifferenceVariance, Id,
 * Idn, Idm, Idmn and InverseVariance.
 */
import { NUMPY_EPS as EPS } from "../texture-common.js";
import type { AngleValues } from "./class-info.js";

/**
 * DifferenceAverage = sum k p_{x-y}(k), DifferenceEntropy = -sum p_{x-y} log2(p_{x-y} + eps),
 * DifferenceVariance = sum (k - DifferenceAverage)^2 p_{x-y}(k), Idm = sum p_{x-y}(k) / (1 + k^2),
 * Idmn = sum p_{x-y}(k) / (1 + k^2 / Ng^2), Id = sum p_{x-y}(k) / (1 + k),
 * Idn = sum p_{x-y}(k) / (1 + k / Ng), InverseVariance = sum_{k >= 1} p_{x-y}(k) / k^2.
 */
export function differenceFeatures(pxSuby: Float64Array, ng: number, r: AngleValues): void {
  let diffAvg = 0;
  let diffEnt = 0;
  let idm = 0;
  let idmn = 0;
  let id = 0;
  let idn = 0;
  let invVar = 0;
  const ng2 = ng * ng;
  for (let k = 0; k < ng; k++) {
    const v = pxSuby[k]!;
    // An empty bin's terms are signed zeros: skipping them leaves every sum unchanged.
    if (v === 0) continue;
    diffAvg += k * v;
    diffEnt += v * Math.log2(v + EPS);
    idm += v / (1 + k * k);
    idmn += v / (1 + (k * k) / ng2);
    id += v / (1 + k);
    idn += v / (1 + k / ng);
    if (k >= 1) invVar += v / (k * k);
  }
  let diffVar = 0;
  for (let k = 0; k < ng; k++) {
    if (pxSuby[k] === 0) continue;
    const d = k - diffAvg;
    diffVar += pxSuby[k]! * (d * d);
  }
  r.DifferenceAverage = diffAvg;
  r.DifferenceEntropy = -diffEnt;
  r.DifferenceVariance = diffVar;
  r.Idm = idm;
  r.Idmn = idmn;
  r.Id = id;
  r.Idn = idn;
  r.InverseVariance = invVar;
}
