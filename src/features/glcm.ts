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
  angleDistanceParts,
  angleSums,
  checkWeightingNorm,
  inspectTextureRoi,
  NUMPY_EPS as EPS,
  nanMean,
  neighbourOffsets,
  resolveFeatureNames,
  weightedAngleSum,
  type TextureRoi,
} from "./texture-common.js";
import { pairwiseSum } from "./numpy-compat.js";
import { sharedNeighbourTallies } from "./neighbour-tallies.js";
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
  const { max, sum, sumSq } = angleDistanceParts(angle, spacing);
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
  const n = geometry.grayLevels.length;
  const nn = n * n;
  let na = nb.count;
  // Raw counts from the neighbour pass (neighbour-tallies.ts), copied as doubles: processed in place
  // below.
  const counts = new Float64Array(sharedNeighbourTallies(roi, settings, "glcm").glcm!);

  if (settings.symmetricalGLCM) {
    // P + P^T in place (a + b and b + a are the same double).
    for (let a = 0; a < na; a++) {
      const base = a * nn;
      for (let i = 0; i < n; i++) {
        const ii = base + i * n + i;
        counts[ii] = counts[ii]! + counts[ii]!;
        for (let j = i + 1; j < n; j++) {
          const ij = base + i * n + j;
          const ji = base + j * n + i;
          const sum = counts[ij]! + counts[ji]!;
          counts[ij] = sum;
          counts[ji] = sum;
        }
      }
    }
  }

  let mats = counts;
  if (settings.weightingNorm !== null) {
    const norm = settings.weightingNorm;
    mats = weightedAngleSum(counts, na, nn, (a) =>
      glcmAngleWeight(nb.angles[a]!, geometry.spacing, norm),
    );
    na = 1;
  }

  const { sums, kept } = angleSums(mats, na, nn);
  // Normalise in place when no angle is dropped.
  const matrices = kept === na ? mats : new Float64Array(kept * nn);
  let out = 0;
  for (let a = 0; a < na; a++) {
    if (na > 1 && sums[a] === 0) continue;
    const s = sums[a] === 0 ? Number.NaN : sums[a]!;
    const base = a * nn;
    const dst = out * nn;
    for (let c = 0; c < nn; c++) matrices[dst + c] = mats[base + c]! / s;
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

  return r;
}

/** Working arrays of secondEigenvalueOfQ for up to n gray levels (reused across angles). */
class MccScratch {
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly sqrtPx: Float64Array;
  readonly sqrtPy: Float64Array;
  readonly b: Float64Array;
  readonly bt: Float64Array;
  readonly s: Float64Array;
  readonly diag: Float64Array;
  readonly off: Float64Array;
  readonly beta: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly u0: Float64Array;
  readonly u1: Float64Array;
  readonly u2: Float64Array;
  readonly mult: Float64Array;
  readonly swapped: Uint8Array;
  readonly btS: Float64Array;
  readonly ftS: Float64Array;
  readonly parent: Int32Array;
  readonly order: Int32Array;
  readonly label: Int32Array;
  readonly groupStart: Int32Array;
  readonly fillAt: Int32Array;
  readonly cand: Float64Array;
  readonly pv: Float64Array;
  readonly owner: Int32Array;
  constructor(n: number) {
    this.rows = new Int32Array(n);
    this.cols = new Int32Array(n);
    this.sqrtPx = new Float64Array(n);
    this.sqrtPy = new Float64Array(n);
    this.b = new Float64Array(n * n);
    this.bt = new Float64Array(n * n);
    this.s = new Float64Array(n * n);
    this.diag = new Float64Array(n);
    this.off = new Float64Array(n);
    this.beta = new Float64Array(n);
    this.v = new Float64Array(n);
    this.w = new Float64Array(n);
    this.u0 = new Float64Array(n);
    this.u1 = new Float64Array(n);
    this.u2 = new Float64Array(n);
    this.mult = new Float64Array(n);
    this.swapped = new Uint8Array(n);
    this.btS = new Float64Array(n);
    this.ftS = new Float64Array(n);
    this.parent = new Int32Array(n);
    this.order = new Int32Array(n);
    this.label = new Int32Array(n);
    this.groupStart = new Int32Array(n + 1);
    this.fillAt = new Int32Array(n);
    this.cand = new Float64Array(4 * n + 4);
    this.pv = new Float64Array(n);
    this.owner = new Int32Array(n);
  }
}

/**
 * Second-largest eigenvalue of one angle's MCC matrix Q(i, j) = sum_k p(i, k) p(j, k) /
 * (px(i) py(k) + eps) (PyRadiomics getMCC), or NaN when it cannot be had reliably this way (then
 * the general eigensolver decides, see computeGlcmFeatures).
 *
 * Levels with px = 0 give zero rows and columns of Q (exact zero eigenvalues). The other levels
 * split into groups that share no column k with p > 0; Q is block diagonal over these groups, so
 * its eigenvalues are the union of the blocks'. Without eps a block is Dx^-1 P Dy^-1 P^T (Dx =
 * diag(px), Dy = diag(py)), similar to the symmetric positive semi-definite S = B B^T with
 * B = Dx^-1/2 P Dy^-1/2, whose top eigenvalues come from Householder tridiagonalisation and
 * Sturm-sequence bisection (Golub & Van Loan, Matrix Computations, 8.3 and 8.4). The eps terms
 * perturb S by E = (B o (W - 1)) B^T, W(i, k) = px py / (px py + eps); the first-order change
 * s^T E s (s: unit eigenvector of S, inverse iteration on the tridiagonal matrix, back-transformed)
 * is added. A one-level block is its exact 1 x 1 Q. NaN is returned when the wanted eigenvalue is
 * near zero (numpy's sign and complex rules then decide MCC), or is a multiple eigenvalue of its
 * block, or the neglected second-order term |E s| |E^T s| / gap could exceed 1e-12 of it.
 */
function secondEigenvalueOfQ(
  p: Float64Array,
  px: Float64Array,
  py: Float64Array,
  n: number,
  t: MccScratch,
): number {
  const { rows, cols, sqrtPx, sqrtPy, b, bt, s, parent, cand } = t;
  // Active levels (px > 0), grouped: union-find over rows sharing a column.
  let m = 0;
  for (let i = 0; i < n; i++) if (px[i]! > 0) rows[m++] = i;
  let nk = 0;
  for (let k = 0; k < n; k++) if (py[k]! > 0) cols[nk++] = k;
  if (m < 2) return Number.NaN;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const owner = t.owner;
  owner.fill(-1, 0, n);
  for (let r = 0; r < m; r++) parent[r] = r;
  for (let r = 0; r < m; r++) {
    const src = rows[r]! * n;
    for (let k = 0; k < n; k++) {
      if (p[src + k] === 0) continue;
      const o = owner[k]!;
      if (o < 0) owner[k] = r;
      else {
        const a = find(o);
        const c = find(r);
        if (a !== c) parent[c] = a;
      }
    }
  }
  // Order rows by group (stable), keeping each group's rows contiguous.
  const order = t.order;
  const start = t.groupStart;
  const label = t.label;
  let groups = 0;
  for (let r = 0; r < m; r++) label[r] = -1;
  for (let r = 0; r < m; r++) {
    const root = find(r);
    if (label[root] === -1) label[root] = groups++;
  }
  start.fill(0, 0, groups + 1);
  for (let r = 0; r < m; r++) start[label[find(r)]! + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] = start[g + 1]! + start[g]!;
  const fillAt = t.fillAt;
  for (let g = 0; g < groups; g++) fillAt[g] = start[g]!;
  for (let r = 0; r < m; r++) order[fillAt[label[find(r)]!]!++] = rows[r]!;
  for (let r = 0; r < m; r++) sqrtPx[r] = Math.sqrt(px[order[r]!]!);
  for (let c = 0; c < nk; c++) sqrtPy[c] = Math.sqrt(py[cols[c]!]!);
  // B (m x nk, rows in group order) and its transpose.
  for (let r = 0; r < m; r++) {
    const src = order[r]! * n;
    const sx = sqrtPx[r]!;
    for (let c = 0; c < nk; c++) {
      const val = p[src + cols[c]!]! / (sx * sqrtPy[c]!);
      b[r * nk + c] = val;
      bt[c * m + r] = val;
    }
  }

  // Candidates for the two largest eigenvalues of Q: (value, reliable) pairs.
  let count = 0;
  const push = (value: number, reliable: boolean): void => {
    cand[2 * count] = value;
    cand[2 * count + 1] = reliable ? 1 : 0;
    count++;
  };
  for (let g = 0; g < groups; g++) {
    const lo = start[g]!;
    const mc = start[g + 1]! - lo;
    if (mc === 1) {
      // 1 x 1 block: Q(i, i) itself.
      const i = order[lo]!;
      let q = 0;
      for (let c = 0; c < nk; c++) {
        const v = p[i * n + cols[c]!]!;
        if (v !== 0) q += (v * v) / (px[i]! * py[cols[c]!]! + EPS);
      }
      push(q, true);
      continue;
    }
    // Lower triangle of S = B B^T for this group, skipping zero entries of B.
    s.fill(0, 0, mc * mc);
    for (let r = 0; r < mc; r++) {
      const row = r * mc;
      const bRow = (lo + r) * nk;
      for (let c = 0; c < nk; c++) {
        const brc = b[bRow + c]!;
        if (brc === 0) continue;
        const col = c * m + lo;
        for (let q = 0; q <= r; q++) s[row + q] = s[row + q]! + brc * bt[col + q]!;
      }
    }
    tridiagonalise(s, mc, t);
    const l1 = tridiagonalEigenvalue(t.diag, t.off, mc, mc - 1);
    const l2 = tridiagonalEigenvalue(t.diag, t.off, mc, mc - 2);
    const l3 = mc >= 3 ? tridiagonalEigenvalue(t.diag, t.off, mc, mc - 3) : -Infinity;
    pushCorrected(px, py, lo, mc, nk, l1, l1 - l2, t, push);
    pushCorrected(px, py, lo, mc, nk, l2, Math.min(l1 - l2, l2 - l3), t, push);
  }
  // Exact zero eigenvalues of the inactive levels (two at most are needed).
  for (let z = 0; z < Math.min(n - m, 2); z++) push(0, true);
  // Second largest candidate.
  let best = -1;
  let second = -1;
  for (let c = 0; c < count; c++) {
    const v = cand[2 * c]!;
    if (best < 0 || v > cand[2 * best]!) {
      second = best;
      best = c;
    } else if (second < 0 || v > cand[2 * second]!) second = c;
  }
  const lambda = cand[2 * second]!;
  if (cand[2 * second + 1] !== 1 || !(lambda > 1e-6)) return Number.NaN;
  return lambda;
}

/**
 * Pushes the eigenvalue `lambda` of the block S (rows lo..lo+mc-1 of B, tridiagonalised in t)
 * with its first-order eps correction; unreliable when gap (distance to the nearest other
 * eigenvalue of the block) is not positive or the second-order bound exceeds 1e-12 lambda.
 */
function pushCorrected(
  px: Float64Array,
  py: Float64Array,
  lo: number,
  mc: number,
  nk: number,
  lambda: number,
  gap: number,
  t: MccScratch,
  push: (value: number, reliable: boolean) => void,
): void {
  if (!(gap > 0)) {
    push(lambda, false);
    return;
  }
  const { s, beta, v, b, order, cols } = t;
  // Unit eigenvector of S: inverse iteration on T, then back through the reflectors.
  tridiagonalEigenvector(t.diag, t.off, mc, lambda, v, t);
  for (let k = mc - 3; k >= 0; k--) {
    const bk = beta[k]!;
    if (bk === 0) continue;
    const vk = k * mc;
    let dot = 0;
    for (let i = k + 1; i < mc; i++) dot += s[vk + i]! * v[i]!;
    dot *= bk;
    for (let i = k + 1; i < mc; i++) v[i] = v[i]! - dot * s[vk + i]!;
  }
  // E = F B^T with F = B o (W - 1), W - 1 = -eps / (px py + eps):
  // s^T E s = (F^T s) . (B^T s); |E s| = |F (B^T s)|; |E^T s| = |B (F^T s)|.
  const btS = t.btS;
  const ftS = t.ftS;
  btS.fill(0, 0, nk);
  ftS.fill(0, 0, nk);
  for (let r = 0; r < mc; r++) {
    const vr = v[r]!;
    const pxr = px[order[lo + r]!]!;
    const bRow = (lo + r) * nk;
    for (let c = 0; c < nk; c++) {
      const brc = b[bRow + c]!;
      if (brc === 0) continue;
      btS[c] = btS[c]! + brc * vr;
      ftS[c] = ftS[c]! - ((brc * EPS) / (pxr * py[cols[c]!]! + EPS)) * vr;
    }
  }
  let delta = 0;
  for (let c = 0; c < nk; c++) delta += ftS[c]! * btS[c]!;
  let es2 = 0;
  let ets2 = 0;
  for (let r = 0; r < mc; r++) {
    const pxr = px[order[lo + r]!]!;
    const bRow = (lo + r) * nk;
    let es = 0;
    let ets = 0;
    for (let c = 0; c < nk; c++) {
      const brc = b[bRow + c]!;
      if (brc === 0) continue;
      es -= ((brc * EPS) / (pxr * py[cols[c]!]! + EPS)) * btS[c]!;
      ets += brc * ftS[c]!;
    }
    es2 += es * es;
    ets2 += ets * ets;
  }
  const corrected = lambda + delta;
  push(corrected, Math.sqrt(es2 * ets2) / gap <= 1e-12 * Math.abs(corrected));
}

/**
 * Householder reduction of the symmetric m x m matrix a (row-major, lower triangle read) to
 * tridiagonal form T = H_{m-3} ... H_0 A H_0 ... H_{m-3}, H_k = I - beta_k v_k v_k^T (Golub & Van
 * Loan 8.3.1). Diagonal to diag, sub-diagonal to off[0..m-2]; v_k is left in row k of a (columns
 * k+1..m-1, its upper triangle) and beta_k in beta[k].
 */
function tridiagonalise(a: Float64Array, m: number, t: MccScratch): void {
  const { diag, off, beta, pv } = t;
  for (let k = 0; k < m - 2; k++) {
    const vk = k * m;
    // x = a(k+1.., k), read from the lower triangle; v stored in row k.
    let tail = 0;
    for (let i = k + 2; i < m; i++) {
      const x = a[i * m + k]!;
      a[vk + i] = x;
      tail += x * x;
    }
    const x0 = a[(k + 1) * m + k]!;
    diag[k] = a[vk + k]!;
    if (tail === 0) {
      off[k] = x0;
      beta[k] = 0;
      continue;
    }
    const norm = Math.sqrt(x0 * x0 + tail);
    const alpha = x0 > 0 ? -norm : norm;
    const v0 = x0 - alpha;
    a[vk + k + 1] = v0;
    const bk = 2 / (v0 * v0 + tail);
    beta[k] = bk;
    off[k] = alpha;
    // pv = beta A22 v over the trailing block (lower triangle only).
    pv.fill(0, k + 1, m);
    for (let i = k + 1; i < m; i++) {
      const row = i * m;
      const vi = a[vk + i]!;
      let acc = a[row + i]! * vi;
      for (let j = k + 1; j < i; j++) {
        const aij = a[row + j]!;
        acc += aij * a[vk + j]!;
        pv[j] = pv[j]! + aij * vi;
      }
      pv[i] = pv[i]! + acc;
    }
    let pTv = 0;
    for (let i = k + 1; i < m; i++) {
      pv[i] = pv[i]! * bk;
      pTv += pv[i]! * a[vk + i]!;
    }
    const half = (bk / 2) * pTv;
    for (let i = k + 1; i < m; i++) pv[i] = pv[i]! - half * a[vk + i]!;
    // A22 -= v w^T + w v^T (lower triangle).
    for (let i = k + 1; i < m; i++) {
      const row = i * m;
      const vi = a[vk + i]!;
      const wi = pv[i]!;
      for (let j = k + 1; j <= i; j++) a[row + j] = a[row + j]! - vi * pv[j]! - wi * a[vk + j]!;
    }
  }
  if (m >= 2) {
    diag[m - 2] = a[(m - 2) * m + (m - 2)]!;
    off[m - 2] = a[(m - 1) * m + (m - 2)]!;
    beta[m - 2] = 0;
  }
  diag[m - 1] = a[(m - 1) * m + (m - 1)]!;
}

/**
 * The j-th smallest (0-based) eigenvalue of the symmetric tridiagonal matrix (diag, off) by
 * bisection on Sturm sequence counts (Golub & Van Loan 8.4.1), to the last representable bit.
 */
function tridiagonalEigenvalue(
  diag: Float64Array,
  off: Float64Array,
  m: number,
  j: number,
): number {
  let lo = Infinity;
  let hi = -Infinity;
  let scale = 0;
  for (let i = 0; i < m; i++) {
    const r = (i > 0 ? Math.abs(off[i - 1]!) : 0) + (i < m - 1 ? Math.abs(off[i]!) : 0);
    lo = Math.min(lo, diag[i]! - r);
    hi = Math.max(hi, diag[i]! + r);
    scale = Math.max(scale, Math.abs(diag[i]!) + r);
  }
  const pivmin = Number.MIN_VALUE * 1e10 + scale * EPS * EPS;
  for (let iter = 0; iter < 200; iter++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    // number of eigenvalues below mid
    let count = 0;
    let q = diag[0]! - mid;
    if (Math.abs(q) < pivmin) q = -pivmin;
    if (q < 0) count++;
    for (let i = 1; i < m; i++) {
      const e = off[i - 1]!;
      q = diag[i]! - mid - (e * e) / q;
      if (Math.abs(q) < pivmin) q = -pivmin;
      if (q < 0) count++;
    }
    if (count > j) hi = mid;
    else lo = mid;
  }
  return lo + (hi - lo) / 2;
}

/**
 * Unit eigenvector (into y) of the symmetric tridiagonal matrix (diag, off) for the eigenvalue
 * lambda: three steps of inverse iteration, (T - lambda I) y_new = y, solved by Gaussian
 * elimination with partial pivoting (Golub & Van Loan 8.2.2, 4.3).
 */
function tridiagonalEigenvector(
  diag: Float64Array,
  off: Float64Array,
  m: number,
  lambda: number,
  y: Float64Array,
  t: MccScratch,
): void {
  const { u0, u1, u2, mult, swapped } = t;
  let scale = 0;
  for (let i = 0; i < m; i++)
    scale = Math.max(scale, Math.abs(diag[i]!) + (i < m - 1 ? Math.abs(off[i]!) : 0));
  const tiny = EPS * (scale || 1);
  let cd = diag[0]! - lambda;
  let cs = m > 1 ? off[0]! : 0;
  for (let i = 0; i < m - 1; i++) {
    const sub = off[i]!;
    const dg = diag[i + 1]! - lambda;
    const sup = i + 1 < m - 1 ? off[i + 1]! : 0;
    if (Math.abs(sub) > Math.abs(cd)) {
      swapped[i] = 1;
      u0[i] = sub;
      u1[i] = dg;
      u2[i] = sup;
      const f = cd / sub;
      mult[i] = f;
      cd = cs - f * dg;
      cs = -f * sup;
    } else {
      swapped[i] = 0;
      u0[i] = cd === 0 ? tiny : cd;
      u1[i] = cs;
      u2[i] = 0;
      const f = sub / u0[i]!;
      mult[i] = f;
      cd = dg - f * cs;
      cs = sup;
    }
  }
  u0[m - 1] = cd === 0 ? tiny : cd;
  for (let i = 0; i < m; i++) y[i] = 1;
  for (let it = 0; it < 3; it++) {
    for (let i = 0; i < m - 1; i++) {
      if (swapped[i]) {
        const tmp = y[i]!;
        y[i] = y[i + 1]!;
        y[i + 1] = tmp;
      }
      y[i + 1] = y[i + 1]! - mult[i]! * y[i]!;
    }
    for (let i = m - 1; i >= 0; i--) {
      let r = y[i]!;
      if (i + 1 < m) r -= u1[i]! * y[i + 1]!;
      if (i + 2 < m) r -= u2[i]! * y[i + 2]!;
      y[i] = r / u0[i]!;
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm = Math.max(norm, Math.abs(y[i]!));
    for (let i = 0; i < m; i++) y[i] = y[i]! / norm;
  }
  let sq = 0;
  for (let i = 0; i < m; i++) sq += y[i]! * y[i]!;
  const inv = 1 / Math.sqrt(sq);
  for (let i = 0; i < m; i++) y[i] = y[i]! * inv;
}

/** Eigenvalues (real and imaginary parts) of one angle's MCC matrix Q. */
interface QEigen {
  re: Float64Array;
  im: Float64Array;
}

/** Row and column sums px(i), py(j) of p, accumulated in the order angleFeatures uses. */
function glcmMarginals(p: Float64Array, n: number, px: Float64Array, py: Float64Array): void {
  px.fill(0);
  py.fill(0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = p[i * n + j]!;
      if (v === 0) continue;
      px[i] = px[i]! + v;
      py[j] = py[j]! + v;
    }
  }
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
  const scratch = new AngleScratch(n, geometry.maxLevel);
  // MCC: second-largest eigenvalue per angle by the symmetric method while it applies.
  let emptyAngle = false;
  let symmetricOk = withMcc && n >= 2;
  const lambdas = new Float64Array(angleCount);
  const mccScratch = symmetricOk ? new MccScratch(n) : null;
  for (let a = 0; a < angleCount; a++) {
    const p = matrices.subarray(a * nn, (a + 1) * nn);
    if (Number.isNaN(p[0]!)) {
      // The only angle has an empty matrix (normalised by NaN): every value is NaN, and
      // numpy.linalg.eigvals rejects the NaN matrix, so MCC is NaN as well.
      const values: AngleValues = {};
      for (const name of GLCM_CLASS.features) values[name] = Number.NaN;
      perAngle.push(values);
      emptyAngle = true;
      continue;
    }
    perAngle.push(angleFeatures(p, geometry.grayLevels, geometry.maxLevel, scratch));
    if (symmetricOk) {
      lambdas[a] = secondEigenvalueOfQ(p, scratch.px, scratch.py, n, mccScratch!);
      if (Number.isNaN(lambdas[a]!)) symmetricOk = false;
    }
  }
  let mcc = Number.NaN;
  if (withMcc) {
    if (emptyAngle) mcc = Number.NaN;
    else if (n < 2) mcc = 1;
    else if (symmetricOk) {
      for (let a = 0; a < angleCount; a++) lambdas[a] = Math.sqrt(lambdas[a]!);
      mcc = nanMean(lambdas);
    } else {
      // Near-zero or near-multiple eigenvalue somewhere: every angle through the general
      // eigensolver, combined as numpy does (complex batch rules included).
      const eigens: QEigen[] = [];
      const px = new Float64Array(n);
      const py = new Float64Array(n);
      for (let a = 0; a < angleCount; a++) {
        const p = matrices.subarray(a * nn, (a + 1) * nn);
        glcmMarginals(p, n, px, py);
        eigens.push(eigenvaluesOfQ(p, px, py, n));
      }
      mcc = combineMcc(eigens, n);
    }
  }
  const column = new Float64Array(perAngle.length);
  for (const name of selected) {
    if (name === "MCC") {
      result[name] = mcc;
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
