/**
 * First-order order statistics and moments on small hand-computed cases: integral values, values
 * that are float32 numbers and other doubles (the kernel's radix selection orders each by its bits).
 * Percentiles are numpy's linear interpolation: h = q/100 (n - 1), value = x[lo] + (x[lo+1] - x[lo]) t.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeFirstOrderFeatures } from "../src/features/firstorder.js";

const ORDER = ["Minimum", "Maximum", "Range", "Median", "10Percentile", "90Percentile"];

function firstOrder(values: number[], names = ORDER) {
  return computeFirstOrderFeatures(
    {
      values: Float64Array.from(values),
      levels: new Int32Array(values.length).fill(1),
      spacing: [1, 1, 1],
      dimension: 3,
      voxelArrayShift: 0,
    },
    names,
  );
}

function close(actual: number, expected: number, rel = 1e-12) {
  assert.ok(
    Math.abs(actual - expected) <= rel * Math.max(1, Math.abs(expected)),
    `${actual} != ${expected}`,
  );
}

// Sorted: -8.05 -1.25 -0.3 0 0.1 2 3.5 4.4 6.6 10.7 (n = 10).
const doubles = [3.5, -1.25, 0.1, 2, -0.3, 10.7, 4.4, -8.05, 0, 6.6];

test("order statistics of non-float32 doubles, negatives included", () => {
  const f = firstOrder(doubles, [...ORDER, "InterquartileRange"]);
  close(f.Minimum!, -8.05);
  close(f.Maximum!, 10.7);
  close(f.Range!, 18.75);
  close(f.Median!, (0.1 + 2) / 2);
  // P10: h = 0.9 -> -1.25 - 6.8 * 0.1; P90: h = 8.1 -> 6.6 + 4.1 * 0.1.
  close(f["10Percentile"]!, -1.93);
  close(f["90Percentile"]!, 7.01);
  // P25: h = 2.25 -> -0.3 + 0.3 * 0.25; P75: h = 6.75 -> 4.4 - 0.9 * 0.25.
  close(f.InterquartileRange!, 4.175 - -0.225);
});

test("the same values rounded to float32 give the same statistics", () => {
  const f = firstOrder(doubles.map(Math.fround));
  close(f.Minimum!, Math.fround(-8.05));
  close(f.Maximum!, Math.fround(10.7));
  close(f.Median!, 1.05, 1e-6);
  close(f["10Percentile"]!, -1.93, 1e-6);
  close(f["90Percentile"]!, 7.01, 1e-6);
});

test("integral values and signed zeros", () => {
  // Sorted: -7 -3 0 0 2 5 9 (n = 7): P10 h = 0.6 -> -3 - 4 * 0.4; P90 h = 5.4 -> 5 + 4 * 0.4.
  const f = firstOrder([5, -3, 0, 9, -7, 2, 0]);
  assert.deepEqual([f.Minimum, f.Maximum, f.Range, f.Median], [-7, 9, 16, 0]);
  close(f["10Percentile"]!, -4.6);
  close(f["90Percentile"]!, 6.6);
  // The radix order puts -0 before +0, as sort() does.
  const z = firstOrder([0.5, -0, 0, -0.5]);
  assert.deepEqual([z.Minimum, z.Maximum, z.Median], [-0.5, 0.5, 0]);
});

test("moments: variance, skewness and kurtosis of a hand-worked sample", () => {
  // x = 1, 2, 3, 4, 10: mean 4, deviations -3 -2 -1 0 6; m2 = 50/5 = 10, m3 = (−27−8−1+216)/5 = 36,
  // m4 = (81+16+1+1296)/5 = 278.8.
  const f = firstOrder([1, 2, 3, 4, 10], ["Mean", "Variance", "Skewness", "Kurtosis"]);
  close(f.Mean!, 4);
  close(f.Variance!, 10);
  close(f.Skewness!, 36 / 10 ** 1.5);
  close(f.Kurtosis!, 278.8 / 100);
});
