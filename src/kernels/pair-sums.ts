/**
 * Binding of the pair-sum kernels of Moran's I / Geary's C (src/kernels/assembly/pair-sums.ts; the
 * method in src/ibsi/features/morphology/fourier-pair-sums.ts): every array they read or write is
 * a view of one KernelFftWorkspace, passed by its byte offset; plans by their descriptors
 * (KernelFftWorkspace.descriptor).
 */
import type { KernelFftWorkspace } from "./fft.js";
import type { KernelExports } from "./wasm.js";

interface PairSumExports extends KernelExports {
  pairSumsSpectraX(...args: number[]): void;
  pairSumsWeights(...args: number[]): void;
  pairSumsEvenLines(...args: number[]): void;
  pairSumsTotals(...args: number[]): void;
}

/** Line l's first element: (l mod period) a + floor(l / period) b. */
export interface LineLayout {
  period: number;
  a: number;
  b: number;
  /** Elements of a line are `stride` apart. */
  stride: number;
}

export class PairSumKernels {
  private readonly wasm: PairSumExports;

  constructor(workspace: KernelFftWorkspace) {
    this.wasm = workspace.exports as PairSumExports;
  }

  private at(a: Float64Array | Int32Array): number {
    if (a.buffer !== this.wasm.memory.buffer)
      throw new Error("PairSumKernels: an array outside the workspace");
    return a.byteOffset;
  }

  /** The x stage of the half spectra (see the kernel). */
  spectraX(
    samples: { count: number; index: Int32Array; centred: Float64Array },
    box: readonly [number, number, number],
    size: readonly [number, number, number],
    planX: number,
    planes: readonly Float64Array[],
    spectra: readonly Float64Array[],
  ): void {
    this.wasm.pairSumsSpectraX(
      samples.count,
      this.at(samples.index),
      this.at(samples.centred),
      box[1],
      box[2],
      size[0],
      size[1],
      planX,
      ...planes.map((p) => this.at(p)),
      ...spectra.map((s) => this.at(s)),
    );
  }

  /** w(d) = 1 / |d| on the box's offsets (mm). */
  weights(w: Float64Array, box: readonly number[], spacing: readonly number[]): void {
    this.wasm.pairSumsWeights(this.at(w), box[0]!, box[1]!, box[2]!, ...spacing);
  }

  /** DFTs of even lines, `lanes` transforms at once (blocks of n lanes values; see the kernel). */
  evenLines(
    plan: number,
    lanes: number,
    count: number,
    length: number,
    source: Float64Array,
    from: LineLayout,
    out: Float64Array,
    to: LineLayout,
    blocks: readonly Float64Array[],
  ): void {
    this.wasm.pairSumsEvenLines(
      plan,
      lanes,
      count,
      length,
      this.at(source),
      from.period,
      from.a,
      from.b,
      from.stride,
      this.at(out),
      to.period,
      to.a,
      to.b,
      to.stride,
      ...blocks.map((b) => this.at(b)),
    );
  }

  /** [sum |M|^2 W, sum |Y|^2 W, sum Re(S conj M) W] (see the kernel). */
  totals(
    spectra: readonly Float64Array[],
    octant: Float64Array,
    size: readonly number[],
    out: Float64Array,
  ): [number, number, number] {
    this.wasm.pairSumsTotals(
      ...spectra.map((s) => this.at(s)),
      this.at(octant),
      size[0]!,
      size[1]!,
      size[2]!,
      this.at(out),
    );
    return [out[0]!, out[1]!, out[2]!];
  }
}
