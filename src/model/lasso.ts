/**
 * Linear LASSO as scikit-learn 1.2 fits it: `Lasso`, `lasso_path` and `LassoCV`.
 *
 * Objective (sklearn docs, linear_model/_coordinate_descent.py):
 *   (1 / (2 n)) ||y - X b - b0||^2 + alpha ||b||_1,
 * with the intercept handled by centring X and y (b0 = mean(y) - mean(X) b). The solver is the
 * cyclic coordinate descent of sklearn/linear_model/_cd_fast.pyx on n * objective (l1 = alpha n):
 * a sweep over all coordinates, then — when max |delta w| / max |w| < tol or w = 0 — the duality
 * gap is computed and the fit stops once gap < tol * ||y_centred||^2. With n > p ("auto"
 * precompute, as in the cross-validation paths) the Gram variant works on Q = X'X and q = X'y.
 * Alpha grid: alpha_max = max_j |x_j,centred . y_centred| / n,
 * alphas = 10^linspace(log10(eps alpha_max), log10(alpha_max), n_alphas) in decreasing order.
 * LassoCV: per fold, centre with the training-fold means, fit the warm-started path, mse of the
 * held-out rows; alpha_ = first minimiser of the fold-mean mse; final Lasso refit from zero on all
 * rows without a Gram matrix (LassoCV sets precompute=False for the refit).
 */

/**
 * sklearn's duality gap (cd_fast enet_coordinate_descent): the dual point is the residual scaled
 * by cst = alpha / ||X^T R||_inf when that norm exceeds alpha (else 1); the residual part of the
 * gap is 0.5 (||R||^2 + ||R||^2 cst^2), or ||R||^2 when cst = 1.
 */
function dualScale(dualNorm: number, alpha: number): number {
  return dualNorm > alpha ? alpha / dualNorm : 1.0;
}

function residualGapTerm(rNorm2: number, cst: number): number {
  return cst === 1.0 ? rNorm2 : 0.5 * (rNorm2 + rNorm2 * cst * cst);
}

export interface LassoOptions {
  /** Convergence tolerance (sklearn `tol`, default 1e-4). */
  tol?: number;
  /** Maximum sweeps per alpha (default 1000). */
  maxIter?: number;
  /** Fit an intercept by centring (default true). */
  fitIntercept?: boolean;
  /** Use the Gram matrix: "auto" = n > p (sklearn path default); Lasso.fit uses false. */
  precompute?: boolean | "auto";
}

export interface LassoFit {
  coef: Float64Array;
  intercept: number;
  /** Sweeps performed (sklearn n_iter_). */
  nIter: number;
  /** Duality gap at the end divided by n (sklearn dual_gap_). */
  dualGap: number;
  /** True when gap < tol * ||y||^2 was reached within maxIter. */
  converged: boolean;
}

interface Packed {
  x: Float64Array;
  n: number;
  p: number;
}

function pack(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  what: string,
): Packed & { y: Float64Array } {
  const p = columns.length;
  if (p === 0) throw new Error(`${what}: no feature columns`);
  const n = columns[0]!.length;
  if (y.length !== n) throw new Error(`${what}: y has ${y.length} values, features have ${n} rows`);
  const x = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    const c = columns[j]!;
    if (c.length !== n)
      throw new Error(`${what}: feature column ${j} has ${c.length} rows, expected ${n}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(c[i]!))
        throw new Error(`${what}: feature column ${j}, row ${i} is not finite (${c[i]})`);
      x[j * n + i] = c[i]!;
    }
  }
  const yy = Float64Array.from(y);
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(yy[i]!)) throw new Error(`${what}: y row ${i} is not finite (${yy[i]})`);
  return { x, n, p, y: yy };
}

/** Centre columns and y in place (sequential sums as numpy's axis-0 mean); returns the offsets. */
function centre(
  x: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
): { xOffset: Float64Array; yOffset: number } {
  const xOffset = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const off = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[off + i]!;
    const m = s / n;
    xOffset[j] = m;
    for (let i = 0; i < n; i++) x[off + i] = x[off + i]! - m;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += y[i]!;
  const yOffset = s / n;
  for (let i = 0; i < n; i++) y[i] = y[i]! - yOffset;
  return { xOffset, yOffset };
}

/** numpy.linspace(start, stop, num) with endpoint: arange * step + start, last = stop. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  if (num === 1) {
    out[0] = start;
    return out;
  }
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

/**
 * scikit-learn's automatic alpha grid (_alpha_grid, l1_ratio = 1): alpha_max = max|X_c' y_c| / n,
 * alphas = logspace(log10(alpha_max eps), log10(alpha_max), nAlphas), decreasing.
 */
export function lassoAlphaGrid(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: { eps?: number; nAlphas?: number; fitIntercept?: boolean } = {},
): { alphas: Float64Array; alphaMax: number } {
  const { x, n, p, y: yy } = pack(columns, y, "lassoAlphaGrid");
  return alphaGridPacked(
    x,
    n,
    p,
    yy,
    options.eps ?? 1e-3,
    options.nAlphas ?? 100,
    options.fitIntercept ?? true,
  );
}

function alphaGridPacked(
  x0: Float64Array,
  n: number,
  p: number,
  y0: Float64Array,
  eps: number,
  nAlphas: number,
  fitIntercept: boolean,
): { alphas: Float64Array; alphaMax: number } {
  const x = Float64Array.from(x0);
  const y = Float64Array.from(y0);
  if (fitIntercept) centre(x, n, p, y);
  let amax = 0;
  for (let j = 0; j < p; j++) {
    const off = j * n;
    let s = 0;
    for (let i = 0; i < n; i++) s += x[off + i]! * y[i]!;
    amax = Math.max(amax, Math.abs(s));
  }
  const alphaMax = amax / n;
  const resolution = 1e-15; // np.finfo(float).resolution
  if (alphaMax <= resolution)
    return { alphas: new Float64Array(nAlphas).fill(resolution), alphaMax };
  const ls = linspace(Math.log10(alphaMax * eps), Math.log10(alphaMax), nAlphas);
  const alphas = new Float64Array(nAlphas);
  for (let i = 0; i < nAlphas; i++) alphas[i] = 10 ** ls[nAlphas - 1 - i]!;
  return { alphas, alphaMax };
}

interface CdResult {
  gap: number;
  nIter: number;
  converged: boolean;
}

/** sklearn enet_coordinate_descent (beta = 0, cyclic) on centred column-major X; w updated in place. */
function cdPlain(
  w: Float64Array,
  alpha: number,
  x: Float64Array,
  n: number,
  p: number,
  y: Float64Array,
  maxIter: number,
  tol0: number,
  normCols: Float64Array,
  R: Float64Array,
): CdResult {
  // R = y - X w
  R.set(y);
  for (let j = 0; j < p; j++) {
    const wj = w[j]!;
    if (wj === 0) continue;
    const off = j * n;
    for (let i = 0; i < n; i++) R[i] = R[i]! - wj * x[off + i]!;
  }
  let yy = 0;
  for (let i = 0; i < n; i++) yy += y[i]! * y[i]!;
  const tol = tol0 * yy;
  let gap = tol + 1.0;
  let nIter = 0;
  let converged = false;
  for (nIter = 0; nIter < maxIter; nIter++) {
    let wMax = 0.0;
    let dwMax = 0.0;
    for (let ii = 0; ii < p; ii++) {
      if (normCols[ii] === 0.0) continue;
      const off = ii * n;
      const wii = w[ii]!;
      if (wii !== 0.0) for (let i = 0; i < n; i++) R[i] = R[i]! + wii * x[off + i]!;
      let tmp = 0;
      for (let i = 0; i < n; i++) tmp += x[off + i]! * R[i]!;
      const a = Math.abs(tmp) - alpha;
      const wn = a > 0 ? (Math.sign(tmp) * a) / normCols[ii]! : 0;
      w[ii] = wn;
      if (wn !== 0.0) for (let i = 0; i < n; i++) R[i] = R[i]! - wn * x[off + i]!;
      const dw = Math.abs(wn - wii);
      if (dw > dwMax) dwMax = dw;
      if (Math.abs(wn) > wMax) wMax = Math.abs(wn);
    }
    if (wMax === 0.0 || dwMax / wMax < tol0 || nIter === maxIter - 1) {
      let dualNorm = 0;
      for (let j = 0; j < p; j++) {
        const off = j * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += x[off + i]! * R[i]!;
        if (Math.abs(s) > dualNorm) dualNorm = Math.abs(s);
      }
      let rNorm2 = 0;
      let ry = 0;
      for (let i = 0; i < n; i++) {
        rNorm2 += R[i]! * R[i]!;
        ry += R[i]! * y[i]!;
      }
      let l1 = 0;
      for (let j = 0; j < p; j++) l1 += Math.abs(w[j]!);
      const cst = dualScale(dualNorm, alpha);
      gap = residualGapTerm(rNorm2, cst) + alpha * l1 - cst * ry;
      if (gap < tol) {
        converged = true;
        break;
      }
    }
  }
  return { gap, nIter: Math.min(nIter, maxIter - 1) + 1, converged };
}

/** sklearn enet_coordinate_descent_gram (beta = 0, cyclic): Q = X'X (p x p), q = X'y. */
function cdGram(
  w: Float64Array,
  alpha: number,
  Q: Float64Array,
  q: Float64Array,
  p: number,
  yNorm2: number,
  maxIter: number,
  tol0: number,
  H: Float64Array,
): CdResult {
  // H = Q w
  for (let i = 0; i < p; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += Q[i * p + j]! * w[j]!;
    H[i] = s;
  }
  const tol = tol0 * yNorm2;
  let gap = tol + 1.0;
  let nIter = 0;
  let converged = false;
  for (nIter = 0; nIter < maxIter; nIter++) {
    let wMax = 0.0;
    let dwMax = 0.0;
    for (let ii = 0; ii < p; ii++) {
      const qii = Q[ii * p + ii]!;
      if (qii === 0.0) continue;
      const row = ii * p;
      const wii = w[ii]!;
      if (wii !== 0.0) for (let k = 0; k < p; k++) H[k] = H[k]! + -wii * Q[row + k]!;
      const tmp = q[ii]! - H[ii]!;
      const a = Math.abs(tmp) - alpha;
      const wn = a > 0 ? (Math.sign(tmp) * a) / qii : 0;
      w[ii] = wn;
      if (wn !== 0.0) for (let k = 0; k < p; k++) H[k] = H[k]! + wn * Q[row + k]!;
      const dw = Math.abs(wn - wii);
      if (dw > dwMax) dwMax = dw;
      if (Math.abs(wn) > wMax) wMax = Math.abs(wn);
    }
    if (wMax === 0.0 || dwMax / wMax < tol0 || nIter === maxIter - 1) {
      let qw = 0;
      for (let k = 0; k < p; k++) qw += w[k]! * q[k]!;
      let dualNorm = 0;
      for (let k = 0; k < p; k++) {
        const v = Math.abs(q[k]! - H[k]!);
        if (v > dualNorm) dualNorm = v;
      }
      let wh = 0;
      for (let k = 0; k < p; k++) wh += w[k]! * H[k]!;
      const rNorm2 = yNorm2 + wh - 2.0 * qw;
      let l1 = 0;
      for (let k = 0; k < p; k++) l1 += Math.abs(w[k]!);
      const cst = dualScale(dualNorm, alpha);
      gap = residualGapTerm(rNorm2, cst) + alpha * l1 - cst * yNorm2 + cst * qw;
      if (gap < tol) {
        converged = true;
        break;
      }
    }
  }
  return { gap, nIter: Math.min(nIter, maxIter - 1) + 1, converged };
}

interface PathResult {
  coefs: Float64Array[]; // per alpha
  xOffset: Float64Array;
  yOffset: number;
  gaps: Float64Array;
  nIters: Int32Array;
  converged: boolean[];
}

/** Warm-started path over `alphas` (in the given order) on a copy of the data. */
function pathPacked(
  x0: Float64Array,
  n: number,
  p: number,
  y0: Float64Array,
  alphas: ArrayLike<number>,
  opts: Required<LassoOptions>,
): PathResult {
  const x = Float64Array.from(x0);
  const y = Float64Array.from(y0);
  let xOffset: Float64Array = new Float64Array(p);
  let yOffset = 0;
  if (opts.fitIntercept) ({ xOffset, yOffset } = centre(x, n, p, y));
  const useGram = opts.precompute === "auto" ? n > p : opts.precompute;
  const w = new Float64Array(p);
  const coefs: Float64Array[] = [];
  const gaps = new Float64Array(alphas.length);
  const nIters = new Int32Array(alphas.length);
  const converged: boolean[] = [];
  if (useGram) {
    const Q = new Float64Array(p * p);
    const q = new Float64Array(p);
    for (let a = 0; a < p; a++) {
      const oa = a * n;
      for (let b = a; b < p; b++) {
        const ob = b * n;
        let s = 0;
        for (let i = 0; i < n; i++) s += x[oa + i]! * x[ob + i]!;
        Q[a * p + b] = s;
        Q[b * p + a] = s;
      }
      let s = 0;
      for (let i = 0; i < n; i++) s += x[oa + i]! * y[i]!;
      q[a] = s;
    }
    let yNorm2 = 0;
    for (let i = 0; i < n; i++) yNorm2 += y[i]! * y[i]!;
    const H = new Float64Array(p);
    for (let k = 0; k < alphas.length; k++) {
      const r = cdGram(w, alphas[k]! * n, Q, q, p, yNorm2, opts.maxIter, opts.tol, H);
      coefs.push(Float64Array.from(w));
      gaps[k] = r.gap / n;
      nIters[k] = r.nIter;
      converged.push(r.converged);
    }
  } else {
    const normCols = new Float64Array(p);
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[j * n + i]! * x[j * n + i]!;
      normCols[j] = s;
    }
    const R = new Float64Array(n);
    for (let k = 0; k < alphas.length; k++) {
      const r = cdPlain(w, alphas[k]! * n, x, n, p, y, opts.maxIter, opts.tol, normCols, R);
      coefs.push(Float64Array.from(w));
      gaps[k] = r.gap / n;
      nIters[k] = r.nIter;
      converged.push(r.converged);
    }
  }
  return { coefs, xOffset, yOffset, gaps, nIters, converged };
}

function resolveOptions(
  o: LassoOptions,
  defaultPrecompute: boolean | "auto",
): Required<LassoOptions> {
  const tol = o.tol ?? 1e-4;
  const maxIter = o.maxIter ?? 1000;
  if (!(tol >= 0)) throw new Error(`lasso: tol must be >= 0, got ${tol}`);
  if (!(maxIter >= 1)) throw new Error(`lasso: maxIter must be >= 1, got ${maxIter}`);
  return {
    tol,
    maxIter,
    fitIntercept: o.fitIntercept ?? true,
    precompute: o.precompute ?? defaultPrecompute,
  };
}

/** sklearn Lasso(alpha).fit(X, y): coordinate descent from zero, no Gram matrix by default. */
export function lassoFit(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  alpha: number,
  options: LassoOptions = {},
): LassoFit {
  if (!(alpha >= 0)) throw new Error(`lassoFit: alpha must be >= 0, got ${alpha}`);
  const { x, n, p, y: yy } = pack(columns, y, "lassoFit");
  const r = pathPacked(x, n, p, yy, [alpha], resolveOptions(options, false));
  return finishFit(r, 0);
}

function finishFit(r: PathResult, k: number): LassoFit {
  const coef = r.coefs[k]!;
  let dot = 0;
  for (let j = 0; j < coef.length; j++) dot += r.xOffset[j]! * coef[j]!;
  return {
    coef,
    intercept: r.yOffset - dot,
    nIter: r.nIters[k]!,
    dualGap: r.gaps[k]!,
    converged: r.converged[k]!,
  };
}

/** sklearn lasso_path: warm-started fits over decreasing alphas (precompute "auto" by default). */
export function lassoPath(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  alphas: ArrayLike<number>,
  options: LassoOptions = {},
): LassoFit[] {
  const { x, n, p, y: yy } = pack(columns, y, "lassoPath");
  const sorted = Float64Array.from(alphas).sort().reverse();
  const r = pathPacked(x, n, p, yy, sorted, resolveOptions(options, "auto"));
  return Array.from(sorted, (_, k) => finishFit(r, k));
}

export interface LassoCvOptions extends LassoOptions {
  /** Fold (1..K) of each row; default KFold(nSplits) without shuffle. */
  foldid?: ArrayLike<number>;
  /** Number of folds when foldid is absent (default 5, sklearn's cv=None). */
  nSplits?: number;
  eps?: number;
  nAlphas?: number;
  /** Explicit alpha grid (sorted decreasing); default the automatic grid. */
  alphas?: ArrayLike<number>;
}

export interface LassoCvResult {
  alphas: Float64Array;
  alphaMax: number;
  /** mse_path_: mse[a][f] for alpha a and fold f. */
  msePath: Float64Array[];
  mseMean: Float64Array;
  /** Population sd (ddof 0) of the fold mse per alpha. */
  mseStd: Float64Array;
  alpha: number;
  indexAlpha: number;
  final: LassoFit;
  /** Fold path fits that stopped at maxIter without reaching the gap tolerance. */
  unconverged: number;
}

/** KFold(nSplits) without shuffle: the first n % k folds get one extra row. Returns 1-based folds. */
export function kFoldIds(n: number, nSplits: number): Int32Array {
  if (!(nSplits >= 2 && nSplits <= n))
    throw new Error(`kFoldIds: need 2 <= nSplits <= n (${n}), got ${nSplits}`);
  const out = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < nSplits; f++) {
    const size = Math.floor(n / nSplits) + (f < n % nSplits ? 1 : 0);
    for (let i = start; i < start + size; i++) out[i] = f + 1;
    start += size;
  }
  return out;
}

/** sklearn LassoCV(cv=KFold, eps, n_alphas, tol, max_iter).fit(X, y). */
export function lassoCV(
  columns: readonly ArrayLike<number>[],
  y: ArrayLike<number>,
  options: LassoCvOptions = {},
): LassoCvResult {
  const { x, n, p, y: yy } = pack(columns, y, "lassoCV");
  const foldid = options.foldid
    ? Int32Array.from(options.foldid)
    : kFoldIds(n, options.nSplits ?? 5);
  if (foldid.length !== n)
    throw new Error(`lassoCV: foldid has ${foldid.length} entries, data have ${n} rows`);
  let nFolds = 0;
  for (let i = 0; i < n; i++) {
    if (!(foldid[i]! >= 1))
      throw new Error(`lassoCV: foldid row ${i} is ${foldid[i]}, expected >= 1`);
    nFolds = Math.max(nFolds, foldid[i]!);
  }
  const pathOpts = resolveOptions(options, "auto");
  const fitIntercept = pathOpts.fitIntercept;
  let alphas: Float64Array;
  let alphaMax: number;
  if (options.alphas) {
    alphas = Float64Array.from(options.alphas).sort().reverse();
    alphaMax = alphas[0]!;
  } else {
    ({ alphas, alphaMax } = alphaGridPacked(
      x,
      n,
      p,
      yy,
      options.eps ?? 1e-3,
      options.nAlphas ?? 100,
      fitIntercept,
    ));
  }
  const nA = alphas.length;
  const msePath = Array.from({ length: nA }, () => new Float64Array(nFolds));
  let unconverged = 0;
  for (let f = 1; f <= nFolds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < n; i++) (foldid[i] === f ? test : train).push(i);
    if (test.length === 0 || train.length === 0)
      throw new Error(`lassoCV: fold ${f} is empty or covers every row`);
    const xt = rowsOf(x, n, p, train);
    const yt = Float64Array.from(train, (i) => yy[i]!);
    const r = pathPacked(xt, train.length, p, yt, alphas, pathOpts);
    unconverged += r.converged.filter((c) => !c).length;
    for (let a = 0; a < nA; a++) {
      const coef = r.coefs[a]!;
      let dot = 0;
      for (let j = 0; j < p; j++) dot += r.xOffset[j]! * coef[j]!;
      const intercept = r.yOffset - dot;
      let ss = 0;
      for (const i of test) {
        let pred = 0;
        for (let j = 0; j < p; j++) pred += x[j * n + i]! * coef[j]!;
        const res = pred - yy[i]! + intercept;
        ss += res * res;
      }
      msePath[a]![f - 1] = ss / test.length;
    }
  }
  const mseMean = new Float64Array(nA);
  const mseStd = new Float64Array(nA);
  let best = 0;
  for (let a = 0; a < nA; a++) {
    let s = 0;
    for (let f = 0; f < nFolds; f++) s += msePath[a]![f]!;
    const m = s / nFolds;
    let ss = 0;
    for (let f = 0; f < nFolds; f++) ss += (msePath[a]![f]! - m) ** 2;
    mseMean[a] = m;
    mseStd[a] = Math.sqrt(ss / nFolds);
    if (m < mseMean[best]!) best = a;
  }
  const finalOpts = { ...pathOpts, precompute: options.precompute === true };
  const rf = pathPacked(x, n, p, yy, [alphas[best]!], finalOpts);
  return {
    alphas,
    alphaMax,
    msePath,
    mseMean,
    mseStd,
    alpha: alphas[best]!,
    indexAlpha: best,
    final: finishFit(rf, 0),
    unconverged,
  };
}

function rowsOf(x: Float64Array, n: number, p: number, rows: number[]): Float64Array {
  const m = rows.length;
  const out = new Float64Array(m * p);
  for (let j = 0; j < p; j++) for (let t = 0; t < m; t++) out[j * m + t] = x[j * n + rows[t]!]!;
  return out;
}

/** Predictions intercept + X coef for feature columns. */
export function lassoPredict(fit: LassoFit, columns: readonly ArrayLike<number>[]): Float64Array {
  if (columns.length !== fit.coef.length)
    throw new Error(
      `lassoPredict: model has ${fit.coef.length} features, got ${columns.length} columns`,
    );
  const n = columns[0]?.length ?? 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < columns.length; j++) s += columns[j]![i]! * fit.coef[j]!;
    out[i] = s + fit.intercept;
  }
  return out;
}
