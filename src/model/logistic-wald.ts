/**
 * Wald confidence intervals and odds ratios: estimate ± Φ⁻¹((1+level)/2)·SE as R's
 * `confint.default` (or statsmodels `conf_int` with the Hessian SE), and the
 * `ConfidenceIntervals` shape (log-odds and odds-ratio scale) every interval method returns.
 * The Wald z and P values themselves are computed with the fit (logistic-fit.ts).
 * Pure TypeScript: runs in the browser.
 */
import { normalQuantileStd } from "./logistic-distributions.js";
import type { LogisticFit } from "./logistic-types.js";

export interface ConfidenceIntervals {
  /** Lower / upper bounds on the coefficient (log-odds) scale. */
  lower: Float64Array;
  upper: Float64Array;
  /** exp() of the bounds: odds-ratio scale. */
  oddsRatioLower: Float64Array;
  oddsRatioUpper: Float64Array;
}

export function withOddsRatios(lower: Float64Array, upper: Float64Array): ConfidenceIntervals {
  return { lower, upper, oddsRatioLower: lower.map(Math.exp), oddsRatioUpper: upper.map(Math.exp) };
}

/**
 * Wald intervals estimate ± Φ⁻¹((1+level)/2)·SE (R `confint.default`), with the R summary.glm SE
 * (`useHessian` false, default) or the Hessian-at-the-MLE SE (statsmodels `conf_int`).
 */
export function waldIntervals(
  fit: LogisticFit,
  level = 0.95,
  useHessian = false,
): ConfidenceIntervals {
  const q = normalQuantileStd(1 - (1 - level) / 2);
  const se = useHessian ? fit.standardErrorsHessian : fit.standardErrors;
  const lower = fit.coefficients.map((b, j) => b - q * se[j]!);
  const upper = fit.coefficients.map((b, j) => b + q * se[j]!);
  return withOddsRatios(lower, upper);
}
