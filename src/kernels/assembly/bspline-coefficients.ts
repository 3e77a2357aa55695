/**
 * Resampling kernels, part 1 of 3: the B-spline coefficients (interpolation:
 * bspline-interpolation.ts; the mask: mask-nearest.ts; binding: src/kernels/bspline.ts): ITK 5.2.1's cubic B-spline interpolation
 * as PyRadiomics' resampleImage runs it through SimpleITK (BSplineDecompositionImageFilter, then
 * BSplineInterpolateImageFunction of order 3 evaluated along ResampleImageFilter's scan lines, and
 * the cast to the output pixel type), and the nearest-neighbour resampling of the label mask.
 *
 * Prefilter: Unser's recursive filter with mirror boundaries (M. Unser, "Splines: a perfect fit for
 * signal and image processing", IEEE Signal Processing Magazine 16(6), 1999, Box 2), spline order
 * 3, pole z = sqrt(3) - 2, applied along x, then y, then z (ITK's DataToCoefficientsND). Each line
 * is scaled by c0 = (1 - z)(1 - 1/z); the causal initial value is the truncated sum
 * sum_{n < horizon} z^n c[n] (horizon = ceil(ln(1e-10) / ln|z|), ITK's default tolerance, given by
 * the binding) when the line is longer than the horizon, else the full mirror-symmetric sum
 * (c[0] + z^(N-1) c[N-1] + sum_{0 < n < N-1} (z^n + z^(2N-2-n)) c[n]) / (1 - z^(2N-2)); then the
 * causal pass c[n] += z c[n-1], the anti-causal initial value c[N-1] = z / (z^2 - 1) (z c[N-2] +
 * c[N-1]) and the anti-causal pass c[n] = z (c[n+1] - c[n]). Lines of length 1 are left unchanged.
 *
 * Interpolation at a continuous index (c0, c1, c2): per axis the support starts at
 * floor(fround(c)) - 1 (ITK's DetermineRegionOfSupport works in single precision), its 4 indices
 * are mirrored into the axis, and the weights are those of SetInterpolationWeights; the value is
 * the sum over the 4 x 4 x 4 support, z slowest and x fastest (ITK's m_PointsToIndex order), of
 * ((wx wy) wz) c added to a single accumulator (2D: (wx wy) c over 4 x 4).
 *
 * Every coefficient and every value sees exactly the former JavaScript implementation's
 * floating-point operations in the same order (WebAssembly has no implicit fused multiply-add; the
 * SIMD lanes are independent IEEE operations), so the results are identical to the last bit; SIMD
 * only runs independent lines, rows and output voxels side by side.
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

/** The pole of the cubic B-spline prefilter, sqrt(3) - 2 (this literal is that double). */
const POLE: f64 = -0.2679491924311228;

/** Rows the x pass filters side by side (4 SIMD vectors of 2). */
const ROW_GROUP = 8;

/** Short rows (no longer than the horizon) transposed together for the x pass. */
const ROW_BLOCK = 32;

/** z^n for n >= 0 in double-double arithmetic, correctly rounded (glibc's std::pow does so). */
export function bsplinePowCorrectlyRounded(z: f64, n: i32): f64 {
  if (n === 0) return 1;
  let hi: f64 = 1;
  let lo: f64 = 0;
  for (let k = 0; k < n; k++) {
    // (hi + lo) * z with an exact product (Dekker's two-product via splitting).
    const p = hi * z;
    const e = twoProductError(hi, z, p) + lo * z;
    const s = p + e;
    lo = e - (s - p);
    hi = s;
  }
  return hi + lo;
}

/** Dekker's error of the product p = a * b: a * b - p exactly (splitter 2^27 + 1). */
function twoProductError(a: f64, b: f64, p: f64): f64 {
  const splitter: f64 = 134217729;
  let t = splitter * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = splitter * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

// Element-wise operations on `count` doubles; two at a time, then the odd last one.

/** row[i] *= f. */
function scaleRow(row: usize, count: i32, f: f64): void {
  const fv = f64x2.splat(f);
  const end = row + ((<usize>count) << 3);
  let p = row;
  for (; p + 16 <= end; p += 16) v128.store(p, f64x2.mul(v128.load(p), fv));
  if (p < end) store<f64>(p, load<f64>(p) * f);
}

/** acc[i] = acc[i] + f * row[i]. */
function addScaledRow(acc: usize, row: usize, count: i32, f: f64): void {
  const fv = f64x2.splat(f);
  const end = (<usize>count) << 3;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    v128.store(acc + i, f64x2.add(v128.load(acc + i), f64x2.mul(fv, v128.load(row + i))));
  }
  if (i < end) store<f64>(acc + i, load<f64>(acc + i) + f * load<f64>(row + i));
}

/** row[i] = row[i] / d. */
function divideRow(row: usize, count: i32, d: f64): void {
  const dv = f64x2.splat(d);
  const end = row + ((<usize>count) << 3);
  let p = row;
  for (; p + 16 <= end; p += 16) v128.store(p, f64x2.div(v128.load(p), dv));
  if (p < end) store<f64>(p, load<f64>(p) / d);
}

/** last[i] = g * (z * before[i] + last[i]): the anti-causal initial value. */
function antiCausalStartRow(last: usize, before: usize, count: i32, z: f64, g: f64): void {
  const zv = f64x2.splat(z);
  const gv = f64x2.splat(g);
  const end = (<usize>count) << 3;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    const v = f64x2.add(f64x2.mul(zv, v128.load(before + i)), v128.load(last + i));
    v128.store(last + i, f64x2.mul(gv, v));
  }
  if (i < end) store<f64>(last + i, g * (z * load<f64>(before + i) + load<f64>(last + i)));
}

/** row[i] = z * (next[i] - row[i]): one anti-causal step. */
function antiCausalRow(row: usize, next: usize, count: i32, z: f64): void {
  const zv = f64x2.splat(z);
  const end = (<usize>count) << 3;
  let i: usize = 0;
  for (; i + 16 <= end; i += 16) {
    v128.store(row + i, f64x2.mul(zv, f64x2.sub(v128.load(next + i), v128.load(row + i))));
  }
  if (i < end) store<f64>(row + i, z * (load<f64>(next + i) - load<f64>(row + i)));
}

/**
 * In-place prefilter of `count` parallel lines (ITK's DataToCoefficients1D on each): line i has
 * its samples at c[i + n * stride], n < length (f64 elements, stride >= count so that lines do not
 * overlap). The causal initial value is accumulated in place of the line's first sample, which no
 * later term reads.
 */
export function bsplinePrefilterLines(
  c: usize,
  stride: i32,
  length: i32,
  count: i32,
  horizon: i32,
): void {
  if (length === 1) return;
  const z = POLE;
  const c0 = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
  const step = (<usize>stride) << 3;
  for (let n = 0; n < length; n++) scaleRow(c + <usize>n * step, count, c0);
  const last = c + <usize>(length - 1) * step;
  if (horizon < length) {
    // Truncated causal initialisation: c[0] + sum_{0 < n < horizon} z^n c[n].
    let zn = z;
    for (let n = 1; n < horizon; n++) {
      addScaledRow(c, c + <usize>n * step, count, zn);
      zn *= z;
    }
  } else {
    // Full mirror-symmetric initialisation (ITK: z2n *= z2n * iz after the first term).
    const iz = 1.0 / z;
    let zn = z;
    let z2n = bsplinePowCorrectlyRounded(z, length - 1);
    addScaledRow(c, last, count, z2n);
    z2n = z2n * (z2n * iz);
    for (let n = 1; n <= length - 2; n++) {
      addScaledRow(c, c + <usize>n * step, count, zn + z2n);
      zn *= z;
      z2n *= iz;
    }
    divideRow(c, count, 1.0 - zn * zn);
  }
  for (let n = 1; n < length; n++) {
    const row = c + <usize>n * step;
    addScaledRow(row, row - step, count, z);
  }
  antiCausalStartRow(last, last - step, count, z, z / (z * z - 1.0));
  for (let n = length - 2; n >= 0; n--) {
    const row = c + <usize>n * step;
    antiCausalRow(row, row + step, count, z);
  }
}

/** line[lane + ROW_GROUP * i] = data[i] * c0 for i < n (T: the voxel type). */
function loadScaledRow<T>(data: usize, n: i32, line: usize, lane: i32, c0: f64): void {
  let p = line + ((<usize>lane) << 3);
  for (let i = 0; i < n; i++, p += ROW_GROUP << 3) {
    store<f64>(p, <f64>load<T>(data + ((<usize>i) << alignof<T>())) * c0);
  }
}

/** loadScaledRow for the voxel type numbered `type`. */
function loadScaledRowOf(type: i32, data: usize, n: i32, line: usize, lane: i32, c0: f64): void {
  if (type === INT8) loadScaledRow<i8>(data, n, line, lane, c0);
  else if (type === UINT8) loadScaledRow<u8>(data, n, line, lane, c0);
  else if (type === INT16) loadScaledRow<i16>(data, n, line, lane, c0);
  else if (type === UINT16) loadScaledRow<u16>(data, n, line, lane, c0);
  else if (type === INT32) loadScaledRow<i32>(data, n, line, lane, c0);
  else if (type === UINT32) loadScaledRow<u32>(data, n, line, lane, c0);
  else if (type === FLOAT32) loadScaledRow<f32>(data, n, line, lane, c0);
  else loadScaledRow<f64>(data, n, line, lane, c0);
}

/** Output row pointers of the ROW_GROUP rows being filtered. */
const groupOut = memory.data(ROW_GROUP * sizeof<usize>());

/**
 * The x pass on ROW_GROUP rows of n > horizon samples at once (the truncated causal
 * initialisation), each row with exactly the line prefilter's operations: `line` holds the scaled
 * samples interleaved (sample i of lane L at L + ROW_GROUP * i), and coefficient x (xLo <= x <=
 * xHi) of lane L is written to groupOut[L] + (x - xLo); the anti-causal pass stops at xLo.
 */
function prefilterRowGroup(line: usize, n: i32, horizon: i32, xLo: i32, xHi: i32): void {
  const z = POLE;
  const zv = f64x2.splat(z);
  const stepBytes: usize = ROW_GROUP << 3;
  let a = v128.load(line);
  let b = v128.load(line, 16);
  let c = v128.load(line, 32);
  let d = v128.load(line, 48);
  let zn = z;
  let p = line + stepBytes;
  for (let i = 1; i < horizon; i++, p += stepBytes) {
    const znv = f64x2.splat(zn);
    a = f64x2.add(a, f64x2.mul(znv, v128.load(p)));
    b = f64x2.add(b, f64x2.mul(znv, v128.load(p, 16)));
    c = f64x2.add(c, f64x2.mul(znv, v128.load(p, 32)));
    d = f64x2.add(d, f64x2.mul(znv, v128.load(p, 48)));
    zn *= z;
  }
  v128.store(line, a);
  v128.store(line, b, 16);
  v128.store(line, c, 32);
  v128.store(line, d, 48);
  // Causal pass: c[i] = c[i] + z c[i - 1].
  p = line + stepBytes;
  for (let i = 1; i < n; i++, p += stepBytes) {
    a = f64x2.add(v128.load(p), f64x2.mul(zv, a));
    b = f64x2.add(v128.load(p, 16), f64x2.mul(zv, b));
    c = f64x2.add(v128.load(p, 32), f64x2.mul(zv, c));
    d = f64x2.add(v128.load(p, 48), f64x2.mul(zv, d));
    v128.store(p, a);
    v128.store(p, b, 16);
    v128.store(p, c, 32);
    v128.store(p, d, 48);
  }
  // Anti-causal initial value and pass, from x = n - 1 down to xLo.
  const gv = f64x2.splat(z / (z * z - 1.0));
  const lastRow = line + <usize>(n - 1) * stepBytes;
  const beforeRow = lastRow - stepBytes;
  a = f64x2.mul(gv, f64x2.add(f64x2.mul(zv, v128.load(beforeRow)), v128.load(lastRow)));
  b = f64x2.mul(gv, f64x2.add(f64x2.mul(zv, v128.load(beforeRow, 16)), v128.load(lastRow, 16)));
  c = f64x2.mul(gv, f64x2.add(f64x2.mul(zv, v128.load(beforeRow, 32)), v128.load(lastRow, 32)));
  d = f64x2.mul(gv, f64x2.add(f64x2.mul(zv, v128.load(beforeRow, 48)), v128.load(lastRow, 48)));
  if (n - 1 <= xHi) storeGroup(a, b, c, d, n - 1 - xLo);
  p = beforeRow;
  for (let i = n - 2; i >= xLo; i--, p -= stepBytes) {
    a = f64x2.mul(zv, f64x2.sub(a, v128.load(p)));
    b = f64x2.mul(zv, f64x2.sub(b, v128.load(p, 16)));
    c = f64x2.mul(zv, f64x2.sub(c, v128.load(p, 32)));
    d = f64x2.mul(zv, f64x2.sub(d, v128.load(p, 48)));
    if (i <= xHi) storeGroup(a, b, c, d, i - xLo);
  }
}

/** Coefficient `at` of the ROW_GROUP rows (lanes of a, b, c, d in order) to their outputs. */
function storeGroup(a: v128, b: v128, c: v128, d: v128, at: i32): void {
  const offset = (<usize>at) << 3;
  store<f64>(load<usize>(groupOut) + offset, f64x2.extract_lane(a, 0));
  store<f64>(load<usize>(groupOut, sizeof<usize>()) + offset, f64x2.extract_lane(a, 1));
  store<f64>(load<usize>(groupOut, 2 * sizeof<usize>()) + offset, f64x2.extract_lane(b, 0));
  store<f64>(load<usize>(groupOut, 3 * sizeof<usize>()) + offset, f64x2.extract_lane(b, 1));
  store<f64>(load<usize>(groupOut, 4 * sizeof<usize>()) + offset, f64x2.extract_lane(c, 0));
  store<f64>(load<usize>(groupOut, 5 * sizeof<usize>()) + offset, f64x2.extract_lane(c, 1));
  store<f64>(load<usize>(groupOut, 6 * sizeof<usize>()) + offset, f64x2.extract_lane(d, 0));
  store<f64>(load<usize>(groupOut, 7 * sizeof<usize>()) + offset, f64x2.extract_lane(d, 1));
}

/** block[r + count * x] = data[x] for x < n (T: the voxel type). */
function loadTransposedRow<T>(data: usize, n: i32, block: usize, r: i32, count: i32): void {
  for (let x = 0; x < n; x++) {
    store<f64>(
      block + ((<usize>(r + count * x)) << 3),
      <f64>load<T>(data + ((<usize>x) << alignof<T>())),
    );
  }
}

/** loadTransposedRow for the voxel type numbered `type`. */
function loadTransposedRowOf(
  type: i32,
  data: usize,
  n: i32,
  block: usize,
  r: i32,
  count: i32,
): void {
  if (type === INT8) loadTransposedRow<i8>(data, n, block, r, count);
  else if (type === UINT8) loadTransposedRow<u8>(data, n, block, r, count);
  else if (type === INT16) loadTransposedRow<i16>(data, n, block, r, count);
  else if (type === UINT16) loadTransposedRow<u16>(data, n, block, r, count);
  else if (type === INT32) loadTransposedRow<i32>(data, n, block, r, count);
  else if (type === UINT32) loadTransposedRow<u32>(data, n, block, r, count);
  else if (type === FLOAT32) loadTransposedRow<f32>(data, n, block, r, count);
  else loadTransposedRow<f64>(data, n, block, r, count);
}

/** Bytes of work space bsplineSliceCoefficients needs (slices of nx * ny, rows of `width`). */
export function bsplineSliceWorkBytes(nx: i32, ny: i32, width: i32): usize {
  return (<usize>width * <usize>ny + <usize>max(ROW_GROUP, ROW_BLOCK) * <usize>nx) * 8;
}

/**
 * ITK's DataToCoefficientsND (x, then y, then z) computed only where a reader needs it, every
 * needed coefficient bit-identical to the whole-image computation: each 1-D pass works on whole
 * lines, so the x pass runs on every row, the y pass on the columns with x in [xLo, xHi], and the
 * z pass (3D only) on the lines with x in [xLo, xHi] and y in [yLo, yHi]. This kernel runs the x
 * and y passes on one slice `data` (voxel type numbered `type`, nx * ny voxels, x fastest; the
 * binding copies the image in slice by slice, which keeps the memory it touches small), and writes
 * rows keepLo..keepHi (keeping at least [yLo, yHi]) to out: coefficient (x, y) at out[(x - padLo)
 * + width * (y - keepLo)], width = padHi - padLo + 1. The z pass is bsplinePrefilterLines on the
 * rows of all slices (stride width * (keepHi - keepLo + 1), length nz).
 *
 * Rows are padded to the columns padLo..padHi (padLo <= xLo, padHi >= xHi): column v holds the
 * coefficient at mirrorIndex(v, nx), so that the 4 support coefficients along x of an evaluation
 * are adjacent even where they mirror. The padding columns are copied from their mirror images
 * right after the x pass; the y and z passes then treat them as the columns they copy (the same
 * operations on the same values), so they end up equal to them. Every column in padLo..padHi
 * outside xLo..xHi must mirror into xLo..xHi. `work`: bsplineSliceWorkBytes(nx, ny, width) bytes.
 */
export function bsplineSliceCoefficients(
  data: usize,
  type: i32,
  nx: i32,
  ny: i32,
  xLo: i32,
  xHi: i32,
  padLo: i32,
  padHi: i32,
  keepLo: i32,
  keepHi: i32,
  horizon: i32,
  out: usize,
  work: usize,
): void {
  const width = padHi - padLo + 1;
  const voxel = voxelBytes(type);
  const rowBytes = (<usize>width) << 3;
  const slice = work;
  const line = work + <usize>ny * rowBytes;
  // Where coefficient xLo of row 0 goes.
  const first = slice + ((<usize>(xLo - padLo)) << 3);
  if (horizon < nx) {
    // x: groups of rows straight from the data (the last group repeats the last row); only
    // x >= xLo is needed from the anti-causal pass.
    const z = POLE;
    const c0 = 1.0 * (1.0 - z) * (1.0 - 1.0 / z);
    for (let r0 = 0; r0 < ny; r0 += ROW_GROUP) {
      for (let lane = 0; lane < ROW_GROUP; lane++) {
        const r = min(r0 + lane, ny - 1);
        loadScaledRowOf(type, data + <usize>r * <usize>nx * voxel, nx, line, lane, c0);
        store<usize>(groupOut + <usize>lane * sizeof<usize>(), first + <usize>r * rowBytes);
      }
      prefilterRowGroup(line, nx, horizon, xLo, xHi);
    }
  } else {
    // x (short rows, full mirror initialisation): blocks of rows, transposed so that sample x of
    // row r sits at x * count + r.
    for (let r0 = 0; r0 < ny; r0 += ROW_BLOCK) {
      const count = min(ROW_BLOCK, ny - r0);
      for (let r = 0; r < count; r++) {
        loadTransposedRowOf(type, data + <usize>(r0 + r) * <usize>nx * voxel, nx, line, r, count);
      }
      bsplinePrefilterLines(line, count, nx, count, horizon);
      for (let r = 0; r < count; r++) {
        const dst = first + <usize>(r0 + r) * rowBytes;
        for (let x = xLo; x <= xHi; x++) {
          store<f64>(
            dst + ((<usize>(x - xLo)) << 3),
            load<f64>(line + ((<usize>(x * count + r)) << 3)),
          );
        }
      }
    }
  }
  if (padLo < xLo || padHi > xHi) {
    for (let r = 0; r < ny; r++) {
      const row = slice + <usize>r * rowBytes;
      for (let v = padLo; v <= padHi; v++) {
        if (v >= xLo && v <= xHi) continue;
        const from = row + ((<usize>(mirrorIndex(v, nx) - padLo)) << 3);
        store<f64>(row + ((<usize>(v - padLo)) << 3), load<f64>(from));
      }
    }
  }
  // y: all columns of the slice together.
  bsplinePrefilterLines(slice, width, ny, width, horizon);
  memory.copy(out, slice + <usize>keepLo * rowBytes, <usize>(keepHi - keepLo + 1) * rowBytes);
}
