import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseCsv } from "../src/io/csv.js";
import { approx, lowess } from "../src/stats/lowess.js";
import { missingReference, referenceDir } from "./support/reference.js";

test("lowess of points on a line returns the line (local linear fits are exact)", () => {
  const x = [3, 1, 4, 1.5, 9, 2.6, 5, 3.5, 8, 9.7, 0.2, 6.6];
  const y = x.map((v) => 2 * v + 1);
  for (const iter of [0, 3]) {
    const s = lowess(x, y, { iter });
    const sorted = [...x].sort((a, b) => a - b);
    s.x.forEach((v, i) => {
      assert.equal(v, sorted[i]);
    });
    s.y.forEach((v, i) => {
      assert.ok(Math.abs(v - (2 * s.x[i]! + 1)) < 1e-12, `iter ${iter} point ${i}: ${v}`);
    });
  }
});

test("lowess of a constant is that constant; tied x get the same fit", () => {
  const s = lowess([1, 2, 2, 3, 4], [5, 5, 5, 5, 5], { iter: 0 });
  s.y.forEach((v) => {
    assert.ok(Math.abs(v - 5) < 1e-15);
  });
  const t = lowess([1, 2, 2, 3, 4, 5], [0, 1, 0, 1, 1, 0], { iter: 0 });
  assert.equal(t.y[1], t.y[2]);
});

test("approx: linear interpolation, ties = mean / first, NA outside the range", () => {
  const x = [1, 2, 2, 3];
  const y = [1, 2, 4, 3];
  // ties = mean: knots (1,1) (2,3) (3,3)
  assert.deepEqual(Array.from(approx(x, y, [1.5, 2, 2.5], "mean")), [2, 3, 3]);
  // ties = first: knots (1,1) (2,2) (3,3)
  assert.deepEqual(Array.from(approx(x, y, [1.5, 2, 2.5], "first")), [1.5, 2, 2.5]);
  const outside = approx(x, y, [0.5, 3.5]);
  assert.ok(Number.isNaN(outside[0]!) && Number.isNaN(outside[1]!));
});

test("bad input is an error", () => {
  assert.throws(() => lowess([1, 2], [1]), /x has 2 values but y has 1/);
  assert.throws(() => lowess([1, Number.NaN], [1, 2]), /non-finite value at point 2/);
  assert.throws(() => lowess([1, 2], [1, 2], { f: 0 }), /'f'/);
});

test("lowess(p, y, iter = 0) equals R's stats::lowess on the golden calibration data", (t) => {
  const ref = referenceDir();
  const file = ref && join(ref, "stats", "her2_calibration.json");
  if (!file || !existsSync(file)) {
    t.skip(missingReference("R lowess reference"));
    return;
  }
  const golden = JSON.parse(readFileSync(file, "utf8"));
  const h = golden.harness;
  const table = parseCsv(readFileSync(join(ref!, "stats", h.data), "utf8"));
  const col = (name: string) => table.header.indexOf(name);
  for (const set of h.sets as string[]) {
    const rows = table.rows.filter((r) => r[col(h.split.column)] === h.split[set]);
    const p = rows.map((r) => Number(r[col(h.probability.column)]));
    const y = rows.map((r) => (r[col(h.outcome.column)] === h.outcome.event ? 1 : 0));
    const s = lowess(p, y, { f: h.lowess.f, iter: h.lowess.iter });
    const expected: number[] = golden.outputs[set].lowess.y;
    expected.forEach((e, i) => {
      assert.ok(
        Math.abs(s.y[i]! - e) <= 1e-9 * Math.abs(e) + 1e-12,
        `${set} ${i}: ${s.y[i]} vs ${e}`,
      );
    });
  }
});
