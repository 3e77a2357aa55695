/**
 * `radscore demo [--out DIR] [--seed N] [--dicom]`: the whole reference-style study on a synthetic
 * two-centre cohort, no data needed. Generates (once; cached in DIR/cohort) 68 training and 65 test
 * patients with T2, DWI and DCE2 images, masks and a second reader's masks for the first 30
 * training patients; writes their manifest, the extraction parameters and study.yaml; then runs
 * the study into DIR (features.csv, model.json, result.json, predictions.csv, manifest.json,
 * report/).
 *
 * With --dicom the same cohort is written as the centres' scanners would export it
 * (src/study/demo-dicom.ts: Philips 3 T with 5 DCE phases, Siemens 1.5 T with 6; DWI b = 0 / 800
 * in the vendors' tags; masks as DICOM-SEG) into DIR/cohort-dicom/<id>/{T2,DWI,DCE}/ and
 * DIR/cohort-dicom/<id>/<SEQ>_seg.dcm (<SEQ>_seg2.dcm for the second reader), with
 * DIR/cohort-dicom/manifest.csv and DIR/study-dicom.yaml (study.yaml with that manifest and the
 * DICOM selectors DWI bvalue 800, DCE2 phase 2), and the study runs from DICOM.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { formatCsv } from "../io/csv.js";
import { writeFileAtomic } from "../node/atomic.js";
import { writeImageFile } from "../node/files.js";
import { runStudyFromConfig } from "../node/study-runner.js";
import { DEMO_SEQUENCES, generateDemoImages } from "../study/demo-cohort.js";
import { DEMO_DICOM_SEQUENCES, demoDicomPatient } from "../study/demo-dicom.js";
import {
  clinicalCells,
  type DemoWriteOptions,
  demoParamsYaml,
  demoStudyConfig,
  MANIFEST_HEADER,
  planDemoCohort,
  toYaml,
} from "../study/demo-study.js";
import { summarizeStudy } from "./study.js";

export {
  DEMO_IMAGE_TYPES,
  DEMO_SECOND_READER_PATIENTS,
  type DemoWriteOptions,
  demoParamsYaml,
  demoStudyConfig,
  type PlannedDemoPatient,
  planDemoCohort,
} from "../study/demo-study.js";

const GENERATOR_VERSION = "demo-cohort/3";
const DICOM_GENERATOR_VERSION = "demo-cohort-dicom/1";

/** The stamp of a generated cohort: what must match for a rerun to reuse it. */
function cohortStamp(generator: string, seed: number, options: DemoWriteOptions): string {
  return JSON.stringify({
    generator,
    seed,
    params: options.params ?? demoParamsYaml(),
    // Only subsets are recorded, so that the full cohort's stamp is the one earlier versions wrote.
    ...(options.patients ? { patients: options.patients } : {}),
  });
}

async function isCurrent(stampPath: string, manifestPath: string, stamp: string): Promise<boolean> {
  return (
    existsSync(stampPath) &&
    existsSync(manifestPath) &&
    (await readFile(stampPath, "utf8")) === stamp
  );
}

/** Generates the demo cohort into `dir` unless an identical one (same seed, same generator) is there. */
export async function writeDemoCohort(
  dir: string,
  seed: number,
  log: (m: string) => void,
  options: DemoWriteOptions = {},
): Promise<void> {
  const stampPath = join(dir, "cohort", "generator.json");
  const stamp = cohortStamp(GENERATOR_VERSION, seed, options);
  const manifestPath = join(dir, "cohort", "manifest.csv");
  if (await isCurrent(stampPath, manifestPath, stamp)) {
    log(`demo cohort (seed ${seed}) already in ${join(dir, "cohort")}`);
    await writeStudyFiles(dir, options);
    return;
  }
  await mkdir(join(dir, "cohort", "images"), { recursive: true });
  const patients = planDemoCohort(seed, options.patients);
  const t0 = performance.now();
  const rows: (string | number)[][] = [];
  for (const { patient: p, secondReader: withSecond } of patients) {
    const paths: string[] = [];
    for (const s of DEMO_SEQUENCES) {
      const im = generateDemoImages(p, s, { secondReader: withSecond });
      const base = `images/${p.id}_${s}`;
      await writeImageFile(join(dir, "cohort", `${base}_image.nrrd`), im.image);
      await writeImageFile(join(dir, "cohort", `${base}_mask.nrrd`), im.mask);
      if (withSecond) await writeImageFile(join(dir, "cohort", `${base}_mask2.nrrd`), im.mask2);
      paths.push(`${base}_image.nrrd`, `${base}_mask.nrrd`, withSecond ? `${base}_mask2.nrrd` : "");
    }
    rows.push([...clinicalCells(p), ...paths]);
    if (process.stderr.isTTY)
      process.stderr.write(`\rgenerating demo cohort ${rows.length}/${patients.length}`);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  await writeFileAtomic(manifestPath, formatCsv(MANIFEST_HEADER, rows));
  await writeStudyFiles(dir, options);
  await writeFileAtomic(stampPath, stamp);
  log(
    `generated the demo cohort (${patients.length} patients x ${DEMO_SEQUENCES.length} sequences) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function writeStudyFiles(dir: string, options: DemoWriteOptions = {}): Promise<void> {
  await writeFileAtomic(join(dir, "params.yaml"), options.params ?? demoParamsYaml());
  await writeFileAtomic(join(dir, "study.yaml"), toYaml(demoStudyConfig()));
}

/**
 * study-dicom.yaml: the demo's study.yaml with the DICOM cohort's manifest, and the series
 * selectors of the sequences whose series hold several volumes (DWI: b = 800; DCE2: phase 2).
 */
export function demoDicomStudyConfig(): Record<string, unknown> {
  const config = demoStudyConfig();
  const cohort = config.cohort as Record<string, unknown>;
  const sequences = cohort.sequences as Record<string, Record<string, unknown>>;
  return {
    ...config,
    cohort: {
      ...cohort,
      manifest: "cohort-dicom/manifest.csv",
      sequences: Object.fromEntries(
        DEMO_SEQUENCES.map((s) => [s, { ...sequences[s], ...DEMO_DICOM_SEQUENCES[s].selector }]),
      ),
    },
  };
}

/**
 * Generates the demo cohort as DICOM into `dir`/cohort-dicom (see the module comment) unless an
 * identical one is there, and writes params.yaml and study-dicom.yaml.
 */
export async function writeDemoDicomCohort(
  dir: string,
  seed: number,
  log: (m: string) => void,
  options: DemoWriteOptions = {},
): Promise<void> {
  const root = join(dir, "cohort-dicom");
  const stampPath = join(root, "generator.json");
  const stamp = cohortStamp(DICOM_GENERATOR_VERSION, seed, options);
  const manifestPath = join(root, "manifest.csv");
  if (await isCurrent(stampPath, manifestPath, stamp)) {
    log(`DICOM demo cohort (seed ${seed}) already in ${root}`);
    await writeDicomStudyFiles(dir, options);
    return;
  }
  // A series folder is read recursively: files left from another seed or subset must not join it.
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  const patients = planDemoCohort(seed, options.patients);
  const t0 = performance.now();
  const rows: (string | number)[][] = [];
  let files = 0;
  for (const { patient: p, secondReader } of patients) {
    const written = demoDicomPatient(p, { seed, secondReader });
    for (const f of written.files) {
      const path = join(root, p.id, ...f.path.split("/"));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.bytes);
    }
    files += written.files.length;
    const paths = DEMO_SEQUENCES.flatMap((s) => {
      const q = written.sequences[s];
      return [`${p.id}/${q.image}`, `${p.id}/${q.mask}`, q.mask2 ? `${p.id}/${q.mask2}` : ""];
    });
    rows.push([...clinicalCells(p), ...paths]);
    if (process.stderr.isTTY)
      process.stderr.write(`\rgenerating DICOM demo cohort ${rows.length}/${patients.length}`);
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
  await writeFileAtomic(manifestPath, formatCsv(MANIFEST_HEADER, rows));
  await writeDicomStudyFiles(dir, options);
  // Last: a cohort interrupted half-way has no stamp and is regenerated.
  await writeFileAtomic(stampPath, stamp);
  log(
    `generated the DICOM demo cohort (${patients.length} patients, ${files} files) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}

async function writeDicomStudyFiles(dir: string, options: DemoWriteOptions = {}): Promise<void> {
  await writeFileAtomic(join(dir, "params.yaml"), options.params ?? demoParamsYaml());
  await writeFileAtomic(join(dir, "study-dicom.yaml"), toYaml(demoDicomStudyConfig()));
}

export async function runDemo(opts: {
  out?: string;
  seed?: string;
  dicom?: boolean;
}): Promise<number> {
  const out = resolve(opts.out ?? "demo-out");
  const seed = opts.seed === undefined ? 20250101 : Number(opts.seed);
  if (!Number.isInteger(seed) || seed < 1 || seed > 2147483647)
    throw new Error(`--seed must be a positive integer, got '${opts.seed}'`);
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const t0 = performance.now();
  await mkdir(out, { recursive: true });
  if (opts.dicom) await writeDemoDicomCohort(out, seed, log);
  else await writeDemoCohort(out, seed, log);
  const generation = (performance.now() - t0) / 1000;
  const configFile = opts.dicom ? "study-dicom.yaml" : "study.yaml";
  const summary = await runStudyFromConfig(join(out, configFile), { out, log });
  const result = summary.output.result;
  result.timings.unshift({ stage: "demo cohort generation", seconds: generation });
  process.stdout.write(summarizeStudy(result));
  process.stdout.write(
    [
      `demo study written to ${out}: ${configFile}, params.yaml, ${opts.dicom ? "cohort-dicom/" : "cohort/"}, features.csv, model.json, result.json, predictions.csv, manifest.json, report/`,
      `score new patients: radscore predict --model ${join(out, "model.json")} --cases CASES.csv`,
      "",
    ].join("\n"),
  );
  return 0;
}
