/**
 * The study panels' pure parts (app/src/study-form): column-type guessing and the default mapping
 * of hand-made cohort CSVs, validation with the CLI's messages, the missing-file check, study.yaml
 * import / export and the raw-configuration edits. Expected values are written by hand.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  guessCohort,
  guessSequences,
  guessVariableType,
  summarizeColumn,
} from "../app/src/study-form/guess.js";
import { getIn, parseNumberText, renameIn, setIn, splitList } from "../app/src/study-form/raw.js";
import { enumOptions, schemaDefault } from "../app/src/study-form/schema.js";
import {
  manifestFolder,
  resolveRelative,
  studyStatus,
  validateStudy,
} from "../app/src/study-form/validate.js";
import { exportStudyYaml, importStudyYaml } from "../app/src/study-form/yaml.js";
import { formatCsv, parseCsv } from "../src/io/csv.js";
import { DEMO_SEQUENCES } from "../src/study/demo-cohort.js";
import {
  clinicalCells,
  demoStudyConfig,
  MANIFEST_HEADER,
  planDemoCohort,
} from "../src/study/demo-study.js";

/** Two centres, a set column, a 0/1 outcome, two sequences (T2 with a second reader). */
const CSV_A = [
  "id,centre,set,pcr,age,menopausal,t_stage,comment,T2_image,T2_mask,T2_mask2,DWI_image,DWI_mask",
  "P1,A,training,1,45,0,T1,first visit,img/P1_T2.nrrd,seg/P1_T2.nrrd,seg2/P1_T2.nrrd,img/P1_DWI.nrrd,seg/P1_DWI.nrrd",
  "P2,A,training,0,52,1,T2,lost to follow-up,img/P2_T2.nrrd,seg/P2_T2.nrrd,,img/P2_DWI.nrrd,seg/P2_DWI.nrrd",
  "P3,A,training,1,61,1,T1,NA,img/P3_T2.nrrd,seg/P3_T2.nrrd,,img/P3_DWI.nrrd,seg/P3_DWI.nrrd",
  "P4,A,training,0,38,0,T2,re-scanned,img/P4_T2.nrrd,seg/P4_T2.nrrd,,img/P4_DWI.nrrd,seg/P4_DWI.nrrd",
  "P5,B,test,1,47,0,T1,,img/P5_T2.nrrd,seg/P5_T2.nrrd,,img/P5_DWI.nrrd,seg/P5_DWI.nrrd",
  "P6,B,test,0,55,1,T2,moved,img/P6_T2.nrrd,seg/P6_T2.nrrd,,img/P6_DWI.nrrd,seg/P6_DWI.nrrd",
].join("\n");

/** Role by centre, a Miller-Payne grade, a text category, other column spellings. */
const CSV_B = [
  "Patient ID,Site,miller_payne,er_status,ki67,DCE-image,DCE-mask",
  "a1,1,G5,pos,12.5,a1/dce.nii.gz,a1/roi.nii.gz",
  "a2,1,G2,neg,30,a2/dce.nii.gz,a2/roi.nii.gz",
  "a3,1,G3,pos,8,a3/dce.nii.gz,a3/roi.nii.gz",
  "a4,1,G5,pos,41,a4/dce.nii.gz,a4/roi.nii.gz",
  "b1,2,G1,neg,22,b1/dce.nii.gz,b1/roi.nii.gz",
  "b2,2,G5,neg,17,b2/dce.nii.gz,b2/roi.nii.gz",
].join("\n");

/** Role texts Train / Test, a yes / no outcome, no image columns. */
const CSV_C = [
  "id,split,response,x",
  "1,Train,yes,1.5",
  "2,Train,no,2.5",
  "3,Test,yes,3",
  "4,Test,no,4",
].join("\n");

const column = (csv: string, name: string) => {
  const t = parseCsv(csv);
  return summarizeColumn(t, t.header.indexOf(name), ["", "NA"]);
};

test("guessVariableType: 0/1 binary, numbers continuous, few repeated texts categorical, else none", () => {
  assert.equal(guessVariableType(column(CSV_A, "menopausal")), "binary");
  assert.equal(guessVariableType(column(CSV_A, "age")), "continuous");
  assert.equal(guessVariableType(column(CSV_A, "t_stage")), "categorical");
  assert.equal(guessVariableType(column(CSV_B, "er_status")), "categorical");
  // Free text (every value different), file paths and IDs are no variables.
  assert.equal(guessVariableType(column(CSV_A, "comment")), null);
  assert.equal(guessVariableType(column(CSV_A, "T2_image")), null);
  assert.equal(guessVariableType(column(CSV_A, "id")), null);
  // Two numbers that are not 0/1 cannot be the core's binary coding: categorical.
  const t = parseCsv("g\n1\n2\n1\n2\n");
  assert.equal(guessVariableType(summarizeColumn(t, 0)), "categorical");
  // A constant column carries nothing.
  const k = parseCsv("g\nx\nx\nx\n");
  assert.equal(guessVariableType(summarizeColumn(k, 0)), null);
});

test("summarizeColumn: distinct non-missing values in first-seen order", () => {
  const s = column(CSV_A, "comment");
  // P3's NA and P5's empty cell are missing.
  assert.equal(s.count, 4);
  assert.deepEqual(s.values, ["first visit", "lost to follow-up", "re-scanned", "moved"]);
  assert.equal(s.numeric, false);
  assert.equal(column(CSV_A, "age").numeric, true);
  assert.equal(column(CSV_A, "T2_mask").pathLike, true);
});

test("guessCohort: set column, 0/1 outcome, sequences with a second reader, clinical types", () => {
  assert.deepEqual(guessCohort(parseCsv(CSV_A), "cohort.csv", ["", "NA"]), {
    manifest: "cohort.csv",
    id: "id",
    centre: "centre",
    role: { column: "set" },
    outcome: { column: "pcr" },
    sequences: {
      T2: { image: "T2_image", mask: "T2_mask", mask2: "T2_mask2" },
      DWI: { image: "DWI_image", mask: "DWI_mask" },
    },
    clinical: {
      age: { type: "continuous" },
      menopausal: { type: "binary" },
      t_stage: { type: "categorical" },
    },
  });
});

test("guessCohort: role by centre (largest centre = training), Miller-Payne outcome", () => {
  assert.deepEqual(guessCohort(parseCsv(CSV_B), "b.csv", ["", "NA"]), {
    manifest: "b.csv",
    id: "Patient ID",
    centre: "Site",
    role: { byCentre: { training: ["1"], test: ["2"] } },
    outcome: { column: "miller_payne", millerPayne: true },
    sequences: { DCE: { image: "DCE-image", mask: "DCE-mask" } },
    clinical: { er_status: { type: "categorical" }, ki67: { type: "continuous" } },
  });
});

test("guessCohort: role and outcome cell texts other than the defaults are written out", () => {
  assert.deepEqual(guessCohort(parseCsv(CSV_C), "c.csv", ["", "NA"]), {
    manifest: "c.csv",
    id: "id",
    role: { column: "split", training: "Train", test: "Test" },
    outcome: { column: "response", event: "yes", nonevent: "no" },
    clinical: { x: { type: "continuous" } },
  });
});

test("guessSequences: separators, a lone image column without a mask is left out", () => {
  assert.deepEqual(
    guessSequences(["ADC image", "ADC mask", "T1_image", "dwi_b800_image", "dwi_b800_mask"]),
    {
      ADC: { image: "ADC image", mask: "ADC mask" },
      dwib800: { image: "dwi_b800_image", mask: "dwi_b800_mask" },
    },
  );
});

test("guessCohort: the demo manifest gives the demo study's own cohort choices", () => {
  // The manifest as `radscore demo` writes it (image paths are not read by the guess).
  const rows = planDemoCohort(20250101).map(({ patient, secondReader }) => [
    ...clinicalCells(patient),
    ...DEMO_SEQUENCES.flatMap((q) => {
      const base = `images/${patient.id}_${q}`;
      return [`${base}_image.nrrd`, `${base}_mask.nrrd`, secondReader ? `${base}_mask2.nrrd` : ""];
    }),
  ]);
  const guessed = guessCohort(parseCsv(formatCsv(MANIFEST_HEADER, rows)), "cohort/manifest.csv");
  const demo = demoStudyConfig().cohort as Record<string, unknown>;
  assert.deepEqual(guessed.role, demo.role);
  assert.deepEqual(guessed.outcome, { column: "miller_payne", millerPayne: true });
  assert.deepEqual(guessed.sequences, {
    T2: { image: "T2_image", mask: "T2_mask", mask2: "T2_mask2" },
    DWI: { image: "DWI_image", mask: "DWI_mask", mask2: "DWI_mask2" },
    DCE2: { image: "DCE2_image", mask: "DCE2_mask", mask2: "DCE2_mask2" },
  });
  // The demo's variable types (src/study/demo-study.ts), written out.
  assert.deepEqual(guessed.clinical, {
    age: { type: "continuous" },
    menopausal: { type: "binary" },
    lymphadenopathy: { type: "binary" },
    diameter_mm: { type: "continuous" },
    margin: { type: "categorical" },
    morphology: { type: "categorical" },
    enhancement: { type: "categorical" },
    tic_type: { type: "categorical" },
    adc: { type: "continuous" },
    lesions: { type: "categorical" },
    ki67_high: { type: "binary" },
    t_stage: { type: "categorical" },
    bpe: { type: "categorical" },
  });
});

/** A complete, valid configuration for CSV_A (written out by hand). */
function studyA(): Record<string, unknown> {
  return {
    title: "Test study",
    cohort: {
      manifest: "cohort.csv",
      id: "id",
      centre: "centre",
      role: { column: "set" },
      outcome: { column: "pcr" },
      sequences: {
        T2: { image: "T2_image", mask: "T2_mask", mask2: "T2_mask2" },
        DWI: { image: "DWI_image", mask: "DWI_mask" },
      },
      clinical: { age: { type: "continuous" }, t_stage: { type: "categorical" } },
    },
  };
}

const manifestA = { name: "cohort.csv", text: CSV_A };

test("validateStudy: a valid study and manifest give no message", () => {
  assert.deepEqual(validateStudy(studyA(), manifestA), []);
  assert.deepEqual(validateStudy(studyA(), null), []);
});

test("validateStudy: a bad enum value names the key and the valid values", () => {
  const raw = { ...studyA(), preprocessing: { scaler: "robust" } };
  const messages = validateStudy(raw, manifestA);
  assert.equal(messages.length, 1);
  assert.ok(messages[0]!.includes("preprocessing.scaler"), messages[0]);
  assert.ok(messages[0]!.includes("valid values: minmax, zscore"), messages[0]);
});

test("validateStudy: an unknown key names it and the valid keys", () => {
  const raw = { ...studyA(), selection: { lasso: { alpha: 1 } } };
  const [message] = validateStudy(raw, manifestA);
  assert.ok(message!.startsWith("selection.lasso: unknown key 'alpha'"), message);
  assert.ok(message!.includes("valid keys: flavor, folds, foldAssignment, seed, lambda"), message);
});

test("validateStudy: every problem is one message (missing outcome, bad clinical type)", () => {
  const raw = studyA();
  const cohort = raw.cohort as Record<string, unknown>;
  delete cohort.outcome;
  cohort.clinical = { age: { type: "ordinal" } };
  const messages = validateStudy(raw, manifestA);
  assert.equal(messages.length, 2);
  assert.ok(
    messages.some((m) => m.startsWith("cohort.outcome: required key is missing")),
    messages.join("\n"),
  );
  assert.ok(
    messages.some(
      (m) =>
        m.includes("cohort.clinical.age.type") && m.includes("continuous, binary, categorical"),
    ),
    messages.join("\n"),
  );
});

test("validateStudy: manifest errors carry the manifest's name and the column list", () => {
  const raw = setIn(studyA(), ["cohort", "id"], "patient");
  const [message] = validateStudy(raw, manifestA);
  assert.ok(
    message!.startsWith(
      "cohort.csv: no column 'patient' (cohort.id); columns are: id, centre, set",
    ),
    message,
  );
  const wrongRole = setIn(studyA(), ["cohort", "role", "test"], "validation");
  const [m2] = validateStudy(wrongRole, manifestA);
  assert.ok(
    m2!.includes("patient 'P5'") && m2!.includes("is neither 'training' nor 'validation'"),
    m2,
  );
});

test("studyStatus: image / mask cells are looked up relative to the manifest's folder", () => {
  const manifest = { name: "study/cohort.csv", text: CSV_A };
  const raw = setIn(studyA(), ["cohort", "manifest"], "study/cohort.csv");
  const all: string[] = ["study/cohort.csv"];
  for (const p of ["P1", "P2", "P3", "P4", "P5", "P6"]) {
    for (const s of ["T2", "DWI"]) all.push(`study/img/${p}_${s}.nrrd`, `study/seg/${p}_${s}.nrrd`);
  }
  all.push("study/seg2/P1_T2.nrrd");
  const ok = studyStatus(raw, manifest, all);
  assert.deepEqual(ok, { messages: [], missing: [], ready: true });

  const some = all.filter((f) => f !== "study/seg/P2_DWI.nrrd" && f !== "study/seg2/P1_T2.nrrd");
  const missing = studyStatus(raw, manifest, some);
  assert.equal(missing.ready, false);
  assert.deepEqual(missing.messages, []);
  assert.equal(missing.missing.length, 2);
  assert.ok(
    missing.missing[0]!.includes("patient 'P1'") &&
      missing.missing[0]!.includes("'seg2/P1_T2.nrrd'"),
  );
  assert.ok(missing.missing[0]!.includes("study/seg2/P1_T2.nrrd"));
  assert.ok(
    missing.missing[1]!.includes("patient 'P2'") && missing.missing[1]!.includes("DWI mask"),
  );

  // Only the first five cells are listed, then a count of the rest.
  const none = studyStatus(raw, manifest, ["study/cohort.csv"]);
  assert.equal(none.missing.length, 6);
  assert.ok(none.missing[5]!.includes("20 more"), none.missing[5]);
  // No opened file (the generated demo): nothing to check.
  assert.deepEqual(studyStatus(raw, manifest, []).missing, []);
  // No manifest: not ready, but no message from the configuration.
  assert.deepEqual(studyStatus(raw, null, all), { messages: [], missing: [], ready: false });
});

test("studyStatus: a parameter file that was not opened is named; a DICOM folder exists by its files", () => {
  const raw = setIn(studyA(), ["extraction", "params"], "params.yaml");
  const files = ["cohort.csv"];
  for (const p of ["P1", "P2", "P3", "P4", "P5", "P6"]) {
    for (const s of ["T2", "DWI"])
      files.push(`img/${p}_${s}.nrrd/IM0001.dcm`, `seg/${p}_${s}.nrrd`);
  }
  files.push("seg2/P1_T2.nrrd");
  const status = studyStatus(raw, manifestA, files);
  assert.deepEqual(status.missing, [
    "study.yaml: extraction.params 'params.yaml' is not among the opened files",
  ]);
  assert.deepEqual(studyStatus(raw, manifestA, [...files, "params.yaml"]).missing, []);
});

test("resolveRelative and manifestFolder", () => {
  assert.equal(resolveRelative("a/b", "../c/./d.nrrd"), "a/c/d.nrrd");
  assert.equal(resolveRelative("", "./x/y.nrrd"), "x/y.nrrd");
  assert.equal(manifestFolder("cohort.csv", ["data/cohort.csv", "data/img/x.nrrd"]), "data");
  assert.equal(manifestFolder("data/cohort.csv", ["data/cohort.csv"]), "data");
  assert.equal(manifestFolder("cohort.csv", []), "");
});

test("exportStudyYaml: sections in the schema's order, long lines kept, quoted number-like strings", () => {
  const title = `A long title ${"x".repeat(150)}`;
  const text = exportStudyYaml({
    selection: { lasso: { folds: 5 } },
    cohort: { manifest: "m.csv", role: { byCentre: { training: ["1"], test: ["2"] } } },
    title,
  });
  const lines = text.split("\n");
  assert.equal(lines[0], `title: ${title}`);
  assert.equal(lines[1], "cohort:");
  assert.ok(text.indexOf("cohort:") < text.indexOf("selection:"));
  assert.ok(text.includes("- '1'"), text);
  assert.deepEqual(importStudyYaml(text), {
    title,
    cohort: { manifest: "m.csv", role: { byCentre: { training: ["1"], test: ["2"] } } },
    selection: { lasso: { folds: 5 } },
  });
});

test("importStudyYaml: keeps an invalid configuration, rejects bad YAML and non-mappings", () => {
  assert.deepEqual(importStudyYaml("preprocessing:\n  scaler: robust\n"), {
    preprocessing: { scaler: "robust" },
  });
  assert.throws(() => importStudyYaml("a: [1, 2"), /study\.yaml: not valid YAML: /);
  assert.throws(
    () => importStudyYaml("- 1\n- 2\n"),
    /study\.yaml: the configuration must be a mapping of keys/,
  );
  assert.throws(
    () => importStudyYaml("", "mine.yaml"),
    /mine\.yaml: the configuration must be a mapping of keys/,
  );
});

test("setIn / getIn / renameIn: copies along the path, removal drops emptied mappings", () => {
  const raw = { selection: { lasso: { folds: 5 } }, title: "t" };
  const set = setIn(raw, ["selection", "lasso", "seed"], 1);
  assert.deepEqual(set, { selection: { lasso: { folds: 5, seed: 1 } }, title: "t" });
  assert.deepEqual(raw, { selection: { lasso: { folds: 5 } }, title: "t" });
  assert.equal(getIn(set, ["selection", "lasso", "seed"]), 1);
  assert.equal(getIn(set, ["title", "x"]), undefined);
  assert.deepEqual(setIn(raw, ["selection", "lasso", "folds"], undefined), { title: "t" });
  assert.deepEqual(setIn(raw, ["nomogram", "nint"], undefined), raw);
  const seqs = {
    cohort: { sequences: { A: { image: "a" }, B: { image: "b" }, C: { image: "c" } } },
  };
  const renamed = renameIn(seqs, ["cohort", "sequences"], "B", "T2");
  assert.deepEqual(Object.keys(getIn(renamed, ["cohort", "sequences"]) as object), [
    "A",
    "T2",
    "C",
  ]);
  assert.deepEqual(getIn(renamed, ["cohort", "sequences", "T2"]), { image: "b" });
});

test("parseNumberText and splitList", () => {
  assert.equal(parseNumberText(""), undefined);
  assert.equal(parseNumberText(" 0.75 "), 0.75);
  assert.equal(parseNumberText("1e-7"), 1e-7);
  assert.equal(parseNumberText("abc"), "abc");
  assert.deepEqual(splitList(" a, b ,, c "), ["a", "b", "c"]);
});

test("schema: enum values and documented defaults come from config.ts", () => {
  assert.deepEqual(enumOptions(["preprocessing", "scaler"]), ["minmax", "zscore"]);
  assert.deepEqual(enumOptions(["selection", "lasso", "flavor"]), [
    "glmnet-binomial",
    "sklearn-LassoCV",
  ]);
  assert.deepEqual(enumOptions(["selection", "lasso", "lambda"]), ["lambda.min", "lambda.1se"]);
  assert.deepEqual(enumOptions(["preprocessing", "icc", "type"]), [
    "ICC1",
    "ICC2",
    "ICC3",
    "ICC1k",
    "ICC2k",
    "ICC3k",
  ]);
  assert.deepEqual(enumOptions(["cohort", "clinical", "any_name", "type"]), [
    "continuous",
    "binary",
    "categorical",
  ]);
  assert.deepEqual(enumOptions(["title"]), []);
  assert.equal(schemaDefault(["preprocessing", "icc", "threshold"]), 0.75);
  assert.equal(schemaDefault(["selection", "lasso", "folds"]), 10);
  assert.equal(schemaDefault(["evaluation", "bootstrap"]), 200);
  assert.equal(schemaDefault(["cohort", "id"]), "id");
  assert.deepEqual(schemaDefault(["cohort", "missing"]), ["", "NA"]);
  assert.equal(schemaDefault(["title"]), "Radiomics nomogram study");
  assert.equal(schemaDefault(["extraction", "params"]), undefined);
});
