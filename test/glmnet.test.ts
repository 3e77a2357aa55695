import assert from "node:assert/strict";
import { test } from "node:test";
import {
  binomialLassoKkt,
  glmnetBinomial,
  glmnetCoefficients,
  lambdaInterp,
} from "../src/model/glmnet.js";

function data(n: number): { cols: Float64Array[]; y: Float64Array } {
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = Math.sin(1.3 * i) * 2 + 1;
    b[i] = Math.cos(0.7 * i);
    c[i] = Math.sin(0.37 * i * i);
    y[i] = a[i]! + 0.5 * Math.sin(5.1 * i) > 1 ? 1 : 0;
  }
  return { cols: [a, b, c], y };
}

test("glmnet lambda_max = max_j |x_j'(y - ybar)| / (n sd_j) (sd with 1/n); lambda[1] is its extrapolation", () => {
  const { cols, y } = data(60);
  const n = y.length;
  const ybar = y.reduce((s, v) => s + v, 0) / n;
  let lmax = 0;
  for (const c of cols) {
    const m = c.reduce((s, v) => s + v, 0) / n;
    let ss = 0;
    let g = 0;
    for (let i = 0; i < n; i++) {
      ss += (c[i]! - m) ** 2;
      g += (c[i]! - m) * (y[i]! - ybar);
    }
    lmax = Math.max(lmax, Math.abs(g) / n / Math.sqrt(ss / n));
  }
  const fit = glmnetBinomial(cols, y, { thresh: 1e-12 });
  const r = 1e-4 ** (1 / 99);
  assert.ok(Math.abs(fit.lambda[1]! / (lmax * r) - 1) < 1e-12);
  assert.ok(Math.abs(fit.lambda[0]! / lmax - 1) < 1e-12);
  // all coefficients zero at lambda[1], intercept = logit(ybar)
  const c0 = glmnetCoefficients(fit, fit.lambda[0]!);
  assert.deepEqual(Array.from(c0.beta), [0, 0, 0]);
  assert.ok(Math.abs(c0.intercept - Math.log(ybar / (1 - ybar))) < 1e-9);
  assert.ok(Math.abs(fit.devRatio[0]!) < 1e-12);
});

test("glmnet tight solution satisfies the lasso KKT conditions of -loglik/n + lambda sum sd_j |b_j|", () => {
  const { cols, y } = data(80);
  const fit = glmnetBinomial(cols, y, { thresh: 1e-14, maxit: 1e7 });
  for (const k of [5, 15, 30]) {
    const s = fit.lambda[k]!;
    const c = glmnetCoefficients(fit, s);
    const kkt = binomialLassoKkt(cols, y, s, c.intercept, c.beta);
    assert.ok(kkt.maxViolationOverLambda < 1e-5, `lambda ${k}: ${kkt.maxViolationOverLambda}`);
    assert.ok(kkt.interceptScore < 1e-7);
  }
});

test("lambda.interp: exact hits have weight 1, midpoints split evenly, ends are clamped", () => {
  const lam = [4, 3, 2, 1];
  const r = lambdaInterp(lam, [3, 2.5, 10, 0.5]);
  assert.deepEqual([r.left[0], r.right[0], r.frac[0]], [1, 1, 1]);
  assert.deepEqual([r.left[1], r.right[1]], [1, 2]);
  assert.ok(Math.abs(r.frac[1]! - 0.5) < 1e-15);
  assert.deepEqual([r.left[2], r.right[2], r.frac[2]], [0, 0, 1]);
  assert.deepEqual([r.left[3], r.right[3], r.frac[3]], [3, 3, 1]);
});

test("glmnet rejects an outcome with a single class member", () => {
  assert.throws(
    () => glmnetBinomial([Float64Array.of(1, 2, 3, 4)], Float64Array.of(0, 0, 0, 1)),
    /1 or 0 observations/,
  );
});
