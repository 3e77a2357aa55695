/**
 * Reporting checklists pre-filled from a study run: TRIPOD+AI (Collins et al., BMJ 2024) and
 * CLEAR (Kocak et al., Insights Imaging 2023). `buildChecklists` answers every item the run can
 * (from the StudyResult and, when given, the run's StudyDescription) and marks the rest "To
 * complete by the authors"; `checklistMarkdownFiles` renders them as the study's Markdown files,
 * `checklistsHtml` as report.html's section. Pure (browser-safe).
 */
import { clearChecklist } from "./clear.js";
import { checklistToMarkdown } from "./render.js";
import { runFacts } from "./run-facts.js";
import { tripodAiChecklist } from "./tripod-ai.js";
import type { StudyOutput } from "../../study/pipeline.js";
import type { Checklist, ChecklistOptions, ChecklistResult } from "./types.js";

export { CLEAR_ITEMS, CLEAR_REFERENCE, clearChecklist } from "./clear.js";
export {
  type DescribeStudyInput,
  describeStudy,
  type ExtractionSummary,
  PYRADIOMICS_REFERENCE_VERSION,
  type StudyDescription,
  summariseParams,
} from "../../study/description.js";
export {
  type ChecklistCounts,
  checklistCounts,
  checklistsHtml,
  checklistToMarkdown,
  countsText,
} from "./render.js";
export { TRIPOD_AI_ITEMS, TRIPOD_AI_REFERENCE, tripodAiChecklist } from "./tripod-ai.js";
export * from "./types.js";

/** TRIPOD+AI and CLEAR for this run, in that order. */
export function buildChecklists(
  result: ChecklistResult,
  options: ChecklistOptions = {},
): Checklist[] {
  const facts = runFacts(result, options);
  return [tripodAiChecklist(facts), clearChecklist(facts)];
}

/** The Markdown files of the checklists: checklist-tripod-ai.md and checklist-clear.md. */
export function checklistMarkdownFiles(
  result: ChecklistResult,
  options: ChecklistOptions = {},
): Record<string, string> {
  return Object.fromEntries(
    buildChecklists(result, options).map((c) => [
      `checklist-${c.id}.md`,
      checklistToMarkdown(c, result),
    ]),
  );
}

/**
 * The checklists' Markdown files of a study run (checklist-tripod-ai.md, checklist-clear.md,
 * written beside report.html by the CLI and the web app), pre-filled from the run's description.
 */
export function checklistFiles(output: StudyOutput): Record<string, string> {
  return checklistMarkdownFiles(output.result, {
    study: output.result.study ?? null,
    eventLabel: output.model.outcome.eventLabel,
    noneventLabel: output.model.outcome.noneventLabel,
  });
}
