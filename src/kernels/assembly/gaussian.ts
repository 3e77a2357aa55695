/**
 * ITK's recursive Gaussian filter along one axis of a volume (binding: src/kernels/gaussian.ts; the
 * coefficients come from src/filters/recursive-gaussian.ts) and the float32 accumulation of the
 * Laplacian of Gaussian (src/filters/log.ts).
 *
 * itk::RecursiveSeparableImageFilter::FilterDataArray (ITK 5.2.1), per line of `ln` (>= 4)
 * samples x_0..x_{ln-1}, in float64:
 *   causal       y+_i = n0 x_i + n1 x_{i-1} + n2 x_{i-2} + n3 x_{i-3}
 *                       - (d1 y+_{i-1} + d2 y+_{i-2} + d3 y+_{i-3} + d4 y+_{i-4})
 *   anti-causal  y-_i = m1 x_{i+1} + m2 x_{i+2} + m3 x_{i+3} + m4 x_{i+4}
 *                       - (d1 y-_{i+1} + d2 y-_{i+2} + d3 y-_{i+3} + d4 y-_{i+4})
 *   output       y_i = y+_i + y-_i
 * Both passes start as if the edge sample extended to infinity: samples before the line equal x_0,
 * after it x_{ln-1}, and the outputs there are those of a constant line (ITK's boundary coefficients
 * BN / BM). Every sum is evaluated left to right, exactly as ITK writes it (WebAssembly has no
 * implicit fused multiply-add, and each f64x2 lane operation is the IEEE scalar operation), so the
 * results equal ITK's and the former JavaScript's to the last bit. A float32 output stores each
 * y_i rounded to nearest (ITK's static_cast to a float image; f32.demote_f64).
 *
 * Only samples from..to of a line are written: the causal recursion stops after `to` and the
 * anti-causal one after `from`, so those samples keep their whole-line values exactly.
 *
 * Lines are filtered in strips of up to STRIP neighbouring lines, two lines per f64x2 vector: each
 * strip is first copied, as float64, into a work buffer (so a line is read completely before any of
 * its samples is written, and the source may be the destination), then both recursions run sample
 * by sample over all the strip's pairs of lines at once (their recursions are independent, so the
 * processor overlaps them; one pair alone would wait on each sample's chain of additions), and the
 * sums are written back.
 */

/** Most lines filtered together: 16 pairs keep many recursions in flight. */
const STRIP: i32 = 32;

// The strip's work buffer holds, for each pair of lines (one f64x2 vector per sample), its samples
// one after the other, each sample as three vectors: the input (X), the causal output (Y, later the
// sum of both passes) and the anti-causal output (Z). The recursions then read their recent
// samples at fixed offsets from one pointer.
const X: usize = 0;
const Y: usize = 16;
const Z: usize = 32;
/** Bytes per sample of a pair in the work buffer. */
const S: usize = 48;

/**
 * Bytes from one pair's samples to the next pair's: an odd multiple of 256, so that the recent
 * samples of the STRIP / 2 pairs (under 256 bytes each) fall in different sets of a 4 KiB-periodic
 * L1 cache. (With lines of 512 samples the plain ln S is a multiple of 4096: every pair's samples
 * then compete for the same few sets, and the passes along x ran three times slower.)
 */
function pairBytes(ln: i32): usize {
  return ((<usize>ln * S + 511) & ~511) + 256;
}

// Coefficients (f64[20] at `coefficients`), names as in itkRecursiveSeparableImageFilter.h.
const N0 = 0;
const N1 = 1;
const N2 = 2;
const N3 = 3;
const D1 = 4;
const D2 = 5;
const D3 = 6;
const D4 = 7;
const M1 = 8;
const M2 = 9;
const M3 = 10;
const M4 = 11;
const BN1 = 12;
const BN2 = 13;
const BN3 = 14;
const BN4 = 15;
const BM1 = 16;
const BM2 = 17;
const BM3 = 18;
const BM4 = 19;

/** Bytes of work space that recursiveGaussianAlongAxis needs for lines of up to `length` samples. */
export function recursiveGaussianWorkBytes(length: i32): usize {
  return (<usize>STRIP >> 1) * pairBytes(length);
}

/** Coefficient k, in both lanes. */
function coefficient(coefficients: usize, k: i32): v128 {
  return f64x2.splat(load<f64>(coefficients + ((<usize>k) << 3)));
}

/** a ca + b cb + c cc + d cd, left to right (ITK's four-term sums). */
function sum4(a: v128, ca: v128, b: v128, cb: v128, c: v128, cc: v128, d: v128, cd: v128): v128 {
  return f64x2.add(
    f64x2.add(f64x2.add(f64x2.mul(a, ca), f64x2.mul(b, cb)), f64x2.mul(c, cc)),
    f64x2.mul(d, cd),
  );
}

/**
 * One recursive-Gaussian pass along `axis` (0: x, 1: y, 2: z) over an x-fastest volume of
 * nx x ny x nz: the lines along the axis whose other two coordinates lie in the region
 * [x0, x1] x [y0, y1] x [z0, z1] are filtered over their whole length and their samples inside
 * the region written to `dst`; `dst` elsewhere is left as it was. `src` holds float32 values, or
 * float64 when srcIsF64; `dst` likewise. `src` may be `dst`. `work`: recursiveGaussianWorkBytes of
 * the axis' length.
 */
export function recursiveGaussianAlongAxis(
  src: usize,
  srcIsF64: bool,
  dst: usize,
  dstIsF64: bool,
  nx: i32,
  ny: i32,
  nz: i32,
  axis: i32,
  x0: i32,
  y0: i32,
  z0: i32,
  x1: i32,
  y1: i32,
  z1: i32,
  coefficients: usize,
  work: usize,
): void {
  if (srcIsF64) {
    if (dstIsF64) {
      alongAxis<f64, f64>(src, dst, nx, ny, nz, axis, x0, y0, z0, x1, y1, z1, coefficients, work);
    } else {
      alongAxis<f64, f32>(src, dst, nx, ny, nz, axis, x0, y0, z0, x1, y1, z1, coefficients, work);
    }
  } else if (dstIsF64) {
    alongAxis<f32, f64>(src, dst, nx, ny, nz, axis, x0, y0, z0, x1, y1, z1, coefficients, work);
  } else {
    alongAxis<f32, f32>(src, dst, nx, ny, nz, axis, x0, y0, z0, x1, y1, z1, coefficients, work);
  }
}

function alongAxis<T, D>(
  src: usize,
  dst: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  axis: i32,
  x0: i32,
  y0: i32,
  z0: i32,
  x1: i32,
  y1: i32,
  z1: i32,
  coefficients: usize,
  work: usize,
): void {
  const plane = nx * ny;
  const ln = axis === 0 ? nx : axis === 1 ? ny : nz;
  const from = axis === 0 ? x0 : axis === 1 ? y0 : z0;
  const to = axis === 0 ? x1 : axis === 1 ? y1 : z1;
  if (axis === 0) {
    // The region's rows of one z-slice: sample i of row y at y nx + i.
    const strip = stripWidth(y1 - y0 + 1);
    for (let z = z0; z <= z1; z++) {
      for (let y = y0; y <= y1; y += strip) {
        const count = min(strip, y1 - y + 1);
        const base = z * plane + y * nx;
        gatherRows<T>(src, base, nx, count, ln, work);
        filterStrip(coefficients, work, (count + 1) >> 1, ln, from, to);
        scatterRows<D>(dst, base, nx, count, ln, from, to, work);
      }
    }
    return;
  }
  // Axis 1: the region's columns of one z-slice; axis 2: the region's z-lines of one y-row;
  // neighbouring lines are neighbouring x.
  const strip = stripWidth(x1 - x0 + 1);
  const step = axis === 1 ? nx : plane;
  const outerLo = axis === 1 ? z0 : y0;
  const outerHi = axis === 1 ? z1 : y1;
  for (let b = outerLo; b <= outerHi; b++) {
    const row = axis === 1 ? b * plane : b * nx;
    for (let x = x0; x <= x1; x += strip) {
      const count = min(strip, x1 - x + 1);
      gatherColumns<T>(src, row + x, step, count, ln, work);
      filterStrip(coefficients, work, (count + 1) >> 1, ln, from, to);
      scatterColumns<D>(dst, row + x, step, count, ln, from, to, work);
    }
  }
}

/** Lines per strip: `width` lines in as few strips as possible, of even, nearly equal counts. */
function stripWidth(width: i32): i32 {
  const strips = (width + STRIP - 1) / STRIP;
  const each = (width + strips - 1) / strips;
  return min(STRIP, (each + 1) & ~1);
}

/** Two neighbouring values of type T as float64 lanes. */
function loadPair<T>(at: usize): v128 {
  if (sizeof<T>() === 4) return f64x2.promote_low_f32x4(v128.load64_zero(at));
  return v128.load(at);
}

/** Stores the float64 lanes of `pair` as two neighbouring values of type T. */
function storePair<T>(at: usize, pair: v128): void {
  if (sizeof<T>() === 4) v128.store64_lane(at, f32x4.demote_f64x2_zero(pair), 0);
  else v128.store(at, pair);
}

/**
 * Copies `count` lines of `ln` samples into the work buffer's X vectors: lines whose samples are
 * neighbours in memory (rows), sample i of line k at element base + k lineStride + i.
 */
function gatherRows<T>(
  src: usize,
  base: i32,
  lineStride: i32,
  count: i32,
  ln: i32,
  work: usize,
): void {
  const size = <usize>sizeof<T>();
  const pairStride = pairBytes(ln);
  for (let k = 0; k < count; k += 2) {
    const a = src + <usize>(base + k * lineStride) * size;
    // An odd count's last pair filters zeros in its second lane.
    const b = k + 1 < count ? a + <usize>lineStride * size : 0;
    const out = work + (<usize>k >> 1) * pairStride;
    let i = 0;
    for (; i + 1 < ln; i += 2) {
      // Samples i and i + 1 of both lines, transposed into the pairs of samples i and i + 1.
      const fromA = loadPair<T>(a + <usize>i * size);
      const fromB = b ? loadPair<T>(b + <usize>i * size) : f64x2.splat(0);
      v128.store(out + <usize>i * S, f64x2.shuffle(fromA, fromB, 0, 2), X);
      v128.store(out + <usize>i * S, f64x2.shuffle(fromA, fromB, 1, 3), S + X);
    }
    if (i < ln) {
      const valueA = <f64>load<T>(a + <usize>i * size);
      const valueB = b ? <f64>load<T>(b + <usize>i * size) : 0;
      v128.store(out + <usize>i * S, f64x2.replace_lane(f64x2.splat(valueA), 1, valueB), X);
    }
  }
}

/** gatherRows for lines whose samples i are neighbours in memory (line k at base + k). */
function gatherColumns<T>(
  src: usize,
  base: i32,
  step: i32,
  count: i32,
  ln: i32,
  work: usize,
): void {
  const size = <usize>sizeof<T>();
  const pairStride = pairBytes(ln);
  const pairs = count >> 1;
  for (let i = 0; i < ln; i++) {
    const from = src + <usize>(base + i * step) * size;
    let out = work + <usize>i * S;
    for (let q = 0; q < pairs; q++, out += pairStride) {
      v128.store(out, loadPair<T>(from + ((<usize>q) << 1) * size), X);
    }
    if (count & 1) {
      const value = <f64>load<T>(from + <usize>(count - 1) * size);
      v128.store(out, f64x2.replace_lane(f64x2.splat(0), 0, value), X);
    }
  }
}

/** Writes samples from..to of the lines of gatherRows from the work buffer's Y vectors. */
function scatterRows<D>(
  dst: usize,
  base: i32,
  lineStride: i32,
  count: i32,
  ln: i32,
  from: i32,
  to: i32,
  work: usize,
): void {
  const size = <usize>sizeof<D>();
  const pairStride = pairBytes(ln);
  for (let k = 0; k < count; k += 2) {
    const a = dst + <usize>(base + k * lineStride) * size;
    const b = a + <usize>lineStride * size;
    const both = k + 1 < count;
    const rows = work + (<usize>k >> 1) * pairStride;
    let i = from;
    for (; i < to; i += 2) {
      const first = v128.load(rows + <usize>i * S, Y);
      const second = v128.load(rows + <usize>i * S, S + Y);
      storePair<D>(a + <usize>i * size, f64x2.shuffle(first, second, 0, 2));
      if (both) storePair<D>(b + <usize>i * size, f64x2.shuffle(first, second, 1, 3));
    }
    if (i === to) {
      const last = v128.load(rows + <usize>i * S, Y);
      store<D>(a + <usize>i * size, <D>f64x2.extract_lane(last, 0));
      if (both) store<D>(b + <usize>i * size, <D>f64x2.extract_lane(last, 1));
    }
  }
}

/** Writes samples from..to of the lines of gatherColumns from the work buffer's Y vectors. */
function scatterColumns<D>(
  dst: usize,
  base: i32,
  step: i32,
  count: i32,
  ln: i32,
  from: i32,
  to: i32,
  work: usize,
): void {
  const size = <usize>sizeof<D>();
  const pairStride = pairBytes(ln);
  const pairs = count >> 1;
  for (let i = from; i <= to; i++) {
    const at = dst + <usize>(base + i * step) * size;
    let rows = work + <usize>i * S;
    for (let q = 0; q < pairs; q++, rows += pairStride) {
      storePair<D>(at + ((<usize>q) << 1) * size, v128.load(rows, Y));
    }
    if (count & 1) {
      store<D>(at + <usize>(count - 1) * size, <D>f64x2.extract_lane(v128.load(rows, Y), 0));
    }
  }
}

/**
 * Both passes over the `pairs` pairs of lines in the work buffer (X: inputs), leaving
 * causal + anti-causal in Y for samples from..to.
 */
function filterStrip(
  coefficients: usize,
  work: usize,
  pairs: i32,
  ln: i32,
  from: i32,
  to: i32,
): void {
  const pairStride = pairBytes(ln);
  const end = work + <usize>pairs * pairStride;
  causal(coefficients, work, end, pairStride, to);
  antiCausal(coefficients, work, end, pairStride, ln, from, to);
}

/**
 * The causal pass (FilterDataArray's first half) of the pairs from `work` to `end`, samples
 * 0..max(to, 3), into Y. Sample by sample, all pairs at once (their recursions are independent).
 */
function causal(coefficients: usize, work: usize, end: usize, pairStride: usize, to: i32): void {
  const n0 = coefficient(coefficients, N0);
  const n1 = coefficient(coefficients, N1);
  const n2 = coefficient(coefficients, N2);
  const n3 = coefficient(coefficients, N3);
  const d1 = coefficient(coefficients, D1);
  const d2 = coefficient(coefficients, D2);
  const d3 = coefficient(coefficients, D3);
  const d4 = coefficient(coefficients, D4);
  const bn1 = coefficient(coefficients, BN1);
  const bn2 = coefficient(coefficients, BN2);
  const bn3 = coefficient(coefficients, BN3);
  const bn4 = coefficient(coefficients, BN4);
  // Borders: samples before the line equal its first sample v1.
  for (let p = work; p < end; p += pairStride) {
    const v1 = v128.load(p, X);
    const x1 = v128.load(p, S + X);
    const x2 = v128.load(p, 2 * S + X);
    const x3 = v128.load(p, 3 * S + X);
    let o0 = sum4(v1, n0, v1, n1, v1, n2, v1, n3);
    let o1 = sum4(x1, n0, v1, n1, v1, n2, v1, n3);
    let o2 = sum4(x2, n0, x1, n1, v1, n2, v1, n3);
    let o3 = sum4(x3, n0, x2, n1, x1, n2, v1, n3);
    o0 = f64x2.sub(o0, sum4(v1, bn1, v1, bn2, v1, bn3, v1, bn4));
    o1 = f64x2.sub(o1, sum4(o0, d1, v1, bn2, v1, bn3, v1, bn4));
    o2 = f64x2.sub(o2, sum4(o1, d1, o0, d2, v1, bn3, v1, bn4));
    o3 = f64x2.sub(o3, sum4(o2, d1, o1, d2, o0, d3, v1, bn4));
    v128.store(p, o0, Y);
    v128.store(p, o1, S + Y);
    v128.store(p, o2, 2 * S + Y);
    v128.store(p, o3, 3 * S + Y);
  }
  // Sample i of a pair at p + 4 S: x_i ... x_{i-3} and y_{i-1} ... y_{i-4} at fixed offsets.
  for (let i = 4, at: usize = 0; i <= to; i++, at += S) {
    for (let p = work + at; p < end + at; p += pairStride) {
      const e = sum4(
        v128.load(p, 4 * S + X),
        n0,
        v128.load(p, 3 * S + X),
        n1,
        v128.load(p, 2 * S + X),
        n2,
        v128.load(p, S + X),
        n3,
      );
      const past = sum4(
        v128.load(p, 3 * S + Y),
        d1,
        v128.load(p, 2 * S + Y),
        d2,
        v128.load(p, S + Y),
        d3,
        v128.load(p, Y),
        d4,
      );
      v128.store(p, f64x2.sub(e, past), 4 * S + Y);
    }
  }
}

/**
 * The anti-causal pass of the pairs from `work` to `end` down to sample `from`, into Z; for
 * samples from..to, Y += Z (ITK's final sum of the causal and anti-causal outputs).
 */
function antiCausal(
  coefficients: usize,
  work: usize,
  end: usize,
  pairStride: usize,
  ln: i32,
  from: i32,
  to: i32,
): void {
  const m1 = coefficient(coefficients, M1);
  const m2 = coefficient(coefficients, M2);
  const m3 = coefficient(coefficients, M3);
  const m4 = coefficient(coefficients, M4);
  const d1 = coefficient(coefficients, D1);
  const d2 = coefficient(coefficients, D2);
  const d3 = coefficient(coefficients, D3);
  const d4 = coefficient(coefficients, D4);
  const bm1 = coefficient(coefficients, BM1);
  const bm2 = coefficient(coefficients, BM2);
  const bm3 = coefficient(coefficients, BM3);
  const bm4 = coefficient(coefficients, BM4);
  // Borders: samples after the line equal its last sample v2 (p: sample ln - 4).
  const tail = <usize>(ln - 4) * S;
  for (let p = work + tail; p < end; p += pairStride) {
    const v2 = v128.load(p, 3 * S + X);
    const x1 = v128.load(p, 2 * S + X);
    const x2 = v128.load(p, S + X);
    let a1 = sum4(v2, m1, v2, m2, v2, m3, v2, m4);
    let a2 = sum4(v2, m1, v2, m2, v2, m3, v2, m4);
    let a3 = sum4(x1, m1, v2, m2, v2, m3, v2, m4);
    let a4 = sum4(x2, m1, x1, m2, v2, m3, v2, m4);
    a1 = f64x2.sub(a1, sum4(v2, bm1, v2, bm2, v2, bm3, v2, bm4));
    a2 = f64x2.sub(a2, sum4(a1, d1, v2, bm2, v2, bm3, v2, bm4));
    a3 = f64x2.sub(a3, sum4(a2, d1, a1, d2, v2, bm3, v2, bm4));
    a4 = f64x2.sub(a4, sum4(a3, d1, a2, d2, a1, d3, v2, bm4));
    v128.store(p, a1, 3 * S + Z);
    v128.store(p, a2, 2 * S + Z);
    v128.store(p, a3, S + Z);
    v128.store(p, a4, Z);
  }
  for (let i = ln - 1; i >= ln - 4; i--) {
    if (i < from || i > to) continue;
    const at = <usize>i * S;
    for (let p = work + at; p < end + at; p += pairStride) {
      v128.store(p, f64x2.add(v128.load(p, Y), v128.load(p, Z)), Y);
    }
  }
  // Sample i of a pair at p: x_{i+1} ... x_{i+4} and y_{i+1} ... y_{i+4} at fixed offsets.
  for (let i = ln - 5, at = <usize>(ln - 5) * S; i >= from; i--, at -= S) {
    if (i > to) {
      for (let p = work + at; p < end + at; p += pairStride) {
        v128.store(p, antiCausalSample(p, m1, m2, m3, m4, d1, d2, d3, d4), Z);
      }
    } else {
      for (let p = work + at; p < end + at; p += pairStride) {
        const y = antiCausalSample(p, m1, m2, m3, m4, d1, d2, d3, d4);
        v128.store(p, y, Z);
        v128.store(p, f64x2.add(v128.load(p, Y), y), Y);
      }
    }
  }
}

/** The anti-causal output of the sample at p from the four after it. */
function antiCausalSample(
  p: usize,
  m1: v128,
  m2: v128,
  m3: v128,
  m4: v128,
  d1: v128,
  d2: v128,
  d3: v128,
  d4: v128,
): v128 {
  const e = sum4(
    v128.load(p, S + X),
    m1,
    v128.load(p, 2 * S + X),
    m2,
    v128.load(p, 3 * S + X),
    m3,
    v128.load(p, 4 * S + X),
    m4,
  );
  const next = sum4(
    v128.load(p, S + Z),
    d1,
    v128.load(p, 2 * S + Z),
    d2,
    v128.load(p, 3 * S + Z),
    d3,
    v128.load(p, 4 * S + Z),
    d4,
  );
  return f64x2.sub(e, next);
}

/**
 * The Laplacian's accumulation over the region [x0, x1] x [y0, y1] x [z0, z1] of an x-fastest
 * volume nx x ny x nz (float32 arrays): cumulative = float32(cumulative + pass * factor), the
 * float64 operations of ITK's LaplacianRecursiveGaussianImageFilter (factor = 1 / spacing_d^2).
 */
export function laplacianAccumulate(
  cumulative: usize,
  pass: usize,
  factor: f64,
  nx: i32,
  ny: i32,
  x0: i32,
  y0: i32,
  z0: i32,
  x1: i32,
  y1: i32,
  z1: i32,
): void {
  const scale = f64x2.splat(factor);
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = (<usize>((z * ny + y) * nx)) << 2;
      let x = x0;
      for (; x + 3 <= x1; x += 4) {
        const at = row + ((<usize>x) << 2);
        const sum = v128.load(cumulative + at);
        const term = v128.load(pass + at);
        const low = f64x2.add(
          f64x2.promote_low_f32x4(sum),
          f64x2.mul(f64x2.promote_low_f32x4(term), scale),
        );
        const high = f64x2.add(
          f64x2.promote_low_f32x4(i64x2.shuffle(sum, sum, 1, 1)),
          f64x2.mul(f64x2.promote_low_f32x4(i64x2.shuffle(term, term, 1, 1)), scale),
        );
        v128.store(
          cumulative + at,
          i64x2.shuffle(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 2),
        );
      }
      for (; x <= x1; x++) {
        const at = row + ((<usize>x) << 2);
        store<f32>(
          cumulative + at,
          <f32>(<f64>load<f32>(cumulative + at) + <f64>load<f32>(pass + at) * factor),
        );
      }
    }
  }
}
