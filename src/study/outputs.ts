/**
 * The study's output files that are computed from the result alone, shared by the Node study
 * runner and the web app: predictions.csv and result.json (the reporting checklists are the
 * report's: src/report/checklists). Pure (browser-safe).
 */
import { formatCsv } from "../io/csv.js";
import type { StudyOutput } from "./pipeline.js";
import type { StudyResult } from "./result.js";

/** predictions.csv: every patient's Rad-score, probabilities, nomogram points and classes. */
export function predictionsCsv(output: StudyOutput): string {
  const names = output.model.nomogram.predictors.map((p) => p.name);
  return formatCsv(
    [
      "ID",
      "role",
      "outcome",
      "radscore",
      "p_clinical",
      "p_radiomics",
      "p_nomogram",
      ...names.map((n) => `points_${n}`),
      "total_points",
      "class_clinical",
      "class_radiomics",
      "class_nomogram",
    ],
    output.predictions.map((p) => [
      p.id,
      p.role,
      p.outcome,
      p.radScore,
      p.clinicalProbability,
      p.radiomicsProbability,
      p.nomogramProbability,
      ...names.map((n) => p.nomogramPoints[n]!),
      p.totalPoints,
      p.predicted.clinical,
      p.predicted.radiomics,
      p.predicted.nomogram,
    ]),
  );
}

/** result.json's text (NaN and infinities written as null). */
export function resultJson(result: StudyResult): string {
  return `${JSON.stringify(result, jsonNumbers, 2)}\n`;
}

/** JSON numbers: NaN / infinities become null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === "number" && !Number.isFinite(value) ? null : value;
}
