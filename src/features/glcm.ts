/**
 * Gray Level Co-occurrence Matrix (GLCM) features as PyRadiomics computes them (radiomics/glcm.py
 * and calculate_glcm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * For each angle a (PyRadiomics' mono-directional angle set over the cropped array), P_a(i, j)
 * counts ROI voxels of gray level i whose neighbour at offset a is an ROI voxel of level j. Rows and
 * columns of gray levels absent from the ROI are dropped, the matrix is optionally made symmetrical
 * (P + P^T) and optionally collapsed over angles with distance weights (weightingNorm), empty angles
 * are dropped, each matrix is normalised to sum 1, every feature is computed per angle and the
 * angles are averaged ignoring NaN (numpy.nanmean).
 */
import {
  borderedGrid,
  checkWeightingNorm,
  gridOffsets,
  inspectTextureRoi,
  NUMPY_EPS as EPS,
  nanMean,
  neighbourOffsets,
  resolveFeatureNames,
  type TextureRoi,
} from "./texture-common.js";
import { pairwiseSum } from "./numpy-compat.js";
import type { DiscretisedRoi, FeatureClassInfo, FeatureValues, TextureSettings } from "./types.js";

export const GLCM_CLASS: FeatureClassInfo = {
  name: "glcm",
  // PyRadiomics order: get<Name>FeatureValue methods sorted by name (inspect.getmembers).
  features: [
    "Autocorrelation",
    "ClusterProminence",
    "ClusterShade",
    "ClusterTendency",
    "Contrast",
    "Correlation",
    "DifferenceAverage",
    "DifferenceEntropy",
    "DifferenceVariance",
    "Dissimilarity",
    "Homogeneity1",
    "Homogeneity2",
    "Id",
    "Idm",
    "Idmn",
    "Idn",
    "Imc1",
    "Imc2",
    "InverseVariance",
    "JointAverage",
    "JointEnergy",
    "JointEntropy",
    "MCC",
    "MaximumProbability",
    "SumAverage",
    "SumEntropy",
    "SumSquares",
    "SumVariance",
  ],
  // These raise DeprecationWarning in PyRadiomics and never produce a value (they equal
  // DifferenceAverage, Id, Idm and ClusterTendency respectively).
  deprecated: ["Dissimilarity", "Homogeneity1", "Homogeneity2", "SumVariance"],
};

/**
 * GLCM angle weights (PyRadiomics glcm._calculateMatrix), with d = |a| * spacing (numpy order):
 * infinity exp(-max(d)^2), euclidean exp(-sum(d^2)), manhattan exp(-(sum d)^2), no_weighting 1.
 */
function glcmAngleWeight(
  angle: readonly number[],
  spacing: readonly number[],
  norm: string,
): number {
  let max = 0;
  let sum = 0;
  let sumSq = 0;
  for (let d = 0; d < angle.length; d++) {
    const v = Math.abs(angle[d]!) * spacing[d]!;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
  }
  switch (norm) {
    case "infinity":
      return Math.exp(-(max * max));
    case "euclidean":
      return Math.exp(-sumSq);
    case "manhattan":
      return Math.exp(-(sum * sum));
    default:
      return 1;
  }
}

/**
 * The processed GLCMs of PyRadiomics glcm._calculateMatrix: raw co-occurrence counts (calculate_glcm:
 * ROI voxels of level grayLevels[I] whose neighbour at angle a is an ROI voxel of level
 * grayLevels[J], absent gray levels dropped), symmetrised, weighted, empty angles removed (when more
 * than one), each normalised by its sum (an all-zero matrix becomes NaN). Returns the matrices
 * (n x n per angle, levels = grayLevels) and the number of angles kept.
 */
export function glcmMatrices(
  roi: DiscretisedRoi,
  settings: TextureSettings,
): { matrices: Float64Array; angleCount: number; geometry: TextureRoi } {
  checkWeightingNorm(settings.weightingNorm);
  const geometry = inspectTextureRoi(roi, "glcm");
  const nb = neighbourOffsets(geometry, settings.distances, settings, false, "glcm");
  const grid = borderedGrid(roi, nb.reach, "glcm");
  const offsets = gridOffsets(nb, grid);
  const n = geometry.grayLevels.length;
  const nn = n * n;
  let na = nb.count;
  let counts = new Float64Array(na * nn);
  const { data, roiVoxels } = grid;
  const levelIndex = geometry.levelIndex;
  for (let r = 0; r < roiVoxels.length; r++) {
    const v = roiVoxels[r]!;
    const row = levelIndex[data[v]!]! * n;
    for (let a = 0, base = row; a < na; a++, base += nn) {
      const h = data[v + offsets[a]!]!;
      if (h > 0) counts[base + levelIndex[h]!]++;
    }
  }

  if (settings.symmetricalGLCM) {
    const sym = new Float64Array(counts.length);
    for (let a = 0; a < na; a++) {
      const base = a * nn;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++)
          sym[base + i * n + j] = counts[base + i * n + j]! + counts[base + j * n + i]!;
      }
    }
    counts = sym;
  }

  if (settings.weightingNorm !== null) {
    const weighted = new Float64Array(nn);
    for (let a = 0; a < na; a++) {
      const w = glcmAngleWeight(nb.angles[a]!, geometry.spacing, settings.weightingNorm);
      const base = a * nn;
      for (let c = 0; c < nn; c++) weighted[c] = weighted[c]! + counts[base + c]! * w;
    }
    counts = weighted;
    na = 1;
  }

  const sums = new Float64Array(na);
  for (let a = 0; a < na; a++) {
    let s = 0;
    const base = a * nn;
    for (let c = 0; c < nn; c++) s += counts[base + c]!;
    sums[a] = s;
  }
  let kept = na;
  if (na > 1) {
    kept = 0;
    for (let a = 0; a < na; a++) if (sums[a] !== 0) kept++;
  }
  const matrices = new Float64Array(kept * nn);
  let out = 0;
  for (let a = 0; a < na; a++) {
    if (na > 1 && sums[a] === 0) continue;
    const s = sums[a] === 0 ? Number.NaN : sums[a]!;
    const base = a * nn;
    const dst = out * nn;
    for (let c = 0; c < nn; c++) matrices[dst + c] = counts[base + c]! / s;
    out++;
  }
  return { matrices, angleCount: kept, geometry };
}

/** Per-angle GLCM feature values (before averaging), PyRadiomics' formulas. */
type AngleValues = Record<string, number>;

/** Scratch arrays for angleFeatures, sized for n present gray levels and Ng = maxLevel. */
class AngleScratch {
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
  constructor(n: number, ng: number) {
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
 */
function angleFeatures(
  p: Float64Array,
  grayLevels: Int32Array,
  ng: number,
  withMcc: boolean,
  t: AngleScratch,
): { values: AngleValues; eigen?: QEigen } {
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
  for (let k = 2; k <= 2 * ng; k++) {
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
  // log2(px(i) py(j) + eps); symmetric in (i, j) when px = py (a symmetrical GLCM).
  let symmetric = true;
  for (let i = 0; i < n; i++) {
    if (px[i] !== py[i]) {
      symmetric = false;
      break;
    }
  }
  for (let i = 0; i < n; i++) {
    const pxi = px[i]!;
    for (let j = symmetric ? i : 0; j < n; j++) {
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
  for (let i = 0; i < n; i++) {
    const gi = grayLevels[i]!;
    const rowBase = i * n;
    const pxi = px[i]!;
    for (let j = 0; j < n; j++) {
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

  let hx = 0;
  let hy = 0;
  for (let i = 0; i < n; i++) {
    hx += px[i]! * Math.log2(px[i]! + EPS);
    hy += py[i]! * Math.log2(py[i]! + EPS);
  }
  hx = -hx;
  hy = -hy;
  hxy1 = -hxy1;
  hxy2 = -hxy2;
  // numpy.fmax ignores a NaN operand.
  const div = Number.isNaN(hx) ? hy : Number.isNaN(hy) ? hx : Math.max(hx, hy);
  r.Imc1 = div === 0 ? 0 : (hxy - hxy1) / div;
  r.Imc2 = hxy2 === hxy ? 0 : Math.sqrt(1 - Math.E ** (-2 * (hxy2 - hxy)));

  let diffAvg = 0;
  let diffEnt = 0;
  let idm = 0;
  let idmn = 0;
  let id = 0;
  let idn = 0;
  let invVar = 0;
  const ng2 = ng * ng;
  for (let k = 0; k < ng; k++) {
    const v = pxSuby[k]!;
    diffAvg += k * v;
    diffEnt += v * Math.log2(v + EPS);
    idm += v / (1 + k * k);
    idmn += v / (1 + (k * k) / ng2);
    id += v / (1 + k);
    idn += v / (1 + k / ng);
    if (k >= 1) invVar += v / (k * k);
  }
  let diffVar = 0;
  for (let k = 0; k < ng; k++) {
    const d = k - diffAvg;
    diffVar += pxSuby[k]! * (d * d);
  }
  r.DifferenceAverage = diffAvg;
  r.DifferenceEntropy = -diffEnt;
  r.DifferenceVariance = diffVar;
  r.Idm = idm;
  r.Idmn = idmn;
  r.Id = id;
  r.Idn = idn;
  r.InverseVariance = invVar;

  let sumAvg = 0;
  let sumEnt = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    const v = pxAddy[k]!;
    sumAvg += k * v;
    sumEnt += v * Math.log2(v + EPS);
  }
  r.SumAverage = sumAvg;
  r.SumEntropy = -sumEnt;

  return { values: r, eigen: withMcc ? eigenvaluesOfQ(p, px, py, n) : undefined };
}

/** Eigenvalues (real and imaginary parts) of one angle's MCC matrix Q. */
interface QEigen {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Eigenvalues of Q(i, j) = sum_k p(i, k) p(j, k) / (px(i) py(k) + eps) (PyRadiomics getMCC, k
 * accumulated in order, terms with p(i, k) p(j, k) = 0 skipped as they add +0), as
 * numpy.linalg.eigvals (LAPACK geev) computes them: Hessenberg reduction, then the shifted QR
 * algorithm (see realEigenvalues).
 */
function eigenvaluesOfQ(p: Float64Array, px: Float64Array, py: Float64Array, n: number): QEigen {
  const q = new Float64Array(n * n);
  const den = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) den[i * n + k] = px[i]! * py[k]! + EPS;
  const nonZero = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const rowI = i * n;
    let m = 0;
    for (let k = 0; k < n; k++) if (p[rowI + k] !== 0) nonZero[m++] = k;
    for (let j = 0; j < n; j++) {
      const rowJ = j * n;
      let s = 0;
      for (let t = 0; t < m; t++) {
        const k = nonZero[t]!;
        const pjk = p[rowJ + k]!;
        if (pjk !== 0) s += (p[rowI + k]! * pjk) / den[rowI + k]!;
      }
      q[rowI + j] = s;
    }
  }
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  realEigenvalues(q, n, re, im);
  return { re, im };
}

/**
 * Eigenvalues (re[k] + i im[k]) of a real n x n matrix `a` (row-major; overwritten): Householder
 * reduction to upper Hessenberg form, then Francis' double-shift QR iteration with deflation on
 * the active block and Wilkinson's exceptional shifts (the EISPACK orthes + hqr algorithms, as in
 * Wilkinson & Reinsch, Handbook for Automatic Computation II, and JAMA).
 */
export function realEigenvalues(
  a: Float64Array,
  n: number,
  re: Float64Array,
  im: Float64Array,
): void {
  reduceToHessenberg(a, n);

  // Shifted QR on the Hessenberg matrix.
  let norm = 0;
  for (let i = 0; i < n; i++)
    for (let j = Math.max(i - 1, 0); j < n; j++) norm += Math.abs(a[i * n + j]!);
  let hi = n - 1;
  let exshift = 0;
  let iter = 0;
  let totalIter = 0;
  let p = 0;
  let q = 0;
  let r = 0;
  let s = 0;
  let z = 0;
  let w = 0;
  let x = 0;
  let y = 0;
  while (hi >= 0) {
    let l = hi;
    while (l > 0) {
      // EISPACK's test: the sub-diagonal element is negligible next to its diagonal neighbours
      s = Math.abs(a[(l - 1) * n + (l - 1)]!) + Math.abs(a[l * n + l]!);
      if (s === 0) s = norm;
      if (s + Math.abs(a[l * n + (l - 1)]!) === s) break;
      l--;
    }
    if (l === hi) {
      // one root
      re[hi] = a[hi * n + hi]! + exshift;
      im[hi] = 0;
      hi--;
      iter = 0;
      continue;
    }
    if (l === hi - 1) {
      // two roots from the trailing 2x2 block
      w = a[hi * n + (hi - 1)]! * a[(hi - 1) * n + hi]!;
      p = (a[(hi - 1) * n + (hi - 1)]! - a[hi * n + hi]!) / 2;
      q = p * p + w;
      z = Math.sqrt(Math.abs(q));
      x = a[hi * n + hi]! + exshift;
      if (q >= 0) {
        z = p >= 0 ? p + z : p - z;
        re[hi - 1] = x + z;
        re[hi] = z !== 0 ? x - w / z : x + z;
        im[hi - 1] = 0;
        im[hi] = 0;
      } else {
        re[hi - 1] = x + p;
        re[hi] = x + p;
        im[hi - 1] = z;
        im[hi] = -z;
      }
      hi -= 2;
      iter = 0;
      continue;
    }
    if (++totalIter > 60 * n) throw new Error("glcm MCC: eigenvalue iteration did not converge");
    x = a[hi * n + hi]!;
    y = a[(hi - 1) * n + (hi - 1)]!;
    w = a[hi * n + (hi - 1)]! * a[(hi - 1) * n + hi]!;
    if (iter === 10) {
      // Wilkinson's exceptional shift
      exshift += x;
      for (let i = 0; i <= hi; i++) a[i * n + i] = a[i * n + i]! - x;
      s = Math.abs(a[hi * n + (hi - 1)]!) + Math.abs(a[(hi - 1) * n + (hi - 2)]!);
      x = 0.75 * s;
      y = x;
      w = -0.4375 * s * s;
    }
    if (iter === 30) {
      s = (y - x) / 2;
      s = s * s + w;
      if (s > 0) {
        s = Math.sqrt(s);
        if (y < x) s = -s;
        s = x - w / ((y - x) / 2 + s);
        for (let i = 0; i <= hi; i++) a[i * n + i] = a[i * n + i]! - s;
        exshift += s;
        x = 0.964;
        y = x;
        w = x;
      }
    }
    iter++;
    // two consecutive small sub-diagonal elements
    let m = hi - 2;
    while (m >= l) {
      z = a[m * n + m]!;
      r = x - z;
      s = y - z;
      p = (r * s - w) / a[(m + 1) * n + m]! + a[m * n + (m + 1)]!;
      q = a[(m + 1) * n + (m + 1)]! - z - r - s;
      r = a[(m + 2) * n + (m + 1)]!;
      s = Math.abs(p) + Math.abs(q) + Math.abs(r);
      p /= s;
      q /= s;
      r /= s;
      if (m === l) break;
      const tst1 =
        Math.abs(p) *
        (Math.abs(a[(m - 1) * n + (m - 1)]!) + Math.abs(z) + Math.abs(a[(m + 1) * n + (m + 1)]!));
      if (tst1 + Math.abs(a[m * n + (m - 1)]!) * (Math.abs(q) + Math.abs(r)) === tst1) break;
      m--;
    }
    for (let i = m + 2; i <= hi; i++) {
      a[i * n + i - 2] = 0;
      if (i > m + 2) a[i * n + i - 3] = 0;
    }
    // double QR step on rows l..hi, columns m..hi
    for (let k = m; k <= hi - 1; k++) {
      const notLast = k !== hi - 1;
      if (k !== m) {
        p = a[k * n + (k - 1)]!;
        q = a[(k + 1) * n + (k - 1)]!;
        r = notLast ? a[(k + 2) * n + (k - 1)]! : 0;
        x = Math.abs(p) + Math.abs(q) + Math.abs(r);
        if (x === 0) continue;
        p /= x;
        q /= x;
        r /= x;
      }
      s = Math.sqrt(p * p + q * q + r * r);
      if (p < 0) s = -s;
      if (s === 0) continue;
      if (k !== m) a[k * n + k - 1] = -s * x;
      else if (l !== m) a[k * n + k - 1] = -a[k * n + (k - 1)]!;
      p += s;
      x = p / s;
      y = q / s;
      z = r / s;
      q /= p;
      r /= p;
      for (let j = k; j <= hi; j++) {
        p = a[k * n + j]! + q * a[(k + 1) * n + j]!;
        if (notLast) {
          p += r * a[(k + 2) * n + j]!;
          a[(k + 2) * n + j] = a[(k + 2) * n + j]! - p * z;
        }
        a[k * n + j] = a[k * n + j]! - p * x;
        a[(k + 1) * n + j] = a[(k + 1) * n + j]! - p * y;
      }
      const iMax = Math.min(hi, k + 3);
      for (let i = l; i <= iMax; i++) {
        p = x * a[i * n + k]! + y * a[i * n + (k + 1)]!;
        if (notLast) {
          p += z * a[i * n + (k + 2)]!;
          a[i * n + k + 2] = a[i * n + (k + 2)]! - p * r;
        }
        a[i * n + k] = a[i * n + k]! - p;
        a[i * n + k + 1] = a[i * n + (k + 1)]! - p * q;
      }
    }
  }
}

/** Householder reduction of a (row-major n x n, in place) to upper Hessenberg form (EISPACK orthes). */
function reduceToHessenberg(a: Float64Array, n: number): void {
  const ort = new Float64Array(n);
  const f = new Float64Array(n);
  for (let m = 1; m <= n - 2; m++) {
    let scale = 0;
    for (let i = m; i < n; i++) scale += Math.abs(a[i * n + (m - 1)]!);
    if (scale === 0) continue;
    let h = 0;
    for (let i = n - 1; i >= m; i--) {
      ort[i] = a[i * n + (m - 1)]! / scale;
      h += ort[i]! * ort[i]!;
    }
    let g = Math.sqrt(h);
    if (ort[m]! > 0) g = -g;
    h -= ort[m]! * g;
    ort[m] = ort[m]! - g;
    // f_j = sum_i ort(i) a(i, j) over i descending, for all columns at once (row-wise access;
    // each f_j accumulates in the same order as a column-by-column loop), then a -= ort f^T / h.
    f.fill(0, m, n);
    for (let i = n - 1; i >= m; i--) {
      const oi = ort[i]!;
      const row = i * n;
      for (let j = m; j < n; j++) f[j] = f[j]! + oi * a[row + j]!;
    }
    for (let j = m; j < n; j++) f[j] = f[j]! / h;
    for (let i = m; i < n; i++) {
      const oi = ort[i]!;
      const row = i * n;
      for (let j = m; j < n; j++) a[row + j] = a[row + j]! - f[j]! * oi;
    }
    for (let i = 0; i < n; i++) {
      let fi = 0;
      for (let j = n - 1; j >= m; j--) fi += ort[j]! * a[i * n + j]!;
      fi /= h;
      for (let j = m; j < n; j++) a[i * n + j] = a[i * n + j]! - fi * ort[j]!;
    }
    a[m * n + m - 1] = scale * g;
  }
  for (let i = 2; i < n; i++) for (let j = 0; j < i - 1; j++) a[i * n + j] = 0;
}

/**
 * MCC across angles as numpy does it: eigvals of every Q; the batch stays complex when any
 * eigenvalue of any angle has a non-zero imaginary part. Eigenvalues are sorted (complex: by real,
 * then imaginary part), the second highest is square-rooted, and the real part of the nanmean over
 * angles is returned. Fewer than 2 gray levels give 1 (flat region).
 */
function combineMcc(eigens: QEigen[], n: number): number {
  if (eigens.some((e) => e.re.some(Number.isNaN) || e.im.some(Number.isNaN))) return Number.NaN;
  if (n < 2) return 1;
  const complex = eigens.some((e) => e.im.some((v) => v !== 0));
  const values = new Float64Array(eigens.length);
  eigens.forEach((e, a) => {
    const order = Array.from(e.re, (_, k) => k);
    order.sort((x, y) => e.re[x]! - e.re[y]! || (complex ? e.im[x]! - e.im[y]! : 0));
    const k = order[order.length - 2]!;
    const re = e.re[k]!;
    const im = complex ? e.im[k]! : 0;
    // Real case: NaN for a negative eigenvalue, skipped by nanmean. Complex case: real part of
    // the principal square root.
    values[a] = complex ? Math.sqrt((Math.hypot(re, im) + re) / 2) : Math.sqrt(re);
  });
  return nanMean(values);
}

/**
 * GLCM features of a discretised ROI (PyRadiomics RadiomicsGLCM): each feature per angle, then
 * numpy.nanmean over angles (JointAverage: plain mean of ux). Names are PyRadiomics feature names
 * without prefix; deprecated names give no value, unknown names throw.
 */
export function computeGlcmFeatures(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
): FeatureValues {
  const selected = resolveFeatureNames(GLCM_CLASS, names);
  const result: FeatureValues = {};
  if (selected.length === 0) return result;
  const { matrices, angleCount, geometry } = glcmMatrices(roi, settings);
  const n = geometry.grayLevels.length;
  const nn = n * n;
  const withMcc = selected.includes("MCC");
  const perAngle: AngleValues[] = [];
  const eigens: QEigen[] = [];
  const scratch = new AngleScratch(n, geometry.maxLevel);
  for (let a = 0; a < angleCount; a++) {
    const p = matrices.subarray(a * nn, (a + 1) * nn);
    if (Number.isNaN(p[0]!)) {
      // The only angle has an empty matrix (normalised by NaN): every value is NaN, and
      // numpy.linalg.eigvals rejects the NaN matrix, so MCC is NaN as well.
      const values: AngleValues = {};
      for (const name of GLCM_CLASS.features) values[name] = Number.NaN;
      perAngle.push(values);
      eigens.push({ re: Float64Array.of(Number.NaN), im: Float64Array.of(0) });
      continue;
    }
    const { values, eigen } = angleFeatures(
      p,
      geometry.grayLevels,
      geometry.maxLevel,
      withMcc,
      scratch,
    );
    perAngle.push(values);
    if (eigen) eigens.push(eigen);
  }
  const column = new Float64Array(perAngle.length);
  for (const name of selected) {
    if (name === "MCC") {
      result[name] = combineMcc(eigens, n);
    } else if (name === "JointAverage") {
      // ux.mean(): numpy's mean, NaN when any angle is NaN or there is none.
      for (let a = 0; a < perAngle.length; a++) column[a] = perAngle[a]!.JointAverage!;
      result[name] = perAngle.length === 0 ? Number.NaN : pairwiseSum(column) / perAngle.length;
    } else {
      for (let a = 0; a < perAngle.length; a++) column[a] = perAngle[a]![name]!;
      result[name] = nanMean(column);
    }
  }
  return result;
}
