/**
 * ROC coordinates as pROC 1.18 `coords()` computes them (Robin et al. 2011), the building blocks
 * of its bootstrap confidence intervals (src/stats/roc-bootstrap.ts):
 *  - the coordinates at a fixed threshold (`coords(roc, x = t, input = "threshold")`): sensitivity
 *    and specificity by counting, then pROC's `roc.utils.calc.coords` on those doubles
 *    (tp = se·n_cases, tn = sp·n_controls, fn = n_cases − tp, fp = n_controls − tn, accuracy =
 *    (tp + tn)/n, ppv = tp/(tp + fp), npv = tn/(tn + fn); 0/0 gives NaN as in R);
 *  - a lean empirical curve of two score samples in pROC's sorted order (`sort.roc`: ascending
 *    specificity), its trapezoidal AUC (`auc.roc`) and every Youden optimum (`coords(x = "best",
 *    best.method = "youden", best.weights)`: criterion se + r·sp with r = (1 − w2)/(w1·w2), ties
 *    by exact double equality).
 * Read from pROC's R/coords.R, R/roc.utils.R and R/auc.R (github.com/cran/pROC, tag 1.18.0); the
 * curve's thresholds are `rocThresholds` of src/stats/roc.ts. Pure TypeScript: runs in the browser.
 */
import { type RocDirection, rocThresholds } from "./roc.js";

/** The coordinates radscore reports at a threshold (pROC `ret` names). */
export const ROC_COORDINATES = [
  "threshold",
  "sensitivity",
  "specificity",
  "accuracy",
  "ppv",
  "npv",
] as const;
export type RocCoordinate = (typeof ROC_COORDINATES)[number];

/** One ROC point with pROC's derived counts (doubles, as `roc.utils.calc.coords`). */
export interface RocCoords extends Record<RocCoordinate, number> {
  tp: number;
  fn: number;
  tn: number;
  fp: number;
}

/**
 * pROC `roc.utils.calc.coords` for one point: the counts and ratios from sensitivity and
 * specificity (fractions, not percent).
 */
export function coordsFromRates(
  threshold: number,
  sensitivity: number,
  specificity: number,
  nCases: number,
  nControls: number,
): RocCoords {
  const tp = sensitivity * nCases;
  const fn = nCases - tp;
  const tn = specificity * nControls;
  const fp = nControls - tn;
  return {
    threshold,
    sensitivity,
    specificity,
    accuracy: (tp + tn) / (nCases + nControls),
    ppv: tp / (tp + fp),
    npv: tn / (tn + fn),
    tp,
    fn,
    tn,
    fp,
  };
}

/** Is `score` called positive at `threshold`? "<": score >= threshold; ">": score <= threshold. */
export function isPositive(score: number, threshold: number, direction: RocDirection): boolean {
  return direction === "<" ? score >= threshold : score <= threshold;
}

/**
 * Coordinates at a fixed threshold (pROC `coords(roc, x = threshold, input = "threshold")`):
 * se = #(positive cases)/n_cases, sp = #(negative controls)/n_controls. pROC looks the threshold
 * up on the curve (`roc.utils.thr.idx`), which classifies every score exactly as counting does.
 */
export function coordsAtThreshold(
  cases: ArrayLike<number>,
  controls: ArrayLike<number>,
  threshold: number,
  direction: RocDirection,
): RocCoords {
  if (Number.isNaN(threshold)) throw new Error("ROC coordinates: the threshold is NaN");
  let tp = 0;
  for (let i = 0; i < cases.length; i++) if (isPositive(cases[i]!, threshold, direction)) tp++;
  let fp = 0;
  for (let i = 0; i < controls.length; i++)
    if (isPositive(controls[i]!, threshold, direction)) fp++;
  const nControls = controls.length;
  return coordsFromRates(
    threshold,
    tp / cases.length,
    (nControls - fp) / nControls,
    cases.length,
    nControls,
  );
}

/** An empirical ROC curve in pROC's sorted order (ascending specificity). */
export interface RocPoints {
  thresholds: Float64Array;
  sensitivities: Float64Array;
  specificities: Float64Array;
  nCases: number;
  nControls: number;
}

/**
 * Empirical ROC curve of two samples (pROC `roc.utils.thresholds` + `roc.utils.perfs.all`, then
 * `sort.roc`): thresholds at the midpoints of the sorted unique scores plus ±Inf; for "<" the
 * points come in ascending threshold order, for ">" in descending order (both = ascending
 * specificity, the order in which pROC lists tied optima). Cases and controls need not be sorted.
 */
export function rocPoints(
  cases: ArrayLike<number>,
  controls: ArrayLike<number>,
  direction: RocDirection,
): RocPoints {
  const nCases = cases.length;
  const nControls = controls.length;
  const all = new Float64Array(nCases + nControls);
  for (let i = 0; i < nControls; i++) all[i] = controls[i]!;
  for (let i = 0; i < nCases; i++) all[nControls + i] = cases[i]!;
  const ascending = rocThresholds(all, direction);
  const sc = Float64Array.from(cases).sort();
  const sn = Float64Array.from(controls).sort();
  const m = ascending.length;
  const thresholds = new Float64Array(m);
  const se = new Float64Array(m);
  const sp = new Float64Array(m);
  // Two pointers over the sorted samples: below = #(values < t) ("<") or #(values <= t) (">").
  let ic = 0;
  let in_ = 0;
  for (let k = 0; k < m; k++) {
    const t = ascending[k]!;
    if (direction === "<") {
      while (ic < nCases && sc[ic]! < t) ic++;
      while (in_ < nControls && sn[in_]! < t) in_++;
      thresholds[k] = t;
      se[k] = (nCases - ic) / nCases;
      sp[k] = in_ / nControls;
    } else {
      while (ic < nCases && sc[ic]! <= t) ic++;
      while (in_ < nControls && sn[in_]! <= t) in_++;
      // Ascending specificity for ">" is descending threshold: fill from the end.
      const j = m - 1 - k;
      thresholds[j] = t;
      se[j] = ic / nCases;
      sp[j] = (nControls - in_) / nControls;
    }
  }
  return { thresholds, sensitivities: se, specificities: sp, nCases, nControls };
}

/**
 * Full AUC by the trapezoidal rule over the points in ascending specificity (pROC `auc.roc`:
 * sum of (se[k] + se[k+1])/2 · (sp[k+1] − sp[k])). Equals the Mann–Whitney AUC up to rounding.
 */
export function trapezoidAuc(points: RocPoints): number {
  const se = points.sensitivities;
  const sp = points.specificities;
  let sum = 0;
  for (let k = 0; k + 1 < se.length; k++)
    sum += ((se[k + 1]! + se[k]!) / 2) * (sp[k + 1]! - sp[k]!);
  return sum;
}

/**
 * The same trapezoidal AUC from ascending-sorted samples in one merge pass (no thresholds built):
 * the points of the curve, in ascending specificity, are the counts after each group of tied
 * values is passed ("<": from the lowest value up; ">": from the highest down), so every se, sp
 * and summand is the same double as `trapezoidAuc(rocPoints(...))`. For the bootstrap's inner loop.
 */
export function sortedSamplesAuc(
  sortedCases: Float64Array,
  sortedControls: Float64Array,
  direction: RocDirection,
): number {
  const m = sortedCases.length;
  const n = sortedControls.length;
  const up = direction === "<";
  // Next value to pass in each sample (walking up for "<", down for ">"); ±Inf when exhausted.
  let i = up ? 0 : m - 1;
  let j = up ? 0 : n - 1;
  const step = up ? 1 : -1;
  const end = up ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
  let tp = m;
  let tn = 0;
  let se = 1;
  let sp = 0;
  let sum = 0;
  for (let left = m + n; left > 0; ) {
    const a = i >= 0 && i < m ? sortedCases[i]! : end;
    const b = j >= 0 && j < n ? sortedControls[j]! : end;
    const u = up ? Math.min(a, b) : Math.max(a, b);
    while (i >= 0 && i < m && sortedCases[i] === u) {
      tp--;
      i += step;
      left--;
    }
    while (j >= 0 && j < n && sortedControls[j] === u) {
      tn++;
      j += step;
      left--;
    }
    const se2 = tp / m;
    const sp2 = tn / n;
    sum += ((se2 + se) / 2) * (sp2 - sp);
    se = se2;
    sp = sp2;
  }
  return sum;
}

/** pROC `best.weights` = (cost of a false negative relative to a false positive, prevalence). */
export type BestWeights = readonly [number, number];

/**
 * Every Youden optimum of a curve, in the curve's order (pROC `coords(x = "best", best.method =
 * "youden", best.weights)`): criterion se + r·sp, r = (1 − w2)/(w1·w2) (r = 1 by default), kept
 * where it equals its maximum exactly.
 */
export function youdenOptima(points: RocPoints, weights: BestWeights = [1, 0.5]): RocCoords[] {
  const [w1, w2] = weights;
  if (!(w2 > 0 && w2 < 1)) throw new Error(`best.weights: prevalence ${w2} must lie in (0, 1)`);
  const r = (1 - w2) / (w1 * w2);
  const se = points.sensitivities;
  const sp = points.specificities;
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < se.length; k++) {
    const c = se[k]! + r * sp[k]!;
    if (c > max) max = c;
  }
  const out: RocCoords[] = [];
  for (let k = 0; k < se.length; k++) {
    if (se[k]! + r * sp[k]! === max) {
      out.push(
        coordsFromRates(points.thresholds[k]!, se[k]!, sp[k]!, points.nCases, points.nControls),
      );
    }
  }
  return out;
}
