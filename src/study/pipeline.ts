/**
 * The study pipeline: from a validated cohort and its feature matrix to a fitted, evaluated
 * nomogram (`StudyResult`) and a frozen model. Every step is fitted on the training patients only
 * and applied unchanged to the test patients (the test outcomes are read by the evaluation step
 * alone):
 *  1. features constant in training are dropped; inter-observer ICC filter (second reader);
 *     robustness filter (ICC across image perturbations, preprocessing.robustness);
 *     1b. optionally ComBat across centres (every patient's features, no outcome; the training
 *     centre as reference by default);
 *  2. scaler (min-max or z-score) fitted on training;
 *  3. ANOVA F-test (f_classif) then LASSO with K-fold CV (glmnet binomial or scikit-learn LassoCV),
 *     lambda.min / lambda.1se; keep-one-per-sequence rule (best univariate feature forced back);
 *  4. Rad-score = LASSO linear predictor (or an unpenalised logistic refit on the selected features);
 *  5. clinical model: univariable glm screen -> multivariable glm -> independent predictors;
 *  6. nomogram = glm of the clinical predictors + Rad-score, rms nomogram numbers;
 *  7. evaluation per cohort: pROC AUC + DeLong CI, Youden cut-off from training, sens/spec/acc/
 *     PPV/NPV, paired DeLong tests, rms val.prob + Hosmer-Lemeshow + calibrate bootstrap
 *     (training), decision curves, Table 1.
 *
 * This file is the entry: `runStudyPipeline` runs the steps in order and times each stage; the
 * steps live in ./pipeline/ (their numbers are the stage comments'):
 * - types.ts: StudyInput, StudyRunOptions, StudyOutput, PatientPrediction (re-exported here);
 * - context.ts: the run context (training / test rows, outcomes, funnel, warnings), prepareRun;
 * - preprocessing.ts: 1. undefined / constant features, ICC filter, robustness filter; 2. the
 *   scaler;
 * - harmonisation.ts: 1b. ComBat across centres;
 * - selection.ts: 3. F-test; 4. LASSO CV, keep-one-per-sequence rule, rFoldIds;
 * - radscore.ts: 5. the Rad-score model and every patient's Rad-score;
 * - clinical-models.ts: 6. univariable screen, multivariable, clinical and nomogram glms; Table 2;
 * - nomogram.ts: 7. rms nomogram numbers, the frozen model, every patient's scores;
 * - evaluation.ts: 8. discrimination (Tables 3-4, ROC); 9. calibration; 10. decision curves;
 * - table1.ts: 11. Table 1;
 * - assemble.ts: the StudyResult, predictions and fitted details.
 *
 * Pure (browser-safe): no file access; the Node edge (src/node/study-runner.ts) does I/O.
 */
import type { ClinicalVariable } from "./cohort.js";
import { describeStudy } from "./description.js";
import { assembleOutput } from "./pipeline/assemble.js";
import { clinicalModelsStep, table2Step } from "./pipeline/clinical-models.js";
import { prepareRun } from "./pipeline/context.js";
import { calibrationStep, decisionCurveStep, discriminationStep } from "./pipeline/evaluation.js";
import { nomogramStep } from "./pipeline/nomogram.js";
import { harmonisationStep } from "./pipeline/harmonisation.js";
import { filterFeatures, fitScaler } from "./pipeline/preprocessing.js";
import { radscoreStep } from "./pipeline/radscore.js";
import { fTestStep, lassoStep } from "./pipeline/selection.js";
import { table1Step } from "./pipeline/table1.js";
import type { StudyInput, StudyOutput, StudyRunOptions } from "./pipeline/types.js";

export { rFoldIds } from "./pipeline/selection.js";
export type {
  PatientPrediction,
  StudyInput,
  StudyOutput,
  StudyRunOptions,
} from "./pipeline/types.js";

/**
 * Runs the whole study on prepared inputs. Deterministic: the same inputs, configuration and seeds
 * give the same result and model.
 */
export function runStudyPipeline(input: StudyInput, options: StudyRunOptions = {}): StudyOutput {
  const now = options.now ?? (() => Date.now());
  const timings = [...(options.timings ?? [])];
  const warnings: string[] = [];
  let t0 = now();
  const stage = (name: string) => {
    const t = now();
    timings.push({ stage: name, seconds: (t - t0) / 1000 });
    t0 = t;
  };
  const progress = options.onProgress ?? (() => {});

  const run = prepareRun(input, warnings, progress);

  // 1. Constant features, the ICC filter and the robustness filter (training patients only).
  const filtered = filterFeatures(run, input.reader2, input.robustness);
  stage("reproducibility filter");

  // 1b. ComBat across centres (preprocessing.combat), on every patient's kept features.
  const harmonisation = harmonisationStep(run, filtered);
  if (harmonisation) stage("ComBat harmonisation");

  // 2. Scaler fitted on training.
  const scaled = fitScaler(run, filtered);
  stage("scaling");

  // 3. f_classif.
  const selection = fTestStep(run, filtered.names, scaled.Xtrain);
  stage("F-test");

  // 4. LASSO with K-fold CV.
  const lasso = lassoStep(run, filtered, selection);
  stage("LASSO");

  // 5. Rad-score model.
  const radscore = radscoreStep(run, input, options, filtered, scaled, selection, lasso);
  stage("Rad-score");

  // 6. Clinical model: univariable screen -> multivariable -> independent predictors.
  const models = clinicalModelsStep(run, radscore);
  stage("clinical models");

  // Table 2.
  const table2 = table2Step(run, radscore, models);

  // 7. Nomogram (rms), training ranges and linear predictors.
  const nomo = nomogramStep(run, radscore, models);
  stage("nomogram");

  // 8. Discrimination: ROC / DeLong / Youden (training) / confusion at the training cut-off.
  const discrimination = discriminationStep(run, nomo);
  stage("discrimination");

  // 9. Calibration: val.prob + Hosmer-Lemeshow per cohort; calibrate bootstrap in training.
  const calibration = calibrationStep(run, scaled, radscore, models, discrimination.scores);
  stage("calibration");

  // 10. Decision curves.
  const decision = decisionCurveStep(run, discrimination.scores);
  stage("decision curves");

  // 11. Table 1 per cohort.
  const table1 = table1Step(run);
  stage("Table 1");

  const output = assembleOutput(
    run,
    {
      filtered,
      selection,
      lasso,
      radscore,
      models,
      table2,
      nomo,
      discrimination,
      calibration,
      decision,
      table1,
    },
    timings,
  );
  if (harmonisation) output.result.harmonisation = harmonisation.summary;
  if (filtered.robustness) output.result.robustness = filtered.robustness;
  // The run's own description, for the reporting checklists (report.html, checklist-*.md).
  output.result.study = describeStudy({ ...input, model: output.model, details: output.details });
  return output;
}

export type { ClinicalVariable };
