/**
 * Wald inference for the logistic model: the two covariances a fit reports (R `summary.glm`'s
 * (X'WX)⁻¹ from the last IRLS iteration, computed in logistic-irls.ts, and the inverse Hessian at
 * the final estimate, as statsmodels `Logit`), SE / z / P from a covariance (R `summary.glm`:
 * `s.err = sqrt(diag(covmat))`, `z = coef / s.err`, `P = 2 * pnorm(-abs(z))`), Wald confidence
 * intervals estimate ± Φ⁻¹((1+level)/2)·SE (R `confint.default`, statsmodels `conf_int`) and the
 * `ConfidenceIntervals` shape (log-odds and odds-ratio scale) every interval method returns.
 * Pure TypeScript: runs in the browser.
 */
import { normalQuantileStd, twoSidedNormalP } from "./logistic-distributions.js";
import { invertSpd } from "./logistic-qr.js";
import type {
  LogisticCovariance,
  LogisticData,
  LogisticFit,
  WaldInference,
} from "./logistic-types.js";

export interface ConfidenceIntervals {
  /** Lower / upper bounds on the coefficient (log-odds) scale. */
  lower: Float64Array;
  upper: Float64Array;
  /** exp() of the bounds: odds-ratio scale. */
  oddsRatioLower: Float64Array;
  oddsRatioUpper: Float64Array;
}

export const COVARIANCE_METHODS: readonly LogisticCovariance[] = ["irls", "hessian"];

/** Checks a caller's `covariance` option (also for untyped callers); default `"irls"`. */
export function covarianceMethodOf(value: unknown): LogisticCovariance {
  if (value === undefined) return "irls";
  if (value === "irls" || value === "hessian") return value;
  throw new Error(
    `logistic: covariance must be "irls" (R summary.glm, last IRLS weights) or "hessian" (inverse Hessian at the final estimate), got ${JSON.stringify(value)}`,
  );
}

/** SE = √diag(V), z = β / SE, P = 2·Φ(−|z|) (R `summary.glm`'s coefficient table). */
export function waldInference(
  coefficients: Float64Array,
  covariance: Float64Array[],
): WaldInference {
  const p = coefficients.length;
  const standardErrors = new Float64Array(p);
  const zValues = new Float64Array(p);
  const pValues = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    standardErrors[j] = Math.sqrt(covariance[j]![j]!);
    zValues[j] = coefficients[j]! / standardErrors[j]!;
    pValues[j] = twoSidedNormalP(zValues[j]!);
  }
  return { covariance, standardErrors, zValues, pValues };
}

/**
 * Inverse observed information at the fitted probabilities μ: (X' diag(wᵢ·μᵢ(1−μᵢ)) X)⁻¹ with the
 * prior weights w (the logit link is canonical, so observed = expected information). `null` when
 * that matrix is not positive definite (fitted probabilities at 0 or 1).
 */
export function hessianCovariance(data: LogisticData, mu: Float64Array): Float64Array[] | null {
  const { n, p, columns, weights } = data;
  const H: Float64Array[] = Array.from({ length: p }, () => new Float64Array(p));
  for (let i = 0; i < n; i++) {
    const m = mu[i]!;
    const wi = weights[i]! * m * (1 - m);
    if (wi === 0) continue;
    for (let a = 0; a < p; a++) {
      const xa = columns[a * n + i]! * wi;
      for (let b = 0; b <= a; b++) H[a]![b] = H[a]![b]! + xa * columns[b * n + i]!;
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) H[b]![a] = H[a]![b]!;
  try {
    return invertSpd(H, p);
  } catch {
    return null;
  }
}

export function withOddsRatios(lower: Float64Array, upper: Float64Array): ConfidenceIntervals {
  return { lower, upper, oddsRatioLower: lower.map(Math.exp), oddsRatioUpper: upper.map(Math.exp) };
}

/**
 * Wald intervals estimate ± Φ⁻¹((1+level)/2)·SE (R `confint.default`). `covariance` picks the SE:
 * `"irls"` (R summary.glm), `"hessian"` (statsmodels `conf_int`), default the fit's own
 * `covarianceMethod`; the booleans of earlier callers mean `true` = `"hessian"`, `false` = `"irls"`.
 */
export function waldIntervals(
  fit: LogisticFit,
  level = 0.95,
  covariance: LogisticCovariance | boolean = fit.covarianceMethod,
): ConfidenceIntervals {
  const method =
    typeof covariance === "boolean"
      ? covariance
        ? "hessian"
        : "irls"
      : covarianceMethodOf(covariance);
  const q = normalQuantileStd(1 - (1 - level) / 2);
  const se = fit.inference[method].standardErrors;
  const lower = fit.coefficients.map((b, j) => b - q * se[j]!);
  const upper = fit.coefficients.map((b, j) => b + q * se[j]!);
  return withOddsRatios(lower, upper);
}
