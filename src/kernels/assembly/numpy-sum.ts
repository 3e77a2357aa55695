/**
 * numpy's pairwise summation, shared by the kernels whose sums must equal numpy's (and so
 * PyRadiomics') to the last bit. Not exported from the module (index.ts): kernels import it.
 */

/** numpy's block size for pairwise summation (PW_BLOCKSIZE in umath/loops_utils.h). */
const PAIRWISE_BLOCK = 128;

/**
 * numpy's pairwise summation (umath/loops_utils.h pairwise_sum) of the doubles a[0 .. n): fewer
 * than 8 values are added in order; blocks of up to 128 values are summed with 8 interleaved
 * accumulators (here four f64x2 pairs: lane for lane the scalar additions) combined as
 * ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the remainder in order; larger ranges are
 * split in halves (the first rounded down to a multiple of 8) and summed recursively. Same as
 * pairwiseSum in src/features/numpy-compat.ts. `a` must be 8-byte aligned.
 */
export function pairwiseSum(a: usize, n: i32): f64 {
  if (n < 8) {
    let res: f64 = 0;
    for (let i = 0; i < n; i++) res += load<f64>(a + ((<usize>i) << 3));
    return res;
  }
  if (n <= PAIRWISE_BLOCK) {
    let r01 = v128.load(a);
    let r23 = v128.load(a, 16);
    let r45 = v128.load(a, 32);
    let r67 = v128.load(a, 48);
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) {
      const p = a + ((<usize>i) << 3);
      r01 = f64x2.add(r01, v128.load(p));
      r23 = f64x2.add(r23, v128.load(p, 16));
      r45 = f64x2.add(r45, v128.load(p, 32));
      r67 = f64x2.add(r67, v128.load(p, 48));
    }
    let res =
      f64x2.extract_lane(r01, 0) +
      f64x2.extract_lane(r01, 1) +
      (f64x2.extract_lane(r23, 0) + f64x2.extract_lane(r23, 1)) +
      (f64x2.extract_lane(r45, 0) +
        f64x2.extract_lane(r45, 1) +
        (f64x2.extract_lane(r67, 0) + f64x2.extract_lane(r67, 1)));
    for (; i < n; i++) res += load<f64>(a + ((<usize>i) << 3));
    return res;
  }
  let n2 = n / 2;
  n2 -= n2 % 8;
  return pairwiseSum(a, n2) + pairwiseSum(a + ((<usize>n2) << 3), n - n2);
}
