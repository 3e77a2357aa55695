/**
 * GLCM: the worked example of PyRadiomics' GLCM documentation (5x5 image, delta 1, theta 0, its
 * symmetrical matrix P), features of that matrix computed by hand from the documented formulas,
 * PyRadiomics' matrix rules (empty angles, weighting, flat region) on tiny hand-counted images, and
 * parity with the PyRadiomics oracle (original image, relative 1e-9).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { GLCM_CLASS, computeGlcmFeatures, glcmMatrices } from "../src/features/glcm.js";
import type { DiscretisedRoi, TextureSettings } from "../src/features/types.js";
import { defineClassOracleTests } from "./support/texture-oracle.js";
import { roi2D, textureSettings as settings } from "./support/texture-fixtures.js";

const ACTIVE = GLCM_CLASS.features.filter((f) => !GLCM_CLASS.deprecated.includes(f));

// PyRadiomics documentation (radiomics/glcm.py): image I and its symmetrical GLCM for delta 1, theta 0.
const DOC_IMAGE = [
  [1, 2, 5, 2, 3],
  [3, 2, 1, 3, 1],
  [1, 3, 5, 5, 2],
  [1, 1, 1, 1, 2],
  [1, 2, 4, 3, 5],
];
const DOC_P = [
  [6, 4, 3, 0, 0],
  [4, 0, 2, 1, 3],
  [3, 2, 0, 1, 2],
  [0, 1, 1, 0, 0],
  [0, 3, 2, 0, 2],
];
// force2D along numpy axis 0 (y) of a 2D image keeps only the horizontal angle (0, 1).
const HORIZONTAL = settings({ force2D: true, force2Ddimension: 0 });

function close(got: number, want: number, what: string, rel = 1e-12): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want) + 1e-15,
    `${what}: got ${got}, want ${want}`,
  );
}

test("documented 5x5 example: symmetrical GLCM for theta 0 equals the documented P", () => {
  const { matrices, angleCount, geometry } = glcmMatrices(roi2D(DOC_IMAGE), HORIZONTAL);
  assert.equal(angleCount, 1);
  assert.deepEqual([...geometry.grayLevels], [1, 2, 3, 4, 5]);
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 5; j++)
      assert.equal(matrices[i * 5 + j], DOC_P[i]![j]! / 40, `P(${i + 1},${j + 1})`);
  }
});

test("documented 5x5 example: asymmetrical GLCM counts (left voxel i, right neighbour j)", () => {
  const { matrices } = glcmMatrices(roi2D(DOC_IMAGE), { ...HORIZONTAL, symmetricalGLCM: false });
  // 20 horizontal pairs; counted by hand from the image rows.
  const at = (i: number, j: number) => matrices[(i - 1) * 5 + (j - 1)]! * 20;
  close(at(1, 1), 3, "P(1,1)");
  close(at(1, 2), 3, "P(1,2)");
  close(at(2, 1), 1, "P(2,1)");
  close(at(2, 5), 1, "P(2,5)");
  close(at(5, 2), 2, "P(5,2)");
  close(at(5, 5), 1, "P(5,5)");
});

test("documented 5x5 example: features from the documented formulas", () => {
  const f = computeGlcmFeatures(roi2D(DOC_IMAGE), HORIZONTAL, ACTIVE);
  // p = P / 40; row sums px = (13, 10, 8, 2, 7) / 40; ux = uy = 100 / 40.
  close(f.JointAverage!, 2.5, "JointAverage");
  close(f.SumAverage!, 5, "SumAverage");
  // sum p (i - j)^2 = 2 * (4*1 + 3*4 + 2*1 + 1*4 + 3*9 + 1*1 + 2*4) / 40
  close(f.Contrast!, 116 / 40, "Contrast");
  // sum p i j = (6 + 50 + 2*(8 + 9 + 12 + 8 + 30 + 12 + 30)) / 40
  close(f.Autocorrelation!, 274 / 40, "Autocorrelation");
  close(f.JointEnergy!, 128 / 1600, "JointEnergy");
  close(f.MaximumProbability!, 6 / 40, "MaximumProbability");
  // p_{x-y}(k) = (8, 14, 12, 6, 0) / 40
  close(f.DifferenceAverage!, 56 / 40, "DifferenceAverage");
  close(f.Id!, (8 + 14 / 2 + 12 / 3 + 6 / 4) / 40, "Id");
  close(f.Idm!, (8 + 14 / 2 + 12 / 5 + 6 / 10) / 40, "Idm");
  close(f.Idn!, (8 + 14 / (1 + 1 / 5) + 12 / (1 + 2 / 5) + 6 / (1 + 3 / 5)) / 40, "Idn");
  close(f.Idmn!, (8 + 14 / (1 + 1 / 25) + 12 / (1 + 4 / 25) + 6 / (1 + 9 / 25)) / 40, "Idmn");
  close(f.InverseVariance!, (14 + 12 / 4 + 6 / 9) / 40, "InverseVariance");
  const diffAvg = 56 / 40;
  close(
    f.DifferenceVariance!,
    (8 * diffAvg ** 2 +
      14 * (1 - diffAvg) ** 2 +
      12 * (2 - diffAvg) ** 2 +
      6 * (3 - diffAvg) ** 2) /
      40,
    "DifferenceVariance",
  );
  // variance of px: (13*2.25 + 10*0.25 + 8*0.25 + 2*2.25 + 7*6.25) / 40 = 82 / 40
  close(f.SumSquares!, 82 / 40, "SumSquares");
  // Contrast = 2 var - 2 cov -> cov = 0.6; ClusterTendency = 2 var + 2 cov; Correlation = cov / var
  close(f.ClusterTendency!, 5.3, "ClusterTendency");
  close(f.Correlation!, 0.6 / 2.05, "Correlation");
  // p_{x-y} entropy, written out: -(sum over k of p log2 p)
  const dent = -[8, 14, 12, 6].reduce((s, c) => s + (c / 40) * Math.log2(c / 40), 0);
  close(f.DifferenceEntropy!, dent, "DifferenceEntropy");
});

test("feature list in PyRadiomics order; deprecated names give no value; unknown names throw", () => {
  assert.equal(GLCM_CLASS.name, "glcm");
  assert.equal(ACTIVE.length, 24);
  assert.deepEqual([...GLCM_CLASS.deprecated].sort(), [
    "Dissimilarity",
    "Homogeneity1",
    "Homogeneity2",
    "SumVariance",
  ]);
  // inspect.getmembers sorts the method names get<Name>FeatureValue
  const methods = GLCM_CLASS.features.map((f) => `get${f}FeatureValue`);
  assert.deepEqual(methods, [...methods].sort());
  const f = computeGlcmFeatures(roi2D(DOC_IMAGE), HORIZONTAL, ["SumVariance", "Contrast"]);
  assert.deepEqual(Object.keys(f), ["Contrast"]);
  assert.throws(() => computeGlcmFeatures(roi2D(DOC_IMAGE), HORIZONTAL, ["Contrst"]), /Contrst/);
});

/** 3x3x3 array with a 3-voxel ROI along x in the middle row of the middle slice, levels 1 1 2. */
function rowRoi(): DiscretisedRoi {
  const levels = new Int32Array(27);
  const mask = new Uint8Array(27);
  const base = 1 * 9 + 1 * 3; // z = 1, y = 1
  levels.set([1, 1, 2], base);
  mask.set([1, 1, 1], base);
  return { levels, mask, size: [3, 3, 3], spacing: [1, 1, 1], nLevels: 2, dimension: 3 };
}

test("empty angles are deleted before averaging (only the x direction has pairs)", () => {
  const { angleCount } = glcmMatrices(rowRoi(), settings());
  assert.equal(angleCount, 1);
  const f = computeGlcmFeatures(rowRoi(), settings(), ["JointAverage", "Contrast", "Correlation"]);
  // symmetrical P: (1,1) = 2, (1,2) = (2,1) = 1 over 4 -> ux = (1*3 + 2*1) / 4
  close(f.JointAverage!, 1.25, "JointAverage");
  close(f.Contrast!, 0.5, "Contrast");
  // Correlation = cov / (sigma_x sigma_y), sigma_x = sigma_y for a symmetrical matrix
  const ux = 1.25;
  const cov = (2 * (1 - ux) ** 2 + 2 * (1 - ux) * (2 - ux)) / 4;
  const variance = (3 * (1 - ux) ** 2 + (2 - ux) ** 2) / 4;
  close(f.Correlation!, cov / variance, "Correlation", 1e-12);
});

// 2x2 image [[1, 2], [2, 1]] with spacing x 1, y 2. Mono-directional 2D angles (y, x):
// (1, 1): pair (1,1); (1, 0): pairs (1,2), (2,1); (1, -1): pair (2,2); (0, 1): pairs (1,2), (2,1).
const TWO = () =>
  roi2D(
    [
      [1, 2],
      [2, 1],
    ],
    [1, 2, 1],
  );

test("no weighting: per-angle features averaged", () => {
  const f = computeGlcmFeatures(TWO(), settings(), ["Contrast", "JointEnergy"]);
  close(f.Contrast!, (0 + 1 + 0 + 1) / 4, "Contrast");
  close(f.JointEnergy!, (1 + 0.5 + 1 + 0.5) / 4, "JointEnergy");
});

test("weightingNorm: matrices summed with W = exp(-||d||^2), d = |angle| * spacing", () => {
  const e = Math.exp;
  // weights of the angles (1,1), (1,0), (1,-1), (0,1) with spacing (y 2, x 1)
  const cases: [TextureSettings["weightingNorm"], number[]][] = [
    ["manhattan", [e(-9), e(-4), e(-9), e(-1)]],
    ["euclidean", [e(-5), e(-4), e(-5), e(-1)]],
    ["infinity", [e(-4), e(-4), e(-4), e(-1)]],
    ["no_weighting", [1, 1, 1, 1]],
  ];
  for (const [norm, w] of cases) {
    const f = computeGlcmFeatures(TWO(), settings({ weightingNorm: norm }), [
      "Contrast",
      "JointEnergy",
    ]);
    // combined symmetrical matrix: P11 = 2 w0, P22 = 2 w2, P12 = P21 = 2 (w1 + w3)
    const total = 2 * w[0]! + 2 * w[2]! + 4 * (w[1]! + w[3]!);
    close(f.Contrast!, (4 * (w[1]! + w[3]!)) / total, `${norm} Contrast`);
    const p11 = (2 * w[0]!) / total;
    const p22 = (2 * w[2]!) / total;
    const p12 = (2 * (w[1]! + w[3]!)) / total;
    close(f.JointEnergy!, p11 ** 2 + p22 ** 2 + 2 * p12 ** 2, `${norm} JointEnergy`);
  }
});

// MCC = sqrt(second largest eigenvalue of Q), Q(i, j) = sum_k p(i, k) p(j, k) / (px(i) py(k)): the
// maximal correlation of the table (Renyi 1959). For a 2 x 2 table it is the phi coefficient |ad -
// bc| / sqrt(px1 px2 py1 py2); a table that splits into blocks sharing no row or column has maximal
// correlation 1 (two eigenvalues equal to 1). The eps of PyRadiomics' denominators moves these
// values by far less than the tolerances below.
test("MCC of a 2 x 2 symmetrical GLCM is the phi coefficient", () => {
  // Horizontal pairs (1,1) x2, (1,2); (2,2) x2, (2,1): symmetrical counts [[4, 2], [2, 4]] / 12.
  const f = computeGlcmFeatures(
    roi2D([
      [1, 1, 1, 2],
      [2, 2, 2, 1],
    ]),
    HORIZONTAL,
    ["MCC"],
  );
  // phi = (4 * 4 - 2 * 2) / (6 * 6)
  close(f.MCC!, 12 / 36, "MCC", 1e-12);
});

test("MCC of an asymmetrical 2 x 2 GLCM (px != py) is the phi coefficient", () => {
  // Pairs (1,2), (2,2), (2,2) and (1,1), (1,2): counts [[1, 2], [0, 2]] / 5.
  const f = computeGlcmFeatures(
    roi2D([
      [1, 2, 2, 2],
      [1, 1, 2, 0],
    ]),
    { ...HORIZONTAL, symmetricalGLCM: false },
    ["MCC"],
  );
  // px = (3, 2) / 5, py = (1, 4) / 5: phi^2 = (1 * 2 - 2 * 0)^2 / (3 * 2 * 1 * 4)
  close(f.MCC!, Math.sqrt(4 / 24), "MCC", 1e-12);
});

test("MCC of a 3 x 3 GLCM from the trace and determinant of Q", () => {
  // Pairs (1,1) x2, (1,2), (2,2), (2,3), (3,3): symmetrical counts C = [[4,1,0],[1,2,1],[0,1,2]].
  const f = computeGlcmFeatures(roi2D([[1, 1, 1, 2, 2, 3, 3]]), HORIZONTAL, ["MCC"]);
  const c = [
    [4, 1, 0],
    [1, 2, 1],
    [0, 1, 2],
  ];
  const total = 12;
  const px = c.map((row) => row.reduce((s, v) => s + v, 0) / total);
  // Q = Dx^-1 P Dx^-1 P (P symmetric) has eigenvalues 1, l2, l3 with
  // l2 + l3 = trace(Q) - 1 and l2 l3 = det(Q) = det(P)^2 / prod(px)^2.
  let trace = 0;
  for (let i = 0; i < 3; i++)
    for (let k = 0; k < 3; k++) trace += (c[i]![k]! / total) ** 2 / (px[i]! * px[k]!);
  const detC = 4 * (2 * 2 - 1 * 1) - 1 * (1 * 2 - 1 * 0); // = 10
  const det = (detC / total ** 3) ** 2 / (px[0]! * px[1]! * px[2]!) ** 2;
  const sum = trace - 1;
  const l2 = (sum + Math.sqrt(sum * sum - 4 * det)) / 2;
  close(f.MCC!, Math.sqrt(l2), "MCC", 1e-12);
});

test("MCC is 1 when the GLCM splits into blocks with no level in common", () => {
  // Row 1: levels {1, 2}; row 2: levels {3, 4}; no horizontal pair links the two sets.
  const f = computeGlcmFeatures(
    roi2D([
      [1, 1, 1, 2],
      [3, 3, 4, 4],
    ]),
    HORIZONTAL,
    ["MCC"],
  );
  close(f.MCC!, 1, "MCC", 1e-12);
});

test("flat region (one gray level): PyRadiomics' zero-division rules", () => {
  const f = computeGlcmFeatures(
    roi2D([
      [3, 3],
      [3, 3],
    ]),
    settings(),
    ACTIVE,
  );
  // p = 1 at (3, 3); log2(1 + eps) = eps / ln 2
  const log2OnePlusEps = Math.log2(1 + 2.220446049250313e-16);
  assert.equal(f.Correlation, 1); // sigx * sigy == 0 -> 1
  assert.equal(f.Imc1, 0); // HXY - HXY1 = 0
  assert.equal(f.Imc2, 0); // HXY2 == HXY -> 0
  assert.equal(f.MCC, 1); // fewer than 2 gray levels
  assert.equal(f.JointEnergy, 1);
  assert.equal(f.JointAverage, 3);
  assert.equal(f.SumAverage, 6);
  assert.equal(f.Contrast, 0);
  assert.equal(f.Idmn, 1);
  assert.equal(f.InverseVariance, 0);
  assert.equal(f.JointEntropy, -log2OnePlusEps);
  assert.equal(f.SumEntropy, -log2OnePlusEps);
});

test("single-voxel ROI: every angle empty -> NaN features (MCC 1 without weighting, NaN with)", () => {
  const single = roi2D([
    [0, 0],
    [0, 4],
  ]);
  const f = computeGlcmFeatures(single, settings(), ACTIVE);
  for (const name of ACTIVE) {
    if (name === "MCC") assert.equal(f[name], 1);
    else assert.ok(Number.isNaN(f[name]), `${name} should be NaN, got ${f[name]}`);
  }
  const w = computeGlcmFeatures(single, settings({ weightingNorm: "no_weighting" }), ACTIVE);
  for (const name of ACTIVE) assert.ok(Number.isNaN(w[name]), `weighted ${name} should be NaN`);
});

test("invalid settings are rejected", () => {
  assert.throws(
    () => computeGlcmFeatures(TWO(), settings({ weightingNorm: "taxicab" as never }), ["Contrast"]),
    /weightingNorm/,
  );
  assert.throws(
    () => computeGlcmFeatures(TWO(), settings({ distances: [0] }), ["Contrast"]),
    /distances/,
  );
  const bad = TWO();
  bad.levels[0] = 0;
  assert.throws(() => computeGlcmFeatures(bad, settings(), ["Contrast"]), /gray level 0/);
});

// ---------------------------------------------------------------------------------------------
// Parity with the PyRadiomics oracle (original image, no engine step other than crop + binning)
// ---------------------------------------------------------------------------------------------

defineClassOracleTests({
  className: "glcm",
  params3D: [
    "baseline_original",
    "baseline_FBN",
    "baseline_combined",
    "baseline_2d",
    "baseline_flatRegion",
    "2d_original",
    "2d_distances_1_2_3",
    "2d_weighting_manhattan",
    "2d_weighting_euclidean",
    "2d_weighting_infinity",
  ],
  compute: (roi, s) =>
    computeGlcmFeatures(
      roi,
      settings({
        distances: (s.distances as number[]) ?? [1],
        force2D: (s.force2D as boolean) ?? false,
        force2Ddimension: (s.force2Ddimension as 0 | 1 | 2) ?? 0,
        weightingNorm: (s.weightingNorm as TextureSettings["weightingNorm"]) ?? null,
      }),
      ACTIVE,
    ),
});
