/**
 * Steps the voxel-based kernels (voxel-firstorder.ts, voxel-glcm.ts, voxel-runs-zones.ts,
 * voxel-neighbourhood.ts) share: element addresses and scratch alignment for the working arrays
 * they lay out themselves, a kernel's box, and the numbering of the values present in a kernel
 * (gray levels, zone sizes, dependence counts) that PyRadiomics keeps as matrix rows / columns.
 */

/** Address of element k of the i32 array at `base`. */
export function i32At(base: usize, k: i32): usize {
  return base + ((<usize>k) << 2);
}

/** Address of element k of the f64 array at `base`. */
export function f64At(base: usize, k: i32): usize {
  return base + ((<usize>k) << 3);
}

/** `n` rounded up to 16 bytes: each scratch array starts aligned. */
export function align16(n: usize): usize {
  return (n + 15) & ~(<usize>15);
}

// The box of the kernel readBox read last: its lower corner and size along x, y, z.
export let boxLowX: i32 = 0;
export let boxLowY: i32 = 0;
export let boxLowZ: i32 = 0;
export let boxSizeX: i32 = 0;
export let boxSizeY: i32 = 0;
export let boxSizeZ: i32 = 0;

/** Kernel k's box from `boxes` (6 i32 per kernel: lower x, y, z, upper x, y, z, inclusive). */
export function readBox(boxes: usize, k: i32): void {
  const box = i32At(boxes, 6 * k);
  boxLowX = load<i32>(box);
  boxLowY = load<i32>(box, 4);
  boxLowZ = load<i32>(box, 8);
  boxSizeX = load<i32>(box, 12) - boxLowX + 1;
  boxSizeY = load<i32>(box, 16) - boxLowY + 1;
  boxSizeZ = load<i32>(box, 20) - boxLowZ + 1;
}

/**
 * Numbers the values lo..hi marked present in `index` (one i32 per value: 0 present, -1 absent) in
 * ascending order: index[v] = its rank, values[rank] = v + shift (as T: the i32 levels or the f64
 * row / column values of a matrix); returns how many are present. Absent entries stay -1.
 */
export function rankPresent<T>(index: usize, lo: i32, hi: i32, values: usize, shift: i32): i32 {
  let count = 0;
  for (let v = lo; v <= hi; v++) {
    if (load<i32>(i32At(index, v)) < 0) continue;
    store<i32>(i32At(index, v), count);
    store<T>(values + ((<usize>count) << alignof<T>()), <T>(v + shift));
    count++;
  }
  return count;
}
