/**
 * The study pipeline: from a validated cohort and its feature matrix to a fitted, evaluated
 * nomogram (`StudyResult`) and a frozen model. Every step is fitted on the training patients only
 * and applied unchanged to the test patients (the test outcomes are read by the evaluation step
 * alone):
 *  1. features constant in training are dropped; inter-observer ICC filter (second reader);
 *  2. scaler (min-max or z-score) fitted on training;
 *  3. ANOVA F-test (f_classif) then LASSO with K-fold CV (glmnet binomial or scikit-learn LassoCV),
 *     lambda.min / lambda.1se; keep-one-per-sequence rule (best univariate feature forced back);
 *  4. Rad-score = LASSO linear predictor (or an unpenalised logistic refit on the selected features);
 *  5. clinical model: univariable glm screen -> multivariable glm -> independent predictors;
 *  6. nomogram = glm of the clinical predictors + Rad-score, rms nomogram numbers;
 *  7. evaluation per cohort: pROC AUC + DeLong CI, Youden cut-off from training, sens/spec/acc/
 *     PPV/NPV, paired DeLong tests, rms val.prob + Hosmer-Lemeshow + calibrate bootstrap
 *     (training), decision curves, Table 1.
 * Pure (browser-safe): no file access; the Node edge (src/node/study-runner.ts) does I/O.
 */
import {
  buildDesignMatrix,
  type CellTable,
  type ColumnCoding,
  type DesignTerm,
  designTerms,
} from "../model/design.js";
import { cvGlmnetBinomial, glmnetCoefficients } from "../model/glmnet.js";
import { kFoldIds, lassoCV, lassoPath } from "../model/lasso.js";
import {
  fitLogistic,
  likelihoodRatioTestVsNull,
  type LogisticFit,
  waldIntervals,
} from "../model/logistic.js";
import { nomogram, type NomogramPredictorSpec, type NomogramSpec } from "../model/nomogram.js";
import { ensureFeaturePerSequence } from "../model/radscore.js";
import {
  calibrateBootstrap,
  calibrationGrid,
  hosmerLemeshow,
  valProb,
} from "../stats/calibration.js";
import { decisionCurves, thresholdGrid } from "../stats/dca.js";
import { fClassif } from "../stats/f-classif.js";
import { ICC_TYPES, icc } from "../stats/icc.js";
import { valueRange } from "../stats/descriptive.js";
import { approx, lowess } from "../stats/lowess.js";
import { RRandom } from "../stats/random.js";
import {
  aucDelong,
  confusionAtThreshold,
  pairedDelongTest,
  type RocCurve,
  rocCurve,
  youdenBest,
} from "../stats/roc.js";
import {
  applyMinMaxScaler,
  applyZScoreScaler,
  fitMinMaxScaler,
  fitZScoreScaler,
} from "../stats/scaling.js";
import { buildTable1, type CategoricalRow, type ContinuousRow } from "../stats/table1.js";
import { VERSION } from "../version.js";
import { type ClinicalVariable, type Cohort, clinicalCoding } from "./cohort.js";
import type { StudyConfig } from "./config.js";
import type { FeatureMatrix } from "./features-table.js";
import {
  FROZEN_MODEL_FORMAT,
  type FrozenLinearModel,
  type FrozenModel,
  type FrozenNomogramPredictor,
  type FrozenScaler,
  type PatientScore,
  scorePatients,
} from "./frozen-model.js";
import type {
  CalibrationCurve,
  CohortName,
  DecisionCurve,
  DelongRow,
  LassoFigure,
  ModelName,
  NomogramFigure,
  OddsRatioRow,
  PerformanceRow,
  RocCurvePoints,
  SelectedFeature,
  StudyResult,
  Table1Result,
  Table1Row,
} from "./result.js";

export interface StudyInput {
  config: StudyConfig;
  cohort: Cohort;
  /** Rows aligned with cohort.patients (same IDs, same order). */
  features: FeatureMatrix;
  /** Second-reader features (same names; rows for the re-segmented patients), for ICC. */
  reader2?: FeatureMatrix | null;
  /** Recorded in the frozen model (image mode). */
  extraction?: FrozenModel["extraction"];
  /** Extra software versions to record. */
  software?: Record<string, string>;
}

export interface StudyRunOptions {
  /** Progress of long stages (cv folds, bootstrap). */
  onProgress?: (stage: string, done: number, total: number) => void;
  /** Clock in milliseconds for stage timings (default Date.now). */
  now?: () => number;
  /** Timestamp recorded in the result and the model (default now, ISO). */
  createdAt?: string;
  /** Timings of earlier stages (e.g. extraction) to put first in result.timings. */
  timings?: { stage: string; seconds: number }[];
}

export interface PatientPrediction extends PatientScore {
  role: CohortName;
  outcome: 0 | 1;
}

export interface StudyOutput {
  result: StudyResult;
  model: FrozenModel;
  predictions: PatientPrediction[];
  /** Fitted objects, for tests and the report. */
  details: {
    univariable: Map<string, LogisticFit>;
    multivariable: LogisticFit;
    clinical: LogisticFit;
    nomogram: LogisticFit;
    multivariablePredictors: string[];
    clinicalPredictors: string[];
    foldid: Int32Array;
    candidates: string[];
    selectedByLasso: string[];
    forced: { sequence: string; feature: string }[];
    iccDropped: string[];
    lambda: number | null;
  };
}

const MODELS: ModelName[] = ["clinical", "radiomics", "nomogram"];
const COHORTS: CohortName[] = ["training", "test"];

/** R cv.glmnet's default folds: sample(rep(seq(K), length = n)) after set.seed(seed). */
export function rFoldIds(n: number, k: number, seed: number): Int32Array {
  const rng = new RRandom(seed);
  const perm = rng.sampleWithoutReplacement(n, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((perm[i]! - 1) % k) + 1;
  return out;
}

function pick<T extends ArrayLike<number>>(col: T, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = col[rows[i]!]!;
  return out;
}

/** A patient x clinical-variable cell table (manifest texts; missing = the first missing text). */
function clinicalTable(
  cohort: Cohort,
  extra?: { name: string; values: ArrayLike<number> },
): CellTable {
  const names = cohort.variables.map((v) => v.name);
  const missingText = cohort.missing[0] ?? "";
  const header = [...names, "__outcome"];
  if (extra) header.push(extra.name);
  const rows = cohort.patients.map((p, i) => {
    const r = names.map((n) => p.clinical[n] ?? missingText);
    r.push(String(p.outcome));
    if (extra) r.push(String(extra.values[i]));
    return r;
  });
  return { header, rows };
}

interface FittedGlm {
  fit: LogisticFit;
  terms: DesignTerm[];
}

function fitGlm(
  table: CellTable,
  predictors: string[],
  coding: Record<string, ColumnCoding>,
  rows: number[],
  missing: string[],
  config: StudyConfig,
  what: string,
): FittedGlm {
  const terms = designTerms(predictors, coding);
  const design = buildDesignMatrix(table, terms, coding, {
    rows,
    missingCells: missing,
    requireColumns: ["__outcome"],
    source: what,
  });
  const yCol = table.header.indexOf("__outcome");
  const y = Float64Array.from(design.rowIndices, (i) => Number(table.rows[i]![yCol]));
  const fit = fitLogistic(design.X, y, {
    intercept: true,
    names: design.terms,
    epsilon: config.clinical.epsilon,
    maxIterations: config.clinical.maxIterations,
  });
  return { fit, terms };
}

function frozenLinear(g: FittedGlm, predictors: string[]): FrozenLinearModel {
  return {
    predictors,
    terms: g.terms.slice(1).map((t) => ({ term: t.term, column: t.column!, level: t.level })),
    coefficients: Array.from(g.fit.coefficients),
  };
}

/** P of a predictor in a fit: its term's Wald p (one term) or the smallest of its dummies. */
function predictorP(fit: LogisticFit, terms: DesignTerm[], predictor: string): number {
  let p = Number.POSITIVE_INFINITY;
  terms.forEach((t, k) => {
    if (t.column === predictor) p = Math.min(p, fit.pValues[k]!);
  });
  return p;
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "NA";
}

function table1For(cohort: Cohort, rows: number[], config: StudyConfig): Table1Result {
  const event = rows.map((i) => cohort.patients[i]!.outcome === 1);
  const continuous = cohort.variables
    .filter((v) => v.type === "continuous")
    .map((v) => ({
      name: v.name,
      values: rows.map((i) => {
        const t = cohort.patients[i]!.clinical[v.name];
        return t === null || t === undefined ? null : Number(t);
      }),
    }));
  const categorical = cohort.variables
    .filter((v) => v.type !== "continuous")
    .map((v) => ({
      name: v.name,
      values: rows.map((i) => cohort.patients[i]!.clinical[v.name] ?? null),
      levels: v.levels,
    }));
  const t1 = buildTable1(
    { event, continuous, categorical },
    {
      normalityAlpha: config.evaluation.normalityAlpha,
      tTest: config.evaluation.tTest,
      fisherIfExpectedBelow: config.evaluation.fisherIfExpectedBelow,
    },
  );
  const label = (name: string) => cohort.variables.find((v) => v.name === name)?.label ?? name;
  const out: Table1Row[] = [];
  for (const r of t1.rows) {
    if (r.kind === "continuous") {
      const c = r as ContinuousRow;
      const summary = (g: ContinuousRow["event"]) =>
        c.test === "mann_whitney"
          ? `${fmt(g.median, 2)} (${fmt(g.q1, 2)}, ${fmt(g.q3, 2)})`
          : `${fmt(g.mean, 2)} ± ${fmt(g.sd, 2)}`;
      out.push({
        variable: label(c.variable),
        kind: "continuous",
        level: null,
        event: summary(c.event),
        nonevent: summary(c.nonevent),
        test: c.test === "mann_whitney" ? "Mann-Whitney U" : c.test === "welch_t" ? "Welch t" : "t",
        statistic: Number.isFinite(c.statistic) ? c.statistic : null,
        p: Number.isFinite(c.p) ? c.p : null,
      });
    } else {
      const c = r as CategoricalRow;
      const v = cohort.variables.find((x) => x.name === c.variable);
      const nE = c.countsEvent.reduce((a, b) => a + b, 0);
      const nN = c.countsNonevent.reduce((a, b) => a + b, 0);
      c.levels.forEach((level, k) => {
        const pct = (n: number, d: number) =>
          `${n} (${d > 0 ? ((100 * n) / d).toFixed(1) : "NA"}%)`;
        const display = v ? (v.labels[v.levels.indexOf(level)] ?? level) : level;
        out.push({
          variable: label(c.variable),
          kind: "categorical",
          level: display,
          event: pct(c.countsEvent[k]!, nE),
          nonevent: pct(c.countsNonevent[k]!, nN),
          test: k === 0 ? (c.test === "fisher" ? "Fisher exact" : "chi-square") : null,
          statistic:
            k === 0 && c.test === "chisq" && Number.isFinite(c.statistic) ? c.statistic : null,
          p: k === 0 && Number.isFinite(c.p) ? c.p : null,
        });
      });
    }
  }
  return {
    cohort: cohort.patients[rows[0]!]!.role,
    nEvent: t1.nEvent,
    nNonevent: t1.nNonevent,
    rows: out,
  };
}

/**
 * Runs the whole study on prepared inputs. Deterministic: the same inputs, configuration and seeds
 * give the same result and model.
 */
export function runStudyPipeline(input: StudyInput, options: StudyRunOptions = {}): StudyOutput {
  const { config, cohort, features } = input;
  const now = options.now ?? (() => Date.now());
  const timings = [...(options.timings ?? [])];
  const warnings: string[] = [];
  let t0 = now();
  const stage = (name: string) => {
    const t = now();
    timings.push({ stage: name, seconds: (t - t0) / 1000 });
    t0 = t;
  };
  const progress = options.onProgress ?? (() => {});

  const patients = cohort.patients;
  if (
    features.ids.length !== patients.length ||
    features.ids.some((id, i) => id !== patients[i]!.id)
  )
    throw new Error(
      "study: the feature matrix rows do not match the cohort patients (IDs or order)",
    );
  const train = patients.flatMap((p, i) => (p.role === "training" ? [i] : []));
  const test = patients.flatMap((p, i) => (p.role === "test" ? [i] : []));
  const rowsOf: Record<CohortName, number[]> = { training: train, test };
  const yAll = Float64Array.from(patients, (p) => p.outcome);
  const yTrain = pick(yAll, train);
  const funnel: { step: string; count: number }[] = [
    { step: "extracted", count: features.names.length },
  ];

  // 1. Constant features and the ICC filter (training patients only).
  let names = [...features.names];
  let colIndex = names.map((_, j) => j);
  // Features undefined (NaN / infinite) for some patient cannot be modelled: dropped, with a warning.
  {
    const bad: string[] = [];
    colIndex = colIndex.filter((j) => {
      const c = features.columns[j]!;
      for (let i = 0; i < c.length; i++) {
        if (!Number.isFinite(c[i]!)) {
          bad.push(`${features.names[j]} (patient '${patients[i]!.id}')`);
          return false;
        }
      }
      return true;
    });
    if (bad.length > 0) {
      warnings.push(
        `${bad.length} feature(s) with undefined values were dropped, e.g. ${bad.slice(0, 3).join(", ")}`,
      );
      names = colIndex.map((j) => features.names[j]!);
      funnel.push({ step: "defined for every patient", count: names.length });
    }
  }
  if (config.preprocessing.dropConstant) {
    const keep = colIndex.filter((j) => {
      const c = features.columns[j]!;
      const first = c[train[0]!]!;
      return train.some((i) => c[i] !== first);
    });
    if (keep.length < colIndex.length)
      warnings.push(
        `${colIndex.length - keep.length} feature(s) constant in training were dropped`,
      );
    colIndex = keep;
    names = keep.map((j) => features.names[j]!);
    funnel.push({ step: "non-constant in training", count: names.length });
  }
  const iccDropped: string[] = [];
  const r2 = input.reader2;
  if (config.preprocessing.icc.enabled && r2 && r2.ids.length > 0) {
    const r2Row = new Map(r2.ids.map((id, i) => [id, i]));
    const r2Col = new Map(r2.names.map((n, j) => [n, j]));
    const subjects = train.filter((i) => r2Row.has(patients[i]!.id));
    if (subjects.length < 3) {
      warnings.push(
        `ICC filter skipped: only ${subjects.length} training patient(s) have a second reader`,
      );
    } else {
      const typeIdx = ICC_TYPES.indexOf(config.preprocessing.icc.type);
      const keep: number[] = [];
      for (const j of colIndex) {
        const name = features.names[j]!;
        const k = r2Col.get(name);
        if (k === undefined) throw new Error(`ICC: the second-reader features lack '${name}'`);
        const ratings = subjects.map((i) =>
          Float64Array.of(features.columns[j]![i]!, r2.columns[k]![r2Row.get(patients[i]!.id)!]!),
        );
        let value = Number.NaN;
        try {
          const r = icc(ratings);
          const row = r.rows[typeIdx]!;
          value = config.preprocessing.icc.use === "lower" ? row.lower : row.icc;
        } catch {
          value = Number.NaN;
        }
        if (value >= config.preprocessing.icc.threshold) keep.push(j);
        else iccDropped.push(name);
      }
      colIndex = keep;
      names = keep.map((j) => features.names[j]!);
      funnel.push({
        step: `ICC (${config.preprocessing.icc.type} >= ${config.preprocessing.icc.threshold})`,
        count: names.length,
      });
      if (names.length === 0)
        throw new Error(
          `study: no feature reached ${config.preprocessing.icc.type} >= ${config.preprocessing.icc.threshold}; lower preprocessing.icc.threshold`,
        );
    }
  } else if (config.preprocessing.icc.enabled) {
    warnings.push("ICC filter skipped: no second-reader data");
  }
  stage("reproducibility filter");

  // 2. Scaler fitted on training.
  const trainRaw = colIndex.map((j) => pick(features.columns[j]!, train));
  let frozenScalerAll: FrozenScaler;
  let Xtrain: Float64Array[];
  if (config.preprocessing.scaler === "minmax") {
    const s = fitMinMaxScaler(trainRaw, { formula: config.preprocessing.minmaxFormula, names });
    Xtrain = applyMinMaxScaler(s, trainRaw);
    frozenScalerAll = {
      kind: "minmax",
      formula: s.formula,
      featureRange: s.featureRange,
      dataMin: Array.from(s.dataMin),
      dataMax: Array.from(s.dataMax),
      scale: Array.from(s.scale),
      min: Array.from(s.min),
    };
  } else {
    const s = fitZScoreScaler(trainRaw, { ddof: config.preprocessing.zscoreDdof, names });
    Xtrain = applyZScoreScaler(s, trainRaw);
    frozenScalerAll = { kind: "zscore", mean: Array.from(s.mean), scale: Array.from(s.scale) };
  }
  stage("scaling");

  // 3. f_classif.
  const fc = fClassif(Xtrain, yTrain);
  let candidates = names.map((_, k) => k);
  if (config.selection.fClassif.enabled) {
    if (config.selection.fClassif.k !== undefined) {
      const k = Math.min(config.selection.fClassif.k, candidates.length);
      candidates = [...candidates]
        .sort((a, b) => {
          const fa = Number.isNaN(fc.F[a]!) ? -1 : fc.F[a]!;
          const fb = Number.isNaN(fc.F[b]!) ? -1 : fc.F[b]!;
          return fb - fa || a - b;
        })
        .slice(0, k)
        .sort((a, b) => a - b);
      funnel.push({ step: `f_classif top ${k}`, count: candidates.length });
    } else {
      const pt = config.selection.fClassif.p;
      candidates = candidates.filter((k) => fc.p[k]! < pt);
      funnel.push({ step: `f_classif p < ${pt}`, count: candidates.length });
    }
    if (candidates.length === 0)
      throw new Error(
        `study: no feature passed the F-test (p < ${config.selection.fClassif.p}); raise selection.fClassif.p or set selection.fClassif.k`,
      );
  }
  const candNames = candidates.map((k) => names[k]!);
  const candX = candidates.map((k) => Xtrain[k]!);
  stage("F-test");

  // 4. LASSO with K-fold CV.
  const L = config.selection.lasso;
  const nTrain = train.length;
  if (L.folds > nTrain)
    throw new Error(`selection.lasso.folds (${L.folds}) exceeds the ${nTrain} training patients`);
  const foldid =
    L.foldAssignment === "contiguous"
      ? kFoldIds(nTrain, L.folds)
      : rFoldIds(nTrain, L.folds, L.seed);
  let lassoIntercept = 0;
  let lassoBeta: Float64Array;
  let lassoFigure: LassoFigure;
  let chosenLambda: number | null = null;
  progress("cross-validation", 0, 1);
  if (L.flavor === "glmnet-binomial") {
    const cv = cvGlmnetBinomial(candX, yTrain, {
      foldid,
      thresh: L.thresh,
      maxit: 100000,
      typeMeasure: L.measure,
    });
    for (const w of cv.warnings) warnings.push(`cv.glmnet: ${w}`);
    chosenLambda = L.lambda === "lambda.min" ? cv.lambdaMin : cv.lambda1se;
    const c = glmnetCoefficients(cv.fit, chosenLambda);
    lassoIntercept = c.intercept;
    lassoBeta = c.beta;
    const nl = cv.fit.lambda.length;
    const paths: LassoFigure["paths"] = [];
    candNames.forEach((f, j) => {
      const coefs: number[] = [];
      let any = false;
      for (let l = 0; l < nl; l++) {
        const b = cv.fit.beta[l * candNames.length + j]!;
        coefs.push(b);
        if (b !== 0) any = true;
      }
      if (any) paths.push({ feature: f, coefficients: coefs });
    });
    lassoFigure = {
      logLambda: Array.from(cv.lambda, Math.log),
      paths,
      cvMean: Array.from(cv.cvm),
      cvSd: Array.from(cv.cvsd),
      measure: cv.typeMeasure === "auc" ? "AUC" : "binomial deviance",
      lambdaMin: cv.lambdaMin,
      lambda1se: cv.lambda1se,
      chosen: L.lambda,
    };
  } else {
    const cv = lassoCV(candX, yTrain, { foldid });
    const k1se = (() => {
      const m = cv.mseMean;
      const se = cv.mseStd[cv.indexAlpha]! / Math.sqrt(L.folds - 1);
      for (let a = 0; a < m.length; a++) if (m[a]! <= m[cv.indexAlpha]! + se) return a;
      return cv.indexAlpha;
    })();
    chosenLambda = L.lambda === "lambda.min" ? cv.alpha : cv.alphas[k1se]!;
    const fits = lassoPath(candX, yTrain, cv.alphas);
    const final = L.lambda === "lambda.min" ? cv.final : fits[k1se]!;
    lassoIntercept = final.intercept;
    lassoBeta = final.coef;
    const paths: LassoFigure["paths"] = [];
    candNames.forEach((f, j) => {
      const coefs = fits.map((fit) => fit.coef[j]!);
      if (coefs.some((b) => b !== 0)) paths.push({ feature: f, coefficients: coefs });
    });
    lassoFigure = {
      logLambda: Array.from(cv.alphas, Math.log),
      paths,
      cvMean: Array.from(cv.mseMean),
      cvSd: Array.from(cv.mseStd),
      measure: "mean squared error",
      lambdaMin: cv.alpha,
      lambda1se: cv.alphas[k1se]!,
      chosen: L.lambda,
    };
  }
  progress("cross-validation", 1, 1);
  const selectedByLasso = candNames.filter((_, j) => lassoBeta[j] !== 0);
  funnel.push({ step: `LASSO (${L.lambda})`, count: selectedByLasso.length });
  const seqList = [...new Set(features.sequences.filter((s): s is string => s !== null))];
  let finalNames = [...selectedByLasso];
  let forced: { sequence: string; feature: string }[] = [];
  if (config.selection.keepOnePerSequence && seqList.length > 1) {
    const cov = ensureFeaturePerSequence(
      candNames,
      candidates.map((k) => fc.p[k]!),
      selectedByLasso,
      seqList,
    );
    forced = cov.forced;
    finalNames = cov.features;
    for (const f of forced)
      warnings.push(
        `LASSO removed every ${f.sequence} feature; '${f.feature}' (best univariate) was forced back in`,
      );
    if (forced.length > 0) funnel.push({ step: "keep one per sequence", count: finalNames.length });
  }
  if (finalNames.length === 0) {
    let best = 0;
    candidates.forEach((k, j) => {
      if (fc.p[k]! < fc.p[candidates[best]!]!) best = j;
    });
    finalNames = [candNames[best]!];
    warnings.push(
      `LASSO kept no feature; the best univariate feature '${finalNames[0]}' is used alone`,
    );
    forced = [
      { sequence: features.sequences[colIndex[candidates[best]!]!] ?? "", feature: finalNames[0]! },
    ];
  }
  stage("LASSO");

  // 5. Rad-score model.
  const finalIdx = finalNames.map((f) => names.indexOf(f));
  const refit = config.radscore.model === "logistic" || forced.length > 0;
  let rsIntercept: number;
  let rsCoefs: number[];
  if (refit) {
    const X = Array.from({ length: nTrain }, (_, i) =>
      Float64Array.from(finalIdx, (k) => Xtrain[k]![i]!),
    );
    const fit = fitLogistic(X, yTrain, {
      names: finalNames,
      epsilon: config.clinical.epsilon,
      maxIterations: config.clinical.maxIterations,
    });
    for (const w of fit.warnings) warnings.push(`Rad-score logistic fit: ${w}`);
    rsIntercept = fit.coefficients[0]!;
    rsCoefs = Array.from(fit.coefficients.subarray(1));
  } else {
    rsIntercept = lassoIntercept;
    rsCoefs = finalNames.map((f) => lassoBeta[candNames.indexOf(f)]!);
  }
  const subsetScaler = (): FrozenScaler => {
    const s = frozenScalerAll;
    if (s.kind === "zscore")
      return {
        kind: "zscore",
        mean: finalIdx.map((k) => s.mean[k]!),
        scale: finalIdx.map((k) => s.scale[k]!),
      };
    return {
      kind: "minmax",
      formula: s.formula,
      featureRange: s.featureRange,
      dataMin: finalIdx.map((k) => s.dataMin[k]!),
      dataMax: finalIdx.map((k) => s.dataMax[k]!),
      scale: finalIdx.map((k) => s.scale[k]!),
      min: finalIdx.map((k) => s.min[k]!),
    };
  };
  const frozenScaler = subsetScaler();
  // Rad-score of every patient with the frozen arithmetic (the same code scores new patients).
  const featureRecord = (i: number): Record<string, number> => {
    const rec: Record<string, number> = {};
    for (const f of finalNames) {
      const j = features.names.indexOf(f);
      const v = features.columns[j]![i]!;
      if (!Number.isFinite(v))
        throw new Error(
          `study: patient '${patients[i]!.id}': feature '${f}' is not a finite number`,
        );
      rec[f] = v;
    }
    return rec;
  };
  const radscoreName = config.nomogram.radscoreName;
  const partialModel: FrozenModel = {
    format: FROZEN_MODEL_FORMAT,
    title: config.title,
    // Wall-clock time: `now` may be a monotonic clock (performance.now) used only for timings.
    createdAt: options.createdAt ?? new Date().toISOString(),
    software: { radscore: VERSION, ...(input.software ?? {}) },
    outcome: {
      eventLabel: config.cohort.outcome.eventLabel,
      noneventLabel: config.cohort.outcome.noneventLabel,
    },
    extraction: input.extraction ?? null,
    sequences: cohort.sequences.length > 0 ? cohort.sequences : seqList,
    features: finalNames,
    scaler: frozenScaler,
    radscore: {
      source: refit ? "logistic" : "lasso",
      intercept: rsIntercept,
      coefficients: rsCoefs,
    },
    radscoreName,
    clinicalVariables: [],
    clinicalModel: { predictors: [], terms: [], coefficients: [0] },
    nomogramModel: { predictors: [], terms: [], coefficients: [0] },
    nomogram: { predictors: [], minXbeta: [], sc: 1, interceptInfo: 0 },
    thresholds: { clinical: 0, radiomics: 0, nomogram: 0 },
  };
  const radScores = new Float64Array(patients.length);
  {
    const s = scorePatients(
      partialModel,
      patients.map((p, i) => ({ id: p.id, clinical: {}, features: featureRecord(i) })),
    );
    s.forEach((r, i) => {
      radScores[i] = r.radScore;
    });
  }
  stage("Rad-score");

  // 6. Clinical model: univariable screen -> multivariable -> independent predictors.
  const coding = clinicalCoding(cohort.variables);
  const table = clinicalTable(cohort, { name: radscoreName, values: radScores });
  coding[radscoreName] = { type: "numeric" };
  const missing = cohort.missing;
  const univariable = new Map<string, LogisticFit>();
  const uniTerms = new Map<string, DesignTerm[]>();
  const screenP = new Map<string, number>();
  for (const v of cohort.variables) {
    const g = fitGlm(table, [v.name], coding, train, missing, config, `univariable ${v.name}`);
    univariable.set(v.name, g.fit);
    uniTerms.set(v.name, g.terms);
    const p = g.terms.length > 2 ? likelihoodRatioTestVsNull(g.fit).p : g.fit.pValues[1]!;
    screenP.set(v.name, p);
  }
  const rsUni = fitGlm(
    table,
    [radscoreName],
    coding,
    train,
    missing,
    config,
    "univariable Rad-score",
  );
  const bestVar = () => [...screenP.entries()].reduce((a, b) => (b[1] < a[1] ? b : a))[0];
  let multiVars =
    config.clinical.multivariable ??
    cohort.variables
      .map((v) => v.name)
      .filter((n) => screenP.get(n)! < config.clinical.univariableP);
  if (multiVars.length === 0) {
    multiVars = [bestVar()];
    warnings.push(
      `no clinical variable had univariable P < ${config.clinical.univariableP}; '${multiVars[0]}' (smallest P) is used`,
    );
  }
  const multi = fitGlm(table, multiVars, coding, train, missing, config, "multivariable model");
  let clinVars =
    config.clinical.model ??
    multiVars.filter((v) => predictorP(multi.fit, multi.terms, v) < config.clinical.multivariableP);
  if (clinVars.length === 0) {
    clinVars = [
      multiVars.reduce((a, b) =>
        predictorP(multi.fit, multi.terms, b) < predictorP(multi.fit, multi.terms, a) ? b : a,
      ),
    ];
    warnings.push(
      `no multivariable predictor had P < ${config.clinical.multivariableP}; '${clinVars[0]}' (smallest P) is the clinical model`,
    );
  }
  // Every patient needs the clinical-model variables.
  for (const p of patients) {
    for (const v of clinVars) {
      if (p.clinical[v] === null || p.clinical[v] === undefined)
        throw new Error(
          `study: patient '${p.id}' (${p.role}) has no value for '${v}', a predictor of the clinical model and the nomogram`,
        );
    }
  }
  const clin = fitGlm(table, clinVars, coding, train, missing, config, "clinical model");
  const nomoVars = [...clinVars, radscoreName];
  const nomo = fitGlm(table, nomoVars, coding, train, missing, config, "nomogram model");
  for (const [what, g] of [
    ["clinical model", clin],
    ["nomogram model", nomo],
  ] as const) {
    for (const w of g.fit.warnings) warnings.push(`${what}: ${w}`);
  }
  stage("clinical models");

  // Table 2.
  const table2: OddsRatioRow[] = [];
  const ciLevel = config.evaluation.ciLevel;
  const orOf = (fit: LogisticFit, k: number) => {
    const ci = waldIntervals(fit, ciLevel);
    return {
      or: fit.oddsRatios[k]!,
      lower: ci.oddsRatioLower[k]!,
      upper: ci.oddsRatioUpper[k]!,
      p: fit.pValues[k]!,
    };
  };
  for (const v of cohort.variables) {
    const uf = univariable.get(v.name)!;
    const ut = uniTerms.get(v.name)!;
    ut.slice(1).forEach((t, k) => {
      const mk = multiVars.includes(v.name) ? multi.terms.findIndex((m) => m.term === t.term) : -1;
      table2.push({
        term: t.term,
        univariable: orOf(uf, k + 1),
        multivariable: mk > 0 ? orOf(multi.fit, mk) : null,
      });
    });
  }
  {
    const nk = nomo.terms.findIndex((t) => t.term === radscoreName);
    table2.push({
      term: radscoreName,
      univariable: orOf(rsUni.fit, 1),
      multivariable: orOf(nomo.fit, nk),
    });
  }

  // 7. Nomogram (rms), training ranges and linear predictors.
  const nomoPredictors: NomogramPredictorSpec[] = [];
  const frozenNomoPredictors: FrozenNomogramPredictor[] = [];
  const coefOfTerm = (term: string) =>
    nomo.fit.coefficients[nomo.terms.findIndex((t) => t.term === term)]!;
  for (const name of nomoVars) {
    const v = cohort.variables.find((x) => x.name === name);
    if (!v || v.type === "continuous") {
      const values =
        name === radscoreName
          ? pick(radScores, train)
          : Float64Array.from(train, (i) => Number(patients[i]!.clinical[name]));
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (const x of values) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      const b = coefOfTerm(name);
      nomoPredictors.push({ name, type: "continuous", coefficient: b, dataRange: [lo, hi] });
      frozenNomoPredictors.push({ name, type: "continuous", coefficient: b });
    } else if (v.type === "binary") {
      const b = coefOfTerm(name);
      nomoPredictors.push({ name, type: "factor", labels: v.labels, coefficients: [0, b] });
      frozenNomoPredictors.push({
        name,
        type: "factor",
        levels: ["0", "1"],
        labels: v.labels,
        coefficients: [0, b],
      });
    } else {
      const coefs = v.levels.map((l) => (l === v.reference ? 0 : coefOfTerm(`${name}${l}`)));
      nomoPredictors.push({ name, type: "factor", labels: v.labels, coefficients: coefs });
      frozenNomoPredictors.push({
        name,
        type: "factor",
        levels: v.levels,
        labels: v.labels,
        coefficients: coefs,
      });
    }
  }
  const nomoSpec: NomogramSpec = {
    intercept: nomo.fit.coefficients[0]!,
    predictors: nomoPredictors,
    trainingLinearPredictors: nomo.fit.linearPredictor,
    maxscale: config.nomogram.maxscale,
    nint: config.nomogram.nint,
    probabilityTicks: config.nomogram.probabilityTicks,
    totalPointsStep: config.nomogram.totalPointsStep,
  };
  const nomoNumbers = nomogram(nomoSpec);
  const usedVars = cohort.variables.filter(
    (v) => nomoVars.includes(v.name) || clinVars.includes(v.name),
  );
  const model: FrozenModel = {
    ...partialModel,
    clinicalVariables: usedVars,
    clinicalModel: frozenLinear(clin, clinVars),
    nomogramModel: frozenLinear(nomo, nomoVars),
    nomogram: {
      predictors: frozenNomoPredictors,
      minXbeta: Array.from(nomoNumbers.minXbeta),
      sc: nomoNumbers.sc,
      interceptInfo: nomoNumbers.interceptInfo,
    },
  };
  const nomogramFigure: NomogramFigure = {
    axes: nomoNumbers.predictors.map((a) => ({
      name: a.name,
      labels: (a.values as (number | string)[]).map(String),
      points: Array.from(a.points),
    })),
    totalPoints: { values: Array.from(nomoNumbers.totalPointsAxis) },
    probability: {
      values: Array.from(nomoNumbers.probabilityAxis.probability),
      points: Array.from(nomoNumbers.probabilityAxis.pointsExact),
    },
  };

  // Scores of every patient with the frozen model (training cut-offs are filled in below).
  const rows = patients.map((p, i) => ({
    id: p.id,
    clinical: p.clinical,
    features: featureRecord(i),
  }));
  let scores = scorePatients(model, rows);
  const scoreOf = (m: ModelName, idx: number[]) =>
    Float64Array.from(idx, (i) =>
      m === "clinical"
        ? scores[i]!.clinicalProbability
        : m === "radiomics"
          ? scores[i]!.radScore
          : scores[i]!.nomogramProbability,
    );
  const probOf = (m: ModelName, idx: number[]) =>
    Float64Array.from(idx, (i) =>
      m === "clinical"
        ? scores[i]!.clinicalProbability
        : m === "radiomics"
          ? scores[i]!.radiomicsProbability
          : scores[i]!.nomogramProbability,
    );
  stage("nomogram");

  // 8. Discrimination: ROC / DeLong / Youden (training) / confusion at the training cut-off.
  const rocs = new Map<string, RocCurve>();
  for (const c of COHORTS)
    for (const m of MODELS)
      rocs.set(
        `${c}/${m}`,
        rocCurve(scoreOf(m, rowsOf[c]), pick(yAll, rowsOf[c]), { direction: "<" }),
      );
  const thresholds = {} as Record<ModelName, number>;
  for (const m of MODELS) thresholds[m] = youdenBest(rocs.get(`training/${m}`)!).thresholds[0]!;
  model.thresholds = thresholds;
  scores = scorePatients(model, rows);
  const table3: PerformanceRow[] = [];
  const roc: RocCurvePoints[] = [];
  for (const c of COHORTS) {
    for (const m of MODELS) {
      const r = rocs.get(`${c}/${m}`)!;
      const d = aucDelong(r, ciLevel);
      const cm = confusionAtThreshold(
        scoreOf(m, rowsOf[c]),
        pick(yAll, rowsOf[c]),
        thresholds[m],
        "<",
      );
      table3.push({
        cohort: c,
        model: m,
        auc: d.auc,
        aucLower: d.lower,
        aucUpper: d.upper,
        threshold: thresholds[m],
        sensitivity: cm.sensitivity,
        specificity: cm.specificity,
        accuracy: cm.accuracy,
        ppv: cm.ppv,
        npv: cm.npv,
      });
      const k = r.thresholds.length;
      const fpr: number[] = [];
      const tpr: number[] = [];
      for (let t = k - 1; t >= 0; t--) {
        fpr.push(1 - r.specificities[t]!);
        tpr.push(r.sensitivities[t]!);
      }
      roc.push({ cohort: c, model: m, auc: r.auc, fpr, tpr });
    }
  }
  const table4: DelongRow[] = [];
  const pairs: [ModelName, ModelName][] = [
    ["clinical", "radiomics"],
    ["clinical", "nomogram"],
    ["radiomics", "nomogram"],
  ];
  for (const c of COHORTS) {
    for (const [a, b] of pairs) {
      const t = pairedDelongTest(rocs.get(`${c}/${a}`)!, rocs.get(`${c}/${b}`)!, ciLevel);
      table4.push({ cohort: c, modelA: a, modelB: b, z: t.z, p: t.p });
    }
  }
  stage("discrimination");

  // 9. Calibration: val.prob + Hosmer-Lemeshow per cohort; calibrate bootstrap in training.
  const calibration: CalibrationCurve[] = [];
  const B = config.evaluation.bootstrap;
  const designRows = (vars: string[]) =>
    buildDesignMatrix(table, designTerms(vars, coding), coding, {
      rows: train,
      source: "calibration",
    }).X;
  for (const c of COHORTS) {
    for (const m of MODELS) {
      const p = probOf(m, rowsOf[c]);
      const y = pick(yAll, rowsOf[c]);
      const statistics: Record<string, number> = {};
      let predicted: Float64Array;
      let apparent: Float64Array;
      let biasCorrected: number[] | null = null;
      predicted = new Float64Array(0);
      apparent = new Float64Array(0);
      try {
        const sm = lowess(p, y, { f: 2 / 3, iter: 0, delta: 0.01 * valueRange(p) });
        predicted = calibrationGrid(p);
        apparent = approx(sm.x, sm.y, predicted, "first");
      } catch (err) {
        warnings.push(`calibration curve ${c}/${m}: ${(err as Error).message}`);
      }
      try {
        const vp = valProb(p, y);
        for (const [k, v] of Object.entries(vp.stats)) statistics[k] = v;
        statistics["C (exact)"] = vp.cUnbinned;
      } catch (err) {
        warnings.push(`calibration statistics ${c}/${m}: ${(err as Error).message}`);
      }
      try {
        const hl = hosmerLemeshow(p, y, { g: config.evaluation.hosmerLemeshowGroups });
        statistics["HL chi-square"] = hl.statistic;
        statistics["HL df"] = hl.df;
        statistics["HL p"] = hl.p;
      } catch (err) {
        warnings.push(`Hosmer-Lemeshow ${c}/${m}: ${(err as Error).message}`);
      }
      if (c === "training" && (m !== "radiomics" || refit)) {
        const X =
          m === "clinical"
            ? designRows(clinVars)
            : m === "nomogram"
              ? designRows(nomoVars)
              : Array.from({ length: nTrain }, (_, i) =>
                  Float64Array.from(finalIdx, (k) => Xtrain[k]![i]!),
                );
        try {
          const cb = calibrateBootstrap(X, yTrain, { B, seed: config.evaluation.seed });
          progress("bootstrap", MODELS.indexOf(m) + 1, MODELS.length);
          predicted = cb.predy;
          apparent = cb.calibratedOrig;
          biasCorrected = Array.from(cb.calibratedCorrected);
          statistics["bootstrap B used"] = cb.bUsed;
          statistics["mean absolute error"] = cb.errorSummary.meanAbsError;
          statistics["0.9 quantile absolute error"] = cb.errorSummary.quantileAbsError;
        } catch (err) {
          warnings.push(`calibration bootstrap ${m}: ${(err as Error).message}`);
        }
      }
      calibration.push({
        cohort: c,
        model: m,
        predicted: Array.from(predicted),
        apparent: Array.from(apparent),
        biasCorrected,
        statistics,
      });
    }
  }
  if (!refit)
    warnings.push(
      "the radiomics model's bias-corrected calibration curve is not computed (the LASSO Rad-score is not refitted by the bootstrap)",
    );
  stage("calibration");

  // 10. Decision curves.
  const grid = thresholdGrid(
    config.evaluation.dca.from,
    config.evaluation.dca.to,
    config.evaluation.dca.denominator,
  );
  const decision: DecisionCurve[] = COHORTS.map((c) => {
    const d = decisionCurves(
      pick(yAll, rowsOf[c]),
      MODELS.map((m) => ({ name: m, p: probOf(m, rowsOf[c]) })),
      grid,
    );
    return {
      cohort: c,
      thresholds: Array.from(d.thresholds),
      models: d.models.map((x) => ({
        model: x.name as ModelName,
        netBenefit: Array.from(x.curve.netBenefit),
      })),
      treatAll: Array.from(d.treatAll.netBenefit),
      treatNone: Array.from(d.treatNone.netBenefit),
    };
  });
  stage("decision curves");

  // 11. Table 1 per cohort.
  const table1 = COHORTS.map((c) => table1For(cohort, rowsOf[c], config));
  stage("Table 1");

  const selectedFeatures: SelectedFeature[] = finalNames.map((f, k) => ({
    feature: f,
    sequence: features.sequences[features.names.indexOf(f)] ?? "",
    coefficient: rsCoefs[k]!,
  }));
  funnel.push({ step: "Rad-score features", count: finalNames.length });
  const result: StudyResult = {
    title: config.title,
    createdAt: model.createdAt,
    radscoreVersion: VERSION,
    cohortSizes: COHORTS.map((c) => ({
      cohort: c,
      n: rowsOf[c].length,
      nEvent: rowsOf[c].filter((i) => patients[i]!.outcome === 1).length,
    })),
    table1,
    table2,
    table3,
    table4,
    roc,
    calibration,
    decision,
    nomogram: nomogramFigure,
    lasso: lassoFigure,
    selectedFeatures,
    funnel,
    timings,
    warnings,
  };
  const predictions: PatientPrediction[] = scores.map((s, i) => ({
    ...s,
    role: patients[i]!.role,
    outcome: patients[i]!.outcome,
  }));
  return {
    result,
    model,
    predictions,
    details: {
      univariable,
      multivariable: multi.fit,
      clinical: clin.fit,
      nomogram: nomo.fit,
      multivariablePredictors: multiVars,
      clinicalPredictors: clinVars,
      foldid,
      candidates: candNames,
      selectedByLasso,
      forced,
      iccDropped,
      lambda: chosenLambda,
    },
  };
}

export type { ClinicalVariable };
