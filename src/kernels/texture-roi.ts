/**
 * Binding of the discretised-ROI scans (src/kernels/assembly/texture-roi.ts) behind
 * src/features/texture-common.ts: the ROI's voxel count and levels, and its zero-bordered grid.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface TextureRoiExports extends KernelExports {
  textureRoiScan(levels: number, mask: number, total: number, out: number): void;
  markRoiLevels(levels: number, mask: number, total: number, levelIndex: number): void;
  fillBorderedGrid(
    levels: number,
    mask: number,
    nx: number,
    ny: number,
    nz: number,
    px: number,
    py: number,
    pz: number,
    grid: number,
    roiVoxels: number,
  ): void;
}

/** A frame holding copies of the ROI's levels and mask. */
function roiFrame(levels: Int32Array, mask: Uint8Array) {
  const frame = new KernelFrame<TextureRoiExports>();
  const at = { levels: frame.input(levels), mask: frame.input(mask) };
  return { frame, at };
}

export interface RoiLevelScan {
  voxelCount: number;
  maxLevel: number;
  /** levelIndex[g] = 0 for the levels present (length maxLevel + 1 of levelsUpTo), else -1. */
  levelIndex: Int32Array;
  /** First ROI voxel with a level below 1, or -1 (then voxelCount and maxLevel are partial). */
  badVoxel: number;
}

/**
 * Voxel count and highest level of the ROI, and which levels occur; levelIndex covers levels up to
 * max(highest level, levelsUpTo).
 */
export function scanRoiLevels(
  levels: Int32Array,
  mask: Uint8Array,
  levelsUpTo: number,
): RoiLevelScan {
  const total = levels.length;
  const { frame, at } = roiFrame(levels, mask);
  const out = frame.reserve32(3);
  frame.commit();
  frame.wasm.textureRoiScan(at.levels, at.mask, total, out);
  const [voxelCount, highest, badVoxel] = frame.int32(out, 3);
  const maxLevel = Math.max(highest!, levelsUpTo);
  const levelIndex = new Int32Array(maxLevel + 1).fill(-1);
  if (badVoxel === -1) {
    // Reserved after the first call's arrays, which stay in place.
    const index = frame.input(levelIndex);
    frame.commit();
    frame.wasm.markRoiLevels(at.levels, at.mask, total, index);
    levelIndex.set(frame.int32(index, maxLevel + 1));
  }
  return { voxelCount: voxelCount!, maxLevel, levelIndex, badVoxel: badVoxel! };
}

/**
 * The ROI box (nx x ny x nz) copied into a grid with `pad` border cells on both sides of each axis:
 * the level for ROI voxels, 0 for other voxels, -1 on the border; and each ROI voxel's cell.
 */
export function borderedRoiGrid(
  levels: Int32Array,
  mask: Uint8Array,
  size: readonly [number, number, number],
  pad: readonly [number, number, number],
  voxelCount: number,
): { data: Int32Array; roiVoxels: Int32Array } {
  const [nx, ny, nz] = size;
  const cells = (nx + 2 * pad[0]) * (ny + 2 * pad[1]) * (nz + 2 * pad[2]);
  const { frame, at } = roiFrame(levels, mask);
  const grid = frame.reserve32(cells);
  const roiVoxels = frame.reserve32(voxelCount);
  frame.commit();
  frame.wasm.fillBorderedGrid(
    at.levels,
    at.mask,
    nx,
    ny,
    nz,
    pad[0],
    pad[1],
    pad[2],
    grid,
    roiVoxels,
  );
  return {
    data: frame.int32(grid, cells).slice(),
    roiVoxels: frame.int32(roiVoxels, voxelCount).slice(),
  };
}
