/**
 * Feature scalers fitted on the training rows and applied unchanged to new rows.
 *
 * - Min-max, scikit-learn `MinMaxScaler` (preprocessing/_data.py): scale_ = (hi - lo) / (max - min),
 *   min_ = lo - min * scale_, x' = x * scale_ + min_; a range below 10 * machine epsilon counts as
 *   constant and gets scale_ = 1.
 * - Min-max, R style: x' = (x - min) / (max - min) (the formula used before glmnet); a constant
 *   column maps to 0 and is flagged.
 * - Z-score, scikit-learn `StandardScaler` (ddof 0) or R `scale()` (ddof 1): x' = (x - mean) / sd;
 *   sd = 0 is replaced by 1 (as scikit-learn).
 * Columns are feature vectors (one Float64Array per feature). Values outside [0, 1] after min-max
 * scaling of new data are reported by `minMaxRangeReport`.
 */

export interface MinMaxScaler {
  kind: "minmax";
  /** "sklearn": x * scale + min; "r": (x - dataMin) / (dataMax - dataMin). */
  formula: "sklearn" | "r";
  featureRange: [number, number];
  dataMin: Float64Array;
  dataMax: Float64Array;
  scale: Float64Array;
  min: Float64Array;
  /** Features whose training range is (numerically) zero. */
  constant: boolean[];
}

export interface ZScoreScaler {
  kind: "zscore";
  ddof: number;
  mean: Float64Array;
  scale: Float64Array;
  constant: boolean[];
}

function checkColumns(
  columns: readonly ArrayLike<number>[],
  what: string,
  names?: readonly string[],
): number {
  if (columns.length === 0) throw new Error(`${what}: no feature columns`);
  const n = columns[0]!.length;
  if (n === 0) throw new Error(`${what}: no rows`);
  columns.forEach((c, j) => {
    const name = names?.[j] ?? `column ${j}`;
    if (c.length !== n)
      throw new Error(`${what}: feature ${name} has ${c.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i]!))
        throw new Error(`${what}: feature ${name}, row ${i} is not a finite number (${c[i]})`);
    }
  });
  return n;
}

/**
 * Fit a min-max scaler on training columns. `formula` "sklearn" follows MinMaxScaler exactly
 * (also its last-bit rounding); "r" uses (x - min) / (max - min).
 */
export function fitMinMaxScaler(
  columns: readonly ArrayLike<number>[],
  options: {
    formula?: "sklearn" | "r";
    featureRange?: [number, number];
    names?: readonly string[];
  } = {},
): MinMaxScaler {
  const formula = options.formula ?? "sklearn";
  const featureRange = options.featureRange ?? [0, 1];
  const [lo, hi] = featureRange;
  if (!(lo < hi))
    throw new Error(`fitMinMaxScaler: feature_range must be increasing, got [${lo}, ${hi}]`);
  const n = checkColumns(columns, "fitMinMaxScaler", options.names);
  const p = columns.length;
  const dataMin = new Float64Array(p);
  const dataMax = new Float64Array(p);
  const scale = new Float64Array(p);
  const min = new Float64Array(p);
  const constant: boolean[] = [];
  for (let j = 0; j < p; j++) {
    const c = columns[j]!;
    let a = c[0]!;
    let b = c[0]!;
    for (let i = 1; i < n; i++) {
      const v = c[i]!;
      if (v < a) a = v;
      if (v > b) b = v;
    }
    dataMin[j] = a;
    dataMax[j] = b;
    let range = b - a;
    const isConst = range < 10 * Number.EPSILON;
    constant.push(formula === "sklearn" ? isConst : range === 0);
    if (isConst && formula === "sklearn") range = 1;
    scale[j] = (hi - lo) / range;
    min[j] = lo - a * scale[j]!;
  }
  return { kind: "minmax", formula, featureRange, dataMin, dataMax, scale, min, constant };
}

/** Apply a fitted min-max scaler to columns (same feature order as the fit). */
export function applyMinMaxScaler(
  scaler: MinMaxScaler,
  columns: readonly ArrayLike<number>[],
): Float64Array[] {
  const p = scaler.scale.length;
  if (columns.length !== p)
    throw new Error(`applyMinMaxScaler: scaler has ${p} features, got ${columns.length} columns`);
  const [lo, hi] = scaler.featureRange;
  return columns.map((c, j) => {
    const out = new Float64Array(c.length);
    const s = scaler.scale[j]!;
    const m = scaler.min[j]!;
    const a = scaler.dataMin[j]!;
    const range = scaler.dataMax[j]! - a;
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v))
        throw new Error(`applyMinMaxScaler: feature ${j}, row ${i} is not a finite number (${v})`);
      if (scaler.formula === "sklearn") {
        out[i] = v * s + m;
      } else {
        out[i] = range === 0 ? lo : lo + ((v - a) / range) * (hi - lo);
      }
    }
    return out;
  });
}

/** Fit a z-score scaler: mean and sd with divisor n - ddof (ddof 0 = scikit-learn, 1 = R scale()). */
export function fitZScoreScaler(
  columns: readonly ArrayLike<number>[],
  options: { ddof?: number; names?: readonly string[] } = {},
): ZScoreScaler {
  const ddof = options.ddof ?? 0;
  const n = checkColumns(columns, "fitZScoreScaler", options.names);
  if (n - ddof <= 0) throw new Error(`fitZScoreScaler: ${n} rows are too few for ddof ${ddof}`);
  const p = columns.length;
  const mean = new Float64Array(p);
  const scale = new Float64Array(p);
  const constant: boolean[] = [];
  for (let j = 0; j < p; j++) {
    const c = columns[j]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i]!;
    const m = s / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (c[i]! - m) * (c[i]! - m);
    const sd = Math.sqrt(ss / (n - ddof));
    mean[j] = m;
    const isConst = !(sd > 10 * Number.EPSILON * Math.max(1, Math.abs(m)));
    constant.push(isConst);
    scale[j] = isConst ? 1 : sd;
  }
  return { kind: "zscore", ddof, mean, scale, constant };
}

/** Apply a fitted z-score scaler: (x - mean) / scale. */
export function applyZScoreScaler(
  scaler: ZScoreScaler,
  columns: readonly ArrayLike<number>[],
): Float64Array[] {
  const p = scaler.mean.length;
  if (columns.length !== p)
    throw new Error(`applyZScoreScaler: scaler has ${p} features, got ${columns.length} columns`);
  return columns.map((c, j) => {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v))
        throw new Error(`applyZScoreScaler: feature ${j}, row ${i} is not a finite number (${v})`);
      out[i] = (v - scaler.mean[j]!) / scaler.scale[j]!;
    }
    return out;
  });
}

export interface RangeReportEntry {
  feature: string;
  below: number;
  above: number;
  min: number;
  max: number;
}

/**
 * Features of min-max scaled data with values outside the scaler's feature range (e.g. test rows
 * beyond the training minimum / maximum): counts below / above and the observed extremes.
 */
export function minMaxRangeReport(
  scaler: MinMaxScaler,
  scaledColumns: readonly ArrayLike<number>[],
  names?: readonly string[],
): RangeReportEntry[] {
  const [lo, hi] = scaler.featureRange;
  const out: RangeReportEntry[] = [];
  scaledColumns.forEach((c, j) => {
    let below = 0;
    let above = 0;
    let mn = Number.POSITIVE_INFINITY;
    let mx = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < c.length; i++) {
      const v = c[i]!;
      if (v < lo) below++;
      if (v > hi) above++;
      mn = Math.min(mn, v);
      mx = Math.max(mx, v);
    }
    if (below > 0 || above > 0)
      out.push({ feature: names?.[j] ?? `column ${j}`, below, above, min: mn, max: mx });
  });
  return out;
}
