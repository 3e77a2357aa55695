/**
 * What IBSI-1's grey level size zone (GLSZM, 9SAK) and distance zone (GLDZM, VMDZ) matrices share
 * (IBSI-1 manual, chapter 3):
 * - the zones: groups of linked intensity-mask voxels with the same discretised grey level, linked
 *   within Chebyshev distance 1 (8-connected in-plane for 2D and 2.5D, 26-connected for 3D);
 * - the sparse grey level x count matrix M (s_ij: number of zones of grey level i and size /
 *   distance j), which the neighbouring grey level dependence matrix (NGLDM, REK0) shares too
 *   (s_ij: voxels of grey level i and dependence count j);
 * - the features of such a matrix, defined alike for the three families (GLRLM-based definitions:
 *   small / large count emphasis, grey level emphases, non-uniformities, percentage, variances,
 *   entropy, and NGLDM's energy).
 */
import type { Vec3 } from "../../image/volume.js";
import {
  assertZeroBorder,
  chebyshevOffsets,
  type TextureNeighbourhood,
} from "./slice-aggregation.js";

/** The zones of a discretised ROI, numbered in raster order of their first voxel. */
export interface Zones {
  /** Number of zones. */
  count: number;
  /** Zone of each voxel, -1 outside the intensity mask. */
  zoneOf: Int32Array;
  /** Grey level of each zone. */
  level: Int32Array;
  /** Voxels of each zone. */
  size: Int32Array;
  /** Slice (z) of each zone's first voxel: the zone's slice for 2D zones; non-decreasing. */
  slice: Int32Array;
}

/**
 * Labels the zones of `levels` (level > 0 = intensity mask): voxels of equal level linked within
 * Chebyshev distance 1, in-plane (8-connectivity, 2D) or in the volume (26-connectivity, 3D).
 * Voxels outside the intensity mask link nothing. The grid must have a zero border (padToBox).
 * Flood fill with an explicit stack: O(N).
 */
export function labelZones(
  levels: Int32Array,
  size: Vec3,
  neighbourhood: TextureNeighbourhood,
): Zones {
  assertZeroBorder(levels, size);
  const nxy = size[0] * size[1];
  const n = levels.length;
  const offsets = chebyshevOffsets(size, neighbourhood);
  const zoneOf = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const zoneLevel: number[] = [];
  const zoneSize: number[] = [];
  const zoneSlice: number[] = [];
  for (let seed = 0; seed < n; seed++) {
    const g = levels[seed]!;
    if (g <= 0 || zoneOf[seed]! >= 0) continue;
    const zone = zoneLevel.length;
    zoneOf[seed] = zone;
    let top = 0;
    let voxels = 0;
    stack[top++] = seed;
    while (top > 0) {
      const v = stack[--top]!;
      voxels++;
      for (let o = 0; o < offsets.length; o++) {
        const w = v + offsets[o]!;
        if (levels[w] !== g || zoneOf[w]! >= 0) continue;
        zoneOf[w] = zone;
        stack[top++] = w;
      }
    }
    zoneLevel.push(g);
    zoneSize.push(voxels);
    zoneSlice.push(Math.floor(seed / nxy));
  }
  return {
    count: zoneLevel.length,
    zoneOf,
    level: Int32Array.from(zoneLevel),
    size: Int32Array.from(zoneSize),
    slice: Int32Array.from(zoneSlice),
  };
}

/**
 * Sparse grey level x count matrix: its non-zero elements s_ij, sorted by (i, j), and the number of
 * intensity-mask voxels N_v it covers.
 */
export interface LevelCountMatrix {
  /** Grey level i of each element. */
  level: Int32Array;
  /** Count j (zone size, zone distance or dependence count; >= 1) of each element. */
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
 * Features of a grey level x count matrix (IBSI-1 3.8 GLSZM, 3.9 GLDZM, 3.11 NGLDM; N_s = sum s_ij,
 * p_ij = s_ij / N_s, s_i. and s_.j the marginal sums), in this order:
 *  0 small count emphasis        (1/N_s) sum_j s_.j / j^2           szm_sze  dzm_sde   ngl_lde
 *  1 large count emphasis        (1/N_s) sum_j j^2 s_.j             szm_lze  dzm_lde   ngl_hde
 *  2 low grey level emphasis     (1/N_s) sum_i s_i. / i^2           szm_lgze dzm_lgze  ngl_lgce
 *  3 high grey level emphasis    (1/N_s) sum_i i^2 s_i.             szm_hgze dzm_hgze  ngl_hgce
 *  4 small count low grey        (1/N_s) sum s_ij / (i^2 j^2)       szm_szlge dzm_sdlge ngl_ldlge
 *  5 small count high grey       (1/N_s) sum i^2 s_ij / j^2         szm_szhge dzm_sdhge ngl_ldhge
 *  6 large count low grey        (1/N_s) sum j^2 s_ij / i^2         szm_lzlge dzm_ldlge ngl_hdlge
 *  7 large count high grey       (1/N_s) sum i^2 j^2 s_ij           szm_lzhge dzm_ldhge ngl_hdhge
 *  8 grey level non-uniformity   (1/N_s) sum_i s_i.^2               *_glnu
 *  9 ... normalised              (1/N_s^2) sum_i s_i.^2             *_glnu_norm
 * 10 count non-uniformity        (1/N_s) sum_j s_.j^2               szm_zsnu dzm_zdnu  ngl_dcnu
 * 11 ... normalised              (1/N_s^2) sum_j s_.j^2             *_norm
 * 12 percentage                  N_s / N_v                          szm_z_perc dzm_z_perc ngl_dc_perc
 * 13 grey level variance         sum (i - mu_i)^2 p_ij, mu_i = sum i p_ij        *_gl_var
 * 14 count variance              sum (j - mu_j)^2 p_ij, mu_j = sum j p_ij        szm_zs_var ...
 * 15 entropy                     -sum p_ij log2 p_ij                szm_zs_entr dzm_zd_entr ngl_dc_entr
 * 16 energy                      sum p_ij^2                         ngl_dc_energy
 * All finite for a non-empty matrix (i, j >= 1).
 */
export function levelCountFeatures(m: LevelCountMatrix): Float64Array {
  const { level, count, weight } = m;
  const elements = weight.length;
  let ns = 0;
  let maxLevel = 0;
  let maxCount = 0;
  for (let e = 0; e < elements; e++) {
    ns += weight[e]!;
    if (level[e]! > maxLevel) maxLevel = level[e]!;
    if (count[e]! > maxCount) maxCount = count[e]!;
  }
  const rowSums = new Float64Array(maxLevel + 1);
  const colSums = new Float64Array(maxCount + 1);
  let smallCount = 0;
  let largeCount = 0;
  let lowGrey = 0;
  let highGrey = 0;
  let smallLow = 0;
  let smallHigh = 0;
  let largeLow = 0;
  let largeHigh = 0;
  let meanI = 0;
  let meanJ = 0;
  let entropy = 0;
  let energy = 0;
  for (let e = 0; e < elements; e++) {
    const i = level[e]!;
    const j = count[e]!;
    const s = weight[e]!;
    const i2 = i * i;
    const j2 = j * j;
    rowSums[i]! += s;
    colSums[j]! += s;
    smallCount += s / j2;
    largeCount += s * j2;
    lowGrey += s / i2;
    highGrey += s * i2;
    smallLow += s / (i2 * j2);
    smallHigh += (s * i2) / j2;
    largeLow += (s * j2) / i2;
    largeHigh += s * i2 * j2;
    const p = s / ns;
    meanI += i * p;
    meanJ += j * p;
    entropy -= p * Math.log2(p);
    energy += p * p;
  }
  let varI = 0;
  let varJ = 0;
  for (let e = 0; e < elements; e++) {
    const p = weight[e]! / ns;
    varI += (level[e]! - meanI) ** 2 * p;
    varJ += (count[e]! - meanJ) ** 2 * p;
  }
  let rowSquares = 0;
  for (const r of rowSums) rowSquares += r * r;
  let colSquares = 0;
  for (const c of colSums) colSquares += c * c;
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
