/**
 * The frozen model (model.json): everything needed to score a new patient exactly as the study
 * scored its own — extraction settings per sequence, the training-fitted scaler of the selected
 * features, the Rad-score coefficients, the clinical coding and both logistic models (and how each
 * model was fitted: maximum likelihood, Firth or LASSO), the rms nomogram constants, the training
 * Youden cut-offs and the software versions — and the pure scorer `scorePatients`. The pipeline
 * scores its training and test patients with the same function, so `radscore predict` reproduces
 * the study's probabilities bit for bit.
 * Pure (browser-safe).
 */
import { logitLinkInverse } from "../model/logistic.js";
import { applyCombat, type CombatModel, parseCombatModel } from "../stats/combat/index.js";
import type { ClinicalVariable } from "./cohort.js";
import type { FitMethodRecord, ModelName } from "./result.js";

export const FROZEN_MODEL_FORMAT = "radscore-model/1";

/** A logistic model over design terms: lp = b0 + Σ b_k x_k (term order). */
export interface FrozenLinearModel {
  /** Clinical variable names (and the Rad-score name for the nomogram model), in formula order. */
  predictors: string[];
  /** Non-intercept terms: column (predictor) and level (factor dummy) or null (numeric). */
  terms: { term: string; column: string; level: string | null }[];
  /** Intercept first, then one coefficient per term. */
  coefficients: number[];
}

export type FrozenScaler =
  | {
      kind: "minmax";
      formula: "r" | "sklearn";
      featureRange: [number, number];
      dataMin: number[];
      dataMax: number[];
      scale: number[];
      min: number[];
    }
  | { kind: "zscore"; mean: number[]; scale: number[] };

export interface FrozenNomogramPredictor {
  name: string;
  type: "continuous" | "factor";
  /** continuous: β; factor: one coefficient per level (0 for the reference), level order. */
  coefficient?: number;
  coefficients?: number[];
  /** factor: the manifest cell text of each level and its display label. */
  levels?: string[];
  labels?: string[];
}

export interface FrozenModel {
  format: typeof FROZEN_MODEL_FORMAT;
  title: string;
  createdAt: string;
  software: Record<string, string>;
  outcome: { eventLabel: string; noneventLabel: string };
  /** Image mode: per sequence the PyRadiomics parameter text (null = defaults) and ROI label. */
  extraction: Record<string, { paramsText: string | null; label: number | null }> | null;
  /** Names of the filters (image types other than Original) the extraction used. */
  sequences: string[];
  /** Features of the Rad-score (scaled by `scaler`, fitted on training), in coefficient order. */
  features: string[];
  scaler: FrozenScaler;
  /**
   * The Rad-score's coefficients: the LASSO's, a maximum-likelihood refit's ("logistic") or a
   * Firth refit's ("firth"); scored the same way whatever their source.
   */
  radscore: { source: "lasso" | "logistic" | "firth"; intercept: number; coefficients: number[] };
  /** Name under which the Rad-score enters the nomogram. */
  radscoreName: string;
  clinicalVariables: ClinicalVariable[];
  clinicalModel: FrozenLinearModel;
  nomogramModel: FrozenLinearModel;
  nomogram: {
    predictors: FrozenNomogramPredictor[];
    /** rms R[1, j] (min Xβ_j over the axis values), points per unit of lp, β0 + Σ R[1, j]. */
    minXbeta: number[];
    sc: number;
    interceptInfo: number;
  };
  /**
   * Training Youden cut-offs (applied unchanged to new patients): clinical and nomogram on the
   * probability scale, radiomics on the Rad-score scale; positive when score >= cut-off.
   */
  thresholds: Record<ModelName, number>;
  /**
   * How each model's coefficients were fitted (maximum likelihood, Firth's penalised likelihood or
   * the LASSO) and why; absent in models written before Firth's penalised likelihood was offered.
   */
  fitMethods?: Record<ModelName, FitMethodRecord>;
  /**
   * ComBat across centres (preprocessing.combat): the Rad-score features of a patient are
   * harmonised with `model` (its centre, the cohort's `centreColumn`, must be one it was fitted on)
   * before they are scaled. Absent when the study did not harmonise.
   */
  combat?: { centreColumn: string; model: CombatModel };
}

/** One patient to score: clinical cells as in the manifest and raw (unscaled) feature values. */
export interface PatientInput {
  id: string;
  clinical: Readonly<Record<string, string | number | null | undefined>>;
  features: Readonly<Record<string, number>>;
  /** The patient's centre: needed when the model harmonises with ComBat. */
  centre?: string | null;
}

export interface PatientScore {
  id: string;
  radScore: number;
  /** plogis(Rad-score): the radiomics model's probability. */
  radiomicsProbability: number;
  clinicalProbability: number;
  nomogramProbability: number;
  nomogramLinearPredictor: number;
  /** Nomogram points per predictor (rms: sc·(Xβ_j − R[1, j])) and their total. */
  nomogramPoints: Record<string, number>;
  totalPoints: number;
  /** 1 when the score reaches the training cut-off. */
  predicted: Record<ModelName, 0 | 1>;
}

/** Scaled value of feature k (same arithmetic as src/stats/scaling.ts apply*Scaler). */
export function scaleFeatureValue(scaler: FrozenScaler, k: number, v: number): number {
  if (scaler.kind === "zscore") return (v - scaler.mean[k]!) / scaler.scale[k]!;
  if (scaler.formula === "sklearn") return v * scaler.scale[k]! + scaler.min[k]!;
  const [lo, hi] = scaler.featureRange;
  const a = scaler.dataMin[k]!;
  const range = scaler.dataMax[k]! - a;
  return range === 0 ? lo : lo + ((v - a) / range) * (hi - lo);
}

/**
 * Rad-score = intercept + Σ_k coef_k · scaled(x_k), summed in feature order (as
 * src/model/radscore.ts radScore).
 */
export function radScoreOf(model: FrozenModel, patient: PatientInput): number {
  const raw = model.features.map((name) => {
    const v = patient.features[name];
    if (v === undefined)
      throw new Error(`patient '${patient.id}': feature '${name}' of the Rad-score is missing`);
    if (!Number.isFinite(v))
      throw new Error(`patient '${patient.id}': feature '${name}' is ${v}, not a finite number`);
    return v;
  });
  const values = model.combat ? harmonised(model.combat, patient, raw) : raw;
  let s = model.radscore.intercept;
  values.forEach((v, k) => {
    const b = model.radscore.coefficients[k]!;
    if (b !== 0) s += b * scaleFeatureValue(model.scaler, k, v);
  });
  return s;
}

/** A patient's Rad-score features harmonised with the study's ComBat model. */
function harmonised(
  combat: NonNullable<FrozenModel["combat"]>,
  patient: PatientInput,
  raw: number[],
): number[] {
  const centre = patient.centre;
  if (centre === null || centre === undefined || centre === "")
    throw new Error(
      `patient '${patient.id}': the model harmonises features across centres (ComBat): give the patient's centre ('${combat.centreColumn}')`,
    );
  if (!combat.model.batchLevels.includes(centre))
    throw new Error(
      `patient '${patient.id}': centre '${centre}' was not in the ComBat fit (${combat.model.batchLevels.join(", ")}); a new centre needs the study rerun with its patients`,
    );
  return Array.from(applyCombat(combat.model, { data: [raw], batch: [centre] })[0]!);
}

/** Design value of one term for a patient (numeric cell or 0/1 dummy); errors name the patient. */
function termValue(
  term: FrozenLinearModel["terms"][number],
  value: string | number | null | undefined,
  id: string,
): number {
  if (value === null || value === undefined || value === "")
    throw new Error(`patient '${id}': '${term.column}' is missing`);
  if (term.level === null) {
    const x = typeof value === "number" ? value : Number(value);
    if (!Number.isFinite(x))
      throw new Error(`patient '${id}': '${term.column}' = '${value}' is not a number`);
    return x;
  }
  return String(value) === term.level ? 1 : 0;
}

/** Linear predictor b0 + Σ b_k x_k of a frozen logistic model, terms in order. */
export function linearPredictorOf(
  lm: FrozenLinearModel,
  values: Readonly<Record<string, string | number | null | undefined>>,
  id: string,
  variables: readonly ClinicalVariable[],
): number {
  let eta = lm.coefficients[0]!;
  lm.terms.forEach((t, k) => {
    const v = variables.find((x) => x.name === t.column);
    const cell = values[t.column];
    if (v && v.type === "categorical" && cell !== null && cell !== undefined) {
      if (!v.levels.includes(String(cell)))
        throw new Error(
          `patient '${id}': '${t.column}' = '${cell}' is not one of the levels ${v.levels.join(", ")}`,
        );
    }
    eta += lm.coefficients[k + 1]! * termValue(t, cell, id);
  });
  return eta;
}

/**
 * Scores patients with a frozen model: Rad-score; clinical, radiomics (plogis(Rad-score)) and
 * nomogram probabilities (R's logit link inverse of the linear predictor); nomogram points
 * points_j = sc·(Xβ_j − R[1, j]) and their total (rms nomogram, Harrell 2015 §10); the class at
 * the training cut-offs.
 */
export function scorePatients(model: FrozenModel, rows: readonly PatientInput[]): PatientScore[] {
  if (model.format !== FROZEN_MODEL_FORMAT)
    throw new Error(
      `model: unknown format '${String(model.format)}' (expected ${FROZEN_MODEL_FORMAT})`,
    );
  return rows.map((row) => {
    const radScore = radScoreOf(model, row);
    const values: Record<string, string | number | null | undefined> = {
      ...row.clinical,
      [model.radscoreName]: radScore,
    };
    const clinicalLp = linearPredictorOf(
      model.clinicalModel,
      values,
      row.id,
      model.clinicalVariables,
    );
    const nomoLp = linearPredictorOf(model.nomogramModel, values, row.id, model.clinicalVariables);
    const nomogramPoints: Record<string, number> = {};
    let totalPoints = 0;
    model.nomogram.predictors.forEach((pr, j) => {
      const v = values[pr.name];
      let xbeta: number;
      if (pr.type === "continuous") {
        xbeta = Number(v) * pr.coefficient!;
      } else {
        const idx = pr.levels!.indexOf(String(v));
        if (idx < 0)
          throw new Error(
            `patient '${row.id}': '${pr.name}' = '${String(v)}' is not one of ${pr.levels!.join(", ")}`,
          );
        xbeta = pr.coefficients![idx]!;
      }
      const pts = (xbeta - model.nomogram.minXbeta[j]!) * model.nomogram.sc;
      nomogramPoints[pr.name] = pts;
      totalPoints += pts;
    });
    const clinicalProbability = logitLinkInverse(clinicalLp);
    const radiomicsProbability = logitLinkInverse(radScore);
    const nomogramProbability = logitLinkInverse(nomoLp);
    const t = model.thresholds;
    return {
      id: row.id,
      radScore,
      radiomicsProbability,
      clinicalProbability,
      nomogramProbability,
      nomogramLinearPredictor: nomoLp,
      nomogramPoints,
      totalPoints,
      predicted: {
        clinical: clinicalProbability >= t.clinical ? 1 : 0,
        radiomics: radScore >= t.radiomics ? 1 : 0,
        nomogram: nomogramProbability >= t.nomogram ? 1 : 0,
      },
    };
  });
}

/** Parses and checks model.json text. */
export function parseFrozenModel(text: string, source = "model.json"): FrozenModel {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON: ${(err as Error).message}`);
  }
  const m = raw as FrozenModel;
  if (!m || typeof m !== "object" || m.format !== FROZEN_MODEL_FORMAT)
    throw new Error(`${source}: not a radscore model (format must be '${FROZEN_MODEL_FORMAT}')`);
  for (const key of [
    "features",
    "scaler",
    "radscore",
    "clinicalModel",
    "nomogramModel",
    "nomogram",
    "thresholds",
  ] as const) {
    if (!(key in m)) throw new Error(`${source}: missing '${key}'`);
  }
  if (m.radscore.coefficients.length !== m.features.length)
    throw new Error(`${source}: radscore.coefficients and features differ in length`);
  if (m.combat !== undefined) {
    if (!m.combat || typeof m.combat.centreColumn !== "string")
      throw new Error(`${source}: 'combat' needs a 'centreColumn' and a 'model'`);
    let combat: CombatModel;
    try {
      combat = parseCombatModel(m.combat.model);
    } catch (e) {
      throw new Error(`${source}: combat: ${(e as Error).message}`);
    }
    if (combat.features.join("\n") !== m.features.join("\n"))
      throw new Error(`${source}: combat.model's features are not the Rad-score's features`);
  }
  return m;
}
