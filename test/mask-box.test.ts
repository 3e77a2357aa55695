/**
 * ROI bounding boxes (src/image/mask-box.ts) and IBSI mode's boxed ROI (src/ibsi/processing/
 * roi-mask.ts) on hand-checked grids: non-zero, positive and one-label ROIs, empty masks, and a
 * mask that does not fit its grid.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { roiOfMask } from "../src/ibsi/processing/roi-mask.js";
import { nonZeroBounds, roiBounds } from "../src/image/mask-box.js";
import type { Vec3, Volume } from "../src/image/volume.js";

// A 4 x 3 x 2 label map (x fastest), slice z = 0 then z = 1:
//   z=0: y0:  0  0  0  0     z=1: y0:  0  2  0  0
//        y1:  0 -1  1  0          y1:  0  0  0  1
//        y2:  0  0  0  0          y2:  0  0  0  0
const SIZE: Vec3 = [4, 3, 2];
const LABELS = Int32Array.from([
  0, 0, 0, 0, 0, -1, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
]);

test("roiBounds: non-zero, positive and one-label ROIs of a label map", () => {
  // Non-zero: (1,1,0) (2,1,0) (1,0,1) (3,1,1) -> x 1..3, y 0..1, z 0..1.
  assert.deepEqual(roiBounds(LABELS, SIZE, "non-zero"), { lower: [1, 0, 0], upper: [3, 1, 1] });
  // Positive: the -1 at (1,1,0) is out; x still starts at 1 because of the 2 at (1,0,1).
  assert.deepEqual(roiBounds(LABELS, SIZE, "positive"), { lower: [1, 0, 0], upper: [3, 1, 1] });
  // Label 1: (2,1,0) and (3,1,1).
  assert.deepEqual(roiBounds(LABELS, SIZE, { label: 1 }), { lower: [2, 1, 0], upper: [3, 1, 1] });
  // Label 2: (1,0,1) only; label -1: (1,1,0) only; label 5: none.
  assert.deepEqual(roiBounds(LABELS, SIZE, { label: 2 }), { lower: [1, 0, 1], upper: [1, 0, 1] });
  assert.deepEqual(roiBounds(LABELS, SIZE, { label: -1 }), { lower: [1, 1, 0], upper: [1, 1, 0] });
  assert.equal(roiBounds(LABELS, SIZE, { label: 5 }), null);
  assert.deepEqual(nonZeroBounds(LABELS, SIZE), { lower: [1, 0, 0], upper: [3, 1, 1] });
  // A uint8 mask (the WebAssembly scan) gives the box of the same voxels.
  const asUint8 = Uint8Array.from(LABELS, (v) => (v !== 0 ? 1 : 0));
  assert.deepEqual(roiBounds(asUint8, SIZE, "non-zero"), { lower: [1, 0, 0], upper: [3, 1, 1] });
  assert.deepEqual(roiBounds(asUint8, SIZE, "positive"), { lower: [1, 0, 0], upper: [3, 1, 1] });
  assert.equal(nonZeroBounds(new Uint8Array(24), SIZE), null);
  assert.throws(() => nonZeroBounds(new Uint8Array(23), SIZE), /23 voxels, the grid 4 x 3 x 2/);
});

test("roiOfMask: the ROI's box and its 0/1 mask on the box", () => {
  const mask: Volume = {
    data: LABELS,
    size: SIZE,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3,
  };
  // Label 1: box x 2..3, y 1..1, z 0..1 (2 x 1 x 2): (2,1,0) = 1, (3,1,0) = 0, (2,1,1) = 0, (3,1,1) = 1.
  const one = roiOfMask(mask, 1);
  assert.deepEqual(one?.box, { start: [2, 1, 0], size: [2, 1, 2] });
  assert.deepEqual([...one!.mask], [1, 0, 0, 1]);
  // No label: every positive voxel; box x 1..3, y 0..1, z 0..1 (3 x 2 x 2).
  const positive = roiOfMask(mask, undefined);
  assert.deepEqual(positive?.box, { start: [1, 0, 0], size: [3, 2, 2] });
  // z=0: y0: 0 0 0 / y1: (-1) 1 0; z=1: y0: 2 0 0 / y1: 0 0 1.
  assert.deepEqual([...positive!.mask], [0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1]);
  assert.equal(roiOfMask(mask, 7), null);
});
