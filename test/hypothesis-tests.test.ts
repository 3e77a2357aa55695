/**
 * Group-comparison tests against values printed by R itself: the examples of R's help pages as
 * recorded in R 4.2's tests/Examples/stats-Ex.Rout.save (t.test, wilcox.test, chisq.test,
 * fisher.test) and tests/R-intro.Rout.save (Welch / Student t, wilcox.test, shapiro.test), R output
 * quoted at 16 digits in scipy's test suite (Shapiro–Wilk, n = 3), and hand-computed cases.
 * R prints 4–7 significant digits, so comparisons are at half a unit of the last printed digit.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  chiSquareTest,
  chiSquareUpperTail,
  fisherExactTest,
  pwilcox,
  shapiroWilk,
  tTest,
  uniroot,
  wilcoxonRankSum,
} from "../src/stats/hypothesis-tests.js";

/** |got − printed| <= half a unit in the last printed significant digit. */
function printed(got: number, shown: string, what = ""): void {
  const want = Number(shown);
  const mantissa = shown.replace(/^-/, "").replace(/e.*$/, "");
  const exp = /e(-?\d+)$/.exec(shown)?.[1];
  const decimals = mantissa.includes(".") ? (mantissa.split(".")[1] as string).length : 0;
  const half = 0.5 * 10 ** (-decimals + (exp ? Number(exp) : 0));
  assert.ok(Math.abs(got - want) <= half * (1 + 1e-9), `${what}: got ${got}, R printed ${shown}`);
}

const close = (got: number, want: number, rel: number, what = "") =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want}`);

// ?t.test: t.test(1:10, y = c(7:20))
test("Welch t test, R ?t.test example 1:10 vs 7:20", () => {
  const x = Array.from({ length: 10 }, (_, i) => i + 1);
  const y = Array.from({ length: 14 }, (_, i) => i + 7);
  const r = tTest(x, y, { varEqual: false });
  printed(r.t, "-5.4349", "t");
  printed(r.df, "21.982", "df");
  printed(r.p, "1.855e-05", "p");
  printed(r.confInt[0], "-11.052802", "lower");
  printed(r.confInt[1], "-4.947198", "upper");
  assert.equal(r.meanX, 5.5);
  assert.equal(r.meanY, 13.5);
});

// ?t.test: Student's sleep data, Welch
test("Welch t test, R sleep data", () => {
  const g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0, 2];
  const g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];
  const r = tTest(g1, g2, { varEqual: false });
  printed(r.t, "-1.8608", "t");
  printed(r.df, "17.776", "df");
  printed(r.p, "0.07939", "p");
  printed(r.confInt[0], "-3.3654832", "lower");
  printed(r.confInt[1], "0.2054832", "upper");
  printed(r.meanDifference, "-1.58", "difference");
});

// R-intro, "One- and two-sample tests": latent heat of ice, methods A and B
const A = [79.98, 80.04, 80.02, 80.04, 80.03, 80.03, 80.04, 79.97, 80.05, 80.03, 80.02, 80, 80.02];
const B = [80.02, 79.94, 79.98, 79.97, 79.97, 80.03, 79.95, 79.97];

test("Welch and Student t tests, R-intro ice data", () => {
  const w = tTest(A, B, { varEqual: false });
  printed(w.t, "3.25", "Welch t");
  printed(w.df, "12.0", "Welch df"); // printed as 12 (5 digits, trailing zeros dropped)
  printed(w.p, "0.0069", "Welch p");
  printed(w.confInt[0], "0.013855", "Welch lower");
  printed(w.confInt[1], "0.070183", "Welch upper");
  const s = tTest(A, B, { varEqual: true });
  printed(s.t, "3.47", "Student t");
  assert.equal(s.df, 19);
  printed(s.p, "0.0026", "Student p");
  printed(s.confInt[0], "0.016691", "Student lower");
  printed(s.confInt[1], "0.067348", "Student upper");
});

test("Wilcoxon rank-sum with ties: normal approximation with continuity correction (R-intro)", () => {
  const r = wilcoxonRankSum(A, B);
  assert.equal(r.W, 89);
  printed(r.p, "0.0075", "p");
  assert.equal(r.exact, false);
  assert.equal(r.tiesPresent, true);
  assert.equal(r.method, "Wilcoxon rank sum test with continuity correction");
});

// ?wilcox.test: Hollander & Wolfe (1973) p. 69, permeability constants
test("Wilcoxon rank-sum exact and large-sample p, R ?wilcox.test example", () => {
  const x = [0.8, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46];
  const y = [1.15, 0.88, 0.9, 0.74, 1.21];
  const g = wilcoxonRankSum(x, y, { alternative: "greater" });
  assert.equal(g.W, 35);
  assert.equal(g.method, "Wilcoxon rank sum exact test");
  printed(g.p, "0.1272", "exact greater");
  const n = wilcoxonRankSum(x, y, { alternative: "greater", exact: false, correct: false });
  printed(n.p, "0.1103", "normal greater");
  assert.equal(n.method, "Wilcoxon rank sum test");
});

test("pwilcox: hand-enumerated null distribution of W for m = n = 2", () => {
  // the 6 equally likely rank pairs of x give W = 0, 1, 2, 2, 3, 4
  assert.equal(pwilcox(0, 2, 2), 1 / 6);
  assert.equal(pwilcox(1, 2, 2), 2 / 6);
  assert.equal(pwilcox(2, 2, 2), 4 / 6);
  close(pwilcox(2, 2, 2, false), 2 / 6, 1e-15, "upper tail");
  assert.equal(pwilcox(4, 2, 2), 1);
});

test("Wilcoxon normal approximation, hand computed with ties", () => {
  // x = (1, 2, 2), y = (3, 4): ranks 1, 2.5, 2.5 | 4, 5; W = 6 − 6 = 0; one tie of size 2
  // sigma² = (6/12)·(6 − 6/(5·4)) = 2.85; z = (0 − 3 + 0.5)/sqrt(2.85)
  const r = wilcoxonRankSum([1, 2, 2], [3, 4], { exact: false, correct: true });
  assert.equal(r.W, 0);
  close(r.z as number, -2.5 / Math.sqrt(2.85), 1e-14, "z");
  const nocc = wilcoxonRankSum([1, 2, 2], [3, 4], { exact: false, correct: false });
  close(nocc.z as number, -3 / Math.sqrt(2.85), 1e-14, "z without correction");
  // default with ties falls back to the normal approximation, as R
  assert.equal(wilcoxonRankSum([1, 2, 2], [3, 4]).exact, false);
});

// ?chisq.test: Agresti (2007) p. 39
test("Pearson chi-square r x c, R ?chisq.test example (no Yates for 2 x 3)", () => {
  const r = chiSquareTest([
    [762, 327, 468],
    [484, 239, 477],
  ]);
  printed(r.statistic, "30.07", "X2");
  assert.equal(r.df, 2);
  printed(r.p, "2.954e-07", "p");
  assert.equal(r.yatesApplied, false);
  printed(r.expected[0]?.[0] as number, "703.6714", "E11");
  printed(r.expected[1]?.[2] as number, "411.3166", "E23");
});

test("Yates-corrected 2 x 2 chi-square, R ?chisq.test example", () => {
  // matrix(c(12, 5, 7, 7), ncol = 2): rows (12, 7), (5, 7)
  const r = chiSquareTest([
    [12, 7],
    [5, 7],
  ]);
  printed(r.p, "0.4233054", "p");
  assert.equal(r.yatesApplied, true);
  // hand check: E11 = 19·17/31; |O − E| = 1.580645… for every cell
  const d = Math.abs(12 - (19 * 17) / 31) - 0.5;
  const E = [(19 * 17) / 31, (19 * 14) / 31, (12 * 17) / 31, (12 * 14) / 31];
  close(
    r.statistic,
    E.reduce((a, e) => a + (d * d) / e, 0),
    1e-14,
    "X2",
  );
});

test("chi-square upper tail closed forms (df 1: erfc; df 2: exp(−x/2))", () => {
  close(chiSquareUpperTail(3.841458820694124, 1), 0.05, 1e-13, "qchisq(0.95, 1)");
  close(chiSquareUpperTail(10, 2), Math.exp(-5), 1e-15, "df 2");
  // df 3 at x = 7.814727903251178 (qchisq(0.95, 3)) is 0.05
  close(chiSquareUpperTail(7.814727903251178, 3), 0.05, 1e-13, "df 3");
  // df 4: e^(−x/2)(1 + x/2) at x = 9.487729036781154 (qchisq(0.95, 4))
  close(chiSquareUpperTail(9.487729036781154, 4), 0.05, 1e-13, "df 4");
});

// ?fisher.test
test("Fisher 2 x 2, R ?fisher.test TeaTasting (alternative greater)", () => {
  const r = fisherExactTest(
    [
      [3, 1],
      [1, 3],
    ],
    { alternative: "greater" },
  );
  printed(r.p, "0.2429", "p"); // = 17/70
  close(r.p, 17 / 70, 1e-14, "p exact");
  printed(r.oddsRatio as number, "6.408309", "odds ratio");
  printed(r.confInt?.[0] as number, "0.3135693", "lower");
  assert.equal(r.confInt?.[1], Number.POSITIVE_INFINITY);
});

test("Fisher 2 x 2, R ?fisher.test Convictions (less, two-sided, 95% and 99% CI)", () => {
  const tab = [
    [2, 15],
    [10, 3],
  ];
  const less = fisherExactTest(tab, { alternative: "less" });
  printed(less.p, "0.0004652", "p less");
  assert.equal(less.confInt?.[0], 0);
  printed(less.confInt?.[1] as number, "0.2849601", "upper (less)");
  printed(less.oddsRatio as number, "0.04693661", "odds ratio");
  const two = fisherExactTest(tab);
  printed(two.p, "0.0005367", "p two-sided");
  printed(two.confInt?.[0] as number, "0.003325764", "lower 95");
  printed(two.confInt?.[1] as number, "0.363182271", "upper 95");
  const ci99 = fisherExactTest(tab, { confLevel: 0.99 }).confInt as [number, number];
  printed(ci99[0], "0.001386333", "lower 99");
  printed(ci99[1], "0.578851645", "upper 99");
});

test("Fisher r x c, R ?fisher.test Job satisfaction (4 x 4) and Mehta & Patel MP6 (5 x 7)", () => {
  const job = [
    [1, 3, 10, 6],
    [2, 3, 10, 7],
    [1, 6, 14, 12],
    [0, 1, 9, 11],
  ];
  printed(fisherExactTest(job).p, "0.7827", "Job");
  const mp6 = [
    [1, 2, 2, 1, 1, 0, 1],
    [2, 0, 0, 2, 3, 0, 0],
    [0, 1, 1, 1, 2, 7, 3],
    [1, 1, 2, 0, 0, 0, 1],
    [0, 1, 1, 1, 1, 0, 0],
  ];
  printed(fisherExactTest(mp6).p, "0.03929", "MP6");
  // transposing the table does not change p
  const t = mp6[0]?.map((_, j) => mp6.map((row) => row[j] as number)) as number[][];
  close(fisherExactTest(t).p, fisherExactTest(mp6).p, 1e-12, "transpose");
});

test("Fisher r x 2 equals the hand-enumerated hypergeometric sum", () => {
  // rows (2, 1, 1), column 1 total 2, n = 4: tables (x1, x2, x3) with Σ = 2:
  // (2,0,0) P = 1/6·C(2,2) = 1/6, (1,1,0) 2/6, (1,0,1) 2/6, (0,1,1) 1/6  [C(4,2) = 6]
  // observed (0,1,1): P = 1/6 -> tables with P <= 1/6: (2,0,0), (0,1,1) -> p = 2/6
  const r = fisherExactTest([
    [0, 2],
    [1, 0],
    [1, 0],
  ]);
  close(r.p, 1 / 3, 1e-14, "p");
  assert.equal(r.oddsRatio, undefined);
});

test("Shapiro-Wilk n = 3, R output quoted at 16 digits (scipy gh-14462 / gh-18322)", () => {
  const a = shapiroWilk([0, 3.39996924e-8, -6.35166875e-9]);
  close(a.w, 0.86468431705371, 1e-12, "W");
  close(a.p, 0.2805581751566, 1e-11, "p");
  const b = shapiroWilk([-0.7746653110021126, -0.4344432067942129, 1.8157053280290931]);
  close(b.w, 0.84658770645509, 1e-12, "W");
  close(b.p, 0.2313666489882, 1e-11, "p");
});

test("Shapiro-Wilk n = 3 by hand: W = (x3 − x1)²/(2 SS), p = 6/π (asin √W − asin √(3/4))", () => {
  const r = shapiroWilk([1, 2, 4]);
  const w = 4.5 / (42 / 9);
  close(r.w, w, 1e-14, "W");
  close(r.p, (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3), 1e-9, "p");
});

test("Shapiro-Wilk n = 175, R-intro: shapiro.test(faithful$eruptions[eruptions > 3])", () => {
  const eruptions = [
    3.6, 1.8, 3.333, 2.283, 4.533, 2.883, 4.7, 3.6, 1.95, 4.35, 1.833, 3.917, 4.2, 1.75, 4.7, 2.167,
    1.75, 4.8, 1.6, 4.25, 1.8, 1.75, 3.45, 3.067, 4.533, 3.6, 1.967, 4.083, 3.85, 4.433, 4.3, 4.467,
    3.367, 4.033, 3.833, 2.017, 1.867, 4.833, 1.833, 4.783, 4.35, 1.883, 4.567, 1.75, 4.533, 3.317,
    3.833, 2.1, 4.633, 2, 4.8, 4.716, 1.833, 4.833, 1.733, 4.883, 3.717, 1.667, 4.567, 4.317, 2.233,
    4.5, 1.75, 4.8, 1.817, 4.4, 4.167, 4.7, 2.067, 4.7, 4.033, 1.967, 4.5, 4, 1.983, 5.067, 2.017,
    4.567, 3.883, 3.6, 4.133, 4.333, 4.1, 2.633, 4.067, 4.933, 3.95, 4.517, 2.167, 4, 2.2, 4.333,
    1.867, 4.817, 1.833, 4.3, 4.667, 3.75, 1.867, 4.9, 2.483, 4.367, 2.1, 4.5, 4.05, 1.867, 4.7,
    1.783, 4.85, 3.683, 4.733, 2.3, 4.9, 4.417, 1.7, 4.633, 2.317, 4.6, 1.817, 4.417, 2.617, 4.067,
    4.25, 1.967, 4.6, 3.767, 1.917, 4.5, 2.267, 4.65, 1.867, 4.167, 2.8, 4.333, 1.833, 4.383, 1.883,
    4.933, 2.033, 3.733, 4.233, 2.233, 4.533, 4.817, 4.333, 1.983, 4.633, 2.017, 5.1, 1.8, 5.033, 4,
    2.4, 4.6, 3.567, 4, 4.5, 4.083, 1.8, 3.967, 2.2, 4.15, 2, 3.833, 3.5, 4.583, 2.367, 5, 1.933,
    4.617, 1.917, 2.083, 4.583, 3.333, 4.167, 4.333, 4.5, 2.417, 4, 4.167, 1.883, 4.583, 4.25,
    3.767, 2.033, 4.433, 4.083, 1.833, 4.417, 2.183, 4.8, 1.833, 4.8, 4.1, 3.966, 4.233, 3.5, 4.366,
    2.25, 4.667, 2.1, 4.35, 4.133, 1.867, 4.6, 1.783, 4.367, 3.85, 1.933, 4.5, 2.383, 4.7, 1.867,
    3.833, 3.417, 4.233, 2.4, 4.8, 2, 4.15, 1.867, 4.267, 1.75, 4.483, 4, 4.117, 4.083, 4.267,
    3.917, 4.55, 4.083, 2.417, 4.183, 2.217, 4.45, 1.883, 1.85, 4.283, 3.95, 2.333, 4.15, 2.35,
    4.933, 2.9, 4.583, 3.833, 2.083, 4.367, 2.133, 4.35, 2.2, 4.45, 3.567, 4.5, 4.15, 3.817, 3.917,
    4.45, 2, 4.283, 4.767, 4.533, 1.85, 4.25, 1.983, 2.25, 4.75, 4.117, 2.15, 4.417, 1.817, 4.467,
  ];
  const r = shapiroWilk(eruptions.filter((v) => v > 3));
  printed(r.w, "0.979", "W");
  printed(r.p, "0.011", "p");
});

test("Shapiro-Wilk n = 20 and n = 25 (AS R94 values of scipy's tests)", () => {
  const x1 = [
    0.11, 7.87, 4.61, 10.14, 7.95, 3.14, 0.46, 4.43, 0.21, 4.75, 0.71, 1.52, 3.24, 0.93, 0.42, 4.97,
    9.53, 4.55, 0.47, 6.66,
  ];
  const a = shapiroWilk(x1);
  assert.ok(Math.abs(a.w - 0.90047299861907959) < 1.5e-6, `W ${a.w}`);
  assert.ok(Math.abs(a.p - 0.042089745402336121) < 1.5e-6, `p ${a.p}`);
  const x4 = [
    0.139, 0.157, 0.175, 0.256, 0.344, 0.413, 0.503, 0.577, 0.614, 0.655, 0.954, 1.392, 1.557,
    1.648, 1.69, 1.994, 2.174, 2.206, 3.245, 3.51, 3.571, 4.354, 4.98, 6.084, 8.351,
  ];
  const b = shapiroWilk(x4);
  printed(b.w, "0.83467", "W");
  assert.ok(Math.abs(b.p - 0.000914) < 1.5e-5, `p ${b.p}`);
});

test("Shapiro-Wilk is invariant to order, location and scale (4 <= n <= 11 branch)", () => {
  const x = [2.1, 3.7, 1.2, 8.8, 4.4, 5.0, 2.9];
  const a = shapiroWilk(x);
  const b = shapiroWilk(x.map((v) => 10 - 3 * v).reverse());
  close(b.w, a.w, 1e-12, "W");
  close(b.p, a.p, 1e-10, "p");
  assert.ok(a.w > 0 && a.w < 1 && a.p > 0 && a.p < 1);
});

test("uniroot finds a root as R's Brent zeroin to its tolerance", () => {
  const r = uniroot((x) => x * x - 2, 0, 2);
  assert.ok(Math.abs(r - Math.SQRT2) < 1.3e-4, `root ${r}`);
  assert.throws(() => uniroot((x) => x * x + 1, 0, 2), /not of opposite sign/);
});

test("bad input is an error naming the problem", () => {
  assert.throws(() => shapiroWilk([1, 2]), /between 3 and 5000/);
  assert.throws(() => shapiroWilk([3, 3, 3]), /identical/);
  assert.throws(() => tTest([1], [2, 3], { varEqual: false }), /t test: x: needs at least 2/);
  assert.throws(() => tTest([1, 1], [1, 1], { varEqual: true }), /essentially constant/);
  assert.throws(() => chiSquareTest([[1, 2]]), /at least 2 rows/);
  assert.throws(
    () =>
      fisherExactTest([
        [1, -2],
        [3, 4],
      ]),
    /cell \[0\]\[1\]/,
  );
  assert.throws(() => wilcoxonRankSum([1, Number.NaN], [2]), /x: value 1/);
});
