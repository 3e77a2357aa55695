/**
 * Study pipeline behaviour that needs no reference data: configuration and cohort errors name the
 * offending key or patient; every fitted parameter comes from training only (permuting the test
 * outcomes changes nothing in the frozen model); the frozen scorer reproduces the pipeline's own
 * predictions; an image-mode study end to end (extraction, cache, outputs) and `radscore predict`
 * on its training patients.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runPredictCommand } from "../src/cli/predict.js";
import { formatCsv, parseCsv } from "../src/io/csv.js";
import { runStudyFromConfig } from "../src/node/study-runner.js";
import { calibrateBootstrap } from "../src/stats/calibration.js";
import { RRandom } from "../src/stats/random.js";
import { parseCohortManifest } from "../src/study/cohort.js";
import { parseStudyConfig, validateStudyConfig } from "../src/study/config.js";
import { parseFeatureTable } from "../src/study/features-table.js";
import { scorePatients } from "../src/study/frozen-model.js";
import { runStudyPipeline } from "../src/study/pipeline.js";
import { writeDemoDwiStudy } from "./support/demo-dwi-study.js";
import { syntheticCohort, syntheticStudyConfig } from "./support/synthetic-cohort.js";

/** The shared synthetic cohort (test/support/synthetic-cohort.ts) with effect 0.9 on 3 features. */
const informativeCohort = (seed: number): string => syntheticCohort(seed, 0.9);

const baseConfig = syntheticStudyConfig({
  clinical: { model: ["ki67", "age"] },
  evaluation: { bootstrap: 10 },
});

function runSynthetic(text: string) {
  const config = validateStudyConfig(baseConfig);
  const cohort = parseCohortManifest(text, config);
  const features = parseFeatureTable(
    text,
    config,
    cohort.patients.map((p) => p.id),
  );
  return runStudyPipeline({ config, cohort, features }, { createdAt: "2025-01-01T00:00:00Z" });
}

test("config: an unknown key is named with the valid keys; a bad value lists the valid values", () => {
  assert.throws(
    () => validateStudyConfig({ ...baseConfig, selection: { lasso: { flavour: "x" } } }),
    /selection\.lasso: unknown key 'flavour'; valid keys: flavor, folds/,
  );
  assert.throws(
    () => validateStudyConfig({ ...baseConfig, preprocessing: { scaler: "robust" } }),
    /preprocessing\.scaler: invalid value; valid values: minmax, zscore/,
  );
  assert.throws(
    () => validateStudyConfig({ ...baseConfig, colour: 1 }),
    /unknown key 'colour'; valid keys: title, cohort/,
  );
  assert.throws(
    () => validateStudyConfig({ ...baseConfig, clinical: { model: ["ki76"] } }),
    /clinical\.model: 'ki76' is not a clinical variable/,
  );
  // A value of the wrong type is named as such, not as a missing key.
  assert.throws(
    () => validateStudyConfig({ ...baseConfig, selection: { lasso: { folds: "abc" } } }),
    (e: Error) =>
      /selection\.lasso\.folds: .*expected number, received string/.test(e.message) &&
      !/folds: required key is missing/.test(e.message),
  );
  assert.throws(() => parseStudyConfig("cohort: [1, 2"), /not valid YAML/);
  const { features: _f, ...noFeatures } = baseConfig;
  assert.throws(() => validateStudyConfig(noFeatures), /cohort\.sequences: required/);
});

test("feature table: radscore's own features.csv is read as written (ID column, role and outcome not features)", () => {
  const config = validateStudyConfig(baseConfig);
  const table = "ID,role,outcome,f_A,g_A\nP2,test,0,3.5,4\nP1,training,1,1.25,2\n";
  const m = parseFeatureTable(table, config, ["P1", "P2"], "features.csv");
  assert.deepEqual(m.names, ["f_A", "g_A"]);
  assert.deepEqual(m.ids, ["P1", "P2"]);
  assert.deepEqual([...m.columns[0]!], [1.25, 3.5]);
  assert.deepEqual([...m.columns[1]!], [2, 4]);
  // A table of another format without the manifest's ID column: the message lists a few columns.
  const wide = `key,${Array.from({ length: 30 }, (_, k) => `x${k}`).join(",")}\nP1,${"1,".repeat(29)}1\n`;
  assert.throws(
    () => parseFeatureTable(wide, config, ["P1"], "wide.csv"),
    /wide\.csv: no ID column 'id' \(set features\.id\); columns are: key, x0, .*x10, \.\.\. \(31 in all\)$/,
  );
});

test("config: documented defaults are filled in", () => {
  const c = validateStudyConfig(baseConfig);
  assert.equal(c.preprocessing.scaler, "minmax");
  assert.equal(c.preprocessing.icc.threshold, 0.75);
  assert.equal(c.selection.lasso.flavor, "glmnet-binomial");
  assert.equal(c.selection.lasso.lambda, "lambda.min");
  assert.equal(c.evaluation.threshold, "youden");
  assert.equal(c.evaluation.dca.to, 99);
});

test("cohort: errors name the patient or the column", () => {
  const config = validateStudyConfig(baseConfig);
  const text = informativeCohort(1);
  const lines = text.trim().split("\n");
  assert.throws(
    () => parseCohortManifest(lines.join("\n").replace("S5,training,", "S5,traning,"), config),
    /patient 'S5': role 'set' = 'traning'/,
  );
  assert.throws(
    () => parseCohortManifest(text.replace(/,grade,/, ",grade_x,"), config),
    /no column 'grade' \(cohort\.clinical\.grade\)/,
  );
  const oneClass = [
    lines[0]!,
    ...lines.slice(1).map((l) => l.replace(/^(S\d+,training,)[01]/, "$11")),
  ].join("\n");
  assert.throws(
    () => parseCohortManifest(oneClass, config),
    /training set has one outcome class only/,
  );
  const imageConfig = validateStudyConfig({
    ...baseConfig,
    features: undefined,
    cohort: { ...(baseConfig.cohort as object), sequences: { T2: { image: "img", mask: "msk" } } },
  });
  const manifest =
    "id,set,pcr,age,grade,ki67,img,msk\nA,training,1,50,low,1,a.nrrd,am.nrrd\nB,training,0,50,low,1,b.nrrd,\n";
  assert.throws(() => parseCohortManifest(manifest, imageConfig), /patient 'B' has no T2 mask/);
});

test("pipeline: permuting the test outcomes changes no fitted parameter", () => {
  const text = informativeCohort(7);
  const a = runSynthetic(text);
  // Shuffle the outcomes of the test rows only.
  const table = parseCsv(text);
  const testRows = table.rows.filter((r) => r[1] === "test");
  const ys = testRows.map((r) => r[2]!);
  const rng = new RRandom(99);
  const perm = rng.sampleWithoutReplacement(ys.length, ys.length);
  testRows.forEach((r, k) => {
    r[2] = ys[perm[k]! - 1]!;
  });
  assert.notDeepEqual(
    testRows.map((r) => r[2]),
    ys,
    "the permutation changes the test labels",
  );
  const b = runSynthetic(formatCsv(table.header, table.rows));
  assert.deepEqual(b.model, a.model, "model.json is identical");
  assert.deepEqual(b.result.selectedFeatures, a.result.selectedFeatures);
  assert.deepEqual(b.result.table2, a.result.table2);
  assert.deepEqual(b.result.lasso, a.result.lasso);
  const trainRows = (x: typeof a) => x.result.table3.filter((r) => r.cohort === "training");
  assert.deepEqual(trainRows(b), trainRows(a));
  // ... while the test-set evaluation does change.
  const testAuc = (x: typeof a) =>
    x.result.table3.filter((r) => r.cohort === "test").map((r) => r.auc);
  assert.notDeepEqual(testAuc(b), testAuc(a));
});

test("pipeline: the frozen scorer reproduces the study's predictions and the training cut-offs", () => {
  const text = informativeCohort(3);
  const out = runSynthetic(text);
  const table = parseCsv(text);
  const col = (n: string) => table.header.indexOf(n);
  const rows = table.rows.map((r) => ({
    id: r[0]!,
    clinical: { age: r[col("age")]!, grade: r[col("grade")]!, ki67: r[col("ki67")]! },
    features: Object.fromEntries(out.model.features.map((f) => [f, Number(r[col(f)])])),
  }));
  const scores = scorePatients(JSON.parse(JSON.stringify(out.model)), rows);
  scores.forEach((s, i) => {
    assert.equal(s.nomogramProbability, out.predictions[i]!.nomogramProbability);
    assert.equal(s.clinicalProbability, out.predictions[i]!.clinicalProbability);
    assert.equal(s.radScore, out.predictions[i]!.radScore);
  });
  // Training probabilities equal R-glm fitted values of the nomogram model (same MLE).
  const train = out.predictions.filter((p) => p.role === "training");
  train.forEach((p, i) => {
    const fitted = out.details.nomogram.fitted[i]!;
    assert.ok(Math.abs(p.nomogramProbability - fitted) <= 1e-12, `patient ${p.id}`);
  });
  // The nomogram's total points give back the model's probability (rms: lp = Intercept_info + T/sc).
  for (const p of out.predictions) {
    const lp = out.model.nomogram.interceptInfo + p.totalPoints / out.model.nomogram.sc;
    assert.ok(Math.abs(lp - p.nomogramLinearPredictor) <= 1e-9);
  }
  assert.equal(out.result.table3.length, 6);
  assert.equal(out.result.table4.length, 6);
  assert.equal(out.result.calibration.length, 6);
  assert.equal(out.result.decision.length, 2);
});

test("calibration: every model's training curve is bias-corrected; a LASSO Rad-score calibrates as lrm(y ~ Rad-score)", () => {
  const out = runSynthetic(informativeCohort(3));
  assert.equal(out.model.radscore.source, "lasso");
  for (const m of ["clinical", "radiomics", "nomogram"]) {
    const curve = out.result.calibration.find((c) => c.cohort === "training" && c.model === m)!;
    assert.ok(curve.biasCorrected !== null, `${m}: bias-corrected curve`);
    assert.equal(curve.biasCorrected.length, curve.predicted.length);
  }
  assert.ok(
    !out.result.warnings.some((w) => /bias-corrected/.test(w)),
    out.result.warnings.join("; "),
  );
  // The radiomics curve is rms::calibrate's bootstrap with the Rad-score as the single predictor
  // (calibrateBootstrap has its R parity in the stats suite; this checks what the study feeds it).
  const train = out.predictions.filter((p) => p.role === "training");
  const config = validateStudyConfig(baseConfig);
  const cb = calibrateBootstrap(
    train.map((p) => Float64Array.of(p.radScore)),
    Float64Array.from(train, (p) => p.outcome),
    { B: config.evaluation.bootstrap, seed: config.evaluation.seed },
  );
  const radiomics = out.result.calibration.find(
    (c) => c.cohort === "training" && c.model === "radiomics",
  )!;
  assert.deepEqual(radiomics.biasCorrected, Array.from(cb.calibratedCorrected));
  assert.deepEqual(radiomics.predicted, Array.from(cb.predy));
});

test("image-mode study end to end: extraction cache, outputs, predict reproduces training probabilities", async () => {
  const dir = mkdtempSync(join(tmpdir(), "radscore-study-"));
  try {
    const patients = await writeDemoDwiStudy(dir, ["ki67_high", "morphology"]);
    writeFileSync(
      join(dir, "study.yaml"),
      [
        "cohort:",
        "  manifest: manifest.csv",
        "  centre: centre",
        "  role: { byCentre: { training: ['1'], test: ['2'] } }",
        "  outcome: { column: mp, millerPayne: true }",
        "  sequences: { DWI: { image: DWI_image, mask: DWI_mask, params: params.yaml } }",
        "  clinical: { ki67_high: { type: binary, labels: [low, high] }, morphology: { type: categorical, levels: [regular, irregular] } }",
        "selection: { fClassif: { p: 0.99 }, lasso: { folds: 3 } }",
        "clinical: { model: [ki67_high, morphology] }",
        "evaluation: { bootstrap: 5 }",
        "outputs: { report: false }",
        "",
      ].join("\n"),
    );
    const out = join(dir, "out");
    const first = await runStudyFromConfig(join(dir, "study.yaml"), {
      out,
      log: () => {},
      progress: false,
    });
    for (const f of [
      "features.csv",
      "model.json",
      "result.json",
      "predictions.csv",
      "manifest.json",
    ])
      assert.ok(existsSync(join(out, f)), f);
    const features = parseCsv(readFileSync(join(out, "features.csv"), "utf8"));
    assert.ok(features.header.includes("original_glcm_Contrast_DWI"), "sequence-suffixed names");
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    assert.equal(manifest.settings.selection.lasso.seed, 20250101);
    assert.ok(Object.keys(manifest.inputHashes).length > 2 * patients.length);
    // The second run reads every case from the cache and gives the same model.
    const second = await runStudyFromConfig(join(dir, "study.yaml"), {
      out,
      log: () => {},
      progress: false,
    });
    assert.deepEqual(second.output.model.radscore, first.output.model.radscore);
    // predict on the training patients (table mode: clinical + feature columns).
    const byId = new Map(features.rows.map((r) => [r[0]!, r]));
    const train = patients.filter((p) => p.set === "training");
    const cases = formatCsv(
      ["id", "ki67_high", "morphology", ...features.header.slice(3)],
      train.map((p) => [
        p.id,
        p.clinical.ki67_high,
        p.clinical.morphology,
        ...byId.get(p.id)!.slice(3),
      ]),
    );
    writeFileSync(join(dir, "cases.csv"), cases);
    const write = process.stdout.write;
    process.stdout.write = () => true;
    try {
      assert.equal(
        await runPredictCommand({
          model: join(out, "model.json"),
          cases: join(dir, "cases.csv"),
          out: join(dir, "scores.csv"),
        }),
        0,
      );
    } finally {
      process.stdout.write = write;
    }
    const scores = parseCsv(readFileSync(join(dir, "scores.csv"), "utf8"));
    const preds = new Map(first.output.predictions.map((p) => [p.id, p]));
    const jp = scores.header.indexOf("p_nomogram");
    const jc = scores.header.indexOf("p_clinical");
    assert.equal(scores.rows.length, train.length);
    for (const r of scores.rows) {
      assert.equal(Number(r[jp]), preds.get(r[0]!)!.nomogramProbability, `patient ${r[0]}`);
      assert.equal(Number(r[jc]), preds.get(r[0]!)!.clinicalProbability, `patient ${r[0]}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("image-mode study: a missing image file is an error naming the patient; nothing is written", async () => {
  const dir = mkdtempSync(join(tmpdir(), "radscore-study-"));
  try {
    writeFileSync(
      join(dir, "manifest.csv"),
      "id,set,pcr,ki67,img,msk\nA,training,1,1,a.nrrd,am.nrrd\nB,training,0,0,b.nrrd,bm.nrrd\nC,test,1,1,c.nrrd,cm.nrrd\nD,test,0,1,d.nrrd,dm.nrrd\n",
    );
    writeFileSync(
      join(dir, "study.yaml"),
      "cohort:\n  manifest: manifest.csv\n  outcome: { column: pcr }\n  sequences: { T2: { image: img, mask: msk } }\n  clinical: { ki67: { type: binary } }\nextraction: { cache: false }\n",
    );
    await assert.rejects(
      runStudyFromConfig(join(dir, "study.yaml"), {
        out: join(dir, "out"),
        log: () => {},
        progress: false,
      }),
      /patient 'A': T2 image 'a.nrrd' does not exist/,
    );
    assert.ok(!existsSync(join(dir, "out")), "no output folder");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("table-mode study from a configuration file: both feature tables hashed, the second reader's drives the ICC filter", async () => {
  const dir = mkdtempSync(join(tmpdir(), "radscore-table-study-"));
  try {
    const cohortText = informativeCohort(11);
    writeFileSync(join(dir, "cohort.csv"), cohortText);
    // Second reader for the first 20 patients: f1..f11 as the first reader (ICC 1), f12 replaced
    // by values unrelated to the first reader's (ICC far below 0.75).
    const table = parseCsv(cohortText);
    const featureCols = table.header.filter((h) => /^f\d+_A$/.test(h));
    const rng = new RRandom(3);
    const reader2Rows = table.rows
      .slice(0, 20)
      .map((r) => [
        r[0]!,
        ...featureCols.map((c) =>
          c === "f12_A" ? Math.round(rng.unifRand() * 1e6) / 1e6 : r[table.header.indexOf(c)]!,
        ),
      ]);
    const reader2Text = formatCsv(["id", ...featureCols], reader2Rows);
    writeFileSync(join(dir, "reader2.csv"), reader2Text);
    const config = {
      ...baseConfig,
      features: { table: "cohort.csv", reader2Table: "reader2.csv", sequences: ["A"] },
      preprocessing: { icc: { enabled: true, threshold: 0.75 } },
    };
    writeFileSync(join(dir, "study.json"), JSON.stringify(config));
    const summary = await runStudyFromConfig(join(dir, "study.json"), {
      out: join(dir, "out"),
      report: false,
      progress: false,
      log: () => {},
      createdAt: "2025-01-01T00:00:00Z",
    });
    assert.deepEqual(summary.output.details.iccDropped, ["f12_A"]);
    const manifest = JSON.parse(readFileSync(join(dir, "out", "manifest.json"), "utf8")) as {
      inputHashes: Record<string, string>;
    };
    const sha = (text: string) => createHash("sha256").update(text).digest("hex");
    assert.equal(manifest.inputHashes[join(dir, "cohort.csv")], sha(cohortText));
    assert.equal(manifest.inputHashes[join(dir, "reader2.csv")], sha(reader2Text));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
