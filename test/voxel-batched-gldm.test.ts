/**
 * The batched voxel-based GLDM (src/extract/voxel/gldm.ts) against the per-kernel path: on many
 * small random grids and settings (distances, force2D, gldm_a, kernelRadius, maskedKernel, subsets
 * of the features with the deprecated names), every map equals computeGldmFeatures applied to each
 * kernel's ROI, bit for bit; plus a kernel computed by hand from the published formulas.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeVoxelGldm } from "../src/extract/voxel/gldm.js";
import { computeGldmFeatures, GLDM_CLASS } from "../src/features/gldm.js";
import {
  batchedMaps,
  mulberry32,
  randomVoxelCase,
  assertRandomCasesMatch,
  assertHandValues,
  rowCase,
} from "./support/voxel-batched-cases.js";

test("voxel GLDM: batched maps equal the per-kernel class function on random grids", () => {
  const vary = { distances: true, gldm_a: true };
  const { compared } = assertRandomCasesMatch(
    20261207,
    400,
    vary,
    GLDM_CLASS,
    computeVoxelGldm,
    computeGldmFeatures,
  );
  // Most cases have neighbour angles (the rest check that both paths raise the same error).
  assert.ok(compared > 300, `only ${compared} cases compared`);
});

test("voxel GLDM: deprecated names stay unwritten, unknown names and non-integer gldm_a throw", () => {
  const c = randomVoxelCase(mulberry32(7), { distances: true, gldm_a: true });
  const maps = batchedMaps(c, computeVoxelGldm, GLDM_CLASS.deprecated, -1);
  for (const m of maps) assert.ok(m.every((v) => v === -1));
  assert.throws(
    () => batchedMaps(c, computeVoxelGldm, ["Nope"], 0),
    /gldm: unknown feature 'Nope'/,
  );
  const half = { ...c, texture: { ...c.texture, gldm_a: 0.5 } };
  assert.throws(
    () => batchedMaps(half, computeVoxelGldm, ["SmallDependenceEmphasis"], 0),
    /gldm_a' must be an integer, got 0.5/,
  );
});

test("voxel GLDM: a 3-voxel line computed by hand", () => {
  // Levels 1 1 2 along x, every voxel in the ROI, kernelRadius 1, gldm_a 0: the only angles are
  // x +- 1. Centre kernel (all three voxels): voxel 0 (level 1) has one dependent neighbour (voxel
  // 1), voxel 1 one (voxel 0; voxel 2 differs by 1), voxel 2 none. So P(i = 1, j = 2) = 2,
  // P(i = 2, j = 1) = 1, Nz = 3 (gldm.py: j = dependent neighbours + 1):
  //   SDE = (2/4 + 1/1) / 3 = 0.5, LDE = (2*4 + 1*1) / 3 = 3,
  //   GLN = (2^2 + 1^2) / 3 = 5/3, DN = (1^2 + 2^2) / 3 = 5/3, DNN = 5/9,
  //   GLV: p_i = (2/3, 1/3), mu = 4/3, 2/3 (1/3)^2 + 1/3 (2/3)^2 = 2/9; DV likewise 2/9,
  //   DE = -(2/3 log2 2/3 + 1/3 log2 1/3) = log2 3 - 2/3,
  //   LGLE = (2/1 + 1/4) / 3 = 0.75, HGLE = (2*1 + 1*4) / 3 = 2,
  //   SDLGLE = (2/(1*4) + 1/(4*1)) / 3 = 0.25, SDHGLE = (2*1/4 + 1*4/1) / 3 = 1.5,
  //   LDLGLE = (2*4/1 + 1*1/4) / 3 = 2.75, LDHGLE = (2*1*4 + 1*4*1) / 3 = 4.
  // Corner kernel at x = 0 (voxels 0 and 1, both level 1, each dependent on the other): P(1, 2) = 2,
  // Nz = 2: SDE = 2/4/2 = 0.25, LDE = 2*4/2 = 4, GLV = DV = 0, DE = -log2(1) = 0 (up to eps).
  const names = GLDM_CLASS.features.filter((n) => !GLDM_CLASS.deprecated.includes(n));
  const maps = batchedMaps(rowCase([1, 1, 2]), computeVoxelGldm, names);
  const centre: Record<string, number> = {
    SmallDependenceEmphasis: 0.5,
    LargeDependenceEmphasis: 3,
    GrayLevelNonUniformity: 5 / 3,
    DependenceNonUniformity: 5 / 3,
    DependenceNonUniformityNormalized: 5 / 9,
    GrayLevelVariance: 2 / 9,
    DependenceVariance: 2 / 9,
    DependenceEntropy: Math.log2(3) - 2 / 3,
    LowGrayLevelEmphasis: 0.75,
    HighGrayLevelEmphasis: 2,
    SmallDependenceLowGrayLevelEmphasis: 0.25,
    SmallDependenceHighGrayLevelEmphasis: 1.5,
    LargeDependenceLowGrayLevelEmphasis: 2.75,
    LargeDependenceHighGrayLevelEmphasis: 4,
  };
  assertHandValues(maps, names, 1, centre);
  assertHandValues(maps, names, 0, {
    SmallDependenceEmphasis: 0.25,
    LargeDependenceEmphasis: 4,
    GrayLevelVariance: 0,
    DependenceVariance: 0,
    DependenceEntropy: 0,
  });
});
