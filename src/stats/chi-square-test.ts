/**
 * Pearson χ² test of independence for an r x c table, R `chisq.test(table, correct)` (Yates
 * continuity correction only for 2 x 2, as R).
 */
import { chiSquareUpperTail } from "./distribution-tails.js";
import { checkTable } from "./hypothesis-common.js";

export interface ChiSquareResult {
  statistic: number;
  df: number;
  p: number;
  /** Expected counts under independence, E = outer(row sums, column sums)/n. */
  expected: number[][];
  /** true when the Yates correction was requested and the table is 2 x 2 (R's rule). */
  yatesApplied: boolean;
}

/**
 * Pearson χ² test of independence, R `chisq.test(table, correct)`: E_ij = r_i c_j / n,
 * X² = Σ (|O − E| − Y)² / E with Y = min(0.5, min|O − E|) for a 2 x 2 table when `correct`
 * (Yates), else Y = 0; df = (r − 1)(c − 1); p = P(χ²_df ≥ X²).
 */
export function chiSquareTest(
  table: readonly (readonly number[])[],
  correct = true,
): ChiSquareResult {
  const { nr, nc } = checkTable(table, "chi-square test");
  const sr = table.map((row) => row.reduce((a, b) => a + b, 0));
  const sc = Array.from({ length: nc }, (_, j) =>
    table.reduce((a, row) => a + (row[j] as number), 0),
  );
  const n = sr.reduce((a, b) => a + b, 0);
  if (n === 0) throw new Error("chi-square test: the table is empty (all counts are 0)");
  const expected = sr.map((r) => sc.map((c) => (r * c) / n));
  const yatesApplied = correct && nr === 2 && nc === 2;
  let yates = 0;
  if (yatesApplied) {
    yates = 0.5;
    for (let i = 0; i < nr; i++) {
      for (let j = 0; j < nc; j++) {
        yates = Math.min(yates, Math.abs((table[i]?.[j] as number) - (expected[i]?.[j] as number)));
      }
    }
  }
  let statistic = 0;
  for (let j = 0; j < nc; j++) {
    for (let i = 0; i < nr; i++) {
      const e = expected[i]?.[j] as number;
      const d = Math.abs((table[i]?.[j] as number) - e) - yates;
      statistic += (d * d) / e;
    }
  }
  const df = (nr - 1) * (nc - 1);
  return { statistic, df, p: chiSquareUpperTail(statistic, df), expected, yatesApplied };
}
