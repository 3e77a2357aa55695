import { icc } from "../../../src/stats/icc.js";
import type { KindHandler } from "../types.js";

/**
 * Parity handler for kind 'icc' (psych::ICC, lmer = FALSE): for each harness feature, the
 * subjects x raters table from the long-layout CSV, all six ICC forms with F, df, p, CI and the
 * ANOVA mean squares, compared at the file's default tolerance.
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  if (h.layout !== "long" || h.anova !== "two_way" || h.lmer !== false)
    throw new Error(
      `icc: unsupported harness layout ${h.layout} / anova ${h.anova} / lmer ${h.lmer}`,
    );
  const table = ctx.readCsv(h.data);
  const col = (name: string): number => {
    const j = table.header.indexOf(name);
    if (j < 0) throw new Error(`${h.data}: no column '${name}'`);
    return j;
  };
  const featJ = col(h.feature_column);
  const raterJ = (h.rater_columns as string[]).map(col);
  const tol = golden.tolerance.default;
  for (const feature of h.features as string[]) {
    const rows = table.rows.filter((r) => r[featJ] === feature);
    if (rows.length === 0) throw new Error(`${h.data}: no rows for feature '${feature}'`);
    const ratings = rows.map((r, i) =>
      raterJ.map((j) => {
        const v = Number(r[j]);
        if (r[j]!.trim() === "" || !Number.isFinite(v))
          throw new Error(
            `${h.data}: feature ${feature}, subject row ${i + 1}, ${table.header[j]} is not a number`,
          );
        return v;
      }),
    );
    const res = icc(ratings, { alpha: 1 - h.ci_level });
    const byType = new Map(res.rows.map((r) => [r.type as string, r]));
    const pick = (f: (r: (typeof res.rows)[number]) => number) =>
      (h.models as string[]).map((m) => {
        const r = byType.get(m);
        if (!r) throw new Error(`icc: unknown model '${m}'`);
        return f(r);
      });
    const ref = golden.outputs[feature];
    const got = {
      n_subjects: res.nSubjects,
      n_raters: res.nRaters,
      type: pick((r) => r.type as unknown as number),
      ICC: pick((r) => r.icc),
      F: pick((r) => r.F),
      df1: pick((r) => r.df1),
      df2: pick((r) => r.df2),
      p: pick((r) => r.p),
      lower_95: pick((r) => r.lower),
      upper_95: pick((r) => r.upper),
      anova: res.anova,
    };
    ctx.compare.check(feature, got, ref, { rel: tol.rel, abs: tol.abs ?? 1e-12 });
  }
};
export default handler;
