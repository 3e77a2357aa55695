import {
  cvGlmnetBinomial,
  binomialLassoKkt,
  glmnetCoefficients,
} from "../../../src/model/glmnet.js";
import { applyMinMaxScaler, fitMinMaxScaler } from "../../../src/stats/scaling.js";
import type { GoldenFile, KindContext, KindHandler } from "../types.js";

export interface FeatureSet {
  /** Feature columns in harness order. */
  columns: Float64Array[];
  /** Outcome coded 0 (non-event) / 1 (event). */
  y: Float64Array;
}

/**
 * Rows of the harness data split into training / test (complete cases over `features`), with the
 * outcome coded 0/1 from the harness' cell texts.
 */
export function loadFeatureSets(
  golden: GoldenFile,
  ctx: KindContext,
): { training: FeatureSet; test: FeatureSet } {
  const h = golden.harness;
  const table = ctx.readCsv(h.data);
  const col = (name: string): number => {
    const j = table.header.indexOf(name);
    if (j < 0) throw new Error(`${h.data}: no column '${name}'`);
    return j;
  };
  const missing: string[] = h.missing?.cell_text ?? [];
  const outJ = col(h.outcome.column);
  const splitJ = col(h.split.column);
  const featJ = (h.features as string[]).map(col);
  const sets: Record<string, { rows: number[][]; y: number[] }> = {
    training: { rows: [], y: [] },
    test: { rows: [], y: [] },
  };
  table.rows.forEach((row, r) => {
    const s = row[splitJ];
    const set = s === h.split.training ? "training" : s === h.split.test ? "test" : null;
    if (!set) return;
    if (featJ.some((j) => missing.includes(row[j]!))) return;
    const o = row[outJ];
    const yv = o === h.outcome.event ? 1 : o === h.outcome.nonevent ? 0 : Number.NaN;
    if (Number.isNaN(yv))
      throw new Error(`${h.data}: row ${r + 2} outcome '${o}' is neither event nor non-event`);
    const vals = featJ.map((j) => {
      const v = Number(row[j]);
      if (row[j]!.trim() === "" || !Number.isFinite(v))
        throw new Error(
          `${h.data}: row ${r + 2}, column ${table.header[j]} is not a number ('${row[j]}')`,
        );
      return v;
    });
    sets[set]!.rows.push(vals);
    sets[set]!.y.push(yv);
  });
  const toSet = (s: { rows: number[][]; y: number[] }): FeatureSet => ({
    columns: featJ.map((_, k) => Float64Array.from(s.rows, (r) => r[k]!)),
    y: Float64Array.from(s.y),
  });
  return { training: toSet(sets.training!), test: toSet(sets.test!) };
}

/**
 * Parity handler for kind 'lasso_glmnet': min-max scaling as (x - min) / (max - min) on the
 * training rows, cv.glmnet binomial LASSO with the harness foldid, for each run (thresh, maxit).
 * Tolerances: lambda 1e-9 (closed form); cvm / cvsd / dev.ratio at the file's tight-run cvm
 * tolerance, coefficients at its absolute coefficient tolerance (also for the default-thresh run,
 * which this replica of glmnet's coordinate descent reproduces); nzero / indices exact;
 * KKT diagnostics (values near 0) at absolute 1e-6.
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  const tol = golden.tolerance;
  const cmp = ctx.compare;
  const { training } = loadFeatureSets(golden, ctx);
  const scaler = fitMinMaxScaler(training.columns, { formula: "r", names: h.features });
  const x = applyMinMaxScaler(scaler, training.columns);
  const g = h.glmnet;
  if (g.family !== "binomial" || g.alpha !== 1 || g.type_measure !== "deviance")
    throw new Error(`lasso_glmnet: unsupported glmnet settings ${JSON.stringify(g)}`);
  const lamTol = { rel: tol.lambda.rel };
  const cvmTol = { rel: tol.tight_thresh.cvm_rel };
  const coefTol = { rel: 0, abs: tol.tight_thresh.coefficients_abs };
  const exact = { rel: 0, abs: 0 };
  const runs = h.runs as { output_key: string; thresh: number; maxit: number }[];
  const results = new Map<string, ReturnType<typeof cvGlmnetBinomial>>();
  for (const run of runs) {
    const ref = golden.outputs[run.output_key];
    const cv = cvGlmnetBinomial(x, training.y, {
      foldid: h.foldid,
      nlambda: g.nlambda,
      lambdaMinRatio: g.lambda_min_ratio,
      standardize: g.standardize,
      intercept: g.intercept,
      thresh: run.thresh,
      maxit: run.maxit,
      typeMeasure: "deviance",
    });
    const k = run.output_key;
    results.set(k, cv);
    cmp.check(`${k}.lambda`, cv.lambda, ref.lambda, lamTol);
    cmp.check(`${k}.cvm`, cv.cvm, ref.cvm, cvmTol);
    cmp.check(`${k}.cvsd`, cv.cvsd, ref.cvsd, cvmTol);
    cmp.check(`${k}.nzero`, Array.from(cv.nzero), ref.nzero, exact);
    cmp.check(`${k}.dev_ratio`, cv.fit.devRatio, ref.dev_ratio, {
      rel: tol.tight_thresh.cvm_rel,
      abs: 1e-12,
    });
    cmp.check(`${k}.null_deviance`, cv.fit.nullDeviance, ref.null_deviance, { rel: 1e-9 });
    cmp.check(`${k}.lambda_min`, cv.lambdaMin, ref.lambda_min, lamTol);
    cmp.check(`${k}.lambda_1se`, cv.lambda1se, ref.lambda_1se, lamTol);
    cmp.check(`${k}.index_min`, cv.indexMin + 1, ref.index_min, exact);
    cmp.check(`${k}.index_1se`, cv.index1se + 1, ref.index_1se, exact);
    for (const [key, s] of [
      ["lambda_min", cv.lambdaMin],
      ["lambda_1se", cv.lambda1se],
    ] as const) {
      const c = glmnetCoefficients(cv.fit, s);
      const got: Record<string, number> = { [h.coefficient_terms[0]]: c.intercept };
      (h.features as string[]).forEach((f, j) => {
        got[f] = c.beta[j]!;
      });
      cmp.check(`${k}.coef_${key}`, got, ref[`coef_${key}`], coefTol);
      const kkt = binomialLassoKkt(x, training.y, s, c.intercept, c.beta);
      cmp.check(
        `${k}.kkt.${key}`,
        {
          max_violation_over_lambda: kkt.maxViolationOverLambda,
          intercept_score: kkt.interceptScore,
        },
        ref.kkt[key],
        { rel: 0, abs: 1e-6 },
      );
    }
  }
  // selected features at lambda.min of the first (glmnet default) run, in harness order
  const first = results.get(runs[0]!.output_key)!;
  const cFirst = glmnetCoefficients(first.fit, first.lambdaMin);
  const selected = (h.features as string[]).filter((_, j) => cFirst.beta[j] !== 0);
  cmp.check("selected_at_lambda_min", selected, golden.outputs.selected_at_lambda_min, exact);
  // how far the default run stops from the tight one (differences of two replicas: rel 1e-3)
  const dvt = golden.outputs.default_vs_tight;
  if (dvt && runs.length === 2) {
    const d = results.get(runs[0]!.output_key)!;
    const t = results.get(runs[1]!.output_key)!;
    const relDiff = (upto: number) => {
      let m = 0;
      for (let l = 0; l < upto; l++)
        m = Math.max(m, Math.abs(d.cvm[l]! - t.cvm[l]!) / Math.abs(t.cvm[l]!));
      return m;
    };
    const coefDiff = (sd: number, st: number) => {
      const a = glmnetCoefficients(d.fit, sd);
      const b = glmnetCoefficients(t.fit, st);
      let m = Math.abs(a.intercept - b.intercept);
      for (let j = 0; j < a.beta.length; j++) m = Math.max(m, Math.abs(a.beta[j]! - b.beta[j]!));
      return m;
    };
    const got = {
      max_rel_cvm_diff_up_to_index_min: relDiff(d.indexMin + 1),
      max_rel_cvm_diff_all_common: relDiff(Math.min(d.cvm.length, t.cvm.length)),
      max_abs_coef_diff_lambda_min: coefDiff(d.lambdaMin, t.lambdaMin),
      max_abs_coef_diff_lambda_1se: coefDiff(d.lambda1se, t.lambda1se),
    };
    cmp.check("default_vs_tight", got, dvt, { rel: 1e-3, abs: 1e-12 });
  }
};
export default handler;
