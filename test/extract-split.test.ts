/**
 * Split extraction: image types partitioned by hand-countable weights, and parts (in this thread and
 * on worker threads) merged into exactly the features, in exactly the order, of one extractFeatures
 * run on the same synthetic case.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { extractFeatures } from "../src/extract/extractor.js";
import { type Params, validateParams } from "../src/extract/params.js";
import {
  extractPart,
  imageTypeWeight,
  mergeExtractionParts,
  splitExtraction,
} from "../src/extract/split.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { generatePhantom } from "../src/image/phantom.js";
import { ExtractionPool } from "../src/node/extraction-pool.js";

const { image, mask } = generatePhantom({
  seed: 5,
  size: [26, 24, 10],
  spacing: [1, 1, 2],
  radiiMm: [7, 6, 6],
});

const params: Params = validateParams(
  {
    imageType: {
      Original: {},
      LoG: { sigma: [1.0, 2.0, 3.0] },
      Wavelet: {},
      Square: {},
    },
    featureClass: { shape: null, firstorder: null, glcm: null, glszm: null },
  },
  FEATURE_CATALOGUE,
);

test("image type weights: 1.7 per LoG sigma, 1.2 per wavelet band (8 or 4), LBP3D levels + 1", () => {
  assert.deepEqual(
    params.imageTypes.map((_, i) => imageTypeWeight(params, i)),
    [1, 1.7 * 3, 1.2 * 8, 1],
  );
  const other = validateParams(
    { imageType: { Wavelet: { force2D: true }, LBP3D: {} } },
    FEATURE_CATALOGUE,
  );
  // force2D wavelet: LL, LH, HL, HH; LBP3D with the default 2 levels: m1, m2 and k.
  assert.deepEqual([imageTypeWeight(other, 0), imageTypeWeight(other, 1)], [1.2 * 4, 3]);
});

test("split: heaviest first onto the lightest part; shape with image type 0; no empty part", () => {
  // Wavelet (9.6) -> A; LoG (5.1) -> B; Original (1 + 0.3 for shape) -> B (6.4); Square (1) -> B
  // (7.4).
  assert.deepEqual(splitExtraction(params, 2), [
    { imageTypes: [2], withShape: false },
    { imageTypes: [0, 1, 3], withShape: true },
  ]);
  assert.deepEqual(splitExtraction(params, 1), [{ imageTypes: [0, 1, 2, 3], withShape: true }]);
  // More parts than image types: one image type each.
  assert.equal(splitExtraction(params, 9).length, 4);
  // No image types at all: one part that still computes shape.
  assert.deepEqual(splitExtraction({ ...params, imageTypes: [] }, 3), [
    { imageTypes: [], withShape: true },
  ]);
});

test("parts merged give the single run's features, values and order", () => {
  const whole = extractFeatures(image, mask, params);
  for (const count of [2, 3, 4]) {
    const parts = splitExtraction(params, count).map((p) => extractPart(image, mask, params, p));
    // Merge order must not depend on the order parts finish.
    const merged = mergeExtractionParts(parts.reverse());
    assert.deepEqual(Object.keys(merged.features), Object.keys(whole.features));
    assert.deepEqual(merged.features, whole.features);
  }
});

const pool = new ExtractionPool(2);
after(() => pool.close());

test("worker pool: whole case and split case equal extractFeatures; errors keep their message", async () => {
  const whole = extractFeatures(image, mask, params);
  const onWorker = await pool.extract(image, mask, params);
  assert.deepEqual(Object.keys(onWorker.features), Object.keys(whole.features));
  assert.deepEqual(onWorker.features, whole.features);
  const split = await pool.extractSplit(image, mask, params);
  assert.deepEqual(Object.keys(split.features), Object.keys(whole.features));
  assert.deepEqual(split.features, whole.features);
  const empty = { ...mask, data: new Uint8Array(mask.data.length) };
  await assert.rejects(pool.extract(image, empty, params), /no labels found/);
});

test("worker pool: a thread count that is not a positive integer is refused", () => {
  assert.throws(() => new ExtractionPool(0), /positive integer, got 0/);
});
