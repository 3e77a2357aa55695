/**
 * Binding of the GLRLM run-counting kernel (src/kernels/assembly/runs.ts): the raw run-length
 * matrices of src/features/glrlm.ts, one per angle.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface RunExports extends KernelExports {
  glrlmRuns(
    grid: number,
    roiVoxels: number,
    roiCount: number,
    steps: number,
    angleCount: number,
    levelIndex: number,
    maxRun: number,
    levels: number,
    counts: number,
    adjacent: number,
  ): void;
}

export interface RunCountInput {
  /** Zero-bordered grid: ROI cells hold their level (>= 1), other cells 0, the border -1. */
  grid: Int32Array;
  roiVoxels: Int32Array;
  /** One grid step per angle. */
  steps: Int32Array;
  levelIndex: Int32Array;
  levels: number;
  /** Longest possible run (columns of each matrix). */
  maxRun: number;
}

/**
 * Run counts, angle after angle (levels x maxRun each, as doubles), and for each angle whether
 * some run is longer than one voxel or touches another ROI voxel.
 */
export function countRuns(input: RunCountInput): { counts: Float64Array; adjacent: Int32Array } {
  const angles = input.steps.length;
  const countLength = angles * input.levels * input.maxRun;
  const frame = new KernelFrame<RunExports>();
  const grid = frame.input(input.grid);
  const roi = frame.input(input.roiVoxels);
  const steps = frame.input(input.steps);
  const levelIndex = frame.input(input.levelIndex);
  const counts = frame.reserve64(countLength);
  const adjacent = frame.reserve32(angles);
  frame.commit();
  frame.wasm.glrlmRuns(
    grid,
    roi,
    input.roiVoxels.length,
    steps,
    angles,
    levelIndex,
    input.maxRun,
    input.levels,
    counts,
    adjacent,
  );
  return {
    counts: frame.float64(counts, countLength).slice(),
    adjacent: frame.int32(adjacent, angles).slice(),
  };
}
