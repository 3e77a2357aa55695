/**
 * The web app's DOM-free slice-viewer modules on small hand-made volumes, every expected value
 * derived by hand in the comments: display orientation (radiological convention, from the image
 * direction), the CSS mapping of voxels with zoom and pan, window / level arithmetic, slice
 * rendering and overlay blending, the feature-map heat (viridis table, blending, colour range), ROI
 * outlines, image / mask consistency messages and file names.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileStem, maskFileName, segFileName } from "../app/src/viewer/files.js";
import {
  checkImageMask,
  DIRECTION_TOLERANCE,
  GEOMETRY_TOLERANCE_MM,
  sameGrid,
} from "../app/src/viewer/geometry-check.js";
import {
  mapRange,
  VIRIDIS_ANCHORS,
  VIRIDIS_LUT,
  viridisGradient,
  viridisLut,
} from "../app/src/viewer/heat.js";
import {
  blendHeat,
  type HeatLayer,
  type OverlayLayer,
  outlineSegments,
  packRgb,
  renderSlice,
  unpackRgb,
} from "../app/src/viewer/render.js";
import {
  axesOf,
  displayGeometry,
  fitScale,
  nearestPatientAxes,
  type Plane,
  planeOrientation,
  screenMapping,
  screenToVoxel,
  sliceStrides,
  type Viewport,
  voxelAt,
  voxelToScreen,
  zoomAbout,
} from "../app/src/viewer/transform.js";
import {
  autoWindow,
  dragWindow,
  formatValue,
  fullWindow,
  greyOf,
  intensityStats,
  levelWidth,
  quantile,
} from "../app/src/viewer/window-level.js";
import type { Mat3, Vec3, Volume, VoxelArray } from "../src/image/volume.js";

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

const closePair = (a: readonly number[], b: readonly number[], tol = 1e-9) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) close(a[i]!, b[i]!, tol);
};

const IDENTITY: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
/** Index x runs to patient right (-L): x flipped. */
const FLIP_X: Mat3 = [-1, 0, 0, 0, 1, 0, 0, 0, 1];
/**
 * Coronal acquisition (DICOM row (1,0,0), column (0,0,-1), normal their cross product (0,1,0)):
 * columns x -> +L, y -> -S (inferior), z -> +P. Row-major: row r holds patient component r of
 * the three columns.
 */
const CORONAL_ACQ: Mat3 = [1, 0, 0, 0, 0, 1, 0, -1, 0];
/**
 * Sagittal acquisition (right-handed): x -> +P, y -> -S (inferior), z -> -L (patient right).
 * Columns (0,1,0), (0,0,-1), (-1,0,0); det = +1.
 */
const SAGITTAL_ACQ: Mat3 = [0, 0, -1, 1, 0, 0, 0, -1, 0];

function volume<T extends VoxelArray>(
  size: Vec3,
  data: T,
  geometry: Partial<Pick<Volume, "spacing" | "origin" | "direction">> = {},
): Volume<T> {
  return {
    data,
    size,
    spacing: geometry.spacing ?? [1, 1, 1],
    origin: geometry.origin ?? [0, 0, 0],
    direction: geometry.direction ?? IDENTITY,
    dimension: 3,
  };
}

// ---------------------------------------------------------------------------------------------
// Orientation
// ---------------------------------------------------------------------------------------------

test("axesOf: index axes of each plane (as the ROI slice layout)", () => {
  assert.deepEqual(axesOf("axial"), { u: 0, v: 1, normal: 2 });
  assert.deepEqual(axesOf("coronal"), { u: 0, v: 2, normal: 1 });
  assert.deepEqual(axesOf("sagittal"), { u: 1, v: 2, normal: 0 });
});

test("nearestPatientAxes: permutation and signs of the direction's columns", () => {
  assert.deepEqual(nearestPatientAxes(IDENTITY), { axis: [0, 1, 2], sign: [1, 1, 1] });
  assert.deepEqual(nearestPatientAxes(FLIP_X), { axis: [0, 1, 2], sign: [-1, 1, 1] });
  // Coronal acquisition: x -> L (+), y -> S (-), z -> P (+).
  assert.deepEqual(nearestPatientAxes(CORONAL_ACQ), { axis: [0, 2, 1], sign: [1, -1, 1] });
  // Sagittal acquisition: x -> P (+), y -> S (-), z -> L (-).
  assert.deepEqual(nearestPatientAxes(SAGITTAL_ACQ), { axis: [1, 2, 0], sign: [1, -1, -1] });
  // Rotation by 60 degrees about S: x = (cos 60, sin 60, 0) is nearest P (+), y = (-sin 60,
  // cos 60, 0) nearest L with a negative cosine.
  const c = 0.5;
  const s = Math.sqrt(3) / 2;
  const rot60: Mat3 = [c, -s, 0, s, c, 0, 0, 0, 1];
  assert.deepEqual(nearestPatientAxes(rot60), { axis: [1, 0, 2], sign: [1, -1, 1] });
  // Exactly 45 degrees: both assignments score the same; the first permutation (identity) is
  // kept and the two index axes still get distinct patient axes.
  const h = Math.SQRT1_2;
  const rot45: Mat3 = [h, -h, 0, h, h, 0, 0, 0, 1];
  assert.deepEqual(nearestPatientAxes(rot45), { axis: [0, 1, 2], sign: [1, 1, 1] });
});

test("planeOrientation: identity direction in the radiological convention", () => {
  // Axial: +x (patient left) to screen right, +y (posterior) down: anterior up, no flips.
  assert.deepEqual(planeOrientation(IDENTITY, "axial"), {
    view: "axial",
    transposed: false,
    flipH: false,
    flipV: false,
    labels: { left: "R", right: "L", top: "A", bottom: "P" },
  });
  // Coronal: +x to the right, +z (superior) up, so the vertical axis is flipped.
  assert.deepEqual(planeOrientation(IDENTITY, "coronal"), {
    view: "coronal",
    transposed: false,
    flipH: false,
    flipV: true,
    labels: { left: "R", right: "L", top: "S", bottom: "I" },
  });
  // Sagittal: +y (posterior) to the right (anterior on the left), +z up.
  assert.deepEqual(planeOrientation(IDENTITY, "sagittal"), {
    view: "sagittal",
    transposed: false,
    flipH: false,
    flipV: true,
    labels: { left: "A", right: "P", top: "S", bottom: "I" },
  });
});

test("planeOrientation: x flipped (index x towards patient right)", () => {
  const ax = planeOrientation(FLIP_X, "axial");
  assert.deepEqual([ax.view, ax.transposed, ax.flipH, ax.flipV], ["axial", false, true, false]);
  const co = planeOrientation(FLIP_X, "coronal");
  assert.deepEqual([co.view, co.transposed, co.flipH, co.flipV], ["coronal", false, true, true]);
  // The sagittal plane does not show x: unchanged from the identity.
  const sa = planeOrientation(FLIP_X, "sagittal");
  assert.deepEqual([sa.view, sa.transposed, sa.flipH, sa.flipV], ["sagittal", false, false, true]);
});

test("planeOrientation: coronally acquired volume", () => {
  // Index "axial" planes (z fixed) are patient coronal slices: x -> L to the right, y -> I so
  // +y already runs down: shown as stored.
  const a = planeOrientation(CORONAL_ACQ, "axial");
  assert.deepEqual([a.view, a.transposed, a.flipH, a.flipV], ["coronal", false, false, false]);
  assert.deepEqual(a.labels, { left: "R", right: "L", top: "S", bottom: "I" });
  // Index "coronal" planes (y fixed: u = x -> L, v = z -> P) are patient axial slices: no flip.
  const c = planeOrientation(CORONAL_ACQ, "coronal");
  assert.deepEqual([c.view, c.transposed, c.flipH, c.flipV], ["axial", false, false, false]);
  // Index "sagittal" planes (x fixed: u = y -> I, v = z -> P) are patient sagittal slices, with
  // P horizontal: v across (not flipped), u down (inferior down: not flipped), transposed.
  const s = planeOrientation(CORONAL_ACQ, "sagittal");
  assert.deepEqual([s.view, s.transposed, s.flipH, s.flipV], ["sagittal", true, false, false]);
});

test("planeOrientation: sagittally acquired volume", () => {
  // Native slices (z fixed: u = x -> P, v = y -> I): sagittal, shown as stored.
  const a = planeOrientation(SAGITTAL_ACQ, "axial");
  assert.deepEqual([a.view, a.transposed, a.flipH, a.flipV], ["sagittal", false, false, false]);
  // y fixed (u = x -> P, v = z -> R): patient axial; L must be horizontal so v goes across and,
  // z pointing to patient right, decreases to the right (flipH); u (P) goes down unflipped.
  const c = planeOrientation(SAGITTAL_ACQ, "coronal");
  assert.deepEqual([c.view, c.transposed, c.flipH, c.flipV], ["axial", true, true, false]);
  // x fixed (u = y -> I, v = z -> R): patient coronal; v across flipped, u (inferior) down.
  const s = planeOrientation(SAGITTAL_ACQ, "sagittal");
  assert.deepEqual([s.view, s.transposed, s.flipH, s.flipV], ["coronal", true, true, false]);
});

/** Every signed permutation direction (48): index axis k along sign[k] * patient axis perm[k]. */
function signedPermutations(): { direction: Mat3; perm: number[]; sign: number[] }[] {
  const perms = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];
  const out: { direction: Mat3; perm: number[]; sign: number[] }[] = [];
  for (const perm of perms) {
    for (let bits = 0; bits < 8; bits++) {
      const sign = [0, 1, 2].map((k) => ((bits >> k) & 1 ? -1 : 1));
      const direction: Mat3 = [0, 0, 0, 0, 0, 0, 0, 0, 0];
      for (let k = 0; k < 3; k++) direction[3 * perm[k]! + k] = sign[k]!;
      out.push({ direction, perm, sign });
    }
  }
  return out;
}

test("every signed-permutation direction and plane lands in the radiological convention", () => {
  // Oracle straight from the convention table: screen right is +L (axial, coronal) or +P
  // (sagittal); screen down is +P (axial) or -S (coronal, sagittal). Unit spacing and a canvas
  // of exactly cols x rows CSS pixels make one voxel one pixel, so a +1 step along an index axis
  // whose physical direction is e moves the point by (e . right, e . down) pixels.
  const size: Vec3 = [3, 4, 5];
  const views: Plane[] = ["sagittal", "coronal", "axial"];
  const planes: Plane[] = ["axial", "coronal", "sagittal"];
  for (const { direction, perm } of signedPermutations()) {
    for (const plane of planes) {
      const { u, v, normal } = axesOf(plane);
      const view = views[perm[normal]!]!;
      const right = view === "sagittal" ? [0, 1, 0] : [1, 0, 0];
      const down = view === "axial" ? [0, 1, 0] : [0, 0, -1];
      const column = (k: number) => [0, 1, 2].map((r) => direction[3 * r + k]!);
      const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
      const geom = displayGeometry(size, [1, 1, 1], direction, plane);
      const what = `${direction.join(",")} ${plane}`;
      assert.equal(geom.view, view, what);
      const m = screenMapping(geom, {
        cssWidth: geom.cols,
        cssHeight: geom.rows,
        zoom: 1,
        panX: 0,
        panY: 0,
      });
      assert.equal(m.pxPerMm, 1, what);
      const p00 = voxelToScreen(m, 0, 0);
      const p10 = voxelToScreen(m, 1, 0);
      const p01 = voxelToScreen(m, 0, 1);
      const eu = column(u);
      const ev = column(v);
      assert.deepEqual([p10[0] - p00[0], p10[1] - p00[1]], [dot(eu, right), dot(eu, down)], what);
      assert.deepEqual([p01[0] - p00[0], p01[1] - p00[1]], [dot(ev, right), dot(ev, down)], what);
      // The in-plane axes fill the screen: u spans cols or rows, whichever it runs along.
      const uAcross = dot(eu, right) !== 0;
      assert.equal(geom.transposed, !uAcross, what);
      assert.equal(geom.cols, uAcross ? size[u] : size[v], what);
      // Voxel centres are inside the canvas at half-pixel positions.
      for (const [x, y] of [p00, voxelToScreen(m, geom.width - 1, geom.height - 1)]) {
        assert.ok(x > 0 && x < geom.cols && y > 0 && y < geom.rows, what);
        assert.equal(x % 1, 0.5, what);
        assert.equal(y % 1, 0.5, what);
      }
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Display geometry and the CSS mapping
// ---------------------------------------------------------------------------------------------

test("displayGeometry: sizes and spacings across and down the screen", () => {
  const size: Vec3 = [4, 3, 2];
  const spacing: Vec3 = [0.5, 0.8, 2];
  const ax = displayGeometry(size, spacing, IDENTITY, "axial");
  assert.deepEqual(
    [ax.plane, ax.width, ax.height, ax.cols, ax.rows, ax.spacingH, ax.spacingV],
    ["axial", 4, 3, 4, 3, 0.5, 0.8],
  );
  const sa = displayGeometry(size, spacing, IDENTITY, "sagittal");
  assert.deepEqual(
    [sa.width, sa.height, sa.cols, sa.rows, sa.spacingH, sa.spacingV],
    [3, 2, 3, 2, 0.8, 2],
  );
  // Sagittally acquired, index coronal plane: u = x (4 voxels, 0.5 mm) runs down, v = z
  // (2 voxels, 2 mm) across.
  const t = displayGeometry(size, spacing, SAGITTAL_ACQ, "coronal");
  assert.deepEqual(
    [t.transposed, t.width, t.height, t.cols, t.rows, t.spacingH, t.spacingV],
    [true, 4, 2, 2, 4, 2, 0.5],
  );
});

test("fitScale: the slice's physical extent fits the canvas", () => {
  // Axial of 100 x 50 voxels at 1 x 2 mm: 100 x 100 mm. Canvas 400 x 300: min(4, 3) = 3 px/mm.
  const geom = displayGeometry([100, 50, 10], [1, 2, 3], IDENTITY, "axial");
  assert.equal(fitScale(geom, 400, 300), 3);
  assert.equal(fitScale(geom, 200, 600), 2);
  // Degenerate canvas: 1.
  assert.equal(fitScale(geom, 0, 300), 1);
});

test("screenMapping / voxelToScreen: hand-computed pixels, zoom and pan", () => {
  const geom = displayGeometry([100, 50, 10], [1, 2, 3], IDENTITY, "axial");
  // Zoom 1: 3 px/mm, 3 px per column, 6 per row; drawn 300 x 300, x0 = (400 - 300) / 2 = 50,
  // y0 = 0; voxel (0, 0) centre at (50 + 1.5, 0 + 3).
  const m1 = screenMapping(geom, { cssWidth: 400, cssHeight: 300, zoom: 1, panX: 0, panY: 0 });
  assert.deepEqual([m1.pxPerMm, m1.x0, m1.y0, m1.drawWidth, m1.drawHeight], [3, 50, 0, 300, 300]);
  assert.deepEqual([m1.originX, m1.originY, m1.scaleX, m1.scaleY], [51.5, 3, 3, 6]);
  // Voxel (10, 20): (51.5 + 10 * 3, 3 + 20 * 6) = (81.5, 123).
  assert.deepEqual(voxelToScreen(m1, 10, 20), [81.5, 123]);
  // Zoom 2, pan (10, -20): 6 px/mm, 6 x 12 px per voxel, drawn 600 x 600,
  // x0 = (400 - 600) / 2 + 10 = -90, y0 = (300 - 600) / 2 - 20 = -170; origin (-87, -164).
  const vp: Viewport = { cssWidth: 400, cssHeight: 300, zoom: 2, panX: 10, panY: -20 };
  const m2 = screenMapping(geom, vp);
  assert.deepEqual([m2.x0, m2.y0, m2.originX, m2.originY], [-90, -170, -87, -164]);
  // (10, 20) -> (-87 + 60, -164 + 240); (50, 25) -> (-87 + 300, -164 + 300).
  assert.deepEqual(voxelToScreen(m2, 10, 20), [-27, 76]);
  assert.deepEqual(voxelToScreen(m2, 50, 25), [213, 136]);
  // And back.
  assert.deepEqual(screenToVoxel(m2, -27, 76), [10, 20]);
  assert.deepEqual(screenToVoxel(m2, 213, 136), [50, 25]);
});

test("screenMapping: coronal slice with superior up", () => {
  // Coronal of [100, 50, 10] at [1, 2, 3] mm: u = x (100 x 1 mm), v = z (10 x 3 mm), 100 x 30 mm.
  // Canvas 400 x 300: min(4, 10) = 4 px/mm; 4 px per column, 12 per row; drawn 400 x 120,
  // x0 = 0, y0 = 90. flipV: voxel v = 0 is the bottom row, centre y = 90 + 9.5 * 12 = 204.
  const geom = displayGeometry([100, 50, 10], [1, 2, 3], IDENTITY, "coronal");
  const m = screenMapping(geom, { cssWidth: 400, cssHeight: 300, zoom: 1, panX: 0, panY: 0 });
  assert.deepEqual([m.originX, m.originY, m.scaleX, m.scaleY], [2, 204, 4, -12]);
  assert.deepEqual(voxelToScreen(m, 0, 0), [2, 204]);
  // Top right voxel (99, 9): (2 + 396, 204 - 108) = (398, 96) = (x0 + 400 - 2, y0 + 6).
  assert.deepEqual(voxelToScreen(m, 99, 9), [398, 96]);
  // voxelAt: slice covers x in [0, 400), y in [90, 210).
  assert.deepEqual(voxelAt(m, geom, 398, 96), [99, 9]);
  assert.deepEqual(voxelAt(m, geom, 5.9, 200), [1, 0]); // u = 0.975, v = 0.333
  assert.equal(voxelAt(m, geom, -0.1, 150), null); // u = -0.525
  assert.equal(voxelAt(m, geom, 400.1, 150), null); // u = 99.525
  assert.equal(voxelAt(m, geom, 200, 89.9), null); // v = 9.508
  assert.equal(voxelAt(m, geom, 200, 210.1), null); // v = -0.508
});

test("screenMapping: transposed and flipped slice (sagittal acquisition, index coronal)", () => {
  // u = x (4 voxels, 0.5 mm) down, v = z (2 voxels, 2 mm) across decreasing to the right.
  // 4 x 2 mm -> canvas 40 x 40: min(40 / 4, 40 / 2) = 10 px/mm; 20 px per column, 5 per row;
  // drawn 40 x 20, x0 = 0, y0 = 10. originX = 0 + (2 - 0.5) * 20 = 30, originY = 10 + 2.5.
  const geom = displayGeometry([4, 3, 2], [0.5, 0.8, 2], SAGITTAL_ACQ, "coronal");
  const m = screenMapping(geom, { cssWidth: 40, cssHeight: 40, zoom: 1, panX: 0, panY: 0 });
  assert.deepEqual(
    [m.originX, m.originY, m.scaleX, m.scaleY, m.transposed],
    [30, 12.5, -20, 5, true],
  );
  // (u, v) = (3, 1): x = 30 - 20 = 10, y = 12.5 + 15 = 27.5.
  assert.deepEqual(voxelToScreen(m, 3, 1), [10, 27.5]);
  assert.deepEqual(screenToVoxel(m, 10, 27.5), [3, 1]);
  assert.deepEqual(voxelAt(m, geom, 10, 27.5), [3, 1]);
  // (25, 13): v = (25 - 30) / -20 = 0.25, u = (13 - 12.5) / 5 = 0.1.
  assert.deepEqual(voxelAt(m, geom, 25, 13), [0, 0]);
});

test("voxelToScreen and screenToVoxel are inverses for every orientation, zoom and pan", () => {
  const viewports: Viewport[] = [
    { cssWidth: 640, cssHeight: 480, zoom: 1, panX: 0, panY: 0 },
    { cssWidth: 640, cssHeight: 480, zoom: 3.5, panX: -41.25, panY: 17 },
    { cssWidth: 300, cssHeight: 900, zoom: 0.4, panX: 12, panY: -250 },
  ];
  const points = [
    [0, 0],
    [7, 3],
    [2.25, -0.5],
    [19, 11],
  ];
  for (const direction of [IDENTITY, FLIP_X, CORONAL_ACQ, SAGITTAL_ACQ]) {
    for (const plane of ["axial", "coronal", "sagittal"] as Plane[]) {
      const geom = displayGeometry([20, 12, 9], [0.7, 0.7, 3], direction, plane);
      for (const vp of viewports) {
        const m = screenMapping(geom, vp);
        for (const [u, v] of points) {
          const [x, y] = voxelToScreen(m, u!, v!);
          closePair(screenToVoxel(m, x, y), [u!, v!]);
        }
      }
    }
  }
});

test("zoomAbout keeps the point under the cursor fixed", () => {
  const geom = displayGeometry([100, 50, 10], [1, 2, 3], IDENTITY, "axial");
  const vp: Viewport = { cssWidth: 400, cssHeight: 300, zoom: 1, panX: 0, panY: 0 };
  // Voxel (10, 20) is at (81.5, 123) (see above). Relative to the slice centre (200, 150) it is
  // at (-118.5 / 3, -27 / 3) = (-39.5, -9) mm; at zoom 2 (6 px/mm) the pan must be
  // (81.5 - 200 + 39.5 * 6, 123 - 150 + 9 * 6) = (118.5, 27).
  const z = zoomAbout(geom, vp, 2, 81.5, 123);
  assert.deepEqual(z, { cssWidth: 400, cssHeight: 300, zoom: 2, panX: 118.5, panY: 27 });
  assert.deepEqual(voxelToScreen(screenMapping(geom, z), 10, 20), [81.5, 123]);
  // Zooming back out about the same point returns to the original viewport.
  const back = zoomAbout(geom, z, 1, 81.5, 123);
  closePair([back.panX, back.panY, back.zoom], [0, 0, 1]);
  // About the canvas centre, an unpanned view stays unpanned.
  assert.deepEqual(zoomAbout(geom, vp, 5, 200, 150), { ...vp, zoom: 5, panX: 0, panY: 0 });
});

test("sliceStrides: volume and display-buffer walks", () => {
  const size: Vec3 = [4, 3, 2];
  // Axial slice 1 of the identity: base 1 * 12, u steps 1, v steps 4; display as stored.
  const ax = displayGeometry(size, [1, 1, 1], IDENTITY, "axial");
  assert.deepEqual(sliceStrides(size, ax, 1), { base: 12, su: 1, sv: 4, d0: 0, du: 1, dv: 4 });
  // Coronal slice 2: base 2 * 4, u = x (1), v = z (12); 4 x 2 display with v upwards: z = 0 is
  // the bottom row (d0 = 1 * 4), one row up per v (-4).
  const co = displayGeometry(size, [1, 1, 1], IDENTITY, "coronal");
  assert.deepEqual(sliceStrides(size, co, 2), { base: 8, su: 1, sv: 12, d0: 4, du: 1, dv: -4 });
  // Sagittal slice 3: base 3, u = y (4), v = z (12); 3 x 2 display, v upwards.
  const sa = displayGeometry(size, [1, 1, 1], IDENTITY, "sagittal");
  assert.deepEqual(sliceStrides(size, sa, 3), { base: 3, su: 4, sv: 12, d0: 3, du: 1, dv: -3 });
  // Transposed (sagittal acquisition, index coronal slice 1): 2 x 4 display, u down (+2 per
  // row), v across from the right (d0 = column 1, -1 per v).
  const t = displayGeometry(size, [1, 1, 1], SAGITTAL_ACQ, "coronal");
  assert.deepEqual(sliceStrides(size, t, 1), { base: 4, su: 1, sv: 12, d0: 1, du: 2, dv: -1 });
});

// ---------------------------------------------------------------------------------------------
// Window / level
// ---------------------------------------------------------------------------------------------

test("quantile: linear interpolation between order statistics (numpy 'linear')", () => {
  // pos = (n - 1) q, value = s[floor] + (s[floor + 1] - s[floor]) * frac.
  const s = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  close(quantile(s, 0.01), 1); // pos 0.1: 0 + 10 * 0.1
  close(quantile(s, 0.99), 99); // pos 9.9: 90 + 10 * 0.9
  assert.equal(quantile(s, 0), 0);
  assert.equal(quantile(s, 1), 100);
  assert.equal(quantile(s, 0.5), 50);
  close(quantile([1, 2, 4, 8], 0.25), 1.75); // pos 0.75: 1 + 1 * 0.75
  close(quantile([1, 2, 4, 8], 0.9), 6.8); // pos 2.7: 4 + 4 * 0.7
  assert.equal(quantile([7], 0.3), 7);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test("intensityStats: range and percentiles, NaN skipped, strided sample", () => {
  // The 11 values of the quantile test, shuffled, with a NaN: min 0, max 100, p1 1, p99 99.
  const data = Float32Array.from([50, 100, 0, Number.NaN, 30, 10, 90, 20, 80, 40, 60, 70]);
  const st = intensityStats(data);
  assert.equal(st.min, 0);
  assert.equal(st.max, 100);
  close(st.p1, 1);
  close(st.p99, 99);
  // 0..9 with at most 5 samples: stride 2, sample 0, 2, 4, 6, 8; p1 at pos 0.04 = 0.08, p99 at
  // pos 3.96 = 6 + 2 * 0.96 = 7.92. The range still scans every voxel: 0..9.
  const ramp = Int16Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const sampled = intensityStats(ramp, 5);
  assert.equal(sampled.min, 0);
  assert.equal(sampled.max, 9);
  close(sampled.p1, 0.08);
  close(sampled.p99, 7.92);
  // No finite value at all: zeros.
  assert.deepEqual(intensityStats(Float64Array.from([Number.NaN, Number.NaN])), {
    min: 0,
    max: 0,
    p1: 0,
    p99: 0,
  });
});

test("intensityStats: infinities are not finite minimum / maximum (documented)", () => {
  const st = intensityStats(Float32Array.from([1, 2, Number.POSITIVE_INFINITY, 3]));
  assert.equal(st.min, 1);
  assert.equal(st.max, 3);
  assert.deepEqual(fullWindow(st), { lo: 1, hi: 3 });
});

test("autoWindow / fullWindow presets", () => {
  const st = { min: -1000, max: 3000, p1: -950, p99: 1200 };
  assert.deepEqual(autoWindow(st), { lo: -950, hi: 1200 });
  assert.deepEqual(fullWindow(st), { lo: -1000, hi: 3000 });
  // Coinciding percentiles (e.g. a mostly constant image): the full range.
  assert.deepEqual(autoWindow({ min: 0, max: 7, p1: 0, p99: 0 }), { lo: 0, hi: 7 });
  // A constant image: widened by 0.5 each way.
  assert.deepEqual(fullWindow({ min: 5, max: 5, p1: 5, p99: 5 }), { lo: 4.5, hi: 5.5 });
  assert.deepEqual(autoWindow({ min: 5, max: 5, p1: 5, p99: 5 }), { lo: 4.5, hi: 5.5 });
  // Non-finite range: 0..1.
  assert.deepEqual(fullWindow({ min: 0, max: Number.POSITIVE_INFINITY, p1: 0, p99: 0 }), {
    lo: 0,
    hi: 1,
  });
});

test("levelWidth and dragWindow arithmetic", () => {
  // CT soft-tissue window W 400 / L 40.
  assert.deepEqual(levelWidth({ lo: -160, hi: 240 }), { level: 40, width: 400 });
  // span 512: one pixel = 1. Right 10 widens to 210, up 20 lowers the level to 180.
  assert.deepEqual(dragWindow({ lo: 100, hi: 300 }, 10, -20, 512), { lo: 75, hi: 285 });
  // span 1024: one pixel = 2. Left 30 narrows to 200 - 60 = 140, down 5 raises the level to 210.
  assert.deepEqual(dragWindow({ lo: 100, hi: 300 }, -30, 5, 1024), { lo: 140, hi: 280 });
  // Width floor: unit / 20 = 2 / 20 = 0.1 around the unchanged level 200.
  const narrow = dragWindow({ lo: 100, hi: 300 }, -1000, 0, 1024);
  close(narrow.lo, 199.95);
  close(narrow.hi, 200.05);
  // Unusable span: unit 1 / 512, so 512 px right widen by 1.
  assert.deepEqual(dragWindow({ lo: 0, hi: 1 }, 512, 0, 0), { lo: -0.5, hi: 1.5 });
  assert.deepEqual(dragWindow({ lo: 0, hi: 1 }, 512, 0, Number.NaN), { lo: -0.5, hi: 1.5 });
});

test("greyOf: window ends, middle, clamping and NaN", () => {
  const w = { lo: 0, hi: 100 };
  assert.equal(greyOf(0, w), 0);
  assert.equal(greyOf(100, w), 255);
  assert.equal(greyOf(50, w), 128); // 127.5 rounds half up
  assert.equal(greyOf(20, w), 51); // 51 exactly
  assert.equal(greyOf(0.1, w), 0); // 0.255
  assert.equal(greyOf(99.9, w), 255); // 254.745
  assert.equal(greyOf(-5, w), 0);
  assert.equal(greyOf(1e9, w), 255);
  assert.equal(greyOf(Number.NaN, w), 0);
  // A CT window: -160 black, 240 white, 40 (the level) mid grey.
  assert.equal(greyOf(40, { lo: -160, hi: 240 }), 128);
});

test("formatValue: 4 significant digits, exponent only outside [1e-3, 1e6)", () => {
  assert.equal(formatValue(0), "0");
  assert.equal(formatValue(-1024), "-1024");
  assert.equal(formatValue(1234567), "1234567"); // integers as they are
  assert.equal(formatValue(12.3456), "12.35");
  assert.equal(formatValue(-4.56789), "-4.568");
  assert.equal(formatValue(0.5), "0.5");
  assert.equal(formatValue(123456.7), "123500");
  assert.equal(formatValue(0.001), "0.001");
  assert.equal(formatValue(0.0001234), "1.234e-4");
  assert.equal(formatValue(1234567.5), "1.235e+6");
  assert.equal(formatValue(Number.NaN), "NaN");
  assert.equal(formatValue(Number.NEGATIVE_INFINITY), "-Infinity");
});

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

test("packRgb / unpackRgb: RGBA bytes in memory order, opaque", () => {
  const p = packRgb(1, 2, 3);
  // Seen as bytes (as ImageData sees the buffer): R, G, B, A on any platform.
  assert.deepEqual([...new Uint8Array(Uint32Array.of(p).buffer)], [1, 2, 3, 255]);
  assert.deepEqual(unpackRgb(p), [1, 2, 3]);
  assert.deepEqual(unpackRgb(packRgb(230, 159, 0)), [230, 159, 0]);
  assert.deepEqual(unpackRgb(packRgb(255, 255, 255)), [255, 255, 255]);
  assert.ok(packRgb(255, 255, 255) >= 0); // unsigned
});

test("renderSlice: 3 x 2 axial slice, window to grey and two blended overlays", () => {
  // Window 0..200: grey = v * 255 / 200 = 1.275 v, rounded to nearest.
  //   0 -> 0, 50 -> 63.75 -> 64, 120 -> 153, 150 -> 191.25 -> 191, 200 -> 255, NaN -> 0.
  // (No exact .5 tie: renderSlice multiplies by the rounded 255 / 200, so 100 -> 127.5 would
  // land on 127.49999999999999 and round down, where greyOf gives 128.)
  const size: Vec3 = [3, 2, 1];
  const image = Float32Array.from([0, 50, 120, 150, 200, Number.NaN]);
  const geom = displayGeometry(size, [1, 1, 1], IDENTITY, "axial");
  const w = { lo: 0, hi: 200 };
  const grey = (g: number) => packRgb(g, g, g);
  const pixels = new Uint32Array(6);
  assert.deepEqual(renderSlice(pixels, image, size, geom, 0, w, []), []);
  // Identity axial: display pixel index = voxel index.
  assert.deepEqual([...pixels], [0, 64, 153, 191, 255, 0].map(grey));

  // Reader 1 (label 1) on voxels 1 and 4, alpha 0.5, colour (230, 159, 0):
  //   channel = round(p * 0.5 + c * 0.5)
  //   voxel 1 (grey 64):  r = 32 + 115 = 147, g = 32 + 79.5 = 111.5 -> 112, b = 32
  //   voxel 4 (grey 255): r = 127.5 + 115 = 242.5 -> 243, g = 127.5 + 79.5 = 207,
  //                       b = 127.5 -> 128
  // Reader 2 (its own mask, label 1) on voxels 4 and 5, alpha 0.25, colour (86, 180, 233):
  //   channel = round(p * 0.75 + c * 0.25), blended over reader 1's result
  //   voxel 4: r = 182.25 + 21.5 = 203.75 -> 204, g = 155.25 + 45 = 200.25 -> 200,
  //            b = 96 + 58.25 = 154.25 -> 154
  //   voxel 5 (grey 0): r = 21.5 -> 22, g = 45, b = 58.25 -> 58
  // A label-2 voxel in reader 1's mask (voxel 0) is not its ROI.
  const layers: OverlayLayer[] = [
    { data: Uint8Array.from([2, 1, 0, 0, 1, 0]), label: 1, rgb: [230, 159, 0], alpha: 0.5 },
    { data: Uint8Array.from([0, 0, 0, 0, 1, 1]), label: 1, rgb: [86, 180, 233], alpha: 0.25 },
  ];
  assert.deepEqual(renderSlice(pixels, image, size, geom, 0, w, layers), [2, 2]);
  assert.deepEqual([...pixels].map(unpackRgb), [
    [0, 0, 0],
    [147, 112, 32],
    [153, 153, 153],
    [191, 191, 191],
    [204, 200, 154],
    [22, 45, 58],
  ]);
  // Alpha 0 leaves the grey, alpha 1 paints the colour.
  renderSlice(pixels, image, size, geom, 0, w, [{ ...layers[0]!, alpha: 0 }]);
  assert.deepEqual(pixels[1], grey(64));
  renderSlice(pixels, image, size, geom, 0, w, [{ ...layers[0]!, alpha: 1 }]);
  assert.deepEqual(unpackRgb(pixels[1]!), [230, 159, 0]);
  assert.throws(() => renderSlice(new Uint32Array(5), image, size, geom, 0, w, []), RangeError);
});

test("renderSlice: coronal slice is drawn with superior up", () => {
  // Size [3, 1, 2]: coronal slice 0 has u = x, v = z; z = 1 is the top display row.
  const size: Vec3 = [3, 1, 2];
  const image = Uint8Array.from([10, 20, 30, 40, 50, 60]); // z = 0: 10 20 30; z = 1: 40 50 60
  const geom = displayGeometry(size, [1, 1, 1], IDENTITY, "coronal");
  const pixels = new Uint32Array(6);
  const counts = renderSlice(pixels, image, size, geom, 0, { lo: 0, hi: 255 }, [
    { data: Uint8Array.from([1, 0, 0, 0, 0, 0]), label: 1, rgb: [255, 0, 0], alpha: 1 },
  ]);
  assert.deepEqual(counts, [1]);
  // Voxel (0, 0, 0) is now bottom-left, painted red.
  assert.deepEqual([...pixels].map(unpackRgb), [
    [40, 40, 40],
    [50, 50, 50],
    [60, 60, 60],
    [255, 0, 0],
    [20, 20, 20],
    [30, 30, 30],
  ]);
});

test("renderSlice agrees with voxelToScreen and greyOf for every orientation", () => {
  // Image value = flat voxel index (0..59), window 0..255: grey = value exactly, so each display
  // pixel names the voxel drawn there. With unit spacing and a cols x rows canvas, voxel (u, v)
  // must be drawn at the pixel whose square holds its screen centre.
  const size: Vec3 = [3, 4, 5];
  const image = new Float64Array(60).map((_, i) => i);
  const w = { lo: 0, hi: 255 };
  for (const { direction } of signedPermutations()) {
    for (const plane of ["axial", "coronal", "sagittal"] as Plane[]) {
      const geom = displayGeometry(size, [1, 1, 1], direction, plane);
      const { u: au, v: av, normal } = axesOf(plane);
      const index = size[normal]! - 1;
      const pixels = new Uint32Array(geom.cols * geom.rows).fill(0xdeadbeef);
      renderSlice(pixels, image, size, geom, index, w, []);
      const m = screenMapping(geom, {
        cssWidth: geom.cols,
        cssHeight: geom.rows,
        zoom: 1,
        panX: 0,
        panY: 0,
      });
      for (let v = 0; v < geom.height; v++) {
        for (let u = 0; u < geom.width; u++) {
          const ijk = [0, 0, 0];
          ijk[au] = u;
          ijk[av] = v;
          ijk[normal] = index;
          const value = ijk[0]! + 3 * (ijk[1]! + 4 * ijk[2]!);
          const [x, y] = voxelToScreen(m, u, v);
          const d = Math.floor(y) * geom.cols + Math.floor(x);
          assert.equal(
            pixels[d],
            packRgb(greyOf(value, w), greyOf(value, w), greyOf(value, w)),
            `${direction.join(",")} ${plane} (${u}, ${v})`,
          );
        }
      }
    }
  }
});

test("outlineSegments: single voxel, L-shape, empty", () => {
  const size: Vec3 = [3, 3, 1];
  const geom = displayGeometry(size, [1, 1, 1], IDENTITY, "axial");
  const one = new Uint8Array(9);
  one[4] = 1; // (1, 1)
  // Top and bottom edges (horizontal pass), then left and right (vertical pass).
  assert.deepEqual(
    [...outlineSegments(one, size, geom, 0, 1)],
    [0.5, 0.5, 1.5, 0.5, 0.5, 1.5, 1.5, 1.5, 0.5, 0.5, 0.5, 1.5, 1.5, 0.5, 1.5, 1.5],
  );
  // L tromino (0, 0), (1, 0), (0, 1): top edge merged across two voxels, perimeter 8.
  const l = new Uint8Array(9);
  l[0] = 1;
  l[1] = 1;
  l[3] = 1;
  assert.deepEqual(
    [...outlineSegments(l, size, geom, 0, 1)],
    [
      ...[-0.5, -0.5, 1.5, -0.5], // top of row 0
      ...[0.5, 0.5, 1.5, 0.5], // under (1, 0)
      ...[-0.5, 1.5, 0.5, 1.5], // under (0, 1)
      ...[-0.5, -0.5, -0.5, 1.5], // left of column 0
      ...[0.5, 0.5, 0.5, 1.5], // right of (0, 1)
      ...[1.5, -0.5, 1.5, 0.5], // right of (1, 0)
    ],
  );
  assert.equal(outlineSegments(l, size, geom, 0, 2).length, 0);
  assert.equal(outlineSegments(new Uint8Array(9), size, geom, 0, 1).length, 0);
});

// ---------------------------------------------------------------------------------------------
// Feature-map heat overlay
// ---------------------------------------------------------------------------------------------

test("viridisLut: 256 entries, the cited matplotlib anchors at their entries, linear between", () => {
  const lut = viridisLut();
  assert.equal(lut.length, 256);
  // matplotlib _viridis_data entries as round(255 x):
  //   [0]   (0.267004, 0.004874, 0.329415) -> (68.09, 1.24, 84.00)    -> (68, 1, 84)    #440154
  //   [128] (0.127568, 0.566949, 0.550556) -> (32.53, 144.57, 140.39) -> (33, 145, 140) #21918c
  //   [255] (0.993248, 0.906157, 0.143936) -> (253.28, 231.07, 36.70) -> (253, 231, 37) #fde725
  const rgb255 = (x: number[]) => x.map((c) => Math.round(255 * c));
  assert.deepEqual(rgb255([0.267004, 0.004874, 0.329415]), [68, 1, 84]);
  assert.deepEqual(rgb255([0.127568, 0.566949, 0.550556]), [33, 145, 140]);
  assert.deepEqual(rgb255([0.993248, 0.906157, 0.143936]), [253, 231, 37]);
  assert.deepEqual(unpackRgb(lut[0]!), [68, 1, 84]);
  assert.deepEqual(unpackRgb(lut[128]!), [33, 145, 140]);
  assert.deepEqual(unpackRgb(lut[255]!), [253, 231, 37]);
  assert.deepEqual(VIRIDIS_ANCHORS[0]!.rgb, [68, 1, 84]);
  assert.deepEqual(VIRIDIS_ANCHORS.at(-1)!.rgb, [253, 231, 37]);
  // Every anchor sits on its own entry; the anchors climb through the table.
  for (const { at, rgb } of VIRIDIS_ANCHORS) assert.deepEqual(unpackRgb(lut[at]!), [...rgb]);
  assert.deepEqual(
    VIRIDIS_ANCHORS.map((a) => a.at),
    [0, 32, 64, 96, 128, 159, 191, 223, 255],
  );
  // Entry 16, halfway from entry 0 (68, 1, 84) to entry 32 (71, 45, 123):
  //   (69.5, 23, 103.5) rounded half up -> (70, 23, 104).
  assert.deepEqual(unpackRgb(lut[16]!), [70, 23, 104]);
  // Entry 8, a quarter of the way: (68.75, 12, 93.75) -> (69, 12, 94).
  assert.deepEqual(unpackRgb(lut[8]!), [69, 12, 94]);
  // Opaque, and the shared table is the same.
  for (const p of lut) assert.equal(new Uint8Array(Uint32Array.of(p).buffer)[3], 255);
  assert.deepEqual([...VIRIDIS_LUT], [...lut]);
  const gradient = viridisGradient();
  assert.ok(gradient.startsWith("linear-gradient(to right, #440154 0%, #472d7b 12.55%"), gradient);
  assert.ok(gradient.endsWith("#aadc32 87.45%, #fde725 100%)"), gradient);
});

test("blendHeat: 3 x 2 slice, hand-computed blending; NaN and infinite voxels stay grey", () => {
  // Window 0..255: grey = value. Map colour range 10..20: entry k = (m - 10) * 255 / 10,
  // clamped and rounded half up:
  //   m = 10 -> 0 (68, 1, 84); m = 20 -> 255 (253, 231, 37); m = 15 -> 127.5 -> 128
  //   (33, 145, 140); m = 5 (below the range) -> entry 0.
  // Alpha 0.5: channel = floor(p * 0.5 + c * 0.5 + 0.5)
  //   voxel 0 grey 0,   m 10:  (0 + 34, 0 + 0.5, 0 + 42) + 0.5       -> (34, 1, 42)
  //   voxel 1 grey 100, m 20:  (50 + 126.5, 50 + 115.5, 50 + 18.5)  -> (177, 166, 69)
  //   voxel 2 grey 200, m 15:  (100 + 16.5, 100 + 72.5, 100 + 70)   -> (117, 173, 170)
  //   voxel 3 grey 255, NaN:   left grey                             -> (255, 255, 255)
  //   voxel 4 grey 50,  +Inf:  left grey                             -> (50, 50, 50)
  //   voxel 5 grey 80,  m 5:   (40 + 34, 40 + 0.5, 40 + 42)         -> (74, 41, 82)
  const size: Vec3 = [3, 2, 1];
  const image = Uint8Array.from([0, 100, 200, 255, 50, 80]);
  const geom = displayGeometry(size, [1, 1, 1], IDENTITY, "axial");
  const w = { lo: 0, hi: 255 };
  const map = Float64Array.from([10, 20, 15, Number.NaN, Number.POSITIVE_INFINITY, 5]);
  const heat: HeatLayer = { data: map, lo: 10, hi: 20, lut: VIRIDIS_LUT, alpha: 0.5 };
  const pixels = new Uint32Array(6);
  renderSlice(pixels, image, size, geom, 0, w, []);
  assert.equal(blendHeat(pixels, heat, size, geom, 0), 4);
  const expected = [
    [34, 1, 42],
    [177, 166, 69],
    [117, 173, 170],
    [255, 255, 255],
    [50, 50, 50],
    [74, 41, 82],
  ];
  assert.deepEqual([...pixels].map(unpackRgb), expected);
  // The same through renderSlice (heat after the grey, before the overlays).
  pixels.fill(0);
  assert.deepEqual(renderSlice(pixels, image, size, geom, 0, w, [], heat), []);
  assert.deepEqual([...pixels].map(unpackRgb), expected);
  // A ROI fill lands on top of the heat: reader 1 (230, 159, 0), alpha 0.5, on voxel 1
  // (177, 166, 69): (88.5 + 115, 83 + 79.5, 34.5 + 0) + 0.5 -> (204, 163, 35).
  const roi: OverlayLayer = {
    data: Uint8Array.from([0, 1, 0, 0, 0, 0]),
    label: 1,
    rgb: [230, 159, 0],
    alpha: 0.5,
  };
  assert.deepEqual(renderSlice(pixels, image, size, geom, 0, w, [roi], heat), [1]);
  assert.deepEqual(unpackRgb(pixels[1]!), [204, 163, 35]);
  assert.deepEqual(unpackRgb(pixels[2]!), [117, 173, 170]);
  // Alpha 1 paints the table's colours; alpha 0 leaves the grey (renderSlice skips the pass).
  renderSlice(pixels, image, size, geom, 0, w, [], { ...heat, alpha: 1 });
  assert.deepEqual([...pixels].map(unpackRgb), [
    [68, 1, 84],
    [253, 231, 37],
    [33, 145, 140],
    [255, 255, 255],
    [50, 50, 50],
    [68, 1, 84],
  ]);
  renderSlice(pixels, image, size, geom, 0, w, [], { ...heat, alpha: 0 });
  assert.deepEqual(
    [...pixels],
    [...image].map((g) => packRgb(g, g, g)),
  );
  // An all-NaN map draws nothing.
  const nan: HeatLayer = { ...heat, data: new Float64Array(6).fill(Number.NaN) };
  renderSlice(pixels, image, size, geom, 0, w, [], nan);
  assert.deepEqual(
    [...pixels],
    [...image].map((g) => packRgb(g, g, g)),
  );
  assert.equal(blendHeat(pixels, nan, size, geom, 0), 0);
  assert.throws(() => blendHeat(new Uint32Array(5), heat, size, geom, 0), RangeError);
});

test("blendHeat walks the slice as renderSlice for every orientation", () => {
  // A grey table (entry k = grey k), range 0..255 and alpha 1: the heat of map value m paints
  // grey m, so a map equal to the flat voxel index over a black image must give the pixels
  // renderSlice gives for an image equal to the flat voxel index.
  const size: Vec3 = [3, 4, 5];
  const index = new Float64Array(60).map((_, i) => i);
  const black = new Float64Array(60);
  const greyLut = new Uint32Array(256).map((_, k) => packRgb(k, k, k));
  const w = { lo: 0, hi: 255 };
  const heat: HeatLayer = { data: index, lo: 0, hi: 255, lut: greyLut, alpha: 1 };
  for (const { direction } of signedPermutations()) {
    for (const plane of ["axial", "coronal", "sagittal"] as Plane[]) {
      const geom = displayGeometry(size, [1, 1, 1], direction, plane);
      const k = size[axesOf(plane).normal]! - 1;
      const want = new Uint32Array(geom.cols * geom.rows);
      renderSlice(want, index, size, geom, k, w, []);
      const got = new Uint32Array(geom.cols * geom.rows);
      renderSlice(got, black, size, geom, k, w, [], heat);
      assert.deepEqual([...got], [...want], `${direction.join(",")} ${plane}`);
    }
  }
});

test("mapRange: 1st to 99th percentile of the finite values only", () => {
  // 101 finite values 1..101 in a large NaN volume (plus an infinity): sorted, the 1st
  // percentile sits at position 100 * 0.01 = 1 (value 2), the 99th at 99 (value 100).
  const data = new Float64Array(1 << 20).fill(Number.NaN);
  for (let v = 1; v <= 101; v++) data[v * 9973] = v;
  data[7] = Number.POSITIVE_INFINITY;
  assert.deepEqual(mapRange(data), { lo: 2, hi: 100, finite: 101, min: 1, max: 101 });
  // A constant map is widened around its value; a map without finite values gets a unit range.
  assert.deepEqual(mapRange(Float64Array.from([Number.NaN, 5, 5])), {
    lo: 4.5,
    hi: 5.5,
    finite: 2,
    min: 5,
    max: 5,
  });
  const none = mapRange(Float64Array.from([Number.NaN, Number.NEGATIVE_INFINITY]));
  assert.equal(none.finite, 0);
  assert.ok(none.hi > none.lo);
  // Every finite value counts (no strided sample to alias with the rows): 2^20 values x = i mod 64,
  // each 16384 times; the 99th percentile at position (2^20 - 1) * 0.99 = 1038089.25 is in the
  // run of 63 (from 63 * 16384 = 1032192), where a sample of every 4th value would only see
  // x = 0, 4, ..., 60.
  const rows = new Float64Array(1 << 20).map((_, i) => i % 64);
  assert.deepEqual(mapRange(rows), { lo: 0, hi: 63, finite: 1 << 20, min: 0, max: 63 });
  // Two values: p1 and p99 between them (1.01 and 1.99 of 1 and 2).
  const two = mapRange(Float32Array.from([1, Number.NaN, 2]));
  close(two.lo, 1.01);
  close(two.hi, 1.99);
});

// ---------------------------------------------------------------------------------------------
// Image / mask consistency
// ---------------------------------------------------------------------------------------------

function pair(): { image: Volume; mask: Volume<Uint8Array> } {
  const image = volume([4, 3, 2], new Int16Array(24), { spacing: [0.5, 0.5, 3] });
  const mask = volume([4, 3, 2], new Uint8Array(24), { spacing: [0.5, 0.5, 3] });
  mask.data[5] = 1;
  mask.data[6] = 1;
  return { image, mask };
}

test("checkImageMask: a matching pair has no problem", () => {
  const { image, mask } = pair();
  assert.deepEqual(checkImageMask(image, mask), []);
  assert.equal(sameGrid(image, mask), true);
  assert.equal(GEOMETRY_TOLERANCE_MM, 1e-3);
  assert.equal(DIRECTION_TOLERANCE, 1e-4);
});

test("checkImageMask: size mismatch", () => {
  const { image } = pair();
  const mask = volume([4, 3, 1], new Uint8Array(12), { spacing: [0.5, 0.5, 3] });
  mask.data[0] = 1;
  mask.data[1] = 1;
  const out = checkImageMask(image, mask);
  assert.equal(out.length, 1);
  assert.match(out[0]!, /size \(4 x 3 x 1 voxels\) differs from the image's \(4 x 3 x 2\)/);
  assert.equal(sameGrid(image, mask), false);
});

test("checkImageMask: voxel count not matching the mask's own size", () => {
  const { image } = pair();
  const mask = volume([4, 3, 2], new Uint8Array(20), { spacing: [0.5, 0.5, 3] });
  mask.data[0] = 1;
  mask.data[1] = 1;
  const out = checkImageMask(image, mask);
  assert.equal(out.length, 1);
  assert.match(out[0]!, /holds 20 voxels but its size 4 x 3 x 2 needs 24: the file is damaged/);
  assert.equal(sameGrid(image, mask), false);
});

test("checkImageMask: spacing, origin and direction tolerances", () => {
  // Spacing 3.002 vs 3: 0.002 mm > 1e-3.
  {
    const { image, mask } = pair();
    mask.spacing = [0.5, 0.5, 3.002];
    const out = checkImageMask(image, mask);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /spacing \(0\.5 x 0\.5 x 3\.002 mm\)/);
    assert.match(out[0]!, /\(0\.5 x 0\.5 x 3 mm\) by up to 0\.002 mm/);
    // The grid is still voxel for voxel the same.
    assert.equal(sameGrid(image, mask), true);
  }
  // Spacing within tolerance (0.0009 mm).
  {
    const { image, mask } = pair();
    mask.spacing = [0.5009, 0.5, 3];
    assert.deepEqual(checkImageMask(image, mask), []);
  }
  // Origin shifted by exactly the tolerance (0 vs 0.001: the difference is the double 1e-3): OK.
  {
    const { image, mask } = pair();
    mask.origin = [0, 0, 0.001];
    assert.deepEqual(checkImageMask(image, mask), []);
  }
  // Origin shifted by 0.0011 mm: reported.
  {
    const { image, mask } = pair();
    mask.origin = [0, 0, 0.0011];
    const out = checkImageMask(image, mask);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /origin \(0, 0, 0\.0011 mm\).*by up to 0\.0011 mm: the ROI is displaced/);
  }
  // Origin shifted by half a slice.
  {
    const { image, mask } = pair();
    image.origin = [-120, -80.5, 10];
    mask.origin = [-120, -80.5, 11.5];
    const out = checkImageMask(image, mask);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /origin \(-120, -80\.5, 11\.5 mm\)/);
    assert.match(out[0]!, /image's \(-120, -80\.5, 10 mm\) by up to 1\.5 mm/);
  }
  // Direction flipped in x: differs by up to 2.
  {
    const { image, mask } = pair();
    mask.direction = FLIP_X;
    const out = checkImageMask(image, mask);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /direction \(-1 0 0 0 1 0 0 0 1\)/);
    assert.match(out[0]!, /by up to 2: the ROI is rotated or flipped/);
  }
  // Direction within 1e-4 (5e-5): fine; 2e-4: reported.
  {
    const { image, mask } = pair();
    mask.direction = [1, 5e-5, 0, 0, 1, 0, 0, 0, 1];
    assert.deepEqual(checkImageMask(image, mask), []);
    mask.direction = [1, 2e-4, 0, 0, 1, 0, 0, 0, 1];
    const out = checkImageMask(image, mask);
    assert.equal(out.length, 1);
    assert.match(out[0]!, /by up to 0\.0002: the ROI is rotated/);
  }
});

test("checkImageMask: mask content (empty, missing label, extra labels, single voxel)", () => {
  {
    const { image, mask } = pair();
    mask.data.fill(0);
    assert.deepEqual(checkImageMask(image, mask), [
      "The mask is empty (no nonzero voxel): draw the ROI first.",
    ]);
  }
  {
    const { image, mask } = pair();
    mask.data[5] = 2;
    mask.data[6] = 3;
    assert.deepEqual(checkImageMask(image, mask), [
      "Label 1 is not in the mask; it has labels 2, 3.",
    ]);
    // Asking for label 3 instead: present once, with label 2 besides.
    assert.deepEqual(checkImageMask(image, mask, 3), [
      "The mask also has label 2: only label 3 is the ROI.",
      "The ROI (label 3) is a single voxel: PyRadiomics cannot extract features from it.",
    ]);
  }
  {
    const { image, mask } = pair();
    mask.data[7] = 2;
    mask.data[8] = 4;
    assert.deepEqual(checkImageMask(image, mask), [
      "The mask also has labels 2, 4: only label 1 is the ROI.",
    ]);
  }
  {
    const { image, mask } = pair();
    mask.data[6] = 0;
    assert.deepEqual(checkImageMask(image, mask), [
      "The ROI (label 1) is a single voxel: PyRadiomics cannot extract features from it.",
    ]);
  }
  {
    // Ten labels 2..11: the first eight listed.
    const { image, mask } = pair();
    mask.data.fill(0);
    for (let i = 0; i < 10; i++) mask.data[i] = i + 2;
    assert.deepEqual(checkImageMask(image, mask), [
      "Label 1 is not in the mask; it has labels 2, 3, 4, 5, 6, 7, 8, 9, ... (10 in all).",
    ]);
  }
  {
    // A float mask with a non-integer value; label 1 still present twice.
    const { image } = pair();
    const mask = volume([4, 3, 2], new Float32Array(24), { spacing: [0.5, 0.5, 3] });
    mask.data[0] = 1;
    mask.data[1] = 1;
    mask.data[2] = 0.5;
    assert.deepEqual(checkImageMask(image, mask), [
      "The mask has non-integer values (e.g. 0.5): a label mask holds whole numbers.",
      "The mask also has label 0.5: only label 1 is the ROI.",
    ]);
  }
});

test("checkImageMask: several problems are all reported, in order", () => {
  const { image } = pair();
  const mask = volume([4, 3, 1], new Uint8Array(12), {
    spacing: [1, 0.5, 3],
    origin: [0, 5, 0],
  });
  const out = checkImageMask(image, mask);
  assert.equal(out.length, 4);
  assert.match(out[0]!, /^The mask's size/);
  assert.match(out[1]!, /^The mask's spacing .* by up to 0\.5 mm\.$/);
  assert.match(out[2]!, /^The mask's origin .* by up to 5 mm/);
  assert.match(out[3]!, /^The mask is empty/);
});

test("sameGrid: voxel layout only (size and voxel count), not spacing or origin", () => {
  const { image, mask } = pair();
  mask.origin = [3, 3, 3];
  mask.spacing = [1, 1, 1];
  assert.equal(sameGrid(image, mask), true);
  assert.equal(sameGrid(image, volume([3, 4, 2], new Uint8Array(24))), false);
  assert.equal(sameGrid(image, volume([4, 3, 2], new Uint8Array(23))), false);
});

// ---------------------------------------------------------------------------------------------
// File names
// ---------------------------------------------------------------------------------------------

test("fileStem / maskFileName / segFileName", () => {
  assert.equal(fileStem("P001 T2"), "P001_T2");
  assert.equal(fileStem("  P001  /  ADC b=800 "), "P001_ADC_b_800");
  assert.equal(fileStem("../etc/passwd"), "etc_passwd");
  assert.equal(fileStem("Pätient 1"), "P_tient_1");
  assert.equal(fileStem("case-1.v2"), "case-1.v2");
  assert.equal(fileStem(""), "case");
  assert.equal(fileStem(" // "), "case");
  assert.equal(maskFileName("P001 T2", 1), "P001_T2_mask.nrrd");
  assert.equal(maskFileName("P001 T2", 2), "P001_T2_mask_reader2.nrrd");
  assert.equal(maskFileName("P001 T2", 1, ".nii.gz"), "P001_T2_mask.nii.gz");
  assert.equal(segFileName("P001 T2", 1), "P001_T2_seg.dcm");
  assert.equal(segFileName("P001 T2", 2), "P001_T2_seg_reader2.dcm");
  assert.equal(segFileName("", 2), "case_seg_reader2.dcm");
});
