/**
 * Separation detection (Albert & Anderson 1984): complete or quasi-complete separation diagnosed
 * from the fitted probabilities (numerically 0 or 1), where R's `glm.fit` only warns "fitted
 * probabilities numerically 0 or 1 occurred".
 * Pure TypeScript: runs in the browser.
 */

/** Separation diagnosis (Albert & Anderson 1984): none, quasi-complete or complete. */
export type SeparationKind = "none" | "quasi-complete" | "complete";

/** Diagnoses separation from a converged-or-not fit (fitted probabilities numerically 0 or 1). */
export function diagnoseSeparation(
  y: Float64Array,
  mu: Float64Array,
  w: Float64Array,
): SeparationKind {
  const eps = 1e-8;
  let perfect = 0;
  let used = 0;
  for (let i = 0; i < y.length; i++) {
    if (!(w[i]! > 0)) continue;
    used++;
    const m = mu[i]!;
    if ((y[i] === 1 && m > 1 - eps) || (y[i] === 0 && m < eps)) perfect++;
  }
  if (used > 0 && perfect === used) return "complete";
  return perfect > 0 ? "quasi-complete" : "none";
}
