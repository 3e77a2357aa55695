/**
 * Lookup tables of PyRadiomics' marching cubes / marching squares (radiomics/src/cshape.c, commit 8ed5793).
 * They are data that fix the mesh exactly (which triangles each cube case gets, their orientation, and their
 * order), so the mesh-based shape features reproduce PyRadiomics. Method: Lorensen & Cline 1987, with the
 * half-size table trick (a cube with corner 7 inside is looked up by its complement, with the sign of the
 * volume flipped).
 *
 * Geometry (all offsets in numpy (z, y, x) order, as in PyRadiomics):
 * - cube corner k sits at CUBE_CORNERS[k] relative to the cube origin; a corner inside the ROI sets bit k
 *   of the cube index.
 * - edge e of the cube carries the mesh vertex at CUBE_EDGE_MIDPOINTS[e] (always the edge midpoint, since
 *   the mask is binary).
 */

/** Corner offsets (dz, dy, dx) of the 8 cube corners. */
export const CUBE_CORNERS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0],
  [0, 0, 1],
  [0, 1, 1],
  [0, 1, 0],
  [1, 0, 0],
  [1, 0, 1],
  [1, 1, 1],
  [1, 1, 0],
];

/** Midpoint offsets (dz, dy, dx) of the 12 cube edges. */
export const CUBE_EDGE_MIDPOINTS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0.5],
  [0, 0.5, 1],
  [0, 1, 0.5],
  [0, 0.5, 0],
  [1, 0, 0.5],
  [1, 0.5, 1],
  [1, 1, 0.5],
  [1, 0.5, 0],
  [0.5, 0, 0],
  [0.5, 0, 1],
  [0.5, 1, 1],
  [0.5, 1, 0],
];

/**
 * Triangles of cube cases 0..127 (corner 7 outside): each string lists edge numbers in hexadecimal,
 * three per triangle, in PyRadiomics' order (vertices a, b, c of each triangle in turn).
 */
const TRIANGLE_EDGES_HEX: readonly string[] = [
  "",
  "083",
  "190",
  "183198",
  "12a",
  "08312a",
  "92a029",
  "2832a8a98",
  "b23",
  "b2008b",
  "190b23",
  "b2119b98b",
  "3a1ba3",
  "a1008a8ba",
  "9033b9ba9",
  "98aba8",
  "478",
  "043473",
  "190478",
  "194147173",
  "12a478",
  "34730412a",
  "92a902478",
  "2a9297273479",
  "478b23",
  "b47b24204",
  "190478b23",
  "47b94bb29192",
  "3a1ba3478",
  "ba114b10447b",
  "4789033b9ba9",
  "47b4b99ba",
  "954",
  "954083",
  "054015",
  "854835315",
  "12a954",
  "08312a954",
  "2a5542240",
  "2a5325354834",
  "954b23",
  "b2008b954",
  "054015b23",
  "215258b28548",
  "3a1ba3954",
  "549a1008a8ba",
  "54050ba5bb03",
  "548a58ba8",
  "789579",
  "309539357",
  "780017715",
  "157173",
  "78957912a",
  "12a309395357",
  "0288258572a5",
  "2a5253357",
  "579789b23",
  "579972209b27",
  "b23018178157",
  "21b17b157",
  "7895793a1ba3",
  "5705097b0a10ba0",
  "ba003ba50078570",
  "ba557b",
  "65a",
  "08365a",
  "19065a",
  "18319865a",
  "165126",
  "165126083",
  "965906026",
  "598582526832",
  "b2365a",
  "b2008b65a",
  "190b2365a",
  "b2119b98b65a",
  "63b653513",
  "08b0b50515b6",
  "63b036065059",
  "65969bb98",
  "47865a",
  "04347365a",
  "19047865a",
  "19414717365a",
  "478165126",
  "043473165126",
  "478965906026",
  "739479329596269",
  "b2347865a",
  "b47b2420465a",
  "190b2347865a",
  "47b94bb2919265a",
  "47863b653513",
  "51b5b610b47b04b",
  "47863b036065059",
  "65969b4797b9",
  "a4964a",
  "a4964a083",
  "01aa60640",
  "18316886461a",
  "149124264",
  "149124264083",
  "024426",
  "832824426",
  "b23a4964a",
  "b2008ba4964a",
  "b2301aa60640",
  "64161a148b2118b",
  "964369139b63",
  "18b081b61149641",
  "63b036640",
  "86468b",
  "67a78a89a",
  "67a0a709a073",
  "67a1a7178018",
  "67a1a7173",
  "126168189678",
  "269129679309739",
  "078706602",
  "273267",
  "b2367a78a89a",
  "207b2709767a9a7",
  "67a1a7178018b23",
  "b2117ba61167",
  "896678169b63136",
  "09167b",
  "07870603bb60",
  "67b",
];

/**
 * CUBE_TRIANGLES[c] = edge numbers (3 per triangle) of cube case c (0..127), as a flat typed array;
 * CUBE_TRIANGLE_OFFSETS[c]..CUBE_TRIANGLE_OFFSETS[c + 1] is the slice of case c.
 */
export const CUBE_TRIANGLE_OFFSETS: Int32Array = new Int32Array(129);
export const CUBE_TRIANGLES: Uint8Array = (() => {
  let total = 0;
  for (let c = 0; c < 128; c++) {
    CUBE_TRIANGLE_OFFSETS[c] = total;
    total += TRIANGLE_EDGES_HEX[c].length;
  }
  CUBE_TRIANGLE_OFFSETS[128] = total;
  const out = new Uint8Array(total);
  let k = 0;
  for (const text of TRIANGLE_EDGES_HEX) {
    for (const ch of text) out[k++] = Number.parseInt(ch, 16);
  }
  return out;
})();

/** Corner offsets (dy, dx) of the 4 square corners (marching squares, PyRadiomics' shape2D). */
export const SQUARE_CORNERS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [1, 1],
  [1, 0],
];

/** Midpoint offsets (dy, dx) of the 4 square edges. */
export const SQUARE_EDGE_MIDPOINTS: readonly (readonly [number, number])[] = [
  [0, 0.5],
  [0.5, 1],
  [1, 0.5],
  [0.5, 0],
];

/** Line segments (pairs of edge numbers, start then end) of square cases 0..15, in PyRadiomics' order. */
export const SQUARE_SEGMENTS: readonly (readonly number[])[] = [
  [],
  [3, 0],
  [0, 1],
  [3, 1],
  [1, 2],
  [1, 2, 3, 0],
  [0, 2],
  [3, 2],
  [2, 3],
  [2, 0],
  [0, 1, 2, 3],
  [2, 1],
  [1, 3],
  [1, 0],
  [0, 3],
  [],
];
