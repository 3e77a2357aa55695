/**
 * Neighbouring Gray Tone Difference Matrix (NGTDM) features, as PyRadiomics computes them
 * (radiomics/ngtdm.py with the C kernel calculate_ngtdm in radiomics/src/cmatrices.c, commit 8ed5793;
 * Amadasun & King 1989).
 *
 * For every ROI voxel of gray level i, A is the mean gray level of its neighbours (the bidirectional
 * PyRadiomics angles for `distances`, inside the array and the ROI); s_i accumulates |i - A| (0 for
 * a voxel without neighbours) and n_i counts the voxels, including those without neighbours.
 */
import { ngtdmFeatureTable, ngtdmTallyTable } from "../kernels/texture-features.js";
import { sharedNeighbourTallies } from "./neighbour-tallies.js";
import { inspectTextureRoi, resolveFeatureNames } from "./texture-common.js";
import type { DiscretisedRoi, FeatureClassInfo, FeatureValues, TextureSettings } from "./types.js";

/** NGTDM features in PyRadiomics order (alphabetical by getter name); none is deprecated. */
export const NGTDM_CLASS: FeatureClassInfo = {
  name: "ngtdm",
  features: ["Busyness", "Coarseness", "Complexity", "Contrast", "Strength"],
  deprecated: [],
};

/** The NGTDM for gray levels 1..maxLevel, as PyRadiomics' C kernel fills it. */
export interface NgtdmMatrix {
  maxLevel: number;
  /** count[g - 1] = n_g, number of ROI voxels of gray level g. */
  count: Float64Array;
  /** sumAbsDiff[g - 1] = s_g, sum over those voxels of |g - mean neighbour level|. */
  sumAbsDiff: Float64Array;
}

/**
 * Builds the NGTDM (PyRadiomics calculate_ngtdm), visiting voxels in flat-index order so that s_i
 * accumulates in the same order as the C kernel: for each ROI voxel with k neighbours whose levels
 * sum to S, n_i += 1 and s_i += |i - S / k| (0 when k = 0).
 */
export function computeNgtdmMatrix(roi: DiscretisedRoi, settings: TextureSettings): NgtdmMatrix {
  const info = inspectTextureRoi(roi, "ngtdm");
  const { maxLevel } = info;
  // Each pair of ROI neighbours visited once and counted for both voxels (neighbour-tallies.ts);
  // n_i and s_i summed in the WebAssembly kernel (src/kernels/assembly/texture-features.ts).
  const shared = sharedNeighbourTallies(roi, settings, "ngtdm");
  const { data, roiVoxels } = shared.grid;
  const { count, sumAbsDiff } = ngtdmTallyTable(
    data,
    roiVoxels,
    shared.neighbours!,
    shared.sums!,
    maxLevel,
  );
  return { maxLevel, count, sumAbsDiff };
}

/**
 * NGTDM features (PyRadiomics ngtdm.py), over the Ngp gray levels present (p_i = n_i / Nvp,
 * Nvp = sum n_i):
 * Coarseness = 1 / sum p_i s_i (1e6 when the sum is 0);
 * Contrast = [sum_ij p_i p_j (i-j)^2] [sum_i s_i] / Nvp / (Ngp (Ngp-1)) (0 when Ngp = 1);
 * Busyness = sum p_i s_i / sum_ij |i p_i - j p_j| (0 when the denominator is 0);
 * Complexity = sum_ij |i-j| (p_i s_i + p_j s_j) / (p_i + p_j) / Nvp;
 * Strength = sum_ij (p_i + p_j)(i-j)^2 / sum_i s_i (0 when sum s_i = 0).
 */
export function computeNgtdmFeatures(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
): FeatureValues {
  const wanted = resolveFeatureNames(NGTDM_CLASS, names);
  const out: FeatureValues = {};
  if (wanted.length === 0) return out;
  const full = computeNgtdmMatrix(roi, settings);
  // Every formula at once: one WebAssembly kernel call (src/kernels/assembly/texture-features.ts);
  // its slots follow NGTDM_CLASS.features.
  const table = ngtdmFeatureTable(full.count, full.sumAbsDiff);
  for (const name of wanted) out[name] = table[NGTDM_CLASS.features.indexOf(name)]!;
  return out;
}
