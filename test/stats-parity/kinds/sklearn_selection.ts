import { lassoCV, lassoPredict } from "../../../src/model/lasso.js";
import { fClassif } from "../../../src/stats/f-classif.js";
import { applyMinMaxScaler, fitMinMaxScaler } from "../../../src/stats/scaling.js";
import type { KindHandler } from "../types.js";
import { loadFeatureSets } from "./lasso_glmnet.js";

/** Row-major first `k` rows of column data. */
function firstRows(columns: Float64Array[], k: number): number[][] {
  const n = Math.min(k, columns[0]!.length);
  return Array.from({ length: n }, (_, i) => columns.map((c) => c[i]!));
}

/**
 * Parity handler for kind 'sklearn_selection': MinMaxScaler (sklearn formula) fitted on training,
 * f_classif on scaled and unscaled training features, LassoCV per run (tol) with the harness
 * folds. Tolerances from the file: scaler group for scaler values, f_classif rel, alphas rel; each
 * run at its own group (coef_abs for coefficients / intercept / predictions, mse_path_rel for the
 * mse mean and sd); alpha_ index, selected features and the final fit's iteration count exact; the
 * final duality gap (a convergence residual) at the run's mse_path_rel relative, with absolute
 * slack tol * var(y) (the run's own stopping scale).
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  const tol = golden.tolerance;
  const out = golden.outputs;
  const cmp = ctx.compare;
  const { training, test } = loadFeatureSets(golden, ctx);
  if (h.scaling.formula !== "x_times_scale_plus_min_sklearn")
    throw new Error(`unsupported scaling ${h.scaling.formula}`);
  const scaler = fitMinMaxScaler(training.columns, {
    formula: "sklearn",
    featureRange: h.scaling.feature_range,
    names: h.features,
  });
  const xs = applyMinMaxScaler(scaler, training.columns);
  const ts = applyMinMaxScaler(scaler, test.columns);
  const sTol = tol.scaler_and_scaled_values;
  cmp.check("scaler.data_min", scaler.dataMin, out.scaler.data_min, sTol);
  cmp.check("scaler.data_max", scaler.dataMax, out.scaler.data_max, sTol);
  cmp.check("scaler.scale", scaler.scale, out.scaler.scale, sTol);
  cmp.check("scaler.min", scaler.min, out.scaler.min, sTol);
  cmp.check(
    "scaled_training_first5",
    firstRows(xs, h.first_rows),
    out.scaled_training_first5,
    sTol,
  );
  cmp.check("scaled_test_first5", firstRows(ts, h.first_rows), out.scaled_test_first5, sTol);
  cmp.check(
    "scaled_test_column_min",
    ts.map((c) => Math.min(...c)),
    out.scaled_test_column_min,
    sTol,
  );
  cmp.check(
    "scaled_test_column_max",
    ts.map((c) => Math.max(...c)),
    out.scaled_test_column_max,
    sTol,
  );

  const fTol = tol.f_classif;
  const fIn = h.f_classif.input === "scaled" ? xs : training.columns;
  const fs = fClassif(fIn, training.y);
  cmp.check("f_classif.F", fs.F, out.f_classif.F, fTol);
  cmp.check("f_classif.p", fs.p, out.f_classif.p, fTol);
  if (h.f_classif.also_unscaled) {
    const fu = fClassif(training.columns, training.y);
    cmp.check("f_classif.F_unscaled", fu.F, out.f_classif.F_unscaled, fTol);
    cmp.check("f_classif.p_unscaled", fu.p, out.f_classif.p_unscaled, fTol);
  }

  const lc = h.lassocv;
  if (lc.shuffle || lc.selection !== "cyclic" || lc.alphas !== null || lc.fit_intercept !== true)
    throw new Error(`sklearn_selection: unsupported LassoCV settings ${JSON.stringify(lc)}`);
  let yVar = 0;
  {
    const m = training.y.reduce((a, b) => a + b, 0) / training.y.length;
    for (const v of training.y) yVar += (v - m) ** 2;
    yVar /= training.y.length;
  }
  for (const run of h.runs as { output_key: string; tol: number }[]) {
    const k = run.output_key;
    const ref = out[k];
    const rt = tol[k];
    const cv = lassoCV(xs, training.y, {
      foldid: h.foldid,
      eps: lc.eps,
      nAlphas: lc.n_alphas,
      tol: run.tol,
      maxIter: lc.max_iter,
    });
    if (k === (h.runs[0] as { output_key: string }).output_key)
      cmp.check("alpha_max_closed_form", cv.alphaMax, out.alpha_max_closed_form, tol.alphas);
    cmp.check(`${k}.alphas`, cv.alphas, ref.alphas, tol.alphas);
    cmp.check(`${k}.alpha`, cv.alpha, ref.alpha, tol.alphas);
    cmp.check(`${k}.index_alpha`, cv.indexAlpha, ref.index_alpha, { rel: 0, abs: 0 });
    const coefTol = { rel: 0, abs: rt.coef_abs };
    const mseTol = { rel: rt.mse_path_rel, abs: 1e-15 };
    cmp.check(`${k}.coef`, cv.final.coef, ref.coef, coefTol);
    cmp.check(`${k}.intercept`, cv.final.intercept, ref.intercept, coefTol);
    const selected = (h.features as string[]).filter((_, j) => cv.final.coef[j] !== 0);
    cmp.check(`${k}.selected`, selected, ref.selected, { rel: 0 });
    cmp.check(`${k}.mse_path_mean`, cv.mseMean, ref.mse_path_mean, mseTol);
    cmp.check(`${k}.mse_path_std_over_folds`, cv.mseStd, ref.mse_path_std_over_folds, mseTol);
    cmp.check(`${k}.n_iter_final_fit`, cv.final.nIter, ref.n_iter_final_fit, { rel: 0, abs: 0 });
    cmp.check(`${k}.dual_gap_final_fit`, cv.final.dualGap, ref.dual_gap_final_fit, {
      rel: rt.mse_path_rel,
      abs: run.tol * yVar,
    });
    cmp.check(`${k}.predict_test`, lassoPredict(cv.final, ts), ref.predict_test, coefTol);
  }
};
export default handler;
