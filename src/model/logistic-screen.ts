/**
 * Univariable screen then multivariable model: one `glm(y ~ variable, binomial)` per candidate,
 * kept when its P (likelihood-ratio vs the null model, or smallest Wald P) is below a threshold,
 * then one `glm` of the kept variables (the usual clinical-model workflow; no single R function).
 * Pure TypeScript: runs in the browser.
 */
import { fitLogistic } from "./logistic-fit.js";
import { likelihoodRatioTestVsNull } from "./logistic-lrt.js";
import type { LogisticFit, LogisticOptions } from "./logistic-types.js";

/** A candidate predictor: its name and its design columns (one per coefficient, n values each). */
export interface ScreenVariable {
  name: string;
  /** Term names of its coefficients (e.g. factor dummies). */
  terms: string[];
  /** n rows × terms.length values. */
  X: ArrayLike<number>[];
}

export interface ScreenOptions extends LogisticOptions {
  /** Keep a variable when its univariable P < threshold (default 0.05). */
  pThreshold?: number;
  /** Per-variable P: likelihood-ratio test vs the null model (default; one test for all dummies of a factor) or the smallest Wald P of its terms. */
  pMethod?: "lrt" | "wald";
}

export interface ScreenResult {
  univariable: { name: string; fit: LogisticFit; p: number; selected: boolean }[];
  selected: string[];
  /** Multivariable fit on the selected variables (null when none is selected). */
  multivariable: LogisticFit | null;
}

/**
 * Univariable screen (one logistic model per variable) followed by a multivariable model of the
 * variables with P < pThreshold (the usual "univariable then multivariable" clinical-model
 * workflow). All fits use the same rows; give complete cases.
 */
export function univariableScreen(
  variables: readonly ScreenVariable[],
  y: ArrayLike<number>,
  options: ScreenOptions = {},
): ScreenResult {
  const threshold = options.pThreshold ?? 0.05;
  const method = options.pMethod ?? "lrt";
  const univariable = variables.map((v) => {
    const fit = fitLogistic(v.X, y, { ...options, names: v.terms });
    let p: number;
    if (method === "lrt") p = likelihoodRatioTestVsNull(fit).p;
    else {
      const off = fit.intercept ? 1 : 0;
      p = Math.min(...Array.from(fit.pValues.subarray(off)));
    }
    return { name: v.name, fit, p, selected: p < threshold };
  });
  const chosen = variables.filter((_, k) => univariable[k]!.selected);
  let multivariable: LogisticFit | null = null;
  if (chosen.length > 0) {
    const n = y.length;
    const X = Array.from({ length: n }, (_, i) => {
      const row: number[] = [];
      for (const v of chosen) for (let t = 0; t < v.terms.length; t++) row.push(v.X[i]![t]!);
      return row;
    });
    multivariable = fitLogistic(X, y, { ...options, names: chosen.flatMap((v) => v.terms) });
  }
  return { univariable, selected: chosen.map((v) => v.name), multivariable };
}
