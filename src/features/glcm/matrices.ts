/**
 * Construction of the processed GLCMs (PyRadiomics glcm._calculateMatrix): raw co-occurrence counts
 * from the shared neighbour pass, symmetrisation (P + P^T), distance weighting of the angles
 * (weightingNorm), removal of empty angles and normalisation of each matrix to sum 1.
 */
import { sharedNeighbourTallies } from "../neighbour-tallies.js";
import {
  angleDistanceParts,
  angleSums,
  checkWeightingNorm,
  inspectTextureRoi,
  neighbourOffsets,
  type TextureRoi,
  weightedAngleSum,
} from "../texture-common.js";
import type { DiscretisedRoi, TextureSettings } from "../types.js";

/**
 * GLCM angle weights (PyRadiomics glcm._calculateMatrix), with d = |a| * spacing (numpy order):
 * infinity exp(-max(d)^2), euclidean exp(-sum(d^2)), manhattan exp(-(sum d)^2), no_weighting 1.
 */
export function glcmAngleWeight(
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
