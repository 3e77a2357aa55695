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
import type { IbsiDiscretised, IbsiFeatureValue } from "../types.js";
import {
  aggregateTexture,
  chebyshevOffsets,
  checkDiscretised,
  padRoi,
  placeSlices,
  roiVoxelsPerSlice,
  sliceRanges,
  sumOf,
  type TextureNeighbourhood,
} from "./slice-aggregation.js";
import {
  buildLevelCountMatrix,
  type LevelCountMatrix,
  levelCountFeatures,
} from "./zone-labelling.js";

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

/** Per-voxel observations in raster order: grey level, dependence count and slice of each voxel. */
interface DependenceObservations {
  count: number;
  level: Int32Array;
  dependence: Int32Array;
  slice: Int32Array;
}

/** Observations of the voxels of a grid with a zero border (padRoi), in raster order. */
function observe(
  levels: Int32Array,
  size: Vec3,
  neighbourhood: TextureNeighbourhood,
): DependenceObservations {
  const nxy = size[0] * size[1];
  const offsets = chebyshevOffsets(size, neighbourhood);
  const level = new Int32Array(levels.length);
  const dependence = new Int32Array(levels.length);
  const slice = new Int32Array(levels.length);
  let count = 0;
  for (let v = 0; v < levels.length; v++) {
    const g = levels[v]!;
    if (g <= 0) continue;
    // The centre counts itself: j_k >= 1. alpha = 0: only equal grey levels are dependent, and
    // voxels outside the intensity mask (level 0) never equal g.
    let j = 1;
    for (let o = 0; o < offsets.length; o++) if (levels[v + offsets[o]!] === g) j++;
    level[count] = g;
    dependence[count] = j;
    slice[count] = Math.floor(v / nxy);
    count++;
  }
  return { count, level, dependence, slice };
}

/** The NGLDMs of a discretised ROI: one per slice (undefined where empty) and the 3D one. */
export interface NgldmMatrices {
  slices: (LevelCountMatrix | undefined)[];
  volume: LevelCountMatrix | undefined;
}

/** Observations of the ROI (padRoi: cropped to its bounding box): 2D ones by slice, and the 3D matrix. */
function dependences(d: IbsiDiscretised, size: Vec3) {
  checkDiscretised(d, size, "NGLDM");
  const roi = padRoi(d.levels, size);
  const perSlice = roiVoxelsPerSlice(roi.levels, roi.size);
  const flat = observe(roi.levels, roi.size, "2D");
  const deep = observe(roi.levels, roi.size, "3D");
  return {
    zOffset: roi.zOffset,
    perSlice,
    sliceStart: sliceRanges(flat.slice, flat.count, roi.size[2]),
    build2d: (from: number, to: number, nVoxels: number) =>
      buildLevelCountMatrix(flat.level, flat.dependence, from, to, nVoxels),
    volume: buildLevelCountMatrix(deep.level, deep.dependence, 0, deep.count, sumOf(perSlice)),
  };
}

/** The per-slice (2D, indexed by z) and volumetric (3D) NGLDMs. */
export function ngldmMatrices(d: IbsiDiscretised, size: Vec3): NgldmMatrices {
  const n = dependences(d, size);
  const slices = Array.from(n.perSlice, (nv, k) =>
    n.build2d(n.sliceStart[k]!, n.sliceStart[k + 1]!, nv),
  );
  return { slices: placeSlices(slices, n.zOffset, size[2]), volume: n.volume };
}

/**
 * The 17 NGLDM features in the aggregations 8QNN, 62GR and KOBO (51 values). `d.levels` > 0 marks
 * the intensity mask. NaN only for an empty intensity mask.
 */
export function ngldmFeatures(d: IbsiDiscretised, size: Vec3): IbsiFeatureValue[] {
  const n = dependences(d, size);
  return aggregateTexture(
    { tags: NGLDM_TAGS, build: n.build2d, features: levelCountFeatures },
    n.sliceStart,
    n.perSlice,
    n.volume,
  );
}
