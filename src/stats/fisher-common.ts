/**
 * Shared pieces of Fisher's exact test, R `fisher.test`: options and result types, R's tolerances
 * (the 2 x 2 relative fuzz of fisher.test's R code, FEXACT's log tolerance from fexact.c) and the
 * log C(r, ·) rows used by the 2 x 2 and r x 2 algorithms.
 */
import type { Alternative } from "./hypothesis-common.js";

export interface FisherOptions {
  /** Only for 2 x 2 tables (R ignores it otherwise); default "two.sided". */
  alternative?: Alternative;
  confLevel?: number;
  /** Limit on the number of network states of the r x c algorithm (default 2e7). */
  maxStates?: number;
}

export interface FisherResult {
  p: number;
  /** 2 x 2 only: conditional maximum-likelihood odds ratio (R `fisher.test()$estimate`). */
  oddsRatio?: number;
  /** 2 x 2 only: conditional exact CI of the odds ratio (R `fisher.test()$conf.int`). */
  confInt?: [number, number];
}

/** R's relative fuzz of the 2 x 2 two-sided p: d ≤ d_obs·(1 + 1e-7). */
export const FISHER_2X2_RELATIVE_TOLERANCE = 1e-7;
/** FEXACT's tolerance on the log probability of a table (R fexact.c `tol`): log d ≤ log d_obs + tol. */
export const FEXACT_LOG_TOLERANCE = 3.45254e-7;

/**
 * log C(r, x) for x = 0 … r by cumulative sums of log((r − j)/(j + 1)), symmetric halves filled from
 * the shorter side.
 */
export function logChooseRow(r: number): Float64Array {
  const out = new Float64Array(r + 1);
  const half = Math.floor(r / 2);
  let s = 0;
  for (let x = 1; x <= half; x++) {
    s += Math.log((r - x + 1) / x);
    out[x] = s;
  }
  for (let x = half + 1; x <= r; x++) out[x] = out[r - x] as number;
  return out;
}
