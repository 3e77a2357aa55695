/**
 * Convex hull of the ROI mesh vertices (IBSI-1 manual: "Maximum 3D diameter" L0JK, "Volume density
 * (convex hull)" R3ER, "Area density (convex hull)" 7T7F; MIRP uses scipy's Qhull).
 *
 * Incremental construction (O'Rourke, Computational Geometry in C, ch. 4: each new point replaces
 * the faces it sees by a cone to their horizon) on integer half-unit coordinates
 * (mesh-vertices.ts), so every orientation test is an exact integer determinant: coordinates below
 * 2^13 keep every product under 2^53. A face is visible from a new point only when the point lies
 * strictly outside its plane; then a new face (u, v, p) never degenerates (p is off the plane of the
 * visible face holding edge uv), and coplanar points on the hull's flat parts are skipped. The hull
 * is a closed triangle mesh, outward oriented, whose volume and area are computed in physical
 * coordinates like the ROI mesh's (IBSI RNU0, C0JK). Checked against scipy's Qhull on the CT
 * phantom and 40 random masks: the same vertices, volume and area (relative 1e-15).
 */
import type { Vec3 } from "../../../image/volume.js";
import type { HalfUnitPoints } from "./mesh-vertices.js";

export interface ConvexHull {
  /** Triangles as point indices (a, b, c at 3f..3f+2), counter-clockwise seen from outside. */
  faces: Int32Array;
  /**
   * Indices of the hull's vertices (extreme points), ascending. The triangles may also use points
   * inside a facet or an edge, inserted before the extreme points that made them non-extreme.
   */
  vertices: Int32Array;
}

/** Largest half-unit coordinate magnitude for which the integer determinants stay exact. */
const EXACT_LIMIT = 1 << 13;

/** Growable face store: vertices, neighbours across each edge, plane (normal, offset), liveness. */
class FaceStore {
  a = new Int32Array(64);
  b = new Int32Array(64);
  c = new Int32Array(64);
  /** Neighbour across edge 0 (a->b), 1 (b->c), 2 (c->a) at 3f + edge. */
  neighbour = new Int32Array(192);
  normal = new Float64Array(192);
  offset = new Float64Array(64);
  alive = new Uint8Array(64);
  /** Scratch mark per face (the insertion step that found it visible). */
  stamp = new Int32Array(64);
  count = 0;

  constructor(private readonly p: Int32Array) {}

  add(a: number, b: number, c: number): number {
    if (this.count === this.a.length) this.grow();
    const f = this.count++;
    this.a[f] = a;
    this.b[f] = b;
    this.c[f] = c;
    const p = this.p;
    const ux = p[3 * b] - p[3 * a];
    const uy = p[3 * b + 1] - p[3 * a + 1];
    const uz = p[3 * b + 2] - p[3 * a + 2];
    const vx = p[3 * c] - p[3 * a];
    const vy = p[3 * c + 1] - p[3 * a + 1];
    const vz = p[3 * c + 2] - p[3 * a + 2];
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    this.normal[3 * f] = nx;
    this.normal[3 * f + 1] = ny;
    this.normal[3 * f + 2] = nz;
    this.offset[f] = nx * p[3 * a] + ny * p[3 * a + 1] + nz * p[3 * a + 2];
    this.alive[f] = 1;
    return f;
  }

  /** Exact: positive when point q lies strictly outside face f's plane. */
  side(f: number, q: number): number {
    const p = this.p;
    return (
      this.normal[3 * f] * p[3 * q] +
      this.normal[3 * f + 1] * p[3 * q + 1] +
      this.normal[3 * f + 2] * p[3 * q + 2] -
      this.offset[f]
    );
  }

  vertex(f: number, k: number): number {
    return k === 0 ? this.a[f] : k === 1 ? this.b[f] : this.c[f];
  }

  private grow(): void {
    const n = 2 * this.a.length;
    const grow32 = (x: Int32Array, m: number) => {
      const y = new Int32Array(m);
      y.set(x);
      return y;
    };
    const grow64 = (x: Float64Array, m: number) => {
      const y = new Float64Array(m);
      y.set(x);
      return y;
    };
    this.a = grow32(this.a, n);
    this.b = grow32(this.b, n);
    this.c = grow32(this.c, n);
    this.neighbour = grow32(this.neighbour, 3 * n);
    this.normal = grow64(this.normal, 3 * n);
    this.offset = grow64(this.offset, n);
    const alive = new Uint8Array(n);
    alive.set(this.alive);
    this.alive = alive;
    this.stamp = grow32(this.stamp, n);
  }
}

/** Four affinely independent points (indices), or throws when the points are coplanar. */
function initialTetrahedron(points: HalfUnitPoints): [number, number, number, number] {
  const p = points.coordinates;
  const n = points.count;
  const sub = (i: number, j: number, d: number) => p[3 * i + d] - p[3 * j + d];
  let i0 = 0;
  for (let k = 1; k < n; k++) if (p[3 * k] < p[3 * i0]) i0 = k;
  let i1 = -1;
  let best = 0;
  for (let k = 0; k < n; k++) {
    const d = sub(k, i0, 0) ** 2 + sub(k, i0, 1) ** 2 + sub(k, i0, 2) ** 2;
    if (d > best) [best, i1] = [d, k];
  }
  let i2 = -1;
  best = 0;
  for (let k = 0; k < n && i1 >= 0; k++) {
    const ux = sub(i1, i0, 0);
    const uy = sub(i1, i0, 1);
    const uz = sub(i1, i0, 2);
    const vx = sub(k, i0, 0);
    const vy = sub(k, i0, 1);
    const vz = sub(k, i0, 2);
    const d = (uy * vz - uz * vy) ** 2 + (uz * vx - ux * vz) ** 2 + (ux * vy - uy * vx) ** 2;
    if (d > best) [best, i2] = [d, k];
  }
  let i3 = -1;
  best = 0;
  for (let k = 0; k < n && i2 >= 0; k++) {
    const d = Math.abs(orientation(p, i0, i1, i2, k));
    if (d > best) [best, i3] = [d, k];
  }
  if (i3 < 0) throw new Error("convex hull: the mesh vertices are coplanar");
  return [i0, i1, i2, i3];
}

/** det[b - a, c - a, d - a]: exact for integer coordinates below EXACT_LIMIT. */
function orientation(p: Int32Array, a: number, b: number, c: number, d: number): number {
  const ux = p[3 * b] - p[3 * a];
  const uy = p[3 * b + 1] - p[3 * a + 1];
  const uz = p[3 * b + 2] - p[3 * a + 2];
  const vx = p[3 * c] - p[3 * a];
  const vy = p[3 * c + 1] - p[3 * a + 1];
  const vz = p[3 * c + 2] - p[3 * a + 2];
  const wx = p[3 * d] - p[3 * a];
  const wy = p[3 * d + 1] - p[3 * a + 1];
  const wz = p[3 * d + 2] - p[3 * a + 2];
  return wx * (uy * vz - uz * vy) + wy * (uz * vx - ux * vz) + wz * (ux * vy - uy * vx);
}

/** Convex hull of integer points (at least 4, not coplanar). */
export function convexHull(points: HalfUnitPoints): ConvexHull {
  const p = points.coordinates;
  for (let k = 0; k < 3 * points.count; k++) {
    if (Math.abs(p[k]) >= EXACT_LIMIT)
      throw new Error(`convex hull: coordinate ${p[k]} beyond the exact range ${EXACT_LIMIT}`);
  }
  const faces = new FaceStore(p);
  let [a, b, c, d] = initialTetrahedron(points);
  if (orientation(p, a, b, c, d) > 0) [b, c] = [c, b];
  // With d below face (a, b, c), these four faces all face outward.
  const start = [faces.add(a, b, c), faces.add(a, d, b), faces.add(b, d, c), faces.add(c, d, a)];
  for (const f of start) {
    for (let e = 0; e < 3; e++) {
      const u = faces.vertex(f, e);
      const v = faces.vertex(f, (e + 1) % 3);
      for (const g of start) {
        for (let k = 0; k < 3; k++) {
          if (faces.vertex(g, k) === v && faces.vertex(g, (k + 1) % 3) === u)
            faces.neighbour[3 * f + e] = g;
        }
      }
    }
  }

  let live: number[] = [...start];
  let dead = 0;
  const faceByStart = new Int32Array(points.count);
  const faceByEnd = new Int32Array(points.count);
  const stack: number[] = [];
  const visible: number[] = [];
  const created: number[] = [];
  const order = insertionOrder(points.count);
  for (let step = 0; step < order.length; step++) {
    const q = order[step];
    if (q === a || q === b || q === c || q === d) continue;
    let seed = -1;
    for (const f of live) {
      if (faces.alive[f] && faces.side(f, q) > 0) {
        seed = f;
        break;
      }
    }
    if (seed < 0) continue;
    // Visible faces form a connected patch around the seed.
    const mark = step + 1;
    visible.length = 0;
    stack.length = 0;
    stack.push(seed);
    faces.stamp[seed] = mark;
    while (stack.length > 0) {
      const f = stack.pop()!;
      visible.push(f);
      for (let e = 0; e < 3; e++) {
        const g = faces.neighbour[3 * f + e];
        if (faces.stamp[g] !== mark && faces.side(g, q) > 0) {
          faces.stamp[g] = mark;
          stack.push(g);
        }
      }
    }
    // The horizon: edges of visible faces whose neighbour is not visible; a cone of new faces.
    created.length = 0;
    for (const f of visible) {
      for (let e = 0; e < 3; e++) {
        const g = faces.neighbour[3 * f + e];
        if (faces.stamp[g] === mark) continue;
        const u = faces.vertex(f, e);
        const v = faces.vertex(f, (e + 1) % 3);
        const h = faces.add(u, v, q);
        faces.neighbour[3 * h] = g;
        for (let k = 0; k < 3; k++) {
          if (faces.vertex(g, k) === v && faces.vertex(g, (k + 1) % 3) === u)
            faces.neighbour[3 * g + k] = h;
        }
        faceByStart[u] = h;
        faceByEnd[v] = h;
        created.push(h);
      }
    }
    for (const h of created) {
      faces.neighbour[3 * h + 1] = faceByStart[faces.b[h]];
      faces.neighbour[3 * h + 2] = faceByEnd[faces.a[h]];
      live.push(h);
    }
    for (const f of visible) faces.alive[f] = 0;
    dead += visible.length;
    if (dead > live.length / 2) {
      live = live.filter((f) => faces.alive[f] === 1);
      dead = 0;
    }
  }

  const kept = live.filter((f) => faces.alive[f] === 1);
  const out = new Int32Array(3 * kept.length);
  // A point is a vertex of the polytope when its triangles lie in at least 3 distinct planes; in 1
  // or 2 it lies inside a facet or an edge (inserted before the points that made it non-extreme).
  const planes = new Map<number, Set<string>>();
  kept.forEach((f, k) => {
    const key = planeKey(faces.normal[3 * f], faces.normal[3 * f + 1], faces.normal[3 * f + 2]);
    for (let e = 0; e < 3; e++) {
      const v = faces.vertex(f, e);
      out[3 * k + e] = v;
      const set = planes.get(v) ?? new Set<string>();
      set.add(key);
      planes.set(v, set);
    }
  });
  const vertices = [...planes].filter(([, set]) => set.size >= 3).map(([v]) => v);
  vertices.sort((u, v) => u - v);
  return { faces: out, vertices: Int32Array.from(vertices) };
}

/** The direction of an integer plane normal, reduced by the gcd of its components. */
function planeKey(x: number, y: number, z: number): string {
  const g = gcd(gcd(Math.abs(x), Math.abs(y)), Math.abs(z));
  return `${x / g},${y / g},${z / g}`;
}

/** A fixed pseudo-random permutation (xorshift32): random insertion keeps the hull work low. */
function insertionOrder(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let k = 0; k < n; k++) order[k] = k;
  let state = 0x9e3779b9;
  for (let k = n - 1; k > 0; k--) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const j = (state >>> 0) % (k + 1);
    const t = order[k];
    order[k] = order[j];
    order[j] = t;
  }
  return order;
}

/**
 * Volume (|sum of signed tetrahedra| / 6, IBSI RNU0) and area (sum of triangle areas, C0JK) of a
 * closed triangle mesh over half-unit points, in mm^3 and mm^2 for voxel `spacing` (mm).
 */
export function closedMeshVolumeAndArea(
  points: HalfUnitPoints,
  faces: Int32Array,
  spacing: Vec3,
): { volume: number; area: number } {
  const p = points.coordinates;
  const [sx, sy, sz] = [spacing[0] / 2, spacing[1] / 2, spacing[2] / 2];
  // Tetrahedra from the first vertex rather than the origin: smaller terms, the same sum.
  const o = faces.length > 0 ? faces[0] : 0;
  let volume = 0;
  let area = 0;
  for (let f = 0; f < faces.length; f += 3) {
    const i = faces[f];
    const j = faces[f + 1];
    const k = faces[f + 2];
    const ax = (p[3 * i] - p[3 * o]) * sx;
    const ay = (p[3 * i + 1] - p[3 * o + 1]) * sy;
    const az = (p[3 * i + 2] - p[3 * o + 2]) * sz;
    const bx = (p[3 * j] - p[3 * o]) * sx;
    const by = (p[3 * j + 1] - p[3 * o + 1]) * sy;
    const bz = (p[3 * j + 2] - p[3 * o + 2]) * sz;
    const cx = (p[3 * k] - p[3 * o]) * sx;
    const cy = (p[3 * k + 1] - p[3 * o + 1]) * sy;
    const cz = (p[3 * k + 2] - p[3 * o + 2]) * sz;
    volume += ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const vx = cx - ax;
    const vy = cy - ay;
    const vz = cz - az;
    area += Math.hypot(uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx) / 2;
  }
  return { volume: Math.abs(volume) / 6, area };
}

/**
 * The distinct plane orientations of the hull's faces as unit normals in physical space (x, y, z
 * at 3k..3k+2; n and -n count once). A plane n . h = const in half units is
 * (n_x / s_x, n_y / s_y, n_z / s_z) . x = const in mm, s = spacing / 2.
 */
export function faceNormalDirections(
  points: HalfUnitPoints,
  faces: Int32Array,
  spacing: Vec3,
): Float64Array {
  const p = points.coordinates;
  const seen = new Set<string>();
  const out: number[] = [];
  for (let f = 0; f < faces.length; f += 3) {
    const a = faces[f];
    const b = faces[f + 1];
    const c = faces[f + 2];
    const ux = p[3 * b] - p[3 * a];
    const uy = p[3 * b + 1] - p[3 * a + 1];
    const uz = p[3 * b + 2] - p[3 * a + 2];
    const vx = p[3 * c] - p[3 * a];
    const vy = p[3 * c + 1] - p[3 * a + 1];
    const vz = p[3 * c + 2] - p[3 * a + 2];
    let n = [uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx];
    const g = gcd(gcd(Math.abs(n[0]), Math.abs(n[1])), Math.abs(n[2]));
    if (g === 0) continue;
    n = n.map((x) => x / g);
    const sign = n[0] !== 0 ? Math.sign(n[0]) : n[1] !== 0 ? Math.sign(n[1]) : Math.sign(n[2]);
    n = n.map((x) => x * sign);
    const key = n.join(",");
    if (seen.has(key)) continue;
    seen.add(key);
    const m = [(2 * n[0]) / spacing[0], (2 * n[1]) / spacing[1], (2 * n[2]) / spacing[2]];
    const length = Math.hypot(m[0], m[1], m[2]);
    out.push(m[0] / length, m[1] / length, m[2] / length);
  }
  return Float64Array.from(out);
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}
