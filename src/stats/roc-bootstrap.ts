/**
 * Bootstrap confidence intervals of an ROC analysis exactly as pROC 1.18 computes them (Robin et
 * al. 2011; read from R/ci.coords.R, R/ci.auc.R and R/bootstrap.R of github.com/cran/pROC, tag
 * 1.18.0): `ci.auc(roc, method = "bootstrap")` and `ci.coords(roc, x = threshold | "best", input =
 * "threshold", best.method = "youden", best.policy = "random")`, with R's random stream reproduced
 * (src/stats/random.ts), so that the same seed gives R's replicates and intervals.
 *
 * One call = R's `set.seed(seed)` followed by `nBoot` replicates. A replicate (pROC
 * `stratified.ci.auc` / `stratified.ci.coords`, the default `boot.stratified = TRUE`) draws
 * `sample(controls, replace = TRUE)` then `sample(cases, replace = TRUE)` (each position
 * R_unif_index(n) + 1; controls and cases in data order); non-stratified resampling (pROC
 * `nonstratified.*`) draws `sample(1:n, replace = TRUE)` over all patients and splits the resample
 * by outcome. The statistic of a replicate is the resample's trapezoidal AUC, or its coordinates at
 * the fixed threshold, or at its own Youden optimum: when k > 1 thresholds tie, pROC's
 * best.policy "random" keeps row `sample(seq_len(k), 1)` = R_unif_index(k) + 1 (one more draw, in
 * ascending-specificity order). The interval is R's `quantile(replicates, c((1 − level)/2, 0.5,
 * 1 − (1 − level)/2), type = 7, na.rm = TRUE)`.
 *
 * Undefined replicates are dropped before the quantiles as pROC does (NaN PPV when a resample has
 * no positive call, NaN NPV when it has no negative call; in non-stratified resampling, a
 * resample without cases or controls), and every drop is reported in `warnings`; an interval
 * without any defined replicate is NaN with a warning saying why. Fewer than 2 events or 2
 * non-events in the data is an error (pROC's `sample(x)` would then resample 1:x for a single
 * value x >= 1). Pure TypeScript: runs in the browser.
 */
import { quantileSortedType7 } from "./descriptive.js";
import { RRandom } from "./random.js";
import { type RocDirection, rocCurve } from "./roc.js";
import {
  type BestWeights,
  coordsAtThreshold,
  ROC_COORDINATES,
  type RocCoordinate,
  type RocCoords,
  rocPoints,
  sortedSamplesAuc,
  youdenOptima,
} from "./roc-coords.js";

/** Draws R_unif_index(n), a uniform integer in [0, n): R's stream (`RRandom`) or another. */
export interface UniformIndexSource {
  unifIndex(n: number): number;
}

export interface RocBootstrapOptions {
  /** Number of bootstrap replicates (pROC `boot.n`, default 2000). */
  nBoot?: number;
  /** R's `set.seed(seed)` before the replicates (an integer in R's integer range). */
  seed?: number;
  /** Another source of the draws instead of R's stream seeded with `seed` (e.g. a scripted one). */
  random?: UniformIndexSource;
  /** Confidence level (pROC `conf.level`, default 0.95). */
  confLevel?: number;
  /** Resample cases and controls separately (pROC `boot.stratified`, default true). */
  stratified?: boolean;
  /** pROC direction; "auto" (default) = "<" when median(controls) <= median(cases). */
  direction?: RocDirection | "auto";
}

/** A percentile interval of the defined (non-NaN) replicates. */
export interface BootstrapInterval {
  lower: number;
  median: number;
  upper: number;
  /** Number of defined replicates the quantiles use (pROC drops NaN). */
  nUsed: number;
  nBoot: number;
}

export interface AucBootstrap extends BootstrapInterval {
  /** The AUC of the original sample. */
  auc: number;
  direction: RocDirection;
  /** AUC of every replicate, in draw order (NaN where undefined). */
  replicates: Float64Array;
  warnings: string[];
}

export interface CoordsBootstrap {
  /** The fixed threshold, or "best" (re-optimised in every replicate). */
  x: number | "best";
  direction: RocDirection;
  /** Apparent coordinates: at the threshold, or every tied Youden optimum of the original curve. */
  apparent: RocCoords[];
  intervals: Record<RocCoordinate, BootstrapInterval>;
  /** Each coordinate in every replicate, in draw order (NaN where undefined). */
  replicates: Record<RocCoordinate, Float64Array>;
  /** "best" only: the replicates (1-based) whose curve had k > 1 tied optima, and k. */
  tiedReplicates: { replicate: number; nTied: number }[];
  warnings: string[];
}

/** The probabilities of pROC's interval: (1 − level)/2, 0.5, 1 − (1 − level)/2, as R computes them. */
export function intervalProbabilities(confLevel: number): [number, number, number] {
  if (!(confLevel > 0 && confLevel < 1))
    throw new Error(`bootstrap CI: confidence level must lie in (0, 1), got ${confLevel}`);
  return [0 + (1 - confLevel) / 2, 0.5, 1 - (1 - confLevel) / 2];
}

/** R `quantile(x, probs, type = 7, na.rm = TRUE)` at pROC's three probabilities. */
export function percentileInterval(
  replicates: ArrayLike<number>,
  confLevel = 0.95,
): BootstrapInterval {
  const probs = intervalProbabilities(confLevel);
  const defined = definedSorted(replicates);
  const nBoot = replicates.length;
  if (defined.length === 0)
    return { lower: Number.NaN, median: Number.NaN, upper: Number.NaN, nUsed: 0, nBoot };
  const [lower, median, upper] = probs.map((p) => quantileSortedType7(defined, p)) as [
    number,
    number,
    number,
  ];
  return { lower, median, upper, nUsed: defined.length, nBoot };
}

/**
 * A ~95 % Monte-Carlo band of the bootstrap quantile at p: order statistics x_(j), x_(k) of the m
 * defined replicates, j = ⌊mp − z√(mp(1 − p))⌋, k = ⌈mp + z√(mp(1 − p))⌉, clamped to 1..m (the
 * binomial band of the golden files' `mc_band_95`). How far another random stream may move a bound.
 */
export function monteCarloBand(
  replicates: ArrayLike<number>,
  p: number,
  z = 1.96,
): [number, number] {
  const s = definedSorted(replicates);
  const m = s.length;
  if (m === 0) return [Number.NaN, Number.NaN];
  const half = z * Math.sqrt(m * p * (1 - p));
  const clamp = (i: number) => Math.min(m, Math.max(1, i));
  return [s[clamp(Math.floor(m * p - half)) - 1]!, s[clamp(Math.ceil(m * p + half)) - 1]!];
}

function definedSorted(x: ArrayLike<number>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]!)) out.push(x[i]!);
  return Float64Array.from(out).sort();
}

/** Scores split by outcome (data order), validated for a bootstrap. */
interface BootData {
  scores: Float64Array;
  labels: Uint8Array;
  cases: Float64Array;
  controls: Float64Array;
  direction: RocDirection;
  auc: number;
}

function bootData(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  direction: RocDirection | "auto",
): BootData {
  const roc = rocCurve(scores, labels, { direction });
  if (roc.nCases < 2 || roc.nControls < 2) {
    throw new Error(
      `bootstrap CI: needs at least 2 events and 2 non-events, got ${roc.nCases} event(s) and ${roc.nControls} non-event(s)`,
    );
  }
  return {
    scores: Float64Array.from(scores),
    labels: Uint8Array.from(labels),
    cases: roc.cases,
    controls: roc.controls,
    direction: roc.direction,
    auc: roc.auc,
  };
}

/** 1-based positions of one stratified resample: controls first, then cases (pROC's order). */
export function stratifiedResamplePositions(
  rng: UniformIndexSource,
  nCases: number,
  nControls: number,
): { controls: Int32Array; cases: Int32Array } {
  const controls = samplePositions(rng, nControls);
  const cases = samplePositions(rng, nCases);
  return { controls, cases };
}

/** R `sample(x, replace = TRUE)` positions for length(x) = n >= 2: R_unif_index(n) + 1, n times. */
function samplePositions(rng: UniformIndexSource, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = drawIndex(rng, n) + 1;
  return out;
}

/** One R_unif_index(n) draw, checked (a foreign source must stay in 0..n − 1). */
function drawIndex(rng: UniformIndexSource, n: number): number {
  const v = rng.unifIndex(n);
  if (!(Number.isInteger(v) && v >= 0 && v < n))
    throw new Error(`bootstrap: the random source drew ${v}, outside 0..${n - 1}`);
  return v;
}

/** The stream of one call: `set.seed(seed)` (R's Mersenne-Twister), or the given source. */
function streamOf(options: RocBootstrapOptions): UniformIndexSource {
  if (options.random) return options.random;
  if (options.seed === undefined) throw new Error("bootstrap CI: a seed is required");
  return new RRandom(options.seed);
}

/**
 * Draws resamples into buffers reused from one replicate to the next (the returned arrays are
 * views into them, valid until the next draw; a statistic may reorder them).
 */
class Resampler {
  private readonly casesBuffer: Float64Array;
  private readonly controlsBuffer: Float64Array;

  constructor(
    private readonly d: BootData,
    private readonly stratified: boolean,
  ) {
    const n = d.scores.length;
    this.casesBuffer = new Float64Array(stratified ? d.cases.length : n);
    this.controlsBuffer = new Float64Array(stratified ? d.controls.length : n);
  }

  draw(rng: UniformIndexSource): { cases: Float64Array; controls: Float64Array } {
    const { d, casesBuffer, controlsBuffer } = this;
    if (this.stratified) {
      // pROC stratified.*: sample(controls, replace = TRUE), then sample(cases, replace = TRUE).
      const nControls = d.controls.length;
      for (let i = 0; i < nControls; i++)
        controlsBuffer[i] = d.controls[drawIndex(rng, nControls)]!;
      const nCases = d.cases.length;
      for (let i = 0; i < nCases; i++) casesBuffer[i] = d.cases[drawIndex(rng, nCases)]!;
      return { cases: casesBuffer, controls: controlsBuffer };
    }
    // pROC nonstratified.*: sample(1:length(predictor), replace = TRUE), then split by response.
    const n = d.scores.length;
    let nCases = 0;
    let nControls = 0;
    for (let i = 0; i < n; i++) {
      const k = drawIndex(rng, n);
      if (d.labels[k] === 1) casesBuffer[nCases++] = d.scores[k]!;
      else controlsBuffer[nControls++] = d.scores[k]!;
    }
    return {
      cases: casesBuffer.subarray(0, nCases),
      controls: controlsBuffer.subarray(0, nControls),
    };
  }
}

/** What one replicate computes from its resample (it may draw more numbers, as "best" does). */
type ReplicateVisitor = (
  b: number,
  cases: Float64Array,
  controls: Float64Array,
  rng: UniformIndexSource,
) => void;

/**
 * `nBoot` replicates of one call: the stream (set.seed(seed) or options.random), a resample per
 * replicate, then each visitor in order. Returns how many resamples missed a class
 * (non-stratified only).
 */
function runReplicates(
  d: BootData,
  options: RocBootstrapOptions,
  visitors: ReplicateVisitor[],
): number {
  const nBoot = options.nBoot ?? 2000;
  const rng = streamOf(options);
  const resampler = new Resampler(d, options.stratified ?? true);
  let oneClass = 0;
  for (let b = 0; b < nBoot; b++) {
    const { cases, controls } = resampler.draw(rng);
    if (cases.length === 0 || controls.length === 0) oneClass++;
    for (const visit of visitors) visit(b, cases, controls, rng);
  }
  return oneClass;
}

/** The replicate count (default 2000), checked. */
function checkBoot(nBoot = 2000): number {
  if (!Number.isInteger(nBoot) || nBoot < 1)
    throw new Error(
      `bootstrap CI: the number of replicates must be a positive integer, got ${nBoot}`,
    );
  return nBoot;
}

/**
 * pROC `ci.auc(roc, method = "bootstrap", boot.n, boot.stratified, conf.level)` after
 * `set.seed(seed)`: the percentile interval of the replicates' trapezoidal AUCs.
 */
export function ciAucBootstrap(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: RocBootstrapOptions,
): AucBootstrap {
  const nBoot = checkBoot(options.nBoot);
  const d = bootData(scores, labels, options.direction ?? "auto");
  const auc = aucVisitor(d.direction, nBoot);
  const oneClass = runReplicates(d, options, [auc.visit]);
  return aucResult(d, auc.replicates, oneClass, options.confLevel ?? 0.95);
}

/** Trapezoidal AUC of each resample (sorted in place). Missing class: 0/0 = NaN, as in pROC. */
function aucVisitor(direction: RocDirection, nBoot: number) {
  const replicates = new Float64Array(nBoot);
  const visit: ReplicateVisitor = (b, cases, controls) => {
    replicates[b] = sortedSamplesAuc(cases.sort(), controls.sort(), direction);
  };
  return { replicates, visit };
}

function aucResult(
  d: BootData,
  replicates: Float64Array,
  oneClass: number,
  confLevel: number,
): AucBootstrap {
  const nBoot = replicates.length;
  const warnings: string[] = [];
  if (oneClass > 0) {
    warnings.push(
      `AUC: ${oneClass} of ${nBoot} resamples drew no events or no non-events (AUC undefined); dropped before the quantiles (as pROC's ci.auc)`,
    );
  }
  const interval = percentileInterval(replicates, confLevel);
  if (interval.nUsed === 0) warnings.push("AUC: no resample had both classes; no interval");
  return { ...interval, auc: d.auc, direction: d.direction, replicates, warnings };
}

/** Why a coordinate of a replicate is undefined (for the warnings). */
const UNDEFINED_BECAUSE: Partial<Record<RocCoordinate, string>> = {
  ppv: "no positive call (tp + fp = 0)",
  npv: "no negative call (tn + fn = 0)",
};

/**
 * pROC `ci.coords(roc, x, input = "threshold", ret = c("threshold", "sensitivity",
 * "specificity", "accuracy", "ppv", "npv"), best.method = "youden", best.weights, best.policy =
 * "random", boot.n, boot.stratified, conf.level)` after `set.seed(seed)`. `x` is a fixed threshold
 * (kept in every replicate, e.g. the training cut-off) or "best" (the Youden optimum re-found in
 * every replicate).
 */
export function ciCoordsBootstrap(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  x: number | "best",
  options: RocBootstrapOptions & { bestWeights?: BestWeights },
): CoordsBootstrap {
  const nBoot = checkBoot(options.nBoot);
  if (x !== "best" && Number.isNaN(x)) throw new Error("bootstrap CI: the threshold is NaN");
  const d = bootData(scores, labels, options.direction ?? "auto");
  const coords = coordsVisitor(x, d.direction, nBoot, options.bestWeights ?? [1, 0.5]);
  const oneClass = runReplicates(d, options, [coords.visit]);
  const apparent = coords.optimaOf(d.cases, d.controls);
  return coordsResult(x, d, apparent, coords, oneClass, options.confLevel ?? 0.95);
}

/** The coordinates of each resample at the fixed threshold or at its own Youden optimum. */
function coordsVisitor(
  x: number | "best",
  direction: RocDirection,
  nBoot: number,
  weights: BestWeights,
) {
  const replicates = Object.fromEntries(
    ROC_COORDINATES.map((c) => [c, new Float64Array(nBoot)]),
  ) as Record<RocCoordinate, Float64Array>;
  const tiedReplicates: { replicate: number; nTied: number }[] = [];
  const optimaOf = (cases: Float64Array, controls: Float64Array): RocCoords[] =>
    x === "best"
      ? youdenOptima(rocPoints(cases, controls, direction), weights)
      : [coordsAtThreshold(cases, controls, x, direction)];
  const visit: ReplicateVisitor = (b, cases, controls, rng) => {
    let point: RocCoords | null;
    if (x === "best" && (cases.length === 0 || controls.length === 0)) {
      // Non-stratified only: no curve to optimise (pROC stops); the replicate is dropped. At a
      // fixed threshold the missing class's rates are 0/0 = NaN, as in pROC.
      point = null;
    } else {
      const optima = optimaOf(cases, controls);
      if (optima.length > 1) {
        tiedReplicates.push({ replicate: b + 1, nTied: optima.length });
        // pROC best.policy "random": res[sample(seq_len(k), size = 1), ] = one R_unif_index(k).
        point = optima[drawIndex(rng, optima.length)]!;
      } else point = optima[0]!;
    }
    for (const c of ROC_COORDINATES) replicates[c][b] = point === null ? Number.NaN : point[c];
  };
  return { replicates, tiedReplicates, optimaOf, visit };
}

function coordsResult(
  x: number | "best",
  d: BootData,
  apparent: RocCoords[],
  v: ReturnType<typeof coordsVisitor>,
  oneClass: number,
  confLevel: number,
): CoordsBootstrap {
  const nBoot = v.replicates.threshold.length;
  const warnings: string[] = [];
  if (oneClass > 0) {
    warnings.push(
      `${oneClass} of ${nBoot} resamples drew no events or no non-events; their undefined coordinates are dropped before the quantiles`,
    );
  }
  const intervals = {} as Record<RocCoordinate, BootstrapInterval>;
  for (const c of ROC_COORDINATES) {
    const interval = percentileInterval(v.replicates[c], confLevel);
    intervals[c] = interval;
    const dropped = nBoot - interval.nUsed;
    if (dropped > 0) {
      const oneClassReason = oneClass > 0 ? "a resample without events or non-events" : "";
      const because = [UNDEFINED_BECAUSE[c] ?? "", oneClassReason].filter((w) => w).join(", or ");
      warnings.push(
        `${c}: undefined in ${dropped} of ${nBoot} resamples (${because}); dropped before the quantiles (as pROC, na.rm = TRUE)`,
      );
    }
    if (interval.nUsed === 0) warnings.push(`${c}: undefined in every resample; no interval`);
  }
  const { replicates, tiedReplicates } = v;
  return { x, direction: d.direction, apparent, intervals, replicates, tiedReplicates, warnings };
}

/** The bootstrap CIs of one score that a results table reports (Table 3, the `roc` command). */
export interface RocBootstrapSummary {
  auc: AucBootstrap;
  /** Coordinates at the fixed (e.g. training) threshold. */
  coords: CoordsBootstrap;
}

/**
 * AUC and coordinates at a fixed threshold with their bootstrap CIs, each call preceded by
 * `set.seed(seed)` as an R script does it (`set.seed(s); ci.coords(...); set.seed(s); ci.auc(...)`):
 * the two analyses therefore resample the same patients.
 */
export function rocBootstrapSummary(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
  options: RocBootstrapOptions,
): RocBootstrapSummary {
  const nBoot = checkBoot(options.nBoot);
  if (Number.isNaN(threshold)) throw new Error("bootstrap CI: the threshold is NaN");
  const d = bootData(scores, labels, options.direction ?? "auto");
  // Both calls draw exactly n_controls + n_cases numbers per replicate after the same
  // set.seed(seed): their resamples coincide, so one pass computes both (coordinates first: the
  // AUC sorts the buffers).
  const coords = coordsVisitor(threshold, d.direction, nBoot, [1, 0.5]);
  const auc = aucVisitor(d.direction, nBoot);
  const oneClass = runReplicates(d, options, [coords.visit, auc.visit]);
  const confLevel = options.confLevel ?? 0.95;
  return {
    coords: coordsResult(
      threshold,
      d,
      coords.optimaOf(d.cases, d.controls),
      coords,
      oneClass,
      confLevel,
    ),
    auc: aucResult(d, auc.replicates, oneClass, confLevel),
  };
}
