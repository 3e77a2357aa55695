/**
 * ComBat's design matrix as sva::ComBat (3.46) builds it: one 0/1 indicator column per batch level
 * (`model.matrix(~ -1 + batch)`), then the covariate design (`mod`); every all-ones column is
 * dropped (the covariates' intercept), except that with a reference batch the reference indicator
 * is set to all ones and kept (it becomes the intercept). A rank-deficient design is refused with
 * a message that names the covariate confounded with the batch (sva: "The covariate is confounded
 * with batch!") or with the other covariates.
 */
import { dependentColumns } from "./linear-algebra.js";
import type { CombatCovariates } from "./types.js";

export interface CombatDesign {
  /** Batch levels, in design order. */
  levels: string[];
  /** Index of the reference batch in `levels`, or -1. */
  reference: number;
  /** Level index of each sample. */
  batchOf: Int32Array;
  /** Sample indices of each batch, in sample order. */
  samplesOf: number[][];
  /** Covariate terms kept in the design (all-ones columns dropped). */
  covariateTerms: string[];
  /** Design columns (each of n samples): the batch columns first, then the kept covariates. */
  columns: Float64Array[];
  /** Covariate values of each sample on the kept terms (samples x kept terms). */
  covariateRows: Float64Array[];
}

/** Batch level of each sample as an index into `levels`; a text outside the levels is an error. */
export function batchIndices(batch: readonly string[], levels: readonly string[]): Int32Array {
  const index = new Map(levels.map((l, i) => [l, i]));
  return Int32Array.from(batch, (b, k) => {
    const i = index.get(b);
    if (i === undefined)
      throw new Error(
        `ComBat: sample ${k + 1} has batch '${b}', which is not one of the batch levels (${levels.join(", ")})`,
      );
    return i;
  });
}

/**
 * The covariate values of the samples on `terms` (matched by name), checked finite. Returns
 * samples x terms; with no covariates an empty row per sample.
 */
export function covariateMatrix(
  covariates: CombatCovariates | null | undefined,
  terms: readonly string[],
  n: number,
): Float64Array[] {
  if (terms.length > 0 && !covariates)
    throw new Error(`ComBat: covariates ${terms.join(", ")} are needed but none were given`);
  const columns = terms.map((t) => {
    const j = covariates!.terms.indexOf(t);
    if (j < 0)
      throw new Error(
        `ComBat: covariate '${t}' is missing (given: ${covariates!.terms.join(", ") || "none"})`,
      );
    return j;
  });
  if (covariates && covariates.values.length !== n)
    throw new Error(
      `ComBat: ${covariates.values.length} covariate rows for ${n} samples (one row per sample)`,
    );
  return Array.from({ length: n }, (_, k) => {
    const row = covariates ? covariates.values[k]! : [];
    return Float64Array.from(columns, (j, c) => {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new Error(
          `ComBat: covariate '${terms[c]}' of sample ${k + 1} is not a finite number`,
        );
      return v;
    });
  });
}

export function buildCombatDesign(
  batch: readonly string[],
  levels: readonly string[],
  referenceBatch: string | null,
  covariates: CombatCovariates | null | undefined,
): CombatDesign {
  const n = batch.length;
  if (levels.length < 2)
    throw new Error(
      `ComBat needs at least 2 batches, got ${levels.length}${levels.length === 1 ? ` ('${levels[0]}')` : ""}`,
    );
  if (new Set(levels).size !== levels.length)
    throw new Error(`ComBat: the batch levels repeat a name (${levels.join(", ")})`);
  const reference = referenceBatch === null ? -1 : levels.indexOf(referenceBatch);
  if (referenceBatch !== null && reference < 0)
    throw new Error(
      `ComBat: the reference batch '${referenceBatch}' is not one of the batch levels (${levels.join(", ")})`,
    );
  const batchOf = batchIndices(batch, levels);
  const samplesOf = levels.map(() => [] as number[]);
  batchOf.forEach((b, k) => {
    samplesOf[b]!.push(k);
  });
  samplesOf.forEach((s, b) => {
    if (s.length === 0) throw new Error(`ComBat: batch '${levels[b]}' has no samples`);
  });

  const allTerms = covariates ? [...covariates.terms] : [];
  if (new Set(allTerms).size !== allTerms.length)
    throw new Error(`ComBat: covariate terms repeat a name (${allTerms.join(", ")})`);
  const allRows = covariateMatrix(covariates, allTerms, n);
  // sva drops every all-ones column of cbind(batch indicators, mod): the covariates' intercept.
  const kept = allTerms.map((_, c) => c).filter((c) => !allRows.every((row) => row[c] === 1));
  const covariateTerms = kept.map((c) => allTerms[c]!);
  const covariateRows = allRows.map((row) => Float64Array.from(kept, (c) => row[c]!));

  const batchColumns = levels.map((_, b) =>
    Float64Array.from(batchOf, (x) => (b === reference || x === b ? 1 : 0)),
  );
  const covariateColumns = covariateTerms.map((_, c) =>
    Float64Array.from(covariateRows, (row) => row[c]!),
  );
  checkConfounding(batchColumns, covariateColumns, covariateTerms);
  return {
    levels: [...levels],
    reference,
    batchOf,
    samplesOf,
    covariateTerms,
    columns: [...batchColumns, ...covariateColumns],
    covariateRows,
  };
}

/** sva's rank check of the design, with the covariate at fault named. */
function checkConfounding(
  batchColumns: Float64Array[],
  covariateColumns: Float64Array[],
  terms: readonly string[],
): void {
  const dependent = dependentColumns([...batchColumns, ...covariateColumns]);
  if (dependent.length === 0) return;
  const first = dependent[0]! - batchColumns.length;
  if (first < 0) throw new Error("ComBat: the batch indicator columns are linearly dependent");
  const term = terms[first]!;
  const column = covariateColumns[first]!;
  if (column.every((v) => v === 0))
    throw new Error(
      `ComBat: covariate '${term}' is 0 for every sample (an unused factor level?); remove it`,
    );
  if (column.every((v) => v === column[0]))
    throw new Error(
      `ComBat: covariate '${term}' is constant (${column[0]}) over all samples, so it is confounded with the batch (the sum of the batch indicators); remove it`,
    );
  const amongThemselves = dependentColumns(covariateColumns);
  if (amongThemselves.length > 0) {
    const t = terms[amongThemselves[0]!]!;
    throw new Error(
      `ComBat: the covariates are confounded with each other: '${t}' is a linear combination of the covariates before it; remove one of them`,
    );
  }
  throw new Error(
    `ComBat: covariate '${term}' is confounded with the batch (it is a linear combination of the batch indicators${first > 0 ? " and the covariates before it" : ""}); its effect cannot be told apart from the batch effect: remove it`,
  );
}
