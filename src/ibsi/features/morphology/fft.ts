/**
 * Complex fast Fourier transform of lengths 2^a 3^b 5^c, and its 3D form over an x-fastest grid, for
 * the spatial autocorrelation features (spatial-autocorrelation.ts): padding the ROI box to a
 * 5-smooth length instead of a power of two halves the grid of a typical CT ROI.
 *
 * Stockham autosort FFT, decimation in frequency, mixed radix 4, 2, 3, 5 (Van Loan, Computational
 * Frameworks for the Fast Fourier Transform, 1992, ch. 1.7 and 2.3): a stage of radix r on a
 * sub-length n' = r m with stride s maps x[q + s (p + j m)], j < r, to
 * y[q + s (r p + k)] = (sum_j x_j w_r^{jk}) w_{n'}^{pk}, then recurses on m with stride r s;
 * buffers alternate, so no bit reversal is needed. Lines of a 3D grid are transformed in batches
 * ("lanes"): a batch is gathered into a compact buffer [index][lane] so every butterfly runs over
 * contiguous lanes. Forward sign e^{-2 pi i k x / n}, no normalisation.
 */
import type { Vec3 } from "../../../image/volume.js";

interface Plan {
  n: number;
  /** Radices, product n. */
  radices: number[];
  /** cos, sin of 2 pi i / n, i < n. */
  cos: Float64Array;
  sin: Float64Array;
}

function plan(n: number): Plan {
  const radices: number[] = [];
  let rest = n;
  for (const r of [4, 2, 3, 5]) {
    while (rest % r === 0) {
      radices.push(r);
      rest /= r;
    }
  }
  if (rest !== 1 || !Number.isInteger(n) || n < 1) {
    throw new Error(`fft: length ${n} is not of the form 2^a 3^b 5^c`);
  }
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / n);
    sin[i] = Math.sin((2 * Math.PI * i) / n);
  }
  return { n, radices, cos, sin };
}

const SIN_60 = Math.sqrt(3) / 2;
const COS_72 = Math.cos((2 * Math.PI) / 5);
const COS_144 = Math.cos((4 * Math.PI) / 5);
const SIN_72 = Math.sin((2 * Math.PI) / 5);
const SIN_144 = Math.sin((4 * Math.PI) / 5);

/** One Stockham stage: its geometry and the twiddles w_k = w_{n'}^{pk} of the current p. */
interface Stage {
  span: number;
  inBase: number;
  inStep: number;
  outBase: number;
  wr: Float64Array;
  wi: Float64Array;
}

/**
 * Transforms `lanes` sequences of length p.n held as x[index * lanes + lane] (re xr, im xi); y is
 * scratch of the same size. Returns the buffers holding the result.
 */
function stockham(
  p: Plan,
  lanes: number,
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
): [Float64Array, Float64Array] {
  const { n, cos, sin } = p;
  let s = 1;
  let sub = n;
  const stage: Stage = {
    span: 0,
    inBase: 0,
    inStep: 0,
    outBase: 0,
    wr: new Float64Array(5),
    wi: new Float64Array(5),
  };
  for (const r of p.radices) {
    const m = sub / r;
    stage.span = s * lanes;
    stage.inStep = s * m * lanes;
    for (let q = 0; q < m; q++) {
      for (let k = 1; k < r; k++) {
        const t = (q * k * (n / sub)) % n;
        stage.wr[k] = cos[t];
        stage.wi[k] = -sin[t];
      }
      stage.inBase = s * q * lanes;
      stage.outBase = s * r * q * lanes;
      if (r === 4) radix4(stage, xr, xi, yr, yi);
      else if (r === 2) radix2(stage, xr, xi, yr, yi);
      else if (r === 3) radix3(stage, xr, xi, yr, yi);
      else radix5(stage, xr, xi, yr, yi);
    }
    [xr, yr] = [yr, xr];
    [xi, yi] = [yi, xi];
    s *= r;
    sub = m;
  }
  return [xr, xi];
}

function radix2(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const [w1r, w1i] = [st.wr[1], st.wi[1]];
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const o = outBase + u;
    yr[o] = xr[i0] + xr[i1];
    yi[o] = xi[i0] + xi[i1];
    twiddled(yr, yi, o + span, xr[i0] - xr[i1], xi[i0] - xi[i1], w1r, w1i);
  }
}

function radix4(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const [w1r, w2r, w3r] = [st.wr[1], st.wr[2], st.wr[3]];
  const [w1i, w2i, w3i] = [st.wi[1], st.wi[2], st.wi[3]];
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const i3 = i2 + inStep;
    const sr = xr[i0] + xr[i2];
    const si = xi[i0] + xi[i2];
    const dr = xr[i0] - xr[i2];
    const di = xi[i0] - xi[i2];
    const tr = xr[i1] + xr[i3];
    const ti = xi[i1] + xi[i3];
    const er = xr[i1] - xr[i3];
    const ei = xi[i1] - xi[i3];
    // b0 = s + t, b2 = s - t, b1 = d - i e, b3 = d + i e; then twiddled.
    const o = outBase + u;
    yr[o] = sr + tr;
    yi[o] = si + ti;
    twiddled(yr, yi, o + span, dr + ei, di - er, w1r, w1i);
    twiddled(yr, yi, o + 2 * span, sr - tr, si - ti, w2r, w2i);
    twiddled(yr, yi, o + 3 * span, dr - ei, di + er, w3r, w3i);
  }
}

function radix3(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const [w1r, w2r, w1i, w2i] = [st.wr[1], st.wr[2], st.wi[1], st.wi[2]];
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const tr = xr[i1] + xr[i2];
    const ti = xi[i1] + xi[i2];
    const mr = xr[i0] - tr / 2;
    const mi = xi[i0] - ti / 2;
    // -i sin60 (a1 - a2)
    const nr = SIN_60 * (xi[i1] - xi[i2]);
    const ni = -SIN_60 * (xr[i1] - xr[i2]);
    const o = outBase + u;
    yr[o] = xr[i0] + tr;
    yi[o] = xi[i0] + ti;
    twiddled(yr, yi, o + span, mr + nr, mi + ni, w1r, w1i);
    twiddled(yr, yi, o + 2 * span, mr - nr, mi - ni, w2r, w2i);
  }
}

function radix5(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const [w1r, w2r, w3r, w4r] = [st.wr[1], st.wr[2], st.wr[3], st.wr[4]];
  const [w1i, w2i, w3i, w4i] = [st.wi[1], st.wi[2], st.wi[3], st.wi[4]];
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const i3 = i2 + inStep;
    const i4 = i3 + inStep;
    const a0r = xr[i0];
    const a0i = xi[i0];
    const t1r = xr[i1] + xr[i4];
    const t1i = xi[i1] + xi[i4];
    const d1r = xr[i1] - xr[i4];
    const d1i = xi[i1] - xi[i4];
    const t2r = xr[i2] + xr[i3];
    const t2i = xi[i2] + xi[i3];
    const d2r = xr[i2] - xr[i3];
    const d2i = xi[i2] - xi[i3];
    const m1r = a0r + COS_72 * t1r + COS_144 * t2r;
    const m1i = a0i + COS_72 * t1i + COS_144 * t2i;
    const m2r = a0r + COS_144 * t1r + COS_72 * t2r;
    const m2i = a0i + COS_144 * t1i + COS_72 * t2i;
    // v1 = sin72 d1 + sin144 d2, v2 = sin144 d1 - sin72 d2; b1,4 = m1 -+ i v1, b2,3 = m2 -+ i v2.
    const v1r = SIN_72 * d1r + SIN_144 * d2r;
    const v1i = SIN_72 * d1i + SIN_144 * d2i;
    const v2r = SIN_144 * d1r - SIN_72 * d2r;
    const v2i = SIN_144 * d1i - SIN_72 * d2i;
    const o = outBase + u;
    yr[o] = a0r + t1r + t2r;
    yi[o] = a0i + t1i + t2i;
    twiddled(yr, yi, o + span, m1r + v1i, m1i - v1r, w1r, w1i);
    twiddled(yr, yi, o + 2 * span, m2r + v2i, m2i - v2r, w2r, w2i);
    twiddled(yr, yi, o + 3 * span, m2r - v2i, m2i + v2r, w3r, w3i);
    twiddled(yr, yi, o + 4 * span, m1r - v1i, m1i + v1r, w4r, w4i);
  }
}

/** y[o] = b w (complex). */
function twiddled(
  yr: Float64Array,
  yi: Float64Array,
  o: number,
  br: number,
  bi: number,
  wr: number,
  wi: number,
): void {
  yr[o] = br * wr - bi * wi;
  yi[o] = br * wi + bi * wr;
}

/** Lines transformed together (the lane count of one batch). */
const BATCH = 64;

/**
 * Transforms in place the lines of length p.n starting at `starts` (element k of line l at
 * starts[l] + k * stride), up to BATCH lines at a time. Lines with consecutive starts (lanes of a
 * y or z transform) are gathered by block copies.
 */
function transformLines(
  re: Float64Array,
  im: Float64Array,
  p: Plan,
  stride: number,
  starts: Int32Array,
): void {
  const n = p.n;
  const size = n * BATCH;
  const [xr, xi, yr, yi] = [0, 1, 2, 3].map(() => new Float64Array(size));
  for (let first = 0; first < starts.length; ) {
    let lanes = 1;
    while (
      lanes < BATCH &&
      first + lanes < starts.length &&
      (stride === 1 || starts[first + lanes] === starts[first] + lanes)
    ) {
      lanes++;
    }
    if (stride === 1) {
      // x lines: each line is contiguous; the batch is its transpose.
      for (let l = 0; l < lanes; l++) {
        const start = starts[first + l];
        for (let k = 0, g = l; k < n; k++, g += lanes) {
          xr[g] = re[start + k];
          xi[g] = im[start + k];
        }
      }
    } else {
      const start = starts[first];
      for (let k = 0; k < n; k++) {
        const from = start + k * stride;
        xr.set(re.subarray(from, from + lanes), k * lanes);
        xi.set(im.subarray(from, from + lanes), k * lanes);
      }
    }
    const [or, oi] = stockham(p, lanes, xr, xi, yr, yi);
    if (stride === 1) {
      for (let l = 0; l < lanes; l++) {
        const start = starts[first + l];
        for (let k = 0, g = l; k < n; k++, g += lanes) {
          re[start + k] = or[g];
          im[start + k] = oi[g];
        }
      }
    } else {
      const start = starts[first];
      for (let k = 0; k < n; k++) {
        re.set(or.subarray(k * lanes, (k + 1) * lanes), start + k * stride);
        im.set(oi.subarray(k * lanes, (k + 1) * lanes), start + k * stride);
      }
    }
    first += lanes;
  }
}

/**
 * 3D forward FFT in place of an x-fastest grid of `size` (5-smooth lengths). On input only rows
 * with `occupiedY[y]` and slices with `occupiedZ[z]` may hold nonzeros; the transforms of lines
 * that are all zero are skipped.
 */
export function fft3d(
  re: Float64Array,
  im: Float64Array,
  size: Vec3,
  occupiedY: Uint8Array,
  occupiedZ: Uint8Array,
): void {
  const [nx, ny, nz] = size;
  const zs: number[] = [];
  for (let z = 0; z < nz; z++) if (occupiedZ[z]) zs.push(z);
  const rows: number[] = [];
  for (const z of zs) for (let y = 0; y < ny; y++) if (occupiedY[y]) rows.push(nx * (y + ny * z));
  transformLines(re, im, plan(nx), 1, Int32Array.from(rows));
  const columns: number[] = [];
  for (const z of zs) for (let x = 0; x < nx; x++) columns.push(x + nx * ny * z);
  transformLines(re, im, plan(ny), nx, Int32Array.from(columns));
  if (nz > 1) {
    const starts = new Int32Array(nx * ny);
    for (let i = 0; i < nx * ny; i++) starts[i] = i;
    transformLines(re, im, plan(nz), nx * ny, starts);
  }
}

/** Smallest n' >= n of the form 2^a 3^b 5^c. */
export function fftLength(n: number): number {
  for (let m = Math.max(1, n); ; m++) {
    let rest = m;
    for (const r of [2, 3, 5]) while (rest % r === 0) rest /= r;
    if (rest === 1) return m;
  }
}
