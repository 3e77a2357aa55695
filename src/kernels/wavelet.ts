/**
 * Binding of the undecimated wavelet transform kernels (src/kernels/assembly/wavelet.ts, where the
 * convolution and pywt's term order are documented) for src/filters/wavelet.ts: one call per
 * single-level SWT pass along one axis of the whole volume, and the wrap padding before the first.
 * Arrays are x fastest; float64 samples with a float64 filter, or float32 with float32.
 */
import type { Vec3 } from "../image/volume.js";
import { type KernelExports, KernelFrame } from "./wasm.js";

type PassKernel = (
  input: number,
  inFirst: number,
  inX: number,
  inY: number,
  inZ: number,
  output: number,
  outFirst: number,
  outLast: number,
  outX: number,
  outY: number,
  axis: number,
  filter: number,
  taps: number,
  scratch: number,
  x0: number,
  y0: number,
  z0: number,
  x1: number,
  y1: number,
  z1: number,
) => void;

interface WaveletExports extends KernelExports {
  waveletPassF64: PassKernel;
  waveletPassF32: PassKernel;
  waveletScratchBytes(taps: number): number;
  waveletPadWrap(
    source: number,
    nx: number,
    ny: number,
    nz: number,
    padded: number,
    px: number,
    py: number,
    pz: number,
    sampleBytes: number,
  ): void;
}

export type Samples = Float64Array | Float32Array;

/** Inclusive index ranges per axis (x, y, z). */
export interface Region {
  lower: Vec3;
  upper: Vec3;
}

function flatIndex(p: Vec3, dims: Vec3): number {
  return (p[2] * dims[1] + p[1]) * dims[0] + p[0];
}

/** A view of `count` samples at `at` of the same type as `like`. */
function samplesAt(frame: KernelFrame, like: Samples, at: number, count: number): Samples {
  return like instanceof Float32Array ? frame.float32(at, count) : frame.float64(at, count);
}

/**
 * One single-level SWT pass along `axis` (0 = x, 1 = y, 2 = z): `output` (size `outDims`) receives
 * the periodic convolution of `input` (size `inDims`, the axis even) with `filter` inside `region`
 * and 0 elsewhere. `read` is the input region those outputs read (`region` widened along the axis).
 * Only the input's span from `read`'s first to its last voxel, and the output's from `region`'s
 * first to last, go through the kernel's memory.
 */
export function swtAxisPass(
  input: Samples,
  inDims: Vec3,
  axis: number,
  filter: Samples,
  read: Region,
  region: Region,
  output: Samples,
  outDims: Vec3,
): void {
  const single = input instanceof Float32Array;
  if (output instanceof Float32Array !== single || filter instanceof Float32Array !== single) {
    throw new Error("wavelet kernel: input, filter and output must all be float32 or all float64");
  }
  const inFirst = flatIndex(read.lower, inDims);
  const inCount = flatIndex(read.upper, inDims) - inFirst + 1;
  const outFirst = flatIndex(region.lower, outDims);
  const outLast = flatIndex(region.upper, outDims);
  const outCount = outLast - outFirst + 1;
  const bytes = single ? 4 : 8;
  const frame = new KernelFrame<WaveletExports>();
  const wasm = frame.wasm;
  const inAt = frame.reserveBytes(inCount * bytes);
  const outAt = frame.reserveBytes(outCount * bytes);
  const filterAt = frame.reserveBytes(filter.length * bytes);
  const scratchAt = frame.reserveBytes(wasm.waveletScratchBytes(filter.length));
  frame.commit();
  samplesAt(frame, input, inAt, inCount).set(input.subarray(inFirst, inFirst + inCount));
  samplesAt(frame, input, filterAt, filter.length).set(filter);
  const pass = single ? wasm.waveletPassF32 : wasm.waveletPassF64;
  pass(
    inAt,
    inFirst,
    inDims[0],
    inDims[1],
    inDims[2],
    outAt,
    outFirst,
    outLast,
    outDims[0],
    outDims[1],
    axis,
    filterAt,
    filter.length,
    scratchAt,
    region.lower[0],
    region.lower[1],
    region.lower[2],
    region.upper[0],
    region.upper[1],
    region.upper[2],
  );
  output.fill(0, 0, outFirst);
  output.set(samplesAt(frame, input, outAt, outCount), outFirst);
  output.fill(0, outLast + 1);
}

/**
 * np.pad(..., 'wrap') by at most one sample at the end of each axis (`padded` >= `size` by 0 or 1
 * per axis) of `data`, converted to float32 (`single`) or float64 as a typed-array store converts.
 */
export function padWrap(
  data: ArrayLike<number>,
  size: Vec3,
  padded: Vec3,
  single: boolean,
): Samples {
  const count = size[0] * size[1] * size[2];
  const paddedCount = padded[0] * padded[1] * padded[2];
  const out = single ? new Float32Array(paddedCount) : new Float64Array(paddedCount);
  if (paddedCount === count) {
    out.set(data);
    return out;
  }
  const bytes = single ? 4 : 8;
  const frame = new KernelFrame<WaveletExports>();
  const sourceAt = frame.reserveBytes(count * bytes);
  const paddedAt = frame.reserveBytes(paddedCount * bytes);
  frame.commit();
  samplesAt(frame, out, sourceAt, count).set(data);
  frame.wasm.waveletPadWrap(
    sourceAt,
    size[0],
    size[1],
    size[2],
    paddedAt,
    padded[0],
    padded[1],
    padded[2],
    bytes,
  );
  out.set(samplesAt(frame, out, paddedAt, paddedCount));
  return out;
}
