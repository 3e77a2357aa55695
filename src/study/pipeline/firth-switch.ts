/**
 * Maximum likelihood or Firth's penalised likelihood for one logistic model of the study
 * (`radscore.firth`, `clinical.firth`). The maximum-likelihood fit (R `glm`) always runs first:
 * it diagnoses complete or quasi-complete separation (Albert & Anderson 1984; the exact
 * linear-programming check, logistic-separation.ts), under which its estimates diverge, and
 * fitted probabilities numerically 0 or 1 without separation (near separation: finite but extreme,
 * unstable estimates). With "auto" such a model is refitted by Firth's penalised likelihood (Firth 1993, Biometrika
 * 80:27-38; Heinze & Schemper 2002, Stat Med 21:2409-2419; as R `logistf`), whose estimates stay
 * finite; "always" refits every model, "never" keeps maximum likelihood. The result carries the coefficients and linear predictor of the fit used, its
 * warnings, the method and the reason, and gives Table 2's odds ratios: Wald CIs and P for
 * maximum likelihood (R `confint.default`, `summary.glm`), profile penalised-likelihood CIs and
 * penalised likelihood-ratio P for Firth (logistf's `pl = TRUE`).
 * Pure (browser-safe).
 */
import { type FirthFit, fitFirth } from "../../model/firth.js";
import { type FirthLogisticFit, fitFirthLogistic } from "../../model/firth-profile.js";
import {
  fitLogistic,
  type LogisticFit,
  likelihoodRatioTestVsNull,
  waldIntervals,
} from "../../model/logistic.js";
import { hasBoundaryFit } from "../../model/logistic-separation.js";
import type { FitMethodRecord, OddsRatioRow } from "../result.js";

/** `radscore.firth` / `clinical.firth`. */
export type FirthSetting = "auto" | "always" | "never";

export interface FirthSwitchOptions {
  /** Coefficient names without the intercept. */
  names: readonly string[];
  setting: FirthSetting;
  /** The configuration key of the setting, quoted in the reason ("clinical.firth"). */
  key: string;
  /** R glm.control epsilon and maxit; maxIterations also caps Firth's Newton-Raphson. */
  epsilon: number;
  maxIterations: number;
  /**
   * Confidence level of the Firth fit's profile penalised-likelihood intervals; null: none (the
   * coefficients and penalised LR tests only, as the Rad-score needs).
   */
  level: number | null;
}

export interface SwitchedFit {
  /** The maximum-likelihood fit (R glm), always computed: it diagnoses separation. */
  ml: LogisticFit;
  /** The Firth fit when it is used (`FirthLogisticFit` when intervals were asked for). */
  firth: FirthFit | FirthLogisticFit | null;
  method: FitMethodRecord;
  /** Estimates of the fit used, intercept first. */
  coefficients: Float64Array;
  /** Its linear predictor on the fitted rows. */
  linearPredictor: Float64Array;
  /** Per coefficient: Wald P (maximum likelihood) or penalised likelihood-ratio P (Firth). */
  pValues: Float64Array;
  /**
   * Warnings of the fit used: maximum likelihood's (divergence included when it is kept), or the
   * Firth fit's own, after a line saying that Firth replaced maximum likelihood ("auto").
   */
  warnings: string[];
}

/**
 * Fits y ~ X (intercept added) by maximum likelihood, then by Firth's penalised likelihood when
 * `options.setting` asks for it ("always") or maximum likelihood separates ("auto"). A Firth fit
 * that fails under "auto" keeps maximum likelihood with a warning; under "always" it is an error
 * naming `what`.
 */
export function fitWithFirthSwitch(
  X: ArrayLike<number>[],
  y: ArrayLike<number>,
  options: FirthSwitchOptions,
  what: string,
): SwitchedFit {
  const { names, setting, key, epsilon, maxIterations, level } = options;
  const ml = fitLogistic(X, y, { intercept: true, names, epsilon, maxIterations });
  const separation = ml.separation;
  // Without separation, fitted probabilities numerically 0 or 1 still mean finite but extreme,
  // unstable estimates (near separation): "auto" treats them as separation.
  const extreme =
    separation === "none" &&
    hasBoundaryFit(Float64Array.from(y), ml.fitted, new Float64Array(y.length).fill(1));
  const separated = separation !== "none" || extreme;
  const reported = extreme
    ? "maximum likelihood gives fitted probabilities numerically 0 or 1 with finite but extreme estimates (no separation by the exact check)"
    : `maximum likelihood reports ${separation} separation (exact linear-programming check)`;
  const record = { separation, ...(extreme ? { extreme: true } : {}) };
  const keepMl = (reason: string, extra: string[] = []): SwitchedFit => ({
    ml,
    firth: null,
    method: { method: "ml", reason, ...record, setting },
    coefficients: ml.coefficients,
    linearPredictor: ml.linearPredictor,
    pValues: ml.pValues,
    warnings: [...ml.warnings, ...extra],
  });
  if (setting === "never")
    return keepMl(
      separated
        ? `maximum likelihood as configured (${key}: never), although ${reported}`
        : `maximum likelihood as configured (${key}: never)`,
    );
  if (setting === "auto" && !separated)
    return keepMl("maximum likelihood: no separation (no fitted probability numerically 0 or 1)");
  const reason =
    setting === "always"
      ? `Firth's penalised likelihood as configured (${key}: always)${separated ? `; ${reported}` : ""}`
      : reported;
  const firthOptions = { names, control: { maxIterations } };
  let firth: FirthFit | FirthLogisticFit;
  try {
    firth =
      level === null
        ? fitFirth(X, y, firthOptions)
        : fitFirthLogistic(X, y, { ...firthOptions, level });
  } catch (err) {
    const message = `Firth's penalised likelihood failed (${(err as Error).message})`;
    if (setting === "always") throw new Error(`study: ${what}: ${message}`);
    return keepMl(`${reported}; ${message}`, [`${message}; the maximum-likelihood fit is kept`]);
  }
  // The automatic switch is worth a line among the warnings; a configured one is not.
  const note =
    setting === "auto"
      ? [`${reported}: fitted by Firth's penalised likelihood instead (${key}: auto)`]
      : [];
  return {
    ml,
    firth,
    method: { method: "firth", reason, ...record, setting },
    coefficients: firth.coefficients,
    linearPredictor: firth.linearPredictor,
    pValues: hasIntervals(firth) ? firth.pValues : firth.penalizedLrPValues,
    warnings: [...note, ...firth.warnings],
  };
}

/** A Firth fit with logistf's intervals and P values (`fitFirthLogistic`)? */
function hasIntervals(fit: FirthFit | FirthLogisticFit): fit is FirthLogisticFit {
  return "confidenceIntervals" in fit;
}

/**
 * P of the whole model against the intercept alone: the likelihood-ratio test (maximum
 * likelihood) or the penalised likelihood-ratio test (Firth, logistf's "Likelihood ratio test").
 */
export function modelTestP(fit: SwitchedFit): number {
  return fit.firth ? fit.firth.likelihoodRatioTest.p : likelihoodRatioTestVsNull(fit.ml).p;
}

/**
 * Table 2's entry of coefficient k: the odds ratio, its CI at `level` (Wald for maximum
 * likelihood; profile penalised likelihood for Firth) and P (Wald; penalised LR).
 */
export function oddsRatioEntry(
  fit: SwitchedFit,
  k: number,
  level: number,
): NonNullable<OddsRatioRow["univariable"]> {
  if (fit.firth) {
    if (!hasIntervals(fit.firth) || fit.firth.level !== level)
      throw new Error(
        `oddsRatioEntry: the Firth fit has no profile intervals at level ${level} (fit it with level ${level})`,
      );
    const ci = fit.firth.confidenceIntervals;
    return {
      or: fit.firth.oddsRatios[k]!,
      lower: ci.oddsRatioLower[k]!,
      upper: ci.oddsRatioUpper[k]!,
      p: fit.firth.pValues[k]!,
    };
  }
  const ci = waldIntervals(fit.ml, level);
  return {
    or: fit.ml.oddsRatios[k]!,
    lower: ci.oddsRatioLower[k]!,
    upper: ci.oddsRatioUpper[k]!,
    p: fit.ml.pValues[k]!,
  };
}
