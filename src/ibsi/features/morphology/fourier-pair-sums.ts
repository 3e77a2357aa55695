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
 * The transforms (src/kernels/fft.ts) and the loops around them (src/kernels/pair-sums.ts) run in
 * WebAssembly, the same operations in the same order as src/ibsi/fft.ts and the TypeScript they
 * replaced: every array is laid out once in kernel memory (pairSumLayout), so that a cold process
 * or worker computes them at full speed and nothing is copied per step. Kernel memory does not
 * shrink: a thread keeps the largest layout it needed (about 64 bytes per point of the padded
 * grid, MAX_FFT_GRID bounding it; spatial-autocorrelation.ts).
 */
import type { Vec3 } from "../../../image/volume.js";
import { KernelFftWorkspace } from "../../../kernels/fft.js";
import { type LineLayout, PairSumKernels } from "../../../kernels/pair-sums.js";
import { FftPlan, fftLength } from "../../fft.js";
import type { PairSums, RoiSamples } from "./spatial-autocorrelation.js";

/** The half spectrum (kx <= mx / 2) of a real field: hx x my x mz values, kx fastest. */
interface HalfSpectrum {
  re: Float64Array;
  im: Float64Array;
}

/** Lanes of the blocks of even lines transformed together (the blocks are sized for them). */
const LANES = 64;

/** The FFT plans of the padded grid's three lengths (x, y, z). */
type AxisPlans = readonly [FftPlan, FftPlan, FftPlan];

/**
 * One computation's arrays and plans in kernel memory: the three half spectra and a spare pair
 * (hx my mz values each, starting at 0), the x stage's planes (mask, values, two of squares) and
 * scratch (mx by each), the samples, w and its DFT stages (box, hx by bz, hx hy bz and the octant
 * hx hy hz values), the blocks of the even-line DFTs (max(m) LANES each), the totals, and the
 * plans' descriptors.
 */
interface PairSumLayout {
  kernels: PairSumKernels;
  plans: [number, number, number];
  spectra: [HalfSpectrum, HalfSpectrum, HalfSpectrum];
  spare: HalfSpectrum;
  planes: Float64Array[];
  samples: { count: number; index: Int32Array; centred: Float64Array };
  w: Float64Array;
  wx: Float64Array;
  wxy: Float64Array;
  octant: Float64Array;
  blocks: Float64Array[];
  totals: Float64Array;
}

function pairSumLayout(samples: RoiSamples, size: Vec3, plans: AxisPlans): PairSumLayout {
  const [bx, by, bz] = samples.box;
  const [mx, my, mz] = size;
  const [hx, hy, hz] = size.map((m) => Math.floor(m / 2) + 1) as Vec3;
  const workspace = new KernelFftWorkspace();
  const volume = hx * my * mz;
  const counts = {
    spectra: Array(8).fill(volume) as number[],
    planes: Array(6).fill(mx * by) as number[],
    w: [bx * by * bz, hx * by * bz, hx * hy * bz, hx * hy * hz],
    blocks: Array(4).fill(Math.max(mx, my, mz) * LANES) as number[],
  };
  const reserve = (list: number[]) => list.map((count) => workspace.reserve(count));
  const at = {
    spectra: reserve(counts.spectra),
    planes: reserve(counts.planes),
    w: reserve(counts.w),
    blocks: reserve(counts.blocks),
    totals: workspace.reserve(3),
    index: workspace.input(samples.index.subarray(0, 3 * samples.count)),
    centred: workspace.input(samples.centred.subarray(0, samples.count)),
  };
  for (const plan of plans) plan.useWorkspace(workspace);
  const descriptors = plans.map((plan) => workspace.descriptor(plan.kernelTables()));
  try {
    workspace.commit();
  } catch (err) {
    // WebAssembly memory could not grow that far (a browser's limit, or the machine's).
    const mib = Math.ceil(
      (8 * (8 * volume + 6 * mx * by + 4 * Math.max(mx, my, mz) * LANES)) / 2 ** 20,
    );
    throw new Error(
      `Moran's I / Geary's C: the ROI's bounding box of ${bx} x ${by} x ${bz} voxels needs about ${mib} MiB for its FFTs (${(err as Error).message})`,
    );
  }
  const views = (offsets: number[], list: number[]) =>
    offsets.map((offset, k) => workspace.float64(offset, list[k]!));
  // The spectra must start at 0 (only the box's rows and slices are written before the y and z
  // passes read them); every other array is written before it is read.
  const spectra = at.spectra.map((offset, k) => workspace.zeroed(offset, counts.spectra[k]!));
  const half = (k: number): HalfSpectrum => ({ re: spectra[k]!, im: spectra[k + 1]! });
  const [w, wx, wxy, octant] = views(at.w, counts.w) as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  return {
    kernels: new PairSumKernels(workspace),
    plans: descriptors as [number, number, number],
    spectra: [half(0), half(2), half(4)],
    spare: half(6),
    planes: views(at.planes, counts.planes),
    samples: {
      count: samples.count,
      index: workspace.int32(at.index, 3 * samples.count),
      centred: workspace.float64(at.centred, samples.count),
    },
    w,
    wx,
    wxy,
    octant,
    blocks: views(at.blocks, counts.blocks),
    totals: workspace.float64(at.totals, 3),
  };
}

/**
 * Half spectra of the mask, the centred intensities and their squares (padded grid `size`):
 * the x stage in one kernel call, then y on the box's slices and z over the whole grid, each pass
 * on every column at once; a transform's result is left in the field's arrays or in the spare
 * pair, which then takes their place (saving a copy per pass).
 */
function roiSpectra(
  box: Vec3,
  size: Vec3,
  [, planY, planZ]: AxisPlans,
  layout: PairSumLayout,
): [HalfSpectrum, HalfSpectrum, HalfSpectrum] {
  const [, , bz] = box;
  const [mx, my] = size;
  const hx = Math.floor(mx / 2) + 1;
  const slice = hx * my;
  const [m, y, s] = layout.spectra;
  layout.kernels.spectraX(layout.samples, box, size, layout.plans[0], layout.planes, [
    m.re,
    m.im,
    y.re,
    y.im,
    s.re,
    s.im,
  ]);
  let spareRe = layout.spare.re;
  let spareIm = layout.spare.im;
  for (const field of [m, y, s]) {
    let moved = false;
    for (let z = 0; z < bz; z++) {
      const from = z * slice;
      const to = from + slice;
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
 * W on the octant kx <= mx / 2, ky <= my / 2, kz <= mz / 2 (hx x hy x hz values, kx fastest),
 * from w(d) = 1 / |d| (mm; w(0) = 0) on the offsets 0 <= d < n of the box: even-line DFTs along
 * x, then y, then z (two lines per complex transform, each the real or the imaginary part).
 */
function weightOctant(box: Vec3, spacing: Vec3, size: Vec3, layout: PairSumLayout): Float64Array {
  const [bx, by, bz] = box;
  const [hx, hy] = size.map((m) => Math.floor(m / 2) + 1) as Vec3;
  const { kernels, plans, w, wx, wxy, octant, blocks } = layout;
  kernels.weights(w, box, spacing);
  const rows = (period: number, a: number, b: number, stride: number): LineLayout => ({
    period,
    a,
    b,
    stride,
  });
  // x: rows (dy, dz) -> wx[(dy + by dz) hx + kx].
  kernels.evenLines(
    plans[0],
    LANES,
    by * bz,
    bx,
    w,
    rows(by * bz, bx, 0, 1),
    wx,
    rows(by * bz, hx, 0, 1),
    blocks,
  );
  // y: lines (kx, dz) -> wxy[kx + hx (ky + hy dz)].
  kernels.evenLines(
    plans[1],
    LANES,
    hx * bz,
    by,
    wx,
    rows(hx, 1, hx * by, hx),
    wxy,
    rows(hx, 1, hx * hy, hx),
    blocks,
  );
  // z: lines (kx, ky) -> W[kx + hx (ky + hy kz)].
  const plane = hx * hy;
  kernels.evenLines(
    plans[2],
    LANES,
    plane,
    bz,
    wxy,
    rows(plane, 1, 0, plane),
    octant,
    rows(plane, 1, 0, plane),
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
  const plans: AxisPlans = [new FftPlan(size[0]), new FftPlan(size[1]), new FftPlan(size[2])];
  const layout = pairSumLayout(samples, size, plans);
  const [M, Y, S] = roiSpectra(samples.box, size, plans, layout);
  const W = weightOctant(samples.box, spacing, size, layout);
  const [sMM, sYY, sSM] = layout.kernels.totals(
    [M.re, M.im, Y.re, Y.im, S.re, S.im],
    W,
    size,
    layout.totals,
  );
  const total = size[0] * size[1] * size[2];
  return {
    weights: sMM / total,
    products: sYY / total,
    squaredDifferences: (2 * (sSM - sYY)) / total,
  };
}
