/**
 * The exact separation check (src/model/separation-lp.ts, Konis 2007) on hand-checkable designs
 * (intercept column first): where the outcome is (partly) a step function of x, where it is not,
 * and where only a combination of two predictors separates it.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkSeparation } from "../src/model/separation-lp.js";

const design = (...columns: number[][]) =>
  columns[0]!.map((_, i) => [1, ...columns.map((c) => c[i]!)]);

test("complete separation: y = 1 exactly when x > 2.5; the direction raises the slope", () => {
  const r = checkSeparation(design([1, 2, 3, 4]), [0, 0, 1, 1]);
  assert.equal(r.kind, "complete");
  // Any separating direction b has b1 > 0 and b0 + 2 b1 < 0 < b0 + 3 b1.
  const [b0, b1] = r.direction!;
  assert.ok(b1! > 0 && b0! + 2 * b1! < 0 && b0! + 3 * b1! > 0, `${b0}, ${b1}`);
});

test("quasi-complete separation: every x = 1 is an event, x = 0 has both outcomes", () => {
  // The 2 x 2 table with an empty cell (Albert & Anderson's quasi-complete case): b = (0, 1)
  // gives s_i x_i'b = 1 for the x = 1 events and 0 elsewhere.
  const x = [0, 0, 0, 0, 1, 1, 1];
  const y = [0, 1, 0, 1, 1, 1, 1];
  const r = checkSeparation(design(x), y);
  assert.equal(r.kind, "quasi-complete");
  assert.ok(r.direction![1]! > 0);
  // Zero-weight rows are left out: without the x = 0 events the separation becomes complete.
  assert.equal(checkSeparation(design(x), y, [1, 0, 1, 0, 1, 1, 1]).kind, "complete");
});

test("overlapping outcomes: no separation, so maximum likelihood has a finite estimate", () => {
  assert.deepEqual(checkSeparation(design([1, 2, 3, 4]), [0, 1, 0, 1]), {
    kind: "none",
    direction: null,
  });
  // Two predictors, each overlapping alone, and no combination separates (the four corners of a
  // square with equal outcomes on a diagonal: XOR).
  assert.equal(checkSeparation(design([0, 0, 1, 1], [0, 1, 0, 1]), [0, 1, 1, 0]).kind, "none");
});

test("only a combination separates: y = 1 exactly when x1 + x2 > 1, while each alone overlaps", () => {
  // Non-events (0, 0), (2, -1), (-1, 2): x1 + x2 <= 1; events (1, 1), (3, 0), (0, 3): >= 2.
  // Sorted by x1 alone the outcomes read 0 0 1 1 0 1 (the non-event at x1 = 2 lies above the
  // event at x1 = 1), and likewise by x2: no threshold on one predictor separates them.
  const x1 = [0, 2, -1, 1, 3, 0];
  const x2 = [0, -1, 2, 1, 0, 3];
  const y = [0, 0, 0, 1, 1, 1];
  assert.equal(checkSeparation(design(x1), y).kind, "none");
  assert.equal(checkSeparation(design(x2), y).kind, "none");
  assert.equal(checkSeparation(design(x1, x2), y).kind, "complete");
});

test("scale does not matter: a column in thousands separates as the same column in units", () => {
  const x = [0.001, 0.002, 0.003, 0.004, 0.005];
  const y = [0, 0, 1, 0, 1];
  const small = checkSeparation(design(x), y);
  const large = checkSeparation(design(x.map((v) => v * 1e6)), y);
  assert.equal(small.kind, "none");
  assert.equal(large.kind, "none");
  assert.equal(checkSeparation(design(x.map((v) => v * 1e6)), [0, 0, 1, 1, 1]).kind, "complete");
});
