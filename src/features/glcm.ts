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
import { generateAngles } from "./angles.js";
import type {
  DiscretisedRoi,
  FeatureClassInfo,
  FeatureValues,
  TextureSettings,
  WeightingNorm,
} from "./types.js";

/** numpy.spacing(1), PyRadiomics' eps. */
const EPS = 2.220446049250313e-16;

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

/** The ROI as PyRadiomics' numpy array sees it: (z, y, x) for 3D, (y, x) for a true 2D image. */
export interface TextureGeometry {
  /** Array shape in numpy axis order. */
  shape: number[];
  /** Linear-index stride of each numpy axis in the x-fastest voxel layout. */
  strides: number[];
  /** Voxel spacing in numpy axis order (SimpleITK GetSpacing()[::-1]). */
  spacing: number[];
  /** Number of ROI voxels. */
  roiVoxels: number;
  /** Highest gray level in the ROI (PyRadiomics' coefficient Ng). */
  maxLevel: number;
  /** Gray levels present in the ROI, ascending (PyRadiomics' coefficient grayLevels). */
  grayLevels: Int32Array;
  /** levelIndex[g] = position of gray level g in grayLevels, -1 when absent. */
  levelIndex: Int32Array;
}

/** Validates a discretised ROI and returns its numpy-order geometry and gray levels. */
export function textureGeometry(roi: DiscretisedRoi, className: string): TextureGeometry {
  const [nx, ny, nz] = roi.size;
  const n = nx * ny * nz;
  if (![nx, ny, nz].every((s) => Number.isInteger(s) && s >= 1)) {
    throw new Error(`${className}: invalid ROI size ${roi.size.join("x")}`);
  }
  if (roi.levels.length !== n || roi.mask.length !== n) {
    throw new Error(
      `${className}: ROI size ${roi.size.join("x")} needs ${n} voxels, got levels ${roi.levels.length} / mask ${roi.mask.length}`,
    );
  }
  let shape: number[];
  let strides: number[];
  let spacing: number[];
  if (roi.dimension === 2) {
    if (nz !== 1) throw new Error(`${className}: a 2D ROI must have z size 1, got ${nz}`);
    shape = [ny, nx];
    strides = [nx, 1];
    spacing = [roi.spacing[1], roi.spacing[0]];
  } else if (roi.dimension === 3) {
    shape = [nz, ny, nx];
    strides = [nx * ny, nx, 1];
    spacing = [roi.spacing[2], roi.spacing[1], roi.spacing[0]];
  } else {
    throw new Error(`${className}: ROI dimension must be 2 or 3, got ${roi.dimension}`);
  }
  let maxLevel = 0;
  let roiVoxels = 0;
  const { levels, mask } = roi;
  for (let k = 0; k < n; k++) {
    if (mask[k] === 0) continue;
    const g = levels[k]!;
    if (g < 1) throw new Error(`${className}: ROI voxel ${k} has gray level ${g} (must be >= 1)`);
    if (g > maxLevel) maxLevel = g;
    roiVoxels++;
  }
  if (roiVoxels === 0) throw new Error(`${className}: the ROI has no voxels`);
  const levelIndex = new Int32Array(maxLevel + 1).fill(-1);
  for (let k = 0; k < n; k++) if (mask[k] !== 0) levelIndex[levels[k]!] = 0;
  let count = 0;
  for (let g = 1; g <= maxLevel; g++) if (levelIndex[g] === 0) levelIndex[g] = count++;
  const grayLevels = new Int32Array(count);
  for (let g = 1; g <= maxLevel; g++) if (levelIndex[g]! >= 0) grayLevels[levelIndex[g]!] = g;
  return { shape, strides, spacing, roiVoxels, maxLevel, grayLevels, levelIndex };
}

/** Checks requested names against a class; returns the names to compute (deprecated ones dropped). */
export function selectFeatures(info: FeatureClassInfo, names: readonly string[]): string[] {
  const known = new Set(info.features);
  const deprecated = new Set(info.deprecated);
  const out: string[] = [];
  for (const name of names) {
    if (!known.has(name)) {
      throw new Error(
        `unknown ${info.name} feature '${name}'; valid: ${info.features.filter((f) => !deprecated.has(f)).join(", ")}`,
      );
    }
    // PyRadiomics raises DeprecationWarning inside these getters and stores no value.
    if (!deprecated.has(name)) out.push(name);
  }
  return out;
}

/** Mean ignoring NaN (numpy.nanmean); NaN when nothing is left. */
export function nanMean(values: Float64Array | number[]): number {
  let sum = 0;
  let count = 0;
  for (const v of values) {
    if (!Number.isNaN(v)) {
      sum += v;
      count++;
    }
  }
  return count === 0 ? Number.NaN : sum / count;
}

/** Angles for texture matrices, with the force2D rule of the C extension (-1 = no excluded axis). */
export function textureAngles(
  geometry: TextureGeometry,
  distances: readonly number[],
  settings: TextureSettings,
  className: string,
): number[][] {
  if (distances.length === 0) throw new Error(`${className}: distances must not be empty`);
  const angles = generateAngles({
    shape: geometry.shape,
    distances,
    bidirectional: false,
    force2Ddimension: settings.force2D ? settings.force2Ddimension : -1,
  });
  if (angles.length === 0) {
    // PyRadiomics' C extension raises "Error getting angle count." here.
    throw new Error(
      `${className}: no neighbour angles for array shape (${geometry.shape.join(", ")}) with force2D=${settings.force2D}, force2Ddimension=${settings.force2Ddimension}`,
    );
  }
  return angles;
}

export function checkWeightingNorm(norm: WeightingNorm): void {
  if (
    norm !== null &&
    norm !== "manhattan" &&
    norm !== "euclidean" &&
    norm !== "infinity" &&
    norm !== "no_weighting"
  ) {
    throw new Error(
      `weightingNorm must be null, 'manhattan', 'euclidean', 'infinity' or 'no_weighting', got '${String(norm)}'`,
    );
  }
}

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
 * Raw co-occurrence counts, one pass over the ROI: counts[(a * n + I) * n + J] for ROI voxels of
 * level grayLevels[I] whose neighbour at angle a is an ROI voxel of level grayLevels[J]
 * (PyRadiomics calculate_glcm, followed by the removal of absent gray levels).
 */
function countCooccurrences(
  roi: DiscretisedRoi,
  geometry: TextureGeometry,
  angles: number[][],
): Float64Array {
  const n = geometry.grayLevels.length;
  const na = angles.length;
  const counts = new Float64Array(na * n * n);
  const [nx, ny, nz] = roi.size;
  const is3D = geometry.shape.length === 3;
  const ax = new Int32Array(na);
  const ay = new Int32Array(na);
  const az = new Int32Array(na);
  const offset = new Int32Array(na);
  for (let a = 0; a < na; a++) {
    const angle = angles[a]!;
    az[a] = is3D ? angle[0]! : 0;
    ay[a] = is3D ? angle[1]! : angle[0]!;
    ax[a] = is3D ? angle[2]! : angle[1]!;
    offset[a] = az[a]! * nx * ny + ay[a]! * nx + ax[a]!;
  }
  const { levels, mask } = roi;
  const levelIndex = geometry.levelIndex;
  let k = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, k++) {
        if (mask[k] === 0) continue;
        const rowBase = levelIndex[levels[k]!]! * n;
        for (let a = 0; a < na; a++) {
          const xx = x + ax[a]!;
          const yy = y + ay[a]!;
          const zz = z + az[a]!;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
          const j = k + offset[a]!;
          if (mask[j] === 0) continue;
          counts[a * n * n + rowBase + levelIndex[levels[j]!]!]++;
        }
      }
    }
  }
  return counts;
}

/**
 * The processed GLCMs of PyRadiomics glcm._calculateMatrix: symmetrised, weighted, empty angles
 * removed (when more than one), each normalised by its sum (an all-zero matrix becomes NaN).
 * Returns the matrices (n x n per angle, levels = grayLevels) and the number of angles kept.
 */
export function glcmMatrices(
  roi: DiscretisedRoi,
  settings: TextureSettings,
): { matrices: Float64Array; angleCount: number; geometry: TextureGeometry } {
  checkWeightingNorm(settings.weightingNorm);
  const geometry = textureGeometry(roi, "glcm");
  const angles = textureAngles(geometry, settings.distances, settings, "glcm");
  const n = geometry.grayLevels.length;
  const nn = n * n;
  let counts = countCooccurrences(roi, geometry, angles);
  let na = angles.length;

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
      const w = glcmAngleWeight(angles[a]!, geometry.spacing, settings.weightingNorm);
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
interface AngleValues {
  [name: string]: number;
}

/** log2(x + eps) as PyRadiomics' entropy terms use it; x * that is 0 for x = 0. */
function plogp(p: number): number {
  return p * Math.log2(p + EPS);
}

/**
 * Features of one normalised GLCM p (n x n over the present gray levels g), PyRadiomics glcm.py:
 * px(i) = sum_j p, py(j) = sum_i p, ux = sum i p, uy = sum j p, p_{x+y}(k) for k = 2..2Ng and
 * p_{x-y}(k) for k = 0..Ng-1 (Ng = highest gray level), HXY = -sum p log2(p + eps).
 */
function angleFeatures(
  p: Float64Array,
  grayLevels: Int32Array,
  ng: number,
  withMcc: boolean,
): { values: AngleValues; eigen?: QEigen } {
  const n = grayLevels.length;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pxAddy = new Float64Array(2 * ng + 1);
  const pxSuby = new Float64Array(ng);
  let ux = 0;
  let uy = 0;
  let autocorr = 0;
  let contrast = 0;
  let energy = 0;
  let hxy = 0;
  let maxProb = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const gi = grayLevels[i]!;
    for (let j = 0; j < n; j++) {
      const gj = grayLevels[j]!;
      const v = p[i * n + j]!;
      px[i] = px[i]! + v;
      py[j] = py[j]! + v;
      ux += gi * v;
      uy += gj * v;
      autocorr += v * (gi * gj);
      const diff = Math.abs(gi - gj);
      contrast += v * (diff * diff);
      energy += v * v;
      hxy += plogp(v);
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
    for (let j = 0; j < n; j++) {
      const gj = grayLevels[j]!;
      const v = p[i * n + j]!;
      const s = gi + gj - ux - uy;
      cp += v * s ** 4;
      cs += v * s ** 3;
      ct += v * (s * s);
      const dx = gi - ux;
      const dy = gj - uy;
      sigx2 += v * (dx * dx);
      sigy2 += v * (dy * dy);
      corm += v * dx * dy;
      const pxpy = px[i]! * py[j]!;
      hxy1 += v * Math.log2(pxpy + EPS);
      hxy2 += plogp(pxpy);
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
    hx += plogp(px[i]!);
    hy += plogp(py[i]!);
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
    diffEnt += plogp(v);
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
    sumEnt += plogp(v);
  }
  r.SumAverage = sumAvg;
  r.SumEntropy = -sumEnt;

  return { values: r, eigen: withMcc ? eigenvaluesOfQ(p, px, py, n) : undefined };
}

/** Eigenvalues (real and imaginary parts) of one angle's MCC matrix Q. */
interface QEigen {
  re: number[];
  im: number[];
}

/**
 * Eigenvalues of Q(i, j) = sum_k p(i, k) p(j, k) / (px(i) py(k) + eps) (PyRadiomics getMCC, k
 * accumulated in order), as numpy.linalg.eigvals (LAPACK geev) computes them: Hessenberg
 * reduction, then the shifted QR algorithm (see realEigenvalues).
 */
function eigenvaluesOfQ(p: Float64Array, px: Float64Array, py: Float64Array, n: number): QEigen {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (p[i * n + k]! * p[j * n + k]!) / (px[i]! * py[k]! + EPS);
      q[i * n + j] = s;
    }
  }
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  realEigenvalues(q, n, re, im);
  return { re: [...re], im: [...im] };
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
    for (let j = m; j < n; j++) {
      let f = 0;
      for (let i = n - 1; i >= m; i--) f += ort[i]! * a[i * n + j]!;
      f /= h;
      for (let i = m; i < n; i++) a[i * n + j] = a[i * n + j]! - f * ort[i]!;
    }
    for (let i = 0; i < n; i++) {
      let f = 0;
      for (let j = n - 1; j >= m; j--) f += ort[j]! * a[i * n + j]!;
      f /= h;
      for (let j = m; j < n; j++) a[i * n + j] = a[i * n + j]! - f * ort[j]!;
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
  const values: number[] = [];
  for (const e of eigens) {
    const order = e.re.map((_, k) => k);
    order.sort((a, b) => e.re[a]! - e.re[b]! || (complex ? e.im[a]! - e.im[b]! : 0));
    const k = order[order.length - 2]!;
    const re = e.re[k]!;
    const im = complex ? e.im[k]! : 0;
    if (!complex) {
      values.push(Math.sqrt(re)); // NaN for a negative eigenvalue, skipped by nanmean
    } else {
      // principal complex square root, real part
      values.push(Math.sqrt((Math.hypot(re, im) + re) / 2));
    }
  }
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
  const selected = selectFeatures(GLCM_CLASS, names);
  const result: FeatureValues = {};
  if (selected.length === 0) return result;
  const { matrices, angleCount, geometry } = glcmMatrices(roi, settings);
  const n = geometry.grayLevels.length;
  const nn = n * n;
  const withMcc = selected.includes("MCC");
  const perAngle: AngleValues[] = [];
  const eigens: QEigen[] = [];
  for (let a = 0; a < angleCount; a++) {
    const p = matrices.subarray(a * nn, (a + 1) * nn);
    if (Number.isNaN(p[0]!)) {
      // The only angle has an empty matrix (normalised by NaN): every value is NaN, and
      // numpy.linalg.eigvals rejects the NaN matrix, so MCC is NaN as well.
      const values: AngleValues = {};
      for (const name of GLCM_CLASS.features) values[name] = Number.NaN;
      perAngle.push(values);
      eigens.push({ re: [Number.NaN], im: [0] });
      continue;
    }
    const { values, eigen } = angleFeatures(p, geometry.grayLevels, geometry.maxLevel, withMcc);
    perAngle.push(values);
    if (eigen) eigens.push(eigen);
  }
  for (const name of selected) {
    if (name === "MCC") {
      result[name] = combineMcc(eigens, n);
    } else if (name === "JointAverage") {
      // ux.mean(): a plain mean, NaN when any angle is NaN or there is none.
      let s = 0;
      for (const v of perAngle) s += v.JointAverage!;
      result[name] = perAngle.length === 0 ? Number.NaN : s / perAngle.length;
    } else {
      result[name] = nanMean(perAngle.map((v) => v[name]!));
    }
  }
  return result;
}
