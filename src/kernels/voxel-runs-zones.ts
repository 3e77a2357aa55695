/**
 * Binding of the voxel-based GLRLM and GLSZM kernels (src/kernels/assembly/voxel-runs-zones.ts):
 * every kernel of a derived image in one call, 16 features per kernel (glrlmFeatureTable's and
 * zoneFeatureTable's slots), each the value src/features/glrlm.ts / glszm.ts give on that kernel.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface VoxelRunZoneExports extends KernelExports {
  voxelGlrlmScratchBytes(
    maxCells: number,
    maxVoxels: number,
    nLevels: number,
    maxRun: number,
    angles: number,
  ): number;
  voxelGlrlm(
    levels: number,
    mask: number,
    nx: number,
    ny: number,
    boxes: number,
    kernelCount: number,
    shapeOf: number,
    angleStart: number,
    angleCount: number,
    angles: number,
    weights: number,
    weighted: number,
    nLevels: number,
    maxCells: number,
    maxVoxels: number,
    maxRun: number,
    maxAngles: number,
    scratch: number,
    out: number,
  ): void;
  voxelGlszmScratchBytes(
    maxCells: number,
    maxVoxels: number,
    nLevels: number,
    angles: number,
  ): number;
  voxelGlszm(
    levels: number,
    mask: number,
    nx: number,
    ny: number,
    boxes: number,
    kernelCount: number,
    shapeOf: number,
    angleStart: number,
    angleCount: number,
    angles: number,
    nLevels: number,
    maxCells: number,
    maxVoxels: number,
    maxAngles: number,
    scratch: number,
    out: number,
  ): void;
}

/** Doubles per kernel in the kernels' tables. */
export const VOXEL_TABLE_WIDTH = 16;

/** The kernels of one derived image and their angle tables. */
export interface VoxelRunZoneInput {
  /** Gray level per grid voxel (x fastest), 1..nLevels where `mask` is 1. */
  levels: Int32Array;
  mask: Uint8Array;
  /** Grid size along x and y (z follows from the arrays' length). */
  nx: number;
  ny: number;
  /** The grid's highest gray level. */
  nLevels: number;
  /** Per kernel, its box: lower x, y, z, upper x, y, z (inclusive). */
  boxes: Int32Array;
  /** Per kernel, its angle table. */
  shapeOf: Int32Array;
  /** Per table, its first angle and number of angles. */
  angleStart: Int32Array;
  angleCount: Int32Array;
  /** dx, dy, dz per angle (grid axes). */
  angles: Int32Array;
  /** Largest box: cells with a one-voxel border, voxels, side, and most angles of a table. */
  maxCells: number;
  maxVoxels: number;
  maxSide: number;
  maxAngles: number;
}

function frameOf(input: VoxelRunZoneInput) {
  const frame = new KernelFrame<VoxelRunZoneExports>();
  const at = {
    levels: frame.input(input.levels),
    mask: frame.input(input.mask),
    boxes: frame.input(input.boxes),
    shapeOf: frame.input(input.shapeOf),
    angleStart: frame.input(input.angleStart),
    angleCount: frame.input(input.angleCount),
    angles: frame.input(input.angles),
  };
  return { frame, at };
}

/**
 * GLRLM features (GLRLM_CLASS.features order) of every kernel, row after row; `weights` (one per
 * angle) collapse the angles when given (weightingNorm), else the angles are averaged.
 */
export function voxelGlrlmTable(
  input: VoxelRunZoneInput,
  weights: Float64Array | null,
): Float64Array {
  const kernelCount = input.shapeOf.length;
  const { frame, at } = frameOf(input);
  const weightsAt = frame.input(weights ?? new Float64Array(input.angles.length / 3));
  const out = frame.reserve64(kernelCount * VOXEL_TABLE_WIDTH);
  const scratch = frame.reserveBytes(
    frame.wasm.voxelGlrlmScratchBytes(
      input.maxCells,
      input.maxVoxels,
      input.nLevels,
      input.maxSide,
      input.maxAngles,
    ),
  );
  frame.commit();
  frame.wasm.voxelGlrlm(
    at.levels,
    at.mask,
    input.nx,
    input.ny,
    at.boxes,
    kernelCount,
    at.shapeOf,
    at.angleStart,
    at.angleCount,
    at.angles,
    weightsAt,
    weights ? 1 : 0,
    input.nLevels,
    input.maxCells,
    input.maxVoxels,
    input.maxSide,
    input.maxAngles,
    scratch,
    out,
  );
  return frame.float64(out, kernelCount * VOXEL_TABLE_WIDTH).slice();
}

/** GLSZM features (zoneFeatureTable's ZONE_* slots) of every kernel, row after row. */
export function voxelGlszmTable(input: VoxelRunZoneInput): Float64Array {
  const kernelCount = input.shapeOf.length;
  const { frame, at } = frameOf(input);
  const out = frame.reserve64(kernelCount * VOXEL_TABLE_WIDTH);
  const scratch = frame.reserveBytes(
    frame.wasm.voxelGlszmScratchBytes(
      input.maxCells,
      input.maxVoxels,
      input.nLevels,
      input.maxAngles,
    ),
  );
  frame.commit();
  frame.wasm.voxelGlszm(
    at.levels,
    at.mask,
    input.nx,
    input.ny,
    at.boxes,
    kernelCount,
    at.shapeOf,
    at.angleStart,
    at.angleCount,
    at.angles,
    input.nLevels,
    input.maxCells,
    input.maxVoxels,
    input.maxAngles,
    scratch,
    out,
  );
  return frame.float64(out, kernelCount * VOXEL_TABLE_WIDTH).slice();
}
