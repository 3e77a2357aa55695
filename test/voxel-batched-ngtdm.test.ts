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
import { DEFAULT_TEXTURE_SETTINGS } from "../src/features/types.js";
import {
  assertBatchedEqualsPerKernel,
  batchedMaps,
  mulberry32,
  randomVoxelCase,
  voxelCase,
} from "./support/voxel-kernels.js";

test("voxel NGTDM: batched maps equal the per-kernel class function on random grids", () => {
  const rng = mulberry32(1207);
  let compared = 0;
  for (let trial = 0; trial < 400; trial++) {
    const c = randomVoxelCase(rng);
    const names =
      rng() < 0.4 ? NGTDM_CLASS.features : NGTDM_CLASS.features.filter(() => rng() < 0.5);
    const label = `trial ${trial}: ${c.label}`;
    if (assertBatchedEqualsPerKernel(c, computeNgtdmFeatures, computeVoxelNgtdm, names, label))
      compared++;
  }
  assert.ok(compared > 300, `only ${compared} cases compared`);
});

test("voxel NGTDM: unknown names throw", () => {
  const c = randomVoxelCase(mulberry32(11));
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
  const line = voxelCase(
    Int32Array.of(1, 1, 2),
    Uint8Array.of(1, 1, 1),
    [3, 1, 1],
    3,
    1,
    true,
    DEFAULT_TEXTURE_SETTINGS,
  );
  const names = NGTDM_CLASS.features;
  const maps = batchedMaps(line, computeVoxelNgtdm, names, -1);
  const at = (name: string, v: number) => maps[names.indexOf(name)]![v]!;
  const close = (a: number, b: number) =>
    assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
  close(at("Coarseness", 1), 1.5);
  close(at("Contrast", 1), 1 / 9);
  close(at("Busyness", 1), 0);
  close(at("Complexity", 1), 4 / 9);
  close(at("Strength", 1), 4 / 3);
  assert.deepEqual(
    names.map((n) => at(n, 0)),
    [0, 1e6, 0, 0, 0],
  );
  // A lone ROI voxel (masked kernel): no neighbours, s = 0, n = 1: as the corner kernel.
  const lone = voxelCase(
    Int32Array.of(3, 5, 3),
    Uint8Array.of(0, 1, 0),
    [3, 1, 1],
    3,
    1,
    true,
    DEFAULT_TEXTURE_SETTINGS,
  );
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
