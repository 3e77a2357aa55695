/**
 * NGTDM: the worked 4x4 example of PyRadiomics' documentation (radiomics/ngtdm.py docstring; the
 * neighbourhood means below were recomputed by hand from the image), features from the documented
 * formulas on that hand-made matrix; distances; the homogeneous / single-voxel rules PyRadiomics
 * documents. (Oracle parity on the reference images is checked in glszm.test.ts.)
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeNgtdmFeatures, computeNgtdmMatrix, NGTDM_CLASS } from "../src/features/ngtdm.js";
import { DEFAULT_TEXTURE_SETTINGS, type DiscretisedRoi } from "../src/features/types.js";
import { close, image2D } from "./support/texture-fixtures.js";

const DOC_IMAGE = [
  [1, 2, 5, 2],
  [3, 5, 1, 3],
  [1, 3, 5, 5],
  [3, 1, 1, 1],
];

// |i - mean of the 8-neighbourhood| per voxel, by hand, grouped by gray level.
const S1 = 7 / 3 + 11 / 4 + 2 + 8 / 5 + 2 + 8 / 3; // = 13.35, as in the docs
const S2 = 1 + 1; // = 2
const S3 = 3 / 5 + 3 / 5 + 1 / 2 + 4 / 3; // = 3.0333
const S5 = 12 / 5 + 19 / 8 + 5 / 2 + 14 / 5; // = 10.075, as in the docs

test("NGTDM of the PyRadiomics documentation example", () => {
  const m = computeNgtdmMatrix(image2D(DOC_IMAGE), DEFAULT_TEXTURE_SETTINGS);
  assert.equal(m.maxLevel, 5);
  assert.deepEqual([...m.count], [6, 2, 4, 0, 4]);
  const s = [S1, S2, S3, 0, S5];
  for (let g = 0; g < 5; g++) close(m.sumAbsDiff[g], s[g]!, `s_${g + 1}`);
  close(m.sumAbsDiff[0], 13.35, "s_1 (docs)");
  close(m.sumAbsDiff[4], 10.075, "s_5 (docs)");
});

test("NGTDM features of the documentation example, by hand", () => {
  const v = computeNgtdmFeatures(
    image2D(DOC_IMAGE),
    DEFAULT_TEXTURE_SETTINGS,
    NGTDM_CLASS.features,
  );
  // Levels present 1, 2, 3, 5 with p = 6/16, 2/16, 4/16, 4/16; Nvp = 16, Ngp = 4.
  const i = [1, 2, 3, 5];
  const p = [6 / 16, 2 / 16, 4 / 16, 4 / 16];
  const s = [S1, S2, S3, S5];
  const sumPS = p[0]! * S1 + p[1]! * S2 + p[2]! * S3 + p[3]! * S5;
  const sumS = S1 + S2 + S3 + S5;
  close(v.Coarseness, 15 / 128, "Coarseness"); // sum p s = 8.5333
  close(v.Coarseness, 1 / sumPS, "Coarseness formula");
  // sum_ij p_i p_j (i-j)^2 = 2 (12 + 96 + 384 + 8 + 72 + 64) / 256 = 4.96875
  close(v.Contrast, (4.96875 / (4 * 3)) * (sumS / 16), "Contrast");
  // sum_ij |i p_i - j p_j| over i p_i = 0.375, 0.25, 0.75, 1.25 = 6.75
  close(v.Busyness, sumPS / 6.75, "Busyness");
  // sum_ij (p_i + p_j)(i-j)^2 = 2 sum_i p_i sum_j (i-j)^2 = 2 (6*21 + 2*11 + 4*9 + 4*29) / 16
  close(v.Strength, 37.5 / sumS, "Strength");
  let complexity = 0;
  for (let a = 0; a < 4; a++) {
    for (let b = 0; b < 4; b++) {
      complexity += (Math.abs(i[a]! - i[b]!) * (p[a]! * s[a]! + p[b]! * s[b]!)) / (p[a]! + p[b]!);
    }
  }
  close(v.Complexity, complexity / 16, "Complexity");
});

test("NGTDM distances widen the neighbourhood", () => {
  // 1x4 image [1, 3, 1, 3]: with distance 1 the ends have one neighbour, with [1, 2] two or three.
  const roi = image2D([[1, 3, 1, 3]]);
  const d1 = computeNgtdmMatrix(roi, DEFAULT_TEXTURE_SETTINGS);
  // level 1: |1-3| + |1-3| = 4; level 3: |3-1| + |3-1| = 4
  assert.deepEqual([...d1.sumAbsDiff], [4, 0, 4]);
  const d12 = computeNgtdmMatrix(roi, { ...DEFAULT_TEXTURE_SETTINGS, distances: [1, 2] });
  // x=0: neighbours 3, 1 -> mean 2 -> 1; x=2: 3, 3, 1 -> 7/3 -> 4/3
  // x=1: 1, 1, 3 -> 5/3 -> 4/3;          x=3: 1, 3 -> 2 -> 1
  close(d12.sumAbsDiff[0], 1 + 4 / 3, "s_1");
  close(d12.sumAbsDiff[2], 4 / 3 + 1, "s_3");
});

test("NGTDM of a homogeneous ROI and of a single voxel: PyRadiomics' documented fallbacks", () => {
  const flat = computeNgtdmFeatures(
    image2D([
      [2, 2],
      [2, 2],
    ]),
    DEFAULT_TEXTURE_SETTINGS,
    NGTDM_CLASS.features,
  );
  // sum p s = 0 -> Coarseness 1e6; Ngp = 1 -> Contrast 0; Busyness 0/0 -> 0; Strength 0/0 -> 0.
  assert.deepEqual(flat, { Busyness: 0, Coarseness: 1e6, Complexity: 0, Contrast: 0, Strength: 0 });
  const levels = new Int32Array(8);
  const mask = new Uint8Array(8);
  levels[5] = 3;
  mask[5] = 1;
  const single: DiscretisedRoi = {
    levels,
    mask,
    size: [2, 2, 2],
    spacing: [1, 1, 1],
    nLevels: 3,
    dimension: 3,
  };
  const m = computeNgtdmMatrix(single, DEFAULT_TEXTURE_SETTINGS);
  // A voxel without neighbours counts in n_i with difference 0.
  assert.deepEqual([...m.count], [0, 0, 1]);
  assert.deepEqual([...m.sumAbsDiff], [0, 0, 0]);
  const v = computeNgtdmFeatures(single, DEFAULT_TEXTURE_SETTINGS, NGTDM_CLASS.features);
  assert.deepEqual(v, { Busyness: 0, Coarseness: 1e6, Complexity: 0, Contrast: 0, Strength: 0 });
});

test("NGTDM feature list and bad input", () => {
  assert.deepEqual(NGTDM_CLASS.features, [
    "Busyness",
    "Coarseness",
    "Complexity",
    "Contrast",
    "Strength",
  ]);
  assert.deepEqual(NGTDM_CLASS.deprecated, []);
  const roi = image2D(DOC_IMAGE);
  assert.throws(
    () => computeNgtdmFeatures(roi, DEFAULT_TEXTURE_SETTINGS, ["Coarsenes"]),
    /unknown feature 'Coarsenes'/,
  );
  assert.throws(
    () => computeNgtdmFeatures(roi, { ...DEFAULT_TEXTURE_SETTINGS, distances: [] }, ["Coarseness"]),
    /distances/,
  );
  // A 1x1x1 array has no angles; PyRadiomics' C extension raises "Error getting angle count."
  const lone: DiscretisedRoi = {
    levels: Int32Array.of(1),
    mask: Uint8Array.of(1),
    size: [1, 1, 1],
    spacing: [1, 1, 1],
    nLevels: 1,
    dimension: 3,
  };
  assert.throws(
    () => computeNgtdmFeatures(lone, DEFAULT_TEXTURE_SETTINGS, ["Coarseness"]),
    /no neighbour angles/,
  );
  const short = { ...roi, levels: new Int32Array(3) };
  assert.throws(
    () => computeNgtdmFeatures(short, DEFAULT_TEXTURE_SETTINGS, ["Coarseness"]),
    /levels has 3 voxels/,
  );
});
