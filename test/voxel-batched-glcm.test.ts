/**
 * The batched voxel-based GLCM (src/extract/voxel/glcm.ts, VOXEL_CLASS_COMPUTE.glcm) against the
 * segment-based class (computeGlcmFeatures, which the feature parity suite checks against
 * PyRadiomics) applied to each kernel's DiscretisedRoi built as src/extract/voxel.ts builds it:
 * random small grids and settings, every value bit for bit; and one hand-computed kernel.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeVoxelGlcm } from "../src/extract/voxel/glcm.js";
import { GLCM_CLASS } from "../src/features/glcm/class-info.js";
import { computeGlcmFeatures } from "../src/features/glcm/compute.js";
import { DEFAULT_TEXTURE_SETTINGS } from "../src/features/types.js";
import {
  assertRandomCasesMatch,
  assertHandValues,
  batchedMaps,
  UNWRITTEN,
  voxelCase,
} from "./support/voxel-batched-cases.js";

test("batched voxel GLCM equals the per-kernel GLCM bit for bit on random grids", () => {
  const vary = { distances: true, symmetricalGLCM: true, weightingNorm: true };
  const { compared, threw } = assertRandomCasesMatch(
    1,
    600,
    vary,
    GLCM_CLASS,
    computeVoxelGlcm,
    computeGlcmFeatures,
  );
  // The generator reaches both outcomes (an error: a flat grid with no angle along its axes).
  assert.ok(compared > 450, `only ${compared} cases compared`);
  assert.ok(threw > 0 && threw < 100, `${threw} erroring cases`);
});

test("batched voxel GLCM: a hand-computed two-voxel kernel", () => {
  // A 2D image of 2 x 1 voxels, levels 1 and 2, both in the ROI; kernelRadius 1, so both kernels
  // (centres 0 and 1) are the whole image. One angle fits the shape (y, x) = (1, 2): (0, 1). The
  // pair (1, 2) symmetrised gives P = [[0, 1], [1, 0]], p = P / 2, Ng = 2, px = py = (1/2, 1/2),
  // ux = uy = 3/2, p_{x+y}(3) = 1, p_{x-y}(1) = 1. PyRadiomics' formulas (eps = 2^-52 only in the
  // logarithms and the correlation denominator):
  //   Autocorrelation = sum p i j = 2; JointAverage = ux = 1.5; Contrast = sum (i - j)^2 p = 1;
  //   DifferenceAverage = 1; DifferenceVariance = 0; JointEnergy = sum p^2 = 0.5;
  //   MaximumProbability = 0.5; SumAverage = 3; ClusterTendency = ClusterShade =
  //   ClusterProminence = sum (i + j - ux - uy)^k p = 0; SumSquares = sum (i - ux)^2 p = 0.25;
  //   Correlation = sum p (i - ux)(j - uy) / (sigx sigy) = -0.25 / 0.25 = -1;
  //   Id = 1 / (1 + 1) = 0.5, Idm = 1 / (1 + 1^2) = 0.5, Idn = 1 / (1 + 1/2) = 2/3,
  //   Idmn = 1 / (1 + 1/4) = 0.8, InverseVariance = 1 / 1^2 = 1;
  //   JointEntropy = -sum p log2 p = 1, SumEntropy = DifferenceEntropy = -1 log2 1 = 0;
  //   HX = HY = 1, HXY1 = -sum p log2(px py) = 2, HXY2 = -sum px py log2(px py) = 2:
  //   Imc1 = (HXY - HXY1) / max(HX, HY) = -1, Imc2 = sqrt(1 - e^(-2 (HXY2 - HXY))) = sqrt(1 - e^-2);
  //   Q = diag(1, 1) (no column shared by the rows): eigenvalues 1, 1, MCC = sqrt(1) = 1.
  const expected: Record<string, number> = {
    Autocorrelation: 2,
    JointAverage: 1.5,
    Contrast: 1,
    DifferenceAverage: 1,
    DifferenceVariance: 0,
    JointEnergy: 0.5,
    MaximumProbability: 0.5,
    SumAverage: 3,
    ClusterTendency: 0,
    ClusterShade: 0,
    ClusterProminence: 0,
    SumSquares: 0.25,
    Correlation: -1,
    Id: 0.5,
    Idm: 0.5,
    Idn: 2 / 3,
    Idmn: 0.8,
    InverseVariance: 1,
    JointEntropy: 1,
    SumEntropy: 0,
    DifferenceEntropy: 0,
    Imc1: -1,
    Imc2: Math.sqrt(1 - Math.exp(-2)),
    MCC: 1,
  };
  const names = [...Object.keys(expected), "SumVariance"];
  const c = voxelCase(
    [2, 1, 1],
    2,
    Int32Array.of(1, 2),
    Uint8Array.of(1, 1),
    1,
    true,
    DEFAULT_TEXTURE_SETTINGS,
  );
  assert.deepEqual(Array.from(c.kernels.boxes), [0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]);
  const out = batchedMaps(c, computeVoxelGlcm, names);
  for (const voxel of [0, 1]) {
    assertHandValues(out, names, voxel, expected);
    assert.equal(out[names.indexOf("SumVariance")]![voxel], UNWRITTEN, "deprecated: no value");
  }
});
