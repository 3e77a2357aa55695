/**
 * Binding of the neighbour-pass kernel (src/kernels/assembly/neighbour-tallies.ts), the loop behind
 * GLCM's co-occurrence counts and GLDM's and NGTDM's per-voxel tallies (see
 * src/features/neighbour-tallies.ts for what is counted and why one pass serves all three).
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface NeighbourExports extends KernelExports {
  neighbourTallies(
    grid: number,
    roiVoxels: number,
    roiCount: number,
    offsets: number,
    angleCount: number,
    levelIndex: number,
    levels: number,
    alpha: number,
    glcm: number,
    dependent: number,
    neighbours: number,
    sums: number,
  ): void;
}

export interface NeighbourPassInput {
  /** Zero-bordered grid: ROI cells hold their level (>= 1), other cells 0, the border -1. */
  grid: Int32Array;
  /** Grid cells of the ROI voxels. */
  roiVoxels: Int32Array;
  /** One grid offset per GLCM angle (the other direction of each pair is implied). */
  offsets: Int32Array;
  /** levelIndex[g]: position of level g among the ROI's levels. */
  levelIndex: Int32Array;
  /** Number of ROI levels (GLCM matrices are levels x levels). */
  levels: number;
  /** GLDM's alpha: neighbours with |level difference| <= alpha are dependent. */
  alpha: number;
}

/** Where the tallies go (null: not wanted). Per-voxel arrays are indexed by grid cell. */
export interface NeighbourPassOutput {
  glcm: Int32Array | null;
  dependent: Int32Array | null;
  neighbours: Int32Array | null;
  sums: Int32Array | null;
}

/** Runs the pass; fills `out`'s arrays (glcm entirely, the per-voxel ones at ROI cells). */
export function neighbourPass(input: NeighbourPassInput, out: NeighbourPassOutput): void {
  const cells = input.grid.length;
  const angles = input.offsets.length;
  const glcmLength = angles * input.levels * input.levels;
  if (out.glcm && out.glcm.length !== glcmLength) throw new Error("neighbourPass: GLCM size");
  if ((out.neighbours === null) !== (out.sums === null))
    throw new Error("neighbourPass: NGTDM needs both neighbours and sums");
  const frame = new KernelFrame<NeighbourExports>();
  const grid = frame.input(input.grid);
  const roi = frame.input(input.roiVoxels);
  const offsets = frame.input(input.offsets);
  const levelIndex = frame.input(input.levelIndex);
  const glcm = out.glcm ? frame.reserve32(glcmLength) : 0;
  const dependent = out.dependent ? frame.reserve32(cells) : 0;
  const neighbours = out.neighbours ? frame.reserve32(cells) : 0;
  const sums = out.sums ? frame.reserve32(cells) : 0;
  frame.commit();
  frame.wasm.neighbourTallies(
    grid,
    roi,
    input.roiVoxels.length,
    offsets,
    angles,
    levelIndex,
    input.levels,
    input.alpha,
    glcm,
    dependent,
    neighbours,
    sums,
  );
  if (out.glcm) out.glcm.set(frame.int32(glcm, glcmLength));
  if (out.dependent) out.dependent.set(frame.int32(dependent, cells));
  if (out.neighbours) out.neighbours.set(frame.int32(neighbours, cells));
  if (out.sums) out.sums.set(frame.int32(sums, cells));
}
