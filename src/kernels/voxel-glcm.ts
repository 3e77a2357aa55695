/**
 * Binding of the voxel-based GLCM kernel (src/kernels/assembly/voxel-glcm.ts, where the method is
 * documented): every kernel's GLCM features of one derived image in one call.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface VoxelGlcmExports extends KernelExports {
  voxelGlcmScratchBytes(maxN: number, ng: number, maxAngles: number, boxCells: number): number;
  voxelGlcm(
    levels: number,
    mask: number,
    nx: number,
    ny: number,
    kernelCount: number,
    boxes: number,
    angleSet: number,
    setStart: number,
    angleOffsets: number,
    angleWeights: number,
    ng: number,
    maxN: number,
    maxAngles: number,
    boxCells: number,
    flags: number,
    matrixLevelCount: number,
    out: number,
    fallback: number,
    scratch: number,
  ): void;
}

/** Columns of a kernel's row: GLCM_ANGLE_FEATURES (src/kernels/glcm-features.ts), then MCC. */
export const VOXEL_GLCM_COLUMNS = 24;

export interface VoxelGlcmInput {
  /** The grid's gray levels (1..ng inside the mask) and mask, x fastest. */
  levels: Int32Array;
  mask: Uint8Array;
  size: readonly [number, number, number];
  /** Per kernel: lower x, y, z, upper x, y, z of its box (inclusive). */
  boxes: Int32Array;
  /** Per kernel: its angle set. */
  angleSet: Int32Array;
  /** Angle set s: angles setStart[s] .. setStart[s + 1) of angleOffsets / angleWeights. */
  setStart: Int32Array;
  /** x, y, z offset of each angle. */
  angleOffsets: Int32Array;
  /** weightingNorm weight of each angle (read only when `weighted`). */
  angleWeights: Float64Array;
  /** Ng: the whole ROI's highest gray level. */
  ng: number;
  /** The whole ROI's number of gray levels. */
  levelCount: number;
  symmetrical: boolean;
  weighted: boolean;
  withMcc: boolean;
}

export interface VoxelGlcmTable {
  /** VOXEL_GLCM_COLUMNS values per kernel, kernel-major. */
  table: Float64Array;
  /** 1 where the kernel's MCC needs the general eigensolver (its table value is then NaN). */
  fallback: Int32Array;
}

/** Runs the kernel over every kernel of the grid. */
export function voxelGlcmTable(input: VoxelGlcmInput): VoxelGlcmTable {
  const [nx, ny, nz] = input.size;
  const kernelCount = input.angleSet.length;
  if (
    input.levels.length !== nx * ny * nz ||
    input.mask.length !== input.levels.length ||
    input.boxes.length !== 6 * kernelCount ||
    input.angleOffsets.length !== 3 * input.angleWeights.length ||
    input.setStart[input.setStart.length - 1] !== input.angleWeights.length
  )
    throw new Error("voxelGlcmTable: array sizes");
  let boxCells = 1;
  for (let k = 0; k < kernelCount; k++) {
    const b = input.boxes.subarray(6 * k, 6 * k + 6);
    boxCells = Math.max(boxCells, (b[3]! - b[0]! + 1) * (b[4]! - b[1]! + 1) * (b[5]! - b[2]! + 1));
  }
  let maxAngles = 1;
  for (let s = 0; s + 1 < input.setStart.length; s++)
    maxAngles = Math.max(maxAngles, input.setStart[s + 1]! - input.setStart[s]!);
  // A kernel holds at most min(the ROI's levels, its voxels) levels.
  const maxN = Math.max(1, Math.min(input.levelCount, boxCells));
  const frame = new KernelFrame<VoxelGlcmExports>();
  const levels = frame.input(input.levels);
  const mask = frame.input(input.mask);
  const boxes = frame.input(input.boxes);
  const angleSet = frame.input(input.angleSet);
  const setStart = frame.input(input.setStart);
  const angleOffsets = frame.input(input.angleOffsets);
  const angleWeights = frame.input(input.angleWeights);
  const tableLength = VOXEL_GLCM_COLUMNS * kernelCount;
  const out = frame.reserve64(tableLength);
  const fallback = frame.reserve32(kernelCount);
  const scratch = frame.reserveBytes(
    frame.wasm.voxelGlcmScratchBytes(maxN, input.ng, maxAngles, boxCells),
  );
  frame.commit();
  const flags = (input.symmetrical ? 1 : 0) | (input.weighted ? 2 : 0) | (input.withMcc ? 4 : 0);
  frame.wasm.voxelGlcm(
    levels,
    mask,
    nx,
    ny,
    kernelCount,
    boxes,
    angleSet,
    setStart,
    angleOffsets,
    angleWeights,
    input.ng,
    maxN,
    maxAngles,
    boxCells,
    flags,
    input.levelCount,
    out,
    fallback,
    scratch,
  );
  return {
    table: frame.float64(out, tableLength).slice(),
    fallback: frame.int32(fallback, kernelCount).slice(),
  };
}
