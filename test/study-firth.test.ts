/**
 * Firth's penalised likelihood in the study (`radscore.firth`, `clinical.firth`; the estimator in
 * src/model/firth*.ts is checked against logistf's published examples in firth.test.ts):
 * - the switch on a 2 x 2 table with an empty cell, where maximum likelihood separates and Firth's
 *   estimate has a closed form (the Haldane-corrected log odds ratio);
 * - the cohort of `radscore demo --seed 11` (extracted once from its images, then rerun from its
 *   features.csv in table mode): in the Rad-score refit (a T2 feature was forced back after the
 *   LASSO) and in the nomogram model maximum likelihood gives fitted probabilities numerically 0
 *   or 1, yet the exact linear-programming check finds no separation (the ML estimates converge,
 *   finite but extreme); with "auto" both are Firth fits, the model, the result and Table 2 say
 *   so; with "never" the maximum-likelihood fits and their warnings stay;
 * - "always" on a synthetic cohort that does not separate: every model is a Firth fit whose
 *   coefficients, intervals and P values are those of `fitFirth` / `fitFirthLogistic` on the same
 *   design (a wiring check), and "auto" keeps maximum likelihood there.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { writeDemoCohort } from "../src/cli/demo.js";
import { parseCsv } from "../src/io/csv.js";
import { fitFirth, fitFirthCoefficients } from "../src/model/firth.js";
import { fitFirthLogistic } from "../src/model/firth-profile.js";
import { fitLogistic } from "../src/model/logistic.js";
import { checkSeparation } from "../src/model/separation-lp.js";
import { runStudyFromConfig } from "../src/node/study-runner.js";
import { FIRTH_METHOD_NOTE, fitMethodNote } from "../src/report/fit-method-note.js";
import { calibrationStatisticsTable, table2Table } from "../src/report/tables.js";
import { calibrateBootstrap } from "../src/stats/calibration.js";
import { parseCohortManifest } from "../src/study/cohort.js";
import { type StudyConfig, validateStudyConfig } from "../src/study/config.js";
import { demoStudyConfig, toYaml } from "../src/study/demo-study.js";
import { parseFeatureTable } from "../src/study/features-table.js";
import { type FrozenModel, scaleFeatureValue } from "../src/study/frozen-model.js";
import { fitWithFirthSwitch, oddsRatioEntry } from "../src/study/pipeline/firth-switch.js";
import { runStudyPipeline, type StudyOutput } from "../src/study/pipeline.js";
import { syntheticCohort, syntheticStudyConfig } from "./support/synthetic-cohort.js";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("switch: a 2 x 2 table with an empty cell separates under ML; Firth adds 1/2 to every cell", () => {
  // x = 0: 5 events, 5 non-events; x = 1: 6 events, 0 non-events (quasi-complete separation).
  // Firth's estimate of a saturated binary model is the Haldane-corrected table (Firth 1993):
  // intercept = log(5.5 / 5.5) = 0, slope = log((6.5 / 0.5) / (5.5 / 5.5)) = log 13 = 2.564949357.
  const x = [...Array(10).fill(0), ...Array(6).fill(1)].map((v) => [v]);
  const y = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
  const options = { names: ["x"], key: "clinical.firth", epsilon: 1e-14, maxIterations: 100 };
  const auto = fitWithFirthSwitch(x, y, { ...options, setting: "auto", level: 0.95 }, "2x2");
  assert.equal(auto.method.method, "firth");
  assert.equal(auto.method.separation, "quasi-complete");
  assert.equal(auto.method.setting, "auto");
  assert.match(auto.method.reason, /quasi-complete separation/);
  close(auto.coefficients[0]!, 0, 1e-6, "intercept");
  close(auto.coefficients[1]!, Math.log(13), 1e-6, "slope");
  assert.ok(!auto.warnings.some((w) => /estimates diverge/.test(w)), "no ML divergence warning");
  assert.match(auto.warnings[0]!, /fitted by Firth's penalised likelihood instead/);
  // Table 2's entry: OR 13, the profile interval and the penalised LR P of the same Firth fit.
  const entry = oddsRatioEntry(auto, 1, 0.95);
  close(entry.or, 13, 1e-5, "OR");
  const ref = fitFirthLogistic(x, y, { names: ["x"], control: { maxIterations: 100 } });
  assert.equal(entry.lower, ref.confidenceIntervals.oddsRatioLower[1]);
  assert.equal(entry.upper, ref.confidenceIntervals.oddsRatioUpper[1]);
  assert.equal(entry.p, ref.pValues[1]);
  assert.ok(entry.lower > 1 && entry.upper < Number.POSITIVE_INFINITY);
  // "never": maximum likelihood with its separation warning; the slope runs away (> 15).
  const never = fitWithFirthSwitch(x, y, { ...options, setting: "never", level: 0.95 }, "2x2");
  assert.equal(never.method.method, "ml");
  assert.equal(never.firth, null);
  assert.ok(never.coefficients[1]! > 15, `ML slope ${never.coefficients[1]}`);
  assert.ok(never.warnings.some((w) => /quasi-complete separation/.test(w)));
  // Without separation "auto" is maximum likelihood: x = 0 2/4 events, x = 1 3/4 events gives
  // the ML slope log((3/1) / (2/2)) = log 3.
  const plain = fitWithFirthSwitch(
    [0, 0, 0, 0, 1, 1, 1, 1].map((v) => [v]),
    [1, 1, 0, 0, 1, 1, 1, 0],
    { ...options, setting: "auto", level: 0.95 },
    "2x2",
  );
  assert.equal(plain.method.method, "ml");
  assert.equal(plain.method.separation, "none");
  close(plain.coefficients[1]!, Math.log(3), 1e-9, "ML slope");
});

// ---------------------------------------------------------------------------------------------
// radscore demo --seed 11

/** The design of a frozen linear model's terms for some patients (numbers and 0/1 dummies). */
function designOf(
  terms: FrozenModel["nomogramModel"]["terms"],
  values: (term: { column: string }) => (string | number)[],
): number[][] {
  const cols = terms.map((t) =>
    values(t).map((v) => (t.level === null ? Number(v) : String(v) === t.level ? 1 : 0)),
  );
  return cols[0]!.map((_, i) => cols.map((c) => c[i]!));
}

/** The scaled training features of the Rad-score, as the frozen model scales them. */
function radscoreDesign(out: StudyOutput, featuresCsv: string): number[][] {
  const table = parseCsv(featuresCsv);
  const byId = new Map(table.rows.map((r) => [r[0]!, r]));
  return out.predictions
    .filter((p) => p.role === "training")
    .map((p) =>
      out.model.features.map((f, k) =>
        scaleFeatureValue(out.model.scaler, k, Number(byId.get(p.id)![table.header.indexOf(f)])),
      ),
    );
}

const trainingY = (out: StudyOutput) =>
  out.predictions.filter((p) => p.role === "training").map((p) => p.outcome);

describe("radscore demo --seed 11 (extracted once, then rerun from its features.csv)", () => {
  let demoDir = "";
  let demoAuto: StudyOutput;
  let demoConfig: StudyConfig;

  before(async () => {
    demoDir = mkdtempSync(join(tmpdir(), "radscore-firth-"));
    await writeDemoCohort(demoDir, 11, () => {});
    // The demo's study.yaml with fewer bootstrap resamples (they do not touch the fits).
    const raw = demoStudyConfig() as { evaluation: Record<string, unknown> };
    raw.evaluation = { ...raw.evaluation, bootstrap: 20, rocBootstrap: { replicates: 0 } };
    writeFileSync(join(demoDir, "study-fast.yaml"), toYaml(raw));
    const summary = await runStudyFromConfig(join(demoDir, "study-fast.yaml"), {
      out: join(demoDir, "out"),
      log: () => {},
      progress: false,
      report: false,
    });
    demoAuto = summary.output;
    demoConfig = validateStudyConfig(raw);
  });

  after(() => {
    if (demoDir) rmSync(demoDir, { recursive: true, force: true });
  });

  /** The same study from the extracted features.csv (table mode), with some settings changed. */
  function demoFromTable(patch: (c: Record<string, Record<string, unknown>>) => void): StudyOutput {
    const raw = JSON.parse(JSON.stringify(demoConfig)) as Record<string, Record<string, unknown>>;
    delete raw.cohort!.sequences;
    raw.features = {
      table: "features.csv",
      reader2Table: "features-reader2.csv",
      sequences: ["T2", "DWI", "DCE2"],
    };
    patch(raw);
    const config = validateStudyConfig(raw);
    const cohort = parseCohortManifest(
      readFileSync(join(demoDir, "cohort", "manifest.csv"), "utf8"),
      config,
    );
    const ids = cohort.patients.map((p) => p.id);
    const read = (f: string) => readFileSync(join(demoDir, "out", f), "utf8");
    const features = parseFeatureTable(read("features.csv"), config, ids);
    const reader2 = parseFeatureTable(read("features-reader2.csv"), config, ids, "reader 2", {
      requireAll: false,
    });
    return runStudyPipeline({ config, cohort, features, reader2 }, { createdAt: "2026-01-01" });
  }

  test("demo --seed 11, auto: the Rad-score refit and the nomogram are Firth fits, and the outputs say so", () => {
    const out = demoAuto;
    assert.equal(demoConfig.radscore.firth, "auto");
    assert.equal(demoConfig.clinical.firth, "auto");
    // The seed-11 story: a T2 feature forced back, so the Rad-score is a logistic refit.
    assert.ok(out.details.forced.some((f) => f.sequence === "T2"));
    const fm = out.result.fitMethods!;
    for (const m of ["radiomics", "nomogram"] as const) {
      assert.equal(fm[m].method, "firth", m);
      assert.equal(fm[m].separation, "none", m);
      assert.equal(fm[m].extreme, true, m);
      assert.match(
        fm[m].reason,
        /fitted probabilities numerically 0 or 1 with finite but extreme estimates \(no separation by the exact check\)/,
      );
      assert.deepEqual(out.model.fitMethods![m], fm[m]);
    }
    assert.equal(out.model.radscore.source, "firth");
    // ML's divergence warnings are replaced by the switch's line (and Firth's own warnings).
    for (const what of ["Rad-score logistic fit", "nomogram model"]) {
      assert.ok(
        !out.result.warnings.some((w) => w.startsWith(what) && /estimates diverge/.test(w)),
      );
      assert.ok(
        out.result.warnings.some(
          (w) => w.startsWith(what) && /fitted by Firth's penalised likelihood instead/.test(w),
        ),
        what,
      );
    }

    // Wiring: the Rad-score is fitFirth on the scaled training features, the nomogram model
    // fitFirthLogistic on its design (clinical terms and the Rad-score) at maxIterations 100.
    const y = trainingY(out);
    const X = radscoreDesign(out, readFileSync(join(demoDir, "out", "features.csv"), "utf8"));
    const control = { maxIterations: demoConfig.clinical.maxIterations };
    const rs = fitFirth(X, y, { names: out.model.features, control });
    assert.ok(rs.converged);
    close(out.model.radscore.intercept, rs.coefficients[0]!, 1e-9, "Rad-score intercept");
    out.model.radscore.coefficients.forEach((b, k) => {
      close(b, rs.coefficients[k + 1]!, 1e-9, `Rad-score ${out.model.features[k]}`);
    });
    // Not separated: the exact check finds no separating direction, and maximum likelihood
    // converges to the same finite estimate at glm's epsilon and at 1e-14 (a separated fit's
    // coefficients would keep growing); its fitted probabilities still reach 1e-8 of 0 or 1.
    const ml = fitLogistic(X, y, { epsilon: 1e-14, maxIterations: 100 });
    assert.equal(ml.separation, "none");
    assert.ok(ml.converged);
    assert.equal(
      checkSeparation(
        X.map((r) => [1, ...r]),
        y,
      ).kind,
      "none",
    );
    const glmDefault = fitLogistic(X, y, {});
    ml.coefficients.forEach((b, j) => {
      close(glmDefault.coefficients[j]!, b, 1e-6, `ML coefficient ${j}`);
    });
    // Bounded: every Firth coefficient is finite and smaller in size than maximum likelihood's
    // largest.
    const maxAbs = (v: ArrayLike<number>) => Math.max(...Array.from(v, Math.abs));
    assert.ok(rs.coefficients.every(Number.isFinite));
    assert.ok(maxAbs(rs.coefficients) < maxAbs(ml.coefficients));

    const cohort = parseCohortManifest(
      readFileSync(join(demoDir, "cohort", "manifest.csv"), "utf8"),
      demoConfig,
    );
    const train = out.predictions.filter((p) => p.role === "training");
    const clinicalOf = new Map(cohort.patients.map((p) => [p.id, p.clinical]));
    const Xn = designOf(out.model.nomogramModel.terms, (t) =>
      train.map((p) =>
        t.column === out.model.radscoreName ? p.radScore : clinicalOf.get(p.id)![t.column]!,
      ),
    );
    const names = out.model.nomogramModel.terms.map((t) => t.term);
    const nomo = fitFirthLogistic(Xn, y, { names, control });
    assert.deepEqual(out.model.nomogramModel.coefficients, Array.from(nomo.coefficients));
    assert.ok(nomo.coefficients.every(Number.isFinite));
    assert.ok(
      maxAbs(nomo.coefficients) < maxAbs(fitLogistic(Xn, y, { epsilon: 1e-14 }).coefficients),
    );
    // Table 2's Rad-score row, multivariable: the nomogram's Firth OR, profile CI and penalised P.
    const rsRow = out.result.table2.find((r) => r.term === out.model.radscoreName)!;
    const k = names.indexOf(out.model.radscoreName) + 1;
    assert.deepEqual(rsRow.multivariable, {
      or: nomo.oddsRatios[k],
      lower: nomo.confidenceIntervals.oddsRatioLower[k],
      upper: nomo.confidenceIntervals.oddsRatioUpper[k],
      p: nomo.pValues[k],
    });
    const note = table2Table(out.result).note!;
    assert.ok(note.includes(FIRTH_METHOD_NOTE), note);
    assert.match(note, /the Rad-score's refit/);
    assert.match(note, /the nomogram model/);
    assert.match(note, /finite but extreme estimates \(no separation\)/);
  });

  test("demo --seed 11, never: the maximum-likelihood fits and their separation warnings stay", () => {
    const out = demoFromTable((c) => {
      c.radscore = { ...c.radscore, firth: "never" };
      c.clinical = { ...c.clinical, firth: "never" };
    });
    assert.equal(out.model.radscore.source, "logistic");
    for (const m of ["radiomics", "nomogram"] as const) {
      assert.equal(out.result.fitMethods![m].method, "ml", m);
      assert.equal(out.result.fitMethods![m].separation, "none", m);
      assert.equal(out.result.fitMethods![m].extreme, true, m);
      assert.match(out.result.fitMethods![m].reason, /never/);
    }
    for (const what of ["Rad-score logistic fit", "nomogram model"])
      assert.ok(
        out.result.warnings.some(
          (w) =>
            w.startsWith(what) &&
            /no separation \(exact linear-programming check\).*finite but extreme/.test(w),
        ),
        what,
      );
    // The Rad-score is the ML fit of the same design, and larger than Firth's (auto) in size.
    const y = trainingY(out);
    const X = radscoreDesign(out, readFileSync(join(demoDir, "out", "features.csv"), "utf8"));
    const ml = fitLogistic(X, y, { epsilon: 1e-14, maxIterations: 100 });
    close(out.model.radscore.intercept, ml.coefficients[0]!, 1e-9, "ML intercept");
    out.model.radscore.coefficients.forEach((b, k) => {
      close(b, ml.coefficients[k + 1]!, 1e-9, `ML ${out.model.features[k]}`);
    });
    assert.ok(
      Math.max(...out.model.radscore.coefficients.map(Math.abs)) >
        Math.max(...demoAuto.model.radscore.coefficients.map(Math.abs)),
    );
    const note = fitMethodNote(out.result);
    assert.ok(!note.includes(FIRTH_METHOD_NOTE));
    assert.match(
      note,
      /kept as configured although maximum likelihood gave fitted probabilities numerically 0 or 1/,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// "always" on a cohort that does not separate

/** The shared synthetic cohort (test/support/synthetic-cohort.ts) with effect 0.6 on 3 features. */
const informativeCohort = (seed: number): string => syntheticCohort(seed, 0.6);

function runSynthetic(firth: "auto" | "always"): { out: StudyOutput; text: string } {
  const text = informativeCohort(3);
  const config = validateStudyConfig(
    syntheticStudyConfig({
      radscore: { model: "logistic", firth },
      clinical: { model: ["ki67", "grade"], firth },
      evaluation: { bootstrap: 10, rocBootstrap: { replicates: 0 } },
    }),
  );
  const cohort = parseCohortManifest(text, config);
  const features = parseFeatureTable(
    text,
    config,
    cohort.patients.map((p) => p.id),
  );
  return { out: runStudyPipeline({ config, cohort, features }, { createdAt: "2026-01-01" }), text };
}

test("always, no separation: every model is a Firth fit equal to fitFirth / fitFirthLogistic on its design", () => {
  const { out, text } = runSynthetic("always");
  const fm = out.result.fitMethods!;
  for (const fit of [fm.radiomics, fm.clinical, fm.nomogram, fm.multivariable])
    assert.deepEqual([fit.method, fit.separation, fit.setting], ["firth", "none", "always"]);
  assert.ok(Object.values(fm.univariable).every((f) => f.method === "firth"));
  assert.equal(out.model.radscore.source, "firth");
  const y = trainingY(out);
  // Rad-score: fitFirth on the scaled training features (the cohort CSV is the feature table).
  const X = radscoreDesign(out, text);
  const rs = fitFirth(X, y, { names: out.model.features, control: { maxIterations: 100 } });
  close(out.model.radscore.intercept, rs.coefficients[0]!, 1e-9, "intercept");
  out.model.radscore.coefficients.forEach((b, k) => {
    close(b, rs.coefficients[k + 1]!, 1e-9, out.model.features[k]!);
  });
  // Clinical model and nomogram: fitFirthLogistic on their designs, to the last bit.
  const table = parseCsv(text);
  const train = out.predictions.filter((p) => p.role === "training");
  const cell = (id: string, column: string) =>
    table.rows.find((r) => r[0] === id)![table.header.indexOf(column)]!;
  for (const [name, lm] of [
    ["clinical", out.model.clinicalModel],
    ["nomogram", out.model.nomogramModel],
  ] as const) {
    const Xm = designOf(lm.terms, (t) =>
      train.map((p) => (t.column === out.model.radscoreName ? p.radScore : cell(p.id, t.column))),
    );
    const f = fitFirthLogistic(Xm, y, {
      names: lm.terms.map((t) => t.term),
      control: { maxIterations: 100 },
    });
    assert.deepEqual(lm.coefficients, Array.from(f.coefficients), name);
    if (name === "nomogram") {
      const k = lm.terms.findIndex((t) => t.term === out.model.radscoreName) + 1;
      const row = out.result.table2.find((r) => r.term === out.model.radscoreName)!;
      assert.deepEqual(row.multivariable, {
        or: f.oddsRatios[k],
        lower: f.confidenceIntervals.oddsRatioLower[k],
        upper: f.confidenceIntervals.oddsRatioUpper[k],
        p: f.pValues[k],
      });
    }
  }
  assert.match(table2Table(out.result).note!, /every univariable model/);
  // Calibration: each Firth model's bootstrap refits it by Firth in every resample (the optimism
  // of the procedure used), not by lrm: the nomogram's bias-corrected curve is calibrateBootstrap's
  // with the Firth refit, and differs from the lrm-refit one.
  const nomogramX = designOf(out.model.nomogramModel.terms, (t) =>
    train.map((p) => (t.column === out.model.radscoreName ? p.radScore : cell(p.id, t.column))),
  );
  const options = { B: 10, seed: 20250101 };
  const firthRefit = (rows: Float64Array[], yb: Float64Array) =>
    fitFirthCoefficients(rows, yb, { control: { maxIterations: 100 } });
  const withFirth = calibrateBootstrap(nomogramX, y, { ...options, refit: firthRefit });
  const withLrm = calibrateBootstrap(nomogramX, y, options);
  const curve = out.result.calibration.find(
    (c) => c.cohort === "training" && c.model === "nomogram",
  )!;
  assert.deepEqual(curve.biasCorrected, Array.from(withFirth.calibratedCorrected));
  assert.notDeepEqual(curve.biasCorrected, Array.from(withLrm.calibratedCorrected));
  assert.match(
    calibrationStatisticsTable(out.result)!.note!,
    /refit them in every bootstrap resample by Firth/,
  );
  // "auto" on the same cohort keeps maximum likelihood everywhere (nothing separates).
  const auto = runSynthetic("auto").out;
  for (const m of ["radiomics", "clinical", "nomogram"] as const)
    assert.deepEqual(
      [auto.result.fitMethods![m].method, auto.result.fitMethods![m].separation],
      ["ml", "none"],
    );
  assert.equal(auto.model.radscore.source, "logistic");
  assert.equal(fitMethodNote(auto.result), "");
});
