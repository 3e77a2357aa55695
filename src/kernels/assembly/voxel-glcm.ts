/**
 * Voxel-based GLCM features (binding: src/kernels/voxel-glcm.ts; caller: src/extract/voxel/glcm.ts):
 * every kernel of a derived image in one call, each kernel's values those computeGlcmFeatures
 * (src/features/glcm/compute.ts) gives on the kernel's DiscretisedRoi, as PyRadiomics' voxel mode
 * computes them (cmatrices calculate_glcm with set_bb per voxel, then glcm._calculateMatrix and the
 * feature getters).
 *
 * Per kernel: the box's ROI voxels and the gray levels present among them (the matrices' rows, Ng
 * the whole ROI's highest level), raw co-occurrence counts along the kernel's angles (the angles of
 * the box's shape: a clipped box can have fewer), P + P^T, the weightingNorm sum, empty angles
 * dropped, each matrix normalised; then the per-angle features (./glcm-features) and the MCC fast
 * path (./mcc), averaged over angles with numpy.nanmean (JointAverage numpy.mean). The steps are
 * those of glcmMatrices and computeGlcmFeatures operation for operation (counts are exact integers
 * in doubles; weights, sums and divisions in the same order; the same feature kernels), so every
 * value is bit-identical to the per-kernel path. Where MCC needs the general eigensolver the kernel
 * is flagged and the caller computes its MCC.
 */
import { glcmAngleFeatures, glcmFeaturesScratchBytes } from "./glcm-features";
import { normaliseMatrices, symmetriseMatrices, weightedMatrixSum } from "./glcm-matrices";
import { glcmMccScratchBytes, glcmMccSecondEigenvalues } from "./mcc";
import { getF64, getI32, room, setF64, setI32 } from "./memory-access";
import { pairwiseSum } from "./numpy-sum";
import { boxLowX, boxLowY, boxLowZ, boxSizeX, boxSizeY, boxSizeZ, readBox } from "./voxel-common";

/** Columns of the per-angle table of ./glcm-features (JointAverage is column 16). */
const ANGLE_FEATURES = 23;
const JOINT_AVERAGE = 16;
/** Columns of a kernel's row in `out`: the 23 angle features, then MCC. */
const COLUMNS = 24;

/** Flags: bit 0 symmetricalGLCM, bit 1 weightingNorm set, bit 2 MCC wanted. */
const SYMMETRICAL = 1;
const WEIGHTED = 2;
const WITH_MCC = 4;

// Working arrays, carved by layOutScratch out of the block the binding reserves
// (voxelGlcmScratchBytes bytes at `scratch`). Nothing in them is assumed zeroed.
/** i32[ng + 1]: kernel number + 1 at every level present in that kernel. */
let stamp: usize = 0;
/** i32[ng + 1]: a present level's row in the kernel's matrices. */
let levelIndex: usize = 0;
/** i32[maxN]: the kernel's present levels, ascending. */
let grayLevels: usize = 0;
/** i32[boxCells]: per box voxel (x fastest), its row, or -1 outside the mask. */
let local: usize = 0;
/** f64[maxAngles * maxN^2]: counts, then the normalised matrices of the kept angles. */
let counts: usize = 0;
/** f64[maxN^2]: the weightingNorm sum of the angles. */
let weighted: usize = 0;
/** f64[maxAngles]: each angle's matrix sum. */
let sums: usize = 0;
/** f64[23 * maxAngles]: per-angle feature table (feature-major). */
let table: usize = 0;
/** f64[maxAngles * maxN]: each angle's marginals. */
let px: usize = 0;
let py: usize = 0;
/** f64[maxAngles]: MCC's eigenvalues per angle; a column with NaN replaced by 0 (nanmean). */
let lambdas: usize = 0;
let filled: usize = 0;
/** Scratch of ./glcm-features and ./mcc. */
let featureScratch: usize = 0;
let mccScratch: usize = 0;

function layOutScratch(base: usize, maxN: i32, ng: i32, maxAngles: i32, boxCells: i32): usize {
  let at = (base + 15) & ~(<usize>15);
  stamp = at;
  at += room(ng + 1, 4);
  levelIndex = at;
  at += room(ng + 1, 4);
  grayLevels = at;
  at += room(maxN, 4);
  local = at;
  at += room(boxCells, 4);
  counts = at;
  at += room(maxAngles * maxN * maxN, 8);
  weighted = at;
  at += room(maxN * maxN, 8);
  sums = at;
  at += room(maxAngles, 8);
  table = at;
  at += room(ANGLE_FEATURES * maxAngles, 8);
  px = at;
  at += room(maxAngles * maxN, 8);
  py = at;
  at += room(maxAngles * maxN, 8);
  lambdas = at;
  at += room(maxAngles, 8);
  filled = at;
  at += room(maxAngles, 8);
  featureScratch = at;
  at += (glcmFeaturesScratchBytes(maxN, ng) + 15) & ~(<usize>15);
  mccScratch = at;
  at += (glcmMccScratchBytes(maxN) + 15) & ~(<usize>15);
  return at;
}

/**
 * Bytes of working memory voxelGlcm needs: at most maxN levels in a kernel, Ng = ng, at most
 * maxAngles angles and boxCells voxels per box.
 */
export function voxelGlcmScratchBytes(maxN: i32, ng: i32, maxAngles: i32, boxCells: i32): usize {
  return layOutScratch(0, maxN, ng, maxAngles, boxCells) + 16;
}

/** numpy.nanmean of the `count` doubles at `values` (texture-common.ts nanMean). */
function nanMean(values: usize, count: i32): f64 {
  let valid = 0;
  for (let a = 0; a < count; a++) {
    const v = getF64(values, a);
    if (Number.isNaN(v)) setF64(filled, a, 0);
    else {
      setF64(filled, a, v);
      valid++;
    }
  }
  return valid === 0 ? NaN : pairwiseSum(filled, count) / <f64>valid;
}

/**
 * The GLCM features of every kernel. The grid: `levels` (i32) and `mask` (u8), nx x ny x nz, x
 * fastest. Kernel k: its box at boxes[6k..6k+6) (lower x, y, z, upper x, y, z, inclusive) and its
 * angle set angleSet[k]; set s holds the angles setStart[s] .. setStart[s + 1) of angleOffsets
 * (i32 x, y, z each) and angleWeights (f64, read with weightingNorm). Writes out[k * 24 + c]: the
 * 23 features of ./glcm-features' table order averaged over angles, then MCC (NaN unless wanted);
 * fallback[k] = 1 where MCC needs the general eigensolver (its value then NaN), else 0.
 * matrixLevelCount: the whole ROI's number of levels (MCC of a one-level kernel).
 */
export function voxelGlcm(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  kernelCount: i32,
  boxes: usize,
  angleSet: usize,
  setStart: usize,
  angleOffsets: usize,
  angleWeights: usize,
  ng: i32,
  maxN: i32,
  maxAngles: i32,
  boxCells: i32,
  flags: i32,
  matrixLevelCount: i32,
  out: usize,
  fallback: usize,
  scratch: usize,
): void {
  layOutScratch(scratch, maxN, ng, maxAngles, boxCells);
  memory.fill(stamp, 0, (<usize>(ng + 1)) << 2);
  const symmetrical = (flags & SYMMETRICAL) !== 0;
  const isWeighted = (flags & WEIGHTED) !== 0;
  const withMcc = (flags & WITH_MCC) !== 0;
  for (let k = 0; k < kernelCount; k++) {
    readBox(boxes, k);
    const x0 = boxLowX;
    const y0 = boxLowY;
    const z0 = boxLowZ;
    const bx = boxSizeX;
    const by = boxSizeY;
    const bz = boxSizeZ;
    // The kernel's levels (inspectTextureRoi: the levels present, ascending).
    const mark = k + 1;
    let cell = 0;
    for (let z = 0; z < bz; z++) {
      for (let y = 0; y < by; y++) {
        let g = x0 + nx * (y0 + y + ny * (z0 + z));
        for (let x = 0; x < bx; x++, g++, cell++) {
          if (load<u8>(mask + <usize>g) === 0) {
            setI32(local, cell, -1);
            continue;
          }
          const level = getI32(levels, g);
          setI32(local, cell, level);
          setI32(stamp, level, mark);
        }
      }
    }
    let n = 0;
    for (let level = 1; level <= ng; level++) {
      if (getI32(stamp, level) !== mark) continue;
      setI32(levelIndex, level, n);
      setI32(grayLevels, n, level);
      n++;
    }
    const cells = cell;
    for (let c = 0; c < cells; c++) {
      const level = getI32(local, c);
      if (level > 0) setI32(local, c, getI32(levelIndex, level));
    }

    // Raw counts (calculate_glcm): voxel v and its neighbour v + angle, both in the box and mask.
    const nn = n * n;
    const first = getI32(setStart, getI32(angleSet, k));
    let na = getI32(setStart, getI32(angleSet, k) + 1) - first;
    memory.fill(counts, 0, (<usize>(na * nn)) << 3);
    for (let a = 0; a < na; a++) {
      const dx = getI32(angleOffsets, 3 * (first + a));
      const dy = getI32(angleOffsets, 3 * (first + a) + 1);
      const dz = getI32(angleOffsets, 3 * (first + a) + 2);
      const shift = dx + bx * (dy + by * dz);
      const base = a * nn;
      const xLo = max<i32>(0, -dx);
      const xHi = min<i32>(bx, bx - dx);
      const yLo = max<i32>(0, -dy);
      const yHi = min<i32>(by, by - dy);
      const zLo = max<i32>(0, -dz);
      const zHi = min<i32>(bz, bz - dz);
      for (let z = zLo; z < zHi; z++) {
        for (let y = yLo; y < yHi; y++) {
          let v = xLo + bx * (y + by * z);
          for (let x = xLo; x < xHi; x++, v++) {
            const i = getI32(local, v);
            if (i < 0) continue;
            const j = getI32(local, v + shift);
            if (j < 0) continue;
            const at = base + i * n + j;
            setF64(counts, at, getF64(counts, at) + 1);
          }
        }
      }
    }

    // As glcmMatrices (./glcm-matrices.ts): P + P^T, the weighted sum, each matrix normalised.
    if (symmetrical) symmetriseMatrices(counts, na, n);
    let mats = counts;
    if (isWeighted) {
      weightedMatrixSum(counts, na, nn, angleWeights, first, weighted);
      mats = weighted;
      na = 1;
    }
    const kept = normaliseMatrices(mats, na, nn, sums);

    glcmAngleFeatures(mats, grayLevels, n, ng, kept, table, px, py, featureScratch);

    const row = out + ((<usize>(k * COLUMNS)) << 3);
    for (let c = 0; c < ANGLE_FEATURES; c++) {
      const column = table + ((<usize>(c * kept)) << 3);
      // JointAverage is ux.mean(): numpy's mean, NaN when any angle is NaN or there is none.
      const value =
        c === JOINT_AVERAGE
          ? kept === 0
            ? NaN
            : pairwiseSum(column, kept) / <f64>kept
          : nanMean(column, kept);
      setF64(row, c, value);
    }

    let mcc: f64 = NaN;
    let needsGeneral = 0;
    if (withMcc) {
      let emptyAngle = false;
      for (let a = 0; a < kept; a++) if (Number.isNaN(getF64(mats, a * nn))) emptyAngle = true;
      if (emptyAngle) mcc = NaN;
      else if (n < 2) mcc = matrixLevelCount < 2 ? 1 : 0;
      else {
        const reliable = glcmMccSecondEigenvalues(mats, px, py, n, kept, lambdas, mccScratch);
        if (reliable === kept) {
          for (let a = 0; a < kept; a++) setF64(lambdas, a, sqrt<f64>(getF64(lambdas, a)));
          mcc = nanMean(lambdas, kept);
        } else needsGeneral = 1;
      }
    }
    setF64(row, ANGLE_FEATURES, mcc);
    setI32(fallback, k, needsGeneral);
  }
}
