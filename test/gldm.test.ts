/**
 * GLDM: the worked 5x5 example of PyRadiomics' documentation (radiomics/gldm.py docstring, alpha 0,
 * delta 1) with feature values worked out by hand from the documented formulas; gldm_a and
 * distances on tiny images; single-voxel ROI; deprecated features; bad settings. (Oracle parity on
 * the reference images is checked in glszm.test.ts for all three classes.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeGldmFeatures, computeGldmMatrix, GLDM_CLASS } from "../src/features/gldm.js";
import { DEFAULT_TEXTURE_SETTINGS, type DiscretisedRoi } from "../src/features/types.js";
import { close, image2D } from "./support/texture-fixtures.js";

const DOC_IMAGE = [
  [5, 2, 5, 4, 4],
  [3, 3, 3, 1, 3],
  [2, 1, 1, 1, 3],
  [4, 2, 2, 2, 3],
  [3, 5, 3, 3, 2],
];

/** Row g-1 of the full matrix, first `n` columns (dependence sizes 1..n). */
function row(m: ReturnType<typeof computeGldmMatrix>, level: number, n: number): number[] {
  return [...m.counts.subarray((level - 1) * m.columns, (level - 1) * m.columns + n)];
}

test("GLDM of the PyRadiomics documentation example (alpha 0, delta 1)", () => {
  const m = computeGldmMatrix(image2D(DOC_IMAGE), DEFAULT_TEXTURE_SETTINGS);
  // 8 neighbours in 2D: dependence counts 0..8.
  assert.equal(m.columns, 9);
  // The matrix printed in the documentation (columns: dependence size 1..4; the rest are empty).
  assert.deepEqual(row(m, 1, 4), [0, 1, 2, 1]);
  assert.deepEqual(row(m, 2, 4), [1, 2, 3, 0]);
  assert.deepEqual(row(m, 3, 4), [1, 4, 4, 0]);
  assert.deepEqual(row(m, 4, 4), [1, 2, 0, 0]);
  assert.deepEqual(row(m, 5, 4), [3, 0, 0, 0]);
  let beyond = 0;
  for (let g = 1; g <= 5; g++)
    for (let c = 4; c < m.columns; c++) beyond += m.counts[(g - 1) * m.columns + c]!;
  assert.equal(beyond, 0);
});

test("GLDM features of the documentation example, by hand", () => {
  const v = computeGldmFeatures(image2D(DOC_IMAGE), DEFAULT_TEXTURE_SETTINGS, GLDM_CLASS.features);
  // Nz = 25 voxels; per dependence size 1..4: 6, 9, 9, 1; per gray level 1..5: 4, 6, 9, 3, 3.
  close(v.SmallDependenceEmphasis, (6 + 9 / 4 + 9 / 9 + 1 / 16) / 25, "SDE");
  close(v.LargeDependenceEmphasis, (6 + 9 * 4 + 9 * 9 + 16) / 25, "LDE");
  close(v.GrayLevelNonUniformity, (16 + 36 + 81 + 9 + 9) / 25, "GLN");
  close(v.DependenceNonUniformity, (36 + 81 + 81 + 1) / 25, "DN");
  close(v.DependenceNonUniformityNormalized, 199 / 625, "DNN");
  // Gray level: mean 70/25, E[i^2] = 232/25; dependence: mean 55/25, E[j^2] = 139/25.
  close(v.GrayLevelVariance, 232 / 25 - (70 / 25) ** 2, "GLV");
  close(v.DependenceVariance, 139 / 25 - (55 / 25) ** 2, "DV");
  // Non-zero cells: 1,2,1 | 1,2,3 | 1,4,4 | 1,2 | 3.
  const cells = [1, 2, 1, 1, 2, 3, 1, 4, 4, 1, 2, 3];
  close(v.DependenceEntropy, -cells.reduce((s, c) => s + (c / 25) * Math.log2(c / 25), 0), "DE");
  close(v.LowGrayLevelEmphasis, (4 + 6 / 4 + 9 / 9 + 3 / 16 + 3 / 25) / 25, "LGLE");
  close(v.HighGrayLevelEmphasis, 232 / 25, "HGLE");
  // Sum of P i^2 j^2 per gray level: 38, 144, 477, 144, 75.
  close(v.LargeDependenceHighGrayLevelEmphasis, 878 / 25, "LDHGLE");
  const sdlgle = 1 / 4 + 2 / 9 + 1 / 16 + (1 + 2 / 4 + 3 / 9) / 4 + (1 + 4 / 4 + 4 / 9) / 9;
  close(v.SmallDependenceLowGrayLevelEmphasis, (sdlgle + (1 + 2 / 4) / 16 + 3 / 25) / 25, "SDLGLE");
  const sdhgle = 1 / 4 + 2 / 9 + 1 / 16 + (1 + 2 / 4 + 3 / 9) * 4 + (1 + 4 / 4 + 4 / 9) * 9;
  close(v.SmallDependenceHighGrayLevelEmphasis, (sdhgle + (1 + 2 / 4) * 16 + 75) / 25, "SDHGLE");
  const ldlgle = 4 + 18 + 16 + (1 + 8 + 27) / 4 + (1 + 16 + 36) / 9 + (1 + 8) / 16 + 3 / 25;
  close(v.LargeDependenceLowGrayLevelEmphasis, ldlgle / 25, "LDLGLE");
  // Deprecated features give no value (PyRadiomics raises DeprecationWarning and stores nothing).
  assert.equal(v.DependencePercentage, undefined);
  assert.equal(v.GrayLevelNonUniformityNormalized, undefined);
  assert.equal(Object.keys(v).length, 14);
});

test("GLDM honours gldm_a and distances", () => {
  // 1x3 image [1, 2, 4]: alpha 1 makes 1 and 2 dependent, 4 depends on nothing.
  const roi = image2D([[1, 2, 4]]);
  const a0 = computeGldmMatrix(roi, DEFAULT_TEXTURE_SETTINGS);
  assert.equal(a0.columns, 3);
  assert.deepEqual([...a0.counts], [1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
  const a1 = computeGldmMatrix(roi, { ...DEFAULT_TEXTURE_SETTINGS, gldm_a: 1 });
  assert.deepEqual([...a1.counts], [0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0]);
  // [1, 2, 1] with distances [2]: the two 1s are neighbours at distance 2, the 2 has none.
  const spread = image2D([[1, 2, 1]]);
  const d1 = computeGldmMatrix(spread, DEFAULT_TEXTURE_SETTINGS);
  assert.deepEqual([...d1.counts], [2, 0, 0, 1, 0, 0]);
  const d2 = computeGldmMatrix(spread, { ...DEFAULT_TEXTURE_SETTINGS, distances: [2] });
  assert.deepEqual([...d2.counts], [0, 2, 0, 1, 0, 0]);
  const v = computeGldmFeatures(spread, { ...DEFAULT_TEXTURE_SETTINGS, distances: [2] }, [
    "SmallDependenceEmphasis",
  ]);
  close(v.SmallDependenceEmphasis, (1 + 2 / 4) / 3, "SDE distances [2]");
});

test("GLDM of a single-voxel ROI: one voxel without dependants", () => {
  const levels = new Int32Array(27);
  const mask = new Uint8Array(27);
  levels[13] = 2;
  mask[13] = 1;
  const roi: DiscretisedRoi = {
    levels,
    mask,
    size: [3, 3, 3],
    spacing: [1, 1, 1],
    nLevels: 2,
    dimension: 3,
  };
  const v = computeGldmFeatures(roi, DEFAULT_TEXTURE_SETTINGS, GLDM_CLASS.features);
  assert.equal(v.SmallDependenceEmphasis, 1);
  assert.equal(v.LargeDependenceEmphasis, 1);
  assert.equal(v.DependenceNonUniformityNormalized, 1);
  assert.equal(v.GrayLevelVariance, 0);
  assert.equal(v.DependenceVariance, 0);
  close(v.LowGrayLevelEmphasis, 1 / 4, "LGLE");
  close(v.LargeDependenceHighGrayLevelEmphasis, 4, "LDHGLE");
  assert.ok(v.DependenceEntropy! <= 0 && v.DependenceEntropy! > -1e-15);
});

test("GLDM feature list and bad settings", () => {
  const getters = GLDM_CLASS.features.map((f) => `get${f}FeatureValue`);
  assert.deepEqual(getters, [...getters].sort());
  assert.deepEqual([...GLDM_CLASS.deprecated].sort(), [
    "DependencePercentage",
    "GrayLevelNonUniformityNormalized",
  ]);
  const roi = image2D(DOC_IMAGE);
  assert.throws(
    () =>
      computeGldmFeatures(roi, { ...DEFAULT_TEXTURE_SETTINGS, gldm_a: 0.5 }, ["DependenceEntropy"]),
    /gldm_a/,
  );
  assert.throws(
    () =>
      computeGldmFeatures(roi, { ...DEFAULT_TEXTURE_SETTINGS, distances: [0] }, [
        "DependenceEntropy",
      ]),
    /distances/,
  );
  assert.throws(
    () => computeGldmFeatures(roi, DEFAULT_TEXTURE_SETTINGS, ["Busyness"]),
    /unknown feature 'Busyness'/,
  );
});
