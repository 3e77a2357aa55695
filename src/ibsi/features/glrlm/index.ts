/**
 * IBSI-1 grey level run length matrix features (GLRLM, IBSI-1 manual TP0I): the 16 rlm_* features
 * for each of the six aggregation methods BTW3, SUJT (2D), JJUI, ZW7Z (2.5D), ITBB, IAZD (3D).
 *
 * Input: the discretised ROI (levels 1..Ng inside the intensity mask, 0 outside) on an x-fastest
 * grid with z the slice axis. Output: one IbsiFeatureValue per (aggregation, feature), tags as in
 * IBSI-1's reference tables; every feature is NaN (deliberately) for an empty ROI.
 */
import type { Vec3 } from "../../../image/volume.js";
import {
  checkTextureDimensions,
  type IbsiDiscretised,
  type IbsiFeatureValue,
  type IbsiTextureDimension,
} from "../../types.js";
import { checkDiscretised } from "../discretised-roi.js";
import { aggregateFeatures } from "../glcm/directional-matrices.js";
import { GLRLM_TAGS, runLengthFeatures } from "./features.js";
import { runLengthMatrices } from "./matrices.js";

export { GLRLM_TAGS } from "./features.js";

export interface GlrlmOptions {
  /** Which aggregations to compute: "2D" (BTW3, SUJT), "2.5D" (JJUI, ZW7Z), "3D" (ITBB, IAZD). */
  dimensions?: readonly IbsiTextureDimension[];
}

/** The 16 IBSI GLRLM features for every requested aggregation (all six by default). */
export function glrlmFeatures(
  d: IbsiDiscretised,
  size: Vec3,
  options: GlrlmOptions = {},
): IbsiFeatureValue[] {
  checkDiscretised(d, size, "GLRLM");
  const dimensions = checkTextureDimensions(options.dimensions, "GLRLM");
  const { set, maxRun, counter } = runLengthMatrices(d, size, dimensions.includes("3D"));
  return aggregateFeatures(set, dimensions, GLRLM_TAGS, counter, (m) =>
    runLengthFeatures(m.counts, maxRun, m.nVoxels),
  );
}
