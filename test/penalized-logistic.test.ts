import assert from "node:assert/strict";
import { test } from "node:test";
import {
  fitLogisticRegression,
  predictLogisticProbability,
} from "../src/model/penalized-logistic.js";

// one binary predictor: x = 0 has 1 event of 4, x = 1 has 3 events of 4
const x = Float64Array.of(0, 0, 0, 0, 1, 1, 1, 1);
const y = Float64Array.of(1, 0, 0, 0, 1, 1, 1, 0);

test("unpenalised logistic equals the 2x2-table MLE (log odds, log odds ratio, Woolf SEs)", () => {
  const f = fitLogisticRegression([x], y, { penalty: "none", tol: 1e-12 });
  assert.ok(Math.abs(f.intercept - Math.log(1 / 3)) < 1e-10);
  assert.ok(Math.abs(f.coef[0]! - 2 * Math.log(3)) < 1e-10);
  assert.ok(Math.abs(f.stdErrors[0]! - Math.sqrt(1 + 1 / 3)) < 1e-8);
  assert.ok(Math.abs(f.stdErrors[1]! - Math.sqrt(8 / 3)) < 1e-8);
  assert.ok(Math.abs(f.logLik - 2 * (Math.log(1 / 4) + 3 * Math.log(3 / 4))) < 1e-10);
});

test("L2 logistic satisfies its optimality condition C sum (y - p) x_j = w_j, sum (y - p) = 0", () => {
  const x2 = Float64Array.of(0.3, 1.2, -0.5, 2.0, 0.1, -1.1, 0.7, 0.9);
  const C = 0.5;
  const f = fitLogisticRegression([x, x2], y, { penalty: "l2", C, tol: 1e-12 });
  const p = predictLogisticProbability(f, [x, x2]);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < y.length; i++) {
    const r = y[i]! - p[i]!;
    s0 += r;
    s1 += r * x[i]!;
    s2 += r * x2[i]!;
  }
  assert.ok(Math.abs(s0) < 1e-9);
  assert.ok(Math.abs(C * s1 - f.coef[0]!) < 1e-9);
  assert.ok(Math.abs(C * s2 - f.coef[1]!) < 1e-9);
});

test("logistic regression rejects a non-binary outcome", () => {
  assert.throws(() => fitLogisticRegression([x], Float64Array.of(0, 1, 2, 0, 1, 1, 0, 0)), /row 2/);
});
