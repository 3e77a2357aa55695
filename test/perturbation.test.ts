/**
 * Image perturbation (src/image/perturbation) and robustness across perturbations
 * (src/stats/robustness.ts): hand-checkable geometry, volume and noise cases, R's random normal
 * stream, SLIC on images whose supervoxels are known, determinism, bad input, and the issue's
 * test on synthetic phantoms with features known to be stable and unstable.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { extractFeatures } from "../src/extract/extractor.js";
import { parseParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import {
  adaptVolume,
  addGaussianNoise,
  applyPerturbation,
  COIF1_DEC_HI,
  caseContext,
  close,
  computeSupervoxels,
  countNonZero,
  dilate,
  drawRandomisedMask,
  estimateNoiseChang,
  extractPerturbedFeatures,
  type PerturbationPlan,
  perturbationSpecs,
  perturbCase,
  qnormStd,
  randomiseContour,
  regularGrid,
  rnorm,
  rotatedGrid,
  rotateVolume,
  slic,
  supervoxelOverlap,
  translateVolume,
} from "../src/image/perturbation/index.js";
import { generatePhantom } from "../src/image/phantom.js";
import { IDENTITY3, indexToPhysical, type Vec3, type Volume } from "../src/image/volume.js";
import { RRandom } from "../src/stats/random.js";
import { perturbationIcc, robustnessFilter } from "../src/stats/robustness.js";

function volume<T extends Volume["data"]>(
  data: T,
  size: Vec3,
  spacing: Vec3 = [1, 1, 1],
): Volume<T> {
  return { data, size, spacing, origin: [0, 0, 0], direction: [...IDENTITY3], dimension: 3 };
}

const at = (v: Volume, x: number, y: number, z: number) =>
  v.data[x + v.size[0] * (y + v.size[1] * z)]!;

// --- Rotation -------------------------------------------------------------------------------

test("a 90-degree rotation of a 4 x 4 x 2 grid is the index permutation out[x, y] = in[3 - y, x]", () => {
  // Grid centre c = (1.5, 1.5, 0.5). The sampling grid turns by +90° about z: output voxel (x, y)
  // samples the input at c + R (x - c) with R(u, v) = (-v, u), i.e. at (1.5 - (y - 1.5),
  // 1.5 + (x - 1.5)) = (3 - y, x): integer positions, so no interpolation is involved.
  const size: Vec3 = [4, 4, 2];
  const image = volume(
    Float64Array.from({ length: 32 }, (_, i) => 10 + i * i),
    size,
  );
  // An asymmetric ROI (an L), so a wrong permutation cannot match by symmetry.
  const mask = volume(new Uint8Array(32), size);
  for (const [x, y] of [
    [0, 0],
    [1, 0],
    [2, 0],
    [0, 1],
  ]) {
    mask.data[x! + 4 * y!] = 1;
    mask.data[x! + 4 * y! + 16] = 1;
  }
  const r90 = rotateVolume(image, mask, 90);
  const r270 = rotateVolume(image, mask, -90);
  const r180 = rotateVolume(image, mask, 180);
  for (let z = 0; z < 2; z++) {
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 4; x++) {
        assert.equal(at(r90.image, x, y, z), at(image, 3 - y, x, z), `+90 at ${x},${y},${z}`);
        assert.equal(at(r90.mask, x, y, z), at(mask, 3 - y, x, z), `+90 mask at ${x},${y},${z}`);
        // -90: R(u, v) = (v, -u) -> input (y, 3 - x); 180: input (3 - x, 3 - y).
        assert.equal(at(r270.image, x, y, z), at(image, y, 3 - x, z));
        assert.equal(at(r270.mask, x, y, z), at(mask, y, 3 - x, z));
        assert.equal(at(r180.image, x, y, z), at(image, 3 - x, 3 - y, z));
      }
    }
  }
  // The object stays in place: the rotated grid's centre is the original centre, its x axis
  // points along the original y axis.
  assert.deepEqual(r90.image.direction, [0, -1, 0, 1, 0, 0, 0, 0, 1]);
  assert.deepEqual(indexToPhysical(r90.image, [1.5, 1.5, 0.5]), [1.5, 1.5, 0.5]);
});

test("rotation keeps a centred disc's area and a smooth image's values inside it", () => {
  // A disc of radius 6 voxels centred on the grid: a rotation by 30° maps it onto itself, so the
  // resampled ROI differs only where the boundary's partial voxels round differently.
  const n = 21;
  const size: Vec3 = [n, n, 1];
  const mask = volume(new Uint8Array(n * n), size);
  const image = volume(new Float64Array(n * n).fill(100), size);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) if ((x - 10) ** 2 + (y - 10) ** 2 <= 36) mask.data[x + n * y] = 1;
  }
  const r = rotateVolume(image, mask, 30);
  const before = countNonZero(mask.data);
  const after = countNonZero(r.mask.data);
  assert.ok(Math.abs(after - before) <= 0.05 * before, `${before} -> ${after}`);
  // A constant image stays constant (edge values fill the corners, never zeros).
  assert.ok(r.image.data.every((v) => Math.abs(v - 100) < 1e-12));
});

// --- Translation -----------------------------------------------------------------------------

test("a half-voxel translation of a linear ramp shifts it by half a step", () => {
  // f(x, y, z) = 2x + 3y + 5 z + 7 on 6 x 5 x 3: sampling at (x + 0.5, y, z) gives f + 1 (= 2 · 0.5)
  // wherever the right neighbour exists (x <= 4); at x = 5 the point lies half a voxel outside and
  // takes the edge value f(5, y, z). A shift (0.5, 0.25, 0) adds 2 · 0.5 + 3 · 0.25 = 1.75 for x <= 4,
  // y <= 3 (bilinear interpolation is exact on a linear function).
  const size: Vec3 = [6, 5, 3];
  const f = (x: number, y: number, z: number) => 2 * x + 3 * y + 5 * z + 7;
  const data = new Float64Array(90);
  for (let z = 0, i = 0; z < 3; z++)
    for (let y = 0; y < 5; y++) for (let x = 0; x < 6; x++, i++) data[i] = f(x, y, z);
  const image = volume(data, size, [0.8, 0.8, 3]);
  const mask = volume(new Uint8Array(90).fill(1), size, [0.8, 0.8, 3]);
  const half = translateVolume(image, mask, [0.5, 0, 0]);
  const both = translateVolume(image, mask, [0.5, 0.25, 0]);
  for (let z = 0; z < 3; z++) {
    for (let y = 0; y < 5; y++) {
      for (let x = 0; x < 6; x++) {
        const expected = x <= 4 ? f(x, y, z) + 1 : f(5, y, z);
        assert.ok(Math.abs(at(half.image, x, y, z) - expected) < 1e-12, `${x},${y},${z}`);
        if (x <= 4 && y <= 3)
          assert.ok(Math.abs(at(both.image, x, y, z) - (f(x, y, z) + 1.75)) < 1e-12);
      }
    }
  }
  // The grid moved by half a voxel (0.4 mm) along x.
  assert.deepEqual(half.image.origin, [0.4, 0, 0]);
});

test("translating a block ROI by half a voxel keeps voxels whose interpolated value is >= 0.5", () => {
  // ROI x in 1..3 on a 6-voxel line. Sampling at x + 0.5: x = 0 -> (m0 + m1) / 2 = 0.5 (kept),
  // x = 1, 2 -> 1, x = 3 -> (m3 + m4) / 2 = 0.5 (kept), x = 4 -> 0. The ROI becomes x in 0..3.
  const image = volume(new Float64Array(6), [6, 1, 1]);
  const mask = volume(Uint8Array.of(0, 1, 1, 1, 0, 0), [6, 1, 1]);
  assert.deepEqual([...translateVolume(image, mask, [0.5, 0, 0]).mask.data], [1, 1, 1, 1, 0, 0]);
  assert.throws(
    () => translateVolume(image, mask, [1, 0, 0]),
    /fractions of a voxel must lie in \(-1, 1\)/,
  );
});

// --- Volume adaptation ----------------------------------------------------------------------

function cube(n: number, side: number, lower: number): Volume<Uint8Array> {
  const mask = volume(new Uint8Array(n * n * n), [n, n, n]);
  for (let z = lower; z < lower + side; z++)
    for (let y = lower; y < lower + side; y++)
      for (let x = lower; x < lower + side; x++) mask.data[x + n * (y + n * z)] = 1;
  return mask;
}

test("growing a 10^3 cube by 15 % gives 1150 voxels, all within one voxel of its faces", () => {
  // V' = floor(1000 · 1.15) = 1150. One dilation step adds the 6 faces (6 · 100 = 600 voxels,
  // 1600 >= 1150), so 150 of those 600 are chosen; the cube itself is kept.
  const mask = cube(20, 10, 5);
  const grown = adaptVolume(mask, 0.15, { seed: 1 });
  assert.equal(countNonZero(grown.data), 1150);
  const ring = dilate(mask.data, mask.size, false);
  for (let i = 0; i < mask.data.length; i++) {
    if (mask.data[i]) assert.equal(grown.data[i], 1);
    if (grown.data[i]) assert.equal(ring[i], 1, `voxel ${i} is beyond the first ring`);
  }
});

test("shrinking a 10^3 cube by 15 % gives 850 voxels and keeps its eroded core", () => {
  // V' = floor(1000 · 0.85) = 850. One erosion step leaves the 8^3 = 512 core (< 850), so
  // 1000 - 850 = 150 of the 488 surface voxels are removed.
  const mask = cube(20, 10, 5);
  const shrunk = adaptVolume(mask, -0.15, { seed: 2 });
  assert.equal(countNonZero(shrunk.data), 850);
  const core = cube(20, 8, 6);
  for (let i = 0; i < mask.data.length; i++) {
    if (shrunk.data[i]) assert.equal(mask.data[i], 1);
    if (core.data[i]) assert.equal(shrunk.data[i], 1);
  }
});

test("growth that needs two dilation steps reaches its target exactly", () => {
  // A 3^3 cube (27) grown by 300 %: target floor(27 · 4) = 108. Step 1 (6 neighbours) gives
  // 27 + 6 · 9 = 81 < 108; step 2 gives the voxels within city-block distance 2 of the cube:
  // 27 + 54 (distance 1 on one axis) + 54 (distance 2 on one axis) + 36 (1 on two axes) = 171.
  // 108 - 81 = 27 of the 90 ring voxels are added, and the 81 of step 1 are all kept.
  const mask = cube(11, 3, 4);
  const step1 = dilate(mask.data, mask.size, false);
  assert.equal(countNonZero(step1), 81);
  assert.equal(countNonZero(dilate(step1, mask.size, false)), 171);
  const grown = adaptVolume(mask, 3, { seed: 5 });
  assert.equal(countNonZero(grown.data), 108);
  for (let i = 0; i < step1.length; i++) if (step1[i]) assert.equal(grown.data[i], 1);
});

test("in-plane growth of a single-slice ROI stays in its slice", () => {
  // A 5 x 5 square (25 voxels) on slice 2 of 5, grown by 20 %: target 30; one 4-connected step adds
  // 20 voxels, 5 of which are chosen; no voxel appears on another slice.
  const n = 11;
  const mask = volume(new Uint8Array(n * n * 5), [n, n, 5]);
  for (let y = 3; y < 8; y++) for (let x = 3; x < 8; x++) mask.data[x + n * (y + n * 2)] = 1;
  const grown = adaptVolume(mask, 0.2, { seed: 3, inPlane: true });
  assert.equal(countNonZero(grown.data), 30);
  assert.equal(countNonZero(grown.data.subarray(2 * n * n, 3 * n * n)), 30);
});

test("volume adaptation rejects fractions that leave nothing, and is deterministic for a seed", () => {
  const mask = cube(11, 3, 4);
  assert.throws(
    () => adaptVolume(mask, -0.99, { seed: 1 }),
    /would leave an empty ROI \(27 voxels\)/,
  );
  assert.throws(() => adaptVolume(mask, -1, { seed: 1 }), /must be finite and > -1/);
  const full = volume(new Uint8Array(27).fill(1), [3, 3, 3]);
  assert.throws(() => adaptVolume(full, 0.1, { seed: 1 }), /cannot grow beyond 27 voxels/);
  assert.equal(countNonZero(adaptVolume(full, 0.1, { seed: 1, atLimit: "cap" }).data), 27);
  const a = adaptVolume(cube(20, 10, 5), 0.1, { seed: 9 });
  const b = adaptVolume(cube(20, 10, 5), 0.1, { seed: 9 });
  const c = adaptVolume(cube(20, 10, 5), 0.1, { seed: 10 });
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
});

// --- Noise -----------------------------------------------------------------------------------

test("Gaussian noise is R's rnorm: set.seed(42); rnorm(5) and set.seed(123); rnorm(3)", () => {
  // R 4.x output (printed to 8 decimals): set.seed(42); rnorm(5)
  //   1.37095845 -0.56469817  0.36312841  0.63286260  0.40426832
  // set.seed(123); rnorm(3): -0.56047565 -0.23017749  1.55870831
  const zeros = volume(new Float64Array(5), [5, 1, 1]);
  const noisy = addGaussianNoise(zeros, 1, 42).data;
  [1.37095845, -0.56469817, 0.36312841, 0.6328626, 0.40426832].forEach((v, i) => {
    assert.ok(Math.abs(noisy[i]! - v) < 5e-9, `voxel ${i}: ${noisy[i]}`);
  });
  const r = rnorm(new RRandom(123), 3);
  [-0.56047565, -0.23017749, 1.55870831].forEach((v, i) => {
    assert.ok(Math.abs(r[i]! - v) < 5e-9);
  });
  // Scaling: sd 10 gives 10 times the deviates, added to the voxel values.
  const base = volume(Float64Array.of(100, 200, 300, 400, 500), [5, 1, 1]);
  const scaled = addGaussianNoise(base, 10, 42).data;
  scaled.forEach((v, i) => {
    assert.ok(Math.abs(v - (base.data[i]! + 10 * noisy[i]!)) < 1e-9);
  });
});

test("qnorm (AS 241) gives the textbook normal quantiles", () => {
  // z(0.975) = 1.959963984540054, z(0.995) = 2.575829303548901, z(0.5) = 0, z(0.1) = -1.281551565545,
  // z(1e-12) = -7.034483825 (central, first-tail and far-tail branches).
  assert.ok(Math.abs(qnormStd(0.975) - 1.959963984540054) < 1e-14);
  assert.ok(Math.abs(qnormStd(0.995) - 2.575829303548901) < 1e-13);
  assert.equal(qnormStd(0.5), 0);
  assert.ok(Math.abs(qnormStd(0.1) + 1.281551565545) < 1e-12);
  assert.ok(Math.abs(qnormStd(1e-12) + 7.034483825) < 1e-9);
  assert.ok(Math.abs(qnormStd(0.975) + qnormStd(0.025)) < 1e-15);
});

test("added noise has the requested SD within sampling error over 200,000 voxels", () => {
  // Sample mean ~ N(0, 10² / n), sample SD ~ N(10, 10² / (2n)): 4-sigma bounds 0.089 and 0.063.
  const n = 200_000;
  const noisy = addGaussianNoise(volume(new Float64Array(n).fill(50), [n, 1, 1]), 10, 7).data;
  let mean = 0;
  for (const v of noisy) mean += v;
  mean /= n;
  let ss = 0;
  for (const v of noisy) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  assert.ok(Math.abs(mean - 50) < 0.089, `mean ${mean}`);
  assert.ok(Math.abs(sd - 10) < 0.063, `sd ${sd}`);
  assert.throws(() => addGaussianNoise(volume(new Float64Array(2), [2, 1, 1]), -1, 1), /noise SD/);
});

test("Chang's noise estimate: coif1 high-pass, zero on additive trends, sigma on white noise", () => {
  // coif1 dec_hi as MATLAB's wfilters('coif1') and PyWavelets list it (the two tables agree to
  // 1e-12); an orthonormal high-pass filter sums to 0 and has norm 1.
  const published = [
    0.0727326195128539, 0.3378976624578092, -0.8525720202122554, 0.38486484686420286,
    0.0727326195128539, -0.01565572813546454,
  ];
  COIF1_DEC_HI.forEach((h, i) => {
    assert.ok(Math.abs(h - published[i]!) < 1e-12);
  });
  assert.ok(Math.abs(COIF1_DEC_HI.reduce((s, h) => s + h, 0)) < 1e-15);
  assert.ok(Math.abs(COIF1_DEC_HI.reduce((s, h) => s + h * h, 0) - 1) < 1e-12);
  // An image f(x) + g(y) has no HH detail: the estimate is 0 (to rounding).
  const size: Vec3 = [64, 64, 4];
  const trend = new Float64Array(64 * 64 * 4);
  for (let z = 0, i = 0; z < 4; z++)
    for (let y = 0; y < 64; y++)
      for (let x = 0; x < 64; x++, i++) trend[i] = 3 * x + 0.02 * y * y + 50 * z;
  assert.ok(estimateNoiseChang(volume(trend, size)) < 1e-9);
  // Trend plus white noise of SD 10 on 256 x 256 x 2: away from the edges the HH band of white
  // noise is stationary with the noise's SD (orthonormal filters) and median |N(0, s²)| = 0.6745 s.
  // The band's coefficients are correlated over the 6 x 6 filter support, so its median varies
  // more than for independent samples (~1 % here), and the mirrored edges (reflect mode repeats
  // the edge voxels) pull the estimate down by < 1 %: 3 % bounds.
  const big: Vec3 = [256, 256, 2];
  const ramp = new Float64Array(256 * 256 * 2);
  for (let z = 0, i = 0; z < 2; z++)
    for (let y = 0; y < 256; y++) for (let x = 0; x < 256; x++, i++) ramp[i] = 3 * x - 2 * y;
  const sigma = estimateNoiseChang(addGaussianNoise(volume(ramp, big), 10, 11));
  assert.ok(Math.abs(sigma - 10) < 0.3, `estimate ${sigma}`);
});

// --- Supervoxels and contour randomisation -------------------------------------------------

test("skimage's regular_grid example: (3, 20, 40) with 8 points -> starts (1, 5, 5), steps (3, 10, 10)", () => {
  assert.deepEqual(regularGrid([3, 20, 40], 8), { start: [1, 5, 5], step: [3, 10, 10] });
  // Fewer voxels than points: every voxel is a seed.
  assert.deepEqual(regularGrid([2, 2, 2], 10), { start: [0, 0, 0], step: [1, 1, 1] });
});

/** A bright 8^3 cube (intensity 100 + small noise) in a dark 24^3 background (0 + noise). */
function cubePhantom(): { image: Volume<Float64Array>; mask: Volume<Uint8Array> } {
  const n = 24;
  const mask = cube(n, 8, 8);
  const image = addGaussianNoise(
    volume(
      Float64Array.from(mask.data, (m) => 100 * m),
      [n, n, n],
    ),
    2,
    3,
  );
  return { image, mask };
}

test("SLIC supervoxels do not cross a strong edge", () => {
  // With compactness 0.05 the colour term (contrast 1 after rescaling, weighted 1 / 0.05 = 20,
  // squared 400) dwarfs the spatial term (1 per grid step), so no supervoxel mixes cube and
  // background voxels.
  const { image, mask } = cubePhantom();
  const labels = slic(image.data, image.size, image.spacing, {
    nSegments: 40,
    compactness: 0.05,
    sigmaMm: 0,
  });
  const inside = new Map<number, Set<number>>();
  labels.forEach((s, i) => {
    assert.ok(s >= 1, `voxel ${i} unlabelled`);
    const kinds = inside.get(s) ?? new Set<number>();
    kinds.add(mask.data[i]!);
    inside.set(s, kinds);
  });
  assert.ok(inside.size > 2);
  for (const [s, kinds] of inside) assert.equal(kinds.size, 1, `supervoxel ${s} crosses the edge`);
});

/** Small supervoxels, no smoothing (so the cube's corners keep their contrast). */
const SHARP = { boundaryMm: 6, supervoxelVolumeMm3: 40, smoothingMm: 0 };

test("contour randomisation of a ROI that follows the image's edges returns it unchanged", () => {
  // A two-level image (cube 100, background 0, no noise) and the cube as ROI. The ROI's range is
  // empty, so the crop's range scales intensities to {0, 1}; the colour term (1 / 0.05)² = 400
  // exceeds any spatial term (at most 3 · 2² = 12 inside the ±2-step window), and without
  // smoothing no supervoxel straddles the edge: every overlapping supervoxel is wholly inside
  // (overlap 1, always included), and closing a cube changes nothing.
  const mask = cube(24, 8, 8);
  const image = volume(
    Float64Array.from(mask.data, (m) => 100 * m),
    mask.size,
  );
  const supervoxels = computeSupervoxels(image, mask, SHARP);
  const overlap = supervoxelOverlap(supervoxels, mask);
  assert.ok(overlap.overlap.every((f) => f === 1));
  for (const seed of [1, 2, 3]) {
    assert.deepEqual(randomiseContour(image, mask, seed, SHARP).data, mask.data);
  }
});

test("contour randomisation applies MIRP's inclusion rules to the overlaps", () => {
  // A ROI that cuts supervoxels: the largest overlap becomes 1, overlaps >= 0.9 become 1 and
  // < 0.2 become 0; supervoxel k is included when the k-th uniform of R's stream is < its
  // probability. The drawn ROI (before closing) is exactly the union of the included supervoxels.
  const phantom = generatePhantom({ seed: 4, size: [40, 40, 10], spacing: [1, 1, 2] });
  const supervoxels = computeSupervoxels(phantom.image, phantom.mask);
  const ov = supervoxelOverlap(supervoxels, phantom.mask);
  const best = ov.overlap.indexOf(Math.max(...ov.overlap));
  ov.overlap.forEach((f, k) => {
    const expected = k === best || f >= 0.9 ? 1 : f < 0.2 ? 0 : f;
    assert.equal(ov.probability[k], expected);
  });
  assert.ok(
    ov.probability.some((p) => p > 0 && p < 1),
    "some supervoxel is uncertain",
  );
  const u = new RRandom(17).runif(ov.labels.length);
  const included = new Set(Array.from(ov.labels).filter((_, k) => u[k]! < ov.probability[k]!));
  const union = Uint8Array.from(supervoxels.data, (s) => (included.has(s) ? 1 : 0));
  const drawn = drawRandomisedMask(phantom.mask, supervoxels, ov, new RRandom(17));
  assert.deepEqual(drawn.data, close(union, phantom.mask.size, false));
  for (let i = 0; i < union.length; i++) if (union[i]) assert.equal(drawn.data[i], 1);
});

// --- Chains and determinism ------------------------------------------------------------------

const PLAN: PerturbationPlan = { chain: "RTNVC", count: 6, seed: 2024 };

test("a plan's perturbations are balanced and the same for a seed", () => {
  // 14 perturbations, 7 angles: each angle is used exactly twice; 4 translation fractions:
  // 3 or 4 times per axis.
  const specs = perturbationSpecs({ chain: "RT", count: 14, seed: 1 });
  const angles = new Map<number, number>();
  for (const s of specs) angles.set(s.rotation, (angles.get(s.rotation) ?? 0) + 1);
  assert.deepEqual(
    [...angles.keys()].sort((a, b) => a - b),
    [-15, -10, -5, 0, 5, 10, 15],
  );
  assert.ok([...angles.values()].every((c) => c === 2));
  for (const axis of [0, 1, 2]) {
    const counts = new Map<number, number>();
    for (const s of specs)
      counts.set(s.translation[axis]!, (counts.get(s.translation[axis]!) ?? 0) + 1);
    assert.ok([...counts.values()].every((c) => c === 3 || c === 4));
  }
  assert.deepEqual(perturbationSpecs({ chain: "RT", count: 14, seed: 1 }), specs);
  assert.notDeepEqual(perturbationSpecs({ chain: "RT", count: 14, seed: 2 }), specs);
  // Letters not in the chain are identity; adding a letter keeps the others' values.
  assert.ok(
    specs.every((s) => s.noiseSeed === null && s.volumeFraction === 0 && s.contourSeed === null),
  );
  const more = perturbationSpecs({ chain: "RTV", count: 14, seed: 1 });
  assert.deepEqual(
    more.map((s) => [s.rotation, s.translation]),
    specs.map((s) => [s.rotation, s.translation]),
  );
});

test("perturbing a case twice with the same plan gives identical pairs; another seed does not", () => {
  const phantom = generatePhantom({ seed: 8, size: [36, 36, 10], spacing: [1, 1, 2.5] });
  const a = perturbCase(phantom.image, phantom.mask, PLAN);
  const b = perturbCase(phantom.image, phantom.mask, PLAN);
  assert.equal(a.length, 6);
  a.forEach((pair, i) => {
    assert.deepEqual(pair.image.data, b[i]!.image.data);
    assert.deepEqual(pair.mask.data, b[i]!.mask.data);
    assert.deepEqual(pair.image.direction, b[i]!.image.direction);
  });
  const c = perturbCase(phantom.image, phantom.mask, { ...PLAN, seed: 2025 });
  assert.notDeepEqual(c[0]!.image.data, a[0]!.image.data);
  // The input is never modified.
  assert.deepEqual(phantom, generatePhantom({ seed: 8, size: [36, 36, 10], spacing: [1, 1, 2.5] }));
});

test("C alone: supervoxels of the case and of the (unchanged) perturbed image give the same ROIs", () => {
  // Without R, T, N or V the perturbed image and ROI are the original ones, so computing the
  // supervoxels once per case or once per perturbation must give identical randomised ROIs;
  // the draws differ between perturbations (their own seeds) but are each a union of supervoxels.
  const phantom = generatePhantom({ seed: 21, size: [36, 36, 8], spacing: [1, 1, 2.5] });
  const plan: PerturbationPlan = { chain: "C", count: 4, seed: 3 };
  const once = perturbCase(phantom.image, phantom.mask, plan);
  const each = perturbCase(phantom.image, phantom.mask, {
    ...plan,
    contour: { supervoxels: "perturbed" },
  });
  once.forEach((pair, i) => {
    assert.deepEqual(pair.mask.data, each[i]!.mask.data);
    assert.equal(pair.image, phantom.image);
  });
  const volumes = new Set(once.map((p) => countNonZero(p.mask.data)));
  assert.ok(volumes.size > 1, "randomised ROIs differ between perturbations");
});

test("single-slice ROIs are perturbed within their slice", () => {
  const phantom = generatePhantom({
    seed: 9,
    size: [40, 40, 8],
    spacing: [0.8, 0.8, 4],
    maskSlices: "largest",
  });
  const context = caseContext(phantom.image, phantom.mask, PLAN);
  assert.equal(context.inPlane, true);
  const plane = 40 * 40;
  let slice = -1;
  for (let z = 0; z < 8; z++)
    if (phantom.mask.data.subarray(z * plane, (z + 1) * plane).includes(1)) slice = z;
  for (const spec of perturbationSpecs(PLAN)) {
    const { mask } = applyPerturbation(phantom.image, phantom.mask, spec, context);
    const inSlice = countNonZero(mask.data.subarray(slice * plane, (slice + 1) * plane));
    assert.ok(inSlice > 0);
    assert.equal(countNonZero(mask.data), inSlice, `perturbation ${spec.index} left the slice`);
  }
});

test("a ROI filling its slice cannot grow: the chain caps it and says so", () => {
  // ROI = the whole 6 x 6 slice 1 of 3; V+0.1 would need floor(36 · 1.1) = 39 in-plane voxels.
  const size: Vec3 = [6, 6, 3];
  const mask = volume(new Uint8Array(108), size);
  mask.data.fill(1, 36, 72);
  const image = volume(
    Float64Array.from({ length: 108 }, (_, i) => i % 7),
    size,
  );
  const plan: PerturbationPlan = { chain: "V", count: 2, seed: 1, volumeFractions: [0.1] };
  const [pair] = perturbCase(image, mask, plan);
  assert.equal(countNonZero(pair!.mask.data), 36);
  assert.deepEqual(pair!.notes, ["V+0.1: the ROI fills the slice at 36 voxels (target 39)"]);
});

test("bad plans and cases give messages naming the cause", () => {
  const phantom = generatePhantom({ seed: 1, size: [20, 20, 6] });
  assert.throws(() => perturbationSpecs({ chain: "RX", count: 4, seed: 1 }), /unknown letter 'X'/);
  assert.throws(() => perturbationSpecs({ chain: "RR", count: 4, seed: 1 }), /'R' appears twice/);
  assert.throws(
    () => perturbationSpecs({ chain: "R", count: 1, seed: 1 }),
    /count must be an integer >= 2/,
  );
  assert.throws(
    () => perturbationSpecs({ chain: "T", count: 4, seed: 1, translationFractions: [1] }),
    /translationFractions must lie in \[0, 1\)/,
  );
  assert.throws(
    () => perturbationSpecs({ chain: "V", count: 4, seed: 1, volumeFractions: [-1] }),
    /volumeFractions must be > -1/,
  );
  const empty = { ...phantom.mask, data: new Uint8Array(phantom.mask.data.length) };
  assert.throws(() => perturbCase(phantom.image, empty, PLAN), /no voxel with label 1/);
});

// --- Robustness (ICC across perturbations) ---------------------------------------------------

test("ICC(1,1) across perturbations reproduces Shrout & Fleiss' ICC(1,1) = .17", () => {
  // Shrout & Fleiss (1979) Table 2, read as 6 cases x 4 perturbations of one feature.
  const sf = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
  ];
  // Feature "b" = 10 x case index + 0.1 x perturbation: within-case spread tiny -> ICC near 1.
  const table = {
    caseIds: sf.map((_, c) => `case${c + 1}`),
    featureNames: ["a", "b"],
    values: sf.map((row, c) => row.map((v, p) => [v, 10 * c + 0.1 * p])),
  };
  const [a, b] = perturbationIcc(table);
  assert.ok(Math.abs(a!.icc!.icc - 0.17) < 0.005, `${a!.icc!.icc}`);
  assert.ok(b!.icc!.icc > 0.999);
  const filtered = robustnessFilter(table, { threshold: 0.9 });
  assert.deepEqual(filtered.kept, ["b"]);
  assert.deepEqual(filtered.dropped, ["a"]);
});

test("robustness: undefined ICCs carry a reason, bad tables an error", () => {
  const values = [
    [
      [1, 5, 3, 2],
      [1, 5, 4, Number.NaN],
    ],
    [
      [1, 7, 3, 2],
      [1, 7, 9, 2],
    ],
  ];
  const table = {
    caseIds: ["p1", "p2"],
    featureNames: ["constant", "perCase", "noisy", "broken"],
    values,
  };
  const [constant, perCase, noisy, broken] = perturbationIcc(table);
  assert.equal(constant!.icc, null);
  assert.match(constant!.reason!, /constant \(1\) across all cases and perturbations/);
  // No variation within cases: ICC exactly 1 with the degenerate interval [1, 1].
  assert.equal(perCase!.icc!.icc, 1);
  assert.equal(perCase!.icc!.lower, 1);
  assert.ok(Number.isFinite(noisy!.icc!.icc));
  assert.equal(broken!.icc, null);
  assert.match(broken!.reason!, /value NaN for case 'p1', perturbation 2/);
  const filtered = robustnessFilter(table, { threshold: 0.9, use: "lower" });
  assert.ok(filtered.dropped.includes("constant") && filtered.dropped.includes("broken"));
  assert.ok(filtered.kept.includes("perCase"));
  assert.throws(
    () => perturbationIcc({ caseIds: ["only"], featureNames: ["f"], values: [[[1], [2]]] }),
    /needs at least 2 cases, got 1 \('only'\)/,
  );
  assert.throws(
    () => perturbationIcc({ caseIds: ["a", "b"], featureNames: ["f"], values: [[[1]], [[2]]] }),
    /at least 2 perturbations per case, got 1/,
  );
  assert.throws(
    () =>
      perturbationIcc({ caseIds: ["a", "b"], featureNames: ["f"], values: [[[1], [2]], [[2]]] }),
    /case 'b' has 1 perturbations, case 'a' has 2/,
  );
});

// --- The test: stable and unstable features on synthetic volumes ---------------------

const PARAMS = parseParams(
  "featureClass:\n  shape:\n  firstorder:\nsetting:\n  binWidth: 25\n",
  FEATURE_CATALOGUE,
);

/**
 * Six phantom lesions that differ strongly between cases in mean intensity (700 to 1700) and size
 * (radius 8 to 13 mm, volume x 4.3) but share a smooth, constant interior (no texture) and the
 * same ellipsoidal shape: between-case differences in mean and volume are large, while skewness,
 * kurtosis (of a constant lesion plus noise) and sphericity (the same shape for all) have no
 * between-case signal at all, so every difference in them comes from the perturbations.
 */
function cohortTable(plan: PerturbationPlan) {
  const cases = Array.from({ length: 6 }, (_, c) => {
    const r = 8 + c;
    const { image, mask } = generatePhantom({
      seed: 100 + c,
      size: [40, 40, 12],
      spacing: [1, 1, 3],
      radiiMm: [r, r * 0.8, r * 0.9],
      lesionMean: 700 + 200 * c,
      textureSd: 0,
      noiseSd: 20,
      lobulation: 0,
    });
    return extractPerturbedFeatures(image, mask, plan, PARAMS);
  });
  const table = {
    caseIds: cases.map((_, c) => `phantom${c + 1}`),
    featureNames: cases[0]!.names,
    values: cases.map((c) => c.values),
  };
  const icc = new Map(perturbationIcc(table).map((r) => [r.feature, r.icc?.icc ?? Number.NaN]));
  return { table, icc };
}

test("phantoms under rotation, translation and noise: mean and volume robust, noise-driven features not", () => {
  // R moves the boundary by partial voxels (volume changes by a few %), N adds noise of the
  // image's own level (~20, against lesion means 200 apart): ICC(1,1) of mean and volume is near 1.
  // Skewness and kurtosis of a constant lesion plus noise, and sphericity of identical shapes,
  // vary only with the perturbations: their expected ICC is 0.
  const { icc } = cohortTable({ chain: "RTN", count: 8, seed: 7 });
  assert.ok(
    icc.get("original_firstorder_Mean")! >= 0.95,
    `Mean ${icc.get("original_firstorder_Mean")}`,
  );
  assert.ok(
    icc.get("original_shape_VoxelVolume")! >= 0.95,
    `Volume ${icc.get("original_shape_VoxelVolume")}`,
  );
  for (const name of ["original_firstorder_Skewness", "original_firstorder_Kurtosis"]) {
    assert.ok(icc.get(name)! < 0.5, `${name} ${icc.get(name)}`);
  }
});

test("phantoms under volume adaptation: robustness filter keeps mean, drops boundary-driven features", () => {
  // V grows / shrinks each ROI by up to 15 %: volume still differs far more between cases
  // (x 4.3) than within (±15 %), so it stays robust at 0.9; the lesion mean drifts by at most
  // ~15 % of the lesion-background contrast, small next to the between-case spread; the minimum
  // jumps between the lesion level (shrinking) and the background (growing) in every case.
  const { table, icc } = cohortTable({ chain: "RNV", count: 8, seed: 7 });
  const { kept, dropped } = robustnessFilter(table, { threshold: 0.9 });
  assert.ok(
    kept.includes("original_firstorder_Mean"),
    `Mean ${icc.get("original_firstorder_Mean")}`,
  );
  assert.ok(
    kept.includes("original_shape_VoxelVolume"),
    `Volume ${icc.get("original_shape_VoxelVolume")}`,
  );
  for (const name of [
    "original_firstorder_Minimum",
    "original_firstorder_Skewness",
    "original_shape_Sphericity",
  ]) {
    assert.ok(dropped.includes(name), `${name} ${icc.get(name)}`);
    assert.ok(icc.get(name)! < 0.5, `${name} ${icc.get(name)}`);
  }
});

test("features of perturbed pairs come from radscore's extractor unchanged", () => {
  // The first perturbation of a noise-free identity-like plan (V with fraction 0 only) is the
  // original pair: its features equal a direct extraction.
  const phantom = generatePhantom({ seed: 12, size: [30, 30, 8], spacing: [1, 1, 3] });
  const plan: PerturbationPlan = { chain: "V", count: 2, seed: 1, volumeFractions: [0] };
  const perturbed = extractPerturbedFeatures(phantom.image, phantom.mask, plan, PARAMS);
  const direct = extractFeatures(phantom.image, phantom.mask, PARAMS).features;
  assert.deepEqual(perturbed.names, Object.keys(direct));
  perturbed.names.forEach((name, f) => {
    assert.equal(perturbed.values[0]![f], direct[name]);
  });
});

test("rotated grids rotate about the slice axis of an oblique volume", () => {
  // Direction with the slice axis along physical x: a 90° turn about it maps index-y to
  // physical z and index-z stays physical x.
  const oblique = {
    size: [4, 4, 4] as Vec3,
    spacing: [1, 1, 1] as Vec3,
    origin: [0, 0, 0] as Vec3,
    direction: [0, 0, 1, 1, 0, 0, 0, 1, 0] as Volume["direction"],
    dimension: 3 as const,
  };
  const g = rotatedGrid(oblique, 90);
  const d = g.direction;
  // Column 2 (slice axis) unchanged: (1, 0, 0).
  assert.deepEqual([d[2], d[5], d[8]], [1, 0, 0]);
  // Column 0 was (0, 1, 0); rotated +90° about x it becomes (0, 0, 1).
  assert.deepEqual([d[0], d[3], d[6]], [0, 0, 1]);
});
