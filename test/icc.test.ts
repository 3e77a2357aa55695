import assert from "node:assert/strict";
import { test } from "node:test";
import { icc, iccAnova, iccFilter } from "../src/stats/icc.js";

// Shrout & Fleiss (1979), Table 2: 6 targets x 4 judges
const SF = [
  [9, 2, 5, 8],
  [6, 1, 3, 2],
  [8, 4, 6, 8],
  [7, 1, 2, 6],
  [10, 5, 6, 9],
  [6, 2, 4, 7],
];

test("ICC ANOVA mean squares match Shrout & Fleiss Table 2 (BMS 11.24, WMS 6.26, JMS 32.49, EMS 1.02)", () => {
  const a = iccAnova(SF);
  assert.ok(Math.abs(a.MSB - 11.24) < 0.005);
  assert.ok(Math.abs(a.MSW - 6.26) < 0.005);
  assert.ok(Math.abs(a.MSJ - 32.49) < 0.005);
  assert.ok(Math.abs(a.MSE - 1.02) < 0.005);
});

test("ICC forms match Shrout & Fleiss' published values (.17 .29 .71 .44 .62 .91)", () => {
  const r = icc(SF);
  const published = [0.17, 0.29, 0.71, 0.44, 0.62, 0.91];
  r.rows.forEach((row, i) => {
    assert.ok(Math.abs(row.icc - published[i]!) < 0.005, `${row.type}: ${row.icc}`);
  });
  // F = BMS / EMS on (5, 15) for ICC2/3; BMS / WMS on (5, 18) for ICC1
  assert.ok(Math.abs(r.rows[2]!.F - 11.24166666 / 1.01944444) < 1e-6);
  assert.deepEqual([r.rows[0]!.df1, r.rows[0]!.df2, r.rows[1]!.df2], [5, 18, 15]);
  for (const row of r.rows) assert.ok(row.lower < row.icc && row.icc < row.upper, row.type);
});

test("ICC: perfect agreement gives ICC 1 for every form; filter keeps it", () => {
  const t = [
    [1, 1],
    [2, 2],
    [4, 4],
  ];
  const f = iccFilter(
    [
      ["same", t],
      [
        "noise",
        [
          [1, 3],
          [2, 1],
          [4, 2],
        ],
      ],
    ],
    { type: "ICC2", threshold: 0.75 },
  );
  assert.deepEqual(f.kept, ["same"]);
  assert.deepEqual(f.dropped, ["noise"]);
});

test("ICC rejects missing ratings naming the subject", () => {
  assert.throws(
    () =>
      icc([
        [1, 2],
        [3, Number.NaN],
      ]),
    /subject 2/,
  );
});
