/**
 * Informational measures of correlation of one angle's GLCM (PyRadiomics getImc1FeatureValue and
 * getImc2FeatureValue). The MCC, the third correlation measure, lives in mcc-*.ts.
 */
import { NUMPY_EPS as EPS } from "../texture-common.js";
import type { AngleValues } from "./class-info.js";

/**
 * Imc1 = (HXY - HXY1) / max(HX, HY) (0 when the divisor is 0) and
 * Imc2 = sqrt(1 - e^(-2 (HXY2 - HXY))) (0 when HXY2 = HXY), with HX = -sum px log2(px + eps), HY
 * likewise, HXY the joint entropy. hxy1 and hxy2 arrive as the sums sum p log2(px py + eps) and
 * sum px py log2(px py + eps) that angleFeatures accumulates, not yet negated.
 */
export function informationCorrelationFeatures(
  px: Float64Array,
  py: Float64Array,
  n: number,
  hxy: number,
  hxy1: number,
  hxy2: number,
  r: AngleValues,
): void {
  let hx = 0;
  let hy = 0;
  for (let i = 0; i < n; i++) {
    hx += px[i]! * Math.log2(px[i]! + EPS);
    hy += py[i]! * Math.log2(py[i]! + EPS);
  }
  hx = -hx;
  hy = -hy;
  hxy1 = -hxy1;
  hxy2 = -hxy2;
  // numpy.fmax ignores a NaN operand.
  const div = Number.isNaN(hx) ? hy : Number.isNaN(hy) ? hx : Math.max(hx, hy);
  r.Imc1 = div === 0 ? 0 : (hxy - hxy1) / div;
  r.Imc2 = hxy2 === hxy ? 0 : Math.sqrt(1 - Math.E ** (-2 * (hxy2 - hxy)));
}
