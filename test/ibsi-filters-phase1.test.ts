/**
 * IBSI mode's convolutional filters (src/ibsi/filters: mean, Laplacian of Gaussian, Laws, Gabor)
 * against IBSI-2 phase 1: every test of these four filters (1.a.1-1.b.1, 2.a-2.c, 3.a.1-3.c.3,
 * 4.a.1-4.b.2; parameters from ibsi2_phase1_filter_configurations.csv). IBSI's tolerance (reference
 * data README): every voxel within 1 % of the reference map's intensity range (max - min). The
 * phantoms and maps are 64^3 voxels of 2 mm; NIfTI i/j/k is our x/y/z.
 *
 * Then hand-checkable cases computed from the published formulas (no reference folder needed)
 * and settings errors.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { type TestContext, test } from "node:test";
import {
  convolveAxis,
  convolveGeneral,
  type FilterImage,
} from "../src/ibsi/filters/convolution.js";
import { type GaborSettings, gaborFilter } from "../src/ibsi/filters/gabor.js";
import {
  gaussianKernel1d,
  type LaplacianOfGaussianSettings,
  laplacianOfGaussian,
} from "../src/ibsi/filters/laplacian-of-gaussian.js";
import { type LawsSettings, lawsFilter, lawsKernel1d } from "../src/ibsi/filters/laws.js";
import { type MeanFilterSettings, meanFilter } from "../src/ibsi/filters/mean.js";
import type { BoundaryCondition } from "../src/ibsi/filters/padding.js";
import { distinctRotations, rightAngleRotations } from "../src/ibsi/filters/rotations.js";
import { IbsiSettingError } from "../src/ibsi/types.js";
import type { Vec3 } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import {
  ibsi2ReferenceMapFile,
  readIbsi2Phantom,
  responseMapDeviation,
  skipWithoutIbsi,
} from "./support/ibsi.js";

type Phantom = "checkerboard" | "impulse" | "sphere";

/** One IBSI-2 phase-1 test: its phantom and our filter call with the configuration's settings. */
interface Phase1Case {
  id: string;
  phantom: Phantom;
  run: (image: FilterImage) => Float64Array;
}

const mean = (s: MeanFilterSettings) => (image: FilterImage) => meanFilter(image, s);
const log = (s: LaplacianOfGaussianSettings) => (image: FilterImage) =>
  laplacianOfGaussian(image, s);
const laws = (s: LawsSettings) => (image: FilterImage) => lawsFilter(image, s);
const gabor = (s: GaborSettings) => (image: FilterImage) => gaborFilter(image, s);

const E5L5S5: LawsSettings = { kernel: "E5L5S5", dimensionality: "3D", boundary: "zero" };
const E3W5R5: LawsSettings = { kernel: "E3W5R5", dimensionality: "3D", boundary: "mirror" };
const L5S5: LawsSettings = { kernel: "L5S5", dimensionality: "2D", boundary: "mirror" };
const invariant = { rotationInvariance: true, pooling: "max" } as const;
const GABOR_A = { sigma: 10, lambda: 4, gamma: 0.5, boundary: "zero" } as const;
const GABOR_B = { sigma: 20, lambda: 8, gamma: 2.5, boundary: "mirror" } as const;

const PHASE1: Phase1Case[] = [
  ...(["zero", "nearest", "periodic", "mirror"] as const).map((boundary, i) => ({
    id: `1.a.${i + 1}`,
    phantom: "checkerboard" as const,
    run: mean({ support: 15, dimensionality: "3D", boundary }),
  })),
  {
    id: "1.b.1",
    phantom: "impulse",
    run: mean({ support: 15, dimensionality: "2D", boundary: "zero" }),
  },
  {
    id: "2.a",
    phantom: "impulse",
    run: log({ sigma: 3, truncate: 4, dimensionality: "3D", boundary: "zero" }),
  },
  {
    id: "2.b",
    phantom: "checkerboard",
    run: log({ sigma: 5, truncate: 4, dimensionality: "3D", boundary: "mirror" }),
  },
  {
    id: "2.c",
    phantom: "checkerboard",
    run: log({ sigma: 5, truncate: 4, dimensionality: "2D", boundary: "mirror" }),
  },
  { id: "3.a.1", phantom: "impulse", run: laws(E5L5S5) },
  { id: "3.a.2", phantom: "impulse", run: laws({ ...E5L5S5, ...invariant }) },
  { id: "3.a.3", phantom: "impulse", run: laws({ ...E5L5S5, ...invariant, energyDistance: 7 }) },
  { id: "3.b.1", phantom: "checkerboard", run: laws(E3W5R5) },
  { id: "3.b.2", phantom: "checkerboard", run: laws({ ...E3W5R5, ...invariant }) },
  {
    id: "3.b.3",
    phantom: "checkerboard",
    run: laws({ ...E3W5R5, ...invariant, energyDistance: 7 }),
  },
  { id: "3.c.1", phantom: "checkerboard", run: laws(L5S5) },
  { id: "3.c.2", phantom: "checkerboard", run: laws({ ...L5S5, ...invariant }) },
  { id: "3.c.3", phantom: "checkerboard", run: laws({ ...L5S5, ...invariant, energyDistance: 7 }) },
  {
    id: "4.a.1",
    phantom: "impulse",
    run: gabor({ ...GABOR_A, theta: Math.PI / 3, dimensionality: "2D" }),
  },
  {
    id: "4.a.2",
    phantom: "impulse",
    run: gabor({
      ...GABOR_A,
      theta: 0,
      thetaStep: Math.PI / 4,
      pooling: "mean",
      dimensionality: "3D",
    }),
  },
  {
    id: "4.b.1",
    phantom: "sphere",
    run: gabor({ ...GABOR_B, theta: (5 * Math.PI) / 4, dimensionality: "2D" }),
  },
  {
    id: "4.b.2",
    phantom: "sphere",
    run: gabor({
      ...GABOR_B,
      theta: 0,
      thetaStep: Math.PI / 8,
      pooling: "mean",
      dimensionality: "3D",
    }),
  },
];

test("IBSI-2 phase 1: mean, LoG, Laws and Gabor response maps within 1 % of the reference range", async (t: TestContext) => {
  if (skipWithoutIbsi(t, "IBSI-2 phase-1 response maps")) return;
  if (!existsSync(ibsi2ReferenceMapFile(PHASE1[0]!.id))) {
    t.skip("IBSI-2 reference response maps absent");
    return;
  }
  const misses: string[] = [];
  for (const c of PHASE1) {
    const image = await readIbsi2Phantom(c.phantom);
    const map = await readImageFile(ibsi2ReferenceMapFile(c.id));
    assert.deepEqual(map.size, image.size, `${c.id}: map size`);
    const start = performance.now();
    const ours = c.run(image);
    const ms = performance.now() - start;
    const { range, worst, outside } = responseMapDeviation(ours, map.data);
    console.log(
      `IBSI-2 ${c.id} (${c.phantom}): max |diff| = ${(100 * worst).toPrecision(3)} % of the range ${range.toPrecision(4)}; ${outside} voxels over 1 %; ${ms.toFixed(0)} ms`,
    );
    if (outside > 0) misses.push(`${c.id}: ${outside} voxels over 1 %`);
  }
  console.log(
    `IBSI-2 phase 1 (mean, LoG, Laws, Gabor): ${PHASE1.length - misses.length} of ${PHASE1.length} maps agree`,
  );
  assert.deepEqual(misses, []);
});

// ---------------------------------------------------------------------------------------------
// Hand-checkable cases.

const close = (got: ArrayLike<number>, want: readonly number[], eps = 1e-12, what = "") => {
  assert.equal(got.length, want.length, `${what} length`);
  for (let i = 0; i < want.length; i++)
    assert.ok(Math.abs(got[i]! - want[i]!) <= eps, `${what}[${i}]: ${got[i]} != ${want[i]}`);
};

test("1D convolution of the line 1 2 3 4 with each boundary condition", () => {
  const line = Float64Array.of(1, 2, 3, 4);
  const size: Vec3 = [4, 1, 1];
  const third = [1 / 3, 1 / 3, 1 / 3];
  const fifth = [0.2, 0.2, 0.2, 0.2, 0.2];
  // Support 3 (padding one voxel): zero 0|1 2 3 4|0 -> (0+1+2)/3, 2, 3, (3+4+0)/3.
  close(convolveAxis(line, size, 0, third, "zero"), [1, 2, 3, 7 / 3], 1e-12, "zero");
  // nearest 1|1 2 3 4|4 -> (1+1+2)/3, ..., (3+4+4)/3.
  close(convolveAxis(line, size, 0, third, "nearest"), [4 / 3, 2, 3, 11 / 3], 1e-12, "nearest");
  // periodic 4|1 2 3 4|1 -> (4+1+2)/3, ..., (3+4+1)/3.
  close(convolveAxis(line, size, 0, third, "periodic"), [7 / 3, 2, 3, 8 / 3], 1e-12, "periodic");
  // Support 5 tells the four apart at voxel 0 (2 voxels of padding):
  // zero 0 0 1 2 3 = 6/5; nearest 1 1 1 2 3 = 8/5; periodic 3 4 1 2 3 = 13/5; mirror 2 1 1 2 3 = 9/5.
  const first = (bc: BoundaryCondition) => convolveAxis(line, size, 0, fifth, bc)[0]!;
  close(
    (["zero", "nearest", "periodic", "mirror"] as const).map(first),
    [6 / 5, 8 / 5, 13 / 5, 9 / 5],
    1e-12,
    "support 5",
  );
  // Convolution, not correlation: weight 1 at offset -1 gives out(i) = in(i - (-1)) = in(i + 1).
  close(convolveAxis(line, size, 0, [1, 0, 0], "zero"), [2, 3, 4, 0], 0, "shift");
  // The general kernel gives the same shift.
  const general = convolveGeneral(line, size, { weights: [1, 0, 0], size: [3, 1, 1] }, "zero");
  close(general, [2, 3, 4, 0], 0, "general shift");
});

test("mean filter of a 4 x 1 x 1 image: slice-wise (2D) support 3", () => {
  const image: FilterImage = {
    data: Float64Array.of(1, 2, 3, 4),
    size: [4, 1, 1],
    spacing: [1, 1, 1],
  };
  // Periodic: the y neighbours of a one-voxel-wide y line are the voxel itself, so only the x
  // average counts: (4+1+2)/3, (1+2+3)/3, (2+3+4)/3, (3+4+1)/3.
  const periodic = meanFilter(image, { support: 3, dimensionality: "2D", boundary: "periodic" });
  close(periodic, [7 / 3, 2, 3, 8 / 3]);
  // Zero: the two y neighbours are 0, so each x average is divided by 3 again: 1/3, 2/3, 1, 7/9.
  const zero = meanFilter(image, { support: 3, dimensionality: "2D", boundary: "zero" });
  close(zero, [1 / 3, 2 / 3, 1, 7 / 9]);
});

test("Laws 1D kernels are IBSI's, divided by their L2 norm", () => {
  // Sums of squares: L5 1+16+36+16+1 = 70; E5 1+4+0+4+1 = 10; S5 1+0+4+0+1 = 6; W5 10; R5 70;
  // L3 1+4+1 = 6; E3 2; S3 6.
  close(
    lawsKernel1d("L5"),
    [1, 4, 6, 4, 1].map((v) => v / Math.sqrt(70)),
  );
  close(
    lawsKernel1d("E5"),
    [-1, -2, 0, 2, 1].map((v) => v / Math.sqrt(10)),
  );
  close(
    lawsKernel1d("S5"),
    [-1, 0, 2, 0, -1].map((v) => v / Math.sqrt(6)),
  );
  close(
    lawsKernel1d("W5"),
    [-1, 2, 0, -2, 1].map((v) => v / Math.sqrt(10)),
  );
  close(
    lawsKernel1d("R5"),
    [1, -4, 6, -4, 1].map((v) => v / Math.sqrt(70)),
  );
  close(
    lawsKernel1d("L3"),
    [1, 2, 1].map((v) => v / Math.sqrt(6)),
  );
  close(
    lawsKernel1d("e3"),
    [-1, 0, 1].map((v) => v / Math.sqrt(2)),
  );
  close(
    lawsKernel1d("S3"),
    [-1, 2, -1].map((v) => v / Math.sqrt(6)),
  );
});

/** A cube of n voxels per side with 1 at its centre. */
function impulse(n: number, spacing = 1): FilterImage {
  const data = new Float64Array(n * n * n);
  const c = (n - 1) / 2;
  data[c + n * (c + n * c)] = 1;
  return { data, size: [n, n, n], spacing: [spacing, spacing, spacing] };
}

test("Laws E5L5S5 of an impulse is the kernel; rotation counts", () => {
  const image = impulse(7);
  const out = lawsFilter(image, { kernel: "E5L5S5", dimensionality: "3D", boundary: "zero" });
  // out(centre + k) = E5(kx) L5(ky) S5(kz). At k = (1, 0, 0): E5(+1) = 2/sqrt(10), L5(0) = 6/sqrt(70),
  // S5(0) = 2/sqrt(6): 24 / sqrt(4200) = 0.370328...; at k = (-2, 1, -2): (-1)(4)(-1)/sqrt(4200).
  const at = (x: number, y: number, z: number) => out[3 + x + 7 * (3 + y + 7 * (3 + z))]!;
  close([at(1, 0, 0), at(-2, 1, -2), at(0, 0, 0)], [24 / Math.sqrt(4200), 4 / Math.sqrt(4200), 0]);
  assert.equal(rightAngleRotations(3).length, 24);
  assert.equal(rightAngleRotations(2).length, 4);
  // E5 L5 S5: the rotations that leave the three 1D kernels in place are the identity and the
  // half-turn about x (reverses the symmetric L5 and S5), so 24 / 2 = 12 distinct kernels.
  const e5l5s5 = ["E5", "L5", "S5"].map(lawsKernel1d);
  assert.equal(distinctRotations(e5l5s5).length, 12);
  // L5 L5 L5 is unchanged by every rotation.
  assert.equal(distinctRotations(["L5", "L5", "L5"].map(lawsKernel1d)).length, 1);
  // In 2D, E5 L5 has 4 distinct rotations (E5 x, L5 y; L5 x, E5 y reversed or not; E5 reversed).
  assert.equal(distinctRotations(["E5", "L5"].map(lawsKernel1d)).length, 4);
  // Rotation-invariant max pooling of E5L5S5 on an impulse: at k = (1, 0, 0) the largest of the
  // rotated kernels' values there is the kernel's largest coefficient product, E5 along x with
  // +2 (rotations put E5 on x, reversed or not), L5(0) = 6 and S5(0) = 2 on y and z: 24/sqrt(4200).
  const pooled = lawsFilter(image, { ...E5L5S5, rotationInvariance: true, pooling: "max" });
  close([pooled[3 + 1 + 7 * (3 + 7 * 3)]!], [24 / Math.sqrt(4200)]);
});

test("LoG of an impulse is IBSI's sampled kernel (sigma 1 voxel)", () => {
  const image = impulse(11, 2);
  const out = laplacianOfGaussian(image, {
    sigma: 2,
    truncate: 4,
    dimensionality: "3D",
    boundary: "zero",
  });
  // sigma = 2 mm / 2 mm = 1 voxel: LoG(u) = -(2 pi)^(-3/2) (3 - |u|^2) exp(-|u|^2 / 2).
  // (2 pi)^(-3/2) = 0.0634936359342410; centre: -3 x 0.0634936 = -0.1904809078;
  // u = (1, 0, 0): -2 x 0.0634936 x exp(-1/2) = -0.0770219...; u = (1, 1, 1): 0 (|u|^2 = 3).
  const c = (2 * Math.PI) ** -1.5;
  const at = (x: number, y: number, z: number) => out[5 + x + 11 * (5 + y + 11 * (5 + z))]!;
  close(
    [at(0, 0, 0), at(1, 0, 0), at(1, 1, 1), at(0, 2, 0)],
    [-3 * c, -2 * c * Math.exp(-0.5), 0, c * Math.exp(-2)],
    1e-14,
  );
  // The 1D kernels: radius floor(4 x 1 + 0.5) = 4 voxels.
  assert.equal(gaussianKernel1d(1, 4, 0).length, 9);
  assert.equal(gaussianKernel1d(1.5, 4, 2).length, 13);
});

test("Gabor of an impulse: the kernel's modulus, and its mean over orientations", () => {
  // A 9 x 9 x 1 plane of 1 mm voxels, impulse at (4, 4); sigma 2 mm, lambda 3 mm, gamma 1/2.
  const data = new Float64Array(81);
  data[4 + 9 * 4] = 1;
  const image: FilterImage = { data, size: [9, 9, 1], spacing: [1, 1, 1] };
  const base = { sigma: 2, lambda: 3, gamma: 0.5, boundary: "zero", dimensionality: "2D" } as const;
  const out = gaborFilter(image, { ...base, theta: 0 });
  // |g(x, y)| = exp(-(x~^2 + gamma^2 y~^2) / (2 sigma^2)); theta = 0: x~ = x, y~ = y.
  // (0, 0): 1; (1, 0): exp(-1/8); (0, 1): exp(-0.25/8); (2, -2): exp(-(4 + 1)/8).
  const at = (m: Float64Array, x: number, y: number) => m[4 + x + 9 * (4 + y)]!;
  close(
    [at(out, 0, 0), at(out, 1, 0), at(out, 0, 1), at(out, 2, -2)],
    [1, Math.exp(-1 / 8), Math.exp(-1 / 32), Math.exp(-5 / 8)],
    1e-12,
  );
  // Orientations 0, pi/2, pi, 3 pi/2 averaged: at (1, 0), theta 0 and pi give exp(-1/8), pi/2 and
  // 3 pi/2 (x~ = 0, y~ = -+1) give exp(-1/32): the mean is (exp(-1/8) + exp(-1/32)) / 2.
  const pooled = gaborFilter(image, { ...base, theta: 0, thetaStep: Math.PI / 2, pooling: "mean" });
  close([at(pooled, 1, 0)], [(Math.exp(-1 / 8) + Math.exp(-1 / 32)) / 2], 1e-12);
});

test("Gabor by FFT equals the direct convolution with the 2D kernel, in all three planes", () => {
  // Not a hand value: the FFT route against convolveGeneral with the real and imaginary parts of
  // the same kernel written out, on a non-cubic image (7 x 5 x 6) with mirror padding, so that the
  // padding, cropping and the plane axes of the "3D" (orthogonal planes) variant are checked.
  const size: Vec3 = [7, 5, 6];
  const data = Float64Array.from({ length: 7 * 5 * 6 }, (_, i) => Math.cos(i * 0.91) * 5 + (i % 3));
  const image: FilterImage = { data, size, spacing: [1, 1, 1] };
  const settings = { sigma: 1, lambda: 2.5, gamma: 0.8, theta: 0.4, boundary: "mirror" } as const;
  // In-plane radius floor(max(n_a, n_b) / 2) (6 sigma max(1, 1/gamma) = 7.5 voxels does not cap it).
  const direct = (a: 0 | 1, b: 1 | 2, theta: number): Float64Array => {
    const r = Math.floor(Math.max(size[a], size[b]) / 2);
    const k = 2 * r + 1;
    const kernelSize: Vec3 = [1, 1, 1];
    kernelSize[a] = k;
    kernelSize[b] = k;
    const re = new Float64Array(k * k);
    const im = new Float64Array(k * k);
    for (let j = 0; j < k; j++)
      for (let i = 0; i < k; i++) {
        const x = i - r;
        const y = j - r;
        const xr = x * Math.cos(theta) + y * Math.sin(theta);
        const yr = -x * Math.sin(theta) + y * Math.cos(theta);
        const envelope = Math.exp(-(xr * xr + 0.64 * yr * yr) / 2);
        re[i + k * j] = envelope * Math.cos((2 * Math.PI * xr) / 2.5);
        im[i + k * j] = envelope * Math.sin((2 * Math.PI * xr) / 2.5);
      }
    const real = convolveGeneral(data, size, { weights: re, size: kernelSize }, "mirror");
    const imaginary = convolveGeneral(data, size, { weights: im, size: kernelSize }, "mirror");
    return real.map((v, i) => Math.hypot(v, imaginary[i]!));
  };
  const axial = gaborFilter(image, { ...settings, dimensionality: "2D" });
  close(axial, Array.from(direct(0, 1, 0.4)), 1e-9, "axial");
  // 3D, orientations 0.4 and 0.4 + pi (equal moduli), max-pooled over the planes x-y, x-z, y-z.
  const planes = gaborFilter(image, {
    ...settings,
    dimensionality: "3D",
    thetaStep: Math.PI,
    pooling: "max",
  });
  const xy = direct(0, 1, 0.4);
  const xz = direct(0, 2, 0.4);
  const yz = direct(1, 2, 0.4);
  close(
    planes,
    Array.from(xy, (v, i) => Math.max(v, xz[i]!, yz[i]!)),
    1e-9,
    "planes",
  );
});

test("LoG: the separable filter equals the direct convolution with the full 3D kernel", () => {
  // Not a hand value: two routes through the same formula (sum of separable terms vs the kernel
  // written out) on a random-looking image with mirror padding.
  const n = 9;
  const data = Float64Array.from({ length: n * n * n }, (_, i) => Math.sin(i * 0.37) * 10);
  const image: FilterImage = { data, size: [n, n, n], spacing: [1, 1, 1] };
  const sigma = 1.2;
  const r = Math.floor(4 * sigma + 0.5);
  const k = 2 * r + 1;
  const weights = new Float64Array(k * k * k);
  const c = (sigma * Math.sqrt(2 * Math.PI)) ** -3;
  for (let z = 0; z < k; z++)
    for (let y = 0; y < k; y++)
      for (let x = 0; x < k; x++) {
        const d2 = (x - r) ** 2 + (y - r) ** 2 + (z - r) ** 2;
        weights[x + k * (y + k * z)] =
          (-1 / sigma ** 2) * c * (3 - d2 / sigma ** 2) * Math.exp(-d2 / (2 * sigma ** 2));
      }
  const direct = convolveGeneral(data, image.size, { weights, size: [k, k, k] }, "mirror");
  const ours = laplacianOfGaussian(image, {
    sigma,
    sigmaUnit: "voxel",
    truncate: 4,
    dimensionality: "3D",
    boundary: "mirror",
  });
  close(ours, Array.from(direct), 1e-12);
});

test("bad settings give IbsiSettingError naming the setting", () => {
  const image = impulse(3);
  const bad: [() => unknown, RegExp][] = [
    [
      () => meanFilter(image, { support: 4, dimensionality: "3D", boundary: "zero" }),
      /mean\.support/,
    ],
    [
      () => meanFilter(image, { support: 3, dimensionality: "3D", boundary: "reflect" as never }),
      /mean\.boundary/,
    ],
    [
      () => meanFilter(image, { support: 3, dimensionality: "2.5D" as never, boundary: "zero" }),
      /mean\.dimensionality/,
    ],
    [
      () =>
        laplacianOfGaussian(image, {
          sigma: -1,
          truncate: 4,
          dimensionality: "3D",
          boundary: "zero",
        }),
      /log\.sigma/,
    ],
    [
      () =>
        laplacianOfGaussian(image, {
          sigma: 1,
          truncate: 0,
          dimensionality: "3D",
          boundary: "zero",
        }),
      /log\.truncate/,
    ],
    [() => lawsFilter(image, { ...E5L5S5, kernel: "X5L5S5" }), /laws\.kernel/],
    [() => lawsFilter(image, { ...E5L5S5, dimensionality: "2D" }), /laws\.kernel/],
    [() => lawsFilter(image, { ...E5L5S5, rotationInvariance: true }), /laws\.pooling/],
    [() => lawsFilter(image, { ...E5L5S5, energyDistance: 1.5 }), /laws\.energyDistance/],
    [
      () =>
        gaborFilter(image, {
          ...GABOR_A,
          theta: 0,
          dimensionality: "2D",
          thetaStep: 0.7,
          pooling: "mean",
        }),
      /gabor\.thetaStep/,
    ],
    [
      () => gaborFilter(image, { ...GABOR_A, gamma: 0, theta: 0, dimensionality: "2D" }),
      /gabor\.gamma/,
    ],
    [() => gaborFilter(image, { ...GABOR_A, theta: 0, dimensionality: "3D" }), /gabor\.pooling/],
    [
      () =>
        meanFilter(
          { ...image, size: [2, 2, 2] },
          { support: 3, dimensionality: "3D", boundary: "zero" },
        ),
      /mean: 27 voxels/,
    ],
  ];
  for (const [call, message] of bad) {
    assert.throws(call, (e: unknown) => e instanceof IbsiSettingError && message.test(e.message));
  }
});
