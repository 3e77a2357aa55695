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
  compactZoneMatrix,
  inspectTextureRoi,
  neighbourOffsets,
  resolveFeatureNames,
  ZoneFormulas,
} from "./texture-common.js";
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
 * inside the array and the ROI and |level(i) - level(j)| <= gldm_a.
 */
export function computeGldmMatrix(roi: DiscretisedRoi, settings: TextureSettings): GldmMatrix {
  const alpha = settings.gldm_a;
  // PyRadiomics hands gldm_a to its C kernel as a C int ("i" format): non-integers are refused.
  if (!Number.isInteger(alpha)) {
    throw new Error(`gldm: setting 'gldm_a' must be an integer, got ${alpha}`);
  }
  const info = inspectTextureRoi(roi, "gldm");
  const { maxLevel } = info;
  const nb = neighbourOffsets(info, settings.distances, settings, true, "gldm");
  const columns = nb.count + 1;
  const counts = new Float64Array(maxLevel * columns);
  // Each pair of ROI neighbours tested once and counted for both voxels (neighbour-tallies.ts).
  const shared = sharedNeighbourTallies(roi, settings, "gldm");
  const dependent = shared.dependent!;
  const { data, roiVoxels } = shared.grid;
  for (let r = 0; r < roiVoxels.length; r++) {
    const v = roiVoxels[r]!;
    counts[(data[v]! - 1) * columns + dependent[v]!]++;
  }
  const present = new Uint8Array(maxLevel + 1);
  for (let g = 1; g <= maxLevel; g++) present[g] = info.levelIndex[g]! >= 0 ? 1 : 0;
  return { counts, maxLevel, columns, present };
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
  const full = computeGldmMatrix(roi, settings);
  const m = compactZoneMatrix(full.counts, full.maxLevel, full.columns, full.present);
  const f = new ZoneFormulas(m);
  for (const name of wanted) {
    switch (name) {
      case "SmallDependenceEmphasis":
        out[name] = f.smallEmphasis();
        break;
      case "LargeDependenceEmphasis":
        out[name] = f.largeEmphasis();
        break;
      case "GrayLevelNonUniformity":
        out[name] = f.grayLevelNonUniformity(false);
        break;
      case "DependenceNonUniformity":
        out[name] = f.sizeNonUniformity(false);
        break;
      case "DependenceNonUniformityNormalized":
        out[name] = f.sizeNonUniformity(true);
        break;
      case "GrayLevelVariance":
        out[name] = f.grayLevelVariance();
        break;
      case "DependenceVariance":
        out[name] = f.sizeVariance();
        break;
      case "DependenceEntropy":
        out[name] = f.entropy();
        break;
      case "LowGrayLevelEmphasis":
        out[name] = f.lowGrayLevelEmphasis();
        break;
      case "HighGrayLevelEmphasis":
        out[name] = f.highGrayLevelEmphasis();
        break;
      case "SmallDependenceLowGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => p / (i2 * j2));
        break;
      case "SmallDependenceHighGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => (p * i2) / j2);
        break;
      case "LargeDependenceLowGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => (p * j2) / i2);
        break;
      case "LargeDependenceHighGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => p * (j2 * i2));
        break;
      default:
        throw new Error(`gldm: feature '${name}' is not implemented`);
    }
  }
  return out;
}
