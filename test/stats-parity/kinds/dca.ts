import { decisionCurves, thresholdGrid } from "../../../src/stats/dca.js";
import {
  assertKeys,
  completeRows,
  harnessOutcome,
  loadHarnessTable,
  missingCells,
  numericColumn,
  setRows,
} from "../harness.js";
import type { KindHandler } from "../types.js";

/**
 * Parity handler for 'dca' golden files: net benefit (TP, FP, NB, sNB) of each score, treat-all and
 * treat-none at pt = i/denominator, per set, on the rows where every score is present.
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  if (h.treat_if !== "p_ge_threshold") throw new Error(`unsupported treat_if '${h.treat_if}'`);
  const t = golden.tolerance.default;
  const tol = { rel: t.rel, abs: t.abs ?? 1e-12 };
  const rule = h.threshold_rule;
  const thresholds = thresholdGrid(rule.numerator_from, rule.numerator_to, rule.denominator);
  ctx.compare.check("thresholds", thresholds, golden.outputs.thresholds, tol);
  ctx.compare.check("harness.thresholds", thresholds, h.thresholds, { rel: 0, abs: 0 });
  const table = loadHarnessTable(h, ctx);
  const scores = h.scores as { name: string; column: string }[];
  for (const set of h.sets as string[]) {
    const rows = completeRows(
      table,
      setRows(table, h, set),
      scores.map((s) => s.column),
      missingCells(h),
    );
    const y = harnessOutcome(table, h, rows);
    const dc = decisionCurves(
      y,
      scores.map((s) => ({ name: s.name, p: numericColumn(table, s.column, rows) })),
      thresholds,
    );
    const ref = golden.outputs[set];
    assertKeys(
      ref,
      ["n", "prevalence", ...scores.map((s) => s.name), ...(h.strategies as string[])],
      set,
    );
    ctx.compare.check(`${set}.n`, dc.n, ref.n, tol);
    ctx.compare.check(`${set}.prevalence`, dc.prevalence, ref.prevalence, tol);
    for (const m of dc.models) {
      const r = ref[m.name];
      assertKeys(r, ["tp", "fp", "net_benefit", "standardized_net_benefit"], `${set}.${m.name}`);
      ctx.compare.check(`${set}.${m.name}.tp`, m.curve.tp, r.tp, tol);
      ctx.compare.check(`${set}.${m.name}.fp`, m.curve.fp, r.fp, tol);
      ctx.compare.check(`${set}.${m.name}.net_benefit`, m.curve.netBenefit, r.net_benefit, tol);
      ctx.compare.check(
        `${set}.${m.name}.standardized_net_benefit`,
        m.curve.standardizedNetBenefit,
        r.standardized_net_benefit,
        tol,
      );
    }
    for (const strategy of h.strategies as string[]) {
      const curve =
        strategy === "treat_all"
          ? dc.treatAll
          : strategy === "treat_none"
            ? dc.treatNone
            : undefined;
      if (!curve) throw new Error(`unknown strategy '${strategy}'`);
      ctx.compare.check(
        `${set}.${strategy}.net_benefit`,
        curve.netBenefit,
        ref[strategy].net_benefit,
        tol,
      );
      ctx.compare.check(
        `${set}.${strategy}.standardized_net_benefit`,
        curve.standardizedNetBenefit,
        ref[strategy].standardized_net_benefit,
        tol,
      );
    }
  }
};
export default handler;
