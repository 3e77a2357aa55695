/**
 * Discretisation edge cases. Expected edges and levels are derived by hand from PyRadiomics'
 * getBinEdges rule (lowBound = min - min % W, highBound = max + 2W, edges = arange(lowBound,
 * highBound, W)) and numpy's documented semantics: arange(start, stop,
 * step) has ceil((stop - start) / step) elements start + i * step; histogram(a, N) edges are
 * linspace(min, max, N + 1) (min - 0.5, max + 0.5 when flat); digitize(x, bins) returns i with
 * bins[i-1] <= x < bins[i].
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { binEdges, digitize, discretise } from "../src/image/discretise.js";

const all = (n: number) => new Uint8Array(n).fill(1);

test("fixed bin width: PyRadiomics documentation example (54..166, W 25)", () => {
  // The docstring lists [50, ..., 175] (an older highBound of max + W); the code at 8ed5793 adds
  // 2W: arange(50, 216, 25) has ceil(166 / 25) = 7 edges, ending at 200.
  assert.deepEqual(
    [...binEdges([54, 100, 166], { binWidth: 25 })],
    [50, 75, 100, 125, 150, 175, 200],
  );
  const d = discretise(Float64Array.of(54, 74, 75, 100, 166), all(5), { binWidth: 25 });
  // 75 and 100 sit exactly on an edge: half-open bins put them in the upper bin.
  assert.deepEqual([...d.levels], [1, 1, 2, 3, 5]);
  assert.equal(d.nLevels, 5);
});

test("fixed bin width: default W is 25, negative minimum uses Python's floor modulo", () => {
  // -7 % 25 = 18 (Python), lowBound = -25, highBound = 30 + 50 = 80 -> arange(-25, 80, 25)
  assert.deepEqual([...binEdges([-7, 30], {})], [-25, 0, 25, 50, 75]);
  const d = discretise(Int16Array.of(-7, 0, 30), all(3), {});
  assert.deepEqual([...d.levels], [1, 2, 3]);
});

test("fixed bin width: maximum divisible by W gets its own bin (numpy.digitize, not histogram)", () => {
  // min 50, max 75: arange(50, 125, 25) = [50, 75, 100]
  const d = discretise(Float64Array.of(50, 75), all(2), { binWidth: 25 });
  assert.deepEqual([...d.edges], [50, 75, 100]);
  assert.deepEqual([...d.levels], [1, 2]);
});

test("fixed bin width: nLevels is the highest level in the ROI (PyRadiomics Ng), not the bin count", () => {
  // min 54, max 60: arange(50, 110, 25) = [50, 75, 100]: 2 bins, but only level 1 is used
  const d = discretise(Float64Array.of(54, 60), all(2), { binWidth: 25 });
  assert.equal(d.edges.length, 3);
  assert.deepEqual([...d.levels], [1, 1]);
  assert.equal(d.nLevels, 1);
});

test("fixed bin width: arange edges accumulate as start + i*step (3 * 0.1 = 0.30000000000000004)", () => {
  // lowBound 0, highBound 0.3 + 0.2 = 0.5; ceil(0.5 / 0.1) = 5 edges 0, 0.1, 0.2, 3*0.1, 4*0.1
  const edges = binEdges([0, 0.3], { binWidth: 0.1 });
  assert.deepEqual([...edges], [0, 0.1, 0.2, 0.30000000000000004, 0.4]);
  // 0.3 lies below the edge 0.30000000000000004, so it stays in bin 3; that edge itself opens bin 4.
  assert.equal(digitize(0.3, edges), 3);
  assert.equal(digitize(0.30000000000000004, edges), 4);
});

test("fixed bin width: flat region gives one level; outside-ROI voxels are 0", () => {
  // all 100: arange(100, 150, 25) = [100, 125]
  const d = discretise(Float64Array.of(100, 7, 100), Uint8Array.of(1, 0, 1), { binWidth: 25 });
  assert.deepEqual([...d.edges], [100, 125]);
  assert.deepEqual([...d.levels], [1, 0, 1]);
  assert.equal(d.nLevels, 1);
  // PyRadiomics' flatRegion baseline: bin width 5000 over values 0..4000 -> edges [0, 5000, 10000]
  const flat = discretise(Float64Array.of(0, 1234, 4000), all(3), { binWidth: 5000 });
  assert.deepEqual([...flat.edges], [0, 5000, 10000]);
  assert.deepEqual([...flat.levels], [1, 1, 1]);
});

test("fixed bin count: numpy.histogram edges with the last edge + 1", () => {
  // linspace(0, 10, 5) = [0, 2.5, 5, 7.5, 10], last + 1 -> 11
  const d = discretise(Float64Array.of(0, 2.5, 4.9, 5, 10), all(5), { binCount: 4 });
  assert.deepEqual([...d.edges], [0, 2.5, 5, 7.5, 11]);
  // the maximum lands in the top bin (N), an edge value in the upper bin
  assert.deepEqual([...d.levels], [1, 2, 2, 3, 4]);
  assert.equal(d.nLevels, 4);
});

test("fixed bin count takes precedence over bin width", () => {
  assert.deepEqual([...binEdges([0, 10], { binWidth: 1, binCount: 2 })], [0, 5, 11]);
});

test("fixed bin count: flat region uses min - 0.5 .. max + 0.5", () => {
  // all 7, N = 4: linspace(6.5, 7.5, 5) = [6.5, 6.75, 7, 7.25, 7.5], last + 1 = 8.5
  const d = discretise(Int16Array.of(7, 7), all(2), { binCount: 4 });
  assert.deepEqual([...d.edges], [6.5, 6.75, 7, 7.25, 8.5]);
  assert.deepEqual([...d.levels], [3, 3]);
  assert.equal(d.nLevels, 3);
});

test("fixed bin count on float32 data gives float32 edges (numpy 1.24 histogram bin type)", () => {
  const values = Float32Array.of(0, 0.1, 0.7);
  const edges = binEdges(values, { binCount: 3 });
  for (const e of edges) assert.equal(Math.fround(e), e);
  // last edge: float32(max) + 1 rounded to float32
  assert.equal(edges[3], Math.fround(Math.fround(0.7) + 1));
  assert.equal(edges[0], 0);
});

test("invalid input is rejected with a named error", () => {
  assert.throws(() => binEdges([1, 2], { binWidth: 0 }), /binWidth/);
  assert.throws(() => binEdges([1, 2], { binCount: 0 }), /binCount/);
  assert.throws(() => binEdges([1, 2], { binCount: 2.5 }), /binCount/);
  assert.throws(() => binEdges([1, Number.NaN], { binWidth: 25 }), /non-finite/);
  assert.throws(() => binEdges([], { binWidth: 25 }), /no voxels/);
  assert.throws(() => discretise(Float64Array.of(1, 2), new Uint8Array(2), {}), /no ROI voxels/);
  assert.throws(() => discretise(Float64Array.of(1, 2), new Uint8Array(3), {}), /mask/);
});
