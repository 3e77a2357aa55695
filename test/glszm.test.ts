/**
 * GLSZM: the worked 5x5 example of PyRadiomics' documentation (radiomics/glszm.py docstring), with
 * feature values worked out by hand from the documented formulas; connectivity (26 / 8 / in-plane);
 * a single-voxel ROI; bad input. The last test checks GLSZM, GLDM and NGTDM together against the
 * PyRadiomics oracle on the reference images (one place for the crop / discretise fixture).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { computeGldmFeatures, GLDM_CLASS } from "../src/features/gldm.js";
import { computeGlszmFeatures, computeGlszmMatrix, GLSZM_CLASS } from "../src/features/glszm.js";
import { inspectTextureRoi, neighbourOffsets } from "../src/features/texture-common.js";
import { computeNgtdmFeatures, NGTDM_CLASS } from "../src/features/ngtdm.js";
import {
  DEFAULT_TEXTURE_SETTINGS,
  type DiscretisedRoi,
  type FeatureClassInfo,
  type FeatureValues,
  type TextureSettings,
} from "../src/features/types.js";
import { discretise } from "../src/image/discretise.js";
import type { Volume } from "../src/image/volume.js";
import { readNrrd } from "../src/io/nrrd.js";
import { missingReference, readOracle, referenceDir } from "./support/reference.js";
import { close, image2D } from "./support/texture-fixtures.js";

/** PyRadiomics docs' 5x5 GLSZM / GLDM example image (rows top to bottom = numpy axis 0). */
const DOC_IMAGE = [
  [5, 2, 5, 4, 4],
  [3, 3, 3, 1, 3],
  [2, 1, 1, 1, 3],
  [4, 2, 2, 2, 3],
  [3, 5, 3, 3, 2],
];

test("GLSZM of the PyRadiomics documentation example", () => {
  const m = computeGlszmMatrix(image2D(DOC_IMAGE), DEFAULT_TEXTURE_SETTINGS);
  assert.deepEqual([...m.ivector], [1, 2, 3, 4, 5]);
  assert.deepEqual([...m.jvector], [1, 2, 3, 4, 5]);
  // The matrix printed in the documentation (rows: gray level 1..5, columns: zone size 1..5).
  const expected = [
    [0, 0, 0, 1, 0],
    [1, 0, 0, 0, 1],
    [1, 0, 1, 0, 1],
    [1, 1, 0, 0, 0],
    [3, 0, 0, 0, 0],
  ];
  assert.deepEqual([...m.p], expected.flat());
  assert.equal(m.nz, 11);
});

test("GLSZM features of the documentation example, by hand", () => {
  const v = computeGlszmFeatures(
    image2D(DOC_IMAGE),
    DEFAULT_TEXTURE_SETTINGS,
    GLSZM_CLASS.features,
  );
  // Nz = 11 zones, Np = 25 voxels; zones per size: 6, 1, 1, 1, 2; per gray level: 1, 2, 3, 2, 3.
  close(v.SmallAreaEmphasis, (6 + 1 / 4 + 1 / 9 + 1 / 16 + 2 / 25) / 11, "SAE");
  close(v.LargeAreaEmphasis, (6 + 4 + 9 + 16 + 2 * 25) / 11, "LAE");
  close(v.GrayLevelNonUniformity, (1 + 4 + 9 + 4 + 9) / 11, "GLN");
  close(v.GrayLevelNonUniformityNormalized, 27 / 121, "GLNN");
  close(v.SizeZoneNonUniformity, (36 + 1 + 1 + 1 + 4) / 11, "SZN");
  close(v.SizeZoneNonUniformityNormalized, 43 / 121, "SZNN");
  close(v.ZonePercentage, 11 / 25, "ZP");
  // mean gray level 37/11, E[i^2] = 143/11; mean size 25/11, E[j^2] = 85/11.
  close(v.GrayLevelVariance, 143 / 11 - (37 / 11) ** 2, "GLV");
  close(v.ZoneVariance, 85 / 11 - (25 / 11) ** 2, "ZV");
  // 8 cells hold one zone, one cell holds 3 zones.
  close(v.ZoneEntropy, (8 / 11) * Math.log2(11) + (3 / 11) * Math.log2(11 / 3), "ZE");
  close(v.LowGrayLevelZoneEmphasis, (1 + 2 / 4 + 3 / 9 + 2 / 16 + 3 / 25) / 11, "LGLZE");
  close(v.HighGrayLevelZoneEmphasis, 143 / 11, "HGLZE");
  const salgle =
    1 / (1 * 16) +
    (1 / 4 + 1 / (4 * 25)) +
    (1 / 9 + 1 / (9 * 9) + 1 / (9 * 25)) +
    (1 / 16 + 1 / (16 * 4)) +
    3 / 25;
  close(v.SmallAreaLowGrayLevelEmphasis, salgle / 11, "SALGLE");
  const sahgle = 1 / 16 + (4 + 4 / 25) + (9 + 9 / 9 + 9 / 25) + (16 + 16 / 4) + 3 * 25;
  close(v.SmallAreaHighGrayLevelEmphasis, sahgle / 11, "SAHGLE");
  const lalgle = 16 + (1 / 4 + 25 / 4) + (1 / 9 + 9 / 9 + 25 / 9) + (1 / 16 + 4 / 16) + 3 / 25;
  close(v.LargeAreaLowGrayLevelEmphasis, lalgle / 11, "LALGLE");
  close(v.LargeAreaHighGrayLevelEmphasis, (16 + 104 + 315 + 80 + 75) / 11, "LAHGLE");
  assert.deepEqual(Object.keys(v).sort(), [...GLSZM_CLASS.features].sort());
});

test("GLSZM with force2D on a 2D image drops numpy axis 0: zones are row runs", () => {
  const settings = { ...DEFAULT_TEXTURE_SETTINGS, force2D: true, force2Ddimension: 0 as const };
  const m = computeGlszmMatrix(image2D(DOC_IMAGE), settings);
  // Row runs: 5|2|5|44, 333|1|3, 2|111|3, 4|222|3, 3|5|33|2 -> 17 zones.
  assert.equal(m.nz, 17);
  const row3 = m.ivector.indexOf(3);
  const cell = (size: number) => m.p[row3 * m.cols + m.jvector.indexOf(size)];
  assert.equal(cell(1), 4);
  assert.equal(cell(2), 1);
  assert.equal(cell(3), 1);
});

test("GLSZM zones are 26-connected in 3D and in-plane with force2D", () => {
  // 2x2x2 ROI; level 2 at (x,y,z) = (0,0,0) and (1,1,1) (corner-touching), level 1 elsewhere.
  const levels = new Int32Array(8).fill(1);
  levels[0] = 2;
  levels[7] = 2;
  const roi: DiscretisedRoi = {
    levels,
    mask: new Uint8Array(8).fill(1),
    size: [2, 2, 2],
    spacing: [1, 1, 1],
    nLevels: 2,
    dimension: 3,
  };
  const m3 = computeGlszmMatrix(roi, DEFAULT_TEXTURE_SETTINGS);
  // Level 1: one zone of 6 voxels; level 2: one zone of 2 (corner neighbours).
  assert.deepEqual([...m3.jvector], [2, 6]);
  assert.deepEqual([...m3.p], [0, 1, 1, 0]);
  const slices = { ...DEFAULT_TEXTURE_SETTINGS, force2D: true, force2Ddimension: 0 as const };
  const m2 = computeGlszmMatrix(roi, slices);
  // Per z slice: level 1 is one zone of 3 per slice (edge-connected in-plane), level 2 two singletons.
  assert.deepEqual([...m2.jvector], [1, 3]);
  assert.deepEqual([...m2.p], [0, 2, 2, 0]);
  assert.equal(
    neighbourOffsets(inspectTextureRoi(roi, "test"), [1], slices, true, "test").count,
    8,
  );
  assert.equal(
    neighbourOffsets(inspectTextureRoi(roi, "test"), [1], DEFAULT_TEXTURE_SETTINGS, true, "test")
      .count,
    26,
  );
});

test("GLSZM of a single-voxel ROI (PyRadiomics formulas with Nz = Np = 1)", () => {
  const levels = new Int32Array(9);
  const mask = new Uint8Array(9);
  levels[4] = 3;
  mask[4] = 1;
  const roi: DiscretisedRoi = {
    levels,
    mask,
    size: [3, 3, 1],
    spacing: [1, 1, 1],
    nLevels: 3,
    dimension: 3,
  };
  const v = computeGlszmFeatures(roi, DEFAULT_TEXTURE_SETTINGS, GLSZM_CLASS.features);
  for (const name of [
    "SmallAreaEmphasis",
    "LargeAreaEmphasis",
    "GrayLevelNonUniformity",
    "GrayLevelNonUniformityNormalized",
    "SizeZoneNonUniformity",
    "SizeZoneNonUniformityNormalized",
    "ZonePercentage",
  ]) {
    assert.equal(v[name], 1, name);
  }
  assert.equal(v.GrayLevelVariance, 0);
  assert.equal(v.ZoneVariance, 0);
  // -1 * log2(1 + eps): PyRadiomics adds eps = 2.2e-16 inside the logarithm.
  assert.ok(v.ZoneEntropy! <= 0 && v.ZoneEntropy! > -1e-15, `ZE ${v.ZoneEntropy}`);
  close(v.LowGrayLevelZoneEmphasis, 1 / 9, "LGLZE");
  close(v.HighGrayLevelZoneEmphasis, 9, "HGLZE");
  close(v.LargeAreaHighGrayLevelEmphasis, 9, "LAHGLE");
});

test("GLSZM feature list is PyRadiomics' (alphabetical by getter) and bad input is refused", () => {
  const getters = GLSZM_CLASS.features.map((f) => `get${f}FeatureValue`);
  assert.deepEqual(getters, [...getters].sort());
  assert.equal(GLSZM_CLASS.features.length, 16);
  const roi = image2D(DOC_IMAGE);
  assert.throws(
    () => computeGlszmFeatures(roi, DEFAULT_TEXTURE_SETTINGS, ["ZoneEntropyy"]),
    /unknown feature 'ZoneEntropyy'/,
  );
  const empty = { ...roi, mask: new Uint8Array(25) };
  assert.throws(
    () => computeGlszmFeatures(empty, DEFAULT_TEXTURE_SETTINGS, ["ZoneEntropy"]),
    /mask is empty/,
  );
  const zeroLevel = { ...roi, levels: new Int32Array(25) };
  assert.throws(
    () => computeGlszmFeatures(zeroLevel, DEFAULT_TEXTURE_SETTINGS, ["ZoneEntropy"]),
    /gray level 0/,
  );
});

/**
 * PyRadiomics' cropToTumorMask: the label's bounding box grown by padDistance voxels per side,
 * clipped at the image edge.
 */
function cropToLabel(image: Volume, label: Volume, padDistance: number) {
  const [nx, ny, nz] = image.size;
  const lo = [nx, ny, nz];
  const hi = [-1, -1, -1];
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (label.data[i] !== 1) continue;
        const c = [x, y, z];
        for (let d = 0; d < 3; d++) {
          lo[d] = Math.min(lo[d]!, c[d]!);
          hi[d] = Math.max(hi[d]!, c[d]!);
        }
      }
    }
  }
  const from = lo.map((v) => Math.max(v - padDistance, 0));
  const to = hi.map((v, d) => Math.min(v + padDistance, image.size[d]! - 1));
  const size: [number, number, number] = [0, 1, 2].map((d) => to[d]! - from[d]! + 1) as [
    number,
    number,
    number,
  ];
  const n = size[0] * size[1] * size[2];
  const values = new Float64Array(n);
  const mask = new Uint8Array(n);
  let k = 0;
  for (let z = from[2]!; z <= to[2]!; z++) {
    for (let y = from[1]!; y <= to[1]!; y++) {
      for (let x = from[0]!; x <= to[0]!; x++, k++) {
        const i = x + nx * (y + ny * z);
        values[k] = image.data[i]!;
        mask[k] = label.data[i] === 1 ? 1 : 0;
      }
    }
  }
  return { values, mask, size };
}

function readNrrdFile(path: string): Promise<Volume> {
  return readNrrd(new Uint8Array(readFileSync(path)), path);
}

interface OracleRun {
  image: string;
  params: string;
  binWidth?: number;
  binCount?: number;
  settings: Partial<TextureSettings>;
}

// Settings as in /work/shared/reference/pyradiomics/params/<params>.yaml.
const ORACLE_RUNS: OracleRun[] = [
  { image: "brain2", params: "baseline_original", binWidth: 25, settings: {} },
  { image: "breast1", params: "baseline_FBN", binCount: 64, settings: {} },
  { image: "brain2", params: "baseline_2d", binWidth: 25, settings: { force2D: true } },
  {
    image: "breast1",
    params: "2d_distances_1_2_3",
    binWidth: 25,
    settings: { force2D: true, distances: [1, 2, 3] },
  },
  { image: "brain2_slice2D", params: "slice2D_all", binWidth: 25, settings: {} },
  {
    image: "brain2_slice2D",
    params: "baseline_2d_shape2D",
    binWidth: 25,
    settings: { force2D: true },
  },
];

const ORACLE_CLASSES: [FeatureClassInfo, typeof computeGlszmFeatures][] = [
  [GLSZM_CLASS, computeGlszmFeatures],
  [GLDM_CLASS, computeGldmFeatures],
  [NGTDM_CLASS, computeNgtdmFeatures],
];

test("GLSZM, GLDM and NGTDM match the PyRadiomics oracle", async (t) => {
  const ref = referenceDir();
  if (!ref) {
    t.skip(missingReference("GLSZM/GLDM/NGTDM oracle parity"));
    return;
  }
  const dir = join(ref, "pyradiomics");
  let compared = 0;
  for (const run of ORACLE_RUNS) {
    const oracle = readOracle(dir, `${run.image}__${run.params}`);
    const image = await readNrrdFile(join(dir, "data", `${run.image}_image.nrrd`));
    const label = await readNrrdFile(join(dir, "data", `${run.image}_label.nrrd`));
    const crop = cropToLabel(image, label, 5);
    const d = discretise(crop.values, crop.mask, {
      binWidth: run.binWidth,
      binCount: run.binCount,
    });
    const roi: DiscretisedRoi = {
      levels: d.levels,
      mask: crop.mask,
      size: crop.size,
      spacing: image.spacing,
      nLevels: d.nLevels,
      dimension: image.dimension,
    };
    const settings = { ...DEFAULT_TEXTURE_SETTINGS, ...run.settings };
    for (const [info, compute] of ORACLE_CLASSES) {
      const prefix = `original_${info.name}_`;
      const names = Object.keys(oracle)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length));
      // The oracle lists every non-deprecated feature, in PyRadiomics order.
      assert.deepEqual(
        names,
        info.features.filter((f) => !info.deprecated.includes(f)),
      );
      const got: FeatureValues = compute(roi, settings, names);
      for (const name of names) {
        const expected = oracle[prefix + name]!;
        const actual = got[name]!;
        const tol = 1e-9 * Math.abs(expected) + 1e-12;
        assert.ok(
          Math.abs(actual - expected) <= tol,
          `${run.image}__${run.params} ${info.name}_${name}: got ${actual}, oracle ${expected}`,
        );
        compared++;
      }
    }
  }
  assert.equal(compared, ORACLE_RUNS.length * 35);
});
