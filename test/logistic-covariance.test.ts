/**
 * The two covariances of a logistic fit, checked by hand: `"irls"` (R summary.glm: (X'WX)⁻¹ from
 * the QR of glm.fit's last iteration, whose weights come from the estimate before the final one)
 * and `"hessian"` (inverse information at the final estimate; for a 2x2 table at the MLE it is
 * Woolf's SE(log OR) = √(1/a + 1/b + 1/c + 1/d)). Expected values are closed forms or R's
 * algorithm (glm.fit, summary.glm in R src/library/stats/R/glm.R) carried out by hand at 50 digits;
 * the arithmetic is in the comments.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fitLogistic, type LogisticOptions, waldIntervals } from "../src/model/logistic.js";

function close(got: number, want: number, rel: number, what: string): void {
  assert.ok(
    Math.abs(got - want) <= rel * Math.abs(want) + 1e-15,
    `${what}: got ${got}, want ${want} (rel ${Math.abs(got - want) / Math.abs(want)})`,
  );
}

/** Rows of a 2x2 table: x = 0 with a events / b non-events, x = 1 with c events / d non-events. */
function table2x2(a: number, b: number, c: number, d: number): { X: number[][]; y: number[] } {
  const X: number[][] = [];
  const y: number[] = [];
  const add = (x: number, event: number, count: number) => {
    for (let i = 0; i < count; i++) {
      X.push([x]);
      y.push(event);
    }
  };
  add(0, 1, a);
  add(0, 0, b);
  add(1, 1, c);
  add(1, 0, d);
  return { X, y };
}

test("2x2 table, covariance 'hessian': Woolf SE √(1/a+1/b+1/c+1/d), z and P at the MLE", () => {
  // x = 0: a = 4 events / b = 16 non-events; x = 1: c = 9 / d = 6.
  // MLE: intercept = log(4/16) = −1.3862943611198906, slope = log((9/6)/(4/16)) = log 6
  //   = 1.7917594692280550.
  // Information at the MLE: group weights n·p(1−p) = 20·0.2·0.8 = 3.2 and 15·0.6·0.4 = 3.6, so
  //   var(intercept) = 1/3.2 = 1/4 + 1/16 = 0.3125, var(slope) = 1/3.2 + 1/3.6 = 1/4+1/16+1/9+1/6
  //   = 0.59027777777777778, cov = −0.3125.
  // SE = 0.55901699437494742 / 0.76829537144107394; z = β/SE = −2.4798787426309735 / 2.3321232117633261;
  // P = erfc(|z|/√2) = 0.013142706867298764 / 0.019694210271448590 (50-digit arithmetic).
  const { X, y } = table2x2(4, 16, 9, 6);
  const options: LogisticOptions = { epsilon: 1e-14, maxIterations: 100, covariance: "hessian" };
  const fit = fitLogistic(X, y, options);
  assert.equal(fit.covarianceMethod, "hessian");
  close(fit.coefficients[0]!, Math.log(4 / 16), 1e-12, "intercept");
  close(fit.coefficients[1]!, Math.log(6), 1e-12, "slope");
  close(fit.standardErrors[1]!, Math.sqrt(1 / 4 + 1 / 16 + 1 / 9 + 1 / 6), 1e-11, "Woolf SE");
  close(fit.standardErrors[0]!, Math.sqrt(1 / 4 + 1 / 16), 1e-11, "SE intercept");
  close(fit.covariance[0]![1]!, -0.3125, 1e-11, "cov");
  close(fit.covariance[1]![1]!, 0.5902777777777778, 1e-11, "var slope");
  close(fit.zValues[0]!, -2.4798787426309734, 1e-11, "z intercept");
  close(fit.zValues[1]!, 2.332123211763326, 1e-11, "z slope");
  close(fit.pValues[0]!, 0.013142706867298765, 1e-10, "P intercept");
  close(fit.pValues[1]!, 0.01969421027144859, 1e-10, "P slope");
  // the reported values are the Hessian ones; the legacy fields agree
  assert.equal(fit.standardErrors, fit.inference.hessian.standardErrors);
  assert.equal(fit.standardErrorsHessian, fit.inference.hessian.standardErrors);
  // Wald interval default follows the fit's covariance: log 6 ± 1.959963984540054·SE
  const wald = waldIntervals(fit);
  close(wald.lower[1]!, Math.log(6) - 1.959963984540054 * 0.768295371441074, 1e-11, "Wald lower");
  close(wald.upper[1]!, Math.log(6) + 1.959963984540054 * 0.768295371441074, 1e-11, "Wald upper");
  // the default fit reports the IRLS covariance, with the Hessian one alongside
  const irlsFit = fitLogistic(X, y, { epsilon: 1e-14, maxIterations: 100 });
  assert.equal(irlsFit.covarianceMethod, "irls");
  assert.equal(irlsFit.standardErrors, irlsFit.inference.irls.standardErrors);
  close(irlsFit.inference.hessian.standardErrors[1]!, 0.768295371441074, 1e-11, "Hessian SE");
});

test("R's summary.glm SEs come from the last IRLS iteration's weights, one Newton step behind", () => {
  // x = 0: 2 events of 10 (p̂0 = 0.2); x = 1: 7 of 10 (p̂1 = 0.7); glm.control defaults
  // (epsilon 1e-8). The model [1, x] is saturated for the two groups, so each IRLS step fits the
  // group means of the working response: per group, η ← η + (p̂ − μ)/(μ(1 − μ)) (Newton).
  // glm.fit start: μ = (y + 0.5)/2 = 0.75 / 0.25, so every weight is μ(1 − μ) = 3/16 and the
  //   working response z = η + (y − μ)/(3/16) = ±(log 3 + 4/3) = ±2.4319456220014430;
  //   D0 = −2·20·log(0.75) = 11.507282898071237.
  // iteration 1: η_g = (2p̂_g − 1)(log 3 + 4/3): η0 = −1.4591673732008658, η1 = 0.97277824880057721;
  //   μ0 = 0.18859470634579695, μ1 = 0.72567291522295060; D1 = 22.266208981689766
  //   (|D1 − D0|/(D1 + 0.1) = 0.48).
  // iteration 2: η0 = −1.3846359976756610, η1 = 0.84381511307577444; μ0 = 0.20026547016404076,
  //   μ1 = 0.69926811400959267; D2 = 22.225364397424210 (criterion 1.8e-3).
  // iteration 3: η0 = −1.3862935368290377, η1 = 0.84729544151966939; μ0 = 0.20000013188656908,
  //   μ1 = 0.69999949203757208; D3 = 22.225334511875001 (criterion 1.3e-6 ≥ 1e-8).
  // iteration 4: η0 = −1.3862943611196868, η1 = 0.84729786038603343; μ0 = 0.20000000000003261,
  //   μ1 = 0.69999999999975426; D4 = 22.225334511861627 (criterion 6.0e-13 < 1e-8: converged).
  // Estimates: β0 = η0 = −1.3862943611196868, β1 = η1 − η0 = 2.2335922215057202.
  // R's QR at iteration 4 was taken with the weights of iteration 3's μ:
  //   w0 = μ0(1 − μ0) = 0.16000007913192405, w1 = 0.21000020318471314, so (X'WX)⁻¹ for [1, x]:
  //   var(β0) = 1/(10·w0) = 0.62499969089107455, var(β1) = 1/(10·w0) + 1/(10·w1) = 1.1011897063456855,
  //   cov = −0.62499969089107455; SE = 0.79056921954442076 / 1.0493758651435078;
  //   z = −1.7535395090622969 / 2.1284958952246004; P = 0.079509443956510525 / 0.033295989926925626.
  // The Hessian at iteration 4's μ: w0 = 0.16000000000001957, w1 = 0.21000000000009830;
  //   var = 0.62499999999992356 / 1.1011904761901769; SE = 0.79056941504204649 / 1.0493762319540961;
  //   z = −1.7535390754345798 / 2.1284951512065755; P = 0.079509518318505707 / 0.033296051549440974.
  // P(slope) differs by 1.9e-6 relative between the two: R prints the first.
  const { X, y } = table2x2(2, 8, 7, 3);
  const fit = fitLogistic(X, y);
  assert.equal(fit.iterations, 4);
  assert.ok(fit.converged);
  close(fit.coefficients[0]!, -1.3862943611196867, 1e-12, "β0 at iteration 4");
  close(fit.coefficients[1]!, 2.2335922215057202, 1e-12, "β1 at iteration 4");
  const irls = fit.inference.irls;
  close(irls.covariance[0]![0]!, 0.6249996908910745, 1e-10, "IRLS var(β0)");
  close(irls.covariance[1]![1]!, 1.1011897063456855, 1e-10, "IRLS var(β1)");
  close(irls.covariance[0]![1]!, -0.6249996908910745, 1e-10, "IRLS cov");
  close(irls.standardErrors[0]!, 0.7905692195444207, 1e-10, "IRLS SE β0");
  close(irls.standardErrors[1]!, 1.049375865143508, 1e-10, "IRLS SE β1");
  close(irls.zValues[0]!, -1.753539509062297, 1e-10, "IRLS z β0");
  close(irls.zValues[1]!, 2.1284958952246003, 1e-10, "IRLS z β1");
  close(irls.pValues[0]!, 0.07950944395651052, 1e-10, "IRLS P β0");
  close(irls.pValues[1]!, 0.033295989926925625, 1e-10, "IRLS P β1");
  const hessian = fit.inference.hessian;
  close(hessian.covariance[1]![1]!, 1.101190476190177, 1e-10, "Hessian var(β1)");
  close(hessian.standardErrors[0]!, 0.7905694150420465, 1e-10, "Hessian SE β0");
  close(hessian.standardErrors[1]!, 1.049376231954096, 1e-10, "Hessian SE β1");
  close(hessian.zValues[1]!, 2.1284951512065753, 1e-10, "Hessian z β1");
  close(hessian.pValues[0]!, 0.07950951831850571, 1e-10, "Hessian P β0");
  close(hessian.pValues[1]!, 0.03329605154944097, 1e-10, "Hessian P β1");
  // the default report is R's printout; the option switches every reported quantity
  assert.equal(fit.covarianceMethod, "irls");
  assert.deepEqual(Array.from(fit.pValues), Array.from(irls.pValues));
  assert.deepEqual(fit.covariance, irls.covariance);
  const viaHessian = fitLogistic(X, y, { covariance: "hessian" });
  assert.deepEqual(Array.from(viaHessian.standardErrors), Array.from(hessian.standardErrors));
  assert.deepEqual(Array.from(viaHessian.zValues), Array.from(hessian.zValues));
  assert.deepEqual(Array.from(viaHessian.pValues), Array.from(hessian.pValues));
  assert.deepEqual(Array.from(viaHessian.coefficients), Array.from(fit.coefficients));
  // Wald intervals: the fit's own covariance by default, either one on request
  const q = 1.959963984540054;
  close(waldIntervals(fit).lower[1]!, 2.2335922215057202 - q * 1.049375865143508, 1e-10, "irls");
  close(
    waldIntervals(viaHessian).lower[1]!,
    2.2335922215057202 - q * 1.049376231954096,
    1e-10,
    "h",
  );
  close(
    waldIntervals(fit, 0.95, "hessian").upper[1]!,
    2.2335922215057202 + q * 1.049376231954096,
    1e-10,
    "h",
  );
});

test("an unknown covariance option is a clear error naming the two choices", () => {
  const { X, y } = table2x2(2, 8, 7, 3);
  const bad = { covariance: "sandwich" } as unknown as LogisticOptions;
  assert.throws(
    () => fitLogistic(X, y, bad),
    /covariance must be "irls".*or "hessian".*"sandwich"/,
  );
  const fit = fitLogistic(X, y);
  assert.throws(
    () => waldIntervals(fit, 0.95, "robust" as unknown as "irls"),
    /covariance must be "irls"/,
  );
});
