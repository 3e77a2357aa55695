/**
 * Descriptive statistics against hand-computed values and R's documented definitions
 * (quantile type 7: Hyndman & Fan 1996, h = 1 + (n − 1)p).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  averageRanks,
  describe,
  mean,
  median,
  quantileType7,
  standardDeviation,
  variance,
} from "../src/stats/descriptive.js";

const close = (got: number, want: number, tol = 1e-14) =>
  assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `got ${got}, want ${want}`);

test("quantile type 7 of 1:10 is R's quantile(1:10): 1, 3.25, 5.5, 7.75, 10", () => {
  const x = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  assert.deepEqual(quantileType7(x, [0, 0.25, 0.5, 0.75, 1]), [1, 3.25, 5.5, 7.75, 10]);
});

test("quantile type 7 interpolates between order statistics (hand computed)", () => {
  // n = 4, p = 0.25: h = 1.75 -> x(1) + 0.75 (x(2) − x(1)) = 1 + 0.75 * 9 = 7.75
  assert.equal(quantileType7([1, 10, 20, 40], [0.25])[0], 7.75);
  // p = 0.9: h = 3.7 -> 20 + 0.7 * 20 = 34
  close(quantileType7([40, 20, 10, 1], [0.9])[0] as number, 34);
  // tied neighbours give the value itself
  assert.equal(quantileType7([2, 2, 2, 5], [0.5])[0], 2);
});

test("mean, variance and sd of 2,4,4,4,5,5,7,9: 5, 32/7, sqrt(32/7)", () => {
  const x = [2, 4, 4, 4, 5, 5, 7, 9];
  assert.equal(mean(x), 5);
  close(variance(x), 32 / 7);
  close(standardDeviation(x), Math.sqrt(32 / 7));
});

test("mean keeps full precision where naive summation loses it", () => {
  // 1e16 + 1 + 1 − 1e16 over 4 values: the exact mean is 0.5
  assert.equal(mean([1e16, 1, 1, -1e16]), 0.5);
});

test("median of odd and even samples", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test("mid-ranks as R rank(): ties share the mean rank", () => {
  const { ranks, tieSizes } = averageRanks([10, 20, 10, 30, 20, 20]);
  assert.deepEqual(Array.from(ranks), [1.5, 4, 1.5, 6, 4, 4]);
  assert.deepEqual(tieSizes.sort(), [2, 3]);
});

test("describe: n, mean, sd, median, quartiles, min, max", () => {
  const d = describe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(d.n, 10);
  assert.equal(d.mean, 5.5);
  close(d.sd, Math.sqrt(55 / 6)); // Σ(x − 5.5)² = 82.5, / 9
  assert.equal(d.median, 5.5);
  assert.equal(d.q1, 3.25);
  assert.equal(d.q3, 7.75);
  assert.equal(d.min, 1);
  assert.equal(d.max, 10);
  assert.ok(Number.isNaN(describe([4]).sd), "sd of one value is NA as in R");
});

test("bad input is an error naming the problem", () => {
  assert.throws(() => mean([]), /at least 1/);
  assert.throws(() => mean([1, Number.NaN]), /value 1 is not a finite number/);
  assert.throws(() => variance([1]), /at least 2/);
  assert.throws(() => quantileType7([1, 2], [1.5]), /outside \[0, 1\]/);
});
