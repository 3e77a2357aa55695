/**
 * Slice rendering into an RGBA pixel buffer (pure, no DOM: the buffer is an ImageData's, seen as
 * 32-bit words). One pass maps the image voxels of the slice through the window to grey, an
 * optional second blends a feature map's colours (heat) at its finite voxels, and the last blends
 * the ROI overlays where the slice has any; all walk the volume with strides (see transform.ts
 * sliceStrides), so no slice is copied and nothing is allocated per frame.
 */
import type { VoxelArray } from "../../../src/image/volume.js";
import { type DisplayGeometry, sliceStrides } from "./transform.js";
import type { WindowRange } from "./window-level.js";

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** An opaque RGBA pixel as one word of a Uint32Array view of ImageData (platform byte order). */
export function packRgb(r: number, g: number, b: number): number {
  return LITTLE_ENDIAN
    ? ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0
    : ((r << 24) | (g << 16) | (b << 8) | 255) >>> 0;
}

/** The red, green and blue bytes of a packed pixel. */
export function unpackRgb(p: number): [number, number, number] {
  return LITTLE_ENDIAN
    ? [p & 255, (p >>> 8) & 255, (p >>> 16) & 255]
    : [p >>> 24, (p >>> 16) & 255, (p >>> 8) & 255];
}

/** Packed greys 0..255. */
const GREY = new Uint32Array(256);
for (let g = 0; g < 256; g++) GREY[g] = packRgb(g, g, g);

export interface OverlayLayer {
  /** Mask voxels (same size and layout as the image). */
  data: Uint8Array;
  /** Voxels equal to it are the ROI. */
  label: number;
  rgb: readonly [number, number, number];
  /** Fill opacity 0..1 (the outline is drawn separately, opaque). */
  alpha: number;
}

/** A feature map drawn in colour over the grey image (under the ROI overlays). */
export interface HeatLayer {
  /** Map voxels (same size and layout as the image); only finite values are drawn. */
  data: Float64Array | Float32Array;
  /** The colour range: values <= lo take lut[0], >= hi lut[255]. */
  lo: number;
  hi: number;
  /** 256 opaque packed colours (heat.ts viridisLut). */
  lut: Uint32Array;
  /** Opacity 0..1 of the map over the grey. */
  alpha: number;
}

/**
 * Blends a feature map over slice `index` already in `pixels` (strides as renderSlice): at each
 * finite map value m, the colour c = lut[k] with k = (m - lo) * 255 / (hi - lo) clamped to 0..255
 * and rounded half up (as the grey of the window), and each channel becomes
 * floor(p * (1 - alpha) + c * alpha + 0.5) (as the ROI fill). NaN and infinite values leave the
 * pixel as it is. Returns the number of finite map voxels on the slice.
 */
export function blendHeat(
  pixels: Uint32Array,
  heat: HeatLayer,
  size: readonly number[],
  geom: DisplayGeometry,
  index: number,
): number {
  const { width, height } = geom;
  if (pixels.length < width * height) throw new RangeError("pixel buffer too small for the slice");
  if (heat.lut.length < 256) throw new RangeError("the heat colour table needs 256 entries");
  const { base, su, sv, d0, du, dv } = sliceStrides(size, geom, index);
  const { data, lo, lut, alpha } = heat;
  const span = heat.hi - heat.lo;
  const keep = 1 - alpha;
  let count = 0;
  for (let v = 0; v < height; v++) {
    let s = base + v * sv;
    let d = d0 + v * dv;
    for (let u = 0; u < width; u++) {
      const m = data[s]!;
      // m - m is 0 exactly for finite m (NaN for NaN and the infinities).
      if (m - m === 0) {
        count++;
        const k = ((m - lo) * 255) / span;
        const c = lut[k > 0 ? (k < 255 ? (k + 0.5) | 0 : 255) : 0]!;
        const p = pixels[d]!;
        // Unpacked inline (no allocation): byte 0 is red on little-endian platforms.
        const pr = LITTLE_ENDIAN ? p & 255 : p >>> 24;
        const pg = LITTLE_ENDIAN ? (p >>> 8) & 255 : (p >>> 16) & 255;
        const pb = LITTLE_ENDIAN ? (p >>> 16) & 255 : (p >>> 8) & 255;
        const cr = LITTLE_ENDIAN ? c & 255 : c >>> 24;
        const cg = LITTLE_ENDIAN ? (c >>> 8) & 255 : (c >>> 16) & 255;
        const cb = LITTLE_ENDIAN ? (c >>> 16) & 255 : (c >>> 8) & 255;
        pixels[d] = packRgb(
          (pr * keep + cr * alpha + 0.5) | 0,
          (pg * keep + cg * alpha + 0.5) | 0,
          (pb * keep + cb * alpha + 0.5) | 0,
        );
      }
      s += su;
      d += du;
    }
  }
  return count;
}

/**
 * Renders slice `index` of the image (plane and display orientation from `geom`) into `pixels`
 * (geom.cols x geom.rows words, row-major from the top-left): window `w` to grey, then the
 * feature map `heat` (when given, see blendHeat), then each overlay's ROI voxels blended with its
 * colour. Returns the number of ROI voxels of each overlay on this slice.
 */
export function renderSlice(
  pixels: Uint32Array,
  image: VoxelArray,
  size: readonly number[],
  geom: DisplayGeometry,
  index: number,
  w: WindowRange,
  overlays: readonly OverlayLayer[],
  heat: HeatLayer | null = null,
): number[] {
  const { width, height } = geom;
  if (pixels.length < width * height) throw new RangeError("pixel buffer too small for the slice");
  const { base, su, sv, d0, du, dv } = sliceStrides(size, geom, index);
  const lo = w.lo;
  const span = w.hi - w.lo;
  const grey = GREY;
  for (let v = 0; v < height; v++) {
    let s = base + v * sv;
    let d = d0 + v * dv;
    for (let u = 0; u < width; u++) {
      // (v - lo) * 255 / span, as greyOf: exact at window-level midpoints (a precomputed
      // 255 / span would round 127.5 down to 127).
      const g = ((image[s]! - lo) * 255) / span;
      // NaN compares false: black.
      pixels[d] = grey[g > 0 ? (g < 255 ? (g + 0.5) | 0 : 255) : 0]!;
      s += su;
      d += du;
    }
  }
  if (heat && heat.alpha > 0) blendHeat(pixels, heat, size, geom, index);
  const counts: number[] = [];
  for (const layer of overlays) {
    const { data, label, alpha } = layer;
    const [r, gr, b] = layer.rgb;
    const keep = 1 - alpha;
    // The overlay's share of each channel, + 0.5 for rounding.
    const ra = r * alpha + 0.5;
    const ga = gr * alpha + 0.5;
    const ba = b * alpha + 0.5;
    let count = 0;
    for (let v = 0; v < height; v++) {
      let s = base + v * sv;
      let d = d0 + v * dv;
      for (let u = 0; u < width; u++) {
        if (data[s] === label) {
          count++;
          const p = pixels[d]!;
          // Unpacked inline (no allocation): byte 0 is red on little-endian platforms.
          const pr = LITTLE_ENDIAN ? p & 255 : p >>> 24;
          const pg = LITTLE_ENDIAN ? (p >>> 8) & 255 : (p >>> 16) & 255;
          const pb = LITTLE_ENDIAN ? (p >>> 16) & 255 : (p >>> 8) & 255;
          pixels[d] = packRgb((pr * keep + ra) | 0, (pg * keep + ga) | 0, (pb * keep + ba) | 0);
        }
        s += su;
        d += du;
      }
    }
    counts.push(count);
  }
  return counts;
}

/**
 * The boundary of the `label` region on slice `index` as line segments between voxel corners, in
 * continuous slice coordinates (voxel (i, j) spans i - 0.5..i + 0.5, j - 0.5..j + 0.5): a flat
 * array x1, y1, x2, y2 (u, v) per segment. Runs of boundary along u are merged into one segment.
 */
export function outlineSegments(
  mask: Uint8Array,
  size: readonly number[],
  geom: DisplayGeometry,
  index: number,
  label: number,
): Float32Array {
  const { width, height } = geom;
  const { base, su, sv } = sliceStrides(size, geom, index);
  const at = (u: number, v: number) => mask[base + u * su + v * sv] === label;
  // Bounding box of the region first: the edge scan then covers only it.
  let u0 = width;
  let u1 = -1;
  let v0 = height;
  let v1 = -1;
  for (let v = 0; v < height; v++) {
    let s = base + v * sv;
    for (let u = 0; u < width; u++, s += su) {
      if (mask[s] === label) {
        if (u < u0) u0 = u;
        if (u > u1) u1 = u;
        if (v < v0) v0 = v;
        v1 = v;
      }
    }
  }
  const out: number[] = [];
  if (u1 < 0) return new Float32Array(0);
  const inside = (u: number, v: number) => u >= u0 && u <= u1 && v >= v0 && v <= v1 && at(u, v);
  for (let v = v0; v <= v1 + 1; v++) {
    // Horizontal edges along the top of row v: where exactly one of rows v - 1 and v is inside.
    let start = -1;
    for (let u = u0; u <= u1 + 1; u++) {
      const edge = u <= u1 && inside(u, v - 1) !== inside(u, v);
      if (edge && start < 0) start = u;
      if (!edge && start >= 0) {
        out.push(start - 0.5, v - 0.5, u - 0.5, v - 0.5);
        start = -1;
      }
    }
  }
  for (let u = u0; u <= u1 + 1; u++) {
    // Vertical edges along the left of column u.
    let start = -1;
    for (let v = v0; v <= v1 + 1; v++) {
      const edge = v <= v1 && inside(u - 1, v) !== inside(u, v);
      if (edge && start < 0) start = v;
      if (!edge && start >= 0) {
        out.push(u - 0.5, start - 0.5, u - 0.5, v - 0.5);
        start = -1;
      }
    }
  }
  return Float32Array.from(out);
}
