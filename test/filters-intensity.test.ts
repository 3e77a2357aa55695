/**
 * Square, SquareRoot, Logarithm and Exponential image types: hand-computed values from PyRadiomics'
 * documented formulas (imageoperations.py), region (bounding-box) computation equal to the whole
 * image's, plus an oracle check through the extraction engine.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type DerivedImage, extractFeatures } from "../src/extract/extractor.js";
import { DEFAULT_SETTINGS, type ImageTypeName, parseParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import {
  exponentialImage,
  exponentialImages,
  logarithmImage,
  logarithmImages,
  squareImage,
  squareImages,
  squareRootImage,
  squareRootImages,
} from "../src/filters/intensity.js";
import { IDENTITY3, type Volume, type VoxelArray } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import {
  assertOracleValues,
  missingReference,
  readOracle,
  referenceDir,
} from "./support/reference.js";
import { assertSameInRegion, randomVolume, testRegions } from "./support/regions.js";

function line(data: VoxelArray): Volume {
  return {
    data,
    size: [data.length, 1, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [...IDENTITY3],
    dimension: 3,
  };
}

function assertClose(got: ArrayLike<number>, want: number[], tol = 1e-15): void {
  assert.equal(got.length, want.length);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!;
    const w = want[i]!;
    assert.ok(Math.abs(g - w) <= tol * Math.max(1, Math.abs(w)), `voxel ${i}: got ${g}, want ${w}`);
  }
}

// x = [-4, 0, 1, 4]: max |x| = 4.
const sample = () => line(new Int16Array([-4, 0, 1, 4]));

test("square: (x / sqrt(max|x|))^2, sign lost", () => {
  const out = squareImage(sample());
  assert.ok(out.data instanceof Float64Array);
  assertClose(out.data, [4, 0, 0.25, 4]);
});

test("square root: sign(x) sqrt(|x| max|x|)", () => {
  assertClose(squareRootImage(sample()).data, [-4, 0, 2, 4]);
});

test("logarithm: sign(x) log(|x| + 1), rescaled to max|x|", () => {
  const k = 4 / Math.log(5);
  assertClose(logarithmImage(sample()).data, [-4, 0, Math.log(2) * k, 4]);
});

test("exponential: exp(x log(max|x|) / max|x|) = 4^(x/4)", () => {
  assertClose(exponentialImage(sample()).data, [0.25, 1, Math.SQRT2, 4]);
});

test("an all-zero image is rejected where the coefficient is undefined", () => {
  const zeros = () => line(new Int16Array(4));
  assert.throws(() => squareImage(zeros()), /Square: every intensity of the image is 0/);
  assert.throws(() => logarithmImage(zeros()), /Logarithm/);
  assert.throws(() => exponentialImage(zeros()), /Exponential/);
  assertClose(squareRootImage(zeros()).data, [0, 0, 0, 0]);
});

test("a NaN intensity is reported, not propagated", () => {
  const bad = line(new Float64Array([1, Number.NaN, 2]));
  for (const filter of [squareImage, squareRootImage, logarithmImage, exponentialImage]) {
    assert.throws(() => filter(bad), /NaN intensity \(voxel 1\)/);
  }
});

test("generators yield PyRadiomics' names and pass the settings through", () => {
  const settings = { ...DEFAULT_SETTINGS, binWidth: 3 };
  const roi = new Uint8Array(4).fill(1);
  const names: string[] = [];
  for (const gen of [squareImages, squareRootImages, logarithmImages, exponentialImages]) {
    const all = [...gen(sample(), roi, settings)];
    assert.equal(all.length, 1);
    assert.equal(all[0]!.settings, settings);
    names.push(all[0]!.name);
  }
  assert.deepEqual(names, ["square", "squareroot", "logarithm", "exponential"]);
});

test("a region gives the whole-image result inside it, bit for bit (integer tables, float images)", () => {
  const images = [
    randomVolume((n) => new Int16Array(n), [13, 11, 9], -700, 1500),
    randomVolume((n) => new Uint8Array(n), [9, 7, 5], 0, 256, 5),
    randomVolume((n) => new Float32Array(n), [8, 9, 6], -40, 60, 9),
    randomVolume((n) => new Float64Array(n), [10, 6, 1], 0.5, 9.5, 2, 2),
  ];
  const filters = [squareImage, squareRootImage, logarithmImage, exponentialImage];
  for (const image of images) {
    for (const filter of filters) {
      const whole = filter(image);
      for (const region of testRegions(image.size)) {
        const part = filter(image, region);
        assertSameInRegion(whole.data, part.data, image.size, region, filter.name);
      }
    }
    const region = testRegions(image.size)[0]!;
    for (const gen of [squareImages, squareRootImages, logarithmImages, exponentialImages]) {
      const [d] = [...gen(image, new Uint8Array(0), DEFAULT_SETTINGS, region)];
      const whole = [...gen(image, new Uint8Array(0), DEFAULT_SETTINGS)][0]!;
      assertSameInRegion(whole.image.data, d!.image.data, image.size, region, d!.name);
    }
  }
  assert.throws(
    () => squareImage(sample(), { lower: [0, 0, 0], upper: [4, 0, 0] }),
    /intensity filter: region \[0, 0, 0\]\.\.\[4, 0, 0\] is not inside the image/,
  );
});

test("logarithm of a 16-bit image: each value's log once, max |y| over the values present", () => {
  // x = [-4, 0, 1, 4, 1, -4]: y = [-log 5, 0, log 2, log 5, log 2, -log 5], max |y| = log 5.
  const out = logarithmImage(line(new Int16Array([-4, 0, 1, 4, 1, -4])));
  const k = 4 / Math.log(5);
  assertClose(out.data, [-4, 0, Math.log(2) * k, 4, Math.log(2) * k, -4]);
});

const ref = referenceDir();
const root = ref ? join(ref, "pyradiomics") : "";
const TYPES = ["Square", "SquareRoot", "Logarithm", "Exponential"] as const;
const generators: Record<(typeof TYPES)[number], typeof squareImages> = {
  Square: squareImages,
  SquareRoot: squareRootImages,
  Logarithm: logarithmImages,
  Exponential: exponentialImages,
};

for (const type of TYPES) {
  const oracle = join(root, "oracle", `breast1__imagetype_${type}.json`);
  test(`oracle: breast1 ${type} features equal PyRadiomics'`, async (t) => {
    if (!ref || !existsSync(oracle)) {
      console.log(missingReference(`${type} oracle check`));
      t.skip("reference folder absent");
      return;
    }
    const params = parseParams(
      readFileSync(join(root, "params", `imagetype_${type}.yaml`), "utf8"),
      FEATURE_CATALOGUE,
    );
    const [image, mask] = await Promise.all([
      readImageFile(join(root, "data", "breast1_image.nrrd")),
      readImageFile(join(root, "data", "breast1_label.nrrd")),
    ]);
    const filters = {
      derivedImages(kind: ImageTypeName, img: Volume, roi: Uint8Array, s: typeof DEFAULT_SETTINGS) {
        assert.equal(kind, type);
        return generators[type](img, roi, s) as Iterable<DerivedImage>;
      },
    };
    const got = extractFeatures(image, mask, params, { filters }).features;
    const want = readOracle(root, `breast1__imagetype_${type}`);
    assertOracleValues(got, want, `breast1 ${type}`);
    assert.equal(Object.keys(got).length, Object.keys(want).length);
    assert.equal(Object.keys(want).length, 107);
  });
}
