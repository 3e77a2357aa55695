/**
 * Feature-map colouring (pure, no DOM): the viridis colour table, the colour range of a map
 * (1st to 99th percentile of its finite values) and the legend's CSS gradient. The blending
 * itself is render.ts blendHeat, in the slice pass.
 *
 * Viridis is perceptually uniform, readable in grey scale and by the common forms of colour
 * blindness (van der Walt and Smith, "mpl colormaps", SciPy 2015).
 */
import { packRgb } from "./render.js";
import { autoWindow, intensityStats, type WindowRange } from "./window-level.js";

/**
 * Viridis anchors: entries 0, 32, 64, 96, 128, 159, 191, 223 and 255 (about every eighth of the
 * way) of matplotlib's 256-entry table `_viridis_data` (lib/matplotlib/_cm_listed.py, Nathaniel
 * J. Smith, Stefan van der Walt and Eric Firing, CC0), as 8-bit sRGB: round(255 x), the same
 * bytes as d3-scale-chromatic's interpolateViridis table. E.g. entry 0 (0.267004, 0.004874,
 * 0.329415) is #440154, entry 128 (0.127568, 0.566949, 0.550556) is #21918c and entry 255
 * (0.993248, 0.906157, 0.143936) is #fde725. `at` is the entry's place in a 256-entry table.
 */
export const VIRIDIS_ANCHORS: readonly { at: number; rgb: readonly [number, number, number] }[] = [
  { at: 0, rgb: [68, 1, 84] }, // #440154
  { at: 32, rgb: [71, 45, 123] }, // #472d7b
  { at: 64, rgb: [59, 82, 139] }, // #3b528b
  { at: 96, rgb: [44, 114, 142] }, // #2c728e
  { at: 128, rgb: [33, 145, 140] }, // #21918c
  { at: 159, rgb: [39, 173, 129] }, // #27ad81
  { at: 191, rgb: [92, 200, 99] }, // #5cc863
  { at: 223, rgb: [170, 220, 50] }, // #aadc32
  { at: 255, rgb: [253, 231, 37] }, // #fde725
];

/**
 * The 256-entry viridis table as opaque packed pixels (render.ts packRgb): entry i interpolates
 * linearly (per sRGB channel, rounded half up) between the anchors around it; at an anchor it is
 * the anchor's colour.
 */
export function viridisLut(): Uint32Array {
  const lut = new Uint32Array(256);
  let a = 0;
  for (let i = 0; i < 256; i++) {
    while (a < VIRIDIS_ANCHORS.length - 2 && i > VIRIDIS_ANCHORS[a + 1]!.at) a++;
    const lo = VIRIDIS_ANCHORS[a]!;
    const hi = VIRIDIS_ANCHORS[a + 1]!;
    const f = (i - lo.at) / (hi.at - lo.at);
    const ch = (k: 0 | 1 | 2) => Math.floor(lo.rgb[k] + (hi.rgb[k] - lo.rgb[k]) * f + 0.5);
    lut[i] = packRgb(ch(0), ch(1), ch(2));
  }
  return lut;
}

/** The table the viewer draws with (built once). */
export const VIRIDIS_LUT: Uint32Array = viridisLut();

/** The legend bar: the anchors as a left-to-right CSS gradient (the table's linear ramp). */
export function viridisGradient(): string {
  const hex = (rgb: readonly number[]) =>
    `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
  const stops = VIRIDIS_ANCHORS.map(
    ({ at, rgb }) => `${hex(rgb)} ${Number(((at / 255) * 100).toFixed(2))}%`,
  );
  return `linear-gradient(to right, ${stops.join(", ")})`;
}

export interface MapRange extends WindowRange {
  /** Finite voxels of the map (0: nothing to draw). */
  finite: number;
  /** Their minimum and maximum (0 and 0 when none). */
  min: number;
  max: number;
}

/**
 * The colour range of a map: the 1st to 99th percentile of its finite values (window-level.ts
 * intensityStats on those values only, every one of them: a strided sample would thin out a small
 * ROI in a large NaN volume, and alias with the ROI's row width; autoWindow's fallback to the full
 * range, widened around a constant map). Computed once per map.
 */
export function mapRange(data: ArrayLike<number>): MapRange {
  const n = data.length;
  let finite = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v - v === 0) finite++;
  }
  const values = new Float64Array(finite);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (v - v === 0) values[k++] = v;
  }
  const stats = intensityStats(values, Math.max(finite, 1));
  const { lo, hi } = autoWindow(stats);
  return { lo, hi, finite, min: stats.min, max: stats.max };
}
