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
import type { RocDirection } from "./roc.js";
import { type BootstrapInterval, percentileInterval } from "./roc-bootstrap-intervals.js";
import {
  type BootData,
  bootData,
  checkBoot,
  drawIndex,
  type ReplicateVisitor,
  type RocBootstrapOptions,
  runReplicates,
} from "./roc-bootstrap-resample.js";
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

export {
  type BootstrapInterval,
  intervalProbabilities,
  monteCarloBand,
  percentileInterval,
} from "./roc-bootstrap-intervals.js";
export {
  type RocBootstrapOptions,
  stratifiedResamplePositions,
  type UniformIndexSource,
} from "./roc-bootstrap-resample.js";

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
