/**
 * Data preparation shared by every pipeline step: the run context (`StudyRun`: configuration,
 * cohort, features, the training / test row indices, outcomes, the feature funnel, warnings and
 * progress), built by `prepareRun` after checking that the feature rows match the cohort
 * patients; the model and cohort lists, and `pick` (a column restricted to some rows).
 */
import type { Cohort, CohortPatient } from "../cohort.js";
import type { StudyConfig } from "../config.js";
import type { CombatModel } from "../../stats/combat/index.js";
import type { FeatureMatrix } from "../features-table.js";
import type { CohortName, ModelName } from "../result.js";
import type { StudyInput } from "./types.js";

export const MODELS: ModelName[] = ["clinical", "radiomics", "nomogram"];
export const COHORTS: CohortName[] = ["training", "test"];

/** The state every step reads: inputs, training / test rows and outcomes; collects the funnel and warnings. */
export interface StudyRun {
  config: StudyConfig;
  cohort: Cohort;
  /**
   * The features every step after harmonisation reads: the extracted ones, or with ComBat those
   * harmonised across centres (src/study/pipeline/harmonisation.ts).
   */
  features: FeatureMatrix;
  /** The extracted features (what the frozen model scores, harmonising them itself). */
  rawFeatures: FeatureMatrix;
  /** The ComBat model over the kept features, when the study harmonises (else null). */
  combat: CombatModel | null;
  patients: CohortPatient[];
  train: number[];
  test: number[];
  rowsOf: Record<CohortName, number[]>;
  yAll: Float64Array;
  yTrain: Float64Array;
  funnel: { step: string; count: number }[];
  warnings: string[];
  progress: (stage: string, done: number, total: number) => void;
}

export function pick<T extends ArrayLike<number>>(col: T, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]!]!;
  return out;
}

/** Checks the feature rows against the cohort and splits the patients into training and test. */
export function prepareRun(
  input: StudyInput,
  warnings: string[],
  progress: StudyRun["progress"],
): StudyRun {
  const { config, cohort, features } = input;
  const patients = cohort.patients;
  if (
    features.ids.length !== patients.length ||
    features.ids.some((id, i) => id !== patients[i]!.id)
  )
    throw new Error(
      "study: the feature matrix rows do not match the cohort patients (IDs or order)",
    );
  const train = patients.flatMap((p, i) => (p.role === "training" ? [i] : []));
  const test = patients.flatMap((p, i) => (p.role === "test" ? [i] : []));
  const rowsOf: Record<CohortName, number[]> = { training: train, test };
  const yAll = Float64Array.from(patients, (p) => p.outcome);
  const yTrain = pick(yAll, train);
  const funnel: { step: string; count: number }[] = [
    { step: "extracted", count: features.names.length },
  ];
  return {
    config,
    cohort,
    features,
    rawFeatures: features,
    combat: null,
    patients,
    train,
    test,
    rowsOf,
    yAll,
    yTrain,
    funnel,
    warnings,
    progress,
  };
}
