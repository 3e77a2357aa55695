/**
 * Binding of IBSI mode's texture counts (src/kernels/assembly/ibsi-code-counts.ts: GLCM pairs,
 * GLRLM runs): the discretised grid copied once into kernel memory beside a dense counter's
 * storage (CounterCells of src/ibsi/features/glcm/code-counter.ts), which the kernels count into
 * and the CodeCounter reads and drains as ordinary Int32Array views. The views stay valid while no
 * other kernel binding runs (each lays its own arrays out from the same start): one family.
 */
import type { Vec3 } from "../image/volume.js";
import { type KernelExports, KernelFrame } from "./wasm.js";

interface CodeCountExports extends KernelExports {
  ibsiCountPairs(
    levels: number,
    nx: number,
    ny: number,
    x0: number,
    x1: number,
    y0: number,
    y1: number,
    z0: number,
    z1: number,
    offset: number,
    nLevels: number,
    dense: number,
    touched: number,
    state: number,
  ): void;
  ibsiCountRuns(
    levels: number,
    nx: number,
    ny: number,
    x0: number,
    x1: number,
    y0: number,
    y1: number,
    z0: number,
    z1: number,
    dx: number,
    dy: number,
    dz: number,
    maxRun: number,
    dense: number,
    touched: number,
    state: number,
  ): void;
}

export class KernelCodeCounts {
  /** The counter's storage, to give to new CodeCounter(codeSpace, cells). */
  readonly cells: { dense: Int32Array; touched: Int32Array; state: Int32Array };
  private readonly frame = new KernelFrame<CodeCountExports>();
  private readonly at: { levels: number; dense: number; touched: number; state: number };

  /** `levels`: the grid (x fastest) whose pairs are counted; codes 0..codeSpace-1. */
  constructor(levels: Int32Array, codeSpace: number) {
    const frame = this.frame;
    this.at = {
      levels: frame.input(levels),
      dense: frame.reserve32(codeSpace),
      touched: frame.reserve32(codeSpace),
      state: frame.reserve32(1),
    };
    frame.commit();
    // Kernel memory holds whatever an earlier call left there.
    this.cells = {
      dense: frame.int32(this.at.dense, codeSpace).fill(0),
      touched: frame.int32(this.at.touched, codeSpace),
      state: frame.int32(this.at.state, 1).fill(0),
    };
  }

  /**
   * Counts the symmetric pairs (v, v + offset) of voxels v in x0..x1, y0..y1, z0..z1 (inclusive)
   * of a grid of `size`, both levels > 0, into the cells (see the kernel's comment).
   */
  count(
    size: Readonly<Vec3>,
    lower: Readonly<Vec3>,
    upper: Readonly<Vec3>,
    offset: number,
    nLevels: number,
  ): void {
    const { levels, dense, touched, state } = this.at;
    this.frame.wasm.ibsiCountPairs(
      levels,
      size[0],
      size[1],
      lower[0],
      upper[0],
      lower[1],
      upper[1],
      lower[2],
      upper[2],
      offset,
      nLevels,
      dense,
      touched,
      state,
    );
  }

  /**
   * Counts the runs along `direction` (unit steps) of the voxels in x0..x1, y0..y1, z0..z1
   * (inclusive; the runs stay inside) of a grid of `size`, into the cells (see the kernel).
   */
  countRuns(
    size: Readonly<Vec3>,
    lower: Readonly<Vec3>,
    upper: Readonly<Vec3>,
    direction: Readonly<Vec3>,
    maxRun: number,
  ): void {
    const { levels, dense, touched, state } = this.at;
    this.frame.wasm.ibsiCountRuns(
      levels,
      size[0],
      size[1],
      lower[0],
      upper[0],
      lower[1],
      upper[1],
      lower[2],
      upper[2],
      direction[0],
      direction[1],
      direction[2],
      maxRun,
      dense,
      touched,
      state,
    );
  }
}
