import { calibrateBootstrap } from "../../../src/stats/calibration.js";
import {
  assertKeys,
  harnessCoding,
  harnessDesign,
  loadHarnessTable,
  outcomeDesign,
  setRows,
} from "../harness.js";
import type { KindHandler } from "../types.js";

function sampleSd(v: number[]): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

function summary(v: number[]): { min: number; max: number; mean: number; sd: number } {
  return {
    min: Math.min(...v),
    max: Math.max(...v),
    mean: v.reduce((a, b) => a + b, 0) / v.length,
    sd: sampleSd(v),
  };
}

/**
 * Parity handler for 'calibrate_boot' golden files (rms calibrate(lrm, method = "boot", B)).
 * Deterministic parts (apparent lrm coefficients, predy, calibrated_orig, n) at the file's
 * `predy_calibrated_orig` tolerance. Bootstrap parts statistically, as the README prescribes
 * (tolerance.bootstrap_quantities, derived by the generator from 20 extra R seeds):
 *  - calibrated_corrected and optimism (= orig − corrected): abs `calibrated_corrected_abs`;
 *  - mean absolute error: abs `mean_abs_error_abs` (δ); its 0.9 quantile: abs 2δ; mean squared
 *    error: abs 2·sqrt(MSE_R)·δ + δ² (the change of e² when |e| moves by δ);
 *  - resamples used per predy (counts out of B): abs 2·sqrt(B) (4 binomial SDs at p = ½); B_used:
 *    abs 5% of B (a few failed fits);
 *  - n_outside_predy_range: exact (it depends only on predy and where the corrected curve exists);
 *  - bootstrap_spread_20_seeds: recomputed with the listed seeds; MAE statistics abs δ, 0.9-quantile
 *    statistics abs 2δ, curve spread statistics abs `calibrated_corrected_abs`.
 * The seeded generator reproduces R's Mersenne-Twister + sample() stream, so these comparisons
 * are in fact much tighter than required (see test/calibration.test.ts).
 */
const handler: KindHandler = (golden, ctx) => {
  const h = golden.harness;
  const out = golden.outputs;
  const boot = h.bootstrap;
  if (boot.method !== "boot") throw new Error(`unsupported bootstrap method '${boot.method}'`);
  const tDet = golden.tolerance.predy_calibrated_orig;
  const det = { rel: tDet.rel, abs: tDet.abs ?? 1e-12 };
  const bq = golden.tolerance.bootstrap_quantities;
  const delta: number = bq.mean_abs_error_abs;
  const curveAbs = { rel: 0, abs: bq.calibrated_corrected_abs as number };
  const table = loadHarnessTable(h, ctx);
  const model = h.models[0];
  const terms = harnessDesign(model);
  const { design, y } = outcomeDesign(
    table,
    h,
    terms,
    harnessCoding(h),
    setRows(table, h, h.fit_set),
  );
  const run = (seed: number) =>
    calibrateBootstrap(design.X, y, {
      B: boot.B,
      seed,
      apparentFit: { eps: h.lrm.eps, maxit: h.lrm.maxit },
      gridCount: h.predy.n,
      gridFirstRank: h.predy.first_rank,
      gridLastRankFromEnd: h.predy.last_rank_from_end,
      lowessF: h.lowess.f,
      lowessIter: h.lowess.iter,
      lowessDeltaFraction: h.lowess.delta_fraction_of_range,
      errorQuantile: h.error_summary.quantile,
    });
  const r = run(boot.seed);
  assertKeys(
    out,
    [
      "n",
      "B_used",
      "predy",
      "calibrated_orig",
      "calibrated_corrected",
      "optimism",
      "n_bootstrap_used_per_point",
      "error_summary",
      "bootstrap_spread_20_seeds",
      "apparent_lrm_coefficients",
    ],
    "outputs",
  );
  ctx.compare.check("n", r.n, out.n, det);
  terms.forEach((d, k) => {
    ctx.compare.check(
      `apparent_lrm_coefficients.${d.term}`,
      r.apparentCoefficients[k],
      out.apparent_lrm_coefficients[d.term],
      det,
    );
  });
  ctx.compare.check("predy", r.predy, out.predy, det);
  ctx.compare.check("calibrated_orig", r.calibratedOrig, out.calibrated_orig, det);
  ctx.compare.check("B_used", r.bUsed, out.B_used, { rel: 0, abs: 0.05 * boot.B });
  ctx.compare.check(
    "calibrated_corrected",
    r.calibratedCorrected,
    out.calibrated_corrected,
    curveAbs,
  );
  ctx.compare.check("optimism", r.optimism, out.optimism, curveAbs);
  ctx.compare.check("n_bootstrap_used_per_point", r.nUsedPerPoint, out.n_bootstrap_used_per_point, {
    rel: 0,
    abs: 2 * Math.sqrt(boot.B),
  });
  const es = out.error_summary;
  ctx.compare.check(
    "error_summary.mean_abs_error",
    r.errorSummary.meanAbsError,
    es.mean_abs_error,
    { rel: 0, abs: delta },
  );
  ctx.compare.check(
    "error_summary.mean_squared_error",
    r.errorSummary.meanSquaredError,
    es.mean_squared_error,
    {
      rel: 0,
      abs: 2 * Math.sqrt(es.mean_squared_error) * delta + delta * delta,
    },
  );
  ctx.compare.check(
    "error_summary.quantile90_abs_error",
    r.errorSummary.quantileAbsError,
    es.quantile90_abs_error,
    { rel: 0, abs: 2 * delta },
  );
  ctx.compare.check(
    "error_summary.n_outside_predy_range",
    r.errorSummary.nOutsidePredyRange,
    es.n_outside_predy_range,
    { rel: 0, abs: 0 },
  );

  // spread over the extra seeds
  const seeds = boot.spread_seeds as number[];
  const runs = seeds.map(run);
  const sp = out.bootstrap_spread_20_seeds;
  ctx.compare.check(
    "bootstrap_spread_20_seeds.seeds",
    `seed + 1 ... seed + ${seeds.length} (B=${boot.B} each)`,
    sp.seeds,
    det,
  );
  const mae = runs.map((x) => x.errorSummary.meanAbsError);
  const q90 = runs.map((x) => x.errorSummary.quantileAbsError);
  ctx.compare.check("bootstrap_spread_20_seeds.mean_abs_error", summary(mae), sp.mean_abs_error, {
    rel: 0,
    abs: delta,
  });
  ctx.compare.check(
    "bootstrap_spread_20_seeds.quantile90_abs_error",
    summary(q90),
    sp.quantile90_abs_error,
    { rel: 0, abs: 2 * delta },
  );
  let maxSd = 0;
  let maxDev = 0;
  for (let k = 0; k < r.predy.length; k++) {
    const v = runs.map((x) => x.calibratedCorrected[k]!).filter((z) => !Number.isNaN(z));
    if (v.length > 1) maxSd = Math.max(maxSd, sampleSd(v));
    for (const z of v) {
      const dev = Math.abs(z - r.calibratedCorrected[k]!);
      if (!Number.isNaN(dev)) maxDev = Math.max(maxDev, dev);
    }
  }
  ctx.compare.check(
    "bootstrap_spread_20_seeds.calibrated_corrected_max_sd_over_predy",
    maxSd,
    sp.calibrated_corrected_max_sd_over_predy,
    curveAbs,
  );
  ctx.compare.check(
    "bootstrap_spread_20_seeds.calibrated_corrected_max_abs_deviation_from_reported",
    maxDev,
    sp.calibrated_corrected_max_abs_deviation_from_reported,
    curveAbs,
  );
};
export default handler;
