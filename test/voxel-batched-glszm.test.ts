/**
 * The batched voxel-based GLSZM (src/extract/voxel/glszm.ts): on random small grids and settings,
 * every kernel's features equal computeGlszmFeatures on that kernel's DiscretisedRoi bit for bit;
 * and a hand-computed 3 x 3 slice.
 */
import { test } from "node:test";
import { computeVoxelGlszm } from "../src/extract/voxel/glszm.js";
import { computeGlszmFeatures, GLSZM_CLASS } from "../src/features/glszm.js";
import { DEFAULT_TEXTURE_SETTINGS } from "../src/features/types.js";
import {
  assertHandValues,
  assertRandomCasesMatch,
  batchedMaps,
  voxelCase,
} from "./support/voxel-batched-cases.js";

test("voxel GLSZM: batched kernels equal the segment-based GLSZM on each kernel (random grids)", () => {
  assertRandomCasesMatch(7122026, 400, {}, GLSZM_CLASS, computeVoxelGlszm, computeGlszmFeatures);
});

test("voxel GLSZM: a 3 x 3 slice with three zones, by hand (the centre kernel)", () => {
  // A true 2D image (8-connectivity), rows y = 0, 1, 2:
  //   1 1 2
  //   1 2 2
  //   3 3 2
  // The centre kernel (radius 1) covers it all. Zones: level 1 of size 3, level 2 of size 4 (its
  // (2,0)-(1,1) link is diagonal), level 3 of size 2; Nz = 3, Np = 9. PyRadiomics glszm.py:
  // SAE = sum P/j^2 / Nz = (1/9 + 1/16 + 1/4) / 3, LAE = (9 + 16 + 4) / 3, GLN = (1 + 1 + 1) / 3,
  // GLNN = 3 / 9, SZN = 1, SZNN = 1/3, ZP = 3 / 9, GLV = ((1-2)^2 + 0 + (3-2)^2) / 3 = 2/3,
  // ZV = ((3-3)^2 + (4-3)^2 + (2-3)^2) / 3 = 2/3, ZE = log2 3, LGLZE = (1 + 1/4 + 1/9) / 3,
  // HGLZE = (1 + 4 + 9) / 3, SALGLE = (1/9 + 1/(4 16) + 1/(9 4)) / 3,
  // SAHGLE = (1/9 + 4/16 + 9/4) / 3, LALGLE = (9 + 16/4 + 4/9) / 3, LAHGLE = (9 + 64 + 36) / 3.
  const c = voxelCase(
    [3, 3, 1],
    2,
    Int32Array.of(1, 1, 2, 1, 2, 2, 3, 3, 2),
    new Uint8Array(9).fill(1),
    1,
    true,
    DEFAULT_TEXTURE_SETTINGS,
  );
  const names = [...GLSZM_CLASS.features];
  const maps = batchedMaps(c, computeVoxelGlszm, names);
  const expected: Record<string, number> = {
    SmallAreaEmphasis: (1 / 9 + 1 / 16 + 1 / 4) / 3,
    LargeAreaEmphasis: 29 / 3,
    GrayLevelNonUniformity: 1,
    GrayLevelNonUniformityNormalized: 1 / 3,
    SizeZoneNonUniformity: 1,
    SizeZoneNonUniformityNormalized: 1 / 3,
    ZonePercentage: 1 / 3,
    GrayLevelVariance: 2 / 3,
    ZoneVariance: 2 / 3,
    ZoneEntropy: Math.log2(3),
    LowGrayLevelZoneEmphasis: (1 + 1 / 4 + 1 / 9) / 3,
    HighGrayLevelZoneEmphasis: 14 / 3,
    SmallAreaLowGrayLevelEmphasis: (1 / 9 + 1 / 64 + 1 / 36) / 3,
    SmallAreaHighGrayLevelEmphasis: (1 / 9 + 4 / 16 + 9 / 4) / 3,
    LargeAreaLowGrayLevelEmphasis: (9 + 4 + 4 / 9) / 3,
    LargeAreaHighGrayLevelEmphasis: 109 / 3,
  };
  assertHandValues(maps, names, 4, expected);
});
