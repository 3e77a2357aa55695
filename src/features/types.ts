/**
 * Inputs shared by the feature classes. The extraction engine crops image and mask to the ROI's
 * bounding box (plus padDistance), discretises the ROI, and hands each class these views.
 */
import type { Vec3 } from "../image/volume.js";

/** weightingNorm as PyRadiomics accepts it (null = no weighting; 'no_weighting' = weights of 1). */
export type WeightingNorm = null | "manhattan" | "euclidean" | "infinity" | "no_weighting";

export interface TextureSettings {
  /** Neighbour distances (infinity norm) for GLCM, NGTDM and GLDM. PyRadiomics default [1]. */
  distances: number[];
  /** Compute per slice (2D angles only) along force2Ddimension. */
  force2D: boolean;
  /** Numpy axis (0 = z, 1 = y, 2 = x) normal to the slices when force2D is true. */
  force2Ddimension: 0 | 1 | 2;
  symmetricalGLCM: boolean;
  weightingNorm: WeightingNorm;
  /** GLDM dependence tolerance alpha. */
  gldm_a: number;
}

export const DEFAULT_TEXTURE_SETTINGS: TextureSettings = {
  distances: [1],
  force2D: false,
  force2Ddimension: 0,
  symmetricalGLCM: true,
  weightingNorm: null,
  gldm_a: 0,
};

/** A discretised ROI on the cropped grid (x fastest, like every radscore volume). */
export interface DiscretisedRoi {
  /** Gray-level index per voxel, 1..nLevels inside the ROI (values outside the ROI are ignored). */
  levels: Int32Array;
  /** 1 inside the ROI, 0 elsewhere. */
  mask: Uint8Array;
  size: Vec3;
  spacing: Vec3;
  /** Highest gray-level index (number of bins). */
  nLevels: number;
  /**
   * 2 for a true 2D image (numpy axes (y, x), z size 1), 3 otherwise (numpy axes (z, y, x)).
   * force2Ddimension and angle offsets refer to these numpy axes.
   */
  dimension: 2 | 3;
  /**
   * Voxel-based extraction: the gray levels of the whole ROI, ascending. PyRadiomics builds every
   * kernel's matrices over them, so its Ng (Idmn, Idn, the sum and difference distributions) is
   * their highest and MCC sees their number of levels; rows of levels absent from a kernel are
   * empty and change no other feature, so the matrices keep only the levels present here.
   * Default: this ROI's own levels.
   */
  roiGrayLevels?: Int32Array;
  /**
   * The feature classes that will be computed on this ROI (a hint): GLCM, GLDM and NGTDM then share
   * one pass over the neighbour pairs (neighbour-tallies.ts). Results are the same without it.
   */
  sharedClasses?: readonly string[];
}

/** Feature name (PyRadiomics spelling, without image-type and class prefix) to value. */
export type FeatureValues = Record<string, number>;

/** A feature class module: its features in PyRadiomics order, and which are deprecated. */
export interface FeatureClassInfo {
  /** PyRadiomics class name: 'firstorder', 'shape', 'glcm', ... */
  name: string;
  /** Every feature, in PyRadiomics' (alphabetical by method) order. */
  features: readonly string[];
  /** Deprecated features: computed only when named explicitly in featureClass. */
  deprecated: readonly string[];
}
