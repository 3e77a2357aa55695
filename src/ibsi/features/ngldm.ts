/**
 * IBSI-1 neighbouring grey level dependence matrix features (NGLDM, permanent id REK0; IBSI-1
 * manual, chapter 3, "Neighbouring grey level dependence based features"), with coarseness
 * parameter alpha = 0 and Chebyshev distance 1 (IBSI's defaults and the reference configurations).
 *
 * Every intensity-mask voxel k of grey level i is a neighbourhood centre; its dependence count
 * j_k = 1 + the number of intensity-mask voxels within Chebyshev distance 1 (8 in-plane for 2D and
 * 2.5D, 26 for 3D) with |grey level - i| <= alpha (here: equal). s_ij counts centres with grey level
 * i and dependence j; N_s = N_v. Merging (2.5D) sums s_ij and N_v.
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
  type LevelCountMatrix,
  type LevelCountObservations,
  levelCountFeatures,
  levelCountObservations,
} from "./level-count-matrix.js";
import {
  aggregateTexture,
  chebyshevOffsets,
  padRoi,
  type SliceObservations,
  type TextureMatrices,
  type TextureNeighbourhood,
  textureMatrices,
} from "./slice-aggregation.js";

/** IBSI tags of the 17 NGLDM features, in levelCountFeatures' order. */
export const NGLDM_TAGS: readonly string[] = [
  "ngl_lde",
  "ngl_hde",
  "ngl_lgce",
  "ngl_hgce",
  "ngl_ldlge",
  "ngl_ldhge",
  "ngl_hdlge",
  "ngl_hdhge",
  "ngl_glnu",
  "ngl_glnu_norm",
  "ngl_dcnu",
  "ngl_dcnu_norm",
  "ngl_dc_perc",
  "ngl_gl_var",
  "ngl_dc_var",
  "ngl_dc_entr",
  "ngl_dc_energy",
];

/**
 * Each voxel's grey level and dependence count (the matrix's j), in raster order, on a grid with a
 * zero border (padRoi).
 */
function observe(
  levels: Int32Array,
  size: Vec3,
  neighbourhood: TextureNeighbourhood,
): LevelCountObservations {
  const nxy = size[0] * size[1];
  const offsets = chebyshevOffsets(size, neighbourhood);
  const level = new Int32Array(levels.length);
  const dependence = new Int32Array(levels.length);
  const slice = new Int32Array(levels.length);
  let length = 0;
  for (let v = 0; v < levels.length; v++) {
    const g = levels[v]!;
    if (g <= 0) continue;
    // The centre counts itself: j_k >= 1. alpha = 0: only equal grey levels are dependent, and
    // voxels outside the intensity mask (level 0) never equal g.
    let j = 1;
    for (let o = 0; o < offsets.length; o++) if (levels[v + offsets[o]!] === g) j++;
    level[length] = g;
    dependence[length] = j;
    slice[length] = Math.floor(v / nxy);
    length++;
  }
  return { length, level, count: dependence, slice };
}

/** The NGLDMs of a discretised ROI: one per slice (undefined where empty) and the 3D one. */
export type NgldmMatrices = TextureMatrices<LevelCountMatrix>;

/** Dependences of the ROI's voxels (padRoi: cropped to its bounding box). */
function dependences(d: IbsiDiscretised, size: Vec3): SliceObservations<LevelCountMatrix> {
  checkDiscretised(d, size, "NGLDM");
  const roi = padRoi(d.levels, size);
  return levelCountObservations(
    roi,
    () => observe(roi.levels, roi.size, "2D"),
    () => observe(roi.levels, roi.size, "3D"),
  );
}

/** The per-slice (2D, indexed by z) and volumetric (3D) NGLDMs. */
export function ngldmMatrices(d: IbsiDiscretised, size: Vec3): NgldmMatrices {
  return textureMatrices(dependences(d, size), size[2]);
}

/**
 * The 17 NGLDM features in the aggregations 8QNN, 62GR and KOBO (51 values). `d.levels` > 0 marks
 * the intensity mask. NaN only for an empty intensity mask.
 */
export function ngldmFeatures(
  d: IbsiDiscretised,
  size: Vec3,
  dimensions?: readonly IbsiTextureDimension[],
): IbsiFeatureValue[] {
  return aggregateTexture(
    dependences(d, size),
    NGLDM_TAGS,
    levelCountFeatures,
    checkTextureDimensions(dimensions, "NGLDM"),
  );
}
