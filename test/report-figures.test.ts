/**
 * Report figures: each is well-formed SVG with the axis titles, legend labels and number of
 * curves / bars / points its data call for; bad input is refused with an error naming it; the
 * Node edge writes the whole report folder (SVG + PNG + CSV + Markdown + HTML).
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { writeReportFolder } from "../src/node/report-files.js";
import { renderCalibrationSvg } from "../src/report/figures/calibration.js";
import { decisionYRange, renderDecisionSvg } from "../src/report/figures/decision.js";
import { renderFigures } from "../src/report/figures/index.js";
import {
  nonzeroCounts,
  renderLassoCvSvg,
  renderLassoPathSvg,
} from "../src/report/figures/lasso.js";
import { renderNomogramSvg } from "../src/report/figures/nomogram.js";
import { renderRocSvg } from "../src/report/figures/roc.js";
import { renderWeightsSvg } from "../src/report/figures/weights.js";
import { namespaceSvgIds } from "../src/report/svg.js";
import type {
  CalibrationCurve,
  DecisionCurve,
  LassoFigure,
  NomogramFigure,
  RocCurvePoints,
  StudyResult,
} from "../src/study/result.js";

/**
 * Minimal XML well-formedness check: balanced, properly nested tags, quoted attributes,
 * no duplicate attribute on one element, only the five predefined / numeric entities, no
 * stray "<" or "&". Returns the root element's name.
 */
function assertWellFormedXml(xml: string): string {
  const stack: string[] = [];
  let root: string | null = null;
  let i = 0;
  const text = (s: string) => {
    if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(s))
      throw new Error(`bad entity in ${JSON.stringify(s.slice(0, 60))}`);
  };
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    if (lt < 0) {
      text(xml.slice(i));
      break;
    }
    text(xml.slice(i, lt));
    if (xml.startsWith("<!--", lt)) {
      i = xml.indexOf("-->", lt) + 3;
      continue;
    }
    if (xml.startsWith("<?", lt)) {
      i = xml.indexOf("?>", lt) + 2;
      continue;
    }
    const gt = xml.indexOf(">", lt);
    assert.ok(gt > lt, "unterminated tag");
    const tag = xml.slice(lt + 1, gt);
    if (tag.startsWith("/")) {
      const name = tag.slice(1).trim();
      assert.equal(stack.pop(), name, `mismatched </${name}>`);
    } else {
      const selfClosing = tag.endsWith("/");
      const body = selfClosing ? tag.slice(0, -1) : tag;
      const m = /^([A-Za-z_][\w:.-]*)(.*)$/s.exec(body);
      assert.ok(m, `bad tag <${tag.slice(0, 40)}>`);
      const name = m[1]!;
      let attrs = m[2]!;
      const seen = new Set<string>();
      const attrRe = /^\s+([A-Za-z_][\w:.-]*)\s*=\s*("[^"<]*"|'[^'<]*')/;
      for (;;) {
        const a = attrRe.exec(attrs);
        if (!a) break;
        assert.ok(!seen.has(a[1]!), `duplicate attribute ${a[1]} on <${name}>`);
        seen.add(a[1]!);
        text(a[2]!);
        attrs = attrs.slice(a[0].length);
      }
      assert.equal(attrs.trim(), "", `unparsed attribute text on <${name}>: ${attrs.slice(0, 40)}`);
      if (stack.length === 0) {
        assert.equal(root, null, "more than one root element");
        root = name;
      }
      if (!selfClosing) stack.push(name);
    }
    i = gt + 1;
  }
  assert.equal(stack.length, 0, `unclosed elements: ${stack.join(", ")}`);
  assert.ok(root, "no root element");
  return root!;
}

const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
/** Text content of every <text> element (vega writes one per label). */
const texts = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    m[1]!.replace(/&amp;/g, "&").replace(/&lt;/g, "<").replace(/&gt;/g, ">"),
  );
const lineMarks = (svg: string) => count(svg, /aria-roledescription="line mark"/g);

function rocCurves(): RocCurvePoints[] {
  return (["training", "test"] as const).flatMap((cohort) =>
    (["clinical", "radiomics", "nomogram"] as const).map((model, k) => ({
      cohort,
      model,
      auc: [0.625, 0.881, 0.8941][k]!,
      fpr: [0, 0, 0.25, 0.5, 1],
      tpr: [0, 0.4, 0.7, 0.9, 1],
    })),
  );
}

test("ROC figure: SVG with axis titles, AUC legend and 3 curves + diagonal", async () => {
  const svg = await renderRocSvg("training", rocCurves());
  assert.equal(assertWellFormedXml(svg), "svg");
  const t = texts(svg);
  for (const label of [
    "1 − Specificity",
    "Sensitivity",
    "Training cohort",
    "Clinical model (AUC = 0.625)",
    "Radiomics model (AUC = 0.881)",
    "Nomogram (AUC = 0.894)",
  ])
    assert.ok(t.includes(label), `missing text '${label}'`);
  assert.equal(lineMarks(svg), 4);
  // Square panel: the frame rectangle is 300 × 300.
  assert.match(svg, /d="M0,0h300v300h-300Z"/);
  await assert.rejects(renderRocSvg("test", rocCurves().slice(0, 3)), /no ROC curve for the test/);
  const bad = rocCurves();
  bad[0]!.tpr = [0, 1];
  await assert.rejects(renderRocSvg("training", bad), /training\/clinical.*same length/);
});

function calibrationCurves(): CalibrationCurve[] {
  const grid = [0.1, 0.3, 0.5, 0.7, 0.9];
  return (["training", "test"] as const).flatMap((cohort) =>
    (["clinical", "nomogram"] as const).map((model) => ({
      cohort,
      model,
      predicted: grid,
      apparent: grid.map((p) => 0.05 + 0.9 * p),
      biasCorrected: cohort === "training" ? grid.map((p) => 0.1 + 0.8 * p) : null,
      statistics: { Brier: 0.2 },
    })),
  );
}

test("calibration figure: one panel per model with apparent, bias-corrected and ideal lines", async () => {
  const training = await renderCalibrationSvg("training", calibrationCurves());
  assertWellFormedXml(training);
  const t = texts(training);
  for (const label of [
    "Apparent",
    "Bias-corrected",
    "Ideal",
    "Clinical model",
    "Nomogram",
    "Predicted probability",
    "Observed probability",
  ])
    assert.ok(t.includes(label), `missing text '${label}'`);
  // 2 panels × (ideal + apparent + bias-corrected).
  assert.equal(lineMarks(training), 6);
  const test_ = await renderCalibrationSvg("test", calibrationCurves());
  assertWellFormedXml(test_);
  assert.ok(!texts(test_).includes("Bias-corrected"));
  assert.equal(lineMarks(test_), 4);
  const bad = calibrationCurves();
  bad[0]!.apparent = [0.1];
  await assert.rejects(renderCalibrationSvg("training", bad), /training\/clinical: apparent/);
});

function decisionCurves(): DecisionCurve[] {
  return [
    {
      cohort: "test",
      thresholds: [0.1, 0.3, 0.5, 0.7, 0.9],
      models: [
        { model: "clinical", netBenefit: [0.55, 0.4, 0.2, 0.05, 0] },
        { model: "nomogram", netBenefit: [0.6, 0.5, 0.4, 0.2, 0.02] },
      ],
      treatAll: [0.62, 0.45, 0.2, -0.6, -4.5],
      treatNone: [0, 0, 0, 0, 0],
    },
  ];
}

test("decision-curve figure: models, treat-all, treat-none, clipped y range", async () => {
  const curves = decisionCurves();
  assert.deepEqual(decisionYRange(curves[0]!), [-0.05, 0.62]);
  const svg = await renderDecisionSvg("test", curves);
  assertWellFormedXml(svg);
  const t = texts(svg);
  for (const label of [
    "Threshold probability",
    "Net benefit",
    "Clinical model",
    "Nomogram",
    "Treat all",
    "Treat none",
  ])
    assert.ok(t.includes(label), `missing text '${label}'`);
  assert.equal(lineMarks(svg), 4);
  assert.match(svg, /clip-path="url\(#decision-test-clip\d+\)"/);
  const bad = decisionCurves();
  bad[0]!.treatAll = [0.1];
  await assert.rejects(renderDecisionSvg("test", bad), /Treat all: 1 net benefits for 5/);
});

function lasso(): LassoFigure {
  return {
    logLambda: [-1, -2, -3, -4, -5],
    paths: [
      { feature: "a", coefficients: [0, 0.1, 0.3, 0.5, 0.6] },
      { feature: "b", coefficients: [0, 0, -0.2, -0.4, -0.5] },
      { feature: "c", coefficients: [0, 0, 0, 0.05, 0.1] },
    ],
    cvMean: [1.3, 1.1, 1.0, 1.05, 1.1],
    cvSd: [0.05, 0.05, 0.05, 0.05, 0.05],
    measure: "deviance",
    lambdaMin: Math.exp(-3),
    lambda1se: Math.exp(-2),
    chosen: "lambda.1se",
  };
}

test("LASSO figures: CV curve with λ.min / λ.1se and df; coefficient paths", async () => {
  assert.deepEqual(nonzeroCounts(lasso()), [0, 1, 2, 3, 3]);
  const cv = await renderLassoCvSvg(lasso());
  assertWellFormedXml(cv);
  const t = texts(cv);
  for (const label of ["log(λ)", "Binomial deviance", "λ.min", "λ.1se", "0", "3"])
    assert.ok(t.includes(label), `missing text '${label}'`);
  assert.equal(count(cv, /aria-roledescription="point"/g), 5);
  const path = await renderLassoPathSvg(lasso());
  assertWellFormedXml(path);
  assert.ok(texts(path).includes("Coefficients"));
  assert.ok(texts(path).includes("λ.1se"));
  assert.equal(lineMarks(path), 3);
  const bad = lasso();
  bad.paths[1]!.coefficients = [0];
  await assert.rejects(renderLassoCvSvg(bad), /path of 'b' has 1 values/);
});

test("weights figure: one bar per feature, sorted by coefficient", async () => {
  const svg = await renderWeightsSvg([
    { feature: "small", sequence: "T2", coefficient: 0.2 },
    { feature: "negative", sequence: "DWI", coefficient: -0.7 },
    { feature: "large", sequence: "DCE", coefficient: 1.5 },
  ]);
  assertWellFormedXml(svg);
  assert.equal(count(svg, /aria-roledescription="bar"/g), 3);
  const t = texts(svg);
  const order = ["large", "small", "negative"].map((f) => t.indexOf(f));
  assert.ok(order.every((k) => k >= 0) && order[0]! < order[1]! && order[1]! < order[2]!);
  for (const label of ["Coefficient", "1.500", "0.200", "-0.700"])
    assert.ok(t.includes(label), `missing text '${label}'`);
  await assert.rejects(renderWeightsSvg([]), /no selected features/);
});

function nomogramFigure(): NomogramFigure {
  return {
    axes: [
      { name: "Ki-67", labels: ["<20%", ">=20%"], points: [0, 45.5] },
      { name: "Tumour morphology", labels: ["Regular", "Irregular"], points: [30, 0] },
      { name: "Rad-score", labels: ["-2", "-1", "0", "1", "2"], points: [0, 25, 50, 75, 100] },
    ],
    totalPoints: { values: [0, 20, 40, 60, 80, 100, 120, 140, 160, 180] },
    probability: { values: [0.1, 0.5, 0.51, 0.9], points: [40, 80, 80.4, 120] },
  };
}

test("nomogram: points, predictor, total-points and probability axes with tick labels", () => {
  const svg = renderNomogramSvg(nomogramFigure(), { probabilityLabel: "Probability of pCR" });
  assert.equal(assertWellFormedXml(svg), "svg");
  const t = texts(svg);
  for (const label of [
    "Points",
    "Ki-67",
    "Tumour morphology",
    "Rad-score",
    "Total Points",
    "Probability of pCR",
    "<20%",
    ">=20%",
    "Regular",
    "Irregular",
    "100",
    "180",
    "0.9",
  ])
    assert.ok(t.includes(label), `missing text '${label}'`);
  // Axis lines: one per row (points, 3 predictors, total points, probability).
  assert.equal(count(svg, /stroke-width="1.2"\/>/g) > 0, true);
  const axisLines = [...svg.matchAll(/<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="\2"/g)];
  assert.equal(axisLines.length, 6);
  // Points axis 0..100 spans the same width as the total-points axis 0..180.
  const width = (k: number) => Number(axisLines[k]![3]) - Number(axisLines[k]![1]);
  assert.equal(width(0), width(4));
  // Ki-67's ">=20%" sits at 45.5% of the points axis.
  const x0 = Number(axisLines[0]![1]);
  const ki = axisLines[1]!;
  assert.ok(Math.abs(Number(ki[3]) - x0 - 0.455 * width(0)) < 0.02);
  // The crowded 0.5 / 0.51 labels are staggered: one above, one below the probability axis.
  const probY = Number(axisLines[5]![2]);
  const labelY = (s: string) =>
    Number(
      new RegExp(`<text x="[\\d.]+" y="([\\d.]+)"[^>]*>${s.replace(".", "\\.")}</text>`).exec(
        svg,
      )![1],
    );
  assert.ok(labelY("0.5") < probY && labelY("0.51") > probY);
  assert.throws(
    () =>
      renderNomogramSvg({
        ...nomogramFigure(),
        axes: [{ name: "Bad", labels: ["a"], points: [0, 1] }],
      }),
    /axis 'Bad': 1 labels for 2 points/,
  );
});

test("namespaceSvgIds prefixes ids and their url()/href references", () => {
  const svg =
    '<svg><defs><clipPath id="clip1"><rect/></clipPath></defs>' +
    '<g clip-path="url(#clip1)"><use href="#clip1"/><a href="#other"/></g></svg>';
  assert.equal(
    namespaceSvgIds(svg, "roc-test"),
    '<svg><defs><clipPath id="roc-test-clip1"><rect/></clipPath></defs>' +
      '<g clip-path="url(#roc-test-clip1)"><use href="#roc-test-clip1"/><a href="#other"/></g></svg>',
  );
});

test("figures are reproducible: the same result gives byte-identical SVG", async () => {
  const a = await renderRocSvg("training", rocCurves());
  await renderDecisionSvg("test", decisionCurves());
  const b = await renderRocSvg("training", rocCurves());
  assert.equal(a, b);
});

function studyResult(): StudyResult {
  return {
    title: "Folder test",
    createdAt: "2026-01-02T03:04:05Z",
    radscoreVersion: "0.1.0",
    cohortSizes: [
      { cohort: "training", n: 10, nEvent: 6 },
      { cohort: "test", n: 8, nEvent: 5 },
    ],
    table1: [],
    table2: [],
    table3: [],
    table4: [],
    roc: rocCurves(),
    calibration: calibrationCurves(),
    decision: [{ ...decisionCurves()[0]!, cohort: "training" }, decisionCurves()[0]!],
    nomogram: nomogramFigure(),
    lasso: lasso(),
    selectedFeatures: [{ feature: "a", sequence: "T2", coefficient: 0.6 }],
    funnel: [{ step: "Extracted", count: 3 }],
    timings: [{ stage: "All", seconds: 1 }],
    warnings: [],
  };
}

test("writeReportFolder writes report.html, tables (CSV + Markdown) and figures (SVG + PNG)", async () => {
  const dir = await mkdtemp(join(tmpdir(), "radscore-report-"));
  try {
    const summary = await writeReportFolder(dir, studyResult(), { pngScale: 1 });
    const figures = await renderFigures(studyResult());
    const figureFiles = (await readdir(join(dir, "figures"))).sort();
    assert.deepEqual(figureFiles, figures.flatMap((f) => [`${f.id}.png`, `${f.id}.svg`]).sort());
    const tableFiles = await readdir(join(dir, "tables"));
    assert.ok(tableFiles.includes("table2.csv") && tableFiles.includes("table2.md"));
    assert.ok(tableFiles.includes("timings.csv"));
    const png = await readFile(join(dir, "figures", "roc-training.png"));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    // PNG width at scale 1 equals the SVG's width attribute.
    const svg = await readFile(join(dir, "figures", "roc-training.svg"), "utf8");
    const svgWidth = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)![1]);
    assert.equal(png.readUInt32BE(16), Math.ceil(svgWidth));
    const html = await readFile(join(dir, "report.html"), "utf8");
    assert.ok(html.includes("Folder test"));
    assert.equal(summary.files[summary.files.length - 1], "report.html");
    assert.ok(!(await readdir(dir)).some((f) => f.endsWith(".tmp")));
    if (summary.fontFiles === 0) assert.match(summary.warnings.join(" "), /No system font/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
