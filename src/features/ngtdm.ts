/**
 * Neighbouring Gray Tone Difference Matrix (NGTDM) features, as PyRadiomics computes them
 * (radiomics/ngtdm.py with the C kernel calculate_ngtdm in radiomics/src/cmatrices.c, commit 8ed5793;
 * Amadasun & King 1989).
 *
 * For every ROI voxel of gray level i, A is the mean gray level of its neighbours (the bidirectional
 * PyRadiomics angles for `distances`, inside the array and the ROI); s_i accumulates |i - A| (0 for
 * a voxel without neighbours) and n_i counts the voxels, including those without neighbours.
 */
import { pairwiseSum } from "./numpy-compat.js";
import { sharedNeighbourTallies } from "./neighbour-tallies.js";
import { type BorderedGrid, inspectTextureRoi, resolveFeatureNames } from "./texture-common.js";
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
 * accumulates in the same order as the C kernel.
 */
export function computeNgtdmMatrix(roi: DiscretisedRoi, settings: TextureSettings): NgtdmMatrix {
  const info = inspectTextureRoi(roi, "ngtdm");
  const { maxLevel } = info;
  const count = new Float64Array(maxLevel);
  const sumAbsDiff = new Float64Array(maxLevel);
  // Each pair of ROI neighbours visited once and counted for both voxels (neighbour-tallies.ts).
  const shared = sharedNeighbourTallies(roi, settings, "ngtdm");
  sumAbsoluteDifferences(shared.grid, shared.neighbours!, shared.sums!, count, sumAbsDiff);
  return { maxLevel, count, sumAbsDiff };
}

/**
 * n_i and s_i from each ROI voxel's neighbour count k and neighbour level sum, in flat-index order
 * (the C kernel's accumulation order): s_i += |i - sum / k| (0 when k = 0).
 */
function sumAbsoluteDifferences(
  grid: BorderedGrid,
  neighbours: Int32Array,
  sums: Int32Array,
  count: Float64Array,
  sumAbsDiff: Float64Array,
): void {
  const { data, roiVoxels } = grid;
  for (let r = 0; r < roiVoxels.length; r++) {
    const v = roiVoxels[r]!;
    const level = data[v]!;
    const k = neighbours[v]!;
    const diff = k === 0 ? 0 : Math.abs(level - sums[v]! / k);
    count[level - 1] = count[level - 1]! + 1;
    sumAbsDiff[level - 1] = sumAbsDiff[level - 1]! + diff;
  }
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
  // Keep the gray levels with n_i > 0 (PyRadiomics deletes the empty ones).
  let ngp = 0;
  for (let g = 0; g < full.maxLevel; g++) if (full.count[g] !== 0) ngp++;
  const n = new Float64Array(ngp);
  const s = new Float64Array(ngp);
  const iv = new Float64Array(ngp);
  let k = 0;
  for (let g = 0; g < full.maxLevel; g++) {
    if (full.count[g] === 0) continue;
    n[k] = full.count[g]!;
    s[k] = full.sumAbsDiff[g]!;
    iv[k] = g + 1;
    k++;
  }
  const nvp = pairwiseSum(n);
  const p = new Float64Array(ngp);
  for (let a = 0; a < ngp; a++) p[a] = n[a]! / nvp;
  const ps = new Float64Array(ngp);
  for (let a = 0; a < ngp; a++) ps[a] = p[a]! * s[a]!;
  const sumPs = pairwiseSum(ps);
  const sumS = pairwiseSum(s);
  const cells = new Float64Array(ngp * ngp);

  for (const name of wanted) {
    switch (name) {
      case "Coarseness":
        out[name] = sumPs !== 0 ? 1 / sumPs : 1e6;
        break;
      case "Contrast": {
        for (let a = 0; a < ngp; a++) {
          for (let b = 0; b < ngp; b++) {
            const d = iv[a]! - iv[b]!;
            cells[a * ngp + b] = p[a]! * p[b]! * (d * d);
          }
        }
        const div = ngp * (ngp - 1);
        out[name] = div !== 0 ? (pairwiseSum(cells) * sumS) / nvp / div : 0;
        break;
      }
      case "Busyness": {
        for (let a = 0; a < ngp; a++) {
          for (let b = 0; b < ngp; b++) {
            cells[a * ngp + b] = Math.abs(iv[a]! * p[a]! - iv[b]! * p[b]!);
          }
        }
        const absdiff = pairwiseSum(cells);
        out[name] = absdiff !== 0 ? sumPs / absdiff : 0;
        break;
      }
      case "Complexity": {
        for (let a = 0; a < ngp; a++) {
          for (let b = 0; b < ngp; b++) {
            const numerator = ps[a]! + ps[b]!;
            const divisor = p[a]! + p[b]!;
            cells[a * ngp + b] =
              (Math.abs(iv[a]! - iv[b]!) * numerator) / (divisor === 0 ? 1 : divisor);
          }
        }
        out[name] = pairwiseSum(cells) / nvp;
        break;
      }
      case "Strength": {
        for (let a = 0; a < ngp; a++) {
          for (let b = 0; b < ngp; b++) {
            const d = iv[a]! - iv[b]!;
            cells[a * ngp + b] = (p[a]! + p[b]!) * (d * d);
          }
        }
        out[name] = sumS !== 0 ? pairwiseSum(cells) / sumS : 0;
        break;
      }
      default:
        throw new Error(`ngtdm: feature '${name}' is not implemented`);
    }
  }
  return out;
}
