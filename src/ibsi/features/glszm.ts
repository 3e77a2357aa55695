/**
 * IBSI-1 grey level size zone matrix features (GLSZM, permanent id 9SAK; IBSI-1 manual, chapter 3,
 * "Grey level size zone based features"): s_ij counts the zones (groups of linked voxels of equal
 * discretised grey level; 8-connected in-plane for 2D, 26-connected for 3D) with grey level i and
 * size j. Aggregations 8QNN (2D, averaged over slices), 62GR (2.5D, slice matrices merged) and KOBO
 * (3D).
 */
import type { Vec3 } from "../../image/volume.js";
import type { IbsiDiscretised, IbsiFeatureValue } from "../types.js";
import {
  aggregateTexture,
  checkDiscretised,
  padRoi,
  placeSlices,
  roiVoxelsPerSlice,
  sliceRanges,
  sumOf,
} from "./slice-aggregation.js";
import {
  buildLevelCountMatrix,
  type LevelCountMatrix,
  labelZones,
  levelCountFeatures,
} from "./zone-labelling.js";

/** IBSI tags of the 16 GLSZM features, in levelCountFeatures' order. */
export const GLSZM_TAGS: readonly string[] = [
  "szm_sze",
  "szm_lze",
  "szm_lgze",
  "szm_hgze",
  "szm_szlge",
  "szm_szhge",
  "szm_lzlge",
  "szm_lzhge",
  "szm_glnu",
  "szm_glnu_norm",
  "szm_zsnu",
  "szm_zsnu_norm",
  "szm_z_perc",
  "szm_gl_var",
  "szm_zs_var",
  "szm_zs_entr",
];

/** The GLSZMs of a discretised ROI: one per slice (undefined where empty) and the 3D one. */
export interface GlszmMatrices {
  slices: (LevelCountMatrix | undefined)[];
  volume: LevelCountMatrix | undefined;
}

/** Zones of the ROI (padRoi: cropped to its bounding box): 2D ones by slice, and the 3D matrix. */
function sizeZones(d: IbsiDiscretised, size: Vec3) {
  checkDiscretised(d, size, "GLSZM");
  const roi = padRoi(d.levels, size);
  const perSlice = roiVoxelsPerSlice(roi.levels, roi.size);
  const flat = labelZones(roi.levels, roi.size, "2D");
  const deep = labelZones(roi.levels, roi.size, "3D");
  return {
    zOffset: roi.zOffset,
    perSlice,
    sliceStart: sliceRanges(flat.slice, flat.count, roi.size[2]),
    build2d: (from: number, to: number, nVoxels: number) =>
      buildLevelCountMatrix(flat.level, flat.size, from, to, nVoxels),
    volume: buildLevelCountMatrix(deep.level, deep.size, 0, deep.count, sumOf(perSlice)),
  };
}

/** The per-slice (2D, indexed by z) and volumetric (3D) grey level size zone matrices. */
export function glszmMatrices(d: IbsiDiscretised, size: Vec3): GlszmMatrices {
  const z = sizeZones(d, size);
  const slices = Array.from(z.perSlice, (nv, k) =>
    z.build2d(z.sliceStart[k]!, z.sliceStart[k + 1]!, nv),
  );
  return { slices: placeSlices(slices, z.zOffset, size[2]), volume: z.volume };
}

/**
 * The 16 GLSZM features in the aggregations 8QNN, 62GR and KOBO (48 values). `d.levels` > 0 marks
 * the intensity mask. NaN only where no zone exists (empty intensity mask).
 */
export function glszmFeatures(d: IbsiDiscretised, size: Vec3): IbsiFeatureValue[] {
  const z = sizeZones(d, size);
  return aggregateTexture(
    { tags: GLSZM_TAGS, build: z.build2d, features: levelCountFeatures },
    z.sliceStart,
    z.perSlice,
    z.volume,
  );
}
