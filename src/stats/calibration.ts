/**
 * Calibration of predicted probabilities: rms `val.prob` statistics, the lowess calibration curve,
 * the Hosmer–Lemeshow test (ResourceSelection `hoslem.test`) and the bootstrap optimism-corrected
 * calibration curve of rms `calibrate(lrm(...), method = "boot", B)`.
 *
 * Sources (algorithms re-implemented, not copied): rms 6.5-0 `R/val.prob.s`, `R/lrm.fit.s`,
 * `src/lrmfit.f` (Newton–Raphson, 5001-bin rank correlation), `R/calibrate.default.s`,
 * `R/predab.resample.s`; ResourceSelection `R/hoslem.test.R`; R `quantile` type 7, `approx`,
 * `lowess` (see ./lowess.ts); Harrell, Regression Modeling Strategies (2015), ch. 10.
 * Pure TypeScript (no Node modules).
 *
 * One file per statistic: lrm-fit.ts (rms lrm.fit), val-prob.ts (val.prob), hosmer-lemeshow.ts,
 * calibrate-bootstrap.ts (calibrate), calibration-common.ts (plogis, qlogis, seq, the grid).
 */

export * from "./calibrate-bootstrap.js";
export {
  calibrationGrid,
  plogis,
  qlogis,
  seqLength,
} from "./calibration-common.js";
export * from "./hosmer-lemeshow.js";
export { binnedRankCorrelation, type LrmFit, type LrmFitOptions, lrmFit } from "./lrm-fit.js";
export * from "./val-prob.js";
