/**
 * `radscore demo [--out DIR] [--seed N]`: the whole reference-style study on a synthetic
 * two-centre cohort, no data needed. Generates (once; cached in DIR/cohort) 68 training and 65 test
 * patients with T2, DWI and DCE2 images, masks and a second reader's masks for the first 30
 * training patients; writes their manifest, the extraction parameters and study.yaml; then runs
 * the study into DIR (features.csv, model.json, result.json, predictions.csv, manifest.json,
 * report/).
 */
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import yaml from "js-yaml";
import { formatCsv } from "../io/csv.js";
import { writeFileAtomic } from "../node/atomic.js";
import { writeImageFile } from "../node/files.js";
import { runStudyFromConfig } from "../node/study-runner.js";
import { DEMO_SEQUENCES, generateDemoCohort, generateDemoImages } from "../study/demo-cohort.js";
import { summarizeStudy } from "./study.js";

/** YAML text of a plain value (long strings kept on one line). */
const toYaml = (value: unknown): string => yaml.dump(value, { lineWidth: -1 });

/**
 * Image types of the demo's extraction: Original plus six filtered images (665 features per
 * sequence). Every PyRadiomics image type is available (src/filters/index.ts); Wavelet is left out
 * because on 68 training patients its 744 extra features per sequence mostly add spurious LASSO
 * candidates and double the extraction time.
 */
export const DEMO_IMAGE_TYPES: Record<string, Record<string, unknown>> = {
  Original: {},
  LoG: { sigma: [2.0, 4.0] },
  Square: {},
  SquareRoot: {},
  Logarithm: {},
  Gradient: {},
};

/** Second-reader masks are drawn for this many training patients (inter-observer ICC). */
export const DEMO_SECOND_READER_PATIENTS = 30;

const GENERATOR_VERSION = "demo-cohort/3";

/** PyRadiomics parameter text of the demo extraction. */
export function demoParamsYaml(): string {
  return toYaml({
    imageType: DEMO_IMAGE_TYPES,
    featureClass: {
      shape: null,
      firstorder: null,
      glcm: null,
      glrlm: null,
      glszm: null,
      gldm: null,
      ngtdm: null,
    },
    // MRI intensities have no absolute scale: z-score each image first (PyRadiomics' normalize).
    setting: { binWidth: 25, label: 1, normalize: true, normalizeScale: 100 },
  });
}

/** The demo's study.yaml (every modelling choice spelled out). */
export function demoStudyConfig(): Record<string, unknown> {
  const cat = (levels: string[]) => ({ type: "categorical", levels, reference: levels[0] });
  return {
    title: "Synthetic HER2+ NAT cohort: MRI radiomics nomogram for pCR (radscore demo)",
    cohort: {
      manifest: "cohort/manifest.csv",
      id: "id",
      centre: "centre",
      role: { byCentre: { training: ["1"], test: ["2"] } },
      outcome: {
        column: "miller_payne",
        millerPayne: true,
        eventLabel: "pCR",
        noneventLabel: "non-pCR",
      },
      sequences: Object.fromEntries(
        DEMO_SEQUENCES.map((s) => [
          s,
          { image: `${s}_image`, mask: `${s}_mask`, mask2: `${s}_mask2`, params: "params.yaml" },
        ]),
      ),
      clinical: {
        age: { type: "continuous" },
        menopausal: { type: "binary", labels: ["pre", "post"] },
        lymphadenopathy: { type: "binary", labels: ["no", "yes"] },
        diameter_mm: { type: "continuous" },
        margin: cat(["clear", "unclear"]),
        morphology: cat(["regular", "irregular"]),
        enhancement: cat(["lump", "non-lump"]),
        tic_type: cat(["I", "II", "III"]),
        adc: { type: "continuous" },
        lesions: cat(["single", "multiple"]),
        ki67_high: { type: "binary", labels: ["<20%", ">=20%"] },
        t_stage: cat(["T1", "T2", "T3", "T4"]),
        bpe: cat(["minimal", "mild", "moderate", "marked"]),
      },
    },
    preprocessing: { scaler: "minmax", icc: { enabled: true, threshold: 0.75, type: "ICC2" } },
    selection: {
      fClassif: { enabled: true, p: 0.05 },
      lasso: {
        flavor: "glmnet-binomial",
        folds: 10,
        foldAssignment: "random",
        seed: 20250101,
        lambda: "lambda.1se",
      },
      keepOnePerSequence: true,
    },
    radscore: { model: "lasso" },
    clinical: { univariableP: 0.05, multivariableP: 0.05 },
    evaluation: { bootstrap: 200, seed: 20250101 },
  };
}

/** Generates the demo cohort into `dir` unless an identical one (same seed, same generator) is there. */
export async function writeDemoCohort(
  dir: string,
  seed: number,
  log: (m: string) => void,
): Promise<void> {
  const stampPath = join(dir, "cohort", "generator.json");
  const stamp = JSON.stringify({ generator: GENERATOR_VERSION, seed, params: demoParamsYaml() });
  const manifestPath = join(dir, "cohort", "manifest.csv");
  if (existsSync(stampPath) && existsSync(manifestPath)) {
    if ((await readFile(stampPath, "utf8")) === stamp) {
      log(`demo cohort (seed ${seed}) already in ${join(dir, "cohort")}`);
      await writeStudyFiles(dir);
      return;
    }
  }
  await mkdir(join(dir, "cohort", "images"), { recursive: true });
  const patients = generateDemoCohort({ seed });
  const t0 = performance.now();
  let reader2 = 0;
  const rows: (string | number)[][] = [];
  for (const p of patients) {
    const withSecond = p.set === "training" && reader2 < DEMO_SECOND_READER_PATIENTS;
    if (withSecond) reader2++;
    const paths: string[] = [];
    for (const s of DEMO_SEQUENCES) {
      const im = generateDemoImages(p, s, { secondReader: withSecond });
      const base = `images/${p.id}_${s}`;
      await writeImageFile(join(dir, "cohort", `${base}_image.nrrd`), im.image);
      await writeImageFile(join(dir, "cohort", `${base}_mask.nrrd`), im.mask);
      if (withSecond) await writeImageFile(join(dir, "cohort", `${base}_mask2.nrrd`), im.mask2);
      paths.push(`${base}_image.nrrd`, `${base}_mask.nrrd`, withSecond ? `${base}_mask2.nrrd` : "");
    }
    const c = p.clinical;
    rows.push([
      p.id,
      p.centre,
      p.millerPayne,
      c.age,
      c.menopausal,
      c.lymphadenopathy,
      c.diameter_mm,
      c.margin,
      c.morphology,
      c.enhancement,
      c.tic_type,
      c.adc,
      c.lesions,
      c.ki67_high,
      c.t_stage,
      c.bpe,
      ...paths,
    ]);
    if (process.stderr.isTTY)
      process.stderr.write(`\rgenerating demo cohort ${rows.length}/${patients.length}`);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  const header = [
    "id",
    "centre",
    "miller_payne",
    "age",
    "menopausal",
    "lymphadenopathy",
    "diameter_mm",
    "margin",
    "morphology",
    "enhancement",
    "tic_type",
    "adc",
    "lesions",
    "ki67_high",
    "t_stage",
    "bpe",
    ...DEMO_SEQUENCES.flatMap((s) => [`${s}_image`, `${s}_mask`, `${s}_mask2`]),
  ];
  await writeFileAtomic(manifestPath, formatCsv(header, rows));
  await writeStudyFiles(dir);
  await writeFileAtomic(stampPath, stamp);
  log(
    `generated the demo cohort (${patients.length} patients x ${DEMO_SEQUENCES.length} sequences) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function writeStudyFiles(dir: string): Promise<void> {
  await writeFileAtomic(join(dir, "params.yaml"), demoParamsYaml());
  await writeFileAtomic(join(dir, "study.yaml"), toYaml(demoStudyConfig()));
}

export async function runDemo(opts: { out?: string; seed?: string }): Promise<number> {
  const out = resolve(opts.out ?? "demo-out");
  const seed = opts.seed === undefined ? 20250101 : Number(opts.seed);
  if (!Number.isInteger(seed) || seed < 1 || seed > 2147483647)
    throw new Error(`--seed must be a positive integer, got '${opts.seed}'`);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const t0 = performance.now();
  await mkdir(out, { recursive: true });
  await writeDemoCohort(out, seed, log);
  const generation = (performance.now() - t0) / 1000;
  const summary = await runStudyFromConfig(join(out, "study.yaml"), { out, log });
  const result = summary.output.result;
  result.timings.unshift({ stage: "demo cohort generation", seconds: generation });
  process.stdout.write(summarizeStudy(result));
  process.stdout.write(
    [
      `demo study written to ${out}: study.yaml, params.yaml, cohort/, features.csv, model.json, result.json, predictions.csv, manifest.json, report/`,
      `score new patients: radscore predict --model ${join(out, "model.json")} --cases CASES.csv`,
      "",
    ].join("\n"),
  );
  return 0;
}
