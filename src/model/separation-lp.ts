/**
 * Exact separation check for binary logistic regression by linear programming (Konis 2007,
 * "Linear programming algorithms for detecting separated data in binary logistic regression
 * models", DPhil thesis, Oxford; the method of R's safeBinaryRegression and detectseparation).
 *
 * With s_i = 2 y_i - 1 and design rows x_i (intercept included), the maximum-likelihood estimate
 * is finite exactly when no direction b != 0 has s_i x_i'b >= 0 for every observation (Albert &
 * Anderson 1984; with a full-rank design, such a b also has one inequality strict):
 * - quasi-complete or complete separation: max sum_i s_i x_i'b subject to s_i x_i'b >= 0 and
 *   -1 <= b_j <= 1 is positive;
 * - complete separation: max t subject to s_i x_i'b >= t, -1 <= b_j <= 1, t <= 1 is positive.
 * Both programmes are feasible at b = 0, the simplex starts there (b = b+ - b-, slack basis) and
 * Bland's rule prevents cycling on the many degenerate (zero right-hand side) constraints. The
 * design's columns are scaled to a largest |value| of 1 first (a positive column scaling maps
 * separating directions onto separating directions), so one tolerance serves every design.
 * Pure TypeScript: runs in the browser.
 */
import type { SeparationKind } from "./logistic-separation.js";

export interface SeparationCheck {
  kind: SeparationKind;
  /**
   * A separating direction (one per design column, in the design's units, largest |value| 1),
   * null without separation: the coefficients with a non-zero entry diverge to ±infinity along it.
   */
  direction: Float64Array | null;
}

/** Relative tolerance of the programmes' optimum (values below are rounding, not separation). */
const TOLERANCE = 1e-9;

/**
 * Checks whether the rows of `X` (each a design row, intercept column included when the model has
 * one) with outcomes `y` (0 / 1) are separated; rows with zero weight are left out.
 */
export function checkSeparation(
  X: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  weights?: ArrayLike<number>,
): SeparationCheck {
  const used: number[] = [];
  for (let i = 0; i < X.length; i++) if (!weights || weights[i]! > 0) used.push(i);
  const p = X[0]?.length ?? 0;
  if (used.length === 0 || p === 0) return { kind: "none", direction: null };
  const scale = new Float64Array(p);
  for (const i of used)
    for (let j = 0; j < p; j++) scale[j] = Math.max(scale[j]!, Math.abs(X[i]![j]!));
  // rows[r] = s_i x_i (scaled); a column that is zero throughout carries no direction.
  const rows = used.map((i) => {
    const s = y[i] === 1 ? 1 : -1;
    return Float64Array.from({ length: p }, (_, j) =>
      scale[j]! > 0 ? (s * X[i]![j]!) / scale[j]! : 0,
    );
  });
  const quasi = maximiseSeparation(rows, p, false);
  if (quasi.value <= TOLERANCE * rows.length) return { kind: "none", direction: null };
  const complete = maximiseSeparation(rows, p, true);
  const kind: SeparationKind = complete.value > TOLERANCE ? "complete" : "quasi-complete";
  const b = (kind === "complete" ? complete : quasi).b;
  // Back to the design's units (b_j / scale_j), largest |value| 1.
  const direction = Float64Array.from(b, (v, j) => (scale[j]! > 0 ? v / scale[j]! : 0));
  let largest = 0;
  for (const v of direction) largest = Math.max(largest, Math.abs(v));
  if (largest > 0) for (let j = 0; j < p; j++) direction[j] = direction[j]! / largest;
  return { kind, direction };
}

/**
 * The simplex on one of the two programmes. Variables: b+ (p), b- (p) and, for the complete test,
 * t; constraints: -r'b (+ t) <= 0 per row, b+_j <= 1, b-_j <= 1 (and t <= 1). Objective: sum_r r'b,
 * or t.
 */
function maximiseSeparation(
  rows: Float64Array[],
  p: number,
  complete: boolean,
): { value: number; b: Float64Array } {
  const nv = 2 * p + (complete ? 1 : 0);
  const m = rows.length + 2 * p + (complete ? 1 : 0);
  const width = nv + m + 1; // variables, slacks, right-hand side
  const a = new Float64Array(m * width);
  const rhs = nv + m;
  rows.forEach((r, k) => {
    const at = k * width;
    for (let j = 0; j < p; j++) {
      a[at + j] = -r[j]!;
      a[at + p + j] = r[j]!;
    }
    if (complete) a[at + 2 * p] = 1;
  });
  for (let j = 0; j < nv; j++) {
    const at = (rows.length + j) * width;
    a[at + j] = 1;
    a[at + rhs] = 1;
  }
  for (let k = 0; k < m; k++) a[k * width + nv + k] = 1;
  // Objective row: reduced costs c_j - z_j (maximisation: enter while one is positive).
  const cost = new Float64Array(width);
  if (complete) cost[2 * p] = 1;
  else
    for (const r of rows)
      for (let j = 0; j < p; j++) {
        cost[j] = cost[j]! + r[j]!;
        cost[p + j] = cost[p + j]! - r[j]!;
      }
  const basis = Int32Array.from({ length: m }, (_, k) => nv + k);
  const limit = 50 * (m + nv);
  for (let iteration = 0; ; iteration++) {
    if (iteration > limit) throw new Error("separation check: the simplex did not terminate");
    // Bland: the lowest-index column with a positive reduced cost enters.
    let enter = -1;
    for (let j = 0; j < nv + m; j++)
      if (cost[j]! > 1e-12) {
        enter = j;
        break;
      }
    if (enter < 0) break;
    // Ratio test; ties by the lowest basic variable index (Bland).
    let leave = -1;
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < m; k++) {
      const coefficient = a[k * width + enter]!;
      if (coefficient <= 1e-12) continue;
      const ratio = a[k * width + rhs]! / coefficient;
      if (ratio < best - 1e-15 || (Math.abs(ratio - best) <= 1e-15 && basis[k]! < basis[leave]!)) {
        best = ratio;
        leave = k;
      }
    }
    // Bounded by the box constraints: cannot happen, but never loop on it.
    if (leave < 0) throw new Error("separation check: unbounded programme");
    pivot(a, cost, m, width, leave, enter);
    basis[leave] = enter;
  }
  const b = new Float64Array(p);
  let tValue = 0;
  for (let k = 0; k < m; k++) {
    const v = basis[k]!;
    const value = a[k * width + rhs]!;
    if (v < p) b[v] = b[v]! + value;
    else if (v < 2 * p) b[v - p] = b[v - p]! - value;
    else if (complete && v === 2 * p) tValue = value;
  }
  if (complete) return { value: tValue, b };
  let objective = 0;
  for (const r of rows) for (let j = 0; j < p; j++) objective += r[j]! * b[j]!;
  return { value: objective, b };
}

function pivot(
  a: Float64Array,
  cost: Float64Array,
  m: number,
  width: number,
  row: number,
  column: number,
): void {
  const at = row * width;
  const scale = a[at + column]!;
  for (let j = 0; j < width; j++) a[at + j] = a[at + j]! / scale;
  for (let k = 0; k < m; k++) {
    if (k === row) continue;
    const factor = a[k * width + column]!;
    if (factor === 0) continue;
    const bk = k * width;
    for (let j = 0; j < width; j++) a[bk + j] = a[bk + j]! - factor * a[at + j]!;
  }
  const factor = cost[column]!;
  if (factor !== 0) for (let j = 0; j < width; j++) cost[j] = cost[j]! - factor * a[at + j]!;
}
