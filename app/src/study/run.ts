/**
 * Runs a study in the page: validates the configuration and the manifest (the CLI's messages),
 * extracts every image / mask pair on the worker pool (finished cases kept in the feature store,
 * so a cancelled run resumes), with preprocessing.robustness perturbs the training patients'
 * reader-1 pairs on the same pool, then hands the features (and the perturbed ones, whose ICCs
 * it computes) to the statistics worker, which returns the output files (features.csv, model.json,
 * result.json, predictions.csv, robustness.csv, manifest.json, report.html). The same pure core
 * as `radscore study`, in the same order, so the numbers are the CLI's.
 */
import type { Volume } from "../../../src/image/volume.js";
import type { MaskSelector } from "../../../src/io/dicom/case.js";
import type { SeriesSelector } from "../../../src/io/dicom/select.js";
import { parseCohortManifest } from "../../../src/study/cohort.js";
import { type StudyConfig, validateStudyConfig } from "../../../src/study/config.js";
import {
  dicomChoiceOf,
  type ExtractionPair,
  planExtractionPairs,
} from "../../../src/study/extraction-plan.js";
import type { SequencePerturbations } from "../../../src/study/robustness.js";
import { sha256OrNull } from "../workers/hash.js";
import type {
  ExtractJob,
  ImageSpec,
  MaskSpec,
  PerturbJob,
  StudyJob,
  StudyReply,
} from "../workers/protocol.js";
import {
  CancelledError,
  type PoolProgress,
  runExtractionJobs,
  runPerturbationJobs,
  workerUrl,
} from "./pool.js";

/** Where a study's images, masks and parameter files come from. */
export interface StudySource {
  image(patient: string, sequence: string, path: string, selector: SeriesSelector): ImageSpec;
  mask(
    patient: string,
    sequence: string,
    reader: 1 | 2,
    path: string,
    selector: MaskSelector,
  ): MaskSpec;
  /** Text of a file named in study.yaml (parameters, feature tables); throws when absent. */
  text(path: string, what: string): Promise<string>;
  /** Default parameter text when study.yaml names none (null: PyRadiomics defaults). */
  defaultParams(): string | null;
}

export interface StudyRunCallbacks {
  signal?: AbortSignal;
  onExtraction?: (p: PoolProgress) => void;
  /** Progress of the robustness step's perturbations (one job per training patient and sequence). */
  onPerturbation?: (p: PoolProgress) => void;
  onStage?: (stage: string, done: number, total: number) => void;
  workers?: number;
}

export interface StudyRunInput {
  configRaw: unknown;
  configName: string;
  manifest: { name: string; text: string };
  source: StudySource;
  /** Masks drawn in the app, by `${patient}\t${sequence}\t${reader}`: they replace the manifest's. */
  drawnMasks?: ReadonlyMap<string, Volume<Uint8Array>>;
}

/** A mask drawn in the app, as an extraction input. */
export function drawnMaskSpec(
  patient: string,
  sequence: string,
  reader: 1 | 2,
  volume: Volume<Uint8Array>,
): MaskSpec {
  return { kind: "volume", name: `${patient} ${sequence} reader ${reader} (drawn)`, volume };
}

export function drawnMaskKey(patient: string, sequence: string, reader: 1 | 2): string {
  return `${patient}\t${sequence}\t${reader}`;
}

/** A sequence's PyRadiomics parameter text (study.yaml: its own file, else extraction.params). */
export async function sequenceParamsText(
  config: StudyConfig,
  source: StudySource,
  sequence: string,
): Promise<string | null> {
  const file = config.cohort.sequences?.[sequence]?.params ?? config.extraction.params;
  return file
    ? source.text(file, `parameter file of sequence ${sequence}`)
    : source.defaultParams();
}

/** Validates study.yaml and the manifest exactly as the CLI does (errors carry its messages). */
export function checkStudy(input: Pick<StudyRunInput, "configRaw" | "configName" | "manifest">) {
  const config = validateStudyConfig(input.configRaw, input.configName);
  const cohort = parseCohortManifest(input.manifest.text, config, input.manifest.name);
  return { config, cohort };
}

async function hashOrLabel(text: string): Promise<string> {
  return (
    (await sha256OrNull(text)) ??
    "not computed (Web Crypto needs a secure origin such as 127.0.0.1)"
  );
}

type Cohort = ReturnType<typeof checkStudy>["cohort"];

/** Every sequence's DICOM selectors (series / volume of the image, segment / ROI of the mask). */
function dicomChoices(config: StudyConfig) {
  return Object.fromEntries(
    Object.entries(config.cohort.sequences ?? {}).map(([seq, sc]) => [seq, dicomChoiceOf(sc)]),
  );
}

/** A reader's mask of a patient's sequence: the one drawn in the app, else the manifest's. */
function maskInput(
  input: StudyRunInput,
  choices: ReturnType<typeof dicomChoices>,
  patient: string,
  sequence: string,
  reader: 1 | 2,
  path: string,
): MaskSpec {
  const drawn = input.drawnMasks?.get(drawnMaskKey(patient, sequence, reader));
  return drawn
    ? drawnMaskSpec(patient, sequence, reader, drawn)
    : input.source.mask(patient, sequence, reader, path, choices[sequence]!.mask);
}

/** The extraction jobs: one per patient and sequence, with every reader's mask. */
function extractionJobs(
  config: StudyConfig,
  cohort: Cohort,
  pairs: readonly ExtractionPair[],
  paramsTexts: Record<string, string | null>,
  input: StudyRunInput,
): { jobs: Omit<ExtractJob, "id">[]; pairOf: { job: number; reader: 1 | 2 }[] } {
  const jobs: Omit<ExtractJob, "id">[] = [];
  const choices = dicomChoices(config);
  const byKey = new Map<string, number>();
  const pairOf = pairs.map((pair) => {
    const patient = cohort.patients[pair.patient]!.id;
    const key = `${pair.patient}\t${pair.seq}`;
    let job = byKey.get(key);
    if (job === undefined) {
      job = jobs.length;
      byKey.set(key, job);
      jobs.push({
        sequence: pair.seq,
        image: input.source.image(patient, pair.seq, pair.image, choices[pair.seq]!.image),
        masks: [],
        paramsText: paramsTexts[pair.seq] ?? null,
        label: config.cohort.sequences?.[pair.seq]?.label ?? null,
        who: `patient '${patient}'`,
      });
    }
    jobs[job]!.masks.push({
      reader: pair.reader,
      mask: maskInput(input, choices, patient, pair.seq, pair.reader, pair.mask),
    });
    return { job, reader: pair.reader };
  });
  return { jobs, pairOf };
}

/**
 * The robustness step (preprocessing.robustness), as src/node/robustness-runner.ts runs it for
 * `radscore study`: every training patient's image and reader-1 mask of every sequence (a mask
 * drawn in the app replacing the manifest's, as in extraction), patient-major, perturbed and
 * extracted on the worker pool with the sequence's parameters and label; the perturbed features
 * gathered per sequence (sequences in the cohort's order, patients in the manifest's) for
 * assessRobustness, which the statistics worker runs.
 */
async function perturbTrainingPatients(
  config: StudyConfig,
  cohort: Cohort,
  paramsTexts: Record<string, string | null>,
  input: StudyRunInput,
  callbacks: StudyRunCallbacks,
): Promise<SequencePerturbations[]> {
  const settings = config.preprocessing.robustness;
  const choices = dicomChoices(config);
  const training = cohort.patients.flatMap((p, i) => (p.role === "training" ? [i] : []));
  const cases = training.flatMap((patient) => cohort.sequences.map((seq) => ({ patient, seq })));
  const jobs: Omit<PerturbJob, "id">[] = cases.map(({ patient, seq }) => {
    const { id, images } = cohort.patients[patient]!;
    const files = images[seq]!;
    return {
      kind: "perturb",
      sequence: seq,
      image: input.source.image(id, seq, files.image, choices[seq]!.image),
      mask: maskInput(input, choices, id, seq, 1, files.mask),
      paramsText: paramsTexts[seq] ?? null,
      label: config.cohort.sequences?.[seq]?.label ?? null,
      settings,
      patientIndex: patient,
      who: `patient '${id}'`,
    };
  });
  const replies = await runPerturbationJobs(jobs, {
    ...(callbacks.workers !== undefined ? { workers: callbacks.workers } : {}),
    ...(callbacks.signal ? { signal: callbacks.signal } : {}),
    ...(callbacks.onPerturbation ? { onProgress: callbacks.onPerturbation } : {}),
    note: (job) => `${job.who.replace(/^patient '(.*)'$/, "$1")} ${job.sequence}`,
  });
  const caseIds = training.map((i) => cohort.patients[i]!.id);
  return cohort.sequences.map((sequence) => ({
    sequence,
    caseIds,
    perturbed: cases.flatMap((c, k) => (c.seq === sequence ? [replies[k]!.perturbed] : [])),
  }));
}

/** Runs the whole study; resolves with the output files by name. */
export async function runStudy(
  input: StudyRunInput,
  callbacks: StudyRunCallbacks = {},
): Promise<Record<string, string>> {
  const { config, cohort } = checkStudy(input);
  const inputHashes: Record<string, string> = {
    [input.configName]: await hashOrLabel(JSON.stringify(input.configRaw)),
    [input.manifest.name]: await hashOrLabel(input.manifest.text),
  };
  const timings: { stage: string; seconds: number }[] = [];
  let studyInput: StudyJob["input"];
  if (config.features) {
    const table = {
      name: config.features.table,
      text: await input.source.text(config.features.table, "feature table"),
    };
    const reader2 = config.features.reader2Table
      ? {
          name: config.features.reader2Table,
          text: await input.source.text(
            config.features.reader2Table,
            "second-reader feature table",
          ),
        }
      : null;
    inputHashes[table.name] = await hashOrLabel(table.text);
    if (reader2) inputHashes[reader2.name] = await hashOrLabel(reader2.text);
    studyInput = { kind: "table", table, reader2 };
  } else {
    const paramsTexts: Record<string, string | null> = {};
    for (const seq of Object.keys(config.cohort.sequences ?? {})) {
      paramsTexts[seq] = await sequenceParamsText(config, input.source, seq);
      inputHashes[`params:${seq}`] = await hashOrLabel(paramsTexts[seq] ?? "<defaults>");
    }
    const pairs = planExtractionPairs(cohort);
    const { jobs, pairOf } = extractionJobs(config, cohort, pairs, paramsTexts, input);
    const t0 = performance.now();
    const replies = await runExtractionJobs(jobs, {
      ...(callbacks.workers !== undefined ? { workers: callbacks.workers } : {}),
      ...(callbacks.signal ? { signal: callbacks.signal } : {}),
      ...(callbacks.onExtraction ? { onProgress: callbacks.onExtraction } : {}),
      note: (job) => `${job.who.replace(/^patient '(.*)'$/, "$1")} ${job.sequence}`,
    });
    timings.push({ stage: "feature extraction", seconds: (performance.now() - t0) / 1000 });
    const results = pairOf.map(
      ({ job, reader }) => replies[job]!.results.find((r) => r.reader === reader)!.features,
    );
    const sequenceInfo = Object.fromEntries(
      Object.entries(config.cohort.sequences ?? {}).map(([seq, sc]) => [
        seq,
        { paramsText: paramsTexts[seq] ?? null, label: sc.label },
      ]),
    );
    // After the extraction, as the CLI (study.yaml validation already refused it with a table).
    let perturbations: SequencePerturbations[] | null = null;
    if (config.preprocessing.robustness.enabled) {
      const t1 = performance.now();
      perturbations = await perturbTrainingPatients(config, cohort, paramsTexts, input, callbacks);
      timings.push({ stage: "perturbation robustness", seconds: (performance.now() - t1) / 1000 });
    }
    studyInput = { kind: "extracted", pairs, results, sequenceInfo, perturbations };
  }
  const job: StudyJob = {
    configRaw: input.configRaw,
    configName: input.configName,
    manifest: input.manifest,
    input: studyInput,
    timings,
    inputHashes,
    userAgent: typeof navigator !== "undefined" ? navigator.userAgent : "unknown",
  };
  return runStatistics(job, callbacks);
}

function runStatistics(
  job: StudyJob,
  callbacks: StudyRunCallbacks,
): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl("study-worker.js"), { type: "module" });
    const finish = () => {
      worker.terminate();
      callbacks.signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      finish();
      reject(new CancelledError());
    };
    callbacks.signal?.addEventListener("abort", onAbort);
    worker.onmessage = (event: MessageEvent<StudyReply>) => {
      const reply = event.data;
      if (reply.kind === "progress") callbacks.onStage?.(reply.stage, reply.done, reply.total);
      else {
        finish();
        if (reply.kind === "done") resolve(reply.files);
        else reject(new Error(reply.error));
      }
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      finish();
      reject(new Error(`statistics worker failed: ${event.message}`));
    };
    worker.postMessage(job);
  });
}
