/**
 * The 25 IBSI-1 GLCM features of one (possibly merged) co-occurrence matrix, by IBSI's definitions
 * (IBSI-1 manual, "Grey level co-occurrence based features", LFYI; permanent identifiers below).
 *
 * p_ij = M_ij / sum(M); p_i. the row marginal (= column marginal, M is symmetric);
 * p_{i-j,k} = sum of p_ij with |i - j| = k (k = 0..Ng-1); p_{i+j,k} = sum of p_ij with i + j = k
 * (k = 2..2Ng); log base 2. Ng is the number of grey levels of the discretisation (the bin count or
 * highest FBS bin, as MIRP's n_g = intensity range of the discretised image), which the normalised
 * inverse difference (moment) features use.
 *
 * Degenerate matrices follow MIRP (the IBSI reference implementation, cm_features.py):
 * - correlation (NI2N) is 1 when the marginal variance is 0 (a single grey level: 0 / 0);
 * - information correlation 1 (R8DG) is 1 when HX = 0 (a single grey level: 0 / 0);
 * - information correlation 2 (JN9H) is 0 when HXY2 < HXY (only by rounding);
 * - inverse variance (E8JP) is NaN when the matrix has no off-diagonal cell (no term i != j): that
 *   matrix is then left out of the average over matrices (directional-matrices.ts).
 */
import type { SparseCounts } from "./code-counter.js";

/** IBSI tags of the GLCM features, in IBSI-1's order (values come back in this order). */
export const GLCM_TAGS = [
  "cm_joint_max", // GYBY: max p_ij
  "cm_joint_avg", // 60VM: mu = sum i p_ij
  "cm_joint_var", // UR99: sum (i - mu)^2 p_ij
  "cm_joint_entr", // TU9B: -sum p_ij log2 p_ij
  "cm_diff_avg", // TF7R: sum k p_{i-j,k}
  "cm_diff_var", // D3YU: sum (k - diff_avg)^2 p_{i-j,k}
  "cm_diff_entr", // NTRS: -sum p_{i-j,k} log2 p_{i-j,k}
  "cm_sum_avg", // ZGXS: sum k p_{i+j,k}
  "cm_sum_var", // OEEB: sum (k - sum_avg)^2 p_{i+j,k}
  "cm_sum_entr", // P6QZ: -sum p_{i+j,k} log2 p_{i+j,k}
  "cm_energy", // 8ZQL: sum p_ij^2
  "cm_contrast", // ACUI: sum (i - j)^2 p_ij
  "cm_dissimilarity", // 8S9J: sum |i - j| p_ij
  "cm_inv_diff", // IB1Z: sum p_ij / (1 + |i - j|)
  "cm_inv_diff_norm", // NDRX: sum p_ij / (1 + |i - j| / Ng)
  "cm_inv_diff_mom", // WF0Z: sum p_ij / (1 + (i - j)^2)
  "cm_inv_diff_mom_norm", // 1QCO: sum p_ij / (1 + (i - j)^2 / Ng^2)
  "cm_inv_var", // E8JP: sum_{k>=1} p_{i-j,k} / k^2
  "cm_corr", // NI2N: (sum i j p_ij - mu_i.^2) / sigma_i.^2
  "cm_auto_corr", // QWB0: sum i j p_ij
  "cm_clust_tend", // DG8W: sum (i + j - 2 mu_i.)^2 p_ij
  "cm_clust_shade", // 7NFM: sum (i + j - 2 mu_i.)^3 p_ij
  "cm_clust_prom", // AE86: sum (i + j - 2 mu_i.)^4 p_ij
  "cm_info_corr1", // R8DG: (HXY - HXY1) / HX
  "cm_info_corr2", // JN9H: sqrt(1 - exp(-2 (HXY2 - HXY)))
] as const;

const xlog2x = (p: number): number => (p > 0 ? p * Math.log2(p) : 0);

/** GLCM feature values (GLCM_TAGS order) of a non-empty symmetric matrix with Ng = nLevels. */
export function cooccurrenceFeatures(m: SparseCounts, nLevels: number): Float64Array {
  const { codes, counts } = m;
  const ng = nLevels;
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k]!;

  const pRow = new Float64Array(ng + 1);
  const pDiff = new Float64Array(ng);
  const pSum = new Float64Array(2 * ng + 1);
  let jointMax = 0;
  let mu = 0;
  let jointEntropy = 0;
  let energy = 0;
  let contrast = 0;
  let dissimilarity = 0;
  let invDiff = 0;
  let invDiffNorm = 0;
  let invDiffMom = 0;
  let invDiffMomNorm = 0;
  let autoCorr = 0;
  for (let k = 0; k < codes.length; k++) {
    const i = Math.floor(codes[k]! / ng) + 1;
    const j = (codes[k]! % ng) + 1;
    const p = counts[k]! / total;
    const diff = Math.abs(i - j);
    pRow[i]! += p;
    pDiff[diff]! += p;
    pSum[i + j]! += p;
    if (p > jointMax) jointMax = p;
    mu += i * p;
    jointEntropy -= xlog2x(p);
    energy += p * p;
    contrast += diff * diff * p;
    dissimilarity += diff * p;
    invDiff += p / (1 + diff);
    invDiffNorm += p / (1 + diff / ng);
    invDiffMom += p / (1 + diff * diff);
    invDiffMomNorm += p / (1 + (diff * diff) / (ng * ng));
    autoCorr += i * j * p;
  }

  // Marginal mean, variance and entropy (p_i. = p_.j by symmetry).
  let muMarginal = 0;
  for (let i = 1; i <= ng; i++) muMarginal += i * pRow[i]!;
  let varMarginal = 0;
  let hx = 0;
  for (let i = 1; i <= ng; i++) {
    varMarginal += (i - muMarginal) ** 2 * pRow[i]!;
    hx -= xlog2x(pRow[i]!);
  }

  let jointVar = 0;
  let clustTend = 0;
  let clustShade = 0;
  let clustProm = 0;
  let hxy1 = 0;
  for (let k = 0; k < codes.length; k++) {
    const i = Math.floor(codes[k]! / ng) + 1;
    const j = (codes[k]! % ng) + 1;
    const p = counts[k]! / total;
    jointVar += (i - mu) ** 2 * p;
    const c = i + j - 2 * muMarginal;
    clustTend += c * c * p;
    clustShade += c * c * c * p;
    clustProm += c * c * c * c * p;
    hxy1 -= p * Math.log2(pRow[i]! * pRow[j]!);
  }

  let diffAvg = 0;
  let diffEntropy = 0;
  let invVar = 0;
  let offDiagonal = false;
  for (let k = 0; k < ng; k++) {
    const p = pDiff[k]!;
    diffAvg += k * p;
    diffEntropy -= xlog2x(p);
    if (k > 0 && p > 0) {
      invVar += p / (k * k);
      offDiagonal = true;
    }
  }
  let diffVar = 0;
  for (let k = 0; k < ng; k++) diffVar += (k - diffAvg) ** 2 * pDiff[k]!;

  let sumAvg = 0;
  let sumEntropy = 0;
  for (let k = 2; k <= 2 * ng; k++) {
    sumAvg += k * pSum[k]!;
    sumEntropy -= xlog2x(pSum[k]!);
  }
  let sumVar = 0;
  for (let k = 2; k <= 2 * ng; k++) sumVar += (k - sumAvg) ** 2 * pSum[k]!;

  const corr = varMarginal === 0 ? 1 : (autoCorr - muMarginal * muMarginal) / varMarginal;
  const infoCorr1 = hx === 0 ? 1 : (jointEntropy - hxy1) / hx;
  // HXY2 = -sum_ij p_i. p_.j log2(p_i. p_.j) = HX + HY = 2 HX for a normalised symmetric matrix.
  const hxy2 = 2 * hx;
  const infoCorr2 = hxy2 < jointEntropy ? 0 : Math.sqrt(1 - Math.exp(-2 * (hxy2 - jointEntropy)));

  return Float64Array.of(
    jointMax,
    mu,
    jointVar,
    jointEntropy,
    diffAvg,
    diffVar,
    diffEntropy,
    sumAvg,
    sumVar,
    sumEntropy,
    energy,
    contrast,
    dissimilarity,
    invDiff,
    invDiffNorm,
    invDiffMom,
    invDiffMomNorm,
    offDiagonal ? invVar : Number.NaN,
    corr,
    autoCorr,
    clustTend,
    clustShade,
    clustProm,
    infoCorr1,
    infoCorr2,
  );
}
