/**
 * IBSI mode (#13), IBSI-2 wavelet-type filters: separable wavelets (src/ibsi/filters/
 * separable-wavelet.ts), the Simoncelli wavelet (simoncelli.ts), Riesz-transformed LoG and
 * Simoncelli (riesz.ts), their FFT (fft.ts) and coefficients (wavelet-coefficients.ts).
 *
 * (1) Every IBSI-2 phase-1 test of these filters against its consensus response map
 * (ibsi2_reference_data/reference_response_maps/<id>-ValidCRM.nii.gz). IBSI's tolerance (README):
 * every voxel within 1 % of the reference map's intensity range. Phantoms and maps are 64^3 voxels
 * of 2 mm; NIfTI i/j/k is our x/y/z. Settings from ibsi2_phase1_filter_configurations.csv; the
 * Riesz tests' parameters (not in that CSV) from the IBSI-2 manual v9, Table 6.1, as transcribed in
 * martonkolossvary/pictologics-manuscript-bench bench/compliance/ibsi2_protocol.py: 9.a impulse,
 * LoG sigma 3 mm truncated at 4 sigma, order (1,0,0), zero; 9.b.1 sphere, same LoG, order (0,2,0),
 * zero; 10.b.1 pattern_1, Simoncelli level 1, order (0,2,0), nearest.
 * (2) Hand-checkable cases. (3) Bad settings.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import type { FilterImage } from "../src/ibsi/filters/convolution.js";
import { centredFrequencies, FftPlan, fftGrid } from "../src/ibsi/filters/fft.js";
import {
  type RieszLaplacianOfGaussianSettings,
  type RieszSimoncelliSettings,
  rieszLaplacianOfGaussian,
  rieszSimoncelli,
  rieszTransfer,
} from "../src/ibsi/filters/riesz.js";
import {
  type SeparableWaveletSettings,
  separableWavelet,
} from "../src/ibsi/filters/separable-wavelet.js";
import {
  type SimoncelliSettings,
  simoncelliResponse,
  simoncelliWavelet,
} from "../src/ibsi/filters/simoncelli.js";
import {
  scalingFilter,
  WAVELET_NAMES,
  waveletFilterBank,
} from "../src/ibsi/filters/wavelet-coefficients.js";
import { IbsiSettingError } from "../src/ibsi/types.js";
import { readImageFile } from "../src/node/files.js";
import {
  ibsi2ReferenceMapFile,
  readIbsi2Phantom,
  responseMapDeviation,
  skipWithoutIbsi,
} from "./support/ibsi.js";

type Case =
  | { id: string; phantom: string; kind: "separable"; settings: SeparableWaveletSettings }
  | { id: string; phantom: string; kind: "simoncelli"; settings: SimoncelliSettings }
  | { id: string; phantom: string; kind: "riesz-log"; settings: RieszLaplacianOfGaussianSettings }
  | { id: string; phantom: string; kind: "riesz-simoncelli"; settings: RieszSimoncelliSettings };

const sep = (
  wavelet: string,
  subband: string,
  level: number,
  boundary: SeparableWaveletSettings["boundary"],
  rotationInvariance: boolean,
): SeparableWaveletSettings => ({
  wavelet,
  subband,
  level,
  dimensionality: "3D",
  boundary,
  ...(rotationInvariance ? { rotationInvariance, pooling: "mean" as const } : {}),
});

const CASES: Case[] = [
  {
    id: "5.a.1",
    phantom: "impulse",
    kind: "separable",
    settings: sep("db2", "LHL", 1, "zero", false),
  },
  {
    id: "5.a.2",
    phantom: "impulse",
    kind: "separable",
    settings: sep("db2", "LHL", 1, "zero", true),
  },
  {
    id: "6.a.1",
    phantom: "sphere",
    kind: "separable",
    settings: sep("coif1", "HHL", 1, "periodic", false),
  },
  {
    id: "6.a.2",
    phantom: "sphere",
    kind: "separable",
    settings: sep("coif1", "HHL", 1, "periodic", true),
  },
  {
    id: "7.a.1",
    phantom: "checkerboard",
    kind: "separable",
    settings: sep("haar", "LLL", 2, "mirror", true),
  },
  {
    id: "7.a.2",
    phantom: "checkerboard",
    kind: "separable",
    settings: sep("haar", "HHH", 2, "mirror", true),
  },
  ...[1, 2, 3].map(
    (level): Case => ({
      id: `8.a.${level}`,
      phantom: "checkerboard",
      kind: "simoncelli",
      settings: { level, dimensionality: "3D", boundary: "periodic" },
    }),
  ),
  {
    id: "9.a",
    phantom: "impulse",
    kind: "riesz-log",
    settings: { sigma: 3, truncate: 4, order: [1, 0, 0], dimensionality: "3D", boundary: "zero" },
  },
  {
    id: "9.b.1",
    phantom: "sphere",
    kind: "riesz-log",
    settings: { sigma: 3, truncate: 4, order: [0, 2, 0], dimensionality: "3D", boundary: "zero" },
  },
  {
    id: "10.b.1",
    phantom: "pattern_1",
    kind: "riesz-simoncelli",
    settings: { level: 1, order: [0, 2, 0], dimensionality: "3D", boundary: "nearest" },
  },
];

function respond(c: Case, image: FilterImage): Float64Array {
  switch (c.kind) {
    case "separable":
      return separableWavelet(image, c.settings);
    case "simoncelli":
      return simoncelliWavelet(image, c.settings);
    case "riesz-log":
      return rieszLaplacianOfGaussian(image, c.settings);
    case "riesz-simoncelli":
      return rieszSimoncelli(image, c.settings);
  }
}

for (const c of CASES) {
  test(`IBSI-2 ${c.id}: ${c.kind} response map within 1 % of the consensus map's range at every voxel`, async (t) => {
    if (skipWithoutIbsi(t, `IBSI-2 ${c.id}`)) return;
    const file = ibsi2ReferenceMapFile(c.id);
    assert.ok(existsSync(file), `${file} missing`);
    const image = await readIbsi2Phantom(c.phantom);
    const map = await readImageFile(file);
    assert.deepEqual(map.size, image.size);
    const started = performance.now();
    const ours = respond(c, image);
    const ms = performance.now() - started;
    const { worst, outside } = responseMapDeviation(ours, map.data);
    console.log(
      `IBSI-2 ${c.id}: max |diff| = ${worst.toExponential(2)} of the range (tolerance 1e-2), ${ours.length - outside} of ${ours.length} voxels within, ${ms.toFixed(0)} ms`,
    );
    assert.equal(outside, 0, `${outside} voxels beyond 1 % of the range (max ${100 * worst} %)`);
  });
}

function close(got: number, want: number, tol = 1e-12, what = ""): void {
  assert.ok(Math.abs(got - want) <= tol, `${what} got ${got}, want ${want}`);
}

/** got[k] within tol of want[k] for every k. */
function closeEach(
  got: ArrayLike<number>,
  want: readonly number[],
  tol: number,
  what: string,
): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let k = 0; k < want.length; k++) close(got[k]!, want[k]!, tol, `${what}[${k}]`);
}

test("FFT of [1, 2, 3, 4] (radix 2) and [1, 2, 3] (Bluestein) by hand; inverse round trip", () => {
  // X[k] = sum_j x_j (-i)^{jk}: X0 = 10; X1 = 1 - 2i - 3 + 4i = -2 + 2i; X2 = 1 - 2 + 3 - 4 = -2;
  // X3 = 1 + 2i - 3 - 4i = -2 - 2i.
  const re = Float64Array.from([1, 2, 3, 4]);
  const im = new Float64Array(4);
  new FftPlan(4).transform(re, im, false);
  closeEach(re, [10, -2, -2, -2], 1e-12, "re X");
  closeEach(im, [0, 2, 0, -2], 1e-12, "im X");
  new FftPlan(4).transform(re, im, true);
  closeEach(re, [1, 2, 3, 4], 1e-12, "inverse");
  // w = e^{-2 pi i/3} = -1/2 - i sqrt(3)/2, w^2 = conj(w): X1 = 1 + 2w + 3w^2
  // = 1 - 1 - 3/2 + i (-sqrt(3) + 3 sqrt(3)/2) = -3/2 + i sqrt(3)/2; X2 = conj(X1).
  const re3 = Float64Array.from([1, 2, 3]);
  const im3 = new Float64Array(3);
  new FftPlan(3).transform(re3, im3, false);
  close(re3[0]!, 6);
  close(im3[0]!, 0);
  close(re3[1]!, -1.5);
  close(im3[1]!, Math.sqrt(3) / 2);
  close(re3[2]!, -1.5);
  close(im3[2]!, -Math.sqrt(3) / 2);
});

test("FFT of other lengths and the 3D grid transform equal the DFT sum", () => {
  for (const n of [5, 6, 7, 12, 100]) {
    const xr = Float64Array.from({ length: n }, (_, j) => Math.sin(j * 1.7) + j / n);
    const xi = Float64Array.from({ length: n }, (_, j) => Math.cos(j * 0.3));
    const re = xr.slice();
    const im = xi.slice();
    new FftPlan(n).transform(re, im, false);
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        const a = (-2 * Math.PI * j * k) / n;
        sr += xr[j]! * Math.cos(a) - xi[j]! * Math.sin(a);
        si += xr[j]! * Math.sin(a) + xi[j]! * Math.cos(a);
      }
      close(re[k]!, sr, 1e-9, `n=${n} re X${k}`);
      close(im[k]!, si, 1e-9, `n=${n} im X${k}`);
    }
  }
  // 3D: the transform of a single voxel at (1, 2, 0) on a 4 x 3 x 2 grid is
  // e^{-2 pi i (kx/4 + 2 ky/3)}.
  const size: [number, number, number] = [4, 3, 2];
  const re = new Float64Array(24);
  const im = new Float64Array(24);
  re[1 + 4 * 2] = 1;
  fftGrid(re, im, size, [0, 1, 2], false);
  for (let z = 0; z < 2; z++)
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 4; x++) {
        const a = -2 * Math.PI * (x / 4 + (2 * y) / 3);
        close(re[x + 4 * (y + 3 * z)]!, Math.cos(a), 1e-12);
        close(im[x + 4 * (y + 3 * z)]!, Math.sin(a), 1e-12);
      }
});

test("wavelet coefficients: orthonormal filter banks (sum sqrt 2, unit norm, even shifts orthogonal, QMF high-pass)", () => {
  assert.ok(WAVELET_NAMES.includes("haar") && WAVELET_NAMES.includes("db10"));
  assert.ok(WAVELET_NAMES.includes("coif5"));
  for (const name of WAVELET_NAMES) {
    const { decLo, decHi } = waveletFilterBank(name);
    const n = decLo.length;
    assert.equal(decHi.length, n);
    // Orthonormal scaling filter: sum h = sqrt(2); sum h_k h_{k+2m} = delta_m; the wavelet
    // filter: sum g = 0, sum g_k g_{k+2m} = delta_m, sum h_k g_{k+2m} = 0 (Daubechies 1992, 5.1).
    let sumLo = 0;
    let sumHi = 0;
    for (let k = 0; k < n; k++) {
      sumLo += decLo[k]!;
      sumHi += decHi[k]!;
    }
    close(sumLo, Math.SQRT2, 1e-9, `${name} sum dec_lo`);
    close(sumHi, 0, 1e-9, `${name} sum dec_hi`);
    for (let m = -(n / 2 - 1); m < n / 2; m++) {
      let ll = 0;
      let hh = 0;
      let lh = 0;
      for (let k = 0; k < n; k++) {
        const j = k + 2 * m;
        if (j < 0 || j >= n) continue;
        ll += decLo[k]! * decLo[j]!;
        hh += decHi[k]! * decHi[j]!;
        lh += decLo[k]! * decHi[j]!;
      }
      close(ll, m === 0 ? 1 : 0, 1e-9, `${name} <h, h shifted ${2 * m}>`);
      close(hh, m === 0 ? 1 : 0, 1e-9, `${name} <g, g shifted ${2 * m}>`);
      close(lh, 0, 1e-9, `${name} <h, g shifted ${2 * m}>`);
    }
  }
  // Haar = db1: h = (1/sqrt 2, 1/sqrt 2); PyWavelets' dec_hi = (-1/sqrt 2, 1/sqrt 2).
  const haar = waveletFilterBank("haar");
  assert.deepEqual([...haar.decLo], [Math.SQRT1_2, Math.SQRT1_2]);
  close(haar.decHi[0]!, -Math.SQRT1_2, 1e-16);
  close(haar.decHi[1]!, Math.SQRT1_2, 1e-16);
  // Daubechies 1992, Table 6.1, N = 2: h = ((1 + sqrt 3), (3 + sqrt 3), (3 - sqrt 3), (1 - sqrt 3))
  // / (4 sqrt 2).
  const s3 = Math.sqrt(3);
  const db2 = [1 + s3, 3 + s3, 3 - s3, 1 - s3].map((v) => v / (4 * Math.SQRT2));
  closeEach(scalingFilter("db2"), db2, 1e-12, "db2 h");
  assert.equal(scalingFilter("coif1").length, 6);
});

/** A line of 4 voxels along x in a 2D grid; sub-band letters x, y. */
const line: FilterImage = {
  data: Float64Array.from([1, 2, 4, 8]),
  size: [4, 1, 1],
  spacing: [1, 1, 1],
};
const lineSettings = (
  subband: string,
  level: number,
  boundary: SeparableWaveletSettings["boundary"],
): SeparableWaveletSettings => ({
  wavelet: "haar",
  subband,
  level,
  dimensionality: "2D",
  boundary,
});

test("Haar on a 4-voxel line with periodic boundary, levels 1 and 2, by hand", () => {
  // r = 1/sqrt 2. Along y (one voxel) L sums the voxel twice: factor 2 r = sqrt 2. Along x, step 1:
  // out[i] = f0 x[i+1] + f1 x[i]; H = (-r, r): r (x[i] - x[i+1]), periodic x[4] = x[0].
  // HL: sqrt2 r (1-2, 2-4, 4-8, 8-1) = (-1, -2, -4, 7).
  const hl = separableWavelet(line, lineSettings("HL", 1, "periodic"));
  closeEach(hl, [-1, -2, -4, 7], 1e-12, "HL");
  // LL: x[i] + x[i+1] = (3, 6, 12, 9).
  const ll = separableWavelet(line, lineSettings("LL", 1, "periodic"));
  closeEach(ll, [3, 6, 12, 9], 1e-12, "LL");
  // Zero boundary: along y, L reads y + 1 beyond the edge (0): factor r, not sqrt 2; along x,
  // x[4] = 0: HL = r^2 (x[i] - x[i+1]) = (1-2, 2-4, 4-8, 8-0) / 2 = (-0.5, -1, -2, 4).
  const hlZero = separableWavelet(line, lineSettings("HL", 1, "zero"));
  closeEach(hlZero, [-0.5, -1, -2, 4], 1e-12, "HL zero");
  // Level 2: the level-1 LL approximation a = (3, 6, 12, 9), then H at step 2:
  // r (a[i] - a[i+2]) times sqrt 2 along y = (3-12, 6-9, 12-3, 9-6) = (-9, -3, 9, 3).
  const hl2 = separableWavelet(line, lineSettings("HL", 2, "periodic"));
  closeEach(hl2, [-9, -3, 9, 3], 1e-12, "HL level 2");
});

test("rotation invariance: the pooled 2D filter commutes with a 90-degree in-plane turn", () => {
  // A 5 x 5 x 3 image, turned by 90 degrees in-plane: (x, y) -> (4 - y, x).
  const n = 5;
  const nz = 3;
  const data = Float64Array.from(
    { length: n * n * nz },
    (_, i) => Math.sin(i * 0.7) * 10 + (i % 7),
  );
  const turned = new Float64Array(data.length);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) turned[n - 1 - y + n * (x + n * z)] = data[x + n * (y + n * z)]!;
  const settings: SeparableWaveletSettings = {
    wavelet: "db2",
    subband: "HL",
    level: 1,
    dimensionality: "2D",
    boundary: "periodic",
    rotationInvariance: true,
    pooling: "mean",
  };
  const a = separableWavelet({ data, size: [n, n, nz], spacing: [1, 1, 1] }, settings);
  const b = separableWavelet({ data: turned, size: [n, n, nz], spacing: [1, 1, 1] }, settings);
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++)
        close(b[n - 1 - y + n * (x + n * z)]!, a[x + n * (y + n * z)]!, 1e-12, `(${x},${y},${z})`);
  // Without pooling the HL band is not invariant: some voxel differs.
  const plain = { ...settings, rotationInvariance: false, pooling: undefined };
  const c = separableWavelet({ data, size: [n, n, nz], spacing: [1, 1, 1] }, plain);
  const d = separableWavelet({ data: turned, size: [n, n, nz], spacing: [1, 1, 1] }, plain);
  let differs = false;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++)
        if (Math.abs(d[n - 1 - y + n * (x + n * z)]! - c[x + n * (y + n * z)]!) > 1e-9)
          differs = true;
  assert.ok(differs);
});

test("rotation invariance: the pooled 3D filter (24 rotations) commutes with a 90-degree turn about x", () => {
  // A 4 x 4 x 4 image, turned about x: (x, y, z) -> (x, 3 - z, y); periodic, so the turned
  // image's extension is the turned extension.
  const n = 4;
  const at = (x: number, y: number, z: number) => x + n * (y + n * z);
  const data = Float64Array.from({ length: n ** 3 }, (_, i) => ((i * 23) % 13) + Math.cos(i));
  const turned = new Float64Array(data.length);
  for (let z = 0; z < n; z++)
    for (let y = 0; y < n; y++)
      for (let x = 0; x < n; x++) turned[at(x, n - 1 - z, y)] = data[at(x, y, z)]!;
  for (const pooling of ["mean", "max"] as const) {
    const settings: SeparableWaveletSettings = {
      wavelet: "db3",
      subband: "LHH",
      level: 2,
      dimensionality: "3D",
      boundary: "periodic",
      rotationInvariance: true,
      pooling,
    };
    const size: [number, number, number] = [n, n, n];
    const a = separableWavelet({ data, size, spacing: [1, 1, 1] }, settings);
    const b = separableWavelet({ data: turned, size, spacing: [1, 1, 1] }, settings);
    for (let z = 0; z < n; z++)
      for (let y = 0; y < n; y++)
        for (let x = 0; x < n; x++)
          close(b[at(x, n - 1 - z, y)]!, a[at(x, y, z)]!, 1e-12, `${pooling} (${x},${y},${z})`);
  }
});

test("Simoncelli transfer and centred frequency grid by hand; Riesz transfer; sum of pure second orders = -1", () => {
  // Level 1: nu_max = 1: H(1/2) = cos(0) = 1; H(1/4) = cos(-pi/2) = 0; H(1) = cos(pi/2) = 0.
  close(simoncelliResponse(0.5, 1), 1);
  close(simoncelliResponse(0.25, 1), 0);
  close(simoncelliResponse(0.2, 1), 0);
  close(simoncelliResponse(0.25, 2), 1);
  // Tight frame: for 1/4 < nu < 1/2, H1^2 + H2^2 = cos^2(t) + cos^2(t + pi/2) = 1.
  close(simoncelliResponse(0.3, 1) ** 2 + simoncelliResponse(0.3, 2) ** 2, 1);
  // m = 4: c = 1.5, bin k -> centred index (k + 2) mod 4: (0.5, 1.5, -1.5, -0.5) / 1.5.
  closeEach(centredFrequencies(4), [1 / 3, 1, -1, -1 / 3], 1e-12, "m = 4");
  // m = 5: c = 2: (0, 1, 2, -2, -1) / 2.
  closeEach(centredFrequencies(5), [0, 0.5, 1, -1, -0.5], 1e-12, "m = 5");
  // 3 x 3 grid: frequencies (0, 1, -1). Order (1, 0) at bin (1, 1), nu = (1, 1):
  // (-i) nu_x / |nu| = -i / sqrt 2. Order (1, 1) at bin (1, 2), nu = (1, -1):
  // (-i)^2 sqrt(2!/(1! 1!)) (1)(-1) / 2 = sqrt(2) / 2.
  const first = rieszTransfer([3, 3, 1], [1, 0]);
  close(first.re[1 + 3]!, 0);
  close(first.im![1 + 3]!, -Math.SQRT1_2);
  const mixed = rieszTransfer([3, 3, 1], [1, 1]);
  close(mixed.re[1 + 3 * 2]!, Math.SQRT2 / 2);
  close(mixed.im![1 + 3 * 2]!, 0);
  close(first.re[0]!, 0, 0, "DC");
  // sum_a R^{2 e_a} = -(nu_x^2 + nu_y^2 + nu_z^2) / |nu|^2 = -1, so the three pure second-order
  // Riesz-Simoncelli maps add up to minus the Simoncelli map.
  const size: [number, number, number] = [8, 6, 5];
  const image: FilterImage = {
    data: Float64Array.from({ length: 240 }, (_, i) => ((i * 37) % 11) - 3 * Math.cos(i)),
    size,
    spacing: [1, 1, 1],
  };
  const base = { level: 1, dimensionality: "3D" as const, boundary: "mirror" as const };
  const simoncelli = simoncelliWavelet(image, base);
  const sum = new Float64Array(240);
  for (const order of [
    [2, 0, 0],
    [0, 2, 0],
    [0, 0, 2],
  ]) {
    const r = rieszSimoncelli(image, { ...base, order });
    for (let i = 0; i < 240; i++) sum[i] = sum[i]! + r[i]!;
  }
  for (let i = 0; i < 240; i++) close(sum[i]!, -simoncelli[i]!, 1e-9, `voxel ${i}`);
});

test("2D filters: slice-wise; a z-constant image's level-2 3D HLL is 2 times its 2D HL; 2D Riesz second orders add to minus Simoncelli", () => {
  const [nx, ny, nz] = [6, 5, 3];
  const plane = Float64Array.from({ length: nx * ny }, (_, i) => ((i * 13) % 7) + Math.sin(i));
  const data = new Float64Array(nx * ny * nz);
  for (let z = 0; z < nz; z++) data.set(plane, z * nx * ny);
  const image: FilterImage = { data, size: [nx, ny, nz], spacing: [1, 1, 1] };
  // Along z the image is constant, so each L pass along z (periodic) scales it by the sum of
  // dec_lo, sqrt 2; level 2 has two (the level-1 pre-filter and the band's L): factor 2.
  const settings = (dimensionality: "2D" | "3D", subband: string): SeparableWaveletSettings => ({
    wavelet: "coif1",
    subband,
    level: 2,
    dimensionality,
    boundary: "periodic",
  });
  const threeD = separableWavelet(image, settings("3D", "HLL"));
  const twoD = separableWavelet(image, settings("2D", "HL"));
  for (let i = 0; i < data.length; i++) close(threeD[i]!, 2 * twoD[i]!, 1e-9, `voxel ${i}`);
  // Slice-wise: one slice alone gives the same map as within the volume.
  const single = separableWavelet(
    { data: plane, size: [nx, ny, 1], spacing: [1, 1, 1] },
    settings("2D", "HL"),
  );
  for (let i = 0; i < plane.length; i++) close(twoD[2 * nx * ny + i]!, single[i]!, 1e-12);
  // 2D Riesz: R^(2,0) + R^(0,2) = -(nu_x^2 + nu_y^2) / |nu|^2 = -1.
  const base = { level: 2, dimensionality: "2D" as const, boundary: "zero" as const };
  const simoncelli = simoncelliWavelet(image, base);
  const xx = rieszSimoncelli(image, { ...base, order: [2, 0] });
  const yy = rieszSimoncelli(image, { ...base, order: [0, 2] });
  for (let i = 0; i < data.length; i++) close(xx[i]! + yy[i]!, -simoncelli[i]!, 1e-9, `voxel ${i}`);
});

test("Riesz-LoG: the three pure second orders add to minus the periodic LoG, less its mean term (direct spatial sum)", () => {
  // Odd sizes: DFT bin 0 is the only zero frequency of the centred grid, where R^l = 0, and
  // sum_a R^{2 e_a} = -1 elsewhere; so sum_a RieszLoG^{2 e_a} = -(LoG * I - mean(I) sum(LoG)).
  const size: [number, number, number] = [9, 7, 5];
  const n = 9 * 7 * 5;
  const data = Float64Array.from({ length: n }, (_, i) => ((i * 29) % 17) - 2 * Math.sin(0.3 * i));
  const image: FilterImage = { data, size, spacing: [2, 2, 2] };
  // IBSI LoG in voxels: sigma = 3 mm / 2 mm = 1.5, radius floor(4 * 1.5 + 0.5) = 6, d = 3:
  // K(u) = -1/s^2 (2 pi s^2)^(-3/2) (3 - |u|^2/s^2) exp(-|u|^2 / (2 s^2)).
  const s = 1.5;
  const r = 6;
  const kernel = (u2: number) =>
    (-1 / (s * s)) *
    (2 * Math.PI * s * s) ** -1.5 *
    (3 - u2 / (s * s)) *
    Math.exp(-u2 / (2 * s * s));
  let kernelSum = 0;
  let mean = 0;
  for (const v of data) mean += v / n;
  const log = new Float64Array(n);
  const mod = (a: number, m: number) => ((a % m) + m) % m;
  for (let w = -r; w <= r; w++)
    for (let v = -r; v <= r; v++)
      for (let u = -r; u <= r; u++) {
        const k = kernel(u * u + v * v + w * w);
        kernelSum += k;
        for (let z = 0; z < 5; z++)
          for (let y = 0; y < 7; y++)
            for (let x = 0; x < 9; x++)
              log[x + 9 * (y + 7 * z)]! +=
                k * data[mod(x - u, 9) + 9 * (mod(y - v, 7) + 7 * mod(z - w, 5))]!;
      }
  const sum = new Float64Array(n);
  for (const order of [
    [2, 0, 0],
    [0, 2, 0],
    [0, 0, 2],
  ]) {
    const map = rieszLaplacianOfGaussian(image, {
      sigma: 3,
      truncate: 4,
      order,
      dimensionality: "3D",
      boundary: "periodic",
    });
    for (let i = 0; i < n; i++) sum[i] = sum[i]! + map[i]!;
  }
  for (let i = 0; i < n; i++) close(sum[i]!, -(log[i]! - mean * kernelSum), 1e-9, `voxel ${i}`);
});

test("bad settings throw IbsiSettingError naming the setting", () => {
  const image: FilterImage = { data: new Float64Array(8), size: [2, 2, 2], spacing: [1, 1, 1] };
  const good = sep("db2", "LHL", 1, "zero", false);
  const bad = (settings: SeparableWaveletSettings, pattern: RegExp) =>
    assert.throws(
      () => separableWavelet(image, settings),
      (e: unknown) => e instanceof IbsiSettingError && pattern.test(e.message),
    );
  bad({ ...good, wavelet: "db99" }, /^separable-wavelet\.wavelet:/);
  bad({ ...good, subband: "LXH" }, /^separable-wavelet\.subband:/);
  bad({ ...good, subband: "LH" }, /^separable-wavelet\.subband:/);
  bad({ ...good, dimensionality: "2D" }, /^separable-wavelet\.subband:/);
  bad({ ...good, level: 0 }, /^separable-wavelet\.level:/);
  bad({ ...good, level: 1.5 }, /^separable-wavelet\.level:/);
  bad({ ...good, boundary: "reflect" as "mirror" }, /^separable-wavelet\.boundary:/);
  bad({ ...good, rotationInvariance: true }, /^separable-wavelet\.pooling:/);
  bad({ ...good, pooling: "max" }, /^separable-wavelet\.pooling:/);
  bad({ ...good, dimensionality: "4D" as "3D" }, /^separable-wavelet\.dimensionality:/);
  const simon: SimoncelliSettings = { level: 1, dimensionality: "3D", boundary: "periodic" };
  assert.throws(
    () => simoncelliWavelet(image, { ...simon, level: 0 }),
    /^IbsiSettingError: simoncelli\.level:/,
  );
  assert.throws(
    () => simoncelliWavelet(image, { ...simon, boundary: "wrap" as "periodic" }),
    /^IbsiSettingError: simoncelli\.boundary:/,
  );
  const rlog: RieszLaplacianOfGaussianSettings = {
    sigma: 3,
    truncate: 4,
    order: [1, 0, 0],
    dimensionality: "3D",
    boundary: "zero",
  };
  assert.throws(
    () => rieszLaplacianOfGaussian(image, { ...rlog, sigma: -1 }),
    /riesz-laplacian-of-gaussian\.sigma:/,
  );
  assert.throws(
    () => rieszLaplacianOfGaussian(image, { ...rlog, truncate: 0 }),
    /riesz-laplacian-of-gaussian\.truncate:/,
  );
  assert.throws(
    () => rieszLaplacianOfGaussian(image, { ...rlog, order: [0, 0, 0] }),
    /riesz-laplacian-of-gaussian\.order:/,
  );
  assert.throws(
    () => rieszLaplacianOfGaussian(image, { ...rlog, order: [1, 0] }),
    /riesz-laplacian-of-gaussian\.order:/,
  );
  assert.throws(
    () => rieszLaplacianOfGaussian(image, { ...rlog, order: [1, -1, 1] }),
    /riesz-laplacian-of-gaussian\.order:/,
  );
  const rsim: RieszSimoncelliSettings = {
    level: 1,
    order: [0, 2],
    dimensionality: "2D",
    boundary: "nearest",
  };
  assert.throws(() => rieszSimoncelli(image, { ...rsim, level: -2 }), /riesz-simoncelli\.level:/);
  assert.throws(
    () => rieszSimoncelli(image, { ...rsim, order: [0, 2, 0] }),
    /riesz-simoncelli\.order:/,
  );
  for (const f of [
    () => simoncelliWavelet(image, { ...simon, level: 0 }),
    () => rieszSimoncelli(image, { ...rsim, order: [] }),
  ])
    assert.throws(f, IbsiSettingError);
});
