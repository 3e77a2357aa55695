/**
 * Window / level (pure, no DOM): the intensity range mapped to black..white, its presets and how
 * a mouse drag changes it.
 */
import type { VoxelArray } from "../../../src/image/volume.js";

/** The displayed intensity range: values <= lo are black, >= hi white. */
export interface WindowRange {
  lo: number;
  hi: number;
}

export interface IntensityStats {
  /** Finite minimum and maximum over every voxel (0 and 0 when none is finite). */
  min: number;
  max: number;
  /** 1st and 99th percentiles, from an evenly strided sample of at most `maxSamples` voxels. */
  p1: number;
  p99: number;
}

/**
 * Range and percentiles of an image's finite voxel values. The min / max scan every voxel; the
 * percentiles come from an evenly strided sample (exact for volumes up to `maxSamples` voxels),
 * linear interpolation between order statistics as numpy's default.
 */
export function intensityStats(data: VoxelArray, maxSamples = 1 << 18): IntensityStats {
  const n = data.length;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    // Finite values only: a float image with Inf voxels still gets a usable range.
    if (v < min && v !== Number.NEGATIVE_INFINITY) min = v;
    if (v > max && v !== Number.POSITIVE_INFINITY) max = v;
  }
  if (!(min <= max)) return { min: 0, max: 0, p1: 0, p99: 0 };
  const step = Math.max(1, Math.ceil(n / maxSamples));
  const sample = new Float64Array(Math.ceil(n / step));
  let m = 0;
  for (let i = 0; i < n; i += step) {
    const v = data[i]!;
    if (Number.isFinite(v)) sample[m++] = v;
  }
  const sorted = sample.subarray(0, m).sort();
  return { min, max, p1: quantile(sorted, 0.01), p99: quantile(sorted, 0.99) };
}

/** Quantile q of ascending values (linear interpolation, numpy "linear"); NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const i = Math.floor(pos);
  const f = pos - i;
  const a = sorted[i]!;
  return f === 0 || i + 1 >= n ? a : a + (sorted[i + 1]! - a) * f;
}

/** A usable range: lo < hi (widened around a constant value). */
function nonEmpty(lo: number, hi: number): WindowRange {
  if (!(Number.isFinite(lo) && Number.isFinite(hi))) return { lo: 0, hi: 1 };
  if (hi > lo) return { lo, hi };
  return { lo: lo - 0.5, hi: lo + 0.5 };
}

/** The "auto" preset: 1st to 99th percentile (full range when they coincide). */
export function autoWindow(s: IntensityStats): WindowRange {
  return s.p99 > s.p1 ? { lo: s.p1, hi: s.p99 } : fullWindow(s);
}

/** The "full range" preset: minimum to maximum. */
export function fullWindow(s: IntensityStats): WindowRange {
  return nonEmpty(s.min, s.max);
}

/** Window centre ("level") and width of a range. */
export function levelWidth(w: WindowRange): { level: number; width: number } {
  return { level: (w.lo + w.hi) / 2, width: w.hi - w.lo };
}

/**
 * A window drag of (dx, dy) CSS pixels, as in OHIF: right widens, left narrows the window; down
 * raises, up lowers the level. One pixel moves by `span` / 512 (span: the image's full range), and
 * the width never drops below span / 10000.
 */
export function dragWindow(w: WindowRange, dx: number, dy: number, span: number): WindowRange {
  const unit = (span > 0 && Number.isFinite(span) ? span : 1) / 512;
  const { level, width } = levelWidth(w);
  const newWidth = Math.max(width + dx * unit, unit / 20);
  const newLevel = level + dy * unit;
  return { lo: newLevel - newWidth / 2, hi: newLevel + newWidth / 2 };
}

/** Grey level 0..255 of value v in window w (NaN is black). */
export function greyOf(v: number, w: WindowRange): number {
  // The same arithmetic as renderSlice ((v - lo) * 255 / width, rounded half up), so a value's
  // grey here is the grey drawn on the canvas.
  const g = ((v - w.lo) * 255) / (w.hi - w.lo);
  return g > 0 ? (g < 255 ? (g + 0.5) | 0 : 255) : 0;
}

/** A number for the status line and the window readout: 4 significant digits, no exponent below 1e6. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-3) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}
