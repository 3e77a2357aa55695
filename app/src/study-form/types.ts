/** The host interface of the study panels (the app shell implements it). */
import type { RawStudyConfig } from "./raw.js";

export type { RawStudyConfig } from "./raw.js";

export interface StudyFormHost {
  /** Current raw configuration (persisted by the host). */
  get(): RawStudyConfig;
  /** Called on every change (the host persists, debounced). */
  set(raw: RawStudyConfig): void;
  /** The cohort CSV currently opened (null if none). */
  manifest(): { name: string; text: string } | null;
  /** Names of all files opened (relative paths, '/'-separated). */
  files(): string[];
}
