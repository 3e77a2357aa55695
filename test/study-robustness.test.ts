/**
 * The study's robustness step without a second reader (preprocessing.robustness; Zwanenburg et
 * al., Sci Rep 2019;9:614): src/study/robustness.ts, the filter in
 * src/study/pipeline/preprocessing.ts, the Node runner's perturbations through the extraction pool
 * (src/node/robustness-runner.ts), the report's paragraph and the checklists' answers.
 *
 * The image study is built so that which features are robust follows from the images alone:
 * - every image is one constant intensity L_i (a different one per patient, 100 to 1000), so any
 *   ROI, rotated, translated, grown or shrunk, holds only voxels of value L_i (linear
 *   interpolation of equal neighbours gives L_i up to rounding): first-order Mean is L_i under
 *   every perturbation, its within-patient variance is (numerically) 0 and ICC(1,1) ~ 1;
 * - every ROI is the same voxelised sphere (radius 4) plus a row of i extra voxels for patient i,
 *   so the voxel volumes differ between patients by at most 9 voxels (SD ~3) while V changes each
 *   ROI by -15 % ... +15 % (7 perturbations use each default volume fraction exactly once: SD 10 %
 *   of ~260 voxels ~ 26 voxels): ICC(1,1) ~ 3^2 / (3^2 + 26^2) ~ 0.01, far below 0.9, and the
 *   same holds for the mesh volume.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatCsv, parseCsv } from "../src/io/csv.js";
import { writeImageFile } from "../src/node/files.js";
import { runStudyFromConfig, type StudyRunSummary } from "../src/node/study-runner.js";
import { checklistFiles } from "../src/report/checklists/index.js";
import type { IccRow } from "../src/stats/icc.js";
import { parseCohortManifest } from "../src/study/cohort.js";
import { StudyConfigError, validateStudyConfig } from "../src/study/config.js";
import { parseFeatureTable } from "../src/study/features-table.js";
import { runStudyPipeline } from "../src/study/pipeline.js";
import { robustnessPlan, type StudyRobustness } from "../src/study/robustness.js";
import {
  gridVolume,
  ROBUSTNESS_GRID,
  ROBUSTNESS_PATIENTS,
  sphereWithRow,
} from "./support/robustness-cohort.js";
import { syntheticCohort, syntheticStudyConfig } from "./support/synthetic-cohort.js";

// --- Configuration ---------------------------------------------------------------------------

const tableConfig = (preprocessing: Record<string, unknown>) => ({
  cohort: {
    manifest: "cohort.csv",
    outcome: { column: "pcr" },
    clinical: { ki67: { type: "binary" } },
  },
  features: { table: "cohort.csv", sequences: ["A"] },
  preprocessing,
});

test("preprocessing.robustness: defaults, and errors that name the setting", () => {
  const c = validateStudyConfig(tableConfig({}));
  assert.deepEqual(c.preprocessing.robustness, {
    enabled: false,
    chain: "RTNVC",
    perturbations: 20,
    seed: 20250101,
    noiseLevel: "chang",
    supervoxels: "case",
    type: "ICC1",
    threshold: 0.9,
    use: "estimate",
  });
  assert.throws(
    () => validateStudyConfig(tableConfig({ robustness: { enabled: true } })),
    (e: Error) =>
      e instanceof StudyConfigError &&
      /preprocessing\.robustness needs images \(cohort\.sequences\)/.test(e.message) &&
      /features\.table/.test(e.message),
  );
  const bad: [Record<string, unknown>, RegExp][] = [
    [{ chain: "RXV" }, /preprocessing\.robustness\.chain: must be letters R, T, N, V, C/],
    [{ chain: "RR" }, /preprocessing\.robustness\.chain: a letter appears twice/],
    [{ perturbations: 1 }, /preprocessing\.robustness\.perturbations:/],
    [{ threshold: 1.5 }, /preprocessing\.robustness\.threshold:/],
    [{ type: "ICC4" }, /preprocessing\.robustness\.type: invalid value; valid values: ICC1, ICC2/],
    [{ translationFractions: [0.5, 1] }, /preprocessing\.robustness\.translationFractions\.1:/],
    [{ noiseLevel: "high" }, /preprocessing\.robustness\.noiseLevel:/],
    [{ bins: 3 }, /preprocessing\.robustness: unknown key 'bins'; valid keys: enabled, chain/],
  ];
  for (const [robustness, message] of bad) {
    assert.throws(() => validateStudyConfig(tableConfig({ robustness })), message);
  }
});

test("robustnessPlan: the configured chain and values, seed + the patient's manifest index", () => {
  const c = validateStudyConfig(tableConfig({ robustness: { chain: "RV", perturbations: 5 } }));
  const plan = robustnessPlan(c.preprocessing.robustness, 3, 2);
  assert.deepEqual(plan, {
    chain: "RV",
    count: 5,
    seed: 20250104,
    noiseLevel: "chang",
    label: 2,
    contour: { supervoxels: "case" },
  });
  const late = { ...c.preprocessing.robustness, seed: 2147483647 };
  assert.throws(
    () => robustnessPlan(late, 1, 1),
    /preprocessing\.robustness\.seed: 2147483647 \+ patient index 1/,
  );
});

// --- The pure filter on given ICCs -----------------------------------------------------------

/** An ICC row whose estimate and limits are given (the filter reads only these). */
const iccRow = (icc: number, lower: number): IccRow =>
  ({
    type: "ICC1",
    icc,
    F: 10,
    df1: 9,
    df2: 60,
    p: 0,
    lower,
    upper: Math.min(1, icc + 0.02),
  }) as IccRow;

function tableRun(robustness: StudyRobustness | null, settings: Record<string, unknown> = {}) {
  const text = syntheticCohort(7, 0.9);
  const c = validateStudyConfig(
    syntheticStudyConfig({
      clinical: { model: ["ki67"] },
      evaluation: { bootstrap: 5, rocBootstrap: { replicates: 0 } },
    }),
  );
  // The schema forbids the step with a feature table (there are no images to perturb); the pure
  // pipeline is given the ICCs directly here.
  c.preprocessing.robustness = { ...c.preprocessing.robustness, enabled: true, ...settings };
  const cohort = parseCohortManifest(text, c);
  const features = parseFeatureTable(
    text,
    c,
    cohort.patients.map((p) => p.id),
  );
  return runStudyPipeline(
    { config: c, cohort, features, ...(robustness ? { robustness } : {}) },
    { createdAt: "2026-01-01" },
  );
}

/** f1_A ... f12_A with the given ICC estimates (lower limit 0.92 above 0.9, else 0.5), or undefined. */
function givenRobustness(iccOf: (j: number) => number | null): StudyRobustness {
  const c = validateStudyConfig(tableConfig({}));
  return {
    results: Array.from({ length: 12 }, (_, k) => {
      const icc = iccOf(k + 1);
      return icc === null
        ? {
            feature: `f${k + 1}_A`,
            icc: null,
            reason: "constant (0) across all cases and perturbations",
          }
        : { feature: `f${k + 1}_A`, icc: iccRow(icc, icc > 0.9 ? 0.92 : 0.5) };
    }),
    settings: { ...c.preprocessing.robustness, enabled: true, perturbations: 7, chain: "RTV" },
    patients: 60,
    sequences: ["A"],
    notes: [],
  };
}

test("the pipeline's robustness filter keeps features with ICC >= threshold after the ICC filter", () => {
  // f1, f3, f5, ... get 0.95 (kept), f2, f4, ... 0.6 (dropped) except f12: undefined ICC (dropped).
  const robustness = givenRobustness((j) => (j === 12 ? null : j % 2 === 1 ? 0.95 : 0.6));
  const out = tableRun(robustness);
  const step = out.result.funnel.find((s) => s.step.startsWith("robust"))!;
  assert.equal(step.step, "robust to perturbations (ICC1 >= 0.9)");
  assert.equal(step.count, 6);
  assert.deepEqual(out.details.robustnessDropped, [
    "f2_A",
    "f4_A",
    "f6_A",
    "f8_A",
    "f10_A",
    "f12_A",
  ]);
  assert.deepEqual(out.result.robustness, {
    chain: "RTV",
    perturbations: 7,
    seed: 20250101,
    type: "ICC1",
    threshold: 0.9,
    use: "estimate",
    patients: 60,
    sequences: ["A"],
    assessed: 12,
    kept: 6,
    dropped: 6,
    undefinedIcc: 1,
    // The 11 defined ICCs: six 0.95 and five 0.6; the 6th of 11 sorted is 0.95.
    medianIcc: 0.95,
  });
  assert.ok(
    out.model.features.every((f) => Number(f.slice(1, -2)) % 2 === 1),
    `${out.model.features}`,
  );
  assert.ok(
    out.result.warnings.some((w) =>
      /robustness: 1 feature\(s\) with an undefined ICC .* f12_A \(constant/.test(w),
    ),
  );
  // use: lower compares the lower limit: 0.92 >= 0.9 (kept), 0.5 (dropped); at 0.93 none is kept.
  assert.equal(tableRun(robustness, { use: "lower" }).result.robustness!.kept, 6);
  assert.throws(
    () => tableRun(robustness, { use: "lower", threshold: 0.93 }),
    /no feature reached ICC1 >= 0.93/,
  );
});

test("the robustness filter's errors name the setting", () => {
  assert.throws(
    () => tableRun(givenRobustness(() => 0.5)),
    /no feature reached ICC1 >= 0.9 across image perturbations; lower preprocessing\.robustness\.threshold/,
  );
  assert.throws(
    () => tableRun(null),
    /preprocessing\.robustness is enabled but the run has no perturbed features/,
  );
  const partial = givenRobustness(() => 0.95);
  partial.results.pop();
  assert.throws(
    () => tableRun(partial),
    /preprocessing\.robustness: no ICC across perturbations for feature 'f12_A'/,
  );
});

// --- The image study: perturbations through the extraction pool -------------------------------

/** Patient i's image (constant L_i) and mask (the cohort's sphere of radius 4 and row of i voxels). */
function patientImages(i: number, level: number) {
  const [nx, ny, nz] = ROBUSTNESS_GRID;
  const image = gridVolume(new Float32Array(nx * ny * nz).fill(level));
  return { image, mask: sphereWithRow(i, 4, 1) };
}

async function writeImageStudy(dir: string): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const [i, p] of ROBUSTNESS_PATIENTS.entries()) {
    const { image, mask } = patientImages(i % 10, p.level);
    await writeImageFile(join(dir, `${p.id}_image.nrrd`), image);
    await writeImageFile(join(dir, `${p.id}_mask.nrrd`), mask);
    rows.push([p.id, p.set, p.pcr, p.ki67, `${p.id}_image.nrrd`, `${p.id}_mask.nrrd`]);
  }
  writeFileSync(
    join(dir, "manifest.csv"),
    formatCsv(["id", "set", "pcr", "ki67", "T2_image", "T2_mask"], rows),
  );
  writeFileSync(
    join(dir, "params.yaml"),
    "imageType:\n  Original: {}\nfeatureClass:\n  shape:\n  firstorder:\nsetting:\n  binWidth: 25\n",
  );
}

function studyYaml(jobs: number, cache: boolean, report: boolean): string {
  return [
    "cohort:",
    "  manifest: manifest.csv",
    "  outcome: { column: pcr }",
    "  sequences: { T2: { image: T2_image, mask: T2_mask, params: params.yaml } }",
    "  clinical: { ki67: { type: binary } }",
    // No N (a constant image has no noise to estimate) and no C (no edges for supervoxels): the
    // intensities inside any perturbed ROI stay L_i. 7 perturbations: each default volume
    // fraction once per patient.
    "preprocessing: { robustness: { enabled: true, chain: RTV, perturbations: 7, seed: 11 } }",
    `extraction: { jobs: ${jobs}, cache: ${cache} }`,
    "selection: { fClassif: { p: 0.99 }, lasso: { folds: 3 } }",
    "clinical: { model: [ki67] }",
    "evaluation: { bootstrap: 5, rocBootstrap: { replicates: 0 } }",
    `outputs: { report: ${report} }`,
    "",
  ].join("\n");
}

async function runImageStudy(
  dir: string,
  name: string,
  jobs: number,
  cache: boolean,
  report = false,
) {
  writeFileSync(join(dir, `${name}.yaml`), studyYaml(jobs, cache, report));
  return runStudyFromConfig(join(dir, `${name}.yaml`), {
    out: join(dir, "out", cache ? "cached" : name),
    log: () => {},
    progress: false,
    createdAt: "2026-01-01T00:00:00Z",
  });
}

/** robustness.csv as feature -> [icc, robust]. */
function robustnessCsv(run: StudyRunSummary): Map<string, { icc: number; robust: boolean }> {
  const t = parseCsv(readFileSync(join(run.out, "robustness.csv"), "utf8"));
  assert.deepEqual(t.header, ["feature", "icc", "lower", "upper", "robust", "reason"]);
  return new Map(t.rows.map((r) => [r[0]!, { icc: Number(r[1]), robust: r[4] === "1" }]));
}

test("image study: perturbations through the pool keep the stable Mean and drop the volume; deterministic", async () => {
  const dir = mkdtempSync(join(tmpdir(), "radscore-robustness-"));
  try {
    await writeImageStudy(dir);
    const pooled = await runImageStudy(dir, "pooled", 2, true, true);
    const icc = robustnessCsv(pooled);
    // Every shape and first-order feature (before any filter), each with an ICC or a reason.
    assert.ok(icc.size > 20, `${icc.size} features`);
    const mean = icc.get("original_firstorder_Mean_T2")!;
    assert.ok(mean.icc > 0.999 && mean.robust, `Mean ICC ${mean.icc}`);
    for (const name of ["original_shape_VoxelVolume_T2", "original_shape_MeshVolume_T2"]) {
      const v = icc.get(name)!;
      assert.ok(v.icc < 0.5 && !v.robust, `${name} ICC ${v.icc}`);
    }
    const r = pooled.output.result;
    const step = r.funnel.findIndex((s) => s.step === "robust to perturbations (ICC1 >= 0.9)");
    assert.ok(step > 0, JSON.stringify(r.funnel));
    const summary = r.robustness!;
    assert.equal(summary.chain, "RTV");
    assert.equal(summary.perturbations, 7);
    assert.equal(summary.patients, 10);
    assert.deepEqual(summary.sequences, ["T2"]);
    assert.equal(summary.assessed, r.funnel[step - 1]!.count);
    assert.equal(summary.kept, r.funnel[step]!.count);
    assert.equal(summary.kept + summary.dropped, summary.assessed);
    const dropped = pooled.output.details.robustnessDropped;
    assert.ok(dropped.includes("original_shape_VoxelVolume_T2"));
    assert.ok(!dropped.includes("original_firstorder_Mean_T2"));
    assert.ok(r.timings.some((t) => t.stage === "perturbation robustness"));
    // Cache entries: one per training patient and sequence.
    const cached = readdirSync(join(pooled.out, "cache")).filter((f) => f.startsWith("perturbed-"));
    assert.equal(cached.length, 10);
    // The report's paragraph beside the funnel and the checklists' answers.
    const html = readFileSync(join(pooled.out, "report", "report.html"), "utf8");
    assert.match(
      html,
      /each of the 10 training patients&#39;? images and masks \(T2\) was perturbed 7 times by rotation, sub-voxel translation and volume growth or shrinkage \(chain RTV, seed 11/,
    );
    const lists = checklistFiles(pooled.output);
    const clear = Object.entries(lists).find(([n]) => /clear/i.test(n))![1];
    assert.match(
      clear,
      /No second reader in this run \(no inter-reader ICC filter\)\. Instead: Feature robustness without a second reader \(image perturbation, Zwanenburg et al\. 2019\)/,
    );
    assert.match(clear, new RegExp(`${summary.kept} of ${summary.assessed} features kept`));
    assert.match(
      clear,
      /robustness to image perturbations \(7 perturbations, chain RTV, of each training patient's images; Zwanenburg et al\. 2019\): ICC1 >= 0\.9/,
    );
    const tripod = Object.entries(lists).find(([n]) => /tripod/i.test(n))![1];
    assert.match(
      tripod,
      /Robustness to image perturbations: 10 training patients x 7 perturbations of each sequence/,
    );
    assert.ok(existsSync(join(pooled.out, "robustness.csv")));
    assert.ok(pooled.files.includes("robustness.csv"));

    // Determinism: in this thread without a cache (jobs 1), and from the cache, the same ICCs
    // and the same kept features, to the last bit.
    const single = await runImageStudy(dir, "single", 1, false);
    const again = await runImageStudy(dir, "again", 2, true);
    for (const other of [single, again]) {
      assert.deepEqual(robustnessCsv(other), icc);
      assert.deepEqual(other.output.details.robustnessDropped, dropped);
      assert.deepEqual(other.output.result.robustness, summary);
      assert.deepEqual(other.output.model.features, pooled.output.model.features);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
