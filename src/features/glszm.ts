/**
 * Gray Level Size Zone Matrix (GLSZM) features, as PyRadiomics computes them (radiomics/glszm.py with
 * the C kernel calculate_glszm / fill_glszm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * A zone is a maximal set of connected ROI voxels sharing one gray level. Voxels are connected when
 * one lies at a PyRadiomics "angle" of distance 1 (infinity norm) from the other: 26-connectivity in
 * 3D, 8-connectivity in 2D, and in-plane connectivity only when force2D is set (the angles along
 * force2Ddimension are dropped). P(i, j) counts the zones of gray level i and size j.
 */
import {
  ZONE_ENTROPY,
  ZONE_GRAY_LEVEL_NON_UNIFORMITY,
  ZONE_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED,
  ZONE_GRAY_LEVEL_VARIANCE,
  ZONE_HIGH_GRAY_LEVEL_EMPHASIS,
  ZONE_LARGE_EMPHASIS,
  ZONE_LARGE_HIGH_GRAY_LEVEL_EMPHASIS,
  ZONE_LARGE_LOW_GRAY_LEVEL_EMPHASIS,
  ZONE_LOW_GRAY_LEVEL_EMPHASIS,
  ZONE_PERCENTAGE,
  ZONE_SIZE_NON_UNIFORMITY,
  ZONE_SIZE_NON_UNIFORMITY_NORMALIZED,
  ZONE_SIZE_VARIANCE,
  ZONE_SMALL_EMPHASIS,
  ZONE_SMALL_HIGH_GRAY_LEVEL_EMPHASIS,
  ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS,
  zoneFeatureTable,
} from "../kernels/texture-features.js";
import { findZones } from "../kernels/zones.js";
import {
  borderedGrid,
  type CompactZoneMatrix,
  gridOffsets,
  inspectTextureRoi,
  neighbourOffsets,
  resolveFeatureNames,
  zoneMatrix,
} from "./texture-common.js";
import type { DiscretisedRoi, FeatureClassInfo, FeatureValues, TextureSettings } from "./types.js";

/** GLSZM features in PyRadiomics order (alphabetical by getter name); none is deprecated. */
export const GLSZM_CLASS: FeatureClassInfo = {
  name: "glszm",
  features: [
    "GrayLevelNonUniformity",
    "GrayLevelNonUniformityNormalized",
    "GrayLevelVariance",
    "HighGrayLevelZoneEmphasis",
    "LargeAreaEmphasis",
    "LargeAreaHighGrayLevelEmphasis",
    "LargeAreaLowGrayLevelEmphasis",
    "LowGrayLevelZoneEmphasis",
    "SizeZoneNonUniformity",
    "SizeZoneNonUniformityNormalized",
    "SmallAreaEmphasis",
    "SmallAreaHighGrayLevelEmphasis",
    "SmallAreaLowGrayLevelEmphasis",
    "ZoneEntropy",
    "ZonePercentage",
    "ZoneVariance",
  ],
  deprecated: [],
};

/** Each GLSZM feature's slot in the zone-formula kernel's table. */
export const GLSZM_TABLE_SLOTS: Record<string, number> = {
  GrayLevelNonUniformity: ZONE_GRAY_LEVEL_NON_UNIFORMITY,
  GrayLevelNonUniformityNormalized: ZONE_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED,
  GrayLevelVariance: ZONE_GRAY_LEVEL_VARIANCE,
  HighGrayLevelZoneEmphasis: ZONE_HIGH_GRAY_LEVEL_EMPHASIS,
  LargeAreaEmphasis: ZONE_LARGE_EMPHASIS,
  LargeAreaHighGrayLevelEmphasis: ZONE_LARGE_HIGH_GRAY_LEVEL_EMPHASIS,
  LargeAreaLowGrayLevelEmphasis: ZONE_LARGE_LOW_GRAY_LEVEL_EMPHASIS,
  LowGrayLevelZoneEmphasis: ZONE_LOW_GRAY_LEVEL_EMPHASIS,
  SizeZoneNonUniformity: ZONE_SIZE_NON_UNIFORMITY,
  SizeZoneNonUniformityNormalized: ZONE_SIZE_NON_UNIFORMITY_NORMALIZED,
  SmallAreaEmphasis: ZONE_SMALL_EMPHASIS,
  SmallAreaHighGrayLevelEmphasis: ZONE_SMALL_HIGH_GRAY_LEVEL_EMPHASIS,
  SmallAreaLowGrayLevelEmphasis: ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS,
  ZoneEntropy: ZONE_ENTROPY,
  ZonePercentage: ZONE_PERCENTAGE,
  ZoneVariance: ZONE_SIZE_VARIANCE,
};

/**
 * Builds the GLSZM (PyRadiomics calculate_glszm / fill_glszm): every ROI voxel not yet assigned
 * starts a zone, grown with an explicit stack over the distance-1 neighbour angles; each zone adds
 * 1 to P(level, size). Returned compacted as PyRadiomics uses it: rows = gray levels present in the
 * ROI, columns = zone sizes that occur (ascending).
 */
export function computeGlszmMatrix(
  roi: DiscretisedRoi,
  settings: TextureSettings,
): CompactZoneMatrix {
  const { p, ivector, jvector } = glszmCounts(roi, settings);
  return zoneMatrix(p, ivector, jvector);
}

/** The compacted GLSZM counts: rows = gray levels present, columns = zone sizes that occur. */
function glszmCounts(
  roi: DiscretisedRoi,
  settings: TextureSettings,
): { p: Float64Array; ivector: Float64Array; jvector: Float64Array } {
  const info = inspectTextureRoi(roi, "glszm");
  const { levelIndex } = info;
  const nb = neighbourOffsets(info, [1], settings, true, "glszm");
  const grid = borderedGrid(roi, nb.reach, "glszm");
  const offsets = gridOffsets(nb, grid);
  const { data, roiVoxels } = grid;
  // Zones grown in the WebAssembly kernel (src/kernels/assembly/zones.ts).
  const zones = findZones(data, roiVoxels, offsets);
  const zoneCount = zones.level.length;
  const { level: zoneLevel, size: zoneSize, largest: maxZoneSize } = zones;
  // Column of each zone size that occurs, row of each gray level present.
  const sizeColumn = new Int32Array(maxZoneSize + 1).fill(-1);
  for (let k = 0; k < zoneCount; k++) sizeColumn[zoneSize[k]!] = 0;
  let cols = 0;
  for (let s = 1; s <= maxZoneSize; s++) if (sizeColumn[s] === 0) sizeColumn[s] = cols++;
  const jvector = new Float64Array(cols);
  for (let s = 1; s <= maxZoneSize; s++) if (sizeColumn[s]! >= 0) jvector[sizeColumn[s]!] = s;
  const levelRow = levelIndex;
  const rows = info.grayLevels.length;
  const ivector = Float64Array.from(info.grayLevels);
  const p = new Float64Array(rows * cols);
  for (let k = 0; k < zoneCount; k++) {
    const idx = levelRow[zoneLevel[k]!]! * cols + sizeColumn[zoneSize[k]!]!;
    p[idx] = p[idx]! + 1;
  }
  return { p, ivector, jvector };
}

/**
 * GLSZM features (PyRadiomics glszm.py). With P(i,j) the zone counts, Nz = sum P and
 * Np = sum_j j * sum_i P(i,j):
 * SAE = sum P/j^2 / Nz, LAE = sum P j^2 / Nz, GLN(N) = sum_i (sum_j P)^2 / Nz (Nz^2),
 * SZN(N) = sum_j (sum_i P)^2 / Nz (Nz^2), ZP = Nz / Np, GLV / ZV = variances of i / j under
 * p = P / Nz, ZE = -sum p log2(p + eps), LGLZE = sum P/i^2 / Nz, HGLZE = sum P i^2 / Nz, and the
 * joint emphases SALGLE = sum P/(i^2 j^2), SAHGLE = sum P i^2/j^2, LALGLE = sum P j^2/i^2,
 * LAHGLE = sum P i^2 j^2 (each / Nz).
 */
export function computeGlszmFeatures(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
): FeatureValues {
  const wanted = resolveFeatureNames(GLSZM_CLASS, names);
  const out: FeatureValues = {};
  if (wanted.length === 0) return out;
  // Every formula at once: one WebAssembly kernel call (src/kernels/assembly/texture-features.ts).
  const { p, ivector, jvector } = glszmCounts(roi, settings);
  const table = zoneFeatureTable(p, ivector, jvector, false);
  for (const name of wanted) out[name] = table[GLSZM_TABLE_SLOTS[name]!]!;
  return out;
}
