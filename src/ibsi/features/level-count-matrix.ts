/**
 * The grey level x count matrix that four IBSI-1 texture families share (IBSI-1 manual, chapter 3),
 * and its features, which the manual defines alike for all four:
 * - GLRLM (TP0I): r_ij, runs of grey level i and length j;
 * - GLSZM (9SAK): s_ij, zones of grey level i and size j;
 * - GLDZM (VMDZ): d_ij, zones of grey level i and distance j to the ROI edge;
 * - NGLDM (REK0): s_ij, voxels of grey level i and dependence count j.
 * The matrix is sparse (its non-zero elements, sorted by (i, j)), so a fine discretisation costs no
 * Ng x Nj work. Also: the matrices of a zone or neighbourhood family from its observations (one per
 * zone or voxel, recorded with its i and j).
 */
import {
  once,
  type PaddedRoi,
  type SliceObservations,
  sliceObservations,
} from "./slice-aggregation.js";

/**
 * Sparse grey level x count matrix: its non-zero elements s_ij, sorted by (i, j), and the number of
 * intensity-mask voxels N_v it covers.
 */
export interface LevelCountMatrix {
  /** Grey level i of each element. */
  level: Int32Array;
  /** Count j (run length, zone size, zone distance or dependence count; >= 1) of each element. */
  count: Int32Array;
  /** s_ij of each element (> 0). */
  weight: Float64Array;
  /** N_v: intensity-mask voxels the matrix covers (summed when matrices are merged). */
  nVoxels: number;
}

/** Key of (i, j): j < 2^26 (a zone of at most 67 million voxels), i * 2^26 + j exact in float64. */
const COUNT_STRIDE = 2 ** 26;

/**
 * The matrix of observations from..to-1 (observation k adds 1 to s_{level[k], count[k]}), or
 * undefined when there are none. O(m log m) for m observations (typed-array sort of the keys).
 */
export function buildLevelCountMatrix(
  level: Int32Array,
  count: Int32Array,
  from: number,
  to: number,
  nVoxels: number,
): LevelCountMatrix | undefined {
  if (to <= from) return undefined;
  const keys = new Float64Array(to - from);
  for (let k = from; k < to; k++) {
    const j = count[k]!;
    if (!(j >= 1 && j < COUNT_STRIDE)) throw new Error(`count ${j} outside 1..2^26-1`);
    keys[k - from] = level[k]! * COUNT_STRIDE + j;
  }
  keys.sort();
  let distinct = 1;
  for (let k = 1; k < keys.length; k++) if (keys[k] !== keys[k - 1]) distinct++;
  const out: LevelCountMatrix = {
    level: new Int32Array(distinct),
    count: new Int32Array(distinct),
    weight: new Float64Array(distinct),
    nVoxels,
  };
  let e = -1;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (k === 0 || key !== keys[k - 1]) {
      e++;
      const i = Math.floor(key / COUNT_STRIDE);
      out.level[e] = i;
      out.count[e] = key - i * COUNT_STRIDE;
    }
    out.weight[e]! += 1;
  }
  return out;
}

/**
 * Features of a non-empty grey level x count matrix (IBSI-1 3.7 GLRLM, 3.8 GLSZM, 3.9 GLDZM,
 * 3.11 NGLDM; N_s = sum s_ij, p_ij = s_ij / N_s, s_i. and s_.j the marginal sums), in this order:
 *  0 small count emphasis      (1/N_s) sum_j s_.j / j^2        rlm_sre   szm_sze   dzm_sde   ngl_lde
 *  1 large count emphasis      (1/N_s) sum_j j^2 s_.j          rlm_lre   szm_lze   dzm_lde   ngl_hde
 *  2 low grey level emphasis   (1/N_s) sum_i s_i. / i^2        rlm_lgre  szm_lgze  dzm_lgze  ngl_lgce
 *  3 high grey level emphasis  (1/N_s) sum_i i^2 s_i.          rlm_hgre  szm_hgze  dzm_hgze  ngl_hgce
 *  4 small count low grey      (1/N_s) sum s_ij / (i^2 j^2)    rlm_srlge szm_szlge dzm_sdlge ngl_ldlge
 *  5 small count high grey     (1/N_s) sum i^2 s_ij / j^2      rlm_srhge szm_szhge dzm_sdhge ngl_ldhge
 *  6 large count low grey      (1/N_s) sum j^2 s_ij / i^2      rlm_lrlge szm_lzlge dzm_ldlge ngl_hdlge
 *  7 large count high grey     (1/N_s) sum i^2 j^2 s_ij        rlm_lrhge szm_lzhge dzm_ldhge ngl_hdhge
 *  8 grey level non-uniformity (1/N_s) sum_i s_i.^2            *_glnu
 *  9 ... normalised            (1/N_s^2) sum_i s_i.^2          *_glnu_norm
 * 10 count non-uniformity      (1/N_s) sum_j s_.j^2            rlm_rlnu  szm_zsnu  dzm_zdnu  ngl_dcnu
 * 11 ... normalised            (1/N_s^2) sum_j s_.j^2          *_norm
 * 12 percentage                N_s / N_v                       rlm_r_perc szm_z_perc dzm_z_perc ngl_dc_perc
 * 13 grey level variance       sum (i - mu_i)^2 p_ij, mu_i = sum i p_ij      *_gl_var
 * 14 count variance            sum (j - mu_j)^2 p_ij, mu_j = sum j p_ij      rlm_rl_var ...
 * 15 entropy                   -sum p_ij log2 p_ij             rlm_rl_entr szm_zs_entr ...
 * 16 energy                    sum p_ij^2                      ngl_dc_energy
 * All finite for a non-empty matrix (i, j >= 1). The sums of integers (N_s, the marginals, sum i s_ij)
 * are exact; divisions come after them (the emphases from the marginals, mu_i = sum i s_ij / N_s).
 */
export function levelCountFeatures(m: LevelCountMatrix): Float64Array {
  const { level, count, weight } = m;
  const elements = weight.length;
  let maxLevel = 0;
  let maxCount = 0;
  for (let e = 0; e < elements; e++) {
    if (level[e]! > maxLevel) maxLevel = level[e]!;
    if (count[e]! > maxCount) maxCount = count[e]!;
  }
  const rowSums = new Float64Array(maxLevel + 1);
  const colSums = new Float64Array(maxCount + 1);
  let ns = 0;
  let smallLow = 0;
  let smallHigh = 0;
  let largeLow = 0;
  let largeHigh = 0;
  let sumI = 0;
  let sumJ = 0;
  for (let e = 0; e < elements; e++) {
    const i = level[e]!;
    const j = count[e]!;
    const s = weight[e]!;
    const i2 = i * i;
    const j2 = j * j;
    rowSums[i]! += s;
    colSums[j]! += s;
    ns += s;
    smallLow += s / (i2 * j2);
    smallHigh += (i2 * s) / j2;
    largeLow += (j2 * s) / i2;
    largeHigh += i2 * j2 * s;
    sumI += i * s;
    sumJ += j * s;
  }
  const meanI = sumI / ns;
  const meanJ = sumJ / ns;
  let varI = 0;
  let varJ = 0;
  let entropy = 0;
  let energy = 0;
  for (let e = 0; e < elements; e++) {
    const p = weight[e]! / ns;
    varI += (level[e]! - meanI) ** 2 * p;
    varJ += (count[e]! - meanJ) ** 2 * p;
    entropy -= p * Math.log2(p);
    energy += p * p;
  }
  let lowGrey = 0;
  let highGrey = 0;
  let rowSquares = 0;
  for (let i = 1; i <= maxLevel; i++) {
    const r = rowSums[i]!;
    lowGrey += r / (i * i);
    highGrey += i * i * r;
    rowSquares += r * r;
  }
  let smallCount = 0;
  let largeCount = 0;
  let colSquares = 0;
  for (let j = 1; j <= maxCount; j++) {
    const c = colSums[j]!;
    smallCount += c / (j * j);
    largeCount += j * j * c;
    colSquares += c * c;
  }
  return Float64Array.of(
    smallCount / ns,
    largeCount / ns,
    lowGrey / ns,
    highGrey / ns,
    smallLow / ns,
    smallHigh / ns,
    largeLow / ns,
    largeHigh / ns,
    rowSquares / ns,
    rowSquares / (ns * ns),
    colSquares / ns,
    colSquares / (ns * ns),
    ns / m.nVoxels,
    varI,
    varJ,
    entropy,
    energy,
  );
}

/** Observations 0..length-1 in raster order, each adding 1 to s_{level, count}. */
export interface LevelCountObservations {
  length: number;
  level: Int32Array;
  count: Int32Array;
  /** Slice of each observation (non-decreasing); needed for the 2D observations only. */
  slice: Int32Array;
}

/**
 * The observations of a zone or neighbourhood family (GLSZM, GLDZM, NGLDM) on a padded ROI, ready
 * for aggregateTexture / textureMatrices: `flat` the 2D ones (in-plane neighbourhood), `deep` the
 * 3D ones, each computed when first needed (only for the aggregations asked for).
 */
export function levelCountObservations(
  roi: PaddedRoi,
  flat: () => LevelCountObservations,
  deep: () => LevelCountObservations,
): SliceObservations<LevelCountMatrix> {
  const flatOnce = once(flat);
  return sliceObservations(
    roi,
    flatOnce,
    (from, to, nVoxels) => {
      const f = flatOnce();
      return buildLevelCountMatrix(f.level, f.count, from, to, nVoxels);
    },
    (nVoxels) => {
      const d = deep();
      return buildLevelCountMatrix(d.level, d.count, 0, d.length, nVoxels);
    },
  );
}
