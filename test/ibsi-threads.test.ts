/**
 * IBSI mode's two-thread extraction (src/node/ibsi-threads.ts): the families computed on the two
 * worker threads equal extractIbsiFeatures on this one (the same functions on the same processed
 * image), with morphology apart or alone, and an error inside a worker reaches the caller with
 * its message.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIbsiConfig } from "../src/ibsi/config.js";
import { extractIbsiFeatures } from "../src/ibsi/extract.js";
import { generatePhantom } from "../src/image/phantom.js";
import { IbsiThreads } from "../src/node/ibsi-threads.js";

const { image, mask } = generatePhantom({
  seed: 5,
  size: [18, 16, 6],
  spacing: [1, 1, 2],
  radiiMm: [5, 4, 4],
});
const config = (families: string) =>
  parseIbsiConfig(
    `standard: ibsi\nfamilies: [${families}]\ndiscretisation: {method: FBN, binCount: 8}\n` +
      "interpolation: {dimensions: 3D, spacing: [1.5, 1.5, 1.5], image: cubic-spline, roi: linear, partialVolumeThreshold: 0.5}\n",
    "test",
  );

for (const families of [
  "morphology, intensity_statistics, glcm, gldzm",
  "morphology",
  "glszm, ngtdm",
]) {
  test(`two threads give the one-thread values: [${families}]`, async () => {
    const c = config(families);
    const threads = IbsiThreads.start();
    assert.ok(threads, "the worker script is beside the module");
    try {
      const byFamily = await threads.extract(image, mask, c, undefined);
      const here = extractIbsiFeatures(image, mask, c).features;
      assert.deepEqual([...byFamily.keys()].sort(), [...c.families].sort());
      assert.deepEqual(
        c.families.flatMap((f) => byFamily.get(f)!),
        here,
      );
      // A hand-checkable value among them: the voxel-counting volume is N x 1.5^3 mm^3.
      if (c.families.includes("morphology")) {
        const volume = byFamily.get("morphology")!.find((f) => f.tag === "morph_vol_approx")!;
        assert.equal(volume.value % 3.375, 0);
      }
    } finally {
      await threads.close();
    }
  });
}

test("an error inside a worker thread reaches the caller with its message", async () => {
  const c = config("morphology, intensity_statistics");
  const threads = IbsiThreads.start();
  assert.ok(threads);
  try {
    const empty = { ...mask, data: new Uint8Array(mask.data.length) };
    await assert.rejects(threads.extract(image, empty, c, undefined), /the mask has no ROI voxel/);
  } finally {
    await threads.close();
  }
});
