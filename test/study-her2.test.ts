/**
 * Acceptance: a precomputed-feature study on the reference her2 cohort, with the model choices of
 * the golden files (min-max scaling (x - min)/(max - min) on training, glmnet binomial LASSO with
 * the golden fold assignment, lambda.min linear predictor as Rad-score; clinical model and
 * multivariable model as the golden harness lists them; ki67_high shown low/high on the nomogram)
 * reproduces the golden numbers at each file's tolerance. Expected values are read from the golden
 * JSON at test time.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseCohortManifest } from "../src/study/cohort.js";
import { validateStudyConfig } from "../src/study/config.js";
import { parseFeatureTable } from "../src/study/features-table.js";
import { runStudyPipeline, type StudyOutput } from "../src/study/pipeline.js";
import type { ModelName } from "../src/study/result.js";
import { missingReference, referenceDir } from "./support/reference.js";

const ref = referenceDir();
const statsDir = ref ? join(ref, "stats") : "";
// biome-ignore lint/suspicious/noExplicitAny: golden JSON layout
type Golden = any;
const golden = (name: string): Golden => JSON.parse(readFileSync(join(statsDir, name), "utf8"));

function close(got: number, want: unknown, rel: number, what: string, abs = 1e-12): void {
  const w = want === "NA" || want === "NaN" ? Number.NaN : (want as number);
  if (Number.isNaN(w)) {
    assert.ok(Number.isNaN(got), `${what}: expected NA, got ${got}`);
    return;
  }
  assert.ok(
    Math.abs(got - w) <= rel * Math.abs(w) + abs,
    `${what}: got ${got}, expected ${w} (rel ${rel})`,
  );
}

let cached: StudyOutput | undefined;
function her2Study(): StudyOutput {
  if (cached) return cached;
  const logistic = golden("her2_logistic.json");
  const lasso = golden("her2_lasso_glmnet.json");
  const nomo = golden("her2_nomogram.json");
  const group = golden("her2_group_comparison.json");
  const coding = logistic.harness.coding as Record<
    string,
    { type: string; levels: string[] | null; reference: string | null }
  >;
  const binary: string[] = logistic.inputs.coding.numeric_binary;
  const clinical: Record<string, unknown> = {};
  for (const v of logistic.inputs.univariable as string[]) {
    const c = coding[v]!;
    if (binary.includes(v)) {
      const nc = nomo.harness.coding[v];
      clinical[v] = { type: "binary", ...(nc?.labels ? { labels: nc.labels } : {}) };
    } else if (c.type === "numeric") clinical[v] = { type: "continuous" };
    else clinical[v] = { type: "categorical", levels: c.levels, reference: c.reference };
  }
  // Table 1's variables are the same 13 as the univariable screen.
  assert.deepEqual(
    [...group.harness.continuous, ...group.harness.categorical].sort(),
    Object.keys(clinical).sort(),
  );
  const config = validateStudyConfig({
    title: "her2 reference",
    cohort: {
      manifest: "her2_cohort.csv",
      id: "id",
      role: { column: "set" },
      outcome: { column: "pcr", event: "1", nonevent: "0" },
      clinical,
    },
    features: { table: "her2_cohort.csv", columns: lasso.harness.features },
    preprocessing: { scaler: "minmax", minmaxFormula: "r", icc: { enabled: false } },
    selection: {
      fClassif: { enabled: false },
      lasso: {
        flavor: "glmnet-binomial",
        folds: lasso.harness.glmnet.nfolds,
        foldAssignment: "contiguous",
        lambda: "lambda.min",
        thresh: lasso.harness.runs[0].thresh,
      },
    },
    radscore: { model: "lasso" },
    clinical: {
      multivariable: logistic.inputs.multivariable,
      model: logistic.inputs.clinical,
    },
    nomogram: {
      radscoreName: "radscore",
      probabilityTicks: nomo.harness.fun_at,
      maxscale: nomo.harness.maxscale,
      nint: nomo.harness.nint,
    },
    evaluation: { bootstrap: 20 },
  });
  const text = readFileSync(join(statsDir, "her2_cohort.csv"), "utf8");
  const cohort = parseCohortManifest(text, config, "her2_cohort.csv");
  const features = parseFeatureTable(
    text,
    config,
    cohort.patients.map((p) => p.id),
    "her2_cohort.csv",
  );
  cached = runStudyPipeline({ config, cohort, features }, { createdAt: "2025-01-01T00:00:00Z" });
  // The golden fold assignment is scikit-learn's KFold order (contiguous blocks).
  assert.deepEqual(Array.from(cached.details.foldid), lasso.harness.foldid);
  return cached;
}

const skip = ref ? false : missingReference("her2 study acceptance");
const MODEL_OF: Record<string, ModelName> = {
  clinical: "clinical",
  score: "radiomics",
  combined: "nomogram",
};

test("her2 study: LASSO selection and Rad-score (her2_lasso_glmnet, her2_scores)", { skip }, () => {
  const s = her2Study();
  const g = golden("her2_lasso_glmnet.json").outputs;
  assert.deepEqual(
    s.result.selectedFeatures.map((f) => f.feature),
    g.selected_at_lambda_min,
  );
  close(s.details.lambda!, g.default_thresh.lambda_min, 1e-9, "lambda.min");
  for (const f of s.result.selectedFeatures)
    close(f.coefficient, g.default_thresh.coef_lambda_min[f.feature], 0, f.feature, 1e-3);
  close(s.model.radscore.intercept, g.default_thresh.coef_lambda_min["(Intercept)"], 0, "a0", 1e-3);
  const scores = readFileSync(join(statsDir, "her2_scores.csv"), "utf8").trim().split("\n");
  const header = scores[0]!.split(",");
  const jr = header.indexOf("radscore");
  const jc = header.indexOf("p_combined");
  const jk = header.indexOf("p_clinical");
  const byId = new Map(s.predictions.map((p) => [p.id, p]));
  for (const line of scores.slice(1)) {
    const cells = line.split(",");
    const p = byId.get(cells[0]!)!;
    close(p.radScore, Number(cells[jr]), 1e-9, `radscore ${cells[0]}`, 1e-9);
    close(p.clinicalProbability, Number(cells[jk]), 1e-8, `p_clinical ${cells[0]}`);
    close(p.nomogramProbability, Number(cells[jc]), 1e-8, `p_combined ${cells[0]}`);
  }
});

test("her2 study: odds-ratio table and models (her2_logistic)", { skip }, () => {
  const s = her2Study();
  const g = golden("her2_logistic.json");
  const tol = g.tolerance;
  const o = g.outputs;
  for (const [v, ref] of Object.entries(o.univariable) as [string, Golden][]) {
    (ref.terms as string[]).forEach((term, k) => {
      if (k === 0) return;
      const row = s.result.table2.find((r) => r.term === term);
      assert.ok(row?.univariable, `Table 2 has no univariable row '${term}' (${v})`);
      close(row.univariable.or, ref.odds_ratio[k], tol.coefficients.rel, `${term} OR`);
      close(
        row.univariable.lower,
        ref.or_wald_ci_lower[k],
        tol.wald_ci.rel,
        `${term} lower`,
        tol.wald_ci.abs,
      );
      close(
        row.univariable.upper,
        ref.or_wald_ci_upper[k],
        tol.wald_ci.rel,
        `${term} upper`,
        tol.wald_ci.abs,
      );
      close(row.univariable.p, ref.p[k], tol.se_z_p.rel, `${term} p`);
    });
  }
  const m = o.multivariable;
  (m.terms as string[]).forEach((term, k) => {
    if (k === 0) return;
    const row = s.result.table2.find((r) => r.term === term);
    assert.ok(row?.multivariable, `Table 2 has no multivariable '${term}'`);
    close(row.multivariable.or, m.odds_ratio[k], tol.coefficients.rel, `${term} multi OR`);
    close(
      row.multivariable.lower,
      m.or_wald_ci_lower[k],
      tol.wald_ci.rel,
      `${term} multi lower`,
      tol.wald_ci.abs,
    );
    close(row.multivariable.p, m.p[k], tol.se_z_p.rel, `${term} multi p`);
  });
  assert.deepEqual(s.details.clinicalPredictors, g.inputs.clinical);
  s.details.clinical.coefficients.forEach((b, k) => {
    close(b, o.clinical.estimate[k], tol.coefficients.rel, `clinical ${o.clinical.terms[k]}`);
  });
  s.details.nomogram.coefficients.forEach((b, k) => {
    close(b, o.combined.estimate[k], tol.coefficients.rel, `combined ${o.combined.terms[k]}`, 1e-9);
  });
});

test("her2 study: ROC, DeLong, Youden cut-offs (her2_roc)", { skip }, () => {
  const s = her2Study();
  const g = golden("her2_roc.json");
  const rel = g.tolerance.default.rel;
  for (const set of ["training", "test"] as const) {
    for (const [key, model] of Object.entries(MODEL_OF)) {
      const ref = g.outputs[set][key];
      const row = s.result.table3.find((r) => r.cohort === set && r.model === model)!;
      close(row.auc, ref.auc, rel, `${set} ${model} AUC`);
      close(row.aucLower, ref.ci_delong_lower, rel, `${set} ${model} CI lower`);
      close(row.aucUpper, ref.ci_delong_upper, rel, `${set} ${model} CI upper`);
      close(
        row.threshold,
        g.outputs.training[key].youden_best.threshold[0],
        rel,
        `${model} cut-off`,
      );
      const cut = g.outputs.at_cutoff.find(
        (c: Golden) => c.set === set && c.score === key && c.threshold_from === "training",
      );
      for (const k of ["sensitivity", "specificity", "ppv", "npv", "accuracy"] as const)
        close(row[k], cut[k], rel, `${set} ${model} ${k}`);
    }
    for (const pd of g.outputs[set].paired_delong) {
      const row = s.result.table4.find(
        (r) => r.cohort === set && r.modelA === MODEL_OF[pd.roc1] && r.modelB === MODEL_OF[pd.roc2],
      )!;
      assert.ok(row, `${set} DeLong ${pd.roc1} vs ${pd.roc2}`);
      close(row.z, pd.z, rel, `${set} DeLong z ${pd.roc1}/${pd.roc2}`);
      close(row.p, pd.p, rel, `${set} DeLong p ${pd.roc1}/${pd.roc2}`);
    }
  }
});

test("her2 study: Table 3 bootstrap CIs as pROC (pending/her2_roc_ci_coords, 2000 resamples)", {
  skip,
}, () => {
  const s = her2Study();
  const g = golden(join("pending", "her2_roc_ci_coords.json"));
  const rel = g.tolerance.bootstrap_exact_stream.rel;
  // The study's defaults are pROC's: 2000 stratified resamples after set.seed(20250101).
  for (const set of ["training", "test"] as const) {
    for (const [key, model] of Object.entries(MODEL_OF)) {
      const ref = g.outputs[set][key];
      const row = s.result.table3.find((r) => r.cohort === set && r.model === model)!;
      const b = row.bootstrap!;
      assert.ok(b, `${set} ${model}: bootstrap CIs`);
      assert.equal(b.replicates, 2000);
      close(b.auc[0], ref.auc_bootstrap.boot_2000.lower, rel, `${set} ${model} AUC lower`);
      close(b.auc[1], ref.auc_bootstrap.boot_2000.upper, rel, `${set} ${model} AUC upper`);
      for (const k of ["sensitivity", "specificity", "accuracy", "ppv", "npv"] as const) {
        close(b[k][0], ref.fixed.boot_2000[k].lower, rel, `${set} ${model} ${k} lower`);
        close(b[k][1], ref.fixed.boot_2000[k].upper, rel, `${set} ${model} ${k} upper`);
      }
    }
  }
});

test("her2 study: calibration of the nomogram model (her2_calibration)", { skip }, () => {
  const s = her2Study();
  const g = golden("her2_calibration.json");
  assert.equal(g.inputs.probability_column, "p_combined");
  const tolOf = (name: string): { rel: number; abs?: number } => {
    for (const [group, t] of Object.entries(g.tolerance) as [string, Golden][]) {
      if (group.split("_").includes(name.replace(/[^A-Za-z0-9]/g, "")) || group === name) return t;
    }
    return ["U", "Q", "Intercept", "Slope", "U:Chi-sq", "U:p"].includes(name)
      ? { rel: 1e-6, abs: 1e-6 }
      : { rel: 1e-9 };
  };
  for (const set of ["training", "test"] as const) {
    const c = s.result.calibration.find((x) => x.cohort === set && x.model === "nomogram")!;
    for (const [name, want] of Object.entries(g.outputs[set].val_prob)) {
      const t = tolOf(name);
      close(
        c.statistics[name]!,
        want,
        t.rel,
        `${set} val.prob ${name}`,
        Math.max(t.abs ?? 0, 1e-8),
      );
    }
    const hl = g.outputs[set].hosmer_lemeshow;
    close(c.statistics["HL chi-square"]!, hl.statistic, 1e-9, `${set} HL`);
    close(c.statistics["HL p"]!, hl.p, 1e-9, `${set} HL p`);
    if (set === "test") {
      g.outputs.test.curve_at_grid.forEach((v: number, k: number) => {
        close(c.apparent[k]!, v, 1e-9, `test calibration curve ${k}`);
      });
    }
  }
});

test("her2 study: decision curves (her2_dca)", { skip }, () => {
  const s = her2Study();
  const g = golden("her2_dca.json");
  const { rel, abs } = g.tolerance.default;
  const dcaModel: Record<string, ModelName> = {
    clinical: "clinical",
    score_model: "radiomics",
    combined: "nomogram",
  };
  for (const set of ["training", "test"] as const) {
    const d = s.result.decision.find((x) => x.cohort === set)!;
    assert.deepEqual(d.thresholds, g.outputs.thresholds);
    for (const [key, model] of Object.entries(dcaModel)) {
      const nb = d.models.find((m) => m.model === model)!.netBenefit;
      g.outputs[set][key].net_benefit.forEach((v: number, k: number) => {
        close(nb[k]!, v, rel, `${set} ${model} NB ${k}`, abs);
      });
    }
    g.outputs[set].treat_all.net_benefit.forEach((v: number, k: number) => {
      close(d.treatAll[k]!, v, rel, `${set} treat-all ${k}`, abs);
    });
    assert.ok(d.treatNone.every((v) => v === 0));
  }
});

test("her2 study: nomogram axes and patient points (her2_nomogram)", { skip }, () => {
  const s = her2Study();
  const g = golden("her2_nomogram.json");
  const rel = g.tolerance.default.rel;
  for (const [name, ref] of Object.entries(g.outputs.predictors) as [string, Golden][]) {
    const axis = s.result.nomogram.axes.find((a) => a.name === name)!;
    assert.ok(axis, `nomogram axis '${name}'`);
    assert.deepEqual(axis.labels, (ref.values as (string | number)[]).map(String));
    ref.points.forEach((v: number, k: number) => {
      close(axis.points[k]!, v, rel, `${name} points ${k}`, 1e-9);
    });
  }
  g.outputs.total_points_axis.forEach((v: number, k: number) => {
    close(s.result.nomogram.totalPoints.values[k]!, v, rel, `total points ${k}`);
  });
  g.outputs.probability_axis.points_exact.forEach((v: number, k: number) => {
    close(s.result.nomogram.probability.points[k]!, v, rel, `probability axis ${k}`);
  });
  const pts = g.outputs.patients;
  const byId = new Map(s.predictions.map((p) => [p.id, p]));
  (pts.id as number[]).forEach((id, i) => {
    const p = byId.get(String(id))!;
    for (const name of Object.keys(pts.points))
      close(
        p.nomogramPoints[name]!,
        pts.points[name][i],
        rel,
        `patient ${id} ${name} points`,
        1e-9,
      );
    close(p.totalPoints, pts.total_points[i], rel, `patient ${id} total points`, 1e-9);
    close(p.nomogramProbability, pts.probability[i], rel, `patient ${id} probability`);
  });
});

test("her2 study: Table 1 statistics (her2_group_comparison)", { skip }, () => {
  const s = her2Study();
  const g = golden("her2_group_comparison.json");
  const rel = g.tolerance.default.rel;
  for (const set of ["training", "test"] as const) {
    const t1 = s.result.table1.find((t) => t.cohort === set)!;
    assert.equal(t1.nEvent, g.outputs[set].n_event);
    assert.equal(t1.nNonevent, g.outputs[set].n_nonevent);
    for (const [v, ref] of Object.entries(g.outputs[set].continuous) as [string, Golden][]) {
      const row = t1.rows.find((r) => r.variable === v)!;
      const key =
        row.test === "Mann-Whitney U"
          ? "mann_whitney_default"
          : row.test === "t"
            ? "student_t"
            : "welch_t";
      const normal = ref.event.shapiro_p > 0.05 && ref.nonevent.shapiro_p > 0.05;
      assert.equal(key === "student_t", normal, `${set} ${v}: test choice by Shapiro-Wilk`);
      close(
        row.statistic!,
        key === "mann_whitney_default" ? ref[key].W : ref[key].t,
        rel,
        `${set} ${v} statistic`,
      );
      close(row.p!, ref[key].p, rel, `${set} ${v} p`);
    }
    for (const [v, ref] of Object.entries(g.outputs[set].categorical) as [string, Golden][]) {
      const rows = t1.rows.filter((r) => r.variable === v);
      assert.equal(rows.length, ref.levels.length, `${set} ${v} levels`);
      rows.forEach((r, k) => {
        assert.ok(r.event.startsWith(`${ref.counts_event[k]} (`), `${set} ${v} count ${k}`);
      });
      const first = rows[0]!;
      if (first.test === "Fisher exact")
        close(first.p!, ref.fisher.p, g.tolerance.fisher_p.rel, `${set} ${v} Fisher p`);
      else {
        close(first.statistic!, ref.chisq_yates.statistic, rel, `${set} ${v} chi-square`);
        close(first.p!, ref.chisq_yates.p, rel, `${set} ${v} chi-square p`);
      }
    }
  }
});
