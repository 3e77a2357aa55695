/**
 * Likelihood-ratio tests of nested logistic fits: R `anova(m0, m1, test = "LRT")` and the test
 * against the intercept-only model (null deviance − deviance, as `anova(glm, test = "LRT")`).
 * Pure TypeScript: runs in the browser.
 */
import { chiSquareUpperTail } from "../stats/hypothesis-tests.js";
import type { LogisticFit } from "./logistic-types.js";

export interface LikelihoodRatioTest {
  deviance0: number;
  deviance1: number;
  statistic: number;
  df: number;
  p: number;
}

/**
 * Likelihood-ratio test of nested fits on the same rows (R `anova(m0, m1, test = "LRT")`):
 * statistic = D₀ − D₁, df = rank₁ − rank₀, P = P(χ²_df > statistic).
 */
export function likelihoodRatioTest(fit0: LogisticFit, fit1: LogisticFit): LikelihoodRatioTest {
  if (fit0.data.n !== fit1.data.n || fit0.nObs !== fit1.nObs)
    throw new Error(
      `likelihood-ratio test: the models use different observations (${fit0.nObs} vs ${fit1.nObs}); fit both on the same rows`,
    );
  const df = fit1.rank - fit0.rank;
  if (df <= 0)
    throw new Error(
      `likelihood-ratio test: model 1 (${fit1.rank} coefficients) must extend model 0 (${fit0.rank})`,
    );
  const statistic = fit0.deviance - fit1.deviance;
  return {
    deviance0: fit0.deviance,
    deviance1: fit1.deviance,
    statistic,
    df,
    p: chiSquareUpperTail(statistic, df),
  };
}

/** Likelihood-ratio test against the intercept-only model: null deviance − deviance on dfNull − dfResidual. */
export function likelihoodRatioTestVsNull(fit: LogisticFit): {
  statistic: number;
  df: number;
  p: number;
} {
  const statistic = fit.nullDeviance - fit.deviance;
  const df = fit.dfNull - fit.dfResidual;
  return { statistic, df, p: chiSquareUpperTail(statistic, df) };
}
