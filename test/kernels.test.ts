/**
 * The WebAssembly kernels (src/kernels) on hand-checked grids: run counting, zone labelling and
 * the neighbour pass, and memory growth for inputs larger than the module's initial memory.
 * Grids follow the kernels' convention: ROI cells hold their level (>= 1), other cells 0, a
 * border of -1 around everything.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { KERNELS_WASM_BASE64 } from "../src/kernels/generated/kernels-binary.js";
import { neighbourPass } from "../src/kernels/neighbour-tallies.js";
import { countRuns } from "../src/kernels/runs.js";
import { decodeWithAtob, kernels, preloadKernels, wasmModuleBytes } from "../src/kernels/wasm.js";
import "../src/node/kernel-bytes.js";
import { findZones } from "../src/kernels/zones.js";

// A 7 x 3 grid (x fastest); rows 0 and 2 and both ends of row 1 are border. Row 1 holds, from
// x = 1: levels 1, 1, 2, (not ROI), 2.
const ROW = [-1, 1, 1, 2, 0, 2, -1];
const grid = Int32Array.from([...Array(7).fill(-1), ...ROW, ...Array(7).fill(-1)]);
const roiVoxels = Int32Array.from([8, 9, 10, 12]);
const levelIndex = Int32Array.from([-1, 0, 1]);

test("runs: along x one run of two 1s, two single 2s; across rows four single voxels", () => {
  const { counts, adjacent } = countRuns({
    grid,
    roiVoxels,
    steps: Int32Array.from([1, 7]),
    levelIndex,
    levels: 2,
    maxRun: 3,
  });
  // Per angle: level 1 row (run lengths 1, 2, 3), then level 2 row.
  assert.deepEqual(Array.from(counts), [0, 1, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0]);
  // Along x the 1-1 run is longer than one voxel; across rows no run touches another ROI voxel.
  assert.deepEqual(Array.from(adjacent), [1, 0]);
});

test("zones: 8-connected in the plane, the gap (not ROI) separates the two 2s", () => {
  const zones = findZones(grid, roiVoxels, Int32Array.from([1, -1, 7, -7, 6, -6, 8, -8]));
  assert.deepEqual(Array.from(zones.level), [1, 2, 2]);
  assert.deepEqual(Array.from(zones.size), [2, 1, 1]);
  assert.equal(zones.largest, 2);
});

test("zones: a line of 2,000,000 alternating levels (memory grows to ~40 MB): one zone each", () => {
  const n = 2_000_000;
  const line = new Int32Array(n + 2);
  line[0] = -1;
  line[n + 1] = -1;
  const roi = new Int32Array(n);
  for (let i = 1; i <= n; i++) {
    line[i] = 1 + (i % 2);
    roi[i - 1] = i;
  }
  const zones = findZones(line, roi, Int32Array.from([1, -1]));
  assert.equal(zones.level.length, n);
  assert.equal(zones.largest, 1);
  assert.equal(zones.level[0], 2);
  assert.equal(zones.level[1], 1);
  assert.ok(kernels().memory.buffer.byteLength >= 5 * 4 * n);
});

test("neighbour pass: GLCM pair, NGTDM neighbours and sums, GLDM dependence", () => {
  // Row 1: levels 1, 2 between border cells; one angle (+1 along x, its mirror implied).
  const small = Int32Array.from([-1, 1, 2, -1]);
  const cells = Int32Array.from([1, 2]);
  const out = (withGlcm: boolean) => ({
    glcm: withGlcm ? new Int32Array(4) : null,
    dependent: new Int32Array(4),
    neighbours: new Int32Array(4),
    sums: new Int32Array(4),
  });
  const input = { grid: small, roiVoxels: cells, offsets: Int32Array.from([1]), levelIndex };
  const strict = out(true);
  neighbourPass({ ...input, levels: 2, alpha: 0 }, strict);
  // GLCM counts the pair in the angle's direction only: (1, 2).
  assert.deepEqual(Array.from(strict.glcm!), [0, 1, 0, 0]);
  assert.deepEqual(Array.from(strict.neighbours.subarray(1, 3)), [1, 1]);
  // Each voxel's neighbour level sum: 2 for the 1, 1 for the 2.
  assert.deepEqual(Array.from(strict.sums.subarray(1, 3)), [2, 1]);
  // |1 - 2| = 1 > alpha = 0: not dependent; with alpha = 1 both are.
  assert.deepEqual(Array.from(strict.dependent.subarray(1, 3)), [0, 0]);
  const loose = out(false);
  neighbourPass({ ...input, levels: 2, alpha: 1 }, loose);
  assert.deepEqual(Array.from(loose.dependent.subarray(1, 3)), [1, 1]);
});

test("preloadKernels (the browser's way) gives the instance kernels() uses", async () => {
  const before = kernels();
  await preloadKernels();
  assert.equal(kernels(), before);
});

test("the module's bytes: Node's native base64 decoder (kernel-bytes.ts) equals atob, byte for byte", () => {
  const viaAtob = decodeWithAtob(KERNELS_WASM_BASE64);
  const installed = wasmModuleBytes();
  assert.ok(viaAtob.length > 1000);
  // "\0asm", version 1: a WebAssembly module.
  assert.deepEqual([...viaAtob.subarray(0, 8)], [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert.equal(installed.length, viaAtob.length);
  assert.ok(installed.every((b, i) => b === viaAtob[i]));
});
