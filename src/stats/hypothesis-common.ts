/**
 * Shared pieces of the two-group tests (R 4.2 `stats`): the `alternative` type and the argument
 * checks that R's t.test / wilcox.test / fisher.test make (`match.arg(alternative)`, `conf.level` in
 * (0, 1)), the contingency-table check shared by chisq.test and fisher.test, and the double
 * constants of R's C code (DBL_EPSILON, DBL_MAX). The helpers are internal to src/stats;
 * hypothesis-tests.ts re-exports only `Alternative`.
 */

export type Alternative = "two.sided" | "less" | "greater";

export const DBL_EPSILON = 2.220446049250313e-16;
export const DBL_MAX = Number.MAX_VALUE;

export function checkAlternative(alternative: string): Alternative {
  if (alternative !== "two.sided" && alternative !== "less" && alternative !== "greater") {
    throw new Error(`alternative must be "two.sided", "less" or "greater", got '${alternative}'`);
  }
  return alternative;
}

export function checkConfLevel(confLevel: number): void {
  if (!(confLevel > 0 && confLevel < 1)) {
    throw new Error(`confLevel must be a number in (0, 1), got ${confLevel}`);
  }
}

export function checkTable(
  table: readonly (readonly number[])[],
  what: string,
): { nr: number; nc: number } {
  const nr = table.length;
  if (nr < 2) throw new Error(`${what}: the table needs at least 2 rows, got ${nr}`);
  const nc = (table[0] as readonly number[]).length;
  if (nc < 2) throw new Error(`${what}: the table needs at least 2 columns, got ${nc}`);
  table.forEach((row, i) => {
    if (row.length !== nc)
      throw new Error(`${what}: row ${i} has ${row.length} cells, row 0 has ${nc}`);
    row.forEach((v, j) => {
      if (!(Number.isInteger(v) && v >= 0)) {
        throw new Error(
          `${what}: cell [${i}][${j}] must be a non-negative integer count, got ${v}`,
        );
      }
    });
  });
  return { nr, nc };
}
