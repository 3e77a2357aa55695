/**
 * The cohort manifest: one CSV row per patient with its ID, centre, training/test role, outcome,
 * clinical variables and (image mode) per-sequence image / mask paths. Validated here, before any
 * work starts: unknown columns, duplicate IDs, a patient without a mask, an outcome or a category
 * outside its levels, and a training set with one class only are errors naming the patient or the
 * column. Pure (browser-safe): file existence is checked by the Node edge.
 */
import type { ColumnCoding } from "../model/design.js";
import { type CsvTable, parseCsv } from "../io/csv.js";
import type { StudyConfig } from "./config.js";
import type { CohortName } from "./result.js";

export interface CohortPatient {
  id: string;
  centre: string | null;
  role: CohortName;
  /** 1 = event (pCR). */
  outcome: 0 | 1;
  /** Clinical cells (text as in the manifest; missing = null). */
  clinical: Record<string, string | null>;
  /** Image mode: per sequence the image / mask (/ second-reader mask) path as written. */
  images: Record<string, { image: string; mask: string; mask2: string | null }>;
}

export interface ClinicalVariable {
  name: string;
  label: string;
  type: "continuous" | "binary" | "categorical";
  /** Levels (categorical: configured or training values sorted; binary: "0", "1"). */
  levels: string[];
  reference: string | null;
  /** Display labels of the levels (nomogram). */
  labels: string[];
}

export interface Cohort {
  patients: CohortPatient[];
  sequences: string[];
  variables: ClinicalVariable[];
  /** Missing-cell texts. */
  missing: string[];
}

function column(table: CsvTable, name: string, what: string, source: string): number {
  const j = table.header.indexOf(name);
  if (j < 0)
    throw new Error(
      `${source}: no column '${name}' (${what}); columns are: ${table.header.join(", ")}`,
    );
  return j;
}

/** Outcome of one cell: 0/1 column or Miller-Payne grade (G5 / 5 = pCR). */
function outcomeOf(text: string, config: StudyConfig, id: string, source: string): 0 | 1 {
  const o = config.cohort.outcome;
  if (o.millerPayne) {
    const m = /^\s*(?:G|MP)?\s*([1-5])\s*$/i.exec(text);
    if (!m)
      throw new Error(
        `${source}: patient '${id}': outcome '${o.column}' = '${text}' is not a Miller-Payne grade (G1-G5 or 1-5)`,
      );
    return m[1] === "5" ? 1 : 0;
  }
  if (text === o.event) return 1;
  if (text === o.nonevent) return 0;
  throw new Error(
    `${source}: patient '${id}': outcome '${o.column}' = '${text}' is neither the event '${o.event}' nor the non-event '${o.nonevent}'`,
  );
}

/**
 * Reads and validates the manifest text against the configuration. Categorical levels not given
 * in the configuration are the sorted distinct training values (a test value outside them is an
 * error: the coding is fixed on training).
 */
export function parseCohortManifest(
  text: string,
  config: StudyConfig,
  source = "cohort manifest",
): Cohort {
  const table = parseCsv(text, source);
  const c = config.cohort;
  const missing = new Set(c.missing);
  const idCol = column(table, c.id, "cohort.id", source);
  const centreCol = c.centre ? column(table, c.centre, "cohort.centre", source) : -1;
  const roleCol =
    !c.role.byCentre && c.role.column
      ? column(table, c.role.column, "cohort.role.column", source)
      : -1;
  const outCol = column(table, c.outcome.column, "cohort.outcome.column", source);
  const clinicalCols = Object.keys(c.clinical).map(
    (name) => [name, column(table, name, `cohort.clinical.${name}`, source)] as const,
  );
  const sequences = Object.keys(c.sequences ?? {});
  const seqCols = sequences.map((s) => {
    const sc = c.sequences![s]!;
    return {
      name: s,
      image: column(table, sc.image, `cohort.sequences.${s}.image`, source),
      mask: column(table, sc.mask, `cohort.sequences.${s}.mask`, source),
      mask2: sc.mask2 ? column(table, sc.mask2, `cohort.sequences.${s}.mask2`, source) : -1,
    };
  });
  if (table.rows.length === 0) throw new Error(`${source}: the manifest has no patients`);
  const seen = new Set<string>();
  const patients: CohortPatient[] = table.rows.map((row, i) => {
    const id = row[idCol]!.trim();
    if (id === "") throw new Error(`${source}: data row ${i + 1} has an empty patient ID`);
    if (seen.has(id)) throw new Error(`${source}: patient ID '${id}' appears twice`);
    seen.add(id);
    const centre = centreCol >= 0 ? row[centreCol]! : null;
    let role: CohortName;
    if (c.role.byCentre) {
      if (c.role.byCentre.training.includes(centre!)) role = "training";
      else if (c.role.byCentre.test.includes(centre!)) role = "test";
      else
        throw new Error(
          `${source}: patient '${id}': centre '${centre}' is in neither cohort.role.byCentre.training (${c.role.byCentre.training.join(", ")}) nor .test (${c.role.byCentre.test.join(", ")})`,
        );
    } else {
      const t = row[roleCol]!;
      if (t === c.role.training) role = "training";
      else if (t === c.role.test) role = "test";
      else
        throw new Error(
          `${source}: patient '${id}': role '${c.role.column}' = '${t}' is neither '${c.role.training}' nor '${c.role.test}'`,
        );
    }
    const outText = row[outCol]!;
    if (missing.has(outText))
      throw new Error(`${source}: patient '${id}': outcome '${c.outcome.column}' is missing`);
    const outcome = outcomeOf(outText, config, id, source);
    const clinical: Record<string, string | null> = {};
    for (const [name, j] of clinicalCols) {
      const v = row[j]!.trim();
      clinical[name] = missing.has(v) ? null : v;
    }
    const images: CohortPatient["images"] = {};
    for (const s of seqCols) {
      const image = row[s.image]!.trim();
      const mask = row[s.mask]!.trim();
      if (image === "" || missing.has(image))
        throw new Error(`${source}: patient '${id}' has no ${s.name} image`);
      if (mask === "" || missing.has(mask))
        throw new Error(`${source}: patient '${id}' has no ${s.name} mask`);
      const m2 = s.mask2 >= 0 ? row[s.mask2]!.trim() : "";
      images[s.name] = { image, mask, mask2: m2 === "" || missing.has(m2) ? null : m2 };
    }
    return { id, centre, role, outcome, clinical, images };
  });
  const training = patients.filter((p) => p.role === "training");
  const test = patients.filter((p) => p.role === "test");
  if (training.length === 0) throw new Error(`${source}: no training patients`);
  if (test.length === 0) throw new Error(`${source}: no test patients`);
  for (const [name, set] of [
    ["training", training],
    ["test", test],
  ] as const) {
    const events = set.filter((p) => p.outcome === 1).length;
    if (events === 0 || events === set.length)
      throw new Error(
        `${source}: the ${name} set has one outcome class only (${events} events of ${set.length}); both classes are needed`,
      );
  }
  const variables = Object.entries(c.clinical).map(([name, v]): ClinicalVariable => {
    const label = v.label ?? name;
    if (v.type === "continuous") {
      for (const p of patients) {
        const t = p.clinical[name];
        if (t !== null && t !== undefined && !Number.isFinite(Number(t)))
          throw new Error(
            `${source}: patient '${p.id}': clinical variable '${name}' = '${t}' is not a number`,
          );
      }
      return { name, label, type: "continuous", levels: [], reference: null, labels: [] };
    }
    if (v.type === "binary") {
      for (const p of patients) {
        const t = p.clinical[name];
        if (t !== null && t !== "0" && t !== "1")
          throw new Error(
            `${source}: patient '${p.id}': binary variable '${name}' = '${t}' must be 0 or 1`,
          );
      }
      return {
        name,
        label,
        type: "binary",
        levels: ["0", "1"],
        reference: "0",
        labels: v.labels ?? ["0", "1"],
      };
    }
    const levels =
      v.levels ??
      [
        ...new Set(training.map((p) => p.clinical[name]).filter((t): t is string => t !== null)),
      ].sort();
    if (levels.length < 2)
      throw new Error(
        `${source}: categorical variable '${name}' has fewer than 2 levels in training (${levels.join(", ")})`,
      );
    for (const p of patients) {
      const t = p.clinical[name];
      if (t !== null && t !== undefined && !levels.includes(t))
        throw new Error(
          `${source}: patient '${p.id}': '${name}' = '${t}' is not one of the levels ${levels.join(", ")}`,
        );
    }
    return {
      name,
      label,
      type: "categorical",
      levels,
      reference: v.reference ?? levels[0]!,
      labels: v.labels ?? levels,
    };
  });
  return { patients, sequences, variables, missing: [...missing] };
}

/** Design coding of the clinical variables (binary and continuous as numbers, factors by level). */
export function clinicalCoding(
  variables: readonly ClinicalVariable[],
): Record<string, ColumnCoding> {
  const out: Record<string, ColumnCoding> = {};
  for (const v of variables) {
    out[v.name] =
      v.type === "categorical"
        ? { type: "factor", levels: v.levels, reference: v.reference ?? v.levels[0]! }
        : { type: "numeric" };
  }
  return out;
}
