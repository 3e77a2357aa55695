/**
 * Types of the reporting checklists pre-filled from a study run: TRIPOD+AI (Collins et al., BMJ
 * 2024;385:e078378) and CLEAR (Kocak et al., Insights Imaging 2023;14:75). Every item carries its
 * number, the checklist's own topic, a short paraphrase of what it asks (the published wording is
 * not reproduced), and either the answer the run can give with where it comes from, or the
 * to-complete marker for what only the authors know.
 */
import type { StudyResult } from "../../study/result.js";
import type { StudyDescription } from "../../study/description.js";

/** The marker of everything the run cannot know. */
export const TO_COMPLETE = "To complete by the authors";

/**
 * prefilled: the run answers the item; partial: the run gives part of the answer and the authors
 * add the rest; authors: only the authors can answer.
 */
export type ChecklistStatus = "prefilled" | "partial" | "authors";

export interface ChecklistItem {
  /** The checklist's item number ("12c" in TRIPOD+AI, "23" in CLEAR). */
  id: string;
  /** Part of the paper (Methods, Results, ...). */
  section: string;
  /** The checklist's topic of the item. */
  topic: string;
  /** What the item asks, paraphrased. */
  requirement: string;
  status: ChecklistStatus;
  /** The pre-filled answer (null when the authors answer the whole item). */
  answer: string | null;
  /** What the authors add (null when the run answers the whole item). */
  toComplete: string | null;
  /** Where the answer comes from: report sections and tables, output files and their fields. */
  sources: string[];
}

export interface Checklist {
  id: "tripod-ai" | "clear";
  /** Short name ("TRIPOD+AI"). */
  name: string;
  title: string;
  /** The publication the items follow. */
  reference: string;
  items: ChecklistItem[];
}

/** An answer the run gives; `toComplete` set makes the item partial. */
export interface Fill {
  answer: string;
  sources: string[];
  toComplete?: string;
}

/** A StudyResult that may carry the run's description (see describe.ts). */
export type ChecklistResult = StudyResult & { study?: StudyDescription | null };

export interface ChecklistOptions {
  /** The run's description; default `result.study` (without it, fewer items are pre-filled). */
  study?: StudyDescription | null;
  /** Outcome labels when the description does not give them (default pCR / non-pCR). */
  eventLabel?: string;
  noneventLabel?: string;
}
