/**
 * Separation of a maximum-likelihood logistic fit (Albert & Anderson 1984): complete,
 * quasi-complete or none. A separated fit drives some fitted probabilities to 0 or 1 (R's glm
 * only warns "fitted probabilities numerically 0 or 1 occurred"), but so can a fit whose estimates
 * are finite and merely extreme: when the fitted probabilities point that way (or the fit did not
 * converge), the exact linear-programming check (separation-lp.ts, Konis 2007) decides.
 * Pure TypeScript: runs in the browser.
 */
import { checkSeparation } from "./separation-lp.js";

/** Separation diagnosis (Albert & Anderson 1984): none, quasi-complete or complete. */
export type SeparationKind = "none" | "quasi-complete" | "complete";

/** Fitted probability within this of 0 or 1 of an observation's outcome: "perfectly predicted". */
const BOUNDARY = 1e-8;

/** Whether some used observation's fitted probability is numerically its own outcome (0 or 1). */
export function hasBoundaryFit(
  y: ArrayLike<number>,
  mu: ArrayLike<number>,
  w: ArrayLike<number>,
): boolean {
  for (let i = 0; i < y.length; i++) {
    if (!(w[i]! > 0)) continue;
    const m = mu[i]!;
    if ((y[i] === 1 && m > 1 - BOUNDARY) || (y[i] === 0 && m < BOUNDARY)) return true;
  }
  return false;
}

/**
 * Separation of a fit on the column-major n x p design `columns` (intercept column included when
 * fitted): "none" without a boundary fit after convergence, else the exact check's answer.
 */
export function diagnoseSeparation(
  columns: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  mu: Float64Array,
  w: Float64Array,
  converged: boolean,
): SeparationKind {
  if (converged && !hasBoundaryFit(y, mu, w)) return "none";
  const rows = Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: p }, (_, j) => columns[j * n + i]!),
  );
  return checkSeparation(rows, y, w).kind;
}
