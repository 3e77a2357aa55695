/**
 * IBSI mode's GLCM pair count along one direction (src/ibsi/features/glcm/matrices.ts documents
 * the matrix): for every voxel v of rows y0..y1, x0..x1 of slices z0..z1 (x fastest on a grid nx x
 * ny) with level a > 0 whose neighbour v + offset has level b > 0, the symmetric pair: cell
 * (a - 1)(Ng + 1) += 2 when a = b, else cells (a - 1) Ng + (b - 1) and (b - 1) Ng + (a - 1) += 1.
 * Counts go to a dense i32 matrix; a cell's code is appended to `touched` when it leaves 0 (its
 * count of codes at state[0]), as src/ibsi/features/glcm/code-counter.ts keeps them.
 */

function add(dense: usize, touched: usize, state: usize, code: i32, weight: i32): void {
  const cell = dense + ((<usize>code) << 2);
  const count = load<i32>(cell);
  if (count === 0) {
    const n = load<i32>(state);
    store<i32>(touched + ((<usize>n) << 2), code);
    store<i32>(state, n + 1);
  }
  store<i32>(cell, count + weight);
}

export function ibsiCountPairs(
  levels: usize,
  nx: i32,
  ny: i32,
  x0: i32,
  x1: i32,
  y0: i32,
  y1: i32,
  z0: i32,
  z1: i32,
  offset: i32,
  nLevels: i32,
  dense: usize,
  touched: usize,
  state: usize,
): void {
  const diagonalStride = nLevels + 1;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = nx * (y + ny * z);
      for (let v = row + x0; v <= row + x1; v++) {
        const a = load<i32>(levels + ((<usize>v) << 2));
        if (a === 0) continue;
        const b = load<i32>(levels + ((<usize>(v + offset)) << 2));
        if (b === 0) continue;
        if (a === b) add(dense, touched, state, (a - 1) * diagonalStride, 2);
        else {
          add(dense, touched, state, (a - 1) * nLevels + (b - 1), 1);
          add(dense, touched, state, (b - 1) * nLevels + (a - 1), 1);
        }
      }
    }
  }
}
