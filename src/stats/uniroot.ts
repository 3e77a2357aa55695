/**
 * R `uniroot` with its defaults (zeroin.c's R_zeroin2 via ./zeroin.ts), as fisher.test uses it for
 * the conditional MLE and CI of the odds ratio.
 */
import { DBL_EPSILON, DBL_MAX } from "./hypothesis-common.js";
import { zeroin } from "./zeroin.js";

/**
 * R `uniroot(f, c(lower, upper))` with its defaults (tol = DBL_EPSILON^0.25, maxiter 1000):
 * Brent's zeroin as in R's zeroin.c (R_zeroin2, with f(lower), f(upper) given and non-finite
 * function values replaced by ±DBL_MAX).
 */
export function uniroot(
  f: (x: number) => number,
  lower: number,
  upper: number,
  tol = DBL_EPSILON ** 0.25,
  maxiter = 1000,
): number {
  const ff = (x: number): number => {
    const v = f(x);
    if (Number.isNaN(v)) throw new Error(`uniroot: function value is NaN at ${x}`);
    if (v === Number.NEGATIVE_INFINITY) return -DBL_MAX;
    if (v === Number.POSITIVE_INFINITY) return DBL_MAX;
    return v;
  };
  const fa = ff(lower);
  const fb = ff(upper);
  if (!(Math.sign(fa) * Math.sign(fb) <= 0)) {
    throw new Error(
      `uniroot: f() values at the end points ${lower}, ${upper} are not of opposite sign`,
    );
  }
  return zeroin(ff, lower, upper, fa, fb, tol, maxiter);
}
