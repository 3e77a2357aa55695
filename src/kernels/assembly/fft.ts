/**
 * The forward Stockham FFT of IBSI mode (src/ibsi/fft.ts, where the algorithm is documented:
 * mixed radix 4, 2, 3, 5, decimation in frequency, Van Loan 1992) on a block of `lanes` sequences
 * (element i of lane l at i * lanes + l), two lanes per SIMD operation. Every element goes through
 * the same operations in the same order as the TypeScript butterflies, with the twiddle tables
 * and the radix constants handed over from TypeScript, so the results are the same bit for bit.
 *
 * Arguments: n, the radices (i32, radixCount of them, their product n), the tables cos(2 pi i / n)
 * and sin(2 pi i / n) (f64, n each), the constants [sin 60, cos 72, cos 144, sin 72, sin 144]
 * (f64), then the block (xr, xi) and the scratch block (yr, yi), n * lanes f64 each. Returns 1 when
 * the result ended in the scratch block (an odd number of stages), else 0.
 */

/** Twiddles w_k = w_{n'}^{pk} of the current stage and q, k = 1..4 (re, im). */
const twiddles = memory.data(80);

function twiddleRe(k: i32): f64 {
  return load<f64>(twiddles + ((<usize>k) << 3));
}

function twiddleIm(k: i32): f64 {
  return load<f64>(twiddles + 40 + ((<usize>k) << 3));
}

/** Two lanes from element i of `base` (full), or one (the block's odd last lane) in lane 0. */
function get(base: usize, i: i32, full: bool): v128 {
  const at = base + ((<usize>i) << 3);
  return full ? v128.load(at) : f64x2.splat(load<f64>(at));
}

function put(base: usize, i: i32, v: v128, full: bool): void {
  const at = base + ((<usize>i) << 3);
  if (full) v128.store(at, v);
  else store<f64>(at, f64x2.extract_lane(v, 0));
}

/** Stores (br + i bi) (wr + i wi) at element o of (yr, yi). */
function putTwiddled(yr: usize, yi: usize, o: i32, br: v128, bi: v128, k: i32, full: bool): void {
  const wr = f64x2.splat(twiddleRe(k));
  const wi = f64x2.splat(twiddleIm(k));
  put(yr, o, f64x2.sub(f64x2.mul(br, wr), f64x2.mul(bi, wi)), full);
  put(yi, o, f64x2.add(f64x2.mul(br, wi), f64x2.mul(bi, wr)), full);
}

function radix2At(
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
  i0: i32,
  inStep: i32,
  o: i32,
  span: i32,
  full: bool,
): void {
  const i1 = i0 + inStep;
  const ar = get(xr, i0, full);
  const ai = get(xi, i0, full);
  const br = get(xr, i1, full);
  const bi = get(xi, i1, full);
  put(yr, o, f64x2.add(ar, br), full);
  put(yi, o, f64x2.add(ai, bi), full);
  putTwiddled(yr, yi, o + span, f64x2.sub(ar, br), f64x2.sub(ai, bi), 1, full);
}

function radix4At(
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
  i0: i32,
  inStep: i32,
  o: i32,
  span: i32,
  unit: bool,
  full: bool,
): void {
  const i1 = i0 + inStep;
  const i2 = i1 + inStep;
  const i3 = i2 + inStep;
  const x0r = get(xr, i0, full);
  const x0i = get(xi, i0, full);
  const x1r = get(xr, i1, full);
  const x1i = get(xi, i1, full);
  const x2r = get(xr, i2, full);
  const x2i = get(xi, i2, full);
  const x3r = get(xr, i3, full);
  const x3i = get(xi, i3, full);
  const sr = f64x2.add(x0r, x2r);
  const si = f64x2.add(x0i, x2i);
  const dr = f64x2.sub(x0r, x2r);
  const di = f64x2.sub(x0i, x2i);
  const tr = f64x2.add(x1r, x3r);
  const ti = f64x2.add(x1i, x3i);
  const er = f64x2.sub(x1r, x3r);
  const ei = f64x2.sub(x1i, x3i);
  put(yr, o, f64x2.add(sr, tr), full);
  put(yi, o, f64x2.add(si, ti), full);
  const b1r = f64x2.add(dr, ei);
  const b1i = f64x2.sub(di, er);
  const b2r = f64x2.sub(sr, tr);
  const b2i = f64x2.sub(si, ti);
  const b3r = f64x2.sub(dr, ei);
  const b3i = f64x2.add(di, er);
  if (unit) {
    put(yr, o + span, b1r, full);
    put(yi, o + span, b1i, full);
    put(yr, o + 2 * span, b2r, full);
    put(yi, o + 2 * span, b2i, full);
    put(yr, o + 3 * span, b3r, full);
    put(yi, o + 3 * span, b3i, full);
  } else {
    putTwiddled(yr, yi, o + span, b1r, b1i, 1, full);
    putTwiddled(yr, yi, o + 2 * span, b2r, b2i, 2, full);
    putTwiddled(yr, yi, o + 3 * span, b3r, b3i, 3, full);
  }
}

function radix3At(
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
  i0: i32,
  inStep: i32,
  o: i32,
  span: i32,
  sin60: v128,
  minusSin60: v128,
  full: bool,
): void {
  const i1 = i0 + inStep;
  const i2 = i1 + inStep;
  const x0r = get(xr, i0, full);
  const x0i = get(xi, i0, full);
  const x1r = get(xr, i1, full);
  const x1i = get(xi, i1, full);
  const x2r = get(xr, i2, full);
  const x2i = get(xi, i2, full);
  const tr = f64x2.add(x1r, x2r);
  const ti = f64x2.add(x1i, x2i);
  const half = f64x2.splat(2);
  const mr = f64x2.sub(x0r, f64x2.div(tr, half));
  const mi = f64x2.sub(x0i, f64x2.div(ti, half));
  const nr = f64x2.mul(sin60, f64x2.sub(x1i, x2i));
  const ni = f64x2.mul(minusSin60, f64x2.sub(x1r, x2r));
  put(yr, o, f64x2.add(x0r, tr), full);
  put(yi, o, f64x2.add(x0i, ti), full);
  putTwiddled(yr, yi, o + span, f64x2.add(mr, nr), f64x2.add(mi, ni), 1, full);
  putTwiddled(yr, yi, o + 2 * span, f64x2.sub(mr, nr), f64x2.sub(mi, ni), 2, full);
}

function radix5At(
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
  i0: i32,
  inStep: i32,
  o: i32,
  span: i32,
  c72: v128,
  c144: v128,
  s72: v128,
  s144: v128,
  unit: bool,
  full: bool,
): void {
  const i1 = i0 + inStep;
  const i2 = i1 + inStep;
  const i3 = i2 + inStep;
  const i4 = i3 + inStep;
  const a0r = get(xr, i0, full);
  const a0i = get(xi, i0, full);
  const x1r = get(xr, i1, full);
  const x1i = get(xi, i1, full);
  const x2r = get(xr, i2, full);
  const x2i = get(xi, i2, full);
  const x3r = get(xr, i3, full);
  const x3i = get(xi, i3, full);
  const x4r = get(xr, i4, full);
  const x4i = get(xi, i4, full);
  const t1r = f64x2.add(x1r, x4r);
  const t1i = f64x2.add(x1i, x4i);
  const d1r = f64x2.sub(x1r, x4r);
  const d1i = f64x2.sub(x1i, x4i);
  const t2r = f64x2.add(x2r, x3r);
  const t2i = f64x2.add(x2i, x3i);
  const d2r = f64x2.sub(x2r, x3r);
  const d2i = f64x2.sub(x2i, x3i);
  // a0 + c t1 + c' t2, left to right as in TypeScript.
  const m1r = f64x2.add(f64x2.add(a0r, f64x2.mul(c72, t1r)), f64x2.mul(c144, t2r));
  const m1i = f64x2.add(f64x2.add(a0i, f64x2.mul(c72, t1i)), f64x2.mul(c144, t2i));
  const m2r = f64x2.add(f64x2.add(a0r, f64x2.mul(c144, t1r)), f64x2.mul(c72, t2r));
  const m2i = f64x2.add(f64x2.add(a0i, f64x2.mul(c144, t1i)), f64x2.mul(c72, t2i));
  const v1r = f64x2.add(f64x2.mul(s72, d1r), f64x2.mul(s144, d2r));
  const v1i = f64x2.add(f64x2.mul(s72, d1i), f64x2.mul(s144, d2i));
  const v2r = f64x2.sub(f64x2.mul(s144, d1r), f64x2.mul(s72, d2r));
  const v2i = f64x2.sub(f64x2.mul(s144, d1i), f64x2.mul(s72, d2i));
  put(yr, o, f64x2.add(f64x2.add(a0r, t1r), t2r), full);
  put(yi, o, f64x2.add(f64x2.add(a0i, t1i), t2i), full);
  const b1r = f64x2.add(m1r, v1i);
  const b1i = f64x2.sub(m1i, v1r);
  const b2r = f64x2.add(m2r, v2i);
  const b2i = f64x2.sub(m2i, v2r);
  const b3r = f64x2.sub(m2r, v2i);
  const b3i = f64x2.add(m2i, v2r);
  const b4r = f64x2.sub(m1r, v1i);
  const b4i = f64x2.add(m1i, v1r);
  if (unit) {
    put(yr, o + span, b1r, full);
    put(yi, o + span, b1i, full);
    put(yr, o + 2 * span, b2r, full);
    put(yi, o + 2 * span, b2i, full);
    put(yr, o + 3 * span, b3r, full);
    put(yi, o + 3 * span, b3i, full);
    put(yr, o + 4 * span, b4r, full);
    put(yi, o + 4 * span, b4i, full);
  } else {
    putTwiddled(yr, yi, o + span, b1r, b1i, 1, full);
    putTwiddled(yr, yi, o + 2 * span, b2r, b2i, 2, full);
    putTwiddled(yr, yi, o + 3 * span, b3r, b3i, 3, full);
    putTwiddled(yr, yi, o + 4 * span, b4r, b4i, 4, full);
  }
}

/** One butterfly group: radix r, q's twiddles already set; `span` elements from the bases. */
function stage(
  r: i32,
  unit: bool,
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
  inBase: i32,
  inStep: i32,
  outBase: i32,
  span: i32,
  constants: usize,
): void {
  const even = span & ~1;
  if (r === 4) {
    if (unit) {
      for (let u = 0; u < even; u += 2)
        radix4At(xr, xi, yr, yi, inBase + u, inStep, outBase + u, span, true, true);
      if (even < span)
        radix4At(xr, xi, yr, yi, inBase + even, inStep, outBase + even, span, true, false);
    } else {
      for (let u = 0; u < even; u += 2)
        radix4At(xr, xi, yr, yi, inBase + u, inStep, outBase + u, span, false, true);
      if (even < span)
        radix4At(xr, xi, yr, yi, inBase + even, inStep, outBase + even, span, false, false);
    }
  } else if (r === 2) {
    for (let u = 0; u < even; u += 2)
      radix2At(xr, xi, yr, yi, inBase + u, inStep, outBase + u, span, true);
    if (even < span) radix2At(xr, xi, yr, yi, inBase + even, inStep, outBase + even, span, false);
  } else if (r === 3) {
    const sin60 = f64x2.splat(load<f64>(constants));
    const minusSin60 = f64x2.splat(-load<f64>(constants));
    for (let u = 0; u < even; u += 2)
      radix3At(xr, xi, yr, yi, inBase + u, inStep, outBase + u, span, sin60, minusSin60, true);
    if (even < span)
      radix3At(
        xr,
        xi,
        yr,
        yi,
        inBase + even,
        inStep,
        outBase + even,
        span,
        sin60,
        minusSin60,
        false,
      );
  } else {
    const c72 = f64x2.splat(load<f64>(constants + 8));
    const c144 = f64x2.splat(load<f64>(constants + 16));
    const s72 = f64x2.splat(load<f64>(constants + 24));
    const s144 = f64x2.splat(load<f64>(constants + 32));
    if (unit) {
      for (let u = 0; u < even; u += 2)
        radix5At(
          xr,
          xi,
          yr,
          yi,
          inBase + u,
          inStep,
          outBase + u,
          span,
          c72,
          c144,
          s72,
          s144,
          true,
          true,
        );
      if (even < span)
        radix5At(
          xr,
          xi,
          yr,
          yi,
          inBase + even,
          inStep,
          outBase + even,
          span,
          c72,
          c144,
          s72,
          s144,
          true,
          false,
        );
    } else {
      for (let u = 0; u < even; u += 2)
        radix5At(
          xr,
          xi,
          yr,
          yi,
          inBase + u,
          inStep,
          outBase + u,
          span,
          c72,
          c144,
          s72,
          s144,
          false,
          true,
        );
      if (even < span)
        radix5At(
          xr,
          xi,
          yr,
          yi,
          inBase + even,
          inStep,
          outBase + even,
          span,
          c72,
          c144,
          s72,
          s144,
          false,
          false,
        );
    }
  }
}

export function stockhamForward(
  n: i32,
  radices: usize,
  radixCount: i32,
  cos: usize,
  sin: usize,
  constants: usize,
  lanes: i32,
  xr: usize,
  xi: usize,
  yr: usize,
  yi: usize,
): i32 {
  let s = 1;
  let sub = n;
  let swapped = 0;
  for (let stageIndex = 0; stageIndex < radixCount; stageIndex++) {
    const r = load<i32>(radices + ((<usize>stageIndex) << 2));
    const m = sub / r;
    const span = s * lanes;
    const inStep = s * m * lanes;
    const stride = n / sub;
    for (let q = 0; q < m; q++) {
      for (let k = 1; k < r; k++) {
        const t = (q * k * stride) % n;
        store<f64>(twiddles + ((<usize>k) << 3), load<f64>(cos + ((<usize>t) << 3)));
        store<f64>(twiddles + 40 + ((<usize>k) << 3), -load<f64>(sin + ((<usize>t) << 3)));
      }
      // q = 0 (all of the last stage) has unit twiddles (radix 4 and 5 skip the products).
      stage(r, q === 0, xr, xi, yr, yi, s * q * lanes, inStep, s * r * q * lanes, span, constants);
    }
    const tr = xr;
    xr = yr;
    yr = tr;
    const ti = xi;
    xi = yi;
    yi = ti;
    swapped ^= 1;
    s *= r;
    sub = m;
  }
  return swapped;
}
