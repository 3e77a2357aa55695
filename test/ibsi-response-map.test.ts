/**
 * IBSI mode (#13), src/ibsi/response-map.ts: a filter's response map computed on the ROI's
 * neighbourhood (the region grown by the filter's reach) equals, in the region, the map of the
 * whole image, for every filter type, both dimensionalities, the four boundary conditions, ROIs
 * inside the image and at its edge; and extractIbsiFeatures with a filter equals the features of the
 * whole image's response map. Stands alone (synthetic images); the reaches are checked by hand.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseIbsiConfig } from "../src/ibsi/config.js";
import { extractIbsiFeatures } from "../src/ibsi/extract.js";
import { applyIbsiFilter, type IbsiFilter, parseIbsiFilter } from "../src/ibsi/filters/index.js";
import {
  featureMargin,
  filterReach,
  type GridBox,
  responseAroundRoi,
} from "../src/ibsi/response-map.js";
import type { IbsiImage } from "../src/ibsi/types.js";
import { IDENTITY3, type Vec3, type Volume } from "../src/image/volume.js";

const filter = (block: Record<string, unknown>): IbsiFilter => parseIbsiFilter(block);

test("filter reaches by hand", () => {
  const iso: Vec3 = [1, 1, 1];
  const grid: Vec3 = [200, 197, 180];
  const ct: Vec3 = [0.977, 0.977, 3];
  const mean = { type: "mean", boundary: "mirror", support: 5 };
  // Support 5: 2 voxels on each side; slice by slice, none along z.
  assert.deepEqual(filterReach(filter({ ...mean, dimensionality: "3D" }), iso, grid), [2, 2, 2]);
  assert.deepEqual(filterReach(filter({ ...mean, dimensionality: "2D" }), iso, grid), [2, 2, 0]);
  // LoG sigma 1.5 mm, truncate 4: floor(4 x 1.5 / 0.977 + 0.5) = floor(6.64) = 6 in-plane,
  // floor(4 x 0.5 + 0.5) = 2 along z (3 mm slices).
  const log = filter({
    type: "laplacian-of-gaussian",
    dimensionality: "3D",
    boundary: "mirror",
    sigma: 1.5,
    truncate: 4,
  });
  assert.deepEqual(filterReach(log, ct, grid), [6, 6, 2]);
  // Laws L5E5, energy distance 7: 5-tap kernels reach 2, the energy map 7 more.
  const laws = filter({
    type: "laws",
    dimensionality: "2D",
    boundary: "mirror",
    kernel: "L5E5",
    rotationInvariance: true,
    pooling: "max",
    energyDistance: 7,
  });
  assert.deepEqual(filterReach(laws, iso, grid), [9, 9, 0]);
  // E3W5R5 (rotations carry the 5-tap kernels to every axis): 2.
  const e3 = filter({ type: "laws", dimensionality: "3D", boundary: "zero", kernel: "E3W5R5" });
  assert.deepEqual(filterReach(e3, iso, grid), [2, 2, 2]);
  // Gabor sigma 5 mm, gamma 1.5 at 1 mm: 6 x 5 x max(1, 1/1.5) = 30 voxels (planes >= 60 wide).
  const gabor = filter({
    type: "gabor",
    dimensionality: "3D",
    boundary: "mirror",
    sigma: 5,
    lambda: 2,
    gamma: 1.5,
    theta: 0,
    thetaStep: Math.PI / 8,
    pooling: "mean",
  });
  assert.deepEqual(filterReach(gabor, iso, grid), [30, 30, 30]);
  // ... but no more than half the widest plane: 40 x 40 x 40 -> 20.
  assert.deepEqual(filterReach(gabor, iso, [40, 40, 40]), [20, 20, 20]);
  // db3 (6 taps), level 2: stages of step 1 and 2, at most 6 x (1 + 2) = 18.
  const db3 = filter({
    type: "separable-wavelet",
    dimensionality: "3D",
    boundary: "mirror",
    wavelet: "db3",
    subband: "HHH",
    level: 2,
  });
  assert.deepEqual(filterReach(db3, iso, grid), [18, 18, 18]);
  const haar = { type: "separable-wavelet", boundary: "zero", wavelet: "haar", level: 1 };
  assert.deepEqual(
    filterReach(filter({ ...haar, dimensionality: "2D", subband: "HL" }), iso, grid),
    [2, 2, 0],
  );
  // Fourier-domain filters read the whole image.
  const simoncelli = { type: "simoncelli", dimensionality: "3D", boundary: "periodic", level: 1 };
  assert.equal(filterReach(filter(simoncelli), iso, grid), null);
  // The local intensity sphere, r = 6.2035 mm: ceil(6.2035 / 1) + 1 = 8; 3 mm slices: 3 + 1.
  assert.deepEqual(featureMargin([1, 1, 3], true), [8, 8, 4]);
  assert.deepEqual(featureMargin([1, 1, 3], false), [1, 1, 1]);
});

/** Deterministic test intensities (a linear congruential generator plus a smooth trend). */
function noise(n: number, seed: number): Float64Array {
  let state = seed;
  return Float64Array.from({ length: n }, (_, i) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 500 - 200 + 50 * Math.sin(i / 97);
  });
}

/** An ellipsoidal ROI (semi-axes in voxels) around `centre`, as a mask on a grid of `size`. */
function ellipsoid(size: Vec3, centre: Vec3, axes: Vec3): Uint8Array {
  const mask = new Uint8Array(size[0] * size[1] * size[2]);
  for (let z = 0, i = 0; z < size[2]; z++)
    for (let y = 0; y < size[1]; y++)
      for (let x = 0; x < size[0]; x++, i++) {
        const d =
          ((x - centre[0]) / axes[0]) ** 2 +
          ((y - centre[1]) / axes[1]) ** 2 +
          ((z - centre[2]) / axes[2]) ** 2;
        if (d <= 1) mask[i] = 1;
      }
  return mask;
}

function ibsiImage(size: Vec3, spacing: Vec3, roi: Uint8Array, seed: number): IbsiImage {
  const intensities = noise(roi.length, seed);
  return {
    size,
    spacing,
    intensities,
    morphologicalMask: roi,
    intensityMask: roi.map((m, i) => (m === 1 && intensities[i]! < 250 ? 1 : 0)),
  };
}

const voxels = (box: GridBox) => box.size[0] * box.size[1] * box.size[2];

/** The regional map equals the whole map in the region; returns whether the image was cropped. */
function assertRegionalEqualsWhole(image: IbsiImage, f: IbsiFilter, margin: Vec3, what: string) {
  const whole = applyIbsiFilter(
    { data: image.intensities, size: image.size, spacing: image.spacing },
    f,
  );
  const { image: regional, region, filtered } = responseAroundRoi(image, f, margin);
  let scale = 1;
  for (const v of whole) scale = Math.max(scale, Math.abs(v));
  const [nx, ny] = image.size;
  const [rx, ry, rz] = region.size;
  for (let z = 0, k = 0; z < rz; z++)
    for (let y = 0; y < ry; y++)
      for (let x = 0; x < rx; x++, k++) {
        const g = x + region.start[0] + nx * (y + region.start[1] + ny * (z + region.start[2]));
        const d = Math.abs(regional.intensities[k]! - whole[g]!);
        assert.ok(
          d <= 1e-10 * scale,
          `${what}: voxel (${x}, ${y}, ${z}) of the region differs by ${d}`,
        );
        assert.equal(regional.morphologicalMask[k], image.morphologicalMask[g], what);
        assert.equal(regional.intensityMask[k], image.intensityMask[g], what);
      }
  // Every ROI voxel lies in the region.
  let inside = 0;
  let roi = 0;
  for (const m of regional.morphologicalMask) inside += m;
  for (const m of image.morphologicalMask) roi += m;
  assert.equal(inside, roi, `${what}: ROI voxels in the region`);
  return voxels(filtered) < image.intensities.length;
}

const FILTERS: Record<string, unknown>[] = [
  { type: "mean", dimensionality: "3D", boundary: "zero", support: 5 },
  { type: "mean", dimensionality: "2D", boundary: "mirror", support: 7 },
  {
    type: "laplacian-of-gaussian",
    dimensionality: "3D",
    boundary: "nearest",
    sigma: 1.5,
    truncate: 4,
  },
  {
    type: "laplacian-of-gaussian",
    dimensionality: "2D",
    boundary: "periodic",
    sigma: 2,
    truncate: 3,
  },
  {
    type: "laplacian-of-gaussian",
    dimensionality: "3D",
    boundary: "mirror",
    sigma: 1,
    sigmaUnit: "voxel",
    truncate: 4,
  },
  {
    type: "laws",
    dimensionality: "3D",
    boundary: "mirror",
    kernel: "L5E5E5",
    rotationInvariance: true,
    pooling: "max",
    energyDistance: 3,
  },
  { type: "laws", dimensionality: "2D", boundary: "zero", kernel: "E3W5" },
  {
    type: "laws",
    dimensionality: "2D",
    boundary: "periodic",
    kernel: "L5S5",
    rotationInvariance: true,
    pooling: "mean",
    energyDistance: 2,
  },
  {
    type: "gabor",
    dimensionality: "2D",
    boundary: "zero",
    sigma: 2,
    lambda: 2,
    gamma: 1.5,
    theta: 0.3,
  },
  {
    type: "gabor",
    dimensionality: "3D",
    boundary: "mirror",
    sigma: 1,
    lambda: 2,
    gamma: 0.5,
    theta: 0,
    thetaStep: Math.PI / 4,
    pooling: "mean",
  },
  {
    type: "separable-wavelet",
    dimensionality: "3D",
    boundary: "mirror",
    wavelet: "db3",
    subband: "LLH",
    level: 1,
    rotationInvariance: true,
    pooling: "mean",
  },
  {
    type: "separable-wavelet",
    dimensionality: "2D",
    boundary: "zero",
    wavelet: "haar",
    subband: "HH",
    level: 2,
    rotationInvariance: true,
    pooling: "max",
  },
  {
    type: "separable-wavelet",
    dimensionality: "3D",
    boundary: "nearest",
    wavelet: "coif1",
    subband: "HLH",
    level: 2,
  },
  { type: "simoncelli", dimensionality: "3D", boundary: "periodic", level: 1 },
  { type: "simoncelli", dimensionality: "2D", boundary: "mirror", level: 2 },
  {
    type: "riesz-laplacian-of-gaussian",
    dimensionality: "3D",
    boundary: "zero",
    sigma: 2,
    truncate: 4,
    order: [1, 0, 1],
  },
];

test("the response map around the ROI equals the whole image's map there, for every filter type", () => {
  // Isotropic, ROI inside the image; anisotropic (thick slices), ROI against the x = 0 edge.
  const cases = [
    {
      name: "1 mm, ROI inside",
      image: ibsiImage(
        [56, 52, 44],
        [1, 1, 1],
        ellipsoid([56, 52, 44], [30, 24, 22], [5, 4, 6]),
        7,
      ),
    },
    {
      name: "0.8 x 0.8 x 2 mm, ROI at the edge",
      image: ibsiImage(
        [60, 48, 20],
        [0.8, 0.8, 2],
        ellipsoid([60, 48, 20], [2, 20, 9], [6, 5, 3]),
        11,
      ),
    },
  ];
  let cropped = 0;
  let runs = 0;
  for (const c of cases) {
    for (const block of FILTERS) {
      const f = filter(block);
      const what = `${c.name}, ${JSON.stringify(block)}`;
      const margin = featureMargin(c.image.spacing, runs % 2 === 0);
      const wasCropped = assertRegionalEqualsWhole(c.image, f, margin, what);
      runs++;
      if (filterReach(f, c.image.spacing, c.image.size) === null)
        assert.equal(wasCropped, false, `${what}: a Fourier-domain filter reads the whole image`);
      else if (wasCropped) cropped++;
    }
  }
  // The check is meaningful only where the image was cropped: most finite-reach cases are.
  assert.ok(cropped >= 18, `only ${cropped} of ${runs} runs cropped the image`);
});

test("Gabor: no crop where the cropped plane would shorten the kernel", () => {
  // Sigma 2 mm, gamma 1/2: radius min(plane / 2, 6 x 2 x 2 = 24). On a 64 x 64 slice, 24. A ROI in
  // the corner (x, y <= 2, margin 1) gives the region 0..3 and a box 0..27: 28 voxels, whose half
  // (14) would cut the kernel to 14, so the whole slice is filtered.
  const size: Vec3 = [64, 64, 3];
  const roi = new Uint8Array(64 * 64 * 3);
  for (let y = 0; y <= 2; y++) for (let x = 0; x <= 2; x++) roi[x + 64 * (y + 64)] = 1;
  const image = ibsiImage(size, [1, 1, 1], roi, 3);
  const f = filter({
    type: "gabor",
    dimensionality: "2D",
    boundary: "mirror",
    sigma: 2,
    lambda: 3,
    gamma: 0.5,
    theta: 1,
  });
  assert.deepEqual(filterReach(f, [1, 1, 1], size), [24, 24, 0]);
  const cropped = assertRegionalEqualsWhole(image, f, featureMargin([1, 1, 1], false), "corner");
  assert.equal(cropped, false);
  assert.deepEqual(responseAroundRoi(image, f, [1, 1, 1]).filtered.size, [64, 64, 3]);
});

test("extractIbsiFeatures with a filter equals the features of the whole image's response map", () => {
  // No interpolation and no re-segmentation: the masks are the ROI in both runs, so extracting
  // with the filter must give the features of the whole map, local intensity (which reads
  // around the ROI), morphology (intensity-weighted) and texture included.
  const size: Vec3 = [40, 38, 30];
  const spacing: Vec3 = [1, 1, 1.5];
  const roi = ellipsoid(size, [18, 20, 14], [6, 5, 4]);
  const data = noise(roi.length, 5);
  const volume = (values: Float64Array | Uint8Array): Volume => ({
    data: Float64Array.from(values),
    size,
    spacing,
    origin: [0, 0, 0],
    direction: IDENTITY3,
    dimension: 3,
  });
  const common = `standard: ibsi
discretisation:
  method: FBN
  binCount: 16
families: [intensity_statistics, local_intensity, morphology, glcm, ngtdm]
`;
  const block = `filter:
  type: laws
  dimensionality: 3D
  boundary: mirror
  kernel: E5L5S5
  rotationInvariance: true
  pooling: max
  energyDistance: 2
`;
  const withFilter = parseIbsiConfig(common + block, "with filter");
  const map = applyIbsiFilter({ data, size, spacing }, withFilter.filter!);
  const regional = extractIbsiFeatures(volume(data), volume(roi), withFilter);
  const whole = extractIbsiFeatures(volume(map), volume(roi), parseIbsiConfig(common, "map"));
  assert.ok(regional.region !== null);
  assert.ok(voxels(regional.region) < roi.length, "the region is smaller than the grid");
  assert.equal(whole.region, null);
  assert.equal(regional.features.length, whole.features.length);
  assert.ok(regional.features.length > 50);
  for (let k = 0; k < whole.features.length; k++) {
    const a = regional.features[k]!;
    const b = whole.features[k]!;
    assert.equal(a.tag, b.tag);
    assert.equal(a.aggregation, b.aggregation);
    const tolerance = 1e-9 * Math.max(1, Math.abs(b.value));
    assert.ok(
      Math.abs(a.value - b.value) <= tolerance || (Number.isNaN(a.value) && Number.isNaN(b.value)),
      `${a.tag} ${a.aggregation}: ${a.value} != ${b.value}`,
    );
  }
});
