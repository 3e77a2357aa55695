/**
 * Binding of the voxel-based first-order kernel (src/kernels/assembly/voxel-firstorder.ts): the
 * first-order statistics of every kernel of one image in one call, a row of doubles per kernel.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface VoxelFirstOrderExports extends KernelExports {
  firstOrderScratchBytes(n: number): number;
  voxelFirstOrder(
    values: number,
    levels: number,
    mask: number,
    nx: number,
    ny: number,
    nz: number,
    centres: number,
    kernelCount: number,
    offsets: number,
    offsetCount: number,
    steps: number,
    masked: number,
    shift: number,
    wanted: number,
    gathered: number,
    gatheredLevels: number,
    scratch: number,
    scratchBytes: number,
    probabilities: number,
    mapped: number,
    rows: number,
  ): number;
}

/**
 * Doubles per kernel row: the slots of firstOrderStatistics (src/kernels/firstorder.ts's order:
 * minimum, maximum, p10, p25, p75, p90, median, mean, m2, m3, m4, energy, MAD, robust MAD, and
 * two internal slots), then N_p, sum p log2(p + eps) and sum p^2.
 */
export const VOXEL_FIRST_ORDER_ROW = 19;
export const ROW_MINIMUM = 0;
export const ROW_MAXIMUM = 1;
export const ROW_P10 = 2;
export const ROW_P25 = 3;
export const ROW_P75 = 4;
export const ROW_P90 = 5;
export const ROW_MEDIAN = 6;
export const ROW_MEAN = 7;
export const ROW_M2 = 8;
export const ROW_M3 = 9;
export const ROW_M4 = 10;
export const ROW_ENERGY = 11;
export const ROW_MAD = 12;
export const ROW_ROBUST_MAD = 13;
export const ROW_COUNT = 16;
export const ROW_ENTROPY_SUM = 17;
export const ROW_UNIFORMITY = 18;

export interface VoxelFirstOrderInput {
  /** Intensities and gray levels per grid voxel (x fastest). */
  values: Float64Array;
  levels: Int32Array;
  /** Kernel voxels must lie where this is 1 when `maskedKernel`. */
  mask: Uint8Array;
  size: readonly [number, number, number];
  /** Grid index of each kernel's centre. */
  centres: Int32Array;
  /** (x, y, z) offsets, in the order the kernel's values are summed. */
  offsets: Int32Array;
  maskedKernel: boolean;
  voxelArrayShift: number;
  /** FIRST_ORDER_* flags of src/kernels/firstorder.ts, or-ed. */
  wanted: number;
}

/**
 * Every kernel's statistics: row k (VOXEL_FIRST_ORDER_ROW doubles from k * VOXEL_FIRST_ORDER_ROW)
 * for centres[k]; statistics not wanted are NaN. Every kernel must hold a voxel where order
 * statistics are wanted (the centre does, in the voxel-based driver).
 */
export function voxelFirstOrderRows(input: VoxelFirstOrderInput): Float64Array {
  const { values, levels, mask, size, centres, offsets } = input;
  const voxels = size[0] * size[1] * size[2];
  if (values.length !== voxels || levels.length !== voxels || mask.length !== voxels)
    throw new Error(`voxelFirstOrderRows: grid arrays do not match ${size.join(" x ")}`);
  if (offsets.length % 3 !== 0)
    throw new Error("voxelFirstOrderRows: offsets must be (x, y, z) triples");
  for (let k = 0; k < centres.length; k++) {
    const c = centres[k]!;
    if (!(c >= 0 && c < voxels)) throw new Error(`voxelFirstOrderRows: centre ${c} off the grid`);
  }
  const offsetCount = offsets.length / 3;
  const kernelCount = centres.length;
  // The level tallies span the gray levels a kernel may hold: those of its candidate voxels.
  let low = 0;
  let high = -1;
  for (let v = 0; v < voxels; v++) {
    if (input.maskedKernel && mask[v] === 0) continue;
    const l = levels[v]!;
    if (high < low) {
      low = l;
      high = l;
    } else if (l < low) low = l;
    else if (l > high) high = l;
  }
  const frame = new KernelFrame<VoxelFirstOrderExports>();
  const scratchBytes = Math.max(
    frame.wasm.firstOrderScratchBytes(offsetCount) >>> 0,
    4 * (high - low + 1),
  );
  const valuesAt = frame.input(values);
  const levelsAt = frame.input(levels);
  const maskAt = frame.input(mask);
  const centresAt = frame.input(centres);
  const offsetsAt = frame.input(offsets);
  const steps = frame.reserve32(offsetCount);
  const gathered = frame.reserve64(offsetCount);
  const gatheredLevels = frame.reserve32(offsetCount);
  const probabilities = frame.reserve64(offsetCount);
  const mapped = frame.reserve64(offsetCount);
  const rows = frame.reserve64(VOXEL_FIRST_ORDER_ROW * kernelCount);
  const scratch = frame.reserveBytes(scratchBytes);
  frame.commit();
  frame.float64(rows, VOXEL_FIRST_ORDER_ROW * kernelCount).fill(Number.NaN);
  const status = frame.wasm.voxelFirstOrder(
    valuesAt,
    levelsAt,
    maskAt,
    size[0],
    size[1],
    size[2],
    centresAt,
    kernelCount,
    offsetsAt,
    offsetCount,
    steps,
    input.maskedKernel ? 1 : 0,
    input.voxelArrayShift,
    input.wanted,
    gathered,
    gatheredLevels,
    scratch,
    scratchBytes,
    probabilities,
    mapped,
    rows,
  );
  // Unreachable: every kernel's levels lie within the candidate voxels' range sized above.
  if (status < 0)
    throw new Error("voxelFirstOrderRows: level tallies did not fit (internal error)");
  return frame.float64(rows, VOXEL_FIRST_ORDER_ROW * kernelCount).slice();
}
