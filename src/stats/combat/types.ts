/**
 * Public types of the ComBat harmonisation (Johnson, Li & Rabinovic 2007, Biostatistics 8:118-127,
 * as R's sva::ComBat 3.46 computes it): the input table, the options that map onto ComBat's
 * arguments (par.prior, mean.only, mod, ref.batch) and sva's internal estimates, exposed for
 * diagnostics and parity. The frozen, JSON-serialisable model is in model.ts.
 */

/**
 * Covariates whose effect is preserved (ComBat's `mod`): a numeric design matrix of samples x terms,
 * e.g. R's `model.matrix(~ outcome + stage)` (an all-ones column, the intercept, is dropped as sva
 * does; factors enter as 0/1 dummies against their reference level).
 */
export interface CombatCovariates {
  /** Name of each design column (e.g. `pcr`, `t_stageT2`). */
  terms: readonly string[];
  /** One row per sample, one value per term. */
  values: readonly ArrayLike<number>[];
}

/** Samples to harmonise (fit) or to adjust with a frozen model (apply). */
export interface CombatData {
  /** Samples x features (one row per patient / ROI), every value finite. */
  data: readonly ArrayLike<number>[];
  /** Batch (centre, scanner, protocol) of each sample, as cell text. */
  batch: readonly string[];
  /** Feature names, in column order (default `feature1`, ...); used in messages and the model. */
  features?: readonly string[];
  /** Covariates to preserve; null / absent = ComBat's `mod = NULL`. */
  covariates?: CombatCovariates | null;
}

export interface CombatOptions {
  /** Parametric empirical-Bayes priors (sva `par.prior = TRUE`, default) or non-parametric (false). */
  parametric?: boolean;
  /** Adjust the batch means only, not the variances (sva `mean.only`). Default false. */
  meanOnly?: boolean;
  /**
   * Reference batch (sva `ref.batch`): its samples are returned unchanged and the others are mapped
   * onto it; grand mean and pooled variance come from the reference batch alone. Default none.
   */
  referenceBatch?: string | null;
  /**
   * Batch order (R's factor levels; the design's batch columns and every per-batch output follow
   * it). Default: the distinct batch texts sorted (R's `factor` sorts its levels).
   */
  batchLevels?: readonly string[];
  /**
   * A feature constant inside a batch (of 2 or more samples): `error` (default) stops naming it;
   * `leave-unadjusted` copies it unchanged to the output, as sva does, and estimates the priors
   * from the other features.
   */
  constantFeatures?: "error" | "leave-unadjusted";
  /** it.sol's convergence threshold on the relative change (sva: 1e-4). */
  convergence?: number;
  /** Safety cap on it.sol's iterations per batch (sva has none); exceeding it is an error. */
  maxIterations?: number;
}

/**
 * sva's internal estimates of one fit (per-batch matrices are batches in level order x features).
 * Values sva leaves undefined are NaN: the reference batch's a / b priors, and every estimate of a
 * feature left unadjusted.
 */
export interface CombatEstimates {
  /** Design column names: `batch` + level for each batch, then the kept covariate terms. */
  designTerms: string[];
  /** Regression coefficients of the design, design terms x features. */
  bHat: Float64Array[];
  grandMean: Float64Array;
  varPooled: Float64Array;
  gammaHat: Float64Array[];
  deltaHat: Float64Array[];
  gammaBar: Float64Array;
  t2: Float64Array;
  aPrior: Float64Array;
  bPrior: Float64Array;
  gammaStar: Float64Array[];
  deltaStar: Float64Array[];
  /** it.sol's iteration count per batch; null where it is not run (mean-only, non-parametric, reference batch). */
  iterations: (number | null)[];
  /** Samples per batch, in level order. */
  samplesPerBatch: number[];
}

/** A feature that sva's empirical-Bayes step never sees (constant inside a batch). */
export interface UnadjustedFeature {
  feature: string;
  batch: string;
}
