/**
 * ComBat's per-batch location / scale estimates and their empirical hyper-priors (Johnson et al.
 * 2007, section 3.1; sva::ComBat 3.46 "Fitting L/S model and finding priors"):
 *   gamma_hat = (BD'BD)^-1 BD's   (least squares of the standardised data on the batch columns:
 *               the batch mean of s; with a reference batch mean_b(s) - mean_ref(s))
 *   delta_hat[b] = sample variance (n_b - 1) of s over batch b   (mean.only: 1)
 *   gamma_bar[b], t2[b] = mean and variance (G - 1) of gamma_hat[b] over the G features
 *   a[b] = (2 v + m^2) / v,  b[b] = (m v + m^3) / v,  m, v = mean and variance (G - 1) of delta_hat[b]
 *   (method of moments of the inverse-gamma prior; sva's aprior / bprior).
 */
import type { CombatDesign } from "./design.js";
import { solveNormalEquations } from "./linear-algebra.js";

export interface BatchEffects {
  /** Batches x features. */
  gammaHat: Float64Array[];
  deltaHat: Float64Array[];
  gammaBar: Float64Array;
  t2: Float64Array;
  aPrior: Float64Array;
  bPrior: Float64Array;
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

/** Sample variance (denominator length - 1), two-pass. */
export function sampleVariance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - m;
    s += d * d;
  }
  return s / (x.length - 1);
}

export function estimateBatchEffects(
  s: readonly Float64Array[],
  design: CombatDesign,
  meanOnly: boolean,
): BatchEffects {
  const nBatch = design.levels.length;
  const G = s.length;
  const gammaHat = solveNormalEquations(design.columns.slice(0, nBatch), s);
  const deltaHat = design.samplesOf.map((samples) => {
    const d = new Float64Array(G);
    if (meanOnly) return d.fill(1);
    const values = new Float64Array(samples.length);
    for (let g = 0; g < G; g++) {
      const row = s[g]!;
      for (let i = 0; i < samples.length; i++) values[i] = row[samples[i]!]!;
      d[g] = sampleVariance(values);
    }
    return d;
  });
  const gammaBar = Float64Array.from(gammaHat, mean);
  const t2 = Float64Array.from(gammaHat, sampleVariance);
  const aPrior = Float64Array.from(deltaHat, (d) => {
    const m = mean(d);
    const v = sampleVariance(d);
    return (2 * v + m * m) / v;
  });
  const bPrior = Float64Array.from(deltaHat, (d) => {
    const m = mean(d);
    const v = sampleVariance(d);
    return (m * v + m * m * m) / v;
  });
  return { gammaHat, deltaHat, gammaBar, t2, aPrior, bPrior };
}
