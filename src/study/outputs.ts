/**
 * The study's output files that are computed from the result alone, shared by the Node study
 * runner and the web app: predictions.csv, result.json and the reporting checklists
 * (checklist-tripod-ai.md, checklist-clear.md, written beside report.html). Pure (browser-safe).
 */
import { formatCsv } from "../io/csv.js";
import {
  type ChecklistResult,
  checklistMarkdownFiles,
  describeStudy,
  type StudyDescription,
} from "../report/checklists/index.js";
import type { StudyInput, StudyOutput } from "./pipeline.js";
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

/**
 * The run's description for the checklists (centres, readers, extraction settings, missing data,
 * ...) from the pipeline's input and output.
 */
export function studyDescription(input: StudyInput, output: StudyOutput): StudyDescription {
  return describeStudy({ ...input, model: output.model, details: output.details });
}

/**
 * The reporting checklists as Markdown, by file name (checklist-tripod-ai.md, checklist-clear.md;
 * written beside report.html). With the pipeline's input they use the run's full description;
 * without it, `result.study` when the result carries one, else the result's tables alone.
 */
export function checklistFiles(output: StudyOutput, input?: StudyInput): Record<string, string> {
  const result = output.result as ChecklistResult;
  const study = input ? studyDescription(input, output) : (result.study ?? null);
  return checklistMarkdownFiles(result, {
    study,
    eventLabel: output.model.outcome.eventLabel,
    noneventLabel: output.model.outcome.noneventLabel,
  });
}
