/**
 * pROC's bootstrap resampling with R's random stream (R/bootstrap.R of pROC 1.18): the data split
 * by outcome, stratified (controls, then cases) or non-stratified draws, and the replicate loop
 * that hands each resample to the statistics; see roc-bootstrap.ts for the whole method.
 */
import { RRandom } from "./random.js";
import { type RocDirection, rocCurve } from "./roc.js";

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

/** Scores split by outcome (data order), validated for a bootstrap. */
export interface BootData {
  scores: Float64Array;
  labels: Uint8Array;
  cases: Float64Array;
  controls: Float64Array;
  direction: RocDirection;
  auc: number;
}

export function bootData(
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
export function samplePositions(rng: UniformIndexSource, n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = drawIndex(rng, n) + 1;
  return out;
}

/** One R_unif_index(n) draw, checked (a foreign source must stay in 0..n − 1). */
export function drawIndex(rng: UniformIndexSource, n: number): number {
  const v = rng.unifIndex(n);
  if (!(Number.isInteger(v) && v >= 0 && v < n))
    throw new Error(`bootstrap: the random source drew ${v}, outside 0..${n - 1}`);
  return v;
}

/** The stream of one call: `set.seed(seed)` (R's Mersenne-Twister), or the given source. */
export function streamOf(options: RocBootstrapOptions): UniformIndexSource {
  if (options.random) return options.random;
  if (options.seed === undefined) throw new Error("bootstrap CI: a seed is required");
  return new RRandom(options.seed);
}

/**
 * Draws resamples into buffers reused from one replicate to the next (the returned arrays are
 * views into them, valid until the next draw; a statistic may reorder them).
 */
export class Resampler {
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
export type ReplicateVisitor = (
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
export function runReplicates(
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
export function checkBoot(nBoot = 2000): number {
  if (!Number.isInteger(nBoot) || nBoot < 1)
    throw new Error(
      `bootstrap CI: the number of replicates must be a positive integer, got ${nBoot}`,
    );
  return nBoot;
}
