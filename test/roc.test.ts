import assert from "node:assert/strict";
import { test } from "node:test";
import {
  aucDelong,
  confusionAtThreshold,
  pairedDelongTest,
  rocCurve,
  rocFromGroups,
  rocThresholds,
  unpairedDelongTest,
  youdenBest,
} from "../src/stats/roc.js";

function close(got: number, want: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want) + 1e-15,
    `${what}: got ${got}, want ${want}`,
  );
}

// cases 4, 6, 8; controls 3, 4, 5 (one tie at 4)
const cases = [4, 6, 8];
const controls = [3, 4, 5];

test("AUC by hand: Mann-Whitney with ties counted 1/2", () => {
  const roc = rocFromGroups(cases, controls, { direction: "<" });
  // pairs: case 4 → 1 + 0.5 + 0; case 6 → 3; case 8 → 3 = 7.5 / 9
  close(roc.auc, 7.5 / 9, 1e-15, "AUC");
  assert.equal(roc.nCases, 3);
  assert.equal(roc.nControls, 3);
});

test("curve by hand: midpoint thresholds, sensitivity and specificity", () => {
  const roc = rocCurve([3, 4, 5, 4, 6, 8], [0, 0, 0, 1, 1, 1], { direction: "<" });
  assert.deepEqual(Array.from(roc.thresholds), [
    Number.NEGATIVE_INFINITY,
    3.5,
    4.5,
    5.5,
    7,
    Number.POSITIVE_INFINITY,
  ]);
  assert.deepEqual(Array.from(roc.sensitivities), [1, 1, 2 / 3, 2 / 3, 1 / 3, 0]);
  assert.deepEqual(Array.from(roc.specificities), [0, 1 / 3, 2 / 3, 1, 1, 1]);
  const best = youdenBest(roc);
  assert.deepEqual(best.thresholds, [5.5]);
  assert.equal(best.nTied, 1);
  close(best.youden[0]!, 2 / 3, 1e-15, "Youden J");
});

test("Youden ties: every maximal threshold, ascending", () => {
  // cases 2, 4; controls 1, 3: se + sp = 1.5 at thresholds 1.5 and 3.5
  const roc = rocFromGroups([2, 4], [1, 3], { direction: "<" });
  const best = youdenBest(roc);
  assert.deepEqual(best.thresholds, [1.5, 3.5]);
  assert.equal(best.nTied, 2);
});

test("DeLong variance and CI by hand", () => {
  const roc = rocFromGroups(cases, controls, { direction: "<" });
  // V10 = [0.5, 1, 1] (var 1/12), V01 = [1, 5/6, 2/3] (var 1/36): var = (1/12)/3 + (1/36)/3 = 1/27
  const d = aucDelong(roc, 0.95);
  close(d.variance, 1 / 27, 1e-14, "variance");
  const half = 1.959963984540054 * Math.sqrt(1 / 27);
  close(d.lower, 7.5 / 9 - half, 1e-13, "lower");
  assert.equal(d.upper, 1, "upper bound clipped to 1");
  const single = aucDelong(rocFromGroups([1], [0, 2], { direction: "<" }));
  assert.ok(Number.isNaN(single.variance));
});

test("paired and unpaired DeLong tests by hand", () => {
  const roc1 = rocFromGroups(cases, controls, { direction: "<" });
  // second score on the same patients: cases 1, 2, 3; controls 0, 5, 6 → AUC 1/3
  const roc2 = rocFromGroups([1, 2, 3], [0, 5, 6], { direction: "<" });
  close(roc2.auc, 1 / 3, 1e-15, "AUC 2");
  // S11 = 1/27, S22 = 1/9, S12 = 1/36 → var(d) = 5/54, d = 1/2
  const t = pairedDelongTest(roc1, roc2);
  close(t.covariance, 1 / 36, 1e-14, "covariance");
  close(t.z, 0.5 / Math.sqrt(5 / 54), 1e-14, "Z");
  close(t.variance2, 1 / 9, 1e-14, "var 2");
  assert.ok(t.p > 0.1 && t.p < 0.101, `P ${t.p}`);
  // unpaired: D = 0.5 / sqrt(1/27 + 1/9), df = (4/27)^2 / ((1/27)^2/5 + (1/9)^2/5) = 8
  const u = unpairedDelongTest(roc1, roc2);
  close(u.statistic, 0.5 / Math.sqrt(4 / 27), 1e-14, "D");
  close(u.df, 8, 1e-13, "df");
  assert.throws(
    () => pairedDelongTest(roc1, rocFromGroups([1, 2], [0, 5, 6], { direction: "<" })),
    /different patients/,
  );
});

test("direction: auto by medians, '>' mirrors '<'", () => {
  const roc = rocFromGroups([1, 2, 3], [4, 5, 6]);
  assert.equal(roc.direction, ">");
  assert.equal(roc.auc, 1);
  const fixed = rocFromGroups([1, 2, 3], [4, 5, 6], { direction: "<" });
  assert.equal(fixed.auc, 0);
  // '>' calls score <= threshold positive
  assert.deepEqual(Array.from(roc.sensitivities), [0, 1 / 3, 2 / 3, 1, 1, 1, 1]);
});

test("near-tied adjacent doubles: '<' uses the upper value, '>' the lower (pROC)", () => {
  const a = 55;
  const b = 25 * 2.2; // 55.00000000000001, the next double above 55
  assert.ok(b > a);
  const mid = (a + b) / 2;
  assert.ok(mid === a || mid === b, "the midpoint rounds onto a score");
  const up = rocThresholds([a, b], "<");
  assert.deepEqual(Array.from(up), [Number.NEGATIVE_INFINITY, b, Number.POSITIVE_INFINITY]);
  const down = rocThresholds([a, b], ">");
  assert.deepEqual(Array.from(down), [Number.NEGATIVE_INFINITY, a, Number.POSITIVE_INFINITY]);
  // with '<' the curve separates them: case b, control a → se 1, sp 1 at threshold b
  const roc = rocFromGroups([b], [a], { direction: "<" });
  assert.equal(roc.sensitivities[1], 1);
  assert.equal(roc.specificities[1], 1);
});

test("confusion table at a fixed (training) threshold by hand", () => {
  // test set: scores with labels; threshold 5.5 from training, positive if score >= 5.5
  const t = confusionAtThreshold([7, 5, 6, 2, 5.5, 9], [1, 1, 0, 0, 0, 1], 5.5, "<");
  assert.deepEqual([t.tp, t.fn, t.tn, t.fp], [2, 1, 1, 2]);
  close(t.sensitivity, 2 / 3, 1e-15, "sens");
  close(t.specificity, 1 / 3, 1e-15, "spec");
  close(t.ppv, 0.5, 1e-15, "ppv");
  close(t.npv, 0.5, 1e-15, "npv");
  close(t.accuracy, 0.5, 1e-15, "accuracy");
});

test("bad input is a clear error", () => {
  assert.throws(() => rocCurve([1, Number.NaN], [0, 1]), /scores\[2\] is NaN/);
  assert.throws(() => rocCurve([1, 2], [0, 2]), /labels\[2\] = 2/);
  assert.throws(() => rocCurve([1, 2], [1, 1]), /no controls/);
});
