/**
 * Whole-mask scans of one extraction (binding and documentation: src/kernels/masks.ts): PyRadiomics
 * getMask's label match, checkMask's bounding box and voxel count, the crop-and-pad of the shape
 * classes (shape.py / cshape.c pad the bounding box by one voxel of zeros), the ROI positions and
 * gray values that binImage digitises, numpy.digitize itself, and the count of non-finite image
 * values (in the ROI) that the extractor refuses. Masks are mostly background, so the scans go 16
 * voxels at a time (SIMD) and look at single voxels only where some are set. Integer logic
 * throughout, except numpy.digitize, which repeats the JavaScript float operations.
 */

// Every scan below takes one chunk of its mask at a time (the binding copies chunks of ~128 KiB
// into the same place), so a scan of a large mask touches only a little of this module's memory:
// fresh pages cost a page fault each on first use, more than the scan itself in a cold process.

/**
 * Bit k set where voxel k of the 16 at `at` matches `wanted` (the label splatted to T's lanes):
 * equal bit patterns for integer T, trunc(voxel) == label for float T.
 */
function matchBits<T>(at: usize, wanted: v128): i32 {
  if (sizeof<T>() === 1) return i8x16.bitmask(i8x16.eq(v128.load(at), wanted));
  if (sizeof<T>() === 2) {
    return i8x16.bitmask(
      i8x16.narrow_i16x8_s(i16x8.eq(v128.load(at), wanted), i16x8.eq(v128.load(at, 16), wanted)),
    );
  }
  // Four voxels of 32 or 64 bits per match4, narrowed to 16 byte lanes.
  const step = (<usize>sizeof<T>()) << 2;
  return i8x16.bitmask(
    i8x16.narrow_i16x8_s(
      i16x8.narrow_i32x4_s(match4<T>(at, wanted), match4<T>(at + step, wanted)),
      i16x8.narrow_i32x4_s(match4<T>(at + 2 * step, wanted), match4<T>(at + 3 * step, wanted)),
    ),
  );
}

/** Four 32-bit lanes, 0 or -1: whether each of the 4 voxels (32 or 64 bits) at `at` matches. */
function match4<T>(at: usize, wanted: v128): v128 {
  if (sizeof<T>() === 8) {
    // Float64 comparisons give 64-bit lanes: keep the low half of each.
    const low = f64x2.eq(f64x2.trunc(v128.load(at)), wanted);
    const high = f64x2.eq(f64x2.trunc(v128.load(at, 16)), wanted);
    return i32x4.shuffle(low, high, 0, 2, 4, 6);
  }
  return isFloat<T>()
    ? f32x4.eq(f32x4.trunc(v128.load(at)), wanted)
    : i32x4.eq(v128.load(at), wanted);
}

/** Whether one voxel of type T matches the label (as matchBits). */
function matchesOne<T>(at: usize, label: T): bool {
  if (isFloat<T>()) {
    return sizeof<T>() === 4
      ? Mathf.trunc(load<f32>(at)) === <f32>label
      : Math.trunc(load<f64>(at)) === <f64>label;
  }
  return load<T>(at) === label;
}

/**
 * The runs of voxels of mask[0 .. count) (type T, the chunk starting at voxel `first` of the whole
 * mask) that match `label`, written to `runs` as [start, end) pairs of whole-mask positions (i32;
 * room for count + 1). Adds the number of matching voxels to the i32 at `tally`; returns the number
 * of runs. Masks are mostly background, and label voxels come in runs along x: the binding fills
 * each run with one native call.
 */
function matchRuns<T>(
  mask: usize,
  count: i32,
  first: i32,
  label: T,
  wanted: v128,
  runs: usize,
  tally: usize,
): i32 {
  let runCount = 0;
  let matched = 0;
  let inRun = 0;
  let runStart = 0;
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const bits = matchBits<T>(mask + <usize>i * sizeof<T>(), wanted);
    if (bits === (inRun ? 0xffff : 0)) continue;
    matched += popcnt<i32>(bits);
    // A set bit k of `edges` is where voxel k differs from voxel k - 1: a run starts or ends.
    let edges = (bits ^ ((bits << 1) | inRun)) & 0xffff;
    while (edges !== 0) {
      const k = ctz<i32>(edges);
      const at = first + i + k;
      if ((bits >>> k) & 1) {
        runStart = at;
      } else {
        store<i32>(runs + ((<usize>runCount) << 3), runStart);
        store<i32>(runs + ((<usize>runCount) << 3), at, 4);
        runCount++;
      }
      edges &= edges - 1;
    }
    inRun = (bits >>> 15) & 1;
  }
  for (; i < count; i++) {
    const hit = <i32>matchesOne<T>(mask + <usize>i * sizeof<T>(), label);
    matched += hit;
    if (hit === inRun) continue;
    if (hit) {
      runStart = first + i;
    } else {
      store<i32>(runs + ((<usize>runCount) << 3), runStart);
      store<i32>(runs + ((<usize>runCount) << 3), first + i, 4);
      runCount++;
    }
    inRun = hit;
  }
  if (inRun) {
    store<i32>(runs + ((<usize>runCount) << 3), runStart);
    store<i32>(runs + ((<usize>runCount) << 3), first + count, 4);
    runCount++;
  }
  store<i32>(tally, load<i32>(tally) + matched);
  return runCount;
}

/** matchRuns for 8-bit voxels; `label` is the bit pattern (the binding checks it is in range). */
export function matchLabel8(
  mask: usize,
  count: i32,
  first: i32,
  label: i32,
  runs: usize,
  tally: usize,
): i32 {
  return matchRuns<u8>(mask, count, first, <u8>label, i8x16.splat(<i8>label), runs, tally);
}

/** matchRuns for 16-bit voxels. */
export function matchLabel16(
  mask: usize,
  count: i32,
  first: i32,
  label: i32,
  runs: usize,
  tally: usize,
): i32 {
  return matchRuns<u16>(mask, count, first, <u16>label, i16x8.splat(<i16>label), runs, tally);
}

/** matchRuns for 32-bit voxels. */
export function matchLabel32(
  mask: usize,
  count: i32,
  first: i32,
  label: i32,
  runs: usize,
  tally: usize,
): i32 {
  return matchRuns<u32>(mask, count, first, <u32>label, i32x4.splat(label), runs, tally);
}

/**
 * matchRuns for float32 voxels, truncated before comparing (PyRadiomics casts the mask to UInt32);
 * the binding passes only labels that are float32 values (no other can equal a truncated float32).
 * NaN matches nothing.
 */
export function matchLabelTruncatedF32(
  mask: usize,
  count: i32,
  first: i32,
  label: f32,
  runs: usize,
  tally: usize,
): i32 {
  return matchRuns<f32>(mask, count, first, label, f32x4.splat(label), runs, tally);
}

/** matchLabelTruncatedF32 for float64 voxels. */
export function matchLabelTruncatedF64(
  mask: usize,
  count: i32,
  first: i32,
  label: f64,
  runs: usize,
  tally: usize,
): i32 {
  return matchRuns<f64>(mask, count, first, label, f64x2.splat(label), runs, tally);
}

/** Bits set where the 16 bytes at `at` are non-zero. */
function nonZeroBits(at: usize): i32 {
  return i8x16.bitmask(i8x16.ne(v128.load(at), i8x16.splat(0)));
}

/**
 * Bounding box and count of the non-zero voxels of whole rows (nx voxels along x, one byte each)
 * of a mask of ny rows per slice: `rowCount` rows, the first of them row `firstRow` of the mask.
 * Updates the box at `box` (i32 x0, y0, z0, x1, y1, z1, count; start from nx, ny, nz, -1, -1, -1,
 * 0) and returns its count.
 */
export function roiBounds(
  rows: usize,
  nx: i32,
  ny: i32,
  firstRow: i32,
  rowCount: i32,
  box: usize,
): i32 {
  let x0 = load<i32>(box);
  let y0 = load<i32>(box, 4);
  let z0 = load<i32>(box, 8);
  let x1 = load<i32>(box, 12);
  let y1 = load<i32>(box, 16);
  let z1 = load<i32>(box, 20);
  let count = load<i32>(box, 24);
  let y = firstRow % ny;
  let z = firstRow / ny;
  let row = rows;
  for (let r = 0; r < rowCount; r++, row += <usize>nx) {
    let first = -1;
    let last = -1;
    let x = 0;
    for (; x + 16 <= nx; x += 16) {
      const set = nonZeroBits(row + x);
      if (set === 0) continue;
      if (first < 0) first = x + ctz<i32>(set);
      last = x + 31 - clz<i32>(set);
      count += popcnt<i32>(set);
    }
    for (; x < nx; x++) {
      if (load<u8>(row + x) === 0) continue;
      if (first < 0) first = x;
      last = x;
      count++;
    }
    if (first >= 0) {
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
    if (++y === ny) {
      y = 0;
      z++;
    }
  }
  store<i32>(box, x0);
  store<i32>(box, y0, 4);
  store<i32>(box, z0, 8);
  store<i32>(box, x1, 12);
  store<i32>(box, y1, 16);
  store<i32>(box, z1, 20);
  store<i32>(box, count, 24);
  return count;
}

/**
 * Copies the box (roiBounds' output at `box`) of a mask of nx * ny voxels per slice into `out` as
 * 0 / 1, surrounded by one voxel of zeros on x and y, and on z too when padZ (cshape.c's padding,
 * applied by shape.py; shape2D.py pads its single slice on x and y only). `slices` holds the mask's
 * slices z0 .. z1; `out` holds (x1 - x0 + 3) * (y1 - y0 + 3) * (z1 - z0 + 1 + 2 * padZ) bytes.
 */
export function cropAndPad(
  slices: usize,
  nx: i32,
  ny: i32,
  box: usize,
  padZ: i32,
  out: usize,
): void {
  const x0 = load<i32>(box);
  const y0 = load<i32>(box, 4);
  const z0 = load<i32>(box, 8);
  const width = load<i32>(box, 12) - x0 + 1;
  const y1 = load<i32>(box, 16);
  const z1 = load<i32>(box, 20);
  const px = width + 2;
  const py = y1 - y0 + 3;
  const pz = z1 - z0 + 1 + 2 * padZ;
  memory.fill(out, 0, <usize>(px * py * pz));
  const one = i8x16.splat(1);
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const src = slices + <usize>(x0 + nx * (y + ny * (z - z0)));
      const dst = out + <usize>(1 + px * (y - y0 + 1 + py * (z - z0 + padZ)));
      let x = 0;
      for (; x + 16 <= width; x += 16) {
        v128.store(dst + x, v128.and(i8x16.ne(v128.load(src + x), i8x16.splat(0)), one));
      }
      for (; x < width; x++) store<u8>(dst + x, <u8>(load<u8>(src + x) !== 0));
    }
  }
}

/**
 * Writes the positions of the non-zero bytes of mask[0 .. count), the chunk starting at voxel
 * `first` of the whole mask, to `positions` (i32, whole-mask positions, ascending); returns how
 * many.
 */
export function roiPositions(mask: usize, count: i32, first: i32, positions: usize): i32 {
  let found = 0;
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    let set = nonZeroBits(mask + i);
    while (set !== 0) {
      store<i32>(positions + ((<usize>found) << 2), first + i + ctz<i32>(set));
      found++;
      set &= set - 1;
    }
  }
  for (; i < count; i++) {
    if (load<u8>(mask + i) === 0) continue;
    store<i32>(positions + ((<usize>found) << 2), first + i);
    found++;
  }
  return found;
}

/**
 * out[c] = image[positions[c]] for an image of `length` voxels of type T, converted to R (exact: R
 * is f64, or f32 when T is); NaN for a position outside the image, as JavaScript's undefined.
 */
function gather<T, R>(image: usize, length: i32, positions: usize, count: i32, out: usize): void {
  for (let c = 0; c < count; c++) {
    const at = load<i32>(positions + ((<usize>c) << 2));
    const value = <u32>at < <u32>length ? <R>load<T>(image + <usize>at * sizeof<T>()) : <R>NaN;
    store<R>(out + <usize>c * sizeof<R>(), value);
  }
}

export function gatherInt8(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<i8, f64>(image, length, positions, count, out);
}
export function gatherUint8(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<u8, f64>(image, length, positions, count, out);
}
export function gatherInt16(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<i16, f64>(image, length, positions, count, out);
}
export function gatherUint16(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<u16, f64>(image, length, positions, count, out);
}
export function gatherInt32(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<i32, f64>(image, length, positions, count, out);
}
export function gatherUint32(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<u32, f64>(image, length, positions, count, out);
}
export function gatherFloat32(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<f32, f32>(image, length, positions, count, out);
}
export function gatherFloat64(
  image: usize,
  length: i32,
  positions: usize,
  count: i32,
  out: usize,
): void {
  gather<f64, f64>(image, length, positions, count, out);
}

/**
 * numpy.digitize(values[c], edges) (increasing edges, right=False: the number of edges <= x),
 * stored at levels[positions[c]] (i32; `levels` holds `total` entries, 0 outside the ROI). The
 * edges are (nearly) evenly spaced: start from the interpolated position floor((x - edges[0]) *
 * scale) + 1 and step to the exact count, which is numpy's whatever the guess. Same f64 operations
 * as the JavaScript they replace. Returns the highest level (PyRadiomics' Ng).
 */
function digitize<T>(
  values: usize,
  positions: usize,
  count: i32,
  edges: usize,
  edgeCount: i32,
  scale: f64,
  levels: usize,
  total: i32,
): i32 {
  memory.fill(levels, 0, (<usize>total) << 2);
  const first = load<f64>(edges);
  let highest = 0;
  for (let c = 0; c < count; c++) {
    const x = <f64>load<T>(values + <usize>c * sizeof<T>());
    const guess = Math.floor((x - first) * scale) + 1;
    // NaN stays at 0, like the JavaScript !(level >= 0) test.
    let level = !(guess >= 0) ? 0 : guess > <f64>edgeCount ? edgeCount : <i32>guess;
    while (level < edgeCount && load<f64>(edges + ((<usize>level) << 3)) <= x) level++;
    while (level > 0 && load<f64>(edges + ((<usize>(level - 1)) << 3)) > x) level--;
    // A position outside the levels is dropped, as a typed-array write past the end is.
    const at = load<i32>(positions + ((<usize>c) << 2));
    if (<u32>at < <u32>total) store<i32>(levels + ((<usize>at) << 2), level);
    if (level > highest) highest = level;
  }
  return highest;
}

export function digitizeFloat32(
  values: usize,
  positions: usize,
  count: i32,
  edges: usize,
  edgeCount: i32,
  scale: f64,
  levels: usize,
  total: i32,
): i32 {
  return digitize<f32>(values, positions, count, edges, edgeCount, scale, levels, total);
}

export function digitizeFloat64(
  values: usize,
  positions: usize,
  count: i32,
  edges: usize,
  edgeCount: i32,
  scale: f64,
  levels: usize,
  total: i32,
): i32 {
  return digitize<f64>(values, positions, count, edges, edgeCount, scale, levels, total);
}

/** Four 32-bit lanes, -1 where the voxel (float T) at `at` + lane is NaN or infinite. */
function nonFinite4<T>(at: usize): v128 {
  // Non-finite: every exponent bit set (IEEE 754), whatever the sign and fraction.
  if (sizeof<T>() === 8) {
    const exponent = i64x2.splat(0x7ff0000000000000);
    const low = i64x2.eq(v128.and(v128.load(at), exponent), exponent);
    const high = i64x2.eq(v128.and(v128.load(at, 16), exponent), exponent);
    return i32x4.shuffle(low, high, 0, 2, 4, 6);
  }
  const exponent = i32x4.splat(0x7f800000);
  return i32x4.eq(v128.and(v128.load(at), exponent), exponent);
}

function isNonFinite<T>(at: usize): bool {
  if (sizeof<T>() === 8) {
    return (load<u64>(at) & 0x7ff0000000000000) === 0x7ff0000000000000;
  }
  return (load<u32>(at) & 0x7f800000) === 0x7f800000;
}

/**
 * How many of the float voxels values[0 .. count) (type T) are NaN or infinite, counting only
 * those whose byte in `roi` is non-zero unless `roi` is 0.
 */
function countNonFinite<T>(values: usize, roi: usize, count: i32): i32 {
  const step = (<usize>sizeof<T>()) << 2;
  let found = 0;
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const at = values + <usize>i * sizeof<T>();
    let lanes = i8x16.narrow_i16x8_s(
      i16x8.narrow_i32x4_s(nonFinite4<T>(at), nonFinite4<T>(at + step)),
      i16x8.narrow_i32x4_s(nonFinite4<T>(at + 2 * step), nonFinite4<T>(at + 3 * step)),
    );
    if (roi) lanes = v128.and(lanes, i8x16.ne(v128.load(roi + i), i8x16.splat(0)));
    found += popcnt<i32>(i8x16.bitmask(lanes));
  }
  for (; i < count; i++) {
    if (roi && load<u8>(roi + i) === 0) continue;
    if (isNonFinite<T>(values + <usize>i * sizeof<T>())) found++;
  }
  return found;
}

export function countNonFiniteFloat32(values: usize, roi: usize, count: i32): i32 {
  return countNonFinite<f32>(values, roi, count);
}

export function countNonFiniteFloat64(values: usize, roi: usize, count: i32): i32 {
  return countNonFinite<f64>(values, roi, count);
}
