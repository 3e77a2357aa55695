/**
 * Profile-likelihood confidence intervals: the exact roots of the profile deviance
 * (`profileLikelihoodIntervals`, Venzon & Moolgavkar 1988, Brent's method as R's `uniroot`) and
 * MASS `confint.glm` / `profile.glm`'s spline approximation (`massProfileIntervals`); both refit
 * with one coefficient fixed through the offset, as `glm.fit`.
 * Pure TypeScript: runs in the browser.
 */
import { zeroin } from "../stats/zeroin.js";
import { chiSquareQuantile, normalQuantileStd } from "./logistic-distributions.js";
import { irls } from "./logistic-irls.js";
import { approxLinear, fmmSplinePoints } from "./logistic-spline.js";
import type { LogisticFit } from "./logistic-types.js";
import { type ConfidenceIntervals, withOddsRatios } from "./logistic-wald.js";

/** Refit with coefficient `j` fixed at `value` (its column moved into the offset). */
function constrainedFit(fit: LogisticFit, j: number, value: number, etaStart?: ArrayLike<number>) {
  const d = fit.data;
  const { n, p } = d;
  const cols = new Float64Array(n * (p - 1));
  let c = 0;
  for (let k = 0; k < p; k++) {
    if (k === j) continue;
    cols.set(d.columns.subarray(k * n, (k + 1) * n), c * n);
    c++;
  }
  const offset = new Float64Array(n);
  for (let i = 0; i < n; i++) offset[i] = d.offset[i]! + d.columns[j * n + i]! * value;
  const names = fit.terms.filter((_, k) => k !== j);
  return irls(cols, n, p - 1, d.y, d.weights, offset, d.epsilon, d.maxIterations, etaStart, names);
}

/**
 * Exact profile-likelihood intervals: for each coefficient j, the two roots of
 * D(β_j = b) − D̂ = χ²₁(level), where D(β_j = b) is the deviance with β_j fixed at b and every other
 * coefficient re-estimated (glm.fit with offset x_j·b), found by Brent's method to `tolerance`
 * (Venzon & Moolgavkar 1988). A bound that does not exist (separation, the profile deviance never
 * reaches the cut-off) is ±Infinity and a warning is added to the fit.
 */
export function profileLikelihoodIntervals(
  fit: LogisticFit,
  level = 0.95,
  tolerance = 1e-13,
): ConfidenceIntervals {
  const p = fit.coefficients.length;
  const cutoff = chiSquareQuantile(level, 1);
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const bhat = fit.coefficients[j]!;
    const se = fit.standardErrors[j]!;
    const f = (b: number) => constrainedFit(fit, j, b).deviance - fit.deviance - cutoff;
    for (const sgn of [-1, 1]) {
      let inner = bhat;
      let fInner = -cutoff;
      let step = Number.isFinite(se) && se > 0 ? se * Math.sqrt(cutoff) : 1;
      let outer = bhat + sgn * step;
      let fOuter = f(outer);
      let tries = 0;
      while (!(fOuter > 0) && tries < 60) {
        inner = outer;
        fInner = fOuter;
        step *= 2;
        outer = bhat + sgn * step;
        fOuter = f(outer);
        tries++;
      }
      let bound: number;
      if (!(fOuter > 0)) {
        bound = sgn * Number.POSITIVE_INFINITY;
        fit.warnings.push(
          `profile likelihood ${sgn < 0 ? "lower" : "upper"} bound of '${fit.terms[j]}' does not exist (separation?)`,
        );
      } else bound = zeroin(f, inner, outer, fInner, fOuter, tolerance);
      if (sgn < 0) lower[j] = bound;
      else upper[j] = bound;
    }
  }
  return withOddsRatios(lower, upper);
}

export interface MassProfileOptions {
  /** Confidence level, default 0.95. */
  level?: number;
  /** MASS `profile.glm(alpha)`; `confint.glm` uses (1 − level)/4. */
  alpha?: number;
  /** MASS `maxsteps`, default 10. */
  maxSteps?: number;
  /** Step `del` as a fraction of zmax = √χ²₁(1 − alpha); MASS default 1/5. */
  delFractionOfZmax?: number;
}

/**
 * MASS `confint.glm` (MASS 7.3, Venables & Ripley): profile the signed root deviance
 * z(b) = sign(b − β̂)·√(D(b) − D̂) at b = β̂ ± k·del·SE, k = 1, 2, … (< maxsteps, until |z| ≥ zmax),
 * each constrained fit warm-started from the previous linear predictor; interpolate b(z) by R's fmm
 * `spline` through the grid and linear `approx` at z = Φ⁻¹(α/2), Φ⁻¹(1 − α/2). An approximation
 * of `profileLikelihoodIntervals` (≈1e-4 off).
 */
export function massProfileIntervals(
  fit: LogisticFit,
  options: MassProfileOptions = {},
): ConfidenceIntervals {
  const level = options.level ?? 0.95;
  const alpha = options.alpha ?? (1 - level) / 4;
  const maxSteps = options.maxSteps ?? 10;
  const zmax = Math.sqrt(chiSquareQuantile(1 - alpha, 1));
  const del = zmax * (options.delFractionOfZmax ?? 0.2);
  const p = fit.coefficients.length;
  const a = (1 - level) / 2;
  const cut = [normalQuantileStd(a), normalQuantileStd(1 - a)];
  const lower = new Float64Array(p);
  const upper = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const zi: number[] = [0];
    const bi: number[] = [fit.coefficients[j]!];
    for (const sgn of [-1, 1]) {
      let step = 0;
      let z = 0;
      let lp: Float64Array = Float64Array.from(fit.linearPredictor);
      while (++step < maxSteps && Math.abs(z) < zmax) {
        const b = fit.coefficients[j]! + sgn * step * del * fit.standardErrors[j]!;
        const fm = constrainedFit(fit, j, b, lp);
        lp = fm.eta;
        let zz = fm.deviance - fit.deviance;
        if (zz > -1e-3) zz = Math.max(zz, 0);
        else
          throw new Error(
            `logistic: profiling '${fit.terms[j]}' found a better fit: the original fit had not converged`,
          );
        z = sgn * Math.sqrt(zz);
        zi.push(z);
        bi.push(b);
      }
    }
    const order = zi.map((_, k) => k).sort((u, v) => zi[u]! - zi[v]! || u - v);
    const sp = fmmSplinePoints(
      order.map((k) => bi[k]!),
      order.map((k) => zi[k]!),
    );
    lower[j] = approxLinear(sp.y, sp.x, cut[0]!);
    upper[j] = approxLinear(sp.y, sp.x, cut[1]!);
  }
  return withOddsRatios(lower, upper);
}
