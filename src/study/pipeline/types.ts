/**
 * The public types of the study pipeline: what `runStudyPipeline` takes (`StudyInput`,
 * `StudyRunOptions`) and what it returns (`StudyOutput`, `PatientPrediction`). Re-exported by
 * src/study/pipeline.ts.
 */
import type { LogisticFit } from "../../model/logistic.js";
import type { Cohort } from "../cohort.js";
import type { StudyConfig } from "../config.js";
import type { FeatureMatrix } from "../features-table.js";
import type { FrozenModel, PatientScore } from "../frozen-model.js";
import type { StudyRobustness } from "../robustness.js";
import type { CohortName, StudyResult } from "../result.js";

export interface StudyInput {
  config: StudyConfig;
  cohort: Cohort;
  /** Rows aligned with cohort.patients (same IDs, same order). */
  features: FeatureMatrix;
  /** Second-reader features (same names; rows for the re-segmented patients), for ICC. */
  reader2?: FeatureMatrix | null;
  /**
   * Every feature's ICC across image perturbations of the training patients
   * (preprocessing.robustness; src/study/robustness.ts), computed by the Node runner
   * (src/node/robustness-runner.ts) or the web app (app/src/study/run.ts).
   */
  robustness?: StudyRobustness | null;
  /** Recorded in the frozen model (image mode). */
  extraction?: FrozenModel["extraction"];
  /** Extra software versions to record. */
  software?: Record<string, string>;
}

export interface StudyRunOptions {
  /** Progress of long stages (cv folds, bootstrap). */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Clock in milliseconds for stage timings (default Date.now). */
  now?: () => number;
  /** Timestamp recorded in the result and the model (default now, ISO). */
  createdAt?: string;
  /** Timings of earlier stages (e.g. extraction) to put first in result.timings. */
  timings?: { stage: string; seconds: number }[];
}

export interface PatientPrediction extends PatientScore {
  role: CohortName;
  outcome: 0 | 1;
}

export interface StudyOutput {
  result: StudyResult;
  model: FrozenModel;
  predictions: PatientPrediction[];
  /** Fitted objects, for tests and the report. */
  details: {
    univariable: Map<string, LogisticFit>;
    multivariable: LogisticFit;
    clinical: LogisticFit;
    nomogram: LogisticFit;
    multivariablePredictors: string[];
    clinicalPredictors: string[];
    foldid: Int32Array;
    candidates: string[];
    selectedByLasso: string[];
    forced: { sequence: string; feature: string }[];
    iccDropped: string[];
    /** Features dropped by the robustness filter (preprocessing.robustness). */
    robustnessDropped: string[];
    lambda: number | null;
  };
}
