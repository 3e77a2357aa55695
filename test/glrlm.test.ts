/**
 * GLRLM: the worked example of PyRadiomics' GLRLM documentation (5x5 image, theta 0, its matrix P),
 * features of that matrix computed by hand from the documented formulas, the vertical matrix of the
 * same image counted by hand, PyRadiomics' matrix rules (flat angles, weighting) on tiny images,
 * and parity with the PyRadiomics oracle (original image, relative 1e-9).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { GLRLM_CLASS, computeGlrlmFeatures, glrlmMatrices } from "../src/features/glrlm.js";
import type { DiscretisedRoi, TextureSettings } from "../src/features/types.js";
import { defineClassOracleTests } from "./support/texture-oracle.js";
import { roi2D, textureSettings as settings } from "./support/texture-fixtures.js";

function close(got: number, want: number, what: string, rel = 1e-12): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want) + 1e-15,
    `${what}: got ${got}, want ${want}`,
  );
}

// PyRadiomics documentation (radiomics/glrlm.py): image I and its GLRLM for theta 0 (rows: gray
// levels 1..5, columns: run lengths 1..5).
const DOC_IMAGE = [
  [5, 2, 5, 4, 4],
  [3, 3, 3, 1, 3],
  [2, 1, 1, 1, 3],
  [4, 2, 2, 2, 3],
  [3, 5, 3, 3, 2],
];
const DOC_P = [
  [1, 0, 1, 0, 0],
  [3, 0, 1, 0, 0],
  [4, 1, 1, 0, 0],
  [1, 1, 0, 0, 0],
  [3, 0, 0, 0, 0],
];
// force2D along numpy axis 0 (y) keeps only the horizontal angle; along axis 1 (x), the vertical.
const HORIZONTAL = settings({ force2D: true, force2Ddimension: 0 });
const VERTICAL = settings({ force2D: true, force2Ddimension: 1 });
const ALL = GLRLM_CLASS.features;

test("documented 5x5 example: the GLRLM for theta 0 equals the documented P", () => {
  const { matrices, runCounts, angleCount, maxRun } = glrlmMatrices(roi2D(DOC_IMAGE), HORIZONTAL);
  assert.equal(angleCount, 1);
  assert.equal(maxRun, 5); // max of the array shape
  assert.equal(runCounts[0], 17);
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++)
      assert.equal(matrices[i * 5 + j], DOC_P[i]![j], `P(${i + 1},${j + 1})`);
  }
});

test("documented 5x5 example: features from the documented formulas", () => {
  const f = computeGlrlmFeatures(roi2D(DOC_IMAGE), HORIZONTAL, ALL);
  // Nr = 17 runs, pr (run lengths 1..3) = (12, 2, 3), pg = (2, 4, 6, 2, 3), Np = 25 voxels
  close(f.ShortRunEmphasis!, (12 + 2 / 4 + 3 / 9) / 17, "SRE");
  close(f.LongRunEmphasis!, (12 + 2 * 4 + 3 * 9) / 17, "LRE");
  close(f.GrayLevelNonUniformity!, 69 / 17, "GLN");
  close(f.GrayLevelNonUniformityNormalized!, 69 / 289, "GLNN");
  close(f.RunLengthNonUniformity!, 157 / 17, "RLN");
  close(f.RunLengthNonUniformityNormalized!, 157 / 289, "RLNN");
  close(f.RunPercentage!, 17 / 25, "RP");
  close(f.LowGrayLevelRunEmphasis!, (2 + 4 / 4 + 6 / 9 + 2 / 16 + 3 / 25) / 17, "LGLRE");
  close(f.HighGrayLevelRunEmphasis!, (2 + 4 * 4 + 6 * 9 + 2 * 16 + 3 * 25) / 17, "HGLRE");
  // mean gray level of pg / Nr is 51 / 17 = 3
  close(f.GrayLevelVariance!, (2 * 4 + 4 * 1 + 0 + 2 * 1 + 3 * 4) / 17, "GLV");
  const muJ = 25 / 17;
  close(f.RunVariance!, (12 * (1 - muJ) ** 2 + 2 * (2 - muJ) ** 2 + 3 * (3 - muJ) ** 2) / 17, "RV");
  // counts: seven 1s, two 3s, one 4
  const h = (c: number) => (c / 17) * Math.log2(c / 17);
  close(f.RunEntropy!, -(7 * h(1) + 2 * h(3) + h(4)), "RunEntropy", 1e-13);
  close(
    f.ShortRunHighGrayLevelEmphasis!,
    (1 + 1 / 9 + 3 * 4 + 4 / 9 + 4 * 9 + 9 / 4 + 9 / 9 + 16 + 16 / 4 + 3 * 25) / 17,
    "SRHGLE",
  );
  close(
    f.LongRunLowGrayLevelEmphasis!,
    (1 + 9 + 3 / 4 + 9 / 4 + 4 / 9 + 4 / 9 + 9 / 9 + 1 / 16 + 4 / 16 + 3 / 25) / 17,
    "LRLGLE",
  );
  close(
    f.ShortRunLowGrayLevelEmphasis!,
    (1 + 1 / 9 + 3 / 4 + 1 / 36 + 4 / 9 + 1 / 36 + 1 / 81 + 1 / 16 + 1 / 64 + 3 / 25) / 17,
    "SRLGLE",
  );
  close(
    f.LongRunHighGrayLevelEmphasis!,
    (1 + 9 + 3 * 4 + 4 * 9 + 4 * 9 + 9 * 4 + 9 * 9 + 16 + 16 * 4 + 3 * 25) / 17,
    "LRHGLE",
  );
});

test("documented 5x5 image: vertical runs counted by hand", () => {
  const { matrices, runCounts } = glrlmMatrices(roi2D(DOC_IMAGE), VERTICAL);
  // columns: 5 3 2 4 3 | 2 3 1 2 5 | 5 3 1 2 3 | 4 (1 1) 2 3 | 4 (3 3 3) 2
  const expected = [
    [2, 1, 0, 0, 0],
    [6, 0, 0, 0, 0],
    [6, 0, 1, 0, 0],
    [3, 0, 0, 0, 0],
    [3, 0, 0, 0, 0],
  ];
  assert.deepEqual([...matrices], expected.flat());
  assert.equal(runCounts[0], 22);
  const f = computeGlrlmFeatures(roi2D(DOC_IMAGE), VERTICAL, ["RunPercentage", "LongRunEmphasis"]);
  close(f.RunPercentage!, 22 / 25, "RP");
  close(f.LongRunEmphasis!, (20 + 4 + 9) / 22, "LRE");
});

test("feature list in PyRadiomics order; unknown names throw", () => {
  assert.equal(GLRLM_CLASS.name, "glrlm");
  assert.equal(GLRLM_CLASS.features.length, 16);
  assert.deepEqual(GLRLM_CLASS.deprecated, []);
  const methods = GLRLM_CLASS.features.map((f) => `get${f}FeatureValue`);
  assert.deepEqual(methods, [...methods].sort());
  assert.throws(
    () => computeGlrlmFeatures(roi2D(DOC_IMAGE), HORIZONTAL, ["RunPercent"]),
    /RunPercent/,
  );
});

test("an angle along which no line holds two ROI voxels is dropped (flat ROI)", () => {
  // 3x3x3 array, ROI = the middle row of the middle slice, levels 1 1 2. Only the x angle sees a
  // line with more than one ROI voxel; its runs: level 1 length 2, level 2 length 1.
  const levels = new Int32Array(27);
  const mask = new Uint8Array(27);
  levels.set([1, 1, 2], 12);
  mask.set([1, 1, 1], 12);
  const roi: DiscretisedRoi = {
    levels,
    mask,
    size: [3, 3, 3],
    spacing: [1, 1, 1],
    nLevels: 2,
    dimension: 3,
  };
  assert.equal(glrlmMatrices(roi, settings()).angleCount, 1);
  const f = computeGlrlmFeatures(roi, settings(), ALL);
  close(f.RunPercentage!, 2 / 3, "RP");
  close(f.ShortRunEmphasis!, (1 / 4 + 1) / 2, "SRE");
  close(f.LongRunEmphasis!, (4 + 1) / 2, "LRE");
  close(f.GrayLevelNonUniformity!, 1, "GLN");
});

// 2x2 image [[1, 2], [2, 1]], spacing x 1, y 2. Angles (y, x): (1, 1): runs L1 len 2, L2 len 1 x2;
// (1, 0): L1 len 1 x2, L2 len 1 x2; (1, -1): L1 len 1 x2, L2 len 2; (0, 1): L1 len 1 x2, L2 len 1 x2.
const TWO = () =>
  roi2D(
    [
      [1, 2],
      [2, 1],
    ],
    [1, 2, 1],
  );

test("no weighting: run percentage averaged over the 4 angles", () => {
  const f = computeGlrlmFeatures(TWO(), settings(), ["RunPercentage"]);
  close(f.RunPercentage!, (3 / 4 + 1 + 3 / 4 + 1) / 4, "RP");
});

test("weightingNorm: matrices summed with the distance of each angle as weight", () => {
  const cases: [TextureSettings["weightingNorm"], number[]][] = [
    ["manhattan", [3, 2, 3, 1]],
    ["euclidean", [Math.sqrt(5), 2, Math.sqrt(5), 1]],
    ["infinity", [2, 2, 2, 1]],
    ["no_weighting", [1, 1, 1, 1]],
  ];
  for (const [norm, w] of cases) {
    const f = computeGlrlmFeatures(TWO(), settings({ weightingNorm: norm }), [
      "RunPercentage",
      "ShortRunEmphasis",
    ]);
    const runs1 = 2 * w[0]! + 4 * w[1]! + 2 * w[2]! + 4 * w[3]!;
    const runs2 = w[0]! + w[2]!;
    const nr = runs1 + runs2;
    close(f.RunPercentage!, nr / (runs1 + 2 * runs2), `${norm} RP`);
    close(f.ShortRunEmphasis!, (runs1 + runs2 / 4) / nr, `${norm} SRE`);
  }
});

test("single-voxel ROI: every angle empty -> NaN", () => {
  const f = computeGlrlmFeatures(
    roi2D([
      [0, 0],
      [0, 4],
    ]),
    settings(),
    ALL,
  );
  for (const name of ALL) assert.ok(Number.isNaN(f[name]), `${name} should be NaN`);
  const w = computeGlrlmFeatures(
    roi2D([
      [0, 0],
      [0, 4],
    ]),
    settings({ weightingNorm: "manhattan" }),
    ALL,
  );
  for (const name of ALL) assert.ok(Number.isNaN(w[name]), `weighted ${name} should be NaN`);
});

// ---------------------------------------------------------------------------------------------
// Parity with the PyRadiomics oracle (original image, no engine step other than crop + binning)
// ---------------------------------------------------------------------------------------------

defineClassOracleTests({
  className: "glrlm",
  params3D: [
    "baseline_original",
    "baseline_FBN",
    "baseline_combined",
    "baseline_2d",
    "baseline_flatRegion",
    "2d_original",
    "2d_weighting_manhattan",
    "2d_weighting_euclidean",
    "2d_weighting_infinity",
  ],
  compute: (roi, s) =>
    computeGlrlmFeatures(
      roi,
      settings({
        force2D: (s.force2D as boolean) ?? false,
        force2Ddimension: (s.force2Ddimension as 0 | 1 | 2) ?? 0,
        weightingNorm: (s.weightingNorm as TextureSettings["weightingNorm"]) ?? null,
      }),
      ALL,
    ),
});
