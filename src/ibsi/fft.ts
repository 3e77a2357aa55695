/**
 * The complex fast Fourier transform of IBSI mode, for every use: the IBSI-2 filters defined in the
 * Fourier domain (Simoncelli, Riesz: filters/fft.ts), the Gabor filter's large kernels (gabor.ts)
 * and the Moran's I / Geary's C sums of the morphological family
 * (features/morphology/spatial-autocorrelation.ts).
 *
 * Algorithms: lengths 2^a 3^b 5^c by a Stockham autosort FFT, decimation in frequency, mixed radix
 * 4, 2, 3, 5 (Van Loan, Computational Frameworks for the Fast Fourier Transform, 1992, ch. 1.7
 * and 2.3): a stage of radix r on a sub-length n' = r m with stride s maps x[q + s (p + j m)],
 * j < r, to y[q + s (r p + k)] = (sum_j x_j w_r^{jk}) w_{n'}^{pk}, then recurses on m with stride
 * r s; buffers alternate, so no bit reversal is needed. Other lengths by Bluestein's chirp-z
 * algorithm: with jk = (j^2 + k^2 - (k - j)^2) / 2, X[k] = conj(w_k) sum_j (x_j conj(w_j)) w_{k-j}
 * for w_m = e^{i pi m^2 / n}, a circular convolution of a 5-smooth length >= 2n - 1 (m^2 reduced
 * mod 2n before the angle, so large n keep their precision). This one module replaces the radix-2
 * FFTs the filters and the Gabor filter had: as fast on powers of two (a 256 x 256 slice: 2.0 ms
 * against 2.1 ms), and 5-smooth lengths replace the powers of two that padded Gabor slices and
 * Bluestein's inner transform took (a 200 x 198 x 160 grid: 0.68 s against 2.4 s; Node 20).
 *
 * Every transform runs on a block of sequences side by side ("lanes": element i of lane l at
 * i * lanes + l), so each butterfly is a loop over contiguous lanes, whatever the axis the lines
 * came from. Conventions (numpy.fft's): forward X[k] = sum_j x[j] e^{-2 pi i j k / n}; the
 * inverse has e^{+2 pi i j k / n} and is unscaled in `transformBlock` and `lines`, scaled by 1/n
 * in `transform` and `fftGrid`. Bin k holds frequency k / n for k < n/2 and (k - n) / n above.
 */
import type { Vec3 } from "../image/volume.js";
import type { KernelFftWorkspace, KernelStockham } from "../kernels/fft.js";

/** Lines transformed together by `lines`, `transform` and `fftGrid`. */
const BLOCK = 64;

/** Smallest n' >= n of the form 2^a 3^b 5^c. */
export function fftLength(n: number): number {
  for (let m = Math.max(1, Math.ceil(n)); ; m++) if (isFiveSmooth(m)) return m;
}

/** True when n = 2^a 3^b 5^c. */
function isFiveSmooth(n: number): boolean {
  let rest = n;
  for (const r of [2, 3, 5]) while (rest % r === 0) rest /= r;
  return rest === 1;
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

/** The butterflies' constants in the WebAssembly kernel's order (src/kernels/fft.ts). */
const RADIX_CONSTANTS = Float64Array.of(SIN_60, COS_72, COS_144, SIN_72, SIN_144);

/**
 * The forward Stockham FFT of one 5-smooth length on blocks of lanes (also in WebAssembly,
 * src/kernels/assembly/fft.ts, the same operations in the same order, from these tables).
 */
class Stockham {
  readonly radices: number[] = [];
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  private readonly stage: Stage = {
    span: 0,
    inBase: 0,
    inStep: 0,
    outBase: 0,
    wr: new Float64Array(5),
    wi: new Float64Array(5),
  };

  constructor(readonly n: number) {
    let rest = n;
    for (const r of [4, 2, 3, 5]) {
      while (rest % r === 0) {
        this.radices.push(r);
        rest /= r;
      }
    }
    if (rest !== 1) throw new Error(`fft: length ${n} is not of the form 2^a 3^b 5^c`);
    this.cos = new Float64Array(n);
    this.sin = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      this.cos[i] = Math.cos((2 * Math.PI * i) / n);
      this.sin[i] = Math.sin((2 * Math.PI * i) / n);
    }
  }

  /**
   * Transforms `lanes` sequences held as x[index * lanes + lane] (re xr, im xi); y is scratch of
   * the same size. Returns true when the result ended in y (an odd number of stages).
   */
  run(lanes: number, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
    const { n, cos, sin, stage } = this;
    let s = 1;
    let sub = n;
    let swapped = false;
    for (const r of this.radices) {
      const m = sub / r;
      stage.span = s * lanes;
      stage.inStep = s * m * lanes;
      for (let q = 0; q < m; q++) {
        for (let k = 1; k < r; k++) {
          const t = (q * k * (n / sub)) % n;
          stage.wr[k] = cos[t]!;
          stage.wi[k] = -sin[t]!;
        }
        stage.inBase = s * q * lanes;
        stage.outBase = s * r * q * lanes;
        // q = 0 (all of the last stage) has unit twiddles.
        if (r === 4) (q === 0 ? radix4Unit : radix4)(stage, xr, xi, yr, yi);
        else if (r === 5) (q === 0 ? radix5Unit : radix5)(stage, xr, xi, yr, yi);
        else if (r === 2) radix2(stage, xr, xi, yr, yi);
        else radix3(stage, xr, xi, yr, yi);
      }
      [xr, yr] = [yr, xr];
      [xi, yi] = [yi, xi];
      swapped = !swapped;
      s *= r;
      sub = m;
    }
    return swapped;
  }
}

function radix2(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const w1r = st.wr[1]!;
  const w1i = st.wi[1]!;
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const o = outBase + u;
    const ar = xr[i0]!;
    const ai = xi[i0]!;
    const br = xr[i1]!;
    const bi = xi[i1]!;
    yr[o] = ar + br;
    yi[o] = ai + bi;
    const dr = ar - br;
    const di = ai - bi;
    yr[o + span] = dr * w1r - di * w1i;
    yi[o + span] = dr * w1i + di * w1r;
  }
}

function radix4(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const w1r = st.wr[1]!;
  const w2r = st.wr[2]!;
  const w3r = st.wr[3]!;
  const w1i = st.wi[1]!;
  const w2i = st.wi[2]!;
  const w3i = st.wi[3]!;
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const i3 = i2 + inStep;
    const sr = xr[i0]! + xr[i2]!;
    const si = xi[i0]! + xi[i2]!;
    const dr = xr[i0]! - xr[i2]!;
    const di = xi[i0]! - xi[i2]!;
    const tr = xr[i1]! + xr[i3]!;
    const ti = xi[i1]! + xi[i3]!;
    const er = xr[i1]! - xr[i3]!;
    const ei = xi[i1]! - xi[i3]!;
    // b0 = s + t, b2 = s - t, b1 = d - i e, b3 = d + i e; then twiddled.
    const o = outBase + u;
    yr[o] = sr + tr;
    yi[o] = si + ti;
    const b1r = dr + ei;
    const b1i = di - er;
    yr[o + span] = b1r * w1r - b1i * w1i;
    yi[o + span] = b1r * w1i + b1i * w1r;
    const b2r = sr - tr;
    const b2i = si - ti;
    yr[o + 2 * span] = b2r * w2r - b2i * w2i;
    yi[o + 2 * span] = b2r * w2i + b2i * w2r;
    const b3r = dr - ei;
    const b3i = di + er;
    yr[o + 3 * span] = b3r * w3r - b3i * w3i;
    yi[o + 3 * span] = b3r * w3i + b3i * w3r;
  }
}

/** radix4 with unit twiddles. */
function radix4Unit(
  st: Stage,
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
) {
  const { span, inBase, inStep, outBase } = st;
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const i3 = i2 + inStep;
    const sr = xr[i0]! + xr[i2]!;
    const si = xi[i0]! + xi[i2]!;
    const dr = xr[i0]! - xr[i2]!;
    const di = xi[i0]! - xi[i2]!;
    const tr = xr[i1]! + xr[i3]!;
    const ti = xi[i1]! + xi[i3]!;
    const er = xr[i1]! - xr[i3]!;
    const ei = xi[i1]! - xi[i3]!;
    const o = outBase + u;
    yr[o] = sr + tr;
    yi[o] = si + ti;
    yr[o + span] = dr + ei;
    yi[o + span] = di - er;
    yr[o + 2 * span] = sr - tr;
    yi[o + 2 * span] = si - ti;
    yr[o + 3 * span] = dr - ei;
    yi[o + 3 * span] = di + er;
  }
}

function radix3(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const w1r = st.wr[1]!;
  const w2r = st.wr[2]!;
  const w1i = st.wi[1]!;
  const w2i = st.wi[2]!;
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const tr = xr[i1]! + xr[i2]!;
    const ti = xi[i1]! + xi[i2]!;
    const mr = xr[i0]! - tr / 2;
    const mi = xi[i0]! - ti / 2;
    // -i sin60 (a1 - a2)
    const nr = SIN_60 * (xi[i1]! - xi[i2]!);
    const ni = -SIN_60 * (xr[i1]! - xr[i2]!);
    const o = outBase + u;
    yr[o] = xr[i0]! + tr;
    yi[o] = xi[i0]! + ti;
    const b1r = mr + nr;
    const b1i = mi + ni;
    yr[o + span] = b1r * w1r - b1i * w1i;
    yi[o + span] = b1r * w1i + b1i * w1r;
    const b2r = mr - nr;
    const b2i = mi - ni;
    yr[o + 2 * span] = b2r * w2r - b2i * w2i;
    yi[o + 2 * span] = b2r * w2i + b2i * w2r;
  }
}

function radix5(st: Stage, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array) {
  const { span, inBase, inStep, outBase } = st;
  const w1r = st.wr[1]!;
  const w2r = st.wr[2]!;
  const w3r = st.wr[3]!;
  const w4r = st.wr[4]!;
  const w1i = st.wi[1]!;
  const w2i = st.wi[2]!;
  const w3i = st.wi[3]!;
  const w4i = st.wi[4]!;
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const i3 = i2 + inStep;
    const i4 = i3 + inStep;
    const a0r = xr[i0]!;
    const a0i = xi[i0]!;
    const t1r = xr[i1]! + xr[i4]!;
    const t1i = xi[i1]! + xi[i4]!;
    const d1r = xr[i1]! - xr[i4]!;
    const d1i = xi[i1]! - xi[i4]!;
    const t2r = xr[i2]! + xr[i3]!;
    const t2i = xi[i2]! + xi[i3]!;
    const d2r = xr[i2]! - xr[i3]!;
    const d2i = xi[i2]! - xi[i3]!;
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
    const b1r = m1r + v1i;
    const b1i = m1i - v1r;
    yr[o + span] = b1r * w1r - b1i * w1i;
    yi[o + span] = b1r * w1i + b1i * w1r;
    const b2r = m2r + v2i;
    const b2i = m2i - v2r;
    yr[o + 2 * span] = b2r * w2r - b2i * w2i;
    yi[o + 2 * span] = b2r * w2i + b2i * w2r;
    const b3r = m2r - v2i;
    const b3i = m2i + v2r;
    yr[o + 3 * span] = b3r * w3r - b3i * w3i;
    yi[o + 3 * span] = b3r * w3i + b3i * w3r;
    const b4r = m1r - v1i;
    const b4i = m1i + v1r;
    yr[o + 4 * span] = b4r * w4r - b4i * w4i;
    yi[o + 4 * span] = b4r * w4i + b4i * w4r;
  }
}

/** radix5 with unit twiddles. */
function radix5Unit(
  st: Stage,
  xr: Float64Array,
  xi: Float64Array,
  yr: Float64Array,
  yi: Float64Array,
) {
  const { span, inBase, inStep, outBase } = st;
  for (let u = 0; u < span; u++) {
    const i0 = inBase + u;
    const i1 = i0 + inStep;
    const i2 = i1 + inStep;
    const i3 = i2 + inStep;
    const i4 = i3 + inStep;
    const a0r = xr[i0]!;
    const a0i = xi[i0]!;
    const t1r = xr[i1]! + xr[i4]!;
    const t1i = xi[i1]! + xi[i4]!;
    const d1r = xr[i1]! - xr[i4]!;
    const d1i = xi[i1]! - xi[i4]!;
    const t2r = xr[i2]! + xr[i3]!;
    const t2i = xi[i2]! + xi[i3]!;
    const d2r = xr[i2]! - xr[i3]!;
    const d2i = xi[i2]! - xi[i3]!;
    const m1r = a0r + COS_72 * t1r + COS_144 * t2r;
    const m1i = a0i + COS_72 * t1i + COS_144 * t2i;
    const m2r = a0r + COS_144 * t1r + COS_72 * t2r;
    const m2i = a0i + COS_144 * t1i + COS_72 * t2i;
    const v1r = SIN_72 * d1r + SIN_144 * d2r;
    const v1i = SIN_72 * d1i + SIN_144 * d2i;
    const v2r = SIN_144 * d1r - SIN_72 * d2r;
    const v2i = SIN_144 * d1i - SIN_72 * d2i;
    const o = outBase + u;
    yr[o] = a0r + t1r + t2r;
    yi[o] = a0i + t1i + t2i;
    yr[o + span] = m1r + v1i;
    yi[o + span] = m1i - v1r;
    yr[o + 2 * span] = m2r + v2i;
    yi[o + 2 * span] = m2i - v2r;
    yr[o + 3 * span] = m2r - v2i;
    yi[o + 3 * span] = m2i + v2r;
    yr[o + 4 * span] = m1r - v1i;
    yi[o + 4 * span] = m1i + v1r;
  }
}

/** Bluestein's algorithm for a length n that is not 5-smooth (see the file's comment). */
class Bluestein {
  private readonly inner: Stockham;
  private readonly chirpRe: Float64Array;
  private readonly chirpIm: Float64Array;
  /** FFT of the chirp w_{-(n-1)} .. w_{n-1} wrapped into length m, divided by m. */
  private readonly kernelRe: Float64Array;
  private readonly kernelIm: Float64Array;

  constructor(readonly n: number) {
    const m = fftLength(2 * n - 1);
    this.inner = new Stockham(m);
    this.chirpRe = new Float64Array(n);
    this.chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const angle = (Math.PI * ((k * k) % (2 * n))) / n;
      this.chirpRe[k] = Math.cos(angle);
      this.chirpIm[k] = Math.sin(angle);
    }
    const kr = new Float64Array(m);
    const ki = new Float64Array(m);
    for (let k = 0; k < n; k++) {
      kr[k] = this.chirpRe[k]!;
      ki[k] = this.chirpIm[k]!;
      if (k > 0) {
        kr[m - k] = this.chirpRe[k]!;
        ki[m - k] = this.chirpIm[k]!;
      }
    }
    const sr = new Float64Array(m);
    const si = new Float64Array(m);
    const inY = this.inner.run(1, kr, ki, sr, si);
    const [fr, fi] = inY ? [sr, si] : [kr, ki];
    this.kernelRe = Float64Array.from(fr, (v) => v / m);
    this.kernelIm = Float64Array.from(fi, (v) => v / m);
  }

  /** Work buffers needed for `lanes` lanes: four of this many values. */
  workSize(lanes: number): number {
    return this.inner.n * lanes;
  }

  /**
   * Forward transform of `lanes` sequences of length n in place (block layout); w holds four work
   * buffers of workSize(lanes) values.
   */
  run(re: Float64Array, im: Float64Array, lanes: number, w: Float64Array[]): void {
    const { n, chirpRe, chirpIm, kernelRe, kernelIm } = this;
    const m = this.inner.n;
    const [ar, ai, br, bi] = w as [Float64Array, Float64Array, Float64Array, Float64Array];
    const used = m * lanes;
    for (let j = 0; j < n; j++) {
      const cr = chirpRe[j]!;
      const ci = chirpIm[j]!;
      for (let l = 0, a = j * lanes; l < lanes; l++, a++) {
        const xr = re[a]!;
        const xi = im[a]!;
        // x_j conj(w_j)
        ar[a] = xr * cr + xi * ci;
        ai[a] = xi * cr - xr * ci;
      }
    }
    ar.fill(0, n * lanes, used);
    ai.fill(0, n * lanes, used);
    let [vr, vi] = this.inner.run(lanes, ar, ai, br, bi) ? [br, bi] : [ar, ai];
    // Multiply by the kernel's spectrum, then the inverse transform as conj(forward(conj(.))).
    for (let k = 0; k < m; k++) {
      const kr = kernelRe[k]!;
      const ki = kernelIm[k]!;
      for (let l = 0, a = k * lanes; l < lanes; l++, a++) {
        const xr = vr[a]!;
        const xi = vi[a]!;
        vr[a] = xr * kr - xi * ki;
        vi[a] = -(xr * ki + xi * kr);
      }
    }
    const [sr, si] = vr === ar ? [br, bi] : [ar, ai];
    [vr, vi] = this.inner.run(lanes, vr, vi, sr, si) ? [sr, si] : [vr, vi];
    for (let k = 0; k < n; k++) {
      const cr = chirpRe[k]!;
      const ci = chirpIm[k]!;
      for (let l = 0, a = k * lanes; l < lanes; l++, a++) {
        // conj(w_k) * conj(v)
        const xr = vr[a]!;
        const xi = -vi[a]!;
        re[a] = xr * cr + xi * ci;
        im[a] = xi * cr - xr * ci;
      }
    }
  }
}

/** A complex FFT of one length (any n >= 1), applied to blocks of lanes or to lines of an array. */
export class FftPlan {
  private readonly stockham: Stockham | null;
  private readonly bluestein: Bluestein | null;
  /** Scratch: [re, im] of a Stockham run, or Bluestein's four work buffers; grown on demand. */
  private work: Float64Array[] = [];
  /** The plan's tables in a kernel workspace (useWorkspace), for blocks held there. */
  private kernel: { workspace: KernelFftWorkspace; tables: KernelStockham } | null = null;
  /** Gather / scatter block of `lines`. */
  private blockRe: Float64Array | null = null;
  private blockIm: Float64Array | null = null;

  constructor(readonly n: number) {
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`FftPlan: invalid length ${n}`);
    const smooth = isFiveSmooth(n);
    this.stockham = n > 1 && smooth ? new Stockham(n) : null;
    this.bluestein = n > 1 && !smooth ? new Bluestein(n) : null;
  }

  /**
   * Places the plan's tables in a kernel workspace (before its commit): from then on
   * forwardBlockOrScratch runs in WebAssembly on blocks that are views of that workspace (same
   * results bit for bit), in TypeScript on any other. Lengths that are not 5-smooth (Bluestein)
   * and n = 1 stay in TypeScript.
   */
  useWorkspace(workspace: KernelFftWorkspace): void {
    const s = this.stockham;
    if (s === null) return;
    const tables = workspace.plan({
      n: s.n,
      radices: s.radices,
      cos: s.cos,
      sin: s.sin,
      constants: RADIX_CONSTANTS,
    });
    this.kernel = { workspace, tables };
  }

  /** The plan's tables in its workspace (useWorkspace); null before, or without tables (n = 1). */
  kernelTables(): KernelStockham | null {
    return this.kernel?.tables ?? null;
  }

  private scratch(count: number, size: number): Float64Array[] {
    if (this.work.length < count || this.work[0]!.length < size)
      this.work = Array.from({ length: count }, () => new Float64Array(size));
    return this.work;
  }

  /**
   * The forward transform (unscaled) of `lanes` sequences held as re/im[i * lanes + lane], i < n,
   * left either in re/im or in the scratch sr/si (at least n * lanes values; its contents are
   * overwritten): returns true when the result is in the scratch. Saves transformBlock's copy
   * back when the caller can take the result where it is.
   */
  forwardBlockOrScratch(
    re: Float64Array,
    im: Float64Array,
    sr: Float64Array,
    si: Float64Array,
    lanes: number,
  ): boolean {
    const kernel = this.kernel;
    if (kernel && [re, im, sr, si].every((a) => kernel.workspace.holds(a)))
      return kernel.workspace.forward(kernel.tables, lanes, re, im, sr, si);
    if (this.stockham !== null) return this.stockham.run(lanes, re, im, sr, si);
    this.transformBlock(re, im, lanes, false);
    return false;
  }

  /**
   * Transforms in place, unscaled, `lanes` sequences held as re/im[i * lanes + lane], i < n
   * (forward: e^{-2 pi i jk/n}; inverse: e^{+2 pi i jk/n}, computed as conj(forward(conj x))).
   */
  transformBlock(re: Float64Array, im: Float64Array, lanes: number, inverse: boolean): void {
    const used = this.n * lanes;
    if (this.n === 1) return;
    if (inverse) for (let i = 0; i < used; i++) im[i] = -im[i]!;
    if (this.stockham !== null) {
      const [yr, yi] = this.scratch(2, used) as [Float64Array, Float64Array];
      if (this.stockham.run(lanes, re, im, yr, yi)) {
        re.set(yr.subarray(0, used));
        im.set(yi.subarray(0, used));
      }
    } else {
      const b = this.bluestein!;
      b.run(re, im, lanes, this.scratch(4, b.workSize(lanes)));
    }
    if (inverse) for (let i = 0; i < used; i++) im[i] = -im[i]!;
  }

  /**
   * Transforms in place, unscaled, `count` lines of an array: element i of line q at
   * first + q gap + i stride. Lines whose elements are contiguous (stride 1) are gathered
   * transposed; lines side by side (gap 1) by block copies.
   */
  lines(
    re: Float64Array,
    im: Float64Array,
    first: number,
    count: number,
    gap: number,
    stride: number,
    inverse: boolean,
  ): void {
    const n = this.n;
    if (n === 1 || count === 0) return;
    if (gap === 1 && stride === count) {
      // The lines are side by side already: element i of line q at first + i count + q.
      const end = first + n * count;
      this.transformBlock(re.subarray(first, end), im.subarray(first, end), count, inverse);
      return;
    }
    if (this.blockRe === null) {
      this.blockRe = new Float64Array(n * BLOCK);
      this.blockIm = new Float64Array(n * BLOCK);
    }
    const br = this.blockRe;
    const bi = this.blockIm!;
    for (let q0 = 0; q0 < count; q0 += BLOCK) {
      const lanes = Math.min(BLOCK, count - q0);
      const start = first + q0 * gap;
      if (gap === 1) {
        for (let i = 0, g = 0; i < n; i++) {
          const from = start + i * stride;
          for (let l = 0; l < lanes; l++, g++) {
            br[g] = re[from + l]!;
            bi[g] = im[from + l]!;
          }
        }
      } else {
        for (let l = 0; l < lanes; l++) {
          for (let i = 0, at = start + l * gap, g = l; i < n; i++, at += stride, g += lanes) {
            br[g] = re[at]!;
            bi[g] = im[at]!;
          }
        }
      }
      this.transformBlock(br, bi, lanes, inverse);
      if (gap === 1) {
        for (let i = 0, g = 0; i < n; i++) {
          const to = start + i * stride;
          for (let l = 0; l < lanes; l++, g++) {
            re[to + l] = br[g]!;
            im[to + l] = bi[g]!;
          }
        }
      } else {
        for (let l = 0; l < lanes; l++) {
          for (let i = 0, at = start + l * gap, g = l; i < n; i++, at += stride, g += lanes) {
            re[at] = br[g]!;
            im[at] = bi[g]!;
          }
        }
      }
    }
  }

  /**
   * Transforms `count` lines in place: line q has its elements at `base(q) + i * stride`,
   * i = 0..n-1. The inverse is scaled by 1/n.
   */
  transform(
    re: Float64Array,
    im: Float64Array,
    inverse: boolean,
    count = 1,
    base: (line: number) => number = () => 0,
    stride = 1,
  ): void {
    const n = this.n;
    const block = new Float64Array(n * Math.min(BLOCK, count));
    const blockIm = new Float64Array(block.length);
    const scale = inverse ? 1 / n : 1;
    const bases = new Int32Array(BLOCK);
    for (let q0 = 0; q0 < count; q0 += BLOCK) {
      const lanes = Math.min(BLOCK, count - q0);
      for (let l = 0; l < lanes; l++) bases[l] = base(q0 + l);
      for (let i = 0; i < n; i++) {
        for (let l = 0; l < lanes; l++) {
          const at = bases[l]! + i * stride;
          block[i * lanes + l] = re[at]!;
          blockIm[i * lanes + l] = im[at]!;
        }
      }
      this.transformBlock(block, blockIm, lanes, inverse);
      for (let i = 0; i < n; i++) {
        for (let l = 0; l < lanes; l++) {
          const at = bases[l]! + i * stride;
          re[at] = block[i * lanes + l]! * scale;
          im[at] = blockIm[i * lanes + l]! * scale;
        }
      }
    }
  }
}

/**
 * The n-D FFT of an x-fastest grid of `size`, in place, along each axis listed in `axes`
 * (0 = x, 1 = y, 2 = z): [0, 1] transforms every z-slice in 2D, [0, 1, 2] the whole grid. The
 * inverse is scaled by 1 / (product of the transformed lengths).
 */
export function fftGrid(
  re: Float64Array,
  im: Float64Array,
  size: Readonly<Vec3>,
  axes: readonly (0 | 1 | 2)[],
  inverse: boolean,
): void {
  const [nx, ny, nz] = size;
  if (re.length !== nx * ny * nz || im.length !== re.length)
    throw new Error(`fftGrid: arrays do not match the size ${size.join(" x ")}`);
  let scale = 1;
  for (const axis of axes) {
    const plan = new FftPlan(size[axis]);
    scale *= size[axis];
    if (axis === 0) plan.lines(re, im, 0, ny * nz, nx, 1, inverse);
    else if (axis === 1)
      for (let z = 0; z < nz; z++) plan.lines(re, im, z * nx * ny, nx, 1, nx, inverse);
    else plan.lines(re, im, 0, nx * ny, 1, nx * ny, inverse);
  }
  if (inverse && scale !== 1) {
    const k = 1 / scale;
    for (let i = 0; i < re.length; i++) {
      re[i] = re[i]! * k;
      im[i] = im[i]! * k;
    }
  }
}
