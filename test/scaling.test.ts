import assert from "node:assert/strict";
import { test } from "node:test";
import {
  applyMinMaxScaler,
  applyZScoreScaler,
  fitMinMaxScaler,
  fitZScoreScaler,
  minMaxRangeReport,
} from "../src/stats/scaling.js";

test("min-max scaler (sklearn formula) by hand: scale 1/(max-min), min -min*scale", () => {
  const s = fitMinMaxScaler([Float64Array.of(2, 4, 6)]);
  assert.equal(s.dataMin[0], 2);
  assert.equal(s.dataMax[0], 6);
  assert.equal(s.scale[0], 0.25);
  assert.equal(s.min[0], -0.5);
  const [t] = applyMinMaxScaler(s, [Float64Array.of(4, 8, 0)]);
  assert.deepEqual(Array.from(t!), [0.5, 1.5, -0.5]);
  const rep = minMaxRangeReport(s, [t!], ["f"]);
  assert.deepEqual(rep, [{ feature: "f", below: 1, above: 1, min: -0.5, max: 1.5 }]);
});

test("min-max scaler (R formula): (x - min) / (max - min), training values land in [0, 1]", () => {
  const s = fitMinMaxScaler([Float64Array.of(10, 20, 15)], { formula: "r" });
  const [t] = applyMinMaxScaler(s, [Float64Array.of(10, 20, 15, 25)]);
  assert.deepEqual(Array.from(t!), [0, 1, 0.5, 1.5]);
});

test("min-max scaler: constant column gets scale 1 (sklearn) and is flagged", () => {
  const s = fitMinMaxScaler([Float64Array.of(3, 3, 3)]);
  assert.equal(s.scale[0], 1);
  assert.equal(s.constant[0], true);
  const [t] = applyMinMaxScaler(s, [Float64Array.of(3, 4)]);
  assert.deepEqual(Array.from(t!), [0, 1]);
});

test("z-score scaler: ddof 0 (sklearn) and ddof 1 (R scale)", () => {
  const s0 = fitZScoreScaler([Float64Array.of(1, 2, 3)]);
  assert.equal(s0.mean[0], 2);
  assert.ok(Math.abs(s0.scale[0]! - Math.sqrt(2 / 3)) < 1e-15);
  const s1 = fitZScoreScaler([Float64Array.of(1, 2, 3)], { ddof: 1 });
  assert.equal(s1.scale[0], 1);
  const [t] = applyZScoreScaler(s1, [Float64Array.of(1, 4)]);
  assert.deepEqual(Array.from(t!), [-1, 2]);
});

test("scalers reject non-finite values naming the feature", () => {
  assert.throws(
    () => fitMinMaxScaler([Float64Array.of(1, Number.NaN)], { names: ["rad01"] }),
    /rad01/,
  );
});
