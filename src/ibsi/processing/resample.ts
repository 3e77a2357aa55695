/**
 * The separable resampling engine behind IBSI-1's interpolation (interpolation.ts; reference
 * manual, chapter 2 "Interpolation"): one-dimensional nearest-neighbour, linear and cubic B-spline
 * kernels applied one axis at a time (x, then y, then z) to a box of the image, onto a window of
 * output positions per axis.
 *
 * Cubic B-spline: each line is extended by SPLINE_PADDING voxels (edge voxels, scipy.ndimage's mode
 * "nearest"), turned into B-spline coefficients by Unser's recursive prefilter (pole
 * z = sqrt(3) - 2, gain 6, causal and anticausal first-order recursions, mirror-symmetric
 * initialisation: Unser, Aldroubi & Eden, IEEE TPAMI 13(3), 1991; scipy.ndimage.spline_filter1d,
 * order 3) and the cubic B-spline is evaluated there.
 *
 * Speed: every pass works on blocks of lines side by side ([index][lane]), so the recursions and
 * the kernel sums run over independent lanes at once instead of one latency-bound chain per line;
 * the y and z passes take whole rows / slices as lanes, the x pass gathers LANES rows of the
 * image box at a time, read straight from the image (no copy of the box first).
 */
import type { Vec3 } from "../../image/volume.js";
import type { GridBox } from "./grid-box.js";

/** Sample positions along one axis, in the original grid's index coordinates (IBSI-1 QCY4). */
export interface AxisSampling {
  /** Number of interpolation grid points n_b. */
  count: number;
  /** Index coordinate of the first grid point, x_b,g. */
  start: number;
  /** Grid spacing in index coordinates, s_b / s_a. */
  step: number;
}

/** Image interpolation kernels (IBSI-1 "Interpolation algorithms"). */
export type ImageInterpolationMethod = "nearest" | "linear" | "cubic-spline";

/** How a line is extended beyond the box: by its edge voxels, or by zeros. */
export type Extension = "edge" | "zero";

/**
 * Output positions first..first + count - 1 of an axis's sampling, read from the box's lines,
 * whose voxel 0 is voxel `shift` of the image along that axis.
 */
export interface OutputWindow {
  first: number;
  count: number;
  shift: number;
}

/** Edge voxels scipy.ndimage pads before the spline prefilter in mode "nearest". */
const SPLINE_PADDING = 12;
/** Cubic B-spline prefilter pole z = sqrt(3) - 2 (Unser et al. 1991). */
const CUBIC_POLE = Math.sqrt(3) - 2;
/**
 * Terms of the causal initial sum sum_k z^k c[k] (|z|^48 = 3e-28): later terms cannot change a
 * float64 sum of coefficients of comparable size, so longer lines stop there.
 */
const INITIAL_SUM_HORIZON = 48;
/** Rows gathered side by side by the x pass. */
const LANES = 16;

/**
 * Kernel taps of output positions `window.first`..: the first index into the extended line and
 * the weights, `taps` per position. Position j lies at index start + j step - `shift` of the box's
 * line, whose voxel i is at index `pad + i` of the extended line.
 */
interface Taps {
  taps: number;
  first: Int32Array;
  weights: Float64Array;
}

function kernelTaps(
  sampling: AxisSampling,
  window: OutputWindow,
  method: ImageInterpolationMethod,
  pad: number,
  length: number,
): Taps {
  const taps = method === "cubic-spline" ? 4 : method === "linear" ? 2 : 1;
  const first = new Int32Array(window.count);
  const weights = new Float64Array(window.count * taps);
  for (let j = 0; j < window.count; j++) {
    const x = sampling.start + (window.first + j) * sampling.step - window.shift;
    const i = Math.floor(x);
    const t = x - i;
    let start: number;
    if (method === "nearest") {
      start = t < 0.5 ? i : i + 1;
      weights[j] = 1;
    } else if (method === "linear") {
      start = i;
      weights[2 * j] = 1 - t;
      weights[2 * j + 1] = t;
    } else {
      // Cubic B-spline weights beta3(t + 1), beta3(t), beta3(1 - t), beta3(2 - t), t in [0, 1).
      const u = 1 - t;
      start = i - 1;
      const w0 = (u * u * u) / 6;
      const w1 = (t * t * (t - 2) * 3 + 4) / 6;
      const w2 = (u * u * (u - 2) * 3 + 4) / 6;
      weights[4 * j] = w0;
      weights[4 * j + 1] = w1;
      weights[4 * j + 2] = w2;
      weights[4 * j + 3] = 1 - w0 - w1 - w2;
    }
    // Keep every tap inside the extended line (beyond it the extension is constant anyway).
    start += pad;
    first[j] = Math.min(Math.max(start, 0), length - taps);
    if (start !== first[j]) shiftTaps(weights, j, taps, start - first[j]!);
  }
  return { taps, first, weights };
}

/**
 * Moves the weights of position j when its first tap was clamped by `shift` indices: taps that fell
 * off the extended line read its last (or first) voxel, equal to its neighbours there.
 */
function shiftTaps(weights: Float64Array, j: number, taps: number, shift: number): void {
  const moved = new Float64Array(taps);
  for (let k = 0; k < taps; k++) {
    const target = Math.min(Math.max(k + shift, 0), taps - 1);
    moved[target]! += weights[j * taps + k]!;
  }
  weights.set(moved, j * taps);
}

/** The prefilter's gain (1 - z)(1 - 1/z) = 6, applied as the samples are copied in. */
const SPLINE_GAIN = (1 - CUBIC_POLE) * (1 - 1 / CUBIC_POLE);

/**
 * Turns samples, already multiplied by SPLINE_GAIN, into cubic B-spline coefficients in place
 * (scipy.ndimage.spline_filter1d, order 3): gain 6, then a causal and an anticausal first-order
 * recursion with pole z, initialised for a mirror-symmetric extension (Unser et al. 1991, as
 * scipy's mode "mirror"). `c` holds n >= 2 blocks of `width` values; the filter runs along the
 * blocks, for every offset within a block at once.
 */
function cubicSplineCoefficients(
  c: Float64Array,
  n: number,
  width: number,
  sum: Float64Array,
): void {
  const z = CUBIC_POLE;
  const total = n * width;
  // Causal initialisation: c[0] = sum_k z^|k| c[k] over the mirrored infinite line (its terms
  // beyond the horizon are below float64 resolution).
  const last = (n - 1) * width;
  if (n - 1 <= INITIAL_SUM_HORIZON) {
    const zn1 = z ** (n - 1);
    for (let a = 0; a < width; a++) sum[a] = c[a]! + zn1 * c[last + a]!;
    let zi = z;
    for (let i = 1; i < n - 1; i++) {
      const row = i * width;
      const mirrored = (n - 1 - i) * width;
      for (let a = 0; a < width; a++) sum[a]! += zi * (c[row + a]! + zn1 * c[mirrored + a]!);
      zi *= z;
    }
    const norm = 1 - zn1 * zn1;
    for (let a = 0; a < width; a++) c[a] = sum[a]! / norm;
  } else {
    for (let a = 0; a < width; a++) sum[a] = c[a]!;
    let zi = z;
    for (let i = 1; i < INITIAL_SUM_HORIZON; i++) {
      const row = i * width;
      for (let a = 0; a < width; a++) sum[a]! += zi * c[row + a]!;
      zi *= z;
    }
    for (let a = 0; a < width; a++) c[a] = sum[a]!;
  }
  for (let i = width; i < total; i++) c[i]! += z * c[i - width]!;
  const anticausal = z / (z * z - 1);
  for (let a = 0; a < width; a++)
    c[last + a] = (z * c[last - width + a]! + c[last + a]!) * anticausal;
  for (let i = last - 1; i >= 0; i--) c[i] = z * (c[i + width]! - c[i]!);
}

/**
 * Fills the padding blocks of a block of extended lines (n blocks of `width` values from block
 * `pad.low` on; `pad.low` blocks before, `pad.high` after) with the edge blocks, or zeros.
 */
function extendLines(
  line: Float64Array,
  n: number,
  width: number,
  pad: Padding,
  extension: Extension,
): void {
  const { low, high } = pad;
  const end = low + n;
  if (extension === "edge") {
    for (let p = 0; p < low; p++) line.copyWithin(p * width, low * width, (low + 1) * width);
    for (let p = 0; p < high; p++)
      line.copyWithin((end + p) * width, (end - 1) * width, end * width);
  } else {
    line.fill(0, 0, low * width);
    line.fill(0, end * width, (end + high) * width);
  }
}

/**
 * Evaluates the kernel at every output position of a block of extended lines (`width` lanes):
 * lane a of position j goes to out[outStart + a laneStep + j positionStep].
 */
function evaluateBlock(
  line: Float64Array,
  width: number,
  { taps, first, weights }: Taps,
  out: Float64Array,
  outStart: number,
  laneStep: number,
  positionStep: number,
): void {
  const count = first.length;
  for (let j = 0; j < count; j++) {
    const f = first[j]! * width;
    const base = outStart + j * positionStep;
    if (taps === 1) {
      for (let a = 0; a < width; a++) out[base + a * laneStep] = line[f + a]!;
    } else if (taps === 2) {
      const w0 = weights[2 * j]!;
      const w1 = weights[2 * j + 1]!;
      const f1 = f + width;
      for (let a = 0; a < width; a++)
        out[base + a * laneStep] = w0 * line[f + a]! + w1 * line[f1 + a]!;
    } else {
      const w0 = weights[4 * j]!;
      const w1 = weights[4 * j + 1]!;
      const w2 = weights[4 * j + 2]!;
      const w3 = weights[4 * j + 3]!;
      const f1 = f + width;
      const f2 = f1 + width;
      const f3 = f2 + width;
      for (let a = 0; a < width; a++)
        out[base + a * laneStep] =
          w0 * line[f + a]! + w1 * line[f1 + a]! + w2 * line[f2 + a]! + w3 * line[f3 + a]!;
    }
  }
}

/** Voxels by which a line is extended before and after its box. */
interface Padding {
  low: number;
  high: number;
}

/**
 * The extension of a line of the box [first, first + n) of an axis of `extent` voxels. Edge
 * extension pads only where the box meets the image's edge (SPLINE_PADDING voxels for the cubic
 * spline, as scipy; 2 for the others): at an end inside the image the box holds every voxel the
 * taps read (and, for the spline, the margin that bounds the prefilter's difference; see
 * interpolation.ts, SPLINE_CROP_MARGIN). Zero extension (the ROI mask, 0 outside its box) always
 * pads.
 */
function paddingOf(
  method: ImageInterpolationMethod,
  extension: Extension,
  first: number,
  n: number,
  extent: number,
): Padding {
  const pad = method === "cubic-spline" ? SPLINE_PADDING : 2;
  if (extension === "zero") return { low: pad, high: pad };
  return { low: first === 0 ? pad : 0, high: first + n === extent ? pad : 0 };
}

/**
 * The x pass, reading the rows of `box` straight from `source` (an x-fastest grid of `size`, any
 * numeric array): LANES rows at a time side by side. Returns window.count x box y x box z values.
 */
function resampleRows(
  source: ArrayLike<number>,
  size: Readonly<Vec3>,
  box: GridBox,
  sampling: AxisSampling,
  window: OutputWindow,
  method: ImageInterpolationMethod,
  extension: Extension,
): Float64Array {
  const n = box.size[0];
  const rowsY = box.size[1];
  const rows = rowsY * box.size[2];
  const pad = paddingOf(method, extension, box.start[0], n, size[0]);
  const length = n + pad.low + pad.high;
  const taps = kernelTaps(sampling, window, method, pad.low, length);
  const count = window.count;
  const out = new Float64Array(count * rows);
  const line = new Float64Array(length * LANES);
  const gain = method === "cubic-spline" ? SPLINE_GAIN : 1;
  const sum = new Float64Array(LANES);
  for (let r0 = 0; r0 < rows; r0 += LANES) {
    const lanes = Math.min(LANES, rows - r0);
    for (let l = 0; l < lanes; l++) {
      const r = r0 + l;
      const y = box.start[1] + (r % rowsY);
      const z = box.start[2] + Math.floor(r / rowsY);
      const from = box.start[0] + size[0] * (y + size[1] * z);
      for (let i = 0, at = pad.low * lanes + l; i < n; i++, at += lanes)
        line[at] = gain * source[from + i]!;
    }
    extendLines(line, n, lanes, pad, extension);
    if (method === "cubic-spline") cubicSplineCoefficients(line, length, lanes, sum);
    evaluateBlock(line, lanes, taps, out, r0 * count, count, 1);
  }
  return out;
}

/**
 * The y (axis 1) or z (axis 2) pass of a contiguous grid of `size`: the volume is a stack of slabs
 * (one per index of the axes above), each n blocks of `width` contiguous voxels (the axes below),
 * so every kernel step works on whole rows or slices and memory is read in order.
 */
function resampleBlocks(
  data: Float64Array,
  size: Readonly<Vec3>,
  axis: 1 | 2,
  sampling: AxisSampling,
  window: OutputWindow,
  method: ImageInterpolationMethod,
  extension: Extension,
  pad: Padding,
): Float64Array {
  const n = size[axis];
  const width = axis === 1 ? size[0] : size[0] * size[1];
  const slabs = axis === 1 ? size[2] : 1;
  const length = n + pad.low + pad.high;
  const taps = kernelTaps(sampling, window, method, pad.low, length);
  const count = window.count;
  const out = new Float64Array(width * count * slabs);
  const line = new Float64Array(length * width);
  const sum = new Float64Array(width);
  const gain = method === "cubic-spline" ? SPLINE_GAIN : 1;
  for (let b = 0; b < slabs; b++) {
    const slab = b * n * width;
    for (let i = 0, at = pad.low * width; i < n * width; i++, at++)
      line[at] = gain * data[slab + i]!;
    extendLines(line, n, width, pad, extension);
    if (method === "cubic-spline") cubicSplineCoefficients(line, length, width, sum);
    evaluateBlock(line, width, taps, out, b * count * width, 1, width);
  }
  return out;
}

/**
 * Resamples the voxels of `box` of `source` (x fastest, grid `size`, any numeric array) axis by
 * axis: axis a onto output positions `windows[a]` of `samplings[a]`, or kept where that sampling
 * is null. windows[a].shift is the index, in the samplings' coordinates, of the box's first voxel
 * along axis a (box.start[a] when `source` is the sampled image itself). Beyond the box each line
 * is extended by its edge voxels or zeros. Returns the windows' voxels, x fastest, as float64.
 */
export function resampleBox(
  source: ArrayLike<number>,
  size: Readonly<Vec3>,
  box: GridBox,
  samplings: readonly (AxisSampling | null)[],
  windows: readonly OutputWindow[],
  method: ImageInterpolationMethod,
  extension: Extension,
): Float64Array {
  const current: Vec3 = [box.size[0], box.size[1], box.size[2]];
  let data: Float64Array;
  const sx = samplings[0];
  if (sx) {
    data = resampleRows(source, size, box, sx, windows[0]!, method, extension);
    current[0] = windows[0]!.count;
  } else {
    data = new Float64Array(current[0] * current[1] * current[2]);
    for (let z = 0, o = 0; z < current[2]; z++)
      for (let y = 0; y < current[1]; y++) {
        const from = box.start[0] + size[0] * (box.start[1] + y + size[1] * (box.start[2] + z));
        for (let x = 0; x < current[0]; x++, o++) data[o] = source[from + x]!;
      }
  }
  for (const axis of [1, 2] as const) {
    const s = samplings[axis];
    if (!s) continue;
    const pad = paddingOf(method, extension, box.start[axis], box.size[axis], size[axis]);
    data = resampleBlocks(data, current, axis, s, windows[axis]!, method, extension, pad);
    current[axis] = windows[axis]!.count;
  }
  return data;
}
