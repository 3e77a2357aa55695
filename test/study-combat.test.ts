/**
 * ComBat as a study step (preprocessing.combat, src/study/pipeline/harmonisation.ts) on the shared
 * synthetic cohort split by centre (training = centre A, test = centre B) with a planted scanner
 * effect on centre B (every feature x 2 + 3):
 * - with the training centre as reference, ComBat leaves the training patients' features as they
 *   are (sva's ref.batch), so every training-fitted result equals the run without ComBat exactly;
 * - the test centre's Rad-scores move back onto the training distribution (the planted effect
 *   shifts them by several training SDs without ComBat);
 * - the frozen model harmonises by itself: scoring the raw features with each patient's centre
 *   reproduces the study's predictions bit for bit, after a JSON round trip; a missing or new
 *   centre is an error naming it;
 * - configuration errors name the setting.
 * ComBat's own numbers are checked against R's sva in the stats parity suite (kind `combat`).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatCsv, parseCsv } from "../src/io/csv.js";
import { buildReport } from "../src/report/html.js";
import { parseCohortManifest } from "../src/study/cohort.js";
import { StudyConfigError, validateStudyConfig } from "../src/study/config.js";
import { parseFeatureTable } from "../src/study/features-table.js";
import { type PatientInput, parseFrozenModel, scorePatients } from "../src/study/frozen-model.js";
import { runStudyPipeline, type StudyOutput } from "../src/study/pipeline.js";
import { syntheticCohort, syntheticStudyConfig } from "./support/synthetic-cohort.js";

/** The synthetic cohort with a centre column and centre B's features scanned as 2 x + 3. */
function twoCentreCohort(): string {
  const t = parseCsv(syntheticCohort(7, 0.9));
  const set = t.header.indexOf("set");
  const header = [...t.header, "centre"];
  const rows = t.rows.map((r) => {
    const b = r[set] === "test";
    const cells = r.map((c, j) =>
      b && t.header[j]!.startsWith("f") ? String(2 * Number(c) + 3) : c,
    );
    return [...cells, b ? "B" : "A"];
  });
  return formatCsv(header, rows);
}

function config(combat: Record<string, unknown> | null, withCentre = true) {
  const base = syntheticStudyConfig();
  return validateStudyConfig({
    ...base,
    cohort: { ...(base.cohort as object), ...(withCentre ? { centre: "centre" } : {}) },
    preprocessing: { icc: { enabled: false }, ...(combat ? { combat } : {}) },
    radscore: { model: "logistic" },
    clinical: { model: ["ki67", "grade"] },
    evaluation: { bootstrap: 10, rocBootstrap: { replicates: 0 } },
  });
}

function run(text: string, combat: Record<string, unknown> | null): StudyOutput {
  const c = config(combat);
  const cohort = parseCohortManifest(text, c);
  const features = parseFeatureTable(
    text,
    c,
    cohort.patients.map((p) => p.id),
  );
  return runStudyPipeline({ config: c, cohort, features }, { createdAt: "2026-01-01" });
}

const text = twoCentreCohort();
const plain = run(text, null);
const harmonised = run(text, { enabled: true });

const mean = (x: number[]) => x.reduce((a, b) => a + b, 0) / x.length;
const sd = (x: number[]) => {
  const m = mean(x);
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / (x.length - 1));
};
const radScores = (out: StudyOutput, role: "training" | "test") =>
  out.predictions.filter((p) => p.role === role).map((p) => p.radScore);

test("ComBat with the training centre as reference leaves every training-fitted result unchanged", () => {
  const h = harmonised.result.harmonisation!;
  assert.equal(h.reference, "A");
  assert.deepEqual(h.centres, [
    { centre: "A", patients: 60 },
    { centre: "B", patients: 50 },
  ]);
  assert.equal(h.method, "parametric");
  assert.equal(h.features, 12);
  assert.deepEqual(h.unadjusted, []);
  assert.equal(plain.result.harmonisation, undefined);
  assert.equal(plain.model.combat, undefined);
  // Same features, coefficients, scaler and training predictions, to the last bit.
  assert.deepEqual(harmonised.model.features, plain.model.features);
  assert.deepEqual(harmonised.model.radscore, plain.model.radscore);
  assert.deepEqual(harmonised.model.scaler, plain.model.scaler);
  assert.deepEqual(harmonised.model.nomogramModel, plain.model.nomogramModel);
  assert.deepEqual(radScores(harmonised, "training"), radScores(plain, "training"));
  assert.deepEqual(
    harmonised.result.table3.filter((r) => r.cohort === "training"),
    plain.result.table3.filter((r) => r.cohort === "training"),
  );
  assert.ok(harmonised.result.timings.some((t) => t.stage === "ComBat harmonisation"));
});

test("ComBat moves the test centre's Rad-scores back onto the training distribution", () => {
  const train = radScores(plain, "training");
  const before = radScores(plain, "test");
  const after = radScores(harmonised, "test");
  const shiftBefore = Math.abs(mean(before) - mean(train)) / sd(train);
  const shiftAfter = Math.abs(mean(after) - mean(train)) / sd(train);
  assert.ok(shiftBefore > 2, `planted scanner effect: ${shiftBefore} training SDs`);
  assert.ok(shiftAfter < 0.5, `after ComBat: ${shiftAfter} training SDs`);
  // The Rad-score is linear in the features: x 2 + 3 keeps the ranking, so the test AUC is the
  // same with or without harmonisation, while the cut-off now classifies both classes.
  const auc = (o: StudyOutput) =>
    o.result.table3.find((r) => r.cohort === "test" && r.model === "radiomics")!.auc;
  assert.ok(Math.abs(auc(harmonised) - auc(plain)) < 0.05);
});

test("the frozen model harmonises new patients itself: the study's predictions bit for bit", () => {
  const model = parseFrozenModel(JSON.stringify(harmonised.model));
  assert.equal(model.combat!.centreColumn, "centre");
  assert.deepEqual(model.combat!.model.features, model.features);
  assert.equal(model.combat!.model.referenceBatch, "A");
  const t = parseCsv(text);
  const col = (name: string) => t.header.indexOf(name);
  const rows: PatientInput[] = t.rows.map((r) => ({
    id: r[col("id")]!,
    clinical: { age: r[col("age")]!, grade: r[col("grade")]!, ki67: r[col("ki67")]! },
    features: Object.fromEntries(model.features.map((f) => [f, Number(r[col(f)])])),
    centre: r[col("centre")]!,
  }));
  const scores = scorePatients(model, rows);
  harmonised.predictions.forEach((p, i) => {
    assert.equal(scores[i]!.radScore, p.radScore, p.id);
    assert.equal(scores[i]!.nomogramProbability, p.nomogramProbability, p.id);
  });
  assert.throws(
    () => scorePatients(model, [{ ...rows[0]!, centre: undefined }]),
    /give the patient's centre \('centre'\)/,
  );
  assert.throws(
    () => scorePatients(model, [{ ...rows[0]!, centre: "C" }]),
    /centre 'C' was not in the ComBat fit \(A, B\)/,
  );
});

test("preprocessing.combat: configuration errors name the setting", () => {
  assert.throws(
    () => config({ enabled: true }, false),
    (e: unknown) =>
      e instanceof StudyConfigError && /preprocessing\.combat needs cohort\.centre/.test(e.message),
  );
  assert.throws(
    () => run(text, { enabled: true, reference: "Z" }),
    /preprocessing\.combat\.reference: 'Z' is not a centre/,
  );
  // reference none: both centres move to the pooled mean, so the training features change too.
  const pooled = run(text, { enabled: true, reference: "none" });
  assert.equal(pooled.result.harmonisation!.reference, null);
  assert.equal(pooled.model.combat!.model.referenceBatch, null);
});

test("the report shows the harmonisation and the centres' principal components before and after", async () => {
  const pca = harmonised.result.harmonisation!.pca!;
  assert.equal(pca.before.length, 110);
  assert.deepEqual(
    pca.before.map((p) => p.centre),
    harmonised.predictions.map((p) => (p.role === "test" ? "B" : "A")),
  );
  // The planted effect (x 2 + 3 on every feature of centre B) dominates the first component
  // before ComBat: the centres' PC1 means lie far apart; after, they nearly coincide.
  const gap = (points: typeof pca.before) => {
    const m = (c: string) => mean(points.filter((p) => p.centre === c).map((p) => p.pc1));
    return Math.abs(m("A") - m("B")) / sd(points.map((p) => p.pc1));
  };
  assert.ok(gap(pca.before) > 1.5, `before: ${gap(pca.before)}`);
  assert.ok(gap(pca.after) < 0.5, `after: ${gap(pca.after)}`);
  const report = await buildReport(harmonised.result);
  assert.match(report.html, /id="harmonisation"/);
  assert.match(
    report.html,
    /harmonised 12 features across 2 centres \(A: 60 patients, B: 50 patients\)/,
  );
  for (const id of ["combat-before", "combat-after"]) {
    const figure = report.figures.find((f) => f.id === id);
    assert.ok(figure, id);
    assert.ok(figure.svg.includes("<svg"), `${id} is an SVG`);
    assert.ok(report.html.includes(`id="${id}"`), `${id} in the report`);
  }
  // The checklists' pre-processing answers say so.
  assert.match(report.html, /Features harmonised across centres with ComBat/);
  // A study without ComBat has neither.
  const plainReport = await buildReport(plain.result);
  assert.ok(!plainReport.html.includes('id="harmonisation"'));
  assert.ok(!plainReport.figures.some((f) => f.id.startsWith("combat-")));
  assert.match(plainReport.html, /No feature harmonisation across centres/);
});
