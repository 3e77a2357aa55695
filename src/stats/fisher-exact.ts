/**
 * Fisher's exact test entry, R `fisher.test(table)`: checks the table and dispatches to the 2 x 2
 * (./fisher-2x2.ts), r x 2 / 2 x c (./fisher-rx2.ts) or r x c (./fisher-rxc.ts) algorithm.
 */
import { fisher2x2 } from "./fisher-2x2.js";
import { FEXACT_LOG_TOLERANCE, type FisherOptions, type FisherResult } from "./fisher-common.js";
import { fisherRx2 } from "./fisher-rx2.js";
import { fisherRxC } from "./fisher-rxc.js";
import { checkAlternative, checkConfLevel, checkTable } from "./hypothesis-common.js";

/**
 * Fisher's exact test, R `fisher.test(table)`. 2 x 2: as R's R code (p with d ≤ d_obs(1 + 1e-7),
 * conditional-MLE odds ratio of table[0][0]·table[1][1]/(table[0][1]·table[1][0]) and its exact CI).
 * Larger tables: exact two-sided p = Σ P(table) over tables with the observed margins and
 * log P ≤ log P_obs + 3.45254e-7 (the tolerance of R's FEXACT network algorithm, Mehta & Patel
 * 1986), clamped to [0, 1]; r x 2 / 2 x c tables use a bounded network search, others a network
 * of remaining row margins (limited by `maxStates`).
 */
export function fisherExactTest(
  table: readonly (readonly number[])[],
  options: FisherOptions = {},
): FisherResult {
  const { nr, nc } = checkTable(table, "Fisher exact test");
  const alternative = checkAlternative(options.alternative ?? "two.sided");
  const confLevel = options.confLevel ?? 0.95;
  checkConfLevel(confLevel);
  if (nr === 2 && nc === 2) return fisher2x2(table, alternative, confLevel);
  let p: number;
  if (nc === 2) {
    p = fisherRx2(
      table.map((row) => (row[0] as number) + (row[1] as number)),
      table.map((row) => row[0] as number),
      FEXACT_LOG_TOLERANCE,
    );
  } else if (nr === 2) {
    const t = Array.from({ length: nc }, (_, j) => [
      table[0]?.[j] as number,
      table[1]?.[j] as number,
    ]);
    p = fisherRx2(
      t.map((row) => (row[0] as number) + (row[1] as number)),
      t.map((row) => row[0] as number),
      FEXACT_LOG_TOLERANCE,
    );
  } else {
    p = fisherRxC(table, FEXACT_LOG_TOLERANCE, options.maxStates ?? 2e7);
  }
  return { p: Math.max(0, Math.min(1, p)) };
}
