/**
 * Binding of IBSI mode's resampling passes (src/kernels/assembly/ibsi-resample.ts; the method in
 * src/ibsi/processing/resample.ts, which computes the taps): a box of the image copied once into
 * kernel memory as float64, the x, y and z passes run there one after the other, and only the
 * result copied out.
 */
import type { Vec3 } from "../image/volume.js";
import { type KernelExports, KernelFrame } from "./wasm.js";

type PassKernel = (source: number, n: number, widthOrRows: number, ...rest: number[]) => void;

interface ResampleExports extends KernelExports {
  ibsiResampleRows: PassKernel;
  ibsiResampleBlocks: PassKernel;
}

/** Rows side by side in the x pass (its block of extended lines holds this many). */
const ROW_LANES = 16;

/** One axis's pass: the box's n voxels extended by low and high, then `count` outputs. */
export interface AxisPass {
  low: number;
  high: number;
  /** Kernel taps per output position (1, 2 or 4), each position's first tap and its weights. */
  taps: number;
  first: Int32Array;
  weights: Float64Array;
}

/** How every line is filtered: its extension, the gain and the cubic B-spline prefilter, if any. */
export interface LineFilter {
  edge: boolean;
  gain: number;
  /** Pole z, z / (z^2 - 1) and the initial sum's horizon; null: no prefilter. */
  spline: { z: number; anticausal: number; horizon: number } | null;
}

/**
 * Resamples a box of `boxSize` voxels (x fastest), written into kernel memory by `copyBox`, axis by
 * axis (x, y, z; a null pass keeps that axis); returns the result, x fastest, as float64.
 */
export function resampleBoxPasses(
  boxSize: Readonly<Vec3>,
  copyBox: (box: Float64Array) => void,
  passes: readonly (AxisPass | null)[],
  filter: LineFilter,
): Float64Array {
  const sizes: Vec3[] = [[...boxSize] as Vec3];
  for (const axis of [0, 1, 2] as const) {
    const next = [...sizes[axis]!] as Vec3;
    const pass = passes[axis];
    if (pass) next[axis] = pass.first.length;
    sizes.push(next);
  }
  const volume = (s: Vec3) => s[0] * s[1] * s[2];
  // Scratch: a block of extended lines (x: ROW_LANES rows; y: a slab's rows; z: a slice's voxels).
  let lineValues = 0;
  let sumValues = 0;
  for (const axis of [0, 1, 2] as const) {
    const pass = passes[axis];
    if (!pass) continue;
    const s = sizes[axis]!;
    const length = pass.low + s[axis] + pass.high;
    const width = axis === 0 ? ROW_LANES : axis === 1 ? s[0] : s[0] * s[1];
    lineValues = Math.max(lineValues, length * width);
    sumValues = Math.max(sumValues, width);
  }
  const frame = new KernelFrame<ResampleExports>();
  const arrays = sizes.map((s, k) => (k === 0 || passes[k - 1] ? frame.reserve64(volume(s)) : -1));
  const line = frame.reserve64(lineValues);
  const sum = frame.reserve64(sumValues);
  const tables = passes.map((p) =>
    p ? { first: frame.input(p.first), weights: frame.input(p.weights) } : null,
  );
  frame.commit();
  copyBox(frame.float64(arrays[0]!, volume(sizes[0]!)));
  let current = arrays[0]!;
  for (const axis of [0, 1, 2] as const) {
    const pass = passes[axis];
    const table = tables[axis];
    if (!pass || !table) continue;
    const s = sizes[axis]!;
    const n = s[axis];
    const length = pass.low + n + pass.high;
    const spline = filter.spline;
    const common = [
      pass.low,
      pass.high,
      filter.edge ? 1 : 0,
      spline ? 1 : 0,
      filter.gain,
      spline?.z ?? 0,
      spline ? spline.z ** (length - 1) : 0,
      spline?.anticausal ?? 0,
      spline?.horizon ?? 0,
      pass.taps,
      table.first,
      table.weights,
      pass.first.length,
      arrays[axis + 1]!,
      line,
      sum,
    ];
    if (axis === 0) frame.wasm.ibsiResampleRows(current, n, s[1] * s[2], ROW_LANES, ...common);
    else {
      const width = axis === 1 ? s[0] : s[0] * s[1];
      const slabs = axis === 1 ? s[2] : 1;
      frame.wasm.ibsiResampleBlocks(current, n, width, slabs, ...common);
    }
    current = arrays[axis + 1]!;
  }
  return frame.float64(current, volume(sizes[3]!)).slice();
}
