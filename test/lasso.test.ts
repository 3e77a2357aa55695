import assert from "node:assert/strict";
import { test } from "node:test";
import { kFoldIds, lassoAlphaGrid, lassoCV, lassoFit } from "../src/model/lasso.js";

// Orthogonal, centred columns with x_j'x_j = n: the lasso solution is the soft-threshold
// b_j = sign(z_j) max(|z_j| - alpha, 0) with z_j = x_j'y / n, and the intercept is mean(y).
const x1 = Float64Array.of(1, 1, -1, -1);
const x2 = Float64Array.of(1, -1, 1, -1);
const y = Float64Array.of(3, 1, -1, 1); // z1 = 1, z2 = 0, mean(y) = 1

test("lasso on an orthonormal design equals the soft-threshold solution", () => {
  for (const alpha of [0.25, 0.5, 0.9]) {
    const f = lassoFit([x1, x2], y, alpha, { tol: 1e-12, maxIter: 10000 });
    assert.ok(Math.abs(f.coef[0]! - (1 - alpha)) < 1e-12, `alpha ${alpha}: ${f.coef[0]}`);
    assert.equal(f.coef[1], 0);
    assert.ok(Math.abs(f.intercept - 1) < 1e-12);
    assert.ok(f.converged);
  }
  const zero = lassoFit([x1, x2], y, 1.5);
  assert.deepEqual(Array.from(zero.coef), [0, 0]);
});

test("alpha grid: alpha_max = max |x_c' y_c| / n, log-spaced down to eps * alpha_max", () => {
  const { alphas, alphaMax } = lassoAlphaGrid([x1, x2], y, { eps: 1e-3, nAlphas: 100 });
  assert.equal(alphaMax, 1);
  assert.equal(alphas.length, 100);
  assert.ok(Math.abs(alphas[0]! - 1) < 1e-15);
  assert.ok(Math.abs(alphas[99]! - 1e-3) < 1e-15);
  assert.ok(Math.abs(alphas[1]! / alphas[0]! - 10 ** (-3 / 99)) < 1e-12);
});

test("KFold without shuffle: contiguous folds, the first n % k one row larger", () => {
  assert.deepEqual(Array.from(kFoldIds(10, 3)), [1, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
});

test("LassoCV picks the grid alpha with the smallest mean held-out mse", () => {
  const n = 40;
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  const yy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = Math.sin(i);
    b[i] = Math.cos(3 * i);
    yy[i] = 2 * a[i]! + 0.1 * Math.sin(7 * i);
  }
  const cv = lassoCV([a, b], yy, { nSplits: 5, tol: 1e-10, maxIter: 100000 });
  let best = 0;
  cv.mseMean.forEach((m, k) => {
    if (m < cv.mseMean[best]!) best = k;
  });
  assert.equal(cv.indexAlpha, best);
  assert.equal(cv.alpha, cv.alphas[best]);
  assert.ok(cv.final.coef[0]! > 1.5);
});
