/**
 * Construction of the processed GLCMs (PyRadiomics glcm._calculateMatrix): raw co-occurrence counts
 * from the shared neighbour pass, symmetrisation (P + P^T), distance weighting of the angles
 * (weightingNorm), removal of empty angles and normalisation of each matrix to sum 1.
 */
import { processedGlcmMatrices } from "../../kernels/glcm-matrices.js";
import { sharedNeighbourTallies } from "../neighbour-tallies.js";
import {
  angleDistanceParts,
  checkWeightingNorm,
  inspectTextureRoi,
  neighbourOffsets,
  type TextureRoi,
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
  // Raw counts from the neighbour pass (neighbour-tallies.ts), processed in the WebAssembly kernel
  // (src/kernels/assembly/glcm-matrices.ts): P + P^T, the weighted sum over the angles, empty
  // angles dropped, each matrix divided by its sum.
  const counts = sharedNeighbourTallies(roi, settings, "glcm").glcm!;
  const norm = settings.weightingNorm;
  const weights =
    norm === null
      ? null
      : Float64Array.from(nb.angles, (angle) => glcmAngleWeight(angle, geometry.spacing, norm));
  const { matrices, kept } = processedGlcmMatrices(
    counts,
    nb.count,
    n,
    settings.symmetricalGLCM,
    weights,
  );
  return { matrices, angleCount: kept, geometry };
}
