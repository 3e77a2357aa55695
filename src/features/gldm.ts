/**
 * Gray Level Dependence Matrix (GLDM) features, as PyRadiomics computes them (radiomics/gldm.py with
 * the C kernel calculate_gldm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * For every ROI voxel of gray level i, its dependence count is the number of neighbours (the
 * bidirectional PyRadiomics angles for the `distances` setting, inside the array and the ROI) whose
 * gray level differs from i by at most alpha (gldm_a). P(i, j) counts the voxels of level i with
 * j - 1 dependent neighbours (column j = 1 means none).
 */
import {
  ZONE_ENTROPY,
  ZONE_GRAY_LEVEL_NON_UNIFORMITY,
  ZONE_GRAY_LEVEL_VARIANCE,
  ZONE_HIGH_GRAY_LEVEL_EMPHASIS,
  ZONE_LARGE_EMPHASIS,
  ZONE_LARGE_HIGH_GRAY_LEVEL_EMPHASIS,
  ZONE_LARGE_LOW_GRAY_LEVEL_EMPHASIS,
  ZONE_LOW_GRAY_LEVEL_EMPHASIS,
  ZONE_SIZE_NON_UNIFORMITY,
  ZONE_SIZE_NON_UNIFORMITY_NORMALIZED,
  ZONE_SIZE_VARIANCE,
  ZONE_SMALL_EMPHASIS,
  ZONE_SMALL_HIGH_GRAY_LEVEL_EMPHASIS,
  ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS,
  type GldmTallies,
  gldmCountTable,
  gldmFeatureTable,
} from "../kernels/texture-features.js";
import { inspectTextureRoi, neighbourOffsets, resolveFeatureNames } from "./texture-common.js";
import { sharedNeighbourTallies } from "./neighbour-tallies.js";
import type { DiscretisedRoi, FeatureClassInfo, FeatureValues, TextureSettings } from "./types.js";

/**
 * GLDM features in PyRadiomics order (alphabetical by getter name). GrayLevelNonUniformityNormalized
 * (equal to first-order Uniformity) and DependencePercentage (always 1) are deprecated: PyRadiomics
 * computes no value for them.
 */
export const GLDM_CLASS: FeatureClassInfo = {
  name: "gldm",
  features: [
    "DependenceEntropy",
    "DependenceNonUniformity",
    "DependenceNonUniformityNormalized",
    "DependencePercentage",
    "DependenceVariance",
    "GrayLevelNonUniformity",
    "GrayLevelNonUniformityNormalized",
    "GrayLevelVariance",
    "HighGrayLevelEmphasis",
    "LargeDependenceEmphasis",
    "LargeDependenceHighGrayLevelEmphasis",
    "LargeDependenceLowGrayLevelEmphasis",
    "LowGrayLevelEmphasis",
    "SmallDependenceEmphasis",
    "SmallDependenceHighGrayLevelEmphasis",
    "SmallDependenceLowGrayLevelEmphasis",
  ],
  deprecated: ["DependencePercentage", "GrayLevelNonUniformityNormalized"],
};

/** Each (non-deprecated) GLDM feature's slot in the zone-formula kernel's table. */
export const GLDM_TABLE_SLOTS: Record<string, number> = {
  DependenceEntropy: ZONE_ENTROPY,
  DependenceNonUniformity: ZONE_SIZE_NON_UNIFORMITY,
  DependenceNonUniformityNormalized: ZONE_SIZE_NON_UNIFORMITY_NORMALIZED,
  DependenceVariance: ZONE_SIZE_VARIANCE,
  GrayLevelNonUniformity: ZONE_GRAY_LEVEL_NON_UNIFORMITY,
  GrayLevelVariance: ZONE_GRAY_LEVEL_VARIANCE,
  HighGrayLevelEmphasis: ZONE_HIGH_GRAY_LEVEL_EMPHASIS,
  LargeDependenceEmphasis: ZONE_LARGE_EMPHASIS,
  LargeDependenceHighGrayLevelEmphasis: ZONE_LARGE_HIGH_GRAY_LEVEL_EMPHASIS,
  LargeDependenceLowGrayLevelEmphasis: ZONE_LARGE_LOW_GRAY_LEVEL_EMPHASIS,
  LowGrayLevelEmphasis: ZONE_LOW_GRAY_LEVEL_EMPHASIS,
  SmallDependenceEmphasis: ZONE_SMALL_EMPHASIS,
  SmallDependenceHighGrayLevelEmphasis: ZONE_SMALL_HIGH_GRAY_LEVEL_EMPHASIS,
  SmallDependenceLowGrayLevelEmphasis: ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS,
};

/** The GLDM as PyRadiomics' C kernel fills it, before empty rows / columns are removed. */
export interface GldmMatrix {
  /**
   * Row-major maxLevel x columns; entry (g-1, k) = number of ROI voxels of gray level g with k
   * dependent neighbours (dependence size k + 1).
   */
  counts: Float64Array;
  maxLevel: number;
  /** Number of angles + 1 (dependence counts 0..angles). */
  columns: number;
  /** present[g] = 1 when gray level g occurs in the ROI. */
  present: Uint8Array;
}

/**
 * Builds the GLDM (PyRadiomics calculate_gldm): a neighbour j of voxel i is dependent when it lies
 * inside the array and the ROI and |level(i) - level(j)| <= gldm_a; each ROI voxel adds 1 at
 * (its level, its number of dependent neighbours), in the WebAssembly kernel.
 */
export function computeGldmMatrix(roi: DiscretisedRoi, settings: TextureSettings): GldmMatrix {
  const { tallies, present } = gldmTallies(roi, settings);
  const counts = gldmCountTable(tallies);
  return { counts, maxLevel: tallies.maxLevel, columns: tallies.columns, present };
}

/** Each ROI voxel's dependent-neighbour count and the gray levels present. */
function gldmTallies(
  roi: DiscretisedRoi,
  settings: TextureSettings,
): { tallies: GldmTallies; present: Uint8Array } {
  const alpha = settings.gldm_a;
  // PyRadiomics hands gldm_a to its C kernel as a C int ("i" format): non-integers are refused.
  if (!Number.isInteger(alpha)) {
    throw new Error(`gldm: setting 'gldm_a' must be an integer, got ${alpha}`);
  }
  const info = inspectTextureRoi(roi, "gldm");
  const { maxLevel } = info;
  const nb = neighbourOffsets(info, settings.distances, settings, true, "gldm");
  // Each pair of ROI neighbours tested once and counted for both voxels (neighbour-tallies.ts).
  const shared = sharedNeighbourTallies(roi, settings, "gldm");
  const { data, roiVoxels } = shared.grid;
  const present = new Uint8Array(maxLevel + 1);
  for (let g = 1; g <= maxLevel; g++) present[g] = info.levelIndex[g]! >= 0 ? 1 : 0;
  const tallies: GldmTallies = {
    grid: data,
    roiVoxels,
    dependent: shared.dependent!,
    maxLevel,
    columns: nb.count + 1,
  };
  return { tallies, present };
}

/**
 * GLDM features (PyRadiomics gldm.py). With P(i,j) the dependence counts and Nz = sum P (= number
 * of ROI voxels): SDE = sum P/j^2 / Nz, LDE = sum P j^2 / Nz, GLN = sum_i (sum_j P)^2 / Nz,
 * DN(N) = sum_j (sum_i P)^2 / Nz (Nz^2), GLV / DV = variances of i / j under p = P / Nz,
 * DE = -sum p log2(p + eps), LGLE = sum P/i^2 / Nz, HGLE = sum P i^2 / Nz, SDLGLE = sum P/(i^2 j^2),
 * SDHGLE = sum P i^2/j^2, LDLGLE = sum P j^2/i^2, LDHGLE = sum P i^2 j^2 (each / Nz).
 * Deprecated names are accepted and skipped (no value), as in PyRadiomics.
 */
export function computeGldmFeatures(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
): FeatureValues {
  const wanted = resolveFeatureNames(GLDM_CLASS, names);
  const out: FeatureValues = {};
  if (wanted.length === 0) return out;
  const { tallies, present } = gldmTallies(roi, settings);
  // The matrix filled, compacted as PyRadiomics does (rows of absent gray levels, then empty
  // columns removed) and every formula evaluated: one WebAssembly kernel call
  // (src/kernels/assembly/texture-features.ts).
  const table = gldmFeatureTable(tallies, present);
  for (const name of wanted) out[name] = table[GLDM_TABLE_SLOTS[name]!]!;
  return out;
}
