/**
 * Parity handler for golden files of kind 'logistic' (R glm binomial, MASS confint, exact profile
 * CIs, LR tests). Everything is computed from `harness` alone: data (+ join), outcome, fit_set,
 * coding, models[].design, glm control, ci_level, profile_ci settings, lrt pairs, missing rule.
 * Each model is fitted with both covariance options: `"irls"` (R summary.glm's printout) against
 * `std_error` / `z` / `p` / `vcov`, `"hessian"` against `*_hessian_at_mle`.
 * Also exports the model fit, output-path and tolerance helpers used by other handlers.
 */
import type { CsvTable } from "../../../src/io/csv.js";
import type { DesignTerm } from "../../../src/model/design.js";
import {
  fitLogistic,
  type LogisticFit,
  type LogisticOptions,
  likelihoodRatioTest,
  likelihoodRatioTestVsNull,
  massProfileIntervals,
  profileLikelihoodIntervals,
  waldIntervals,
} from "../../../src/model/logistic.js";
import type { GoldenValue, Tolerance } from "../compare.js";
import { harnessCoding, loadHarnessTable, outcomeDesign, setRows } from "../harness.js";
import type { GoldenFile, KindContext, KindHandler } from "../types.js";

export interface HarnessModel {
  id: string;
  output_path: string[];
  predictors: string[];
  design: DesignTerm[];
}

/** Fits one harness model on the complete `fit_set` rows (R na.omit per model). */
export function fitHarnessModel(
  // biome-ignore lint/suspicious/noExplicitAny: harness layout
  harness: any,
  table: CsvTable,
  model: HarnessModel,
  control: { epsilon: number; maxIterations: number; covariance?: LogisticOptions["covariance"] },
): { fit: LogisticFit; n: number } {
  const { design, y } = outcomeDesign(
    table,
    harness,
    model.design,
    harnessCoding(harness),
    setRows(table, harness, harness.fit_set),
  );
  const fit = fitLogistic(design.X, y, {
    intercept: design.intercept,
    names: design.terms,
    epsilon: control.epsilon,
    maxIterations: control.maxIterations,
    covariance: control.covariance,
  });
  return { fit, n: design.rowIndices.length };
}

/** Value at `path` of the golden outputs. */
export function atPath(outputs: GoldenValue, path: string[]): GoldenValue {
  let v: GoldenValue = outputs;
  for (const k of path) {
    if (v === null || typeof v !== "object" || Array.isArray(v) || !(k in v))
      throw new Error(`outputs has no '${path.join(".")}'`);
    v = (v as Record<string, GoldenValue>)[k]!;
  }
  return v;
}

export function toleranceOf(
  // biome-ignore lint/suspicious/noExplicitAny: tolerance layout
  tolerance: any,
  group: string,
): Tolerance {
  const t = tolerance[group];
  if (!t || typeof t.rel !== "number") throw new Error(`tolerance has no group '${group}'`);
  return { rel: t.rel, abs: typeof t.abs === "number" ? t.abs : 1e-12 };
}

const arr = (v: ArrayLike<number>) => Array.from(v);
const mat = (m: Float64Array[]) => m.map((r) => Array.from(r));

const handler: KindHandler = (golden: GoldenFile, ctx: KindContext) => {
  const h = golden.harness;
  if (h.glm?.family !== "binomial" || h.glm?.link !== "logit")
    throw new Error(`logistic: unsupported glm family/link ${h.glm?.family}/${h.glm?.link}`);
  const table = loadHarnessTable(h, ctx);
  const tol = (g: string) => toleranceOf(golden.tolerance, g);
  const exact: Tolerance = { rel: 0, abs: 0 };
  const level: number = h.ci_level;
  // The file's se_z_p group (1e-6) admits a solver that takes SEs from the Hessian; the "irls"
  // covariance replicates summary.glm (QR of the last IRLS iteration), so R's printed SE / z / P /
  // vcov are held to the Hessian group's tolerance (1e-8) instead, the stricter of the two.
  const rPrintout: Tolerance = {
    rel: Math.min(tol("se_z_p").rel, tol("se_z_p_hessian_at_mle").rel),
    abs: Math.min(tol("se_z_p").abs ?? 1e-12, tol("se_z_p_hessian_at_mle").abs ?? 1e-12),
  };
  const fits = new Map<string, LogisticFit>();
  const formulas = new Map<string, string>();
  for (const model of h.models as HarnessModel[]) {
    const ref = atPath(golden.outputs, model.output_path) as Record<string, GoldenValue>;
    const where = model.output_path.join(".");
    const control = { epsilon: h.glm.epsilon, maxIterations: h.glm.maxit };
    const { fit, n } = fitHarnessModel(h, table, model, { ...control, covariance: "irls" });
    const hessian = fitHarnessModel(h, table, model, { ...control, covariance: "hessian" }).fit;
    fits.set(model.id, fit);
    const formula = `${h.outcome.column} ~ ${model.predictors.join(" + ")}`;
    formulas.set(model.id, formula);
    const wald = waldIntervals(fit, level);
    const prof = profileLikelihoodIntervals(fit, level, h.profile_ci.exact.root_tolerance);
    const mass = massProfileIntervals(fit, {
      level,
      alpha: h.profile_ci.mass.alpha,
      maxSteps: h.profile_ci.mass.maxsteps,
      delFractionOfZmax: h.profile_ci.mass.del_fraction_of_zmax,
    });
    const got: Record<string, [unknown, Tolerance]> = {
      formula: [formula, exact],
      n: [n, exact],
      terms: [fit.terms, exact],
      estimate: [arr(fit.coefficients), tol("coefficients")],
      odds_ratio: [arr(fit.oddsRatios), tol("coefficients")],
      std_error: [arr(fit.standardErrors), rPrintout],
      z: [arr(fit.zValues), rPrintout],
      p: [arr(fit.pValues), rPrintout],
      vcov: [mat(fit.covariance), rPrintout],
      std_error_hessian_at_mle: [arr(hessian.standardErrors), tol("se_z_p_hessian_at_mle")],
      z_hessian_at_mle: [arr(hessian.zValues), tol("se_z_p_hessian_at_mle")],
      p_hessian_at_mle: [arr(hessian.pValues), tol("se_z_p_hessian_at_mle")],
      wald_ci_lower: [arr(wald.lower), tol("wald_ci")],
      wald_ci_upper: [arr(wald.upper), tol("wald_ci")],
      or_wald_ci_lower: [arr(wald.oddsRatioLower), tol("wald_ci")],
      or_wald_ci_upper: [arr(wald.oddsRatioUpper), tol("wald_ci")],
      profile_ci_lower_mass: [arr(mass.lower), tol("profile_ci_mass")],
      profile_ci_upper_mass: [arr(mass.upper), tol("profile_ci_mass")],
      or_profile_ci_lower_mass: [arr(mass.oddsRatioLower), tol("profile_ci_mass")],
      or_profile_ci_upper_mass: [arr(mass.oddsRatioUpper), tol("profile_ci_mass")],
      profile_ci_lower_exact: [arr(prof.lower), tol("profile_ci_exact")],
      profile_ci_upper_exact: [arr(prof.upper), tol("profile_ci_exact")],
      or_profile_ci_lower_exact: [arr(prof.oddsRatioLower), tol("profile_ci_exact")],
      or_profile_ci_upper_exact: [arr(prof.oddsRatioUpper), tol("profile_ci_exact")],
      deviance: [fit.deviance, tol("deviance_aic_loglik")],
      null_deviance: [fit.nullDeviance, tol("deviance_aic_loglik")],
      df_residual: [fit.dfResidual, tol("deviance_aic_loglik")],
      df_null: [fit.dfNull, tol("deviance_aic_loglik")],
      aic: [fit.aic, tol("deviance_aic_loglik")],
      bic: [fit.bic, tol("deviance_aic_loglik")],
      loglik: [fit.logLik, tol("deviance_aic_loglik")],
      lrt_vs_null: [likelihoodRatioTestVsNull(fit), tol("lrt")],
    };
    for (const [key, refValue] of Object.entries(ref)) {
      const entry = got[key];
      if (!entry) {
        ctx.compare.fail(`${where}.${key}: no comparison rule for this output`);
        continue;
      }
      ctx.compare.check(`${where}.${key}`, entry[0], refValue, entry[1]);
    }
  }
  for (const t of h.lrt as { output_key: string; model0: string; model1: string }[]) {
    const f0 = fits.get(t.model0);
    const f1 = fits.get(t.model1);
    if (!f0 || !f1)
      throw new Error(`lrt ${t.output_key}: unknown model ${t.model0} or ${t.model1}`);
    const test = likelihoodRatioTest(f0, f1);
    const got = { ...test, model0: formulas.get(t.model0), model1: formulas.get(t.model1) };
    ctx.compare.check(t.output_key, got, golden.outputs[t.output_key], tol("lrt"));
  }
};
export default handler;
