/**
 * Firth's penalised-likelihood logistic regression (Firth 1993, Biometrika 80:27-38; Heinze &
 * Schemper 2002, Stat Med 21:2409-2419) as R's `logistf` 1.26 computes it (its C routine
 * `logistffit_revised` and R function `logistf`; read, not copied): the Jeffreys-prior penalty
 * l*(β) = l(β) + τ·log|I(β)| with τ = 1/2 and I(β) = X'WX, W = diag(w·π(1−π)); the modified score
 * U*(β) = X'(w·(y − π) + 2τ·h·(1/2 − π)) with h the diagonal of W^½X(X'WX)⁻¹X'W^½; Newton-Raphson
 * steps δ = (X'W*X)⁻¹U* with the "augmented" weights W* = diag((w + 2τh)·π(1−π)), each step
 * scaled so that max|δ| ≤ maxstep, stopping when max|δ| ≤ xconv, max|U*| < gconv and the change of
 * l* < lconv (`logistf.control()` defaults: maxit 25, maxhs 0, maxstep 5, lconv = gconv = xconv =
 * 1e-5). Standard errors are logistf's: the square roots of the diagonal of (X'W*X)⁻¹ from the last
 * iteration (logistf ≥ 1.24; `standardErrorsFisher` keeps (X'WX)⁻¹ at the estimate, as logistf <
 * 1.24 reported). Each coefficient's penalised likelihood-ratio test refits with that coefficient
 * fixed at 0 and the penalty still taken over the full design (logistf's `pl = TRUE` p-values); the
 * model test compares with the intercept-only fit, also penalised over the full design. Finite
 * estimates under complete or quasi-complete separation, where maximum likelihood diverges.
 * Where logistf gives up, this module goes on: log π and log(1 − π) are computed from exp(−|η|)
 * (logistf's 1/(1 + exp(−η)) rounds to 1 beyond η ≈ 37, and it then stops with the current
 * iterate), and a restricted fit that fails leaves a NaN test with a warning instead of an error.
 * The Newton-Raphson engine (l*, U*, the augmented information, row collapsing) is in
 * firth-newton.ts; profile penalised-likelihood intervals are in firth-profile.ts.
 * Pure TypeScript: runs in the browser.
 */
import { chiSquareUpperTail } from "../stats/distribution-tails.js";
import {
  allCoefficients,
  choleskyLogDetInverse,
  collapseRows,
  FIRTH_CONTROL_DEFAULTS,
  type FirthControl,
  type FirthData,
  type FirthNewtonResult,
  firthNewtonRaphson,
  firthState,
} from "./firth-newton.js";
import { twoSidedNormalP } from "./logistic-distributions.js";
import { householderLeastSquares } from "./logistic-qr.js";

export interface FirthOptions {
  /** Fit an intercept (first coefficient). Default true. */
  intercept?: boolean;
  /** Case weights (logistf `weights`), finite and ≥ 0; default 1. */
  weights?: ArrayLike<number>;
  /** Offset added to the linear predictor; default 0. */
  offset?: ArrayLike<number>;
  /** Coefficient names without the intercept; default x1, x2, … */
  names?: readonly string[];
  /** Starting coefficients (logistf `init`), intercept first; default 0. */
  init?: ArrayLike<number>;
  /** Degree of penalisation τ (`logistf.mod.control(tau)`), default 0.5 (Firth); 0 gives ML. */
  tau?: number;
  control?: Partial<FirthControl>;
}

export interface FirthTest {
  statistic: number;
  df: number;
  p: number;
}

export interface FirthFit {
  method: "firth";
  terms: string[];
  coefficients: Float64Array;
  /** logistf `sqrt(diag(vcov))`: from (X'W*X)⁻¹ of the last iteration. */
  standardErrors: Float64Array;
  covariance: Float64Array[];
  /** (X'WX)⁻¹ at the estimate (the inverse Fisher information; logistf < 1.24's `var`). */
  standardErrorsFisher: Float64Array;
  covarianceFisher: Float64Array[];
  /** Wald z = estimate / SE; χ² = z² and P = 1 − pchisq(z², 1), as logistf's Wald option. */
  zValues: Float64Array;
  waldPValues: Float64Array;
  /** Penalised LR statistic 2·(l* − l*_j) with coefficient j fixed at 0, and its P (χ²₁). */
  penalizedLrStatistics: Float64Array;
  penalizedLrPValues: Float64Array;
  /** Maximised penalised log-likelihood of each restricted fit. */
  restrictedLogLik: Float64Array;
  oddsRatios: Float64Array;
  /** Penalised log-likelihood l* of the full and of the intercept-only model (logistf `loglik`). */
  logLik: number;
  logLikNull: number;
  /** Penalised LR test of all coefficients but the intercept (logistf's "Likelihood ratio test"). */
  likelihoodRatioTest: FirthTest;
  /** β'V⁻¹β over every coefficient, intercept included, on df = k − 1 (logistf `summary`). */
  waldTest: FirthTest;
  linearPredictor: Float64Array;
  fitted: Float64Array;
  /** Diagonal of the weighted hat matrix at the estimate (logistf `hat.diag`). */
  hatDiagonal: Float64Array;
  /** Σ weights (logistf `n`). */
  nObs: number;
  /** Degrees of freedom of the model test: coefficients minus the intercept. */
  df: number;
  intercept: boolean;
  /** Newton steps taken (logistf's `iter` counts one fewer). */
  iterations: number;
  converged: boolean;
  /** logistf `conv`: last change of l*, max |U*|, max |δ|. */
  convergence: { logLikChange: number; maxAbsScore: number; maxAbsStep: number };
  warnings: string[];
  data: FirthData;
  control: FirthControl;
}

function toFirthData(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: FirthOptions,
): { data: FirthData; terms: string[]; intercept: boolean } {
  const n = X.length;
  if (n === 0) throw new Error("firth: no observations");
  if (y.length !== n) throw new Error(`firth: X has ${n} rows but y has ${y.length} values`);
  const intercept = options.intercept ?? true;
  const p = X[0]!.length;
  const k = p + (intercept ? 1 : 0);
  if (k === 0) throw new Error("firth: the model has no coefficients");
  const columns = new Float64Array(n * k);
  const off = intercept ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const row = X[i]!;
    if (row.length !== p)
      throw new Error(`firth: row ${i + 1} of X has ${row.length} values, row 1 has ${p}`);
    if (intercept) columns[i] = 1;
    for (let j = 0; j < p; j++) {
      const v = row[j]!;
      if (!Number.isFinite(v)) throw new Error(`firth: X[${i + 1}][${j + 1}] is ${v}, not finite`);
      columns[(j + off) * n + i] = v;
    }
  }
  const yy = Float64Array.from({ length: n }, (_, i) => {
    const v = y[i]!;
    if (v !== 0 && v !== 1)
      throw new Error(`firth: y[${i + 1}] = ${v}; the outcome must be 0 or 1`);
    return v;
  });
  const vector = (what: string, v: ArrayLike<number> | undefined, fill: number, min: number) => {
    if (!v) return new Float64Array(n).fill(fill);
    if (v.length !== n) throw new Error(`firth: ${what} has ${v.length} values, expected ${n}`);
    return Float64Array.from({ length: n }, (_, i) => {
      const x = v[i]!;
      if (!Number.isFinite(x) || x < min)
        throw new Error(
          `firth: ${what}[${i + 1}] = ${x} must be a finite number${min === 0 ? " >= 0" : ""}`,
        );
      return x;
    });
  };
  const weights = vector("weights", options.weights, 1, 0);
  const offset = vector("offset", options.offset, 0, Number.NEGATIVE_INFINITY);
  const names = options.names
    ? [...options.names]
    : Array.from({ length: p }, (_, j) => `x${j + 1}`);
  if (names.length !== p) throw new Error(`firth: ${names.length} names for ${p} predictors`);
  const terms = intercept ? ["(Intercept)", ...names] : names;
  const tau = options.tau ?? 0.5;
  if (!(tau >= 0)) throw new Error(`firth: tau must be >= 0, got ${tau}`);
  // Rank check on the rows with weight > 0 (names the column that is a combination of others).
  const used = Array.from(weights.keys()).filter((i) => weights[i]! > 0);
  const A = new Float64Array(used.length * k);
  for (let j = 0; j < k; j++)
    used.forEach((i, r) => {
      A[j * used.length + r] = columns[j * n + i]!;
    });
  try {
    householderLeastSquares(A, new Float64Array(used.length), used.length, k, 1e-7, terms);
  } catch (err) {
    throw new Error(`firth: ${(err as Error).message.replace(/^logistic: /, "")}`);
  }
  return { data: { n, k, columns, y: yy, weights, offset, tau }, terms, intercept };
}

/**
 * The point estimate alone of Firth's penalised likelihood (logistf's coefficients, without the
 * standard errors, tests and intervals `fitFirth` adds): for procedures that refit many times, such
 * as the calibration bootstrap. Null when the Newton-Raphson does not converge.
 */
export function fitFirthCoefficients(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: FirthOptions = {},
): Float64Array | null {
  const { data } = toFirthData(X, y, options);
  const control: FirthControl = { ...FIRTH_CONTROL_DEFAULTS, ...options.control };
  const init = options.init ? Float64Array.from(options.init) : new Float64Array(data.k);
  const nr = (control.collapse ? collapseRows(data) : null) ?? data;
  const full = firthNewtonRaphson(nr, init, allCoefficients(data.k), control, "full model");
  return full.converged && !full.stoppedNotFinite ? full.beta : null;
}

/**
 * Firth's penalised-likelihood logistic regression as R's `logistf(y ~ x, pl = TRUE)` without the
 * profile intervals (those: `firthProfileIntervals` / `fitFirthLogistic` in firth-profile.ts).
 * `X` holds n rows of predictor values without an intercept column; `y` is 0/1.
 */
export function fitFirth(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: FirthOptions = {},
): FirthFit {
  const { data, terms, intercept } = toFirthData(X, y, options);
  const { k, n } = data;
  const control: FirthControl = { ...FIRTH_CONTROL_DEFAULTS, ...options.control };
  if (!(control.maxIterations >= 1))
    throw new Error(`firth: maxIterations must be >= 1, got ${control.maxIterations}`);
  const init = options.init ? Float64Array.from(options.init) : new Float64Array(k);
  if (init.length !== k) throw new Error(`firth: init has ${init.length} values, expected ${k}`);
  const warnings: string[] = [];
  // The Newton-Raphson fits run on the collapsed rows when logistf would collapse them.
  const nr = (control.collapse ? collapseRows(data) : null) ?? data;
  const full = firthNewtonRaphson(nr, init, allCoefficients(k), control, "full model");
  if (!full.converged)
    warnings.push(
      `firth: the full model did not converge in ${control.maxIterations} iterations (max |step| ${full.convergence.maxAbsStep.toExponential(2)}); increase maxIterations or lower maxStep`,
    );
  if (full.stoppedNotFinite)
    warnings.push("firth: the penalised log-likelihood became infinite; the iteration stopped");
  // Null model: the intercept alone (logistf fits column 1 whatever it is; without an intercept
  // every coefficient is 0 here), penalised over the full design.
  const nullFit = firthNewtonRaphson(
    nr,
    new Float64Array(k),
    intercept ? [0] : [],
    control,
    "null model",
  );
  const restricted = new Float64Array(k);
  const lr = new Float64Array(k);
  const lrP = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const others = allCoefficients(k).filter((c) => c !== j);
    let r: FirthNewtonResult;
    try {
      r = firthNewtonRaphson(nr, new Float64Array(k), others, control, `test of '${terms[j]}'`);
    } catch (err) {
      // logistf stops with this error; the fit and the other tests stay usable here.
      warnings.push(
        `firth: no penalised LR test of '${terms[j]}' (${(err as Error).message}); its statistic and P are NaN`,
      );
      restricted[j] = lr[j] = lrP[j] = Number.NaN;
      continue;
    }
    if (!r.converged)
      warnings.push(
        `firth: the fit with '${terms[j]}' = 0 did not converge in ${control.maxIterations} iterations; its P may be inaccurate`,
      );
    restricted[j] = r.logLik;
    lr[j] = 2 * (full.logLik - r.logLik);
    lrP[j] = chiSquareUpperTail(lr[j]!, 1);
  }
  // π, h and (X'WX)⁻¹ of the original rows at the estimate.
  const atEstimate = nr === data ? full.state : firthState(data, full.beta, "full model");
  // As glm.fit (10·DBL_EPSILON): finite estimates, but some patients' probabilities are 0 or 1.
  if (atEstimate.pi.some((p) => p > 1 - 2.220446049250313e-15 || p < 2.220446049250313e-15))
    warnings.push("firth: fitted probabilities numerically 0 or 1 occurred");
  const se = new Float64Array(k);
  const z = new Float64Array(k);
  const waldP = new Float64Array(k);
  const seF = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    se[j] = Math.sqrt(full.covariance[j]![j]!);
    z[j] = full.beta[j]! / se[j]!;
    waldP[j] = twoSidedNormalP(z[j]!);
    seF[j] = Math.sqrt(atEstimate.fisherInverse[j]![j]!);
  }
  const df = k - (intercept ? 1 : 0);
  const lrStat = -2 * (nullFit.logLik - full.logLik);
  // Wald test as logistf's summary: β'V⁻¹β over all k coefficients, on df.
  const vInv = choleskyLogDetInverse(
    Float64Array.from({ length: k * k }, (_, i) => full.covariance[i % k]![Math.floor(i / k)]!),
    k,
  );
  let wald = Number.NaN;
  if (vInv) {
    wald = 0;
    for (let a = 0; a < k; a++)
      for (let b = 0; b < k; b++) wald += full.beta[a]! * vInv.inverse[a]![b]! * full.beta[b]!;
  }
  const eta = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let e = data.offset[i]!;
    for (let j = 0; j < k; j++) e += data.columns[j * n + i]! * full.beta[j]!;
    eta[i] = e;
  }
  let nObs = 0;
  for (let i = 0; i < n; i++) nObs += data.weights[i]!;
  return {
    method: "firth",
    terms,
    coefficients: full.beta,
    standardErrors: se,
    covariance: full.covariance,
    standardErrorsFisher: seF,
    covarianceFisher: atEstimate.fisherInverse,
    zValues: z,
    waldPValues: waldP,
    penalizedLrStatistics: lr,
    penalizedLrPValues: lrP,
    restrictedLogLik: restricted,
    oddsRatios: full.beta.map(Math.exp),
    logLik: full.logLik,
    logLikNull: nullFit.logLik,
    likelihoodRatioTest: {
      statistic: lrStat,
      df,
      p: df > 0 ? chiSquareUpperTail(lrStat, df) : Number.NaN,
    },
    waldTest: { statistic: wald, df, p: df > 0 ? chiSquareUpperTail(wald, df) : Number.NaN },
    linearPredictor: eta,
    fitted: atEstimate.pi,
    hatDiagonal: atEstimate.hat,
    nObs,
    df,
    intercept,
    iterations: full.steps,
    converged: full.converged,
    convergence: full.convergence,
    warnings,
    data,
    control,
  };
}
