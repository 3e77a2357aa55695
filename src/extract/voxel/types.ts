/**
 * What a feature class's batched voxel-based computation sees (src/extract/voxel.ts drives them):
 * one derived image's discretised grid and every kernel of it at once, so that a class computes all
 * its kernels in one pass (one WebAssembly call where it can) instead of one pipeline per kernel.
 */

import type { TextureSettings } from "../../features/types.js";
import type { Vec3 } from "../../image/volume.js";

/** One derived image on the map grid (the image cropped to the ROI's box + kernelRadius). */
export interface VoxelGrid {
  /** Gray level per voxel (x fastest), 1..nLevels where `mask` is 1 (ignored elsewhere). */
  levels: Int32Array;
  /** Intensities per voxel (first order), as doubles. */
  values: Float64Array;
  /** The discretisation mask: the ROI with maskedKernel (the default), all ones otherwise. */
  mask: Uint8Array;
  size: Vec3;
  spacing: Vec3;
  /** As DiscretisedRoi.dimension: 2 for a true 2D image, 3 otherwise. */
  dimension: 2 | 3;
  /** The ROI's highest gray level (PyRadiomics' Ng for every kernel). */
  nLevels: number;
  /** The gray levels present in the ROI, ascending (DiscretisedRoi.roiGrayLevels). */
  roiGrayLevels: Int32Array;
  /** The derived image's voxelArrayShift (first order's Energy, TotalEnergy, RMS). */
  voxelArrayShift: number;
}

/** Every kernel of a grid, in map order (the ROI voxels, ascending grid index). */
export interface VoxelKernels {
  /** Grid index of each kernel's centre voxel. */
  centres: Int32Array;
  /**
   * Texture classes: each kernel's box (cmatrices set_bb: the centre +- kernelRadius clipped to the
   * grid, one voxel thick along a force2D axis), 6 per kernel: lower x, y, z, upper x, y, z
   * (inclusive). A kernel's texture ROI is the box's voxels where the grid's mask is 1.
   */
  boxes: Int32Array;
  /**
   * First order: the kernel offsets (x, y, z triples, PyRadiomics' order, the centre last); a
   * kernel's voxels are centre + offset inside the grid, and inside the mask when maskedKernel.
   */
  offsets: Int32Array;
  maskedKernel: boolean;
}

/**
 * A class's voxel-based computation: for kernel k and feature names[i], out[i][centres[k]] is the
 * value the class's segment-based computation gives on kernel k's ROI (DiscretisedRoi with the
 * grid's roiGrayLevels), left unwritten where that gives no value (deprecated names).
 */
export type VoxelClassCompute = (
  grid: VoxelGrid,
  kernels: VoxelKernels,
  texture: TextureSettings,
  names: readonly string[],
  out: readonly Float64Array[],
) => void;
