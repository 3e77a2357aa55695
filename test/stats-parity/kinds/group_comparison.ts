import { csvColumn } from "../../../src/io/csv.js";
import {
  chiSquareTest,
  fisherExactTest,
  tTest,
  wilcoxonRankSum,
} from "../../../src/stats/hypothesis-tests.js";
import {
  type CategoricalRow,
  type ContinuousGroupSummary,
  type ContinuousRow,
  compareCategorical,
  compareContinuous,
} from "../../../src/stats/table1.js";
import type { Tolerance } from "../compare.js";
import type { KindHandler } from "../types.js";

type Alt = "two.sided" | "less" | "greater";

/**
 * Parity handler for golden files of kind 'group_comparison' (Table 1: R descriptives,
 * shapiro.test, t.test, wilcox.test, chisq.test, fisher.test per set, event vs non-event).
 * Everything is read from `harness`: data file, outcome / split coding, variables, level order,
 * test variants, missing-value rule. Descriptives and counts come from the Table-1 builder; each
 * test variant listed in `harness.tests` is computed with its own flags.
 */
function orNaN<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}

const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  const tolDefault = golden.tolerance.default as Tolerance;
  const tolFisherP = (golden.tolerance.fisher_p ?? tolDefault) as Tolerance;
  const tolFisherOr = (golden.tolerance.fisher_odds_ratio_cmle_and_ci ?? tolDefault) as Tolerance;
  const check = (path: string, got: unknown, ref: unknown, tol: Tolerance = tolDefault) => {
    if (ref === undefined) {
      ctx.compare.fail(`${path}: no reference value in outputs`);
      return;
    }
    ctx.compare.check(path, got, ref as never, tol);
  };

  if (h.join) throw new Error("group_comparison: 'join' is not supported by this handler");
  const desc = h.tests.descriptives;
  if (desc.quantile_type !== 7 || desc.sd_ddof !== 1 || desc.shapiro_wilk !== "R_swilk_AS_R94") {
    throw new Error(`group_comparison: unsupported descriptives settings ${JSON.stringify(desc)}`);
  }
  const mw = h.mann_whitney;
  if (
    mw.continuity_correction !== 0.5 ||
    mw.auto_exact_if_both_n_below !== 50 ||
    mw.auto_exact_requires_no_ties !== true ||
    mw.tie_corrected_variance !== true
  ) {
    throw new Error(`group_comparison: unsupported mann_whitney settings ${JSON.stringify(mw)}`);
  }
  if (h.yates.applies_to !== "2x2_only" || h.yates.correction !== "min_half_abs_o_minus_e") {
    throw new Error(`group_comparison: unsupported yates settings ${JSON.stringify(h.yates)}`);
  }
  if (h.fisher.relative_tolerance !== 1e-7) {
    throw new Error(
      `group_comparison: fisher relative_tolerance ${h.fisher.relative_tolerance} is not R's 1e-7`,
    );
  }
  const cols = h.contingency_table.columns as string[];
  if (cols.length !== 2 || !cols.includes("event") || !cols.includes("nonevent")) {
    throw new Error(`group_comparison: contingency columns ${JSON.stringify(cols)}`);
  }
  const eventFirst = cols[0] === "event";

  const table = ctx.readCsv(h.data);
  const missingCells: string[] = h.missing ? (h.missing.cell_text as string[]) : [];
  const outcome = csvColumn(table, h.outcome.column, h.data);
  const isEvent = outcome.map((v, i) => {
    if (v === h.outcome.event) return true;
    if (v === h.outcome.nonevent) return false;
    throw new Error(`${h.data}: row ${i + 2}, outcome column '${h.outcome.column}' has '${v}'`);
  });
  const splitCol = h.split ? csvColumn(table, h.split.column, h.data) : null;
  const rowsOf = (set: string): number[] => {
    const idx: number[] = [];
    for (let i = 0; i < table.rows.length; i++) {
      if (set === "all") {
        if (h.split) throw new Error("group_comparison: set 'all' with a split");
        idx.push(i);
      } else {
        if (!h.split || !(set in h.split))
          throw new Error(`group_comparison: unknown set '${set}'`);
        if (splitCol?.[i] === h.split[set]) idx.push(i);
      }
    }
    return idx;
  };
  const numeric = (name: string): (number | null)[] =>
    csvColumn(table, name, h.data).map((cell, i) => {
      if (missingCells.includes(cell)) return null;
      const t = cell.trim();
      const v = t === "" ? Number.NaN : Number(t);
      if (!Number.isFinite(v))
        throw new Error(`${h.data}: row ${i + 2}, column '${name}': '${cell}' is not a number`);
      return v;
    });
  const categorical = (name: string): (string | null)[] =>
    csvColumn(table, name, h.data).map((cell) => (missingCells.includes(cell) ? null : cell));

  const alt = (h.t_test.alternative ?? "two.sided") as Alt;
  const mu = Number(h.t_test.mu ?? 0);
  const tFirstIsEvent = h.t_test.x === "event";
  const wAlt = (mw.alternative ?? "two.sided") as Alt;
  const wFirstIsEvent = mw.statistic_group === "event";
  const fisherAlt = (h.fisher.alternative ?? "two.sided") as Alt;
  const confLevel = Number(h.ci_level ?? 0.95);
  const fisherConf = Number(h.fisher.conf_level ?? 0.95);

  for (const set of h.sets as string[]) {
    const out = golden.outputs[set];
    if (!out) {
      ctx.compare.fail(`${set}: missing in outputs`);
      continue;
    }
    const idx = rowsOf(set);
    const ev = idx.map((i) => isEvent[i] as boolean);
    for (const k of Object.keys(out)) {
      if (!["n", "n_event", "n_nonevent", "continuous", "categorical"].includes(k))
        ctx.compare.fail(`${set}.${k}: output not compared`);
    }
    check(`${set}.n`, idx.length, out.n);
    check(`${set}.n_event`, ev.filter((e) => e).length, out.n_event);
    check(`${set}.n_nonevent`, ev.filter((e) => !e).length, out.n_nonevent);

    for (const name of h.continuous as string[]) {
      const all = numeric(name);
      const values = idx.map((i) => all[i] as number | null);
      const row: ContinuousRow = compareContinuous(name, values, ev, { confLevel });
      const ref = out.continuous?.[name];
      const p = `${set}.continuous.${name}`;
      if (!ref) {
        ctx.compare.fail(`${p}: missing in outputs`);
        continue;
      }
      for (const key of desc.keys as string[]) {
        const g = (row as unknown as Record<string, ContinuousGroupSummary>)[key];
        if (!g) throw new Error(`group_comparison: unknown descriptives key '${key}'`);
        check(
          `${p}.${key}`,
          {
            n: g.n,
            mean: g.mean,
            sd: g.sd,
            median: g.median,
            q1: g.q1,
            q3: g.q3,
            min: g.min,
            max: g.max,
            shapiro_w: g.shapiroW,
            shapiro_p: g.shapiroP,
          },
          ref[key],
        );
      }
      const covered = [
        ...(desc.keys as string[]),
        ...h.tests.t.map((t: { key: string }) => t.key),
        ...h.tests.mann_whitney.map((m: { key: string }) => m.key),
      ];
      for (const k of Object.keys(ref))
        if (!covered.includes(k)) ctx.compare.fail(`${p}.${k}: output not compared`);
      const xe: number[] = [];
      const xn: number[] = [];
      values.forEach((v, i) => {
        if (v === null) return;
        (ev[i] ? xe : xn).push(v);
      });
      for (const t of h.tests.t as { key: string; var_equal: boolean }[]) {
        const [x, y] = tFirstIsEvent ? [xe, xn] : [xn, xe];
        // where R's t.test stops (too few or constant values) the golden value is NA
        const r = orNaN(
          () => tTest(x, y, { varEqual: t.var_equal, alternative: alt, mu, confLevel }),
          {
            t: Number.NaN,
            df: Number.NaN,
            p: Number.NaN,
            meanX: Number.NaN,
            meanY: Number.NaN,
            meanDifference: Number.NaN,
            stderr: Number.NaN,
            confInt: [Number.NaN, Number.NaN],
            method: "",
          },
        );
        // the builder's own t tests (event − non-event, two-sided) must agree too
        const builder = t.var_equal ? row.studentT : row.welchT;
        if (
          tFirstIsEvent &&
          alt === "two.sided" &&
          mu === 0 &&
          (builder?.p ?? Number.NaN) !== r.p &&
          !Number.isNaN(r.p)
        ) {
          ctx.compare.fail(`${p}.${t.key}: Table-1 builder disagrees with tTest`);
        }
        check(
          `${p}.${t.key}`,
          {
            t: r.t,
            df: r.df,
            p: r.p,
            mean_difference: r.meanDifference,
            stderr: r.stderr,
            conf_int_95: r.confInt,
          },
          ref[t.key],
        );
      }
      for (const m of h.tests.mann_whitney as {
        key: string;
        exact: boolean | "auto";
        correct: boolean;
      }[]) {
        const [x, y] = wFirstIsEvent ? [xe, xn] : [xn, xe];
        const r = wilcoxonRankSum(x, y, { exact: m.exact, correct: m.correct, alternative: wAlt });
        const got: Record<string, unknown> = {
          W: r.W,
          p: r.p,
          method: r.method,
          ties_present: r.tiesPresent,
        };
        check(`${p}.${m.key}`, got, ref[m.key]);
      }
    }

    for (const name of h.categorical as string[]) {
      const all = categorical(name);
      const values = idx.map((i) => all[i] as string | null);
      const levels = h.levels[name] as string[];
      const row: CategoricalRow = compareCategorical(name, values, ev, levels);
      const ref = out.categorical?.[name];
      const p = `${set}.categorical.${name}`;
      if (!ref) {
        ctx.compare.fail(`${p}: missing in outputs`);
        continue;
      }
      const coveredK = [
        "levels",
        "counts_event",
        "counts_nonevent",
        "expected_event",
        "expected_nonevent",
        ...h.tests.chisq.map((c: { key: string }) => c.key),
        h.tests.fisher.key,
      ];
      for (const k of Object.keys(ref))
        if (!coveredK.includes(k)) ctx.compare.fail(`${p}.${k}: output not compared`);
      check(`${p}.levels`, row.levels, ref.levels);
      check(`${p}.counts_event`, row.countsEvent, ref.counts_event);
      check(`${p}.counts_nonevent`, row.countsNonevent, ref.counts_nonevent);
      check(`${p}.expected_event`, row.expectedEvent, ref.expected_event);
      check(`${p}.expected_nonevent`, row.expectedNonevent, ref.expected_nonevent);
      const tab = row.levels.map((_, i) =>
        eventFirst
          ? [row.countsEvent[i] as number, row.countsNonevent[i] as number]
          : [row.countsNonevent[i] as number, row.countsEvent[i] as number],
      );
      for (const c of h.tests.chisq as { key: string; yates: boolean }[]) {
        const r = orNaN(() => chiSquareTest(tab, c.yates), {
          statistic: Number.NaN,
          df: Number.NaN,
          p: Number.NaN,
          expected: [],
          yatesApplied: c.yates && tab.length === 2,
        });
        const got: Record<string, unknown> = { statistic: r.statistic, df: r.df, p: r.p };
        if (c.yates) got.yates_applied = r.yatesApplied;
        check(`${p}.${c.key}`, got, ref[c.key]);
      }
      const fk = h.tests.fisher.key as string;
      const f = fisherExactTest(tab, { alternative: fisherAlt, confLevel: fisherConf });
      const fref = ref[fk];
      if (!fref) {
        ctx.compare.fail(`${p}.${fk}: missing in outputs`);
        continue;
      }
      check(`${p}.${fk}.p`, f.p, fref.p, tolFisherP);
      const is2x2 = tab.length === 2;
      if (is2x2 !== "odds_ratio_cmle" in fref) {
        ctx.compare.fail(`${p}.${fk}: odds ratio expected only for 2 x 2 tables`);
      }
      if ("odds_ratio_cmle" in fref)
        check(`${p}.${fk}.odds_ratio_cmle`, f.oddsRatio, fref.odds_ratio_cmle, tolFisherOr);
      if ("conf_int_95" in fref)
        check(`${p}.${fk}.conf_int_95`, f.confInt, fref.conf_int_95, tolFisherOr);
      for (const k of Object.keys(fref)) {
        if (!["p", "odds_ratio_cmle", "conf_int_95"].includes(k))
          ctx.compare.fail(`${p}.${fk}.${k}: output not compared`);
      }
    }
  }
};
export default handler;
