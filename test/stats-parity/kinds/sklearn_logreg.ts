import {
  fitLogisticRegression,
  predictLogisticProbability,
} from "../../../src/model/penalized-logistic.js";
import { applyMinMaxScaler, fitMinMaxScaler } from "../../../src/stats/scaling.js";
import type { KindHandler } from "../types.js";
import { loadFeatureSets } from "./lasso_glmnet.js";

interface FitSpec {
  output_key: string;
  penalty: "l2" | null;
  C: number | null;
  features: string[];
  solver: string;
  tol: number;
  max_iter: number;
  fit_intercept: boolean;
}

/**
 * Parity handler for kind 'sklearn_logreg': MinMaxScaler (sklearn) on training, then each fit of
 * `fits` solved to tight convergence with scikit-learn's Newton-Cholesky control flow.
 * newton-cholesky entries: coef / intercept / gradient at the tight_solutions tolerance,
 * probabilities at the predict_proba abs tolerance, n_iter exact.
 * lbfgs entries: our converged solution against lbfgs' coef / intercept / probabilities at the
 * lbfgs_default tolerance (as the file directs); lbfgs' own n_iter and final gradient describe
 * scipy's L-BFGS-B trajectory and are not compared (no L-BFGS-B replica here).
 * statsmodels MLE: params, bse, llf at the tight_solutions tolerance.
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  const tol = golden.tolerance;
  const out = golden.outputs;
  const cmp = ctx.compare;
  const { training, test } = loadFeatureSets(golden, ctx);
  const scaler = fitMinMaxScaler(training.columns, {
    formula: "sklearn",
    featureRange: h.scaling.feature_range,
    names: h.features,
  });
  const xs = applyMinMaxScaler(scaler, training.columns);
  const ts = applyMinMaxScaler(scaler, test.columns);
  const pick = (cols: Float64Array[], names: string[]) =>
    names.map((f) => {
      const j = (h.features as string[]).indexOf(f);
      if (j < 0) throw new Error(`sklearn_logreg: feature '${f}' is not in harness.features`);
      return cols[j]!;
    });
  const tight = tol.tight_solutions;
  const lb = tol.lbfgs_default;
  const probTight = { rel: 0, abs: tol.predict_proba.abs };
  const probLbfgs = { rel: 0, abs: 1e-4 };
  for (const f of h.fits as FitSpec[]) {
    const ref = out[f.output_key];
    if (!f.fit_intercept)
      throw new Error("sklearn_logreg: fit_intercept false is not supported by this handler");
    const fit = fitLogisticRegression(pick(xs, f.features), training.y, {
      penalty: f.penalty === "l2" ? "l2" : "none",
      C: f.C ?? 1,
      tol: f.solver === "newton-cholesky" ? f.tol : 1e-12,
      maxIter: Math.min(f.max_iter, 1000),
    });
    const isTight = f.solver === "newton-cholesky";
    const t = isTight ? tight : lb;
    const pt = isTight ? probTight : probLbfgs;
    cmp.check(`${f.output_key}.coef`, fit.coef, ref.coef, t);
    cmp.check(`${f.output_key}.intercept`, fit.intercept, ref.intercept, t);
    cmp.check(
      `${f.output_key}.predict_proba_test`,
      predictLogisticProbability(fit, pick(ts, f.features)),
      ref.predict_proba_test,
      pt,
    );
    cmp.check(
      `${f.output_key}.predict_proba_training`,
      predictLogisticProbability(fit, pick(xs, f.features)),
      ref.predict_proba_training,
      pt,
    );
    if (isTight) {
      cmp.check(`${f.output_key}.n_iter`, fit.nIter, ref.n_iter, { rel: 0, abs: 0 });
      cmp.check(`${f.output_key}.max_abs_gradient`, fit.maxAbsGradient, ref.max_abs_gradient, {
        rel: 0,
        abs: tight.abs,
      });
    }
  }
  const sm = h.statsmodels;
  if (sm) {
    const fit = fitLogisticRegression(pick(xs, sm.features), training.y, {
      penalty: "none",
      tol: 1e-14,
      maxIter: sm.maxiter,
    });
    const ref = out[sm.output_key];
    if (sm.params_order !== "const_first")
      throw new Error(`sklearn_logreg: params_order ${sm.params_order}`);
    cmp.check(
      `${sm.output_key}.params_const_first`,
      [fit.intercept, ...fit.coef],
      ref.params_const_first,
      tight,
    );
    cmp.check(`${sm.output_key}.bse`, fit.stdErrors, ref.bse, tight);
    cmp.check(`${sm.output_key}.llf`, fit.logLik, ref.llf, tight);
  }
};
export default handler;
