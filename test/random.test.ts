import assert from "node:assert/strict";
import { test } from "node:test";
import { MersenneTwister, RRandom } from "../src/stats/random.js";

// Reference outputs of the MT19937 authors' mt19937ar.c (mt19937ar.out) and the C++11 standard.
test("MT19937 init_by_array({0x123, 0x234, 0x345, 0x456}) gives mt19937ar.out's first outputs", () => {
  const mt = new MersenneTwister();
  mt.initByArray([0x123, 0x234, 0x345, 0x456]);
  const got = Array.from({ length: 5 }, () => mt.nextUint32());
  assert.deepEqual(got, [1067595299, 955945823, 477289528, 4107218783, 4228976476]);
});

test("MT19937 init_genrand(5489): first output 3499211612, 10000th 4123659995 (C++ std::mt19937)", () => {
  const mt = new MersenneTwister(5489);
  assert.equal(mt.nextUint32(), 3499211612);
  let v = 0;
  for (let i = 2; i <= 10000; i++) v = mt.nextUint32();
  assert.equal(v, 4123659995);
});

test("R set.seed(42); runif(3) = 0.9148060 0.9370754 0.2861395", () => {
  const u = new RRandom(42).runif(3);
  const expected = [0.914806, 0.9370754, 0.2861395];
  expected.forEach((e, i) => {
    assert.ok(Math.abs(u[i]! - e) < 5e-8, `runif[${i}] = ${u[i]}`);
  });
});

test("R set.seed(123); runif(10) (R >= 3.6 output as printed by R)", () => {
  const u = new RRandom(123).runif(10);
  const expected = [
    0.2875775, 0.7883051, 0.4089769, 0.8830174, 0.9404673, 0.0455565, 0.5281055, 0.892419, 0.551435,
    0.4566147,
  ];
  expected.forEach((e, i) => {
    assert.ok(Math.abs(u[i]! - e) < 5e-8, `runif[${i}] = ${u[i]}`);
  });
});

test("R (>= 3.6, Rejection sampling) set.seed(123); sample(1:10) = 3 10 2 8 6 9 1 7 5 4", () => {
  assert.deepEqual(
    Array.from(new RRandom(123).sampleWithoutReplacement(10)),
    [3, 10, 2, 8, 6, 9, 1, 7, 5, 4],
  );
});

test("R set.seed(42); sample(1:10) = 1 5 10 8 2 4 6 9 7 3", () => {
  assert.deepEqual(
    Array.from(new RRandom(42).sampleWithoutReplacement(10)),
    [1, 5, 10, 8, 2, 4, 6, 9, 7, 3],
  );
});

test("sampling with replacement stays in 1..n and is reproducible", () => {
  const a = new RRandom(20250101).sampleWithReplacement(68);
  const b = new RRandom(20250101).sampleWithReplacement(68);
  assert.deepEqual(a, b);
  assert.ok(a.every((v) => v >= 1 && v <= 68));
  const c = new RRandom(20250102).sampleWithReplacement(68);
  assert.notDeepEqual(a, c);
});

test("invalid seeds and sizes are errors", () => {
  assert.throws(() => new RRandom(1.5), /seed/);
  assert.throws(() => new RRandom(0).sampleWithoutReplacement(3, 4), /exceeds/);
  assert.throws(() => new MersenneTwister().initByArray([]), /empty/);
});
