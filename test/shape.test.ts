/**
 * 3D shape features: closed-form marching-cubes geometry of voxel boxes, the IBSI 1 digital phantom,
 * and parity with the PyRadiomics oracle (original_shape_* of <case>__baseline_original.json).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { computeShapeFeatures, SHAPE_CLASS } from "../src/features/shape.js";
import type { Vec3 } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import { missingReference, readOracle, referenceDir } from "./support/reference.js";

function close(got: number, want: number, rel: number, abs: number, what: string): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want) + abs,
    `${what}: got ${got}, want ${want} (diff ${Math.abs(got - want)})`,
  );
}

/** A mask of `size` with the voxel box [lo, lo + n) set. */
function boxMask(size: Vec3, lo: Vec3, n: Vec3): Uint8Array {
  const m = new Uint8Array(size[0] * size[1] * size[2]);
  for (let z = lo[2]; z < lo[2] + n[2]; z++) {
    for (let y = lo[1]; y < lo[1] + n[1]; y++) {
      for (let x = lo[0]; x < lo[0] + n[0]; x++) m[x + size[0] * (y + size[1] * z)] = 1;
    }
  }
  return m;
}

/**
 * Marching cubes of an n0 x n1 x n2 voxel box is the Minkowski sum of the box spanned by the voxel
 * centres (edge lengths L = (n - 1) * s) and the octahedron |x|/a + |y|/b + |z|/c <= 1 with half-steps
 * (a, b, c) = s / 2: flat faces, chamfered edges (strips of width sqrt(a^2 + b^2)) and triangular corners.
 */
function boxGeometry(n: Vec3, s: Vec3) {
  const [Lx, Ly, Lz] = [0, 1, 2].map((k) => (n[k] - 1) * s[k]);
  const [a, b, c] = s.map((v) => v / 2);
  const volume =
    Lx * Ly * Lz +
    2 * (a * Ly * Lz + b * Lx * Lz + c * Lx * Ly) +
    2 * (a * b * Lz + a * c * Ly + b * c * Lx) +
    (4 / 3) * a * b * c;
  const area =
    2 * (Ly * Lz + Lx * Lz + Lx * Ly) +
    4 * (Lz * Math.hypot(a, b) + Ly * Math.hypot(a, c) + Lx * Math.hypot(b, c)) +
    4 * Math.sqrt(a * a * b * b + b * b * c * c + a * a * c * c);
  // Farthest vertices: opposite corner-triangle vertices along one axis (full extent n * s on that axis).
  const L = [Lx, Ly, Lz];
  const full = [0, 1, 2].map((k) => n[k] * s[k]);
  const planar = (i: number, j: number) =>
    Math.sqrt(Math.max(full[i] ** 2 + L[j] ** 2, L[i] ** 2 + full[j] ** 2));
  const diameter3D = Math.sqrt(
    Math.max(...[0, 1, 2].map((k) => full[k] ** 2 + L[(k + 1) % 3] ** 2 + L[(k + 2) % 3] ** 2)),
  );
  // PCA: variance of 0..n-1 is (n^2 - 1) / 12, scaled by spacing^2; covariance is diagonal.
  const eig = [0, 1, 2].map((k) => ((n[k] ** 2 - 1) / 12) * s[k] ** 2).sort((p, q) => p - q);
  return {
    MeshVolume: volume,
    SurfaceArea: area,
    Maximum3DDiameter: diameter3D,
    Maximum2DDiameterSlice: planar(0, 1),
    Maximum2DDiameterColumn: planar(0, 2),
    Maximum2DDiameterRow: planar(1, 2),
    VoxelVolume: n[0] * n[1] * n[2] * s[0] * s[1] * s[2],
    LeastAxisLength: 4 * Math.sqrt(eig[0]),
    MinorAxisLength: 4 * Math.sqrt(eig[1]),
    MajorAxisLength: 4 * Math.sqrt(eig[2]),
    Elongation: Math.sqrt(eig[1] / eig[2]),
    Flatness: Math.sqrt(eig[0] / eig[2]),
  };
}

test("shape class lists PyRadiomics' features alphabetically, deprecated ones marked", () => {
  assert.equal(SHAPE_CLASS.name, "shape");
  assert.deepEqual([...SHAPE_CLASS.features], [...SHAPE_CLASS.features].sort());
  assert.equal(SHAPE_CLASS.features.length, 17);
  assert.deepEqual(
    [...SHAPE_CLASS.deprecated],
    ["Compactness1", "Compactness2", "SphericalDisproportion"],
  );
});

test("a single voxel gives the octahedron of its six face midpoints", () => {
  const s: Vec3 = [0.7, 1.3, 2.9];
  const f = computeShapeFeatures(new Uint8Array([1]), [1, 1, 1], s, SHAPE_CLASS.features);
  const [a, b, c] = s.map((v) => v / 2);
  close(f.MeshVolume, (s[0] * s[1] * s[2]) / 6, 1e-14, 0, "MeshVolume");
  close(
    f.SurfaceArea,
    4 * Math.sqrt(a * a * b * b + b * b * c * c + a * a * c * c),
    1e-14,
    0,
    "SurfaceArea",
  );
  close(f.VoxelVolume, s[0] * s[1] * s[2], 1e-15, 0, "VoxelVolume");
  close(f.Maximum3DDiameter, 2 * c, 1e-15, 0, "Maximum3DDiameter");
  close(f.Maximum2DDiameterSlice, s[1], 1e-15, 0, "Slice");
  close(f.Maximum2DDiameterColumn, s[2], 1e-15, 0, "Column");
  close(f.Maximum2DDiameterRow, s[2], 1e-15, 0, "Row");
  assert.equal(f.MajorAxisLength, 0);
  assert.equal(f.LeastAxisLength, 0);
  // PyRadiomics: sqrt(0 / 0) is NaN.
  assert.ok(Number.isNaN(f.Elongation) && Number.isNaN(f.Flatness));
  const V = f.MeshVolume;
  const A = f.SurfaceArea;
  close(f.Sphericity, Math.cbrt(36 * Math.PI * V * V) / A, 1e-14, 0, "Sphericity");
  close(f.SphericalDisproportion, 1 / f.Sphericity, 1e-14, 0, "SphericalDisproportion");
  close(f.Compactness2, f.Sphericity ** 3, 1e-13, 0, "Compactness2");
  close(f.Compactness1, Math.sqrt(f.Compactness2) / (6 * Math.PI), 1e-13, 0, "Compactness1");
  close(f.SurfaceVolumeRatio, A / V, 1e-15, 0, "SurfaceVolumeRatio");
});

for (const [n, s] of [
  [
    [4, 3, 2],
    [0.7, 1.1, 2.5],
  ],
  [
    [7, 5, 3],
    [1, 1, 1],
  ],
  [
    [2, 9, 4],
    [0.664062, 0.664062, 2.1],
  ],
  [
    [6, 1, 3],
    [0.78125, 0.78125, 6.5],
  ],
] as [Vec3, Vec3][]) {
  test(`box of ${n.join("x")} voxels, spacing ${s.join("x")}: closed-form mesh, diameters and PCA`, () => {
    const want = boxGeometry(n, s);
    // Padded by 3 voxels on the low side and 2 on the high side; also flush with the array edge.
    const padded: Vec3 = [n[0] + 5, n[1] + 5, n[2] + 5];
    const inPadded = computeShapeFeatures(
      boxMask(padded, [3, 3, 3], n),
      padded,
      s,
      SHAPE_CLASS.features,
    );
    const flush = computeShapeFeatures(boxMask(n, [0, 0, 0], n), n, s, SHAPE_CLASS.features);
    for (const [name, value] of Object.entries(want)) {
      const tol =
        name.endsWith("AxisLength") || name === "Elongation" || name === "Flatness" ? 1e-12 : 1e-13;
      close(inPadded[name], value, tol, 1e-13, `${name} (padded)`);
      assert.equal(flush[name], inPadded[name], `${name}: padding must not change the value`);
    }
  });
}

test("two separate voxels: volumes add up, diameter spans both octahedra", () => {
  const size: Vec3 = [6, 3, 3];
  const m = new Uint8Array(54);
  m[0 + 6 * (1 + 3 * 1)] = 1;
  m[4 + 6 * (1 + 3 * 1)] = 1;
  const f = computeShapeFeatures(
    m,
    size,
    [1, 1, 1],
    [
      "MeshVolume",
      "Maximum3DDiameter",
      "Maximum2DDiameterRow",
      "MajorAxisLength",
      "MinorAxisLength",
    ],
  );
  close(f.MeshVolume, 2 / 6, 1e-15, 0, "MeshVolume");
  close(f.Maximum3DDiameter, 5, 1e-15, 0, "Maximum3DDiameter");
  close(f.Maximum2DDiameterRow, 1, 1e-15, 0, "Maximum2DDiameterRow");
  // Two points 4 apart: variance along x = 2^2 = 4, axis length 4 * 2 = 8; other moments 0.
  close(f.MajorAxisLength, 8, 1e-15, 0, "MajorAxisLength");
  assert.equal(f.MinorAxisLength, 0);
});

test("bad input is rejected with a clear error", () => {
  assert.throws(
    () => computeShapeFeatures(new Uint8Array(8), [2, 2, 2], [1, 1, 1], ["MeshVolume"]),
    /no ROI voxels/,
  );
  assert.throws(
    () => computeShapeFeatures(new Uint8Array(7), [2, 2, 2], [1, 1, 1], ["MeshVolume"]),
    /7 voxels/,
  );
  assert.throws(
    () => computeShapeFeatures(new Uint8Array([1]), [1, 1, 1], [1, 0, 1], ["MeshVolume"]),
    /spacing/,
  );
  assert.throws(
    () => computeShapeFeatures(new Uint8Array([1]), [1, 1, 1], [1, 1, 1], ["Volume"]),
    /'Volume'/,
  );
});

test("IBSI 1 digital phantom: morphology features whose definitions PyRadiomics shares", (t) => {
  const ref = referenceDir();
  const file =
    ref && join(ref, "ibsi/ibsi1_phantoms/ibsi_1_digital_phantom/nifti/mask/mask.nii.gz");
  if (!file || !existsSync(file)) {
    t.skip(missingReference("IBSI digital phantom"));
    return;
  }
  // Minimal NIfTI-1 read: dims at byte 40, pixdim at 76, vox_offset at 108, int16 voxels, x fastest.
  const bytes = gunzipSync(readFileSync(file));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getInt16(70, true), 4, "phantom mask is int16");
  const size = [1, 2, 3].map((i) => view.getInt16(40 + 2 * i, true)) as Vec3;
  const spacing = [1, 2, 3].map((i) => view.getFloat32(76 + 4 * i, true)) as Vec3;
  const offset = view.getFloat32(108, true);
  const mask = new Uint8Array(size[0] * size[1] * size[2]);
  for (let i = 0; i < mask.length; i++) mask[i] = view.getInt16(offset + 2 * i, true) === 1 ? 1 : 0;
  const f = computeShapeFeatures(mask, size, spacing, SHAPE_CLASS.features);
  // IBSI 1 consensus values and tolerances (ibsi1_reference_values.csv, digital_phantom). The PCA axis
  // lengths are not compared: PyRadiomics uses the population covariance (divides by Np).
  const ibsi: [string, number, number][] = [
    ["MeshVolume", 556, 4],
    ["VoxelVolume", 592, 4],
    ["SurfaceArea", 388, 3],
    ["SurfaceVolumeRatio", 0.698, 0.004],
    ["Compactness1", 0.0411, 0.0003],
    ["Compactness2", 0.599, 0.004],
    ["SphericalDisproportion", 1.19, 0.01],
    ["Sphericity", 0.843, 0.005],
    ["Maximum3DDiameter", 13.1, 0.1],
    ["Elongation", 0.816, 0.005],
    ["Flatness", 0.749, 0.005],
  ];
  for (const [name, value, tolerance] of ibsi) close(f[name], value, 0, tolerance, `IBSI ${name}`);
});

/** Crops like PyRadiomics' cropToTumorMask with padDistance (clipped at the image edge). */
function cropToRoi(
  data: ArrayLike<number>,
  size: Vec3,
  pad: number,
): { mask: Uint8Array; size: Vec3 } {
  const lo = [size[0], size[1], size[2]];
  const hi = [-1, -1, -1];
  let i = 0;
  for (let z = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) {
      for (let x = 0; x < size[0]; x++, i++) {
        if (data[i] !== 1) continue;
        [x, y, z].forEach((v, k) => {
          lo[k] = Math.min(lo[k], v);
          hi[k] = Math.max(hi[k], v);
        });
      }
    }
  }
  for (let k = 0; k < 3; k++) {
    lo[k] = Math.max(0, lo[k] - pad);
    hi[k] = Math.min(size[k] - 1, hi[k] + pad);
  }
  const out: Vec3 = [hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1];
  const mask = new Uint8Array(out[0] * out[1] * out[2]);
  let j = 0;
  for (let z = lo[2]; z <= hi[2]; z++) {
    for (let y = lo[1]; y <= hi[1]; y++) {
      for (let x = lo[0]; x <= hi[0]; x++)
        mask[j++] = data[x + size[0] * (y + size[1] * z)] === 1 ? 1 : 0;
    }
  }
  return { mask, size: out };
}

for (const name of ["brain1", "brain2", "breast1"]) {
  test(`PyRadiomics oracle parity: ${name} original_shape_*`, async (t) => {
    const ref = referenceDir();
    const base = ref && join(ref, "pyradiomics");
    if (!base || !existsSync(join(base, "oracle"))) {
      t.skip(missingReference("PyRadiomics shape oracle"));
      return;
    }
    const label = await readImageFile(join(base, "data", `${name}_label.nrrd`));
    const oracle = readOracle(base, `${name}__baseline_original`);
    const expected = Object.entries(oracle).filter(([k]) => k.startsWith("original_shape_"));
    assert.equal(expected.length, 14);
    for (const pad of [5, 0]) {
      const crop = cropToRoi(label.data, label.size, pad);
      const got = computeShapeFeatures(crop.mask, crop.size, label.spacing, SHAPE_CLASS.features);
      for (const [key, want] of expected) {
        close(
          got[key.slice("original_shape_".length)],
          want,
          1e-9,
          1e-12,
          `${name} pad ${pad} ${key}`,
        );
      }
    }
  });
}
