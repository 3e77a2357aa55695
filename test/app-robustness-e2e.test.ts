/**
 * The study's robustness step (preprocessing.robustness) in the web app, end to end in chromium:
 * a small image study with two sequences (one with its own ROI label and parameters), chain RTV
 * and 5 perturbations, run in the page from its folder, gives the library's result: the same
 * robustness.csv (every feature's ICC across perturbations), the same funnel step and robustness
 * summary in result.json and the same model features as runStudyPipeline given the ICCs that the
 * pure functions compute on the same images (robustnessPlan with seed + the patient's manifest
 * index, extractPerturbedFeatures, assessRobustness), and as `radscore study` on the same folder.
 * The progress line names the perturbations, and a second run answers them from the feature store
 * with the same numbers. Without chromium it skips loudly, as the other app tests do.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { extractFeatures } from "../src/extract/extractor.js";
import { parseParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { extractPerturbedFeatures } from "../src/image/perturbation/features.js";
import { formatCsv } from "../src/io/csv.js";
import { readImageFile, writeImageFile } from "../src/node/files.js";
import { runStudyFromConfig } from "../src/node/study-runner.js";
import { parseCohortManifest } from "../src/study/cohort.js";
import { parseStudyConfig } from "../src/study/config.js";
import { assembleExtraction, planExtractionPairs } from "../src/study/extraction-plan.js";
import { suffixFeatureNames } from "../src/study/features-table.js";
import { resultJson } from "../src/study/outputs.js";
import { runStudyPipeline } from "../src/study/pipeline.js";
import {
  assessRobustness,
  ROBUSTNESS_CSV_HEADER,
  robustnessCsvRows,
  robustnessPlan,
} from "../src/study/robustness.js";
import { assertClose, assertSameTable, downloaded } from "./support/app-compare.js";
import {
  type AppSession,
  chromiumPath,
  missingBrowser,
  openApp,
  openFolder,
  waitForDone,
} from "./support/browser.js";
import {
  gridVolume,
  ROBUSTNESS_GRID,
  ROBUSTNESS_PATIENTS,
  sphereWithRow,
} from "./support/robustness-cohort.js";

const browserPath = chromiumPath();
const work = mkdtempSync(join(tmpdir(), "radscore-app-robustness-"));

/**
 * Patient i's image of a sequence: its level L_i (different per patient) with a smooth texture, so
 * rotations and sub-voxel shifts change the intensity features a little and the level keeps them
 * apart between patients; its mask: the cohort's sphere (radius `radius`, value `label`) and row.
 */
function sequenceImages(i: number, level: number, radius: number, label: number) {
  const [nx, ny, nz] = ROBUSTNESS_GRID;
  const image = gridVolume(new Float32Array(nx * ny * nz));
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++)
        image.data[x + nx * (y + ny * z)] =
          level + 30 * Math.sin(0.8 * x + 0.3 * i) * Math.cos(0.6 * y) + 4 * z;
  return { image, mask: sphereWithRow(i, radius, label) };
}

const STUDY_YAML = [
  "cohort:",
  "  manifest: manifest.csv",
  "  outcome: { column: pcr }",
  "  sequences:",
  "    T2: { image: T2_image, mask: T2_mask, params: params-t2.yaml }",
  "    ADC: { image: ADC_image, mask: ADC_mask, params: params-adc.yaml, label: 2 }",
  "  clinical: { ki67: { type: binary } }",
  "preprocessing: { robustness: { enabled: true, chain: RTV, perturbations: 5, seed: 11 } }",
  "selection: { fClassif: { p: 0.99 }, lasso: { folds: 3 } }",
  "clinical: { model: [ki67] }",
  "evaluation: { bootstrap: 5, rocBootstrap: { replicates: 0 } }",
  "outputs: { report: false }",
  "",
].join("\n");

const PARAMS = {
  "params-t2.yaml":
    "imageType:\n  Original: {}\nfeatureClass:\n  shape:\n  firstorder:\nsetting:\n  binWidth: 25\n",
  "params-adc.yaml":
    "imageType:\n  Original: {}\nfeatureClass:\n  firstorder:\n  glcm:\nsetting:\n  binWidth: 10\n",
};

async function writeStudy(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const rows: (string | number)[][] = [];
  for (const [i, p] of ROBUSTNESS_PATIENTS.entries()) {
    const t2 = sequenceImages(i % 10, p.level, 4, 1);
    const adc = sequenceImages(i % 10, 2 * p.level, 3.5, 2);
    for (const [seq, images] of [
      ["T2", t2],
      ["ADC", adc],
    ] as const) {
      await writeImageFile(join(dir, `${p.id}_${seq}_image.nrrd`), images.image);
      await writeImageFile(join(dir, `${p.id}_${seq}_mask.nrrd`), images.mask);
    }
    rows.push([
      p.id,
      p.set,
      p.pcr,
      p.ki67,
      `${p.id}_T2_image.nrrd`,
      `${p.id}_T2_mask.nrrd`,
      `${p.id}_ADC_image.nrrd`,
      `${p.id}_ADC_mask.nrrd`,
    ]);
  }
  writeFileSync(
    join(dir, "manifest.csv"),
    formatCsv(["id", "set", "pcr", "ki67", "T2_image", "T2_mask", "ADC_image", "ADC_mask"], rows),
  );
  for (const [name, text] of Object.entries(PARAMS)) writeFileSync(join(dir, name), text);
  writeFileSync(join(dir, "study.yaml"), STUDY_YAML);
}

/**
 * The library's study on the folder: every pair extracted, the training patients' reader-1 pairs
 * perturbed with robustnessPlan (seed + manifest index) and their ICCs from assessRobustness,
 * then runStudyPipeline given them as StudyInput.robustness.
 */
async function libraryStudy(dir: string) {
  const config = parseStudyConfig(STUDY_YAML);
  const cohort = parseCohortManifest(readFileSync(join(dir, "manifest.csv"), "utf8"), config);
  const sequences = config.cohort.sequences!;
  const params = Object.fromEntries(
    Object.entries(sequences).map(([seq, sc]) => [
      seq,
      parseParams(PARAMS[sc.params as keyof typeof PARAMS], FEATURE_CATALOGUE),
    ]),
  );
  const read = (name: string) => readImageFile(join(dir, name));
  const pairs = planExtractionPairs(cohort);
  const results: Record<string, number>[] = [];
  for (const pair of pairs) {
    const label = sequences[pair.seq]!.label;
    const features = extractFeatures(
      await read(pair.image),
      await read(pair.mask),
      params[pair.seq]!,
      label !== undefined ? { label } : {},
    ).features;
    results.push(suffixFeatureNames(features, pair.seq));
  }
  const sequenceInfo = Object.fromEntries(
    Object.entries(sequences).map(([seq, sc]) => [
      seq,
      { paramsText: PARAMS[sc.params as keyof typeof PARAMS], label: sc.label },
    ]),
  );
  const { features, reader2, extraction } = assembleExtraction(
    cohort,
    pairs,
    results,
    sequenceInfo,
  );
  const settings = config.preprocessing.robustness;
  const training = cohort.patients.flatMap((p, i) => (p.role === "training" ? [i] : []));
  const perSequence = [];
  for (const sequence of cohort.sequences) {
    const perturbed = [];
    for (const i of training) {
      const files = cohort.patients[i]!.images[sequence]!;
      const label = sequences[sequence]!.label ?? params[sequence]!.settings.label;
      perturbed.push(
        extractPerturbedFeatures(
          await read(files.image),
          await read(files.mask),
          robustnessPlan(settings, i, label),
          params[sequence]!,
        ),
      );
    }
    perSequence.push({
      sequence,
      caseIds: training.map((i) => cohort.patients[i]!.id),
      perturbed,
    });
  }
  const robustness = assessRobustness(perSequence, settings);
  const output = runStudyPipeline({ config, cohort, features, reader2, robustness, extraction });
  return { robustness, output };
}

describe("web app robustness step (chromium)", {
  skip: browserPath ? false : missingBrowser("web app robustness e2e"),
}, () => {
  let app: AppSession;
  before(async () => {
    app = await openApp(browserPath!);
    // Every text the progress line showed during the runs.
    await app.page.addInitScript(() => {
      const w = window as unknown as { __progress: string[] };
      w.__progress = [];
      document.addEventListener("DOMContentLoaded", () => {
        new MutationObserver(() => {
          const text = document.querySelector('[data-role="progress-text"]')?.textContent ?? "";
          if (text !== w.__progress.at(-1)) w.__progress.push(text);
        }).observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    });
  });
  after(async () => {
    await app?.close();
  });

  test("a study with preprocessing.robustness runs in the page and equals the library and the CLI", {
    timeout: 600_000,
  }, async () => {
    const folder = join(work, "robustness-study");
    await writeStudy(folder);
    const library = await libraryStudy(folder);
    const libraryCsv = formatCsv(ROBUSTNESS_CSV_HEADER, robustnessCsvRows(library.robustness));
    const cli = await runStudyFromConfig(join(folder, "study.yaml"), {
      out: join(work, "robustness-cli"),
      log: () => {},
      progress: false,
    });

    const page = app.page;
    await openFolder(app, folder, "robustness-study");
    await page.click('[data-tab="study"]');
    await page.click('[data-action="run"]');
    await waitForDone(page, 300_000);
    const progress = await page.evaluate(
      () => (window as unknown as { __progress: string[] }).__progress,
    );
    // 10 training patients x 2 sequences, after the extraction of 16 x 2 images.
    assert.ok(
      progress.some((t) => /^perturbations: 20 \/ 20 images/.test(t)),
      progress.join("\n"),
    );
    const robustnessCsv = readFileSync(
      (await downloaded(app, '[data-download="robustness.csv"]', work)).path,
      "utf8",
    );
    // Both sequences' features, suffixed: T2's shape and first-order, ADC's first-order and GLCM.
    assert.match(robustnessCsv, /^original_shape_VoxelVolume_T2,/m);
    assert.match(robustnessCsv, /^original_glcm_Contrast_ADC,/m);
    assertSameTable(robustnessCsv, libraryCsv, "robustness.csv (library)");
    assertSameTable(
      robustnessCsv,
      readFileSync(join(cli.out, "robustness.csv"), "utf8"),
      "robustness.csv (CLI)",
    );
    const result = JSON.parse(
      readFileSync((await downloaded(app, '[data-download="result.json"]', work)).path, "utf8"),
    );
    // As result.json holds it (undefined numbers as null).
    const want = JSON.parse(resultJson(library.output.result)) as typeof library.output.result;
    assert.ok(
      want.funnel.some((s) => s.step === "robust to perturbations (ICC1 >= 0.9)"),
      JSON.stringify(want.funnel),
    );
    assert.ok(want.robustness!.dropped > 0 && want.robustness!.kept > 0, "some kept, some not");
    assertClose(result.funnel, want.funnel, "funnel");
    assertClose(result.robustness, want.robustness, "robustness");
    assertClose(result.selectedFeatures, want.selectedFeatures, "selectedFeatures");
    assertClose(result.table3, want.table3, "table3");
    assertClose(result.funnel, cli.output.result.funnel, "funnel (CLI)");
    const model = JSON.parse(
      readFileSync((await downloaded(app, '[data-download="model.json"]', work)).path, "utf8"),
    );
    assert.deepEqual(model.features, library.output.model.features);
    assert.deepEqual(model.features, cli.output.model.features);
    const manifest = JSON.parse(
      readFileSync((await downloaded(app, '[data-download="manifest.json"]', work)).path, "utf8"),
    );
    assert.equal(manifest.seeds.perturbations, 11);
    assert.ok(manifest.files.includes("robustness.csv"));
    assert.ok(
      manifest.timings.some((t: { stage: string }) => t.stage === "perturbation robustness"),
    );

    // Again: every perturbed case from the feature store, the same ICCs to the last digit.
    await page.click('[data-tab="study"]');
    await page.click('[data-action="run"]');
    await waitForDone(page, 300_000);
    const again = await page.evaluate(
      () => (window as unknown as { __progress: string[] }).__progress,
    );
    assert.ok(
      again.some((t) => /^perturbations: 20 \/ 20 images \(20 from earlier runs\)/.test(t)),
      again.join("\n"),
    );
    assert.equal(
      readFileSync((await downloaded(app, '[data-download="robustness.csv"]', work)).path, "utf8"),
      robustnessCsv,
    );
    assert.deepEqual(app.errors, []);
  });
});
