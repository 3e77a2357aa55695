/**
 * The pair sums of Moran's I (IBSI-1 N365) and Geary's C (NPT7) through 3D FFTs
 * (spatial-autocorrelation.ts gives the formulas): with the mask m, the centred intensities y and
 * s = y^2 on the ROI's box,
 *   S(f, g) = sum over pairs of w(d) f g = (1/M) sum_k Re(F(k) conj G(k)) W(k)
 * on a zero-padded grid of M = mx my mz points, each axis a 5-smooth length >= 2n - 1 so that no
 * offset wraps around (Parseval and the convolution theorem; w is even, so W is real).
 *
 * The work is cut where the fields allow (src/ibsi/fft.ts does the transforms):
 * - m, y and s are real: only half of their spectra is computed (kx <= mx / 2; the term of -k
 *   equals that of k), two real fields packed per complex transform along x (m + i y; s of two
 *   slices), split with Z(-k): A = (Z(k) + conj Z(-k)) / 2, B = (Z(k) - conj Z(-k)) / 2i;
 * - their x transforms run on the box's slices only (the rest is zero), the y transforms on the
 *   box's slices only;
 * - w is even along each axis, so W is real and even: it is computed on one octant
 *   (k <= m / 2 per axis) from w's octant (0 <= d < n), two even real lines per complex transform,
 *   each the real or the imaginary part of the result.
 * The transforms run in WebAssembly (src/kernels/fft.ts, the same results bit for bit): every
 * array they touch is laid out once in kernel memory (pairSumBuffers), so that a cold process or
 * worker computes them at full speed and nothing is copied per transform.
 */
import type { Vec3 } from "../../../image/volume.js";
import { KernelFftWorkspace } from "../../../kernels/fft.js";
import { FftPlan, fftLength } from "../../fft.js";
import type { PairSums, RoiSamples } from "./spatial-autocorrelation.js";

/** The half spectrum (kx <= mx / 2) of a real field: hx x my x mz values, kx fastest. */
interface HalfSpectrum {
  re: Float64Array;
  im: Float64Array;
}

/** Lanes of the blocks of even lines transformed together. */
const LANES = 64;

/**
 * Splits the x transforms Z = A + i B of two real fields' slices (block [kx][y]: value (k, y) at
 * k by + y) into their half spectra: A into slice za of `a`, B into slice zb of `b` (b null: none).
 */
function splitSlice(
  zRe: Float64Array,
  zIm: Float64Array,
  size: Vec3,
  by: number,
  a: HalfSpectrum,
  za: number,
  b: HalfSpectrum | null,
  zb: number,
): void {
  const [mx, my] = size;
  const hx = Math.floor(mx / 2) + 1;
  for (let k = 0; k < hx; k++) {
    const row = k * by;
    const mirror = k === 0 ? 0 : (mx - k) * by;
    for (let y = 0, at = k + hx * my * za, bt = k + hx * my * zb; y < by; y++, at += hx, bt += hx) {
      const zr = zRe[row + y]!;
      const zi = zIm[row + y]!;
      const cr = zRe[mirror + y]!;
      const ci = zIm[mirror + y]!;
      a.re[at] = (zr + cr) / 2;
      a.im[at] = (zi - ci) / 2;
      if (b !== null) {
        b.re[bt] = (zi + ci) / 2;
        b.im[bt] = (cr - zr) / 2;
      }
    }
  }
}

/** The FFT plans of the padded grid's three lengths (x, y, z). */
type AxisPlans = readonly [FftPlan, FftPlan, FftPlan];

/**
 * Every float64 array of one computation (pairSumBuffers): the three half spectra and a spare
 * pair (hx my mz values each), the x pass's slices and scratch (mx by each), and the blocks of
 * evenLineDfts (max(m) LANES each). All start at 0.
 */
interface PairSumBuffers {
  spectra: [HalfSpectrum, HalfSpectrum, HalfSpectrum];
  spare: HalfSpectrum;
  mask: Float64Array;
  values: Float64Array;
  squares: readonly [Float64Array, Float64Array];
  xRe: Float64Array;
  xIm: Float64Array;
  lines: [Float64Array, Float64Array, Float64Array, Float64Array];
}

/**
 * Largest kernel memory (bytes) the buffers take; bigger grids keep them in ordinary arrays (the
 * TypeScript transforms: same results, slower in a cold process). WebAssembly memory does not
 * shrink, so this bounds what a thread keeps after one large ROI.
 */
const KERNEL_BUFFER_BYTES = 512 * 1024 * 1024;

/** The buffers for padded grid `size` and box rows `by`, with the plans placed beside them. */
function pairSumBuffers(size: Vec3, by: number, plans: AxisPlans): PairSumBuffers {
  const [mx, my, mz] = size;
  const volume = (Math.floor(mx / 2) + 1) * my * mz;
  const plane = mx * by;
  const block = Math.max(mx, my, mz) * LANES;
  const counts = [...Array(8).fill(volume), ...Array(6).fill(plane), ...Array(4).fill(block)];
  let arrays: Float64Array[];
  if (counts.reduce((a, b) => a + b, 0) * 8 <= KERNEL_BUFFER_BYTES) {
    const workspace = new KernelFftWorkspace();
    const at = counts.map((count) => workspace.reserve(count));
    for (const plan of plans) plan.useWorkspace(workspace);
    workspace.commit();
    arrays = at.map((a, k) => workspace.zeroed(a, counts[k]!));
  } else arrays = counts.map((count) => new Float64Array(count));
  const half = (k: number): HalfSpectrum => ({ re: arrays[k]!, im: arrays[k + 1]! });
  return {
    spectra: [half(0), half(2), half(4)],
    spare: half(6),
    mask: arrays[8]!,
    values: arrays[9]!,
    squares: [arrays[10]!, arrays[11]!],
    xRe: arrays[12]!,
    xIm: arrays[13]!,
    lines: [arrays[14]!, arrays[15]!, arrays[16]!, arrays[17]!],
  };
}

/**
 * Half spectra of the mask, the centred intensities and their squares (padded grid `size`; plans
 * of its three lengths), computed in `buffers` (which they are part of).
 */
function roiSpectra(
  samples: RoiSamples,
  size: Vec3,
  [planX, planY, planZ]: AxisPlans,
  buffers: PairSumBuffers,
): [HalfSpectrum, HalfSpectrum, HalfSpectrum] {
  const { count, index, centred, box } = samples;
  const [, by, bz] = box;
  const [mx, my] = size;
  const hx = Math.floor(mx / 2) + 1;
  const slice = hx * my;
  const [m, y, s] = buffers.spectra;
  // x, slice by slice: the box's slice transposed to [x][y] and zero-padded along x (a block of
  // `by` lanes); the samples come in z order. Squares of slices z and z + 1 share a transform.
  const { mask, values, squares, xRe, xIm } = buffers;
  const transformX = (re: Float64Array, im: Float64Array): [Float64Array, Float64Array] =>
    planX.forwardBlockOrScratch(re, im, xRe, xIm, by) ? [xRe, xIm] : [re, im];
  for (let z = 0, k = 0; z < bz; z++) {
    mask.fill(0);
    values.fill(0);
    const square = squares[z % 2]!;
    square.fill(0);
    for (; k < count && index[3 * k + 2] === z; k++) {
      const i = index[3 * k + 1]! + by * index[3 * k]!;
      const c = centred[k]!;
      mask[i] = 1;
      values[i] = c;
      square[i] = c * c;
    }
    const [zr, zi] = transformX(mask, values);
    splitSlice(zr, zi, size, by, m, z, y, z);
    if (z % 2 === 1 || z === bz - 1) {
      // Squares of slices z - 1 and z, or of the last slice alone (with a zero slice).
      const first = z - (z % 2);
      if (z % 2 === 0) squares[1].fill(0);
      const [sr, si] = transformX(squares[0], squares[1]);
      splitSlice(sr, si, size, by, s, first, z % 2 === 1 ? s : null, first + 1);
    }
  }
  // y on the box's slices, then z over the whole grid, each pass on every column at once; a
  // transform's result is left in the field's arrays or in a spare pair, which then takes their
  // place (saving a copy per pass).
  let spareRe = buffers.spare.re;
  let spareIm = buffers.spare.im;
  for (const field of [m, y, s]) {
    let moved = false;
    for (let z = 0; z < bz; z++) {
      const [from, to] = [z * slice, (z + 1) * slice];
      moved = planY.forwardBlockOrScratch(
        field.re.subarray(from, to),
        field.im.subarray(from, to),
        spareRe.subarray(from, to),
        spareIm.subarray(from, to),
        hx,
      );
    }
    if (moved) {
      [field.re, spareRe] = [spareRe, field.re];
      [field.im, spareIm] = [spareIm, field.im];
      // Slices past the box are zero, whatever the spare held there.
      field.re.fill(0, bz * slice);
      field.im.fill(0, bz * slice);
    }
    if (planZ.forwardBlockOrScratch(field.re, field.im, spareRe, spareIm, slice)) {
      [field.re, spareRe] = [spareRe, field.re];
      [field.im, spareIm] = [spareIm, field.im];
    }
  }
  return [m, y, s];
}

/**
 * DFTs of length plan.n of `count` real lines even about 0 (x[d] = x[n' - d]), each given by its
 * first `length` values (line l's value d at source[base(l) + d stride]); the results are real and
 * even: values k = 0 .. floor(n' / 2) of line l go to out[outBase(l) + k outStride]. Two lines per
 * complex transform: their DFTs are its real and imaginary parts; `blocks` are four work arrays
 * of at least n' LANES values (re, im and their scratch).
 */
function evenLineDfts(
  plan: FftPlan,
  count: number,
  length: number,
  source: Float64Array,
  base: (line: number) => number,
  stride: number,
  out: Float64Array,
  outBase: (line: number) => number,
  outStride: number,
  [re, im, spareRe, spareIm]: PairSumBuffers["lines"],
): void {
  const n = plan.n;
  const half = Math.floor(n / 2) + 1;
  for (let first = 0; first < count; first += 2 * LANES) {
    const lanes = Math.min(LANES, Math.ceil((count - first) / 2));
    re.fill(0, 0, n * lanes);
    im.fill(0, 0, n * lanes);
    for (let lane = 0; lane < lanes; lane++) {
      for (const [line, target] of [
        [first + 2 * lane, re],
        [first + 2 * lane + 1, im],
      ] as const) {
        if (line >= count) continue;
        const from = base(line);
        target[lane] = source[from]!;
        for (let d = 1; d < length; d++) {
          const v = source[from + d * stride]!;
          target[d * lanes + lane] = v;
          target[(n - d) * lanes + lane] = v;
        }
      }
    }
    const moved = plan.forwardBlockOrScratch(re, im, spareRe, spareIm, lanes);
    const [zr, zi] = moved ? [spareRe, spareIm] : [re, im];
    for (let lane = 0; lane < lanes; lane++) {
      const a = first + 2 * lane;
      const toA = outBase(a);
      for (let k = 0; k < half; k++) out[toA + k * outStride] = zr[k * lanes + lane]!;
      if (a + 1 >= count) continue;
      const toB = outBase(a + 1);
      for (let k = 0; k < half; k++) out[toB + k * outStride] = zi[k * lanes + lane]!;
    }
  }
}

/**
 * W on the octant kx <= mx / 2, ky <= my / 2, kz <= mz / 2 (hx x hy x hz values, kx fastest),
 * from w(d) = 1 / |d| (mm; w(0) = 0) on the offsets 0 <= d < n of the box.
 */
function weightOctant(
  box: Vec3,
  spacing: Vec3,
  size: Vec3,
  [planX, planY, planZ]: AxisPlans,
  blocks: PairSumBuffers["lines"],
): Float64Array {
  const [bx, by, bz] = box;
  const [hx, hy, hz] = size.map((m) => Math.floor(m / 2) + 1) as Vec3;
  const [sx, sy, sz] = spacing;
  const w = new Float64Array(bx * by * bz);
  for (let dz = 0, i = 0; dz < bz; dz++)
    for (let dy = 0; dy < by; dy++) {
      const r2yz = (dy * sy) ** 2 + (dz * sz) ** 2;
      for (let dx = 0; dx < bx; dx++, i++) {
        const r2 = (dx * sx) ** 2 + r2yz;
        w[i] = r2 === 0 ? 0 : 1 / Math.sqrt(r2);
      }
    }
  // x: rows (dy, dz) -> wx[(dy + by dz) hx + kx].
  const wx = new Float64Array(hx * by * bz);
  evenLineDfts(
    planX,
    by * bz,
    bx,
    w,
    (l) => l * bx,
    1,
    wx,
    (l) => l * hx,
    1,

    blocks,
  );
  // y: lines (kx, dz) -> wxy[kx + hx (ky + hy dz)].
  const wxy = new Float64Array(hx * hy * bz);
  evenLineDfts(
    planY,
    hx * bz,
    by,
    wx,
    (l) => (l % hx) + hx * by * Math.floor(l / hx),
    hx,
    wxy,
    (l) => (l % hx) + hx * hy * Math.floor(l / hx),
    hx,

    blocks,
  );
  // z: lines (kx, ky) -> W[kx + hx (ky + hy kz)].
  const plane = hx * hy;
  const octant = new Float64Array(plane * hz);
  evenLineDfts(
    planZ,
    plane,
    bz,
    wxy,
    (l) => l,
    plane,
    octant,
    (l) => l,
    plane,

    blocks,
  );
  return octant;
}

/**
 * Pair sums sum(w), sum(w y1 y2), sum(w (y1 - y2)^2) over ordered pairs k1 != k2, by FFT (see the
 * file's comment); equal to the direct sums up to rounding.
 */
export function fourierPairSums(samples: RoiSamples, spacing: Vec3): PairSums {
  const [bx, by, bz] = samples.box;
  const size: Vec3 = [fftLength(2 * bx - 1), fftLength(2 * by - 1), fftLength(2 * bz - 1)];
  const [mx, my, mz] = size;
  const plans: AxisPlans = [new FftPlan(mx), new FftPlan(my), new FftPlan(mz)];
  const buffers = pairSumBuffers(size, by, plans);
  const [M, Y, S] = roiSpectra(samples, size, plans, buffers);
  const W = weightOctant(samples.box, spacing, size, plans, buffers.lines);
  const hx = Math.floor(mx / 2) + 1;
  const hy = Math.floor(my / 2) + 1;
  // kx = 0 (and mx / 2 for even mx) once, the others twice; W(k) = W(|k|) per axis.
  const twice = Float64Array.from({ length: hx }, (_, kx) => (kx === 0 || 2 * kx === mx ? 1 : 2));
  let sMM = 0;
  let sYY = 0;
  let sSM = 0;
  for (let kz = 0, i = 0; kz < mz; kz++) {
    const wz = Math.min(kz, mz - kz);
    for (let ky = 0; ky < my; ky++) {
      const wRow = hx * (Math.min(ky, my - ky) + hy * wz);
      for (let kx = 0; kx < hx; kx++, i++) {
        const w = twice[kx]! * W[wRow + kx]!;
        const mr = M.re[i]!;
        const mi = M.im[i]!;
        const yr = Y.re[i]!;
        const yi = Y.im[i]!;
        sMM += (mr * mr + mi * mi) * w;
        sYY += (yr * yr + yi * yi) * w;
        sSM += (S.re[i]! * mr + S.im[i]! * mi) * w;
      }
    }
  }
  const total = mx * my * mz;
  return {
    weights: sMM / total,
    products: sYY / total,
    squaredDifferences: (2 * (sSM - sYY)) / total,
  };
}
