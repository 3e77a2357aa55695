/**
 * Gray Level Run Length Matrix (GLRLM) features as PyRadiomics computes them (radiomics/glrlm.py
 * and calculate_glrlm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * For each angle a (distance 1, mono-directional, over the cropped array), every line of the array
 * along a is walked once from its first voxel; P_a(i, j) counts the runs (maximal sequences of
 * consecutive ROI voxels sharing gray level i) of length j. An angle along which no line holds more
 * than one ROI voxel is emptied (the ROI is flat in that direction). Optional distance weights
 * collapse the angles; empty angles are dropped; features are computed per angle and averaged
 * ignoring NaN (numpy.nanmean).
 */
import { countRuns } from "../kernels/runs.js";
import {
  angleDistanceParts,
  angleSums,
  type BorderedGrid,
  borderedGrid,
  checkWeightingNorm,
  NUMPY_EPS as EPS,
  inspectTextureRoi,
  nanMean,
  neighbourOffsets,
  resolveFeatureNames,
  weightedAngleSum,
} from "./texture-common.js";
import type { DiscretisedRoi, FeatureClassInfo, FeatureValues, TextureSettings } from "./types.js";

export const GLRLM_CLASS: FeatureClassInfo = {
  name: "glrlm",
  // PyRadiomics order: get<Name>FeatureValue methods sorted by name (inspect.getmembers).
  features: [
    "GrayLevelNonUniformity",
    "GrayLevelNonUniformityNormalized",
    "GrayLevelVariance",
    "HighGrayLevelRunEmphasis",
    "LongRunEmphasis",
    "LongRunHighGrayLevelEmphasis",
    "LongRunLowGrayLevelEmphasis",
    "LowGrayLevelRunEmphasis",
    "RunEntropy",
    "RunLengthNonUniformity",
    "RunLengthNonUniformityNormalized",
    "RunPercentage",
    "RunVariance",
    "ShortRunEmphasis",
    "ShortRunHighGrayLevelEmphasis",
    "ShortRunLowGrayLevelEmphasis",
  ],
  deprecated: [],
};

/**
 * GLRLM angle weights (PyRadiomics glrlm._calculateMatrix), with d = |a| * spacing (numpy order):
 * infinity max(d), euclidean sqrt(sum d^2), manhattan sum(d), no_weighting 1.
 */
function glrlmAngleWeight(
  angle: readonly number[],
  spacing: readonly number[],
  norm: string,
): number {
  const { max, sum, sumSq } = angleDistanceParts(angle, spacing);
  switch (norm) {
    case "infinity":
      return max;
    case "euclidean":
      return Math.sqrt(sumSq);
    case "manhattan":
      return sum;
    default:
      return 1;
  }
}

/**
 * Whether some line of the array along `step` holds more than one ROI voxel (PyRadiomics'
 * multiElement test): every line is walked from its first voxel (the one whose predecessor is in
 * the border) to the border.
 */
function lineHoldsTwoRoiVoxels(grid: BorderedGrid, step: number): boolean {
  const { data } = grid;
  const [sx, sy, sz] = grid.size;
  for (let z = grid.pad[2]; z < sz - grid.pad[2]; z++) {
    for (let y = grid.pad[1]; y < sy - grid.pad[1]; y++) {
      for (let x = grid.pad[0], v = x + sx * (y + sy * z); x < sx - grid.pad[0]; x++, v++) {
        if (data[v - step] !== -1) continue;
        let elements = 0;
        for (let j = v; data[j] !== -1; j += step) {
          if (data[j]! > 0 && ++elements > 1) return true;
        }
      }
    }
  }
  return false;
}

/**
 * The run-length matrices after PyRadiomics' processing: weighted (one matrix) or one per angle
 * with empty angles removed. Layout [(a * n + I) * maxRun + (runLength - 1)] over the present gray
 * levels I; runCounts[a] = Nr (number of runs, NaN when 0).
 *
 * PyRadiomics' calculate_glrlm walks every line of the array along each angle and counts the runs
 * (maximal sequences of consecutive ROI voxels of one gray level) it meets. The same runs are found
 * from the ROI voxels: a run starts at an ROI voxel whose predecessor along the angle is not of its
 * level, and extends while the next voxel is. An angle whose lines never hold two ROI voxels is
 * emptied (PyRadiomics' multiElement test: the segmentation is flat along it).
 */
export function glrlmMatrices(
  roi: DiscretisedRoi,
  settings: TextureSettings,
): {
  matrices: Float64Array;
  runCounts: Float64Array;
  angleCount: number;
  maxRun: number;
  grayLevels: Int32Array;
} {
  checkWeightingNorm(settings.weightingNorm);
  const geometry = inspectTextureRoi(roi, "glrlm");
  // GLRLM always uses distance 1 (the C extension ignores the distances setting).
  const nb = neighbourOffsets(geometry, [1], settings, false, "glrlm");
  const grid = borderedGrid(roi, nb.reach, "glrlm");
  const n = geometry.grayLevels.length;
  const maxRun = Math.max(...geometry.shape);
  const block = n * maxRun;
  let na = nb.count;
  const { data, roiVoxels } = grid;
  const [sx, sy] = grid.size;
  const steps = new Int32Array(na);
  for (let a = 0; a < na; a++) steps[a] = nb.dx[a]! + sx * (nb.dy[a]! + sy * nb.dz[a]!);
  // Runs counted in the WebAssembly kernel (src/kernels/assembly/runs.ts).
  const runs = countRuns({
    grid: data,
    roiVoxels,
    steps,
    levelIndex: geometry.levelIndex,
    levels: n,
    maxRun,
  });
  let counts = runs.counts;
  for (let a = 0; a < na; a++) {
    // No line with more than one ROI voxel: PyRadiomics zeroes the angle (segmentation is flat).
    if (!runs.adjacent[a] && !lineHoldsTwoRoiVoxels(grid, steps[a]!))
      counts.fill(0, a * block, (a + 1) * block);
  }

  if (settings.weightingNorm !== null) {
    const norm = settings.weightingNorm;
    counts = weightedAngleSum(counts, na, block, (a) =>
      glrlmAngleWeight(nb.angles[a]!, geometry.spacing, norm),
    );
    na = 1;
  }

  const { sums, kept } = angleSums(counts, na, block);
  const matrices = kept === na ? counts : new Float64Array(kept * block);
  const runCounts = new Float64Array(kept);
  let out = 0;
  for (let a = 0; a < na; a++) {
    if (na > 1 && sums[a] === 0) continue;
    if (matrices !== counts) matrices.set(counts.subarray(a * block, (a + 1) * block), out * block);
    runCounts[out] = sums[a] === 0 ? Number.NaN : sums[a]!;
    out++;
  }
  return { matrices, runCounts, angleCount: kept, maxRun, grayLevels: geometry.grayLevels };
}

/**
 * Features of one run-length matrix P (gray level i, run length j) with Nr runs, PyRadiomics
 * glrlm.py: pr(j) = sum_i P, pg(i) = sum_j P, e.g. SRE = sum pr / j^2 / Nr, RP = Nr / sum(j pr),
 * GLV = sum pg/Nr (i - mu)^2, RE = -sum P/Nr log2(P/Nr + eps).
 */
function angleFeatures(
  m: Float64Array,
  grayLevels: Int32Array,
  maxRun: number,
  nr: number,
): Record<string, number> {
  const n = grayLevels.length;
  const pr = new Float64Array(maxRun);
  const pg = new Float64Array(n);
  let srlgle = 0;
  let srhgle = 0;
  let lrlgle = 0;
  let lrhgle = 0;
  let entropy = 0;
  for (let i = 0; i < n; i++) {
    const gi = grayLevels[i]!;
    const i2 = gi * gi;
    for (let r = 0; r < maxRun; r++) {
      const v = m[i * maxRun + r]!;
      if (v === 0) continue;
      const j = r + 1;
      const j2 = j * j;
      pr[r] = pr[r]! + v;
      pg[i] = pg[i]! + v;
      srlgle += v / (i2 * j2);
      srhgle += (v * i2) / j2;
      lrlgle += (v * j2) / i2;
      lrhgle += v * (j2 * i2);
      const p = v / nr;
      entropy += p * Math.log2(p + EPS);
    }
  }
  let sre = 0;
  let lre = 0;
  let rln = 0;
  let np = 0;
  for (let r = 0; r < maxRun; r++) {
    const v = pr[r]!;
    const j = r + 1;
    sre += v / (j * j);
    lre += v * (j * j);
    rln += v * v;
    np += v * j;
  }
  let gln = 0;
  let lglre = 0;
  let hglre = 0;
  for (let i = 0; i < n; i++) {
    const v = pg[i]!;
    const gi = grayLevels[i]!;
    gln += v * v;
    lglre += v / (gi * gi);
    hglre += v * (gi * gi);
  }
  let muI = 0;
  for (let i = 0; i < n; i++) muI += (pg[i]! / nr) * grayLevels[i]!;
  let glv = 0;
  for (let i = 0; i < n; i++) {
    const d = grayLevels[i]! - muI;
    glv += (pg[i]! / nr) * (d * d);
  }
  let muJ = 0;
  for (let r = 0; r < maxRun; r++) muJ += (pr[r]! / nr) * (r + 1);
  let rv = 0;
  for (let r = 0; r < maxRun; r++) {
    const d = r + 1 - muJ;
    rv += (pr[r]! / nr) * (d * d);
  }
  return {
    GrayLevelNonUniformity: gln / nr,
    GrayLevelNonUniformityNormalized: gln / (nr * nr),
    GrayLevelVariance: glv,
    HighGrayLevelRunEmphasis: hglre / nr,
    LongRunEmphasis: lre / nr,
    LongRunHighGrayLevelEmphasis: lrhgle / nr,
    LongRunLowGrayLevelEmphasis: lrlgle / nr,
    LowGrayLevelRunEmphasis: lglre / nr,
    RunEntropy: -entropy,
    RunLengthNonUniformity: rln / nr,
    RunLengthNonUniformityNormalized: rln / (nr * nr),
    RunPercentage: nr / np,
    RunVariance: rv,
    ShortRunEmphasis: sre / nr,
    ShortRunHighGrayLevelEmphasis: srhgle / nr,
    ShortRunLowGrayLevelEmphasis: srlgle / nr,
  };
}

/**
 * GLRLM features of a discretised ROI (PyRadiomics RadiomicsGLRLM): each feature per angle, then
 * numpy.nanmean over angles. Names are PyRadiomics feature names without prefix; unknown names throw.
 */
export function computeGlrlmFeatures(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
): FeatureValues {
  const selected = resolveFeatureNames(GLRLM_CLASS, names);
  const result: FeatureValues = {};
  if (selected.length === 0) return result;
  const { matrices, runCounts, angleCount, maxRun, grayLevels } = glrlmMatrices(roi, settings);
  const block = grayLevels.length * maxRun;
  const perAngle: Record<string, number>[] = [];
  for (let a = 0; a < angleCount; a++) {
    const nr = runCounts[a]!;
    if (Number.isNaN(nr)) {
      const values: Record<string, number> = {};
      for (const name of GLRLM_CLASS.features) values[name] = Number.NaN;
      perAngle.push(values);
      continue;
    }
    perAngle.push(
      angleFeatures(matrices.subarray(a * block, (a + 1) * block), grayLevels, maxRun, nr),
    );
  }
  const column = new Float64Array(perAngle.length);
  for (const name of selected) {
    for (let a = 0; a < perAngle.length; a++) column[a] = perAngle[a]![name]!;
    result[name] = nanMean(column);
  }
  return result;
}
