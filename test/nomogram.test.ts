import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type NomogramSpec,
  nomogram,
  nomogramPoints,
  prettyOf,
  rPretty,
} from "../src/model/nomogram.js";

const seq = (from: number, to: number, by: number) =>
  Array.from({ length: Math.round((to - from) / by) + 1 }, (_, i) => from + i * by);
const oneTo = (n: number) => seq(1, n, 1);

test("pretty(): the examples of R's ?pretty", () => {
  assert.deepEqual(Array.from(prettyOf(oneTo(15))), [0, 2, 4, 6, 8, 10, 12, 14, 16]);
  assert.deepEqual(Array.from(prettyOf(oneTo(15), 5, { highUBias: 2 })), [0, 5, 10, 15]);
  assert.deepEqual(Array.from(prettyOf(oneTo(15), 4)), [0, 5, 10, 15]);
  assert.deepEqual(Array.from(prettyOf(oneTo(15).map((v) => v * 2))), [0, 5, 10, 15, 20, 25, 30]);
  assert.deepEqual(Array.from(prettyOf(oneTo(20))), [0, 5, 10, 15, 20]);
  assert.deepEqual(Array.from(prettyOf(oneTo(20), 2)), [0, 10, 20]);
  assert.deepEqual(Array.from(prettyOf(oneTo(20), 10)), seq(0, 20, 2));
});

test("pretty(c(0, 1), 10) steps by 0.1 and zaps nothing but exact zero", () => {
  const v = rPretty(0, 1, 10);
  assert.equal(v.length, 11);
  assert.equal(v[0], 0);
  assert.equal(v[10], 1);
  assert.ok(Math.abs(v[3]! - 0.3) < 1e-15);
});

// Hand example: lp = −1 + 0.5·x + (−2 if g = b); x in [0, 10] → axis 0..10, Xβ_x 0..5 (widest),
// Xβ_g ∈ {0, −2}: sc = 100/5 = 20, points_x = 10·x, points_g(a) = 40, points_g(b) = 0,
// Intercept_info = −1 + 0 + (−2) = −3.
const spec: NomogramSpec = {
  intercept: -1,
  predictors: [
    { name: "x", type: "continuous", coefficient: 0.5, dataRange: [0, 10] },
    { name: "g", type: "factor", labels: ["a", "b"], coefficients: [0, -2] },
  ],
  trainingLinearPredictors: [-3, -1, 5],
  probabilityTicks: [0.1, 0.5, 0.9],
};

test("nomogram points by hand", () => {
  const nomo = nomogram(spec);
  assert.equal(nomo.sc, 20);
  assert.equal(nomo.interceptInfo, -3);
  assert.deepEqual(Array.from(nomo.predictors[0]!.values as number[]), seq(0, 10, 1));
  assert.deepEqual(Array.from(nomo.predictors[0]!.points), seq(0, 100, 10));
  assert.deepEqual(Array.from(nomo.predictors[1]!.points), [40, 0]);
  // lp.at = pretty(c(−3, 5), 10): cell 0.8 → unit 1, so −3..5; sum.max = max(100, 20·(5 + 3)) = 160,
  // pretty(c(0, 160), 10): cell 16 → unit 20
  assert.deepEqual(Array.from(nomo.lpAxis.lp), seq(-3, 5, 1));
  assert.deepEqual(Array.from(nomo.lpAxis.points), seq(0, 160, 20));
  assert.deepEqual(Array.from(nomo.totalPointsAxis), seq(0, 160, 20));
  // probability 0.5 ↔ lp 0 ↔ 60 points exactly
  assert.ok(Math.abs(nomo.probabilityAxis.pointsExact[1]! - 60) < 1e-12);
  assert.ok(Math.abs(nomo.probabilityAxis.pointsRms[1]! - 60) < 1e-2);
  const patient = nomogramPoints(nomo, spec, [4, "a"]);
  assert.deepEqual(Array.from(patient.points), [40, 40]);
  assert.equal(patient.totalPoints, 80);
  assert.equal(patient.lp, 1);
  assert.ok(Math.abs(patient.probability - 1 / (1 + Math.exp(-1))) < 1e-15);
  assert.equal(nomo.totalPointsToProbability.totalPoints.length, 33); // 0, 5, ..., 160
});

test("bad input is an error", () => {
  const nomo = nomogram(spec);
  assert.throws(() => nomogramPoints(nomo, spec, [4, "c"]), /'c' is not a level of 'g'/);
  assert.throws(() => nomogramPoints(nomo, spec, [4]), /1 values for 2 predictors/);
  assert.throws(() => rPretty(0, Number.POSITIVE_INFINITY), /finite/);
});
