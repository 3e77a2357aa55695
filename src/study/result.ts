/**
 * The fitted study: everything the report, the tables and the frozen model are generated from.
 * The pipeline (src/study/pipeline.ts) produces it; the report (src/report) only reads it, so no
 * number in the report is assembled by hand.
 */
import type { StudyDescription } from "./description.js";

export type CohortName = "training" | "test";
export type ModelName = "clinical" | "radiomics" | "nomogram";

/** One row of Table 1: a variable compared between pCR and non-pCR within one cohort. */
export interface Table1Row {
  variable: string;
  /** "continuous" rows have summaries like "52.1 ± 8.9" or "31.0 (24.0, 40.5)". */
  kind: "continuous" | "categorical";
  /** Level name for categorical rows (one row per level; the test is on the first row). */
  level: string | null;
  event: string;
  nonevent: string;
  test: string | null;
  statistic: number | null;
  p: number | null;
}

export interface Table1Result {
  cohort: CohortName;
  nEvent: number;
  nNonevent: number;
  rows: Table1Row[];
}

/**
 * How one logistic model was fitted and why (`radscore.firth`, `clinical.firth`): maximum
 * likelihood (R glm), Firth's penalised likelihood (R logistf), or, for the Rad-score, the LASSO
 * linear predictor without a refit.
 */
export interface FitMethodRecord {
  method: "ml" | "firth" | "lasso";
  /** e.g. "quasi-complete separation under maximum likelihood". */
  reason: string;
  /** Separation of the maximum-likelihood fit (Albert & Anderson 1984); "none" when not fitted. */
  separation: "none" | "quasi-complete" | "complete";
  /**
   * No separation, but maximum likelihood's fitted probabilities are numerically 0 or 1: finite,
   * extreme and unstable estimates (near separation). Absent otherwise.
   */
  extreme?: boolean;
  /** The `radscore.firth` / `clinical.firth` setting that chose the method (null: LASSO). */
  setting?: "auto" | "always" | "never" | null;
}

/** The fit method of every model of the study: the three compared models and Table 2's fits. */
export interface StudyFitMethods extends Record<ModelName, FitMethodRecord> {
  /** The multivariable model (Table 2's multivariable column, clinical rows). */
  multivariable: FitMethodRecord;
  /** The univariable fits of Table 2, by clinical variable name and by the Rad-score's name. */
  univariable: Record<string, FitMethodRecord>;
}

/** Table 2: univariable and multivariable odds ratios. */
export interface OddsRatioRow {
  term: string;
  univariable: { or: number; lower: number; upper: number; p: number } | null;
  multivariable: { or: number; lower: number; upper: number; p: number } | null;
}

/** Table 3: discrimination of one model in one cohort, at the training-set threshold. */
export interface PerformanceRow {
  cohort: CohortName;
  model: ModelName;
  auc: number;
  aucLower: number;
  aucUpper: number;
  threshold: number;
  sensitivity: number;
  specificity: number;
  accuracy: number;
  ppv: number;
  npv: number;
  /**
   * Bootstrap CIs (pROC, stratified; evaluation.rocBootstrap): [lower, upper] of the AUC and of
   * each metric at the threshold; absent when turned off. A metric undefined in every resample
   * has [NaN, NaN] (and a warning).
   */
  bootstrap?: {
    replicates: number;
    auc: [number, number];
    sensitivity: [number, number];
    specificity: [number, number];
    accuracy: [number, number];
    ppv: [number, number];
    npv: [number, number];
  };
}

/** Table 4: paired DeLong comparison of two models in one cohort. */
export interface DelongRow {
  cohort: CohortName;
  modelA: ModelName;
  modelB: ModelName;
  z: number;
  p: number;
}

export interface RocCurvePoints {
  cohort: CohortName;
  model: ModelName;
  auc: number;
  /** 1 - specificity and sensitivity, from (0,0) to (1,1). */
  fpr: number[];
  tpr: number[];
}

export interface CalibrationCurve {
  cohort: CohortName;
  model: ModelName;
  /** Predicted probabilities of the grid. */
  predicted: number[];
  apparent: number[];
  /** Bootstrap optimism-corrected (training only; null in the test cohort). */
  biasCorrected: number[] | null;
  /** Summary statistics (Brier, intercept, slope, Hosmer-Lemeshow p, ...). */
  statistics: Record<string, number>;
}

export interface DecisionCurve {
  cohort: CohortName;
  thresholds: number[];
  models: { model: ModelName; netBenefit: number[] }[];
  treatAll: number[];
  treatNone: number[];
}

export interface NomogramAxis {
  name: string;
  /** Tick labels along the axis and their positions in points (0-100 scale). */
  labels: string[];
  points: number[];
}

export interface NomogramFigure {
  axes: NomogramAxis[];
  totalPoints: { values: number[] };
  probability: { values: number[]; points: number[] };
}

export interface LassoFigure {
  /** log(lambda) of the path. */
  logLambda: number[];
  /** Coefficient path per feature (same length as logLambda). */
  paths: { feature: string; coefficients: number[] }[];
  /** Cross-validation curve: mean and sd of the CV measure per lambda. */
  cvMean: number[];
  cvSd: number[];
  measure: string;
  lambdaMin: number;
  lambda1se: number;
  chosen: "lambda.min" | "lambda.1se";
}

export interface SelectedFeature {
  feature: string;
  sequence: string;
  coefficient: number;
}

export interface StageTiming {
  stage: string;
  seconds: number;
}

/** ComBat harmonisation across centres, when the study ran it (preprocessing.combat). */
export interface HarmonisationSummary {
  /** sva's options in words: parametric / non-parametric priors, mean only. */
  method: string;
  /** The reference centre (left unchanged), or null: every centre moved to the pooled mean. */
  reference: string | null;
  centres: { centre: string; patients: number }[];
  /** Features harmonised (those the filters kept). */
  features: number;
  /** Features left unadjusted because they are constant inside a centre. */
  unadjusted: string[];
  /**
   * Every patient's first two principal components of the harmonised features (standardised over
   * all patients) before and after ComBat, for the report's figure.
   */
  pca?: {
    before: { id: string; centre: string; pc1: number; pc2: number }[];
    after: { id: string; centre: string; pc1: number; pc2: number }[];
    /** Share of the variance each component explains, before and after. */
    explained: { before: [number, number]; after: [number, number] };
  };
}

/**
 * Feature robustness to image perturbations (preprocessing.robustness; Zwanenburg et al. 2019),
 * when the study filtered on it.
 */
export interface RobustnessSummary {
  /** The chain's letters (R rotation, T translation, N noise, V volume, C contour). */
  chain: string;
  /** Perturbed images per training patient and sequence. */
  perturbations: number;
  /** The configured seed (patient i of the manifest used seed + i). */
  seed: number;
  type: string;
  threshold: number;
  use: "estimate" | "lower";
  /** Training patients perturbed (the ICC's subjects). */
  patients: number;
  sequences: string[];
  /** Features that reached the step (after the constant and inter-reader filters). */
  assessed: number;
  kept: number;
  dropped: number;
  /** Of the dropped: features whose ICC is undefined (e.g. constant across every perturbation). */
  undefinedIcc: number;
  /** Median ICC of the assessed features with a defined ICC (null when none). */
  medianIcc: number | null;
}

export interface StudyResult {
  title: string;
  createdAt: string;
  radscoreVersion: string;
  cohortSizes: { cohort: CohortName; n: number; nEvent: number }[];
  table1: Table1Result[];
  table2: OddsRatioRow[];
  table3: PerformanceRow[];
  table4: DelongRow[];
  roc: RocCurvePoints[];
  calibration: CalibrationCurve[];
  decision: DecisionCurve[];
  nomogram: NomogramFigure;
  lasso: LassoFigure;
  selectedFeatures: SelectedFeature[];
  /** Feature counts through the selection funnel (extracted, ICC-kept, F-test-kept, LASSO-kept). */
  funnel: { step: string; count: number }[];
  timings: StageTiming[];
  warnings: string[];
  /**
   * Maximum likelihood or Firth, and why, per model (absent in results of versions without
   * Firth's penalised likelihood).
   */
  fitMethods?: StudyFitMethods;
  /** ComBat across centres (absent when the study did not harmonise). */
  harmonisation?: HarmonisationSummary;
  /** Robustness to image perturbations (absent when the study did not filter on it). */
  robustness?: RobustnessSummary;
  /**
   * What the run knows about itself beyond the tables (centres, readers, extraction settings,
   * missing data, ...): the reporting checklists pre-fill from it (src/study/description.ts).
   */
  study?: StudyDescription;
}
