/**
 * The normal and χ² distribution helpers the logistic module's tests and intervals use: R's
 * `2 * pnorm(-abs(z))`, `qnorm` and `qchisq` (via @stdlib).
 * Pure TypeScript: runs in the browser.
 */
import chisquareQuantile from "@stdlib/stats-base-dists-chisquare-quantile";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

/** Two-sided normal P value 2·Φ(−|z|). */
export function twoSidedNormalP(z: number): number {
  return 2 * normalCdf(-Math.abs(z), 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantileStd(p: number): number {
  return normalQuantile(p, 0, 1);
}

/** χ² quantile (R `qchisq`); for df = 1, Φ⁻¹((1+p)/2)². */
export function chiSquareQuantile(p: number, df: number): number {
  return chisquareQuantile(p, df);
}
