/**
 * Binding of the texture feature-formula kernels (src/kernels/assembly/texture-features.ts): every
 * feature of a GLRLM, zone-type (GLSZM / GLDM) or NGTDM computation in one call, as a small table.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface TextureFeatureExports extends KernelExports {
  glrlmFeatureScratchBytes(angleCount: number, levels: number, maxRun: number): number;
  glrlmFeatures(
    matrices: number,
    runCounts: number,
    angleCount: number,
    grayLevels: number,
    levels: number,
    maxRun: number,
    scratch: number,
    out: number,
  ): void;
  zoneFeatureScratchBytes(rows: number, cols: number): number;
  zoneFeatures(
    p: number,
    rows: number,
    cols: number,
    ivector: number,
    jvector: number,
    groupedLargeHigh: number,
    scratch: number,
    out: number,
  ): void;
  zoneMatrixMarginals(p: number, rows: number, cols: number, pg: number, pc: number): number;
  gldmCounts(
    grid: number,
    roiVoxels: number,
    roiCount: number,
    dependent: number,
    maxLevel: number,
    columns: number,
    counts: number,
  ): void;
  gldmFeatureScratchBytes(maxLevel: number, columns: number): number;
  gldmFeatures(
    grid: number,
    roiVoxels: number,
    roiCount: number,
    dependent: number,
    maxLevel: number,
    columns: number,
    present: number,
    scratch: number,
    out: number,
  ): void;
  ngtdmTallies(
    grid: number,
    roiVoxels: number,
    roiCount: number,
    neighbours: number,
    sums: number,
    count: number,
    sumAbsDiff: number,
  ): void;
  ngtdmFeatureScratchBytes(maxLevel: number, presentLevels: number): number;
  ngtdmFeatures(
    count: number,
    sumAbsDiff: number,
    maxLevel: number,
    scratch: number,
    out: number,
  ): void;
}

/** Number of GLRLM features; glrlmFeatureTable's slots follow GLRLM_CLASS.features. */
export const GLRLM_FEATURE_COUNT = 16;

/**
 * GLRLM features, each averaged over the angles with numpy.nanmean: `matrices` holds angleCount
 * run-length matrices (levels x maxRun), runCounts[a] their run count (NaN: an empty matrix).
 */
export function glrlmFeatureTable(
  matrices: Float64Array,
  runCounts: Float64Array,
  grayLevels: Int32Array,
  maxRun: number,
): Float64Array {
  const angleCount = runCounts.length;
  const levels = grayLevels.length;
  const cells = angleCount * levels * maxRun;
  if (matrices.length < cells) throw new Error("glrlmFeatureTable: matrices too short");
  const frame = new KernelFrame<TextureFeatureExports>();
  const m = frame.input(matrices.subarray(0, cells));
  const counts = frame.input(runCounts);
  const levelsAt = frame.input(grayLevels);
  const out = frame.reserve64(GLRLM_FEATURE_COUNT);
  const scratch = frame.reserveBytes(
    frame.wasm.glrlmFeatureScratchBytes(angleCount, levels, maxRun),
  );
  frame.commit();
  frame.wasm.glrlmFeatures(m, counts, angleCount, levelsAt, levels, maxRun, scratch, out);
  return frame.float64(out, GLRLM_FEATURE_COUNT).slice();
}

/** Slots of zoneFeatureTable's result. */
export const ZONE_SMALL_EMPHASIS = 0;
export const ZONE_LARGE_EMPHASIS = 1;
export const ZONE_GRAY_LEVEL_NON_UNIFORMITY = 2;
export const ZONE_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED = 3;
export const ZONE_SIZE_NON_UNIFORMITY = 4;
export const ZONE_SIZE_NON_UNIFORMITY_NORMALIZED = 5;
export const ZONE_GRAY_LEVEL_VARIANCE = 6;
export const ZONE_SIZE_VARIANCE = 7;
export const ZONE_ENTROPY = 8;
export const ZONE_LOW_GRAY_LEVEL_EMPHASIS = 9;
export const ZONE_HIGH_GRAY_LEVEL_EMPHASIS = 10;
export const ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS = 11;
export const ZONE_SMALL_HIGH_GRAY_LEVEL_EMPHASIS = 12;
export const ZONE_LARGE_LOW_GRAY_LEVEL_EMPHASIS = 13;
export const ZONE_LARGE_HIGH_GRAY_LEVEL_EMPHASIS = 14;
/** GLSZM's zone percentage Nz / Np. */
export const ZONE_PERCENTAGE = 15;
const ZONE_FEATURE_COUNT = 16;

/**
 * Every zone-type feature (slots ZONE_*) of a compacted matrix p (rows x cols, row-major; gray
 * level ivector[r], size / dependence size jvector[c]); its marginals are computed in the kernel.
 * groupedLargeHigh: the large-high emphasis term is P * (j^2 i^2) (gldm.py) instead of
 * (P i^2) j^2 (glszm.py).
 */
export function zoneFeatureTable(
  p: Float64Array,
  ivector: Float64Array,
  jvector: Float64Array,
  groupedLargeHigh: boolean,
): Float64Array {
  const rows = ivector.length;
  const cols = jvector.length;
  const cells = rows * cols;
  const frame = new KernelFrame<TextureFeatureExports>();
  const pAt = frame.input(p.subarray(0, cells));
  const ivectorAt = frame.input(ivector);
  const jvectorAt = frame.input(jvector);
  const out = frame.reserve64(ZONE_FEATURE_COUNT);
  const scratch = frame.reserveBytes(frame.wasm.zoneFeatureScratchBytes(rows, cols));
  frame.commit();
  frame.wasm.zoneFeatures(
    pAt,
    rows,
    cols,
    ivectorAt,
    jvectorAt,
    groupedLargeHigh ? 1 : 0,
    scratch,
    out,
  );
  return frame.float64(out, ZONE_FEATURE_COUNT).slice();
}

/**
 * Marginals of a zone matrix p (rows x cols, row-major): row sums pg (each row in numpy's
 * pairwise order), column sums pc (accumulated row by row) and their total nz (pairwise).
 */
export function zoneMarginalTable(
  p: Float64Array,
  rows: number,
  cols: number,
): { pg: Float64Array; pc: Float64Array; nz: number } {
  const cells = rows * cols;
  const frame = new KernelFrame<TextureFeatureExports>();
  const pAt = frame.input(p.subarray(0, cells));
  const pg = frame.reserve64(rows);
  const pc = frame.reserve64(cols);
  frame.commit();
  const nz = frame.wasm.zoneMatrixMarginals(pAt, rows, cols, pg, pc);
  return { pg: frame.float64(pg, rows).slice(), pc: frame.float64(pc, cols).slice(), nz };
}

/** The per-voxel tallies behind a GLDM (see src/features/gldm.ts). */
export interface GldmTallies {
  /** Bordered grid: each ROI cell holds its gray level. */
  grid: Int32Array;
  roiVoxels: Int32Array;
  /** Per grid cell: number of dependent neighbours of the ROI voxel there. */
  dependent: Int32Array;
  maxLevel: number;
  /** Number of angles + 1. */
  columns: number;
}

function gldmFrame(t: GldmTallies, extraBytes: (wasm: TextureFeatureExports) => number) {
  const cellCount = t.grid.length;
  const roiCount = t.roiVoxels.length;
  const frame = new KernelFrame<TextureFeatureExports>();
  const grid = frame.reserve32(cellCount);
  const roi = frame.reserve32(roiCount);
  const dependent = frame.reserve32(cellCount);
  const extra = frame.reserveBytes(extraBytes(frame.wasm));
  return { frame, grid, roi, dependent, extra, cellCount, roiCount };
}

function copyGldmTallies(t: GldmTallies, at: ReturnType<typeof gldmFrame>): void {
  const { frame, cellCount, roiCount } = at;
  frame.commit();
  frame.int32(at.grid, cellCount).set(t.grid);
  frame.int32(at.roi, roiCount).set(t.roiVoxels);
  frame.int32(at.dependent, cellCount).set(t.dependent.subarray(0, cellCount));
}

/** The GLDM counts (maxLevel x columns, row-major), before empty rows / columns are removed. */
export function gldmCountTable(t: GldmTallies): Float64Array {
  const cells = t.maxLevel * t.columns;
  const at = gldmFrame(t, () => cells * 8);
  copyGldmTallies(t, at);
  at.frame.wasm.gldmCounts(
    at.grid,
    at.roi,
    at.roiCount,
    at.dependent,
    t.maxLevel,
    t.columns,
    at.extra,
  );
  return at.frame.float64(at.extra, cells).slice();
}

/**
 * Every zone-type feature (slots ZONE_*) of the GLDM: matrix filled, compacted (rows of levels g
 * with present[g] = 0 dropped, then empty columns) and evaluated in one kernel call.
 */
export function gldmFeatureTable(t: GldmTallies, present: Uint8Array): Float64Array {
  const at = gldmFrame(
    t,
    (wasm) => wasm.gldmFeatureScratchBytes(t.maxLevel, t.columns) + present.length + 16,
  );
  const presentAt = at.extra;
  const scratch = presentAt + Math.ceil(present.length / 16) * 16;
  const out = at.frame.reserve64(ZONE_FEATURE_COUNT);
  copyGldmTallies(t, at);
  at.frame.uint8(presentAt, present.length).set(present);
  at.frame.wasm.gldmFeatures(
    at.grid,
    at.roi,
    at.roiCount,
    at.dependent,
    t.maxLevel,
    t.columns,
    presentAt,
    scratch,
    out,
  );
  return at.frame.float64(out, ZONE_FEATURE_COUNT).slice();
}

/**
 * NGTDM n_i and s_i (index level - 1, maxLevel each) from the per-grid-cell neighbour counts and
 * neighbour level sums of the ROI voxels (`grid` holds each ROI cell's level).
 */
export function ngtdmTallyTable(
  grid: Int32Array,
  roiVoxels: Int32Array,
  neighbours: Int32Array,
  sums: Int32Array,
  maxLevel: number,
): { count: Float64Array; sumAbsDiff: Float64Array } {
  const cellCount = grid.length;
  const roiCount = roiVoxels.length;
  const frame = new KernelFrame<TextureFeatureExports>();
  const gridAt = frame.input(grid);
  const roi = frame.input(roiVoxels);
  const neighboursAt = frame.input(neighbours.subarray(0, cellCount));
  const sumsAt = frame.input(sums.subarray(0, cellCount));
  const count = frame.reserve64(maxLevel);
  const sumAbsDiff = frame.reserve64(maxLevel);
  frame.commit();
  frame.float64(count, maxLevel).fill(0);
  frame.float64(sumAbsDiff, maxLevel).fill(0);
  frame.wasm.ngtdmTallies(gridAt, roi, roiCount, neighboursAt, sumsAt, count, sumAbsDiff);
  return {
    count: frame.float64(count, maxLevel).slice(),
    sumAbsDiff: frame.float64(sumAbsDiff, maxLevel).slice(),
  };
}

/** Slots of ngtdmFeatureTable's result (NGTDM_CLASS.features order). */
export const NGTDM_FEATURE_COUNT = 5;

/** NGTDM features Busyness, Coarseness, Complexity, Contrast, Strength from n_i and s_i. */
export function ngtdmFeatureTable(count: Float64Array, sumAbsDiff: Float64Array): Float64Array {
  const maxLevel = count.length;
  let presentLevels = 0;
  for (let g = 0; g < maxLevel; g++) if (count[g] !== 0) presentLevels++;
  const frame = new KernelFrame<TextureFeatureExports>();
  const countAt = frame.input(count);
  const sumAt = frame.input(sumAbsDiff);
  const out = frame.reserve64(NGTDM_FEATURE_COUNT);
  const scratch = frame.reserveBytes(frame.wasm.ngtdmFeatureScratchBytes(maxLevel, presentLevels));
  frame.commit();
  frame.wasm.ngtdmFeatures(countAt, sumAt, maxLevel, scratch, out);
  return frame.float64(out, NGTDM_FEATURE_COUNT).slice();
}
