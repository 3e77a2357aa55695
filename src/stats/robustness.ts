/**
 * Feature robustness across image perturbations (Zwanenburg et al., "Assessing robustness of
 * radiomic features by image perturbation", Sci Rep 2019;9:614): for each feature, the intraclass
 * correlation ICC(1,1) of Shrout & Fleiss (one-way random effects, single measurement) with the
 * cases as subjects and the perturbations of each case as its repeated measurements, computed
 * with psych::ICC's formulas (./icc.ts):
 *   ICC(1,1) = (MSB − MSW) / (MSB + (k − 1) MSW),
 * MSB the between-case and MSW the within-case mean square over n cases x k perturbations. The
 * one-way model is the right one here because perturbation p of one case has nothing in common
 * with perturbation p of another (different random draws), so there is no "rater" effect to
 * separate. The paper calls a feature robust when ICC >= 0.90; `robustnessFilter` keeps features
 * like the inter-reader ICC filter does (estimate or lower 95 % limit >= threshold).
 *
 * A feature whose ICC is undefined is never given a silent NaN: it gets a `reason` (constant over
 * every case and perturbation, or a non-finite value, naming the case and perturbation) and the
 * filter drops it. Structural problems (fewer than 2 cases or perturbations, ragged tables) throw.
 */
import { ICC_TYPES, type IccRow, type IccType, icc } from "./icc.js";

/** Features of n cases under k perturbations each. */
export interface PerturbationFeatureTable {
  /** Case identifiers (n >= 2). */
  caseIds: readonly string[];
  /** Feature names (columns of every row). */
  featureNames: readonly string[];
  /** values[c][p][f]: feature f of case c under perturbation p (k >= 2 per case, the same k). */
  values: readonly (readonly ArrayLike<number>[])[];
}

export interface FeatureRobustness {
  feature: string;
  /** The chosen ICC with its F test and confidence interval; null when undefined (see reason). */
  icc: IccRow | null;
  /** Why the ICC is undefined. */
  reason?: string;
}

export interface RobustnessOptions {
  /** ICC form (default ICC1 = ICC(1,1), as the paper). */
  type?: IccType;
  /** Confidence level 1 − alpha of the interval (default alpha 0.05). */
  alpha?: number;
}

/** Throws unless the table is complete and rectangular; returns n and k. */
function checkTable(table: PerturbationFeatureTable): { n: number; k: number } {
  const n = table.caseIds.length;
  if (table.values.length !== n) {
    throw new Error(
      `robustness: ${table.values.length} cases of feature values but ${n} case identifiers`,
    );
  }
  if (n < 2) {
    throw new Error(
      `robustness: the ICC across perturbations needs at least 2 cases, got ${n}${n === 1 ? ` ('${table.caseIds[0]}')` : ""}`,
    );
  }
  const k = table.values[0]!.length;
  const m = table.featureNames.length;
  table.values.forEach((rows, c) => {
    if (rows.length !== k) {
      throw new Error(
        `robustness: case '${table.caseIds[c]}' has ${rows.length} perturbations, case '${table.caseIds[0]}' has ${k}`,
      );
    }
    rows.forEach((row, p) => {
      if (row.length !== m) {
        throw new Error(
          `robustness: case '${table.caseIds[c]}', perturbation ${p + 1} has ${row.length} values for ${m} features`,
        );
      }
    });
  });
  if (k < 2) {
    throw new Error(
      `robustness: the ICC across perturbations needs at least 2 perturbations per case, got ${k}`,
    );
  }
  return { n, k };
}

/** The ICC of every feature across perturbations (see above), in feature order. */
export function perturbationIcc(
  table: PerturbationFeatureTable,
  options: RobustnessOptions = {},
): FeatureRobustness[] {
  const type = options.type ?? "ICC1";
  const typeIndex = ICC_TYPES.indexOf(type);
  if (typeIndex < 0) throw new Error(`robustness: unknown ICC type '${type}'`);
  const { n, k } = checkTable(table);
  return table.featureNames.map((feature, f) => {
    const ratings: Float64Array[] = [];
    let first = Number.NaN;
    let constant = true;
    for (let c = 0; c < n; c++) {
      const row = new Float64Array(k);
      for (let p = 0; p < k; p++) {
        const v = table.values[c]![p]![f]!;
        if (!Number.isFinite(v)) {
          return {
            feature,
            icc: null,
            reason: `value ${v} for case '${table.caseIds[c]}', perturbation ${p + 1}`,
          };
        }
        if (c === 0 && p === 0) first = v;
        else if (v !== first) constant = false;
        row[p] = v;
      }
      ratings.push(row);
    }
    if (constant) {
      return {
        feature,
        icc: null,
        reason: `constant (${first}) across all cases and perturbations`,
      };
    }
    const row = icc(ratings, { alpha: options.alpha }).rows[typeIndex]!;
    // No variation within any case: the ICC is exactly 1 and its interval degenerates to [1, 1]
    // (psych's F-based limits are Inf / Inf there).
    if (row.icc === 1 && Number.isNaN(row.lower))
      return { feature, icc: { ...row, lower: 1, upper: 1 } };
    return { feature, icc: row };
  });
}

export interface RobustnessFilterResult {
  /** Features whose ICC (estimate or lower limit) is >= threshold, in table order. */
  kept: string[];
  /** The others, including those with an undefined ICC. */
  dropped: string[];
  /** Every feature's ICC (or reason). */
  results: FeatureRobustness[];
}

/**
 * Robustness filter: keep a feature when its ICC across perturbations (default ICC(1,1)), or the
 * lower limit of its confidence interval (`use: "lower"`), is >= threshold (default 0.90, the
 * paper's cut-off for a robust feature).
 */
export function robustnessFilter(
  table: PerturbationFeatureTable,
  options: RobustnessOptions & { threshold?: number; use?: "estimate" | "lower" } = {},
): RobustnessFilterResult {
  const threshold = options.threshold ?? 0.9;
  if (!(Number.isFinite(threshold) && threshold >= -1 && threshold <= 1)) {
    throw new Error(`robustness: threshold must lie in [-1, 1], got ${threshold}`);
  }
  const use = options.use ?? "estimate";
  const results = perturbationIcc(table, options);
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const r of results) {
    const value = r.icc === null ? null : use === "lower" ? r.icc.lower : r.icc.icc;
    (value !== null && value >= threshold ? kept : dropped).push(r.feature);
  }
  return { kept, dropped, results };
}
