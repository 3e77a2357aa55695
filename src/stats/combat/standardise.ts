/**
 * ComBat's standardisation step (Johnson et al. 2007, eq. 2.1-2.2; sva::ComBat 3.46 "Standardize
 * Data across genes"), on features x samples data Y and the design D (batch columns first):
 *   B = (D'D)^-1 D'Y                        (least squares, all samples)
 *   grand mean  = sum_b n_b / n * B[b]      (reference batch: B[ref])
 *   var_pooled  = sum_k (Y_k - D_k B)^2 / n (reference batch: over its samples, / n_ref)
 *   stand_mean_k = grand mean + sum_c x_kc B[c]   (covariate columns c only)
 *   s_k = (Y_k - stand_mean_k) / sqrt(var_pooled)
 * The pooled variance divides by n, not n - p, exactly as sva.
 */
import type { CombatDesign } from "./design.js";
import { solveNormalEquations } from "./linear-algebra.js";

export interface Standardised {
  /** Design terms x features. */
  bHat: Float64Array[];
  grandMean: Float64Array;
  varPooled: Float64Array;
  /** Standardised data, features x samples. */
  s: Float64Array[];
}

/** The location a sample is standardised around: grand mean + its covariates' part of the fit. */
export function standMean(
  grandMean: number,
  bHat: readonly ArrayLike<number>[],
  nBatch: number,
  covariateRow: ArrayLike<number>,
  feature: number,
): number {
  let part = 0;
  for (let c = 0; c < covariateRow.length; c++)
    part += covariateRow[c]! * bHat[nBatch + c]![feature]!;
  return grandMean + part;
}

export function standardise(
  rows: readonly Float64Array[],
  design: CombatDesign,
  features: readonly string[],
): Standardised {
  const nBatch = design.levels.length;
  const n = design.batchOf.length;
  const bHat = solveNormalEquations(design.columns, rows);
  const G = rows.length;
  const grandMean = new Float64Array(G);
  if (design.reference >= 0) grandMean.set(bHat[design.reference]!);
  else {
    for (let b = 0; b < nBatch; b++) {
      const w = design.samplesOf[b]!.length / n;
      const coef = bHat[b]!;
      for (let g = 0; g < G; g++) grandMean[g] = grandMean[g]! + w * coef[g]!;
    }
  }
  const pooledOver = design.reference >= 0 ? design.samplesOf[design.reference]! : null;
  const nPooled = pooledOver ? pooledOver.length : n;
  const weight = 1 / nPooled;
  const p = design.columns.length;
  const varPooled = new Float64Array(G);
  const s: Float64Array[] = [];
  for (let g = 0; g < G; g++) {
    const y = rows[g]!;
    let acc = 0;
    let total = 0;
    let mean = 0;
    for (let i = 0; i < nPooled; i++) mean += y[pooledOver ? pooledOver[i]! : i]!;
    mean /= nPooled;
    for (let i = 0; i < nPooled; i++) {
      const k = pooledOver ? pooledOver[i]! : i;
      let fitted = 0;
      for (let c = 0; c < p; c++) fitted += design.columns[c]![k]! * bHat[c]![g]!;
      const r = y[k]! - fitted;
      acc += r * r * weight;
      const d = y[k]! - mean;
      total += d * d * weight;
    }
    // A residual SD below 1e-10 of the feature's SD is rounding noise of an exact fit.
    if (!Number.isFinite(acc) || !(acc > 1e-20 * total))
      throw new Error(
        `ComBat: feature '${features[g]}' has ${Number.isFinite(acc) ? "no residual variance" : "a non-finite residual variance"} after the batch${design.covariateTerms.length > 0 ? " and covariate" : ""} fit${pooledOver ? " in the reference batch" : ""} (the design explains it exactly), so it cannot be standardised`,
      );
    varPooled[g] = acc;
    const sd = Math.sqrt(acc);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++)
      out[k] = (y[k]! - standMean(grandMean[g]!, bHat, nBatch, design.covariateRows[k]!, g)) / sd;
    s.push(out);
  }
  return { bHat, grandMean, varPooled, s };
}
