/**
 * The oriented minimum bounding box of IBSI mode's morphology (src/ibsi/features/morphology/
 * bounding-boxes.ts documents the method: for every distinct hull face normal, the hull vertices
 * projected onto the plane normal to it, their 2D convex hull by Andrew's monotone chain after a
 * stable merge sort, and the minimum-area enclosing rectangle by rotating calipers, Freeman &
 * Shapira 1975), with the same operations in the same order as the TypeScript it replaced and
 * Math.hypot imported from JavaScript, so the box is the same bit for bit.
 *
 * points: n vertices (f64 x, y, z); normals: m unit vectors (f64 x, y, z); u, v (f64 n), order,
 * scratch (i32 n) and hull (i32 2n + 1) are work arrays; out (f64 3) receives the box's edges
 * (NaN when no normal gives one).
 */
import { hypot2, hypot3 } from "./math";

function f64At(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}

function setI32(base: usize, i: i32, value: i32): void {
  store<i32>(base + ((<usize>i) << 2), value);
}

/** order = 0..n-1 sorted by u, then v (stable bottom-up merge sort). */
function sortByCoordinates(u: usize, v: usize, n: i32, order: usize, scratch: usize): void {
  let from = order;
  let to = scratch;
  for (let i = 0; i < n; i++) setI32(from, i, i);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = min(lo + width, n);
      const hi = min(lo + 2 * width, n);
      let a = lo;
      let b = mid;
      let k = lo;
      while (a < mid && b < hi) {
        const i = i32At(from, a);
        const j = i32At(from, b);
        const uj = f64At(u, j);
        const ui = f64At(u, i);
        if (uj < ui || (uj === ui && f64At(v, j) < f64At(v, i))) {
          setI32(to, k++, j);
          b++;
        } else {
          setI32(to, k++, i);
          a++;
        }
      }
      while (a < mid) setI32(to, k++, i32At(from, a++));
      while (b < hi) setI32(to, k++, i32At(from, b++));
    }
    const t = from;
    from = to;
    to = t;
  }
  if (from !== order) memory.copy(order, from, (<usize>n) << 2);
}

function cross(u: usize, v: usize, o: i32, a: i32, b: i32): f64 {
  return (
    (f64At(u, a) - f64At(u, o)) * (f64At(v, b) - f64At(v, o)) -
    (f64At(v, a) - f64At(v, o)) * (f64At(u, b) - f64At(u, o))
  );
}

/** Andrew's monotone chain: counter-clockwise indices into hull; returns the count. */
function convexHull2d(u: usize, v: usize, n: i32, order: usize, scratch: usize, hull: usize): i32 {
  sortByCoordinates(u, v, n, order, scratch);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const p = i32At(order, i);
    while (k >= 2 && cross(u, v, i32At(hull, k - 2), i32At(hull, k - 1), p) <= 0) k--;
    setI32(hull, k++, p);
  }
  for (let i = n - 2, lower = k + 1; i >= 0; i--) {
    const p = i32At(order, i);
    while (k >= lower && cross(u, v, i32At(hull, k - 2), i32At(hull, k - 1), p) <= 0) k--;
    setI32(hull, k++, p);
  }
  return max(k - 1, 1);
}

function along(u: usize, v: usize, hull: usize, count: i32, k: i32, p: i32, dx: f64, dy: f64): f64 {
  const q = i32At(hull, k % count);
  return (f64At(u, q) - f64At(u, p)) * dx + (f64At(v, q) - f64At(v, p)) * dy;
}

function away(u: usize, v: usize, hull: usize, count: i32, k: i32, p: i32, dx: f64, dy: f64): f64 {
  const q = i32At(hull, k % count);
  return (f64At(v, q) - f64At(v, p)) * dx - (f64At(u, q) - f64At(u, p)) * dy;
}

/** Width and depth of the minimum-area rectangle of the convex polygon hull[0..count-1]. */
function minimumAreaRectangle(u: usize, v: usize, hull: usize, count: i32, out: usize): void {
  if (count < 3) {
    const a = i32At(hull, 0);
    const b = i32At(hull, count - 1);
    store<f64>(out, hypot2(f64At(u, b) - f64At(u, a), f64At(v, b) - f64At(v, a)));
    store<f64>(out + 8, 0);
    return;
  }
  let bestArea = Infinity;
  let bestWidth = 0.0;
  let bestHeight = 0.0;
  let right = 1;
  let top = 1;
  let left = 1;
  for (let i = 0; i < count; i++) {
    const p = i32At(hull, i % count);
    const q = i32At(hull, (i + 1) % count);
    const length = hypot2(f64At(u, q) - f64At(u, p), f64At(v, q) - f64At(v, p));
    if (length === 0) continue;
    const dx = (f64At(u, q) - f64At(u, p)) / length;
    const dy = (f64At(v, q) - f64At(v, p)) / length;
    if (right < i + 1) right = i + 1;
    while (
      along(u, v, hull, count, right + 1, p, dx, dy) >=
        along(u, v, hull, count, right, p, dx, dy) &&
      right < i + count
    )
      right++;
    if (top < right) top = right;
    while (
      away(u, v, hull, count, top + 1, p, dx, dy) >= away(u, v, hull, count, top, p, dx, dy) &&
      top < i + count
    )
      top++;
    if (left < top) left = top;
    while (
      along(u, v, hull, count, left + 1, p, dx, dy) <= along(u, v, hull, count, left, p, dx, dy) &&
      left < i + count
    )
      left++;
    const width =
      along(u, v, hull, count, right, p, dx, dy) - along(u, v, hull, count, left, p, dx, dy);
    const height = away(u, v, hull, count, top, p, dx, dy);
    if (width * height < bestArea) {
      bestArea = width * height;
      bestWidth = width;
      bestHeight = height;
    }
  }
  store<f64>(out, bestWidth);
  store<f64>(out + 8, bestHeight);
}

export function orientedMinimumBox(
  points: usize,
  n: i32,
  normals: usize,
  m: i32,
  u: usize,
  v: usize,
  order: usize,
  scratch: usize,
  hull: usize,
  rectangle: usize,
  out: usize,
): void {
  let bestA = NaN;
  let bestB = NaN;
  let bestC = NaN;
  let bestVolume = NaN;
  for (let k = 0; k < m; k++) {
    const nx = f64At(normals, 3 * k);
    const ny = f64At(normals, 3 * k + 1);
    const nz = f64At(normals, 3 * k + 2);
    // An orthonormal basis (e1, e2) of the plane normal to (nx, ny, nz).
    const h0: f64 = Math.abs(nx) < 0.6 ? 1 : 0;
    const h1: f64 = Math.abs(nx) < 0.6 ? 0 : 1;
    const h2: f64 = 0;
    let ax = h1 * nz - h2 * ny;
    let ay = h2 * nx - h0 * nz;
    let az = h0 * ny - h1 * nx;
    const norm = hypot3(ax, ay, az);
    ax = ax / norm;
    ay = ay / norm;
    az = az / norm;
    const bx = ny * az - nz * ay;
    const by = nz * ax - nx * az;
    const bz = nx * ay - ny * ax;
    let low = Infinity;
    let high = -Infinity;
    for (let i = 0; i < n; i++) {
      const px = f64At(points, 3 * i);
      const py = f64At(points, 3 * i + 1);
      const pz = f64At(points, 3 * i + 2);
      const h = nx * px + ny * py + nz * pz;
      if (h < low) low = h;
      if (h > high) high = h;
      store<f64>(u + ((<usize>i) << 3), ax * px + ay * py + az * pz);
      store<f64>(v + ((<usize>i) << 3), bx * px + by * py + bz * pz);
    }
    const count = convexHull2d(u, v, n, order, scratch, hull);
    minimumAreaRectangle(u, v, hull, count, rectangle);
    const width = load<f64>(rectangle);
    const depth = load<f64>(rectangle + 8);
    const extent = high - low;
    const volume = width * depth * extent;
    if (!(volume >= bestVolume)) {
      bestA = width;
      bestB = depth;
      bestC = extent;
      bestVolume = volume;
    }
  }
  store<f64>(out, bestA);
  store<f64>(out + 8, bestB);
  store<f64>(out + 16, bestC);
}
