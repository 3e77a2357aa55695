/**
 * Voxel-based GLCM's empty angles (src/extract/voxel/empty-angles.ts): which kernels pair no
 * voxels along an angle that some other kernel pairs along. Hand-checked small grids, and the two
 * strategies (scanning each box, summed-volume tables) against each other on seeded random grids.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  kernelsWithEmptyAngle,
  pairedByScan,
  pairedByTables,
} from "../src/extract/voxel/empty-angles.js";
import type { Vec3, Volume } from "../src/image/volume.js";
import { mulberry32 } from "./support/seeded-random.js";

const volume = (size: Vec3): Volume => ({
  data: new Float64Array(size[0] * size[1] * size[2]),
  size,
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  dimension: 3,
});
const TEXTURE = { distances: [1], force2D: false, force2Ddimension: 0 as const };

test("empty angles: a row of four voxels with a gap, kernels of radius 1", () => {
  // Mask along x: 1 1 0 1. The only angle on a 4 x 1 x 1 grid is (1, 0, 0). Kernel boxes (radius 1,
  // clipped): voxel 0 -> x 0..1 (pair 0-1), voxel 1 -> x 0..2 (pair 0-1), voxel 3 -> x 2..3
  // (voxel 2 is outside the mask: no pair). So only the third kernel has an empty angle.
  const mask = Uint8Array.from([1, 1, 0, 1]);
  const boxes = Int32Array.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 2, 0, 0, 3, 0, 0]);
  assert.deepEqual([...kernelsWithEmptyAngle(mask, volume([4, 1, 1]), TEXTURE, boxes)], [0, 0, 1]);
});

test("empty angles: an angle no kernel pairs along is dropped, not flagged", () => {
  // Mask 1 0 1 on a 3 x 1 x 1 grid, one kernel over the whole row: angle (1, 0, 0) pairs nothing
  // anywhere, so PyRadiomics drops it for every kernel and no kernel is flagged.
  const mask = Uint8Array.from([1, 0, 1]);
  const boxes = Int32Array.from([0, 0, 0, 2, 0, 0]);
  assert.deepEqual([...kernelsWithEmptyAngle(mask, volume([3, 1, 1]), TEXTURE, boxes)], [0]);
  // Both strategies: along (1, 0, 0) no pair, along (2, 0, 0) voxels 0 and 2 pair.
  const angles = [
    [1, 0, 0],
    [2, 0, 0],
  ];
  for (const strategy of ["scan", "tables"] as const) {
    const paired = new Uint8Array(2);
    if (strategy === "scan") pairedByScan(mask, 3, 1, angles, boxes, paired);
    else pairedByTables(mask, [3, 1, 1], angles, boxes, paired);
    assert.deepEqual([...paired], [0, 1], strategy);
  }
});

test("empty angles: scanning the boxes and summed-volume tables agree on random grids", () => {
  const random = mulberry32(20261207);
  let flags = 0;
  let pairedCount = 0;
  let unpairedCount = 0;
  for (let trial = 0; trial < 3000; trial++) {
    const nx = 1 + Math.floor(random() * 7);
    const ny = 1 + Math.floor(random() * 7);
    const nz = 1 + Math.floor(random() * 5);
    const density = random();
    const mask = Uint8Array.from({ length: nx * ny * nz }, () => (random() < density ? 1 : 0));
    const radius = 1 + Math.floor(random() * 2);
    const angles: number[][] = [];
    for (let az = -1; az <= 1; az++)
      for (let ay = -1; ay <= 1; ay++)
        for (let ax = -1; ax <= 1; ax++)
          if ((ax !== 0 || ay !== 0 || az !== 0) && random() < 0.6)
            angles.push([ax * (random() < 0.2 ? 2 : 1), ay, az]);
    // Kernel boxes around some ROI voxels, clipped to the grid; some one slice thick (force2D).
    const boxes: number[] = [];
    for (let v = 0; v < mask.length; v++) {
      if (mask[v] === 0 || random() >= 0.7) continue;
      const x = v % nx;
      const y = Math.floor(v / nx) % ny;
      const z = Math.floor(v / (nx * ny));
      const flat = random() < 0.2;
      boxes.push(
        Math.max(0, x - radius),
        Math.max(0, y - radius),
        flat ? z : Math.max(0, z - radius),
        Math.min(nx - 1, x + radius),
        Math.min(ny - 1, y + radius),
        flat ? z : Math.min(nz - 1, z + radius),
      );
    }
    const kernelBoxes = Int32Array.from(boxes);
    const byScan = new Uint8Array((boxes.length / 6) * angles.length);
    const byTables = new Uint8Array(byScan.length);
    pairedByScan(mask, nx, ny, angles, kernelBoxes, byScan);
    pairedByTables(mask, [nx, ny, nz], angles, kernelBoxes, byTables);
    assert.deepEqual(byScan, byTables, `trial ${trial}: ${nx}x${ny}x${nz}`);
    for (const p of byScan) {
      if (p === 1) pairedCount++;
      else unpairedCount++;
    }
    flags += kernelsWithEmptyAngle(mask, volume([nx, ny, nz]), TEXTURE, kernelBoxes).reduce(
      (a, b) => a + b,
      0,
    );
  }
  // The grids exercise both answers, and some kernels are flagged.
  assert.ok(pairedCount > 10000 && unpairedCount > 10000, `${pairedCount} / ${unpairedCount}`);
  assert.ok(flags > 100, `${flags} kernels flagged`);
});
