/**
 * ComBat's adjustment of samples with frozen estimates (Johnson et al. 2007, eq. 3.1; sva::ComBat
 * 3.46 "Adjusting the Data", and its `dat_test` branch for new samples):
 *   s_k        = (y_k - stand_mean_k) / sqrt(var_pooled)
 *   adjusted_k = (s_k - gamma_star[batch k]) / sqrt(delta_star[batch k]) * sqrt(var_pooled) + stand_mean_k
 * with stand_mean_k = grand mean + the sample's covariate part of the fit. With a reference batch,
 * a sample's batch-design row is its own indicator plus the reference column, whose gamma_star is
 * 0, and the reference batch's samples are returned unchanged. Features flagged unadjusted are
 * copied. The same function adjusts the fitted samples and new ones, so applying a fitted model to
 * its own samples reproduces the fit's output bit for bit.
 */
import { standMean } from "./standardise.js";

/** The estimates an adjustment needs (per-batch arrays: batches in level order x features). */
export interface FrozenEstimates {
  nBatch: number;
  /** Reference batch index, or -1. */
  reference: number;
  bHat: readonly ArrayLike<number>[];
  grandMean: ArrayLike<number>;
  varPooled: ArrayLike<number>;
  gammaStar: readonly ArrayLike<number>[];
  deltaStar: readonly ArrayLike<number>[];
  /** 1 for a feature copied unchanged. */
  unadjusted: Uint8Array;
}

/**
 * Adjusted samples x features. `data` is samples x features, `batchOf` each sample's batch index,
 * `covariateRows` each sample's values of the model's covariate terms.
 */
export function adjustSamples(
  data: readonly ArrayLike<number>[],
  batchOf: Int32Array,
  covariateRows: readonly Float64Array[],
  e: FrozenEstimates,
): Float64Array[] {
  const G = e.grandMean.length;
  const sd = Float64Array.from(e.varPooled, Math.sqrt);
  return data.map((y, k) => {
    const out = Float64Array.from(y);
    const b = batchOf[k]!;
    if (b === e.reference) return out;
    const gammaStar = e.gammaStar[b]!;
    const deltaStar = e.deltaStar[b]!;
    const cov = covariateRows[k]!;
    for (let g = 0; g < G; g++) {
      if (e.unadjusted[g] === 1) continue;
      const m = standMean(e.grandMean[g]!, e.bHat, e.nBatch, cov, g);
      const s = (y[g]! - m) / sd[g]!;
      out[g] = ((s - gammaStar[g]!) / Math.sqrt(deltaStar[g]!)) * sd[g]! + m;
    }
    return out;
  });
}
