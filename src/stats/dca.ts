/**
 * Decision curve analysis (Vickers & Elkin 2006, Med Decis Making 26:565-574): the net benefit of
 * treating patients whose predicted probability reaches a threshold probability pt,
 *   NB(pt) = TP/n − FP/n · pt/(1 − pt),
 * against treating everyone, NB_all(pt) = prevalence − (1 − prevalence) · pt/(1 − pt), and no one
 * (NB = 0); standardized net benefit sNB = NB / prevalence (Kerr et al. 2016, Med Decis Making
 * 36:536-542). Same definitions as R's dcurves / rmda. Pure TypeScript.
 */

export interface NetBenefitCurve {
  /** True / false positives at each threshold (treated: p >= pt). */
  tp: Float64Array;
  fp: Float64Array;
  netBenefit: Float64Array;
  standardizedNetBenefit: Float64Array;
}

export interface StrategyCurve {
  netBenefit: Float64Array;
  standardizedNetBenefit: Float64Array;
}

export interface DecisionCurveResult {
  thresholds: Float64Array;
  n: number;
  prevalence: number;
  /** One curve per model, in the order given. */
  models: { name: string; curve: NetBenefitCurve }[];
  treatAll: StrategyCurve;
  treatNone: StrategyCurve;
}

/** Threshold grid pt = i / denominator for i = from..to, each computed as one division (not by repeated addition). */
export function thresholdGrid(from = 1, to = 99, denominator = 100): Float64Array {
  if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) {
    throw new Error(`thresholdGrid: need integers from <= to, got ${from} .. ${to}`);
  }
  const out = new Float64Array(to - from + 1);
  for (let i = from; i <= to; i++) out[i - from] = i / denominator;
  return out;
}

function checkThresholds(thresholds: ArrayLike<number>): void {
  for (let k = 0; k < thresholds.length; k++) {
    const pt = thresholds[k]!;
    if (!(pt > 0 && pt < 1))
      throw new Error(`decision curve: threshold ${k + 1} is ${pt}, not in (0, 1)`);
  }
}

function checkOutcome(y: ArrayLike<number>): number {
  let events = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) events++;
    else if (y[i] !== 0) throw new Error(`decision curve: outcome ${i + 1} is ${y[i]}, not 0 or 1`);
  }
  if (y.length === 0) throw new Error("decision curve: no patients");
  return events;
}

/**
 * Net benefit of one model: a patient is treated when p >= pt; NB = TP/n − FP/n·pt/(1 − pt)
 * (evaluated left to right as in R: ((FP/n)·pt)/(1 − pt)); sNB = NB / prevalence.
 */
export function netBenefit(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  thresholds: ArrayLike<number>,
): NetBenefitCurve {
  if (p.length !== y.length)
    throw new Error(`netBenefit: ${p.length} probabilities but ${y.length} outcomes`);
  checkThresholds(thresholds);
  const events = checkOutcome(y);
  const n = y.length;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(p[i]!)) throw new Error(`netBenefit: probability ${i + 1} is missing (NaN)`);
  }
  const prevalence = events / n;
  const m = thresholds.length;
  const curve: NetBenefitCurve = {
    tp: new Float64Array(m),
    fp: new Float64Array(m),
    netBenefit: new Float64Array(m),
    standardizedNetBenefit: new Float64Array(m),
  };
  for (let k = 0; k < m; k++) {
    const pt = thresholds[k]!;
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < n; i++) {
      if (p[i]! >= pt) {
        if (y[i] === 1) tp++;
        else fp++;
      }
    }
    const nb = tp / n - ((fp / n) * pt) / (1 - pt);
    curve.tp[k] = tp;
    curve.fp[k] = fp;
    curve.netBenefit[k] = nb;
    curve.standardizedNetBenefit[k] = nb / prevalence;
  }
  return curve;
}

/** Treat all: NB = prevalence − ((1 − prevalence)·pt)/(1 − pt); sNB = NB / prevalence. */
export function treatAllNetBenefit(
  prevalence: number,
  thresholds: ArrayLike<number>,
): StrategyCurve {
  checkThresholds(thresholds);
  const m = thresholds.length;
  const netBenefit = new Float64Array(m);
  const standardizedNetBenefit = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const pt = thresholds[k]!;
    netBenefit[k] = prevalence - ((1 - prevalence) * pt) / (1 - pt);
    standardizedNetBenefit[k] = netBenefit[k]! / prevalence;
  }
  return { netBenefit, standardizedNetBenefit };
}

/**
 * Decision curves of several models on the same patients, with the treat-all and treat-none
 * strategies. Every probability vector must have one value per outcome.
 */
export function decisionCurves(
  y: ArrayLike<number>,
  models: { name: string; p: ArrayLike<number> }[],
  thresholds: ArrayLike<number> = thresholdGrid(),
): DecisionCurveResult {
  const events = checkOutcome(y);
  const n = y.length;
  const prevalence = events / n;
  const m = thresholds.length;
  return {
    thresholds: Float64Array.from(thresholds),
    n,
    prevalence,
    models: models.map(({ name, p }) => {
      if (p.length !== n)
        throw new Error(
          `decisionCurves: model '${name}' has ${p.length} probabilities for ${n} patients`,
        );
      return { name, curve: netBenefit(p, y, thresholds) };
    }),
    treatAll: treatAllNetBenefit(prevalence, thresholds),
    treatNone: { netBenefit: new Float64Array(m), standardizedNetBenefit: new Float64Array(m) },
  };
}
