/**
 * The study's robustness step without a second reader (preprocessing.robustness; Zwanenburg et
 * al., "Assessing robustness of radiomic features by image perturbation", Sci Rep 2019;9:614):
 * - `robustnessPlan`: the perturbation plan of one patient's image (the configured chain and
 *   values; seed = the configured seed + the patient's index in the manifest);
 * - `assessRobustness`: from every training patient's perturbed features, per sequence, the ICC
 *   of each feature across perturbations (src/stats/robustness.ts), named as the study names its
 *   features (`<feature>_<sequence>`), which the pipeline's filter (pipeline/preprocessing.ts)
 *   compares with the threshold.
 * The Node runner (src/node/robustness-runner.ts, through the extraction pool) and the web app
 * (app/src/study/run.ts, on its extraction workers) perturb and extract.
 * Pure (browser-safe).
 */
import type { PerturbationPlan, PerturbedFeatures } from "../image/perturbation/index.js";
import type { FeatureRobustness } from "../stats/robustness.js";
import { perturbationIcc } from "../stats/robustness.js";
import type { StudyConfig } from "./config.js";

export type RobustnessSettings = StudyConfig["preprocessing"]["robustness"];

/** What the pipeline's robustness filter reads (StudyInput.robustness). */
export interface StudyRobustness {
  /** Every feature's ICC across perturbations (names suffixed with the sequence), or its reason. */
  results: FeatureRobustness[];
  /** The settings the perturbations and ICCs were computed with. */
  settings: RobustnessSettings;
  /** Training patients perturbed (the ICC's subjects). */
  patients: number;
  sequences: string[];
  /** What did not go as planned (e.g. growth capped at the image border), with the patient. */
  notes: string[];
}

/** The largest seed R's set.seed takes (the plan's seeds are R integers). */
const MAX_SEED = 2147483647;

/**
 * The plan of the patient at `patientIndex` (0-based, manifest order): seed + patientIndex, so
 * each patient's perturbations are fixed by the configuration and its place in the manifest,
 * whichever patients are perturbed and in whatever order they finish. Every sequence of a patient
 * gets the same draws (the same angles, shifts and volume changes).
 */
export function robustnessPlan(
  settings: RobustnessSettings,
  patientIndex: number,
  label: number,
): PerturbationPlan {
  const seed = settings.seed + patientIndex;
  if (seed > MAX_SEED)
    throw new Error(
      `preprocessing.robustness.seed: ${settings.seed} + patient index ${patientIndex} exceeds R's integer range (${MAX_SEED}); use a smaller seed`,
    );
  return {
    chain: settings.chain,
    count: settings.perturbations,
    seed,
    ...(settings.rotationAngles ? { rotationAngles: settings.rotationAngles } : {}),
    ...(settings.translationFractions
      ? { translationFractions: settings.translationFractions }
      : {}),
    ...(settings.volumeFractions ? { volumeFractions: settings.volumeFractions } : {}),
    noiseLevel: settings.noiseLevel,
    label,
    contour: { supervoxels: settings.supervoxels },
  };
}

/** One sequence's perturbed features of the training patients, in patient order. */
export interface SequencePerturbations {
  sequence: string;
  caseIds: readonly string[];
  /** perturbed[c]: patient c's features under each perturbation (names not suffixed). */
  perturbed: readonly PerturbedFeatures[];
}

/** The ICC across perturbations of every feature of every sequence (see above). */
export function assessRobustness(
  sequences: readonly SequencePerturbations[],
  settings: RobustnessSettings,
): StudyRobustness {
  const results: FeatureRobustness[] = [];
  const notes: string[] = [];
  for (const s of sequences) {
    const names = s.perturbed[0]?.names ?? [];
    s.perturbed.forEach((p, c) => {
      if (p.names.length !== names.length || p.names.some((n, f) => n !== names[f]))
        throw new Error(
          `robustness: patient '${s.caseIds[c]}' (${s.sequence}) has other features than patient '${s.caseIds[0]}'`,
        );
      for (const note of p.notes) notes.push(`patient '${s.caseIds[c]}' (${s.sequence}): ${note}`);
    });
    let rows: FeatureRobustness[];
    try {
      rows = perturbationIcc(
        { caseIds: s.caseIds, featureNames: names, values: s.perturbed.map((p) => p.values) },
        { type: settings.type },
      );
    } catch (e) {
      throw new Error(`preprocessing.robustness (${s.sequence}): ${(e as Error).message}`);
    }
    for (const r of rows) results.push({ ...r, feature: `${r.feature}_${s.sequence}` });
  }
  return {
    results,
    settings,
    patients: sequences[0]?.caseIds.length ?? 0,
    sequences: sequences.map((s) => s.sequence),
    notes,
  };
}

/** The value compared with the threshold (estimate or lower limit), or null when undefined. */
export function robustnessValue(r: FeatureRobustness, use: "estimate" | "lower"): number | null {
  if (r.icc === null) return null;
  return use === "lower" ? r.icc.lower : r.icc.icc;
}

/** Whether a feature reaches the threshold (undefined ICCs never do). */
export function isRobust(r: FeatureRobustness, settings: RobustnessSettings): boolean {
  const value = robustnessValue(r, settings.use);
  return value !== null && value >= settings.threshold;
}

/** The columns of robustness.csv. */
export const ROBUSTNESS_CSV_HEADER = ["feature", "icc", "lower", "upper", "robust", "reason"];

/**
 * robustness.csv's rows: every feature's ICC across perturbations with its interval, whether it
 * reaches the threshold (1 / 0; a feature dropped earlier in the funnel may still be robust), and
 * why its ICC is undefined.
 */
export function robustnessCsvRows(robustness: StudyRobustness): (string | number | null)[][] {
  return robustness.results.map((r) => [
    r.feature,
    r.icc?.icc ?? null,
    r.icc?.lower ?? null,
    r.icc?.upper ?? null,
    isRobust(r, robustness.settings) ? 1 : 0,
    r.reason ?? "",
  ]);
}
