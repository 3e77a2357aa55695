/**
 * The batched voxel-based GLCM (src/extract/voxel/glcm.ts, VOXEL_CLASS_COMPUTE.glcm) against the
 * segment-based class (computeGlcmFeatures, which the feature parity suite checks against
 * PyRadiomics) applied to each kernel's DiscretisedRoi built as src/extract/voxel.ts builds it:
 * random small grids and settings, every value bit for bit; and one hand-computed kernel.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeVoxelGlcm } from "../src/extract/voxel/glcm.js";
import type { VoxelGrid, VoxelKernels } from "../src/extract/voxel/types.js";
import { GLCM_CLASS } from "../src/features/glcm/class-info.js";
import { computeGlcmFeatures } from "../src/features/glcm/compute.js";
import type { DiscretisedRoi, TextureSettings, WeightingNorm } from "../src/features/types.js";
import type { Vec3 } from "../src/image/volume.js";
import { mulberry32 } from "./support/seeded-random.js";

/** Map value of voxels the class must not write. */
const UNTOUCHED = -12345.5;

interface Case {
  grid: VoxelGrid;
  kernels: VoxelKernels;
  texture: TextureSettings;
  names: string[];
}

/** The gray levels present under a mask, ascending (voxel.ts presentLevels). */
function presentLevels(levels: Int32Array, mask: Uint8Array): Int32Array {
  const seen = new Set<number>();
  for (let k = 0; k < levels.length; k++) if (mask[k] !== 0) seen.add(levels[k]!);
  return Int32Array.from([...seen].sort((a, b) => a - b));
}

/** A grid, its ROI kernels (boxes as voxel.ts's kernelBox) and settings, from a seed. */
function randomCase(seed: number): Case {
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const nz = rnd() < 0.25 ? 1 : int(1, 6);
  const size: Vec3 = [int(1, 6), int(1, 6), nz];
  const dimension: 2 | 3 = nz === 1 && rnd() < 0.5 ? 2 : 3;
  const cells = size[0] * size[1] * size[2];
  // ROI: dense, sparse (often disconnected) or a single voxel.
  const roi = new Uint8Array(cells);
  const style = rnd();
  if (style < 0.15) roi[int(0, cells - 1)] = 1;
  else {
    const density = style < 0.5 ? 0.3 : 0.8;
    for (let k = 0; k < cells; k++) roi[k] = rnd() < density ? 1 : 0;
    roi[int(0, cells - 1)] = 1;
  }
  const maskedKernel = rnd() < 0.6;
  const mask = maskedKernel ? roi : new Uint8Array(cells).fill(1);
  const maxLevel = pick([1, 2, 3, 6, 12]);
  const levels = Int32Array.from({ length: cells }, () => int(1, maxLevel));
  const roiGrayLevels = presentLevels(levels, mask);
  const r = int(1, 2);
  const force2D = rnd() < 0.3;
  const force2Ddimension = int(0, 2) as 0 | 1 | 2;
  const flatAxis = !force2D ? -1 : dimension === 2 ? 1 - force2Ddimension : 2 - force2Ddimension;
  const centres: number[] = [];
  const boxes: number[] = [];
  const [nx, ny] = size;
  for (let v = 0; v < cells; v++) {
    if (roi[v] === 0) continue;
    const c = [v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny))];
    centres.push(v);
    const lower = c.map((p, a) => (a === flatAxis ? p : Math.max(p - r, 0)));
    const upper = c.map((p, a) => (a === flatAxis ? p : Math.min(p + r, size[a]! - 1)));
    boxes.push(...lower, ...upper);
  }
  const texture: TextureSettings = {
    distances: pick([[1], [1, 2], [2]]),
    force2D,
    force2Ddimension,
    symmetricalGLCM: rnd() < 0.7,
    weightingNorm: pick<WeightingNorm>([
      null,
      null,
      "manhattan",
      "euclidean",
      "infinity",
      "no_weighting",
    ]),
    gldm_a: 0,
  };
  let names = [...GLCM_CLASS.features];
  if (rnd() < 0.4) names = names.filter(() => rnd() < 0.4);
  if (rnd() < 0.3) names.push(pick(GLCM_CLASS.deprecated));
  const spacing: Vec3 = [pick([1, 0.5, 1.25]), pick([1, 0.7]), pick([1, 2.5])];
  return {
    grid: {
      levels,
      values: Float64Array.from(levels),
      mask,
      size,
      spacing,
      dimension,
      nLevels: roiGrayLevels[roiGrayLevels.length - 1]!,
      roiGrayLevels,
      voxelArrayShift: 0,
    },
    kernels: {
      centres: Int32Array.from(centres),
      boxes: Int32Array.from(boxes),
      offsets: new Int32Array(0),
      maskedKernel,
    },
    texture,
    names,
  };
}

/** Kernel k's DiscretisedRoi as voxel.ts builds it: the box cropped out of levels and mask. */
function kernelRoi(grid: VoxelGrid, kernels: VoxelKernels, k: number): DiscretisedRoi {
  const [nx, ny] = grid.size;
  const b = kernels.boxes.subarray(6 * k, 6 * k + 6);
  const size: Vec3 = [b[3]! - b[0]! + 1, b[4]! - b[1]! + 1, b[5]! - b[2]! + 1];
  const levels = new Int32Array(size[0] * size[1] * size[2]);
  const mask = new Uint8Array(levels.length);
  let o = 0;
  for (let z = b[2]!; z <= b[5]!; z++) {
    for (let y = b[1]!; y <= b[4]!; y++) {
      for (let x = b[0]!; x <= b[3]!; x++, o++) {
        levels[o] = grid.levels[x + nx * (y + ny * z)]!;
        mask[o] = grid.mask[x + nx * (y + ny * z)]!;
      }
    }
  }
  return {
    levels,
    mask,
    size,
    spacing: grid.spacing,
    nLevels: grid.nLevels,
    dimension: grid.dimension,
    roiGrayLevels: grid.roiGrayLevels,
  };
}

/** The batched maps, or the error thrown. */
function batched(c: Case): Float64Array[] | Error {
  const cells = c.grid.levels.length;
  const out = c.names.map(() => new Float64Array(cells).fill(UNTOUCHED));
  try {
    computeVoxelGlcm(c.grid, c.kernels, c.texture, c.names, out);
  } catch (e) {
    return e as Error;
  }
  return out;
}

/** The maps the per-kernel path gives, or the error thrown. */
function perKernel(c: Case): Float64Array[] | Error {
  const cells = c.grid.levels.length;
  const out = c.names.map(() => new Float64Array(cells).fill(UNTOUCHED));
  try {
    for (let k = 0; k < c.kernels.centres.length; k++) {
      const values = computeGlcmFeatures(kernelRoi(c.grid, c.kernels, k), c.texture, c.names);
      c.names.forEach((name, i) => {
        const v = values[name];
        if (v !== undefined) out[i]![c.kernels.centres[k]!] = v;
      });
    }
  } catch (e) {
    return e as Error;
  }
  return out;
}

test("batched voxel GLCM equals the per-kernel GLCM bit for bit on random grids", () => {
  let compared = 0;
  let errors = 0;
  for (let seed = 1; seed <= 600; seed++) {
    const c = randomCase(seed);
    const expected = perKernel(c);
    const actual = batched(c);
    if (expected instanceof Error) {
      errors++;
      assert.ok(actual instanceof Error, `seed ${seed}: per-kernel threw ${expected.message}`);
      assert.equal(actual.message, expected.message, `seed ${seed}`);
      continue;
    }
    assert.ok(!(actual instanceof Error), `seed ${seed}: batched threw ${String(actual)}`);
    c.names.forEach((name, i) => {
      const a = actual[i]!;
      const e = expected[i]!;
      for (let v = 0; v < a.length; v++) {
        if (!Object.is(a[v], e[v]))
          assert.fail(`seed ${seed} ${name} voxel ${v}: batched ${a[v]}, per kernel ${e[v]}`);
      }
      compared += a.length;
    });
  }
  // The generator reaches both outcomes (an error: a flat grid with no angle along its axes).
  assert.ok(compared > 100000, `only ${compared} values compared`);
  assert.ok(errors > 0 && errors < 100, `${errors} erroring cases`);
});

test("batched voxel GLCM: a hand-computed two-voxel kernel", () => {
  // A 2D image of 2 x 1 voxels, levels 1 and 2, both in the ROI; kernelRadius 1, so both kernels
  // (centres 0 and 1) are the whole image. One angle fits the shape (y, x) = (1, 2): (0, 1). The
  // pair (1, 2) symmetrised gives P = [[0, 1], [1, 0]], p = P / 2, Ng = 2, px = py = (1/2, 1/2),
  // ux = uy = 3/2, p_{x+y}(3) = 1, p_{x-y}(1) = 1. PyRadiomics' formulas (eps = 2^-52 only in the
  // logarithms and the correlation denominator):
  //   Autocorrelation = sum p i j = 2; JointAverage = ux = 1.5; Contrast = sum (i - j)^2 p = 1;
  //   DifferenceAverage = 1; DifferenceVariance = 0; JointEnergy = sum p^2 = 0.5;
  //   MaximumProbability = 0.5; SumAverage = 3; ClusterTendency = ClusterShade =
  //   ClusterProminence = sum (i + j - ux - uy)^k p = 0; SumSquares = sum (i - ux)^2 p = 0.25;
  //   Correlation = sum p (i - ux)(j - uy) / (sigx sigy) = -0.25 / 0.25 = -1;
  //   Id = 1 / (1 + 1) = 0.5, Idm = 1 / (1 + 1^2) = 0.5, Idn = 1 / (1 + 1/2) = 2/3,
  //   Idmn = 1 / (1 + 1/4) = 0.8, InverseVariance = 1 / 1^2 = 1;
  //   JointEntropy = -sum p log2 p = 1, SumEntropy = DifferenceEntropy = -1 log2 1 = 0;
  //   HX = HY = 1, HXY1 = -sum p log2(px py) = 2, HXY2 = -sum px py log2(px py) = 2:
  //   Imc1 = (HXY - HXY1) / max(HX, HY) = -1, Imc2 = sqrt(1 - e^(-2 (HXY2 - HXY))) = sqrt(1 - e^-2);
  //   Q = diag(1, 1) (no column shared by the rows): eigenvalues 1, 1, MCC = sqrt(1) = 1.
  const expected: Record<string, number> = {
    Autocorrelation: 2,
    JointAverage: 1.5,
    Contrast: 1,
    DifferenceAverage: 1,
    DifferenceVariance: 0,
    JointEnergy: 0.5,
    MaximumProbability: 0.5,
    SumAverage: 3,
    ClusterTendency: 0,
    ClusterShade: 0,
    ClusterProminence: 0,
    SumSquares: 0.25,
    Correlation: -1,
    Id: 0.5,
    Idm: 0.5,
    Idn: 2 / 3,
    Idmn: 0.8,
    InverseVariance: 1,
    JointEntropy: 1,
    SumEntropy: 0,
    DifferenceEntropy: 0,
    Imc1: -1,
    Imc2: Math.sqrt(1 - Math.exp(-2)),
    MCC: 1,
  };
  const names = [...Object.keys(expected), "SumVariance"];
  const out = names.map(() => new Float64Array(2).fill(UNTOUCHED));
  computeVoxelGlcm(
    {
      levels: Int32Array.from([1, 2]),
      values: Float64Array.from([1, 2]),
      mask: Uint8Array.from([1, 1]),
      size: [2, 1, 1],
      spacing: [1, 1, 1],
      dimension: 2,
      nLevels: 2,
      roiGrayLevels: Int32Array.from([1, 2]),
      voxelArrayShift: 0,
    },
    {
      centres: Int32Array.from([0, 1]),
      boxes: Int32Array.from([0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]),
      offsets: new Int32Array(0),
      maskedKernel: true,
    },
    {
      distances: [1],
      force2D: false,
      force2Ddimension: 0,
      symmetricalGLCM: true,
      weightingNorm: null,
      gldm_a: 0,
    },
    names,
    out,
  );
  names.forEach((name, i) => {
    for (const v of out[i]!) {
      if (name === "SumVariance") assert.equal(v, UNTOUCHED, "deprecated: no value");
      else
        assert.ok(
          Math.abs(v - expected[name]!) <= 1e-12,
          `${name}: ${v}, expected ${expected[name]}`,
        );
    }
  });
});
