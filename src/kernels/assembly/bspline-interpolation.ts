/**
 * Resampling kernels, part 2 of 3: the cubic B-spline interpolation along ResampleImageFilter's
 * scan lines and the cast to the output type (coefficients: bspline-coefficients.ts, where the
 * method as a whole is documented; binding: src/kernels/bspline.ts).
 */
import {
  FLOAT32,
  INT8,
  INT16,
  INT32,
  mirrorIndex,
  UINT8,
  UINT16,
  UINT32,
  voxelBytes,
} from "./resample-common";

/**
 * BSplineInterpolateImageFunction::SetInterpolationWeights (order 3) at continuous index x, written
 * to out[0..3] (f64); returns the first support index floor(fround(x)) - 1 (DetermineRegionOfSupport
 * rounds x to single precision first).
 */
function cubicWeights(x: f64, out: usize): i32 {
  const first = Math.floor(<f64>(<f32>x)) - 1.0;
  const w = x - (first + 1.0);
  const w3 = (1.0 / 6.0) * w * w * w;
  const w0 = 1.0 / 6.0 + 0.5 * w * (w - 1.0) - w3;
  const w2 = w + w0 - 2.0 * w3;
  store<f64>(out, w0);
  store<f64>(out, 1.0 - w0 - w2 - w3, 8);
  store<f64>(out, w2, 16);
  store<f64>(out, w3, 24);
  return <i32>first;
}

/** Writes `f * (mirrorIndex(first + k, n) - origin)` to the i32 out[k], k < 4. */
function supportOffsets(first: i32, n: i32, origin: i32, f: i32, out: usize): void {
  store<i32>(out, f * (mirrorIndex(first, n) - origin));
  store<i32>(out, f * (mirrorIndex(first + 1, n) - origin), 4);
  store<i32>(out, f * (mirrorIndex(first + 2, n) - origin), 8);
  store<i32>(out, f * (mirrorIndex(first + 3, n) - origin), 12);
}

/**
 * Smallest and largest continuous index along `axis` (0: x, 1: y) over all voxels of all scan rows
 * (as bsplineResample takes them), clamped to the inside range [-0.5, n - 0.5] (only inside points
 * are interpolated), to the f64 out[0], out[1]. Along a row the index is monotone in x (every step
 * of start + (x / outNx) * delta is a monotone rounded operation), so the row's extremes are at
 * x = 0 and x = outNx - 1.
 */
function indexRange(
  rowStart: usize,
  rowDelta: usize,
  rowCount: i32,
  outNx: i32,
  axis: i32,
  n: i32,
  out: usize,
): void {
  let lo = Infinity;
  let hi = -Infinity;
  const alpha = <f64>(outNx - 1) / <f64>outNx;
  for (let r = 0; r < rowCount; r++) {
    const at = (<usize>(3 * r + axis)) << 3;
    const s = load<f64>(rowStart + at);
    const e = s + alpha * load<f64>(rowDelta + at);
    const mn = min(s, e);
    const mx = max(s, e);
    if (mn < lo) lo = mn;
    if (mx > hi) hi = mx;
  }
  store<f64>(out, max(lo, -0.5));
  store<f64>(out, min(hi, <f64>n - 0.5), 8);
}

/**
 * The support indices an evaluation along an axis of n voxels can read for continuous indices in
 * [lo, hi] (f64 at range): the support starts at floor(fround(c)) - 1 (in floor(c) - 1 ..
 * floor(c)) and spans 4; with a margin of one index on each side, the indices lie in [first,
 * last] = [floor(lo) - 2, floor(hi) + 4] before mirroring. Writes the i32 out[0], out[1] = the
 * smallest and largest mirrored index, out[2], out[3] = first, last (all 0 when lo > hi: no point
 * is inside).
 */
function supportRange(range: usize, n: i32, out: usize): void {
  const lo = load<f64>(range);
  const hi = load<f64>(range, 8);
  if (!(lo <= hi)) {
    memory.fill(out, 0, 16);
    return;
  }
  const first = <i32>Math.floor(lo) - 2;
  const last = <i32>Math.floor(hi) + 4;
  let smallest = n - 1;
  let largest = 0;
  for (let i = first; i <= last; i++) {
    const m = mirrorIndex(i, n);
    if (m < smallest) smallest = m;
    if (m > largest) largest = m;
  }
  store<i32>(out, smallest);
  store<i32>(out, largest, 4);
  store<i32>(out, first, 8);
  store<i32>(out, last, 12);
}

/**
 * The coefficient region a B-spline resampling along the scan rows reads (bsplineResample's
 * arguments), to the i32 out[0..5]: xLo, xHi, yLo, yHi (every mirrored support index along x and,
 * in 3D, y; in 2D all rows) and padLo, padHi (every x support index before mirroring, and xLo..xHi).
 * `work`: 48 bytes.
 */
export function bsplineRegion(
  rowStart: usize,
  rowDelta: usize,
  rowCount: i32,
  outNx: i32,
  nx: i32,
  ny: i32,
  is3D: bool,
  out: usize,
  work: usize,
): void {
  const range = work;
  const x = work + 16;
  const y = work + 32;
  indexRange(rowStart, rowDelta, rowCount, outNx, 0, nx, range);
  supportRange(range, nx, x);
  if (is3D) {
    indexRange(rowStart, rowDelta, rowCount, outNx, 1, ny, range);
    supportRange(range, ny, y);
  } else {
    store<i32>(y, 0);
    store<i32>(y, ny - 1, 4);
  }
  store<i32>(out, load<i32>(x));
  store<i32>(out, load<i32>(x, 4), 4);
  store<i32>(out, load<i32>(y), 8);
  store<i32>(out, load<i32>(y, 4), 12);
  store<i32>(out, min(load<i32>(x, 8), load<i32>(x)), 16);
  store<i32>(out, max(load<i32>(x, 12), load<i32>(x, 4)), 20);
}

// One output row's inside voxels ("records", in x order), carved out of the `records` work space:
// per record the data of its sum, as the JavaScript evaluator had them when it reached that voxel.
/** f64[16] per record: wx[kx] * wy[ky] at ky * 4 + kx. */
let recordProducts: usize = 0;
/** f64[4] per record: the z weights (3D). */
let recordWz: usize = 0;
/** i32[4] per record: coefficient offsets (elements) of the y support rows. */
let recordY: usize = 0;
/** i32[4] per record: coefficient offsets (elements) of the z support slices (3D). */
let recordZ: usize = 0;
/** i32 per record: the padded column of the first x support coefficient. */
let recordColumn: usize = 0;
/** i32 per record: the voxel's x in the output row. */
let recordPosition: usize = 0;
/**
 * The weights being prepared: 4 f64 y weights and 4 f64 z weights (3D: the last prepared), 4 f64 x
 * weights, then (3D) 4 i32 y offsets and 4 i32 z offsets that go with the y and z weights.
 */
let preparedYZ: usize = 0;

/** Bytes of `records` work space bsplineResample needs for output rows of outNx voxels. */
export function bsplineRecordBytes(outNx: i32): usize {
  return <usize>outNx * (128 + 32 + 16 + 16 + 4 + 4) + 128 + 16;
}

function layOutRecords(records: usize, outNx: i32): void {
  const n = <usize>outNx;
  recordProducts = (records + 15) & ~15;
  recordWz = recordProducts + n * 128;
  recordY = recordWz + n * 32;
  recordZ = recordY + n * 16;
  preparedYZ = recordZ + n * 16;
  recordColumn = preparedYZ + 128;
  recordPosition = recordColumn + n * 4;
}

/**
 * The 4 x 4 products wx[kx] * wy[ky] (f64 at wx and wy) to out[ky * 4 + kx].
 */
function weightProducts(wx: usize, wy: usize, out: usize): void {
  const wx01 = v128.load(wx);
  const wx23 = v128.load(wx, 16);
  for (let ky: usize = 0; ky < 4; ky++) {
    const w = v128.load64_splat(wy + (ky << 3));
    v128.store(out + (ky << 5), f64x2.mul(wx01, w));
    v128.store(out + (ky << 5), f64x2.mul(wx23, w), 16);
  }
}

/**
 * acc + the 4 terms (p * wz) * c (kx = 0..3, in this order) of voxel a in lane 0 and voxel b in
 * lane 1: p at pa / pb (4 f64 products wx wy), wz splatted in wa / wb, c at ca / cb (4 adjacent
 * coefficients). The terms are formed per voxel, then transposed so that each lane adds its own.
 */
function addFourTerms(
  acc: v128,
  pa: usize,
  pb: usize,
  wa: v128,
  wb: v128,
  ca: usize,
  cb: usize,
): v128 {
  const a01 = f64x2.mul(f64x2.mul(v128.load(pa), wa), v128.load(ca));
  const a23 = f64x2.mul(f64x2.mul(v128.load(pa, 16), wa), v128.load(ca, 16));
  const b01 = f64x2.mul(f64x2.mul(v128.load(pb), wb), v128.load(cb));
  const b23 = f64x2.mul(f64x2.mul(v128.load(pb, 16), wb), v128.load(cb, 16));
  let sum = f64x2.add(acc, v128.shuffle<f64>(a01, b01, 0, 2));
  sum = f64x2.add(sum, v128.shuffle<f64>(a01, b01, 1, 3));
  sum = f64x2.add(sum, v128.shuffle<f64>(a23, b23, 0, 2));
  return f64x2.add(sum, v128.shuffle<f64>(a23, b23, 1, 3));
}

/**
 * The 3D values of the 4 records from `k` (past `last`, the last record repeats), stored with
 * storeValue: two voxel pairs in the lanes of two accumulators, each lane summing its voxel's 64
 * terms ((wx wy) wz) c over z, then y, then x, as ITK does. (Two pairs run faster than one, whose
 * additions wait on each other, and than more, which run short of registers.)
 */
function sumFour3D(coefficients: usize, k: usize, last: usize): void {
  const a = k;
  const b = min(k + 1, last);
  const c = min(k + 2, last);
  const d = min(k + 3, last);
  const ca = columnOf(coefficients, a);
  const cb = columnOf(coefficients, b);
  const cc = columnOf(coefficients, c);
  const cd = columnOf(coefficients, d);
  let ab = f64x2.splat(0);
  let cdSum = f64x2.splat(0);
  for (let kz: usize = 0; kz < 4; kz++) {
    const wa = zWeight(a, kz);
    const wb = zWeight(b, kz);
    const wc = zWeight(c, kz);
    const wd = zWeight(d, kz);
    const za = ca + zOffset(a, kz);
    const zb = cb + zOffset(b, kz);
    const zc = cc + zOffset(c, kz);
    const zd = cd + zOffset(d, kz);
    for (let ky: usize = 0; ky < 4; ky++) {
      ab = addFourTerms(
        ab,
        products(a, ky),
        products(b, ky),
        wa,
        wb,
        za + yOffset(a, ky),
        zb + yOffset(b, ky),
      );
      cdSum = addFourTerms(
        cdSum,
        products(c, ky),
        products(d, ky),
        wc,
        wd,
        zc + yOffset(c, ky),
        zd + yOffset(d, ky),
      );
    }
  }
  storeValue(a, f64x2.extract_lane(ab, 0));
  storeValue(b, f64x2.extract_lane(ab, 1));
  storeValue(c, f64x2.extract_lane(cdSum, 0));
  storeValue(d, f64x2.extract_lane(cdSum, 1));
}

/** Address of record k's first x support coefficient in coefficient row 0. */
function columnOf(coefficients: usize, k: usize): usize {
  return coefficients + ((<usize>load<i32>(recordColumn + (k << 2))) << 3);
}

/** Record k's z weight kz, splatted. */
function zWeight(k: usize, kz: usize): v128 {
  return v128.load64_splat(recordWz + (k << 5) + (kz << 3));
}

/** Bytes from coefficient row 0 to record k's z support slice kz. */
function zOffset(k: usize, kz: usize): usize {
  return (<usize>load<i32>(recordZ + (k << 4) + (kz << 2))) << 3;
}

/** Bytes from a slice's row 0 to record k's y support row ky. */
function yOffset(k: usize, ky: usize): usize {
  return (<usize>load<i32>(recordY + (k << 4) + (ky << 2))) << 3;
}

/** Address of record k's products wx[0..3] * wy[ky]. */
function products(k: usize, ky: usize): usize {
  return recordProducts + (k << 7) + (ky << 5);
}

/** Record k's value, cast to the output type, to its place in the output row. */
function storeValue(k: usize, value: f64): void {
  const at = outputRow + ((<usize>load<i32>(recordPosition + (k << 2))) << outputShift);
  const type = outputType;
  if (type === INT8) store<i8>(at, castTo<i8>(value));
  else if (type === UINT8) store<u8>(at, castTo<u8>(value));
  else if (type === INT16) store<i16>(at, castTo<i16>(value));
  else if (type === UINT16) store<u16>(at, castTo<u16>(value));
  else if (type === INT32) store<i32>(at, castTo<i32>(value));
  else if (type === UINT32) store<u32>(at, castTo<u32>(value));
  else if (type === FLOAT32) store<f32>(at, castTo<f32>(value));
  else store<f64>(at, value);
}

/** The 2D value of record k: the 16 terms (wx wy) c over y, then x, as ITK does. */
function sum2D(coefficients: usize, k: usize): void {
  const column = coefficients + ((<usize>load<i32>(recordColumn + (k << 2))) << 3);
  let value: f64 = 0;
  for (let ky: usize = 0; ky < 4; ky++) {
    const p = recordProducts + (k << 7) + (ky << 5);
    const c = column + ((<usize>load<i32>(recordY + (k << 4) + (ky << 2))) << 3);
    value += load<f64>(p) * load<f64>(c);
    value += load<f64>(p, 8) * load<f64>(c, 8);
    value += load<f64>(p, 16) * load<f64>(c, 16);
    value += load<f64>(p, 24) * load<f64>(c, 24);
  }
  storeValue(k, value);
}

/**
 * ResampleImageFilter::CastComponentWithBoundsChecking of an interpolated double to T (not f64):
 * values at or beyond T's range clamp to its min / max, others are static_cast (integers truncate
 * towards 0, NaN gives 0; float rounds to nearest).
 */
function castTo<T>(v: f64): T {
  let lo: f64;
  let hi: f64;
  if (isFloat<T>()) {
    lo = -3.4028234663852886e38;
    hi = 3.4028234663852886e38;
  } else if (isSigned<T>()) {
    lo = -(<f64>((<u64>1) << (sizeof<T>() * 8 - 1)));
    hi = <f64>(((<u64>1) << (sizeof<T>() * 8 - 1)) - 1);
  } else {
    lo = 0;
    hi = <f64>(((<u64>1) << (sizeof<T>() * 8)) - 1);
  }
  if (v <= lo) return <T>lo;
  if (v >= hi) return <T>hi;
  if (!isFloat<T>() && Number.isNaN(v)) return <T>0;
  return <T>v;
}

/**
 * ResampleImageFilter (identity transform) with BSplineInterpolateImageFunction of order 3 on an
 * image of nx * ny * nz voxels, from its coefficients (bsplineSliceCoefficients and the z pass:
 * rows yLo..yHi of every slice, padded to the columns padLo..padHi, which hold every support index
 * the scan rows can read): for each output scan row r (rowStart / rowDelta: 3 f64 per row, the
 * continuous input index of voxel 0 and end - start), voxel x at c = start + (x / outNx) * delta
 * per axis; points inside [-0.5, size - 0.5) are interpolated, others get 0, and the values are
 * cast to the output type numbered `outType` into out[r * outNx + x].
 *
 * 3D: the y and z weights and offsets are recomputed only when c1 (c2) differs from the last one
 * (a pure function of it; they usually repeat along a row), as the JavaScript evaluator did, so
 * that -0 and +0 share weights exactly as they did there.
 *
 * Work space: `records` (bsplineRecordBytes(outNx)).
 */
export function bsplineResample(
  coefficients: usize,
  padLo: i32,
  padHi: i32,
  yLo: i32,
  yHi: i32,
  nx: i32,
  ny: i32,
  nz: i32,
  is3D: bool,
  rowStart: usize,
  rowDelta: usize,
  rowCount: i32,
  outNx: i32,
  outType: i32,
  out: usize,
  records: usize,
): void {
  layOutRecords(records, outNx);
  inputNx = nx;
  inputNy = ny;
  inputNz = nz;
  inputIs3D = is3D;
  rowWidth = padHi - padLo + 1;
  sliceRows = yHi - yLo + 1;
  firstColumn = padLo;
  firstRow = yLo;
  coefficientStart = coefficients;
  lastC1 = NaN;
  lastC2 = NaN;
  outputType = outType;
  outputShift = <usize>ctz(voxelBytes(outType));
  for (let r = 0; r < rowCount; r++) {
    const scan = <usize>(3 * r) * 8;
    outputRow = out + ((<usize>r * <usize>outNx) << outputShift);
    interpolateRow(rowStart + scan, rowDelta + scan, outNx);
  }
}

// The resampling bsplineResample runs, for interpolateRow (one call per output row, so that the
// engine's optimising compiler takes over after the first rows of a process's first resampling).
let inputNx = 0;
let inputNy = 0;
let inputNz = 0;
let inputIs3D = false;
/** Padded coefficient row length and the column its first element holds. */
let rowWidth = 0;
let firstColumn = 0;
/** Coefficient rows per slice and the y of the first. */
let sliceRows = 0;
let firstRow = 0;
let coefficientStart: usize = 0;
/** The c1 and c2 the prepared y and z parts belong to (NaN: none yet). */
let lastC1: f64 = NaN;
let lastC2: f64 = NaN;
/** The output voxel type (numbered), log2 of its bytes, and the output row being written. */
let outputType = 0;
let outputShift: usize = 0;
let outputRow: usize = 0;

/**
 * One output row (start, delta: its 3 f64 each) to outputRow, cast to the output type, 0 outside
 * the input: first the records of the inside voxels in x order (the y and z parts prepared anew
 * only when c1 or c2 changes), then their sums.
 */
function interpolateRow(start: usize, delta: usize, outNx: i32): void {
  const nx = inputNx;
  const ny = inputNy;
  const nz = inputNz;
  const is3D = inputIs3D;
  const width = rowWidth;
  const slice = width * sliceRows;
  const hi0 = <f64>(nx - 1) + 0.5;
  const hi1 = <f64>(ny - 1) + 0.5;
  const hi2 = is3D ? <f64>(nz - 1) + 0.5 : 0.5;
  const yWeights = preparedYZ;
  const zWeights = preparedYZ + 32;
  const wx = preparedYZ + 64;
  const yOffsets = preparedYZ + 96;
  const zOffsets = preparedYZ + 112;
  const s0 = load<f64>(start);
  const s1 = load<f64>(start, 8);
  const s2 = load<f64>(start, 16);
  const e0 = load<f64>(delta);
  const e1 = load<f64>(delta, 8);
  const e2 = load<f64>(delta, 16);
  const fx = <f64>outNx;
  // Points outside the input get 0 (cast to any output type: 0).
  memory.fill(outputRow, 0, (<usize>outNx) << outputShift);
  let count: usize = 0;
  for (let x = 0; x < outNx; x++) {
    const alpha = <f64>x / fx;
    const c0 = s0 + alpha * e0;
    const c1 = s1 + alpha * e1;
    const c2 = is3D ? s2 + alpha * e2 : 0;
    const inside =
      c0 >= -0.5 && c0 < hi0 && c1 >= -0.5 && c1 < hi1 && (!is3D || (c2 >= -0.5 && c2 < hi2));
    if (!inside) continue;
    store<i32>(recordPosition + (count << 2), x);
    store<i32>(recordColumn + (count << 2), cubicWeights(c0, wx) - firstColumn);
    if (is3D) {
      if (c1 !== lastC1) {
        supportOffsets(cubicWeights(c1, yWeights), ny, firstRow, width, yOffsets);
        lastC1 = c1;
      }
      if (c2 !== lastC2) {
        supportOffsets(cubicWeights(c2, zWeights), nz, 0, slice, zOffsets);
        lastC2 = c2;
      }
      v128.store(recordWz + (count << 5), v128.load(zWeights));
      v128.store(recordWz + (count << 5), v128.load(zWeights, 16), 16);
      v128.store(recordY + (count << 4), v128.load(yOffsets));
      v128.store(recordZ + (count << 4), v128.load(zOffsets));
    } else {
      supportOffsets(cubicWeights(c1, yWeights), ny, firstRow, width, recordY + (count << 4));
    }
    weightProducts(wx, yWeights, recordProducts + (count << 7));
    count++;
  }
  const coefficients = coefficientStart;
  if (is3D) {
    for (let k: usize = 0; k < count; k += 4) sumFour3D(coefficients, k, count - 1);
  } else {
    for (let k: usize = 0; k < count; k++) sum2D(coefficients, k);
  }
}
