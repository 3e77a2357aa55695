/**
 * Study report: number formatting (P values as journals print them, R sprintf-style rounding),
 * the tables' exact Markdown and CSV for a small hand-made StudyResult (expected text written by
 * hand from the formatting rules; rounding cases checked against C printf), and the HTML page
 * (every table and figure present, nothing loaded from outside the page).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildReport } from "../src/report/html.js";
import { formatFixed, formatOddsRatio, formatP, formatStatistic } from "../src/report/format.js";
import {
  buildTables,
  table1Tables,
  table2Table,
  table3Table,
  table4Table,
  tableToCsv,
  tableToMarkdown,
} from "../src/report/tables.js";
import type { StudyResult } from "../src/study/result.js";

/** A small, complete StudyResult: 5 training patients (3 pCR), 4 test patients (2 pCR). */
function smallStudyResult(): StudyResult {
  const grid = [0.1, 0.3, 0.5, 0.7, 0.9];
  return {
    title: "Small & simple <study>",
    createdAt: "2026-01-02T03:04:05.000Z",
    radscoreVersion: "0.1.0",
    cohortSizes: [
      { cohort: "training", n: 5, nEvent: 3 },
      { cohort: "test", n: 4, nEvent: 2 },
    ],
    table1: [
      {
        cohort: "training",
        nEvent: 3,
        nNonevent: 2,
        rows: [
          {
            variable: "Age (years)",
            kind: "continuous",
            level: null,
            event: "50.0 ± 5.0",
            nonevent: "55.0 ± 4.0",
            test: "t-test",
            statistic: -1.2345,
            p: 0.2712,
          },
          {
            variable: "Diameter (mm)",
            kind: "continuous",
            level: null,
            event: "31.0 (24.0, 40.5)",
            nonevent: "35.5 (27.3, 48.0)",
            test: "Mann-Whitney U",
            statistic: 4,
            p: 0.00042,
          },
          {
            variable: "Ki-67",
            kind: "categorical",
            level: "<20%",
            event: "1 (33.3)",
            nonevent: "2 (100.0)",
            test: "Chi-square",
            statistic: 1.875,
            p: 0.1709,
          },
          {
            variable: "Ki-67",
            kind: "categorical",
            level: ">=20%",
            event: "2 (66.7)",
            nonevent: "0 (0.0)",
            test: null,
            statistic: null,
            p: null,
          },
        ],
      },
    ],
    table2: [
      {
        term: "Ki-67",
        univariable: { or: 5.4321, lower: 1.5, upper: 19.994, p: 0.0072 },
        multivariable: { or: 3.905, lower: 1.02, upper: 15, p: 0.047 },
      },
      {
        term: "Rad-score",
        univariable: { or: 150000, lower: 1234.5, upper: 2e7, p: 1e-5 },
        multivariable: null,
      },
      {
        term: "Tiny",
        univariable: { or: 0.0042, lower: 0.00051, upper: 0.034, p: 0.9996 },
        multivariable: null,
      },
    ],
    table3: [
      {
        cohort: "training",
        model: "nomogram",
        auc: 0.89412,
        aucLower: 0.79461,
        aucUpper: 0.95561,
        threshold: 0.6,
        sensitivity: 0.8372093,
        specificity: 0.84,
        accuracy: 0.8382,
        ppv: 0.9,
        npv: 0.75,
      },
    ],
    table4: [
      { cohort: "test", modelA: "clinical", modelB: "nomogram", z: -2.9041, p: 0.00368 },
      { cohort: "test", modelA: "radiomics", modelB: "nomogram", z: 1.2449, p: 0.2131 },
    ],
    roc: (["training", "test"] as const).flatMap((cohort) =>
      (["clinical", "radiomics", "nomogram"] as const).map((model, k) => ({
        cohort,
        model,
        auc: 0.6 + 0.1 * k,
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
      statistics: { Brier: 0.15341, Slope: 0.93215, "S:p": 0.00031 },
    })),
    decision: (["training", "test"] as const).map((cohort) => ({
      cohort,
      thresholds: [0.1, 0.2, 0.3],
      models: [{ model: "nomogram" as const, netBenefit: [0.5, 0.4, 0.3] }],
      treatAll: [0.55, 0.5, -0.2],
      treatNone: [0, 0, 0],
    })),
    nomogram: {
      axes: [
        { name: "Ki-67", labels: ["<20%", ">=20%"], points: [0, 40] },
        { name: "Rad-score", labels: ["-2", "0", "2"], points: [0, 50, 100] },
      ],
      totalPoints: { values: [0, 50, 100, 150] },
      probability: { values: [0.1, 0.5, 0.9], points: [20, 70, 120] },
    },
    lasso: {
      logLambda: [-1, -2, -3, -4],
      paths: [
        { feature: "f1", coefficients: [0, 0.1, 0.3, 0.5] },
        { feature: "f2", coefficients: [0, 0, -0.2, -0.4] },
      ],
      cvMean: [1.3, 1.1, 1.0, 1.05],
      cvSd: [0.05, 0.05, 0.05, 0.05],
      measure: "deviance",
      lambdaMin: Math.exp(-3),
      lambda1se: Math.exp(-2),
      chosen: "lambda.min",
    },
    selectedFeatures: [
      { feature: "f2", sequence: "DWI", coefficient: -0.4 },
      { feature: "f1", sequence: "T2", coefficient: 0.5 },
    ],
    funnel: [
      { step: "Extracted", count: 100 },
      { step: "LASSO", count: 2 },
    ],
    timings: [
      { stage: "Extraction", seconds: 12.34 },
      { stage: "Models", seconds: 0.5 },
    ],
    warnings: ["A <warning> & more"],
  };
}

test("formatP prints P as journals do (3 decimals, <0.001, R NA)", () => {
  assert.equal(formatP(0.2712), "0.271");
  assert.equal(formatP(0.001), "0.001");
  assert.equal(formatP(0.00099), "<0.001");
  assert.equal(formatP(0), "<0.001");
  assert.equal(formatP(1e-300), "<0.001");
  assert.equal(formatP(1), "1.000");
  // sprintf("%.3f") on the stored double: 0.0495 is 0.04950000000000000233… → "0.050";
  // 0.9995 is 0.99950000000000005506… → "1.000" (R sprintf and Python "%.3f" agree).
  assert.equal(formatP(0.0495), "0.050");
  assert.equal(formatP(0.9995), "1.000");
  assert.equal(formatP(null), "");
  assert.equal(formatP(Number.NaN), "NA");
  assert.throws(() => formatP(1.2), /outside \[0, 1\]/);
  assert.throws(() => formatP(-0.01), /outside \[0, 1\]/);
});

test("number formats: fixed (printf rounding, no negative zero), OR, statistics", () => {
  assert.equal(formatFixed(3.905, 2), "3.90"); // printf("%.2f", 3.905) = 3.90
  assert.equal(formatFixed(-0.0001, 3), "0.000");
  assert.equal(formatFixed(-1.2345, 3), "-1.234"); // stored as -1.23449999…: sprintf gives -1.234
  assert.equal(formatFixed(Number.NaN, 3), "NA");
  assert.equal(formatOddsRatio(13.534), "13.53");
  assert.equal(formatOddsRatio(0.0042), "0.0042");
  assert.equal(formatOddsRatio(150000), "1.50e+05");
  assert.equal(formatStatistic(4), "4");
  assert.equal(formatStatistic(1.875), "1.875");
  assert.equal(formatStatistic(null), "");
});

test("Table 1: exact Markdown and CSV", () => {
  const [t] = table1Tables(smallStudyResult());
  assert.equal(
    tableToMarkdown(t!),
    [
      "**Table 1. Characteristics of the training cohort by pCR status**",
      "",
      "| Variable | Level | pCR (n = 3) | non-pCR (n = 2) | Test | Statistic | P |",
      "| :-- | :-- | --: | --: | :-- | --: | --: |",
      "| Age (years) |  | 50.0 ± 5.0 | 55.0 ± 4.0 | t-test | -1.234 | 0.271 |",
      "| Diameter (mm) |  | 31.0 (24.0, 40.5) | 35.5 (27.3, 48.0) | Mann-Whitney U | 4 | <0.001 |",
      "| Ki-67 | <20% | 1 (33.3) | 2 (100.0) | Chi-square | 1.875 | 0.171 |",
      "|  | >=20% | 2 (66.7) | 0 (0.0) |  |  |  |",
      "",
      "_Continuous variables: mean ± SD (t-test) or median (Q1, Q3) (Mann–Whitney U); categorical variables: n (%), with the test on the variable's first row._",
      "",
    ].join("\n"),
  );
  assert.equal(
    tableToCsv(t!),
    [
      "Variable,Level,pCR (n = 3),non-pCR (n = 2),Test,Statistic,P",
      "Age (years),,50.0 ± 5.0,55.0 ± 4.0,t-test,-1.234,0.271",
      'Diameter (mm),,"31.0 (24.0, 40.5)","35.5 (27.3, 48.0)",Mann-Whitney U,4,<0.001',
      "Ki-67,<20%,1 (33.3),2 (100.0),Chi-square,1.875,0.171",
      ",>=20%,2 (66.7),0 (0.0),,,",
      "",
    ].join("\n"),
  );
});

test("Table 2: exact Markdown and CSV (OR 2 decimals, tiny and huge ORs, not-in-model dash)", () => {
  const t = table2Table(smallStudyResult());
  assert.equal(
    tableToMarkdown(t),
    [
      "**Table 2. Univariable and multivariable logistic regression**",
      "",
      "| Variable | Univariable OR (95% CI) | P | Multivariable OR (95% CI) | P |",
      "| :-- | --: | --: | --: | --: |",
      "| Ki-67 | 5.43 (1.50, 19.99) | 0.007 | 3.90 (1.02, 15.00) | 0.047 |",
      "| Rad-score | 1.50e+05 (1234.50, 2.00e+07) | <0.001 | — |  |",
      "| Tiny | 0.0042 (0.00051, 0.03) | 1.000 | — |  |",
      "",
      "_OR, odds ratio; CI, confidence interval. —, not in the model._",
      "",
    ].join("\n"),
  );
  assert.equal(
    tableToCsv(t),
    [
      "Variable,Univariable OR (95% CI),P,Multivariable OR (95% CI),P",
      'Ki-67,"5.43 (1.50, 19.99)",0.007,"3.90 (1.02, 15.00)",0.047',
      'Rad-score,"1.50e+05 (1234.50, 2.00e+07)",<0.001,—,',
      'Tiny,"0.0042 (0.00051, 0.03)",1.000,—,',
      "",
    ].join("\n"),
  );
});

test("Table 2 refuses an OR outside its own confidence interval", () => {
  const r = smallStudyResult();
  r.table2[0]!.multivariable = { or: 13.534, lower: 30.705, upper: 59.571, p: 0.01 };
  assert.throws(() => table2Table(r), /Ki-67.*outside its CI/);
});

test("Tables 3 and 4: exact Markdown and CSV", () => {
  const r = smallStudyResult();
  assert.equal(
    tableToMarkdown(table3Table(r)).split("\n").slice(0, 5).join("\n"),
    [
      "**Table 3. Discrimination of the models**",
      "",
      "| Cohort | Model | AUC (95% CI) | Threshold | Sensitivity | Specificity | Accuracy | PPV | NPV |",
      "| :-- | :-- | --: | --: | --: | --: | --: | --: | --: |",
      "| Training | Nomogram | 0.894 (0.795, 0.956) | 0.600 | 0.837 | 0.840 | 0.838 | 0.900 | 0.750 |",
    ].join("\n"),
  );
  assert.equal(
    tableToCsv(table3Table(r)),
    "Cohort,Model,AUC (95% CI),Threshold,Sensitivity,Specificity,Accuracy,PPV,NPV\n" +
      'Training,Nomogram,"0.894 (0.795, 0.956)",0.600,0.837,0.840,0.838,0.900,0.750\n',
  );
  assert.equal(
    tableToMarkdown(table4Table(r)),
    [
      "**Table 4. Comparison of AUCs (DeLong test)**",
      "",
      "| Cohort | Comparison | Z | P |",
      "| :-- | :-- | --: | --: |",
      "| Test | Clinical model vs Nomogram | -2.904 | 0.004 |",
      "| Test | Radiomics model vs Nomogram | 1.245 | 0.213 |",
      "",
      "_Two-sided paired DeLong test of the difference between two correlated AUCs._",
      "",
    ].join("\n"),
  );
  assert.equal(
    tableToCsv(table4Table(r)),
    "Cohort,Comparison,Z,P\nTest,Clinical model vs Nomogram,-2.904,0.004\n" +
      "Test,Radiomics model vs Nomogram,1.245,0.213\n",
  );
});

test("supporting tables: calibration statistics (P columns as P), features, funnel, timings", () => {
  const tables = new Map(buildTables(smallStudyResult()).map((t) => [t.id, t]));
  assert.deepEqual(
    [...tables.keys()],
    [
      "table1-training",
      "table2",
      "table3",
      "table4",
      "calibration-statistics",
      "selected-features",
      "selection-funnel",
      "timings",
    ],
  );
  assert.equal(
    tableToCsv(tables.get("calibration-statistics")!),
    "Statistic,Training: Nomogram,Test: Nomogram\nBrier,0.153,0.153\nSlope,0.932,0.932\n" +
      "S:p,<0.001,<0.001\n",
  );
  assert.equal(
    tableToCsv(tables.get("selected-features")!),
    "Feature,Sequence,Coefficient\nf1,T2,0.500\nf2,DWI,-0.400\n",
  );
  assert.equal(
    tableToCsv(tables.get("selection-funnel")!),
    "Step,Features\nExtracted,100\nLASSO,2\n",
  );
  assert.equal(
    tableToCsv(tables.get("timings")!),
    "Stage,Seconds\nExtraction,12.3\nModels,0.50\nTotal,12.8\n",
  );
});

test("Markdown escapes pipes in cells", () => {
  const r = smallStudyResult();
  r.table4[0]!.modelA = "a|b" as never;
  assert.match(tableToMarkdown(table4Table(r)), /\| Test \| a\\\|b vs Nomogram \|/);
});

test("report.html: self-contained, every table and figure, escaped text, no external references", async () => {
  const r = smallStudyResult();
  const report = await buildReport(r);
  const html = report.html;
  assert.ok(html.startsWith("<!DOCTYPE html>"));
  // Every table (caption title and anchor) and every figure (anchor and inline SVG).
  for (const t of report.tables) {
    assert.ok(html.includes(`id="${t.id}"`), `table ${t.id} missing`);
    assert.ok(html.includes(t.title.replace(/&/g, "&amp;")), `table title ${t.title} missing`);
  }
  const expectedFigures = [
    "lasso-cv",
    "lasso-path",
    "weights",
    "nomogram",
    "roc-training",
    "roc-test",
    "calibration-training",
    "calibration-test",
    "decision-training",
    "decision-test",
  ];
  assert.deepEqual(
    report.figures.map((f) => f.id),
    expectedFigures,
  );
  for (const id of expectedFigures)
    assert.ok(html.includes(`<figure class="chart`) && html.includes(`id="${id}"`), id);
  assert.equal((html.match(/<svg[\s>]/g) ?? []).length, expectedFigures.length);
  assert.equal((html.match(/Figure \d+\. /g) ?? []).length, expectedFigures.length);
  // Header facts.
  assert.ok(html.includes("Small &amp; simple &lt;study&gt;"));
  assert.ok(html.includes("2026-01-02 03:04 UTC"));
  assert.ok(html.includes("radscore <b>0.1.0</b>"));
  assert.ok(html.includes("n = 5") && html.includes("n = 4"));
  assert.ok(html.includes("A &lt;warning&gt; &amp; more"));
  assert.ok(!html.includes("<warning>"));
  // Nothing from outside the page: no scripts, stylesheets links, remote src/href or CSS urls.
  assert.ok(!/<script|<link|<iframe|<img|@import/i.test(html));
  assert.ok(!/\s(src|href|xlink:href)\s*=\s*["']?\s*(https?:|\/\/|file:)/i.test(html));
  for (const m of html.matchAll(/\s(?:src|href|xlink:href)\s*=\s*"([^"]*)"/gi))
    assert.ok(m[1]!.startsWith("#"), `non-local reference ${m[1]}`);
  assert.ok(!/url\(\s*["']?(https?:|\/\/)/i.test(html));
  // SVG ids are unique across the page (vega's clip ids are namespaced per figure).
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  assert.equal(new Set(ids).size, ids.length, "duplicate ids in report.html");
});
