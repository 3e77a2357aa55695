/**
 * 2D shape features: closed-form marching-squares geometry of pixel rectangles, and parity with the
 * PyRadiomics oracle (original_shape2D_* of <case>_slice2D__slice2D_all.json).
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { computeShape2DFeatures, SHAPE2D_CLASS } from "../src/features/shape2d.js";
import type { Vec3 } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import { missingReference, readOracle, referenceDir } from "./support/reference.js";

function close(got: number, want: number, rel: number, abs: number, what: string): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want) + abs,
    `${what}: got ${got}, want ${want} (diff ${Math.abs(got - want)})`,
  );
}

function rectMask(size: Vec3, lo: [number, number], n: [number, number]): Uint8Array {
  const m = new Uint8Array(size[0] * size[1]);
  for (let y = lo[1]; y < lo[1] + n[1]; y++) {
    for (let x = lo[0]; x < lo[0] + n[0]; x++) m[x + size[0] * y] = 1;
  }
  return m;
}

/**
 * Marching squares of an nx x ny pixel rectangle: the rectangle [-a, Lx + a] x [-b, Ly + b]
 * (L = (n - 1) * s, (a, b) = s / 2) with its four corners cut by right triangles of legs a and b.
 */
function rectGeometry(n: [number, number], s: Vec3) {
  const Lx = (n[0] - 1) * s[0];
  const Ly = (n[1] - 1) * s[1];
  const a = s[0] / 2;
  const b = s[1] / 2;
  const area = n[0] * s[0] * n[1] * s[1] - 2 * a * b;
  const perimeter = 2 * Lx + 2 * Ly + 4 * Math.hypot(a, b);
  const diameter = Math.sqrt(Math.max((n[0] * s[0]) ** 2 + Ly ** 2, Lx ** 2 + (n[1] * s[1]) ** 2));
  const eig = [((n[0] ** 2 - 1) / 12) * s[0] ** 2, ((n[1] ** 2 - 1) / 12) * s[1] ** 2].sort(
    (p, q) => p - q,
  );
  return {
    MeshSurface: area,
    Perimeter: perimeter,
    PerimeterSurfaceRatio: perimeter / area,
    Sphericity: (2 * Math.sqrt(Math.PI * area)) / perimeter,
    SphericalDisproportion: perimeter / (2 * Math.sqrt(Math.PI * area)),
    PixelSurface: n[0] * n[1] * s[0] * s[1],
    MaximumDiameter: diameter,
    MajorAxisLength: 4 * Math.sqrt(eig[1]),
    MinorAxisLength: 4 * Math.sqrt(eig[0]),
    Elongation: Math.sqrt(eig[0] / eig[1]),
  };
}

test("shape2D class lists PyRadiomics' features alphabetically, deprecated ones marked", () => {
  assert.equal(SHAPE2D_CLASS.name, "shape2D");
  assert.deepEqual([...SHAPE2D_CLASS.features], [...SHAPE2D_CLASS.features].sort());
  assert.equal(SHAPE2D_CLASS.features.length, 10);
  assert.deepEqual([...SHAPE2D_CLASS.deprecated], ["SphericalDisproportion"]);
});

test("a single pixel gives the diamond of its edge midpoints", () => {
  const s: Vec3 = [0.7, 1.9, 5];
  const f = computeShape2DFeatures(new Uint8Array([1]), [1, 1, 1], s, SHAPE2D_CLASS.features);
  close(f.MeshSurface, (s[0] * s[1]) / 2, 1e-15, 0, "MeshSurface");
  close(f.Perimeter, 2 * Math.hypot(s[0], s[1]), 1e-15, 0, "Perimeter");
  close(f.MaximumDiameter, s[1], 1e-15, 0, "MaximumDiameter");
  close(f.PixelSurface, s[0] * s[1], 1e-15, 0, "PixelSurface");
  assert.equal(f.MajorAxisLength, 0);
  assert.ok(Number.isNaN(f.Elongation));
});

for (const [n, s] of [
  [
    [4, 3],
    [0.7, 1.1, 1],
  ],
  [
    [9, 2],
    [0.78125, 0.78125, 6.5],
  ],
  [
    [1, 6],
    [0.664062, 0.664062, 2.1],
  ],
] as [[number, number], Vec3][]) {
  test(`rectangle of ${n.join("x")} pixels, spacing ${s[0]}x${s[1]}: closed-form values`, () => {
    const want = rectGeometry(n, s);
    const padded: Vec3 = [n[0] + 4, n[1] + 3, 1];
    const inPadded = computeShape2DFeatures(
      rectMask(padded, [2, 1], n),
      padded,
      s,
      SHAPE2D_CLASS.features,
    );
    const flush = computeShape2DFeatures(
      rectMask([n[0], n[1], 1], [0, 0], n),
      [n[0], n[1], 1],
      s,
      SHAPE2D_CLASS.features,
    );
    for (const [name, value] of Object.entries(want)) {
      close(inPadded[name], value, 1e-13, 1e-14, `${name} (padded)`);
      assert.equal(flush[name], inPadded[name], `${name}: padding must not change the value`);
    }
  });
}

test("an L-shaped region: surface is the polygon area, perimeter the outline length", () => {
  // Pixels (0,0), (1,0), (0,1) at unit spacing: marching-squares outline through the edge midpoints.
  const m = new Uint8Array([1, 1, 0, 1, 0, 0]);
  const f = computeShape2DFeatures(
    m,
    [3, 2, 1],
    [1, 1, 1],
    ["MeshSurface", "Perimeter", "MaximumDiameter"],
  );
  // Outline vertices: (-0.5,0) (0,-0.5) (1,-0.5) (1.5,0) (1,0.5) (0.5,1) (0,1.5) (-0.5,1) (x, y).
  // Area = 3 pixels - 5 convex corner cuts + 1 concave corner fill (each 1/8) = 2.5;
  // outline = 2 unit segments + 6 half-diagonals of sqrt(0.5).
  close(f.MeshSurface, 2.5, 1e-15, 0, "MeshSurface");
  close(f.Perimeter, 2 + 6 * Math.SQRT1_2, 1e-15, 0, "Perimeter");
  close(f.MaximumDiameter, Math.hypot(2, 1), 1e-15, 0, "MaximumDiameter");
});

test("bad input is rejected with a clear error", () => {
  assert.throws(
    () => computeShape2DFeatures(new Uint8Array(2), [1, 1, 2], [1, 1, 1], ["Perimeter"]),
    /2D mask/,
  );
  assert.throws(
    () => computeShape2DFeatures(new Uint8Array(4), [2, 2, 1], [1, 1, 1], ["Perimeter"]),
    /no ROI/,
  );
  assert.throws(
    () => computeShape2DFeatures(new Uint8Array([1]), [1, 1, 1], [1, 1, 1], ["Surface"]),
    /'Surface'/,
  );
});

for (const name of ["brain1", "brain2", "breast1"]) {
  test(`PyRadiomics oracle parity: ${name}_slice2D original_shape2D_*`, async (t) => {
    const ref = referenceDir();
    const base = ref && join(ref, "pyradiomics");
    if (!base || !existsSync(join(base, "oracle"))) {
      t.skip(missingReference("PyRadiomics shape2D oracle"));
      return;
    }
    const label = await readImageFile(join(base, "data", `${name}_slice2D_label.nrrd`));
    const oracle = readOracle(base, `${name}_slice2D__slice2D_all`);
    const expected = Object.entries(oracle).filter(([k]) => k.startsWith("original_shape2D_"));
    assert.equal(expected.length, 9);
    assert.equal(label.size[2], 1);
    const mask = new Uint8Array(label.data.length);
    for (let i = 0; i < mask.length; i++) mask[i] = label.data[i] === 1 ? 1 : 0;
    const got = computeShape2DFeatures(mask, label.size, label.spacing, SHAPE2D_CLASS.features);
    for (const [key, want] of expected) {
      close(got[key.slice("original_shape2D_".length)], want, 1e-9, 1e-12, `${name} ${key}`);
    }
  });
}
