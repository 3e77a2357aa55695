/**
 * RFC 4180 CSV parsing and writing (quoted fields, embedded commas, quotes and newlines).
 * Pure: takes and returns strings, so it runs in the browser as well.
 */

export interface CsvTable {
  header: string[];
  rows: string[][];
}

export function parseCsv(text: string, source = "<csv>"): CsvTable {
  const records: string[][] = [];
  let field = "";
  let record: string[] = [];
  let inQuotes = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte-order mark
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += ch;
    } else if (ch === '"' && field === "") inQuotes = true;
    else if (ch === ",") {
      record.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      field = "";
      if (!(record.length === 1 && record[0] === "")) records.push(record);
      record = [];
    } else field += ch;
  }
  if (inQuotes) throw new Error(`${source}: unterminated quoted field`);
  if (field !== "" || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  if (records.length === 0) throw new Error(`${source}: empty CSV (no header row)`);
  const header = records[0]!.map((h) => h.trim());
  const rows = records.slice(1);
  rows.forEach((r, k) => {
    if (r.length !== header.length) {
      throw new Error(
        `${source}: row ${k + 2} has ${r.length} fields, the header has ${header.length}`,
      );
    }
  });
  return { header, rows };
}

/** Column `name` of a parsed table; throws naming the column when it is absent. */
export function csvColumn(table: CsvTable, name: string, source = "<csv>"): string[] {
  const j = table.header.indexOf(name);
  if (j < 0)
    throw new Error(`${source}: no column '${name}' (columns: ${table.header.join(", ")})`);
  return table.rows.map((r) => r[j]!);
}

function quoteField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatCsv(header: string[], rows: (string | number | null)[][]): string {
  return `${[formatCsvLine(header), ...rows.map(formatCsvLine)].join("\n")}\n`;
}

/** One CSV line (no newline): quoted where needed, numbers in their shortest round-trip form. */
export function formatCsvLine(cells: readonly (string | number | null)[]): string {
  return cells
    .map((v) => quoteField(v === null ? "" : typeof v === "number" ? formatNumber(v) : v))
    .join(",");
}

/** Shortest round-trip form; NaN and infinities spelled as R / pandas read them. */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Number.POSITIVE_INFINITY) return "Inf";
  if (v === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(v);
}
