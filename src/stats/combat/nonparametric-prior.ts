/**
 * ComBat's non-parametric empirical-Bayes batch adjustments (Johnson et al. 2007, section 3.2),
 * as sva 3.46's `int.eprior`: the prior of feature i is the empirical distribution of the other
 * features' (gamma_hat_j, delta_hat_j) in the same batch, so the posterior means are weighted
 * averages over those G - 1 points,
 *   w_j = (2 pi delta_j)^(-n/2) exp(-sum_k (s_ik - gamma_j)^2 / (2 delta_j))    (n = batch size)
 *   gamma_star_i = sum_j w_j gamma_j / sum_j w_j,   delta_star_i = sum_j w_j delta_j / sum_j w_j.
 * sva evaluates w_j directly; here log w_j is evaluated and shifted by its maximum before exp
 * (the ratio is unchanged, it cannot underflow for large batches; weights below e^-64 of the
 * largest, which cannot change the sums, are skipped), and
 * sum_k (s_ik - gamma_j)^2 = SS_i + n (mean_i - gamma_j)^2 with SS_i the centred sum of squares of
 * feature i, which makes a batch O(G^2) instead of O(G^2 n). A weight that is not a number counts
 * as 0 (sva: LH[LH == "NaN"] = 0). No iteration. mean.only: delta_hat = 1 is passed in.
 */
import type { Posterior } from "./parametric-prior.js";

export function nonparametricPosterior(
  sBatch: readonly Float64Array[],
  gammaHat: Float64Array,
  deltaHat: Float64Array,
  batch: string,
): Posterior {
  const G = sBatch.length;
  const n = sBatch[0]!.length;
  const halfN = n / 2;
  // Per prior point j: the normalising constant's log and 1 / (2 delta_j).
  const logNorm = Float64Array.from(deltaHat, (d) => -halfN * Math.log(2 * Math.PI * d));
  const inv2d = Float64Array.from(deltaHat, (d) => 1 / (2 * d));
  const logW = new Float64Array(G);
  const gammaStar = new Float64Array(G);
  const deltaStar = new Float64Array(G);
  for (let i = 0; i < G; i++) {
    const row = sBatch[i]!;
    let m = 0;
    for (let k = 0; k < n; k++) m += row[k]!;
    m /= n;
    let ss = 0;
    for (let k = 0; k < n; k++) {
      const d = row[k]! - m;
      ss += d * d;
    }
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < G; j++) {
      if (j === i) continue;
      const dm = m - gammaHat[j]!;
      const l = logNorm[j]! - (ss + n * dm * dm) * inv2d[j]!;
      logW[j] = l;
      if (l > max) max = l;
    }
    if (!Number.isFinite(max))
      throw new Error(
        `ComBat: batch '${batch}', feature ${i + 1}: no other feature gives it a positive likelihood (non-parametric prior)`,
      );
    let sw = 0;
    let sg = 0;
    let sd = 0;
    for (let j = 0; j < G; j++) {
      if (j === i) continue;
      const l = logW[j]! - max;
      // e^-64 = 1.6e-28 of the largest weight (which is 1): below the sums' rounding, skip the exp.
      if (!(l > -64)) continue;
      const w = Math.exp(l);
      sw += w;
      sg += w * gammaHat[j]!;
      sd += w * deltaHat[j]!;
    }
    gammaStar[i] = sg / sw;
    deltaStar[i] = sd / sw;
  }
  return { gammaStar, deltaStar, iterations: null };
}
