/**
 * The ROI mesh vertex set X_vx (IBSI-1 manual, "Mesh-based representation", WRJH) as far as the
 * convex hull needs it.
 *
 * Marching cubes at level 0.5 on a 0/1 mask padded with zeros (as MIRP, the IBSI reference
 * implementation, meshes the morphological mask with skimage's marching cubes) places one vertex on
 * every cube edge whose two voxels differ, at the linear interpolation of 0 and 1: the edge's
 * midpoint. Cube edges join 6-neighbours, so X_vx is exactly the set of midpoints between an ROI
 * voxel and a non-ROI 6-neighbour. (Lewiner's variant may add vertices inside a cube, but as
 * averages of that cube's edge vertices they lie inside the hull of X_vx.) In "half units" (twice the
 * voxel index) every vertex has integer coordinates with exactly one odd coordinate, which makes the
 * hull's orientation tests exact.
 *
 * Only extreme points of X_vx can be vertices of its convex hull, and a point strictly between two
 * other points of a set is not extreme: on every axis-parallel line only the two outermost vertices
 * are kept, axis after axis; then, in every axis-aligned plane, only the vertices of the plane's 2D
 * hull (radscore's lattice hull, src/features/mesh/latticeHull.ts). This shrinks tens of thousands
 * of vertices to a few hundred candidates without changing the hull.
 */
import { PlaneRowExtents } from "../../../features/mesh/latticeHull.js";
import type { Vec3 } from "../../../image/volume.js";

/** Vertices in half units: (hx, hy, hz) triples, physical = h / 2 * spacing (+ a fixed offset). */
export interface HalfUnitPoints {
  /** x, y, z of point k at 3k, 3k + 1, 3k + 2. */
  coordinates: Int32Array;
  count: number;
}

/** All marching-cubes vertices of a zero-padded 0/1 grid (x fastest), in half units. */
export function meshVertices(grid: Uint8Array, size: Vec3): HalfUnitPoints {
  const [nx, ny, nz] = size;
  const sliceSize = nx * ny;
  let capacity = 1024;
  let coordinates = new Int32Array(3 * capacity);
  let count = 0;
  const push = (hx: number, hy: number, hz: number): void => {
    if (count === capacity) {
      capacity *= 2;
      const grown = new Int32Array(3 * capacity);
      grown.set(coordinates);
      coordinates = grown;
    }
    coordinates[3 * count] = hx;
    coordinates[3 * count + 1] = hy;
    coordinates[3 * count + 2] = hz;
    count++;
  };
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = z * sliceSize + y * nx;
      for (let x = 0; x < nx; x++) {
        const i = row + x;
        const v = grid[i];
        if (x + 1 < nx && grid[i + 1] !== v) push(2 * x + 1, 2 * y, 2 * z);
        if (y + 1 < ny && grid[i + nx] !== v) push(2 * x, 2 * y + 1, 2 * z);
        if (z + 1 < nz && grid[i + sliceSize] !== v) push(2 * x, 2 * y, 2 * z + 1);
      }
    }
  }
  return { coordinates: coordinates.slice(0, 3 * count), count };
}

/**
 * The points of `points` that are outermost on their line parallel to `axis` (0 = x, 1 = y, 2 = z).
 * `extent` bounds the half-unit coordinates (0 <= h < extent[d]).
 */
function lineExtremes(points: HalfUnitPoints, axis: number, extent: Vec3): HalfUnitPoints {
  const a = (axis + 1) % 3;
  const b = (axis + 2) % 3;
  const lines = extent[a] * extent[b];
  const low = new Int32Array(lines).fill(0x7fffffff);
  const high = new Int32Array(lines).fill(-1);
  const c = points.coordinates;
  for (let k = 0; k < points.count; k++) {
    const line = c[3 * k + a] * extent[b] + c[3 * k + b];
    const h = c[3 * k + axis];
    if (h < low[line]) low[line] = h;
    if (h > high[line]) high[line] = h;
  }
  const kept = new Int32Array(3 * points.count);
  let count = 0;
  for (let k = 0; k < points.count; k++) {
    const line = c[3 * k + a] * extent[b] + c[3 * k + b];
    const h = c[3 * k + axis];
    if (h !== low[line] && h !== high[line]) continue;
    kept[3 * count] = c[3 * k];
    kept[3 * count + 1] = c[3 * k + 1];
    kept[3 * count + 2] = c[3 * k + 2];
    count++;
  }
  return { coordinates: kept.slice(0, 3 * count), count };
}

/**
 * The points of `points` that are vertices of the 2D convex hull of the points sharing their plane
 * normal to `axis`: a vertex of the 3D hull is a vertex of its section by any plane through it.
 */
function planeHullVertices(points: HalfUnitPoints, axis: number, extent: Vec3): HalfUnitPoints {
  const a = (axis + 1) % 3;
  const b = (axis + 2) % 3;
  const lattice = new PlaneRowExtents(extent[axis], extent[a]);
  const c = points.coordinates;
  for (let k = 0; k < points.count; k++) lattice.add(c[3 * k + axis], c[3 * k + a], c[3 * k + b]);
  const kept = new Set<number>();
  const out = new Int32Array(4 * extent[a] + 4);
  const scratch = new Int32Array(4 * extent[a] + 4);
  for (let plane = 0; plane < extent[axis]; plane++) {
    const n = lattice.hullOfPlane(plane, out, scratch);
    for (let i = 0; i < n; i++)
      kept.add((plane * extent[a] + out[2 * i]) * extent[b] + out[2 * i + 1]);
  }
  const result = new Int32Array(3 * points.count);
  let count = 0;
  for (let k = 0; k < points.count; k++) {
    const key = (c[3 * k + axis] * extent[a] + c[3 * k + a]) * extent[b] + c[3 * k + b];
    if (!kept.has(key)) continue;
    result.set(c.subarray(3 * k, 3 * k + 3), 3 * count);
    count++;
  }
  return { coordinates: result.slice(0, 3 * count), count };
}

/**
 * A subset of the mesh vertices of the padded grid that contains every vertex of their convex
 * hull (so the same hull, diameter and enclosing shapes): the outermost points of every
 * axis-parallel line, then the 2D hull vertices of every axis-aligned plane.
 */
export function hullCandidateVertices(grid: Uint8Array, size: Vec3): HalfUnitPoints {
  const extent: Vec3 = [2 * size[0], 2 * size[1], 2 * size[2]];
  let points = meshVertices(grid, size);
  for (const axis of [0, 1, 2]) points = lineExtremes(points, axis, extent);
  for (const axis of [2, 1, 0]) points = planeHullVertices(points, axis, extent);
  return points;
}
