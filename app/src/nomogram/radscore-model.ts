/**
 * The calculator of radscore's own model.json (`radscore-model/1`, the frozen model of
 * src/study/frozen-model.ts): the checks beyond parseFrozenModel's, the input fields (clinical
 * variables and the Rad-score, with the start of each continuous nomogram axis from the frozen
 * rms constants: R[1, j] / β_j), and the study's nomogram figure (result.json `nomogram`), read
 * and checked against the frozen constants (points = sc·(Xβ − R[1, j])) before it is attached.
 */
import type { FrozenModel } from "../../../src/study/frozen-model.js";
import type { NomogramFigure } from "../../../src/study/result.js";
import type { InputField, RadscoreCalculator } from "./calculator.js";
import { isFiniteNumber, isObject } from "./guards.js";

/** Checks the parts of a frozen model the calculator reads beyond parseFrozenModel's checks. */
function checkFrozen(m: FrozenModel, source: string): void {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  if (!isObject(m.outcome)) fail("missing 'outcome'");
  if (!Array.isArray(m.clinicalVariables)) fail("missing 'clinicalVariables'");
  if (typeof m.radscoreName !== "string") fail("missing 'radscoreName'");
  if (!Array.isArray(m.features)) fail("'features' must be an array");
  if (!isObject(m.radscore) || !Array.isArray(m.radscore.coefficients))
    fail("'radscore' must have 'intercept' and 'coefficients'");
  for (const key of ["clinicalModel", "nomogramModel"] as const) {
    const lm = m[key];
    if (!isObject(lm) || !Array.isArray(lm.terms) || !Array.isArray(lm.coefficients))
      fail(`'${key}' must have 'terms' and 'coefficients'`);
    if (lm.coefficients.length !== lm.terms.length + 1)
      fail(`'${key}': ${lm.terms.length} terms but ${lm.coefficients.length} coefficients`);
  }
  const n = m.nomogram;
  if (!isObject(n) || !Array.isArray(n.predictors) || !Array.isArray(n.minXbeta))
    fail("'nomogram' must have 'predictors', 'minXbeta', 'sc' and 'interceptInfo'");
  if (n.minXbeta.length !== n.predictors.length)
    fail("'nomogram': 'minXbeta' and 'predictors' differ in length");
  if (!isFiniteNumber(n.sc) || !(n.sc > 0)) fail("'nomogram.sc' must be a positive number");
  n.predictors.forEach((p, j) => {
    if (p.type === "continuous" && !isFiniteNumber(p.coefficient))
      fail(`nomogram predictor '${p.name}': 'coefficient' must be a number`);
    if (
      p.type === "factor" &&
      (!Array.isArray(p.levels) ||
        !Array.isArray(p.coefficients) ||
        p.levels.length !== p.coefficients.length)
    )
      fail(`nomogram predictor '${p.name}': 'levels' and 'coefficients' must match`);
    if (p.type !== "continuous" && p.type !== "factor")
      fail(`nomogram predictor ${j + 1}: unknown type '${String(p.type)}'`);
  });
  if (!isObject(m.thresholds)) fail("missing 'thresholds'");
}

/** The calculator of radscore's frozen model (model.json). */
export function radscoreCalculator(model: FrozenModel, source = "model.json"): RadscoreCalculator {
  checkFrozen(model, source);
  const nomo = model.nomogram;
  const fields: InputField[] = [];
  const nomoIndex = (name: string) => nomo.predictors.findIndex((p) => p.name === name);
  const axisStart = (name: string): number | null => {
    const j = nomoIndex(name);
    const p = nomo.predictors[j];
    if (p?.type !== "continuous" || !p.coefficient) return null;
    return nomo.minXbeta[j]! / p.coefficient;
  };
  for (const v of model.clinicalVariables) {
    const role = nomoIndex(v.name) >= 0 ? "predictor" : "clinical";
    if (v.type === "continuous")
      fields.push({
        name: v.name,
        label: v.label || v.name,
        kind: "number",
        levels: [],
        labels: [],
        range: null,
        axisStart: axisStart(v.name),
        axisRange: null,
        role,
      });
    else
      fields.push({
        name: v.name,
        label: v.label || v.name,
        kind: "choice",
        levels: [...v.levels],
        labels: v.levels.map((l, i) => v.labels[i] ?? l),
        range: null,
        axisStart: null,
        axisRange: null,
        role,
      });
  }
  fields.push({
    name: model.radscoreName,
    label: "Rad-score",
    kind: "number",
    levels: [],
    labels: [],
    range: null,
    axisStart: axisStart(model.radscoreName),
    axisRange: null,
    role: "radscore",
  });
  const ex = model.extraction;
  let sequences: string[] = [];
  if (ex && isObject(ex)) {
    const all = (Array.isArray(model.sequences) ? model.sequences : []).filter((s) => s in ex);
    const list = all.length > 0 ? all : Object.keys(ex);
    const used = list.filter((s) => model.features.some((f) => f.endsWith(`_${s}`)));
    sequences = used.length > 0 ? used : list;
  }
  return {
    kind: "radscore",
    title: model.title || "Nomogram",
    outcome: model.outcome,
    fields,
    source,
    model,
    nomogram: {
      names: nomo.predictors.map((p) => p.name),
      minXbeta: [...nomo.minXbeta],
      sc: nomo.sc,
      interceptInfo: nomo.interceptInfo,
    },
    sequences,
    figure: null,
  };
}

/**
 * Attaches the study's nomogram figure (result.json `nomogram`: rms axes over the training
 * ranges) to our calculator, after checking that it is this model's: the same predictors in
 * order, and every tick at the points the frozen constants give it (factor levels by their
 * coefficients, numeric labels by β·value). The continuous fields then know their axis extent.
 */
export function withStudyFigure(
  calc: RadscoreCalculator,
  figure: NomogramFigure,
  source = "the study's nomogram",
): RadscoreCalculator {
  const fail = (msg: string): never => {
    throw new Error(`${source} does not match the model: ${msg}`);
  };
  const preds = calc.model.nomogram.predictors;
  if (!isObject(figure) || !Array.isArray(figure.axes)) fail("no nomogram axes");
  if (figure.axes.length !== preds.length)
    fail(`${figure.axes.length} axes for ${preds.length} predictors`);
  if (
    !isObject(figure.totalPoints) ||
    !Array.isArray(figure.totalPoints.values) ||
    !isObject(figure.probability) ||
    !Array.isArray(figure.probability.values) ||
    !Array.isArray(figure.probability.points) ||
    figure.probability.values.length !== figure.probability.points.length
  )
    fail("no total-points and probability axes");
  const { minXbeta, sc } = calc.nomogram;
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  const ranges = new Map<string, [number, number]>();
  preds.forEach((p, j) => {
    const a = figure.axes[j]!;
    if (!isObject(a) || a.name !== p.name) fail(`axis ${j + 1} is '${a?.name}', not '${p.name}'`);
    if (!Array.isArray(a.labels) || !Array.isArray(a.points) || a.labels.length !== a.points.length)
      fail(`axis '${p.name}' has unequal labels and points`);
    if (p.type === "factor") {
      const coefs = p.coefficients ?? [];
      if (a.points.length !== coefs.length) fail(`axis '${p.name}' has another number of levels`);
      coefs.forEach((c, k) => {
        if (!same(a.points[k]!, (c - minXbeta[j]!) * sc))
          fail(`axis '${p.name}': level '${a.labels[k]}' is at other points`);
      });
      return;
    }
    const values = a.labels.map(Number);
    values.forEach((v, k) => {
      if (!Number.isFinite(v)) fail(`axis '${p.name}': label '${a.labels[k]}' is not a number`);
      if (!same(a.points[k]!, (v * p.coefficient! - minXbeta[j]!) * sc))
        fail(`axis '${p.name}': ${a.labels[k]} is at other points`);
    });
    if (values.length > 0) ranges.set(p.name, [Math.min(...values), Math.max(...values)]);
  });
  return {
    ...calc,
    figure,
    fields: calc.fields.map((f) => ({ ...f, axisRange: ranges.get(f.name) ?? f.axisRange })),
  };
}

/**
 * The nomogram figure of a study's result.json (its `nomogram` entry), or null when the JSON is
 * not a result.json (a model has a `format`; a result has `nomogram.axes`).
 */
export function resultFigureOf(raw: unknown): NomogramFigure | null {
  if (!isObject(raw) || "format" in raw) return null;
  const n = raw.nomogram;
  if (!isObject(n) || !Array.isArray(n.axes)) return null;
  return n as unknown as NomogramFigure;
}
