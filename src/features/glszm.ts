/**
 * Gray Level Size Zone Matrix (GLSZM) features, as PyRadiomics computes them (radiomics/glszm.py with
 * the C kernel calculate_glszm / fill_glszm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * A zone is a maximal set of connected ROI voxels sharing one gray level. Voxels are connected when
 * one lies at a PyRadiomics "angle" of distance 1 (infinity norm) from the other: 26-connectivity in
 * 3D, 8-connectivity in 2D, and in-plane connectivity only when force2D is set (the angles along
 * force2Ddimension are dropped). P(i, j) counts the zones of gray level i and size j.
 */
import { findZones } from "../kernels/zones.js";
import {
  borderedGrid,
  type CompactZoneMatrix,
  gridOffsets,
  inspectTextureRoi,
  neighbourOffsets,
  resolveFeatureNames,
  ZoneFormulas,
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
  return zoneMatrix(p, ivector, jvector);
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
  const m = computeGlszmMatrix(roi, settings);
  // Np = sum_j j * (number of zones of size j): every ROI voxel lies in exactly one zone.
  let np = 0;
  for (let c = 0; c < m.cols; c++) np += m.pc[c]! * m.jvector[c]!;
  if (np === 0) np = 1;
  const f = new ZoneFormulas(m);
  const nz = m.nz === 0 ? 1 : m.nz;
  for (const name of wanted) {
    switch (name) {
      case "SmallAreaEmphasis":
        out[name] = f.smallEmphasis();
        break;
      case "LargeAreaEmphasis":
        out[name] = f.largeEmphasis();
        break;
      case "GrayLevelNonUniformity":
        out[name] = f.grayLevelNonUniformity(false);
        break;
      case "GrayLevelNonUniformityNormalized":
        out[name] = f.grayLevelNonUniformity(true);
        break;
      case "SizeZoneNonUniformity":
        out[name] = f.sizeNonUniformity(false);
        break;
      case "SizeZoneNonUniformityNormalized":
        out[name] = f.sizeNonUniformity(true);
        break;
      case "ZonePercentage":
        out[name] = nz / np;
        break;
      case "GrayLevelVariance":
        out[name] = f.grayLevelVariance();
        break;
      case "ZoneVariance":
        out[name] = f.sizeVariance();
        break;
      case "ZoneEntropy":
        out[name] = f.entropy();
        break;
      case "LowGrayLevelZoneEmphasis":
        out[name] = f.lowGrayLevelEmphasis();
        break;
      case "HighGrayLevelZoneEmphasis":
        out[name] = f.highGrayLevelEmphasis();
        break;
      case "SmallAreaLowGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => p / (i2 * j2));
        break;
      case "SmallAreaHighGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => (p * i2) / j2);
        break;
      case "LargeAreaLowGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => (p * j2) / i2);
        break;
      case "LargeAreaHighGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => p * i2 * j2);
        break;
      default:
        throw new Error(`glszm: feature '${name}' is not implemented`);
    }
  }
  return out;
}
