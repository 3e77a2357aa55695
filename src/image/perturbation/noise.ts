/**
 * Noise-addition perturbation (Zwanenburg et al., Sci Rep 2019;9:614; MIRP
 * `GenericImage.estimate_noise(method = "chang")` and `add_noise`): Gaussian noise with the
 * image's own noise level is added to every voxel.
 *
 * Noise level (Chang, Yu & Vetterli, "Adaptive wavelet thresholding for image denoising and
 * compression", IEEE Trans Image Process 2000;9:1532-1546, after Donoho & Johnstone's robust
 * median estimator): the diagonal (HH) detail band of a one-level coif1 wavelet analysis, obtained
 * as MIRP does by filtering the whole volume with the coif1 decomposition high-pass filter along y
 * and then x (scipy.ndimage.convolve1d, mode "reflect": y[i] = Σₘ h[m] · x[i + 3 − m], the signal
 * mirrored about its ends, d c b a | a b c d | d c b a), then σ = median(|HH|) / 0.6745, where
 * 0.6745 = Φ⁻¹(0.75) is the median of |N(0, 1)|. (MIRP divides by 0.6754, a 0.13 % smaller
 * estimate.) Because the high-pass filter sums to zero and the band is high-pass along both axes,
 * any image of the form f(x) + g(y) has HH = 0 away from the edges: smooth additive trends do not
 * count as noise.
 *
 * Gaussian deviates are R's `rnorm` reproduced exactly: `norm_rand()` by inversion (R's
 * snorm.c, INVERSION: u = ⌊2²⁷ · U₁⌋ + U₂, z = Φ⁻¹(u / 2²⁷)) on radscore's R Mersenne-Twister
 * stream (src/stats/random.ts), with Φ⁻¹ computed as R's qnorm does it (Wichura's AS 241,
 * "The percentage points of the normal distribution", Appl Stat 1988;37:477-484), so
 * `addGaussianNoise(zeros, sd, seed)` equals R's `set.seed(seed); rnorm(n, 0, sd)` voxel by
 * voxel (x fastest).
 */
import { RRandom } from "../../stats/random.js";
import { type Volume, withData } from "../volume.js";

/**
 * Standard normal quantile Φ⁻¹(p), 0 < p < 1, by Wichura's AS 241 (PPND16) in the form of R's
 * qnorm.c: a rational function of q = p − 0.5 for |q| <= 0.425, otherwise of
 * r = sqrt(−log(min(p, 1 − p))) (two ranges split at r = 5). Accurate to about 1e-16. The
 * coefficients are the published ones written as the shortest literals of the same doubles.
 */
export function qnormStd(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY;
    if (p === 1) return Number.POSITIVE_INFINITY;
    return Number.NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (
      (q *
        (((((((r * 2509.0809287301227 + 33430.57558358813) * r + 67265.7709270087) * r +
          45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((r * 5226.495278852854 + 28729.085735721943) * r + 39307.89580009271) * r +
        21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    );
  }
  // R: r = 1 − p computed as 0.5 − p + 0.5 (R_D_Cval).
  let r = Math.sqrt(-Math.log(q > 0 ? 0.5 - p + 0.5 : p));
  let val: number;
  if (r <= 5) {
    r += -1.6;
    val =
      (((((((r * 0.0007745450142783414 + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((r * 1.0507500716444169e-9 + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1);
  } else {
    r += -5;
    val =
      (((((((r * 2.0103343992922881e-7 + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((r * 2.0442631033899397e-15 + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1);
  }
  return q < 0 ? -val : val;
}

/** 2^27, R's `BIG` in norm_rand's inversion method. */
const BIG = 134217728;

/** R's `norm_rand()` (Inversion): one standard normal deviate from two uniforms of `rng`. */
export function normRand(rng: RRandom): number {
  const u = Math.trunc(BIG * rng.unifRand()) + rng.unifRand();
  return qnormStd(u / BIG);
}

/** R's `rnorm(n, mean, sd)` after `set.seed` on `rng`. */
export function rnorm(rng: RRandom, n: number, mean = 0, sd = 1): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * normRand(rng);
  return out;
}

/**
 * The coif1 decomposition high-pass filter (PyWavelets' `Wavelet("coif1").dec_hi`):
 * dec_hi[i] = (−1)^(5 − i) · √2 · c[i], with c the coif1 scaling coefficients as PyWavelets
 * tabulates them (wavelets_coeffs.template.h, normalised to sum 1).
 */
const COIF1 = [
  -0.05142972847076845, 0.23892972847076846, 0.6028594569415369, 0.2721405430584631,
  -0.05142972847076845, -0.011070271529231544,
];
export const COIF1_DEC_HI: readonly number[] = COIF1.map(
  (c, i) => ((5 - i) % 2 ? -1 : 1) * Math.SQRT2 * c,
);

/** scipy.ndimage's "reflect" boundary: index folded into [0, n) (d c b a | a b c d | d c b a). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n;
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - 1 - j;
}

/** convolve1d along one axis (stride, length) of a volume of `count` voxels, mode "reflect". */
function convolveAxis(
  data: Float64Array,
  size: readonly [number, number, number],
  axis: 0 | 1,
  filter: readonly number[],
): Float64Array {
  const out = new Float64Array(data.length);
  const n = size[axis];
  const stride = axis === 0 ? 1 : size[0];
  const half = Math.floor(filter.length / 2);
  const line = new Float64Array(n);
  const lines = data.length / n;
  for (let l = 0; l < lines; l++) {
    // Start of line l: x-lines are contiguous; y-lines start at (x, z) with x varying fastest.
    const start = axis === 0 ? l * n : (l % size[0]) + Math.floor(l / size[0]) * size[0] * size[1];
    for (let i = 0; i < n; i++) line[i] = data[start + i * stride]!;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let m = 0; m < filter.length; m++) s += filter[m]! * line[reflect(i + half - m, n)]!;
      out[start + i * stride] = s;
    }
  }
  return out;
}

/** numpy's median: the middle value, or the mean of the two middle values. */
function median(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/** Φ⁻¹(0.75): the median of |N(0, 1)|. */
const MAD_NORMAL = 0.6744897501960817;

/** The image's noise SD by Chang et al.'s wavelet estimator (see above), over the whole volume. */
export function estimateNoiseChang(image: Volume): number {
  const n = image.data.length;
  if (n === 0) throw new Error("noise estimate: the image is empty");
  const data = Float64Array.from(image.data);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data[i]!)) {
      throw new Error(`noise estimate: voxel ${i} is not finite (${data[i]})`);
    }
  }
  const hh = convolveAxis(
    convolveAxis(data, image.size, 1, COIF1_DEC_HI),
    image.size,
    0,
    COIF1_DEC_HI,
  );
  for (let i = 0; i < n; i++) hh[i] = Math.abs(hh[i]!);
  return median(hh) / MAD_NORMAL;
}

/**
 * The image plus Gaussian noise of standard deviation `sd` (R's `rnorm` after `set.seed(seed)`,
 * one deviate per voxel, x fastest), as float64 voxels; `sd` = 0 returns the values unchanged.
 */
export function addGaussianNoise(image: Volume, sd: number, seed: number): Volume<Float64Array> {
  if (!(Number.isFinite(sd) && sd >= 0)) {
    throw new Error(`noise: the noise SD must be finite and >= 0, got ${sd}`);
  }
  const rng = new RRandom(seed);
  const src = image.data;
  const out = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i]! + (sd > 0 ? sd * normRand(rng) : 0);
  return withData(image, out);
}
