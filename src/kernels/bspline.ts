/**
 * Binding of the resampling kernels (src/kernels/assembly/bspline-*.ts and mask-nearest.ts, where
 * the methods and their sources are documented): ITK's cubic B-spline decomposition and
 * interpolation as ResampleImageFilter runs them (src/image/resample/bspline-interpolator.ts), the
 * prefilter on its own (src/image/bspline.ts), and the nearest-neighbour resampling of the label
 * mask (src/image/resample/resample-mask.ts). Each resampling is one kernel call per volume: the
 * image is copied in, its coefficients stay in the kernels' memory, and the cast output is copied
 * out.
 */
import type { ScanRows } from "../image/resample/scan-rows.js";
import {
  allocateVoxels,
  type Vec3,
  type Volume,
  type VoxelArray,
  type VoxelType,
  viewVoxels,
  voxelCount,
  voxelTypeOf,
} from "../image/volume.js";
import { type KernelExports, KernelFrame, kernels } from "./wasm.js";

interface ResampleExports extends KernelExports {
  bsplinePowCorrectlyRounded(z: number, n: number): number;
  bsplinePrefilterLines(
    c: number,
    stride: number,
    length: number,
    count: number,
    horizon: number,
  ): void;
  bsplineSliceWorkBytes(nx: number, ny: number, width: number): number;
  bsplineSliceCoefficients(
    data: number,
    type: number,
    nx: number,
    ny: number,
    xLo: number,
    xHi: number,
    padLo: number,
    padHi: number,
    keepLo: number,
    keepHi: number,
    horizon: number,
    out: number,
    work: number,
  ): void;
  bsplineRegion(
    rowStart: number,
    rowDelta: number,
    rowCount: number,
    outNx: number,
    nx: number,
    ny: number,
    is3D: number,
    out: number,
    work: number,
  ): void;
  bsplineRecordBytes(outNx: number): number;
  bsplineResample(
    coefficients: number,
    padLo: number,
    padHi: number,
    yLo: number,
    yHi: number,
    nx: number,
    ny: number,
    nz: number,
    is3D: number,
    rowStart: number,
    rowDelta: number,
    rowCount: number,
    outNx: number,
    outType: number,
    out: number,
    records: number,
  ): void;
  resampleMaskNearest(
    mask: number,
    type: number,
    nx: number,
    ny: number,
    nz: number,
    is3D: number,
    rowStart: number,
    rowDelta: number,
    rowCount: number,
    outNx: number,
    out: number,
  ): void;
}

/** The kernels' numbering of the voxel types. */
const VOXEL_TYPE_CODE: Record<VoxelType, number> = {
  int8: 0,
  uint8: 1,
  int16: 2,
  uint16: 3,
  int32: 4,
  uint32: 5,
  float: 6,
  double: 7,
};

/** The single pole of the cubic B-spline prefilter, sqrt(3) - 2 (the kernels' literal). */
const CUBIC_POLE = Math.sqrt(3) - 2;

/**
 * ITK's horizon of the truncated causal initialisation, ceil(ln(tolerance) / ln|z|) with its
 * default tolerance 1e-10 (BSplineDecompositionImageFilter); lines longer than this use the
 * truncated sum, others the full mirror-symmetric one.
 */
const CAUSAL_HORIZON = Math.ceil(Math.log(1e-10) / Math.log(Math.abs(CUBIC_POLE)));

/** Coefficients valid on x in [xLo, xHi] (all z) and, in 3D, on y in [yLo, yHi]. */
export interface CoefficientRegion {
  /** Coefficient of voxel (x, y, z) at (x - xLo) + width * (y + ny * z). */
  coefficients: Float64Array;
  xLo: number;
  width: number;
}

/** The index bounds of a coefficient region (inclusive). */
interface RegionBounds {
  xLo: number;
  xHi: number;
  yLo: number;
  yHi: number;
}

/**
 * The coefficient region of a B-spline resampling (bsplineRegion): every support index along y
 * the scan rows can read (mirrored) in [yLo, yHi], along x in [xLo, xHi]; and every x support
 * index before mirroring in [padLo, padHi] (the coefficient rows are padded to these columns).
 */
interface ResampleRegion extends RegionBounds {
  padLo: number;
  padHi: number;
}

/** A voxel array's bytes (no copy). */
function bytesOf(data: VoxelArray): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Reserves a copy of a voxel array's bytes; returns its offset and the copy's voxel type. */
function reserveVoxels(
  frame: KernelFrame<ResampleExports>,
  data: VoxelArray,
): { at: number; bytes: Uint8Array; type: VoxelType } {
  const bytes = bytesOf(data);
  return { at: frame.reserveBytes(bytes.length), bytes, type: voxelTypeOf(data) };
}

function isVoxelArray(data: ArrayLike<number>): data is VoxelArray {
  return (
    data instanceof Float64Array ||
    data instanceof Float32Array ||
    data instanceof Int8Array ||
    data instanceof Uint8Array ||
    data instanceof Int16Array ||
    data instanceof Uint16Array ||
    data instanceof Int32Array ||
    data instanceof Uint32Array
  );
}

/** Reserves the scan rows' start and delta arrays (3 f64 per row). */
function reserveRows(frame: KernelFrame<ResampleExports>, rows: ScanRows) {
  if (rows.start.length !== 3 * rows.count || rows.delta.length !== 3 * rows.count) {
    throw new Error(`resampling kernels: ${rows.count} scan rows need 3 start / delta values each`);
  }
  return { start: frame.reserve64(3 * rows.count), delta: frame.reserve64(3 * rows.count) };
}

function checkRegion(size: Vec3, { xLo, xHi, yLo, yHi }: RegionBounds): void {
  const [nx, ny] = size;
  if (!(xLo >= 0 && xHi < nx && xLo <= xHi && yLo >= 0 && yHi < ny && yLo <= yHi)) {
    throw new Error(
      `B-spline coefficients: region x ${xLo}..${xHi}, y ${yLo}..${yHi} is not inside ${nx} x ${ny}`,
    );
  }
}

/** z^n for a non-negative integer n, correctly rounded (double-double arithmetic). */
export function powCorrectlyRounded(z: number, n: number): number {
  return (kernels() as ResampleExports).bsplinePowCorrectlyRounded(z, n);
}

/**
 * In-place cubic B-spline prefilter of `count` parallel lines, ITK's DataToCoefficients1D applied
 * to each: line i has its samples at c[base + i + n * stride], n < length; lines must not overlap
 * (stride >= count unless length is 1). Lines of length 1 are left unchanged.
 */
export function cubicPrefilterLines(
  c: Float64Array,
  base: number,
  stride: number,
  length: number,
  count: number,
): void {
  if (length === 1 || count === 0) return;
  if (!(stride >= count && base >= 0 && base + (length - 1) * stride + count <= c.length)) {
    throw new Error(
      `cubicPrefilterLines: ${count} lines of ${length} with stride ${stride} from ${base} do not fit ${c.length} samples or overlap`,
    );
  }
  const span = c.subarray(base, base + (length - 1) * stride + count);
  const frame = new KernelFrame<ResampleExports>();
  const at = frame.reserve64(span.length);
  frame.commit();
  const copy = frame.float64(at, span.length);
  copy.set(span);
  frame.wasm.bsplinePrefilterLines(at, stride, length, count, CAUSAL_HORIZON);
  span.set(copy);
}

/**
 * Which coefficients to compute: the x pass on every row, the y pass on the columns xLo..xHi
 * (rows padded to the columns padLo..padHi, see bsplineSliceCoefficients), rows keepLo..keepHi of
 * each slice kept, and (3D) the z pass on the rows yLo..yHi.
 */
interface CoefficientPlan extends ResampleRegion {
  keepLo: number;
  keepHi: number;
}

/** Where a frame holds the coefficients of a plan and the work space to compute them. */
interface CoefficientLayout {
  slice: number;
  work: number;
  coefficients: number;
  /** Coefficients per row (padHi - padLo + 1) and rows per slice (keepHi - keepLo + 1). */
  width: number;
  rows: number;
}

function reserveCoefficients(
  frame: KernelFrame<ResampleExports>,
  voxels: VoxelArray,
  size: Vec3,
  plan: CoefficientPlan,
): CoefficientLayout {
  const [nx, ny, nz] = size;
  const width = plan.padHi - plan.padLo + 1;
  const rows = plan.keepHi - plan.keepLo + 1;
  return {
    slice: frame.reserveBytes(nx * ny * voxels.BYTES_PER_ELEMENT),
    work: frame.reserveBytes(frame.wasm.bsplineSliceWorkBytes(nx, ny, width) >>> 0),
    coefficients: frame.reserve64(width * rows * nz),
    width,
    rows,
  };
}

/**
 * The coefficients of `plan` into the (committed) frame: the x and y passes slice by slice (each
 * slice copied in, so that the memory touched stays small), then the z pass (3D).
 */
function computeCoefficients(
  frame: KernelFrame<ResampleExports>,
  layout: CoefficientLayout,
  voxels: VoxelArray,
  size: Vec3,
  dimension: 2 | 3,
  plan: CoefficientPlan,
): void {
  const [nx, ny, nz] = size;
  const wasm = frame.wasm;
  const type = VOXEL_TYPE_CODE[voxelTypeOf(voxels)];
  const source = bytesOf(voxels);
  const sliceBytes = nx * ny * voxels.BYTES_PER_ELEMENT;
  const slice = frame.uint8(layout.slice, sliceBytes);
  const { width, rows } = layout;
  for (let k = 0; k < nz; k++) {
    slice.set(source.subarray(k * sliceBytes, (k + 1) * sliceBytes));
    wasm.bsplineSliceCoefficients(
      layout.slice,
      type,
      nx,
      ny,
      plan.xLo,
      plan.xHi,
      plan.padLo,
      plan.padHi,
      plan.keepLo,
      plan.keepHi,
      CAUSAL_HORIZON,
      layout.coefficients + 8 * k * width * rows,
      layout.work,
    );
  }
  if (dimension === 3) {
    wasm.bsplinePrefilterLines(
      layout.coefficients + 8 * (plan.yLo - plan.keepLo) * width,
      width * rows,
      nz,
      (plan.yHi - plan.yLo + 1) * width,
      CAUSAL_HORIZON,
    );
  }
}

/**
 * ITK's DataToCoefficientsND (x, then y, then z) of an image (x fastest, `size` voxels per axis,
 * `dimension` axes), computed only on x in [xLo, xHi] and, in 3D, y in [yLo, yHi], with every
 * coefficient there bit-identical to the whole-image computation (outside [yLo, yHi] the
 * coefficients hold the y pass's values).
 */
export function cubicBSplineCoefficientRegion(
  data: ArrayLike<number>,
  size: readonly [number, number, number],
  dimension: 2 | 3,
  xLo: number,
  xHi: number,
  yLo: number,
  yHi: number,
): CoefficientRegion {
  const [nx, ny, nz] = size;
  checkRegion([nx, ny, nz], { xLo, xHi, yLo, yHi });
  if (data.length !== nx * ny * nz) {
    throw new Error(`B-spline coefficients: ${data.length} samples for size ${size.join("x")}`);
  }
  const voxels = isVoxelArray(data) ? data : Float64Array.from(data);
  const plan = { xLo, xHi, yLo, yHi, padLo: xLo, padHi: xHi, keepLo: 0, keepHi: ny - 1 };
  const frame = new KernelFrame<ResampleExports>();
  const layout = reserveCoefficients(frame, voxels, [nx, ny, nz], plan);
  frame.commit();
  computeCoefficients(frame, layout, voxels, [nx, ny, nz], dimension, plan);
  const count = layout.width * ny * nz;
  return {
    coefficients: frame.float64(layout.coefficients, count).slice(),
    xLo,
    width: layout.width,
  };
}

/**
 * ResampleImageFilter (identity transform) with BSplineInterpolateImageFunction (order 3) along the
 * scan rows, cast to `outputType`; out[r * rows.nx + x]. The coefficients (ITK's decomposition of
 * the whole image) are computed only on the region the rows can read (bsplineRegion), the same
 * values bit for bit; values at points inside the input are interpolated, others are 0.
 */
export function bsplineResample(input: Volume, rows: ScanRows, outputType: VoxelType): VoxelArray {
  const [nx, ny, nz] = input.size;
  if (input.data.length !== voxelCount(input.size)) {
    throw new Error(
      `bsplineResample: ${input.data.length} voxels for size ${input.size.join("x")}`,
    );
  }
  const is3D = input.dimension === 3 ? 1 : 0;
  const frame = new KernelFrame<ResampleExports>();
  const scan = reserveRows(frame, rows);
  const bounds = frame.reserve32(6);
  const regionWork = frame.reserveBytes(48);
  frame.commit();
  frame.float64(scan.start, 3 * rows.count).set(rows.start);
  frame.float64(scan.delta, 3 * rows.count).set(rows.delta);
  frame.wasm.bsplineRegion(
    scan.start,
    scan.delta,
    rows.count,
    rows.nx,
    nx,
    ny,
    is3D,
    bounds,
    regionWork,
  );
  const [xLo, xHi, yLo, yHi, padLo, padHi] = frame.int32(bounds, 6);
  const region = { xLo: xLo!, xHi: xHi!, yLo: yLo!, yHi: yHi!, padLo: padLo!, padHi: padHi! };
  checkRegion(input.size, region);
  // Only the rows yLo..yHi of each slice are read after the z pass.
  const plan = { ...region, keepLo: region.yLo, keepHi: region.yHi };
  const outCount = rows.count * rows.nx;
  const layout = reserveCoefficients(frame, input.data, input.size, plan);
  const out = frame.reserveBytes(outCount * allocateVoxels(outputType, 0).BYTES_PER_ELEMENT);
  const records = frame.reserveBytes(frame.wasm.bsplineRecordBytes(rows.nx) >>> 0);
  frame.commit();
  computeCoefficients(frame, layout, input.data, input.size, input.dimension, plan);
  frame.wasm.bsplineResample(
    layout.coefficients,
    region.padLo,
    region.padHi,
    region.yLo,
    region.yHi,
    nx,
    ny,
    nz,
    is3D,
    scan.start,
    scan.delta,
    rows.count,
    rows.nx,
    VOXEL_TYPE_CODE[outputType],
    out,
    records,
  );
  return viewVoxels(outputType, frame.wasm.memory.buffer, out, outCount).slice();
}

/**
 * The label mask resampled with nearest neighbour along the scan rows as UInt32 (the cast
 * sitk.Cast(mask, UInt32) applied to each sampled voxel), 0 outside the mask; out[r * rows.nx + x].
 */
export function resampleMaskNearestKernel(mask: Volume, rows: ScanRows): Uint32Array {
  const [nx, ny, nz] = mask.size;
  if (mask.data.length !== voxelCount(mask.size)) {
    throw new Error(
      `resampleMaskNearest: ${mask.data.length} voxels for size ${mask.size.join("x")}`,
    );
  }
  const outCount = rows.count * rows.nx;
  const frame = new KernelFrame<ResampleExports>();
  const voxels = reserveVoxels(frame, mask.data);
  const scan = reserveRows(frame, rows);
  const out = frame.reserve32(outCount);
  frame.commit();
  frame.uint8(voxels.at, voxels.bytes.length).set(voxels.bytes);
  frame.float64(scan.start, 3 * rows.count).set(rows.start);
  frame.float64(scan.delta, 3 * rows.count).set(rows.delta);
  frame.wasm.resampleMaskNearest(
    voxels.at,
    VOXEL_TYPE_CODE[voxels.type],
    nx,
    ny,
    nz,
    mask.dimension === 3 ? 1 : 0,
    scan.start,
    scan.delta,
    rows.count,
    rows.nx,
    out,
  );
  return new Uint32Array(frame.wasm.memory.buffer, out, outCount).slice();
}
