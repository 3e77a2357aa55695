/**
 * Rad-score: the linear predictor of a fitted model on its selected radiomics features,
 *   radscore_i = intercept + sum_j coef_j x_ij
 * (the log-odds of the event for a logistic model; the LASSO linear predictor for glmnet),
 * and the reference study's rule that every MRI sequence stays represented: feature names carry a
 * sequence suffix (`..._T2`, `..._DWI`, `..._DCE`); when the selection removed every feature of a
 * sequence, the best univariate feature of that sequence (largest ANOVA F, i.e. smallest p) is
 * forced back in.
 */

export interface LinearScoreModel {
  intercept: number;
  /** Feature name -> coefficient (zero coefficients may be omitted). */
  coefficients: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
}

function entries(c: LinearScoreModel["coefficients"]): [string, number][] {
  return c instanceof Map ? [...c.entries()] : Object.entries(c as Record<string, number>);
}

/**
 * Rad-score of each row: intercept + sum coef * value. `columns` maps feature names to value
 * columns (all of equal length); every feature with a non-zero coefficient must be present.
 */
export function radScore(
  model: LinearScoreModel,
  columns: ReadonlyMap<string, ArrayLike<number>>,
): Float64Array {
  const terms = entries(model.coefficients).filter(([, b]) => b !== 0);
  let n = -1;
  for (const [name] of terms) {
    const c = columns.get(name);
    if (!c) throw new Error(`radScore: no values for feature '${name}'`);
    if (n >= 0 && c.length !== n)
      throw new Error(`radScore: feature '${name}' has ${c.length} rows, expected ${n}`);
    n = c.length;
  }
  if (n < 0) {
    const first = columns.values().next().value as ArrayLike<number> | undefined;
    n = first ? first.length : 0;
  }
  const out = new Float64Array(n).fill(model.intercept);
  for (const [name, b] of terms) {
    const c = columns.get(name)!;
    for (let i = 0; i < n; i++) {
      const v = c[i]!;
      if (!Number.isFinite(v))
        throw new Error(`radScore: feature '${name}', row ${i} is not a finite number (${v})`);
      out[i] = out[i]! + b * v;
    }
  }
  return out;
}

/**
 * Sequence of a feature name: the text after its last underscore when it is one of `sequences`
 * (e.g. "wavelet-LH_firstorder_90Percentile_DWI" -> "DWI"); undefined otherwise.
 */
export function featureSequence(name: string, sequences: readonly string[]): string | undefined {
  const k = name.lastIndexOf("_");
  if (k < 0) return undefined;
  const suffix = name.slice(k + 1);
  return sequences.includes(suffix) ? suffix : undefined;
}

export interface SequenceCoverageResult {
  /** Selected features plus any forced ones, in candidate order. */
  features: string[];
  /** Features forced back in, one per sequence that had none. */
  forced: { sequence: string; feature: string }[];
  /** Sequences with no candidate feature at all (cannot be represented). */
  unrepresentable: string[];
}

/**
 * The study's "each sequence stays represented" rule. `candidates` are the features that entered
 * selection (e.g. after the ICC filter), `univariateP` their univariate p-values (f_classif) used
 * to rank them, `selected` the features the LASSO kept. For every sequence without a selected
 * feature, the candidate of that sequence with the smallest p (ties: first in candidate order) is
 * added.
 */
export function ensureFeaturePerSequence(
  candidates: readonly string[],
  univariateP: ArrayLike<number>,
  selected: readonly string[],
  sequences: readonly string[],
): SequenceCoverageResult {
  if (univariateP.length !== candidates.length)
    throw new Error(
      `ensureFeaturePerSequence: ${univariateP.length} p-values for ${candidates.length} candidates`,
    );
  const candSet = new Set(candidates);
  for (const s of selected) {
    if (!candSet.has(s))
      throw new Error(`ensureFeaturePerSequence: selected feature '${s}' is not a candidate`);
  }
  const chosen = new Set(selected);
  const forced: { sequence: string; feature: string }[] = [];
  const unrepresentable: string[] = [];
  for (const seq of sequences) {
    if (selected.some((f) => featureSequence(f, sequences) === seq)) continue;
    let best = -1;
    candidates.forEach((f, j) => {
      if (featureSequence(f, sequences) !== seq) return;
      const pj = univariateP[j]!;
      if (Number.isNaN(pj)) return;
      if (best < 0 || pj < univariateP[best]!) best = j;
    });
    if (best < 0) {
      unrepresentable.push(seq);
      continue;
    }
    chosen.add(candidates[best]!);
    forced.push({ sequence: seq, feature: candidates[best]! });
  }
  return { features: candidates.filter((f) => chosen.has(f)), forced, unrepresentable };
}
