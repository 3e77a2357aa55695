/**
 * Reporting checklists pre-filled from a run: TRIPOD+AI (Collins et al., BMJ 2024;385:e078378)
 * and CLEAR (Kocak et al., Insights Imaging 2023;14:75). Structure: every item number of each
 * published checklist once, in the published order (the lists below are written by hand from
 * the two publications). Content: a small synthetic run (three centres, a second reader for three
 * training patients, a missing clinical value, one parameter file) whose sizes, centres, events
 * per variable, settings and performance are checked against values worked out by hand in the
 * comments; items only the authors know stay marked, never filled; a run without a second reader,
 * and a result without the run's description, say what they lack. Markdown and HTML render every
 * item once, escaped, with nothing loaded from outside the page.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  buildChecklists,
  type Checklist,
  type ChecklistItem,
  CLEAR_ITEMS,
  checklistCounts,
  checklistMarkdownFiles,
  checklistsHtml,
  checklistToMarkdown,
  describeStudy,
  type StudyDescription,
  TO_COMPLETE,
  TRIPOD_AI_ITEMS,
} from "../src/report/checklists/index.js";
import { itemTable } from "../src/report/checklists/run-facts.js";
import { buildReport } from "../src/report/html.js";
import { parseCohortManifest } from "../src/study/cohort.js";
import { parseStudyConfig } from "../src/study/config.js";
import type { StudyResult } from "../src/study/result.js";

/** TRIPOD+AI's items and sub-items in the published order (27 items, 52 rows). */
const TRIPOD_AI_IDS = [
  "1",
  "2",
  "3a",
  "3b",
  "3c",
  "4",
  "5a",
  "5b",
  "6a",
  "6b",
  "6c",
  "7",
  "8a",
  "8b",
  "8c",
  "9a",
  "9b",
  "9c",
  "10",
  "11",
  "12a",
  "12b",
  "12c",
  "12d",
  "12e",
  "12f",
  "12g",
  "13",
  "14",
  "15",
  "16",
  "17",
  "18a",
  "18b",
  "18c",
  "18d",
  "18e",
  "18f",
  "19",
  "20a",
  "20b",
  "20c",
  "21",
  "22",
  "23a",
  "23b",
  "24",
  "25",
  "26",
  "27a",
  "27b",
  "27c",
];

/** CLEAR v1.0: items 1 to 58. */
const CLEAR_IDS = Array.from({ length: 58 }, (_, k) => String(k + 1));

// The synthetic cohort. Training: centre North 8 patients (3 pCR), centre East 6 (2 pCR), so
// n = 14 with 5 pCR and 9 non-pCR; test: centre South 7 (4 pCR). ki67 is missing ('NA') for one
// training patient (N2) and two test patients (S1, S2). A second reader re-segmented N1-N3.
const MANIFEST_ROWS: [string, string, string, string, string, string][] = [
  ["N1", "North", "1", "50", "1", "r2"],
  ["N2", "North", "1", "51", "NA", "r2"],
  ["N3", "North", "1", "52", "0", "r2"],
  ["N4", "North", "0", "53", "0", ""],
  ["N5", "North", "0", "54", "1", ""],
  ["N6", "North", "0", "55", "0", ""],
  ["N7", "North", "0", "56", "1", ""],
  ["N8", "North", "0", "57", "0", ""],
  ["E1", "East", "1", "60", "1", ""],
  ["E2", "East", "1", "61", "0", ""],
  ["E3", "East", "0", "62", "0", ""],
  ["E4", "East", "0", "63", "1", ""],
  ["E5", "East", "0", "64", "0", ""],
  ["E6", "East", "0", "65", "1", ""],
  ["S1", "South", "1", "40", "NA", ""],
  ["S2", "South", "1", "41", "NA", ""],
  ["S3", "South", "1", "42", "1", ""],
  ["S4", "South", "1", "43", "0", ""],
  ["S5", "South", "0", "44", "1", ""],
  ["S6", "South", "0", "45", "0", ""],
  ["S7", "South", "0", "46", "1", ""],
];

function manifestText(withSecondReader: boolean): string {
  const header = `id,site,pcr,age,ki67,t2,t2_mask${withSecondReader ? ",t2_mask2" : ""}`;
  const rows = MANIFEST_ROWS.map(([id, site, pcr, age, ki67, r2]) =>
    [
      id,
      site,
      pcr,
      age,
      ki67,
      `${id}.nrrd`,
      `${id}_mask.nrrd`,
      ...(withSecondReader ? [r2 ? `${id}_mask2.nrrd` : ""] : []),
    ].join(","),
  );
  return `${[header, ...rows].join("\n")}\n`;
}

function studyYaml(withSecondReader: boolean): string {
  return `title: "Pipes | and <tags>"
cohort:
  manifest: cohort.csv
  centre: site
  role:
    byCentre:
      training: [North, East]
      test: [South]
  outcome:
    column: pcr
  sequences:
    T2:
      image: t2
      mask: t2_mask
${withSecondReader ? "      mask2: t2_mask2\n" : ""}      params: t2.yaml
  clinical:
    age: {type: continuous}
    ki67: {type: binary, label: "Ki-67 >=20%"}
preprocessing:
  icc: {threshold: 0.8}
selection:
  lasso: {lambda: lambda.1se}
`;
}

const PARAMS = `setting:
  binWidth: 16
  resampledPixelSpacing: [1, 1, 2]
  interpolator: sitkLinear
imageType:
  Original: {}
  LoG:
    sigma: [1.5, 3.0]
featureClass:
  firstorder:
  glcm:
`;

/** 60 feature names: 2 image types x (10 firstorder + 20 glcm), all on T2. */
function featureNames(): string[] {
  const names: string[] = [];
  for (const it of ["original", "log-sigma-1-5-mm-3D"]) {
    for (let k = 0; k < 10; k++) names.push(`${it}_firstorder_F${k}_T2`);
    for (let k = 0; k < 20; k++) names.push(`${it}_glcm_G${k}_T2`);
  }
  return names;
}

function description(withSecondReader: boolean): StudyDescription {
  const config = parseStudyConfig(studyYaml(withSecondReader));
  const cohort = parseCohortManifest(manifestText(withSecondReader), config);
  const names = featureNames();
  const term = (t: string) => ({ term: t, column: t, level: null });
  return describeStudy({
    config,
    cohort,
    features: { names, sequences: names.map(() => "T2") },
    reader2: withSecondReader ? { ids: ["N1", "N2", "N3"] } : null,
    model: {
      software: { radscore: "0.1.0", node: "20.0.0" },
      extraction: { T2: { paramsText: PARAMS, label: 1 } },
      thresholds: { clinical: 0.5, radiomics: -0.25, nomogram: 0.6 },
      radscore: { source: "lasso", intercept: 0.1, coefficients: [0.5, -0.25] },
      clinicalModel: { predictors: ["age"], terms: [term("age")], coefficients: [0, 0.1] },
      nomogramModel: {
        predictors: ["age", "radscore"],
        terms: [term("age"), term("radscore")],
        coefficients: [0, 0.1, 1],
      },
    },
    details: {
      forced: [],
      multivariablePredictors: ["age"],
      clinical: { nObs: 13 },
      nomogram: { nObs: 13 },
    },
  });
}

/** The synthetic run's result (numbers chosen so that each printed value is worked by hand). */
function smallResult(withSecondReader = true): StudyResult {
  const grid = [0.1, 0.3, 0.5, 0.7, 0.9];
  const perf = (cohort: "training" | "test", model: "radiomics" | "nomogram") => ({
    cohort,
    model,
    auc: 0.8123,
    aucLower: 0.6012,
    aucUpper: 0.9988,
    threshold: model === "radiomics" ? -0.25 : 0.6,
    // training: sensitivity 4/5, specificity 7/9, accuracy 11/14, PPV 4/6, NPV 7/8.
    sensitivity: 0.8,
    specificity: 7 / 9,
    accuracy: 11 / 14,
    ppv: 4 / 6,
    npv: 7 / 8,
    ...(cohort === "training" && model === "radiomics"
      ? {
          bootstrap: {
            replicates: 500,
            auc: [0.61, 0.97] as [number, number],
            sensitivity: [0.6, 1] as [number, number],
            specificity: [0.5, 1] as [number, number],
            accuracy: [0.6, 0.9] as [number, number],
            ppv: [0.4, 1] as [number, number],
            npv: [0.6, 1] as [number, number],
          },
        }
      : {}),
  });
  return {
    title: "Pipes | and <tags>",
    createdAt: "2026-03-04T05:06:07.000Z",
    radscoreVersion: "0.1.0",
    cohortSizes: [
      { cohort: "training", n: 14, nEvent: 5 },
      { cohort: "test", n: 7, nEvent: 4 },
    ],
    table1: (["training", "test"] as const).map((cohort) => ({
      cohort,
      nEvent: cohort === "training" ? 5 : 4,
      nNonevent: cohort === "training" ? 9 : 3,
      rows: [
        {
          variable: "age",
          kind: "continuous" as const,
          level: null,
          event: "51.0 ± 1.0",
          nonevent: "55.0 ± 2.0",
          test: "t",
          statistic: -1.5,
          p: 0.15,
        },
      ],
    })),
    table2: [
      {
        term: "age",
        univariable: { or: 1.1, lower: 0.9, upper: 1.3, p: 0.2 },
        multivariable: { or: 1.1, lower: 0.9, upper: 1.3, p: 0.2 },
      },
    ],
    table3: [perf("training", "radiomics"), perf("training", "nomogram"), perf("test", "nomogram")],
    table4: [{ cohort: "test", modelA: "radiomics", modelB: "nomogram", z: -2.1, p: 0.0357 }],
    roc: (["training", "test"] as const).flatMap((cohort) =>
      (["clinical", "radiomics", "nomogram"] as const).map((model) => ({
        cohort,
        model,
        auc: 0.75,
        fpr: [0, 0, 0.5, 0.5, 1],
        tpr: [0, 0.5, 0.5, 1, 1],
      })),
    ),
    calibration: (["training", "test"] as const).map((cohort) => ({
      cohort,
      model: "nomogram" as const,
      predicted: grid,
      apparent: grid.map((p) => p * 0.9 + 0.05),
      biasCorrected: cohort === "training" ? grid.map((p) => p * 0.8 + 0.1) : null,
      statistics: (cohort === "training"
        ? { "HL p": 0.4567, Slope: 1, "bootstrap B used": 150 }
        : { "HL p": 0.0004, Slope: 0.5 }) as Record<string, number>,
    })),
    decision: (["training", "test"] as const).map((cohort) => ({
      cohort,
      thresholds: [0.1, 0.2, 0.3],
      // Above both treat-all and treat-none at 0.2 (0.4 > 0.3) and 0.3 (0.3 > 0), not at 0.1.
      models: [{ model: "nomogram" as const, netBenefit: [0.5, 0.4, 0.3] }],
      treatAll: [0.55, 0.3, -0.2],
      treatNone: [0, 0, 0],
    })),
    nomogram: {
      axes: [
        { name: "age", labels: ["40", "60"], points: [0, 100] },
        { name: "radscore", labels: ["-1", "1"], points: [0, 80] },
      ],
      totalPoints: { values: [0, 90, 180] },
      probability: { values: [0.1, 0.5, 0.9], points: [20, 90, 160] },
    },
    lasso: {
      logLambda: [-1, -2, -3, -4],
      paths: [
        { feature: "original_firstorder_F0_T2", coefficients: [0, 0.1, 0.3, 0.5] },
        { feature: "log-sigma-1-5-mm-3D_glcm_G3_T2", coefficients: [0, 0, -0.2, -0.25] },
      ],
      cvMean: [1.3, 1.1, 1.0, 1.05],
      cvSd: [0.05, 0.05, 0.05, 0.05],
      measure: "binomial deviance",
      lambdaMin: 0.0498,
      lambda1se: 0.1353,
      chosen: "lambda.1se",
    },
    selectedFeatures: [
      { feature: "original_firstorder_F0_T2", sequence: "T2", coefficient: 0.5 },
      { feature: "log-sigma-1-5-mm-3D_glcm_G3_T2", sequence: "T2", coefficient: -0.25 },
    ],
    funnel: [
      { step: "extracted", count: 60 },
      { step: "non-constant in training", count: 58 },
      ...(withSecondReader ? [{ step: "ICC (ICC2 >= 0.8)", count: 40 }] : []),
      { step: "f_classif p < 0.05", count: 25 },
      { step: "LASSO (lambda.1se)", count: 2 },
      { step: "Rad-score features", count: 2 },
    ],
    timings: [{ stage: "LASSO", seconds: 0.5 }],
    warnings: [
      "2 feature(s) constant in training were dropped",
      ...(withSecondReader ? [] : ["ICC filter skipped: no second-reader data"]),
    ],
  };
}

function item(checklist: Checklist, id: string): ChecklistItem {
  const found = checklist.items.find((i) => i.id === id);
  assert.ok(found, `${checklist.name} item ${id} missing`);
  return found;
}

/** The answer text of an item (fails when the run left it to the authors). */
function answer(checklist: Checklist, id: string): string {
  const a = item(checklist, id).answer;
  assert.ok(a !== null, `${checklist.name} ${id} has no answer`);
  return a;
}

function includes(text: string, part: string): void {
  assert.ok(text.includes(part), `expected «${part}» in «${text}»`);
}

const fullRun = () => {
  const [tripod, clear] = buildChecklists(smallResult(), { study: description(true) });
  return { tripod: tripod!, clear: clear! };
};

test("every item of TRIPOD+AI (52 rows, items 1-27) and CLEAR (58) once, in the published order", () => {
  assert.deepEqual(
    TRIPOD_AI_ITEMS.map((i) => i.id),
    TRIPOD_AI_IDS,
  );
  assert.deepEqual(
    CLEAR_ITEMS.map((i) => i.id),
    CLEAR_IDS,
  );
  const main = new Set(TRIPOD_AI_IDS.map((id) => Number.parseInt(id, 10)));
  assert.deepEqual(
    [...main],
    Array.from({ length: 27 }, (_, k) => k + 1),
  );
  const { tripod, clear } = fullRun();
  assert.deepEqual(
    tripod.items.map((i) => i.id),
    TRIPOD_AI_IDS,
  );
  assert.deepEqual(
    clear.items.map((i) => i.id),
    CLEAR_IDS,
  );
  for (const c of [tripod, clear]) {
    for (const i of c.items) {
      assert.ok(i.requirement.length > 10 && i.topic.length > 0, `${c.name} ${i.id} wording`);
      // Each status is consistent: an answer with sources unless the authors answer the item.
      if (i.status === "authors") assert.ok(i.answer === null && !!i.toComplete);
      else assert.ok(i.answer && i.sources.length > 0, `${c.name} ${i.id} sources`);
      assert.equal(i.status === "partial", i.answer !== null && i.toComplete !== null);
    }
    const n = checklistCounts(c);
    assert.equal(n.prefilled + n.partial + n.authors, n.items);
  }
  // CLEAR's two "not essential" items say so.
  assert.match(item(clear, "53").topic, /not essential/);
  assert.match(item(clear, "58").topic, /not essential/);
});

test("an item table refuses a typo in an answer's item number and a repeated item", () => {
  const fill = () => null;
  assert.throws(() => itemTable("1 | S | T | R | a", { "2": fill }, "X"), /unknown item\(s\) 2/);
  assert.throws(
    () => itemTable("1 | S | T | R | a\n1 | S | T | R | b", {}, "X"),
    /item 1 appears twice/,
  );
  assert.throws(() => itemTable("1 | S | T | R", {}, "X"), /expected 5 fields/);
});

test("centres, sizes and events per cohort appear as given", () => {
  const { tripod, clear } = fullRun();
  includes(
    answer(tripod, "6a"),
    "3 centres: centre 'North' → training (n = 8, pCR 3); centre 'East' → training (n = 6, pCR 2); centre 'South' → test (n = 7, pCR 4).",
  );
  // 5/14 = 35.7%, 4/7 = 57.1%.
  includes(
    answer(tripod, "20a"),
    "training n = 14 (pCR 5, 35.7%; non-pCR 9); test n = 7 (pCR 4, 57.1%; non-pCR 3)",
  );
  includes(answer(tripod, "5a"), "the training cohort from centres 'North' and 'East'");
  includes(answer(tripod, "5a"), "the test cohort from centre 'South'");
  // External: South gave no training patient.
  includes(answer(tripod, "12a"), "external validation: another centre");
  includes(
    answer(clear, "38"),
    "External testing: the test cohort (n = 7) comes from 1 centre ('South') that contributed no training patient",
  );
  includes(answer(tripod, "16"), "Outcome prevalence: training 35.7% pCR versus test 57.1% pCR.");
  includes(answer(tripod, "8a"), "from the manifest column 'pcr', cell '1' = pCR, '0' = non-pCR");
});

test("events per variable = the smaller outcome class in training / each model's parameters", () => {
  const { tripod, clear } = fullRun();
  // Training: 5 pCR < 9 non-pCR, so 5 limits. Rad-score 2 features: 5 / 2 = 2.5; clinical model
  // 1 term (age): 5 / 1 = 5.0; nomogram 2 terms (age, radscore): 5 / 2 = 2.5; 25 candidates
  // entered LASSO (the funnel step before it): 5 / 25 = 0.2.
  const expected =
    "Events per variable in training, with the smaller outcome class (pCR, 5 of 14): Rad-score (selected features): 5 / 2 = 2.5; clinical model (terms): 5 / 1 = 5.0; nomogram (terms): 5 / 2 = 2.5; candidate features entering LASSO: 5 / 25 = 0.2.";
  includes(answer(tripod, "10"), expected);
  includes(answer(clear, "9"), expected);
  // When non-events are fewer they limit: 20 training patients with 14 events -> 6 non-events;
  // 3 Rad-score features: 6 / 3 = 2.0.
  const r = smallResult();
  r.cohortSizes[0] = { cohort: "training", n: 20, nEvent: 14 };
  r.selectedFeatures.push({ feature: "original_glcm_G1_T2", sequence: "T2", coefficient: 0.1 });
  const [t] = buildChecklists(r);
  includes(answer(t!, "10"), "(non-pCR, 6 of 20): Rad-score (selected features): 6 / 3 = 2.0");
});

test("missing data, readers, ICC, extraction settings and selection come from the run's description", () => {
  const { tripod, clear } = fullRun();
  // ki67: N2 in training, S1 and S2 in test.
  const missing = item(tripod, "11");
  assert.equal(missing.status, "partial");
  includes(
    missing.answer!,
    "Clinical variables with missing cells: Ki-67 >=20% (training 1, test 2)",
  );
  includes(missing.toComplete!, "why the values are missing");
  includes(answer(tripod, "9c"), "A second reader segmented 3 patients (3 training, 0 test) on T2");
  const icc = answer(clear, "31");
  includes(icc, "on the 3 training patients segmented twice");
  includes(icc, "ICC2 (two-way random effects, absolute agreement, single rater");
  includes(icc, "features with an ICC estimate >= 0.8 kept: 40 of 58.");
  includes(
    answer(clear, "22"),
    "Resampled to 1 x 1 x 2 mm (0 keeps an axis' spacing) with sitkLinear, the mask by nearest neighbour, padding 5 voxels.",
  );
  includes(
    answer(clear, "23"),
    "Fixed bin width 16, bin edges at multiples of the width (PyRadiomics).",
  );
  includes(answer(clear, "24"), "Original; LoG (sigma 1.5, 3 mm).");
  includes(
    answer(clear, "21"),
    "(PyRadiomics mode). No intensity normalisation; resampled to 1 x 1 x 2 mm",
  );
  includes(
    answer(clear, "25"),
    "PyRadiomics mode: PyRadiomics' feature definitions, reproducing PyRadiomics 3.1.0-111 (commit 8ed5793)",
  );
  includes(
    answer(clear, "25"),
    "radscore's IBSI-compliant mode (radscore extract --standard ibsi) was not used",
  );
  includes(answer(clear, "25"), "Features are 3D; configuration: t2.yaml (T2).");
  // 2 image types x 10 firstorder and x 20 glcm features.
  includes(
    answer(clear, "26"),
    "firstorder (IBSI: intensity statistics), glcm (IBSI: grey level co-occurrence matrix)",
  );
  includes(answer(clear, "26"), "firstorder 20, glcm 40");
  includes(
    answer(clear, "27"),
    "60 features per patient; per sequence: T2 60; per image type: original 30, log-sigma-1-5-mm-3D 30.",
  );
  includes(
    answer(clear, "28"),
    "t2.yaml sets binWidth, resampledPixelSpacing and interpolator; every other setting is PyRadiomics' default",
  );
  includes(
    answer(clear, "32"),
    "min-max to [0, 1] ((x - min) / (max - min)), fitted on the training patients and applied unchanged to the test patients",
  );
  const selection = answer(clear, "33");
  includes(selection, "ANOVA F-test (scikit-learn f_classif) on the scaled features, P < 0.05");
  includes(
    selection,
    "LASSO logistic regression (glmnet binomial) with 10-fold cross-validation, lambda.1se",
  );
  includes(
    selection,
    "Counts: 60 extracted → 58 non-constant in training → 40 ICC (ICC2 >= 0.8) → 25 f_classif p < 0.05 → 2 LASSO (lambda.1se) → 2 Rad-score features.",
  );
  includes(answer(clear, "35"), "lambda.min = 0.04980, lambda.1se = 0.1353; lambda.1se used");
  includes(answer(tripod, "15"), "radiomics Rad-score >= -0.250; nomogram probability >= 0.600");
  includes(answer(clear, "34"), "radscore 0.1.0, node 20.0.0");
});

test("performance with CIs, calibration, DeLong and decision curves", () => {
  const { tripod, clear } = fullRun();
  const perf = answer(tripod, "23a");
  // AUC 0.8123 -> 0.812; specificity 7/9 = 0.7778 -> 0.778; accuracy 11/14 = 0.7857 -> 0.786;
  // PPV 4/6 -> 0.667; NPV 7/8 = 0.875.
  includes(
    perf,
    "radiomics AUC 0.812 (95% CI 0.601-0.999 DeLong; bootstrap 0.610-0.970), sensitivity 0.800 (95% CI 0.600-1.000), specificity 0.778 (95% CI 0.500-1.000)",
  );
  includes(
    perf,
    "nomogram AUC 0.812 (95% CI 0.601-0.999 DeLong), sensitivity 0.800, specificity 0.778, accuracy 0.786, PPV 0.667, NPV 0.875",
  );
  includes(perf, "bootstrap bias-corrected curves (B = 150) for training nomogram");
  includes(
    perf,
    "training nomogram: Hosmer-Lemeshow P 0.457, slope 1.000; test nomogram: Hosmer-Lemeshow P <0.001, slope 0.500",
  );
  includes(perf, "nomogram above both at 2 of 3 thresholds (between 0.2 and 0.3)");
  // No-information rate: max(5, 9) / 14 = 0.643.
  includes(answer(clear, "47"), "training (no-information rate 0.643)");
  // TP = 0.8 x 5 = 4, FN 1, TN = 7/9 x 9 = 7, FP 2.
  const comparison = answer(clear, "48");
  includes(comparison, "training radiomics TP 4, FN 1, TN 7, FP 2");
  includes(comparison, "test radiomics vs nomogram: Z -2.100, P 0.036");
  includes(
    answer(clear, "40"),
    "95% bootstrap intervals of the AUC and of sensitivity, specificity, accuracy, PPV and NPV at the training cut-off (500 stratified bootstrap resamples after R set.seed(20250101)",
  );
  includes(answer(tripod, "12f"), "No model updating or recalibration");
});

test("items the run cannot know are marked for the authors, never filled", () => {
  const { tripod, clear } = fullRun();
  for (const id of [
    "2",
    "3a",
    "5b",
    "6b",
    "6c",
    "8b",
    "8c",
    "14",
    "17",
    "18a",
    "18b",
    "18c",
    "18d",
    "19",
    "25",
    "27c",
  ]) {
    const i = item(tripod, id);
    assert.equal(i.status, "authors", `TRIPOD+AI ${id}`);
    assert.equal(i.answer, null);
    assert.deepEqual(i.sources, []);
  }
  includes(item(tripod, "17").toComplete!, "ethics committee");
  includes(item(tripod, "18d").toComplete!, "registration");
  includes(item(tripod, "18a").toComplete!, "funding");
  // The sample size is described, its rationale left to the authors.
  const size = item(tripod, "10");
  assert.equal(size.status, "partial");
  includes(size.toComplete!, "how the study size was arrived at");
  for (const id of ["2", "3", "4", "5", "8", "10", "11", "14", "16", "36", "49", "50", "51", "53"])
    assert.equal(item(clear, id).status, "authors", `CLEAR ${id}`);
  const md = checklistToMarkdown(tripod, smallResult());
  includes(
    md,
    `| 17 | Ethical approval | Name the ethics committee that approved the study and describe consent or its waiver. | authors | **${TO_COMPLETE}:** the ethics committee, approval number and consent or waiver. |  |`,
  );
});

test("a run without a second reader says so instead of inventing one", () => {
  const [tripod, clear] = buildChecklists(smallResult(false), { study: description(false) });
  const readers = answer(tripod!, "9c");
  includes(
    readers,
    "No second reader in this run: no inter-reader reproducibility analysis was possible.",
  );
  assert.ok(!readers.includes("second reader segmented"));
  const reliability = item(clear!, "31");
  assert.equal(reliability.status, "prefilled");
  includes(
    reliability.answer!,
    "No second reader in this run: no segmentation reliability analysis was done",
  );
  includes(
    answer(clear!, "33"),
    "Counts: 60 extracted → 58 non-constant in training → 25 f_classif p < 0.05",
  );
  assert.ok(!answer(clear!, "33").includes("ICC2"));
});

test("a result without the run's description pre-fills less and marks the rest", () => {
  const [tripod, clear] = buildChecklists(smallResult());
  assert.equal(item(tripod!, "6a").status, "authors");
  includes(item(tripod!, "5a").toComplete!, "the centres of each cohort");
  assert.ok(!answer(tripod!, "5a").includes("centre"));
  for (const id of ["22", "23", "24", "25", "26", "28", "32"])
    assert.equal(item(clear!, id).status, "authors", `CLEAR ${id}`);
  // What the result alone knows is still there: the funnel's ICC step, the performance.
  includes(answer(tripod!, "9c"), "inter-reader ICC filter (ICC (ICC2 >= 0.8))");
  includes(answer(tripod!, "23a"), "radiomics AUC 0.812 (95% CI 0.601-0.999 DeLong");
  const full = fullRun();
  assert.ok(checklistCounts(tripod!).authors > checklistCounts(full.tripod).authors);
});

test("Markdown: one row per item in order, pipes escaped, both files", () => {
  const result = smallResult();
  const files = checklistMarkdownFiles(result, { study: description(true) });
  assert.deepEqual(Object.keys(files), ["checklist-tripod-ai.md", "checklist-clear.md"]);
  for (const [name, ids] of [
    ["checklist-tripod-ai.md", TRIPOD_AI_IDS],
    ["checklist-clear.md", CLEAR_IDS],
  ] as const) {
    const md = files[name]!;
    const rowIds = md
      .split("\n")
      .filter((l) => /^\| \d+[a-g]? \| /.test(l))
      .map((l) => l.split(" | ")[0]!.slice(2));
    assert.deepEqual(rowIds, ids, name);
    // The title's pipe does not split a cell: it is in a plain line, and cells escape theirs.
    includes(md, "Study: Pipes | and <tags>");
    for (const l of md.split("\n").filter((x) => x.startsWith("| ") && !x.startsWith("| Item"))) {
      const cells = l.replace(/\\\|/g, "").split("|").length - 2;
      if (!l.startsWith("|---")) assert.equal(cells, 6, l);
    }
  }
  includes(files["checklist-clear.md"]!, "58 items: ");
});

test("HTML: the section renders every item, escaped, and report.html carries it with nothing external", async () => {
  const result = smallResult();
  const study = description(true);
  const checklists = buildChecklists(result, { study });
  const html = checklistsHtml(checklists, result);
  assert.equal((html.match(/<tr class="status-/g) ?? []).length, 52 + 58);
  includes(html, 'id="checklist-tripod-ai"');
  includes(html, 'id="checklist-clear"');
  includes(html, "Ki-67 &gt;=20%");
  assert.ok(!html.includes("Ki-67 >=20%"));
  const report = await buildReport({ ...result, study } as StudyResult);
  includes(report.html, '<section id="checklists">');
  includes(report.html, "Reporting checklists");
  includes(
    report.html,
    "Clinical variables with missing cells: Ki-67 &gt;=20% (training 1, test 2)",
  );
  assert.ok(!/<script|<link|<iframe|<img|@import/i.test(report.html));
  for (const m of report.html.matchAll(/\s(?:src|href|xlink:href)\s*=\s*"([^"]*)"/gi))
    assert.ok(m[1]!.startsWith("#"), `non-local reference ${m[1]}`);
  const ids = [...report.html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(new Set(ids).size, ids.length, "duplicate ids in report.html");
  // Without the description (a result as result.json stores it today) the section still renders.
  const plain = await buildReport(result);
  includes(plain.html, "Reporting checklists");
  includes(plain.html, TO_COMPLETE);
});

test("the fit of each model (maximum likelihood, Firth, LASSO) is reported when the result records it", () => {
  const ml = { method: "ml", reason: "no separation", separation: "none" };
  const firth = {
    method: "firth",
    reason: "quasi-complete separation under maximum likelihood",
    separation: "quasi-complete",
  };
  const result = {
    ...smallResult(),
    fitMethods: {
      clinical: ml,
      radiomics: { method: "lasso", reason: "LASSO linear predictor", separation: "none" },
      nomogram: firth,
      multivariable: ml,
      univariable: { age: ml },
    },
  } as StudyResult;
  const [tripod, clear] = buildChecklists(result, { study: description(true) });
  includes(
    answer(tripod!, "12c"),
    "Estimation: the clinical model maximum likelihood (R glm) (no separation); the radiomics model (Rad-score) the LASSO's coefficients, no refit (LASSO linear predictor); the nomogram Firth's penalised likelihood (R logistf) (quasi-complete separation under maximum likelihood).",
  );
  includes(
    answer(clear!, "40"),
    "odds ratios with 95% Wald intervals for maximum-likelihood fits and profile penalised-likelihood intervals for Firth fits (Table 2)",
  );
  // Without the record the intervals are Wald's (as the pipeline computed them before Firth).
  includes(answer(fullRun().clear, "40"), "odds ratios with 95% Wald intervals (Table 2)");
});
