/**
 * Logistic regression as scikit-learn 1.2 `LogisticRegression(penalty = None | "l2", C)` defines it:
 *   minimise  C * sum_i logloss_i(b0 + x_i w) + 1/2 ||w||^2   (intercept b0 not penalised),
 * i.e. scikit-learn's scaled form (1/n) sum_i logloss_i + (1 / (2 C n)) ||w||^2
 * (linear_model/_logistic.py: l2_reg_strength = 1 / (C * sw_sum)). Solved by Newton's method with
 * scikit-learn's NewtonCholeskySolver control flow (linear_model/_glm/_newton_solver.py): from
 * zero, Newton direction from the Hessian, backtracking Armijo line search (beta 1/2, sigma 2^-11),
 * stop when max |gradient| <= tol and half the Newton decrement d' H d <= tol (gradient of the
 * scaled objective). With tol = 1e-12 this is the exact optimum; for penalty None it is the
 * maximum-likelihood fit, whose standard errors (inverse observed information) and log-likelihood
 * are also returned (statsmodels Logit / R glm).
 */

export interface LogisticFitOptions {
  /** "none" (maximum likelihood) or "l2". Default "l2". */
  penalty?: "none" | "l2";
  /** Inverse regularisation strength C (l2 only, default 1). */
  C?: number;
  /** Gradient tolerance of the scaled objective (default 1e-12). */
  tol?: number;
  /** Maximum Newton iterations (default 100). */
  maxIter?: number;
  /** Fit an intercept (default true). */
  fitIntercept?: boolean;
}

export interface LogisticFit {
  coef: Float64Array;
  intercept: number;
  /** Newton iterations (scikit-learn n_iter_). */
  nIter: number;
  converged: boolean;
  /** max |gradient| of C * sum logloss + ||w||^2 / 2 at the solution (penalty none: of sum logloss). */
  maxAbsGradient: number;
  /** Log-likelihood sum_i [y log p + (1 - y) log (1 - p)] at the solution. */
  logLik: number;
  /**
   * Standard errors from the inverse Hessian of the objective at the solution, in the order
   * [intercept, coef...] (penalty none: the usual maximum-likelihood standard errors).
   */
  stdErrors: Float64Array;
}

function log1pexp(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Cholesky solve of the symmetric positive definite system A z = b (A row-major m x m); null if not SPD. */
function choleskySolve(A: Float64Array, b: Float64Array, m: number): Float64Array | null {
  const L = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * m + j]!;
      for (let k = 0; k < j; k++) s -= L[i * m + k]! * L[j * m + k]!;
      if (i === j) {
        if (!(s > 0)) return null;
        L[i * m + i] = Math.sqrt(s);
      } else L[i * m + j] = s / L[j * m + j]!;
    }
  }
  const z = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * m + k]! * z[k]!;
    z[i] = s / L[i * m + i]!;
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let k = i + 1; k < m; k++) s -= L[k * m + i]! * z[k]!;
    z[i] = s / L[i * m + i]!;
  }
  return z;
}

/** Inverse of an SPD matrix via Cholesky solves of the unit vectors. */
function spdInverse(A: Float64Array, m: number): Float64Array | null {
  const inv = new Float64Array(m * m);
  for (let c = 0; c < m; c++) {
    const e = new Float64Array(m);
    e[c] = 1;
    const z = choleskySolve(A, e, m);
    if (!z) return null;
    for (let r = 0; r < m; r++) inv[r * m + c] = z[r]!;
  }
  return inv;
}

/**
 * Fit LogisticRegression on feature columns and a 0/1 outcome. Parameters are ordered
 * [coef_0..coef_{p-1}, intercept] internally as scikit-learn; the result separates them.
 */
export function fitLogisticRegression(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: LogisticFitOptions = {},
): LogisticFit {
  const penalty = options.penalty ?? "l2";
  const C = options.C ?? 1;
  const tol = options.tol ?? 1e-12;
  const maxIter = options.maxIter ?? 100;
  const fitIntercept = options.fitIntercept ?? true;
  if (penalty === "l2" && !(C > 0))
    throw new Error(`fitLogisticRegression: C must be > 0, got ${C}`);
  const p = columns.length;
  const n = y.length;
  if (n === 0) throw new Error("fitLogisticRegression: no rows");
  const X = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const c = columns[j]!;
    if (c.length !== n)
      throw new Error(`fitLogisticRegression: feature ${j} has ${c.length} rows, y has ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i]!))
        throw new Error(`fitLogisticRegression: feature ${j}, row ${i} is not finite (${c[i]})`);
      X[j * n + i] = c[i]!;
    }
  }
  const yy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1)
      throw new Error(`fitLogisticRegression: outcome row ${i} is ${y[i]}, expected 0 or 1`);
    yy[i] = y[i]!;
  }
  const l2 = penalty === "l2" ? 1 / (C * n) : 0;
  const m = p + (fitIntercept ? 1 : 0);
  const raw = (coef: Float64Array): Float64Array => {
    const r = new Float64Array(n).fill(fitIntercept ? coef[p]! : 0);
    for (let j = 0; j < p; j++) {
      const b = coef[j]!;
      if (b === 0) continue;
      for (let i = 0; i < n; i++) r[i] = r[i]! + X[j * n + i]! * b;
    }
    return r;
  };
  const lossGrad = (coef: Float64Array, r: Float64Array): { loss: number; grad: Float64Array } => {
    let loss = 0;
    const g = new Float64Array(m);
    const resid = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      loss += log1pexp(r[i]!) - yy[i]! * r[i]!;
      resid[i] = sigmoid(r[i]!) - yy[i]!;
    }
    loss /= n;
    let wn = 0;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += X[j * n + i]! * resid[i]!;
      g[j] = s / n + l2 * coef[j]!;
      wn += coef[j]! * coef[j]!;
    }
    loss += 0.5 * l2 * wn;
    if (fitIntercept) {
      let s = 0;
      for (let i = 0; i < n; i++) s += resid[i]!;
      g[p] = s / n;
    }
    return { loss, grad: g };
  };
  const hessian = (r: Float64Array): Float64Array => {
    const H = new Float64Array(m * m);
    const h = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const pi = sigmoid(r[i]!);
      h[i] = pi * (1 - pi);
    }
    const col = (j: number, i: number) => (j < p ? X[j * n + i]! : 1);
    for (let a = 0; a < m; a++) {
      for (let b = a; b < m; b++) {
        let s = 0;
        for (let i = 0; i < n; i++) s += col(a, i) * h[i]! * col(b, i);
        s /= n;
        if (a === b && a < p) s += l2;
        H[a * m + b] = s;
        H[b * m + a] = s;
      }
    }
    return H;
  };
  let coef = new Float64Array(m);
  let r = raw(coef);
  let { loss, grad } = lossGrad(coef, r);
  let converged = false;
  let iteration = 1;
  let H: Float64Array;
  const eps16 = 16 * Number.EPSILON;
  while (iteration <= maxIter && !converged) {
    H = hessian(r);
    const neg = grad.map((v) => -v);
    const d = choleskySolve(H, neg, m);
    if (!d)
      throw new Error(
        "fitLogisticRegression: Hessian is not positive definite (perfect separation or collinear features?)",
      );
    let gd = 0;
    for (let k = 0; k < m; k++) gd += grad[k]! * d[k]!;
    // backtracking line search (Armijo)
    const armijo = 0.00048828125 * gd;
    const rd = raw(d); // X d_w + d_intercept
    let t = 1;
    let accepted = false;
    const coefOld = coef;
    const lossOld = loss;
    const gradOld = grad;
    let newCoef = coef;
    let newR = r;
    let newLG = { loss, grad };
    let sumAbsOld = -1;
    for (let it = 0; it < 21; it++) {
      newCoef = Float64Array.from(coefOld, (v, k) => v + t * d[k]!);
      newR = Float64Array.from(r, (v, i) => v + t * rd[i]!);
      newLG = lossGrad(newCoef, newR);
      const impr = newLG.loss - lossOld;
      if (impr <= t * armijo) {
        accepted = true;
        break;
      }
      if (Math.abs(impr) <= Math.abs(lossOld * eps16)) {
        if (sumAbsOld < 0) sumAbsOld = gradOld.reduce((a, v) => a + Math.abs(v), 0);
        const sumAbs = newLG.grad.reduce((a, v) => a + Math.abs(v), 0);
        if (sumAbs < sumAbsOld) {
          accepted = true;
          break;
        }
      }
      t *= 0.5;
    }
    coef = newCoef;
    r = newR;
    loss = newLG.loss;
    grad = newLG.grad;
    if (!accepted) break;
    // convergence: max |g| <= tol and 1/2 d' H d <= tol
    let gmax = 0;
    for (let k = 0; k < m; k++) gmax = Math.max(gmax, Math.abs(grad[k]!));
    if (gmax <= tol) {
      let d2 = 0;
      for (let a = 0; a < m; a++) {
        let s = 0;
        for (let b = 0; b < m; b++) s += H[a * m + b]! * d[b]!;
        d2 += d[a]! * s;
      }
      if (0.5 * d2 <= tol) converged = true;
    }
    iteration++;
  }
  const nIter = iteration - 1;
  // diagnostics on the unscaled objective C * sum logloss + ||w||^2 / 2 (penalty none: sum logloss)
  const scale = penalty === "l2" ? C * n : n;
  let maxAbsGradient = 0;
  for (let k = 0; k < m; k++) maxAbsGradient = Math.max(maxAbsGradient, Math.abs(grad[k]! * scale));
  let logLik = 0;
  for (let i = 0; i < n; i++) logLik -= log1pexp(r[i]!) - yy[i]! * r[i]!;
  // standard errors: inverse of the (unscaled) Hessian, order [intercept, coef...]
  const Hf = hessian(r);
  const Hs = new Float64Array(m * m);
  for (let k = 0; k < m * m; k++) Hs[k] = Hf[k]! * scale;
  const inv = spdInverse(Hs, m);
  const stdErrors = new Float64Array(m);
  const order = fitIntercept
    ? [p, ...Array.from({ length: p }, (_, j) => j)]
    : Array.from({ length: p }, (_, j) => j);
  order.forEach((k, o) => {
    stdErrors[o] = inv ? Math.sqrt(inv[k * m + k]!) : Number.NaN;
  });
  return {
    coef: coef.slice(0, p),
    intercept: fitIntercept ? coef[p]! : 0,
    nIter,
    converged,
    maxAbsGradient,
    logLik,
    stdErrors,
  };
}

/** P(event) = 1 / (1 + exp(-(intercept + x coef))) for rows of feature columns. */
export function predictLogisticProbability(
  fit: Pick<LogisticFit, "coef" | "intercept">,
  columns: readonly ArrayLike<number>[],
): Float64Array {
  if (columns.length !== fit.coef.length)
    throw new Error(
      `predictLogisticProbability: model has ${fit.coef.length} features, got ${columns.length} columns`,
    );
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = fit.intercept;
    for (let j = 0; j < columns.length; j++) s += columns[j]![i]! * fit.coef[j]!;
    out[i] = sigmoid(s);
  }
  return out;
}
