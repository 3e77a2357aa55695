/**
 * The generic format, for "anyone's" logistic nomogram (a published one, an R fit): its types,
 * the help text and example shown in the panel, the parser and checks of a `logistic-nomogram/1`
 * file, its conversion to the core's rms nomogram and the calculator built from it.
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
import {
  type Nomogram,
  type NomogramSpec,
  nomogram as rmsNomogram,
} from "../../../src/model/nomogram.js";
import type { GenericCalculator, InputField } from "./calculator.js";
import { isFiniteNumber, isObject } from "./guards.js";

export const GENERIC_NOMOGRAM_FORMAT = "logistic-nomogram/1";

/** Points of the predictor with the widest Xβ range (rms maxscale). */
export const MAXSCALE = 100;
/** Axis intervals (rms nint). */
export const NINT = 10;

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
