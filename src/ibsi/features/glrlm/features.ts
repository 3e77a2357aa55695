/**
 * The 16 IBSI-1 GLRLM features of one (possibly merged) run length matrix, by IBSI's definitions
 * (IBSI-1 manual, "Grey level run length based features", TP0I; permanent identifiers below).
 *
 * r_ij: runs of grey level i and length j; N_s = sum r_ij (number of runs); r_i. = sum_j r_ij,
 * r_.j = sum_i r_ij; N_v the ROI voxels the matrix was computed from (summed over merged matrices);
 * p_ij = r_ij / N_s; log base 2. A non-empty matrix defines every feature.
 */
import type { SparseCounts } from "../glcm/code-counter.js";

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
 * (i - 1) * maxRun + (j - 1), computed from nVoxels ROI voxels.
 */
export function runLengthFeatures(
  m: SparseCounts,
  nLevels: number,
  maxRun: number,
  nVoxels: number,
): Float64Array {
  const { codes, counts } = m;
  const rRow = new Float64Array(nLevels + 1);
  const rCol = new Float64Array(maxRun + 1);
  let nRuns = 0;
  let srlge = 0;
  let srhge = 0;
  let lrlge = 0;
  let lrhge = 0;
  let sumI = 0;
  let sumJ = 0;
  for (let k = 0; k < codes.length; k++) {
    const i = Math.floor(codes[k]! / maxRun) + 1;
    const j = (codes[k]! % maxRun) + 1;
    const r = counts[k]!;
    const i2 = i * i;
    const j2 = j * j;
    rRow[i]! += r;
    rCol[j]! += r;
    nRuns += r;
    srlge += r / (i2 * j2);
    srhge += (i2 * r) / j2;
    lrlge += (j2 * r) / i2;
    lrhge += i2 * j2 * r;
    sumI += i * r;
    sumJ += j * r;
  }
  const muI = sumI / nRuns;
  const muJ = sumJ / nRuns;
  let glVar = 0;
  let rlVar = 0;
  let entropy = 0;
  for (let k = 0; k < codes.length; k++) {
    const i = Math.floor(codes[k]! / maxRun) + 1;
    const j = (codes[k]! % maxRun) + 1;
    const p = counts[k]! / nRuns;
    glVar += (i - muI) ** 2 * p;
    rlVar += (j - muJ) ** 2 * p;
    entropy -= p * Math.log2(p);
  }

  let lgre = 0;
  let hgre = 0;
  let glnu = 0;
  for (let i = 1; i <= nLevels; i++) {
    const r = rRow[i]!;
    lgre += r / (i * i);
    hgre += i * i * r;
    glnu += r * r;
  }
  let sre = 0;
  let lre = 0;
  let rlnu = 0;
  for (let j = 1; j <= maxRun; j++) {
    const r = rCol[j]!;
    sre += r / (j * j);
    lre += j * j * r;
    rlnu += r * r;
  }

  return Float64Array.of(
    sre / nRuns,
    lre / nRuns,
    lgre / nRuns,
    hgre / nRuns,
    srlge / nRuns,
    srhge / nRuns,
    lrlge / nRuns,
    lrhge / nRuns,
    glnu / nRuns,
    glnu / (nRuns * nRuns),
    rlnu / nRuns,
    rlnu / (nRuns * nRuns),
    nRuns / nVoxels,
    glVar,
    rlVar,
    entropy,
  );
}
