/**
 * The batched voxel-based GLRLM (src/extract/voxel/glrlm.ts): on random small grids and settings,
 * every kernel's features equal computeGlrlmFeatures on that kernel's DiscretisedRoi bit for bit;
 * and a hand-computed line of three voxels.
 */
import { test } from "node:test";
import { computeVoxelGlrlm } from "../src/extract/voxel/glrlm.js";
import { computeGlrlmFeatures, GLRLM_CLASS } from "../src/features/glrlm.js";
import {
  assertHandValues,
  assertRandomCasesMatch,
  batchedMaps,
  rowCase,
} from "./support/voxel-batched-cases.js";

test("voxel GLRLM: batched kernels equal the segment-based GLRLM on each kernel (random grids)", () => {
  const vary = { weightingNorm: true };
  assertRandomCasesMatch(20261207, 400, vary, GLRLM_CLASS, computeVoxelGlrlm, computeGlrlmFeatures);
});

test("voxel GLRLM: a line of three voxels, levels 1 1 2, by hand", () => {
  // x = 0, 1, 2 (one row, 3D); kernelRadius 1: kernel boxes x 0..1, 0..2 and 1..2. The only angle
  // is along x (the other axes have size 1), so P(i, j) counts the runs of level i and length j,
  // Nr = sum P, and (PyRadiomics glrlm.py) SRE = sum P / j^2 / Nr, LRE = sum P j^2 / Nr,
  // GLN = sum_i (sum_j P)^2 / Nr, GLNN = GLN / Nr, RLN = sum_j (sum_i P)^2 / Nr, RLNN = RLN / Nr,
  // RP = Nr / Np (Np = 3 voxels in the middle kernel, 2 at the ends), GLV / RV = variances of i / j
  // under P / Nr, LGLRE = sum P / i^2 / Nr, HGLRE = sum P i^2 / Nr, RE = -sum P/Nr log2(P/Nr).
  // Kernel 0 ({1, 1}): one run (1, 2). SRE 1/4, LRE 4, GLN 1, GLNN 1, RLN 1, RP 1/2, GLV 0, RV 0,
  //   LGLRE 1, HGLRE 1, RE 0.
  // Kernel 1 ({1, 1, 2}): runs (1, 2), (2, 1); Nr 2. SRE (1/4 + 1) / 2 = 0.625, LRE (4 + 1) / 2 =
  //   2.5, GLN (1 + 1) / 2 = 1, GLNN 0.5, RLN 1, RLNN 0.5, RP 2/3, GLV 0.25, RV 0.25,
  //   LGLRE (1 + 1/4) / 2 = 0.625, HGLRE (1 + 4) / 2 = 2.5, RE 1, SRLGLE (1/4 + 1/4) / 2 = 0.25,
  //   LRHGLE (4 + 4) / 2 = 4.
  // Kernel 2 ({1, 2}): runs (1, 1), (2, 1). SRE 1, LRE 1, GLN 1, GLNN 0.5, RLN 2, RLNN 1, RP 1,
  //   GLV 0.25, RV 0, RE 1.
  const names = [...GLRLM_CLASS.features];
  const maps = batchedMaps(rowCase([1, 1, 2]), computeVoxelGlrlm, names);
  const expected: Record<string, [number, number, number]> = {
    ShortRunEmphasis: [0.25, 0.625, 1],
    LongRunEmphasis: [4, 2.5, 1],
    GrayLevelNonUniformity: [1, 1, 1],
    GrayLevelNonUniformityNormalized: [1, 0.5, 0.5],
    RunLengthNonUniformity: [1, 1, 2],
    RunLengthNonUniformityNormalized: [1, 0.5, 1],
    RunPercentage: [0.5, 2 / 3, 1],
    GrayLevelVariance: [0, 0.25, 0.25],
    RunVariance: [0, 0.25, 0],
    LowGrayLevelRunEmphasis: [1, 0.625, 0.625],
    HighGrayLevelRunEmphasis: [1, 2.5, 2.5],
    RunEntropy: [0, 1, 1],
    ShortRunLowGrayLevelEmphasis: [0.25, 0.25, 0.625],
    LongRunHighGrayLevelEmphasis: [4, 4, 2.5],
  };
  for (const voxel of [0, 1, 2]) {
    const values = Object.entries(expected).map(([name, atVoxel]) => [name, atVoxel[voxel]!]);
    // RE's eps (numpy.spacing(1)) inside the log moves it by ~1e-16.
    assertHandValues(maps, names, voxel, Object.fromEntries(values));
  }
});
