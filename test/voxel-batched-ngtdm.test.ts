/**
 * The batched voxel-based NGTDM (src/extract/voxel/ngtdm.ts) against the per-kernel path: on many
 * small random grids and settings (distances, force2D, kernelRadius, maskedKernel, subsets of the
 * features), every map equals computeNgtdmFeatures applied to each kernel's ROI, bit for bit; plus
 * kernels computed by hand from the published formulas (the special cases included).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeVoxelNgtdm } from "../src/extract/voxel/ngtdm.js";
import { computeNgtdmFeatures, NGTDM_CLASS } from "../src/features/ngtdm.js";
import {
  batchedMaps,
  mulberry32,
  randomVoxelCase,
  assertRandomCasesMatch,
  assertHandValues,
  rowCase,
} from "./support/voxel-batched-cases.js";

test("voxel NGTDM: batched maps equal the per-kernel class function on random grids", () => {
  const vary = { distances: true };
  const { compared } = assertRandomCasesMatch(
    1207,
    400,
    vary,
    NGTDM_CLASS,
    computeVoxelNgtdm,
    computeNgtdmFeatures,
  );
  assert.ok(compared > 300, `only ${compared} cases compared`);
});

test("voxel NGTDM: unknown names throw", () => {
  const c = randomVoxelCase(mulberry32(11), { distances: true });
  assert.throws(
    () => batchedMaps(c, computeVoxelNgtdm, ["Nope"], 0),
    /ngtdm: unknown feature 'Nope'/,
  );
});

test("voxel NGTDM: a 3-voxel line and a lone voxel computed by hand", () => {
  // Levels 1 1 2 along x, every voxel in the ROI, kernelRadius 1: neighbours x +- 1. Centre kernel:
  // voxel 0 (level 1) has mean neighbour level 1 -> |1 - 1| = 0; voxel 1 (level 1): (1 + 2)/2 ->
  // 0.5; voxel 2 (level 2): 1 -> 1. n = (2, 1), s = (0.5, 1), Nvp = 3, p = (2/3, 1/3), Ngp = 2:
  //   Coarseness = 1 / (2/3 * 0.5 + 1/3 * 1) = 1.5,
  //   Contrast = [2 * 2/3 * 1/3 * 1] * (0.5 + 1) / 3 / (2 * 1) = 1/9,
  //   Busyness = 2/3 / (2 |1 * 2/3 - 2 * 1/3|): the denominator is 0, so 0,
  //   Complexity = 2 * |1 - 2| (1/3 + 1/3) / (2/3 + 1/3) / 3 = 4/9,
  //   Strength = 2 * (2/3 + 1/3) * 1 / 1.5 = 4/3.
  // Corner kernel at x = 0 (two voxels of level 1): s = 0, Ngp = 1: Coarseness 1e6 (sum p s = 0),
  // Contrast 0 (Ngp = 1), Busyness 0, Complexity 0, Strength 0 (sum s = 0).
  const names = NGTDM_CLASS.features;
  const maps = batchedMaps(rowCase([1, 1, 2]), computeVoxelNgtdm, names, -1);
  assertHandValues(maps, names, 1, {
    Coarseness: 1.5,
    Contrast: 1 / 9,
    Busyness: 0,
    Complexity: 4 / 9,
    Strength: 4 / 3,
  });
  assert.deepEqual(
    names.map((_, i) => maps[i]![0]),
    [0, 1e6, 0, 0, 0],
  );
  // A lone ROI voxel (masked kernel): no neighbours, s = 0, n = 1: as the corner kernel.
  const lone = rowCase([3, 5, 3], [0, 1, 0]);
  const loneMaps = batchedMaps(lone, computeVoxelNgtdm, names, -1);
  assert.deepEqual(
    loneMaps.map((m) => Array.from(m)),
    [
      [-1, 0, -1],
      [-1, 1e6, -1],
      [-1, 0, -1],
      [-1, 0, -1],
      [-1, 0, -1],
    ],
  );
});
