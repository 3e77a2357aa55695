/**
 * IBSI mode's texture counts into a code counter's cells (src/ibsi/features/glcm/code-counter.ts):
 * a cell's code is appended to `touched` when its count leaves 0 (their number at state[0]).
 *
 * GLCM pairs along one direction (src/ibsi/features/glcm/matrices.ts documents the matrix): for every voxel v of rows y0..y1, x0..x1 of slices z0..z1 (x fastest on a grid nx x
 * ny) with level a > 0 whose neighbour v + offset has level b > 0, the symmetric pair: cell
 * (a - 1)(Ng + 1) += 2 when a = b, else cells (a - 1) Ng + (b - 1) and (b - 1) Ng + (a - 1) += 1.
 * GLRLM runs along one direction (src/ibsi/features/glrlm/matrices.ts): a voxel of level g > 0
 * starts a run unless its predecessor v - m inside the box has level g; the run's length L counts
 * the voxels of level g from it along m inside the box; cell (g - 1) Nr + (L - 1) += 1.
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

export function ibsiCountRuns(
  levels: usize,
  nx: i32,
  ny: i32,
  x0: i32,
  x1: i32,
  y0: i32,
  y1: i32,
  z0: i32,
  z1: i32,
  dx: i32,
  dy: i32,
  dz: i32,
  maxRun: i32,
  dense: usize,
  touched: usize,
  state: usize,
): void {
  const offset = dx + nx * (dy + ny * dz);
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = nx * (y + ny * z);
      for (let x = x0; x <= x1; x++) {
        const v = row + x;
        const g = load<i32>(levels + ((<usize>v) << 2));
        if (g === 0) continue;
        const px = x - dx;
        const py = y - dy;
        const pz = z - dz;
        if (
          px >= x0 &&
          px <= x1 &&
          py >= y0 &&
          py <= y1 &&
          pz >= z0 &&
          pz <= z1 &&
          load<i32>(levels + ((<usize>(v - offset)) << 2)) === g
        )
          continue;
        let length = 1;
        let qx = x + dx;
        let qy = y + dy;
        let qz = z + dz;
        let w = v + offset;
        while (
          qx >= x0 &&
          qx <= x1 &&
          qy >= y0 &&
          qy <= y1 &&
          qz >= z0 &&
          qz <= z1 &&
          load<i32>(levels + ((<usize>w) << 2)) === g
        ) {
          length++;
          qx += dx;
          qy += dy;
          qz += dz;
          w += offset;
        }
        add(dense, touched, state, (g - 1) * maxRun + (length - 1), 1);
      }
    }
  }
}
