/**
 * numpy's floating-point reduction and percentile semantics, so first-order features match
 * PyRadiomics to the last bits where practical.
 */

/**
 * numpy's pairwise summation (umath/loops_utils pairwise_sum): blocks of up to 128 values are
 * summed with 8 interleaved accumulators, larger arrays are split in halves (rounded to a multiple
 * of 8) and summed recursively. `f` maps each element before it is added.
 */
export function pairwiseSum(
  a: ArrayLike<number>,
  start = 0,
  n = a.length - start,
  f?: (x: number) => number,
): number {
  if (n < 8) {
    let res = 0;
    for (let i = start; i < start + n; i++) res += f ? f(a[i]!) : a[i]!;
    return res;
  }
  if (n <= 128) {
    const g = f ?? ((x: number) => x);
    let r0 = g(a[start]!);
    let r1 = g(a[start + 1]!);
    let r2 = g(a[start + 2]!);
    let r3 = g(a[start + 3]!);
    let r4 = g(a[start + 4]!);
    let r5 = g(a[start + 5]!);
    let r6 = g(a[start + 6]!);
    let r7 = g(a[start + 7]!);
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const p = start + i;
      r0 += g(a[p]!);
      r1 += g(a[p + 1]!);
      r2 += g(a[p + 2]!);
      r3 += g(a[p + 3]!);
      r4 += g(a[p + 4]!);
      r5 += g(a[p + 5]!);
      r6 += g(a[p + 6]!);
      r7 += g(a[p + 7]!);
    }
    let res = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += g(a[start + i]!);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, start, n2, f) + pairwiseSum(a, start + n2, n - n2, f);
}

/** numpy.mean of a 1-D float array: pairwise sum divided by the count. */
export function numpyMean(a: ArrayLike<number>): number {
  return pairwiseSum(a) / a.length;
}

/** numpy.var (ddof 0): mean of squared deviations from the pairwise mean. */
export function numpyVar(a: ArrayLike<number>): number {
  const mean = numpyMean(a);
  return pairwiseSum(a, 0, a.length, (x) => (x - mean) * (x - mean)) / a.length;
}

/**
 * numpy.percentile(sorted, q) with the default 'linear' method: virtual index h = (n - 1) q / 100,
 * lerp between neighbours as numpy does (a + (b - a) t, or b - (b - a)(1 - t) when t >= 0.5).
 * `sorted` must be ascending.
 */
export function numpyPercentileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (q / 100) * (n - 1);
  const lo = Math.floor(h);
  if (lo >= n - 1) return sorted[n - 1]!;
  const t = h - lo;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** numpy.median of an ascending array. */
export function numpyMedianSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
