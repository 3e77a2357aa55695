/**
 * PyRadiomics' shape mesh (radiomics/src/cshape.c, commit 8ed5793): the loops behind the mesh-based
 * features of src/features/shape.ts (binding: src/kernels/mesh.ts). The input grid is the ROI mask
 * cropped to its bounding box and padded with one voxel of zeros (src/features/mesh/roiCrop.ts):
 * one byte per voxel, 1 inside the ROI and 0 outside, x fastest; size (nx, ny, nz), spacing
 * (sx, sy, sz) in mm. Floating-point operations are those of the former JavaScript loops, in the
 * same order (WebAssembly has no implicit FMA and its f64 sqrt is IEEE), so every value agrees
 * with PyRadiomics to the last bits, as before.
 */

// ---------------------------------------------------------------------------------------------
// Marching cubes (Lorensen & Cline 1987, with PyRadiomics' tables and its half-size table trick)
//
// Offsets are in numpy (z, y, x) order, as in PyRadiomics. Cube corner k sits at (dz, dy, dx):
//   0 (0, 0, 0)  1 (0, 0, 1)  2 (0, 1, 1)  3 (0, 1, 0)  4 (1, 0, 0)  5 (1, 0, 1)  6 (1, 1, 1)
//   7 (1, 1, 0)
// relative to the cube origin, and a corner inside the ROI sets bit k of the cube index. Edge e of
// the cube carries the mesh vertex at its midpoint (the mask is binary): EDGE_MIDPOINT_Z/Y/X[e].
// ---------------------------------------------------------------------------------------------

/** dz of the 12 cube edge midpoints. */
const EDGE_MIDPOINT_Z = memory.data<f64>([0, 0, 0, 0, 1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5]);
/** dy of the 12 cube edge midpoints. */
const EDGE_MIDPOINT_Y = memory.data<f64>([0, 0.5, 1, 0.5, 0, 0.5, 1, 0.5, 0, 0, 1, 1]);
/** dx of the 12 cube edge midpoints. */
const EDGE_MIDPOINT_X = memory.data<f64>([0.5, 1, 0.5, 0, 0.5, 1, 0.5, 0, 0, 1, 1, 0]);

/**
 * cshape.c's triTable: the triangles of cube cases 0..127 (corner 7 outside), 16 entries per case:
 * edge numbers, three per triangle (vertices a, b, c in PyRadiomics' order), then -1. These data
 * fix the mesh exactly (which triangles each case gets, their orientation and their order). A
 * cube with corner 7 inside is looked up by its complement, with the sign of its volume flipped.
 */
// biome-ignore format: one cube case per row
const CUBE_TRIANGLES = memory.data<i8>([
  -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 8, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 8, 3, 1, 9, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 2, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 8, 3, 1, 2, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  9, 2, 10, 0, 2, 9, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  2, 8, 3, 2, 10, 8, 10, 9, 8, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 0, 0, 8, 11, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 0, 11, 2, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 1, 1, 9, 11, 9, 8, 11, -1, -1, -1, -1, -1, -1, -1,
  3, 10, 1, 11, 10, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  10, 1, 0, 0, 8, 10, 8, 11, 10, -1, -1, -1, -1, -1, -1, -1,
  9, 0, 3, 3, 11, 9, 11, 10, 9, -1, -1, -1, -1, -1, -1, -1,
  9, 8, 10, 11, 10, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  4, 7, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 4, 3, 4, 7, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 0, 4, 7, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 4, 1, 4, 7, 1, 7, 3, -1, -1, -1, -1, -1, -1, -1,
  1, 2, 10, 4, 7, 8, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  3, 4, 7, 3, 0, 4, 1, 2, 10, -1, -1, -1, -1, -1, -1, -1,
  9, 2, 10, 9, 0, 2, 4, 7, 8, -1, -1, -1, -1, -1, -1, -1,
  2, 10, 9, 2, 9, 7, 2, 7, 3, 4, 7, 9, -1, -1, -1, -1,
  4, 7, 8, 11, 2, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  11, 4, 7, 11, 2, 4, 2, 0, 4, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 0, 4, 7, 8, 11, 2, 3, -1, -1, -1, -1, -1, -1, -1,
  4, 7, 11, 9, 4, 11, 11, 2, 9, 1, 9, 2, -1, -1, -1, -1,
  3, 10, 1, 11, 10, 3, 4, 7, 8, -1, -1, -1, -1, -1, -1, -1,
  11, 10, 1, 1, 4, 11, 1, 0, 4, 4, 7, 11, -1, -1, -1, -1,
  4, 7, 8, 9, 0, 3, 3, 11, 9, 11, 10, 9, -1, -1, -1, -1,
  4, 7, 11, 4, 11, 9, 9, 11, 10, -1, -1, -1, -1, -1, -1, -1,
  9, 5, 4, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  9, 5, 4, 0, 8, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 5, 4, 0, 1, 5, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  8, 5, 4, 8, 3, 5, 3, 1, 5, -1, -1, -1, -1, -1, -1, -1,
  1, 2, 10, 9, 5, 4, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 8, 3, 1, 2, 10, 9, 5, 4, -1, -1, -1, -1, -1, -1, -1,
  2, 10, 5, 5, 4, 2, 2, 4, 0, -1, -1, -1, -1, -1, -1, -1,
  2, 10, 5, 3, 2, 5, 3, 5, 4, 8, 3, 4, -1, -1, -1, -1,
  9, 5, 4, 11, 2, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 0, 0, 8, 11, 9, 5, 4, -1, -1, -1, -1, -1, -1, -1,
  0, 5, 4, 0, 1, 5, 11, 2, 3, -1, -1, -1, -1, -1, -1, -1,
  2, 1, 5, 2, 5, 8, 11, 2, 8, 5, 4, 8, -1, -1, -1, -1,
  3, 10, 1, 11, 10, 3, 9, 5, 4, -1, -1, -1, -1, -1, -1, -1,
  5, 4, 9, 10, 1, 0, 0, 8, 10, 8, 11, 10, -1, -1, -1, -1,
  5, 4, 0, 5, 0, 11, 10, 5, 11, 11, 0, 3, -1, -1, -1, -1,
  5, 4, 8, 10, 5, 8, 11, 10, 8, -1, -1, -1, -1, -1, -1, -1,
  7, 8, 9, 5, 7, 9, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  3, 0, 9, 5, 3, 9, 3, 5, 7, -1, -1, -1, -1, -1, -1, -1,
  7, 8, 0, 0, 1, 7, 7, 1, 5, -1, -1, -1, -1, -1, -1, -1,
  1, 5, 7, 1, 7, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  7, 8, 9, 5, 7, 9, 1, 2, 10, -1, -1, -1, -1, -1, -1, -1,
  1, 2, 10, 3, 0, 9, 3, 9, 5, 3, 5, 7, -1, -1, -1, -1,
  0, 2, 8, 8, 2, 5, 8, 5, 7, 2, 10, 5, -1, -1, -1, -1,
  2, 10, 5, 2, 5, 3, 3, 5, 7, -1, -1, -1, -1, -1, -1, -1,
  5, 7, 9, 7, 8, 9, 11, 2, 3, -1, -1, -1, -1, -1, -1, -1,
  5, 7, 9, 9, 7, 2, 2, 0, 9, 11, 2, 7, -1, -1, -1, -1,
  11, 2, 3, 0, 1, 8, 1, 7, 8, 1, 5, 7, -1, -1, -1, -1,
  2, 1, 11, 1, 7, 11, 1, 5, 7, -1, -1, -1, -1, -1, -1, -1,
  7, 8, 9, 5, 7, 9, 3, 10, 1, 11, 10, 3, -1, -1, -1, -1,
  5, 7, 0, 5, 0, 9, 7, 11, 0, 10, 1, 0, 11, 10, 0, -1,
  11, 10, 0, 0, 3, 11, 10, 5, 0, 0, 7, 8, 5, 7, 0, -1,
  11, 10, 5, 5, 7, 11, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  6, 5, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 8, 3, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 0, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 8, 3, 1, 9, 8, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1,
  1, 6, 5, 1, 2, 6, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  1, 6, 5, 1, 2, 6, 0, 8, 3, -1, -1, -1, -1, -1, -1, -1,
  9, 6, 5, 9, 0, 6, 0, 2, 6, -1, -1, -1, -1, -1, -1, -1,
  5, 9, 8, 5, 8, 2, 5, 2, 6, 8, 3, 2, -1, -1, -1, -1,
  11, 2, 3, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 0, 0, 8, 11, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 0, 11, 2, 3, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 1, 1, 9, 11, 9, 8, 11, 6, 5, 10, -1, -1, -1, -1,
  6, 3, 11, 6, 5, 3, 5, 1, 3, -1, -1, -1, -1, -1, -1, -1,
  0, 8, 11, 0, 11, 5, 0, 5, 1, 5, 11, 6, -1, -1, -1, -1,
  6, 3, 11, 0, 3, 6, 0, 6, 5, 0, 5, 9, -1, -1, -1, -1,
  6, 5, 9, 6, 9, 11, 11, 9, 8, -1, -1, -1, -1, -1, -1, -1,
  4, 7, 8, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 4, 3, 4, 7, 3, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 0, 4, 7, 8, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1,
  1, 9, 4, 1, 4, 7, 1, 7, 3, 6, 5, 10, -1, -1, -1, -1,
  4, 7, 8, 1, 6, 5, 1, 2, 6, -1, -1, -1, -1, -1, -1, -1,
  0, 4, 3, 4, 7, 3, 1, 6, 5, 1, 2, 6, -1, -1, -1, -1,
  4, 7, 8, 9, 6, 5, 9, 0, 6, 0, 2, 6, -1, -1, -1, -1,
  7, 3, 9, 4, 7, 9, 3, 2, 9, 5, 9, 6, 2, 6, 9, -1,
  11, 2, 3, 4, 7, 8, 6, 5, 10, -1, -1, -1, -1, -1, -1, -1,
  11, 4, 7, 11, 2, 4, 2, 0, 4, 6, 5, 10, -1, -1, -1, -1,
  1, 9, 0, 11, 2, 3, 4, 7, 8, 6, 5, 10, -1, -1, -1, -1,
  4, 7, 11, 9, 4, 11, 11, 2, 9, 1, 9, 2, 6, 5, 10, -1,
  4, 7, 8, 6, 3, 11, 6, 5, 3, 5, 1, 3, -1, -1, -1, -1,
  5, 1, 11, 5, 11, 6, 1, 0, 11, 4, 7, 11, 0, 4, 11, -1,
  4, 7, 8, 6, 3, 11, 0, 3, 6, 0, 6, 5, 0, 5, 9, -1,
  6, 5, 9, 6, 9, 11, 4, 7, 9, 7, 11, 9, -1, -1, -1, -1,
  10, 4, 9, 6, 4, 10, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  10, 4, 9, 6, 4, 10, 0, 8, 3, -1, -1, -1, -1, -1, -1, -1,
  0, 1, 10, 10, 6, 0, 6, 4, 0, -1, -1, -1, -1, -1, -1, -1,
  1, 8, 3, 1, 6, 8, 8, 6, 4, 6, 1, 10, -1, -1, -1, -1,
  1, 4, 9, 1, 2, 4, 2, 6, 4, -1, -1, -1, -1, -1, -1, -1,
  1, 4, 9, 1, 2, 4, 2, 6, 4, 0, 8, 3, -1, -1, -1, -1,
  0, 2, 4, 4, 2, 6, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  8, 3, 2, 8, 2, 4, 4, 2, 6, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 3, 10, 4, 9, 6, 4, 10, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 0, 0, 8, 11, 10, 4, 9, 6, 4, 10, -1, -1, -1, -1,
  11, 2, 3, 0, 1, 10, 10, 6, 0, 6, 4, 0, -1, -1, -1, -1,
  6, 4, 1, 6, 1, 10, 1, 4, 8, 11, 2, 1, 1, 8, 11, -1,
  9, 6, 4, 3, 6, 9, 1, 3, 9, 11, 6, 3, -1, -1, -1, -1,
  1, 8, 11, 0, 8, 1, 11, 6, 1, 1, 4, 9, 6, 4, 1, -1,
  6, 3, 11, 0, 3, 6, 6, 4, 0, -1, -1, -1, -1, -1, -1, -1,
  8, 6, 4, 6, 8, 11, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  6, 7, 10, 7, 8, 10, 8, 9, 10, -1, -1, -1, -1, -1, -1, -1,
  6, 7, 10, 0, 10, 7, 0, 9, 10, 0, 7, 3, -1, -1, -1, -1,
  6, 7, 10, 1, 10, 7, 1, 7, 8, 0, 1, 8, -1, -1, -1, -1,
  6, 7, 10, 1, 10, 7, 1, 7, 3, -1, -1, -1, -1, -1, -1, -1,
  1, 2, 6, 1, 6, 8, 1, 8, 9, 6, 7, 8, -1, -1, -1, -1,
  2, 6, 9, 1, 2, 9, 6, 7, 9, 3, 0, 9, 7, 3, 9, -1,
  0, 7, 8, 7, 0, 6, 6, 0, 2, -1, -1, -1, -1, -1, -1, -1,
  2, 7, 3, 2, 6, 7, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  11, 2, 3, 6, 7, 10, 7, 8, 10, 8, 9, 10, -1, -1, -1, -1,
  2, 0, 7, 11, 2, 7, 0, 9, 7, 6, 7, 10, 9, 10, 7, -1,
  6, 7, 10, 1, 10, 7, 1, 7, 8, 0, 1, 8, 11, 2, 3, -1,
  11, 2, 1, 1, 7, 11, 10, 6, 1, 1, 6, 7, -1, -1, -1, -1,
  8, 9, 6, 6, 7, 8, 1, 6, 9, 11, 6, 3, 1, 3, 6, -1,
  0, 9, 1, 6, 7, 11, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
  0, 7, 8, 7, 0, 6, 0, 3, 11, 11, 6, 0, -1, -1, -1, -1,
  6, 7, 11, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
]);

/**
 * Surface area and volume of PyRadiomics' marching-cubes mesh of the padded grid (cshape.c
 * calculate_coefficients): out[0] = area (mm^2), out[1] = volume (mm^3). Per triangle (vertices
 * a, b, c at (cube index + edge midpoint) * spacing, in (z, y, x) order):
 * volume += sign * (a x b) . c and area += |(a - c) x (b - c)| / 2; volume /= 6 at the end. Both
 * sums run in PyRadiomics' cube and triangle order.
 */
export function marchingCubes(
  grid: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  sx: f64,
  sy: f64,
  sz: f64,
  out: usize,
): void {
  const slab = nx * ny;
  let area: f64 = 0;
  let volume: f64 = 0;
  for (let iz = 0; iz < nz - 1; iz++) {
    for (let iy = 0; iy < ny - 1; iy++) {
      // Rows of the cube's corners at (z, y), (z, y + 1), (z + 1, y) and (z + 1, y + 1).
      const r00 = grid + <usize>(nx * (iy + ny * iz));
      const r01 = r00 + <usize>nx;
      const r10 = r00 + <usize>slab;
      const r11 = r10 + <usize>nx;
      // Index bits of the corners at the cube's low x: 0 (z, y), 3 (z, y + 1), 4 (z + 1, y),
      // 7 (z + 1, y + 1); the same voxels are corners 1, 2, 5, 6 of the cube before.
      let lowX: i32 =
        load<u8>(r00) | (load<u8>(r01) << 3) | (load<u8>(r10) << 4) | (load<u8>(r11) << 7);
      for (let ix = 0; ix < nx - 1; ix++) {
        const j = <usize>(ix + 1);
        const v00: i32 = load<u8>(r00 + j);
        const v01: i32 = load<u8>(r01 + j);
        const v10: i32 = load<u8>(r10 + j);
        const v11: i32 = load<u8>(r11 + j);
        let cube = lowX | (v00 << 1) | (v01 << 2) | (v10 << 5) | (v11 << 6);
        lowX = v00 | (v01 << 3) | (v10 << 4) | (v11 << 7);
        if (cube === 0 || cube === 0xff) continue;
        let sign: f64 = 1;
        if (cube & 0x80) {
          cube ^= 0xff;
          sign = -1;
        }
        const triangles = CUBE_TRIANGLES + ((<usize>cube) << 4);
        for (let t: usize = 0; ; t += 3) {
          const ea = load<i8>(triangles + t);
          if (ea < 0) break;
          const eb = (<usize>load<i8>(triangles + t + 1)) << 3;
          const ec = (<usize>load<i8>(triangles + t + 2)) << 3;
          const at = (<usize>ea) << 3;
          const a0 = (<f64>iz + load<f64>(EDGE_MIDPOINT_Z + at)) * sz;
          const a1 = (<f64>iy + load<f64>(EDGE_MIDPOINT_Y + at)) * sy;
          const a2 = (<f64>ix + load<f64>(EDGE_MIDPOINT_X + at)) * sx;
          const b0 = (<f64>iz + load<f64>(EDGE_MIDPOINT_Z + eb)) * sz;
          const b1 = (<f64>iy + load<f64>(EDGE_MIDPOINT_Y + eb)) * sy;
          const b2 = (<f64>ix + load<f64>(EDGE_MIDPOINT_X + eb)) * sx;
          const c0 = (<f64>iz + load<f64>(EDGE_MIDPOINT_Z + ec)) * sz;
          const c1 = (<f64>iy + load<f64>(EDGE_MIDPOINT_Y + ec)) * sy;
          const c2 = (<f64>ix + load<f64>(EDGE_MIDPOINT_X + ec)) * sx;
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
          area += 0.5 * sqrt<f64>(w0 * w0 + w1 * w1 + w2 * w2);
        }
      }
    }
  }
  store<f64>(out, area);
  store<f64>(out, volume / 6, 8);
}

// ---------------------------------------------------------------------------------------------
// Maximum diameters (cshape.c calculate_meshDiameter)
//
// PyRadiomics takes the largest distance sqrt(dz^2 + dy^2 + dx^2) over all pairs of mesh vertices
// (midpoints of grid edges whose two voxels differ), overall and among pairs sharing a z (Slice),
// y (Column) or x (Row) coordinate. Mesh vertices lie on the half-voxel lattice, indexed by
// integers ("half units": h = 2 * index or 2 * index + 1). The maxima are taken exactly over
// convex hull vertices only (why this is bit-identical to all pairs: src/features/mesh/latticeHull.ts,
// which does the same in JavaScript for the 2D shape class): per lattice plane of each family, the
// hull of the row end points (Andrew's monotone chain, exact integer orientation tests); overall,
// the points that are hull vertices in all three of their axis-aligned planes.
// ---------------------------------------------------------------------------------------------

/** Families of lattice planes: constant z, constant y, constant x. */
const Z_PLANES = 0;
const Y_PLANES = 1;
const X_PLANES = 2;
/**
 * extremeFlags of a (z, y) row: bit f when its lowest-x vertex is a hull vertex of its plane in
 * family f, bit 3 + f for its highest-x vertex; all three bits make it a 3D candidate.
 */
const LOWEST_IN_ALL = 0b000111;
const HIGHEST_IN_ALL = 0b111000;

// Layout of one meshDiameters call in its scratch memory (set by layOut; calls do not nest).
/** Half-lattice sizes: 2 * n - 1 per axis. */
let hx = 0;
let hy = 0;
let hz = 0;
/** Per half-lattice row (z, y), index z * hy + y: lowest and highest x of a vertex (i32). */
let xRangeMin: usize = 0;
let xRangeMax: usize = 0;
/** Per row (z, y): which of its two end points are hull vertices in which family (u8 bits). */
let extremeFlags: usize = 0;
/** Per row (x, z), index x * hz + z: lowest and highest y of a vertex (i32). */
let yRangeMin: usize = 0;
let yRangeMax: usize = 0;
/** Physical coordinate of each half-lattice index: (h / 2) * spacing (f64). */
let coordZ: usize = 0;
let coordY: usize = 0;
let coordX: usize = 0;
/** One plane's points (row, col), sorted (i32 pairs), and the hull's point numbers (i32). */
let planePoints: usize = 0;
let hullPoints: usize = 0;
/** Coordinates (z, y, x) of one plane's hull vertices (f64). */
let hullZ: usize = 0;
let hullY: usize = 0;
let hullX: usize = 0;
/** Coordinates (z, y, x) of the 3D candidates (f64). */
let candidateZ: usize = 0;
let candidateY: usize = 0;
let candidateX: usize = 0;
let scratchEnd: usize = 0;

function reserve(bytes: usize): usize {
  const at = scratchEnd;
  scratchEnd = (at + bytes + 15) & ~(<usize>15);
  return at;
}

/** Lays the scratch arrays out from `scratch`; returns the end. */
function layOut(nx: i32, ny: i32, nz: i32, scratch: usize): usize {
  hx = 2 * nx - 1;
  hy = 2 * ny - 1;
  hz = 2 * nz - 1;
  // A plane has at most two points per row, and its hull no more vertices than points.
  const maxPoints = <usize>(2 * max(hx, max(hy, hz)) + 2);
  const zyRows = <usize>(hz * hy);
  const xzRows = <usize>(hx * hz);
  scratchEnd = scratch;
  xRangeMin = reserve(zyRows << 2);
  xRangeMax = reserve(zyRows << 2);
  extremeFlags = reserve(zyRows);
  yRangeMin = reserve(xzRows << 2);
  yRangeMax = reserve(xzRows << 2);
  coordZ = reserve((<usize>hz) << 3);
  coordY = reserve((<usize>hy) << 3);
  coordX = reserve((<usize>hx) << 3);
  planePoints = reserve(maxPoints << 3);
  // The monotone chain's stack holds up to 2 * points - 1 entries.
  hullPoints = reserve(maxPoints << 3);
  hullZ = reserve(maxPoints << 3);
  hullY = reserve(maxPoints << 3);
  hullX = reserve(maxPoints << 3);
  // At most the two end points of every (z, y) row.
  candidateZ = reserve(zyRows << 4);
  candidateY = reserve(zyRows << 4);
  candidateX = reserve(zyRows << 4);
  return scratchEnd;
}

/** Bytes of scratch memory meshDiameters needs for a grid of nx x ny x nz voxels. */
export function meshDiametersScratchBytes(nx: i32, ny: i32, nz: i32): usize {
  return layOut(nx, ny, nz, 0);
}

/**
 * PyRadiomics' maximum diameters of the mesh of the padded grid: out[0] Maximum2DDiameterSlice
 * (pairs sharing z), out[1] ...Column (sharing y), out[2] ...Row (sharing x), out[3]
 * Maximum3DDiameter. `scratch` holds meshDiametersScratchBytes(nx, ny, nz) bytes.
 */
export function meshDiameters(
  grid: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  sx: f64,
  sy: f64,
  sz: f64,
  scratch: usize,
  out: usize,
): void {
  layOut(nx, ny, nz, scratch);
  const zyRows = <usize>(hz * hy);
  const xzRows = <usize>(hx * hz);
  for (let k: usize = 0; k < zyRows; k++) store<i32>(xRangeMin + (k << 2), i32.MAX_VALUE);
  memory.fill(xRangeMax, 0xff, zyRows << 2); // -1: no vertex
  memory.fill(extremeFlags, 0, zyRows);
  for (let k: usize = 0; k < xzRows; k++) store<i32>(yRangeMin + (k << 2), i32.MAX_VALUE);
  memory.fill(yRangeMax, 0xff, xzRows << 2);
  halfUnitCoordinates(coordZ, hz, sz);
  halfUnitCoordinates(coordY, hy, sy);
  halfUnitCoordinates(coordX, hx, sx);

  // Mesh vertices: the midpoint of each grid edge whose two voxels differ.
  const slab = nx * ny;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      const row = nx * (y + ny * z);
      for (let x = 0; x < nx; x++) {
        const at = grid + <usize>(row + x);
        const v = load<u8>(at);
        if (x + 1 < nx && load<u8>(at + 1) !== v) addVertex(2 * z, 2 * y, 2 * x + 1);
        if (y + 1 < ny && load<u8>(at + <usize>nx) !== v) addVertex(2 * z, 2 * y + 1, 2 * x);
        if (z + 1 < nz && load<u8>(at + <usize>slab) !== v) addVertex(2 * z + 1, 2 * y, 2 * x);
      }
    }
  }

  const slice = familyDiameter(Z_PLANES);
  const column = familyDiameter(Y_PLANES);
  const row = familyDiameter(X_PLANES);

  // 3D extreme points are extreme in all three of their axis-aligned planes; listed in (z, y, x)
  // order.
  let n = 0;
  for (let z = 0; z < hz; z++) {
    for (let y = 0; y < hy; y++) {
      const zy = <usize>(z * hy + y);
      const highest = load<i32>(xRangeMax + (zy << 2));
      if (highest < 0) continue;
      const flags = <i32>load<u8>(extremeFlags + zy);
      if ((flags & LOWEST_IN_ALL) === LOWEST_IN_ALL)
        addCandidate(n++, z, y, load<i32>(xRangeMin + (zy << 2)));
      if ((flags & HIGHEST_IN_ALL) === HIGHEST_IN_ALL) addCandidate(n++, z, y, highest);
    }
  }
  const overall = maxSquaredDistance(candidateZ, candidateY, candidateX, n);
  store<f64>(out, sqrt<f64>(slice));
  store<f64>(out, sqrt<f64>(column), 8);
  store<f64>(out, sqrt<f64>(row), 16);
  store<f64>(out, sqrt<f64>(overall), 24);
}

/** (h / 2) * spacing for h = 0..count - 1: PyRadiomics' (index + 0 or 0.5) * spacing. */
function halfUnitCoordinates(to: usize, count: i32, spacing: f64): void {
  for (let h = 0; h < count; h++) store<f64>(to + ((<usize>h) << 3), (<f64>h / 2) * spacing);
}

/** Widens the x range of row (vz, vy) and the y range of row (vx, vz) to the vertex. */
function addVertex(vz: i32, vy: i32, vx: i32): void {
  const zy = (<usize>(vz * hy + vy)) << 2;
  if (vx < load<i32>(xRangeMin + zy)) store<i32>(xRangeMin + zy, vx);
  if (vx > load<i32>(xRangeMax + zy)) store<i32>(xRangeMax + zy, vx);
  const xz = (<usize>(vx * hz + vz)) << 2;
  if (vy < load<i32>(yRangeMin + xz)) store<i32>(yRangeMin + xz, vy);
  if (vy > load<i32>(yRangeMax + xz)) store<i32>(yRangeMax + xz, vy);
}

function addCandidate(k: i32, z: i32, y: i32, x: i32): void {
  const at = (<usize>k) << 3;
  store<f64>(candidateZ + at, load<f64>(coordZ + ((<usize>z) << 3)));
  store<f64>(candidateY + at, load<f64>(coordY + ((<usize>y) << 3)));
  store<f64>(candidateX + at, load<f64>(coordX + ((<usize>x) << 3)));
}

/**
 * Largest squared distance within the planes of one family (each plane's points: its rows' end
 * points), and marks each plane's hull vertices in extremeFlags. A plane is skipped when even its
 * bounding box diagonal cannot beat the best so far: each coordinate difference is at most the
 * box extent, and rounding is monotone.
 */
function familyDiameter(family: i32): f64 {
  // Row (plane, row) of the family is range entry plane * planeStride + row * rowStride.
  let planes = hz;
  let rows = hy;
  let planeStride = hy;
  let rowStride = 1;
  let rangeMin = xRangeMin;
  let rangeMax = xRangeMax;
  if (family === Y_PLANES) {
    planes = hy;
    rows = hz;
    planeStride = 1;
    rowStride = hy;
  } else if (family === X_PLANES) {
    planes = hx;
    rows = hz;
    planeStride = hz;
    rangeMin = yRangeMin;
    rangeMax = yRangeMax;
  }
  let best: f64 = 0;
  for (let plane = 0; plane < planes; plane++) {
    // Points sorted by (row, col): each row's lowest then highest column.
    let n = 0;
    for (let row = 0; row < rows; row++) {
      const k = (<usize>(plane * planeStride + row * rowStride)) << 2;
      const highest = load<i32>(rangeMax + k);
      if (highest < 0) continue;
      const lowest = load<i32>(rangeMin + k);
      setPoint(n++, row, lowest);
      if (highest !== lowest) setPoint(n++, row, highest);
    }
    const count = monotoneChain(n);
    if (count === 0) continue;
    for (let k = 0; k < count; k++) {
      const point = (<usize>load<i32>(hullPoints + ((<usize>k) << 2))) << 3;
      const row = load<i32>(planePoints + point);
      const col = load<i32>(planePoints + point, 4);
      let z = plane;
      let y = row;
      let x = col;
      if (family === Y_PLANES) {
        z = row;
        y = plane;
      } else if (family === X_PLANES) {
        z = row;
        y = col;
        x = plane;
      }
      const at = (<usize>k) << 3;
      store<f64>(hullZ + at, load<f64>(coordZ + ((<usize>z) << 3)));
      store<f64>(hullY + at, load<f64>(coordY + ((<usize>y) << 3)));
      store<f64>(hullX + at, load<f64>(coordX + ((<usize>x) << 3)));
      markRowEnd(family, z, y, x);
    }
    if (boxDiagonalSquared(count) <= best) continue;
    const d = maxSquaredDistance(hullZ, hullY, hullX, count);
    if (d > best) best = d;
  }
  return best;
}

/** Records that vertex (z, y, x), when an end point of its (z, y) row, is a hull vertex in `family`. */
function markRowEnd(family: i32, z: i32, y: i32, x: i32): void {
  const zy = <usize>(z * hy + y);
  let bit = 0;
  if (x === load<i32>(xRangeMin + (zy << 2))) bit = 1 << family;
  else if (x === load<i32>(xRangeMax + (zy << 2))) bit = 8 << family;
  store<u8>(extremeFlags + zy, load<u8>(extremeFlags + zy) | bit);
}

function setPoint(k: i32, row: i32, col: i32): void {
  const at = planePoints + ((<usize>k) << 3);
  store<i32>(at, row);
  store<i32>(at, col, 4);
}

/** Cross product (a - o) x (b - o) of points o, a, b of planePoints (exact in 64 bits). */
function cross(o: i32, a: i32, b: i32): i64 {
  const po = planePoints + ((<usize>o) << 3);
  const pa = planePoints + ((<usize>a) << 3);
  const pb = planePoints + ((<usize>b) << 3);
  const oRow = load<i32>(po);
  const oCol = load<i32>(po, 4);
  return (
    <i64>(load<i32>(pa) - oRow) * <i64>(load<i32>(pb, 4) - oCol) -
    <i64>(load<i32>(pa, 4) - oCol) * <i64>(load<i32>(pb) - oRow)
  );
}

function hullPoint(k: i32): i32 {
  return load<i32>(hullPoints + ((<usize>k) << 2));
}

function setHullPoint(k: i32, point: i32): void {
  store<i32>(hullPoints + ((<usize>k) << 2), point);
}

/**
 * Andrew's monotone chain on the n sorted points of planePoints, dropping collinear points: the
 * hull's vertices (as point numbers) go to hullPoints. Returns their count (n when n <= 2).
 */
function monotoneChain(n: i32): i32 {
  if (n <= 2) {
    for (let i = 0; i < n; i++) setHullPoint(i, i);
    return n;
  }
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k >= 2 && cross(hullPoint(k - 2), hullPoint(k - 1), i) <= 0) k--;
    setHullPoint(k++, i);
  }
  const lowerEnd = k + 1;
  for (let i = n - 2; i >= 0; i--) {
    while (k >= lowerEnd && cross(hullPoint(k - 2), hullPoint(k - 1), i) <= 0) k--;
    setHullPoint(k++, i);
  }
  // The last point repeats the first.
  const count = k - 1;
  if (count < 2) {
    // All points coincide (cannot happen for distinct sorted points, kept for safety).
    setHullPoint(0, 0);
    return 1;
  }
  return count;
}

/** (e0^2 + e1^2) + e2^2 with e = max - min of each coordinate of the plane's hull vertices. */
function boxDiagonalSquared(n: i32): f64 {
  let lo0 = load<f64>(hullZ);
  let hi0 = lo0;
  let lo1 = load<f64>(hullY);
  let hi1 = lo1;
  let lo2 = load<f64>(hullX);
  let hi2 = lo2;
  for (let k = 1; k < n; k++) {
    const at = (<usize>k) << 3;
    const v0 = load<f64>(hullZ + at);
    const v1 = load<f64>(hullY + at);
    const v2 = load<f64>(hullX + at);
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

/**
 * Largest squared distance between n points (coordinates column-wise, f64), with PyRadiomics'
 * sum order ((d0^2 + d1^2) + d2^2).
 */
function maxSquaredDistance(c0: usize, c1: usize, c2: usize, n: i32): f64 {
  let best: f64 = 0;
  for (let i = 1; i < n; i++) {
    const ai = (<usize>i) << 3;
    const a0 = load<f64>(c0 + ai);
    const a1 = load<f64>(c1 + ai);
    const a2 = load<f64>(c2 + ai);
    for (let j = 0; j < i; j++) {
      const aj = (<usize>j) << 3;
      const d0 = a0 - load<f64>(c0 + aj);
      const d1 = a1 - load<f64>(c1 + aj);
      const d2 = a2 - load<f64>(c2 + aj);
      const d = d0 * d0 + d1 * d1 + d2 * d2;
      if (d > best) best = d;
    }
  }
  return best;
}
