/**
 * One replicate of `radscore simulate` as a study: the simulated cohort as a manifest the real
 * parser validates, the study configuration and extraction parameters every replicate runs with,
 * and what a finished run (`runStudyPipeline`'s output) says about the planted signal: the
 * radiomics model's test AUC with its DeLong 95% CI, its true AUC in the test centre, the
 * recovery of the planted properties and the test calibration slope (rms val.prob).
 *
 * The configuration is the demo's (min-max scaler, f_classif then glmnet LASSO with 10-fold CV at
 * lambda.1se, keep one feature per sequence, LASSO Rad-score) with three differences, each because
 * a simulation must run unattended on many replicates: f_classif keeps the top k features (the
 * `candidates` dial, 10 by default) instead of those with P < 0.05 (a no-signal replicate often
 * has no feature with P < 0.05, and the pipeline then stops; at 80 patients per centre, 20
 * candidates, many near-duplicates, made glmnet's CV spend 5-13 s per replicate at the end of its
 * lambda path, often up to maxit, against 0.3-1.3 s with 10; with 400 per centre, 20 candidates
 * let a second, weaker property reach LASSO: README, "Proof on planted signal"); no ICC filter (no
 * second reader is simulated); the calibration bootstrap has B = 20 (it only draws the training
 * bias-corrected curve, which the simulation does not report). The extraction is the Original
 * image with every feature class, no normalisation (so that a scanner offset reaches the
 * features, as it does without harmonisation). Pure.
 */
import { formatCsv } from "../../io/csv.js";
import { type Cohort, parseCohortManifest } from "../cohort.js";
import { type StudyConfig, validateStudyConfig } from "../config.js";
import { toYaml } from "../demo-study.js";
import type { FeatureMatrix } from "../features-table.js";
import { radScoreOf } from "../frozen-model.js";
import type { StudyOutput } from "../pipeline.js";
import {
  hasPlantedSignal,
  SIMULATED_PROPERTIES,
  SIMULATED_SEQUENCES,
  type SimulatedPatient,
  type SimulationSettings,
} from "./generator.js";
import { pearson, recoverPlantedSignal } from "./recovery.js";
import type { ReplicateOutcome } from "./summary.js";
import { populationAuc } from "./truth.js";

/** f_classif keeps this many features (see the module comment). */
export const SIMULATION_F_TEST_K = 10;

/** PyRadiomics parameters of the simulation's extraction: Original image, every class (107 features). */
export function simulationParamsYaml(): string {
  return toYaml({
    imageType: { Original: {} },
    featureClass: {
      shape: null,
      firstorder: null,
      glcm: null,
      glrlm: null,
      glszm: null,
      gldm: null,
      ngtdm: null,
    },
    setting: { binWidth: 25, label: 1 },
  });
}

/** The study configuration of one replicate (its seed draws the LASSO folds and the bootstrap). */
export function simulationStudyConfig(
  seed: number,
  candidates: number = SIMULATION_F_TEST_K,
): StudyConfig {
  return validateStudyConfig(
    {
      title: "radscore simulate: one replicate",
      cohort: {
        manifest: "simulated-cohort.csv",
        id: "id",
        centre: "centre",
        role: { byCentre: { training: ["1"], test: ["2"] } },
        outcome: { column: "outcome", eventLabel: "event", noneventLabel: "no event" },
        sequences: Object.fromEntries(
          SIMULATED_SEQUENCES.map((s) => [s, { image: `${s}_image`, mask: `${s}_mask` }]),
        ),
        clinical: {
          age: { type: "continuous" },
          lymphadenopathy: { type: "binary", labels: ["no", "yes"] },
        },
      },
      extraction: { cache: false },
      preprocessing: { scaler: "minmax", icc: { enabled: false } },
      selection: {
        fClassif: { enabled: true, k: candidates },
        lasso: {
          flavor: "glmnet-binomial",
          folds: 10,
          foldAssignment: "random",
          seed,
          lambda: "lambda.1se",
        },
        keepOnePerSequence: true,
      },
      radscore: { model: "lasso" },
      evaluation: { bootstrap: 20, seed },
      outputs: { report: false },
    },
    "simulation study",
  );
}

/** The manifest key of a patient's image or mask (the runner maps it to the generated volume). */
export function simulatedImageKey(id: string, sequence: string, what: "image" | "mask"): string {
  return `${id}/${sequence}/${what}`;
}

/** The simulated patients as a cohort, through the manifest parser every study uses. */
export function simulatedCohort(
  patients: readonly SimulatedPatient[],
  config: StudyConfig,
): Cohort {
  const header = [
    "id",
    "centre",
    "outcome",
    "age",
    "lymphadenopathy",
    ...SIMULATED_SEQUENCES.flatMap((s) => [`${s}_image`, `${s}_mask`]),
  ];
  const rows = patients.map((p) => [
    p.id,
    p.centre,
    p.outcome,
    p.clinical.age,
    p.clinical.lymphadenopathy,
    ...SIMULATED_SEQUENCES.flatMap((s) => [
      simulatedImageKey(p.id, s, "image"),
      simulatedImageKey(p.id, s, "mask"),
    ]),
  ]);
  return parseCohortManifest(formatCsv(header, rows), config, "simulated cohort");
}

/** The independent truth sample: the test centre's probabilities and (when needed) features. */
export interface TruthSample {
  probabilities: Float64Array;
  /** The true linear predictors (log-odds) of the same patients. */
  linearPredictors: Float64Array;
  /** The oracle AUC (the true probabilities as the score). */
  trueAuc: number;
  /** Features of the truth sample (null when the outcome does not depend on the images). */
  features: FeatureMatrix | null;
}

/** The column of a feature in a matrix, or undefined. */
function columnOf(m: FeatureMatrix, name: string, rows?: readonly number[]) {
  const j = m.names.indexOf(name);
  if (j < 0) return undefined;
  const c = m.columns[j]!;
  return rows ? Float64Array.from(rows, (i) => c[i]!) : c;
}

/**
 * The fitted Rad-score on the truth sample: its AUC in the test centre's population and its
 * Pearson correlation with the true linear predictor (how much of the planted signal, as a whole,
 * the model carries, whichever features carry it).
 */
function modelOnTruth(
  output: StudyOutput,
  truth: TruthSample,
): { auc: number | null; signalCorrelation: number | null } {
  const probabilities = truth.probabilities;
  if (!truth.features) {
    // Every probability equal: every pair has the same weight and the AUC of any score is ½.
    const p0 = probabilities[0]!;
    return { auc: probabilities.every((p) => p === p0) ? 0.5 : null, signalCorrelation: null };
  }
  const m = truth.features;
  const cols = output.model.features.map((f) => {
    const c = columnOf(m, f);
    if (!c) throw new Error(`simulate: Rad-score feature '${f}' is not in the truth sample`);
    return c;
  });
  const scores = Float64Array.from(m.ids, (id, i) => {
    const features: Record<string, number> = {};
    output.model.features.forEach((f, k) => {
      features[f] = cols[k]![i]!;
    });
    return radScoreOf(output.model, { id, clinical: {}, features });
  });
  return {
    auc: populationAuc(scores, probabilities),
    signalCorrelation: pearson(scores, truth.linearPredictors),
  };
}

/** What a finished replicate says about the planted signal. */
export function evaluateReplicate(
  output: StudyOutput,
  context: {
    replicate: number;
    seed: number;
    settings: SimulationSettings;
    cohort: Cohort;
    features: FeatureMatrix;
    truth: TruthSample;
  },
): ReplicateOutcome {
  const { result } = output;
  const row = result.table3.find((r) => r.cohort === "test" && r.model === "radiomics");
  const trainRow = result.table3.find((r) => r.cohort === "training" && r.model === "radiomics");
  if (!row || !trainRow) throw new Error("simulate: the study has no radiomics row in Table 3");
  const calibration = result.calibration.find(
    (c) => c.cohort === "test" && c.model === "radiomics",
  )?.statistics;
  const stat = (k: string) => {
    const v = calibration?.[k];
    return v !== undefined && Number.isFinite(v) ? v : null;
  };
  const size = (role: "training" | "test") => {
    const s = result.cohortSizes.find((c) => c.cohort === role)!;
    return { n: s.n, events: s.nEvent };
  };
  const selected = result.selectedFeatures.map((f) => f.feature);
  const planted = hasPlantedSignal(context.settings)
    ? SIMULATED_PROPERTIES.slice(0, context.settings.informative)
    : [];
  const trainRows = context.cohort.patients.flatMap((p, i) => (p.role === "training" ? [i] : []));
  const corrSample = context.truth.features;
  const recovery =
    planted.length > 0
      ? recoverPlantedSignal({
          selected,
          planted,
          sequences: context.cohort.sequences,
          column: (name) =>
            corrSample ? columnOf(corrSample, name) : columnOf(context.features, name, trainRows),
        })
      : null;
  const onTruth = modelOnTruth(output, context.truth);
  const modelAuc = onTruth.auc;
  const covers = (auc: number) => row.aucLower <= auc && auc <= row.aucUpper;
  return {
    replicate: context.replicate,
    seed: context.seed,
    training: size("training"),
    test: size("test"),
    selected,
    forced: output.details.forced.length,
    recovery,
    trainingAuc: trainRow.auc,
    testAuc: row.auc,
    testAucLower: row.aucLower,
    testAucUpper: row.aucUpper,
    trueAuc: context.truth.trueAuc,
    modelAuc,
    coversTrueAuc: covers(context.truth.trueAuc),
    coversModelAuc: modelAuc === null ? null : covers(modelAuc),
    signalCorrelation: onTruth.signalCorrelation,
    calibrationSlope: stat("Slope"),
    calibrationIntercept: stat("Intercept"),
    warnings: result.warnings.length,
  };
}
