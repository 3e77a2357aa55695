/**
 * Binary logistic regression exactly as R's `glm(family = binomial)`: iteratively reweighted least
 * squares as `stats::glm.fit` (start mu = (w·y + 0.5)/(w + 1), Householder-QR weighted least
 * squares per step, stop when |dev − dev_old| / (|dev| + 0.1) < epsilon, step halving on divergence),
 * R's clamped logit link (|eta| > 30), and the `summary.glm` / `logLik.glm` / `AIC` / `BIC`
 * quantities; plus Hessian-at-the-MLE standard errors (as statsmodels `Logit`), Wald and profile
 * likelihood confidence intervals (exact root of the profile deviance, and MASS `confint.glm`'s
 * spline approximation), likelihood-ratio tests, separation diagnostics and a univariable screen
 * followed by a multivariable model.
 * Pure TypeScript: runs in the browser.
 *
 * This is the entry point; import from here. Each concept lives in its own module:
 * - logistic-types.ts: `LogisticOptions`, `LogisticFit`, `LogisticData` (R glm / summary.glm)
 * - logistic-fit.ts: `fitLogistic`, R `glm(family = binomial)` with summary.glm, logLik, AIC,
 *   BIC and Hessian standard errors
 * - logistic-irls.ts: the IRLS loop, R `stats::glm.fit`
 * - logistic-qr.ts: Householder-QR least squares (LINPACK dqrdc2/dqrsl), `chol2inv`, SPD inverse
 * - logistic-family.ts: R `binomial()`: logit linkinv / mu.eta, deviance, aic
 * - logistic-separation.ts: `SeparationKind`, separation detection (Albert & Anderson 1984)
 * - logistic-distributions.ts: R `pnorm` / `qnorm` / `qchisq` helpers
 * - logistic-wald.ts: `waldIntervals` and odds ratios, R `confint.default`
 * - logistic-profile.ts: `profileLikelihoodIntervals` (exact root of the profile deviance) and
 *   `massProfileIntervals` (MASS `confint.glm`)
 * - logistic-spline.ts: R `spline(method = "fmm")` and `approx`, for the MASS intervals
 * - logistic-lrt.ts: likelihood-ratio tests, R `anova(m0, m1, test = "LRT")`
 * - logistic-screen.ts: `univariableScreen`, univariable screen then multivariable model
 */
export {
  chiSquareQuantile,
  normalQuantileStd,
  twoSidedNormalP,
} from "./logistic-distributions.js";
export { logitLinkInverse } from "./logistic-family.js";
export { fitLogistic } from "./logistic-fit.js";
export {
  type LikelihoodRatioTest,
  likelihoodRatioTest,
  likelihoodRatioTestVsNull,
} from "./logistic-lrt.js";
export {
  type MassProfileOptions,
  massProfileIntervals,
  profileLikelihoodIntervals,
} from "./logistic-profile.js";
export {
  type ScreenOptions,
  type ScreenResult,
  type ScreenVariable,
  univariableScreen,
} from "./logistic-screen.js";
export type { SeparationKind } from "./logistic-separation.js";
export { approxLinear, fmmSplinePoints } from "./logistic-spline.js";
export type { LogisticData, LogisticFit, LogisticOptions } from "./logistic-types.js";
export { type ConfidenceIntervals, waldIntervals } from "./logistic-wald.js";
