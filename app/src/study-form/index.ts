/**
 * The study panels of the app: the mapping step (cohort CSV columns -> study.yaml's cohort
 * section) and the study settings form (every other section), both showing the CLI's validation
 * messages live. The pure parts (guess.ts, validate.ts, yaml.ts, raw.ts, schema.ts) hold no DOM.
 */
export { mountMapping } from "./mapping.js";
export type { RawStudyConfig } from "./raw.js";
export { mountStudyForm } from "./settings.js";
export type { StudyFormHost } from "./types.js";
export { type StudyStatus, studyStatus, validateStudy } from "./validate.js";
export { exportStudyYaml, importStudyYaml } from "./yaml.js";
