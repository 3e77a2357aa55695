/**
 * Gradient image type (ITK GradientMagnitudeImageFilter): hand-checkable ramps, with and without the
 * image spacing, ITK's border rule (edge voxels repeat), region (bounding-box) computation equal to
 * the whole image's, plus an oracle check through the engine.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { extractFeatures } from "../src/extract/extractor.js";
import { DEFAULT_SETTINGS, parseParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { gradientImages, gradientMagnitude } from "../src/filters/gradient.js";
import { IDENTITY3, type Vec3, type Volume } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import {
  assertOracleValues,
  missingReference,
  readOracle,
  referenceDir,
} from "./support/reference.js";
import { assertSameInRegion, randomVolume, testRegions } from "./support/regions.js";

/** f(x, y, z) = 3x + 2y - z in index units, on a 6 x 5 x 4 grid. */
function ramp(spacing: Vec3): Volume {
  const size: Vec3 = [6, 5, 4];
  const data = new Int16Array(6 * 5 * 4);
  for (let z = 0; z < 4; z++)
    for (let y = 0; y < 5; y++)
      for (let x = 0; x < 6; x++) data[x + 6 * (y + 5 * z)] = 3 * x + 2 * y - z;
  return { data, size, spacing, origin: [0, 0, 0], direction: [...IDENTITY3], dimension: 3 };
}

const at = (v: Volume, x: number, y: number, z: number) => v.data[x + 6 * (y + 5 * z)]!;

test("gradient of a linear ramp is its slope in the interior (voxel units)", () => {
  const g = gradientMagnitude(ramp([0.5, 2, 1]), false);
  assert.ok(g.data instanceof Float32Array);
  for (let z = 1; z < 3; z++)
    for (let y = 1; y < 4; y++)
      for (let x = 1; x < 5; x++) assert.equal(at(g, x, y, z), Math.fround(Math.sqrt(14)));
});

test("gradient with spacing: slopes 3/0.5, 2/2, -1/1 per mm", () => {
  const g = gradientMagnitude(ramp([0.5, 2, 1]), true);
  assert.equal(at(g, 2, 2, 1), Math.fround(Math.sqrt(36 + 1 + 1)));
});

test("borders repeat the edge voxel: one-sided half differences", () => {
  const g = gradientMagnitude(ramp([1, 1, 1]), false);
  // Corner (0,0,0): gx = (3 - 0)/2, gy = (2 - 0)/2, gz = (-1 - 0)/2.
  assert.equal(at(g, 0, 0, 0), Math.fround(Math.sqrt(1.5 ** 2 + 1 + 0.25)));
  // Far corner (5,4,3): the same one-sided halves.
  assert.equal(at(g, 5, 4, 3), Math.fround(Math.sqrt(1.5 ** 2 + 1 + 0.25)));
});

test("2D image: gradient in the plane only", () => {
  const data = new Float64Array([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
  const img: Volume = {
    data,
    size: [4, 3, 1],
    spacing: [0.25, 1, 1],
    origin: [0, 0, 0],
    direction: [...IDENTITY3],
    dimension: 2,
  };
  const g = gradientMagnitude(img, true);
  assert.equal(g.data[5], 4); // slope 1 per voxel / 0.25 mm
  assert.equal(g.data[4], 2); // left edge: (1 - 0)/2 / 0.25
});

test("gradientImages honours gradientUseSpacing and yields 'gradient'", () => {
  const roi = new Uint8Array(120).fill(1);
  const withSpacing = [...gradientImages(ramp([0.5, 2, 1]), roi, DEFAULT_SETTINGS)];
  assert.equal(withSpacing.length, 1);
  assert.equal(withSpacing[0]!.name, "gradient");
  assert.equal(at(withSpacing[0]!.image, 2, 2, 1), Math.fround(Math.sqrt(38)));
  const settings = { ...DEFAULT_SETTINGS, gradientUseSpacing: false };
  const noSpacing = [...gradientImages(ramp([0.5, 2, 1]), roi, settings)];
  assert.equal(noSpacing[0]!.settings, settings);
  assert.equal(at(noSpacing[0]!.image, 2, 2, 1), Math.fround(Math.sqrt(14)));
});

test("oracle: brain2 and breast1 Gradient features equal PyRadiomics'", async (t) => {
  const ref = referenceDir();
  const root = ref ? join(ref, "pyradiomics") : "";
  if (!ref || !existsSync(join(root, "oracle", "breast1__imagetype_Gradient.json"))) {
    console.log(missingReference("Gradient oracle check"));
    t.skip("reference folder absent");
    return;
  }
  const params = parseParams(
    readFileSync(join(root, "params", "imagetype_Gradient.yaml"), "utf8"),
    FEATURE_CATALOGUE,
  );
  for (const name of ["brain2", "breast1"]) {
    const [image, mask] = await Promise.all([
      readImageFile(join(root, "data", `${name}_image.nrrd`)),
      readImageFile(join(root, "data", `${name}_label.nrrd`)),
    ]);
    const got = extractFeatures(image, mask, params, {
      filters: { derivedImages: (_type, img, roi, s) => gradientImages(img, roi, s) },
    }).features;
    const want = readOracle(root, `${name}__imagetype_Gradient`);
    assertOracleValues(got, want, name);
    assert.equal(Object.keys(got).length, Object.keys(want).length);
  }
});

test("a region gives the whole-image gradient inside it, bit for bit", () => {
  for (const image of [
    randomVolume((n) => new Int16Array(n), [11, 9, 7], -300, 300),
    randomVolume((n) => new Float32Array(n), [10, 8, 1], 0, 1, 3, 2),
  ]) {
    const whole = gradientMagnitude(image);
    for (const region of testRegions(image.size)) {
      const part = gradientMagnitude(image, true, region);
      assertSameInRegion(whole.data, part.data, image.size, region, "gradient");
    }
    const region = testRegions(image.size)[0]!;
    const [d] = [...gradientImages(image, new Uint8Array(0), { ...DEFAULT_SETTINGS }, region)];
    assertSameInRegion(whole.data, d!.image.data, image.size, region, "gradientImages");
  }
  assert.throws(
    () => gradientMagnitude(ramp([1, 1, 1]), true, { lower: [0, 0, 0], upper: [6, 4, 3] }),
    /gradient: region \[0, 0, 0\]\.\.\[6, 4, 3\] is not inside the image/,
  );
});
