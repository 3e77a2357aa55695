/**
 * The 16 IBSI-1 GLRLM features of one (possibly merged) run length matrix, by IBSI's definitions
 * (IBSI-1 manual, "Grey level run length based features", TP0I; permanent identifiers below).
 *
 * r_ij: runs of grey level i and length j; N_s = sum r_ij (number of runs); r_i. = sum_j r_ij,
 * r_.j = sum_i r_ij; N_v the ROI voxels the matrix was computed from (summed over merged matrices);
 * p_ij = r_ij / N_s; log base 2. A non-empty matrix defines every feature. They are those of
 * GLSZM, GLDZM and NGLDM too, computed once for all four (level-count-matrix.ts).
 */
import type { SparseCounts } from "../glcm/code-counter.js";
import { levelCountFeatures } from "../level-count-matrix.js";

/** IBSI tags of the GLRLM features, in IBSI-1's order (values come back in this order). */
export const GLRLM_TAGS = [
  "rlm_sre", // 22OV: sum_j r_.j / j^2 / N_s
  "rlm_lre", // W4KF: sum_j j^2 r_.j / N_s
  "rlm_lgre", // V3SW: sum_i r_i. / i^2 / N_s
  "rlm_hgre", // G3QZ: sum_i i^2 r_i. / N_s
  "rlm_srlge", // HTZT: sum r_ij / (i^2 j^2) / N_s
  "rlm_srhge", // GD3A: sum i^2 r_ij / j^2 / N_s
  "rlm_lrlge", // IVPO: sum j^2 r_ij / i^2 / N_s
  "rlm_lrhge", // 3KUM: sum i^2 j^2 r_ij / N_s
  "rlm_glnu", // R5YN: sum_i r_i.^2 / N_s
  "rlm_glnu_norm", // OVBL: sum_i r_i.^2 / N_s^2
  "rlm_rlnu", // W92Y: sum_j r_.j^2 / N_s
  "rlm_rlnu_norm", // IC23: sum_j r_.j^2 / N_s^2
  "rlm_r_perc", // 9ZK5: N_s / N_v
  "rlm_gl_var", // 8CE5: sum (i - mu_i)^2 p_ij, mu_i = sum i p_ij
  "rlm_rl_var", // SXLW: sum (j - mu_j)^2 p_ij, mu_j = sum j p_ij
  "rlm_rl_entr", // HJ9O: -sum p_ij log2 p_ij
] as const;

/**
 * GLRLM feature values (GLRLM_TAGS order) of a non-empty matrix whose cells are coded
 * (i - 1) * maxRun + (j - 1), computed from nVoxels ROI voxels: the features of the grey level x
 * count matrix (level-count-matrix.ts), which the manual defines for the GLRLM first.
 */
export function runLengthFeatures(m: SparseCounts, maxRun: number, nVoxels: number): Float64Array {
  const { codes, counts } = m;
  const level = new Int32Array(codes.length);
  const count = new Int32Array(codes.length);
  for (let k = 0; k < codes.length; k++) {
    level[k] = Math.floor(codes[k]! / maxRun) + 1;
    count[k] = (codes[k]! % maxRun) + 1;
  }
  const matrix = { level, count, weight: counts, nVoxels };
  return levelCountFeatures(matrix).subarray(0, GLRLM_TAGS.length);
}
