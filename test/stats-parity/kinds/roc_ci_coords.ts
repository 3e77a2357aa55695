/**
 * Parity handler for golden files of kind 'roc_ci_coords' (pROC 1.18 `ci.coords` at a fixed
 * threshold and at x = "best", and `ci.auc(method = "bootstrap")`, stratified, after
 * `set.seed(seed)` before every call). Everything comes from `harness`: data, outcome, split,
 * sets, scores, direction, thresholds, youden rule, cutoffs (which set's first Youden threshold is
 * the fixed one), ret, calls, coords / auc / bootstrap / rng / mc_band tokens. Since R's stream is
 * reproduced (src/stats/random.ts), every bootstrap output is compared at the exact-stream
 * tolerance (`bootstrap_exact_stream`), the apparent values at `apparent`.
 */
import { RRandom } from "../../../src/stats/random.js";
import { rocCurve, youdenBest } from "../../../src/stats/roc.js";
import {
  type BootstrapInterval,
  ciAucBootstrap,
  ciCoordsBootstrap,
  intervalProbabilities,
  monteCarloBand,
  stratifiedResamplePositions,
} from "../../../src/stats/roc-bootstrap.js";
import { type RocCoordinate, ROC_COORDINATES } from "../../../src/stats/roc-coords.js";
import type { Tolerance } from "../compare.js";
import { loadHarnessTable } from "../harness.js";
import type { GoldenFile, KindContext, KindHandler } from "../types.js";
import { toleranceOf } from "./logistic.js";
import { loadRocSet, type RocSetData, rocDirectionOf } from "./roc.js";

// biome-ignore lint/suspicious/noExplicitAny: harness layout is plain JSON
type Json = any;

/** Rejects any harness token this handler does not implement (never silently ignore a rule). */
function checkTokens(h: Json): void {
  const expect = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want))
      throw new Error(`roc_ci_coords: unsupported ${what} ${JSON.stringify(got)}`);
  };
  const y = h.youden;
  expect("youden.criterion", y.criterion, "sensitivity_plus_specificity_minus_1");
  expect("youden.ties", y.ties, "exact_double_equality");
  expect("youden.order", y.order, "ascending_threshold");
  expect("youden.cutoff", y.cutoff, "first");
  const c = h.coords;
  expect("coords.input", c.input, "threshold");
  expect("coords.best_method", c.best_method, "youden");
  expect("coords.best_criterion", c.best_criterion, "sensitivity_plus_specificity");
  expect("coords.best_ties", c.best_ties, "exact_double_equality");
  expect("coords.best_policy", c.best_policy, "random");
  expect("coords.best_tie_order", c.best_tie_order, "ascending_threshold");
  expect("coords.tp", c.tp, "sensitivity_times_n_cases");
  expect("coords.tn", c.tn, "specificity_times_n_controls");
  expect("coords.ppv", c.ppv, "tp/(tp+fp)");
  expect("coords.npv", c.npv, "tn/(tn+fn)");
  expect("coords.zero_over_zero", c.zero_over_zero, "NaN");
  expect("auc.method", h.auc.method, "bootstrap");
  expect("auc.formula", h.auc.formula, "trapezoid_over_roc_points_ascending_specificity");
  const b = h.bootstrap;
  expect("bootstrap.rng_kind", b.rng_kind, ["Mersenne-Twister", "Inversion", "Rejection"]);
  expect("bootstrap.set_seed_before_each_call", b.set_seed_before_each_call, true);
  expect("bootstrap.quantile_type", b.quantile_type, 7);
  expect("bootstrap.na_rm", b.na_rm, true);
  expect("bootstrap.replicate_draws", b.replicate_draws, ["controls", "cases"]);
  expect("bootstrap.controls", b.controls, "set_rows_with_nonevent_in_file_order");
  expect("bootstrap.cases", b.cases, "set_rows_with_event_in_file_order");
  expect("bootstrap.draw", b.draw, "n_positions_with_replacement_each_R_unif_index_plus_1");
  expect("rng.generator", h.rng.generator, "Mersenne-Twister_MT19937");
  expect("rng.seeding", h.rng.seeding, "R_set_seed");
  expect("rng.sample_kind", h.rng.sample_kind, "Rejection");
  expect("rng.unif_index", h.rng.unif_index, "rejection_bits_ceil_log2_n_16_bits_per_uniform");
  expect(
    "mc_band.rule",
    h.mc_band.rule,
    "order_statistics_floor_and_ceiling_of_m_p_pm_z_sqrt_m_p_1mp",
  );
  const probs = intervalProbabilities(b.conf_level);
  probs.forEach((p, k) => {
    if (p !== b.probs[k]) throw new Error(`roc_ci_coords: probs[${k}] ${b.probs[k]} != ${p}`);
  });
  for (const r of h.ret as string[])
    if (!(ROC_COORDINATES as readonly string[]).includes(r))
      throw new Error(`roc_ci_coords: unsupported ret '${r}'`);
}

/** A `boot_N` block: the interval plus the Monte-Carlo band of each bound. */
function bootBlock(
  interval: BootstrapInterval,
  replicates: Float64Array,
  probs: number[],
  z: number,
): Json {
  const band = probs.map((p) => monteCarloBand(replicates, p, z));
  return {
    lower: interval.lower,
    median: interval.median,
    upper: interval.upper,
    n_used: interval.nUsed,
    mc_band_95: { lower: band[0], median: band[1], upper: band[2] },
  };
}

const first = (v: Float64Array, n: number) => Array.from(v.subarray(0, n));

const handler: KindHandler = (golden: GoldenFile, ctx: KindContext) => {
  const h = golden.harness;
  checkTokens(h);
  const direction = rocDirectionOf(h);
  const apparentTol: Tolerance = toleranceOf(golden.tolerance, "apparent");
  const streamTol: Tolerance = toleranceOf(golden.tolerance, "bootstrap_exact_stream");
  const exact: Tolerance = { rel: 0, abs: 0 };
  const b = h.bootstrap;
  const seed: number = b.seed;
  const probs: number[] = b.probs;
  const z: number = h.mc_band.z;
  const nFirst: number = b.first_replicates;
  const ret = h.ret as RocCoordinate[];
  const table = loadHarnessTable(h, ctx);
  const data = new Map<string, RocSetData>();
  const dataOf = (set: string) => {
    let d = data.get(set);
    if (!d) {
      d = loadRocSet(h, table, set);
      data.set(set, d);
    }
    return d;
  };
  const out = golden.outputs;
  for (const set of h.sets as string[]) {
    const cutoff = (h.cutoffs as { set: string; threshold_from: string }[]).find(
      (c) => c.set === set,
    );
    if (!cutoff) throw new Error(`cutoffs: no entry for set '${set}'`);
    const d = dataOf(set);
    const from = dataOf(cutoff.threshold_from);
    const refSet = out[set];
    if (!refSet) throw new Error(`outputs has no set '${set}'`);
    for (const { name } of h.scores as { name: string }[]) {
      const x = d.scores.get(name)!;
      const path = `${set}.${name}`;
      const ref = refSet[name];
      if (!ref) throw new Error(`outputs has no ${path}`);
      const roc = rocCurve(x, d.labels, { direction });
      const threshold = youdenBest(rocCurve(from.scores.get(name)!, from.labels, { direction }))
        .thresholds[0]!;
      ctx.compare.check(`${path}.threshold_from`, cutoff.threshold_from, ref.threshold_from, exact);
      ctx.compare.check(`${path}.n_cases`, roc.nCases, ref.n_cases, exact);
      ctx.compare.check(`${path}.n_controls`, roc.nControls, ref.n_controls, exact);
      ctx.compare.check(`${path}.auc`, roc.auc, ref.auc, apparentTol);
      ctx.compare.check(`${path}.fixed.threshold`, threshold, ref.fixed.threshold, apparentTol);
      const got: Json = { fixed: {}, best: {}, auc_bootstrap: {} };
      for (const call of h.calls as Json[]) {
        const [group, key] = call.output_path as [string, string];
        const options = { nBoot: call.boot_n, seed, confLevel: b.conf_level, direction };
        if (call.fun === "ci.auc") {
          const r = ciAucBootstrap(x, d.labels, options);
          got.auc_bootstrap[key] = bootBlock(r, r.replicates, probs, z);
          got.auc_bootstrap.first_replicates ??= first(r.replicates, nFirst);
        } else if (call.fun === "ci.coords") {
          const at = call.x === "best" ? "best" : call.x === "cutoff_threshold" ? threshold : null;
          if (at === null) throw new Error(`calls: unsupported x '${call.x}'`);
          const r = ciCoordsBootstrap(x, d.labels, at, options);
          const block: Json = {};
          for (const c of ret) block[c] = bootBlock(r.intervals[c], r.replicates[c], probs, z);
          if (at === "best") {
            block.tied_replicates = {
              count: r.tiedReplicates.length,
              first_replicates: r.tiedReplicates.slice(0, 10).map((t) => t.replicate),
              first_n_tied: r.tiedReplicates.slice(0, 10).map((t) => t.nTied),
            };
          }
          got[group][key] = block;
          if (!got[group].first_replicates) {
            got[group].first_replicates = Object.fromEntries(
              ret.map((c) => [c, first(r.replicates[c], nFirst)]),
            );
            got[group].apparent = Object.fromEntries(
              ret.map((c) => [c, at === "best" ? r.apparent.map((p) => p[c]) : r.apparent[0]![c]]),
            );
            if (at === "best") got[group].apparent.n_tied = r.apparent.length;
          }
        } else throw new Error(`calls: unsupported fun '${call.fun}'`);
      }
      for (const group of ["fixed", "best", "auc_bootstrap"]) {
        const refGroup = ref[group];
        if (!refGroup) throw new Error(`outputs has no ${path}.${group}`);
        for (const [k, v] of Object.entries(refGroup as Record<string, Json>)) {
          if (group === "fixed" && k === "threshold") continue;
          const tol = k === "apparent" ? apparentTol : streamTol;
          ctx.compare.check(`${path}.${group}.${k}`, got[group][k], v, tol);
        }
      }
      const known = new Set([
        "threshold_from",
        "n_cases",
        "n_controls",
        "auc",
        "fixed",
        "best",
        "auc_bootstrap",
      ]);
      for (const k of Object.keys(ref))
        if (!known.has(k)) ctx.compare.fail(`${path}.${k}: no comparison rule for this output`);
    }
    // The first resample's 1-based positions (the same for every score and call of the set).
    const n = d.labels.reduce((a, v) => a + v, 0);
    const pos = stratifiedResamplePositions(new RRandom(seed), n, d.labels.length - n);
    ctx.compare.check(
      `${set}.first_replicate_positions`,
      { controls: Array.from(pos.controls), cases: Array.from(pos.cases) },
      refSet.first_replicate_positions,
      exact,
    );
  }
  const rc = out.rng_check;
  const rng = new RRandom(rc.seed);
  ctx.compare.check(
    "rng_check.runif_first_10",
    Array.from(rng.runif(10)),
    rc.runif_first_10,
    streamTol,
  );
  const si = rc.sample_int;
  if (si.replace !== true)
    throw new Error("rng_check.sample_int: only replace = TRUE is supported");
  const rng2 = new RRandom(rc.seed);
  ctx.compare.check(
    "rng_check.sample_int.values",
    Array.from(rng2.sampleWithReplacement(si.n, si.size)),
    si.values,
    exact,
  );
  const known = new Set([
    ...(h.sets as string[]),
    "rng_check",
    ...((h.extra_output_keys as string[]) ?? []),
  ]);
  for (const k of Object.keys(out))
    if (!known.has(k)) ctx.compare.fail(`outputs.${k}: no comparison rule`);
};
export default handler;
