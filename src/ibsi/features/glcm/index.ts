/**
 * IBSI-1 grey level co-occurrence matrix features (GLCM, IBSI-1 manual LFYI): the 25 cm_* features
 * for each of the six aggregation methods BTW3, SUJT (2D), JJUI, ZW7Z (2.5D), ITBB, IAZD (3D).
 *
 * Input: the discretised ROI (levels 1..Ng inside the intensity mask, 0 outside) on an x-fastest
 * grid with z the slice axis. Output: one IbsiFeatureValue per (aggregation, feature), tags as in
 * IBSI-1's reference tables. Features are NaN (deliberately) where the ROI has no voxel pair for an
 * aggregation, e.g. a single-voxel ROI.
 */
import type { Vec3 } from "../../../image/volume.js";
import { KernelCodeCounts } from "../../../kernels/ibsi-code-counts.js";
import {
  checkTextureDimensions,
  type IbsiDiscretised,
  type IbsiFeatureValue,
  IbsiSettingError,
  type IbsiTextureDimension,
} from "../../types.js";
import { checkDiscretised } from "../discretised-roi.js";
import { CodeCounter, countsDensely } from "./code-counter.js";
import { aggregateFeatures } from "./directional-matrices.js";
import { cooccurrenceFeatures, GLCM_TAGS } from "./features.js";
import { cooccurrenceMatrices } from "./matrices.js";

export { GLCM_TAGS } from "./features.js";

export interface GlcmOptions {
  /** Chebyshev distance delta between paired voxels (IBSI default 1); a positive integer. */
  distance: number;
  /** Which aggregations to compute: "2D" (BTW3, SUJT), "2.5D" (JJUI, ZW7Z), "3D" (ITBB, IAZD). */
  dimensions?: readonly IbsiTextureDimension[];
}

/** The 25 IBSI GLCM features for every requested aggregation (all six by default). */
export function glcmFeatures(
  d: IbsiDiscretised,
  size: Vec3,
  options: GlcmOptions,
): IbsiFeatureValue[] {
  const { distance } = options;
  if (!Number.isInteger(distance) || distance < 1) {
    throw new IbsiSettingError(`GLCM: distance must be a positive integer, got ${distance}`);
  }
  checkDiscretised(d, size, "GLCM");
  const dimensions = checkTextureDimensions(options.dimensions, "GLCM");
  // The pairs are counted in WebAssembly into the counter's dense cells, laid out in kernel
  // memory beside the grid (a Map-based counter, for very many levels, counts here).
  const codeSpace = d.nLevels * d.nLevels;
  const kernel = countsDensely(codeSpace) ? new KernelCodeCounts(d.levels, codeSpace) : null;
  const counter = new CodeCounter(codeSpace, kernel?.cells);
  const set = cooccurrenceMatrices(d, size, distance, dimensions.includes("3D"), counter, kernel);
  return aggregateFeatures(set, dimensions, GLCM_TAGS, counter, (m) =>
    cooccurrenceFeatures(m.counts, d.nLevels),
  );
}
