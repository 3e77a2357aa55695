/**
 * The frozen ComBat model: everything needed to harmonise new samples the way a fit harmonised its
 * own (sva::ComBat's `dat_test` branch; the "fit on the training patients, apply unchanged to new
 * ones" use, typically with a reference batch = the training centre). Plain JSON (arrays of finite
 * numbers and strings), so `JSON.parse(JSON.stringify(model))` is the same model;
 * `parseCombatModel` checks one read back from a file.
 */
import { adjustSamples } from "./adjust.js";
import { batchIndices, covariateMatrix } from "./design.js";
import type { CombatData } from "./types.js";

export const COMBAT_MODEL_FORMAT = "radscore-combat/1";

export interface CombatModel {
  format: typeof COMBAT_MODEL_FORMAT;
  /** How the estimates were made (sva's par.prior, mean.only). */
  method: { parametric: boolean; meanOnly: boolean };
  /** Feature names, in the column order the model expects. */
  features: string[];
  /** Batch levels (design order) and the reference batch, if any. */
  batchLevels: string[];
  referenceBatch: string | null;
  /** Samples of each batch in the fit. */
  samplesPerBatch: number[];
  /** Covariate design terms the model preserves (matched by name when applied). */
  covariateTerms: string[];
  /** Design terms (batch columns, then covariate terms) x features. */
  bHat: number[][];
  grandMean: number[];
  varPooled: number[];
  /** Batches x features. */
  gammaStar: number[][];
  deltaStar: number[][];
  /** Features copied unchanged (constant inside a batch when fitted); their estimates are neutral. */
  unadjustedFeatures: string[];
}

/**
 * Harmonises samples with a frozen model. `input.data` holds the model's features in its order
 * (or, with `input.features`, named columns in any order that include them); every batch must be
 * one of the model's levels; covariates are matched by term name.
 */
export function applyCombat(model: CombatModel, input: CombatData): Float64Array[] {
  const n = input.data.length;
  if (input.batch.length !== n)
    throw new Error(`ComBat: ${input.batch.length} batch labels for ${n} samples`);
  const columns = featureColumns(model.features, input.features, input.data[0]?.length ?? 0);
  const data = input.data.map((row, k) =>
    Float64Array.from(columns, (j, g) => {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new Error(
          `ComBat: feature '${model.features[g]}' of sample ${k + 1} is not a finite number`,
        );
      return v;
    }),
  );
  const batchOf = batchIndices(input.batch, model.batchLevels);
  const covariateRows = covariateMatrix(input.covariates, model.covariateTerms, n);
  const unadjusted = new Uint8Array(model.features.length);
  for (const f of model.unadjustedFeatures) unadjusted[model.features.indexOf(f)] = 1;
  return adjustSamples(data, batchOf, covariateRows, {
    nBatch: model.batchLevels.length,
    reference: model.referenceBatch === null ? -1 : model.batchLevels.indexOf(model.referenceBatch),
    bHat: model.bHat,
    grandMean: model.grandMean,
    varPooled: model.varPooled,
    gammaStar: model.gammaStar,
    deltaStar: model.deltaStar,
    unadjusted,
  });
}

/** Column of each model feature in the input rows. */
function featureColumns(
  modelFeatures: readonly string[],
  inputFeatures: readonly string[] | undefined,
  width: number,
): number[] {
  if (!inputFeatures) {
    if (width !== modelFeatures.length)
      throw new Error(
        `ComBat: the samples have ${width} features, the model ${modelFeatures.length} (${modelFeatures.slice(0, 3).join(", ")}, ...)`,
      );
    return modelFeatures.map((_, g) => g);
  }
  return modelFeatures.map((f) => {
    const j = inputFeatures.indexOf(f);
    if (j < 0) throw new Error(`ComBat: the samples lack the model's feature '${f}'`);
    return j;
  });
}

/** Checks a model read back from JSON; the error names the first field that is wrong. */
export function parseCombatModel(json: unknown): CombatModel {
  const m = json as Record<string, unknown>;
  const fail = (what: string): never => {
    throw new Error(`ComBat model: ${what}`);
  };
  if (!m || typeof m !== "object") fail("not a JSON object");
  if (m.format !== COMBAT_MODEL_FORMAT)
    fail(`format is ${JSON.stringify(m.format)}, expected '${COMBAT_MODEL_FORMAT}'`);
  const strings = (key: string): string[] => {
    const v = m[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string"))
      fail(`'${key}' is not an array of strings`);
    return v as string[];
  };
  const numbers = (key: string, v: unknown, length: number): number[] => {
    if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isFinite(x)))
      fail(`'${key}' is not an array of ${length} finite numbers`);
    return v as number[];
  };
  const matrix = (key: string, rows: number, cols: number): number[][] => {
    const v = m[key];
    if (!Array.isArray(v) || v.length !== rows) fail(`'${key}' does not have ${rows} rows`);
    return (v as unknown[]).map((row, i) => numbers(`${key}[${i}]`, row, cols));
  };
  const method = m.method as Record<string, unknown> | undefined;
  if (!method || typeof method.parametric !== "boolean" || typeof method.meanOnly !== "boolean")
    fail("'method' needs boolean 'parametric' and 'meanOnly'");
  const features = strings("features");
  const batchLevels = strings("batchLevels");
  const covariateTerms = strings("covariateTerms");
  const unadjustedFeatures = strings("unadjustedFeatures");
  for (const f of unadjustedFeatures)
    if (!features.includes(f)) fail(`unadjusted feature '${f}' is not one of the features`);
  const ref = m.referenceBatch;
  if (ref !== null && (typeof ref !== "string" || !batchLevels.includes(ref)))
    fail("'referenceBatch' is neither null nor one of the batch levels");
  const G = features.length;
  const B = batchLevels.length;
  const varPooled = numbers("varPooled", m.varPooled, G);
  const deltaStar = matrix("deltaStar", B, G);
  if (!varPooled.every((v) => v > 0)) fail("'varPooled' has a value that is not positive");
  if (!deltaStar.every((row) => row.every((v) => v > 0)))
    fail("'deltaStar' has a value that is not positive");
  return {
    format: COMBAT_MODEL_FORMAT,
    method: { parametric: method!.parametric as boolean, meanOnly: method!.meanOnly as boolean },
    features,
    batchLevels,
    referenceBatch: ref as string | null,
    samplesPerBatch: numbers("samplesPerBatch", m.samplesPerBatch, B),
    covariateTerms,
    bHat: matrix("bHat", B + covariateTerms.length, G),
    grandMean: numbers("grandMean", m.grandMean, G),
    varPooled,
    gammaStar: matrix("gammaStar", B, G),
    deltaStar,
    unadjustedFeatures,
  };
}

/**
 * The model restricted to some of its features (e.g. a Rad-score's): ComBat adjusts each feature
 * with its own estimates only (Johnson et al. 2007, eq. 2.3 per feature g), so the restricted model
 * harmonises those features exactly as the whole one does.
 */
export function subsetCombatModel(model: CombatModel, features: readonly string[]): CombatModel {
  const columns = features.map((f) => {
    const g = model.features.indexOf(f);
    if (g < 0) throw new Error(`ComBat model: no feature '${f}'`);
    return g;
  });
  const pick = (row: readonly number[]) => columns.map((g) => row[g]!);
  return {
    ...model,
    features: [...features],
    bHat: model.bHat.map(pick),
    grandMean: pick(model.grandMean),
    varPooled: pick(model.varPooled),
    gammaStar: model.gammaStar.map(pick),
    deltaStar: model.deltaStar.map(pick),
    unadjustedFeatures: model.unadjustedFeatures.filter((f) => features.includes(f)),
  };
}
