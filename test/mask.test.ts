/**
 * Label selection and bounding boxes on small hand-made masks: labels at the first and last voxel,
 * runs broken by other labels, float masks truncated as PyRadiomics' UInt32 cast, empty rows and
 * slices between ROI voxels, and the errors for absent labels.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { boundingBox, RoiError, selectLabel } from "../src/image/mask.js";
import type { Vec3, Volume } from "../src/image/volume.js";

function maskOf<T extends Volume["data"]>(data: T, size: Vec3): Volume<T> {
  return {
    data,
    size,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3,
  } as Volume<T>;
}

const positions = (roi: Uint8Array) => [...roi.keys()].filter((i) => roi[i] === 1);

test("selectLabel: first and last voxel, runs split by other labels, every integer type", () => {
  const values = [1, 1, 0, 2, 1, 1, 1, 2, 0, 0, 1];
  for (const Ctor of [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array]) {
    const roi = selectLabel(maskOf(Ctor.from(values), [11, 1, 1]), 1);
    assert.deepEqual(positions(roi), [0, 1, 4, 5, 6, 10], Ctor.name);
    assert.deepEqual(positions(selectLabel(maskOf(Ctor.from(values), [11, 1, 1]), 2)), [3, 7]);
  }
});

test("selectLabel: float masks are truncated before comparing (2.7 is label 2)", () => {
  const roi = selectLabel(maskOf(Float32Array.of(0, 2.7, 1.2, 2, 1.999), [5, 1, 1]), 2);
  assert.deepEqual(positions(roi), [1, 3]);
});

test("selectLabel: an absent label names the labels present; an empty mask says so", () => {
  assert.throws(
    () => selectLabel(maskOf(Int16Array.of(0, 3, 5, 3), [4, 1, 1]), 1),
    (e: unknown) =>
      e instanceof RoiError && /label 1 not present in mask; labels found: 3, 5/.test(e.message),
  );
  assert.throws(() => selectLabel(maskOf(new Int16Array(4), [4, 1, 1]), 1), /no labels found/);
});

test("boundingBox: extent and count across empty rows and slices", () => {
  // 4 x 3 x 3 (x, y, z). ROI voxels: (2, 0, 0), (1, 2, 0), (3, 2, 2); rows y=1 of z=0, all of z=1 and
  // rows y=0..1 of z=2 are empty, so the row search jumps over them.
  const size: Vec3 = [4, 3, 3];
  const roi = new Uint8Array(36);
  const at = (x: number, y: number, z: number) => x + 4 * (y + 3 * z);
  roi[at(2, 0, 0)] = 1;
  roi[at(1, 2, 0)] = 1;
  roi[at(3, 2, 2)] = 1;
  assert.deepEqual(boundingBox(roi, size), { lower: [1, 0, 0], upper: [3, 2, 2], count: 3 });
  // A single voxel at the very end of the array; then an empty ROI.
  const last = new Uint8Array(36);
  last[35] = 1;
  assert.deepEqual(boundingBox(last, size), { lower: [3, 2, 2], upper: [3, 2, 2], count: 1 });
  assert.equal(boundingBox(new Uint8Array(36), size), null);
});
