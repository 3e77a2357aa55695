import assert from "node:assert/strict";
import { test } from "node:test";
import { nomogramSvg } from "../app/src/nomogram/draw.js";
import {
  type Calculator,
  GENERIC_EXAMPLE,
  GENERIC_NOMOGRAM_FORMAT,
  genericCalculator,
  loadModelText,
  nomogramDrawing,
  parseGenericModel,
  patientCsv,
  radScoreOfFeatures,
  radscoreCalculator,
  readValues,
  resultFigureOf,
  scorePatient,
  withFixedRadScore,
  withStudyFigure,
} from "../app/src/nomogram/model.js";
import { parseCsv } from "../src/io/csv.js";
import { logitLinkInverse } from "../src/model/logistic.js";
import { type FrozenModel, radScoreOf, scorePatients } from "../src/study/frozen-model.js";
import type { NomogramFigure } from "../src/study/result.js";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

// Hand example (generic format): lp = −3 + 0.5·x + (2 if g = b); x in [0, 10].
// Axis of x = pretty(0, 10, 10) = 0, 1, …, 10 → Xβ_x ∈ [0, 5]; Xβ_g ∈ {0, 2}.
// Widest Xβ range 5 → sc = 100 / 5 = 20 points per unit of lp; R[1, ·] = (0, 0);
// Intercept_info = −3 + 0 + 0 = −3. Patient x = 4, g = b: points_x = 20·(2 − 0) = 40,
// points_g = 20·(2 − 0) = 40, total 80; lp = −3 + 2 + 2 = 1 (= −3 + 80/20);
// probability = 1/(1 + e^−1) = 0.7310585786300049.
const handModel = {
  format: GENERIC_NOMOGRAM_FORMAT,
  title: "Hand",
  outcome: { eventLabel: "pCR", noneventLabel: "non-pCR" },
  intercept: -3,
  predictors: [
    { name: "x", type: "continuous", coefficient: 0.5, min: 0, max: 10 },
    { name: "g", label: "Group", type: "factor", levels: ["a", "b"], coefficients: [0, 2] },
  ],
};

test("generic model: rms constants by hand (sc = 100/5, R[1,·] = 0, Intercept_info = −3)", () => {
  const calc = loadModelText(JSON.stringify(handModel), "hand.json");
  assert.equal(calc.kind, "generic");
  assert.ok(calc.nomogram);
  assert.equal(calc.nomogram.sc, 20);
  assert.deepEqual(calc.nomogram.minXbeta, [0, 0]);
  assert.equal(calc.nomogram.interceptInfo, -3);
  assert.deepEqual(
    calc.fields.map((f) => [f.name, f.label, f.kind, f.range]),
    [
      ["x", "x", "number", [0, 10]],
      ["g", "Group", "choice", null],
    ],
  );
});

test("generic model: points, total, lp and probability of a patient by hand", () => {
  const calc = loadModelText(JSON.stringify(handModel), "hand.json");
  const read = readValues(calc, { x: "4", g: "b" });
  assert.equal(read.complete, true);
  assert.deepEqual(read.issues, []);
  const r = scorePatient(calc, read.values);
  assert.deepEqual(
    r.points!.map((p) => [p.name, p.value, p.points]),
    [
      ["x", "4", 40],
      ["g", "b", 40],
    ],
  );
  assert.equal(r.totalPoints, 80);
  assert.equal(r.linearPredictor, 1);
  close(r.probability, 0.7310585786300049);
  // The other corner: x = 10, g = a → 100 + 0 points, lp = −3 + 5 = 2.
  const r2 = scorePatient(calc, { x: 10, g: "a" });
  assert.equal(r2.totalPoints, 100);
  assert.equal(r2.linearPredictor, 2);
  close(r2.probability, 1 / (1 + Math.exp(-2)));
});

test("generic model: negative coefficient, the axis is pretty(min, max) as rms", () => {
  // β = −0.5 over [1.2, 9.7]: pretty(1.2, 9.7, 10) = 1, 2, …, 10 → Xβ ∈ [−5, −0.5] (range 4.5,
  // the widest; factor range 2) → sc = 100/4.5, R[1, x] = −5 (at x = 10), Intercept_info =
  // 1 − 5 + 0 = −4. x = 10 → 0 points; x = 1 → 100 points; g = b → 2·sc = 44.44… points.
  const calc = genericCalculator(
    parseGenericModel({
      ...handModel,
      intercept: 1,
      predictors: [
        { name: "x", type: "continuous", coefficient: -0.5, min: 1.2, max: 9.7 },
        handModel.predictors[1],
      ],
    }),
  );
  assert.ok(calc.nomogram);
  close(calc.nomogram.sc, 100 / 4.5);
  assert.deepEqual(calc.nomogram.minXbeta, [-5, 0]);
  assert.equal(calc.nomogram.interceptInfo, -4);
  const a = scorePatient(calc, { x: 10, g: "a" });
  assert.equal(a.points![0]!.points, 0);
  const b = scorePatient(calc, { x: 1, g: "b" });
  close(b.points![0]!.points, 100);
  close(b.points![1]!.points, 200 / 4.5);
  // lp = 1 − 0.5 + 2 = 2.5 directly; rms reading Intercept_info + T/sc gives the same.
  assert.equal(b.linearPredictor, 2.5);
  close(calc.nomogram.interceptInfo + b.totalPoints! / calc.nomogram.sc, 2.5);
  // The drawing's x axis: 1..10 at 100..0 points.
  const d = nomogramDrawing(calc, b)!;
  assert.deepEqual(
    d.axes[0]!.ticks.map((t) => t.label),
    ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"],
  );
  close(d.axes[0]!.ticks[0]!.points, 100);
  assert.equal(d.axes[0]!.ticks[9]!.points, 0);
});

test("generic model without a training range: probability only, no points", () => {
  const calc = loadModelText(
    JSON.stringify({
      format: GENERIC_NOMOGRAM_FORMAT,
      intercept: -1,
      predictors: [{ name: "age", type: "continuous", coefficient: 0.02 }],
    }),
  );
  assert.equal(calc.kind, "generic");
  assert.equal(calc.nomogram, null);
  assert.equal(calc.title, "Nomogram");
  assert.deepEqual(calc.outcome, { eventLabel: "event", noneventLabel: "no event" });
  const r = scorePatient(calc, { age: 50 });
  assert.equal(r.points, null);
  assert.equal(r.totalPoints, null);
  assert.equal(r.linearPredictor, 0);
  assert.equal(r.probability, 0.5);
  assert.equal(nomogramDrawing(calc, r), null);
});

test("the example model of the help loads and scores", () => {
  const calc = loadModelText(JSON.stringify(GENERIC_EXAMPLE), "example.json");
  // age: pretty(25, 80, 10) = 25, 30, …, 80 → Xβ ∈ [1, 3.2] (range 2.2, widest; grade 1.5).
  assert.ok(calc.nomogram);
  close(calc.nomogram.sc, 100 / 2.2);
  const r = scorePatient(calc, { age: 60, grade: "G3" });
  close(r.linearPredictor, -3.2 + 2.4 + 1.5);
  close(r.totalPoints!, (100 / 2.2) * (2.4 - 1) + (100 / 2.2) * 1.5);
});

test("invalid model files give clear messages", () => {
  const msg = (text: string) => {
    try {
      loadModelText(text, "m.json");
    } catch (err) {
      return (err as Error).message;
    }
    return "no error";
  };
  assert.match(msg("{ not json"), /^m\.json: not valid JSON/);
  assert.match(msg("[1, 2]"), /not a model/);
  assert.match(msg("{}"), /no 'format' field; expected 'radscore-model\/1'/);
  assert.match(msg('{"format": "cox/1"}'), /unknown format "cox\/1"/);
  const g = (patch: object) => msg(JSON.stringify({ ...handModel, ...patch }));
  assert.match(g({ intercept: undefined }), /missing 'intercept'/);
  assert.match(g({ intercept: "1" }), /'intercept' must be a finite number/);
  assert.match(g({ predictors: undefined }), /missing 'predictors'/);
  assert.match(g({ predictors: [] }), /non-empty array/);
  assert.match(g({ predictors: [{ type: "continuous", coefficient: 1 }] }), /missing 'name'/);
  assert.match(
    g({ predictors: [{ name: "a", type: "spline", coefficient: 1 }] }),
    /'type' must be "continuous" or "factor"/,
  );
  assert.match(
    g({ predictors: [{ name: "a", type: "continuous", coefficient: 1, min: 0 }] }),
    /give both 'min' and 'max'/,
  );
  assert.match(
    g({ predictors: [{ name: "a", type: "continuous", coefficient: 1, min: 5, max: 1 }] }),
    /'min' \(5\) must be below 'max' \(1\)/,
  );
  assert.match(
    g({ predictors: [{ name: "f", type: "factor", levels: ["a", "b"], coefficients: [0] }] }),
    /2 levels but 1 coefficients/,
  );
  assert.match(
    g({
      predictors: [
        { name: "a", type: "continuous", coefficient: 1 },
        { name: "a", type: "continuous", coefficient: 2 },
      ],
    }),
    /appears twice/,
  );
  assert.match(
    g({ predictors: [{ name: "a", type: "continuous", coefficient: 0, min: 0, max: 1 }] }),
    /zero effect range/,
  );
  assert.match(msg('{"format": "radscore-model/1"}'), /^m\.json: missing 'features'/);
  const bad = JSON.parse(JSON.stringify(frozen)) as Record<string, unknown>;
  delete bad.clinicalVariables;
  assert.match(msg(JSON.stringify(bad)), /^m\.json: missing 'clinicalVariables'/);
});

test("readValues: missing and non-numeric values block, out-of-range values only warn", () => {
  const calc = loadModelText(JSON.stringify(handModel));
  const empty = readValues(calc, {});
  assert.equal(empty.complete, false);
  assert.deepEqual(
    empty.issues.map((i) => [i.field, i.severity]),
    [
      ["x", "error"],
      ["g", "error"],
    ],
  );
  const bad = readValues(calc, { x: "1,5", g: "c" });
  assert.equal(bad.complete, false);
  assert.match(bad.issues[0]!.message, /'1,5' is not a number/);
  assert.match(bad.issues[1]!.message, /'c' is not a level of Group \(a, b\)/);
  const out = readValues(calc, { x: " 12.5 ", g: "a" });
  assert.equal(out.complete, true);
  assert.deepEqual(out.values, { x: 12.5, g: "a" });
  assert.equal(out.issues.length, 1);
  assert.equal(out.issues[0]!.severity, "warning");
  assert.match(out.issues[0]!.message, /outside the training range 0–10/);
  // Still scored (extrapolated): 12.5 → 125 points.
  assert.equal(scorePatient(calc, out.values).points![0]!.points, 125);
});

// A small hand-written frozen model. Rad-score = 0.5 + 1·z(f1_T2) − 2·z(f2_DWI), z-scored
// with means (10, 1) and scales (2, 0.5). Clinical model: −1 + 0.1·age + (0.5 if grade B,
// 1 if C) + 0.7·ki67. Nomogram: −2 + 0.25·age + 1·ki67 + 0.5·radscore, with axes age from 4
// (R[1] = 0.25·4 = 1), ki67 {0, 1}, Rad-score from −2 (R[1] = −1); widest Xβ range 5 → sc = 20;
// Intercept_info = −2 + 1 + 0 − 1 = −2.
const frozen: FrozenModel = {
  format: "radscore-model/1",
  title: "Test study",
  createdAt: "2025-01-01T00:00:00.000Z",
  software: { radscore: "test" },
  outcome: { eventLabel: "pCR", noneventLabel: "non-pCR" },
  extraction: {
    T2: { paramsText: null, label: null },
    DWI: { paramsText: "setting: {binWidth: 5}", label: 2 },
    DCE: { paramsText: null, label: null },
  },
  sequences: ["T2", "DWI", "DCE"],
  features: ["f1_T2", "f2_DWI"],
  scaler: { kind: "zscore", mean: [10, 1], scale: [2, 0.5] },
  radscore: { source: "lasso", intercept: 0.5, coefficients: [1, -2] },
  radscoreName: "radscore",
  clinicalVariables: [
    { name: "age", label: "Age", type: "continuous", levels: [], reference: null, labels: [] },
    {
      name: "grade",
      label: "Grade",
      type: "categorical",
      levels: ["A", "B", "C"],
      reference: "A",
      labels: ["grade A", "grade B", "grade C"],
    },
    {
      name: "ki67",
      label: "Ki-67",
      type: "binary",
      levels: ["0", "1"],
      reference: "0",
      labels: ["<20%", ">=20%"],
    },
  ],
  clinicalModel: {
    predictors: ["age", "grade", "ki67"],
    terms: [
      { term: "age", column: "age", level: null },
      { term: "gradeB", column: "grade", level: "B" },
      { term: "gradeC", column: "grade", level: "C" },
      { term: "ki67", column: "ki67", level: null },
    ],
    coefficients: [-1, 0.1, 0.5, 1, 0.7],
  },
  nomogramModel: {
    predictors: ["age", "ki67", "radscore"],
    terms: [
      { term: "age", column: "age", level: null },
      { term: "ki67", column: "ki67", level: null },
      { term: "radscore", column: "radscore", level: null },
    ],
    coefficients: [-2, 0.25, 1, 0.5],
  },
  nomogram: {
    predictors: [
      { name: "age", type: "continuous", coefficient: 0.25 },
      {
        name: "ki67",
        type: "factor",
        levels: ["0", "1"],
        labels: ["<20%", ">=20%"],
        coefficients: [0, 1],
      },
      { name: "radscore", type: "continuous", coefficient: 0.5 },
    ],
    minXbeta: [1, 0, -1],
    sc: 20,
    interceptInfo: -2,
  },
  thresholds: { clinical: 0.5, radiomics: 0, nomogram: 0.9 },
};

test("our format: fields, roles, axis starts and the sequences to extract", () => {
  const calc = loadModelText(JSON.stringify(frozen), "model.json");
  assert.equal(calc.kind, "radscore");
  assert.deepEqual(
    calc.fields.map((f) => [f.name, f.kind, f.role, f.axisStart]),
    [
      ["age", "number", "predictor", 4],
      ["grade", "choice", "clinical", null],
      ["ki67", "choice", "predictor", null],
      ["radscore", "number", "radscore", -2],
    ],
  );
  assert.deepEqual(calc.fields[2]!.labels, ["<20%", ">=20%"]);
  // Only the sequences whose features the Rad-score uses.
  assert.deepEqual(calc.kind === "radscore" && calc.sequences, ["T2", "DWI"]);
});

test("our format: an entered Rad-score, by hand (points 20 + 20 + 40, lp 2)", () => {
  const calc = radscoreCalculator(frozen);
  const read = readValues(calc, { age: "8", grade: "B", ki67: "1", radscore: "2" });
  assert.equal(read.complete, true);
  const r = scorePatient(calc, read.values, "P1");
  // age 8: 20·(2 − 1) = 20; ki67 = 1: 20·1 = 20; Rad-score 2: 20·(1 − (−1)) = 40.
  assert.deepEqual(
    r.points!.map((p) => [p.name, p.label, p.value, p.points]),
    [
      ["age", "Age", "8", 20],
      ["ki67", "Ki-67", ">=20%", 20],
      ["radscore", "Rad-score", "2", 40],
    ],
  );
  assert.equal(r.totalPoints, 80);
  // lp = −2 + 0.25·8 + 1 + 0.5·2 = 2 (= Intercept_info + 80/20).
  assert.equal(r.linearPredictor, 2);
  assert.equal(r.probability, logitLinkInverse(2));
  close(r.probability, 0.8807970779778823);
  // Clinical lp = −1 + 0.8 + 0.5 + 0.7 = 1; radiomics plogis(2).
  const byModel = Object.fromEntries(r.models!.map((m) => [m.model, m]));
  close(byModel.clinical!.probability, logitLinkInverse(1));
  assert.equal(byModel.radiomics!.probability, logitLinkInverse(2));
  assert.equal(byModel.radiomics!.score, 2);
  // Classes at the training cut-offs: 0.73 ≥ 0.5, 2 ≥ 0, 0.88 < 0.9.
  assert.deepEqual(
    r.models!.map((m) => [m.model, m.predicted]),
    [
      ["clinical", 1],
      ["radiomics", 1],
      ["nomogram", 0],
    ],
  );
});

test("our format: the probabilities are exactly scorePatients' (radscore predict)", () => {
  const calc = radscoreCalculator(frozen);
  const clinical = { age: "7.3", grade: "C", ki67: "0" };
  const features = { f1_T2: 11.37, f2_DWI: 0.8123 };
  const [expected] = scorePatients(frozen, [{ id: "P2", clinical, features }]);
  // From the features (image mode).
  const read = readValues(calc, clinical, ["radscore"]);
  const fromFeatures = scorePatient(calc, read.values, "P2", features);
  assert.deepEqual(fromFeatures.score, expected);
  // The Rad-score typed in: the same PatientScore, bit for bit.
  const rs = radScoreOfFeatures(calc, features, "P2");
  assert.equal(rs, radScoreOf(frozen, { id: "P2", clinical: {}, features }));
  const typed = scorePatient(calc, { ...read.values, radscore: rs }, "P2");
  assert.deepEqual(typed.score, expected);
  assert.equal(typed.probability, expected!.nomogramProbability);
  assert.equal(typed.totalPoints, expected!.totalPoints);
  assert.equal(typed.linearPredictor, expected!.nomogramLinearPredictor);
  // withFixedRadScore yields exactly the value.
  assert.equal(
    radScoreOf(withFixedRadScore(frozen, 0.1 + 0.2), { id: "x", clinical: {}, features: {} }),
    0.1 + 0.2,
  );
  // A missing feature of the Rad-score is named.
  assert.throws(() => radScoreOfFeatures(calc, { f1_T2: 1 }), /feature 'f2_DWI'/);
});

test("our format: a value before the nomogram axis warns but scores", () => {
  const calc = radscoreCalculator(frozen);
  const read = readValues(calc, { age: "3", grade: "A", ki67: "0", radscore: "-1" });
  assert.equal(read.complete, true);
  assert.deepEqual(
    read.issues.map((i) => [i.field, i.severity]),
    [["age", "warning"]],
  );
  assert.match(read.issues[0]!.message, /before the start of its nomogram axis \(4\)/);
  assert.equal(scorePatient(calc, read.values).points![0]!.points, -5);
});

test("our format alone: axes drawn from their rms start to the patient's value", () => {
  const calc = radscoreCalculator(frozen);
  const r = scorePatient(calc, { age: 8, grade: "B", ki67: "1", radscore: 2 });
  const d = nomogramDrawing(calc, r)!;
  assert.deepEqual(
    d.axes.map((a) => a.name),
    ["Age", "Ki-67", "Rad-score"],
  );
  // Age from its start 4 (0 points) to 8: pretty(4, 8, 5) = 4, 5, …, 8 at 0, 5, …, 20 points.
  assert.deepEqual(
    d.axes[0]!.ticks.map((t) => [t.label, t.points]),
    [4, 5, 6, 7, 8].map((v, k) => [String(v), k * 5]),
  );
  assert.match(d.axes[0]!.note!, /model.json keeps no training range/);
  assert.deepEqual(
    d.axes[1]!.ticks.map((t) => [t.label, t.points]),
    [
      ["<20%", 0],
      [">=20%", 20],
    ],
  );
  // Rad-score from −2 to 2: 0, 10, …, 40 points.
  assert.deepEqual(
    d.axes[2]!.ticks.map((t) => t.points),
    [0, 10, 20, 30, 40],
  );
  assert.deepEqual(
    d.axes.map((a) => a.marker),
    [20, 20, 40],
  );
  assert.equal(d.totalMarker, 80);
  assert.deepEqual(d.totalTicks, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  assert.equal(d.probabilityLabel, "Probability of pCR");
  // Probability 0.5 at lp 0: (0 − (−2))·20 = 40 points.
  assert.equal(d.probabilityTicks.find((t) => t.p === 0.5)!.points, 40);
  const svg = nomogramSvg(d);
  assert.match(svg, /^<svg /);
  assert.equal((svg.match(/class="nomo-mark"/g) ?? []).length, 5);
  assert.ok(svg.includes("&lt;20%"));
  assert.ok(!svg.includes("<20%"));
});

// The study's nomogram figure of `frozen` (as result.json would hold it): age axis 4–24,
// Rad-score axis −2–8, each at sc·(β·v − R[1]).
const figure: NomogramFigure = {
  axes: [
    {
      name: "age",
      labels: ["4", "8", "12", "16", "20", "24"],
      points: [0, 20, 40, 60, 80, 100],
    },
    { name: "ki67", labels: ["<20%", ">=20%"], points: [0, 20] },
    { name: "radscore", labels: ["-2", "0", "2", "4", "6", "8"], points: [0, 20, 40, 60, 80, 100] },
  ],
  totalPoints: { values: [0, 50, 100, 150, 200, 250] },
  probability: { values: [0.1, 0.5, 0.9], points: [-3.94, 40, 83.94] },
};

test("our format with the study's figure: its axes are drawn and give the ranges", () => {
  assert.equal(resultFigureOf({ title: "t", nomogram: figure }), figure);
  assert.equal(resultFigureOf(frozen), null);
  assert.equal(resultFigureOf({ nomogram: {} }), null);
  const calc = withStudyFigure(radscoreCalculator(frozen), figure);
  assert.deepEqual(
    calc.fields.map((f) => [f.name, f.axisRange]),
    [
      ["age", [4, 24]],
      ["grade", null],
      ["ki67", null],
      ["radscore", [-2, 8]],
    ],
  );
  const read = readValues(calc, { age: "30", grade: "A", ki67: "0", radscore: "1" });
  assert.equal(read.complete, true);
  assert.deepEqual(
    read.issues.map((i) => [i.field, i.severity]),
    [["age", "warning"]],
  );
  assert.match(read.issues[0]!.message, /outside its nomogram axis 4–24/);
  const r = scorePatient(calc, read.values);
  const d = nomogramDrawing(calc, r)!;
  assert.deepEqual(
    d.axes[0]!.ticks.map((t) => t.label),
    figure.axes[0]!.labels,
  );
  assert.equal(d.axes[0]!.note, null);
  assert.deepEqual(d.totalTicks, [0, 50, 100, 150, 200, 250]);
  assert.deepEqual(d.probabilityTicks[1], { p: 0.5, points: 40 });
  // age 30: 20·(7.5 − 1) = 130 points, drawn beyond the axis.
  assert.equal(d.axes[0]!.marker, 130);
  // Another model's figure is refused.
  const moved = structuredClone(figure);
  moved.axes[2]!.points[1] = 21;
  assert.throws(
    () => withStudyFigure(radscoreCalculator(frozen), moved),
    /does not match the model: axis 'radscore': 0 is at other points/,
  );
  const renamed = structuredClone(figure);
  renamed.axes[0]!.name = "size";
  assert.throws(
    () => withStudyFigure(radscoreCalculator(frozen), renamed),
    /axis 1 is 'size', not 'age'/,
  );
});

test("patientCsv: the entered patient and its scores at full precision", () => {
  const calc: Calculator = radscoreCalculator(frozen);
  const values = { age: 8, grade: "B", ki67: "1", radscore: 2 };
  const r = scorePatient(calc, values, "P,1");
  const t = parseCsv(patientCsv(calc, "P,1", values, r));
  assert.deepEqual(t.header, [
    "ID",
    "age",
    "grade",
    "ki67",
    "radscore",
    "points_age",
    "points_ki67",
    "points_radscore",
    "total_points",
    "p_clinical",
    "p_radiomics",
    "p_nomogram",
    "lp_nomogram",
    "class_clinical",
    "class_radiomics",
    "class_nomogram",
  ]);
  const row = t.rows[0]!;
  assert.equal(row[0], "P,1");
  assert.equal(row[4], "2");
  assert.equal(Number(row[11]), r.probability);
  assert.equal(row[15], "0");
  const g = loadModelText(JSON.stringify(handModel));
  const gr = scorePatient(g, { x: 4, g: "b" });
  const gt = parseCsv(patientCsv(g, "A", { x: 4, g: "b" }, gr));
  assert.deepEqual(gt.header, [
    "ID",
    "x",
    "g",
    "points_x",
    "points_g",
    "total_points",
    "linear_predictor",
    "p_event",
  ]);
  assert.deepEqual(gt.rows[0], ["A", "4", "b", "40", "40", "80", "1", String(gr.probability)]);
});
