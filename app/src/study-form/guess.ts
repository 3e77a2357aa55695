/**
 * Default column mapping of a cohort CSV: which columns are the patient ID, the centre, the
 * training / test role, the outcome, each sequence's image / mask / second-reader mask and the
 * clinical variables (with a guessed type), from the column names and values. DOM-free.
 */
import type { CsvTable } from "../../../src/io/csv.js";
import { isMapping, type RawStudyConfig } from "./raw.js";
import { schemaDefault } from "./schema.js";

export type VariableType = "continuous" | "binary" | "categorical";

/** What a column holds. */
export interface ColumnSummary {
  name: string;
  /** Distinct non-missing cell texts (trimmed), in first-seen order. */
  values: string[];
  /** Non-missing cells. */
  count: number;
  /** Every non-missing cell is a finite number. */
  numeric: boolean;
  /** Some cell looks like a file path (image or mask). */
  pathLike: boolean;
}

/** The manifest's documented missing-cell texts (cohort.missing's default). */
export function defaultMissing(): string[] {
  return (schemaDefault(["cohort", "missing"]) as string[] | undefined) ?? [];
}

const PATH_LIKE = /[/\\]|\.(nrrd|nhdr|nii|nii\.gz|mha|mhd|dcm|gz)$/i;

export function summarizeColumn(
  table: CsvTable,
  column: number,
  missing: readonly string[] = defaultMissing(),
): ColumnSummary {
  const miss = new Set(missing);
  const seen = new Set<string>();
  let count = 0;
  let numeric = true;
  let pathLike = false;
  for (const row of table.rows) {
    const v = (row[column] ?? "").trim();
    if (miss.has(v) || v === "") continue;
    count++;
    seen.add(v);
    if (!Number.isFinite(Number(v))) numeric = false;
    if (PATH_LIKE.test(v)) pathLike = true;
  }
  return {
    name: table.header[column]!,
    values: [...seen],
    count,
    numeric: numeric && count > 0,
    pathLike,
  };
}

export function summarizeColumns(
  table: CsvTable,
  missing: readonly string[] = defaultMissing(),
): ColumnSummary[] {
  return table.header.map((_, j) => summarizeColumn(table, j, missing));
}

/** Most categories a text column may have to be taken for a categorical variable. */
const MAX_CATEGORIES = 12;

/**
 * The clinical variable type a column suggests, or null when it is no variable (constant, file
 * paths, free text or IDs): 0/1 cells are binary (the core's binary coding); other numbers are
 * continuous, or categorical with two values; text with few repeated values is categorical.
 */
export function guessVariableType(s: ColumnSummary): VariableType | null {
  if (s.values.length < 2 || s.pathLike) return null;
  if (s.values.length === 2 && s.values.every((v) => v === "0" || v === "1")) return "binary";
  if (s.numeric) return s.values.length === 2 ? "categorical" : "continuous";
  if (s.values.length <= MAX_CATEGORIES && s.values.length * 2 <= s.count) return "categorical";
  return null;
}

/** A column name without case, spaces and punctuation (`Patient ID` -> `patientid`). */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

const ID_NAMES = [
  "id",
  "patientid",
  "subjectid",
  "caseid",
  "studyid",
  "patient",
  "subject",
  "case",
  "pid",
  "mrn",
];
const CENTRE_NAMES = [
  "centre",
  "center",
  "site",
  "institution",
  "hospital",
  "centreid",
  "centerid",
];
const OUTCOME_NAMES = [
  "outcome",
  "pcr",
  "label",
  "event",
  "response",
  "target",
  "y",
  "status",
  "class",
  "endpoint",
];
const MILLER_PAYNE_NAMES = ["millerpayne", "millerpaynegrade", "mp", "mpgrade"];
const TRAINING_TEXTS = ["training", "train", "development", "dev", "derivation", "discovery"];
const TEST_TEXTS = ["test", "testing", "validation", "valid", "external"];
/** Event / non-event cell texts of a two-valued outcome (lower case). */
const OUTCOME_PAIRS: [string, string][] = [
  ["1", "0"],
  ["yes", "no"],
  ["true", "false"],
  ["y", "n"],
  ["pcr", "non-pcr"],
  ["pcr", "no pcr"],
  ["positive", "negative"],
  ["event", "nonevent"],
];
/** A Miller-Payne grade cell, as the core reads it (G1-G5, MP1-MP5 or 1-5). */
const MP_GRADE = /^\s*(?:G|MP)?\s*([1-5])\s*$/i;

const compareNatural = (a: string, b: string) =>
  a.localeCompare(b, "en", { numeric: true, sensitivity: "base" });

/** One sequence's image / mask / second-reader mask columns. */
export interface GuessedSequence {
  image: string;
  mask: string;
  mask2?: string;
}

/**
 * Sequences from `<SEQ>_image` / `<SEQ>_mask` / `<SEQ>_mask2` columns (any separator or none;
 * the sequence name keeps the letters and digits of the prefix). Image columns without a mask
 * column are left out.
 */
export function guessSequences(header: readonly string[]): Record<string, GuessedSequence> {
  const byNorm = new Map<string, string>();
  for (const h of header) if (!byNorm.has(normalizeName(h))) byNorm.set(normalizeName(h), h);
  const out: Record<string, GuessedSequence> = {};
  for (const h of header) {
    const m = /^(.*?)[_\-. ]?image$/i.exec(h);
    if (!m) continue;
    const prefix = normalizeName(m[1]!);
    const mask = byNorm.get(`${prefix}mask`);
    if (!mask) continue;
    const mask2 = byNorm.get(`${prefix}mask2`) ?? byNorm.get(`${prefix}maskreader2`);
    let name = m[1]!.replace(/[^A-Za-z0-9]/g, "") || "image";
    for (let k = 2; name in out; k++) name = `${name.replace(/\d+$/, "")}${k}`;
    out[name] = mask2 ? { image: h, mask, mask2 } : { image: h, mask };
  }
  return out;
}

function findNamed(
  summaries: readonly ColumnSummary[],
  names: readonly string[],
  used: ReadonlySet<string>,
): ColumnSummary | undefined {
  for (const n of names) {
    const s = summaries.find((c) => !used.has(c.name) && normalizeName(c.name) === n);
    if (s) return s;
  }
  return undefined;
}

/** The training / test cell texts when a column holds exactly one of each. */
function roleTexts(s: ColumnSummary): { training: string; test: string } | null {
  if (s.values.length !== 2) return null;
  const training = s.values.find((v) => TRAINING_TEXTS.includes(v.toLowerCase()));
  const test = s.values.find((v) => TEST_TEXTS.includes(v.toLowerCase()));
  return training !== undefined && test !== undefined ? { training, test } : null;
}

/** The event / non-event cell texts when a column holds exactly a known pair. */
function outcomeTexts(s: ColumnSummary): { event: string; nonevent: string } | null {
  if (s.values.length !== 2) return null;
  for (const [e, n] of OUTCOME_PAIRS) {
    const event = s.values.find((v) => v.toLowerCase() === e);
    const nonevent = s.values.find((v) => v.toLowerCase() === n);
    if (event !== undefined && nonevent !== undefined) return { event, nonevent };
  }
  return null;
}

const isMillerPayne = (s: ColumnSummary) =>
  s.values.length > 0 && s.values.every((v) => MP_GRADE.test(v));

/**
 * The default `cohort` section for a manifest: `id`, `centre`, `role` (a training/test column, or
 * byCentre with the largest centre as training), `outcome` (a named 0/1-like column, or a
 * Miller-Payne grade column), `sequences` and `clinical` (every other column that looks like a
 * variable). Keys the core defaults are left out (role texts training/test, outcome texts 1/0).
 */
export function guessCohort(
  table: CsvTable,
  manifestName: string,
  missing: readonly string[] = defaultMissing(),
): Record<string, unknown> {
  const summaries = summarizeColumns(table, missing);
  const used = new Set<string>();
  const cohort: Record<string, unknown> = { manifest: manifestName };

  const id =
    findNamed(summaries, ID_NAMES, used) ??
    summaries.find(
      (s) => s.count === table.rows.length && s.values.length === s.count && !s.pathLike,
    ) ??
    summaries[0];
  if (id) {
    cohort.id = id.name;
    used.add(id.name);
  }
  const centre = findNamed(summaries, CENTRE_NAMES, used);
  if (centre) {
    cohort.centre = centre.name;
    used.add(centre.name);
  }

  const roleColumn = summaries.find((s) => !used.has(s.name) && roleTexts(s) !== null);
  if (roleColumn) {
    const t = roleTexts(roleColumn)!;
    const role: Record<string, unknown> = { column: roleColumn.name };
    if (t.training !== "training") role.training = t.training;
    if (t.test !== "test") role.test = t.test;
    cohort.role = role;
    used.add(roleColumn.name);
  } else if (centre && centre.values.length >= 2) {
    const j = table.header.indexOf(centre.name);
    const counts = new Map<string, number>();
    for (const row of table.rows) {
      const v = (row[j] ?? "").trim();
      if (centre.values.includes(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const sorted = [...centre.values].sort(compareNatural);
    const largest = sorted.reduce((a, b) => ((counts.get(b) ?? 0) > (counts.get(a) ?? 0) ? b : a));
    cohort.role = {
      byCentre: { training: [largest], test: sorted.filter((v) => v !== largest) },
    };
  }

  const mpNamed = findNamed(summaries, MILLER_PAYNE_NAMES, used);
  const outcomeNamed = OUTCOME_NAMES.map((n) =>
    summaries.find((s) => !used.has(s.name) && normalizeName(s.name) === n),
  ).find((s) => s !== undefined && outcomeTexts(s) !== null);
  const gradeColumn = summaries.find(
    (s) => !used.has(s.name) && isMillerPayne(s) && s.values.some((v) => /^\s*G/i.test(v)),
  );
  if (mpNamed && isMillerPayne(mpNamed)) {
    cohort.outcome = { column: mpNamed.name, millerPayne: true };
    used.add(mpNamed.name);
  } else if (outcomeNamed) {
    const t = outcomeTexts(outcomeNamed)!;
    const outcome: Record<string, unknown> = { column: outcomeNamed.name };
    if (t.event !== "1" || t.nonevent !== "0") {
      outcome.event = t.event;
      outcome.nonevent = t.nonevent;
    }
    cohort.outcome = outcome;
    used.add(outcomeNamed.name);
  } else if (gradeColumn) {
    cohort.outcome = { column: gradeColumn.name, millerPayne: true };
    used.add(gradeColumn.name);
  }

  const sequences = guessSequences(table.header.filter((h) => !used.has(h)));
  if (Object.keys(sequences).length > 0) {
    cohort.sequences = sequences;
    for (const s of Object.values(sequences)) {
      used.add(s.image);
      used.add(s.mask);
      if (s.mask2) used.add(s.mask2);
    }
  }

  const clinical: Record<string, { type: VariableType }> = {};
  for (const s of summaries) {
    if (used.has(s.name)) continue;
    const type = guessVariableType(s);
    if (type) clinical[s.name] = { type };
  }
  cohort.clinical = clinical;
  return cohort;
}

/** `raw` with its cohort section replaced by the guess (keeping a configured `missing`). */
export function applyGuessedCohort(
  raw: RawStudyConfig,
  table: CsvTable,
  manifestName: string,
): RawStudyConfig {
  const old = isMapping(raw.cohort) ? raw.cohort : {};
  const missing = Array.isArray(old.missing) ? (old.missing as string[]) : undefined;
  const cohort = guessCohort(table, manifestName, missing ?? defaultMissing());
  if (missing) cohort.missing = missing;
  return { ...raw, cohort };
}

/** Distinct values sorted as the core sorts default categorical levels (string order). */
export function sortedValues(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
