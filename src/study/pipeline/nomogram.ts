/**
 * Step 7 of the study pipeline, the nomogram: rms nomogram numbers from the nomogram model
 * (maximum likelihood or Firth; training ranges of the continuous predictors), the complete frozen
 * model (clinical and nomogram models, nomogram axes, how each model was fitted), the nomogram
 * figure, and the scores of every patient with the frozen model.
 */
import { type NomogramPredictorSpec, type NomogramSpec, nomogram } from "../../model/nomogram.js";
import {
  type FrozenModel,
  type FrozenNomogramPredictor,
  type PatientInput,
  type PatientScore,
  scorePatients,
} from "../frozen-model.js";
import type { NomogramFigure } from "../result.js";
import { type ClinicalModels, frozenLinear } from "./clinical-models.js";
import { pick, type StudyRun } from "./context.js";
import type { RadscoreModel } from "./radscore.js";

export interface NomogramStep {
  /** The frozen model (thresholds still 0: the discrimination step sets them). */
  model: FrozenModel;
  nomogramFigure: NomogramFigure;
  /** Every patient's clinical values and Rad-score features, as the frozen model scores them. */
  rows: PatientInput[];
  /** Scores of every patient with `model`. */
  scores: PatientScore[];
}

/**
 * 7. Nomogram (rms), training ranges and linear predictors; the frozen model and every patient's
 * scores with it.
 */
export function nomogramStep(
  run: StudyRun,
  radscore: RadscoreModel,
  models: ClinicalModels,
): NomogramStep {
  const { config, cohort, patients, train } = run;
  const { featureRecord, radscoreName, partialModel, radScores } = radscore;
  const { clinVars, clin, nomoVars, nomo, fitMethods } = models;
  const nomoPredictors: NomogramPredictorSpec[] = [];
  const frozenNomoPredictors: FrozenNomogramPredictor[] = [];
  const coefOfTerm = (term: string) =>
    nomo.coefficients[nomo.terms.findIndex((t) => t.term === term)]!;
  for (const name of nomoVars) {
    const v = cohort.variables.find((x) => x.name === name);
    if (!v || v.type === "continuous") {
      const values =
        name === radscoreName
          ? pick(radScores, train)
          : Float64Array.from(train, (i) => Number(patients[i]!.clinical[name]));
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const x of values) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      const b = coefOfTerm(name);
      nomoPredictors.push({ name, type: "continuous", coefficient: b, dataRange: [lo, hi] });
      frozenNomoPredictors.push({ name, type: "continuous", coefficient: b });
    } else if (v.type === "binary") {
      const b = coefOfTerm(name);
      nomoPredictors.push({ name, type: "factor", labels: v.labels, coefficients: [0, b] });
      frozenNomoPredictors.push({
        name,
        type: "factor",
        levels: ["0", "1"],
        labels: v.labels,
        coefficients: [0, b],
      });
    } else {
      const coefs = v.levels.map((l) => (l === v.reference ? 0 : coefOfTerm(`${name}${l}`)));
      nomoPredictors.push({ name, type: "factor", labels: v.labels, coefficients: coefs });
      frozenNomoPredictors.push({
        name,
        type: "factor",
        levels: v.levels,
        labels: v.labels,
        coefficients: coefs,
      });
    }
  }
  const nomoSpec: NomogramSpec = {
    intercept: nomo.coefficients[0]!,
    predictors: nomoPredictors,
    trainingLinearPredictors: nomo.linearPredictor,
    maxscale: config.nomogram.maxscale,
    nint: config.nomogram.nint,
    probabilityTicks: config.nomogram.probabilityTicks,
    totalPointsStep: config.nomogram.totalPointsStep,
  };
  const nomoNumbers = nomogram(nomoSpec);
  const usedVars = cohort.variables.filter(
    (v) => nomoVars.includes(v.name) || clinVars.includes(v.name),
  );
  const model: FrozenModel = {
    ...partialModel,
    clinicalVariables: usedVars,
    clinicalModel: frozenLinear(clin, clinVars),
    nomogramModel: frozenLinear(nomo, nomoVars),
    nomogram: {
      predictors: frozenNomoPredictors,
      minXbeta: Array.from(nomoNumbers.minXbeta),
      sc: nomoNumbers.sc,
      interceptInfo: nomoNumbers.interceptInfo,
    },
    fitMethods: {
      clinical: fitMethods.clinical,
      radiomics: fitMethods.radiomics,
      nomogram: fitMethods.nomogram,
    },
  };
  const nomogramFigure: NomogramFigure = {
    axes: nomoNumbers.predictors.map((a) => ({
      name: a.name,
      labels: (a.values as (number | string)[]).map(String),
      points: Array.from(a.points),
    })),
    totalPoints: { values: Array.from(nomoNumbers.totalPointsAxis) },
    probability: {
      values: Array.from(nomoNumbers.probabilityAxis.probability),
      points: Array.from(nomoNumbers.probabilityAxis.pointsExact),
    },
  };

  // Scores of every patient with the frozen model (training cut-offs are filled in by the
  // discrimination step).
  const rows = patients.map((p, i) => ({
    id: p.id,
    clinical: p.clinical,
    features: featureRecord(i),
    centre: p.centre,
  }));
  const scores = scorePatients(model, rows);
  return { model, nomogramFigure, rows, scores };
}
