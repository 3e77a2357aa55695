/**
 * Binding of the voxel-based GLDM and NGTDM kernels (src/kernels/assembly/voxel-neighbourhood.ts):
 * every kernel of an image in one call, one row of features per kernel. The input is laid out by
 * src/extract/voxel/neighbourhood.ts.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface VoxelNeighbourhoodExports extends KernelExports {
  voxelGldmScratchBytes(
    cells: number,
    angleCount: number,
    reach: number,
    maxBoxVoxels: number,
    nLevels: number,
  ): number;
  voxelGldm(
    levels: number,
    mask: number,
    nx: number,
    ny: number,
    nz: number,
    angles: number,
    angleCount: number,
    reach: number,
    boxes: number,
    kernelCount: number,
    maxBoxVoxels: number,
    nLevels: number,
    alpha: number,
    scratch: number,
    out: number,
  ): void;
  voxelNgtdmScratchBytes(
    maxBx: number,
    maxBy: number,
    maxBz: number,
    px: number,
    py: number,
    pz: number,
    nLevels: number,
  ): number;
  voxelNgtdm(
    levels: number,
    mask: number,
    nx: number,
    ny: number,
    boxes: number,
    kernelCount: number,
    shells: number,
    shellCount: number,
    ux: number,
    uy: number,
    uz: number,
    maxBx: number,
    maxBy: number,
    maxBz: number,
    px: number,
    py: number,
    pz: number,
    nLevels: number,
    scratch: number,
    out: number,
  ): void;
}

/** An image's grid, its kernels and the neighbour angles, as the kernels read them. */
export interface VoxelNeighbourhoodInput {
  /** Gray level per grid voxel (x fastest), >= 1 where `mask` is 1. */
  levels: Int32Array;
  mask: Uint8Array;
  size: readonly [number, number, number];
  /** The grid's highest ROI level (every kernel's Ng). */
  nLevels: number;
  /** Per kernel: lower x, y, z, upper x, y, z of its box (inclusive). */
  boxes: Int32Array;
  /** x, y, z offset of every angle (both directions of each). */
  angles: Int32Array;
  /** Largest |offset| of the angles along any axis. */
  reach: number;
  /** Per axis (x, y, z): 1 when the angles move along it, else 0 (force2D's axis, 2D's z). */
  axes: readonly [number, number, number];
  /** The distances as ranges (first, last), 2 per range: the shells a..b of neighbours. */
  shells: Int32Array;
  /** Largest kernel box along x, y, z. */
  maxBox: readonly [number, number, number];
}

/** Features per kernel row of voxelGldmTable (the ZONE_* slots of texture-features.ts). */
export const VOXEL_GLDM_ROW = 16;
/** Features per kernel row of voxelNgtdmTable (NGTDM_CLASS.features order). */
export const VOXEL_NGTDM_ROW = 5;

/** GLDM features of every kernel: VOXEL_GLDM_ROW doubles per kernel. */
export function voxelGldmTable(input: VoxelNeighbourhoodInput, alpha: number): Float64Array {
  const [nx, ny, nz] = input.size;
  checkGrid(input);
  const kernelCount = input.boxes.length / 6;
  const angleCount = input.angles.length / 3;
  const { reach, nLevels } = input;
  const maxBoxVoxels = input.maxBox[0] * input.maxBox[1] * input.maxBox[2];
  const frame = new KernelFrame<VoxelNeighbourhoodExports>();
  const levels = frame.input(input.levels);
  const mask = frame.input(input.mask);
  const boxes = frame.input(input.boxes);
  const angles = frame.input(input.angles);
  const out = frame.reserve64(kernelCount * VOXEL_GLDM_ROW);
  const scratch = frame.reserveBytes(
    frame.wasm.voxelGldmScratchBytes(nx * ny * nz, angleCount, reach, maxBoxVoxels, nLevels),
  );
  frame.commit();
  frame.wasm.voxelGldm(
    levels,
    mask,
    nx,
    ny,
    nz,
    angles,
    angleCount,
    reach,
    boxes,
    kernelCount,
    maxBoxVoxels,
    nLevels,
    alpha,
    scratch,
    out,
  );
  return frame.float64(out, kernelCount * VOXEL_GLDM_ROW).slice();
}

/** NGTDM features of every kernel: VOXEL_NGTDM_ROW doubles per kernel. */
export function voxelNgtdmTable(input: VoxelNeighbourhoodInput): Float64Array {
  const [nx, ny] = input.size;
  checkGrid(input);
  const kernelCount = input.boxes.length / 6;
  const [bx, by, bz] = input.maxBox;
  const [ux, uy, uz] = input.axes;
  // The border: the outermost distance along the axes the angles use.
  const far = input.shells.length > 0 ? Math.max(...input.shells) : 0;
  const [px, py, pz] = [far * ux, far * uy, far * uz];
  const frame = new KernelFrame<VoxelNeighbourhoodExports>();
  const levels = frame.input(input.levels);
  const mask = frame.input(input.mask);
  const boxes = frame.input(input.boxes);
  const shells = frame.input(input.shells);
  const out = frame.reserve64(kernelCount * VOXEL_NGTDM_ROW);
  const scratch = frame.reserveBytes(
    frame.wasm.voxelNgtdmScratchBytes(bx, by, bz, px, py, pz, input.nLevels),
  );
  frame.commit();
  frame.wasm.voxelNgtdm(
    levels,
    mask,
    nx,
    ny,
    boxes,
    kernelCount,
    shells,
    input.shells.length / 2,
    ux,
    uy,
    uz,
    bx,
    by,
    bz,
    px,
    py,
    pz,
    input.nLevels,
    scratch,
    out,
  );
  return frame.float64(out, kernelCount * VOXEL_NGTDM_ROW).slice();
}

function checkGrid(input: VoxelNeighbourhoodInput): void {
  const [nx, ny, nz] = input.size;
  const cells = nx * ny * nz;
  if (input.levels.length !== cells || input.mask.length !== cells)
    throw new Error("voxel neighbourhood: grid size");
  if (input.boxes.length % 6 !== 0 || input.angles.length % 3 !== 0 || input.shells.length % 2)
    throw new Error("voxel neighbourhood: boxes, angles or shells");
}
