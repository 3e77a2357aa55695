import { wilcoxonRankSum } from "../../../src/stats/hypothesis-tests.js";
import type { KindHandler } from "../types.js";

/**
 * Parity handler for golden files of kind 'wilcox_exact' (R wilcox.test on two inline samples):
 * W of x, then one p-value per `harness.variants` entry, and R's default method string.
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  const tol = golden.tolerance.default as { rel: number; abs?: number };
  if (h.statistic !== "W_of_x") throw new Error(`wilcox_exact: unknown statistic '${h.statistic}'`);
  if (h.continuity_correction !== 0.5) {
    throw new Error(
      `wilcox_exact: continuity correction ${h.continuity_correction} is not R's 0.5`,
    );
  }
  const x = (h.x as unknown[]).map(Number);
  const y = (h.y as unknown[]).map(Number);
  const mu = Number(h.mu ?? 0);
  const out = golden.outputs;
  const base = wilcoxonRankSum(x, y, { mu, exact: false, correct: false });
  ctx.compare.check("W", base.W, out.W, tol);
  for (const v of h.variants as {
    output_key: string;
    exact: boolean;
    correct: boolean | null;
    alternative: "two.sided" | "less" | "greater";
  }[]) {
    const r = wilcoxonRankSum(x, y, {
      mu,
      exact: v.exact,
      correct: v.correct ?? true,
      alternative: v.alternative,
    });
    if (v.exact && !r.exact)
      ctx.compare.fail(`${v.output_key}: exact p requested but ties present`);
    ctx.compare.check(v.output_key, r.p, out[v.output_key], tol);
  }
  const rule = h.default_method_rule as {
    exact_if_both_n_below: number;
    exact_requires_no_ties: boolean;
  };
  if (rule.exact_if_both_n_below !== 50 || rule.exact_requires_no_ties !== true) {
    throw new Error("wilcox_exact: default_method_rule differs from R's (n < 50, no ties)");
  }
  const def = wilcoxonRankSum(x, y, { mu, exact: "auto", correct: true });
  ctx.compare.check("default_method", def.method, out.default_method, tol);
};
export default handler;
