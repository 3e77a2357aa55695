/**
 * Helpers shared by the texture classes (GLCM, GLRLM, GLSZM, GLDM, NGTDM): feature-name resolution,
 * ROI validation and gray-level bookkeeping, PyRadiomics' neighbour angles as voxel offsets, a
 * zero-bordered copy of the discretised ROI that makes neighbour look-ups branch-free, and
 * numpy.nanmean.
 *
 * The ROI facts and the bordered grid are computed once per DiscretisedRoi object and shared by
 * every class that receives the same object (the extractor hands one object to all classes of a
 * derived image). A DiscretisedRoi must therefore not be modified in place after it has been passed
 * to a feature class; build a new object instead.
 */
import { zoneMarginalTable } from "../kernels/texture-features.js";
import { borderedRoiGrid, scanRoiLevels } from "../kernels/texture-roi.js";
import { generateAngles } from "./angles.js";
import { pairwiseSum } from "./numpy-compat.js";
import type { DiscretisedRoi, FeatureClassInfo, TextureSettings, WeightingNorm } from "./types.js";

/** numpy.spacing(1): PyRadiomics' eps in the entropy and MCC terms. */
export const NUMPY_EPS = 2.220446049250313e-16;

/**
 * The features to compute, in the order asked, after checking every name against the class.
 * Deprecated features are dropped: PyRadiomics raises a DeprecationWarning in their getters and
 * stores no value.
 */
export function resolveFeatureNames(info: FeatureClassInfo, names: readonly string[]): string[] {
  const known = new Set(info.features);
  const deprecated = new Set(info.deprecated);
  const wanted: string[] = [];
  for (const name of names) {
    if (!known.has(name)) {
      throw new Error(
        `${info.name}: unknown feature '${name}' (known: ${info.features.filter((f) => !deprecated.has(f)).join(", ")})`,
      );
    }
    if (!deprecated.has(name)) wanted.push(name);
  }
  return wanted;
}

/**
 * numpy.nanmean of a 1-D array: NaN entries are replaced by 0 and the array is summed with numpy's
 * pairwise summation, then divided by the number of non-NaN entries (NaN when there is none).
 */
export function nanMean(values: ArrayLike<number>): number {
  const n = values.length;
  if (nanMeanScratch.length < n) nanMeanScratch = new Float64Array(Math.max(n, 64));
  const filled = nanMeanScratch;
  let count = 0;
  for (let k = 0; k < n; k++) {
    const v = values[k]!;
    filled[k] = Number.isNaN(v) ? 0 : v;
    if (!Number.isNaN(v)) count++;
  }
  return count === 0 ? Number.NaN : pairwiseSum(filled, 0, n) / count;
}

/** nanMean's working array, reused (voxel-based extraction averages millions of values). */
let nanMeanScratch = new Float64Array(64);

/** Throws unless weightingNorm is one of the values PyRadiomics accepts. */
export function checkWeightingNorm(norm: WeightingNorm): void {
  if (
    norm !== null &&
    norm !== "manhattan" &&
    norm !== "euclidean" &&
    norm !== "infinity" &&
    norm !== "no_weighting"
  ) {
    throw new Error(
      `weightingNorm must be null, 'manhattan', 'euclidean', 'infinity' or 'no_weighting', got '${String(norm)}'`,
    );
  }
}

/** A validated discretised ROI: its grid in both axis orders and the gray levels it holds. */
/**
 * Components of an angle's physical length d = |a| * spacing (numpy axis order) from which the
 * GLCM and GLRLM weightingNorm weights are formed: max(d), sum(d) and sum(d^2).
 */
export function angleDistanceParts(
  angle: readonly number[],
  spacing: readonly number[],
): { max: number; sum: number; sumSq: number } {
  let max = 0;
  let sum = 0;
  let sumSq = 0;
  for (let d = 0; d < angle.length; d++) {
    const v = Math.abs(angle[d]!) * spacing[d]!;
    if (v > max) max = v;
    sum += v;
    sumSq += v * v;
  }
  return { max, sum, sumSq };
}

/**
 * PyRadiomics' weightingNorm for GLCM and GLRLM: the per-angle matrices (`na` blocks of `block`
 * cells) summed into one, each weighted by `weight(angle index)` (in angle order, as its
 * `numpy.sum(P * weights, axis=-1)`).
 */
export function weightedAngleSum(
  counts: Float64Array,
  na: number,
  block: number,
  weight: (angle: number) => number,
): Float64Array<ArrayBuffer> {
  const weighted = new Float64Array(block);
  for (let a = 0; a < na; a++) {
    const w = weight(a);
    const base = a * block;
    for (let c = 0; c < block; c++) weighted[c] = weighted[c]! + counts[base + c]! * w;
  }
  return weighted;
}

/**
 * Sum of each angle's matrix, and how many angles are non-empty (PyRadiomics drops empty angles
 * before normalising; a single matrix is always kept).
 */
export function angleSums(
  mats: Float64Array,
  na: number,
  block: number,
): { sums: Float64Array; kept: number } {
  const sums = new Float64Array(na);
  for (let a = 0; a < na; a++) {
    let s = 0;
    const base = a * block;
    for (let c = 0; c < block; c++) s += mats[base + c]!;
    sums[a] = s;
  }
  let kept = na;
  if (na > 1) {
    kept = 0;
    for (let a = 0; a < na; a++) if (sums[a] !== 0) kept++;
  }
  return { sums, kept };
}

export interface TextureRoi {
  nx: number;
  ny: number;
  nz: number;
  /** Array shape in numpy axis order: (z, y, x) in 3D, (y, x) for a true 2D image. */
  shape: number[];
  /** Voxel spacing in numpy axis order (SimpleITK GetSpacing()[::-1]). */
  spacing: number[];
  /** Number of ROI voxels. */
  voxelCount: number;
  /** Highest gray level in the ROI (PyRadiomics' coefficient Ng). */
  maxLevel: number;
  /** Gray levels present in the ROI, ascending (PyRadiomics' coefficient grayLevels). */
  grayLevels: Int32Array;
  /** How many levels PyRadiomics' matrices have: the whole ROI's in voxel mode, else grayLevels'. */
  matrixLevelCount: number;
  /** levelIndex[g] = position of gray level g in grayLevels, -1 when absent (length maxLevel + 1). */
  levelIndex: Int32Array;
}

/**
 * The ROI copied into a grid with a border of `pad[axis]` voxels on both sides of each axis. Cells
 * hold the gray level (>= 1) for ROI voxels, 0 for voxels of the array outside the ROI and -1 for
 * the border, so a neighbour at any offset within the border is looked up without bounds checks:
 * `data[v + offset] > 0` exactly when the neighbour lies inside the array and the ROI.
 */
export interface BorderedGrid {
  data: Int32Array;
  /** Size of the bordered grid along x, y, z. */
  size: [number, number, number];
  pad: [number, number, number];
  /** Index in `data` of every ROI voxel, in the original x-fastest order. */
  roiVoxels: Int32Array;
}

interface CacheEntry {
  levels: Int32Array;
  mask: Uint8Array;
  size: readonly number[];
  dimension: number;
  info: TextureRoi;
  grid?: BorderedGrid;
}

const cache = new WeakMap<DiscretisedRoi, CacheEntry>();

function cached(roi: DiscretisedRoi): CacheEntry | undefined {
  const entry = cache.get(roi);
  if (
    entry &&
    entry.levels === roi.levels &&
    entry.mask === roi.mask &&
    entry.dimension === roi.dimension &&
    entry.size[0] === roi.size[0] &&
    entry.size[1] === roi.size[1] &&
    entry.size[2] === roi.size[2]
  ) {
    return entry;
  }
  return undefined;
}

/**
 * Checks a discretised ROI (size, array lengths, dimension, levels >= 1 inside the mask, at least
 * one voxel) and gathers its gray levels; throws an Error naming the class and the problem.
 */
export function inspectTextureRoi(roi: DiscretisedRoi, className: string): TextureRoi {
  const hit = cached(roi);
  if (hit) return hit.info;
  const [nx, ny, nz] = roi.size;
  for (const n of roi.size) {
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(
        `${className}: ROI size must be positive integers, got ${roi.size.join("x")}`,
      );
    }
  }
  let shape: number[];
  let spacing: number[];
  if (roi.dimension === 2) {
    if (nz !== 1) {
      throw new Error(`${className}: a 2D ROI must have z size 1, got ${roi.size.join("x")}`);
    }
    shape = [ny, nx];
    spacing = [roi.spacing[1], roi.spacing[0]];
  } else if (roi.dimension === 3) {
    shape = [nz, ny, nx];
    spacing = [roi.spacing[2], roi.spacing[1], roi.spacing[0]];
  } else {
    throw new Error(`${className}: ROI dimension must be 2 or 3, got ${String(roi.dimension)}`);
  }
  const total = nx * ny * nz;
  if (roi.levels.length !== total) {
    throw new Error(
      `${className}: ROI levels has ${roi.levels.length} voxels, size ${roi.size.join("x")} needs ${total}`,
    );
  }
  if (roi.mask.length !== total) {
    throw new Error(
      `${className}: ROI mask has ${roi.mask.length} voxels, size ${roi.size.join("x")} needs ${total}`,
    );
  }
  const { levels, mask } = roi;
  // Voxel count, highest level and the levels present: one scan in the WebAssembly kernel
  // (src/kernels/assembly/texture-roi.ts). Voxel mode sizes the level index for the whole ROI's.
  const roiLevels = roi.roiGrayLevels;
  const levelsUpTo = roiLevels && roiLevels.length > 0 ? roiLevels[roiLevels.length - 1]! : 0;
  const scan = scanRoiLevels(levels, mask, levelsUpTo);
  if (scan.badVoxel >= 0) {
    throw new Error(
      `${className}: ROI voxel ${scan.badVoxel} has gray level ${levels[scan.badVoxel]}; levels must be >= 1`,
    );
  }
  const { voxelCount, maxLevel, levelIndex } = scan;
  if (voxelCount === 0) throw new Error(`${className}: the ROI mask is empty`);
  let count = 0;
  for (let g = 1; g <= maxLevel; g++) if (levelIndex[g] === 0) levelIndex[g] = count++;
  const grayLevels = new Int32Array(count);
  for (let g = 1; g <= maxLevel; g++) if (levelIndex[g]! >= 0) grayLevels[levelIndex[g]!] = g;
  const info: TextureRoi = {
    nx,
    ny,
    nz,
    shape,
    spacing,
    voxelCount,
    maxLevel,
    grayLevels,
    matrixLevelCount: roiLevels ? roiLevels.length : count,
    levelIndex,
  };
  cache.set(roi, {
    levels,
    mask,
    size: [nx, ny, nz],
    dimension: roi.dimension,
    info,
  });
  return info;
}

/**
 * The bordered copy of the ROI with a border of at least `reach[axis]` voxels along each axis
 * (capped at size - 1, the largest offset an angle can have along that axis).
 */
export function borderedGrid(
  roi: DiscretisedRoi,
  reach: readonly [number, number, number],
  className: string,
): BorderedGrid {
  const info = inspectTextureRoi(roi, className);
  const entry = cached(roi)!;
  const dims = [info.nx, info.ny, info.nz];
  const pad: [number, number, number] = [0, 0, 0];
  for (let a = 0; a < 3; a++) pad[a] = Math.min(Math.max(reach[a]!, 0), dims[a]! - 1);
  const old = entry.grid;
  if (old && old.pad[0] >= pad[0] && old.pad[1] >= pad[1] && old.pad[2] >= pad[2]) return old;
  if (old) for (let a = 0; a < 3; a++) pad[a] = Math.max(pad[a]!, old.pad[a]!);
  const { nx, ny, nz } = info;
  const sx = nx + 2 * pad[0];
  const sy = ny + 2 * pad[1];
  const sz = nz + 2 * pad[2];
  const { data, roiVoxels } = borderedRoiGrid(
    roi.levels,
    roi.mask,
    [nx, ny, nz],
    pad,
    info.voxelCount,
  );
  const grid: BorderedGrid = { data, size: [sx, sy, sz], pad, roiVoxels };
  entry.grid = grid;
  return grid;
}

/** PyRadiomics' neighbour angles as offsets along radscore's x, y, z voxel axes. */
export interface NeighbourOffsets {
  count: number;
  dx: Int32Array;
  dy: Int32Array;
  dz: Int32Array;
  /** The angles in numpy axis order, as PyRadiomics lists them (for the distance weights). */
  angles: number[][];
  /** Largest |offset| along x, y, z. */
  reach: [number, number, number];
}

/**
 * The angles of PyRadiomics' C extension (build_angles over the cropped array, numpy axes (z, y, x)
 * in 3D or (y, x) in 2D, each axis limited by the array size; force2D drops force2Ddimension):
 * every angle for `bidirectional` (GLSZM, GLDM, NGTDM), else one of each mirrored pair (GLCM,
 * GLRLM). Throws for empty, non-integer, repeated or non-positive distances, and when no angle
 * fits the array (PyRadiomics: "Error getting angle count.").
 */
export function neighbourOffsets(
  info: Pick<TextureRoi, "shape">,
  distances: readonly number[],
  settings: Pick<TextureSettings, "force2D" | "force2Ddimension">,
  bidirectional: boolean,
  className: string,
): NeighbourOffsets {
  if (distances.length === 0) throw new Error(`${className}: setting 'distances' is empty`);
  for (const d of distances) {
    if (!Number.isInteger(d) || d < 1) {
      throw new Error(`${className}: setting 'distances' must hold integers >= 1, got ${d}`);
    }
  }
  if (new Set(distances).size !== distances.length) {
    throw new Error(`${className}: setting 'distances' repeats a value: [${distances.join(", ")}]`);
  }
  if (settings.force2D && ![0, 1, 2].includes(settings.force2Ddimension)) {
    throw new Error(
      `${className}: setting 'force2Ddimension' must be 0, 1 or 2, got ${settings.force2Ddimension}`,
    );
  }
  const force2Ddimension = settings.force2D ? settings.force2Ddimension : -1;
  const key = `${info.shape.join("x")}|${distances.join(",")}|${bidirectional}|${force2Ddimension}`;
  const known = offsetsCache.get(key);
  if (known) return known;
  const angles = generateAngles({ shape: info.shape, distances, bidirectional, force2Ddimension });
  const count = angles.length;
  if (count === 0) {
    throw new Error(
      `${className}: no neighbour angles for an array of shape (${info.shape.join(", ")})` +
        (settings.force2D ? ` with force2D and force2Ddimension ${settings.force2Ddimension}` : ""),
    );
  }
  const out: NeighbourOffsets = {
    count,
    dx: new Int32Array(count),
    dy: new Int32Array(count),
    dz: new Int32Array(count),
    angles,
    reach: [0, 0, 0],
  };
  for (let a = 0; a < count; a++) {
    const angle = angles[a]!;
    const ox = angle[angle.length - 1]!;
    const oy = angle[angle.length - 2]!;
    const oz = angle.length === 3 ? angle[0]! : 0;
    out.dx[a] = ox;
    out.dy[a] = oy;
    out.dz[a] = oz;
    out.reach[0] = Math.max(out.reach[0], Math.abs(ox));
    out.reach[1] = Math.max(out.reach[1], Math.abs(oy));
    out.reach[2] = Math.max(out.reach[2], Math.abs(oz));
  }
  if (offsetsCache.size >= 256) offsetsCache.clear();
  offsetsCache.set(key, out);
  return out;
}

/**
 * Offsets by array shape and settings: voxel-based extraction asks for the same few kernel shapes
 * thousands of times. The objects are shared, so callers only read them.
 */
const offsetsCache = new Map<string, NeighbourOffsets>();

/** Flat-index offset of each angle in a bordered grid. */
export function gridOffsets(nb: NeighbourOffsets, grid: BorderedGrid): Int32Array {
  const [sx, sy] = grid.size;
  const out = new Int32Array(nb.count);
  for (let a = 0; a < nb.count; a++) out[a] = nb.dx[a]! + sx * (nb.dy[a]! + sy * nb.dz[a]!);
  return out;
}

// Zone-type matrices (GLSZM and GLDM share their formulas on P(i, j)).

/**
 * Features shared by the zone-type matrices (GLSZM and GLDM have the same formulas on P(i, j)):
 * gray-level marginal pg, column marginal pc, and the matrix itself with empty rows and columns
 * removed, as PyRadiomics deletes them before computing features.
 */
export interface CompactZoneMatrix {
  /** Row-major rows x cols counts. */
  p: Float64Array;
  rows: number;
  cols: number;
  /** Gray level of each row (as float). */
  ivector: Float64Array;
  /** Zone size / dependence size of each column. */
  jvector: Float64Array;
  /** Row sums (np.sum(P, 2)). */
  pg: Float64Array;
  /** Column sums (np.sum(P, 1)). */
  pc: Float64Array;
  /** Total count (np.sum of the column sums). */
  nz: number;
}

/**
 * A compacted zone matrix with its marginals: row sums pg (np.sum(P, 2), numpy pairwise order),
 * column sums pc (np.sum(P, 1), accumulated row by row) and their total Nz, computed in the
 * WebAssembly kernel (src/kernels/assembly/texture-features.ts).
 */
export function zoneMatrix(
  p: Float64Array,
  ivector: Float64Array,
  jvector: Float64Array,
): CompactZoneMatrix {
  const rows = ivector.length;
  const cols = jvector.length;
  if (p.length !== rows * cols) {
    throw new Error(`zone matrix has ${p.length} cells, expected ${rows} x ${cols}`);
  }
  const { pg, pc, nz } = zoneMarginalTable(p, rows, cols);
  return { p, rows, cols, ivector, jvector, pg, pc, nz };
}

const gridScratchSlots: Int32Array[] = [];

/**
 * A per-grid-cell Int32 work array of at least `length` cells, grown on demand and reused across
 * calls (nothing here yields, so calls never overlap); `slot` tells apart arrays used together.
 * Contents are left over from earlier use: callers reset the cells they read.
 */
export function gridScratch(slot: number, length: number): Int32Array {
  const have = gridScratchSlots[slot];
  if (have && have.length >= length) return have;
  const fresh = new Int32Array(length);
  gridScratchSlots[slot] = fresh;
  return fresh;
}
