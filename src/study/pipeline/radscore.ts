/**
 * Step 5 of the study pipeline, the Rad-score model: the LASSO linear predictor on the selected
 * features, or a logistic refit (always when a feature was forced back) by maximum likelihood or,
 * when it separates (`radscore.firth`), by Firth's penalised likelihood; the frozen model's
 * Rad-score part (scaler of the selected features, coefficients, source) and the Rad-score of
 * every patient computed with the frozen arithmetic.
 */
import { subsetCombatModel } from "../../stats/combat/index.js";
import { VERSION } from "../../version.js";
import { FROZEN_MODEL_FORMAT, type FrozenModel, scorePatients } from "../frozen-model.js";
import type { FitMethodRecord } from "../result.js";
import type { StudyRun } from "./context.js";
import { fitWithFirthSwitch } from "./firth-switch.js";
import { type FilteredFeatures, type FittedScaler, subsetScaler } from "./preprocessing.js";
import type { FTestSelection, LassoSelection } from "./selection.js";
import type { StudyInput, StudyRunOptions } from "./types.js";

export interface RadscoreModel {
  /** Indices (into the kept features) of the Rad-score's features. */
  finalIdx: number[];
  /** Whether the Rad-score is a logistic refit (maximum likelihood or Firth). */
  refit: boolean;
  /** How the Rad-score's coefficients were fitted (LASSO, maximum likelihood or Firth) and why. */
  fitMethod: FitMethodRecord;
  rsCoefs: number[];
  /** The raw Rad-score features of patient i (an error names a non-finite value). */
  featureRecord: (i: number) => Record<string, number>;
  radscoreName: string;
  /** The frozen model with its Rad-score part filled in. */
  partialModel: FrozenModel;
  /** Rad-score of every cohort patient. */
  radScores: Float64Array;
}

/** 5. Rad-score model; every patient's Rad-score. */
export function radscoreStep(
  run: StudyRun,
  input: StudyInput,
  options: StudyRunOptions,
  filtered: FilteredFeatures,
  scaled: FittedScaler,
  selection: FTestSelection,
  lasso: LassoSelection,
): RadscoreModel {
  const { config, cohort, rawFeatures, patients, train, yTrain, warnings } = run;
  const { names } = filtered;
  const { Xtrain, frozenScalerAll } = scaled;
  const { candNames } = selection;
  const { lassoIntercept, lassoBeta, seqList, finalNames, forced } = lasso;
  const nTrain = train.length;
  const finalIdx = finalNames.map((f) => names.indexOf(f));
  const refit = config.radscore.model === "logistic" || forced.length > 0;
  let rsIntercept: number;
  let rsCoefs: number[];
  let fitMethod: FitMethodRecord;
  if (refit) {
    const X = Array.from({ length: nTrain }, (_, i) =>
      Float64Array.from(finalIdx, (k) => Xtrain[k]![i]!),
    );
    // Maximum likelihood first (it diagnoses separation), then Firth when radscore.firth asks.
    const fit = fitWithFirthSwitch(
      X,
      yTrain,
      {
        names: finalNames,
        setting: config.radscore.firth,
        key: "radscore.firth",
        epsilon: config.clinical.epsilon,
        maxIterations: config.clinical.maxIterations,
        level: null,
      },
      "Rad-score logistic fit",
    );
    for (const w of fit.warnings) warnings.push(`Rad-score logistic fit: ${w}`);
    rsIntercept = fit.coefficients[0]!;
    rsCoefs = Array.from(fit.coefficients.subarray(1));
    fitMethod = fit.method;
  } else {
    rsIntercept = lassoIntercept;
    rsCoefs = finalNames.map((f) => lassoBeta[candNames.indexOf(f)]!);
    fitMethod = {
      method: "lasso",
      reason: "the LASSO linear predictor (radscore.model: lasso; no feature forced back)",
      separation: "none",
      setting: null,
    };
  }
  const frozenScaler = subsetScaler(frozenScalerAll, finalIdx);
  // Rad-score of every patient with the frozen arithmetic (the same code scores new patients).
  const featureRecord = (i: number): Record<string, number> => {
    const rec: Record<string, number> = {};
    for (const f of finalNames) {
      const j = rawFeatures.names.indexOf(f);
      const v = rawFeatures.columns[j]![i]!;
      if (!Number.isFinite(v))
        throw new Error(
          `study: patient '${patients[i]!.id}': feature '${f}' is not a finite number`,
        );
      rec[f] = v;
    }
    return rec;
  };
  const radscoreName = config.nomogram.radscoreName;
  const partialModel: FrozenModel = {
    format: FROZEN_MODEL_FORMAT,
    title: config.title,
    // Wall-clock time: `now` may be a monotonic clock (performance.now) used only for timings.
    createdAt: options.createdAt ?? new Date().toISOString(),
    software: { radscore: VERSION, ...(input.software ?? {}) },
    outcome: {
      eventLabel: config.cohort.outcome.eventLabel,
      noneventLabel: config.cohort.outcome.noneventLabel,
    },
    extraction: input.extraction ?? null,
    sequences: cohort.sequences.length > 0 ? cohort.sequences : seqList,
    features: finalNames,
    scaler: frozenScaler,
    radscore: {
      source: fitMethod.method === "ml" ? "logistic" : fitMethod.method,
      intercept: rsIntercept,
      coefficients: rsCoefs,
    },
    radscoreName,
    clinicalVariables: [],
    clinicalModel: { predictors: [], terms: [], coefficients: [0] },
    nomogramModel: { predictors: [], terms: [], coefficients: [0] },
    nomogram: { predictors: [], minXbeta: [], sc: 1, interceptInfo: 0 },
    thresholds: { clinical: 0, radiomics: 0, nomogram: 0 },
    ...(run.combat
      ? {
          combat: {
            centreColumn: config.cohort.centre!,
            model: subsetCombatModel(run.combat, finalNames),
          },
        }
      : {}),
  };
  const radScores = new Float64Array(patients.length);
  {
    const s = scorePatients(
      partialModel,
      patients.map((p, i) => ({
        id: p.id,
        clinical: {},
        features: featureRecord(i),
        centre: p.centre,
      })),
    );
    s.forEach((r, i) => {
      radScores[i] = r.radScore;
    });
  }
  return {
    finalIdx,
    refit,
    fitMethod,
    rsCoefs,
    featureRecord,
    radscoreName,
    partialModel,
    radScores,
  };
}
