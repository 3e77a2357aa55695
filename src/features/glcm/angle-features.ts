/**
 * The per-angle GLCM features: the marginals px, py and the sum / difference distributions
 * p_{x+y}, p_{x-y} of one normalised matrix, and the features read straight off p(i, j)
 * (Autocorrelation, Contrast, JointEnergy, JointEntropy, MaximumProbability, JointAverage, the
 * Cluster features, SumSquares, Correlation), in two fused passes over the matrix; the other
 * families are delegated to their modules.
 */
import { NUMPY_EPS as EPS } from "../texture-common.js";
import type { AngleValues } from "./class-info.js";
import { differenceFeatures } from "./difference-features.js";
import { informationCorrelationFeatures } from "./information-features.js";
import { sumFeatures } from "./sum-features.js";

/** Scratch arrays for angleFeatures, sized for n present gray levels and Ng = maxLevel. */
export class AngleScratch {
  readonly px: Float64Array;
  readonly py: Float64Array;
  readonly pxAddy: Float64Array;
  readonly pxSuby: Float64Array;
  readonly s2: Float64Array;
  readonly s3: Float64Array;
  readonly s4: Float64Array;
  readonly dx: Float64Array;
  readonly dy: Float64Array;
  readonly dx2: Float64Array;
  readonly dy2: Float64Array;
  readonly logPxPy: Float64Array;
  /** Indices of the rows (px > 0) and columns (py > 0) that hold any probability. */
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  constructor(n: number, ng: number) {
    this.rows = new Int32Array(n);
    this.cols = new Int32Array(n);
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    this.pxAddy = new Float64Array(2 * ng + 1);
    this.pxSuby = new Float64Array(ng);
    this.s2 = new Float64Array(2 * ng + 1);
    this.s3 = new Float64Array(2 * ng + 1);
    this.s4 = new Float64Array(2 * ng + 1);
    this.dx = new Float64Array(n);
    this.dy = new Float64Array(n);
    this.dx2 = new Float64Array(n);
    this.dy2 = new Float64Array(n);
    this.logPxPy = new Float64Array(n * n);
  }
}

/**
 * Features of one normalised GLCM p (n x n over the present gray levels g), PyRadiomics glcm.py:
 * px(i) = sum_j p, py(j) = sum_i p, ux = sum i p, uy = sum j p, p_{x+y}(k) for k = 2..2Ng and
 * p_{x-y}(k) for k = 0..Ng-1 (Ng = highest gray level), HXY = -sum p log2(p + eps).
 *
 * Every sum runs over the cells in row-major order as the plain formula does; cells with p = 0 are
 * skipped where their term is +-0 (adding a signed zero to a sum that starts at +0 never changes it),
 * and the factors that depend on i + j, i or j alone (e.g. (i + j - ux - uy)^4) are evaluated once
 * per value with the same operations, so the results are the formula's to the last bit.
 *
 * The features of the derived distributions are computed by difference-features.ts (p_{x-y}),
 * sum-features.ts (p_{x+y}) and information-features.ts (Imc1, Imc2 from px, py, HXY1, HXY2).
 */
export function angleFeatures(
  p: Float64Array,
  grayLevels: Int32Array,
  ng: number,
  t: AngleScratch,
): AngleValues {
  const n = grayLevels.length;
  const { px, py, pxAddy, pxSuby, s2, s3, s4, dx, dy, dx2, dy2, logPxPy } = t;
  px.fill(0);
  py.fill(0);
  pxAddy.fill(0);
  pxSuby.fill(0);
  let ux = 0;
  let uy = 0;
  let autocorr = 0;
  let contrast = 0;
  let energy = 0;
  let hxy = 0;
  let maxProb = 0;
  for (let i = 0; i < n; i++) {
    const gi = grayLevels[i]!;
    const rowBase = i * n;
    for (let j = 0; j < n; j++) {
      const v = p[rowBase + j]!;
      if (v === 0) continue;
      const gj = grayLevels[j]!;
      px[i] = px[i]! + v;
      py[j] = py[j]! + v;
      ux += gi * v;
      uy += gj * v;
      autocorr += v * (gi * gj);
      const diff = Math.abs(gi - gj);
      contrast += v * (diff * diff);
      energy += v * v;
      hxy += v * Math.log2(v + EPS);
      if (v > maxProb) maxProb = v;
      pxAddy[gi + gj] = pxAddy[gi + gj]! + v;
      pxSuby[diff] = pxSuby[diff]! + v;
    }
  }
  hxy = -hxy;
  const r: AngleValues = {
    Autocorrelation: autocorr,
    Contrast: contrast,
    JointEnergy: energy,
    JointEntropy: hxy,
    MaximumProbability: maxProb,
    JointAverage: ux,
  };

  // (i + j - ux - uy)^k depends on i + j only; (i - ux), (j - uy) on i or j only.
  // Only sums i + j that occur (p_{x+y}(k) > 0) are read below.
  for (let k = 2; k <= 2 * ng; k++) {
    if (pxAddy[k] === 0) continue;
    const s = k - ux - uy;
    s2[k] = s * s;
    s3[k] = s ** 3;
    s4[k] = s ** 4;
  }
  for (let i = 0; i < n; i++) {
    const d = grayLevels[i]! - ux;
    dx[i] = d;
    dx2[i] = d * d;
    const e = grayLevels[i]! - uy;
    dy[i] = e;
    dy2[i] = e * e;
  }
  // Only rows with px > 0 and columns with py > 0 can contribute below: any other term is a
  // signed zero, and skipping it leaves every sum unchanged to the bit. This matters when the
  // levels include some absent from this matrix (voxel-based kernels keep the whole ROI's levels).
  const { rows, cols } = t;
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < n; i++) {
    if (px[i] !== 0) rows[nr++] = i;
    if (py[i] !== 0) cols[nc++] = i;
  }
  // log2(px(i) py(j) + eps); symmetric in (i, j) when px = py (a symmetrical GLCM).
  let symmetric = true;
  for (let i = 0; i < n; i++) {
    if (px[i] !== py[i]) {
      symmetric = false;
      break;
    }
  }
  for (let a = 0; a < nr; a++) {
    const i = rows[a]!;
    const pxi = px[i]!;
    for (let b = symmetric ? a : 0; b < nc; b++) {
      const j = cols[b]!;
      const l = Math.log2(pxi * py[j]! + EPS);
      logPxPy[i * n + j] = l;
      if (symmetric) logPxPy[j * n + i] = l;
    }
  }

  let cp = 0;
  let cs = 0;
  let ct = 0;
  let sigx2 = 0;
  let sigy2 = 0;
  let corm = 0;
  let hxy1 = 0;
  let hxy2 = 0;
  for (let a = 0; a < nr; a++) {
    const i = rows[a]!;
    const gi = grayLevels[i]!;
    const rowBase = i * n;
    const pxi = px[i]!;
    for (let b = 0; b < nc; b++) {
      const j = cols[b]!;
      const l = logPxPy[rowBase + j]!;
      hxy2 += pxi * py[j]! * l;
      const v = p[rowBase + j]!;
      if (v === 0) continue;
      const k = gi + grayLevels[j]!;
      cp += v * s4[k]!;
      cs += v * s3[k]!;
      ct += v * s2[k]!;
      sigx2 += v * dx2[i]!;
      sigy2 += v * dy2[j]!;
      corm += v * dx[i]! * dy[j]!;
      hxy1 += v * l;
    }
  }
  r.ClusterProminence = cp;
  r.ClusterShade = cs;
  r.ClusterTendency = ct;
  r.SumSquares = sigx2;
  const sigx = Math.sqrt(sigx2);
  const sigy = Math.sqrt(sigy2);
  r.Correlation = sigx * sigy === 0 ? 1 : corm / (sigx * sigy + EPS);

  informationCorrelationFeatures(px, py, n, hxy, hxy1, hxy2, r);
  differenceFeatures(pxSuby, ng, r);
  sumFeatures(pxAddy, ng, r);

  return r;
}
