/**
 * LoG image type (ITK LaplacianRecursiveGaussianImageFilter through PyRadiomics getLoGImage):
 * analytic cases of the Laplacian and of Deriche's recursive Gaussian, PyRadiomics' naming and
 * sigma checks, region (bounding-box) computation equal to the whole image's, plus oracle checks
 * through the extraction engine (one with every filter restricted to the ROI's bounding box).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type DerivedImage, extractFeatures } from "../src/extract/extractor.js";
import { DEFAULT_SETTINGS, parseParams, type Settings } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import {
  laplacianRecursiveGaussian,
  logImageName,
  logImages,
  logSkipReasons,
} from "../src/filters/log.js";
import { pythonFloatString } from "../src/extract/python-format.js";
import { gradientImages } from "../src/filters/gradient.js";
import {
  exponentialImages,
  logarithmImages,
  squareImages,
  squareRootImages,
} from "../src/filters/intensity.js";
import { filterLine, recursiveGaussianCoefficients } from "../src/filters/recursive-gaussian.js";
import { waveletImages } from "../src/filters/wavelet.js";
import { type BoundingBox, boundingBox } from "../src/image/mask.js";
import { resampleImageAndMask } from "../src/image/resample.js";
import { IDENTITY3, type Vec3, type Volume } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import {
  assertOracleValues,
  missingReference,
  readOracle,
  referenceDir,
} from "./support/reference.js";
import { assertSameInRegion, randomVolume, testRegions } from "./support/regions.js";

function cube(n: number, spacing: number, f: (x: number, y: number, z: number) => number): Volume {
  const data = new Float64Array(n * n * n);
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++)
        data[x + n * (y + n * z)] = f(x * spacing, y * spacing, z * spacing);
  return {
    data,
    size: [n, n, n],
    spacing: [spacing, spacing, spacing],
    origin: [0, 0, 0],
    direction: [...IDENTITY3],
    dimension: 3,
  };
}

test("recursive Gaussian of an impulse: unit sum, close to the sampled Gaussian", () => {
  for (const sigma of [1, 2, 3]) {
    const n = 101;
    const data = new Float64Array(n);
    data[50] = 1;
    const out = new Float64Array(n);
    filterLine(recursiveGaussianCoefficients(sigma, 1, 0, false), data, out, n);
    let sum = 0;
    for (const v of out) sum += v;
    assert.ok(Math.abs(sum - 1) < 1e-9, `sigma ${sigma}: sum ${sum}`);
    const peak = 1 / (sigma * Math.sqrt(2 * Math.PI));
    for (let i = 0; i < n; i++) {
      const gauss = peak * Math.exp(-((i - 50) ** 2) / (2 * sigma * sigma));
      // Deriche's 4th-order approximation is good to about 0.3 % of the peak.
      assert.ok(
        Math.abs(out[i]! - gauss) < 3e-3 * peak,
        `sigma ${sigma}, i ${i}: ${out[i]} vs ${gauss}`,
      );
    }
  }
});

test("LoG of a constant image is 0", () => {
  const out = laplacianRecursiveGaussian(
    cube(12, 1, () => 100),
    1,
  );
  assert.ok(out.data instanceof Float32Array);
  for (const v of out.data) assert.ok(Math.abs(v) < 1e-4, `${v}`);
});

test("LoG of the bowl x^2 + y^2 + z^2 is 6 away from the borders; normalised = sigma^2 * 6", () => {
  for (const [spacing, sigma] of [
    [1, 1],
    [0.5, 1],
    [1, 2],
  ] as const) {
    const n = 48;
    const c = ((n - 1) * spacing) / 2;
    const bowl = cube(n, spacing, (x, y, z) => (x - c) ** 2 + (y - c) ** 2 + (z - c) ** 2);
    const plain = laplacianRecursiveGaussian(bowl, sigma, false);
    const normalised = laplacianRecursiveGaussian(bowl, sigma, true);
    // The edge-extension transient decays like exp(-1.37 d / sigma): negligible 10 sigma inside.
    const m = Math.ceil((10 * sigma) / spacing);
    for (let z = m; z < n - m; z++)
      for (let y = m; y < n - m; y++)
        for (let x = m; x < n - m; x++) {
          const i = x + n * (y + n * z);
          assert.ok(Math.abs(plain.data[i]! - 6) < 0.01, `(${x},${y},${z}): ${plain.data[i]}`);
          assert.ok(Math.abs(normalised.data[i]! - 6 * sigma * sigma) < 0.01 * sigma * sigma);
        }
    // Normalisation multiplies the second-derivative coefficients by sigma^2 exactly.
    for (let i = 0; i < plain.data.length; i += 97) {
      const want = sigma * sigma * plain.data[i]!;
      assert.ok(Math.abs(normalised.data[i]! - want) <= 1e-6 * Math.abs(want) + 1e-6);
    }
  }
});

test("names follow Python's str(float(sigma))", () => {
  assert.equal(logImageName(1), "log-sigma-1-0-mm-3D");
  assert.equal(logImageName(0.5), "log-sigma-0-5-mm-3D");
  assert.equal(logImageName(2.25), "log-sigma-2-25-mm-3D");
  assert.equal(pythonFloatString(1e-5), "1e-05");
  assert.equal(pythonFloatString(0.0001), "0.0001");
  assert.equal(pythonFloatString(1e16), "1e+16");
  assert.equal(pythonFloatString(123456789012345.0), "123456789012345.0");
});

test("sigma list: empty -> nothing; too large for the image -> skipped; tiny image -> nothing", () => {
  const img = cube(8, 1, (x) => x);
  const roi = new Uint8Array(512).fill(1);
  assert.equal([...logImages(img, roi, { ...DEFAULT_SETTINGS, sigma: [] })].length, 0);
  // size 8 >= ceil(7 / 1) + 1 = 8 keeps sigma 7; ceil(7.5) + 1 = 9 > 8 drops 7.5.
  const settings = { ...DEFAULT_SETTINGS, sigma: [1, 7.5, 7] };
  const out = [...logImages(img, roi, settings)];
  assert.deepEqual(
    out.map((d) => d.name),
    ["log-sigma-1-0-mm-3D", "log-sigma-7-0-mm-3D"],
  );
  assert.equal(out[0]!.settings, settings);
  assert.equal(logSkipReasons(img, [1, 7.5, 7]).length, 1);
  const flat: Volume = { ...cube(8, 1, () => 1), size: [16, 16, 2] as Vec3 };
  assert.equal([...logImages(flat, new Uint8Array(512), settings)].length, 0);
  assert.match(logSkipReasons(flat, [1])[0]!, /Image too small to apply LoG filter/);
});

test("oracle: breast1 LoG (sigma 1, 2, 3, 5 mm) features equal PyRadiomics'", async (t) => {
  const ref = referenceDir();
  const root = ref ? join(ref, "pyradiomics") : "";
  const oracle = join(root, "oracle", "breast1__imagetype_LoG.json");
  if (!ref || !existsSync(oracle)) {
    console.log(missingReference("LoG oracle check"));
    t.skip("reference folder absent");
    return;
  }
  const params = parseParams(
    readFileSync(join(root, "params", "imagetype_LoG.yaml"), "utf8"),
    FEATURE_CATALOGUE,
  );
  const [image, mask] = await Promise.all([
    readImageFile(join(root, "data", "breast1_image.nrrd")),
    readImageFile(join(root, "data", "breast1_label.nrrd")),
  ]);
  const got = extractFeatures(image, mask, params, {
    filters: { derivedImages: (_type, img, roi, s) => logImages(img, roi, s) },
  }).features;
  const want = readOracle(root, "breast1__imagetype_LoG");
  assertOracleValues(got, want, "breast1 LoG");
  assert.equal(Object.keys(got).length, Object.keys(want).length);
  assert.equal(Object.keys(want).length, 386);
});

test("LoG with a region equals the whole-image LoG inside it, bit for bit (0 outside)", () => {
  const images = [
    randomVolume((n) => new Int16Array(n), [23, 19, 13], -200, 900),
    randomVolume((n) => new Float64Array(n), [17, 21, 9], -5, 5, 11),
    randomVolume((n) => new Float32Array(n), [12, 15, 1], 0, 100, 5, 2),
  ];
  for (const image of images) {
    for (const sigma of [1, 2.5]) {
      const whole = laplacianRecursiveGaussian(image, sigma);
      for (const region of testRegions(image.size)) {
        const part = laplacianRecursiveGaussian(image, sigma, true, region);
        assertSameInRegion(whole.data, part.data, image.size, region, `sigma ${sigma}`);
        const [nx, ny] = image.size;
        const x = region.lower[0] > 0 ? 0 : region.upper[0] + 1;
        if (x < nx) assert.equal(part.data[x + nx * ny * region.lower[2]], 0);
      }
    }
    const settings = { ...DEFAULT_SETTINGS, sigma: [1, 2] };
    const region = testRegions(image.size)[0]!;
    const yielded = [...logImages(image, new Uint8Array(0), settings, region)];
    assert.deepEqual(
      yielded.map((d) => d.name),
      ["log-sigma-1-0-mm-3D", "log-sigma-2-0-mm-3D"],
    );
    yielded.forEach((d, k) => {
      const whole = laplacianRecursiveGaussian(image, [1, 2][k]!);
      assertSameInRegion(whole.data, d.image.data, image.size, region, d.name);
    });
  }
});

test("LoG: a region outside the image is an error naming it", () => {
  const image = randomVolume((n) => new Int16Array(n), [8, 8, 8], 0, 10);
  assert.throws(
    () => laplacianRecursiveGaussian(image, 1, true, { lower: [0, 0, 0], upper: [8, 7, 7] }),
    /LoG: region \[0, 0, 0\]\.\.\[8, 7, 7\] is not inside the image/,
  );
});

test("oracle: brain1 typical_all with every filter restricted to the ROI's bounding box", async (t) => {
  const ref = referenceDir();
  const root = ref ? join(ref, "pyradiomics") : "";
  const oracle = join(root, "oracle", "brain1__typical_all.json");
  if (!ref || !existsSync(oracle)) {
    console.log(missingReference("typical_all region oracle check"));
    t.skip("reference folder absent");
    return;
  }
  const params = parseParams(
    readFileSync(join(root, "params", "typical_all.yaml"), "utf8"),
    FEATURE_CATALOGUE,
  );
  const [image, mask] = await Promise.all([
    readImageFile(join(root, "data", "brain1_image.nrrd")),
    readImageFile(join(root, "data", "brain1_label.nrrd")),
  ]);
  const generators: Record<
    string,
    (image: Volume, roi: Uint8Array, s: Settings, region: BoundingBox) => Iterable<DerivedImage>
  > = {
    LoG: logImages,
    Wavelet: waveletImages,
    Gradient: gradientImages,
    Square: squareImages,
    SquareRoot: squareRootImages,
    Logarithm: logarithmImages,
    Exponential: exponentialImages,
  };
  const got = extractFeatures(image, mask, params, {
    filters: {
      resample: resampleImageAndMask,
      derivedImages(type, img, roi, s) {
        const box = boundingBox(roi, img.size);
        const generate = generators[type];
        if (!box || !generate) throw new Error(`unexpected image type ${type}`);
        return generate(img, roi, s, { lower: box.lower, upper: box.upper });
      },
    },
  }).features;
  const want = readOracle(root, "brain1__typical_all");
  assert.deepEqual(Object.keys(got), Object.keys(want));
  assert.equal(Object.keys(want).length, 1781);
  assertOracleValues(got, want, "brain1 typical_all");
});
