/**
 * Icosphere vertices exactly as trimesh (5.x) `creation.icosphere(subdivisions, radius)` builds
 * them, which PyRadiomics' LBP3D uses as its spherical sampling points.
 *
 * Method (trimesh creation.icosphere / remesh.subdivide): start from trimesh's stored unit
 * icosahedron (12 vertices, 20 faces); each subdivision appends one midpoint per unique edge
 * (edges sorted by (larger, smaller) vertex index, first occurrence kept), splits every face into
 * four, then moves every vertex onto the sphere: v += (v / |v|) * (radius - |v|). Without
 * subdivision the radius correction is applied once to the icosahedron.
 */

/** trimesh resources/creation.json "icosahedron" vertices (unit length up to rounding). */
const A = 0.5257311121191336;
const B = 0.85065080835204;
const ICOSAHEDRON_VERTICES: readonly number[] = [
  -A,
  B,
  0,
  A,
  B,
  0,
  -A,
  -B,
  0,
  A,
  -B,
  0,
  0,
  -A,
  B,
  0,
  A,
  B,
  0,
  -A,
  -B,
  0,
  A,
  -B,
  B,
  0,
  -A,
  B,
  0,
  A,
  -B,
  0,
  -A,
  -B,
  0,
  A,
];
/** trimesh resources/creation.json "icosahedron" faces. */
const ICOSAHEDRON_FACES: readonly number[] = [
  0, 11, 5, 0, 5, 1, 0, 1, 7, 0, 7, 10, 0, 10, 11, 1, 5, 9, 5, 11, 4, 11, 10, 2, 10, 7, 6, 7, 1, 8,
  3, 9, 4, 3, 4, 2, 3, 2, 6, 3, 6, 8, 3, 8, 9, 4, 9, 5, 2, 4, 11, 6, 2, 10, 8, 6, 7, 9, 8, 1,
];

export interface Icosphere {
  /** Vertex coordinates, 3 per vertex (x, y, z), in trimesh's vertex order. */
  vertices: Float64Array;
  /** Triangles, 3 vertex indices each. */
  faces: Int32Array;
}

/**
 * trimesh.creation.icosphere(subdivisions, radius): 10 * 4^s + 2 vertices on the sphere of the
 * given radius (12 for s = 0, 42 for s = 1).
 */
export function icosphere(subdivisions: number, radius: number): Icosphere {
  if (!Number.isInteger(subdivisions) || subdivisions < 0) {
    throw new Error(`icosphere: subdivisions must be a non-negative integer, got ${subdivisions}`);
  }
  if (!(radius > 0) || !Number.isFinite(radius)) {
    throw new Error(`icosphere: radius must be a positive number, got ${radius}`);
  }
  let vertices: Float64Array = Float64Array.from(ICOSAHEDRON_VERTICES);
  let faces: Int32Array = Int32Array.from(ICOSAHEDRON_FACES);
  for (let s = 0; s < subdivisions; s++) {
    ({ vertices, faces } = subdivide(vertices, faces));
    projectToRadius(vertices, radius);
  }
  if (subdivisions <= 0) projectToRadius(vertices, radius);
  return { vertices, faces };
}

/** v += unit * (radius - |v|), |v| = sqrt(x^2 + y^2 + z^2) (trimesh's radius refinement). */
function projectToRadius(v: Float64Array, radius: number): void {
  for (let i = 0; i < v.length; i += 3) {
    const x = v[i]!;
    const y = v[i + 1]!;
    const z = v[i + 2]!;
    const scalar = Math.sqrt(x * x + y * y + z * z);
    const shift = radius - scalar;
    v[i] = x + (x / scalar) * shift;
    v[i + 1] = y + (y / scalar) * shift;
    v[i + 2] = z + (z / scalar) * shift;
  }
}

/**
 * trimesh remesh.subdivide of every face: face (a, b, c) with edge midpoints m0 = mid(a, b),
 * m1 = mid(b, c), m2 = mid(c, a) becomes (a, m0, m2), (m0, b, m1), (m2, m1, c), (m0, m1, m2).
 * Midpoints are numbered after the old vertices in ascending (max, min) order of their edge
 * (the order of trimesh's packed-integer row hash under np.unique).
 */
function subdivide(
  vertices: Float64Array,
  faces: Int32Array,
): { vertices: Float64Array; faces: Int32Array } {
  const nVertices = vertices.length / 3;
  const nFaces = faces.length / 3;
  const edgeKeys: number[] = [];
  for (let f = 0; f < nFaces; f++) {
    for (let e = 0; e < 3; e++) {
      const a = faces[3 * f + e]!;
      const b = faces[3 * f + ((e + 1) % 3)]!;
      const lo = Math.min(a, b);
      const hi = Math.max(a, b);
      edgeKeys.push(hi * nVertices + lo);
    }
  }
  const unique = [...new Set(edgeKeys)].sort((p, q) => p - q);
  const midIndex = new Map<number, number>();
  unique.forEach((key, i) => {
    midIndex.set(key, nVertices + i);
  });
  const out = new Float64Array(3 * (nVertices + unique.length));
  out.set(vertices);
  unique.forEach((key, i) => {
    const hi = Math.floor(key / nVertices);
    const lo = key - hi * nVertices;
    for (let k = 0; k < 3; k++) {
      // numpy mean over the pair: (0 + a + b) / 2
      out[3 * (nVertices + i) + k] = (0 + vertices[3 * lo + k]! + vertices[3 * hi + k]!) / 2;
    }
  });
  const newFaces = new Int32Array(12 * nFaces);
  for (let f = 0; f < nFaces; f++) {
    const a = faces[3 * f]!;
    const b = faces[3 * f + 1]!;
    const c = faces[3 * f + 2]!;
    const m0 = midIndex.get(edgeKeys[3 * f]!)!;
    const m1 = midIndex.get(edgeKeys[3 * f + 1]!)!;
    const m2 = midIndex.get(edgeKeys[3 * f + 2]!)!;
    newFaces.set([a, m0, m2, m0, b, m1, m2, m1, c, m0, m1, m2], 12 * f);
  }
  return { vertices: out, faces: newFaces };
}
