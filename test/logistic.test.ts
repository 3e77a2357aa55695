import assert from "node:assert/strict";
import { chiSquareUpperTail } from "../src/stats/hypothesis-tests.js";
import { test } from "node:test";
import { buildDesignMatrix, designTerms } from "../src/model/design.js";
import {
  fitLogistic,
  fmmSplinePoints,
  likelihoodRatioTest,
  likelihoodRatioTestVsNull,
  massProfileIntervals,
  profileLikelihoodIntervals,
  univariableScreen,
  waldIntervals,
} from "../src/model/logistic.js";

function close(got: number, want: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want) + 1e-14,
    `${what}: got ${got}, want ${want}`,
  );
}

/** Rows of a 2x2 table: x = 0 with a events / b non-events, x = 1 with c events / d non-events. */
function table2x2(a: number, b: number, c: number, d: number): { X: number[][]; y: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  const add = (x: number, yy: number, k: number) => {
    for (let i = 0; i < k; i++) {
      X.push([x]);
      y.push(yy);
    }
  };
  add(0, 1, a);
  add(0, 0, b);
  add(1, 1, c);
  add(1, 0, d);
  return { X, y };
}

test("2x2 table: closed-form MLE (log odds, log odds ratio), Woolf SE, deviance, AIC, LR test", () => {
  // x = 0: 3 events / 7 non-events; x = 1: 8 events / 4 non-events
  const { X, y } = table2x2(3, 7, 8, 4);
  const fit = fitLogistic(X, y, { epsilon: 1e-14, maxIterations: 100 });
  assert.deepEqual(fit.terms, ["(Intercept)", "x1"]);
  close(fit.coefficients[0]!, Math.log(3 / 7), 1e-12, "intercept = log(3/7)");
  close(fit.coefficients[1]!, Math.log(8 / 4 / (3 / 7)), 1e-12, "slope = log OR");
  close(fit.oddsRatios[1]!, 14 / 3, 1e-12, "OR = (8/4)/(3/7)");
  // Woolf: SE(log OR) = sqrt(1/a + 1/b + 1/c + 1/d); SE(intercept) = sqrt(1/a + 1/b)
  const seSlope = Math.sqrt(1 / 3 + 1 / 7 + 1 / 8 + 1 / 4);
  close(fit.standardErrorsHessian[1]!, seSlope, 1e-12, "Hessian SE slope");
  close(fit.standardErrorsHessian[0]!, Math.sqrt(1 / 3 + 1 / 7), 1e-12, "Hessian SE intercept");
  close(fit.standardErrors[1]!, seSlope, 1e-7, "IRLS SE slope (last weights)");
  // covariance of intercept and slope = -(1/a + 1/b)
  close(fit.covarianceHessian[0]![1]!, -(1 / 3 + 1 / 7), 1e-12, "cov");
  const logLik = 3 * Math.log(0.3) + 7 * Math.log(0.7) + 8 * Math.log(2 / 3) + 4 * Math.log(1 / 3);
  close(fit.logLik, logLik, 1e-12, "logLik");
  close(fit.deviance, -2 * logLik, 1e-12, "deviance");
  close(fit.aic, -2 * logLik + 4, 1e-12, "AIC");
  close(fit.bic, -2 * logLik + Math.log(22) * 2, 1e-12, "BIC");
  close(fit.nullDeviance, 44 * Math.log(2), 1e-12, "null deviance (p = 11/22)");
  assert.equal(fit.dfResidual, 20);
  assert.equal(fit.dfNull, 21);
  assert.ok(fit.converged);
  assert.equal(fit.separation, "none");
  const lrt = likelihoodRatioTestVsNull(fit);
  close(lrt.statistic, 44 * Math.log(2) + 2 * logLik, 1e-12, "LR statistic");
  assert.equal(lrt.df, 1);
  const wald = waldIntervals(fit, 0.95, true);
  close(wald.lower[1]!, Math.log(14 / 3) - 1.959963984540054 * seSlope, 1e-12, "Wald lower");
  close(
    wald.oddsRatioUpper[1]!,
    Math.exp(Math.log(14 / 3) + 1.959963984540054 * seSlope),
    1e-12,
    "OR Wald upper",
  );
});

test("exact profile CI: the constrained deviance at each bound is D + qchisq(0.95, 1); MASS spline CI is close", () => {
  const { X, y } = table2x2(3, 7, 8, 4);
  const fit = fitLogistic(X, y, { epsilon: 1e-14, maxIterations: 100 });
  const prof = profileLikelihoodIntervals(fit, 0.95, 1e-13);
  const q = 3.841458820694124; // R qchisq(0.95, 1)
  for (const bound of [prof.lower[1]!, prof.upper[1]!]) {
    // refit with the slope fixed at the bound: offset = bound * x, intercept only
    const offset = X.map((r) => r[0]! * bound);
    const constrained = fitLogistic(
      X.map(() => []),
      y,
      { offset, epsilon: 1e-14, maxIterations: 100 },
    );
    close(constrained.deviance - fit.deviance, q, 1e-9, "deviance increase at the bound");
  }
  assert.ok(prof.lower[1]! < fit.coefficients[1]! && fit.coefficients[1]! < prof.upper[1]!);
  const mass = massProfileIntervals(fit);
  close(mass.lower[1]!, prof.lower[1]!, 1e-2, "MASS lower ≈ exact");
  close(mass.upper[1]!, prof.upper[1]!, 1e-2, "MASS upper ≈ exact");
});

test("likelihood-ratio test between nested models: D0 - D1 on the difference in coefficients", () => {
  const { X, y } = table2x2(3, 7, 8, 4);
  const fit1 = fitLogistic(X, y);
  const fit0 = fitLogistic(
    X.map(() => []),
    y,
  );
  close(fit0.deviance, 44 * Math.log(2), 1e-12, "intercept-only deviance");
  const t = likelihoodRatioTest(fit0, fit1);
  assert.equal(t.df, 1);
  close(t.statistic, fit0.deviance - fit1.deviance, 0, "statistic");
  assert.throws(() => likelihoodRatioTest(fit1, fit0), /must extend/);
});

test("prior weights of 2 equal duplicated rows (R glm semantics)", () => {
  const X = [[0.5], [1.5], [-0.3], [2.2], [0.9], [-1.1], [1.7]];
  const y = [0, 1, 0, 1, 1, 0, 0];
  const w = [2, 1, 1, 2, 1, 1, 2];
  const weighted = fitLogistic(X, y, { weights: w, epsilon: 1e-14, maxIterations: 100 });
  const Xd: number[][] = [];
  const yd: number[] = [];
  X.forEach((r, i) => {
    for (let k = 0; k < w[i]!; k++) {
      Xd.push(r);
      yd.push(y[i]!);
    }
  });
  const dup = fitLogistic(Xd, yd, { epsilon: 1e-14, maxIterations: 100 });
  close(weighted.coefficients[1]!, dup.coefficients[1]!, 1e-10, "slope");
  close(weighted.deviance, dup.deviance, 1e-10, "deviance");
  close(weighted.standardErrorsHessian[1]!, dup.standardErrorsHessian[1]!, 1e-10, "SE");
});

test("complete and quasi-complete separation are reported", () => {
  const complete = fitLogistic([[1], [2], [3], [4], [5], [6]], [0, 0, 0, 1, 1, 1]);
  assert.equal(complete.separation, "complete");
  assert.ok(complete.warnings.some((w) => /separation/.test(w)));
  assert.ok(complete.warnings.some((w) => /fitted probabilities numerically 0 or 1/.test(w)));
  // quasi-complete: x = 0 rows are all non-events; x = 1 rows are mixed
  const quasi = fitLogistic([[0], [0], [0], [1], [1], [1], [1]], [0, 0, 0, 1, 0, 1, 1]);
  assert.equal(quasi.separation, "quasi-complete");
  assert.ok(quasi.warnings.some((w) => /quasi-complete separation/.test(w)));
  const fine = fitLogistic([[0], [0], [0], [1], [1], [1], [1]], [0, 1, 0, 1, 0, 1, 1]);
  assert.equal(fine.separation, "none");
});

test("bad input is a clear error", () => {
  assert.throws(() => fitLogistic([[1], [2]], [0, 2]), /y\[2\] = 2/);
  assert.throws(() => fitLogistic([[1], [2]], [0]), /2 rows but y has 1/);
  assert.throws(() => fitLogistic([[1], [Number.NaN]], [0, 1]), /X\[2\]\[1\]/);
  // aliased column: x2 = 2 * x1
  assert.throws(
    () =>
      fitLogistic(
        [
          [1, 2],
          [2, 4],
          [3, 6],
          [4, 8],
        ],
        [0, 1, 0, 1],
        { names: ["a", "b"] },
      ),
    /rank deficient: column 'b'/,
  );
});

test("chi-square upper tail: closed forms against R table values", () => {
  close(chiSquareUpperTail(3.841458820694124, 1), 0.05, 1e-12, "df 1 at qchisq(0.95, 1)");
  close(chiSquareUpperTail(5, 2), Math.exp(-2.5), 1e-14, "df 2 = exp(-x/2)");
  close(chiSquareUpperTail(7.814727903251178, 3), 0.05, 1e-9, "df 3 at qchisq(0.95, 3)");
  close(chiSquareUpperTail(9.487729036781154, 4), 0.05, 1e-9, "df 4 at qchisq(0.95, 4)");
  // far tail, df 4: exp(-x/2)(1 + x/2)
  close(chiSquareUpperTail(100, 4), Math.exp(-50) * 51, 1e-13, "df 4 tail");
});

test("fmm spline reproduces a cubic exactly (R spline, method fmm)", () => {
  const x = [0, 1, 2, 3.5, 5];
  const y = x.map((v) => v ** 3 - 2 * v);
  const sp = fmmSplinePoints(x, y);
  assert.equal(sp.x.length, 15);
  assert.equal(sp.x[0], 0);
  assert.equal(sp.x[14], 5);
  sp.x.forEach((u, i) => {
    close(sp.y[i]!, u ** 3 - 2 * u, 1e-12, `spline at ${u}`);
  });
});

test("univariable screen keeps P < threshold and fits the multivariable model", () => {
  // 'strong': the 2x2 table with OR 14/3, three copies (66 rows)
  const base = table2x2(3, 7, 8, 4);
  const X: number[][] = [];
  const y: number[] = [];
  for (let rep = 0; rep < 3; rep++) {
    base.X.forEach((r, i) => {
      X.push(r);
      y.push(base.y[i]!);
    });
  }
  // null variable: 33 events and 33 non-events each get the values 1, 2, 3 eleven times → the same
  // distribution in both groups, so the slope MLE is 0 and the LR statistic 0
  const counter = [0, 0];
  const nullVar = y.map((yy) => [1 + (counter[yy]!++ % 3)]);
  const res = univariableScreen(
    [
      { name: "strong", terms: ["strong"], X },
      { name: "noise", terms: ["noise"], X: nullVar },
    ],
    y,
    { pThreshold: 0.05 },
  );
  const noise = res.univariable[1]!;
  assert.ok(Math.abs(noise.fit.coefficients[1]!) < 1e-10, "noise slope 0");
  assert.ok(noise.p > 0.99);
  assert.ok(res.univariable[0]!.p < 0.05);
  assert.deepEqual(res.selected, ["strong"]);
  assert.deepEqual(res.multivariable?.terms, ["(Intercept)", "strong"]);
});

test("design matrix: R treatment coding, term names, complete cases, errors", () => {
  const coding = {
    age: { type: "numeric" as const },
    grade: { type: "factor" as const, levels: ["low", "mid", "high"] },
  };
  const terms = designTerms(["age", "grade"], coding);
  assert.deepEqual(
    terms.map((t) => t.term),
    ["(Intercept)", "age", "grademid", "gradehigh"],
  );
  const table = {
    header: ["id", "age", "grade", "y"],
    rows: [
      ["1", "50", "low", "0"],
      ["2", "", "mid", "1"],
      ["3", "61.5", "high", "1"],
      ["4", "40", "mid", "0"],
    ],
  };
  const d = buildDesignMatrix(table, terms, coding, { missingCells: [""] });
  assert.deepEqual(d.rowIndices, [0, 2, 3]);
  assert.deepEqual(d.droppedRows, [1]);
  assert.deepEqual(
    d.X.map((r) => Array.from(r)),
    [
      [50, 0, 0],
      [61.5, 0, 1],
      [40, 1, 0],
    ],
  );
  assert.throws(
    () => buildDesignMatrix(table, terms, coding),
    /column 'age', data row 2: '' is not a number/,
  );
  const bad = { ...table, rows: [["1", "50", "extreme", "0"]] };
  assert.throws(() => buildDesignMatrix(bad, terms, coding), /'extreme' is not one of the levels/);
});
