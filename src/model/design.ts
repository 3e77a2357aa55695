/**
 * Design matrices for regression models, built from a table of CSV cell texts and a coding rule:
 * numeric columns enter as their double value, factors as treatment-coded dummies against a
 * reference level (R's default `contr.treatment`; term name = column name + level, as R's
 * `model.matrix`), and the intercept is a column of ones. Rows with a missing cell in any column a
 * model reads are dropped (R's `na.omit`, complete cases per model).
 * Pure: no Node modules, runs in the browser.
 */

/** A table of cell texts (the shape of `parseCsv` output). */
export interface CellTable {
  header: string[];
  rows: string[][];
}

/** How one column enters a model. */
export type ColumnCoding =
  | { type: "numeric" }
  | { type: "factor"; levels: string[]; reference?: string; labels?: string[] };

/** One coefficient of a design: intercept (`column` null), numeric value (`level` null) or dummy. */
export interface DesignTerm {
  term: string;
  column: string | null;
  level: string | null;
}

/** A design matrix without its intercept column (that is flagged by `intercept`). */
export interface DesignMatrix {
  /** Names of the non-intercept columns, in column order. */
  terms: string[];
  /** Whether the design has an intercept (first coefficient). */
  intercept: boolean;
  /** n rows of p predictor values (intercept excluded), as `fitLogistic` takes them. */
  X: Float64Array[];
  /** Index (0-based, in `table.rows`) of the source row of each design row. */
  rowIndices: number[];
  /** Source rows (among the candidates) dropped because a cell they need is missing. */
  droppedRows: number[];
}

export interface DesignOptions {
  /** Candidate rows (0-based indices into `table.rows`); default every row. */
  rows?: ArrayLike<number>;
  /** Cell texts that mean "missing" (rows with such a cell in a used column are dropped). Default none: a missing cell is then an error. */
  missingCells?: readonly string[];
  /** Extra columns that must be present (e.g. the outcome) for a row to be kept. */
  requireColumns?: readonly string[];
  /** Name of the table for error messages. */
  source?: string;
}

/**
 * Terms of a model with the given predictors, in R's `model.matrix` order: optional
 * `(Intercept)`, then per predictor its numeric column or one dummy per non-reference level
 * (named column + level, e.g. `morphologyirregular`).
 */
export function designTerms(
  predictors: readonly string[],
  coding: Readonly<Record<string, ColumnCoding>>,
  intercept = true,
): DesignTerm[] {
  const terms: DesignTerm[] = [];
  if (intercept) terms.push({ term: "(Intercept)", column: null, level: null });
  for (const name of predictors) {
    const c = coding[name];
    if (!c) throw new Error(`design: no coding given for predictor '${name}'`);
    if (c.type === "numeric") {
      terms.push({ term: name, column: name, level: null });
    } else {
      if (c.levels.length < 2)
        throw new Error(`design: factor '${name}' needs at least 2 levels, got ${c.levels.length}`);
      const reference = c.reference ?? c.levels[0]!;
      if (!c.levels.includes(reference))
        throw new Error(
          `design: reference level '${reference}' of '${name}' is not one of its levels`,
        );
      for (const level of c.levels) {
        if (level !== reference) terms.push({ term: `${name}${level}`, column: name, level });
      }
    }
  }
  return terms;
}

function columnIndex(table: CellTable, name: string, source: string): number {
  const j = table.header.indexOf(name);
  if (j < 0)
    throw new Error(`${source}: no column '${name}' (columns: ${table.header.join(", ")})`);
  return j;
}

/** Parses a numeric cell (decimal / exponent notation, Inf, -Inf); throws naming column and row. */
export function parseNumericCell(
  text: string,
  column: string,
  row: number,
  source: string,
): number {
  const t = text.trim();
  if (t === "Inf" || t === "+Inf") return Number.POSITIVE_INFINITY;
  if (t === "-Inf") return Number.NEGATIVE_INFINITY;
  const v = t === "" ? Number.NaN : Number(t);
  if (!Number.isFinite(v) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) {
    throw new Error(
      `${source}: column '${column}', data row ${row + 1}: '${text}' is not a number`,
    );
  }
  return v;
}

/**
 * Builds the design matrix of `terms` on the candidate rows of `table`, keeping the rows where
 * every column read (and every `requireColumns` column) is present (complete cases).
 * A factor cell that is not one of `coding[column].levels` or a non-numeric numeric cell is an error.
 */
export function buildDesignMatrix(
  table: CellTable,
  terms: readonly DesignTerm[],
  coding: Readonly<Record<string, ColumnCoding>>,
  options: DesignOptions = {},
): DesignMatrix {
  const source = options.source ?? "data";
  const missing = new Set(options.missingCells ?? []);
  const intercept = terms.length > 0 && terms[0]!.column === null;
  for (let k = intercept ? 1 : 0; k < terms.length; k++) {
    if (terms[k]!.column === null)
      throw new Error(`design: the intercept term '${terms[k]!.term}' must come first`);
  }
  const used = [...new Set(terms.filter((t) => t.column !== null).map((t) => t.column!))];
  const usedIdx = used.map((c) => columnIndex(table, c, source));
  const required = (options.requireColumns ?? []).map((c) => columnIndex(table, c, source));
  for (const c of used) {
    if (!coding[c]) throw new Error(`design: no coding given for column '${c}'`);
  }
  const candidates = options.rows ?? Array.from(table.rows, (_, i) => i);
  const rowIndices: number[] = [];
  const droppedRows: number[] = [];
  for (let k = 0; k < candidates.length; k++) {
    const i = candidates[k]!;
    const row = table.rows[i];
    if (!row) throw new Error(`${source}: no data row ${i + 1}`);
    let complete = true;
    for (const j of usedIdx) if (missing.has(row[j]!)) complete = false;
    for (const j of required) if (missing.has(row[j]!)) complete = false;
    if (complete) rowIndices.push(i);
    else droppedRows.push(i);
  }
  const colOf = new Map(used.map((c, k) => [c, usedIdx[k]!]));
  const predictorTerms = terms.slice(intercept ? 1 : 0);
  for (const t of predictorTerms) {
    const c = coding[t.column!]!;
    if (t.level === null && c.type !== "numeric")
      throw new Error(`design: term '${t.term}' reads factor '${t.column}' without a level`);
    if (t.level !== null && c.type !== "factor")
      throw new Error(`design: term '${t.term}' gives a level of numeric column '${t.column}'`);
    if (t.level !== null && c.type === "factor" && !c.levels.includes(t.level))
      throw new Error(`design: term '${t.term}': '${t.level}' is not a level of '${t.column}'`);
  }
  const X = rowIndices.map((i) => {
    const row = table.rows[i]!;
    const x = new Float64Array(predictorTerms.length);
    predictorTerms.forEach((t, k) => {
      const text = row[colOf.get(t.column!)!]!;
      const c = coding[t.column!]!;
      if (c.type === "numeric") {
        x[k] = parseNumericCell(text, t.column!, i, source);
      } else {
        if (!c.levels.includes(text))
          throw new Error(
            `${source}: column '${t.column}', data row ${i + 1}: '${text}' is not one of the levels ${c.levels.join(", ")}`,
          );
        x[k] = text === t.level ? 1 : 0;
      }
    });
    return x;
  });
  return { terms: predictorTerms.map((t) => t.term), intercept, X, rowIndices, droppedRows };
}

/**
 * 0/1 outcome of the given rows: cell text `event` → 1, `nonevent` → 0; any other text is an error
 * naming the row.
 */
export function binaryOutcome(
  table: CellTable,
  column: string,
  event: string,
  nonevent: string,
  rows: ArrayLike<number>,
  source = "data",
): Float64Array {
  const j = columnIndex(table, column, source);
  const y = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) {
    const text = table.rows[rows[k]!]![j]!;
    if (text === event) y[k] = 1;
    else if (text === nonevent) y[k] = 0;
    else
      throw new Error(
        `${source}: outcome column '${column}', data row ${rows[k]! + 1}: '${text}' is neither the event '${event}' nor the non-event '${nonevent}'`,
      );
  }
  return y;
}
