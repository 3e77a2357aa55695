/**
 * The last step of the study pipeline, result assembly: the `StudyResult` (tables, figures,
 * selected features, funnel, timings, warnings), each patient's predictions and the fitted
 * objects (`details`), from the outputs of every step.
 */
import { VERSION } from "../../version.js";
import type {
  CalibrationCurve,
  DecisionCurve,
  OddsRatioRow,
  SelectedFeature,
  StudyResult,
  Table1Result,
} from "../result.js";
import type { ClinicalModels } from "./clinical-models.js";
import { COHORTS, type StudyRun } from "./context.js";
import type { Discrimination } from "./evaluation.js";
import type { NomogramStep } from "./nomogram.js";
import type { FilteredFeatures } from "./preprocessing.js";
import type { RadscoreModel } from "./radscore.js";
import type { FTestSelection, LassoSelection } from "./selection.js";
import type { PatientPrediction, StudyOutput } from "./types.js";

/** The outputs of every step, in pipeline order. */
export interface StudySteps {
  filtered: FilteredFeatures;
  selection: FTestSelection;
  lasso: LassoSelection;
  radscore: RadscoreModel;
  models: ClinicalModels;
  table2: OddsRatioRow[];
  nomo: NomogramStep;
  discrimination: Discrimination;
  calibration: CalibrationCurve[];
  decision: DecisionCurve[];
  table1: Table1Result[];
}

/** The study output; adds the Rad-score features to the funnel. */
export function assembleOutput(
  run: StudyRun,
  steps: StudySteps,
  timings: { stage: string; seconds: number }[],
): StudyOutput {
  const { config, features, patients, rowsOf, funnel, warnings } = run;
  const { iccDropped, robustnessDropped } = steps.filtered;
  const { candNames } = steps.selection;
  const { foldid, lassoFigure, chosenLambda, selectedByLasso, finalNames, forced } = steps.lasso;
  const { rsCoefs } = steps.radscore;
  const { univariable, multiVars, multi, clinVars, clin, nomo } = steps.models;
  const { model, nomogramFigure } = steps.nomo;
  const { table3, roc, table4, scores } = steps.discrimination;
  const { table2, calibration, decision, table1 } = steps;
  const selectedFeatures: SelectedFeature[] = finalNames.map((f, k) => ({
    feature: f,
    sequence: features.sequences[features.names.indexOf(f)] ?? "",
    coefficient: rsCoefs[k]!,
  }));
  funnel.push({ step: "Rad-score features", count: finalNames.length });
  const result: StudyResult = {
    title: config.title,
    createdAt: model.createdAt,
    radscoreVersion: VERSION,
    cohortSizes: COHORTS.map((c) => ({
      cohort: c,
      n: rowsOf[c].length,
      nEvent: rowsOf[c].filter((i) => patients[i]!.outcome === 1).length,
    })),
    table1,
    table2,
    table3,
    table4,
    roc,
    calibration,
    decision,
    nomogram: nomogramFigure,
    lasso: lassoFigure,
    selectedFeatures,
    funnel,
    timings,
    warnings,
    fitMethods: steps.models.fitMethods,
  };
  const predictions: PatientPrediction[] = scores.map((s, i) => ({
    ...s,
    role: patients[i]!.role,
    outcome: patients[i]!.outcome,
  }));
  return {
    result,
    model,
    predictions,
    details: {
      univariable,
      multivariable: multi.fit,
      clinical: clin.fit,
      nomogram: nomo.fit,
      multivariablePredictors: multiVars,
      clinicalPredictors: clinVars,
      foldid,
      candidates: candNames,
      selectedByLasso,
      forced,
      iccDropped,
      robustnessDropped,
      lambda: chosenLambda,
    },
  };
}
