/**
 * ComBat's parametric empirical-Bayes batch adjustments (Johnson et al. 2007, section 3.1: normal
 * prior on gamma, inverse-gamma prior on delta), computed exactly as sva 3.46's `it.sol`:
 * starting from (gamma_hat, delta_hat), repeat
 *   gamma_new = (t2 n gamma_hat + delta_old gamma_bar) / (t2 n + delta_old)        (postmean)
 *   delta_new = (0.5 sum_k (s_k - gamma_new)^2 + b) / (n / 2 + a - 1)               (postvar)
 *   change    = max over features of |gamma_new - gamma_old| / gamma_old and
 *               |delta_new - delta_old| / delta_old
 * while change > conv (1e-4). The denominators are signed, as in sva: a feature whose gamma_old is
 * negative contributes a negative term, so sva stops well before the fixed point (after 3-8
 * iterations on radiomics tables) and its output is that iterate; reproducing the rule, not the
 * fixed point, is what makes the harmonised values agree with R to ~1e-12.
 * A term 0 / 0 (no change of a zero gamma) counts as no change; sva's loop would stop with an error.
 * mean.only: gamma_star = postmean with n = 1 and delta = 1, i.e. (t2 gamma_hat + gamma_bar) / (t2 + 1),
 * delta_star = 1, no iteration.
 */

export interface Posterior {
  gammaStar: Float64Array;
  deltaStar: Float64Array;
  /** it.sol's iteration count (null for the closed-form mean-only posterior). */
  iterations: number | null;
}

export interface ItSolOptions {
  convergence: number;
  maxIterations: number;
  /** Names the batch in errors. */
  batch: string;
}

/**
 * it.sol on one batch: `sBatch` = the batch's standardised data, features x its samples.
 */
export function parametricPosterior(
  sBatch: readonly Float64Array[],
  gammaHat: Float64Array,
  deltaHat: Float64Array,
  gammaBar: number,
  t2: number,
  a: number,
  b: number,
  options: ItSolOptions,
): Posterior {
  const G = sBatch.length;
  if (!Number.isFinite(a) || !Number.isFinite(b))
    throw new Error(
      `ComBat: batch '${options.batch}': the inverse-gamma prior of the variances is undefined (a = ${a}, b = ${b}: the features' delta_hat have no spread); use the non-parametric or the mean-only adjustment`,
    );
  let gammaOld = Float64Array.from(gammaHat);
  let deltaOld = Float64Array.from(deltaHat);
  let gammaNew = gammaOld;
  let deltaNew = deltaOld;
  let change = 1;
  let count = 0;
  while (change > options.convergence) {
    if (count >= options.maxIterations)
      throw new Error(
        `ComBat: batch '${options.batch}': the parametric estimates did not converge in ${options.maxIterations} iterations (relative change ${change})`,
      );
    gammaNew = new Float64Array(G);
    deltaNew = new Float64Array(G);
    change = Number.NEGATIVE_INFINITY;
    for (let g = 0; g < G; g++) {
      const row = sBatch[g]!;
      const n = row.length;
      const dOld = deltaOld[g]!;
      const gNew = (t2 * n * gammaHat[g]! + dOld * gammaBar) / (t2 * n + dOld);
      let sum2 = 0;
      for (let k = 0; k < n; k++) {
        const r = row[k]! - gNew;
        sum2 += r * r;
      }
      const dNew = (0.5 * sum2 + b) / (n / 2 + a - 1);
      gammaNew[g] = gNew;
      deltaNew[g] = dNew;
      const cg = relativeChange(gNew, gammaOld[g]!);
      const cd = relativeChange(dNew, dOld);
      if (Number.isNaN(cg) || Number.isNaN(cd))
        throw new Error(
          `ComBat: batch '${options.batch}', feature ${g + 1}: the parametric update is not a number`,
        );
      if (cg > change) change = cg;
      if (cd > change) change = cd;
    }
    gammaOld = gammaNew;
    deltaOld = deltaNew;
    count++;
  }
  return { gammaStar: gammaNew, deltaStar: deltaNew, iterations: count };
}

/** |new - old| / old with sva's signed denominator; 0 / 0 counts as no change. */
function relativeChange(next: number, old: number): number {
  const diff = Math.abs(next - old);
  return diff === 0 ? 0 : diff / old;
}

/** sva's mean.only parametric posterior: postmean(gamma_hat, gamma_bar, n = 1, delta = 1, t2). */
export function meanOnlyPosterior(gammaHat: Float64Array, gammaBar: number, t2: number): Posterior {
  const gammaStar = Float64Array.from(gammaHat, (g) => (t2 * 1 * g + 1 * gammaBar) / (t2 * 1 + 1));
  return { gammaStar, deltaStar: new Float64Array(gammaHat.length).fill(1), iterations: null };
}
