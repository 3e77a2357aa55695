/**
 * Scoring one patient: points per predictor, total points, linear predictor and probabilities.
 *
 * Our format is scored by `scorePatients` of src/study/frozen-model.ts, the very function
 * `radscore predict` calls, so the probabilities are bit for bit those of the CLI. A Rad-score
 * entered directly goes through the same function: the model is copied with no Rad-score
 * features and the entered value as the Rad-score's intercept, so `radScoreOf` returns exactly
 * the entered number and everything downstream (clinical and nomogram linear predictors, points,
 * classes at the training cut-offs) is computed by the unchanged code.
 *
 * A generic model: lp = β0 + Σ Xβ_j, probability of the event = plogis(lp) (R's logit link
 * inverse); points by the core's nomogramPoints (src/model/nomogram.ts) when the points scale is
 * defined.
 */
import { logitLinkInverse } from "../../../src/model/logistic.js";
import { nomogramPoints } from "../../../src/model/nomogram.js";
import {
  type FrozenModel,
  type PatientScore,
  radScoreOf,
  scorePatients,
} from "../../../src/study/frozen-model.js";
import type { Calculator, InputField, RadscoreCalculator } from "./calculator.js";

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
