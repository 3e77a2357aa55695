/**
 * Reading the CSV inputs of the statistics commands, with errors that name the column and row.
 */
import { readFile } from "node:fs/promises";
import { type CsvTable, parseCsv } from "../io/csv.js";
import { writeFileAtomic } from "../node/atomic.js";

export const MISSING_CELLS = ["", "NA", "NaN", "nan", "."];

export async function readTable(path: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new Error(
      `${path}: cannot read file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  const table = parseCsv(text, path);
  if (table.rows.length === 0) throw new Error(`${path}: the table has a header but no rows`);
  return table;
}

export function columnIndex(table: CsvTable, name: string, source: string): number {
  const j = table.header.indexOf(name);
  if (j < 0)
    throw new Error(`${source}: no column '${name}' (columns: ${table.header.join(", ")})`);
  return j;
}

/** Split a comma-separated option value into names. */
export function names(option: string | undefined, what: string): string[] {
  const list = (option ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (list.length === 0) throw new Error(`${what} is required (comma-separated column names)`);
  return list;
}

/** Rows of a set: all rows, or those whose `column` cell equals `value`. */
export function selectRows(
  table: CsvTable,
  source: string,
  column?: string,
  value?: string,
): number[] {
  const all = table.rows.map((_, i) => i);
  if (!column) return all;
  const j = columnIndex(table, column, source);
  const rows = all.filter((i) => table.rows[i]![j] === value);
  if (rows.length === 0) throw new Error(`${source}: no row has '${value}' in column '${column}'`);
  return rows;
}

/** Numeric cells of a column for the given rows; a missing or non-numeric cell names its row. */
export function numericColumn(
  table: CsvTable,
  name: string,
  rows: readonly number[],
  source: string,
): Float64Array {
  const j = columnIndex(table, name, source);
  const out = new Float64Array(rows.length);
  rows.forEach((r, k) => {
    const text = table.rows[r]![j]!.trim();
    const v = Number(text);
    if (text === "" || MISSING_CELLS.includes(text)) {
      throw new Error(`${source}: column '${name}', row ${r + 2}: missing value`);
    }
    if (!Number.isFinite(v))
      throw new Error(`${source}: column '${name}', row ${r + 2}: '${text}' is not a number`);
    out[k] = v;
  });
  return out;
}

/**
 * 0/1 outcome: cells equal to `event` are 1; with no `event` given the column must hold exactly two
 * values, 0/1 (or the larger of two numbers is the event). Both classes must occur.
 */
export function outcomeColumn(
  table: CsvTable,
  name: string,
  rows: readonly number[],
  source: string,
  event?: string,
): Float64Array {
  const j = columnIndex(table, name, source);
  const cells = rows.map((r) => table.rows[r]![j]!.trim());
  cells.forEach((c, k) => {
    if (MISSING_CELLS.includes(c))
      throw new Error(`${source}: outcome '${name}', row ${rows[k]! + 2}: missing value`);
  });
  const distinct = [...new Set(cells)];
  let eventText = event;
  if (eventText === undefined) {
    if (distinct.length > 2) {
      throw new Error(
        `${source}: outcome '${name}' is not binary: values ${distinct.slice(0, 6).join(", ")}${distinct.length > 6 ? ", ..." : ""}`,
      );
    }
    const numeric = distinct.map(Number);
    eventText = numeric.every(Number.isFinite)
      ? distinct[numeric.indexOf(Math.max(...numeric))]
      : distinct.sort()[1];
  } else if (distinct.length > 2 || !distinct.includes(eventText)) {
    const bad = distinct.filter((d) => d !== eventText);
    if (bad.length > 1)
      throw new Error(`${source}: outcome '${name}' is not binary: values ${distinct.join(", ")}`);
  }
  const y = Float64Array.from(cells, (c) => (c === eventText ? 1 : 0));
  const events = y.reduce((a, b) => a + b, 0);
  if (events === 0 || events === y.length) {
    throw new Error(
      `${source}: outcome '${name}' has only one class (${events === 0 ? "no events" : "no non-events"}) in the rows analysed`,
    );
  }
  return y;
}

/** Write `<prefix>.json` and `<prefix>.md` (atomically) and print the Markdown. */
export async function emit(
  output: string | undefined,
  json: unknown,
  markdown: string,
): Promise<void> {
  if (output) {
    const base = output.replace(/\.(json|md)$/i, "");
    await writeFileAtomic(`${base}.json`, `${JSON.stringify(json, jsonReplacer, 2)}\n`);
    await writeFileAtomic(`${base}.md`, markdown);
  }
  process.stdout.write(markdown);
}

/** JSON with typed arrays as arrays and non-finite numbers as null. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value))
    return Array.from(value as unknown as ArrayLike<number>, (v) =>
      Number.isFinite(v) ? v : null,
    );
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  return value;
}

/** Number formatting for Markdown tables. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return "NA";
  return v.toFixed(digits);
}

export function fmtP(p: number): string {
  if (!Number.isFinite(p)) return "NA";
  return p < 0.001 ? "<0.001" : p.toFixed(3);
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return `${[line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n")}\n`;
}
