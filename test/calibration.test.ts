import assert from "node:assert/strict";
import { quantileType7 } from "../src/stats/descriptive.js";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseCsv } from "../src/io/csv.js";
import {
  binnedRankCorrelation,
  calibrateBootstrap,
  exactCIndex,
  hosmerLemeshow,
  lrmFit,
  seqLength,
  valProb,
} from "../src/stats/calibration.js";
import {
  harnessCoding,
  harnessDesign,
  loadHarnessTable,
  outcomeDesign,
  setRows,
} from "./stats-parity/harness.js";
import { missingReference, referenceDir } from "./support/reference.js";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test("quantile type 7: quantile(1:10, 0.9) = 9.1, quantile(1:10, 0.5) = 5.5", () => {
  const q = quantileType7([3, 1, 2, 4, 5, 6, 7, 8, 9, 10], [0.9, 0.5, 0, 1]);
  close(q[0]!, 9.1, 1e-15, "0.9");
  assert.equal(q[1], 5.5);
  assert.equal(q[2], 1);
  assert.equal(q[3], 10);
});

test("seq(from, to, length.out) hits both ends", () => {
  const s = seqLength(0.1, 0.9, 5);
  assert.equal(s[0], 0.1);
  assert.equal(s[4], 0.9);
  close(s[2]!, 0.5, 1e-15, "middle");
});

test("lrm.fit on a 2x2 table gives the closed-form MLE (intercept logit(3/10), slope log OR = log 7)", () => {
  // x = 0: 3 events of 10; x = 1: 6 events of 8
  const X: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 10; i++) {
    X.push([0]);
    y.push(i < 3 ? 1 : 0);
  }
  for (let i = 0; i < 8; i++) {
    X.push([1]);
    y.push(i < 6 ? 1 : 0);
  }
  const fit = lrmFit(X, y, { eps: 1e-10, maxit: 50 });
  assert.equal(fit.fail, false);
  close(fit.coefficients[0]!, Math.log(3 / 7), 1e-9, "intercept");
  close(fit.coefficients[1]!, Math.log(7), 1e-9, "slope");
  // null −2LL: 9 events of 18
  close(fit.deviance[0], -2 * 18 * Math.log(0.5), 1e-12, "null deviance");
});

test("exact C index by hand: 3 of 4 event/non-event pairs concordant", () => {
  assert.equal(exactCIndex([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
  // a tie counts one half
  assert.equal(exactCIndex([0.2, 0.2], [0, 1]), 0.5);
});

test("rms 5001-bin C: probabilities in the same 1/5000 bin are ties", () => {
  assert.equal(binnedRankCorrelation([0.10001, 0.10002], [0, 1]).c, 0.5);
  assert.equal(binnedRankCorrelation([0.1, 0.2], [0, 1]).c, 1);
  assert.equal(binnedRankCorrelation([0.1, 0.2], [0, 1]).dxy, 1);
});

test("Hosmer-Lemeshow by hand: g = 2 on 4 patients", () => {
  const r = hosmerLemeshow([0.1, 0.2, 0.3, 0.4], [0, 0, 1, 1], { g: 2, df: 1 });
  assert.deepEqual(Array.from(r.group), [1, 1, 2, 2]);
  assert.deepEqual(Array.from(r.breaks), [0.1, 0.25, 0.4]);
  // O1 = (0, 2), E1 = (0.3, 0.7), O0 = (2, 0), E0 = (1.7, 1.3)
  const chi = 0.3 ** 2 / 0.3 + 1.3 ** 2 / 0.7 + 0.3 ** 2 / 1.7 + 1.3 ** 2 / 1.3;
  close(r.statistic, chi, 1e-12, "chi-square");
  close(r.expectedEvents[1]!, 0.7, 1e-15, "E1");
});

test("val.prob closed-form statistics by hand (Brier, D, R2, Spiegelhalter)", () => {
  const p = [0.2, 0.6, 0.7, 0.4, 0.3, 0.8];
  const y = [0, 1, 1, 0, 1, 0];
  const r = valProb(p, y).stats;
  const n = 6;
  let brier = 0;
  let ll = 0;
  let num = 0;
  let den = 0;
  p.forEach((pi, i) => {
    brier += (pi - y[i]!) ** 2 / n;
    ll += y[i] ? Math.log(pi) : Math.log(1 - pi);
    num += (y[i]! - pi) * (1 - 2 * pi);
    den += (1 - 2 * pi) ** 2 * pi * (1 - pi);
  });
  const llNull = -2 * 6 * Math.log(0.5);
  const lr = llNull - -2 * ll;
  close(r.Brier, brier, 1e-15, "Brier");
  close(r["D:Chi-sq"], lr, 1e-12, "LR");
  close(r.D, (lr - 1) / n, 1e-12, "D");
  close(r.R2, (1 - Math.exp(-lr / n)) / (1 - Math.exp(-llNull / n)), 1e-12, "R2");
  close(r["S:z"], num / Math.sqrt(den), 1e-12, "S:z");
  // C: pairs (event p, non-event p): 0.6>0.2, 0.6<0.4? no; count concordant of 9 pairs
  // events 0.6, 0.7, 0.3; non-events 0.2, 0.4, 0.8 → concordant 2 + 2 + 1 = 5 of 9
  close(r["C (ROC)"], 5 / 9, 1e-15, "C");
  assert.ok(Number.isNaN(r["D:p"]));
});

test("rms calibrate bootstrap reproduces R's calibrate(B = 200, set.seed) exactly", (t) => {
  const ref = referenceDir();
  const file = ref && join(ref, "stats", "her2_calibrate_boot.json");
  if (!file || !existsSync(file)) {
    t.skip(missingReference("rms calibrate reference"));
    return;
  }
  const golden = JSON.parse(readFileSync(file, "utf8"));
  const h = golden.harness;
  const dir = join(ref!, "stats");
  const table = loadHarnessTable(h, {
    readCsv: (name) => parseCsv(readFileSync(join(dir, name), "utf8"), name),
  });
  const { design, y } = outcomeDesign(
    table,
    h,
    harnessDesign(h.models[0]),
    harnessCoding(h),
    setRows(table, h, h.fit_set),
  );
  const r = calibrateBootstrap(design.X, y, { B: h.bootstrap.B, seed: h.bootstrap.seed });
  const out = golden.outputs;
  assert.equal(r.bUsed, out.B_used);
  assert.deepEqual(Array.from(r.nUsedPerPoint), out.n_bootstrap_used_per_point);
  out.calibrated_corrected.forEach((e: number, k: number) => {
    close(r.calibratedCorrected[k]!, e, 1e-9 * Math.abs(e), `calibrated_corrected[${k}]`);
  });
  close(
    r.errorSummary.meanAbsError,
    out.error_summary.mean_abs_error,
    1e-12,
    "mean absolute error",
  );
  close(
    r.errorSummary.quantileAbsError,
    out.error_summary.quantile90_abs_error,
    1e-12,
    "0.9 quantile",
  );
});

test("bad input is an error", () => {
  assert.throws(() => valProb([0.2, 1.2, 0.5], [0, 1, 0]), /probability 2/);
  assert.throws(() => lrmFit([[1], [2], [3]], [1, 1, 1]), /single value/);
  assert.throws(() => calibrateBootstrap([[1], [2]], [0, 1], { B: 0, seed: 1 }), /B must be/);
});
