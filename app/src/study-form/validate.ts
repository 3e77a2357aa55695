/**
 * Validation of the study in the app: the CLI's own checks (validateStudyConfig, then
 * parseCohortManifest) with the CLI's messages, plus a check that the manifest's image / mask cells
 * and the parameter files name files that were opened. DOM-free.
 */
import { type Cohort, parseCohortManifest } from "../../../src/study/cohort.js";
import { type StudyConfig, validateStudyConfig } from "../../../src/study/config.js";
import type { RawStudyConfig } from "./raw.js";

/** The name validation messages give the configuration (as `radscore study study.yaml`). */
export const CONFIG_SOURCE = "study.yaml";

export interface ManifestText {
  name: string;
  text: string;
}

/**
 * The messages of a validation error, one per problem: the core's text split into its lines,
 * without the "study.yaml: invalid configuration" heading that precedes the indented problems.
 */
export function errorMessages(err: unknown): string[] {
  const text = err instanceof Error ? err.message : String(err);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (lines.length > 1 && lines[0]!.endsWith(": invalid configuration")) return lines.slice(1);
  return lines;
}

export interface ConfigCheck {
  messages: string[];
  /** The validated configuration (null when invalid). */
  config: StudyConfig | null;
  /** The parsed cohort (null when invalid or without a manifest). */
  cohort: Cohort | null;
}

/** Validates exactly as the CLI does, keeping the validated configuration and cohort. */
export function checkConfig(raw: RawStudyConfig, manifest: ManifestText | null): ConfigCheck {
  let config: StudyConfig;
  try {
    config = validateStudyConfig(raw, CONFIG_SOURCE);
  } catch (err) {
    return { messages: errorMessages(err), config: null, cohort: null };
  }
  if (!manifest) return { messages: [], config, cohort: null };
  try {
    const cohort = parseCohortManifest(manifest.text, config, manifest.name);
    return { messages: [], config, cohort };
  } catch (err) {
    return { messages: errorMessages(err), config, cohort: null };
  }
}

/**
 * Validates a raw configuration and the manifest as the CLI does (validateStudyConfig, then
 * parseCohortManifest when a manifest is given); the CLI's messages, [] when valid.
 */
export function validateStudy(raw: RawStudyConfig, manifest: ManifestText | null): string[] {
  return checkConfig(raw, manifest).messages;
}

/** The folder part of a '/'-separated path ("" at the top). */
export function dirnameOf(path: string): string {
  const k = path.lastIndexOf("/");
  return k < 0 ? "" : path.slice(0, k);
}

/** `rel` resolved against `folder` ('/'-separated; "." and ".." steps resolved). */
export function resolveRelative(folder: string, rel: string): string {
  if (rel.startsWith("/")) return rel;
  const parts: string[] = [];
  for (const p of [...folder.split("/"), ...rel.split("/")]) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return parts.join("/");
}

const cleanPath = (p: string) => resolveRelative("", p);

/**
 * The folder of the opened manifest among the opened files: the folder of its name when the name
 * is one of the files, else of the only file ending in "/<name>", else of the name itself.
 */
export function manifestFolder(name: string, files: readonly string[]): string {
  const clean = files.map(cleanPath);
  const n = cleanPath(name);
  if (clean.includes(n)) return dirnameOf(n);
  const tails = clean.filter((f) => f.endsWith(`/${n}`));
  return tails.length === 1 ? dirnameOf(tails[0]!) : dirnameOf(n);
}

/** Looks paths up among the opened files; a folder (DICOM series) exists when a file is in it. */
export class OpenedFiles {
  private readonly files: Set<string>;
  private readonly folders = new Set<string>();
  constructor(files: readonly string[]) {
    this.files = new Set(files.map(cleanPath));
    for (const f of this.files) {
      for (let d = dirnameOf(f); d !== ""; d = dirnameOf(d)) {
        if (this.folders.has(d)) break;
        this.folders.add(d);
      }
    }
  }
  has(path: string): boolean {
    return this.files.has(path) || this.folders.has(path);
  }
}

/** A manifest cell that names a file that was not opened. */
export interface MissingCell {
  patient: string;
  sequence: string;
  what: "image" | "mask" | "mask2";
  cell: string;
  /** Where it was looked for (relative to the opened files' root). */
  path: string;
}

/** The image / mask cells of a parsed cohort that name none of `files` (relative to the manifest). */
export function missingCells(
  cohort: Cohort,
  manifestName: string,
  files: readonly string[],
): MissingCell[] {
  const opened = new OpenedFiles(files);
  const folder = manifestFolder(manifestName, files);
  const out: MissingCell[] = [];
  for (const p of cohort.patients) {
    for (const [sequence, cells] of Object.entries(p.images)) {
      for (const what of ["image", "mask", "mask2"] as const) {
        const cell = cells[what];
        if (cell === null) continue;
        const path = resolveRelative(folder, cell);
        if (!opened.has(path)) out.push({ patient: p.id, sequence, what, cell, path });
      }
    }
  }
  return out;
}

/** The files study.yaml names (parameter files, feature tables) that are not among `files`. */
export function missingStudyFiles(config: StudyConfig, files: readonly string[]): string[] {
  const opened = new OpenedFiles(files);
  const named: [string, string | undefined][] = [
    ["extraction.params", config.extraction.params],
    ["features.table", config.features?.table],
    ["features.reader2Table", config.features?.reader2Table],
    ...Object.entries(config.cohort.sequences ?? {}).map(([s, v]): [string, string | undefined] => [
      `cohort.sequences.${s}.params`,
      v.params,
    ]),
  ];
  return named
    .filter(([, file]) => file !== undefined && !opened.has(cleanPath(file)))
    .map(([key, file]) => `${CONFIG_SOURCE}: ${key} '${file}' is not among the opened files`);
}

const CELL_NAMES = { image: "image", mask: "mask", mask2: "second-reader mask" } as const;

/**
 * Messages for the files the study needs that were not opened: the first `limit` manifest cells
 * (with their patient IDs) and a count of the rest, then parameter files and feature tables.
 * Nothing is checked when no file was opened (`files` empty: e.g. the generated demo).
 */
export function missingFileMessages(
  check: ConfigCheck,
  manifest: ManifestText | null,
  files: readonly string[],
  limit = 5,
): string[] {
  if (files.length === 0 || !check.config) return [];
  const out: string[] = [];
  if (check.cohort && manifest) {
    const cells = missingCells(check.cohort, manifest.name, files);
    for (const c of cells.slice(0, limit)) {
      out.push(
        `${manifest.name}: patient '${c.patient}': ${c.sequence} ${CELL_NAMES[c.what]} '${c.cell}' is not among the opened files${c.path !== c.cell ? ` (looked for ${c.path})` : ""}`,
      );
    }
    if (cells.length > limit)
      out.push(
        `${manifest.name}: ${cells.length - limit} more image / mask cells name files that are not opened (${cells.length} in all)`,
      );
  }
  out.push(...missingStudyFiles(check.config, files));
  return out;
}

export interface StudyStatus {
  /** The CLI's validation messages. */
  messages: string[];
  /** Files named by the manifest or study.yaml that were not opened. */
  missing: string[];
  /** Valid, with a manifest, and every named file opened. */
  ready: boolean;
}

/** Everything the panels show: validation messages, missing files, and whether all is ready. */
export function studyStatus(
  raw: RawStudyConfig,
  manifest: ManifestText | null,
  files: readonly string[],
): StudyStatus {
  const check = checkConfig(raw, manifest);
  const missing = missingFileMessages(check, manifest, files);
  return {
    messages: check.messages,
    missing,
    ready: manifest !== null && check.messages.length === 0 && missing.length === 0,
  };
}
