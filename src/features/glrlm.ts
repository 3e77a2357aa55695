/**
 * Gray Level Run Length Matrix (GLRLM) features as PyRadiomics computes them (radiomics/glrlm.py
 * and calculate_glrlm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * For each angle a (distance 1, mono-directional, over the cropped array), every line of the array
 * along a is walked once from its first voxel; P_a(i, j) counts the runs (maximal sequences of
 * consecutive ROI voxels sharing gray level i) of length j. An angle along which no line holds more
 * than one ROI voxel is emptied (the ROI is flat in that direction). Optional distance weights
 * collapse the angles; empty angles are dropped; features are computed per angle and averaged
 * ignoring NaN (numpy.nanmean). The feature formulas, per angle: pr(j) = sum_i P, pg(i) = sum_j P,
 * e.g. SRE = sum pr / j^2 / Nr, RP = Nr / sum(j pr), GLV = sum pg/Nr (i - mu)^2,
 * RE = -sum P/Nr log2(P/Nr + eps) (in src/kernels/assembly/texture-features.ts).
 */
import { countRuns } from "../kernels/runs.js";
import { glrlmFeatureTable } from "../kernels/texture-features.js";
import {
  angleDistanceParts,
  angleSums,
  type BorderedGrid,
  borderedGrid,
  checkWeightingNorm,
  inspectTextureRoi,
  neighbourOffsets,
  resolveFeatureNames,
  weightedAngleSum,
} from "./texture-common.js";
import type { DiscretisedRoi, FeatureClassInfo, FeatureValues, TextureSettings } from "./types.js";

export const GLRLM_CLASS: FeatureClassInfo = {
  name: "glrlm",
  // PyRadiomics order: get<Name>FeatureValue methods sorted by name (inspect.getmembers); also the
  // slots of glrlmFeatureTable's result.
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
export function glrlmAngleWeight(
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
  const { matrices, runCounts, maxRun, grayLevels } = glrlmMatrices(roi, settings);
  // Every feature per angle, then averaged over the angles: one WebAssembly kernel call
  // (src/kernels/assembly/texture-features.ts).
  const table = glrlmFeatureTable(matrices, runCounts, grayLevels, maxRun);
  for (const name of selected) result[name] = table[GLRLM_CLASS.features.indexOf(name)]!;
  return result;
}
