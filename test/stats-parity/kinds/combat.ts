/**
 * Parity handler for kind 'combat' (sva::ComBat 3.46): for each harness variant, `fitCombat` on
 * every row of the data (features in harness order, batch levels in harness order, covariates =
 * the named covariate model's design built from the harness coding) and a comparison of the
 * harmonised matrix (tolerance group `adjusted`), sva's internal estimates (`estimates`) and
 * it.sol's iteration counts (exact). The algorithm tokens of `harness.combat` are checked against
 * what src/stats/combat implements, so a held-out file asking for something else fails loudly.
 */
import { buildDesignMatrix } from "../../../src/model/design.js";
import { fitCombat } from "../../../src/stats/combat/index.js";
import type { CombatCovariates, CombatEstimates } from "../../../src/stats/combat/index.js";
import {
  assertKeys,
  columnIndex,
  harnessCoding,
  harnessDesign,
  loadHarnessTable,
  numericColumn,
} from "../harness.js";
import type { KindHandler } from "../types.js";

// biome-ignore lint/suspicious/noExplicitAny: harness layouts are plain JSON
type Harness = any;

const VARIANT_OUTPUTS = [
  "adjusted",
  "design_terms",
  "B_hat",
  "grand_mean",
  "var_pooled",
  "gamma_hat",
  "delta_hat",
  "gamma_bar",
  "t2",
  "a_prior",
  "b_prior",
  "gamma_star",
  "delta_star",
  "it_sol_iterations",
];

/** The harness.combat tokens this implementation follows (sva 3.46). */
function checkAlgorithm(c: Harness): void {
  const expect = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(
        `combat: harness ${what} is ${JSON.stringify(got)}, implemented: ${JSON.stringify(want)}`,
      );
  };
  expect("combat.package", c.package, "sva");
  expect("combat.orientation", c.orientation, "features_x_samples");
  expect(
    "combat.design.columns",
    c.design.columns,
    "batch_indicators_in_level_order_then_covariate_design_columns",
  );
  expect("combat.design.drop_all_ones_columns", c.design.drop_all_ones_columns, true);
  expect(
    "combat.design.ref_batch",
    c.design.ref_batch,
    "reference_indicator_column_set_to_one_and_kept",
  );
  expect("combat.B_hat", c.B_hat, "solve_normal_equations");
  expect("combat.grand_mean", c.grand_mean, {
    no_ref: "batch_coefficients_weighted_by_batch_size_over_n",
    ref: "reference_batch_coefficients",
  });
  expect("combat.var_pooled", c.var_pooled, {
    no_ref: "mean_squared_residual_all_samples_denominator_n",
    ref: "mean_squared_residual_reference_samples_denominator_n_ref",
  });
  expect("combat.priors.a_prior", c.priors.a_prior, "(2*v+m^2)/v");
  expect("combat.priors.b_prior", c.priors.b_prior, "(m*v+m^3)/v");
  expect(
    "combat.parametric.mean_only",
    c.parametric.mean_only,
    "gamma_star_postmean_with_n_1_delta_1_delta_star_1",
  );
  expect("combat.delta_hat", c.delta_hat, { ddof: 1, mean_only: 1 });
  expect("combat.priors.t2_ddof", c.priors.t2_ddof, 1);
  expect("combat.priors.moments_ddof", c.priors.moments_ddof, 1);
  expect("combat.parametric.start", c.parametric.start, "gamma_hat_delta_hat");
  expect("combat.parametric.stop", c.parametric.stop, "change_le_conv");
  expect(
    "combat.parametric.change",
    c.parametric.change,
    "max_over_features_of_abs_diff_divided_by_signed_old_value_gamma_and_delta",
  );
  expect("combat.non_parametric.nan_likelihood", c.non_parametric.nan_likelihood, 0);
  expect("combat.non_parametric.mean_only_delta_hat", c.non_parametric.mean_only_delta_hat, 1);
  expect("combat.ref_batch_gamma_star", c.ref_batch_gamma_star, 0);
  expect("combat.ref_batch_delta_star", c.ref_batch_delta_star, 1);
  expect("combat.ref_batch_output", c.ref_batch_output, "input_unchanged");
  expect("combat.zero_variance_features", c.zero_variance_features, "none_present");
}

const asArrays = (m: readonly ArrayLike<number>[]) => m.map((r) => Array.from(r));

const handler: KindHandler = (golden, ctx) => {
  const h: Harness = golden.harness;
  checkAlgorithm(h.combat);
  if (h.split) throw new Error("combat: a harness split is not supported (ComBat uses every row)");
  if (h.rows !== "all_in_file_order") throw new Error(`combat: unsupported rows '${h.rows}'`);
  if (h.output_layout?.adjusted !== "samples_x_features")
    throw new Error(`combat: unsupported adjusted layout '${h.output_layout?.adjusted}'`);
  const table = loadHarnessTable(h, ctx);
  const rows = table.rows.map((_, i) => i);
  const features = h.features as string[];
  const columns = features.map((f) => numericColumn(table, f, rows));
  const data = rows.map((_, k) => Float64Array.from(columns, (c) => c[k]!));
  const batchJ = columnIndex(table, h.batch.column);
  const batch = table.rows.map((r) => r[batchJ]!);
  const levels = h.batch.levels as string[];
  const prefix = h.combat.design.batch_term_prefix as string;
  const coding = h.coding ? harnessCoding(h) : {};

  const out = golden.outputs;
  const tol = golden.tolerance;
  const exact = { rel: 0, abs: 0 };
  ctx.compare.check(
    "sample_ids",
    Array.from(numericColumn(table, h.id_column, rows)),
    out.sample_ids,
    exact,
  );
  ctx.compare.check("batch_of_sample", batch, out.batch_of_sample, exact);
  ctx.compare.check(
    "n_per_batch",
    levels.map((l) => batch.filter((b) => b === l).length),
    out.n_per_batch,
    exact,
  );

  for (const variant of h.variants as Harness[]) {
    let covariates: CombatCovariates | null = null;
    if (variant.covariates !== null) {
      const model = (h.covariate_models as Harness[]).find((m) => m.id === variant.covariates);
      if (!model) throw new Error(`combat: no covariate model '${variant.covariates}'`);
      const design = buildDesignMatrix(table, harnessDesign(model), coding, {
        rows,
        source: h.data,
      });
      if (design.droppedRows.length > 0)
        throw new Error(`combat: covariate model '${model.id}' drops rows`);
      covariates = { terms: design.terms, values: design.X };
    }
    const fit = fitCombat(
      { data, batch, features, covariates },
      {
        parametric: variant.par_prior,
        meanOnly: variant.mean_only,
        referenceBatch: variant.ref_batch,
        batchLevels: levels,
        convergence: h.combat.parametric.conv,
      },
    );
    const e: CombatEstimates = fit.estimates;
    const ref = out.variants[variant.id];
    if (!ref) throw new Error(`combat: outputs.variants has no '${variant.id}'`);
    assertKeys(ref, VARIANT_OUTPUTS, `outputs.variants.${variant.id}`);
    const at = (k: string) => `${variant.id}.${k}`;
    ctx.compare.check(at("adjusted"), asArrays(fit.adjusted), ref.adjusted, tol.adjusted);
    const terms = e.designTerms.map((t, i) => (i < levels.length ? `${prefix}${levels[i]}` : t));
    ctx.compare.check(at("design_terms"), terms, ref.design_terms, exact);
    const estimates: Record<string, unknown> = {
      B_hat: asArrays(e.bHat),
      grand_mean: Array.from(e.grandMean),
      var_pooled: Array.from(e.varPooled),
      gamma_hat: asArrays(e.gammaHat),
      delta_hat: asArrays(e.deltaHat),
      gamma_bar: Array.from(e.gammaBar),
      t2: Array.from(e.t2),
      a_prior: Array.from(e.aPrior),
      b_prior: Array.from(e.bPrior),
      gamma_star: asArrays(e.gammaStar),
      delta_star: asArrays(e.deltaStar),
    };
    for (const [k, v] of Object.entries(estimates))
      ctx.compare.check(at(k), v, ref[k], tol.estimates);
    ctx.compare.check(
      at("it_sol_iterations"),
      e.iterations.map((i) => (i === null ? Number.NaN : i)),
      ref.it_sol_iterations,
      exact,
    );
  }
};
export default handler;
