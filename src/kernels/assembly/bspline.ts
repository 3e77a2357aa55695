/**
 * Resampling kernels (binding: src/kernels/bspline.ts): ITK 5.2.1's cubic B-spline interpolation
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

// Voxel types of input and output arrays, numbered as the binding's VOXEL_TYPE_CODE.
const INT8 = 0;
const UINT8 = 1;
const INT16 = 2;
const UINT16 = 3;
const INT32 = 4;
const UINT32 = 5;
const FLOAT32 = 6;

/** The pole of the cubic B-spline prefilter, sqrt(3) - 2 (this literal is that double). */
const POLE: f64 = -0.2679491924311228;

/** Rows the x pass filters side by side (4 SIMD vectors of 2). */
const ROW_GROUP = 8;

/** Short rows (no longer than the horizon) transposed together for the x pass. */
const ROW_BLOCK = 32;

// ---------------------------------------------------------------------------------------------
// Prefilter
// ---------------------------------------------------------------------------------------------

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

/** Bytes of one voxel of the type numbered `type`. */
function voxelBytes(type: i32): i32 {
  if (type <= UINT8) return 1;
  if (type <= UINT16) return 2;
  if (type <= FLOAT32) return 4;
  return 8;
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

// ---------------------------------------------------------------------------------------------
// Interpolation along the scan lines
// ---------------------------------------------------------------------------------------------

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

/**
 * The mirrored support index on an axis of n voxels (BSplineInterpolateImageFunction): -i below
 * 0, 2(n - 1) - i beyond the end; lines shorter than the support (n = 2) could mirror out of range
 * again and are clamped to 0; a single-voxel axis always reads index 0.
 */
function mirrorIndex(index: i32, n: i32): i32 {
  if (n === 1) return 0;
  const end = n - 1;
  let i = index;
  if (i < 0) i = -i;
  if (i >= end) i = end - (i - end);
  if (i < 0) i = 0;
  return i;
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

// ---------------------------------------------------------------------------------------------
// The label mask, nearest neighbour
// ---------------------------------------------------------------------------------------------

/**
 * itk::Math::Round (RoundHalfIntegerUp, SSE2 implementation): rint(2x + 0.5) >> 1 with rint
 * rounding half to even, as src/image/resample/itk-rounding.ts computes it.
 */
function itkRound(x: f64): i32 {
  return <i32>Math.floor(nearest<f64>(2.0 * x + 0.5) / 2.0);
}

/**
 * sitk.Cast(voxel, UInt32) (static_cast: truncation, modular below 0 and above 2^32 - 1) as
 * JavaScript's Math.trunc(v) >>> 0 computes it: non-finite values give 0.
 */
function castToUint32<T>(v: T): u32 {
  if (!isFloat<T>()) return <u32>v;
  const d = <f64>v;
  if (!Number.isFinite(d)) return 0;
  const t = Math.trunc(d);
  if (Math.abs(t) < 9.223372036854776e18) return <u32>(<i64>t);
  // |t| >= 2^63: t = m 2^(e - 52) with e >= 63; only the bits below 2^32 remain.
  const bits = reinterpret<u64>(t);
  const shift = <i32>((bits >> 52) & 0x7ff) - 1075;
  if (shift >= 32) return 0;
  const low = <u32>(((bits & 0xfffffffffffff) | 0x10000000000000) << shift);
  return t < 0 ? 0 - low : low;
}

function maskNearest<T>(
  mask: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  is3D: bool,
  rowStart: usize,
  rowDelta: usize,
  rowCount: i32,
  outNx: i32,
  out: usize,
): void {
  const hi0 = <f64>(nx - 1) + 0.5;
  const hi1 = <f64>(ny - 1) + 0.5;
  const hi2 = is3D ? <f64>(nz - 1) + 0.5 : 0.5;
  const fx = <f64>outNx;
  let lastC1 = NaN;
  let lastC2 = NaN;
  let j = 0;
  let k = 0;
  let o = out;
  for (let r = 0; r < rowCount; r++) {
    const s0 = load<f64>(rowStart + <usize>(3 * r) * 8);
    const s1 = load<f64>(rowStart + <usize>(3 * r) * 8, 8);
    const s2 = load<f64>(rowStart + <usize>(3 * r) * 8, 16);
    const e0 = load<f64>(rowDelta + <usize>(3 * r) * 8);
    const e1 = load<f64>(rowDelta + <usize>(3 * r) * 8, 8);
    const e2 = load<f64>(rowDelta + <usize>(3 * r) * 8, 16);
    for (let x = 0; x < outNx; x++, o += 4) {
      const alpha = <f64>x / fx;
      const c0 = s0 + alpha * e0;
      const c1 = s1 + alpha * e1;
      const c2 = is3D ? s2 + alpha * e2 : 0;
      const inside =
        c0 >= -0.5 && c0 < hi0 && c1 >= -0.5 && c1 < hi1 && (!is3D || (c2 >= -0.5 && c2 < hi2));
      if (!inside) {
        store<u32>(o, 0);
        continue;
      }
      const i = min(itkRound(c0), nx - 1);
      if (c1 !== lastC1) {
        j = min(itkRound(c1), ny - 1);
        lastC1 = c1;
      }
      if (is3D && c2 !== lastC2) {
        k = min(itkRound(c2), nz - 1);
        lastC2 = c2;
      }
      const at = mask + ((<usize>(i + nx * (j + ny * k))) << alignof<T>());
      store<u32>(o, castToUint32<T>(load<T>(at)));
    }
  }
}

/**
 * PyRadiomics' nearest-neighbour resampling of the label mask (voxel type numbered `type`, nx * ny
 * * nz voxels) to UInt32: sitk.Cast(mask, UInt32), then ResampleImageFilter along the scan rows
 * (as bsplineResample) with NearestNeighborInterpolateImageFunction's index min(Round(c), n - 1)
 * per axis (y and z recomputed only when c1, c2 change); the cast is applied to each sampled voxel
 * (the same values). Writes out[r * outNx + x] (u32), 0 outside the input.
 */
export function resampleMaskNearest(
  mask: usize,
  type: i32,
  nx: i32,
  ny: i32,
  nz: i32,
  is3D: bool,
  rowStart: usize,
  rowDelta: usize,
  rowCount: i32,
  outNx: i32,
  out: usize,
): void {
  if (type === INT8)
    maskNearest<i8>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === UINT8)
    maskNearest<u8>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === INT16)
    maskNearest<i16>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === UINT16)
    maskNearest<u16>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === INT32)
    maskNearest<i32>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === UINT32)
    maskNearest<u32>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === FLOAT32)
    maskNearest<f32>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else maskNearest<f64>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
}
