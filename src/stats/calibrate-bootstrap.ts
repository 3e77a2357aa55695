/**
 * The bootstrap optimism-corrected calibration curve of rms `calibrate(lrm(...), method = "boot",
 * B)` (rms 6.5-0 `R/calibrate.default.s`, `R/predab.resample.s`; Harrell, Regression Modeling
 * Strategies (2015), ch. 10), with R's resampling stream reproduced.
 * Pure TypeScript (no Node modules).
 */
import { calibrationGrid, plogis } from "./calibration-common.js";
import { quantileType7, valueRange } from "./descriptive.js";
import { approx, approxSorted, lowess, regularizeValues, rMean } from "./lowess.js";
import { type LrmFit, type LrmFitOptions, lrmFitFlat } from "./lrm-fit.js";
import { RRandom } from "./random.js";

// ---------------------------------------------------------------------------------------------
// rms calibrate (bootstrap)

export interface CalibrateBootstrapOptions {
  /** Bootstrap repetitions (rms `B`). */
  B: number;
  /** R `set.seed` value: with it the resamples are R's `sample(n, replace = TRUE)` draws. */
  seed: number;
  /** Apparent-model fit settings (rms lrm(eps = 1e-10, maxit = 50) in the reference). */
  apparentFit?: { eps?: number; maxit?: number };
  /** Bootstrap-model fits (rms calibrate: lrm.fit defaults maxit 12, eps 0.025, tol 1e-13). */
  bootstrapFit?: { eps?: number; maxit?: number; tol?: number };
  /** predy grid: count, first rank, last rank from the end (rms: 50, 5, 5), or explicit values. */
  predy?: ArrayLike<number>;
  gridCount?: number;
  gridFirstRank?: number;
  gridLastRankFromEnd?: number;
  lowessF?: number;
  lowessIter?: number;
  lowessDeltaFraction?: number;
  /** Quantile of |error| in the error summary (default 0.9). */
  errorQuantile?: number;
  /**
   * The model's own fitting method, used for the apparent fit and every bootstrap refit instead
   * of lrm (e.g. Firth's penalised likelihood: the bootstrap must repeat the whole fitting
   * procedure to estimate its optimism, Harrell 2015 §5.3.4). Takes the rows (no intercept) and
   * outcomes; returns the coefficients, intercept first, or null when the fit fails (the
   * resample is then skipped, as a failed lrm fit is).
   */
  refit?: (X: Float64Array[], y: Float64Array) => Float64Array | null;
}

export interface CalibrateBootstrapResult {
  n: number;
  /** Bootstrap fits that succeeded (rms: those without `fail`). */
  bUsed: number;
  apparentCoefficients: Float64Array;
  /** Apparent probabilities plogis(lp) of the fitted rows. */
  predicted: Float64Array;
  predy: Float64Array;
  /** Apparent calibration: lowess of (apparent p, y) at predy (ties = first). */
  calibratedOrig: Float64Array;
  /** calibratedOrig − optimism. */
  calibratedCorrected: Float64Array;
  /** mean over resamples of (training − test) calibration error at predy. */
  optimism: Float64Array;
  /** Resamples with both errors defined at each predy. */
  nUsedPerPoint: Int32Array;
  /** As print(calibrate): err = predicted − approx(predy, corrected, predicted, ties = mean). */
  errorSummary: {
    meanAbsError: number;
    meanSquaredError: number;
    quantileAbsError: number;
    nOutsidePredyRange: number;
  };
}

/**
 * A model's own fitting function in lrmFitFlat's shape (coefficients, linear predictor, fail);
 * only those three fields are read by calibrateBootstrap.
 */
function refitAdapter(
  refit: NonNullable<CalibrateBootstrapOptions["refit"]>,
  p: number,
): (x: Float64Array, n: number, y: Float64Array) => LrmFit {
  return (x, n, y) => {
    const rows = Array.from({ length: n }, (_, i) => x.subarray(i * p, (i + 1) * p));
    let coefficients: Float64Array | null = null;
    try {
      coefficients = refit(rows, y);
    } catch {
      coefficients = null;
    }
    const linearPredictor = new Float64Array(n);
    const fail = coefficients === null || !coefficients.every(Number.isFinite);
    if (!fail) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += x[i * p + j]! * coefficients![j + 1]!;
        linearPredictor[i] = coefficients![0]! + s;
      }
    }
    return {
      coefficients: coefficients ?? new Float64Array(p + 1).fill(Number.NaN),
      linearPredictor,
      deviance: [Number.NaN, Number.NaN],
      modelLR: Number.NaN,
      iterations: 0,
      fail,
      c: Number.NaN,
      dxy: Number.NaN,
      n,
    };
  };
}

/** cal − predy of rms calibrate's `cal.error`: lowess(plogis(lp), y) at predy (ties = first). */
function calibrationError(
  lp: ArrayLike<number>,
  y: ArrayLike<number>,
  predy: Float64Array,
  f: number,
  iter: number,
  deltaFraction: number,
  out: Float64Array,
): Float64Array {
  const n = lp.length;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = plogis(lp[i]!);
  const sm = lowess(x, y, { f, iter, delta: deltaFraction * valueRange(x) });
  const reg = regularizeValues(sm.x, sm.y, "first");
  if (reg.x.length < 2) {
    out.fill(Number.NaN);
    return out;
  }
  const cal = approxSorted(reg.x, reg.y, predy);
  for (let k = 0; k < predy.length; k++) out[k] = cal[k]! - predy[k]!;
  return out;
}

/**
 * rms `calibrate(fit, method = "boot", B)` for a binary logistic model (rms 6.5-0
 * calibrate.default + predab.resample): fit the apparent model (lrm); predy = seq(sort(p)[5],
 * sort(p)[n−4], length = 50) of its probabilities; calibrated.orig = lowess(p, y, iter = 0) at
 * predy (approx, ties = first). For each of B resamples (R's `sample(n, replace = TRUE)` after
 * `set.seed(seed)`): refit with lrm.fit (maxit 12, eps 0.025), evaluate the calibration error
 * (smoothed observed − predy) of its linear predictor on the resample (training) and on all rows
 * (test); a fit that fails is skipped; errors undefined at a predy (outside the smoothed range)
 * count as missing there. optimism = mean training error − mean test error at each predy;
 * calibrated.corrected = calibrated.orig − optimism.
 * X: n rows of predictors (no intercept); y: 0/1.
 */
export function calibrateBootstrap(
  X: ArrayLike<ArrayLike<number>>,
  y: ArrayLike<number>,
  options: CalibrateBootstrapOptions,
): CalibrateBootstrapResult {
  const n = X.length;
  if (y.length !== n)
    throw new Error(`calibrateBootstrap: ${n} rows of X but ${y.length} outcomes`);
  const B = options.B;
  if (!Number.isInteger(B) || B < 1)
    throw new Error(`calibrateBootstrap: B must be a positive integer, got ${B}`);
  const p = n > 0 ? X[0]!.length : 0;
  const x = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    if (row.length !== p)
      throw new Error(
        `calibrateBootstrap: row ${i + 1} of X has ${row.length} values, row 1 has ${p}`,
      );
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(row[j]!))
        throw new Error(`calibrateBootstrap: X[${i + 1}, ${j + 1}] is ${row[j]}`);
      x[i * p + j] = row[j]!;
    }
  }
  const f = options.lowessF ?? 2 / 3;
  const iter = options.lowessIter ?? 0;
  const deltaFraction = options.lowessDeltaFraction ?? 0.01;
  const refit = options.refit ? refitAdapter(options.refit, p) : null;
  const apparent = refit
    ? refit(x, n, Float64Array.from(y))
    : lrmFitFlat(x, n, p, y, {
        eps: options.apparentFit?.eps ?? 1e-10,
        maxit: options.apparentFit?.maxit ?? 50,
      });
  if (apparent.fail) throw new Error("calibrateBootstrap: the apparent fit failed");
  const b0 = apparent.coefficients[0]!;
  const predicted = new Float64Array(n);
  for (let i = 0; i < n; i++) predicted[i] = plogis(apparent.linearPredictor[i]! - b0 + b0);
  const predy = options.predy
    ? Float64Array.from(options.predy)
    : calibrationGrid(
        predicted,
        options.gridCount ?? 50,
        options.gridFirstRank ?? 5,
        options.gridLastRankFromEnd ?? 5,
      );
  const m = predy.length;
  const calibratedOrig = calibrationError(
    apparent.linearPredictor,
    y,
    predy,
    f,
    iter,
    deltaFraction,
    new Float64Array(m),
  );
  for (let k = 0; k < m; k++) calibratedOrig[k]! += predy[k]!;

  const rng = new RRandom(options.seed);
  const trainSum = new Float64Array(m);
  const testSum = new Float64Array(m);
  const num = new Int32Array(m);
  const xb = new Float64Array(n * p);
  const yb = new Float64Array(n);
  const lpAll = new Float64Array(n);
  const lpTrain = new Float64Array(n);
  const trainErr = new Float64Array(m);
  const testErr = new Float64Array(m);
  const fitOptions: LrmFitOptions = {
    eps: options.bootstrapFit?.eps ?? 0.025,
    maxit: options.bootstrapFit?.maxit ?? 12,
    tol: options.bootstrapFit?.tol ?? 1e-13,
  };
  let bUsed = 0;
  for (let b = 0; b < B; b++) {
    const train = rng.sampleWithReplacement(n, n);
    for (let i = 0; i < n; i++) {
      const src = train[i]! - 1;
      yb[i] = y[src]!;
      for (let j = 0; j < p; j++) xb[i * p + j] = x[src * p + j]!;
    }
    let fit: LrmFit;
    try {
      fit = refit ? refit(xb, n, yb) : lrmFitFlat(xb, n, p, yb, fitOptions);
    } catch {
      continue;
    }
    if (fit.fail) continue;
    bUsed++;
    const beta = fit.coefficients;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += x[i * p + j]! * beta[j + 1]!;
      lpAll[i] = beta[0]! + s;
    }
    for (let i = 0; i < n; i++) lpTrain[i] = lpAll[train[i]! - 1]!;
    calibrationError(lpTrain, yb, predy, f, iter, deltaFraction, trainErr);
    calibrationError(lpAll, y, predy, f, iter, deltaFraction, testErr);
    for (let k = 0; k < m; k++) {
      const a = trainErr[k]!;
      const t = testErr[k]!;
      if (Number.isNaN(a + t)) continue;
      num[k]!++;
      trainSum[k]! += a;
      testSum[k]! += t;
    }
  }
  const optimism = new Float64Array(m);
  const calibratedCorrected = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    optimism[k] = trainSum[k]! / num[k]! - testSum[k]! / num[k]!;
    calibratedCorrected[k] = calibratedOrig[k]! - optimism[k]!;
  }
  // print.calibrate's error summary
  const okX: number[] = [];
  const okY: number[] = [];
  for (let k = 0; k < m; k++) {
    if (!Number.isNaN(predy[k]! + calibratedCorrected[k]!)) {
      okX.push(predy[k]!);
      okY.push(calibratedCorrected[k]!);
    }
  }
  const absErr: number[] = [];
  let sqSum = 0;
  let outside = 0;
  if (okX.length >= 2) {
    const atP = approx(okX, okY, predicted, "mean");
    for (let i = 0; i < n; i++) {
      const e = predicted[i]! - atP[i]!;
      if (Number.isNaN(e)) outside++;
      else {
        absErr.push(Math.abs(e));
        sqSum += e * e;
      }
    }
  } else outside = n;
  return {
    n,
    bUsed,
    apparentCoefficients: apparent.coefficients,
    predicted,
    predy,
    calibratedOrig,
    calibratedCorrected,
    optimism,
    nUsedPerPoint: num,
    errorSummary: {
      meanAbsError: absErr.length ? rMean(absErr) : Number.NaN,
      meanSquaredError: absErr.length ? sqSum / absErr.length : Number.NaN,
      quantileAbsError: absErr.length
        ? quantileType7(absErr, [options.errorQuantile ?? 0.9])[0]!
        : Number.NaN,
      nOutsidePredyRange: outside,
    },
  };
}
