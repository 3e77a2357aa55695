/**
 * Parity handler for golden files of kind 'statsmodels_logit' (statsmodels `Logit(...).fit(method =
 * "newton")`): the maximum-likelihood fit is the same as R's glm (IRLS = Newton for the canonical
 * logit link), and statsmodels' standard errors, z, P and Wald CI come from the inverse Hessian at
 * the estimate (`standardErrorsHessian`).
 * `outputs.agreement_with_R_glm` is a diff between the two reference programs (R vs statsmodels),
 * not a quantity of the fit; it is not recomputed.
 */
import { waldIntervals } from "../../../src/model/logistic.js";
import { chiSquareUpperTail } from "../../../src/stats/hypothesis-tests.js";
import { loadHarnessTable } from "../harness.js";
import type { GoldenFile, KindContext, KindHandler } from "../types.js";
import { atPath, fitHarnessModel, type HarnessModel, toleranceOf } from "./logistic.js";

const handler: KindHandler = (golden: GoldenFile, ctx: KindContext) => {
  const h = golden.harness;
  if (h.statsmodels?.method !== "newton")
    throw new Error(`statsmodels_logit: unsupported method '${h.statsmodels?.method}'`);
  const table = loadHarnessTable(h, ctx);
  const tol = toleranceOf(golden.tolerance, "default");
  for (const model of h.models as HarnessModel[]) {
    const ref = atPath(golden.outputs, model.output_path) as Record<string, unknown>;
    const where = model.output_path.join(".");
    // Newton's iteration converged to statsmodels' tol: the same MLE as IRLS run to 1e-14 relative deviance change.
    const { fit, n } = fitHarnessModel(h, table, model, {
      epsilon: Math.min(1e-14, h.statsmodels.tol),
      maxIterations: h.statsmodels.maxiter,
    });
    const wald = waldIntervals(fit, h.ci_level, true);
    const llnull = -fit.nullDeviance / 2;
    const dfModel = fit.rank - (fit.intercept ? 1 : 0);
    const llr = 2 * (fit.logLik - llnull);
    const got: Record<string, unknown> = {
      terms: fit.terms,
      params: Array.from(fit.coefficients),
      bse: Array.from(fit.standardErrorsHessian),
      z: Array.from(fit.zValuesHessian),
      p: Array.from(fit.pValuesHessian),
      conf_int_lower: Array.from(wald.lower),
      conf_int_upper: Array.from(wald.upper),
      odds_ratio: Array.from(fit.oddsRatios),
      llf: fit.logLik,
      llnull,
      llr,
      llr_pvalue: chiSquareUpperTail(llr, dfModel),
      df_model: dfModel,
      df_resid: n - fit.rank,
      aic: -2 * fit.logLik + 2 * fit.rank,
      bic: -2 * fit.logLik + Math.log(n) * fit.rank,
      prsquared: 1 - fit.logLik / llnull,
      deviance: -2 * fit.logLik,
      converged: fit.converged,
      cov_params: fit.covarianceHessian.map((r) => Array.from(r)),
    };
    for (const [key, refValue] of Object.entries(ref)) {
      if (!(key in got)) {
        ctx.compare.fail(`${where}.${key}: no comparison rule for this output`);
        continue;
      }
      // biome-ignore lint/suspicious/noExplicitAny: golden value
      ctx.compare.check(`${where}.${key}`, got[key], refValue as any, tol);
    }
  }
};
export default handler;
