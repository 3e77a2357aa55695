/**
 * numpy's floating-point reduction semantics, so features match PyRadiomics to the last bits where
 * practical (the first-order kernel, src/kernels/assembly/firstorder.ts, repeats pairwiseSum and
 * numpy's linear percentiles).
 */

/** numpy's block size for pairwise summation (PW_BLOCKSIZE in umath/loops_utils.h). */
const PAIRWISE_BLOCK = 128;
/** numpy's default ufunc buffer size: buffered reductions run the inner loop per chunk of this length. */
const UFUNC_BUFFER = 8192;

/**
 * numpy's pairwise summation (umath/loops_utils pairwise_sum) of a[start .. start + n): fewer than 8
 * values are added in order; blocks of up to 128 values are summed with 8 interleaved accumulators
 * combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the remainder in order; larger
 * ranges are split in halves (the first rounded down to a multiple of 8) and summed recursively.
 */
export function pairwiseSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = start; i < start + n; i++) res += a[i]!;
    return res;
  }
  if (n <= PAIRWISE_BLOCK) {
    let r0 = a[start]!;
    let r1 = a[start + 1]!;
    let r2 = a[start + 2]!;
    let r3 = a[start + 3]!;
    let r4 = a[start + 4]!;
    let r5 = a[start + 5]!;
    let r6 = a[start + 6]!;
    let r7 = a[start + 7]!;
    const end = start + n - (n % 8);
    let p = start + 8;
    for (; p < end; p += 8) {
      r0 += a[p]!;
      r1 += a[p + 1]!;
      r2 += a[p + 2]!;
      r3 += a[p + 3]!;
      r4 += a[p + 4]!;
      r5 += a[p + 5]!;
      r6 += a[p + 6]!;
      r7 += a[p + 7]!;
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; p < start + n; p++) res += a[p]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2) + pairwiseSum(a, start + n2, n - n2);
}

/**
 * numpy.add.reduce of a contiguous array as a buffered reduction computes it: pairwise summation
 * on each chunk of the ufunc buffer size (8192), chunks accumulated in order.
 */
export function numpySum(a: ArrayLike<number>): number {
  let total = 0;
  for (let start = 0; start < a.length; start += UFUNC_BUFFER) {
    total += pairwiseSum(a, start, Math.min(UFUNC_BUFFER, a.length - start));
  }
  return total;
}

/** numpy.mean of a 1-D float array: pairwise sum divided by the count. */
export function numpyMean(a: ArrayLike<number>): number {
  return pairwiseSum(a) / a.length;
}

/** numpy.var (ddof 0): mean of squared deviations from the pairwise mean. */
export function numpyVar(a: ArrayLike<number>): number {
  const mean = numpyMean(a);
  const sq = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) {
    const d = a[k]! - mean;
    sq[k] = d * d;
  }
  return pairwiseSum(sq) / a.length;
}
