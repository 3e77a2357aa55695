/**
 * Parity handler for golden files of kind 'roc_curves' (full pROC curves: ascending thresholds with
 * sensitivity and specificity), computed from `harness` alone.
 */
import { rocCurve } from "../../../src/stats/roc.js";
import { loadHarnessTable } from "../harness.js";
import type { GoldenFile, KindContext, KindHandler } from "../types.js";
import { toleranceOf } from "./logistic.js";
import { loadRocSet, rocDirectionOf } from "./roc.js";

const handler: KindHandler = (golden: GoldenFile, ctx: KindContext) => {
  const h = golden.harness;
  const direction = rocDirectionOf(h);
  const table = loadHarnessTable(h, ctx);
  const tol = toleranceOf(golden.tolerance, "default");
  for (const set of h.sets as string[]) {
    const d = loadRocSet(h, table, set);
    for (const { name } of h.scores as { name: string }[]) {
      const roc = rocCurve(d.scores.get(name)!, d.labels, { direction });
      const ref = golden.outputs[set]?.[name];
      if (!ref) throw new Error(`outputs has no ${set}.${name}`);
      const got = {
        threshold: Array.from(roc.thresholds),
        sensitivity: Array.from(roc.sensitivities),
        specificity: Array.from(roc.specificities),
      };
      for (const k of Object.keys(ref)) {
        if (!(k in got))
          ctx.compare.fail(`${set}.${name}.${k}: no comparison rule for this output`);
      }
      ctx.compare.check(`${set}.${name}`, got, ref, tol);
    }
  }
};
export default handler;
