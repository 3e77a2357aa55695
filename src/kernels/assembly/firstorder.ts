/**
 * First-order statistics of one image's ROI values (binding and flags: src/kernels/firstorder.ts;
 * features: src/features/firstorder.ts, after PyRadiomics' radiomics/firstorder.py). X = the ROI's
 * gray values in array order (f64), N_p their count. Sums are numpy's pairwise summation
 * (umath/loops_utils.h pairwise_sum) of the mapped values in array order, percentiles numpy's
 * 'linear' method on the ascending values: the floating-point operations of the former JavaScript,
 * in the same order (WebAssembly has no implicit FMA; f64x2 lanes round exactly as scalars), so
 * every statistic is bit-identical to it.
 */
import { pairwiseSum } from "./numpy-sum";

// Flags of the statistics wanted (the binding's FIRST_ORDER_* constants).
const ORDER_STATISTICS = 1;
const MEAN = 2;
const MOMENTS = 4;
const ENERGY = 8;
const MEAN_ABSOLUTE_DEVIATION = 16;
const ROBUST_MEAN_ABSOLUTE_DEVIATION = 32;
const LEVEL_PROBABILITIES = 64;

// Slots of the f64 results (the binding's RESULT_* constants).
const RESULT_MINIMUM = 0;
const RESULT_MAXIMUM = 1;
const RESULT_P10 = 2;
const RESULT_P25 = 3;
const RESULT_P75 = 4;
const RESULT_P90 = 5;
const RESULT_MEDIAN = 6;
const RESULT_MEAN = 7;
const RESULT_M2 = 8;
const RESULT_M3 = 9;
const RESULT_M4 = 10;
const RESULT_ENERGY = 11;
const RESULT_MAD = 12;
const RESULT_ROBUST_MAD = 13;
const RESULT_LEVEL_MIN = 14;
const RESULT_LEVEL_MAX = 15;

/** The sign bit of a double's bits. */
const SIGN_BIT_64: u64 = (<u64>1) << 63;

/** Widest radix digit (bits) of the rank selection. */
const MAX_DIGIT_BITS = 11;

/** Key ranges this short are sorted by insertion rather than split by a digit. */
const INSERTION_SORT_MAX = 32;

/** Most ranks the order statistics read (two per percentile, two for the median). */
const MAX_RANKS = 10;
/** The ranks the order statistics read, ascending and distinct (selectRanks' targets). */
const RANKS = memory.data(MAX_RANKS * 4, 16);
/** The key found at each of RANKS. */
const RANK_KEYS = memory.data(MAX_RANKS * 8, 16);

function f64At(base: usize, k: i32): usize {
  return base + ((<usize>k) << 3);
}

function i32At(base: usize, k: i32): usize {
  return base + ((<usize>k) << 2);
}

/** Room for the digit tallies of every level of selectRanks (see there). */
const TALLY_BYTES: usize = 7 * (1 << MAX_DIGIT_BITS) * 4;

/** Bytes of scratch firstOrderStatistics needs for n values (selection, then the mapped arrays). */
export function firstOrderScratchBytes(n: i32): usize {
  // Two buffers of n 64-bit keys (16n) and the digit tallies; the three moment arrays need 24n.
  return 24 * <usize>n + TALLY_BYTES;
}

// ---------------------------------------------------------------------------------------------
// Order statistics: the values at a few ranks of the ascending order, by radix selection
//
// The features read the ROI values in ascending order at a few ranks only (minimum, maximum,
// median, percentiles). The order is that of the values' order-preserving 64-bit keys (sign bit
// flipped for positives, all bits for negatives): numeric order with -0 before +0, as
// TypedArray.prototype.sort gives it (a NaN, which no image should hold, goes by its bits, as in
// the former radix sort). Keys are a total order and a key fixes its value's bits, so the value
// at each rank is exactly the element a full sort would put there; selection just skips sorting
// what no rank needs.
// ---------------------------------------------------------------------------------------------

/** Order-preserving key of a double's bits. */
function keyOf(bits: u64): u64 {
  return bits & SIGN_BIT_64 ? ~bits : bits | SIGN_BIT_64;
}

/** The double whose key this is. */
function valueOfKey(key: u64): f64 {
  return reinterpret<f64>(key & SIGN_BIT_64 ? key & ~SIGN_BIT_64 : ~key);
}

/** Sorts keys[lo .. hi) in place (short ranges). */
function insertionSort(keys: usize, lo: i32, hi: i32): void {
  for (let i = lo + 1; i < hi; i++) {
    const key = load<u64>(f64At(keys, i));
    let j = i;
    for (; j > lo; j--) {
      const before = load<u64>(f64At(keys, j - 1));
      if (before <= key) break;
      store<u64>(f64At(keys, j), before);
    }
    store<u64>(f64At(keys, j), key);
  }
}

/** Digit width for splitting m keys: about m / 4 buckets, 16 to 2048. */
function digitBits(m: i32): i32 {
  const bits = 29 - clz<i32>(m);
  return min<i32>(max<i32>(bits, 4), MAX_DIGIT_BITS);
}

/**
 * Finds the keys at RANKS[firstRank .. endRank) (all within [lo, hi)) among src[lo .. hi), which
 * holds the keys of ascending ranks lo .. hi - 1 in some order; dst[lo .. hi) is free. MSD radix
 * selection: the digit is the `bits` bits ending at the highest bit in which the range's keys
 * differ (the bits above it are the same for all, so digit order is key order); the keys are
 * counted and moved to dst by digit (stable counting sort), and only the buckets holding wanted
 * ranks are split further, with the buffers' roles swapped. Each level's digit lies below the
 * previous one, so the levels' digit widths add up to at most 64 + 11 bits and their tallies
 * (level after level from `tallies`) to at most 7 * 2048 cells (TALLY_BYTES).
 */
function selectRanks(
  src: usize,
  dst: usize,
  lo: i32,
  hi: i32,
  firstRank: i32,
  endRank: i32,
  tallies: usize,
): void {
  if (hi - lo <= INSERTION_SORT_MAX) {
    insertionSort(src, lo, hi);
    for (let r = firstRank; r < endRank; r++) {
      const key = load<u64>(f64At(src, load<i32>(i32At(RANKS, r))));
      store<u64>(f64At(RANK_KEYS, r), key);
    }
    return;
  }
  let low = load<u64>(f64At(src, lo));
  let high = low;
  for (let k = lo + 1; k < hi; k++) {
    const key = load<u64>(f64At(src, k));
    if (key < low) low = key;
    if (key > high) high = key;
  }
  if (low === high) {
    for (let r = firstRank; r < endRank; r++) store<u64>(f64At(RANK_KEYS, r), low);
    return;
  }
  const bits = digitBits(hi - lo);
  const topBit = 63 - <i32>clz<u64>(low ^ high);
  const shift = <u64>max<i32>(topBit + 1 - bits, 0);
  const mask: u64 = ((<u64>1) << (<u64>bits)) - 1;
  const buckets = 1 << bits;
  memory.fill(tallies, 0, (<usize>buckets) << 2);
  for (let k = lo; k < hi; k++) {
    const at = i32At(tallies, <i32>((load<u64>(f64At(src, k)) >>> shift) & mask));
    store<i32>(at, load<i32>(at) + 1);
  }
  // Bucket starts (exclusive prefix sums from lo); after the moves, tallies[d] = end of bucket d.
  let total = lo;
  for (let d = 0; d < buckets; d++) {
    const at = i32At(tallies, d);
    const c = load<i32>(at);
    store<i32>(at, total);
    total += c;
  }
  for (let k = lo; k < hi; k++) {
    const key = load<u64>(f64At(src, k));
    const at = i32At(tallies, <i32>((key >>> shift) & mask));
    const slot = load<i32>(at);
    store<i32>(at, slot + 1);
    store<u64>(f64At(dst, slot), key);
  }
  const childTallies = i32At(tallies, buckets);
  let r = firstRank;
  let d = 0;
  let start = lo;
  while (r < endRank) {
    const rank = load<i32>(i32At(RANKS, r));
    while (load<i32>(i32At(tallies, d)) <= rank) {
      start = load<i32>(i32At(tallies, d));
      d++;
    }
    const end = load<i32>(i32At(tallies, d));
    let e = r + 1;
    while (e < endRank && load<i32>(i32At(RANKS, e)) < end) e++;
    selectRanks(dst, src, start, end, r, e, childTallies);
    r = e;
  }
}

/** Adds `rank` to the ascending, distinct RANKS[0 .. count); returns the new count. */
function addRank(rank: i32, count: i32): i32 {
  for (let r = 0; r < count; r++) if (load<i32>(i32At(RANKS, r)) === rank) return count;
  let i = count;
  for (; i > 0; i--) {
    const before = load<i32>(i32At(RANKS, i - 1));
    if (before < rank) break;
    store<i32>(i32At(RANKS, i), before);
  }
  store<i32>(i32At(RANKS, i), rank);
  return count + 1;
}

/** The value at `rank` of the ascending order (one of RANKS, found by selectRanks). */
function valueAtRank(rank: i32): f64 {
  let r = 0;
  while (load<i32>(i32At(RANKS, r)) !== rank) r++;
  return valueOfKey(load<u64>(f64At(RANK_KEYS, r)));
}

/** numpy.percentile's virtual index h = (n - 1) q / 100 ('linear' method). */
function percentileIndex(n: i32, q: f64): f64 {
  return (q / 100) * <f64>(n - 1);
}

/** Adds the ranks percentile q interpolates between (floor(h), and the next unless at the end). */
function addPercentileRanks(n: i32, q: f64, count: i32): i32 {
  const lo = floor<f64>(percentileIndex(n, q));
  if (lo >= <f64>(n - 1)) return addRank(n - 1, count);
  return addRank(<i32>lo + 1, addRank(<i32>lo, count));
}

/**
 * numpy.percentile(X, q) with the default 'linear' method: virtual index h = (n - 1) q / 100,
 * lerp between the neighbours a, b of ranks floor(h), floor(h) + 1 as numpy does
 * (a + (b - a) t, or b - (b - a)(1 - t) when t >= 0.5).
 */
function percentile(n: i32, q: f64): f64 {
  const h = percentileIndex(n, q);
  const lo = floor<f64>(h);
  if (lo >= <f64>(n - 1)) return valueAtRank(n - 1);
  const t = h - lo;
  const a = valueAtRank(<i32>lo);
  const b = valueAtRank(<i32>lo + 1);
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Minimum, maximum, median and the 10th, 25th, 75th and 90th percentiles of x[0 .. n) (n > 0);
 * `keys` holds room for 2n keys, `tallies` TALLY_BYTES.
 */
function orderStatistics(x: usize, n: i32, keys: usize, tallies: usize, results: usize): void {
  let low = keyOf(load<u64>(x));
  let high = low;
  for (let k = 0; k < n; k++) {
    const key = keyOf(load<u64>(f64At(x, k)));
    store<u64>(f64At(keys, k), key);
    if (key < low) low = key;
    if (key > high) high = key;
  }
  store<f64>(f64At(results, RESULT_MINIMUM), valueOfKey(low));
  store<f64>(f64At(results, RESULT_MAXIMUM), valueOfKey(high));
  const mid = n >> 1;
  let count = n % 2 === 1 ? addRank(mid, 0) : addRank(mid, addRank(mid - 1, 0));
  count = addPercentileRanks(n, 10, count);
  count = addPercentileRanks(n, 25, count);
  count = addPercentileRanks(n, 75, count);
  count = addPercentileRanks(n, 90, count);
  selectRanks(keys, f64At(keys, n), 0, n, 0, count, tallies);
  // numpy.median: the middle value, or the mean of the two middle values.
  store<f64>(
    f64At(results, RESULT_MEDIAN),
    n % 2 === 1 ? valueAtRank(mid) : (valueAtRank(mid - 1) + valueAtRank(mid)) / 2,
  );
  store<f64>(f64At(results, RESULT_P10), percentile(n, 10));
  store<f64>(f64At(results, RESULT_P25), percentile(n, 25));
  store<f64>(f64At(results, RESULT_P75), percentile(n, 75));
  store<f64>(f64At(results, RESULT_P90), percentile(n, 90));
}

/**
 * Central moments m_k = mean((X - mean(X))^k), k = 2, 3, 4 (PyRadiomics _moment), computed
 * together: d = X - mean, d^2 = d d, d^3 = d^2 d, d^4 = d^2 d^2 (products, which differ from
 * numpy's pow by an ulp at most), each array pairwise-summed. `buf` holds 3n doubles.
 */
function centralMoments(x: usize, n: i32, mean: f64, buf: usize, results: usize): void {
  const d2At = buf;
  const d3At = f64At(buf, n);
  const d4At = f64At(buf, 2 * n);
  const means = f64x2.splat(mean);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const d = f64x2.sub(v128.load(f64At(x, i)), means);
    const d2 = f64x2.mul(d, d);
    v128.store(f64At(d2At, i), d2);
    v128.store(f64At(d3At, i), f64x2.mul(d2, d));
    v128.store(f64At(d4At, i), f64x2.mul(d2, d2));
  }
  for (; i < n; i++) {
    const d = load<f64>(f64At(x, i)) - mean;
    const d2 = d * d;
    store<f64>(f64At(d2At, i), d2);
    store<f64>(f64At(d3At, i), d2 * d);
    store<f64>(f64At(d4At, i), d2 * d2);
  }
  store<f64>(f64At(results, RESULT_M2), pairwiseSum(d2At, n) / <f64>n);
  store<f64>(f64At(results, RESULT_M3), pairwiseSum(d3At, n) / <f64>n);
  store<f64>(f64At(results, RESULT_M4), pairwiseSum(d4At, n) / <f64>n);
}

/** Energy = sum((X + c)^2), c = voxelArrayShift. */
function energy(x: usize, n: i32, shift: f64, buf: usize): f64 {
  const shifts = f64x2.splat(shift);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const s = f64x2.add(v128.load(f64At(x, i)), shifts);
    v128.store(f64At(buf, i), f64x2.mul(s, s));
  }
  for (; i < n; i++) {
    const s = load<f64>(f64At(x, i)) + shift;
    store<f64>(f64At(buf, i), s * s);
  }
  return pairwiseSum(buf, n);
}

/** Mean absolute deviation mean(|V - mean|) of v[0 .. n), given its mean; `buf` may be `v`. */
function meanAbsoluteDeviation(v: usize, n: i32, mean: f64, buf: usize): f64 {
  const means = f64x2.splat(mean);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    v128.store(f64At(buf, i), f64x2.abs(f64x2.sub(v128.load(f64At(v, i)), means)));
  }
  for (; i < n; i++) store<f64>(f64At(buf, i), abs<f64>(load<f64>(f64At(v, i)) - mean));
  return pairwiseSum(buf, n) / <f64>n;
}

/**
 * Robust MAD: the MAD of the values X with P10 <= X <= P90 (tested as X - P10 >= 0 and
 * X - P90 <= 0, as PyRadiomics does), kept in array order.
 */
function robustMeanAbsoluteDeviation(x: usize, n: i32, p10: f64, p90: f64, buf: usize): f64 {
  let m = 0;
  for (let i = 0; i < n; i++) {
    // Branch-free compaction: every value is written, the count advances for the kept ones.
    const v = load<f64>(f64At(x, i));
    store<f64>(f64At(buf, m), v);
    m += <i32>((v - p10 >= 0) & (v - p90 <= 0));
  }
  const mean = pairwiseSum(buf, m) / <f64>m;
  return meanAbsoluteDeviation(buf, m, mean, buf);
}

/**
 * p(i) = (number of ROI voxels of level i) / N_p over the levels present, ascending (numpy.unique
 * counts divided by N_p), written to `probabilities`; returns how many. The tallies need
 * (max - min + 1) cells of `counts` (capacity `countCapacity`): -1 when they do not fit, with the
 * level range stored in the results for the binding to retry with more room.
 */
function levelProbabilities(
  levels: usize,
  n: i32,
  counts: usize,
  countCapacity: i64,
  probabilities: usize,
  results: usize,
): i32 {
  if (n === 0) return 0;
  let min = i32.MAX_VALUE;
  let max = i32.MIN_VALUE;
  for (let k = 0; k < n; k++) {
    const l = load<i32>(i32At(levels, k));
    if (l < min) min = l;
    if (l > max) max = l;
  }
  const cells = <i64>max - <i64>min + 1;
  if (cells > countCapacity) {
    store<f64>(f64At(results, RESULT_LEVEL_MIN), <f64>min);
    store<f64>(f64At(results, RESULT_LEVEL_MAX), <f64>max);
    return -1;
  }
  memory.fill(counts, 0, (<usize>cells) << 2);
  for (let k = 0; k < n; k++) {
    const at = i32At(counts, load<i32>(i32At(levels, k)) - min);
    store<i32>(at, load<i32>(at) + 1);
  }
  let present = 0;
  for (let b = 0; b < <i32>cells; b++) {
    const c = load<i32>(i32At(counts, b));
    if (c === 0) continue;
    store<f64>(f64At(probabilities, present), <f64>c / <f64>n);
    present++;
  }
  return present;
}

/**
 * The wanted first-order statistics (flags above) of x[0 .. n) (f64, array order) and levels[0 ..
 * n) (i32): results get the slots above (others untouched); the level probabilities go to
 * `probabilities` (room for n). `scratch` holds firstOrderScratchBytes(n) bytes (more enlarges the
 * level tallies' room). Returns the number of levels present (0 unless LEVEL_PROBABILITIES), or -1
 * when their tallies did not fit (see levelProbabilities). Order statistics need n > 0.
 */
export function firstOrderStatistics(
  x: usize,
  levels: usize,
  n: i32,
  shift: f64,
  wanted: i32,
  scratch: usize,
  scratchBytes: usize,
  results: usize,
  probabilities: usize,
): i32 {
  if (wanted & ROBUST_MEAN_ABSOLUTE_DEVIATION) wanted |= ORDER_STATISTICS;
  if (wanted & (MOMENTS | MEAN_ABSOLUTE_DEVIATION)) wanted |= MEAN;
  if (wanted & ORDER_STATISTICS) {
    orderStatistics(x, n, scratch, f64At(scratch, 2 * n), results);
  }
  let mean: f64 = 0;
  if (wanted & MEAN) {
    mean = pairwiseSum(x, n) / <f64>n;
    store<f64>(f64At(results, RESULT_MEAN), mean);
  }
  if (wanted & ROBUST_MEAN_ABSOLUTE_DEVIATION) {
    const p10 = load<f64>(f64At(results, RESULT_P10));
    const p90 = load<f64>(f64At(results, RESULT_P90));
    store<f64>(
      f64At(results, RESULT_ROBUST_MAD),
      robustMeanAbsoluteDeviation(x, n, p10, p90, scratch),
    );
  }
  if (wanted & MOMENTS) centralMoments(x, n, mean, scratch, results);
  if (wanted & ENERGY) store<f64>(f64At(results, RESULT_ENERGY), energy(x, n, shift, scratch));
  if (wanted & MEAN_ABSOLUTE_DEVIATION)
    store<f64>(f64At(results, RESULT_MAD), meanAbsoluteDeviation(x, n, mean, scratch));
  if (!(wanted & LEVEL_PROBABILITIES)) return 0;
  return levelProbabilities(levels, n, scratch, <i64>(scratchBytes >> 2), probabilities, results);
}
