/**
 * Element access and scratch layout shared by the kernels that lay out their own working arrays
 * (mcc.ts, glcm-features.ts).
 */

/** Bytes for `count` elements of `size` bytes, rounded up to 16 (each array starts aligned). */
export function room(count: i32, size: i32): usize {
  return (<usize>(count * size) + 15) & ~(<usize>15);
}

/** Element i of the f64 array at `base`. */
export function getF64(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

export function setF64(base: usize, i: i32, value: f64): void {
  store<f64>(base + ((<usize>i) << 3), value);
}

/** Element i of the i32 array at `base`. */
export function getI32(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}

export function setI32(base: usize, i: i32, value: i32): void {
  store<i32>(base + ((<usize>i) << 2), value);
}
