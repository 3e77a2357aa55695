import assert from "node:assert/strict";
import { test } from "node:test";
import { decisionCurves, netBenefit, thresholdGrid, treatAllNetBenefit } from "../src/stats/dca.js";

// 5 patients: events at p = 0.9, 0.6, 0.2; non-events at p = 0.7, 0.1 (prevalence 3/5).
const p = [0.9, 0.7, 0.6, 0.2, 0.1];
const y = [1, 0, 1, 1, 0];

test("net benefit by hand at pt = 0.5 and pt = 0.2 (treat when p >= pt)", () => {
  const c = netBenefit(p, y, [0.5, 0.2]);
  // pt 0.5: treated 0.9, 0.7, 0.6 → TP 2, FP 1; NB = 2/5 − 1/5 · 1 = 0.2
  assert.equal(c.tp[0], 2);
  assert.equal(c.fp[0], 1);
  assert.ok(Math.abs(c.netBenefit[0]! - 0.2) < 1e-15);
  assert.ok(Math.abs(c.standardizedNetBenefit[0]! - 0.2 / 0.6) < 1e-15);
  // pt 0.2: treated 0.9, 0.7, 0.6, 0.2 (p >= pt) → TP 3, FP 1; NB = 3/5 − 1/5 · 0.25 = 0.55
  assert.equal(c.tp[1], 3);
  assert.equal(c.fp[1], 1);
  assert.ok(Math.abs(c.netBenefit[1]! - 0.55) < 1e-15);
});

test("treat all: prevalence − (1 − prevalence)·pt/(1 − pt); treat none 0", () => {
  const a = treatAllNetBenefit(0.6, [0.2, 0.5]);
  assert.ok(Math.abs(a.netBenefit[0]! - (0.6 - 0.4 * 0.25)) < 1e-15);
  assert.ok(Math.abs(a.netBenefit[1]! - 0.2) < 1e-15);
  const all = decisionCurves(y, [{ name: "m", p }], [0.5]);
  assert.equal(all.prevalence, 0.6);
  assert.equal(all.treatNone.netBenefit[0], 0);
});

test("threshold grid is i/100, each one division", () => {
  const g = thresholdGrid();
  assert.equal(g.length, 99);
  assert.equal(g[6], 7 / 100);
  assert.equal(g[28], 0.29);
});

test("bad input is an error naming the problem", () => {
  assert.throws(() => netBenefit([0.5], [2], [0.5]), /outcome 1/);
  assert.throws(() => netBenefit([0.5], [1], [1]), /threshold 1/);
  assert.throws(() => netBenefit([0.5, 0.2], [1], [0.5]), /2 probabilities but 1 outcomes/);
});
