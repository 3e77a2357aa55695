/**
 * Shared types of radscore's IBSI-compliant mode (issue #13): the image and masks after IBSI's
 * processing chain (IBSI-1 manual, chapter 2: interpolation, intensity rounding, ROI interpolation
 * with a partial-volume threshold, re-segmentation), the discretised ROI, and one feature value as
 * IBSI reports it (feature tag + aggregation code, as in IBSI-1's reference-value tables).
 *
 * IBSI mode lives beside the PyRadiomics mode (src/features, src/extract), not inside it: its
 * definitions differ (excess kurtosis, 2D / 2.5D aggregations, separate morphological and intensity
 * masks, GLDZM, NGLDM, ...), and the PyRadiomics mode must not change.
 *
 * Grid convention (as src/image/volume.ts): voxels x fastest, flat index x + nx (y + ny z); z is the
 * slice axis of 2D and 2.5D computations (IBSI's in-plane = axial).
 */
import type { Vec3 } from "../image/volume.js";

/** The image and the ROI's two masks on one grid, after interpolation (IBSI-1 2.1-2.4). */
export interface IbsiImage {
  /** Voxels along x, y, z. */
  size: Vec3;
  /** Voxel spacing in mm along x, y, z. */
  spacing: Vec3;
  /** Intensities at every grid voxel (after interpolation and rounding, if any). */
  intensities: Float64Array;
  /**
   * Morphological mask (1 inside): the ROI after ROI interpolation and the partial-volume
   * threshold, before re-segmentation. Morphology uses it.
   */
  morphologicalMask: Uint8Array;
  /**
   * Intensity mask (1 inside): the morphological mask after re-segmentation (range, outliers).
   * Intensity, histogram and texture features use it.
   */
  intensityMask: Uint8Array;
}

/** Gray levels of the intensity-mask voxels (IBSI-1 2.7 discretisation). */
export interface IbsiDiscretised {
  /** 1..nLevels at intensity-mask voxels, 0 elsewhere (same grid as the image). */
  levels: Int32Array;
  /** Number of gray levels Ng: the bin count (FBN) or the highest bin index (FBS). */
  nLevels: number;
}

/**
 * IBSI-1 aggregation codes (permanent identifiers, IBSI-1 3.6.x "Aggregating features"):
 * GLCM and GLRLM: BTW3 2D averaged, SUJT 2D slice-merged, JJUI 2.5D direction-merged,
 * ZW7Z 2.5D merged, ITBB 3D averaged, IAZD 3D merged; GLSZM, GLDZM, NGTDM, NGLDM: 8QNN 2D,
 * 62GR 2.5D, KOBO 3D. Per-ROI families (morphology, intensity, histograms, IVH, local intensity)
 * have none ("").
 */
export type IbsiAggregation =
  | ""
  | "BTW3"
  | "SUJT"
  | "JJUI"
  | "ZW7Z"
  | "ITBB"
  | "IAZD"
  | "8QNN"
  | "62GR"
  | "KOBO";

/** One feature value as IBSI reports it, e.g. { tag: "cm_joint_max", aggregation: "ITBB" }. */
export interface IbsiFeatureValue {
  /** IBSI feature tag (IBSI-1 reference tables; e.g. "morph_volume", "cm_joint_max"). */
  tag: string;
  aggregation: IbsiAggregation;
  /** NaN where the feature is undefined for the ROI (reported as such, never silently). */
  value: number;
  /** Why the value is NaN (e.g. "one-voxel ROI: no neighbour pairs"); absent for a number. */
  reason?: string;
}

/** Which aggregations of a texture family to compute (all by default). */
export type IbsiTextureDimension = "2D" | "2.5D" | "3D";

/** Every texture aggregation dimension: the parameter file's choices, the families' default. */
export const IBSI_TEXTURE_DIMENSIONS: readonly IbsiTextureDimension[] = ["2D", "2.5D", "3D"];

/** A missing, invalid or contradictory IBSI setting; the message names the setting. */
export class IbsiSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "IbsiSettingError";
  }
}

/**
 * The optional `dimensions` of a texture family (GLCM, GLRLM, GLSZM, GLDZM, NGTDM, NGLDM): every
 * dimension when absent; anything else than "2D", "2.5D" or "3D" is an IbsiSettingError naming the
 * family.
 */
export function checkTextureDimensions(
  dimensions: readonly IbsiTextureDimension[] | undefined,
  family: string,
): readonly IbsiTextureDimension[] {
  if (dimensions === undefined) return IBSI_TEXTURE_DIMENSIONS;
  for (const d of dimensions) {
    if (!IBSI_TEXTURE_DIMENSIONS.includes(d)) {
      throw new IbsiSettingError(
        `${family}: dimensions must be "2D", "2.5D" or "3D", got ${String(d)}`,
      );
    }
  }
  return dimensions;
}
