/**
 * Bounding boxes of the ROI mesh (IBSI-1 manual: "Volume density (axis-aligned bounding box)" PBX1,
 * "Area density (AABB)" R59B, "Volume density (oriented minimum bounding box)" ZH1A, "Area density
 * (OMBB)" IQYR).
 *
 * AABB: the extents of the hull vertices along x, y and z (the same box as the full mesh's).
 *
 * OMBB: the manual allows an approximation of O'Rourke's exact 3D rotating calipers (it names
 * Barequet & Har-Peled 2001 and Chan & Tan 2001), and IBSI gives no reference values. Here the box
 * is the smallest among the boxes with one face flush with a face of the convex hull: for every
 * distinct hull face normal, the hull is projected onto the plane normal to it and the minimum-area
 * enclosing rectangle of the projection is found exactly by 2D rotating calipers (Freeman & Shapira
 * 1975: one rectangle side is flush with a hull edge), times the hull's extent along the normal.
 * That is an upper bound of the true minimum (whose box may touch the hull only along edges), exact
 * for boxes, prisms and every shape whose optimal box has a face on the hull. (MIRP instead rotates
 * about the axes in three sequential 1D searches; its area density returns the volume ratio, a bug.)
 */
import type { Vec3 } from "../../../image/volume.js";

export interface Box {
  /** Edge lengths (mm). */
  dimensions: Vec3;
  volume: number;
  area: number;
}

function box(a: number, b: number, c: number): Box {
  return { dimensions: [a, b, c], volume: a * b * c, area: 2 * (a * b + a * c + b * c) };
}

/** Axis-aligned bounding box of points (x, y, z at 3k..3k+2). */
export function axisAlignedBoundingBox(points: Float64Array): Box {
  const low = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const high = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let k = 0; k < points.length; k += 3) {
    for (let d = 0; d < 3; d++) {
      const v = points[k + d];
      if (v < low[d]) low[d] = v;
      if (v > high[d]) high[d] = v;
    }
  }
  return box(high[0] - low[0], high[1] - low[1], high[2] - low[2]);
}

/**
 * Oriented bounding box of `points` (the hull vertices, mm) of least volume among those with a face
 * normal to one of `normals` (unit vectors, x, y, z at 3k..3k+2).
 */
export function orientedMinimumBoundingBox(points: Float64Array, normals: Float64Array): Box {
  const n = points.length / 3;
  const u = new Float64Array(n);
  const v = new Float64Array(n);
  const order = new Int32Array(n);
  const scratch = new Int32Array(n);
  const hull = new Int32Array(2 * n + 1);
  let best = box(Number.NaN, Number.NaN, Number.NaN);
  for (let k = 0; k < normals.length; k += 3) {
    const [nx, ny, nz] = [normals[k], normals[k + 1], normals[k + 2]];
    // An orthonormal basis (e1, e2) of the plane normal to (nx, ny, nz).
    const helper = Math.abs(nx) < 0.6 ? [1, 0, 0] : [0, 1, 0];
    let [ax, ay, az] = [
      helper[1] * nz - helper[2] * ny,
      helper[2] * nx - helper[0] * nz,
      helper[0] * ny - helper[1] * nx,
    ];
    const norm = Math.hypot(ax, ay, az);
    [ax, ay, az] = [ax / norm, ay / norm, az / norm];
    const [bx, by, bz] = [ny * az - nz * ay, nz * ax - nx * az, nx * ay - ny * ax];
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      // Plain consts, not a destructured array: cold code would allocate one per point.
      const px = points[3 * i];
      const py = points[3 * i + 1];
      const pz = points[3 * i + 2];
      const h = nx * px + ny * py + nz * pz;
      if (h < low) low = h;
      if (h > high) high = h;
      u[i] = ax * px + ay * py + az * pz;
      v[i] = bx * px + by * py + bz * pz;
    }
    const count = convexHull2d(u, v, order, scratch, hull);
    const [width, depth] = minimumAreaRectangle(u, v, hull, count);
    const candidate = box(width, depth, high - low);
    if (!(candidate.volume >= best.volume)) best = candidate;
  }
  return best;
}

/** 2D convex hull (Andrew's monotone chain), counter-clockwise point indices; returns the count. */
function convexHull2d(
  u: Float64Array,
  v: Float64Array,
  order: Int32Array,
  scratch: Int32Array,
  hull: Int32Array,
): number {
  const n = u.length;
  sortByCoordinates(u, v, order, scratch);
  const cross = (o: number, a: number, b: number) =>
    (u[a] - u[o]) * (v[b] - v[o]) - (v[a] - v[o]) * (u[b] - u[o]);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const p = order[i];
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], p) <= 0) k--;
    hull[k++] = p;
  }
  for (let i = n - 2, lower = k + 1; i >= 0; i--) {
    const p = order[i];
    while (k >= lower && cross(hull[k - 2], hull[k - 1], p) <= 0) k--;
    hull[k++] = p;
  }
  return Math.max(k - 1, 1);
}

/**
 * order = the point indices 0..n-1 sorted by u, then v (a bottom-up merge sort with the
 * comparison inline: the hull runs it once per face normal, where a comparator callback dominated).
 */
function sortByCoordinates(
  u: Float64Array,
  v: Float64Array,
  order: Int32Array,
  scratch: Int32Array,
): void {
  const n = u.length;
  let from = order;
  let to = scratch;
  for (let i = 0; i < n; i++) from[i] = i;
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) {
        const i = from[a]!;
        const j = from[b]!;
        // Stable: take from the left run unless the right one is strictly smaller.
        if (u[j]! < u[i]! || (u[j] === u[i] && v[j]! < v[i]!)) {
          to[k++] = j;
          b++;
        } else {
          to[k++] = i;
          a++;
        }
      }
      while (a < mid) to[k++] = from[a++]!;
      while (b < hi) to[k++] = from[b++]!;
    }
    [from, to] = [to, from];
  }
  if (from !== order) order.set(from);
}

/**
 * Side lengths of the minimum-area rectangle enclosing a convex polygon (counter-clockwise indices
 * hull[0..count-1] into u, v), by rotating calipers over the polygon's edges.
 */
function minimumAreaRectangle(
  u: Float64Array,
  v: Float64Array,
  hull: Int32Array,
  count: number,
): [number, number] {
  if (count < 3) {
    // A segment or a point: the rectangle degenerates to its length.
    const a = hull[0];
    const b = hull[count - 1];
    return [Math.hypot(u[b] - u[a], v[b] - v[a]), 0];
  }
  const at = (i: number) => hull[i % count];
  let bestArea = Number.POSITIVE_INFINITY;
  let best: [number, number] = [0, 0];
  // Calipers: farthest along the edge (right), farthest from the edge (top), least along it (left).
  let right = 1;
  let top = 1;
  let left = 1;
  for (let i = 0; i < count; i++) {
    const p = at(i);
    const q = at(i + 1);
    const length = Math.hypot(u[q] - u[p], v[q] - v[p]);
    if (length === 0) continue;
    const dx = (u[q] - u[p]) / length;
    const dy = (v[q] - v[p]) / length;
    const along = (k: number) => (u[at(k)] - u[p]) * dx + (v[at(k)] - v[p]) * dy;
    const away = (k: number) => (v[at(k)] - v[p]) * dx - (u[at(k)] - u[p]) * dy;
    if (right < i + 1) right = i + 1;
    while (along(right + 1) >= along(right) && right < i + count) right++;
    if (top < right) top = right;
    while (away(top + 1) >= away(top) && top < i + count) top++;
    if (left < top) left = top;
    while (along(left + 1) <= along(left) && left < i + count) left++;
    const width = along(right) - along(left);
    const height = away(top);
    if (width * height < bestArea) {
      bestArea = width * height;
      best = [width, height];
    }
  }
  return best;
}
