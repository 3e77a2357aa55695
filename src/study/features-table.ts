/**
 * The feature matrix of a study: one column per feature, one row per cohort patient (manifest
 * order). Image mode names every feature PyRadiomics' way suffixed with its sequence
 * (`original_glcm_Contrast_DWI`); precomputed mode reads a CSV table joined on the patient ID.
 * Pure (browser-safe).
 */
import { formatCsv, parseCsv } from "../io/csv.js";
import type { Cohort } from "./cohort.js";
import type { StudyConfig } from "./config.js";

export interface FeatureMatrix {
  /** Feature names, in extraction / table order. */
  names: string[];
  /** Sequence of each feature (the name's suffix), or null when unknown. */
  sequences: (string | null)[];
  /** Patient IDs of the rows. */
  ids: string[];
  /** columns[j][i]: feature j of patient i. */
  columns: Float64Array[];
}

/** `<name>_<sequence>` for every feature of one extraction (`original_glcm_Contrast` -> `..._DWI`). */
export function suffixFeatureNames(
  features: Readonly<Record<string, number>>,
  sequence: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(features)) out[`${k}_${sequence}`] = v;
  return out;
}

/** The sequence suffix of a feature name when it is one of `sequences`. */
export function sequenceOfFeature(name: string, sequences: readonly string[]): string | null {
  const k = name.lastIndexOf("_");
  if (k < 0) return null;
  const s = name.slice(k + 1);
  return sequences.includes(s) ? s : null;
}

/**
 * Matrix from per-patient feature records (already suffixed): every patient must have the same
 * features, with finite values (an error names the patient and the feature otherwise).
 */
export function buildFeatureMatrix(
  ids: readonly string[],
  perPatient: readonly Readonly<Record<string, number>>[],
  sequences: readonly string[],
): FeatureMatrix {
  if (ids.length !== perPatient.length)
    throw new Error(`feature matrix: ${ids.length} patients but ${perPatient.length} feature rows`);
  if (ids.length === 0) throw new Error("feature matrix: no patients");
  const names = Object.keys(perPatient[0]!);
  const columns = names.map(() => new Float64Array(ids.length));
  perPatient.forEach((rec, i) => {
    const keys = Object.keys(rec);
    if (keys.length !== names.length) {
      const extra = keys.filter((k) => !(k in perPatient[0]!));
      const lacking = names.filter((k) => !(k in rec));
      throw new Error(
        `feature matrix: patient '${ids[i]}' has ${keys.length} features, patient '${ids[0]}' has ${names.length}` +
          (lacking.length ? `; missing e.g. ${lacking.slice(0, 3).join(", ")}` : "") +
          (extra.length ? `; extra e.g. ${extra.slice(0, 3).join(", ")}` : ""),
      );
    }
    names.forEach((n, j) => {
      const v = rec[n];
      if (v === undefined)
        throw new Error(`feature matrix: patient '${ids[i]}' has no feature '${n}'`);
      columns[j]![i] = v;
    });
  });
  return {
    names,
    sequences: names.map((n) => sequenceOfFeature(n, sequences)),
    ids: [...ids],
    columns,
  };
}

/** Columns of the manifest that are not features (ID, centre, role, outcome, clinical, paths). */
function nonFeatureColumns(config: StudyConfig): Set<string> {
  const c = config.cohort;
  const s = new Set<string>([c.id, c.outcome.column, ...Object.keys(c.clinical)]);
  if (c.centre) s.add(c.centre);
  if (c.role.column) s.add(c.role.column);
  if (config.features?.id) s.add(config.features.id);
  return s;
}

/**
 * A precomputed feature table joined on the patient ID, rows in `ids` order (`ids` may be a
 * subset of the table's rows, e.g. the second-reader table). Every listed patient must be in the
 * table, every value a finite number. radscore's own features.csv (first columns ID, role,
 * outcome) needs no features.id or features.columns: its ID column is ID and the next two are not
 * features.
 */
export function parseFeatureTable(
  text: string,
  config: StudyConfig,
  ids: readonly string[],
  source = "feature table",
  options: { requireAll?: boolean } = {},
): FeatureMatrix {
  const f = config.features;
  if (!f) throw new Error("parseFeatureTable: the configuration has no features.table");
  const table = parseCsv(text, source);
  // radscore's own features.csv (ID, role, outcome, features...) is read as it is written.
  const ownFormat = RADSCORE_COLUMNS.every((c, k) => table.header[k] === c);
  const idName =
    f.id ?? (ownFormat && !table.header.includes(config.cohort.id) ? "ID" : config.cohort.id);
  const idCol = table.header.indexOf(idName);
  if (idCol < 0)
    throw new Error(
      `${source}: no ID column '${idName}' (set features.id); columns are: ${listColumns(table.header)}`,
    );
  let names: string[];
  if (f.columns) {
    for (const c of f.columns) {
      if (!table.header.includes(c))
        throw new Error(`${source}: features.columns names '${c}', which is not a column`);
    }
    names = [...f.columns];
  } else {
    const skip = nonFeatureColumns(config);
    if (ownFormat) for (const c of RADSCORE_COLUMNS) skip.add(c);
    names = table.header.filter((h, j) => j !== idCol && !skip.has(h));
    if (names.length === 0) throw new Error(`${source}: no feature columns left`);
  }
  const colIdx = names.map((n) => table.header.indexOf(n));
  const rowById = new Map<string, string[]>();
  for (const r of table.rows) {
    const id = r[idCol]!.trim();
    if (rowById.has(id)) throw new Error(`${source}: patient ID '${id}' appears twice`);
    rowById.set(id, r);
  }
  const keep: string[] = [];
  const rows: string[][] = [];
  for (const id of ids) {
    const r = rowById.get(id);
    if (!r) {
      if (options.requireAll === false) continue;
      throw new Error(`${source}: patient '${id}' of the manifest has no row`);
    }
    keep.push(id);
    rows.push(r);
  }
  const columns = names.map((n, j) => {
    const out = new Float64Array(rows.length);
    rows.forEach((r, i) => {
      const t = r[colIdx[j]!]!.trim();
      const v = t === "" ? Number.NaN : Number(t);
      if (!Number.isFinite(v))
        throw new Error(
          `${source}: patient '${keep[i]}': feature '${n}' = '${t}' is not a finite number` +
            (f.columns ? "" : " (list the feature columns in features.columns)"),
        );
      out[i] = v;
    });
    return out;
  });
  return {
    names,
    sequences: names.map((n) => sequenceOfFeature(n, f.sequences)),
    ids: keep,
    columns,
  };
}

/** The first columns of radscore's features.csv, before the features. */
const RADSCORE_COLUMNS = ["ID", "role", "outcome"] as const;

/** A table's columns for a message: the first 12, then how many more. */
function listColumns(header: readonly string[]): string {
  const shown = header.slice(0, 12).join(", ");
  return header.length > 12 ? `${shown}, ... (${header.length} in all)` : shown;
}

/** features.csv: ID, role, outcome, then every feature (full precision). */
export function formatFeaturesCsv(matrix: FeatureMatrix, cohort: Cohort): string {
  const byId = new Map(cohort.patients.map((p) => [p.id, p]));
  return formatCsv(
    [...RADSCORE_COLUMNS, ...matrix.names],
    matrix.ids.map((id, i) => {
      const p = byId.get(id);
      return [id, p?.role ?? "", p ? p.outcome : null, ...matrix.columns.map((c) => c[i]!)];
    }),
  );
}
