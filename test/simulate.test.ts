/**
 * `radscore simulate` (src/study/simulate, src/node/simulate-runner.ts, src/cli/simulate.ts): the
 * generator's determinism and dials, the true AUC on hand-computed cases, the recovery rule on
 * hand-made columns, the summary's rates, and one small end-to-end run through extraction and the
 * study pipeline (structure only; the statistical targets are checked by
 * scripts/simulate-study.mjs, a benchmark-style study).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { simulateSettings } from "../src/cli/simulate.js";
import { runSimulation } from "../src/node/simulate-runner.js";
import {
  distribution,
  generateSimulatedCohort,
  generateSimulatedImages,
  pearson,
  populationAuc,
  rate,
  recoverPlantedSignal,
  simulationSeeds,
  trueAuc,
  validateSimulationSettings,
} from "../src/study/simulate/index.js";
import { simulationStudyConfig } from "../src/study/simulate/study.js";

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test("generator: the same seed gives the same patients and images, another seed others", () => {
  const dials = { informative: 2, effect: 1 };
  const a = generateSimulatedCohort(dials, 42, 15);
  const b = generateSimulatedCohort(dials, 42, 15);
  assert.deepEqual(a, b);
  assert.equal(a.length, 30);
  assert.deepEqual(
    a.map((p) => p.centre),
    [...Array(15).fill(1), ...Array(15).fill(2)],
  );
  const c = generateSimulatedCohort(dials, 43, 15);
  assert.notDeepEqual(
    a.map((p) => p.properties),
    c.map((p) => p.properties),
  );
  const im1 = generateSimulatedImages(a[0]!, "T2", { centreShift: 0 });
  const im2 = generateSimulatedImages(b[0]!, "T2", { centreShift: 0 });
  assert.deepEqual(im1.image.data, im2.image.data);
  assert.deepEqual(im1.mask.data, im2.mask.data);
  assert.ok(
    im1.mask.data.some((v) => v === 1),
    "the mask has a lesion",
  );
  // Replicate and truth seeds: deterministic, distinct, in R's set.seed range.
  const s = simulationSeeds(7, 5);
  assert.deepEqual(s, simulationSeeds(7, 5));
  const all = [s.truth, ...s.replicates];
  assert.equal(new Set(all).size, 6);
  for (const v of all) assert.ok(Number.isInteger(v) && v >= 1 && v <= 2147483647);
});

test("generator: effect 0 makes the outcome independent of the images (P = 1/2 for everyone)", () => {
  // A large sample (no images are drawn): with effect 0 the logistic model is plogis(0) = 0.5
  // for every patient, whatever the informative properties.
  const patients = generateSimulatedCohort({ informative: 4, effect: 0 }, 11, 2500);
  assert.equal(patients.length, 5000);
  for (const p of patients) assert.equal(p.probability, 0.5);
  // Same for K = 0 at any effect.
  for (const p of generateSimulatedCohort({ informative: 0, effect: 3 }, 11, 50))
    assert.equal(p.probability, 0.5);
  // The events are a fair coin: within 4 binomial SDs (sqrt(5000 / 4) = 35.4) of 2500.
  const events = patients.filter((p) => p.outcome === 1).length;
  assert.ok(Math.abs(events - 2500) <= 4 * 35.4, `${events} events`);
});

test("generator: the dials set logit P = effect x (sum of the first K properties) and never change the images", () => {
  const k1 = generateSimulatedCohort({ informative: 1, effect: 2 }, 5, 40);
  const k2 = generateSimulatedCohort({ informative: 2, effect: -0.5 }, 5, 40);
  const none = generateSimulatedCohort({ informative: 0, effect: 0 }, 5, 40);
  k1.forEach((p, i) => {
    const z = p.properties;
    close(Math.log(p.probability / (1 - p.probability)), 2 * z.intensity, 1e-9, `K=1 ${p.id}`);
    const q = k2[i]!;
    close(
      Math.log(q.probability / (1 - q.probability)),
      -0.5 * (z.intensity + z.texture),
      1e-9,
      `K=2 ${p.id}`,
    );
    // Same properties, clinical values and image seeds whatever the dials.
    assert.deepEqual(q.properties, z);
    assert.deepEqual(none[i]!.properties, z);
    assert.equal(q.imageSeed, p.imageSeed);
    assert.deepEqual(q.clinical, p.clinical);
  });
});

test("generator: the centre shift offsets the test centre's lesion intensities only", () => {
  const patients = generateSimulatedCohort({ informative: 0, effect: 0 }, 9, 2);
  const train = patients[0]!;
  const test = patients[2]!;
  assert.equal(train.centre, 1);
  assert.equal(test.centre, 2);
  // Centre 1 is untouched by the shift.
  assert.deepEqual(
    generateSimulatedImages(train, "T2", { centreShift: 1 }).image.data,
    generateSimulatedImages(train, "T2", { centreShift: 0 }).image.data,
  );
  // Centre 2, T2: 1 SD of the lesion mean = 0.08 x 620 = 49.6 added before rounding to int16, so
  // every lesion voxel moves by 49 or 50.
  const a = generateSimulatedImages(test, "T2", { centreShift: 0 });
  const b = generateSimulatedImages(test, "T2", { centreShift: 1 });
  let lesion = 0;
  for (let i = 0; i < a.mask.data.length; i++) {
    if (a.mask.data[i] !== 1) continue;
    lesion++;
    const d = b.image.data[i]! - a.image.data[i]!;
    assert.ok(d === 49 || d === 50, `voxel ${i} moved by ${d}`);
  }
  assert.ok(lesion > 50, `${lesion} lesion voxels`);
  assert.deepEqual(b.mask.data, a.mask.data);
});

test("settings: bad dials are errors naming the dial", () => {
  const ok = {
    informative: 2,
    effect: 1,
    centreShift: 0,
    n: 60,
    replicates: 10,
    seed: 1,
    truthN: 2000,
  };
  assert.deepEqual(validateSimulationSettings({ ...ok }), ok);
  assert.throws(() => validateSimulationSettings({ ...ok, informative: 5 }), /informative/);
  assert.throws(() => validateSimulationSettings({ ...ok, n: 5 }), /n \(patients per centre\)/);
  assert.throws(() => validateSimulationSettings({ ...ok, effect: Number.NaN }), /effect/);
  assert.throws(() => validateSimulationSettings({ ...ok, seed: 0 }), /seed/);
  assert.throws(() => simulateSettings({ effect: "strong" }), /--effect must be a number/);
  assert.deepEqual(simulateSettings({ informative: "1", effect: "0.5", n: "30" }), {
    ...ok,
    replicates: 20,
    informative: 1,
    effect: 0.5,
    n: 30,
  });
  // The candidates dial: f_classif's top k in each replicate's study (10 unless given).
  assert.throws(() => validateSimulationSettings({ ...ok, candidates: 0 }), /candidates/);
  assert.throws(() => simulateSettings({ candidates: "many" }), /--candidates must be a number/);
  assert.equal(simulateSettings({ candidates: "20" }).candidates, 20);
  assert.equal(simulationStudyConfig(7).selection.fClassif.k, 10);
  assert.equal(simulationStudyConfig(7, 20).selection.fClassif.k, 20);
});

test("true AUC: hand-computed population AUCs", () => {
  // s = 1, 2, 3 with p = 0.2, 0.5, 0.8 (q = 1 - p). Pairs i != j weigh p_i q_j:
  // (2,1) 0.5 x 0.8 = 0.40, (3,1) 0.8 x 0.8 = 0.64, (3,2) 0.8 x 0.5 = 0.40 are concordant;
  // (1,2) 0.10, (1,3) 0.04, (2,3) 0.10 are not. AUC = 1.44 / 1.68 = 6/7.
  close(populationAuc([1, 2, 3], [0.2, 0.5, 0.8]), 6 / 7, 1e-15, "6/7");
  // The oracle ranks by p itself: the same order, the same 6/7.
  close(trueAuc([0.2, 0.5, 0.8]), 6 / 7, 1e-15, "oracle");
  // Ties count 1/2: s = 1, 1, 2: (1,2) and (2,1) tie: 0.5 (0.10 + 0.40) + 0.64 + 0.40 = 1.29.
  close(populationAuc([1, 1, 2], [0.2, 0.5, 0.8]), 1.29 / 1.68, 1e-15, "ties");
  // Outcomes known (p 0 or 1): the Mann-Whitney AUC. Cases s = 2, 4, controls s = 1, 3:
  // 2 > 1, 4 > 1, 4 > 3 of 4 pairs = 0.75.
  assert.equal(populationAuc([1, 2, 3, 4], [0, 1, 0, 1]), 0.75);
  // Every probability equal: every pair weighs the same, any score has AUC 1/2 (up to rounding
  // of the sums of 0.3 x 0.7).
  close(populationAuc([3, 1, 4, 1, 5], [0.3, 0.3, 0.3, 0.3, 0.3]), 0.5, 1e-15, "equal p");
  assert.throws(() => populationAuc([1, 2], [0.5]), /2 scores but 1 probabilities/);
  assert.throws(() => populationAuc([1, 2], [0.5, 1.5]), /probability 2 is 1.5/);
  assert.throws(() => populationAuc([1, 2], [0, 0]), /no case-control pair/);
  assert.throws(() => populationAuc([1, Number.NaN], [0.5, 0.5]), /score 2 is NaN/);
});

test("recovery: planted features, correlated stand-ins and unrelated features (hand-made columns)", () => {
  // Correlations with x = 1..5 (mean 3, Sxx = 10), by hand:
  //   y = 1,3,2,5,4: dy = -2,0,-1,2,1, Sxy = 4+0+0+2+2 = 8, Syy = 10, r = 0.8;
  //   y = 3,1,2,5,4: dy = 0,-2,-1,2,1, Sxy = 0+2+0+2+2 = 6, Syy = 10, r = 0.6;
  //   y = 3,1,4,1,5: Sxy = 4.0, Syy = 12.8, r = 4 / sqrt(128) = 0.35355.
  const columns: Record<string, number[]> = {
    original_firstorder_Mean_T2: [1, 2, 3, 4, 5],
    original_firstorder_Mean_DCE2: [5, 4, 3, 2, 1],
    original_firstorder_Median_T2: [1, 3, 2, 5, 4],
    original_glcm_Contrast_T2: [3, 1, 2, 5, 4],
    original_glcm_Idm_DCE2: [3, 1, 4, 1, 5],
    original_firstorder_Variance_T2: [5, 1, 4, 3, 2],
    original_firstorder_Variance_DCE2: [2, 2, 9, 1, 1],
  };
  close(
    pearson(columns.original_firstorder_Mean_T2!, columns.original_glcm_Idm_DCE2!),
    4 / Math.sqrt(128),
    1e-15,
    "r",
  );
  assert.equal(pearson([1, 2, 3], [4, 4, 4]), 0, "a constant column correlates with nothing");
  const rule = (selected: string[], threshold?: number) =>
    recoverPlantedSignal({
      selected,
      planted: ["intensity", "texture"],
      sequences: ["T2", "DCE2"],
      column: (name) => columns[name],
      ...(threshold !== undefined ? { threshold } : {}),
    });
  // The Median (r = 0.8 with Mean_T2) stands for intensity; Variance_DCE2 is texture's own feature.
  const a = rule(["original_firstorder_Median_T2", "original_firstorder_Variance_DCE2"]);
  assert.equal(a.all, true);
  assert.deepEqual(
    a.properties.map((p) => [p.property, p.recovered]),
    [
      ["intensity", true],
      ["texture", true],
    ],
  );
  assert.deepEqual(a.properties[1]!.matches, [
    {
      feature: "original_firstorder_Variance_DCE2",
      planted: "original_firstorder_Variance_DCE2",
      r: 1,
    },
  ]);
  assert.deepEqual(a.unrelated, []);
  // r = 0.6 (Contrast) and 0.35 (Idm) are below 0.7: intensity only through Mean_DCE2 (r = -1).
  const b = rule([
    "original_glcm_Contrast_T2",
    "original_glcm_Idm_DCE2",
    "original_firstorder_Mean_DCE2",
  ]);
  assert.equal(b.all, false);
  assert.equal(b.any, true);
  assert.deepEqual(
    b.properties.map((p) => p.recovered),
    [true, false],
  );
  assert.deepEqual(b.unrelated, ["original_glcm_Contrast_T2", "original_glcm_Idm_DCE2"]);
  // The threshold is inclusive and adjustable: at 0.6 Contrast stands for intensity.
  assert.ok(rule(["original_glcm_Contrast_T2"], 0.6).properties[0]!.recovered);
  assert.ok(!rule(["original_glcm_Contrast_T2"], 0.61).properties[0]!.recovered);
  // Nothing planted: nothing recovered.
  const none = recoverPlantedSignal({
    selected: ["original_glcm_Idm_DCE2"],
    planted: [],
    sequences: ["T2"],
    column: (n) => columns[n],
  });
  assert.equal(none.all, false);
  assert.equal(none.any, false);
  assert.throws(
    () => rule(["original_shape_Elongation_T2"]),
    /'original_shape_Elongation_T2' is not in the correlation sample/,
  );
});

test("summary: rates with Monte-Carlo SE and distributions (type-7 quartiles)", () => {
  // 3 of 4: rate 0.75, MC SE sqrt(0.75 x 0.25 / 4) = 0.21651.
  const r = rate([true, false, true, true]);
  assert.equal(r.count, 3);
  assert.equal(r.rate, 0.75);
  close(r.mcse, Math.sqrt((0.75 * 0.25) / 4), 1e-15, "mcse");
  // 1, 2, 3, 4: mean 2.5, SD sqrt(5/3); R quantile type 7: 1.75, 2.5, 3.25.
  const d = distribution([4, 1, 3, 2], "x");
  assert.equal(d.mean, 2.5);
  close(d.sd, Math.sqrt(5 / 3), 1e-15, "sd");
  assert.deepEqual([d.min, d.q1, d.median, d.q3, d.max], [1, 1.75, 2.5, 3.25, 4]);
  assert.throws(() => distribution([], "the test AUC"), /no value of the test AUC/);
});

test("end to end: two small replicates through extraction and the study pipeline", async () => {
  const run = await runSimulation(
    { informative: 1, effect: 2, centreShift: 0.5, n: 20, replicates: 2, seed: 3, truthN: 20 },
    { jobs: 1, progress: false, log: () => {}, createdAt: "2026-01-01T00:00:00Z" },
  );
  assert.equal(run.replicates.length + run.failures.length, 2);
  assert.deepEqual(run.failures, []);
  assert.equal(run.seeds.replicates.length, 2);
  assert.equal(run.truth.n, 20);
  assert.equal(run.truth.extracted, true);
  for (const o of run.replicates) {
    assert.deepEqual(o.training, { n: 20, events: o.training.events });
    assert.equal(o.test.n, 20);
    assert.ok(o.testAucLower <= o.testAuc && o.testAuc <= o.testAucUpper);
    assert.ok(o.testAucLower >= 0 && o.testAucUpper <= 1);
    assert.ok(o.selected.length >= 1);
    for (const f of o.selected) assert.match(f, /^original_[a-z0-9]+_[A-Za-z0-9]+_(T2|DCE2)$/);
    assert.equal(o.coversTrueAuc, o.testAucLower <= o.trueAuc && o.trueAuc <= o.testAucUpper);
    assert.ok(o.modelAuc !== null && o.modelAuc >= 0 && o.modelAuc <= 1);
    assert.ok(o.signalCorrelation !== null && Math.abs(o.signalCorrelation) <= 1);
    assert.deepEqual(
      o.recovery?.properties.map((p) => p.property),
      ["intensity"],
    );
  }
  const s = run.summary;
  assert.equal(s.completed, 2);
  assert.equal(s.testAuc.n, 2);
  assert.ok(s.recovery !== null);
  assert.equal(s.coverageTrueAuc.n, 2);
  assert.match(run.markdown, /\| 95% CI covers the true AUC \| \d+ % \(\d\/2;/);
  assert.match(run.markdown, /planted signal recovered/);
  assert.ok(run.timings.some((t) => t.stage === "replicates: study pipeline"));
});
