/**
 * Nomogram numbers of a binary logistic model as rms `nomogram(fit, fun = plogis, fun.at, lp = TRUE,
 * maxscale = 100, nint = 10)` computes them (rms 6.5-0 R/nomogram.s; Harrell, Regression Modeling
 * Strategies, 2015, sec. 10.5), plus R's `pretty` (src/appl/pretty.c R_pretty and
 * base::pretty.default) for the axis values.
 *
 * For each predictor j, Xβ_j(v) = β_j·v (continuous, axis values v = pretty(range of the training
 * values, nint)) or the dummy coefficient of level v (factor; 0 for the reference level).
 * R[1,j], R[2,j] = min, max of Xβ_j over the axis values; sc = maxscale / max_j(R[2,j] − R[1,j]);
 * points_j(v) = (Xβ_j(v) − R[1,j])·sc; Intercept_info = β0 + Σ_j R[1,j]; total points
 * T = Σ_j points_j, lp = Intercept_info + T/sc, probability = plogis(lp).
 * Axes: lp.at = pretty(range(training linear predictors), nint); total-points axis =
 * pretty(c(0, max(maxscale, sc·max(lp.at − Intercept_info))), nint); probability ticks at
 * (w − Intercept_info)·sc with w = approx(plogis(xseq), xseq, fun.at, ties = mean) on xseq = 1000
 * points from min(lp.at) to max(lp.at) (ticks outside that range are dropped), and the exact
 * inverse qlogis(fun.at). Pure TypeScript.
 */
import { approx } from "../stats/lowess.js";

export interface PrettyOptions {
  /** Minimal number of intervals (R default n %/% 3). */
  minN?: number;
  /** Shrink factor for a (nearly) zero range (R default 0.75). */
  shrinkSml?: number;
  /** Bias towards larger units (R default 1.5). */
  highUBias?: number;
  /** Bias towards 5 over 2 (R default 0.5 + 1.5·highUBias). */
  u5Bias?: number;
  /** Smallest cell as a multiple of the smallest normal double (R default 2^-20). */
  fMin?: number;
}

const DBL_EPSILON = 2.220446049250313e-16;
const DBL_MIN = 2.2250738585072014e-308;
const DBL_MAX = Number.MAX_VALUE;

/**
 * R's `pretty(c(lo, hi), n)` (R >= 4.2 `pretty.default`, eps.correct = 0): about n + 1 equally
 * spaced round values (steps 1, 2, 5 or 10 × a power of 10) covering [lo, hi]; the sequence is
 * seq.int(ns·unit, nu·unit, length.out = k + 1), values below 1e-14·step set to 0.
 */
export function rPretty(lo: number, hi: number, n = 5, options: PrettyOptions = {}): Float64Array {
  if (!Number.isFinite(lo) || !Number.isFinite(hi))
    throw new Error(`pretty: range must be finite, got ${lo}, ${hi}`);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`pretty: n must be a non-negative integer, got ${n}`);
  if (lo > hi) [lo, hi] = [hi, lo];
  const minN = options.minN ?? Math.floor(n / 3);
  const shrink = options.shrinkSml ?? 0.75;
  const h = options.highUBias ?? 1.5;
  const h5 = options.u5Bias ?? 0.5 + 1.5 * h;
  const fMin = options.fMin ?? 2 ** -20;
  const roundingEps = 1e-10;
  const dx = hi - lo;
  let cell: number;
  let iSmall: boolean;
  if (dx === 0 && hi === 0) {
    cell = 1;
    iSmall = true;
  } else {
    cell = Math.max(Math.abs(lo), Math.abs(hi));
    let U = 1 + (h5 >= 1.5 * h + 0.5 ? 1 / (1 + h) : 1.5 / (1 + h5));
    U *= Math.max(1, n) * DBL_EPSILON;
    iSmall = dx < cell * U * 3;
  }
  if (iSmall) {
    if (cell > 10) cell = 9 + cell / 10;
    cell *= shrink;
    if (minN > 1) cell /= minN;
  } else {
    cell = dx;
    if (Number.isFinite(dx)) {
      if (n > 1) cell /= n;
    } else if (n >= 2) cell = hi / n - lo / n;
  }
  let subsmall = fMin * DBL_MIN;
  if (subsmall === 0) subsmall = DBL_MIN;
  if (cell < subsmall) cell = subsmall;
  else if (cell > DBL_MAX / 1.25) cell = DBL_MAX / 1.25;
  const base = 10 ** Math.floor(Math.log10(cell));
  let unit = base;
  let U2 = 2 * base;
  if (U2 - cell < h * (cell - unit)) {
    unit = U2;
    U2 = 5 * base;
    if (U2 - cell < h5 * (cell - unit)) {
      unit = U2;
      U2 = 10 * base;
      if (U2 - cell < h * (cell - unit)) unit = U2;
    }
  }
  let ns = Math.floor(lo / unit + roundingEps);
  let nu = Math.ceil(hi / unit - roundingEps);
  while (ns * unit > lo + roundingEps * unit) ns--;
  while (!Number.isFinite(ns * unit)) ns++;
  while (nu * unit < hi - roundingEps * unit) nu++;
  while (!Number.isFinite(nu * unit)) nu--;
  let k = Math.trunc(0.5 + nu - ns);
  if (k < minN) {
    k = minN - k;
    if (lo === 0 && ns === 0 && hi !== 0) nu += k;
    else if (hi === 0 && nu === 0 && lo !== 0) ns -= k;
    else if (ns >= 0) {
      nu += Math.floor(k / 2);
      ns -= Math.floor(k / 2) + (k % 2);
    } else {
      ns -= Math.floor(k / 2);
      nu += Math.floor(k / 2) + (k % 2);
    }
    k = minN;
  }
  let l = lo;
  let u = hi;
  if (ns * unit < l) l = ns * unit;
  if (nu * unit > u) u = nu * unit;
  // seq.int(l, u, length.out = k + 1)
  const len = k + 1;
  const out = new Float64Array(len);
  out[0] = l;
  if (len > 1) out[len - 1] = u;
  if (len > 2) {
    const by = (u - l) / (len - 1);
    for (let i = 1; i < len - 1; i++) out[i] = l + i * by;
  }
  if (k > 0) {
    const delta = (Math.max(l, u) - Math.min(l, u)) / k;
    for (let i = 0; i < len; i++) if (Math.abs(out[i]!) < 1e-14 * delta) out[i] = 0;
  }
  return out;
}

/** R's `pretty(x, n)` of a vector (its finite range). */
export function prettyOf(x: ArrayLike<number>, n = 5, options: PrettyOptions = {}): Float64Array {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (lo > hi) return new Float64Array(0);
  return rPretty(lo, hi, n, options);
}

/**
 * Axis values of a numeric predictor as rms `datadist` + `nomogram(nint)` choose them: the sorted
 * distinct values when the fitting data have at most `nUnique` (datadist's n.unique, default 10)
 * of them, else pretty(range, nint).
 */
export function numericAxisValues(
  trainingValues: ArrayLike<number>,
  nint = 10,
  nUnique = 10,
): Float64Array {
  const distinct = Array.from(new Set(Array.from(trainingValues))).sort((a, b) => a - b);
  if (distinct.length === 0 || distinct.some((v) => !Number.isFinite(v))) {
    throw new Error("numericAxisValues: the predictor has no (or non-finite) training values");
  }
  if (distinct.length <= nUnique) return Float64Array.from(distinct);
  return rPretty(distinct[0]!, distinct[distinct.length - 1]!, nint);
}

/** A predictor of the nomogram. */
export type NomogramPredictorSpec =
  | {
      name: string;
      type: "continuous";
      coefficient: number;
      /** [min, max] of the predictor in the fitting data (rms datadist range). */
      dataRange: [number, number];
      /** Axis values (default pretty(dataRange, nint); see numericAxisValues for rms' rule). */
      values?: ArrayLike<number>;
    }
  | {
      name: string;
      type: "factor";
      /** Display labels of the levels, reference first. */
      labels: string[];
      /** Coefficient of each level (0 for the reference). */
      coefficients: ArrayLike<number>;
    };

export interface NomogramSpec {
  /** Model intercept β0. */
  intercept: number;
  predictors: NomogramPredictorSpec[];
  /** Linear predictors of the fitting data (rms: fit$linear.predictors), for the lp axis. */
  trainingLinearPredictors: ArrayLike<number>;
  /** Points of the widest predictor (default 100). */
  maxscale?: number;
  /** Number of axis intervals for pretty() (default 10). */
  nint?: number;
  /** Probability tick values (rms fun.at; default pretty(plogis(range(lp.at)), nint)). */
  probabilityTicks?: ArrayLike<number>;
  /** Step of the total points → probability table (default 5). */
  totalPointsStep?: number;
}

export interface NomogramAxis {
  name: string;
  type: "continuous" | "factor";
  /** Axis values (numbers) or level labels. */
  values: number[] | string[];
  xbeta: Float64Array;
  points: Float64Array;
  dataRange?: [number, number];
}

export interface Nomogram {
  predictors: NomogramAxis[];
  /** R[1, j], R[2, j]: min and max Xβ_j over each predictor's axis values. */
  minXbeta: Float64Array;
  maxXbeta: Float64Array;
  /** Points per unit of linear predictor. */
  sc: number;
  maxscale: number;
  /** β0 + Σ_j R[1, j]: the linear predictor at 0 total points. */
  interceptInfo: number;
  totalPointsAxis: Float64Array;
  lpAxis: { lp: Float64Array; points: Float64Array };
  probabilityAxis: {
    probability: Float64Array;
    pointsRms: Float64Array;
    pointsExact: Float64Array;
  };
  totalPointsToProbability: {
    totalPoints: Float64Array;
    lp: Float64Array;
    probability: Float64Array;
  };
}

function plogis(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** rms `nomogram` numbers (see the module comment for the formulas). */
export function nomogram(spec: NomogramSpec): Nomogram {
  const maxscale = spec.maxscale ?? 100;
  const nint = spec.nint ?? 10;
  if (spec.predictors.length === 0) throw new Error("nomogram: the model has no predictors");
  const axes: NomogramAxis[] = spec.predictors.map((pr) => {
    if (pr.type === "continuous") {
      if (!Number.isFinite(pr.coefficient))
        throw new Error(`nomogram: coefficient of '${pr.name}' is ${pr.coefficient}`);
      const values = pr.values
        ? Float64Array.from(pr.values)
        : rPretty(pr.dataRange[0], pr.dataRange[1], nint);
      const xbeta = values.map((v) => v * pr.coefficient);
      return {
        name: pr.name,
        type: "continuous",
        values: Array.from(values),
        xbeta,
        points: new Float64Array(values.length),
        dataRange: pr.dataRange,
      };
    }
    if (pr.labels.length !== pr.coefficients.length) {
      throw new Error(
        `nomogram: factor '${pr.name}' has ${pr.labels.length} labels but ${pr.coefficients.length} coefficients`,
      );
    }
    return {
      name: pr.name,
      type: "factor",
      values: [...pr.labels],
      xbeta: Float64Array.from(pr.coefficients),
      points: new Float64Array(pr.labels.length),
    };
  });
  const k = axes.length;
  const minXbeta = new Float64Array(k);
  const maxXbeta = new Float64Array(k);
  let widest = 0;
  axes.forEach((a, j) => {
    let lo = 1e30;
    let hi = -1e30;
    for (const v of a.xbeta) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    minXbeta[j] = lo;
    maxXbeta[j] = hi;
    widest = Math.max(widest, hi - lo);
  });
  if (!(widest > 0)) throw new Error("nomogram: every predictor has a zero effect range");
  const sc = maxscale / widest;
  let sumMin = 0;
  for (let j = 0; j < k; j++) sumMin += minXbeta[j]!;
  const interceptInfo = spec.intercept + sumMin;
  axes.forEach((a, j) => {
    for (let i = 0; i < a.xbeta.length; i++) a.points[i] = (a.xbeta[i]! - minXbeta[j]!) * sc;
  });

  const lpAt = prettyOf(spec.trainingLinearPredictors, nint);
  if (lpAt.length < 2)
    throw new Error("nomogram: the training linear predictors give fewer than 2 axis values");
  let maxLp = Number.NEGATIVE_INFINITY;
  for (const v of lpAt) maxLp = Math.max(maxLp, v - interceptInfo);
  const sumMax = k === 1 ? maxscale : Math.max(maxscale, sc * maxLp);
  const totalPointsAxis = rPretty(0, sumMax, nint);
  const lpPoints = lpAt.map((v) => (v - interceptInfo) * sc);

  const lpMin = lpAt[0]!;
  const lpMaxValue = lpAt[lpAt.length - 1]!;
  const ticks = spec.probabilityTicks
    ? Float64Array.from(spec.probabilityTicks)
    : rPretty(plogis(lpMin), plogis(lpMaxValue), nint);
  const xseq = new Float64Array(1000);
  const by = (lpMaxValue - lpMin) / 999;
  xseq[0] = lpMin;
  for (let i = 1; i < 999; i++) xseq[i] = lpMin + i * by;
  xseq[999] = lpMaxValue;
  const fu = xseq.map(plogis);
  const w = approx(fu, xseq, ticks, "mean");
  const keptProb: number[] = [];
  const pointsRms: number[] = [];
  const pointsExact: number[] = [];
  for (let i = 0; i < ticks.length; i++) {
    if (Number.isNaN(w[i]!) || Number.isNaN(ticks[i]!)) continue;
    keptProb.push(ticks[i]!);
    pointsRms.push((w[i]! - interceptInfo) * sc);
    pointsExact.push((Math.log(ticks[i]! / (1 - ticks[i]!)) - interceptInfo) * sc);
  }

  const step = spec.totalPointsStep ?? 5;
  if (!(step > 0)) throw new Error(`nomogram: totalPointsStep must be > 0, got ${step}`);
  const maxTotal = totalPointsAxis[totalPointsAxis.length - 1]!;
  const nSteps = Math.floor(maxTotal / step + 1e-9);
  const totalPoints = new Float64Array(nSteps + 1);
  const tLp = new Float64Array(nSteps + 1);
  const tProb = new Float64Array(nSteps + 1);
  for (let i = 0; i <= nSteps; i++) {
    totalPoints[i] = i * step;
    tLp[i] = interceptInfo + totalPoints[i]! / sc;
    tProb[i] = plogis(tLp[i]!);
  }
  return {
    predictors: axes,
    minXbeta,
    maxXbeta,
    sc,
    maxscale,
    interceptInfo,
    totalPointsAxis,
    lpAxis: { lp: lpAt, points: lpPoints },
    probabilityAxis: {
      probability: Float64Array.from(keptProb),
      pointsRms: Float64Array.from(pointsRms),
      pointsExact: Float64Array.from(pointsExact),
    },
    totalPointsToProbability: { totalPoints, lp: tLp, probability: tProb },
  };
}

export interface PatientPoints {
  /** Points per predictor, in the nomogram's predictor order. */
  points: Float64Array;
  totalPoints: number;
  lp: number;
  probability: number;
}

/**
 * One patient's nomogram reading: points_j = (Xβ_j − R[1, j])·sc for each predictor (continuous:
 * β_j·value, also outside the axis range; factor: the level's coefficient, the level given by its
 * label or its 0-based index), total points T = Σ points_j, lp = Intercept_info + T/sc,
 * probability = plogis(lp).
 */
export function nomogramPoints(
  nomo: Nomogram,
  spec: NomogramSpec,
  values: readonly (number | string)[],
): PatientPoints {
  if (values.length !== spec.predictors.length) {
    throw new Error(
      `nomogramPoints: ${values.length} values for ${spec.predictors.length} predictors`,
    );
  }
  const points = new Float64Array(values.length);
  let total = 0;
  spec.predictors.forEach((pr, j) => {
    const v = values[j]!;
    let xbeta: number;
    if (pr.type === "continuous") {
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new Error(`nomogramPoints: '${pr.name}' value ${String(v)} is not a finite number`);
      xbeta = v * pr.coefficient;
    } else {
      const idx = typeof v === "number" ? v : pr.labels.indexOf(v);
      if (!Number.isInteger(idx) || idx < 0 || idx >= pr.labels.length) {
        throw new Error(
          `nomogramPoints: '${String(v)}' is not a level of '${pr.name}' (${pr.labels.join(", ")})`,
        );
      }
      xbeta = pr.coefficients[idx]!;
    }
    points[j] = (xbeta - nomo.minXbeta[j]!) * nomo.sc;
    total += points[j]!;
  });
  const lp = nomo.interceptInfo + total / nomo.sc;
  return { points, totalPoints: total, lp, probability: plogis(lp) };
}
