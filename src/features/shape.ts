/**
 * 3D shape features, exactly as PyRadiomics' RadiomicsShape (radiomics/shape.py and the marching cubes of
 * radiomics/src/cshape.c, commit 8ed5793).
 *
 * The mask is cropped to the ROI bounding box and padded with one voxel of zeros (see roiCrop.ts). A
 * marching cubes pass (Lorensen & Cline 1987, PyRadiomics' tables) over that grid gives the triangle mesh:
 * MeshVolume is the sum of signed tetrahedron volumes Oa.(Ob x Oc)/6, SurfaceArea the sum of
 * |ab x ac|/2; both accumulate in PyRadiomics' cube and triangle order with coordinates
 * (index + edge offset) * spacing, so they agree with it to the last bits. Diameters are PyRadiomics'
 * all-pairs maxima over mesh vertices (edge midpoints), computed exactly on convex hull vertices
 * (latticeHull.ts). Axis lengths come from the principal moments of the voxel centres.
 */
import type { Vec3 } from "../image/volume.js";
import { PlaneRowExtents, halfUnitCoordinates, maxSquaredDistance } from "./mesh/latticeHull.js";
import {
  CUBE_CORNERS,
  CUBE_EDGE_MIDPOINTS,
  CUBE_TRIANGLES,
  CUBE_TRIANGLE_OFFSETS,
} from "./mesh/marchingTables.js";
import { principalMoments } from "./mesh/principalAxes.js";
import { checkFeatureNames, cropAndPadRoi, validateMaskInput } from "./mesh/roiCrop.js";
import type { FeatureClassInfo, FeatureValues } from "./types.js";

export const SHAPE_CLASS: FeatureClassInfo = {
  name: "shape",
  features: [
    "Compactness1",
    "Compactness2",
    "Elongation",
    "Flatness",
    "LeastAxisLength",
    "MajorAxisLength",
    "Maximum2DDiameterColumn",
    "Maximum2DDiameterRow",
    "Maximum2DDiameterSlice",
    "Maximum3DDiameter",
    "MeshVolume",
    "MinorAxisLength",
    "SphericalDisproportion",
    "Sphericity",
    "SurfaceArea",
    "SurfaceVolumeRatio",
    "VoxelVolume",
  ],
  deprecated: ["Compactness1", "Compactness2", "SphericalDisproportion"],
};

const MESH_FEATURES = new Set([
  "Compactness1",
  "Compactness2",
  "MeshVolume",
  "SphericalDisproportion",
  "Sphericity",
  "SurfaceArea",
  "SurfaceVolumeRatio",
]);
const DIAMETER_FEATURES = new Set([
  "Maximum2DDiameterColumn",
  "Maximum2DDiameterRow",
  "Maximum2DDiameterSlice",
  "Maximum3DDiameter",
]);
const AXIS_FEATURES = new Set([
  "Elongation",
  "Flatness",
  "LeastAxisLength",
  "MajorAxisLength",
  "MinorAxisLength",
]);

export interface MarchingCubesResult {
  /** Sum of triangle areas (mm^2). */
  surfaceArea: number;
  /** Sum of signed tetrahedron volumes / 6 (mm^3). */
  volume: number;
}

/**
 * Surface area and volume of PyRadiomics' marching-cubes mesh of a padded binary grid (x fastest, values
 * 0/1, zero on the border). Per triangle (vertices a, b, c at (cube index + edge midpoint) * spacing in
 * (z, y, x) order): volume += sign * (a x b) . c, area += |(a - c) x (b - c)| / 2; volume /= 6 at the end.
 * Cubes whose corner 7 is inside use the complement's triangles with sign -1 (cshape.c).
 */
export function marchingCubes(grid: Uint8Array, size: Vec3, spacing: Vec3): MarchingCubesResult {
  const [nx, ny, nz] = size;
  const sx = spacing[0];
  const sy = spacing[1];
  const sz = spacing[2];
  // Cube index bits from the 2x2 (z, y) column of corners at the cube's low x (left) and high x (right).
  // Column code bit 0: (z0, y0), bit 1: (z0, y1), bit 2: (z1, y0), bit 3: (z1, y1).
  const leftBits = new Uint8Array(16);
  const rightBits = new Uint8Array(16);
  for (let k = 0; k < 8; k++) {
    const [dz, dy, dx] = CUBE_CORNERS[k];
    const columnBit = 1 << (dz * 2 + dy);
    for (let code = 0; code < 16; code++) {
      if ((code & columnBit) === 0) continue;
      if (dx === 0) leftBits[code] |= 1 << k;
      else rightBits[code] |= 1 << k;
    }
  }
  const ez = new Float64Array(12);
  const ey = new Float64Array(12);
  const ex = new Float64Array(12);
  for (let e = 0; e < 12; e++) {
    [ez[e], ey[e], ex[e]] = CUBE_EDGE_MIDPOINTS[e];
  }
  const slab = nx * ny;
  let area = 0;
  let volume = 0;
  for (let iz = 0; iz < nz - 1; iz++) {
    for (let iy = 0; iy < ny - 1; iy++) {
      const r00 = nx * (iy + ny * iz);
      const r01 = r00 + nx;
      const r10 = r00 + slab;
      const r11 = r10 + nx;
      let left = grid[r00] | (grid[r01] << 1) | (grid[r10] << 2) | (grid[r11] << 3);
      for (let ix = 0; ix < nx - 1; ix++) {
        const j = ix + 1;
        const right =
          grid[r00 + j] | (grid[r01 + j] << 1) | (grid[r10 + j] << 2) | (grid[r11 + j] << 3);
        let cube = leftBits[left] | rightBits[right];
        left = right;
        if (cube === 0 || cube === 0xff) continue;
        let sign = 1;
        if (cube & 0x80) {
          cube ^= 0xff;
          sign = -1;
        }
        const end = CUBE_TRIANGLE_OFFSETS[cube + 1];
        for (let t = CUBE_TRIANGLE_OFFSETS[cube]; t < end; t += 3) {
          const ea = CUBE_TRIANGLES[t];
          const eb = CUBE_TRIANGLES[t + 1];
          const ec = CUBE_TRIANGLES[t + 2];
          const a0 = (iz + ez[ea]) * sz;
          const a1 = (iy + ey[ea]) * sy;
          const a2 = (ix + ex[ea]) * sx;
          const b0 = (iz + ez[eb]) * sz;
          const b1 = (iy + ey[eb]) * sy;
          const b2 = (ix + ex[eb]) * sx;
          const c0 = (iz + ez[ec]) * sz;
          const c1 = (iy + ey[ec]) * sy;
          const c2 = (ix + ex[ec]) * sx;
          // Signed volume term: (a x b) . c
          const v0 = a1 * b2 - b1 * a2;
          const v1 = a2 * b0 - b2 * a0;
          const v2 = a0 * b1 - b0 * a1;
          volume += sign * (v0 * c0 + v1 * c1 + v2 * c2);
          // Area: |(a - c) x (b - c)| / 2
          const p0 = a0 - c0;
          const p1 = a1 - c1;
          const p2 = a2 - c2;
          const q0 = b0 - c0;
          const q1 = b1 - c1;
          const q2 = b2 - c2;
          const w0 = p1 * q2 - q1 * p2;
          const w1 = p2 * q0 - q2 * p0;
          const w2 = p0 * q1 - q0 * p1;
          area += 0.5 * Math.sqrt(w0 * w0 + w1 * w1 + w2 * w2);
        }
      }
    }
  }
  return { surfaceArea: area, volume: volume / 6 };
}

export interface MeshDiameters {
  /** Largest vertex distance among vertices sharing a z coordinate (Maximum2DDiameterSlice). */
  slice: number;
  /** ... sharing a y coordinate (Maximum2DDiameterColumn). */
  column: number;
  /** ... sharing an x coordinate (Maximum2DDiameterRow). */
  row: number;
  /** Largest distance between any two vertices (Maximum3DDiameter). */
  overall: number;
}

/**
 * PyRadiomics' mesh diameters (cshape.c calculate_meshDiameter): maxima of sqrt(dz^2 + dy^2 + dx^2)
 * over pairs of mesh vertices (midpoints of grid edges whose two voxels differ), overall and within
 * planes of equal z / y / x. Evaluated exactly on convex hull vertices (see latticeHull.ts).
 */
export function meshDiameters(grid: Uint8Array, size: Vec3, spacing: Vec3): MeshDiameters {
  const [nx, ny, nz] = size;
  const hx = 2 * nx - 1;
  const hy = 2 * ny - 1;
  const hz = 2 * nz - 1;
  const zPlanes = new PlaneRowExtents(hz, hy); // plane hz, row hy, col hx
  const yPlanes = new PlaneRowExtents(hy, hz); // plane hy, row hz, col hx
  const xPlanes = new PlaneRowExtents(hx, hz); // plane hx, row hz, col hy
  const addVertex = (vz: number, vy: number, vx: number): void => {
    zPlanes.add(vz, vy, vx);
    yPlanes.add(vy, vz, vx);
    xPlanes.add(vx, vz, vy);
  };
  const slab = nx * ny;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      for (let x = 0; x < nx; x++) {
        const i = row + x;
        const v = grid[i];
        if (x + 1 < nx && grid[i + 1] !== v) addVertex(2 * z, 2 * y, 2 * x + 1);
        if (y + 1 < ny && grid[i + nx] !== v) addVertex(2 * z, 2 * y + 1, 2 * x);
        if (z + 1 < nz && grid[i + slab] !== v) addVertex(2 * z + 1, 2 * y, 2 * x);
      }
    }
  }
  const cz = halfUnitCoordinates(hz, spacing[2]);
  const cy = halfUnitCoordinates(hy, spacing[1]);
  const cx = halfUnitCoordinates(hx, spacing[0]);

  const maxRows = Math.max(hx, hy, hz);
  const scratch = new Int32Array(4 * maxRows + 4);
  const hull = new Int32Array(4 * maxRows + 4);
  const p0 = new Float64Array(2 * maxRows + 2);
  const p1 = new Float64Array(2 * maxRows + 2);
  const p2 = new Float64Array(2 * maxRows + 2);
  const keys: Float64Array[] = [];

  // One family of planes: per-plane diameters and the keys (z, y, x) of all hull vertices.
  const family = (
    planes: PlaneRowExtents,
    toZyx: (plane: number, row: number, col: number, out: Int32Array) => void,
  ): number => {
    let best = 0;
    const found: number[] = [];
    const zyx = new Int32Array(3);
    for (let plane = 0; plane < planes.planes; plane++) {
      const n = planes.hullOfPlane(plane, hull, scratch);
      if (n === 0) continue;
      for (let k = 0; k < n; k++) {
        toZyx(plane, hull[2 * k], hull[2 * k + 1], zyx);
        p0[k] = cz[zyx[0]];
        p1[k] = cy[zyx[1]];
        p2[k] = cx[zyx[2]];
        found.push((zyx[0] * hy + zyx[1]) * hx + zyx[2]);
      }
      // No pair of this plane can beat `best` when its bounding box diagonal does not: each
      // coordinate difference is at most the box extent, and rounding is monotone.
      if (boxDiagonalSquared(p0, p1, p2, n) <= best) continue;
      const d = maxSquaredDistance(p0, p1, p2, n);
      if (d > best) best = d;
    }
    keys.push(Float64Array.from(found).sort());
    return best;
  };
  const slice = family(zPlanes, (plane, row, col, out) => {
    out[0] = plane;
    out[1] = row;
    out[2] = col;
  });
  const column = family(yPlanes, (plane, row, col, out) => {
    out[0] = row;
    out[1] = plane;
    out[2] = col;
  });
  const rowDiameter = family(xPlanes, (plane, row, col, out) => {
    out[0] = row;
    out[1] = col;
    out[2] = plane;
  });

  // 3D extreme points are extreme in all three of their axis-aligned planes.
  const candidates = intersectSorted(intersectSorted(keys[0], keys[1]), keys[2]);
  const n = candidates.length;
  const q0 = new Float64Array(n);
  const q1 = new Float64Array(n);
  const q2 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const key = candidates[k];
    const vx = key % hx;
    const rest = (key - vx) / hx;
    const vy = rest % hy;
    const vz = (rest - vy) / hy;
    q0[k] = cz[vz];
    q1[k] = cy[vy];
    q2[k] = cx[vx];
  }
  const overall = maxSquaredDistance(q0, q1, q2, n);
  return {
    slice: Math.sqrt(slice),
    column: Math.sqrt(column),
    row: Math.sqrt(rowDiameter),
    overall: Math.sqrt(overall),
  };
}

/** (e0^2 + e1^2) + e2^2 with e = max - min of each coordinate column (first n entries). */
function boxDiagonalSquared(
  c0: Float64Array,
  c1: Float64Array,
  c2: Float64Array,
  n: number,
): number {
  let lo0 = c0[0];
  let hi0 = lo0;
  let lo1 = c1[0];
  let hi1 = lo1;
  let lo2 = c2[0];
  let hi2 = lo2;
  for (let k = 1; k < n; k++) {
    const v0 = c0[k];
    const v1 = c1[k];
    const v2 = c2[k];
    if (v0 < lo0) lo0 = v0;
    if (v0 > hi0) hi0 = v0;
    if (v1 < lo1) lo1 = v1;
    if (v1 > hi1) hi1 = v1;
    if (v2 < lo2) lo2 = v2;
    if (v2 > hi2) hi2 = v2;
  }
  const e0 = hi0 - lo0;
  const e1 = hi1 - lo1;
  const e2 = hi2 - lo2;
  return e0 * e0 + e1 * e1 + e2 * e2;
}

function intersectSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] < b[j]) i++;
    else if (a[i] > b[j]) j++;
    else {
      out[n++] = a[i];
      i++;
      j++;
    }
  }
  return out.subarray(0, n);
}

/** Physical coordinates (numpy order z, y, x) of the ROI voxels of a padded grid, in C order. */
function voxelCoordinates(
  grid: Uint8Array,
  size: Vec3,
  spacing: Vec3,
  count: number,
): Float64Array[] {
  const [nx, ny, nz] = size;
  const cz = new Float64Array(count);
  const cy = new Float64Array(count);
  const cx = new Float64Array(count);
  let k = 0;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (grid[i] === 0) continue;
        cz[k] = z * spacing[2];
        cy[k] = y * spacing[1];
        cx[k] = x * spacing[0];
        k++;
      }
    }
  }
  return [cz, cy, cx];
}

/**
 * PyRadiomics 3D shape features of a binary mask (x fastest, nonzero = ROI) with voxel `spacing`
 * (x, y, z, mm). Formulas (shape.py): with mesh volume V and surface area A,
 * SurfaceVolumeRatio = A / V, Sphericity = (36 pi V^2)^(1/3) / A, Compactness1 = V / (A^(3/2) sqrt(pi)),
 * Compactness2 = 36 pi V^2 / A^3, SphericalDisproportion = A / (36 pi V^2)^(1/3),
 * VoxelVolume = Np * (sz * sx * sy); with principal moments l0 <= l1 <= l2: Major/Minor/LeastAxisLength =
 * 4 sqrt(l2 / l1 / l0), Elongation = sqrt(l1 / l2), Flatness = sqrt(l0 / l2) (NaN for a negative moment,
 * as PyRadiomics).
 */
export function computeShapeFeatures(
  mask: Uint8Array,
  size: Vec3,
  spacing: Vec3,
  names: readonly string[],
): FeatureValues {
  const what = "shape";
  validateMaskInput(what, mask, size, spacing);
  checkFeatureNames(what, SHAPE_CLASS, names);
  const roi = cropAndPadRoi(what, mask, size, true);
  const needs = (set: Set<string>): boolean => names.some((n) => set.has(n));

  const mesh = needs(MESH_FEATURES) ? marchingCubes(roi.data, roi.size, spacing) : undefined;
  const diameters = needs(DIAMETER_FEATURES)
    ? meshDiameters(roi.data, roi.size, spacing)
    : undefined;
  const moments = needs(AXIS_FEATURES)
    ? principalMoments(voxelCoordinates(roi.data, roi.size, spacing, roi.count))
    : undefined;

  const out: FeatureValues = {};
  for (const name of names)
    out[name] = shapeFeature(name, roi.count, spacing, mesh, diameters, moments);
  return out;
}

function shapeFeature(
  name: string,
  count: number,
  spacing: Vec3,
  mesh: MarchingCubesResult | undefined,
  diameters: MeshDiameters | undefined,
  moments: Float64Array | undefined,
): number {
  const V = mesh?.volume ?? Number.NaN;
  const A = mesh?.surfaceArea ?? Number.NaN;
  const m = moments ?? new Float64Array(3);
  const axis = (l: number): number => (l < 0 ? Number.NaN : Math.sqrt(l) * 4);
  const ratio = (small: number, large: number): number =>
    small < 0 || large < 0 ? Number.NaN : Math.sqrt(small / large);
  switch (name) {
    case "MeshVolume":
      return V;
    case "SurfaceArea":
      return A;
    case "SurfaceVolumeRatio":
      return A / V;
    case "Sphericity":
      return (36 * Math.PI * V ** 2) ** (1 / 3) / A;
    case "Compactness1":
      return V / (A ** (3 / 2) * Math.sqrt(Math.PI));
    case "Compactness2":
      return (36 * Math.PI * V ** 2) / A ** 3;
    case "SphericalDisproportion":
      return A / (36 * Math.PI * V ** 2) ** (1 / 3);
    case "VoxelVolume":
      return count * (spacing[2] * spacing[0] * spacing[1]);
    case "Maximum3DDiameter":
      return diameters?.overall ?? Number.NaN;
    case "Maximum2DDiameterSlice":
      return diameters?.slice ?? Number.NaN;
    case "Maximum2DDiameterColumn":
      return diameters?.column ?? Number.NaN;
    case "Maximum2DDiameterRow":
      return diameters?.row ?? Number.NaN;
    case "MajorAxisLength":
      return axis(m[2]);
    case "MinorAxisLength":
      return axis(m[1]);
    case "LeastAxisLength":
      return axis(m[0]);
    case "Elongation":
      return ratio(m[1], m[2]);
    case "Flatness":
      return ratio(m[0], m[2]);
    default:
      throw new Error(`shape: unknown feature '${name}'`);
  }
}
