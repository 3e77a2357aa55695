/**
 * ROC coordinates at a threshold and pROC-style bootstrap CIs (src/stats/roc-coords.ts,
 * src/stats/roc-bootstrap.ts) on cases small enough to check by hand: every expected value is
 * derived in a comment (counts, pROC's coordinate formulas, R's type-7 quantile), or is R's own
 * output (the first uniforms of set.seed(20250505), R 4.2.2, from the roc_ci_coords golden files).
 * The full comparison with pROC is the stats parity suite (kind roc_ci_coords).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { RRandom } from "../src/stats/random.js";
import {
  ciAucBootstrap,
  ciCoordsBootstrap,
  monteCarloBand,
  percentileInterval,
  rocBootstrapSummary,
  stratifiedResamplePositions,
  type UniformIndexSource,
} from "../src/stats/roc-bootstrap.js";
import {
  coordsAtThreshold,
  rocPoints,
  sortedSamplesAuc,
  trapezoidAuc,
  youdenOptima,
} from "../src/stats/roc-coords.js";

const close = (got: number, want: number, what: string, tol = 1e-12) =>
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);

/** A scripted source of R_unif_index draws: returns `draws` in order and checks each range. */
function scripted(draws: number[]): UniformIndexSource & { left(): number } {
  let i = 0;
  return {
    unifIndex(n: number) {
      if (i >= draws.length) throw new Error("scripted stream exhausted");
      const v = draws[i++]!;
      assert.ok(v < n, `scripted draw ${v} must be < ${n}`);
      return v;
    },
    left: () => draws.length - i,
  };
}

// Six patients: cases 0.9, 0.7, 0.4; controls 0.8, 0.3, 0.1.
const cases6 = [0.9, 0.7, 0.4];
const controls6 = [0.8, 0.3, 0.1];

test("coordinates at a threshold on 6 patients, both directions, by hand", () => {
  // "<" at 0.35: positive = score >= 0.35. Cases 0.9, 0.7, 0.4 all positive: tp 3, fn 0.
  // Controls: 0.8 positive (fp 1), 0.3 and 0.1 negative (tn 2).
  // se 3/3 = 1, sp 2/3, accuracy (3 + 2)/6 = 5/6, ppv 3/(3 + 1) = 3/4, npv 2/(2 + 0) = 1.
  const c = coordsAtThreshold(cases6, controls6, 0.35, "<");
  assert.equal(c.threshold, 0.35);
  assert.equal(c.sensitivity, 1);
  close(c.specificity, 2 / 3, "sp");
  close(c.accuracy, 5 / 6, "accuracy");
  close(c.ppv, 3 / 4, "ppv");
  close(c.npv, 1, "npv");
  close(c.tp, 3, "tp");
  close(c.fp, 1, "fp");
  // ">" at 0.35: positive = score <= 0.35. Cases: none (tp 0, fn 3). Controls 0.3, 0.1 positive
  // (fp 2), 0.8 negative (tn 1). se 0, sp 1/3, accuracy 1/6, ppv 0/2 = 0, npv 1/(1 + 3) = 1/4.
  const g = coordsAtThreshold(cases6, controls6, 0.35, ">");
  assert.equal(g.sensitivity, 0);
  close(g.specificity, 1 / 3, "sp >");
  close(g.accuracy, 1 / 6, "accuracy >");
  assert.equal(g.ppv, 0);
  close(g.npv, 1 / 4, "npv >");
  // Above every score nothing is positive: ppv = 0/0, NaN as in pROC (dropped by the bootstrap).
  const top = coordsAtThreshold(cases6, controls6, 1, "<");
  assert.ok(Number.isNaN(top.ppv));
  close(top.npv, 3 / 6, "npv at the top");
  assert.throws(() => coordsAtThreshold(cases6, controls6, Number.NaN, "<"), /threshold is NaN/);
});

test("curve, trapezoidal AUC and Youden optima of the 6 patients, by hand", () => {
  // Unique sorted scores 0.1 0.3 0.4 0.7 0.8 0.9 -> thresholds -Inf .2 .35 .55 .75 .85 Inf.
  // se: 1 1 1 2/3 1/3 1/3 0; sp: 0 1/3 2/3 2/3 2/3 1 1.
  const p = rocPoints(cases6, controls6, "<");
  // (Midpoints as pROC computes them, (a + b)/2 in doubles: (0.8 + 0.9)/2 = 0.8500000000000001.)
  assert.deepEqual(Array.from(p.thresholds), [
    Number.NEGATIVE_INFINITY,
    (0.1 + 0.3) / 2,
    (0.3 + 0.4) / 2,
    (0.4 + 0.7) / 2,
    (0.7 + 0.8) / 2,
    (0.8 + 0.9) / 2,
    Number.POSITIVE_INFINITY,
  ]);
  const se = [1, 1, 1, 2 / 3, 1 / 3, 1 / 3, 0];
  const sp = [0, 1 / 3, 2 / 3, 2 / 3, 2 / 3, 1, 1];
  for (let k = 0; k < 7; k++) {
    close(p.sensitivities[k]!, se[k]!, `se[${k}]`);
    close(p.specificities[k]!, sp[k]!, `sp[${k}]`);
  }
  // Trapezoids: 1·1/3 + 1·1/3 + 0 + 0 + (1/3)·1/3 + 0 = 7/9 = Mann-Whitney (0.9 beats 3
  // controls, 0.7 and 0.4 beat 2 each: 7 of 9 pairs).
  close(trapezoidAuc(p), 7 / 9, "AUC");
  // se + sp: 1, 4/3, 5/3, 4/3, 1, 4/3, 1 -> one optimum at 0.35.
  const best = youdenOptima(p);
  assert.equal(best.length, 1);
  assert.equal(best[0]!.threshold, (0.3 + 0.4) / 2);
  // Two tied optima: cases 0.9, 0.4; controls 0.8, 0.1 -> thresholds -Inf .25 .6 .85 Inf,
  // se 1 1 1/2 1/2 0, sp 0 1/2 1/2 1 1: se + sp = 1.5 exactly at 0.25 and 0.85 (ascending).
  const tied = youdenOptima(rocPoints([0.9, 0.4], [0.8, 0.1], "<"));
  assert.deepEqual(
    tied.map((c) => c.threshold),
    [(0.1 + 0.4) / 2, (0.8 + 0.9) / 2],
  );
  // ">" lists the points in ascending specificity = descending threshold (pROC sort.roc).
  const rev = rocPoints([0.1, 0.2], [0.5, 0.9], ">");
  assert.deepEqual(Array.from(rev.thresholds), [
    Number.POSITIVE_INFINITY,
    (0.5 + 0.9) / 2,
    (0.2 + 0.5) / 2,
    (0.1 + 0.2) / 2,
    Number.NEGATIVE_INFINITY,
  ]);
  close(trapezoidAuc(rev), 1, "AUC >");
  // The one-pass AUC of sorted samples gives the same areas: 7/9 and 1 as above; with ties,
  // cases 0.5 0.5 0.9 vs controls 0.1 0.5: 0.9 beats both (2), each 0.5 beats 0.1 and ties 0.5
  // (2 x 1.5 = 3): 5 of 6 pairs -> 5/6; ">" on negated scores orders them the same way -> 5/6.
  const sorted = (v: number[]) => Float64Array.from(v).sort();
  close(sortedSamplesAuc(sorted(cases6), sorted(controls6), "<"), 7 / 9, "sorted AUC <");
  close(sortedSamplesAuc(sorted([0.1, 0.2]), sorted([0.5, 0.9]), ">"), 1, "sorted AUC >");
  close(sortedSamplesAuc(sorted([0.5, 0.5, 0.9]), sorted([0.5, 0.1]), "<"), 5 / 6, "ties <");
  close(sortedSamplesAuc(sorted([-0.5, -0.5, -0.9]), sorted([-0.5, -0.1]), ">"), 5 / 6, "ties >");
});

// Four patients in data order: case 0.9, control 0.8, case 0.4, control 0.1.
const scores4 = [0.9, 0.8, 0.4, 0.1];
const labels4 = [1, 0, 1, 0];
// cases (data order) = [0.9, 0.4], controls = [0.8, 0.1].

test("bootstrap at a fixed threshold with a scripted stream: replicates listed by hand", () => {
  // Each replicate draws 2 control positions, then 2 case positions (pROC's order).
  // r1: controls [1,1] -> 0.1 0.1; cases [0,1] -> 0.9 0.4. At t = 0.6: tp 1 (se 1/2), tn 2 (sp 1),
  //     fp 0, fn 1: accuracy 3/4, ppv 1/1 = 1, npv 2/3.
  // r2: controls [0,0] -> 0.8 0.8; cases [1,1] -> 0.4 0.4: se 0, sp 0, acc 0, ppv 0/2 = 0, npv 0/2 = 0.
  // r3: controls [1,0] -> 0.1 0.8; cases [0,0] -> 0.9 0.9: se 1, sp 1/2, acc 3/4, ppv 2/3, npv 1/1 = 1.
  // r4: controls [1,1] -> 0.1 0.1; cases [1,1] -> 0.4 0.4: se 0, sp 1, acc 1/2, ppv 0/0 = NaN, npv 2/4.
  const stream = scripted([1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1]);
  const r = ciCoordsBootstrap(scores4, labels4, 0.6, { nBoot: 4, random: stream, direction: "<" });
  assert.equal(stream.left(), 0);
  assert.deepEqual(Array.from(r.replicates.sensitivity), [0.5, 0, 1, 0]);
  assert.deepEqual(Array.from(r.replicates.specificity), [1, 0, 0.5, 1]);
  assert.deepEqual(Array.from(r.replicates.accuracy), [0.75, 0, 0.75, 0.5]);
  assert.deepEqual(Array.from(r.replicates.threshold), [0.6, 0.6, 0.6, 0.6]);
  const ppv = Array.from(r.replicates.ppv);
  assert.deepEqual(ppv.slice(0, 3), [1, 0, 2 / 3]);
  assert.ok(Number.isNaN(ppv[3]));
  assert.deepEqual(Array.from(r.replicates.npv), [2 / 3, 0, 1, 0.5]);
  // Apparent at 0.6: cases 0.9 positive, 0.4 not; controls 0.8 positive, 0.1 not: se = sp = 1/2.
  assert.equal(r.apparent[0]!.sensitivity, 0.5);
  assert.equal(r.apparent[0]!.specificity, 0.5);
  // Type-7 quantiles of se sorted [0, 0, 0.5, 1] (n = 4): index 1 + 3p.
  // p = 0.025: 1.075 -> x1 = x2 = 0 -> 0; p = 0.5: 2.5 -> (0 + 0.5)/2 = 0.25;
  // p = 0.975: 3.925 -> 0.075·0.5 + 0.925·1 = 0.9625.
  const se = r.intervals.sensitivity;
  assert.equal(se.lower, 0);
  close(se.median, 0.25, "se median");
  close(se.upper, 0.9625, "se upper");
  assert.equal(se.nUsed, 4);
  // ppv: the NaN replicate is dropped (pROC na.rm): sorted [0, 2/3, 1], n = 3, index 1 + 2p:
  // lower 1.05 -> 0.05·2/3 = 1/30; median 2/3; upper 2.95 -> 0.05·2/3 + 0.95·1 = 0.98333...
  const pv = r.intervals.ppv;
  assert.equal(pv.nUsed, 3);
  close(pv.lower, 1 / 30, "ppv lower");
  close(pv.median, 2 / 3, "ppv median");
  close(pv.upper, 0.05 * (2 / 3) + 0.95, "ppv upper");
  assert.ok(
    r.warnings.some((w) => /ppv: undefined in 1 of 4 resamples \(no positive call/.test(w)),
    r.warnings.join("\n"),
  );
  assert.equal(r.warnings.length, 1, r.warnings.join("\n"));
});

test("bootstrap at x = 'best' draws one more number when optima tie (pROC best.policy random)", () => {
  // r1: controls [0,1] -> 0.8 0.1; cases [0,1] -> 0.9 0.4: the original sample, optima tied at
  //     0.25 (se 1, sp 1/2) and 0.85 (se 1/2, sp 1); the extra draw 1 keeps row 2: 0.85.
  // r2: controls [1,1] -> 0.1 0.1; cases [0,0] -> 0.9 0.9: thresholds -Inf, 0.5, Inf with
  //     se + sp = 1, 2, 1: one optimum, 0.5 (se 1, sp 1), no extra draw.
  const stream = scripted([0, 1, 0, 1, 1, 1, 1, 0, 0]);
  const r = ciCoordsBootstrap(scores4, labels4, "best", {
    nBoot: 2,
    random: stream,
    direction: "<",
  });
  assert.equal(stream.left(), 0);
  assert.deepEqual(Array.from(r.replicates.threshold), [(0.8 + 0.9) / 2, (0.1 + 0.9) / 2]);
  assert.deepEqual(Array.from(r.replicates.sensitivity), [0.5, 1]);
  assert.deepEqual(Array.from(r.replicates.specificity), [1, 1]);
  assert.deepEqual(r.tiedReplicates, [{ replicate: 1, nTied: 2 }]);
  // Apparent: both tied optima, ascending threshold.
  assert.deepEqual(
    r.apparent.map((c) => c.threshold),
    [(0.1 + 0.4) / 2, (0.8 + 0.9) / 2],
  );
});

test("bootstrap AUC with a scripted stream; a non-stratified resample without cases is dropped", () => {
  // Stratified. r1: controls [0,1], cases [0,1] = original: 0.9 beats both controls, 0.4 beats
  // 0.1 -> AUC 3/4. r2: controls [1,1] -> 0.1 0.1, cases [0,0] -> 0.9 0.9 -> AUC 1.
  const s = ciAucBootstrap(scores4, labels4, {
    nBoot: 2,
    random: scripted([0, 1, 0, 1, 1, 1, 0, 0]),
  });
  assert.deepEqual(Array.from(s.replicates), [0.75, 1]);
  close(s.auc, 0.75, "apparent AUC");
  // Non-stratified (pROC nonstratified.ci.auc): positions over all 4 patients, then split.
  // r1: [1,3,1,3] (0-based) -> 0.8 0.1 0.8 0.1, all controls: no case, AUC 0/0, dropped.
  // r2: [0,1,2,3] -> the original sample: AUC 3/4.
  const n = ciAucBootstrap(scores4, labels4, {
    nBoot: 2,
    stratified: false,
    random: scripted([1, 3, 1, 3, 0, 1, 2, 3]),
  });
  assert.ok(Number.isNaN(n.replicates[0]));
  assert.equal(n.replicates[1], 0.75);
  assert.equal(n.nUsed, 1);
  assert.equal(n.lower, 0.75);
  assert.equal(n.upper, 0.75);
  assert.ok(n.warnings.some((w) => /1 of 2 resamples drew no events or no non-events/.test(w)));
  // The same resample at a fixed threshold: se = 0/0 is dropped, sp (2 of 4 controls < 0.6... all
  // four drawn controls: 0.8 0.1 0.8 0.1 -> 2 below 0.6 -> 1/2) is kept, as in pROC.
  const c = ciCoordsBootstrap(scores4, labels4, 0.6, {
    nBoot: 1,
    stratified: false,
    random: scripted([1, 3, 1, 3]),
  });
  assert.ok(Number.isNaN(c.replicates.sensitivity[0]));
  assert.equal(c.replicates.specificity[0], 0.5);
  assert.equal(c.intervals.sensitivity.nUsed, 0);
  assert.ok(Number.isNaN(c.intervals.sensitivity.lower));
  assert.ok(
    c.warnings.some((w) => /sensitivity: undefined in every resample; no interval/.test(w)),
  );
});

test("R's stream: the first resample positions follow from R's first uniforms by hand", () => {
  // R 4.2.2: set.seed(20250505); runif(6) = 0.9946186875458807, 0.013327488675713539,
  // 0.21713519841432571, 0.9373748593498021, 0.13985493942163885, 0.29912928049452603
  // (rng_check of asah_roc_ci_coords.json). R_unif_index(72): 7 bits, v = floor(65536 u) mod 128,
  // rejected when v >= 72: 65183 mod 128 = 31 -> 32; 873 mod 128 = 105 (rejected);
  // 14230 mod 128 = 22 -> 23; 61431 mod 128 = 119 (rejected); 9165 mod 128 = 77 (rejected);
  // 19603 mod 128 = 19 -> 20. So the first controls drawn (72 controls) are at 32, 23, 20.
  const pos = stratifiedResamplePositions(new RRandom(20250505), 41, 72);
  assert.deepEqual(Array.from(pos.controls.subarray(0, 3)), [32, 23, 20]);
  assert.equal(pos.controls.length, 72);
  assert.equal(pos.cases.length, 41);
});

test("percentile interval and Monte-Carlo band by hand", () => {
  // [4, 1, 3, 2] sorted 1 2 3 4: type 7 at 0.025 -> index 1.075 -> 1 + 0.075 = 1.075;
  // median 2.5; 0.975 -> index 3.925 -> 3.925.
  const i = percentileInterval([4, 1, 3, 2]);
  close(i.lower, 1.075, "lower");
  assert.equal(i.median, 2.5);
  close(i.upper, 3.925, "upper");
  // m = 4, p = 0.5: 1.96·sqrt(4·0.25) = 1.96 -> j = floor(0.04) = 0 -> clamped to 1, k = ceil(3.96) = 4.
  assert.deepEqual(monteCarloBand([4, 1, 3, 2], 0.5), [1, 4]);
  // m = 100 (values 1..100), p = 0.5: 1.96·5 = 9.8 -> j = floor(40.2) = 40, k = ceil(59.8) = 60.
  const hundred = Array.from({ length: 100 }, (_, k) => k + 1);
  assert.deepEqual(monteCarloBand(hundred, 0.5), [40, 60]);
  assert.throws(() => percentileInterval([1, 2], 1), /confidence level/);
});

test("bad input: too few events or non-events, bad replicate count, NaN scores, no seed", () => {
  // One event only: pROC's sample(x) would resample 1:x for a single value; refuse.
  assert.throws(
    () => ciAucBootstrap([0.1, 0.2, 0.3, 0.4], [1, 0, 0, 0], { seed: 1, nBoot: 10 }),
    /at least 2 events and 2 non-events, got 1 event\(s\) and 3 non-event\(s\)/,
  );
  assert.throws(
    () => ciCoordsBootstrap([0.1, 0.2, 0.3], [1, 1, 0], 0.15, { seed: 1, nBoot: 10 }),
    /got 2 event\(s\) and 1 non-event\(s\)/,
  );
  assert.throws(
    () => ciAucBootstrap(scores4, labels4, { seed: 1, nBoot: 0 }),
    /positive integer, got 0/,
  );
  assert.throws(
    () => ciAucBootstrap([0.9, Number.NaN, 0.4, 0.1], labels4, { seed: 1, nBoot: 5 }),
    /is NaN/,
  );
  assert.throws(() => ciAucBootstrap(scores4, labels4, { nBoot: 5 }), /a seed is required/);
  assert.throws(
    () => ciCoordsBootstrap(scores4, labels4, Number.NaN, { seed: 1, nBoot: 5 }),
    /threshold is NaN/,
  );
  // A threshold above every score: no resample has a positive call, so PPV has no interval:
  // NaN bounds with a message, never a silent NaN.
  const r = ciCoordsBootstrap(scores4, labels4, 2, { seed: 7, nBoot: 20 });
  assert.equal(r.intervals.ppv.nUsed, 0);
  assert.ok(Number.isNaN(r.intervals.ppv.median));
  assert.ok(r.warnings.some((w) => /ppv: undefined in every resample; no interval/.test(w)));
  assert.ok(
    r.warnings.some((w) => /ppv: undefined in 20 of 20 resamples \(no positive call/.test(w)),
  );
  // Sensitivity is 0 in every replicate there (nothing reaches 2): a defined, degenerate interval.
  assert.equal(r.intervals.sensitivity.upper, 0);
});

test("summary: both calls start from set.seed(seed), so AUC and coordinates resample the same patients", () => {
  // Same seed, same stream: the AUC call's replicates equal a stand-alone ci.auc call's, and the
  // coordinate call's equal a stand-alone ci.coords call's.
  const s = rocBootstrapSummary(scores4, labels4, 0.6, { seed: 20250505, nBoot: 50 });
  const a = ciAucBootstrap(scores4, labels4, { seed: 20250505, nBoot: 50 });
  const c = ciCoordsBootstrap(scores4, labels4, 0.6, { seed: 20250505, nBoot: 50 });
  assert.deepEqual(Array.from(s.auc.replicates), Array.from(a.replicates));
  assert.deepEqual(
    Array.from(s.coords.replicates.sensitivity),
    Array.from(c.replicates.sensitivity),
  );
  // A replicate's AUC is a multiple of 1/4 (2 cases x 2 controls, ties count 1/2: 1/8 steps).
  for (const v of s.auc.replicates) assert.equal((v * 8) % 1, 0);
});
