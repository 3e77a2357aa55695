import {
  calibrationGrid,
  hosmerLemeshow,
  VAL_PROB_STATISTICS,
  valProb,
} from "../../../src/stats/calibration.js";
import { approx } from "../../../src/stats/lowess.js";
import type { Tolerance } from "../compare.js";
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

/** Tolerance group of each rms val.prob statistic (group keys are the same in every file). */
const STAT_GROUP: Record<string, string> = {
  Dxy: "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  "C (ROC)": "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  Brier: "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  Eavg: "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  E90: "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  Emax: "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  "S:z": "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  "S:p": "Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp",
  D: "D_R2_LR",
  R2: "D_R2_LR",
  "D:Chi-sq": "D_R2_LR",
  "D:p": "D_R2_LR",
  U: "U_Q_Intercept_Slope",
  "U:Chi-sq": "U_Q_Intercept_Slope",
  "U:p": "U_Q_Intercept_Slope",
  Q: "U_Q_Intercept_Slope",
  Intercept: "U_Q_Intercept_Slope",
  Slope: "U_Q_Intercept_Slope",
};

/**
 * Parity handler for 'calibration' golden files: rms val.prob statistics, exact C, raw lowess,
 * the lowess curve on the calibrate grid and at each p, and the Hosmer–Lemeshow test, per set.
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  const tolerance = golden.tolerance;
  const tol = (group: string): Tolerance => {
    const t = tolerance[group];
    if (!t) throw new Error(`tolerance group '${group}' missing`);
    return { rel: t.rel, abs: t.abs ?? 1e-12 };
  };
  const table = loadHarnessTable(h, ctx);
  const missing = missingCells(h);
  const probColumn: string = h.probability.column;
  for (const set of h.sets as string[]) {
    const rows = completeRows(table, setRows(table, h, set), [probColumn], missing);
    const p = numericColumn(table, probColumn, rows);
    const y = harnessOutcome(table, h, rows);
    const ref = golden.outputs[set];
    assertKeys(
      ref,
      [
        "val_prob",
        "C_unbinned",
        "Dxy_unbinned",
        "lowess",
        "curve_grid",
        "curve_at_grid",
        "curve_at_each_p",
        "hosmer_lemeshow",
      ],
      set,
    );
    const vp = valProb(p, y, {
      lowessF: h.lowess.f,
      lowessIter: h.lowess.iter,
      lowessDeltaFraction: h.lowess.delta_fraction_of_range,
      eQuantile: h.val_prob.e_quantile,
      cBinMultiplier: h.val_prob.c_binning.multiplier,
    });
    for (const name of VAL_PROB_STATISTICS) {
      const group = STAT_GROUP[name]!;
      ctx.compare.check(`${set}.val_prob.${name}`, vp.stats[name], ref.val_prob[name], tol(group));
    }
    assertKeys(ref.val_prob, [...VAL_PROB_STATISTICS], `${set}.val_prob`);
    const closed = tol("Dxy_C_Brier_Eavg_E90_Emax_Sz_Sp");
    ctx.compare.check(`${set}.C_unbinned`, vp.cUnbinned, ref.C_unbinned, closed);
    ctx.compare.check(`${set}.Dxy_unbinned`, vp.dxyUnbinned, ref.Dxy_unbinned, closed);
    const curveTol = tol("lowess_curve");
    ctx.compare.check(`${set}.lowess.x`, vp.lowess.x, ref.lowess.x, curveTol);
    ctx.compare.check(`${set}.lowess.y`, vp.lowess.y, ref.lowess.y, curveTol);
    const g = h.curve_grid;
    const grid = calibrationGrid(p, g.n, g.first_rank, g.last_rank_from_end);
    ctx.compare.check(`${set}.curve_grid`, grid, ref.curve_grid, curveTol);
    const atGrid = approx(vp.lowess.x, vp.lowess.y, grid, g.ties === "first" ? "first" : "mean");
    ctx.compare.check(`${set}.curve_at_grid`, atGrid, ref.curve_at_grid, curveTol);
    ctx.compare.check(`${set}.curve_at_each_p`, vp.calibratedAtP, ref.curve_at_each_p, curveTol);

    const hl = h.hosmer_lemeshow;
    if (
      hl.breaks !== "unique_quantiles" ||
      hl.intervals !== "right_closed_lowest_included" ||
      hl.quantile_type !== 7
    ) {
      throw new Error(
        `unsupported Hosmer-Lemeshow rule ${hl.breaks} / ${hl.intervals} / type ${hl.quantile_type}`,
      );
    }
    const r = hosmerLemeshow(p, y, { g: hl.g, probs: hl.probs, df: hl.df });
    const hlTol = tol("hosmer_lemeshow");
    const hlRef = ref.hosmer_lemeshow;
    const got: Record<string, unknown> = {
      g: r.g,
      breaks: r.breaks,
      group_n: r.groupN,
      observed_events: r.observedEvents,
      expected_events: r.expectedEvents,
      observed_nonevents: r.observedNonevents,
      expected_nonevents: r.expectedNonevents,
      group_of_each_patient: r.group,
      statistic: r.statistic,
      df: r.df,
      p: r.p,
    };
    assertKeys(hlRef, Object.keys(got), `${set}.hosmer_lemeshow`);
    for (const [k, v] of Object.entries(got))
      ctx.compare.check(`${set}.hosmer_lemeshow.${k}`, v, hlRef[k], hlTol);
  }
};
export default handler;
