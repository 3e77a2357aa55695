/**
 * Voxel-based GLRLM and GLSZM (binding and documentation: src/kernels/voxel-runs-zones.ts): every
 * kernel of a derived image in one call, each kernel going through the same steps as the
 * segment-based classes (src/features/glrlm.ts, glszm.ts) on the kernel's DiscretisedRoi, with the
 * same zone search and feature formulas (glszmZones, glrlmFeatures, zoneFeatures) and runs counted
 * to the same integers as glrlmRuns, so every value is bit-identical to that path. PyRadiomics computes a kernel's matrices with cmatrices' calculate_glrlm /
 * calculate_glszm on the kernel box (voxel mode, set_bb) and its features with glrlm.py / glszm.py.
 *
 * Inputs shared by both: the grid's levels (Int32) and mask (Uint8), nx x ny x nz, x fastest; 6
 * Int32 per kernel, its box (lower x, y, z, upper x, y, z, inclusive); shapeOf[k], the kernel's
 * angle table (angleStart, angleCount per table; angles: dx, dy, dz per angle), the angles
 * PyRadiomics' build_angles gives for the box's shape. Output: 16 doubles per kernel.
 */
import { glrlmRuns } from "./runs";
import {
  glrlmFeatureScratchBytes,
  glrlmFeatures,
  zoneFeatureScratchBytes,
  zoneFeatures,
} from "./texture-features";
import {
  align16,
  boxLowX,
  boxLowY,
  boxLowZ,
  boxSizeX,
  boxSizeY,
  boxSizeZ,
  f64At,
  i32At,
  rankPresent,
  readBox,
} from "./voxel-common";
import { glszmZones } from "./zones";

/** Doubles per kernel in the output table (both classes' tables have 16 slots). */
const TABLE: i32 = 16;

// The kernel being processed (gatherKernel): its bordered grid's strides, ROI voxel count and the
// number of gray levels it holds.
let boxSx: i32 = 0;
let boxSy: i32 = 0;
let boxSz: i32 = 0;
let roiCount: i32 = 0;
let levelCount: i32 = 0;

/**
 * Kernel k's box (readBox) copied into `cells` with a border of one cell on every side (as
 * texture-common's borderedGrid: the level for ROI voxels, 0 for other voxels, -1 on the border;
 * one cell suffices, every angle has distance 1 and no extent along an axis of size 1), its ROI
 * cells in x-fastest order, and its gray levels: levelIndex[g] = rank of g among the levels
 * present (levelIndex must hold -1 everywhere on entry; releaseLevels restores it), grayLevels
 * ascending (inspectTextureRoi's grayLevels and levelIndex).
 */
function gatherKernel(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  boxes: usize,
  k: i32,
  cells: usize,
  roiVoxels: usize,
  levelIndex: usize,
  grayLevels: usize,
): void {
  readBox(boxes, k);
  const lx = boxLowX;
  const ly = boxLowY;
  const lz = boxLowZ;
  const bx = boxSizeX;
  const by = boxSizeY;
  const bz = boxSizeZ;
  const sx = bx + 2;
  const sy = by + 2;
  const sz = bz + 2;
  memory.fill(cells, 0xff, (<usize>(sx * sy * sz)) << 2);
  let r = 0;
  let lowest = i32.MAX_VALUE;
  let highest = 0;
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      let v = lx + nx * (ly + y + ny * (lz + z));
      let p = 1 + sx * (y + 1 + sy * (z + 1));
      for (let x = 0; x < bx; x++, v++, p++) {
        if (load<u8>(mask + <usize>v) === 0) {
          store<i32>(i32At(cells, p), 0);
          continue;
        }
        const level = load<i32>(i32At(levels, v));
        store<i32>(i32At(cells, p), level);
        store<i32>(i32At(roiVoxels, r), p);
        r++;
        store<i32>(i32At(levelIndex, level), 0);
        if (level < lowest) lowest = level;
        if (level > highest) highest = level;
      }
    }
  }
  boxSx = sx;
  boxSy = sy;
  boxSz = sz;
  roiCount = r;
  levelCount = rankPresent<i32>(levelIndex, lowest, highest, grayLevels, 0);
}

/** levelIndex back to -1 at the current kernel's levels. */
function releaseLevels(levelIndex: usize, grayLevels: usize): void {
  for (let i = 0; i < levelCount; i++) {
    store<i32>(i32At(levelIndex, load<i32>(i32At(grayLevels, i))), -1);
  }
}

/** Grid step of each of the kernel's angles (texture-common's gridOffsets). */
function angleSteps(angles: usize, first: i32, count: i32, steps: usize): void {
  for (let a = 0; a < count; a++) {
    const t = angles + ((<usize>(3 * (first + a))) << 2);
    const step = load<i32>(t) + boxSx * (load<i32>(t, 4) + boxSy * load<i32>(t, 8));
    store<i32>(i32At(steps, a), step);
  }
}

/**
 * Whether some line of the kernel's bordered grid along `step` holds more than one ROI voxel
 * (PyRadiomics calculate_glrlm's multiElement test; glrlm.ts lineHoldsTwoRoiVoxels): each line
 * walked from its first voxel to the border.
 */
function lineHoldsTwoRoiVoxels(cells: usize, step: i32): bool {
  for (let z = 1; z < boxSz - 1; z++) {
    for (let y = 1; y < boxSy - 1; y++) {
      for (let x = 1, v = 1 + boxSx * (y + boxSy * z); x < boxSx - 1; x++, v++) {
        if (load<i32>(i32At(cells, v - step)) !== -1) continue;
        let elements = 0;
        for (let j = v; load<i32>(i32At(cells, j)) !== -1; j += step) {
          if (load<i32>(i32At(cells, j)) > 0 && ++elements > 1) return true;
        }
      }
    }
  }
  return false;
}

/**
 * glrlmRuns' counts and adjacency flags (the same integers, as doubles) for positive steps (every
 * mono-directional angle: its first non-zero offset in numpy order is +1), without branches on the
 * data: each ROI voxel, in ascending cell order, extends the run of its predecessor along the step
 * (runLength[v - step] + 1, or 1 when the predecessor is not of its level) and adds 1 at its run's
 * (level, length) cell when its successor ends the run (0 otherwise: the run's cells are visited
 * once per voxel). adjacent[a] = 1 when some ROI voxel's successor is an ROI voxel, as glrlmRuns'
 * "a run longer than one voxel or ending on another ROI voxel"; runTotals[a] = the number of runs
 * (the matrix's sum, exactly: its cells are integers). runLength: one Int32 per cell.
 */
function countRuns(
  cells: usize,
  roiVoxels: usize,
  steps: usize,
  angleCount: i32,
  levelIndex: usize,
  maxRun: i32,
  levels: i32,
  counts: usize,
  adjacent: usize,
  runTotals: usize,
  runLength: usize,
): void {
  const block = levels * maxRun;
  memory.fill(counts, 0, (<usize>(angleCount * block)) << 3);
  for (let a = 0; a < angleCount; a++) {
    const step = load<i32>(i32At(steps, a));
    const stepBytes = (<isize>step) << 2;
    const base = counts + ((<usize>(a * block)) << 3);
    let touching = 0;
    let runs = 0;
    for (let r = 0; r < roiCount; r++) {
      const cell = i32At(cells, load<i32>(i32At(roiVoxels, r)));
      const level = load<i32>(cell);
      const run = runLength + (cell - cells);
      const length = select<i32>(
        load<i32>(run - stepBytes) + 1,
        1,
        load<i32>(cell - stepBytes) === level,
      );
      store<i32>(run, length);
      const next = load<i32>(cell + stepBytes);
      touching |= <i32>(next > 0);
      runs += <i32>(next !== level);
      const at = f64At(base, load<i32>(i32At(levelIndex, level)) * maxRun + length - 1);
      store<f64>(at, load<f64>(at) + <f64>(next !== level));
    }
    store<i32>(i32At(adjacent, a), touching);
    store<i32>(i32At(runTotals, a), runs);
  }
}

// Scratch layout (byte offsets from the scratch base), set by layoutGlrlm / layoutGlszm.
let atCells: usize = 0;
let atRoi: usize = 0;
let atLevelIndex: usize = 0;
let atGrayLevels: usize = 0;
let atSteps: usize = 0;
let atAdjacent: usize = 0;
let atCounts: usize = 0;
let atWeighted: usize = 0;
let atRunCounts: usize = 0;
let atRunLength: usize = 0;
let atRunTotals: usize = 0;
let atStack: usize = 0;
let atZoneLevel: usize = 0;
let atZoneSize: usize = 0;
let atLargest: usize = 0;
let atSizeColumn: usize = 0;
let atIvector: usize = 0;
let atJvector: usize = 0;
let atMatrix: usize = 0;
let atFeatures: usize = 0;

/** The common head of both layouts; returns its end. */
function layoutKernel(
  base: usize,
  maxCells: i32,
  maxVoxels: i32,
  nLevels: i32,
  angles: i32,
): usize {
  const levels = min(maxVoxels, nLevels);
  atCells = base;
  atRoi = align16(atCells + ((<usize>maxCells) << 2));
  atLevelIndex = align16(atRoi + ((<usize>maxVoxels) << 2));
  atGrayLevels = align16(atLevelIndex + ((<usize>(nLevels + 1)) << 2));
  atSteps = align16(atGrayLevels + ((<usize>levels) << 2));
  return align16(atSteps + ((<usize>angles) << 2));
}

/** The current kernel's first angle in the angle table (set by beginKernel). */
let firstAngle: i32 = 0;

/**
 * Kernel k, as both classes begin it: gatherKernel into layoutKernel's arrays, then the angles of
 * its box shape (shapeOf, angleStart, angleCount) as grid steps (angleSteps) into the steps array;
 * returns the number of angles.
 */
function beginKernel(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  boxes: usize,
  k: i32,
  shapeOf: usize,
  angleStart: usize,
  angleCount: usize,
  angles: usize,
): i32 {
  gatherKernel(levels, mask, nx, ny, boxes, k, atCells, atRoi, atLevelIndex, atGrayLevels);
  const shape = load<i32>(i32At(shapeOf, k));
  firstAngle = load<i32>(i32At(angleStart, shape));
  const count = load<i32>(i32At(angleCount, shape));
  angleSteps(angles, firstAngle, count, atSteps);
  return count;
}

/**
 * GLRLM scratch from `base` for kernels of at most maxCells bordered cells, maxVoxels voxels,
 * runs up to maxRun and `angles` angles, levels 1..nLevels; returns its end.
 */
function layoutGlrlm(
  base: usize,
  maxCells: i32,
  maxVoxels: i32,
  nLevels: i32,
  maxRun: i32,
  angles: i32,
): usize {
  const levels = min(maxVoxels, nLevels);
  const block = <usize>levels * <usize>maxRun;
  atAdjacent = layoutKernel(base, maxCells, maxVoxels, nLevels, angles);
  atCounts = align16(atAdjacent + ((<usize>angles) << 2));
  atWeighted = align16(atCounts + ((<usize>angles * block) << 3));
  atRunCounts = align16(atWeighted + (block << 3));
  atRunLength = align16(atRunCounts + ((<usize>angles) << 3));
  atRunTotals = align16(atRunLength + ((<usize>maxCells) << 2));
  atFeatures = align16(atRunTotals + ((<usize>angles) << 2));
  return atFeatures + glrlmFeatureScratchBytes(angles, levels, maxRun);
}

/** Bytes of scratch voxelGlrlm needs (the bounds as layoutGlrlm's). */
export function voxelGlrlmScratchBytes(
  maxCells: i32,
  maxVoxels: i32,
  nLevels: i32,
  maxRun: i32,
  angles: i32,
): usize {
  return layoutGlrlm(0, maxCells, maxVoxels, nLevels, maxRun, angles) + 16;
}

/**
 * Every GLRLM feature of every kernel into out[16 k .. 16 k + 16) (GLRLM_CLASS.features order), as
 * glrlm.ts's glrlmMatrices and computeGlrlmFeatures: the runs per angle (countRuns) over the
 * kernel's present levels, an angle emptied when no line holds two ROI voxels, the angles summed
 * with weights[angle] when `weighted` (weightingNorm), empty angles dropped (all but a single
 * matrix), run counts summed in cell order (NaN when 0), then glrlmFeatures. The bounds are those
 * given to voxelGlrlmScratchBytes.
 */
export function voxelGlrlm(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  boxes: usize,
  kernelCount: i32,
  shapeOf: usize,
  angleStart: usize,
  angleCount: usize,
  angles: usize,
  weights: usize,
  weighted: bool,
  nLevels: i32,
  maxCells: i32,
  maxVoxels: i32,
  maxRun: i32,
  maxAngles: i32,
  scratch: usize,
  out: usize,
): void {
  layoutGlrlm(scratch, maxCells, maxVoxels, nLevels, maxRun, maxAngles);
  const cells = atCells;
  const roiVoxels = atRoi;
  const levelIndex = atLevelIndex;
  const grayLevels = atGrayLevels;
  const steps = atSteps;
  const adjacent = atAdjacent;
  const counts = atCounts;
  const runCounts = atRunCounts;
  const runTotals = atRunTotals;
  memory.fill(levelIndex, 0xff, (<usize>(nLevels + 1)) << 2);
  for (let k = 0; k < kernelCount; k++) {
    const na = beginKernel(levels, mask, nx, ny, boxes, k, shapeOf, angleStart, angleCount, angles);
    const first = firstAngle;
    const runLength = max(boxSx, max(boxSy, boxSz)) - 2;
    const n = levelCount;
    const block = n * runLength;
    const blockBytes = (<usize>block) << 3;
    let ascending = true;
    for (let a = 0; a < na; a++) if (load<i32>(i32At(steps, a)) <= 0) ascending = false;
    if (ascending) {
      countRuns(
        cells,
        roiVoxels,
        steps,
        na,
        levelIndex,
        runLength,
        n,
        counts,
        adjacent,
        runTotals,
        atRunLength,
      );
    } else {
      glrlmRuns(cells, roiVoxels, roiCount, steps, na, levelIndex, runLength, n, counts, adjacent);
    }
    for (let a = 0; a < na; a++) {
      if (load<i32>(i32At(adjacent, a)) !== 0) continue;
      if (!lineHoldsTwoRoiVoxels(cells, load<i32>(i32At(steps, a)))) {
        memory.fill(counts + <usize>a * blockBytes, 0, blockBytes);
        store<i32>(i32At(runTotals, a), 0);
      }
    }
    let matrices = counts;
    let m = na;
    if (weighted) {
      // texture-common's weightedAngleSum: angle after angle, from 0.
      matrices = atWeighted;
      memory.fill(matrices, 0, blockBytes);
      for (let a = 0; a < na; a++) {
        const w = load<f64>(f64At(weights, first + a));
        const src = counts + <usize>a * blockBytes;
        for (let c = 0; c < block; c++) {
          const at = f64At(matrices, c);
          store<f64>(at, load<f64>(at) + load<f64>(f64At(src, c)) * w);
        }
      }
      m = 1;
    }
    // angleSums and the compaction of glrlmMatrices, in place (a block only moves down); a sum of
    // integer counts is the run total exactly.
    const exactTotals = ascending && !weighted;
    let kept = 0;
    for (let a = 0; a < m; a++) {
      const src = matrices + <usize>a * blockBytes;
      let s: f64 = 0;
      if (exactTotals) s = <f64>load<i32>(i32At(runTotals, a));
      else for (let c = 0; c < block; c++) s += load<f64>(f64At(src, c));
      if (m > 1 && s === 0) continue;
      if (kept !== a) memory.copy(matrices + <usize>kept * blockBytes, src, blockBytes);
      store<f64>(f64At(runCounts, kept), s === 0 ? NaN : s);
      kept++;
    }
    const row = out + ((<usize>(TABLE * k)) << 3);
    glrlmFeatures(matrices, runCounts, kept, grayLevels, n, runLength, atFeatures, row);
    releaseLevels(levelIndex, grayLevels);
  }
}

/** Most distinct zone sizes in a kernel of `voxels` voxels (1 + 2 + ... + c <= voxels). */
function maxSizeColumns(voxels: i32): i32 {
  let c = 0;
  while (((c + 1) * (c + 2)) / 2 <= voxels) c++;
  return max(c, 1);
}

/** GLSZM scratch from `base` (bounds as layoutGlrlm's); returns its end. */
function layoutGlszm(base: usize, maxCells: i32, maxVoxels: i32, nLevels: i32, angles: i32): usize {
  const levels = min(maxVoxels, nLevels);
  const cols = maxSizeColumns(maxVoxels);
  const voxelBytes = (<usize>maxVoxels) << 2;
  atStack = layoutKernel(base, maxCells, maxVoxels, nLevels, angles);
  atZoneLevel = align16(atStack + voxelBytes);
  atZoneSize = align16(atZoneLevel + voxelBytes);
  atLargest = align16(atZoneSize + voxelBytes);
  atSizeColumn = align16(atLargest + 4);
  atIvector = align16(atSizeColumn + ((<usize>(maxVoxels + 1)) << 2));
  atJvector = align16(atIvector + ((<usize>levels) << 3));
  atMatrix = align16(atJvector + ((<usize>cols) << 3));
  atFeatures = align16(atMatrix + ((<usize>levels * <usize>cols) << 3));
  return atFeatures + zoneFeatureScratchBytes(levels, cols);
}

/** Bytes of scratch voxelGlszm needs. */
export function voxelGlszmScratchBytes(
  maxCells: i32,
  maxVoxels: i32,
  nLevels: i32,
  angles: i32,
): usize {
  return layoutGlszm(0, maxCells, maxVoxels, nLevels, angles) + 16;
}

/**
 * Every GLSZM feature of every kernel into out[16 k .. 16 k + 16) (zoneFeatures' ZONE_* slots), as
 * glszm.ts's glszmCounts and computeGlszmFeatures: the zones (glszmZones, connected through the
 * kernel's bidirectional angles, seeded in ROI order), the matrix with a row per gray level present
 * and a column per zone size that occurs (ascending), then zoneFeatures (glszm.py's large-high
 * term). The bounds are those given to voxelGlszmScratchBytes.
 */
export function voxelGlszm(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  boxes: usize,
  kernelCount: i32,
  shapeOf: usize,
  angleStart: usize,
  angleCount: usize,
  angles: usize,
  nLevels: i32,
  maxCells: i32,
  maxVoxels: i32,
  maxAngles: i32,
  scratch: usize,
  out: usize,
): void {
  layoutGlszm(scratch, maxCells, maxVoxels, nLevels, maxAngles);
  const cells = atCells;
  const roiVoxels = atRoi;
  const levelIndex = atLevelIndex;
  const grayLevels = atGrayLevels;
  const offsets = atSteps;
  const zoneLevel = atZoneLevel;
  const zoneSize = atZoneSize;
  const sizeColumn = atSizeColumn;
  const ivector = atIvector;
  const jvector = atJvector;
  const p = atMatrix;
  memory.fill(levelIndex, 0xff, (<usize>(nLevels + 1)) << 2);
  for (let k = 0; k < kernelCount; k++) {
    const na = beginKernel(levels, mask, nx, ny, boxes, k, shapeOf, angleStart, angleCount, angles);
    const zoneCount = glszmZones(
      cells,
      roiVoxels,
      roiCount,
      offsets,
      na,
      atStack,
      zoneLevel,
      zoneSize,
      atLargest,
    );
    const largest = load<i32>(atLargest);
    memory.fill(sizeColumn, 0xff, (<usize>(largest + 1)) << 2);
    for (let z = 0; z < zoneCount; z++)
      store<i32>(i32At(sizeColumn, load<i32>(i32At(zoneSize, z))), 0);
    const cols = rankPresent<f64>(sizeColumn, 1, largest, jvector, 0);
    const rows = levelCount;
    for (let i = 0; i < rows; i++) {
      store<f64>(f64At(ivector, i), <f64>load<i32>(i32At(grayLevels, i)));
    }
    memory.fill(p, 0, (<usize>(rows * cols)) << 3);
    for (let z = 0; z < zoneCount; z++) {
      const row = load<i32>(i32At(levelIndex, load<i32>(i32At(zoneLevel, z))));
      const col = load<i32>(i32At(sizeColumn, load<i32>(i32At(zoneSize, z))));
      const at = f64At(p, row * cols + col);
      store<f64>(at, load<f64>(at) + 1);
    }
    const row = out + ((<usize>(TABLE * k)) << 3);
    zoneFeatures(p, rows, cols, ivector, jvector, false, atFeatures, row);
    releaseLevels(levelIndex, grayLevels);
  }
}
