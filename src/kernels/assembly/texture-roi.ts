/**
 * Scans of a discretised ROI shared by the texture classes (binding and documentation:
 * src/kernels/texture-roi.ts; used by src/features/texture-common.ts). `levels` (Int32) and `mask`
 * (Uint8) are the ROI's box, x fastest.
 */

/**
 * Counts the ROI voxels and finds their highest level. out[0] = count, out[1] = highest level,
 * out[2] = the first ROI voxel whose level is below 1 (-1 when none; the scan stops there).
 */
export function textureRoiScan(levels: usize, mask: usize, total: i32, out: usize): void {
  let count = 0;
  let highest = 0;
  let bad = -1;
  for (let v = 0; v < total; v++) {
    if (load<u8>(mask + <usize>v) === 0) continue;
    const level = load<i32>(levels + ((<usize>v) << 2));
    if (level < 1) {
      bad = v;
      break;
    }
    count++;
    if (level > highest) highest = level;
  }
  store<i32>(out, count);
  store<i32>(out + 4, highest);
  store<i32>(out + 8, bad);
}

/** levelIndex[level] = 0 for every level present in the ROI (the caller numbers them). */
export function markRoiLevels(levels: usize, mask: usize, total: i32, levelIndex: usize): void {
  for (let v = 0; v < total; v++) {
    if (load<u8>(mask + <usize>v) === 0) continue;
    store<i32>(levelIndex + ((<usize>load<i32>(levels + ((<usize>v) << 2))) << 2), 0);
  }
}

/**
 * The ROI copied into a grid of (nx + 2 px) x (ny + 2 py) x (nz + 2 pz) cells: level for ROI
 * voxels, 0 for other voxels of the box, -1 on the border. roiVoxels receives each ROI voxel's
 * cell, in x-fastest order.
 */
export function fillBorderedGrid(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  px: i32,
  py: i32,
  pz: i32,
  grid: usize,
  roiVoxels: usize,
): void {
  const sx = nx + 2 * px;
  const sy = ny + 2 * py;
  const sz = nz + 2 * pz;
  // -1 in every byte is -1 in every Int32 cell.
  memory.fill(grid, 0xff, (<usize>(sx * sy * sz)) << 2);
  let v = 0;
  let r = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let p = px + sx * (y + py + sy * (z + pz));
      for (let x = 0; x < nx; x++, v++, p++) {
        const cell = grid + ((<usize>p) << 2);
        if (load<u8>(mask + <usize>v) === 0) {
          store<i32>(cell, 0);
        } else {
          store<i32>(cell, load<i32>(levels + ((<usize>v) << 2)));
          store<i32>(roiVoxels + ((<usize>r) << 2), p);
          r++;
        }
      }
    }
  }
}
