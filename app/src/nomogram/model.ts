/**
 * The nomogram calculator's pure logic (no DOM): loading a model (radscore's model.json,
 * `radscore-model/1`, or a generic logistic nomogram, `logistic-nomogram/1`), reading and
 * checking one patient's entered values, scoring them, the data of the drawn nomogram and the CSV
 * of the patient. The panel (index.ts) only wires these to the page.
 *
 * Our format is scored by `scorePatients` of src/study/frozen-model.ts, the very function
 * `radscore predict` calls, so the probabilities are bit for bit those of the CLI. A Rad-score
 * entered directly goes through the same function: the model is copied with no Rad-score
 * features and the entered value as the Rad-score's intercept, so `radScoreOf` returns exactly
 * the entered number and everything downstream (clinical and nomogram linear predictors, points,
 * classes at the training cut-offs) is computed by the unchanged code.
 *
 * The generic format, for "anyone's" logistic nomogram (a published one, an R fit):
 *
 * ```json
 * {
 *   "format": "logistic-nomogram/1",
 *   "title": "Lymph-node metastasis",                          // optional
 *   "outcome": { "eventLabel": "N+", "noneventLabel": "N0" },  // optional
 *   "intercept": -3.2,                                         // β0
 *   "predictors": [
 *     { "name": "age", "label": "Age (years)", "type": "continuous",
 *       "coefficient": 0.04, "min": 25, "max": 80 },             // label, min, max optional
 *     { "name": "grade", "type": "factor", "levels": ["G1", "G2", "G3"],
 *       "coefficients": [0, 0.7, 1.5] }                          // 0 for the reference level
 *   ]
 * }
 * ```
 *
 * lp = β0 + Σ coefficient·value (continuous) + coefficient of the chosen level (factor);
 * probability of the event = plogis(lp) (R's logit link inverse). The points scale is rms
 * `nomogram`'s, computed by the core's `nomogram()` (src/model/nomogram.ts): axis values of a
 * continuous predictor = pretty(c(min, max), 10), R[1, j] = min Xβ_j over the axis values,
 * sc = 100 / max_j(R[2, j] − R[1, j]) (the predictor with the widest Xβ range spans 0–100 points),
 * points_j = sc·(Xβ_j − R[1, j]). A continuous predictor without min / max leaves the points scale
 * undefined: the calculator then gives the linear predictor and the probability only.
 */
import { formatCsv } from "../../../src/io/csv.js";
import { logitLinkInverse } from "../../../src/model/logistic.js";
import {
  type Nomogram,
  type NomogramSpec,
  nomogram as rmsNomogram,
  nomogramPoints,
  rPretty,
} from "../../../src/model/nomogram.js";
import {
  FROZEN_MODEL_FORMAT,
  type FrozenModel,
  type PatientScore,
  parseFrozenModel,
  radScoreOf,
  scorePatients,
} from "../../../src/study/frozen-model.js";
import type { NomogramFigure } from "../../../src/study/result.js";

export const GENERIC_NOMOGRAM_FORMAT = "logistic-nomogram/1";

/** Points of the predictor with the widest Xβ range (rms maxscale). */
const MAXSCALE = 100;
/** Axis intervals (rms nint). */
const NINT = 10;

export interface GenericContinuousPredictor {
  name: string;
  label?: string;
  type: "continuous";
  coefficient: number;
  /** Training range (rms datadist): places the points scale; optional. */
  min?: number;
  max?: number;
}

export interface GenericFactorPredictor {
  name: string;
  label?: string;
  type: "factor";
  /** Level names as shown (reference first by convention). */
  levels: string[];
  /** One coefficient per level, 0 for the reference. */
  coefficients: number[];
}

export type GenericPredictor = GenericContinuousPredictor | GenericFactorPredictor;

export interface GenericNomogramModel {
  format: typeof GENERIC_NOMOGRAM_FORMAT;
  title: string;
  outcome: { eventLabel: string; noneventLabel: string };
  intercept: number;
  predictors: GenericPredictor[];
}

/** The short help on the generic format shown in the panel. */
export const GENERIC_FORMAT_HELP = `Besides radscore's own model.json ("radscore-model/1"), the calculator takes any logistic nomogram written as:
{
  "format": "logistic-nomogram/1",
  "title": "Lymph-node metastasis",
  "outcome": { "eventLabel": "N+", "noneventLabel": "N0" },
  "intercept": -3.2,
  "predictors": [
    { "name": "age", "label": "Age (years)", "type": "continuous", "coefficient": 0.04, "min": 25, "max": 80 },
    { "name": "grade", "type": "factor", "levels": ["G1", "G2", "G3"], "coefficients": [0, 0.7, 1.5] }
  ]
}
Linear predictor = intercept + Σ coefficient × value (continuous) + the chosen level's coefficient (factor, 0 for the reference); probability = 1 / (1 + exp(−linear predictor)). "title", "outcome", "label", "min" and "max" are optional. min / max (the training range) place the points scale as R's rms::nomogram does: the predictor with the widest range of coefficient × value spans 0–100 points. Without min / max for every continuous predictor only the probability is given.`;

/** An example generic model (the one of the help text), offered for download. */
export const GENERIC_EXAMPLE: GenericNomogramModel = {
  format: GENERIC_NOMOGRAM_FORMAT,
  title: "Lymph-node metastasis",
  outcome: { eventLabel: "N+", noneventLabel: "N0" },
  intercept: -3.2,
  predictors: [
    {
      name: "age",
      label: "Age (years)",
      type: "continuous",
      coefficient: 0.04,
      min: 25,
      max: 80,
    },
    { name: "grade", type: "factor", levels: ["G1", "G2", "G3"], coefficients: [0, 0.7, 1.5] },
  ],
};

// ---------------------------------------------------------------------------------------------
// Loading

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Parses and checks a generic logistic nomogram (`logistic-nomogram/1`) already read as JSON. */
export function parseGenericModel(raw: unknown, source = "model"): GenericNomogramModel {
  const fail = (msg: string): never => {
    throw new Error(`${source}: ${msg}`);
  };
  if (!isObject(raw)) return fail("not a JSON object");
  if (raw.format !== GENERIC_NOMOGRAM_FORMAT)
    return fail(`format must be '${GENERIC_NOMOGRAM_FORMAT}'`);
  if (!("intercept" in raw)) fail("missing 'intercept' (β0 of the logistic model)");
  if (!isFiniteNumber(raw.intercept)) fail("'intercept' must be a finite number");
  if (raw.title !== undefined && typeof raw.title !== "string") fail("'title' must be a string");
  let outcome = { eventLabel: "event", noneventLabel: "no event" };
  if (raw.outcome !== undefined) {
    const o = raw.outcome;
    if (!isObject(o) || typeof o.eventLabel !== "string" || typeof o.noneventLabel !== "string")
      return fail('\'outcome\' must be { "eventLabel": text, "noneventLabel": text }');
    outcome = { eventLabel: o.eventLabel, noneventLabel: o.noneventLabel };
  }
  if (!("predictors" in raw)) fail("missing 'predictors'");
  if (!Array.isArray(raw.predictors) || raw.predictors.length === 0)
    fail("'predictors' must be a non-empty array");
  const seen = new Set<string>();
  const predictors = (raw.predictors as unknown[]).map((p, i): GenericPredictor => {
    const at = `predictors[${i}]`;
    if (!isObject(p)) return fail(`${at} is not an object`);
    if (typeof p.name !== "string" || p.name.trim() === "")
      return fail(`${at}: missing 'name' (a non-empty text)`);
    const name = p.name;
    const here = `${at} ('${name}')`;
    if (seen.has(name)) fail(`${here}: the name appears twice`);
    seen.add(name);
    if (p.label !== undefined && typeof p.label !== "string") fail(`${here}: 'label' must be text`);
    const label = typeof p.label === "string" && p.label.trim() !== "" ? p.label : undefined;
    if (p.type === "continuous") {
      if (!("coefficient" in p)) fail(`${here}: missing 'coefficient'`);
      if (!isFiniteNumber(p.coefficient)) fail(`${here}: 'coefficient' must be a finite number`);
      const hasMin = p.min !== undefined && p.min !== null;
      const hasMax = p.max !== undefined && p.max !== null;
      if (hasMin !== hasMax)
        fail(`${here}: give both 'min' and 'max' (the training range) or neither`);
      const out: GenericContinuousPredictor = {
        name,
        type: "continuous",
        coefficient: p.coefficient as number,
      };
      if (label) out.label = label;
      if (hasMin) {
        if (!isFiniteNumber(p.min) || !isFiniteNumber(p.max))
          fail(`${here}: 'min' and 'max' must be finite numbers`);
        if (!((p.min as number) < (p.max as number)))
          fail(`${here}: 'min' (${p.min}) must be below 'max' (${p.max})`);
        out.min = p.min as number;
        out.max = p.max as number;
      }
      return out;
    }
    if (p.type === "factor") {
      if (!Array.isArray(p.levels) || p.levels.length < 2)
        fail(`${here}: 'levels' must be an array of at least 2 level names`);
      const levels = (p.levels as unknown[]).map((l) =>
        typeof l === "string"
          ? l
          : isFiniteNumber(l)
            ? String(l)
            : fail(`${here}: level ${JSON.stringify(l)} is not text`),
      );
      if (new Set(levels).size !== levels.length) fail(`${here}: 'levels' has a level twice`);
      if (!Array.isArray(p.coefficients))
        fail(`${here}: missing 'coefficients' (one per level, 0 for the reference)`);
      const coefs = p.coefficients as unknown[];
      if (coefs.length !== levels.length)
        fail(`${here}: ${levels.length} levels but ${coefs.length} coefficients`);
      if (!coefs.every(isFiniteNumber)) fail(`${here}: every coefficient must be a finite number`);
      const out: GenericFactorPredictor = {
        name,
        type: "factor",
        levels,
        coefficients: coefs as number[],
      };
      if (label) out.label = label;
      return out;
    }
    return fail(`${here}: 'type' must be "continuous" or "factor", not ${JSON.stringify(p.type)}`);
  });
  return {
    format: GENERIC_NOMOGRAM_FORMAT,
    title: typeof raw.title === "string" && raw.title.trim() !== "" ? raw.title : "Nomogram",
    outcome,
    intercept: raw.intercept as number,
    predictors,
  };
}

/**
 * The rms nomogram of a generic model by the core's `nomogram()` (null when a continuous
 * predictor has no training range: the points scale is then undefined). The training linear
 * predictors, which only place the total-points and probability axes, are taken as the two ends
 * of the lp range the predictors' ranges allow.
 */
export function genericNomogram(
  model: GenericNomogramModel,
): { spec: NomogramSpec; nomogram: Nomogram } | null {
  let lpLo = model.intercept;
  let lpHi = model.intercept;
  const predictors: NomogramSpec["predictors"] = [];
  for (const p of model.predictors) {
    if (p.type === "continuous") {
      if (p.min === undefined || p.max === undefined) return null;
      const a = p.coefficient * p.min;
      const b = p.coefficient * p.max;
      lpLo += Math.min(a, b);
      lpHi += Math.max(a, b);
      predictors.push({
        name: p.name,
        type: "continuous",
        coefficient: p.coefficient,
        dataRange: [p.min, p.max],
      });
    } else {
      lpLo += Math.min(...p.coefficients);
      lpHi += Math.max(...p.coefficients);
      predictors.push({
        name: p.name,
        type: "factor",
        labels: [...p.levels],
        coefficients: [...p.coefficients],
      });
    }
  }
  const spec: NomogramSpec = {
    intercept: model.intercept,
    predictors,
    trainingLinearPredictors: [lpLo, lpHi],
    maxscale: MAXSCALE,
    nint: NINT,
  };
  return { spec, nomogram: rmsNomogram(spec) };
}

/** One input field of the form. */
export interface InputField {
  /** Key of the value (variable / predictor name). */
  name: string;
  label: string;
  kind: "number" | "choice";
  /** choice: the values (our: manifest cell text; generic: level names) and display labels. */
  levels: string[];
  labels: string[];
  /** Training range, when the model gives it (generic min / max). */
  range: [number, number] | null;
  /**
   * Our format: the value at the start (0 points) of the predictor's nomogram axis (rms: the
   * first pretty() value below the training minimum); model.json stores no training range.
   */
  axisStart: number | null;
  /**
   * Our format with the study's nomogram figure: the axis extent (rms pretty(training range),
   * which covers the training range).
   */
  axisRange: [number, number] | null;
  /** "predictor": on the nomogram; "radscore": our Rad-score; "clinical": clinical model only. */
  role: "predictor" | "radscore" | "clinical";
}

/** The rms constants: R[1, j] per nomogram predictor, points per unit of lp, Intercept_info. */
export interface NomogramConstants {
  names: string[];
  minXbeta: number[];
  sc: number;
  interceptInfo: number;
}

interface CalculatorBase {
  title: string;
  outcome: { eventLabel: string; noneventLabel: string };
  fields: InputField[];
  /** Where it came from (file name or "this study"). */
  source: string;
}

export interface RadscoreCalculator extends CalculatorBase {
  kind: "radscore";
  model: FrozenModel;
  nomogram: NomogramConstants;
  /** Sequences whose image + mask give the Rad-score's features (empty without `extraction`). */
  sequences: string[];
  /** The study's nomogram figure (result.json `nomogram`), when attached: its axes are drawn. */
  figure: NomogramFigure | null;
}

export interface GenericCalculator extends CalculatorBase {
  kind: "generic";
  model: GenericNomogramModel;
  nomogram: NomogramConstants | null;
  rms: { spec: NomogramSpec; nomogram: Nomogram } | null;
}

export type Calculator = RadscoreCalculator | GenericCalculator;

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

/** The calculator of a generic logistic nomogram. */
export function genericCalculator(
  model: GenericNomogramModel,
  source = "model",
): GenericCalculator {
  let rms: GenericCalculator["rms"];
  try {
    rms = genericNomogram(model);
  } catch (err) {
    throw new Error(`${source}: ${(err as Error).message}`);
  }
  const fields = model.predictors.map(
    (p): InputField =>
      p.type === "continuous"
        ? {
            name: p.name,
            label: p.label ?? p.name,
            kind: "number",
            levels: [],
            labels: [],
            range: p.min !== undefined && p.max !== undefined ? [p.min, p.max] : null,
            axisStart: null,
            axisRange: null,
            role: "predictor",
          }
        : {
            name: p.name,
            label: p.label ?? p.name,
            kind: "choice",
            levels: [...p.levels],
            labels: [...p.levels],
            range: null,
            axisStart: null,
            axisRange: null,
            role: "predictor",
          },
  );
  return {
    kind: "generic",
    title: model.title,
    outcome: model.outcome,
    fields,
    source,
    model,
    rms,
    nomogram: rms
      ? {
          names: model.predictors.map((p) => p.name),
          minXbeta: Array.from(rms.nomogram.minXbeta),
          sc: rms.nomogram.sc,
          interceptInfo: rms.nomogram.interceptInfo,
        }
      : null,
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

/**
 * Reads a model file's text: radscore's model.json (`radscore-model/1`, checked by
 * parseFrozenModel) or a generic logistic nomogram (`logistic-nomogram/1`). Errors name the file
 * and what is wrong (not JSON, unknown format, a missing field).
 */
export function loadModelText(text: string, source = "model.json"): Calculator {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(raw)) throw new Error(`${source}: not a model (a JSON object was expected)`);
  if (raw.format === FROZEN_MODEL_FORMAT) {
    let model: FrozenModel;
    try {
      model = parseFrozenModel(text, source);
    } catch (err) {
      // parseFrozenModel reads fields of parts it does not check (a TypeError): say what is wrong.
      const msg = (err as Error).message;
      throw new Error(msg.startsWith(source) ? msg : `${source}: malformed model (${msg})`);
    }
    return radscoreCalculator(model, source);
  }
  if (raw.format === GENERIC_NOMOGRAM_FORMAT)
    return genericCalculator(parseGenericModel(raw, source), source);
  const found =
    raw.format === undefined ? "no 'format' field" : `unknown format ${JSON.stringify(raw.format)}`;
  throw new Error(
    `${source}: ${found}; expected '${FROZEN_MODEL_FORMAT}' (radscore's model.json) or '${GENERIC_NOMOGRAM_FORMAT}' (a logistic nomogram, see the format help)`,
  );
}

// ---------------------------------------------------------------------------------------------
// Reading the entered values

export interface FieldIssue {
  field: string;
  severity: "error" | "warning";
  message: string;
}

export interface ReadValues {
  /** Parsed values: numbers for number fields, the level (value, not label) for choices. */
  values: Record<string, number | string>;
  issues: FieldIssue[];
  /** Every field has a usable value (warnings do not block). */
  complete: boolean;
}

/** The number of an input text ("" and non-numbers are null). */
export function parseNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** Short display of a number (at most 6 significant digits, no float noise). */
export function fmt(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/**
 * Reads the entered texts against the fields: missing and non-numeric values and unknown levels
 * are errors (no score); a value outside the training range (generic min / max) or before the
 * start of the nomogram axis (our format: negative points, below the training minimum) is a
 * warning only. `skip` names fields not read from the texts (the Rad-score from images).
 */
export function readValues(
  calc: Calculator,
  raw: Readonly<Record<string, string | undefined>>,
  skip: readonly string[] = [],
): ReadValues {
  const values: Record<string, number | string> = {};
  const issues: FieldIssue[] = [];
  for (const f of calc.fields) {
    if (skip.includes(f.name)) continue;
    const text = raw[f.name];
    if (f.kind === "choice") {
      if (text === undefined || text === "") {
        issues.push({ field: f.name, severity: "error", message: `choose ${f.label}` });
        continue;
      }
      if (!f.levels.includes(text)) {
        issues.push({
          field: f.name,
          severity: "error",
          message: `'${text}' is not a level of ${f.label} (${f.labels.join(", ")})`,
        });
        continue;
      }
      values[f.name] = text;
      continue;
    }
    if (text === undefined || text.trim() === "") {
      issues.push({ field: f.name, severity: "error", message: `enter ${f.label}` });
      continue;
    }
    const v = parseNumber(text);
    if (v === null) {
      issues.push({
        field: f.name,
        severity: "error",
        message: `${f.label}: '${text.trim()}' is not a number (use a dot for decimals)`,
      });
      continue;
    }
    values[f.name] = v;
    const w = rangeWarning(calc, f, v);
    if (w) issues.push({ field: f.name, severity: "warning", message: w });
  }
  return { values, issues, complete: !issues.some((i) => i.severity === "error") };
}

/** Warning text for a value outside the known range of a number field (null when inside). */
export function rangeWarning(calc: Calculator, f: InputField, v: number): string | null {
  if (f.range) {
    const [lo, hi] = f.range;
    if (v < lo || v > hi)
      return `${f.label} = ${fmt(v)} is outside the training range ${fmt(lo)}–${fmt(hi)}: the model extrapolates`;
    return null;
  }
  if (f.axisRange) {
    const [lo, hi] = f.axisRange;
    if (v < lo || v > hi)
      return `${f.label} = ${fmt(v)} is outside its nomogram axis ${fmt(lo)}–${fmt(hi)}, beyond the training range: the model extrapolates`;
    return null;
  }
  if (calc.kind === "radscore" && f.axisStart !== null) {
    const j = calc.nomogram.names.indexOf(f.name);
    const p = calc.model.nomogram.predictors[j];
    if (p?.type === "continuous" && p.coefficient) {
      const points = (v * p.coefficient - calc.nomogram.minXbeta[j]!) * calc.nomogram.sc;
      if (points < -1e-9)
        return `${f.label} = ${fmt(v)} lies before the start of its nomogram axis (${fmt(f.axisStart)}), outside the training range: the model extrapolates`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Scoring

export interface PredictorPoints {
  name: string;
  label: string;
  /** The value as shown (number or level label). */
  value: string;
  points: number;
}

export interface ModelScore {
  model: "clinical" | "radiomics" | "nomogram";
  probability: number;
  /** The score compared with the cut-off (probability; radiomics: the Rad-score). */
  score: number;
  threshold: number;
  predicted: 0 | 1;
}

export interface CalcResult {
  /** Null when the points scale is undefined (generic model without training ranges). */
  points: PredictorPoints[] | null;
  totalPoints: number | null;
  linearPredictor: number;
  /** Predicted probability of the event (the nomogram's). */
  probability: number;
  /** Our format: the Rad-score, the full PatientScore and the three models at their cut-offs. */
  radScore?: number;
  score?: PatientScore;
  models?: ModelScore[];
}

/**
 * The frozen model with the Rad-score fixed at `radScore`: no features, the value as the
 * intercept, so radScoreOf (and therefore scorePatients) yields exactly `radScore`.
 */
export function withFixedRadScore(model: FrozenModel, radScore: number): FrozenModel {
  return {
    ...model,
    features: [],
    radscore: { ...model.radscore, intercept: radScore, coefficients: [] },
  };
}

/** Display label of a field's value. */
function valueLabel(f: InputField | undefined, v: number | string): string {
  if (!f) return String(v);
  if (f.kind === "choice") return f.labels[f.levels.indexOf(String(v))] ?? String(v);
  return typeof v === "number" ? String(v) : v;
}

/**
 * Scores one patient. Our format: scorePatients (as `radscore predict`) with the clinical values
 * and either the Rad-score's raw features (`features`, from images) or the entered Rad-score
 * (values[radscoreName]). Generic: lp = β0 + Σ Xβ_j, probability = plogis(lp); points by the
 * core's nomogramPoints when the points scale is defined. Throws on incomplete values.
 */
export function scorePatient(
  calc: Calculator,
  values: Readonly<Record<string, number | string>>,
  id = "patient",
  features?: Readonly<Record<string, number>>,
): CalcResult {
  const fieldOf = (name: string) => calc.fields.find((f) => f.name === name);
  if (calc.kind === "radscore") {
    const m = calc.model;
    const clinical: Record<string, string | number> = {};
    for (const v of m.clinicalVariables) {
      const x = values[v.name];
      if (x === undefined) throw new Error(`'${v.name}' is missing`);
      clinical[v.name] = x;
    }
    let score: PatientScore;
    if (features) {
      score = scorePatients(m, [{ id, clinical, features }])[0]!;
    } else {
      const r = values[m.radscoreName];
      if (typeof r !== "number" || !Number.isFinite(r)) throw new Error("the Rad-score is missing");
      score = scorePatients(withFixedRadScore(m, r), [{ id, clinical, features: {} }])[0]!;
    }
    const shown: Record<string, number | string> = { ...values, [m.radscoreName]: score.radScore };
    const points = m.nomogram.predictors.map((p) => ({
      name: p.name,
      label: p.name === m.radscoreName ? "Rad-score" : (fieldOf(p.name)?.label ?? p.name),
      value: valueLabel(fieldOf(p.name), shown[p.name]!),
      points: score.nomogramPoints[p.name]!,
    }));
    const t = m.thresholds;
    return {
      points,
      totalPoints: score.totalPoints,
      linearPredictor: score.nomogramLinearPredictor,
      probability: score.nomogramProbability,
      radScore: score.radScore,
      score,
      models: [
        {
          model: "clinical",
          probability: score.clinicalProbability,
          score: score.clinicalProbability,
          threshold: t.clinical,
          predicted: score.predicted.clinical,
        },
        {
          model: "radiomics",
          probability: score.radiomicsProbability,
          score: score.radScore,
          threshold: t.radiomics,
          predicted: score.predicted.radiomics,
        },
        {
          model: "nomogram",
          probability: score.nomogramProbability,
          score: score.nomogramProbability,
          threshold: t.nomogram,
          predicted: score.predicted.nomogram,
        },
      ],
    };
  }
  const g = calc.model;
  let lp = g.intercept;
  const args: (number | string)[] = [];
  for (const p of g.predictors) {
    const v = values[p.name];
    if (v === undefined) throw new Error(`'${p.name}' is missing`);
    if (p.type === "continuous") {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new Error(`'${p.name}' = '${String(v)}' is not a number`);
      lp += p.coefficient * v;
      args.push(v);
    } else {
      const k = p.levels.indexOf(String(v));
      if (k < 0) throw new Error(`'${String(v)}' is not a level of '${p.name}'`);
      lp += p.coefficients[k]!;
      args.push(k);
    }
  }
  let points: PredictorPoints[] | null = null;
  let totalPoints: number | null = null;
  if (calc.rms) {
    const pp = nomogramPoints(calc.rms.nomogram, calc.rms.spec, args);
    points = g.predictors.map((p, j) => ({
      name: p.name,
      label: p.label ?? p.name,
      value: valueLabel(fieldOf(p.name), values[p.name]!),
      points: pp.points[j]!,
    }));
    totalPoints = pp.totalPoints;
  }
  return { points, totalPoints, linearPredictor: lp, probability: logitLinkInverse(lp) };
}

/** Rad-score of extracted features (the pure radScoreOf; throws naming a missing feature). */
export function radScoreOfFeatures(
  calc: RadscoreCalculator,
  features: Readonly<Record<string, number>>,
  id = "patient",
): number {
  return radScoreOf(calc.model, { id, clinical: {}, features });
}

// ---------------------------------------------------------------------------------------------
// The drawn nomogram's data

export interface DrawingAxis {
  name: string;
  /** Tick labels at their points. */
  ticks: { label: string; points: number }[];
  /** The patient's points on this axis. */
  marker: number | null;
  /** A footnote (e.g. the axis spans the points scale because the range is unknown). */
  note: string | null;
}

export interface NomogramDrawing {
  axes: DrawingAxis[];
  /** Total-points tick values. */
  totalTicks: number[];
  totalMarker: number | null;
  /** Probability ticks at their total points. */
  probabilityTicks: { p: number; points: number }[];
  probabilityMarker: number | null;
  probabilityLabel: string;
}

/** Probability ticks of our models' drawing (the frozen model keeps no fun.at). */
const PROBABILITY_TICKS = [0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

/**
 * What to draw: rms' axes for a generic model (core nomogram(): pretty axis values, total-points
 * axis, probability ticks at qlogis(p)); for our format the study's figure when attached
 * (withStudyFigure), else axes from the frozen constants: factor levels at their points, a
 * continuous axis from its rms start (0 points) to the patient's value, since model.json keeps no
 * training range. Null when the points scale is undefined.
 */
export function nomogramDrawing(
  calc: Calculator,
  result: CalcResult | null,
): NomogramDrawing | null {
  const markerOf = (name: string) => result?.points?.find((p) => p.name === name)?.points ?? null;
  const probabilityLabel = `Probability of ${calc.outcome.eventLabel}`;
  if (calc.kind === "generic") {
    if (!calc.rms) return null;
    const n = calc.rms.nomogram;
    const axes = n.predictors.map((a, j) => ({
      name: calc.fields[j]?.label ?? a.name,
      ticks: (a.values as (number | string)[]).map((v, k) => ({
        label: typeof v === "number" ? fmt(v, 10) : v,
        points: a.points[k]!,
      })),
      marker: markerOf(a.name),
      note: null,
    }));
    return {
      axes,
      totalTicks: Array.from(n.totalPointsAxis),
      totalMarker: result?.totalPoints ?? null,
      probabilityTicks: Array.from(n.probabilityAxis.probability, (p, k) => ({
        p,
        points: n.probabilityAxis.pointsExact[k]!,
      })),
      probabilityMarker: result?.totalPoints ?? null,
      probabilityLabel,
    };
  }
  const m = calc.model;
  const axisName = (name: string) =>
    name === m.radscoreName
      ? "Rad-score"
      : (calc.fields.find((f) => f.name === name)?.label ?? name);
  if (calc.figure) {
    const fig = calc.figure;
    return {
      axes: fig.axes.map((a) => ({
        name: axisName(a.name),
        ticks: a.labels.map((label, k) => ({ label, points: a.points[k]! })),
        marker: markerOf(a.name),
        note: null,
      })),
      totalTicks: [...fig.totalPoints.values],
      totalMarker: result?.totalPoints ?? null,
      probabilityTicks: fig.probability.values.map((p, k) => ({
        p,
        points: fig.probability.points[k]!,
      })),
      probabilityMarker: result?.totalPoints ?? null,
      probabilityLabel,
    };
  }
  const { minXbeta, sc, interceptInfo } = calc.nomogram;
  const axes: DrawingAxis[] = m.nomogram.predictors.map((p, j) => {
    const field = calc.fields.find((f) => f.name === p.name);
    const name = axisName(p.name);
    const pointsOf = (xbeta: number) => (xbeta - minXbeta[j]!) * sc;
    if (p.type === "factor") {
      const levels = p.levels ?? [];
      return {
        name,
        ticks: levels.map((l, k) => ({
          label: p.labels?.[k] ?? field?.labels[k] ?? l,
          points: pointsOf(p.coefficients![k]!),
        })),
        marker: markerOf(p.name),
        note: null,
      };
    }
    const b = p.coefficient!;
    const start = b === 0 ? 0 : minXbeta[j]! / b;
    // The patient's value, as entered (or the Rad-score scored).
    const entered =
      p.name === m.radscoreName ? result?.radScore : result?.points?.find((q) => q.name === p.name);
    const v = typeof entered === "number" ? entered : entered ? Number(entered.value) : Number.NaN;
    if (b === 0 || !Number.isFinite(v) || v === start)
      return {
        name,
        ticks: [{ label: fmt(start, 10), points: 0 }],
        marker: markerOf(p.name),
        note: b === 0 ? "no effect" : null,
      };
    // Round values between the axis start and the patient's value, and the start itself.
    const lo = Math.min(start, v);
    const hi = Math.max(start, v);
    const eps = 1e-9 * (hi - lo);
    const values = [
      start,
      ...Array.from(rPretty(lo, hi, 5)).filter(
        (x) => x >= lo - eps && x <= hi + eps && Math.abs(x - start) > eps,
      ),
    ].sort((x, y) => x - y);
    return {
      name,
      ticks: values.map((x) => ({ label: fmt(x, 10), points: pointsOf(x * b) })),
      marker: markerOf(p.name),
      note: "axis drawn from its start to the patient's value (model.json keeps no training range)",
    };
  });
  let maxTotal = result?.totalPoints ?? 0;
  for (const a of axes) maxTotal = Math.max(maxTotal, ...a.ticks.map((t) => t.points));
  const totalTicks = Array.from(rPretty(0, Math.max(maxTotal, MAXSCALE), NINT));
  const tHi = totalTicks[totalTicks.length - 1]!;
  const probabilityTicks = PROBABILITY_TICKS.map((p) => ({
    p,
    points: (Math.log(p / (1 - p)) - interceptInfo) * sc,
  })).filter((t) => t.points >= 0 && t.points <= tHi);
  return {
    axes,
    totalTicks,
    totalMarker: result?.totalPoints ?? null,
    probabilityTicks,
    probabilityMarker: result?.totalPoints ?? null,
    probabilityLabel,
  };
}

// ---------------------------------------------------------------------------------------------
// CSV of the patient

/**
 * One-row CSV of the entered patient and its scores (full precision): ID, the entered values
 * (level codes as entered), then for our format the columns of `radscore predict --out` (radscore,
 * points_*, total_points, p_clinical, p_radiomics, p_nomogram) plus the linear predictor and the
 * three classes; for a generic model points_* / total_points (when defined), linear_predictor and
 * p_<event>.
 */
export function patientCsv(
  calc: Calculator,
  id: string,
  values: Readonly<Record<string, number | string>>,
  result: CalcResult,
): string {
  const inputs = calc.fields.filter((f) => f.role !== "radscore");
  const header = ["ID", ...inputs.map((f) => f.name)];
  const row: (string | number | null)[] = [id, ...inputs.map((f) => values[f.name] ?? null)];
  if (calc.kind === "radscore" && result.score) {
    const s = result.score;
    const names = calc.model.nomogram.predictors.map((p) => p.name);
    header.push(
      "radscore",
      ...names.map((n) => `points_${n}`),
      "total_points",
      "p_clinical",
      "p_radiomics",
      "p_nomogram",
      "lp_nomogram",
      "class_clinical",
      "class_radiomics",
      "class_nomogram",
    );
    row.push(
      s.radScore,
      ...names.map((n) => s.nomogramPoints[n]!),
      s.totalPoints,
      s.clinicalProbability,
      s.radiomicsProbability,
      s.nomogramProbability,
      s.nomogramLinearPredictor,
      s.predicted.clinical,
      s.predicted.radiomics,
      s.predicted.nomogram,
    );
  } else {
    if (result.points) {
      header.push(...result.points.map((p) => `points_${p.name}`), "total_points");
      row.push(...result.points.map((p) => p.points), result.totalPoints);
    }
    header.push("linear_predictor", "p_event");
    row.push(result.linearPredictor, result.probability);
  }
  return formatCsv(header, [row]);
}
