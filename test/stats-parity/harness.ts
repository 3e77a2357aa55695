/**
 * Shared reading of the `harness` block for the parity handlers: data CSV (+ `join`), missing-cell
 * rule, sets, outcome, numeric columns and design matrices (via src/model/design.ts). Everything
 * comes from `harness`; no data-set names.
 */
import {
  binaryOutcome,
  buildDesignMatrix,
  type CellTable,
  type ColumnCoding,
  type DesignMatrix,
  type DesignTerm,
} from "../../src/model/design.js";
import type { KindContext } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: harness layouts are plain JSON
type Harness = any;

/** The `data` CSV with the `join` columns appended (row order of `data`). */
export function loadHarnessTable(h: Harness, ctx: Pick<KindContext, "readCsv">): CellTable {
  if (typeof h.data !== "string") throw new Error("harness.data is not a file name");
  const data = ctx.readCsv(h.data);
  if (!h.join) return data;
  const join = ctx.readCsv(h.join.file);
  const on = h.join.on as string;
  const dataKey = data.header.indexOf(on);
  const joinKey = join.header.indexOf(on);
  if (dataKey < 0) throw new Error(`${h.data}: no join column '${on}'`);
  if (joinKey < 0) throw new Error(`${h.join.file}: no join column '${on}'`);
  const cols = (h.join.columns as string[]).map((c) => {
    const j = join.header.indexOf(c);
    if (j < 0) throw new Error(`${h.join.file}: no column '${c}'`);
    if (data.header.includes(c)) throw new Error(`${h.data}: join column '${c}' already exists`);
    return j;
  });
  const byKey = new Map<string, string[]>();
  for (const r of join.rows) byKey.set(r[joinKey]!, r);
  const rows = data.rows.map((r, i) => {
    const match = byKey.get(r[dataKey]!);
    if (!match)
      throw new Error(`${h.join.file}: no row with ${on} = '${r[dataKey]}' (data row ${i + 1})`);
    return [...r, ...cols.map((j) => match[j]!)];
  });
  return { header: [...data.header, ...(h.join.columns as string[])], rows };
}

export function columnIndex(table: CellTable, name: string): number {
  const j = table.header.indexOf(name);
  if (j < 0) throw new Error(`no column '${name}' (columns: ${table.header.join(", ")})`);
  return j;
}

/** Cell texts meaning "missing" (harness.missing.cell_text; none when absent). */
export function missingCells(h: Harness): string[] {
  return h.missing?.cell_text ?? [];
}

/** 0-based rows of a set: `training` / `test` by the split column, `all` = every row. */
export function setRows(table: CellTable, h: Harness, set: string): number[] {
  if (set === "all") {
    if (h.split) throw new Error("set 'all' with a split");
    return table.rows.map((_, i) => i);
  }
  if (!h.split) throw new Error(`set '${set}' without a split`);
  const text = h.split[set];
  if (typeof text !== "string") throw new Error(`harness.split has no '${set}' cell text`);
  const j = columnIndex(table, h.split.column);
  const out: number[] = [];
  table.rows.forEach((r, i) => {
    if (r[j] === text) out.push(i);
  });
  return out;
}

/** Keeps the rows where none of `columns` is a missing cell. */
export function completeRows(
  table: CellTable,
  rows: number[],
  columns: string[],
  missing: string[],
): number[] {
  const idx = columns.map((c) => columnIndex(table, c));
  const miss = new Set(missing);
  return rows.filter((i) => idx.every((j) => !miss.has(table.rows[i]![j]!)));
}

/** Numeric values of a column on the rows (the cell text parsed as a double). */
export function numericColumn(table: CellTable, column: string, rows: number[]): Float64Array {
  const j = columnIndex(table, column);
  return Float64Array.from(rows, (i) => {
    const t = table.rows[i]![j]!;
    const v = Number(t);
    if (t.trim() === "" || Number.isNaN(v))
      throw new Error(`column '${column}', data row ${i + 1}: '${t}' is not a number`);
    return v;
  });
}

/** Harness coding → design.ts coding (numeric or factor; any other type is an error). */
export function harnessCoding(h: Harness): Record<string, ColumnCoding> {
  const out: Record<string, ColumnCoding> = {};
  for (const [name, c] of Object.entries(h.coding as Record<string, Harness>)) {
    if (c.type === "factor") {
      out[name] = {
        type: "factor",
        levels: c.levels,
        reference: c.reference ?? undefined,
        labels: c.labels ?? c.levels,
      };
    } else if (c.type === "numeric") out[name] = { type: "numeric" };
    else throw new Error(`coding of '${name}': unknown type '${c.type}'`);
  }
  return out;
}

/** The 0/1 outcome of `rows` (harness.outcome: its column and event / nonevent cell texts). */
export function harnessOutcome(
  table: CellTable,
  h: Harness,
  rows: readonly number[],
): Float64Array {
  return binaryOutcome(table, h.outcome.column, h.outcome.event, h.outcome.nonevent, rows, h.data);
}

/**
 * The design matrix of `terms` on `rows` (rows with a missing cell in a predictor or the outcome
 * dropped, as R's na.omit) and its 0/1 outcome (harness.outcome: event / nonevent cell texts).
 */
export function outcomeDesign(
  table: CellTable,
  h: Harness,
  terms: DesignTerm[],
  coding: Record<string, ColumnCoding>,
  rows: number[],
): { design: DesignMatrix; y: Float64Array } {
  const design = buildDesignMatrix(table, terms, coding, {
    rows,
    missingCells: missingCells(h),
    requireColumns: [h.outcome.column],
    source: h.data,
  });
  return { design, y: harnessOutcome(table, h, design.rowIndices) };
}

export function harnessDesign(model: Harness): DesignTerm[] {
  return (model.design as Harness[]).map((d) => ({
    term: d.term,
    column: d.column,
    level: d.level,
  }));
}

/** Every output path of an object tree that the handler is expected to cover (for diagnostics). */
export function assertKeys(obj: Record<string, unknown>, expected: string[], where: string): void {
  const extra = Object.keys(obj).filter((k) => !expected.includes(k));
  if (extra.length > 0) throw new Error(`${where}: outputs not handled: ${extra.join(", ")}`);
}
