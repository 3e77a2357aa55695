import assert from "node:assert/strict";
import { test } from "node:test";
import { fClassif } from "../src/stats/f-classif.js";

test("f_classif on two groups equals the one-way ANOVA F computed by hand", () => {
  // groups {1,2,3} and {4,5,6}: SSB = 2 * 3 * 1.5^2 = 13.5 (df 1), SSW = 4 (df 4), F = 13.5
  const r = fClassif([Float64Array.of(1, 2, 3, 4, 5, 6)], [0, 0, 0, 1, 1, 1]);
  assert.ok(Math.abs(r.F[0]! - 13.5) < 1e-12);
  // P(F(1,4) > 13.5) = 1 - I_y(1/2, 2) with y = 13.5 / 17.5; I_y(1/2, 2) = 1.5 sqrt(y) - 0.5 y^1.5
  const y = 13.5 / 17.5;
  const expected = 1 - (1.5 * Math.sqrt(y) - 0.5 * y ** 1.5);
  assert.ok(Math.abs(r.p[0]! - expected) < 1e-13, `${r.p[0]} vs ${expected}`);
});

test("f_classif: three classes (K - 1, n - K degrees of freedom)", () => {
  // groups {1,3}, {5,7}, {9,11}: means 2, 6, 10, grand 6; SSB = 2*(16+0+16) = 64 (df 2); SSW = 6*1... = 2+2+2 = 6 (df 3)
  const r = fClassif([Float64Array.of(1, 3, 5, 7, 9, 11)], ["a", "a", "b", "b", "c", "c"]);
  assert.ok(Math.abs(r.F[0]! - 64 / 2 / (6 / 3)) < 1e-12);
});

test("f_classif: zero within-class variance gives +Inf (p 0) or NaN when constant overall", () => {
  const r = fClassif([Float64Array.of(1, 1, 2, 2), Float64Array.of(5, 5, 5, 5)], [0, 0, 1, 1]);
  assert.equal(r.F[0], Number.POSITIVE_INFINITY);
  assert.equal(r.p[0], 0);
  assert.ok(Number.isNaN(r.F[1]!) && Number.isNaN(r.p[1]!));
  assert.deepEqual(r.constantFeatures, [0, 1]);
});
