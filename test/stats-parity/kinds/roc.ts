/**
 * Parity handler for golden files of kind 'roc' (pROC roc / ci.auc / var / coords("best") /
 * roc.test / cov with DeLong). Everything comes from `harness`: data, outcome, split, sets, scores,
 * direction, positive_if, thresholds, ci_level, youden rules, paired_delong pairs, cutoffs, missing.
 * `extra_output_keys` (older data-set-specific layouts of the same numbers) are not compared, as the
 * golden README prescribes for a generic harness.
 * Also exports the ROC data loading used by the 'roc_curves' handler.
 */
import type { CsvTable } from "../../../src/io/csv.js";
import { parseNumericCell } from "../../../src/model/design.js";
import {
  aucDelong,
  confusionAtThreshold,
  pairedDelongTest,
  type RocCurve,
  type RocDirection,
  rocCurve,
  youdenBest,
} from "../../../src/stats/roc.js";
import type { Tolerance } from "../compare.js";
import {
  columnIndex,
  completeRows,
  harnessOutcome,
  loadHarnessTable,
  missingCells,
  setRows,
} from "../harness.js";
import type { GoldenFile, KindContext, KindHandler } from "../types.js";
import { toleranceOf } from "./logistic.js";

/** Checks the fixed-vocabulary ROC harness tokens and returns the pROC direction. */
export function rocDirectionOf(
  // biome-ignore lint/suspicious/noExplicitAny: harness layout
  h: any,
): RocDirection {
  if (h.thresholds !== "midpoints_of_sorted_unique_scores_plus_infinities")
    throw new Error(`roc: unsupported thresholds rule '${h.thresholds}'`);
  if (h.direction === "higher_score_is_event") {
    if (h.positive_if !== "score_ge_threshold")
      throw new Error(`roc: unsupported positive_if '${h.positive_if}'`);
    return "<";
  }
  if (h.direction === "lower_score_is_event") {
    if (h.positive_if !== "score_le_threshold")
      throw new Error(`roc: unsupported positive_if '${h.positive_if}'`);
    return ">";
  }
  throw new Error(`roc: unsupported direction '${h.direction}'`);
}

export interface RocSetData {
  labels: Float64Array;
  /** score name → values on the rows of the set where every score is present */
  scores: Map<string, Float64Array>;
}

/** Rows of `set` with every score column present (complete cases), their outcome and scores. */
export function loadRocSet(
  // biome-ignore lint/suspicious/noExplicitAny: harness layout
  h: any,
  table: CsvTable,
  set: string,
): RocSetData {
  const scoreCols = (h.scores as { name: string; column: string }[]).map((s) => ({
    ...s,
    j: columnIndex(table, s.column),
  }));
  const rows = completeRows(
    table,
    setRows(table, h, set),
    scoreCols.map((s) => s.column),
    missingCells(h),
  );
  const labels = harnessOutcome(table, h, rows);
  const scores = new Map<string, Float64Array>();
  for (const s of scoreCols) {
    scores.set(
      s.name,
      Float64Array.from(rows, (i) => parseNumericCell(table.rows[i]![s.j]!, s.column, i, h.data)),
    );
  }
  return { labels, scores };
}

const handler: KindHandler = (golden: GoldenFile, ctx: KindContext) => {
  const h = golden.harness;
  const direction = rocDirectionOf(h);
  if (h.ci_method !== "delong") throw new Error(`roc: unsupported ci_method '${h.ci_method}'`);
  if (h.delong?.placement_variance_ddof !== 1)
    throw new Error("roc: only placement_variance_ddof 1 is supported");
  const y = h.youden;
  if (
    y.criterion !== "sensitivity_plus_specificity_minus_1" ||
    y.ties !== "exact_double_equality" ||
    y.order !== "ascending_threshold" ||
    y.cutoff !== "first"
  )
    throw new Error("roc: unsupported youden rule");
  if (
    h.paired_delong.method !== "delong" ||
    h.paired_delong.p !== "two_sided_normal" ||
    h.paired_delong.paired !== true
  )
    throw new Error("roc: unsupported paired_delong rule");
  const [clipLo, clipHi] = h.ci_clip as [number, number];
  if (clipLo !== 0 || clipHi !== 1) throw new Error("roc: only ci_clip [0, 1] is supported");
  const table = loadHarnessTable(h, ctx);
  const tol: Tolerance = toleranceOf(golden.tolerance, "default");
  const exact: Tolerance = { rel: 0, abs: 0 };
  const curves = new Map<string, Map<string, RocCurve>>();
  const data = new Map<string, RocSetData>();
  for (const set of h.sets as string[]) {
    const d = loadRocSet(h, table, set);
    data.set(set, d);
    const bySet = new Map<string, RocCurve>();
    curves.set(set, bySet);
    for (const { name } of h.scores as { name: string }[]) {
      const roc = rocCurve(d.scores.get(name)!, d.labels, { direction });
      bySet.set(name, roc);
      const ci = aucDelong(roc, h.ci_level);
      const best = youdenBest(roc);
      const ref = golden.outputs[set]?.[name];
      if (!ref) throw new Error(`outputs has no ${set}.${name}`);
      const path = `${set}.${name}`;
      ctx.compare.check(`${path}.n_cases`, roc.nCases, ref.n_cases, exact);
      ctx.compare.check(`${path}.n_controls`, roc.nControls, ref.n_controls, exact);
      ctx.compare.check(`${path}.auc`, roc.auc, ref.auc, tol);
      ctx.compare.check(`${path}.ci_delong_lower`, ci.lower, ref.ci_delong_lower, tol);
      ctx.compare.check(`${path}.ci_delong_upper`, ci.upper, ref.ci_delong_upper, tol);
      ctx.compare.check(`${path}.var_delong`, ci.variance, ref.var_delong, tol);
      ctx.compare.check(
        `${path}.youden_best.threshold`,
        best.thresholds,
        ref.youden_best.threshold,
        exact,
      );
      ctx.compare.check(
        `${path}.youden_best.specificity`,
        best.specificities,
        ref.youden_best.specificity,
        tol,
      );
      ctx.compare.check(
        `${path}.youden_best.sensitivity`,
        best.sensitivities,
        ref.youden_best.sensitivity,
        tol,
      );
      ctx.compare.check(`${path}.youden_best.youden_j`, best.youden, ref.youden_best.youden_j, tol);
      ctx.compare.check(`${path}.youden_best.n_tied`, best.nTied, ref.youden_best.n_tied, exact);
      const known = new Set([
        "n_cases",
        "n_controls",
        "auc",
        "ci_delong_lower",
        "ci_delong_upper",
        "var_delong",
        "youden_best",
      ]);
      for (const k of Object.keys(ref))
        if (!known.has(k)) ctx.compare.fail(`${path}.${k}: no comparison rule for this output`);
    }
    const pairs = h.paired_delong.pairs as [string, string][];
    const refPairs = golden.outputs[set]?.paired_delong;
    if (!Array.isArray(refPairs) || refPairs.length !== pairs.length)
      throw new Error(`outputs ${set}.paired_delong must list ${pairs.length} tests`);
    pairs.forEach(([a, b], k) => {
      const t = pairedDelongTest(bySet.get(a)!, bySet.get(b)!, h.ci_level);
      const got = {
        roc1: a,
        roc2: b,
        auc1: t.auc1,
        auc2: t.auc2,
        z: t.z,
        p: t.p,
        cov_delong: t.covariance,
      };
      ctx.compare.check(`${set}.paired_delong[${k}]`, got, refPairs[k], tol);
    });
  }
  const atCutoff: unknown[] = [];
  for (const c of h.cutoffs as { set: string; threshold_from: string }[]) {
    const d = data.get(c.set) ?? loadRocSet(h, table, c.set);
    const from = curves.get(c.threshold_from);
    if (!from) throw new Error(`cutoffs: set '${c.threshold_from}' is not analysed`);
    for (const { name } of h.scores as { name: string }[]) {
      const threshold = youdenBest(from.get(name)!).thresholds[0]!;
      const t = confusionAtThreshold(d.scores.get(name)!, d.labels, threshold, direction);
      atCutoff.push({
        set: c.set,
        threshold_from: c.threshold_from,
        score: name,
        threshold,
        tp: t.tp,
        fn: t.fn,
        tn: t.tn,
        fp: t.fp,
        sensitivity: t.sensitivity,
        specificity: t.specificity,
        ppv: t.ppv,
        npv: t.npv,
        accuracy: t.accuracy,
      });
    }
  }
  ctx.compare.check("at_cutoff", atCutoff, golden.outputs.at_cutoff, tol);
  const known = new Set([
    ...(h.sets as string[]),
    "at_cutoff",
    ...((h.extra_output_keys as string[]) ?? []),
  ]);
  for (const k of Object.keys(golden.outputs))
    if (!known.has(k)) ctx.compare.fail(`outputs.${k}: no comparison rule`);
};
export default handler;
