/**
 * ROI editing on small hand-made masks, every expected voxel set derived by hand in the comments:
 * slice layout per plane, polygon rasterisation (even-odd rule on voxel centres, half-open on the
 * edges), anisotropic brushes and strokes, hole filling, slice copy, shape-based interpolation,
 * label statistics, undo/redo byte for byte, and input errors.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  copySlice,
  countLabel,
  EditHistory,
  emptyMaskLike,
  fillHoles,
  interpolateSlices,
  labelledSlices,
  largestSlice,
  paintBrush,
  paintPolygon,
  planeAxes,
  RoiEditError,
  readSlice,
  type SliceRef,
  signedDistanceMap,
  sliceCount,
  sliceDims,
  sliceLabelCounts,
  squaredDistanceMap,
  writeSlice,
} from "../src/image/roi/index.js";
import type { Vec3, Volume } from "../src/image/volume.js";

type Voxel = [number, number, number];

function maskOf(size: Vec3, spacing: Vec3 = [1, 1, 1]): Volume<Uint8Array> {
  return {
    data: new Uint8Array(size[0] * size[1] * size[2]),
    size,
    spacing,
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3,
  };
}

const flat = (m: Volume, [x, y, z]: Voxel) => x + m.size[0] * (y + m.size[1] * z);

function setVoxels(m: Volume<Uint8Array>, label: number, voxels: Voxel[]): void {
  for (const v of voxels) m.data[flat(m, v)] = label;
}

/** The voxels equal to `label`, in storage order (x fastest). */
function voxelsOf(m: Volume<Uint8Array>, label: number): Voxel[] {
  const out: Voxel[] = [];
  const [nx, ny, nz] = m.size;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) if (m.data[flat(m, [x, y, z])] === label) out.push([x, y, z]);
  return out;
}

/** A hand-written voxel list in storage order, so that it compares with voxelsOf. */
function sorted(m: Volume, voxels: Voxel[]): Voxel[] {
  return [...voxels].sort((a, b) => flat(m, a) - flat(m, b));
}

/** Every voxel of the inclusive box [x0, x1] x [y0, y1] x [z0, z1]. */
function box(x0: number, x1: number, y0: number, y1: number, z0: number, z1: number): Voxel[] {
  const out: Voxel[] = [];
  for (let z = z0; z <= z1; z++)
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) out.push([x, y, z]);
  return out;
}

test("plane axes, slice counts and slice dimensions", () => {
  assert.deepEqual(planeAxes("axial"), { u: 0, v: 1, normal: 2 });
  assert.deepEqual(planeAxes("coronal"), { u: 0, v: 2, normal: 1 });
  assert.deepEqual(planeAxes("sagittal"), { u: 1, v: 2, normal: 0 });
  const size: Vec3 = [4, 3, 2];
  assert.equal(sliceCount(size, "axial"), 2);
  assert.equal(sliceCount(size, "coronal"), 3);
  assert.equal(sliceCount(size, "sagittal"), 4);
  assert.deepEqual(sliceDims(size, "axial"), { width: 4, height: 3 });
  assert.deepEqual(sliceDims(size, "coronal"), { width: 4, height: 2 });
  assert.deepEqual(sliceDims(size, "sagittal"), { width: 3, height: 2 });
});

test("readSlice / writeSlice: u fastest in each plane", () => {
  // 3 x 2 x 2 volume whose voxel value is its flat index x + 3 (y + 2 z).
  const m = maskOf([3, 2, 2]);
  for (let i = 0; i < 12; i++) m.data[i] = i;
  // Axial z = 1: the second half of storage.
  assert.deepEqual([...readSlice(m, { plane: "axial", index: 1 })], [6, 7, 8, 9, 10, 11]);
  // Coronal y = 1: (x, 1, z) = x + 3 + 6 z; row z = 0 then z = 1.
  assert.deepEqual([...readSlice(m, { plane: "coronal", index: 1 })], [3, 4, 5, 9, 10, 11]);
  // Sagittal x = 2: (2, y, z) = 2 + 3 y + 6 z, u = y fastest.
  assert.deepEqual([...readSlice(m, { plane: "sagittal", index: 2 })], [2, 5, 8, 11]);
  // A read is a copy.
  readSlice(m, { plane: "axial", index: 0 })[0] = 99;
  assert.equal(m.data[0], 0);
  // Sagittal x = 0 covers flat indices 0 (y0 z0), 3 (y1 z0), 6 (y0 z1), 9 (y1 z1).
  writeSlice(m, { plane: "sagittal", index: 0 }, Uint8Array.of(100, 101, 102, 103));
  assert.deepEqual([...m.data], [100, 1, 2, 101, 4, 5, 102, 7, 8, 103, 10, 11]);
  writeSlice(m, { plane: "coronal", index: 0 }, Uint8Array.of(20, 21, 22, 23, 24, 25));
  assert.deepEqual([...m.data], [20, 21, 22, 101, 4, 5, 23, 24, 25, 103, 10, 11]);
  writeSlice(m, { plane: "axial", index: 1 }, Uint8Array.of(30, 31, 32, 33, 34, 35));
  assert.deepEqual([...m.data], [20, 21, 22, 101, 4, 5, 30, 31, 32, 33, 34, 35]);
});

test("paintPolygon: a rectangle covers [u0, u1) x [v0, v1) of integer corners, same for half-integer corners", () => {
  const m = maskOf([6, 5, 3]);
  const ref: SliceRef = { plane: "axial", index: 2 };
  const rect = [
    [1, 1],
    [4, 1],
    [4, 3],
    [1, 3],
  ] as const;
  const edit = paintPolygon(m, ref, rect, 2, "paint");
  // Centres on the low edges (u = 1, v = 1) are in, on the high edges (u = 4, v = 3) out.
  const expected = sorted(m, [
    [1, 1, 2],
    [2, 1, 2],
    [3, 1, 2],
    [1, 2, 2],
    [2, 2, 2],
    [3, 2, 2],
  ]);
  assert.deepEqual(voxelsOf(m, 2), expected);
  assert.ok(edit);
  assert.deepEqual(edit.ref, ref);
  assert.deepEqual([...edit.before], new Array(30).fill(0));
  assert.deepEqual(edit.after, readSlice(m, ref));
  // Painting the same region again changes nothing.
  assert.equal(paintPolygon(m, ref, rect, 2, "paint"), null);
  // Corners at half-integers (0.5, 0.5)-(3.5, 2.5) enclose centres u 1..3, v 1..2: the same set.
  const m2 = maskOf([6, 5, 3]);
  paintPolygon(
    m2,
    ref,
    [
      [3.5, 2.5],
      [0.5, 2.5],
      [0.5, 0.5],
      [3.5, 0.5],
    ],
    2,
    "paint",
  );
  assert.deepEqual(voxelsOf(m2, 2), expected);
  // A polygon reaching past the slice is clipped: (-2, -2)-(2, 2) covers u, v in {0, 1}.
  const m3 = maskOf([5, 5, 1]);
  paintPolygon(
    m3,
    { plane: "axial", index: 0 },
    [
      [-2, -2],
      [2, -2],
      [2, 2],
      [-2, 2],
    ],
    1,
    "paint",
  );
  assert.deepEqual(voxelsOf(m3, 1), box(0, 1, 0, 1, 0, 0));
});

// Triangle (0,0), (4,0), (0,4): row v = j is crossed at u = 0 and on the hypotenuse at u = 4 - j,
// so its centres are 0 <= u < 4 - j: 4 + 3 + 2 + 1 voxels (those with u + v < 4; centres on the
// hypotenuse u + v = 4 are on a right edge and stay out).
const triangle = [
  [0, 0],
  [4, 0],
  [0, 4],
] as const;
const triangleUV: [number, number][] = [];
for (let v = 0; v < 4; v++) for (let u = 0; u < 4 - v; u++) triangleUV.push([u, v]);

test("paintPolygon: a triangle in each plane, either orientation", () => {
  assert.equal(triangleUV.length, 10);
  const cases: { size: Vec3; ref: SliceRef; voxel: (u: number, v: number) => Voxel }[] = [
    { size: [5, 5, 2], ref: { plane: "axial", index: 1 }, voxel: (u, v) => [u, v, 1] },
    { size: [5, 3, 5], ref: { plane: "coronal", index: 1 }, voxel: (u, v) => [u, 1, v] },
    { size: [2, 5, 5], ref: { plane: "sagittal", index: 1 }, voxel: (u, v) => [1, u, v] },
  ];
  for (const { size, ref, voxel } of cases) {
    for (const polygon of [triangle, [...triangle].reverse()]) {
      const m = maskOf(size);
      assert.ok(paintPolygon(m, ref, polygon, 7, "paint"), ref.plane);
      const expected = sorted(
        m,
        triangleUV.map(([u, v]) => voxel(u, v)),
      );
      assert.deepEqual(voxelsOf(m, 7), expected, ref.plane);
    }
  }
});

test("paintPolygon: even-odd rule leaves a hole where the contour encloses twice", () => {
  // Outer square (0,0)-(6,6), a bridge to the inner square (2,2)-(4,4) and back. Rows 0-1 and
  // 4-5: crossings at 0 and 6 (rows 0-1 also cross the bridge twice at the same u, which
  // cancels): u 0..5. Rows 2-3: crossings 0, 2, 4, 6: u in {0, 1, 4, 5}.
  const m = maskOf([7, 7, 1]);
  paintPolygon(
    m,
    { plane: "axial", index: 0 },
    [
      [0, 0],
      [6, 0],
      [6, 6],
      [0, 6],
      [0, 0],
      [2, 2],
      [2, 4],
      [4, 4],
      [4, 2],
      [2, 2],
    ],
    1,
    "paint",
  );
  const outer = box(0, 5, 0, 5, 0, 0);
  const hole = new Set(box(2, 3, 2, 3, 0, 0).map((v) => flat(m, v)));
  assert.deepEqual(
    voxelsOf(m, 1),
    outer.filter((v) => !hole.has(flat(m, v))),
  );
  assert.equal(countLabel(m, 1), 32);
});

test("paintPolygon: paint overwrites other labels, erase clears only the label", () => {
  const m = maskOf([4, 4, 1]);
  const ref: SliceRef = { plane: "axial", index: 0 };
  setVoxels(m, 2, [[1, 1, 0]]);
  const square = [
    [0, 0],
    [2, 0],
    [2, 2],
    [0, 2],
  ] as const;
  paintPolygon(m, ref, square, 1, "paint");
  assert.deepEqual(voxelsOf(m, 1), box(0, 1, 0, 1, 0, 0));
  assert.deepEqual(voxelsOf(m, 2), []);
  // Label 1 everywhere, then a label 3 voxel inside the erased square.
  m.data.fill(1);
  setVoxels(m, 3, [[0, 1, 0]]);
  const edit = paintPolygon(m, ref, square, 1, "erase");
  assert.ok(edit);
  assert.deepEqual(voxelsOf(m, 0), [
    [0, 0, 0],
    [1, 0, 0],
    [1, 1, 0],
  ]);
  assert.deepEqual(voxelsOf(m, 3), [[0, 1, 0]]);
  // Erasing a label that is not there changes nothing.
  assert.equal(paintPolygon(m, ref, square, 5, "erase"), null);
});

test("paintBrush: anisotropic disc in mm", () => {
  // Axial, spacing x 0.5 mm, y 2 mm, radius 2 mm at (5, 2): ((u-5) 0.5)^2 + ((v-2) 2)^2 <= 4.
  // v = 2: |u - 5| <= 4, u 1..9. v = 1, 3: the v term alone is 4, so only u = 5. v = 0, 4: 16 > 4.
  const m = maskOf([11, 5, 1], [0.5, 2, 3]);
  const edit = paintBrush(m, { plane: "axial", index: 0 }, [[5, 2]], 2, 1, "paint");
  assert.ok(edit);
  assert.deepEqual(voxelsOf(m, 1), sorted(m, [...box(1, 9, 2, 2, 0, 0), [5, 1, 0], [5, 3, 0]]));
  // Coronal (u = x 0.5 mm, v = z 3 mm), radius 3 mm at (5, 1): v = 1 gives |u - 5| <= 6, the
  // whole row 0..10 (clipped); v = 0, 2: the v term is 9, so only u = 5.
  const c = maskOf([11, 2, 3], [0.5, 2, 3]);
  paintBrush(c, { plane: "coronal", index: 1 }, [[5, 1]], 3, 4, "paint");
  assert.deepEqual(voxelsOf(c, 4), sorted(c, [...box(0, 10, 1, 1, 1, 1), [5, 1, 0], [5, 1, 2]]));
  // Sagittal (u = y 2 mm, v = z 3 mm), radius 2 mm at (1, 1): only (1, 1) and (0, 1), (2, 1).
  const s = maskOf([2, 3, 3], [0.5, 2, 3]);
  paintBrush(s, { plane: "sagittal", index: 1 }, [[1, 1]], 2, 4, "paint");
  assert.deepEqual(voxelsOf(s, 4), box(1, 1, 0, 2, 1, 1));
});

test("paintBrush: a centre exactly at the radius is inside; strokes cover the segments", () => {
  // Centre (2.5, 2), radius 0.5: (2, 2) and (3, 2) are at exactly 0.5.
  const m = maskOf([6, 5, 1]);
  paintBrush(m, { plane: "axial", index: 0 }, [[2.5, 2]], 0.5, 1, "paint");
  assert.deepEqual(voxelsOf(m, 1), box(2, 3, 2, 2, 0, 0));
  // Stroke (2,2) -> (6,2), radius 1, 1 mm voxels: row 2 within 1 of the segment is u 1..7;
  // rows 1 and 3 are at distance 1 for u 2..6 (u = 1, 7: sqrt 2); rows 0 and 4 at 2.
  // The two end discs alone would give only u = 2 and 6 on rows 1 and 3.
  const s = maskOf([9, 5, 1]);
  const edit = paintBrush(
    s,
    { plane: "axial", index: 0 },
    [
      [2, 2],
      [6, 2],
    ],
    1,
    1,
    "paint",
  );
  assert.ok(edit);
  assert.deepEqual(
    voxelsOf(s, 1),
    sorted(s, [...box(1, 7, 2, 2, 0, 0), ...box(2, 6, 1, 1, 0, 0), ...box(2, 6, 3, 3, 0, 0)]),
  );
  // Erasing with a stroke back along row 2 (radius 0.5): row 2 from u 2 to 5 is cleared.
  paintBrush(
    s,
    { plane: "axial", index: 0 },
    [
      [5, 2],
      [3, 2],
      [2, 2],
    ],
    0.5,
    1,
    "erase",
  );
  assert.deepEqual(
    voxelsOf(s, 0).filter(([, y]) => y === 2),
    [
      [0, 2, 0],
      [2, 2, 0],
      [3, 2, 0],
      [4, 2, 0],
      [5, 2, 0],
      [8, 2, 0],
    ],
  );
});

test("fillHoles: the inside of a square ring, of a diagonal (8-connected) outline, and of a slice-border ROI", () => {
  // Ring = border of [1,5]^2 on a 7 x 7 slice; its hole [2,4]^2 holds a label 2 voxel.
  const m = maskOf([7, 7, 2]);
  const ring = box(1, 5, 1, 5, 1, 1).filter(([x, y]) => x === 1 || x === 5 || y === 1 || y === 5);
  assert.equal(ring.length, 16);
  setVoxels(m, 1, ring);
  setVoxels(m, 2, [[3, 3, 1]]);
  const ref: SliceRef = { plane: "axial", index: 1 };
  const edit = fillHoles(m, ref, 1);
  assert.ok(edit);
  assert.deepEqual(voxelsOf(m, 1), box(1, 5, 1, 5, 1, 1));
  assert.equal(fillHoles(m, ref, 1), null);
  // Open ring (gap at (5, 3)): its inside reaches the border, no hole.
  const open = maskOf([7, 7, 2]);
  setVoxels(
    open,
    1,
    ring.filter(([x, y]) => !(x === 5 && y === 3)),
  );
  assert.equal(fillHoles(open, ref, 1), null);
  // Diamond outline closed only by diagonal steps; its inside is (3,2), (2,3), (3,3), (4,3), (3,4),
  // 4-connected only to each other and the outline.
  const d = maskOf([7, 7, 1]);
  const diamond: Voxel[] = [
    [3, 1, 0],
    [2, 2, 0],
    [4, 2, 0],
    [1, 3, 0],
    [5, 3, 0],
    [2, 4, 0],
    [4, 4, 0],
    [3, 5, 0],
  ];
  setVoxels(d, 1, diamond);
  fillHoles(d, { plane: "axial", index: 0 }, 1);
  const inside: Voxel[] = [
    [3, 2, 0],
    [2, 3, 0],
    [3, 3, 0],
    [4, 3, 0],
    [3, 4, 0],
  ];
  assert.deepEqual(voxelsOf(d, 1), sorted(d, [...diamond, ...inside]));
  // Coronal slice y = 1 of a 4 x 2 x 4 volume: label on (u, v) in [0,2]^2 except (1, 1), which
  // is enclosed although the region touches the slice border.
  const c = maskOf([4, 2, 4]);
  const block = box(0, 2, 1, 1, 0, 2);
  setVoxels(
    c,
    1,
    block.filter(([x, , z]) => !(x === 1 && z === 1)),
  );
  fillHoles(c, { plane: "coronal", index: 1 }, 1);
  assert.deepEqual(voxelsOf(c, 1), block);
  // With (0, 1) empty too, (1, 1) reaches the border through it: nothing to fill.
  c.data.fill(0);
  setVoxels(
    c,
    1,
    block.filter(([x, , z]) => z !== 1 || x === 2),
  );
  assert.equal(fillHoles(c, { plane: "coronal", index: 1 }, 1), null);
});

test("copySlice: replaces the target slice's label region", () => {
  const m = maskOf([4, 4, 3]);
  const source: Voxel[] = [
    [0, 0, 0],
    [1, 0, 0],
    [1, 1, 0],
  ];
  setVoxels(m, 1, source);
  setVoxels(m, 1, [[3, 3, 2]]);
  setVoxels(m, 2, [
    [1, 1, 2],
    [2, 2, 2],
  ]);
  const edit = copySlice(m, { plane: "axial", index: 0 }, 2, 1);
  assert.ok(edit);
  assert.deepEqual(edit.ref, { plane: "axial", index: 2 });
  // Slice 2: the source's three voxels (over the label 2 at (1,1)), (3,3) cleared, (2,2) kept.
  assert.deepEqual(voxelsOf(m, 1), sorted(m, [...source, [0, 0, 2], [1, 0, 2], [1, 1, 2]]));
  assert.deepEqual(voxelsOf(m, 2), [[2, 2, 2]]);
  assert.equal(copySlice(m, { plane: "axial", index: 0 }, 2, 1), null);
  assert.equal(copySlice(m, { plane: "axial", index: 0 }, 0, 1), null);
  // Sagittal: x = 0 -> x = 3 of the label 1 voxels (0, 0, 0) -> (3, 0, 0).
  const s = maskOf([4, 2, 2]);
  setVoxels(s, 1, [[0, 0, 0]]);
  copySlice(s, { plane: "sagittal", index: 0 }, 3, 1);
  assert.deepEqual(voxelsOf(s, 1), [
    [0, 0, 0],
    [3, 0, 0],
  ]);
});

test("squaredDistanceMap / signedDistanceMap: exact Euclidean distances in mm", () => {
  // 4 x 3 slice, su = 2 mm, sv = 3 mm. One site at (1, 1): d^2 = (2 (u-1))^2 + (3 (v-1))^2.
  const one = new Uint8Array(12);
  one[1 + 4 * 1] = 1;
  const d1 = squaredDistanceMap(one, 4, 3, 2, 3);
  const e1: number[] = [];
  for (let v = 0; v < 3; v++)
    for (let u = 0; u < 4; u++) e1.push((2 * (u - 1)) ** 2 + (3 * (v - 1)) ** 2);
  assert.deepEqual([...d1], e1);
  // Sites (0, 0) and (3, 2): the smaller of the two squared distances.
  const two = new Uint8Array(12);
  two[0] = 1;
  two[3 + 4 * 2] = 1;
  const d2 = squaredDistanceMap(two, 4, 3, 2, 3);
  const e2: number[] = [];
  for (let v = 0; v < 3; v++)
    for (let u = 0; u < 4; u++)
      e2.push(Math.min((2 * u) ** 2 + (3 * v) ** 2, (2 * (u - 3)) ** 2 + (3 * (v - 2)) ** 2));
  assert.deepEqual([...d2], e2);
  // Explicitly: (3, 0) is 6 mm from (0,0) and sqrt(0 + 36) = 6 mm from (3,2): 36.
  assert.equal(d2[3], 36);
  assert.deepEqual(
    [...squaredDistanceMap(new Uint8Array(4), 2, 2, 1, 1)],
    [Infinity, Infinity, Infinity, Infinity],
  );
  // A 1D run u = 2..3 of 6, 2 mm voxels: outside 2 (u 1, 4) and 4 mm (u 0, 5), inside -2 mm.
  const run = Uint8Array.of(0, 0, 1, 1, 0, 0);
  assert.deepEqual([...signedDistanceMap(run, 6, 1, 2, 1)], [4, 2, -2, -2, 2, 4]);
});

test("interpolateSlices: identical squares give the same square in between (sagittal)", () => {
  // Sagittal key slices x = 0 and x = 4 of a 5 x 7 x 7 volume, square (y, z) in [2,4]^2.
  const m = maskOf([5, 7, 7], [1, 0.8, 2.5]);
  setVoxels(m, 3, box(0, 0, 2, 4, 2, 4));
  setVoxels(m, 3, box(4, 4, 2, 4, 2, 4));
  const edits = interpolateSlices(m, "sagittal", 3, 0, 4);
  assert.deepEqual(
    edits.map((e) => e.ref),
    [1, 2, 3].map((index) => ({ plane: "sagittal", index })),
  );
  assert.deepEqual(voxelsOf(m, 3), box(0, 4, 2, 4, 2, 4));
  assert.deepEqual(interpolateSlices(m, "sagittal", 3, 4, 0), []);
});

// Key squares on an 11 x 11 axial slice: small [4,6]^2 (3 x 3), large [2,8]^2 (7 x 7), 1 mm
// voxels. For a voxel at Chebyshev distance r from (5,5): the small square's signed distance is
// d0 = -(2 - r) inside (r <= 1), and outside the Euclidean distance to the nearest of its centres,
// 1 or sqrt 2 for r = 2, 2 .. sqrt 8 for r = 3. The large square's is d1 = -(4 - r) for r <= 3
// (the nearest outside centre is straight across the nearest side), +1 .. sqrt 2 for r = 4.
// At weight t of the large square the voxel is in when (1 - t) d0 + t d1 <= 0:
//   t = 1/2: r = 2: d0 + d1 <= sqrt 2 - 2 < 0, in; r = 3: d0 + d1 >= 2 - 1 > 0, out -> 5 x 5.
//   t = 1/4: r = 2: 3 d0 + d1 >= 3 - 2 > 0, out -> 3 x 3 (r <= 1 has both negative).
//   t = 3/4: r = 3: d0 + 3 d1 <= sqrt 8 - 3 < 0, in; r = 4: both positive, out -> 7 x 7.
test("interpolateSlices: from a small to a large square, squares of intermediate size", () => {
  const gap2 = maskOf([11, 11, 3]);
  setVoxels(gap2, 1, box(4, 6, 4, 6, 0, 0));
  setVoxels(gap2, 1, box(2, 8, 2, 8, 2, 2));
  const edits = interpolateSlices(gap2, "axial", 1, 0, 2);
  assert.equal(edits.length, 1);
  assert.deepEqual(edits[0]!.ref, { plane: "axial", index: 1 });
  assert.deepEqual(
    voxelsOf(gap2, 1),
    sorted(gap2, [...box(4, 6, 4, 6, 0, 0), ...box(3, 7, 3, 7, 1, 1), ...box(2, 8, 2, 8, 2, 2)]),
  );
  // Gap 4, either direction: slices 1, 2, 3 at t = 1/4, 1/2, 3/4.
  for (const [from, to] of [
    [0, 4],
    [4, 0],
  ] as const) {
    const m = maskOf([11, 11, 5]);
    setVoxels(m, 1, box(4, 6, 4, 6, 0, 0));
    setVoxels(m, 1, box(2, 8, 2, 8, 4, 4));
    const e = interpolateSlices(m, "axial", 1, from, to);
    assert.deepEqual(
      e.map((x) => x.ref.index),
      [1, 2, 3],
    );
    assert.deepEqual(
      voxelsOf(m, 1),
      sorted(m, [...box(4, 6, 4, 6, 0, 1), ...box(3, 7, 3, 7, 2, 2), ...box(2, 8, 2, 8, 3, 4)]),
    );
  }
});

test("interpolateSlices: replaces the label on intermediate slices, keeps other labels outside it", () => {
  // Coronal key slices y = 0 and y = 2 with the same square (x, z) in [1,2]^2; on y = 1 a stray
  // label 1 voxel at (0, 1, 0) and label 2 voxels at (1, 1, 1) (inside the square) and (3, 1, 3).
  const m = maskOf([4, 3, 4]);
  setVoxels(m, 1, box(1, 2, 0, 0, 1, 2));
  setVoxels(m, 1, box(1, 2, 2, 2, 1, 2));
  setVoxels(m, 1, [[0, 1, 0]]);
  setVoxels(m, 2, [
    [1, 1, 1],
    [3, 1, 3],
  ]);
  const edits = interpolateSlices(m, "coronal", 1, 2, 0);
  assert.equal(edits.length, 1);
  assert.deepEqual(voxelsOf(m, 1), box(1, 2, 0, 2, 1, 2));
  assert.deepEqual(voxelsOf(m, 2), [[3, 1, 3]]);
});

test("largestSlice, labelledSlices, sliceLabelCounts, countLabel", () => {
  const m = maskOf([3, 3, 3]);
  // Label 1 by z: 3, 1, 0 voxels; by y: 1, 1, 2; by x: 0, 3, 1.
  setVoxels(m, 1, [
    [1, 0, 0],
    [1, 1, 0],
    [1, 2, 0],
    [2, 2, 1],
  ]);
  // Label 2 on z = 0 and z = 2, one voxel each (a tie), none on z = 1.
  setVoxels(m, 2, [
    [0, 0, 0],
    [0, 0, 2],
  ]);
  assert.equal(countLabel(m, 1), 4);
  assert.equal(countLabel(m, 2), 2);
  assert.equal(countLabel(m, 3), 0);
  assert.deepEqual([...sliceLabelCounts(m, "axial", 1)], [3, 1, 0]);
  assert.deepEqual([...sliceLabelCounts(m, "coronal", 1)], [1, 1, 2]);
  assert.deepEqual([...sliceLabelCounts(m, "sagittal", 1)], [0, 3, 1]);
  assert.equal(largestSlice(m, "axial", 1), 0);
  assert.equal(largestSlice(m, "coronal", 1), 2);
  assert.equal(largestSlice(m, "sagittal", 1), 1);
  assert.deepEqual(labelledSlices(m, "axial", 1), [0, 1]);
  assert.deepEqual(labelledSlices(m, "coronal", 1), [0, 1, 2]);
  assert.deepEqual(labelledSlices(m, "sagittal", 1), [1, 2]);
  // Label 2 at (0,0,0) and (0,0,2): axial tie between 0 and 2 -> 0; gap at z = 1.
  assert.equal(largestSlice(m, "axial", 2), 0);
  assert.deepEqual(labelledSlices(m, "axial", 2), [0, 2]);
  assert.deepEqual(labelledSlices(m, "coronal", 2), [0]);
  assert.equal(largestSlice(m, "sagittal", 2), 0);
  assert.equal(largestSlice(m, "axial", 3), -1);
  assert.deepEqual(labelledSlices(m, "axial", 3), []);
});

test("EditHistory: undo and redo restore exact bytes, grouped actions, limit", () => {
  const m = maskOf([6, 6, 5]);
  const h = new EditHistory();
  assert.equal(h.canUndo, false);
  assert.equal(h.canRedo, false);
  assert.deepEqual(h.undo(m), []);
  const snapshots = [m.data.slice()];
  const square = [
    [1, 1],
    [4, 1],
    [4, 4],
    [1, 4],
  ] as const;
  h.push(paintPolygon(m, { plane: "axial", index: 0 }, square, 1, "paint"));
  snapshots.push(m.data.slice());
  h.push(paintPolygon(m, { plane: "axial", index: 4 }, square, 1, "paint"));
  snapshots.push(m.data.slice());
  // One action of three slice edits.
  const edits = interpolateSlices(m, "axial", 1, 0, 4);
  assert.equal(edits.length, 3);
  h.push(edits);
  snapshots.push(m.data.slice());
  // An action editing one slice twice (polygon then brush on slice 2 of the coronal plane).
  const ref: SliceRef = { plane: "coronal", index: 2 };
  const e1 = paintPolygon(m, ref, square, 2, "paint");
  const e2 = paintBrush(m, ref, [[0, 0]], 1, 2, "paint");
  assert.ok(e1 && e2);
  h.push([e1, e2]);
  snapshots.push(m.data.slice());
  h.push(null);
  h.push([]);
  assert.deepEqual(h.undo(m), [ref, ref]);
  assert.deepEqual(m.data, snapshots[3]);
  assert.deepEqual(
    h.undo(m),
    [1, 2, 3].map((index) => ({ plane: "axial", index })),
  );
  assert.deepEqual(m.data, snapshots[2]);
  assert.equal(h.canRedo, true);
  assert.deepEqual(h.redo(m).length, 3);
  assert.deepEqual(m.data, snapshots[3]);
  assert.deepEqual(h.redo(m), [ref, ref]);
  assert.deepEqual(m.data, snapshots[4]);
  assert.equal(h.canRedo, false);
  assert.deepEqual(h.redo(m), []);
  for (let k = 3; k >= 0; k--) {
    h.undo(m);
    assert.deepEqual(m.data, snapshots[k]);
  }
  assert.equal(h.canUndo, false);
  // A new edit after undo drops the redo branch.
  h.redo(m);
  assert.deepEqual(m.data, snapshots[1]);
  h.push(paintBrush(m, { plane: "axial", index: 3 }, [[5, 5]], 1, 1, "paint"));
  assert.equal(h.canRedo, false);
  h.clear();
  assert.equal(h.canUndo, false);
  // Limit 2: the oldest of three actions is forgotten.
  const n = maskOf([3, 3, 3]);
  const lim = new EditHistory(2);
  for (let z = 0; z < 3; z++)
    lim.push(paintBrush(n, { plane: "axial", index: z }, [[1, 1]], 1, 1, "paint"));
  lim.undo(n);
  lim.undo(n);
  assert.equal(lim.canUndo, false);
  assert.deepEqual(voxelsOf(n, 1), [
    [1, 0, 0],
    [0, 1, 0],
    [1, 1, 0],
    [2, 1, 0],
    [1, 2, 0],
  ]);
});

test("emptyMaskLike: zero Uint8Array mask with the image geometry", () => {
  const image: Volume<Float32Array> = {
    data: new Float32Array(6).fill(3),
    size: [3, 2, 1],
    spacing: [0.5, 0.7, 1],
    origin: [1, 2, 3],
    direction: [0, 1, 0, 1, 0, 0, 0, 0, 1],
    dimension: 2,
  };
  const m = emptyMaskLike(image);
  assert.ok(m.data instanceof Uint8Array);
  assert.deepEqual([...m.data], [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(m.size, [3, 2, 1]);
  assert.deepEqual(m.spacing, [0.5, 0.7, 1]);
  assert.deepEqual(m.origin, [1, 2, 3]);
  assert.deepEqual(m.direction, [0, 1, 0, 1, 0, 0, 0, 0, 1]);
  assert.equal(m.dimension, 2);
  assert.notEqual(m.size, image.size);
});

test("errors: slice index, label, radius, coordinates, polygon size, plane, gap, empty key slice", () => {
  const m = maskOf([4, 3, 2]);
  const ax: SliceRef = { plane: "axial", index: 0 };
  const tri = [
    [0, 0],
    [2, 0],
    [2, 2],
  ] as const;
  const err = (re: RegExp) => (e: unknown) => e instanceof RoiEditError && re.test(e.message);
  assert.throws(
    () => readSlice(m, { plane: "axial", index: 2 }),
    err(/index 2 is out of range .*0\.\.1/),
  );
  assert.throws(() => readSlice(m, { plane: "sagittal", index: -1 }), err(/out of range/));
  assert.throws(() => readSlice(m, { plane: "coronal", index: 0.5 }), err(/out of range/));
  assert.throws(() => writeSlice(m, ax, new Uint8Array(5)), err(/5 voxels/));
  assert.throws(
    () => readSlice(m, { plane: "oblique" as "axial", index: 0 }),
    err(/unknown plane/),
  );
  for (const label of [0, 256, 1.5, Number.NaN]) {
    assert.throws(
      () => paintPolygon(m, ax, tri, label, "paint"),
      err(/label must be an integer in 1\.\.255/),
    );
  }
  assert.throws(() => countLabel(m, 0), err(/label/));
  for (const r of [0, -1, Number.NaN, Infinity]) {
    assert.throws(() => paintBrush(m, ax, [[1, 1]], r, 1, "paint"), err(/radius/));
  }
  assert.throws(() => paintBrush(m, ax, [], 1, 1, "paint"), err(/at least one centre/));
  assert.throws(() => paintBrush(m, ax, [[1, Number.NaN]], 1, 1, "paint"), err(/finite/));
  assert.throws(
    () =>
      paintPolygon(
        m,
        ax,
        [
          [0, 0],
          [Infinity, 0],
          [1, 1],
        ],
        1,
        "paint",
      ),
    err(/polygon vertex 1 must be two finite numbers/),
  );
  assert.throws(
    () =>
      paintPolygon(
        m,
        ax,
        [
          [0, 0],
          [1, 1],
        ],
        1,
        "paint",
      ),
    err(/at least 3 vertices/),
  );
  assert.throws(() => paintPolygon(m, ax, tri, 1, "draw" as "paint"), err(/paint mode/));
  assert.throws(() => copySlice(m, ax, 2, 1), err(/target slice index 2/));
  assert.throws(() => interpolateSlices(m, "sagittal", 1, 0, 1), err(/at least one slice between/));
  assert.throws(() => interpolateSlices(m, "sagittal", 1, 0, 4), err(/to slice index 4/));
  // Triangle (0,0), (2,0), (2,2) on sagittal x = 0 (3 x 2): row 0 u in [0, 2), row 1 u in [1, 2).
  paintPolygon(m, { plane: "sagittal", index: 0 }, tri, 1, "paint");
  assert.throws(
    () => interpolateSlices(m, "sagittal", 1, 0, 3),
    err(/sagittal slice 3 has no voxel of label 1/),
  );
  const bad = { ...m, data: new Uint16Array(24) } as unknown as Volume<Uint8Array>;
  assert.throws(() => readSlice(bad, ax), err(/Uint8Array/));
  assert.throws(() => new EditHistory(0), err(/limit/));
  // The failed calls changed nothing: only the 3 voxels of the deliberate paint.
  assert.deepEqual(voxelsOf(m, 1), [
    [0, 0, 0],
    [0, 1, 0],
    [0, 1, 1],
  ]);
});
