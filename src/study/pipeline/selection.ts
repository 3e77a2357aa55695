/**
 * Steps 3-4 of the study pipeline, the feature selection on the scaled training features:
 *  3. `fTestStep`: ANOVA F-test (scikit-learn f_classif), p threshold or top k;
 *  4. `lassoStep`: LASSO with K-fold CV (glmnet binomial or scikit-learn LassoCV), lambda.min /
 *     lambda.1se, the LASSO figure, and the keep-one-per-sequence rule (best univariate feature
 *     forced back); `rFoldIds` gives R cv.glmnet's default folds.
 */
import { cvGlmnetBinomial, glmnetCoefficients } from "../../model/glmnet.js";
import { kFoldIds, lassoCV, lassoPath } from "../../model/lasso.js";
import { ensureFeaturePerSequence } from "../../model/radscore.js";
import { type FClassifResult, fClassif } from "../../stats/f-classif.js";
import { RRandom } from "../../stats/random.js";
import type { LassoFigure } from "../result.js";
import type { StudyRun } from "./context.js";
import type { FilteredFeatures } from "./preprocessing.js";

/** R cv.glmnet's default folds: sample(rep(seq(K), length = n)) after set.seed(seed). */
export function rFoldIds(n: number, k: number, seed: number): Int32Array {
  const rng = new RRandom(seed);
  const perm = rng.sampleWithoutReplacement(n, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((perm[i]! - 1) % k) + 1;
  return out;
}

export interface FTestSelection {
  fc: FClassifResult;
  /** Indices (into the kept features) of the F-test candidates. */
  candidates: number[];
  candNames: string[];
  /** Scaled training columns of the candidates. */
  candX: Float64Array[];
}

/** 3. f_classif (on the scaled training features). */
export function fTestStep(run: StudyRun, names: string[], Xtrain: Float64Array[]): FTestSelection {
  const { config, yTrain, funnel } = run;
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
  return { fc, candidates, candNames, candX };
}

export interface LassoSelection {
  foldid: Int32Array;
  lassoIntercept: number;
  /** LASSO coefficients of the candidates at the chosen lambda. */
  lassoBeta: Float64Array;
  lassoFigure: LassoFigure;
  chosenLambda: number | null;
  selectedByLasso: string[];
  /** The sequences of the feature matrix. */
  seqList: string[];
  /** The Rad-score's features (LASSO's, plus any forced back). */
  finalNames: string[];
  forced: { sequence: string; feature: string }[];
}

/** 4. LASSO with K-fold CV; then the keep-one-per-sequence rule. */
export function lassoStep(
  run: StudyRun,
  filtered: FilteredFeatures,
  selection: FTestSelection,
): LassoSelection {
  const { config, features, train, yTrain, funnel, warnings, progress } = run;
  const { colIndex } = filtered;
  const { fc, candidates, candNames, candX } = selection;
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
  return {
    foldid,
    lassoIntercept,
    lassoBeta,
    lassoFigure,
    chosenLambda,
    selectedByLasso,
    seqList,
    finalNames,
    forced,
  };
}
