/**
 * Two-group comparison tests reproducing R 4.2 `stats`: Shapiro–Wilk (swilk.c, Royston AS R94),
 * Student / Welch t (t.test), Wilcoxon–Mann–Whitney rank-sum (wilcox.test: exact pwilcox
 * distribution or normal approximation with tie-corrected variance), Pearson χ² (chisq.test, Yates
 * only for 2 x 2) and Fisher's exact test (fisher.test: 2 x 2 with conditional-MLE odds ratio and its
 * CI; r x c by exact enumeration with FEXACT's tolerance). Distribution functions come from @stdlib;
 * the methods are implemented here. Pure TypeScript (browser-safe).
 *
 * This module is the entry point; each test lives in its own file:
 * - distribution-tails.ts: normalLowerTail / normalUpperTail (pnorm), chiSquareUpperTail (pchisq)
 * - shapiro-wilk.ts: shapiroWilk (shapiro.test)
 * - t-test.ts: tTest (t.test)
 * - wilcoxon.ts: wilcoxonRankSum (wilcox.test), wilcoxonFrequencies (cwilcox), pwilcox
 * - chi-square-test.ts: chiSquareTest (chisq.test)
 * - fisher-exact.ts: fisherExactTest (fisher.test), with fisher-2x2.ts, fisher-rx2.ts,
 *   fisher-rxc.ts (the algorithms) and fisher-common.ts (types, tolerances)
 * - uniroot.ts: uniroot (uniroot); hypothesis-common.ts: Alternative and argument checks
 */
export { chiSquareTest } from "./chi-square-test.js";
export type { ChiSquareResult } from "./chi-square-test.js";
export { chiSquareUpperTail, normalLowerTail, normalUpperTail } from "./distribution-tails.js";
export { FEXACT_LOG_TOLERANCE, FISHER_2X2_RELATIVE_TOLERANCE } from "./fisher-common.js";
export type { FisherOptions, FisherResult } from "./fisher-common.js";
export { fisherExactTest } from "./fisher-exact.js";
export type { Alternative } from "./hypothesis-common.js";
export { shapiroWilk } from "./shapiro-wilk.js";
export type { ShapiroWilkResult } from "./shapiro-wilk.js";
export { tTest } from "./t-test.js";
export type { TTestOptions, TTestResult } from "./t-test.js";
export { uniroot } from "./uniroot.js";
export { pwilcox, wilcoxonFrequencies, wilcoxonRankSum } from "./wilcoxon.js";
export type { WilcoxonOptions, WilcoxonResult } from "./wilcoxon.js";
