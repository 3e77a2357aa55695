import {
  type NomogramPredictorSpec,
  type NomogramSpec,
  nomogram,
  nomogramPoints,
  numericAxisValues,
} from "../../../src/model/nomogram.js";
import { lrmFit } from "../../../src/stats/calibration.js";
import {
  assertKeys,
  columnIndex,
  harnessCoding,
  harnessDesign,
  loadHarnessTable,
  missingCells,
  outcomeDesign,
  setRows,
} from "../harness.js";
import type { KindHandler } from "../types.js";

/**
 * Parity handler for 'nomogram' golden files: lrm fit on `fit_set`, rms nomogram axes (pretty axis
 * values, points, Xβ, R, sc, Intercept_info, total-points / lp / probability axes, total points →
 * probability) and every patient's points.
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  if (h.fun !== "plogis") throw new Error(`unsupported fun '${h.fun}'`);
  if (h.continuous_axis !== "R_pretty_of_training_range")
    throw new Error(`unsupported continuous_axis '${h.continuous_axis}'`);
  const t = golden.tolerance.default;
  const tol = { rel: t.rel, abs: t.abs ?? 1e-12 };
  const tp = golden.tolerance.probability_axis_points_rms;
  const tolRms = { rel: tp.rel, abs: tp.abs ?? 1e-12 };
  const out = golden.outputs;
  const table = loadHarnessTable(h, ctx);
  const missing = missingCells(h);
  const coding = harnessCoding(h);
  const model = h.models[0];
  const terms = harnessDesign(model);
  const { design, y } = outcomeDesign(table, h, terms, coding, setRows(table, h, h.fit_set));
  const fit = lrmFit(design.X, y, { eps: h.lrm.eps, maxit: h.lrm.maxit });
  if (fit.fail) throw new Error("lrm fit failed");
  const coefByTerm = new Map(terms.map((d, k) => [d.term, fit.coefficients[k]!]));
  for (const d of terms)
    ctx.compare.check(
      `coefficients.${d.term}`,
      coefByTerm.get(d.term),
      out.coefficients[d.term],
      tol,
    );
  ctx.compare.check("n_train", design.X.length, out.n_train, tol);

  const predictors: NomogramPredictorSpec[] = (model.predictors as string[]).map((name) => {
    const c = h.coding[name];
    if (c.type === "factor") {
      const coefficients = (c.levels as string[]).map((level) => {
        const term = terms.find((d) => d.column === name && d.level === level);
        return term ? coefByTerm.get(term.term)! : 0;
      });
      return { name, type: "factor", labels: c.labels ?? c.levels, coefficients };
    }
    const term = terms.find((d) => d.column === name && d.level === null);
    if (!term) throw new Error(`no term for numeric predictor '${name}'`);
    const k = design.terms.indexOf(term.term);
    const training = design.X.map((row) => row[k]!);
    return {
      name,
      type: "continuous",
      coefficient: coefByTerm.get(term.term)!,
      dataRange: [Math.min(...training), Math.max(...training)],
      values: numericAxisValues(training, h.nint),
    };
  });
  const spec: NomogramSpec = {
    intercept: fit.coefficients[0]!,
    predictors,
    trainingLinearPredictors: fit.linearPredictor,
    maxscale: h.maxscale,
    nint: h.nint,
    probabilityTicks: h.fun_at,
    totalPointsStep: h.total_points_step,
  };
  const nomo = nomogram(spec);
  nomo.predictors.forEach((a, j) => {
    const ref = out.predictors[a.name];
    ctx.compare.check(`predictors.${a.name}.type`, a.type, ref.type, tol);
    ctx.compare.check(`predictors.${a.name}.values`, a.values, ref.values, tol);
    ctx.compare.check(`predictors.${a.name}.points`, a.points, ref.points, tol);
    ctx.compare.check(`predictors.${a.name}.xbeta`, a.xbeta, ref.xbeta, tol);
    if (a.dataRange)
      ctx.compare.check(`predictors.${a.name}.data_range`, a.dataRange, ref.data_range, tol);
    // `axis_rule` is prose for people; its machine-readable form is harness.continuous_axis (checked above).
    ctx.compare.check(`R_min_xbeta.${a.name}`, nomo.minXbeta[j], out.R_min_xbeta[a.name], tol);
    ctx.compare.check(`R_max_xbeta.${a.name}`, nomo.maxXbeta[j], out.R_max_xbeta[a.name], tol);
  });
  assertKeys(
    out.predictors,
    nomo.predictors.map((a) => a.name),
    "predictors",
  );
  ctx.compare.check("sc", nomo.sc, out.sc, tol);
  ctx.compare.check("maxscale", nomo.maxscale, out.maxscale, tol);
  ctx.compare.check("intercept_info", nomo.interceptInfo, out.intercept_info, tol);
  ctx.compare.check("total_points_axis", nomo.totalPointsAxis, out.total_points_axis, tol);
  ctx.compare.check("lp_axis.lp", nomo.lpAxis.lp, out.lp_axis.lp, tol);
  ctx.compare.check("lp_axis.points", nomo.lpAxis.points, out.lp_axis.points, tol);
  ctx.compare.check(
    "probability_axis.probability",
    nomo.probabilityAxis.probability,
    out.probability_axis.probability,
    tol,
  );
  ctx.compare.check(
    "probability_axis.points_rms",
    nomo.probabilityAxis.pointsRms,
    out.probability_axis.points_rms,
    tolRms,
  );
  ctx.compare.check(
    "probability_axis.points_exact",
    nomo.probabilityAxis.pointsExact,
    out.probability_axis.points_exact,
    tol,
  );
  const tpp = nomo.totalPointsToProbability;
  ctx.compare.check(
    "total_points_to_probability.total_points",
    tpp.totalPoints,
    out.total_points_to_probability.total_points,
    tol,
  );
  ctx.compare.check(
    "total_points_to_probability.lp",
    tpp.lp,
    out.total_points_to_probability.lp,
    tol,
  );
  ctx.compare.check(
    "total_points_to_probability.probability",
    tpp.probability,
    out.total_points_to_probability.probability,
    tol,
  );

  // every patient of points_set
  if (h.points_set !== "all") throw new Error(`unsupported points_set '${h.points_set}'`);
  const idColumn: string = h.join?.on ?? "id";
  const idIdx = columnIndex(table, idColumn);
  const splitIdx = h.split ? columnIndex(table, h.split.column) : -1;
  const miss = new Set(missing);
  const predCols = predictors.map((p) => columnIndex(table, p.name));
  const ids: number[] = [];
  const sets: string[] = [];
  const pts: number[][] = predictors.map(() => []);
  const total: number[] = [];
  const lp: number[] = [];
  const prob: number[] = [];
  table.rows.forEach((row) => {
    ids.push(Number(row[idIdx]));
    sets.push(splitIdx >= 0 ? row[splitIdx]! : "all");
    if (predCols.some((j) => miss.has(row[j]!))) {
      for (const a of pts) a.push(Number.NaN);
      total.push(Number.NaN);
      lp.push(Number.NaN);
      prob.push(Number.NaN);
      return;
    }
    const values = predictors.map((p, k) => {
      const text = row[predCols[k]!]!;
      if (p.type === "continuous") return Number(text);
      const levels: string[] = h.coding[p.name].levels;
      const idx = levels.indexOf(text);
      if (idx < 0)
        throw new Error(`column '${p.name}': '${text}' is not one of ${levels.join(", ")}`);
      return idx;
    });
    const r = nomogramPoints(nomo, spec, values);
    r.points.forEach((v, k) => {
      pts[k]!.push(v);
    });
    total.push(r.totalPoints);
    lp.push(r.lp);
    prob.push(r.probability);
  });
  const pref = out.patients;
  ctx.compare.check("patients.id", ids, pref.id, tol);
  ctx.compare.check("patients.set", sets, pref.set, tol);
  predictors.forEach((p, k) => {
    ctx.compare.check(`patients.points.${p.name}`, pts[k], pref.points[p.name], tol);
  });
  ctx.compare.check("patients.total_points", total, pref.total_points, tol);
  ctx.compare.check("patients.lp", lp, pref.lp, tol);
  ctx.compare.check("patients.probability", prob, pref.probability, tol);
};
export default handler;
