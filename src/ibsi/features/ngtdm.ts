/**
 * IBSI-1 neighbourhood grey tone difference matrix features (NGTDM, permanent id IPET; IBSI-1
 * manual, chapter 3, "Neighbourhood grey tone difference based features").
 *
 * For each intensity-mask voxel k of grey level i, the neighbourhood is the voxels within Chebyshev
 * distance 1 (8 in-plane for 2D and 2.5D, 26 for 3D) that lie in the intensity mask; W_k is their
 * number and X_k their mean grey level. Voxels with W_k = 0 have no valid neighbourhood and are left
 * out. s_i = sum |i - X_k| and n_i = number of such voxels of grey level i; N_vc = sum n_i,
 * p_i = n_i / N_vc, N_gp = number of grey levels with p_i > 0. Merging (2.5D) sums s_i and n_i.
 */
import type { Vec3 } from "../../image/volume.js";
import {
  checkTextureDimensions,
  type IbsiDiscretised,
  type IbsiFeatureValue,
  type IbsiTextureDimension,
} from "../types.js";
import { checkDiscretised } from "./discretised-roi.js";
import {
  aggregateTexture,
  chebyshevOffsets,
  once,
  padRoi,
  type SliceObservations,
  sliceObservations,
  type TextureMatrices,
  type TextureNeighbourhood,
  textureMatrices,
} from "./slice-aggregation.js";

/** IBSI tags of the 5 NGTDM features, in ngtdmMatrixFeatures' order. */
export const NGTDM_TAGS: readonly string[] = [
  "ngt_coarseness",
  "ngt_contrast",
  "ngt_busyness",
  "ngt_complexity",
  "ngt_strength",
];

/** IBSI's cap on coarseness where sum p_i s_i is 0 (manual, coarseness QCDE: 10^6). */
export const NGTDM_MAX_COARSENESS = 1e6;

/** An NGTDM over its present grey levels (n_i > 0), ascending. */
export interface NgtdmMatrix {
  /** Grey levels i with n_i > 0, ascending. */
  level: Int32Array;
  /** s_i of each present level. */
  s: Float64Array;
  /** n_i of each present level. */
  n: Float64Array;
}

/** Per-voxel NGTDM observations in raster order: grey level, |i - X_k| and slice of each voxel. */
interface NgtdmObservations {
  length: number;
  level: Int32Array;
  difference: Float64Array;
  slice: Int32Array;
}

/** Observations of the voxels of a grid with a zero border (padRoi), in raster order. */
function observe(
  levels: Int32Array,
  size: Vec3,
  neighbourhood: TextureNeighbourhood,
): NgtdmObservations {
  const nxy = size[0] * size[1];
  const offsets = chebyshevOffsets(size, neighbourhood);
  const level = new Int32Array(levels.length);
  const difference = new Float64Array(levels.length);
  const slice = new Int32Array(levels.length);
  let length = 0;
  for (let v = 0; v < levels.length; v++) {
    const g = levels[v]!;
    if (g <= 0) continue;
    // Neighbours outside the intensity mask have level 0: they add nothing to the sum nor to W_k.
    let sum = 0;
    let w = 0;
    for (let o = 0; o < offsets.length; o++) {
      const h = levels[v + offsets[o]!]!;
      if (h > 0) {
        sum += h;
        w++;
      }
    }
    if (w === 0) continue;
    level[length] = g;
    difference[length] = Math.abs(g - sum / w);
    slice[length] = Math.floor(v / nxy);
    length++;
  }
  return { length, level, difference, slice };
}

/** The NGTDM of observations from..to-1, or undefined when there are none. */
function buildNgtdm(
  obs: NgtdmObservations,
  nLevels: number,
  from: number,
  to: number,
): NgtdmMatrix | undefined {
  if (to <= from) return undefined;
  const s = new Float64Array(nLevels + 1);
  const n = new Float64Array(nLevels + 1);
  for (let k = from; k < to; k++) {
    const g = obs.level[k]!;
    s[g]! += obs.difference[k]!;
    n[g]! += 1;
  }
  let present = 0;
  for (let g = 1; g <= nLevels; g++) if (n[g]! > 0) present++;
  const out: NgtdmMatrix = {
    level: new Int32Array(present),
    s: new Float64Array(present),
    n: new Float64Array(present),
  };
  let e = 0;
  for (let g = 1; g <= nLevels; g++) {
    if (n[g] === 0) continue;
    out.level[e] = g;
    out.s[e] = s[g]!;
    out.n[e] = n[g]!;
    e++;
  }
  return out;
}

/**
 * The 5 NGTDM features of a non-empty matrix (manual, NGTDM features; sums over present levels):
 * - coarseness 1 / sum p_i s_i, capped at 10^6 (where the sum is below 10^-6, e.g. 0);
 * - contrast [sum p_a p_b (a - b)^2 / (N_gp (N_gp - 1))] [sum s_i / N_vc]; 0 when N_gp = 1;
 * - busyness sum p_i s_i / sum |a p_a - b p_b|; 0 when N_gp = 1 (denominator 0);
 * - complexity (1 / N_vc) sum |a - b| (p_a s_a + p_b s_b) / (p_a + p_b);
 * - strength sum (p_a + p_b)(a - b)^2 / sum s_i; 0 when sum s_i = 0.
 * The double sums run over ordered pairs of present levels; O(N_gp^2).
 */
export function ngtdmMatrixFeatures(m: NgtdmMatrix): Float64Array {
  const { level, s, n } = m;
  const present = level.length;
  let nvc = 0;
  let sumS = 0;
  for (let e = 0; e < present; e++) {
    nvc += n[e]!;
    sumS += s[e]!;
  }
  const p = Float64Array.from(n, (ni) => ni / nvc);
  let ps = 0;
  for (let e = 0; e < present; e++) ps += p[e]! * s[e]!;
  // Each unordered pair a < b once, doubled: the ordered-pair sums are symmetric and the a = b
  // terms vanish.
  let contrastSum = 0;
  let busynessDenominator = 0;
  let complexitySum = 0;
  let strengthSum = 0;
  for (let a = 0; a < present; a++) {
    const ia = level[a]!;
    const pa = p[a]!;
    for (let b = a + 1; b < present; b++) {
      const ib = level[b]!;
      const pb = p[b]!;
      const diff = ib - ia;
      contrastSum += 2 * pa * pb * diff * diff;
      busynessDenominator += 2 * Math.abs(ia * pa - ib * pb);
      complexitySum += (2 * diff * (pa * s[a]! + pb * s[b]!)) / (pa + pb);
      strengthSum += 2 * (pa + pb) * diff * diff;
    }
  }
  const coarseness = ps < 1 / NGTDM_MAX_COARSENESS ? NGTDM_MAX_COARSENESS : 1 / ps;
  const contrast = present > 1 ? (contrastSum / (present * (present - 1))) * (sumS / nvc) : 0;
  const busyness = present > 1 && busynessDenominator > 0 ? ps / busynessDenominator : 0;
  const complexity = complexitySum / nvc;
  const strength = sumS > 0 ? strengthSum / sumS : 0;
  return Float64Array.of(coarseness, contrast, busyness, complexity, strength);
}

/** The NGTDMs of a discretised ROI: one per slice (undefined where empty) and the 3D one. */
export type NgtdmMatrices = TextureMatrices<NgtdmMatrix>;

/** Neighbourhoods of the ROI's voxels (padRoi: cropped to its bounding box). */
function neighbourhoods(d: IbsiDiscretised, size: Vec3): SliceObservations<NgtdmMatrix> {
  checkDiscretised(d, size, "NGTDM");
  const roi = padRoi(d.levels, size);
  const flat = once(() => observe(roi.levels, roi.size, "2D"));
  return sliceObservations(
    roi,
    flat,
    (from, to) => buildNgtdm(flat(), d.nLevels, from, to),
    () => {
      const deep = observe(roi.levels, roi.size, "3D");
      return buildNgtdm(deep, d.nLevels, 0, deep.length);
    },
  );
}

/** The per-slice (2D, indexed by z) and volumetric (3D) NGTDMs. */
export function ngtdmMatrices(d: IbsiDiscretised, size: Vec3): NgtdmMatrices {
  return textureMatrices(neighbourhoods(d, size), size[2]);
}

/**
 * The 5 NGTDM features in the aggregations 8QNN, 62GR and KOBO (15 values). `d.levels` > 0 marks
 * the intensity mask. NaN only where no voxel has a valid neighbourhood (e.g. an empty mask, or
 * isolated voxels only); slices without one contribute nothing to 8QNN and 62GR.
 */
export function ngtdmFeatures(
  d: IbsiDiscretised,
  size: Vec3,
  dimensions?: readonly IbsiTextureDimension[],
): IbsiFeatureValue[] {
  return aggregateTexture(
    neighbourhoods(d, size),
    NGTDM_TAGS,
    ngtdmMatrixFeatures,
    checkTextureDimensions(dimensions, "NGTDM"),
  );
}
