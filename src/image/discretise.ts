/**
 * Gray-level discretisation exactly as PyRadiomics (imageoperations.getBinEdges / binImage, commit
 * 8ed5793) with numpy 1.24 semantics: fixed bin width edges from numpy.arange, fixed bin count edges
 * from numpy.histogram, and levels from numpy.digitize (half-open bins [edge_k, edge_k+1)).
 */
import { digitizeValues, gatherValues, nonZeroPositions } from "../kernels/masks.js";

export interface DiscretisationOptions {
  /** Fixed bin width W (PyRadiomics default 25). Ignored when binCount is given. */
  binWidth?: number;
  /** Fixed number of bins; takes precedence over binWidth, as in PyRadiomics. */
  binCount?: number;
}

export interface Discretised {
  /** 1-based gray level per voxel inside the ROI, 0 outside (numpy.digitize of the edges). */
  levels: Int32Array;
  /**
   * Highest gray level present in the ROI: PyRadiomics' coefficient Ng (= max(levels in ROI)),
   * which the texture classes use (e.g. GLCM Idmn / Idn). It can be below edges.length - 1.
   */
  nLevels: number;
  /** The bin edges (getBinEdges). */
  edges: Float64Array;
}

const DEFAULT_BIN_WIDTH = 25;

/** Python / numpy floating remainder: fmod, moved to the sign of the divisor (npy_divmod). */
function pythonRemainder(a: number, b: number): number {
  let mod = a % b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) mod += b;
  } else {
    mod = b < 0 ? -0 : 0;
  }
  return mod;
}

/**
 * numpy.arange(start, stop, step) for float64: length ceil((stop - start) / step), element 1 is
 * start + step and element i >= 2 is start + i * delta with delta = (start + step) - start (numpy's
 * DOUBLE_fill). For integral arguments this is exact, as numpy's integer arange.
 */
function numpyArange(start: number, stop: number, step: number): Float64Array {
  const length = Math.ceil((stop - start) / step);
  if (!(length > 0)) return new Float64Array(0);
  const out = new Float64Array(length);
  out[0] = start;
  if (length > 1) {
    const next = start + step;
    out[1] = next;
    const delta = next - start;
    for (let i = 2; i < length; i++) out[i] = start + i * delta;
  }
  return out;
}

function checkedOptions(opts: DiscretisationOptions): { binWidth: number; binCount?: number } {
  const { binCount } = opts;
  if (binCount !== undefined && binCount !== null) {
    if (!Number.isInteger(binCount) || binCount < 1) {
      throw new Error(`binCount must be a positive integer, got ${binCount}`);
    }
    return { binWidth: DEFAULT_BIN_WIDTH, binCount };
  }
  const binWidth = opts.binWidth ?? DEFAULT_BIN_WIDTH;
  if (!Number.isFinite(binWidth) || binWidth <= 0) {
    throw new Error(`binWidth must be a positive finite number, got ${binWidth}`);
  }
  return { binWidth };
}

/**
 * PyRadiomics getBinEdges.
 *
 * Fixed bin width W: lowBound = min - (min mod W) (Python modulo), highBound = max + 2W,
 * edges = numpy.arange(lowBound, highBound, W); a single edge (flat region) becomes
 * [e - 0.5, e + 0.5]. Fixed bin count N: the edges of numpy.histogram(values, N), i.e.
 * linspace(min, max, N + 1) computed as i * ((max - min) / N) + min with the last edge = max
 * (min -= 0.5, max += 0.5 when min == max), then the last edge + 1. For a Float32Array input the
 * histogram edges are float32, as numpy 1.24 returns them for float32 data.
 */
export function binEdges(roiValues: ArrayLike<number>, opts: DiscretisationOptions): Float64Array {
  const n = roiValues.length;
  if (n === 0) throw new Error("cannot compute bin edges: the ROI has no voxels");
  let minimum = Number.POSITIVE_INFINITY;
  let maximum = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < n; k++) {
    const v = roiValues[k]!;
    if (!Number.isFinite(v)) throw new Error(`ROI contains a non-finite gray value (${v})`);
    if (v < minimum) minimum = v;
    if (v > maximum) maximum = v;
  }
  const { binWidth, binCount } = checkedOptions(opts);

  if (binCount !== undefined) {
    let first = minimum;
    let last = maximum;
    if (first === last) {
      first -= 0.5;
      last += 0.5;
    }
    const step = (last - first) / binCount;
    const edges = new Float64Array(binCount + 1);
    for (let i = 0; i < binCount; i++) edges[i] = i * step + first;
    edges[binCount] = last;
    if (roiValues instanceof Float32Array) {
      for (let i = 0; i <= binCount; i++) edges[i] = Math.fround(edges[i]!);
      edges[binCount] = Math.fround(edges[binCount]! + 1);
    } else {
      edges[binCount] = edges[binCount]! + 1;
    }
    return edges;
  }

  const lowBound = minimum - pythonRemainder(minimum, binWidth);
  const highBound = maximum + 2 * binWidth;
  const edges = numpyArange(lowBound, highBound, binWidth);
  if (edges.length === 1) return Float64Array.of(edges[0]! - 0.5, edges[0]! + 0.5);
  if (edges.length === 0) {
    throw new Error(`binWidth ${binWidth} gives no bins for ROI range [${minimum}, ${maximum}]`);
  }
  return edges;
}

/**
 * numpy.digitize(x, edges) for increasing edges (right=False): the number of edges <= x, found by
 * binary search (numpy's searchsorted side='right').
 */
export function digitize(x: number, edges: Float64Array): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * PyRadiomics binImage: bin edges from the ROI voxels (mask != 0), then numpy.digitize of every ROI
 * voxel; voxels outside the ROI get level 0. nLevels is the highest level in the ROI (PyRadiomics Ng).
 */
export function discretise(
  image: ArrayLike<number>,
  mask: Uint8Array,
  opts: DiscretisationOptions,
): Discretised {
  if (image.length !== mask.length) {
    throw new Error(`image has ${image.length} voxels but mask has ${mask.length}`);
  }
  const roiIndex = roiIndices(mask);
  if (roiIndex.length === 0) throw new Error("cannot discretise: the mask has no ROI voxels");
  return discretiseRoi(gatherRoiValues(image, roiIndex), roiIndex, mask.length, opts);
}

/** Positions of the nonzero voxels of a mask, ascending. */
export function roiIndices(mask: Uint8Array): Int32Array {
  return nonZeroPositions(mask);
}

/**
 * The image values at `roiIndex`, as float32 when the image is float32 (bin edges depend on it,
 * as numpy's do on the array's dtype), else float64.
 */
export function gatherRoiValues(
  image: ArrayLike<number>,
  roiIndex: Int32Array,
): Float32Array | Float64Array {
  return gatherValues(image, roiIndex);
}

/**
 * binImage from the ROI values already gathered (`roiValues[c]` is the voxel at `roiIndex[c]` of an
 * array of `total` voxels): edges from the values, then numpy.digitize of each.
 */
export function discretiseRoi(
  roiValues: Float32Array | Float64Array,
  roiIndex: Int32Array,
  total: number,
  opts: DiscretisationOptions,
): Discretised {
  if (roiValues.length !== roiIndex.length) {
    throw new Error(`${roiValues.length} ROI values but ${roiIndex.length} ROI positions`);
  }
  if (roiValues.length === 0) throw new Error("cannot discretise: the mask has no ROI voxels");
  const edges = binEdges(roiValues, opts);
  // The edges are (nearly) evenly spaced: each search starts from the interpolated position and
  // steps to the exact count of edges <= x, which is numpy.digitize whatever the guess.
  const last = edges.length - 1;
  const scale = last > 0 ? last / (edges[last]! - edges[0]!) : 0;
  const { levels, highest: nLevels } = digitizeValues(roiValues, roiIndex, edges, scale, total);
  return { levels, nLevels, edges };
}
