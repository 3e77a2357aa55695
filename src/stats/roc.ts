/**
 * ROC analysis as R's pROC (Robin et al. 2011, pROC 1.18): empirical curve at the midpoints of
 * consecutive unique scores (plus ±Inf, with pROC's near-tie rule), AUC (Mann–Whitney), DeLong
 * variance / CI from placement values (DeLong, DeLong & Clarke-Pearson 1988; Sun & Xu 2014
 * algorithm), Youden-optimal thresholds, confusion tables at a fixed threshold, paired and unpaired
 * DeLong tests (pROC `roc.test`) and the DeLong covariance (pROC `cov`).
 * Pure TypeScript: runs in the browser.
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";
import tCdf from "@stdlib/stats-base-dists-t-cdf";

/**
 * pROC direction: `"<"` = controls < cases (a higher score means the event; positive if
 * score >= threshold); `">"` = controls > cases (positive if score <= threshold).
 */
export type RocDirection = "<" | ">";

export interface RocOptions {
  /** Fixed direction, or `"auto"` (pROC default: `"<"` when median(controls) <= median(cases)). Default "auto". */
  direction?: RocDirection | "auto";
}

export interface RocCurve {
  direction: RocDirection;
  /** Scores of the cases (events, label 1) and controls (label 0), input order. */
  cases: Float64Array;
  controls: Float64Array;
  nCases: number;
  nControls: number;
  /** Thresholds in ascending order: −Inf, midpoints of consecutive unique scores, +Inf. */
  thresholds: Float64Array;
  /** Sensitivity and specificity at each threshold. */
  sensitivities: Float64Array;
  specificities: Float64Array;
  /** Area under the curve = Mann–Whitney probability P(case > control) + ½P(tie) (for "<"). */
  auc: number;
}

function median(v: Float64Array): number {
  const s = Float64Array.from(v).sort();
  const n = s.length;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Number of values of ascending `sorted` that are < t. */
function countBelow(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Number of values of ascending `sorted` that are <= t. */
function countAtMost(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * pROC `roc.utils.thresholds`: (a + b)/2 for consecutive unique sorted values (a/2 + b/2 when
 * |(a+b)/2| > 1e100), −Inf and +Inf at the ends; where a near tie makes the midpoint equal to a
 * score, direction "<" uses the upper value b and ">" the lower value a.
 */
export function rocThresholds(scores: ArrayLike<number>, direction: RocDirection): Float64Array {
  const sorted = Float64Array.from(scores).sort();
  const unique: number[] = [];
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) unique.push(sorted[i]!);
  const u = unique.length;
  const values = new Set(unique);
  const thr = new Float64Array(u + 1);
  for (let k = 0; k <= u; k++) {
    const a = k === 0 ? Number.NEGATIVE_INFINITY : unique[k - 1]!;
    const b = k === u ? Number.POSITIVE_INFINITY : unique[k]!;
    const t1 = (a + b) / 2;
    let t = Math.abs(t1) > 1e100 ? a / 2 + b / 2 : t1;
    if (values.has(t)) {
      if (direction === "<") {
        if (t === a) t = b;
        else if (t !== b) throw new Error(`roc thresholds: cannot resolve the near tie ${a}, ${b}`);
      } else {
        if (t === b) t = a;
        else if (t !== a) throw new Error(`roc thresholds: cannot resolve the near tie ${a}, ${b}`);
      }
    }
    thr[k] = t;
  }
  return thr;
}

/** Sensitivity and specificity at threshold t (pROC `roc.utils.perfs`). */
function perfsAt(
  t: number,
  sortedCases: Float64Array,
  sortedControls: Float64Array,
  direction: RocDirection,
): { tp: number; tn: number } {
  if (direction === "<") {
    return {
      tp: sortedCases.length - countBelow(sortedCases, t),
      tn: countBelow(sortedControls, t),
    };
  }
  return {
    tp: countAtMost(sortedCases, t),
    tn: sortedControls.length - countAtMost(sortedControls, t),
  };
}

function checkScores(v: ArrayLike<number>, what: string): void {
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i]!))
      throw new Error(`roc: ${what}[${i + 1}] is NaN (remove missing scores first)`);
  }
}

/**
 * ROC curve of `scores` against 0/1 `labels` (1 = case / event), as pROC `roc(response,
 * predictor, levels = c(0, 1), direction)`.
 */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: RocOptions = {},
): RocCurve {
  if (scores.length !== labels.length)
    throw new Error(`roc: ${scores.length} scores but ${labels.length} labels`);
  checkScores(scores, "scores");
  const cases: number[] = [];
  const controls: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    const l = labels[i];
    if (l === 1) cases.push(scores[i]!);
    else if (l === 0) controls.push(scores[i]!);
    else throw new Error(`roc: labels[${i + 1}] = ${l}; labels must be 0 (control) or 1 (case)`);
  }
  return rocFromGroups(cases, controls, options);
}

/** ROC curve from the scores of cases and controls (pROC `roc(controls =, cases =)`). */
export function rocFromGroups(
  casesIn: ArrayLike<number>,
  controlsIn: ArrayLike<number>,
  options: RocOptions = {},
): RocCurve {
  checkScores(casesIn, "cases");
  checkScores(controlsIn, "controls");
  const cases = Float64Array.from(casesIn);
  const controls = Float64Array.from(controlsIn);
  if (cases.length === 0) throw new Error("roc: no cases (events)");
  if (controls.length === 0) throw new Error("roc: no controls (non-events)");
  let direction: RocDirection;
  const opt = options.direction ?? "auto";
  if (opt === "auto") direction = median(controls) <= median(cases) ? "<" : ">";
  else if (opt === "<" || opt === ">") direction = opt;
  else throw new Error(`roc: direction must be "<", ">" or "auto", got '${String(opt)}'`);
  const all = new Float64Array(cases.length + controls.length);
  all.set(controls);
  all.set(cases, controls.length);
  const thresholds = rocThresholds(all, direction);
  const sc = Float64Array.from(cases).sort();
  const sn = Float64Array.from(controls).sort();
  const se = new Float64Array(thresholds.length);
  const sp = new Float64Array(thresholds.length);
  thresholds.forEach((t, k) => {
    const { tp, tn } = perfsAt(t, sc, sn, direction);
    se[k] = tp / cases.length;
    sp[k] = tn / controls.length;
  });
  const { theta } = delongPlacementsRaw(cases, controls, direction);
  return {
    direction,
    cases,
    controls,
    nCases: cases.length,
    nControls: controls.length,
    thresholds,
    sensitivities: se,
    specificities: sp,
    auc: theta,
  };
}

export interface DelongPlacements {
  /** AUC (θ). */
  theta: number;
  /** Placement of each case: fraction of controls below it (ties ½) — V10. */
  X: Float64Array;
  /** Placement of each control: fraction of cases above it (ties ½) — V01. */
  Y: Float64Array;
}

function delongPlacementsRaw(
  cases: Float64Array,
  controls: Float64Array,
  direction: RocDirection,
): DelongPlacements {
  const m = cases.length;
  const n = controls.length;
  const sgn = direction === ">" ? -1 : 1;
  const sc = cases.map((v) => sgn * v).sort();
  const sn = controls.map((v) => sgn * v).sort();
  const X = new Float64Array(m);
  const Y = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < m; i++) {
    const x = sgn * cases[i]!;
    const below = countBelow(sn, x);
    const ties = countAtMost(sn, x) - below;
    const xy = below + ties / 2;
    sum += xy;
    X[i] = xy / n;
  }
  for (let j = 0; j < n; j++) {
    const yv = sgn * controls[j]!;
    const below = countBelow(sc, yv);
    const ties = countAtMost(sc, yv) - below;
    Y[j] = 1 - (below + ties / 2) / m;
  }
  return { theta: sum / m / n, X, Y };
}

/** DeLong placement values of a curve (pROC `delongPlacements`). */
export function delongPlacements(roc: RocCurve): DelongPlacements {
  return delongPlacementsRaw(roc.cases, roc.controls, roc.direction);
}

function mean(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]!;
  return s / v.length;
}

/** Sample covariance with n − 1 denominator (R `cov`/`var`). */
function sampleCov(a: Float64Array, b: Float64Array): number {
  const ma = mean(a);
  const mb = mean(b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - ma) * (b[i]! - mb);
  return s / (a.length - 1);
}

export interface AucDelong {
  auc: number;
  /** DeLong variance var(V10)/m + var(V01)/n (pROC `var(method = "delong")`). */
  variance: number;
  /** AUC ± Φ⁻¹((1+level)/2)·√variance, clipped to [0, 1] (pROC `ci.auc(method = "delong")`). */
  lower: number;
  upper: number;
}

/**
 * DeLong variance and CI of the AUC. NaN when there is a single case or control (pROC returns NA).
 */
export function aucDelong(roc: RocCurve, level = 0.95): AucDelong {
  const m = roc.nCases;
  const n = roc.nControls;
  if (m <= 1 || n <= 1)
    return { auc: roc.auc, variance: Number.NaN, lower: Number.NaN, upper: Number.NaN };
  const V = delongPlacements(roc);
  const variance = sampleCov(V.Y, V.Y) / n + sampleCov(V.X, V.X) / m;
  let sx = 0;
  for (const x of V.X) sx += (x - V.theta) * (x - V.theta);
  let sy = 0;
  for (const y of V.Y) sy += (y - V.theta) * (y - V.theta);
  const S = sx / (m - 1) / m + sy / (n - 1) / n;
  const sd = Math.sqrt(S);
  let lower = normalQuantile((1 - level) / 2, V.theta, sd);
  let upper = normalQuantile(1 - (1 - level) / 2, V.theta, sd);
  if (sd === 0) {
    lower = V.theta;
    upper = V.theta;
  }
  lower = Math.min(1, Math.max(0, lower));
  upper = Math.min(1, Math.max(0, upper));
  return { auc: roc.auc, variance, lower, upper };
}

export interface YoudenBest {
  thresholds: number[];
  sensitivities: number[];
  specificities: number[];
  /** Youden J = sensitivity + specificity − 1 at each. */
  youden: number[];
  /** Number of thresholds tied at the maximum (exact double equality of se + sp). */
  nTied: number;
}

/**
 * Every threshold maximising sensitivity + specificity (pROC `coords(roc, "best", best.method =
 * "youden")`, ties by exact double equality, ascending thresholds; the first is the usual cut-off).
 */
export function youdenBest(roc: RocCurve): YoudenBest {
  const crit = roc.sensitivities.map((s, k) => s + roc.specificities[k]!);
  let max = Number.NEGATIVE_INFINITY;
  for (const c of crit) if (c > max) max = c;
  const out: YoudenBest = {
    thresholds: [],
    sensitivities: [],
    specificities: [],
    youden: [],
    nTied: 0,
  };
  crit.forEach((c, k) => {
    if (c === max) {
      out.thresholds.push(roc.thresholds[k]!);
      out.sensitivities.push(roc.sensitivities[k]!);
      out.specificities.push(roc.specificities[k]!);
      out.youden.push(roc.sensitivities[k]! + roc.specificities[k]! - 1);
    }
  });
  out.nTied = out.thresholds.length;
  return out;
}

export interface ConfusionAtThreshold {
  threshold: number;
  direction: RocDirection;
  tp: number;
  fn: number;
  tn: number;
  fp: number;
  /** tp / (tp + fn) */
  sensitivity: number;
  /** tn / (tn + fp) */
  specificity: number;
  /** tp / (tp + fp) (NaN when nothing is positive) */
  ppv: number;
  /** tn / (tn + fn) (NaN when nothing is negative) */
  npv: number;
  /** (tp + tn) / n */
  accuracy: number;
}

/**
 * Confusion table of 0/1 `labels` at a fixed threshold and direction (e.g. learned on a training
 * set and applied unchanged to a test set): direction "<" calls score >= threshold positive, ">"
 * calls score <= threshold positive (pROC `coords(x = threshold, input = "threshold")`).
 */
export function confusionAtThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
  direction: RocDirection = "<",
): ConfusionAtThreshold {
  if (scores.length !== labels.length)
    throw new Error(`confusion: ${scores.length} scores but ${labels.length} labels`);
  if (Number.isNaN(threshold)) throw new Error("confusion: threshold is NaN");
  checkScores(scores, "scores");
  let tp = 0;
  let fn = 0;
  let tn = 0;
  let fp = 0;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i]!;
    const positive = direction === "<" ? s >= threshold : s <= threshold;
    const l = labels[i];
    if (l === 1) {
      if (positive) tp++;
      else fn++;
    } else if (l === 0) {
      if (positive) fp++;
      else tn++;
    } else throw new Error(`confusion: labels[${i + 1}] = ${l}; labels must be 0 or 1`);
  }
  return {
    threshold,
    direction,
    tp,
    fn,
    tn,
    fp,
    sensitivity: tp / (tp + fn),
    specificity: tn / (tn + fp),
    ppv: tp / (tp + fp),
    npv: tn / (tn + fn),
    accuracy: (tp + tn) / (tp + fn + tn + fp),
  };
}

export interface PairedDelongTest {
  auc1: number;
  auc2: number;
  /** Z = (auc1 − auc2) / √(var1 + var2 − 2·cov) */
  z: number;
  /** Two-sided P = 2·Φ(−|Z|) */
  p: number;
  /** DeLong covariance of the two AUCs (pROC `cov(method = "delong")`). */
  covariance: number;
  variance1: number;
  variance2: number;
  /** CI of auc1 − auc2: d ± Φ⁻¹((1+level)/2)·sd. */
  differenceLower: number;
  differenceUpper: number;
}

/**
 * Paired DeLong test of two ROC curves on the same patients (pROC `roc.test(method = "delong",
 * paired = TRUE)`; DeLong et al. 1988). Both curves must have the same cases and controls in the
 * same order (build them from the same rows).
 */
export function pairedDelongTest(roc1: RocCurve, roc2: RocCurve, level = 0.95): PairedDelongTest {
  const m = roc1.nCases;
  const n = roc1.nControls;
  if (roc2.nCases !== m || roc2.nControls !== n)
    throw new Error(
      `paired DeLong: the curves have different patients (${m}/${n} vs ${roc2.nCases}/${roc2.nControls} cases/controls)`,
    );
  if (m <= 1 || n <= 1) throw new Error("paired DeLong: needs at least 2 cases and 2 controls");
  const V1 = delongPlacements(roc1);
  const V2 = delongPlacements(roc2);
  const sx = (a: Float64Array, ta: number, b: Float64Array, tb: number, d: number) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i]! - ta) * (b[i]! - tb);
    return s / d;
  };
  const SX11 = sx(V1.X, V1.theta, V1.X, V1.theta, m - 1);
  const SX12 = sx(V1.X, V1.theta, V2.X, V2.theta, m - 1);
  const SX22 = sx(V2.X, V2.theta, V2.X, V2.theta, m - 1);
  const SY11 = sx(V1.Y, V1.theta, V1.Y, V1.theta, n - 1);
  const SY12 = sx(V1.Y, V1.theta, V2.Y, V2.theta, n - 1);
  const SY22 = sx(V2.Y, V2.theta, V2.Y, V2.theta, n - 1);
  const S11 = SX11 / m + SY11 / n;
  const S12 = SX12 / m + SY12 / n;
  const S22 = SX22 / m + SY22 / n;
  const sig = Math.sqrt(S11 - S12 - S12 + S22);
  const d = V1.theta - V2.theta;
  let z = d / sig;
  if (Number.isNaN(z) && d === 0 && sig === 0) z = 0;
  const crit = normalQuantile(1 - (1 - level) / 2, 0, 1);
  const covariance = sampleCov(V2.X, V1.X) / m + sampleCov(V2.Y, V1.Y) / n;
  return {
    auc1: roc1.auc,
    auc2: roc2.auc,
    z,
    p: 2 * normalCdf(-Math.abs(z), 0, 1),
    covariance,
    variance1: sampleCov(V1.Y, V1.Y) / n + sampleCov(V1.X, V1.X) / m,
    variance2: sampleCov(V2.Y, V2.Y) / n + sampleCov(V2.X, V2.X) / m,
    differenceLower: d - crit * sig,
    differenceUpper: d + crit * sig,
  };
}

export interface UnpairedDelongTest {
  auc1: number;
  auc2: number;
  /** D = (auc1 − auc2) / √(S1 + S2) */
  statistic: number;
  /** Welch–Satterthwaite-type df: (S1 + S2)² / (S1²/(N1 − 1) + S2²/(N2 − 1)) */
  df: number;
  /** Two-sided P = 2·P(t_df < −|D|) */
  p: number;
}

/**
 * Unpaired DeLong comparison of two ROC curves from different patients (pROC `roc.test(method =
 * "delong", paired = FALSE)`): D on a t distribution with pROC's df.
 */
export function unpairedDelongTest(roc1: RocCurve, roc2: RocCurve): UnpairedDelongTest {
  const part = (roc: RocCurve) => {
    const V = delongPlacements(roc);
    const m = roc.nCases;
    const n = roc.nControls;
    if (m <= 1 || n <= 1)
      throw new Error("unpaired DeLong: each curve needs at least 2 cases and 2 controls");
    let sx = 0;
    for (const x of V.X) sx += (x - V.theta) * (x - V.theta);
    let sy = 0;
    for (const y of V.Y) sy += (y - V.theta) * (y - V.theta);
    return { theta: V.theta, S: sx / (m - 1) / m + sy / (n - 1) / n, N: m + n };
  };
  const a = part(roc1);
  const b = part(roc2);
  const statistic = (a.theta - b.theta) / Math.sqrt(a.S + b.S);
  const df = (a.S + b.S) ** 2 / (a.S ** 2 / (a.N - 1) + b.S ** 2 / (b.N - 1));
  return { auc1: roc1.auc, auc2: roc2.auc, statistic, df, p: 2 * tCdf(-Math.abs(statistic), df) };
}
