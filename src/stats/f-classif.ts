/**
 * ANOVA F test per feature for a class label, as scikit-learn 1.2 `f_classif`
 * (feature_selection/_univariate_selection.py, `f_oneway`):
 *   ss_total = sum x^2 - (sum x)^2 / n,  ss_between = sum_k (sum_k x)^2 / n_k - (sum x)^2 / n,
 *   F = (ss_between / (K - 1)) / ((ss_total - ss_between) / (n - K)),  p = P(F(K-1, n-K) > F).
 * The sums of squares are formed exactly in that (uncentred) order, so F matches scikit-learn to
 * rounding. A feature that is constant within every class has ss_within = 0: F = msb / 0 = +Inf
 * (p = 0) when its class means differ and NaN (p NaN) when the feature is constant overall,
 * which is what scikit-learn 1.2 returns (with a warning).
 */
import betainc from "@stdlib/math-base-special-betainc";

export interface FClassifResult {
  F: Float64Array;
  p: Float64Array;
  /** Indices of features with zero within-class variance. */
  constantFeatures: number[];
}

/** Upper tail of the F(d1, d2) distribution at f (scipy's fdtrc), via the regularised incomplete beta. */
export function fDistributionUpperTail(f: number, d1: number, d2: number): number {
  if (Number.isNaN(f)) return Number.NaN;
  if (f === Number.POSITIVE_INFINITY) return 0;
  if (f <= 0) return 1;
  return betainc(d2 / (d2 + d1 * f), d2 / 2, d1 / 2, true, false);
}

/**
 * f_classif(X, y): columns[j] is feature j, `labels` the class of each row (any values; each
 * distinct value is a class). Needs at least 2 classes and more rows than classes.
 */
export function fClassif(
  columns: readonly ArrayLike<number>[],
  labels: ArrayLike<number | string>,
): FClassifResult {
  const n = labels.length;
  const classIndex = new Map<number | string, number>();
  const cls = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = labels[i]!;
    if (typeof l === "number" && !Number.isFinite(l))
      throw new Error(`fClassif: label of row ${i} is ${l}`);
    let k = classIndex.get(l);
    if (k === undefined) {
      k = classIndex.size;
      classIndex.set(l, k);
    }
    cls[i] = k;
  }
  const K = classIndex.size;
  if (K < 2) throw new Error(`fClassif: need at least 2 classes, got ${K}`);
  if (n <= K) throw new Error(`fClassif: ${n} rows are too few for ${K} classes`);
  const nk = new Float64Array(K);
  for (let i = 0; i < n; i++) nk[cls[i]!]!++;
  const p = columns.length;
  const F = new Float64Array(p);
  const P = new Float64Array(p);
  const constantFeatures: number[] = [];
  const sums = new Float64Array(K);
  const dfbn = K - 1;
  const dfwn = n - K;
  for (let j = 0; j < p; j++) {
    const c = columns[j]!;
    if (c.length !== n)
      throw new Error(`fClassif: feature ${j} has ${c.length} rows, labels have ${n}`);
    sums.fill(0);
    let ss = 0;
    for (let k = 0; k < K; k++) {
      // per-class sums of squares added class by class, as sum(a**2 for each group)
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        if (cls[i] !== k) continue;
        const v = c[i]!;
        if (!Number.isFinite(v))
          throw new Error(`fClassif: feature ${j}, row ${i} is not finite (${v})`);
        s2 += v * v;
        sums[k] = sums[k]! + v;
      }
      ss += s2;
    }
    let total = 0;
    for (let k = 0; k < K; k++) total += sums[k]!;
    const sqAll = total * total;
    const sstot = ss - sqAll / n;
    let ssbn = 0;
    for (let k = 0; k < K; k++) ssbn += (sums[k]! * sums[k]!) / nk[k]!;
    ssbn -= sqAll / n;
    const sswn = sstot - ssbn;
    const msb = ssbn / dfbn;
    const msw = sswn / dfwn;
    if (msw === 0) constantFeatures.push(j);
    const f = msb / msw;
    F[j] = f;
    P[j] = fDistributionUpperTail(f, dfbn, dfwn);
  }
  return { F, p: P, constantFeatures };
}
