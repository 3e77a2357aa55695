/**
 * Table-1 builder: the reporting rule (Shapiro–Wilk in both groups -> t test + mean ± sd, else
 * Mann–Whitney + median (Q1, Q3); χ² unless an expected count is < 5 -> Fisher), missing values
 * dropped per variable, and the Markdown layout. Expected p-values are R's printed example values
 * (R-intro ice data, ?chisq.test) or hand-computed hypergeometric sums.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildTable1, formatPValue, renderTable1Markdown } from "../src/stats/table1.js";

// R-intro ice data: A (13 values) = events, B (8 values) = non-events
const A = [79.98, 80.04, 80.02, 80.04, 80.03, 80.03, 80.04, 79.97, 80.05, 80.03, 80.02, 80, 80.02];
const B = [80.02, 79.94, 79.98, 79.97, 79.97, 80.03, 79.95, 79.97];

function rows<T>(event: T[], nonevent: T[]) {
  return {
    values: [...event, ...nonevent],
    event: [...event.map(() => true), ...nonevent.map(() => false)],
  };
}

test("continuous variable: non-normal group -> Mann-Whitney, median (Q1, Q3)", () => {
  const ice = rows<number | null>(A, B);
  const skewed = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100, 2, 2, 2, 2, 2, 2, 2, 3]; // outlier
  const t = buildTable1({
    event: ice.event,
    continuous: [
      { name: "heat", values: ice.values },
      { name: "skewed", values: skewed },
    ],
  });
  assert.equal(t.n, 21);
  assert.equal(t.nEvent, 13);
  assert.equal(t.nNonevent, 8);
  const heat = t.rows[0];
  assert.ok(heat?.kind === "continuous");
  // the ice data: R-intro prints wilcox.test(A, B): W = 89, p-value = 0.0075
  assert.equal(heat.mannWhitney?.W, 89);
  assert.ok(Math.abs((heat.mannWhitney?.p as number) - 0.0075) <= 0.00005);
  // Student t (R-intro: t = 3.47, p-value = 0.0026)
  assert.ok(Math.abs((heat.studentT?.t as number) - 3.47) <= 0.005);
  assert.ok(Math.abs((heat.welchT?.t as number) - 3.25) <= 0.005);
  assert.equal(heat.event.n, 13);
  assert.equal(heat.nonevent.median, 79.97);
  // the rule follows the Shapiro-Wilk p-values
  const normal = heat.event.shapiroP > 0.05 && heat.nonevent.shapiroP > 0.05;
  assert.equal(heat.normal, normal);
  assert.equal(heat.test, normal ? "student_t" : "mann_whitney");
  const sk = t.rows[1];
  assert.ok(sk?.kind === "continuous");
  assert.ok(sk.event.shapiroP < 0.05, "an outlier among equal values is not normal");
  assert.equal(sk.normal, false);
  assert.equal(sk.test, "mann_whitney");
  assert.equal(sk.statistic, sk.mannWhitney?.W);
});

test("continuous variable: normal groups -> t test (Student by default, Welch on request)", () => {
  // symmetric, evenly spaced values pass Shapiro-Wilk comfortably
  const e = [10, 11, 12, 13, 14, 15, 16, 17, 18];
  const n = [12, 13, 14, 15, 16, 17, 18, 19, 20];
  const d = rows<number | null>(e, n);
  const t = buildTable1({ event: d.event, continuous: [{ name: "x", values: d.values }] });
  const r = t.rows[0];
  assert.ok(r?.kind === "continuous");
  assert.equal(r.normal, true);
  assert.equal(r.test, "student_t");
  // pooled t by hand: means 14 and 16, both variances 7.5 -> SE = sqrt(7.5 * 2/9), df = 16
  assert.ok(Math.abs(r.statistic - -2 / Math.sqrt((7.5 * 2) / 9)) < 1e-12);
  assert.equal(r.studentT?.df, 16);
  assert.equal(r.event.mean, 14);
  const w = buildTable1(
    { event: d.event, continuous: [{ name: "x", values: d.values }] },
    { tTest: "welch" },
  );
  assert.equal(w.rows[0]?.test, "welch_t");
});

test("missing values are dropped per variable", () => {
  const d = rows<number | null>([1, 2, null, 4, 5], [2, Number.NaN, 3, 4, 6]);
  const t = buildTable1({ event: d.event, continuous: [{ name: "x", values: d.values }] });
  const r = t.rows[0];
  assert.ok(r?.kind === "continuous");
  assert.equal(r.event.n, 4);
  assert.equal(r.nonevent.n, 4);
  assert.equal(r.all.n, 8);
  assert.equal(t.n, 10, "the cohort size counts every row");
});

test("categorical variable: chi-square (Yates for 2 x 2) or Fisher when an expected count is < 5", () => {
  // levels a/b x (event, non-event) = (12, 7) / (5, 7): R ?chisq.test gives p = 0.4233054
  const ev = [...Array(12).fill("a"), ...Array(5).fill("b")];
  const ne = [...Array(7).fill("a"), ...Array(7).fill("b")];
  const d = rows<string | null>(ev, ne);
  // tea tasting (3, 1) / (1, 3): expected counts 2 -> Fisher, p = 34/70 (hand enumeration)
  const tea = [...["m", "m", "m", "t"], ...["m", "t", "t", "t"]];
  const teaEvent = [true, true, true, true, false, false, false, false];
  const t = buildTable1({
    event: d.event,
    categorical: [{ name: "grp", values: d.values, levels: ["a", "b"] }],
  });
  const c = t.rows[0];
  assert.ok(c?.kind === "categorical");
  assert.deepEqual(c.countsEvent, [12, 5]);
  assert.deepEqual(c.countsNonevent, [7, 7]);
  assert.equal(c.test, "chisq");
  assert.ok(Math.abs(c.p - 0.4233054) <= 5e-8);
  assert.equal(c.chisqYates?.yatesApplied, true);
  const f = buildTable1({ event: teaEvent, categorical: [{ name: "guess", values: tea }] }).rows[0];
  assert.ok(f?.kind === "categorical");
  assert.deepEqual(f.levels, ["m", "t"]);
  assert.equal(f.test, "fisher");
  assert.ok(Math.abs(f.p - 34 / 70) < 1e-14);
  assert.equal(f.minExpected, 2);
});

test("a value outside the declared levels is an error naming the variable", () => {
  assert.throws(
    () =>
      buildTable1({
        event: [true, false],
        categorical: [{ name: "stage", values: ["T1", "T9"], levels: ["T1", "T2"] }],
      }),
    /variable 'stage' row 1 has value 'T9'/,
  );
  assert.throws(
    () => buildTable1({ event: [true, false], continuous: [{ name: "age", values: [1] }] }),
    /'age' has 1 values, the group vector has 2/,
  );
});

test("Markdown rendering: header, mean ± sd / median (Q1, Q3), n (%) rows, P formatting", () => {
  const e = [10, 11, 12, 13, 14, 15, 16, 17, 18];
  const n = [12, 13, 14, 15, 16, 17, 18, 19, 20];
  const d = rows<number | null>(e, n);
  const cat = [
    ...Array(6).fill("yes"),
    ...Array(3).fill("no"),
    ...Array(2).fill("yes"),
    ...Array(7).fill("no"),
  ];
  const t = buildTable1(
    {
      event: d.event,
      continuous: [{ name: "age", values: d.values }],
      categorical: [{ name: "ki67", values: cat, levels: ["no", "yes"] }],
    },
    { groupLabels: { event: "pCR", nonevent: "non-pCR" } },
  );
  const md = renderTable1Markdown(t);
  const lines = md.trim().split("\n");
  assert.equal(lines[0], "| Variable | pCR (n = 9) | non-pCR (n = 9) | Test | Statistic | P |");
  assert.match(
    lines[2] as string,
    /^\| age, mean ± sd \| 14\.00 ± 2\.74 \| 16\.00 ± 2\.74 \| t test \| t = -1\.549 \| 0\.141 \|$/,
  );
  assert.match(lines[3] as string, /^\| ki67, n \(%\) \| {2}\| {2}\| Fisher exact \| {2}\| /);
  assert.equal(lines[4], "| &nbsp;&nbsp;no | 3 (33.3) | 7 (77.8) |  |  |  |");
  assert.equal(lines[5], "| &nbsp;&nbsp;yes | 6 (66.7) | 2 (22.2) |  |  |  |");
  assert.equal(formatPValue(0.0004), "< 0.001");
  assert.equal(formatPValue(0.04972), "0.050");
});
