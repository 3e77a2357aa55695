/**
 * Exact maximum diameters of a mesh vertex set without comparing all pairs.
 *
 * PyRadiomics (cshape.c, calculate_meshDiameter) takes the largest Euclidean distance over all pairs of
 * mesh vertices, overall and among pairs that share a z (Slice), y (Column) or x (Row) coordinate. Mesh
 * vertices are edge midpoints, i.e. points of the half-voxel lattice, which we index by integers
 * ("half units": h = 2 * index or 2 * index + 1).
 *
 * The farthest pair of a point set is a pair of extreme points of its convex hull: for a point p inside
 * the hull, p = sum(l_i v_i) over hull vertices, and sum(l_i |v_i - q|^2) = |p - q|^2 + sum(l_i |v_i - p|^2),
 * so some vertex is farther from q by at least the squared distance between distinct lattice points
 * (>= (min spacing / 2)^2), far beyond floating-point error. Hence the floating-point maximum over the
 * extreme points equals PyRadiomics' maximum over all pairs, bit for bit. Within one lattice row only the
 * two end points can be extreme; a 3D extreme point is extreme in each of its three axis-aligned planes.
 * Hulls are built with Andrew's monotone chain on integer coordinates (exact orientation tests).
 * Used here by the 2D shape class; the 3D shape class runs the same method as WebAssembly
 * (src/kernels/assembly/mesh.ts).
 */

/** Per plane and row of a family of parallel lattice planes: the lowest and highest column seen. */
export class PlaneRowExtents {
  readonly planes: number;
  readonly rows: number;
  readonly min: Int32Array;
  readonly max: Int32Array;

  constructor(planes: number, rows: number) {
    this.planes = planes;
    this.rows = rows;
    this.min = new Int32Array(planes * rows).fill(0x7fffffff);
    this.max = new Int32Array(planes * rows).fill(-1);
  }

  add(plane: number, row: number, col: number): void {
    const k = plane * this.rows + row;
    if (col < this.min[k]) this.min[k] = col;
    if (col > this.max[k]) this.max[k] = col;
  }

  /**
   * Strict convex hull vertices (no collinear points) of the points in `plane`, written as
   * (row, col) pairs into `out` (length >= 4 * rows + 4); returns the number of vertices.
   */
  hullOfPlane(plane: number, out: Int32Array, scratch: Int32Array): number {
    // Points sorted by (row, col): the row's minimum then its maximum.
    let n = 0;
    const base = plane * this.rows;
    for (let r = 0; r < this.rows; r++) {
      const hi = this.max[base + r];
      if (hi < 0) continue;
      const lo = this.min[base + r];
      scratch[2 * n] = r;
      scratch[2 * n + 1] = lo;
      n++;
      if (hi !== lo) {
        scratch[2 * n] = r;
        scratch[2 * n + 1] = hi;
        n++;
      }
    }
    return monotoneChain(scratch, n, out);
  }
}

/** Cross product (a - o) x (b - o) of integer points: exact for coordinates below 2^25. */
function cross(p: Int32Array, o: number, a: number, b: number): number {
  return (
    (p[2 * a] - p[2 * o]) * (p[2 * b + 1] - p[2 * o + 1]) -
    (p[2 * a + 1] - p[2 * o + 1]) * (p[2 * b] - p[2 * o])
  );
}

/**
 * Andrew's monotone chain on `n` points sorted lexicographically (pairs in `pts`), dropping collinear
 * points; the hull's vertices go to `out` as pairs. Returns their count (n when n <= 1).
 */
function monotoneChain(pts: Int32Array, n: number, out: Int32Array): number {
  if (n <= 2) {
    out.set(pts.subarray(0, 2 * n));
    return n;
  }
  const idx = new Int32Array(2 * n + 1);
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k >= 2 && cross(pts, idx[k - 2], idx[k - 1], i) <= 0) k--;
    idx[k++] = i;
  }
  const lowerEnd = k + 1;
  for (let i = n - 2; i >= 0; i--) {
    while (k >= lowerEnd && cross(pts, idx[k - 2], idx[k - 1], i) <= 0) k--;
    idx[k++] = i;
  }
  // The last point repeats the first.
  const count = k - 1;
  if (count < 2) {
    // All points coincide (cannot happen for distinct sorted points, kept for safety).
    out[0] = pts[0];
    out[1] = pts[1];
    return 1;
  }
  for (let i = 0; i < count; i++) {
    out[2 * i] = pts[2 * idx[i]];
    out[2 * i + 1] = pts[2 * idx[i] + 1];
  }
  return count;
}

/**
 * Physical coordinate of each half-unit lattice index along one axis, computed as PyRadiomics does:
 * (index + offset) * spacing with offset 0 or 0.5, i.e. (h / 2) * spacing.
 */
export function halfUnitCoordinates(count: number, spacing: number): Float64Array {
  const out = new Float64Array(count);
  for (let h = 0; h < count; h++) out[h] = (h / 2) * spacing;
  return out;
}

/**
 * Largest squared distance between points of one list (coordinates column-wise), with PyRadiomics'
 * sum order ((d0^2 + d1^2) + d2^2). Pass a zero-filled column for a coordinate the points share.
 */
export function maxSquaredDistance(
  c0: Float64Array,
  c1: Float64Array,
  c2: Float64Array,
  n: number,
): number {
  let best = 0;
  for (let i = 1; i < n; i++) {
    const a0 = c0[i];
    const a1 = c1[i];
    const a2 = c2[i];
    for (let j = 0; j < i; j++) {
      const d0 = a0 - c0[j];
      const d1 = a1 - c1[j];
      const d2 = a2 - c2[j];
      const d = d0 * d0 + d1 * d1 + d2 * d2;
      if (d > best) best = d;
    }
  }
  return best;
}
