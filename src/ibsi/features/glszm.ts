/**
 * IBSI-1 grey level size zone matrix features (GLSZM, permanent id 9SAK; IBSI-1 manual, chapter 3,
 * "Grey level size zone based features"): s_ij counts the zones (groups of linked voxels of equal
 * discretised grey level; 8-connected in-plane for 2D, 26-connected for 3D) with grey level i and
 * size j. Aggregations 8QNN (2D, averaged over slices), 62GR (2.5D, slice matrices merged) and KOBO
 * (3D).
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
  levelCountFeatures,
  levelCountObservations,
} from "./level-count-matrix.js";
import {
  aggregateTexture,
  padRoi,
  type SliceObservations,
  type TextureMatrices,
  type TextureNeighbourhood,
  textureMatrices,
} from "./slice-aggregation.js";
import { labelZones } from "./zone-labelling.js";

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
export type GlszmMatrices = TextureMatrices<LevelCountMatrix>;

/** Zones of the ROI (padRoi: cropped to its bounding box), counted by grey level and size. */
function sizeZones(d: IbsiDiscretised, size: Vec3): SliceObservations<LevelCountMatrix> {
  checkDiscretised(d, size, "GLSZM");
  const roi = padRoi(d.levels, size);
  const zones = (neighbourhood: TextureNeighbourhood) => () => {
    const z = labelZones(roi.levels, roi.size, neighbourhood);
    return { length: z.count, level: z.level, count: z.size, slice: z.slice };
  };
  return levelCountObservations(roi, zones("2D"), zones("3D"));
}

/** The per-slice (2D, indexed by z) and volumetric (3D) grey level size zone matrices. */
export function glszmMatrices(d: IbsiDiscretised, size: Vec3): GlszmMatrices {
  return textureMatrices(sizeZones(d, size), size[2]);
}

/**
 * The 16 GLSZM features in the aggregations 8QNN, 62GR and KOBO (48 values). `d.levels` > 0 marks
 * the intensity mask. NaN only where no zone exists (empty intensity mask).
 */
export function glszmFeatures(
  d: IbsiDiscretised,
  size: Vec3,
  dimensions?: readonly IbsiTextureDimension[],
): IbsiFeatureValue[] {
  return aggregateTexture(
    sizeZones(d, size),
    GLSZM_TAGS,
    levelCountFeatures,
    checkTextureDimensions(dimensions, "GLSZM"),
  );
}
