/**
 * IBSI mode's morphology on a second thread (src/node/ibsi-morphology-thread.ts): the thread's
 * values are those of morphologyFeatures on this thread (the same function on a copy of the same
 * image), and an error inside the thread reaches the caller with its message.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { morphologyFeatures } from "../src/ibsi/features/morphology/index.js";
import type { IbsiImage } from "../src/ibsi/types.js";
import { MorphologyThread } from "../src/node/ibsi-morphology-thread.js";

/** A 6 x 5 x 4 grid with a 3 x 3 x 2 block ROI and intensities x + 2y + 3z. */
function blockImage(): IbsiImage {
  const size = [6, 5, 4] as const;
  const n = size[0] * size[1] * size[2];
  const intensities = new Float64Array(n);
  const mask = new Uint8Array(n);
  for (let z = 0, i = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, i++) {
        intensities[i] = x + 2 * y + 3 * z;
        if (x >= 1 && x <= 3 && y >= 1 && y <= 3 && z >= 1 && z <= 2) mask[i] = 1;
      }
  return {
    size: [...size],
    spacing: [1, 1, 2],
    intensities,
    morphologicalMask: mask,
    intensityMask: mask.slice(),
  };
}

test("morphology on its own thread equals morphology on this one", async () => {
  const image = blockImage();
  const thread = MorphologyThread.start();
  assert.ok(thread, "the worker script is beside the module");
  try {
    const there = await thread.features(image);
    const here = morphologyFeatures(image);
    assert.deepEqual(there, here);
    // A hand-checkable value among them: 18 voxels of 2 mm^3.
    assert.equal(there.find((f) => f.tag === "morph_vol_approx")?.value, 36);
  } finally {
    await thread.close();
  }
});

test("an error inside the morphology thread reaches the caller with its message", async () => {
  const image = { ...blockImage(), intensities: new Float64Array(7) };
  const thread = MorphologyThread.start();
  assert.ok(thread);
  try {
    await assert.rejects(thread.features(image), /morphology: intensities has 7 voxels/);
  } finally {
    await thread.close();
  }
});
