/**
 * Lookup tables of PyRadiomics' marching squares (radiomics/src/cshape.c, commit 8ed5793), for the 2D
 * shape class. They are data that fix the perimeter mesh exactly (which segments each square case gets,
 * their orientation, and their order), so the mesh-based shape features reproduce PyRadiomics. The 3D
 * marching cubes tables live beside their WebAssembly kernel, src/kernels/assembly/mesh.ts.
 *
 * Geometry (all offsets in numpy (y, x) order, as in PyRadiomics): square corner k sits at
 * SQUARE_CORNERS[k] relative to the square origin; a corner inside the ROI sets bit k of the square
 * index. Edge e of the square carries the mesh vertex at SQUARE_EDGE_MIDPOINTS[e] (always the edge
 * midpoint, since the mask is binary).
 */

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
