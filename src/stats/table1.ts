/**
 * "Table 1" of a cohort: descriptives and group comparisons of event (e.g. pCR) vs non-event
 * patients, variable by variable, with R-exact statistics (see descriptive.ts and
 * hypothesis-tests.ts). Missing values are dropped per variable (R's default for t.test,
 * wilcox.test and table()). Pure TypeScript (browser-safe).
 *
 * Reporting rule (the usual clinical Table 1, e.g. the reference study):
 * - continuous: "normal" when the Shapiro–Wilk p > `normalityAlpha` (0.05) in both groups →
 *   t test (Student by default) and mean ± sd; otherwise Mann–Whitney U (R wilcox.test default:
 *   exact when both n < 50 without ties, else normal approximation with continuity correction) and
 *   median (Q1, Q3);
 * - categorical: counts and column percentages; Pearson χ² (Yates for 2 x 2 unless disabled, as
 *   R chisq.test), or Fisher's exact test when any expected count is < `fisherIfExpectedBelow` (5).
 */
import { type Descriptives, describe } from "./descriptive.js";
import {
  type ChiSquareResult,
  chiSquareTest,
  type FisherResult,
  fisherExactTest,
  shapiroWilk,
  type TTestResult,
  tTest,
  type WilcoxonResult,
  wilcoxonRankSum,
} from "./hypothesis-tests.js";

export interface Table1ContinuousInput {
  name: string;
  /** One value per row; null or NaN = missing. */
  values: readonly (number | null)[];
}

export interface Table1CategoricalInput {
  name: string;
  /** One cell per row; null = missing. */
  values: readonly (string | null)[];
  /** Level order (table rows); default: the distinct values in ascending order. A value outside
   * `levels` is an error. */
  levels?: readonly string[];
}

export interface Table1Data {
  /** Group of each row: true = event, false = non-event. */
  event: readonly boolean[];
  continuous?: readonly Table1ContinuousInput[];
  categorical?: readonly Table1CategoricalInput[];
}

export interface Table1Options {
  /** Column headings; default "Event" / "Non-event". */
  groupLabels?: { event: string; nonevent: string };
  /** Shapiro–Wilk threshold of the normality rule (default 0.05). */
  normalityAlpha?: number;
  /** t test used for normal variables: "student" (pooled, default) or "welch". */
  tTest?: "student" | "welch";
  /** Yates correction for 2 x 2 tables in the χ² test (default true, as R chisq.test). */
  yates?: boolean;
  /** Fisher's exact test when any expected count is below this (default 5). */
  fisherIfExpectedBelow?: number;
  /** Confidence level of the t-test CI (default 0.95). */
  confLevel?: number;
}

export interface ContinuousGroupSummary extends Descriptives {
  /** Shapiro–Wilk W and p; NaN when n < 3 or all values are equal. */
  shapiroW: number;
  shapiroP: number;
}

export interface ContinuousRow {
  kind: "continuous";
  variable: string;
  event: ContinuousGroupSummary;
  nonevent: ContinuousGroupSummary;
  all: ContinuousGroupSummary;
  /** Event − non-event; undefined when the test cannot be computed (too few or constant values). */
  studentT?: TTestResult;
  welchT?: TTestResult;
  /** R wilcox.test default (exact = NULL, correct = TRUE); W = U of the event group. */
  mannWhitney?: WilcoxonResult;
  mannWhitneyNormalCc?: WilcoxonResult;
  mannWhitneyNormalNoCc?: WilcoxonResult;
  /** Shapiro–Wilk p > normalityAlpha in both groups. */
  normal: boolean;
  test: "student_t" | "welch_t" | "mann_whitney";
  statisticName: "t" | "W";
  statistic: number;
  p: number;
}

export interface CategoricalRow {
  kind: "categorical";
  variable: string;
  levels: string[];
  countsEvent: number[];
  countsNonevent: number[];
  countsAll: number[];
  expectedEvent: number[];
  expectedNonevent: number[];
  /** Pearson χ² without and with Yates (R applies Yates to 2 x 2 only); undefined if not computable. */
  chisq?: ChiSquareResult;
  chisqYates?: ChiSquareResult;
  fisher?: FisherResult;
  minExpected: number;
  test: "chisq" | "fisher";
  statisticName: "X2" | "";
  statistic: number;
  p: number;
}

export interface Table1 {
  groupLabels: { event: string; nonevent: string };
  n: number;
  nEvent: number;
  nNonevent: number;
  /** In input order: continuous variables first, then categorical ones. */
  rows: (ContinuousRow | CategoricalRow)[];
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function summarize(values: number[], what: string): ContinuousGroupSummary {
  if (values.length === 0) {
    const nan = Number.NaN;
    return {
      n: 0,
      mean: nan,
      sd: nan,
      median: nan,
      q1: nan,
      q3: nan,
      min: nan,
      max: nan,
      shapiroW: nan,
      shapiroP: nan,
    };
  }
  const d = describe(values, what);
  const sw = attempt(() => shapiroWilk(values));
  return { ...d, shapiroW: sw?.w ?? Number.NaN, shapiroP: sw?.p ?? Number.NaN };
}

function checkLength(what: string, length: number, expected: number): void {
  if (length !== expected) {
    throw new Error(
      `Table 1: variable '${what}' has ${length} values, the group vector has ${expected}`,
    );
  }
}

/** Descriptives and tests of one continuous variable, event vs non-event (missing values dropped). */
export function compareContinuous(
  variable: string,
  values: readonly (number | null)[],
  event: readonly boolean[],
  options: Table1Options = {},
): ContinuousRow {
  checkLength(variable, values.length, event.length);
  const xe: number[] = [];
  const xn: number[] = [];
  const xa: number[] = [];
  values.forEach((v, i) => {
    if (v === null || Number.isNaN(v)) return;
    if (!Number.isFinite(v))
      throw new Error(`Table 1: variable '${variable}' row ${i} is not finite (${v})`);
    xa.push(v);
    if (event[i]) xe.push(v);
    else xn.push(v);
  });
  const confLevel = options.confLevel ?? 0.95;
  const alpha = options.normalityAlpha ?? 0.05;
  const row: ContinuousRow = {
    kind: "continuous",
    variable,
    event: summarize(xe, `${variable} (event)`),
    nonevent: summarize(xn, `${variable} (non-event)`),
    all: summarize(xa, variable),
    studentT: attempt(() => tTest(xe, xn, { varEqual: true, confLevel })),
    welchT: attempt(() => tTest(xe, xn, { varEqual: false, confLevel })),
    mannWhitney: attempt(() => wilcoxonRankSum(xe, xn, { exact: "auto", correct: true })),
    mannWhitneyNormalCc: attempt(() => wilcoxonRankSum(xe, xn, { exact: false, correct: true })),
    mannWhitneyNormalNoCc: attempt(() => wilcoxonRankSum(xe, xn, { exact: false, correct: false })),
    normal: false,
    test: "mann_whitney",
    statisticName: "W",
    statistic: Number.NaN,
    p: Number.NaN,
  };
  row.normal = row.event.shapiroP > alpha && row.nonevent.shapiroP > alpha;
  const t = options.tTest === "welch" ? row.welchT : row.studentT;
  if (row.normal && t) {
    row.test = options.tTest === "welch" ? "welch_t" : "student_t";
    row.statisticName = "t";
    row.statistic = t.t;
    row.p = t.p;
  } else if (row.mannWhitney) {
    row.statistic = row.mannWhitney.W;
    row.p = row.mannWhitney.p;
  }
  return row;
}

/** Counts and tests of one categorical variable, event vs non-event (missing cells dropped). */
export function compareCategorical(
  variable: string,
  values: readonly (string | null)[],
  event: readonly boolean[],
  levelsIn?: readonly string[],
  options: Table1Options = {},
): CategoricalRow {
  checkLength(variable, values.length, event.length);
  const levels = levelsIn
    ? [...levelsIn]
    : [...new Set(values.filter((v): v is string => v !== null))].sort();
  if (new Set(levels).size !== levels.length)
    throw new Error(`Table 1: variable '${variable}' has repeated levels`);
  const index = new Map(levels.map((l, i) => [l, i]));
  const ce = new Array<number>(levels.length).fill(0);
  const cn = new Array<number>(levels.length).fill(0);
  values.forEach((v, i) => {
    if (v === null) return;
    const k = index.get(v);
    if (k === undefined) {
      throw new Error(
        `Table 1: variable '${variable}' row ${i} has value '${v}', not one of its levels (${levels.join(", ")})`,
      );
    }
    if (event[i]) ce[k] = (ce[k] as number) + 1;
    else cn[k] = (cn[k] as number) + 1;
  });
  const table = levels.map((_, i) => [ce[i] as number, cn[i] as number]);
  const ca = levels.map((_, i) => (ce[i] as number) + (cn[i] as number));
  const te = ce.reduce((a, b) => a + b, 0);
  const tn = cn.reduce((a, b) => a + b, 0);
  const total = te + tn;
  // E = outer(row sums, column sums) / n (R chisq.test)
  const expectedEvent = ca.map((r) => (r * te) / total);
  const expectedNonevent = ca.map((r) => (r * tn) / total);
  const minExpected = Math.min(...expectedEvent, ...expectedNonevent);
  const chisq = levels.length >= 2 ? attempt(() => chiSquareTest(table, false)) : undefined;
  const chisqYates = levels.length >= 2 ? attempt(() => chiSquareTest(table, true)) : undefined;
  const fisher = levels.length >= 2 ? attempt(() => fisherExactTest(table)) : undefined;
  const useFisher = minExpected < (options.fisherIfExpectedBelow ?? 5);
  const chosenChisq = (options.yates ?? true) ? chisqYates : chisq;
  return {
    kind: "categorical",
    variable,
    levels,
    countsEvent: ce,
    countsNonevent: cn,
    countsAll: ca,
    expectedEvent,
    expectedNonevent,
    chisq,
    chisqYates,
    fisher,
    minExpected,
    test: useFisher ? "fisher" : "chisq",
    statisticName: useFisher ? "" : "X2",
    statistic: useFisher ? Number.NaN : (chosenChisq?.statistic ?? Number.NaN),
    p: useFisher ? (fisher?.p ?? Number.NaN) : (chosenChisq?.p ?? Number.NaN),
  };
}

/** Builds the Table 1 of one cohort (see the module comment for the rules). */
export function buildTable1(data: Table1Data, options: Table1Options = {}): Table1 {
  const nEvent = data.event.filter((e) => e).length;
  const rows: (ContinuousRow | CategoricalRow)[] = [];
  for (const v of data.continuous ?? [])
    rows.push(compareContinuous(v.name, v.values, data.event, options));
  for (const v of data.categorical ?? []) {
    rows.push(compareCategorical(v.name, v.values, data.event, v.levels, options));
  }
  return {
    groupLabels: options.groupLabels ?? { event: "Event", nonevent: "Non-event" },
    n: data.event.length,
    nEvent,
    nNonevent: data.event.length - nEvent,
    rows,
  };
}

export interface Table1RenderOptions {
  /** Decimals of means, sds, medians and quartiles (default 2). */
  digits?: number;
  /** Decimals of test statistics (default 3). */
  statisticDigits?: number;
  /** Decimals of percentages (default 1). */
  percentDigits?: number;
  /** Include an "All" column (default false). */
  showAll?: boolean;
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "NA";
}

/** P value as text: "< 0.001" below 0.001, else 3 decimals. */
export function formatPValue(p: number): string {
  if (!Number.isFinite(p)) return "NA";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

const TEST_LABEL: Record<string, string> = {
  student_t: "t test",
  welch_t: "Welch t test",
  mann_whitney: "Mann-Whitney U",
  chisq: "Chi-square",
  fisher: "Fisher exact",
};

/**
 * Markdown rendering: one row per continuous variable ("mean ± sd" when normal, else
 * "median (Q1, Q3)"), one heading row per categorical variable (test, statistic, P) followed by one
 * "n (%)" row per level (percent of the group's non-missing rows).
 */
export function renderTable1Markdown(table: Table1, options: Table1RenderOptions = {}): string {
  const digits = options.digits ?? 2;
  const sd = options.statisticDigits ?? 3;
  const pd = options.percentDigits ?? 1;
  const showAll = options.showAll ?? false;
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const head = [
    "Variable",
    `${esc(table.groupLabels.event)} (n = ${table.nEvent})`,
    `${esc(table.groupLabels.nonevent)} (n = ${table.nNonevent})`,
    ...(showAll ? [`All (n = ${table.n})`] : []),
    "Test",
    "Statistic",
    "P",
  ];
  const lines = [`| ${head.join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`];
  const line = (cells: string[]) => lines.push(`| ${cells.join(" | ")} |`);
  for (const row of table.rows) {
    if (row.kind === "continuous") {
      const cell = (g: ContinuousGroupSummary) =>
        row.normal
          ? `${fmt(g.mean, digits)} ± ${fmt(g.sd, digits)}`
          : `${fmt(g.median, digits)} (${fmt(g.q1, digits)}, ${fmt(g.q3, digits)})`;
      line([
        `${esc(row.variable)}${row.normal ? ", mean ± sd" : ", median (Q1, Q3)"}`,
        cell(row.event),
        cell(row.nonevent),
        ...(showAll ? [cell(row.all)] : []),
        TEST_LABEL[row.test] as string,
        Number.isFinite(row.statistic) ? `${row.statisticName} = ${fmt(row.statistic, sd)}` : "",
        formatPValue(row.p),
      ]);
    } else {
      line([
        `${esc(row.variable)}, n (%)`,
        "",
        "",
        ...(showAll ? [""] : []),
        TEST_LABEL[row.test] as string,
        Number.isFinite(row.statistic) ? `χ² = ${fmt(row.statistic, sd)}` : "",
        formatPValue(row.p),
      ]);
      const te = row.countsEvent.reduce((a, b) => a + b, 0);
      const tn = row.countsNonevent.reduce((a, b) => a + b, 0);
      const ta = te + tn;
      const pct = (c: number, t: number) => `${c} (${t > 0 ? ((100 * c) / t).toFixed(pd) : "NA"})`;
      row.levels.forEach((level, i) => {
        line([
          `&nbsp;&nbsp;${esc(level)}`,
          pct(row.countsEvent[i] as number, te),
          pct(row.countsNonevent[i] as number, tn),
          ...(showAll ? [pct(row.countsAll[i] as number, ta)] : []),
          "",
          "",
          "",
        ]);
      });
    }
  }
  return `${lines.join("\n")}\n`;
}
