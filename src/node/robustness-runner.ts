/**
 * Node edge of the study's robustness step (preprocessing.robustness; Zwanenburg et al., Sci Rep
 * 2019;9:614): every training patient's image and reader-1 mask of every sequence is perturbed
 * (the plan of src/study/robustness.ts: seed + the patient's manifest index) and every perturbed
 * pair's features extracted with the sequence's parameter file, on the extraction pool's workers
 * (a `perturb` task: the worker reads the files by path, as extraction does; DICOM pairs are
 * decoded here and their volumes sent). Each case's perturbed features are cached under
 * <out>/cache by the image and mask hashes, the parameters and the plan. The per-feature ICCs
 * across perturbations come from the pure core (assessRobustness).
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { extractFeatures, type FilterProvider } from "../extract/extractor.js";
import {
  extractPerturbedFeatures,
  type PerturbedFeatures,
} from "../image/perturbation/features.js";
import { perturbationSpecs } from "../image/perturbation/chain.js";
import type { Volume } from "../image/volume.js";
import { isDicom } from "../io/dicom/detect.js";
import type { Cohort } from "../study/cohort.js";
import {
  assessRobustness,
  type RobustnessSettings,
  robustnessPlan,
  type StudyRobustness,
} from "../study/robustness.js";
import { writeFileAtomic } from "./atomic.js";
import type { ExtractionPool } from "./extraction-pool.js";
import { needsDicomReaders, readFileFor, readImageBytes } from "./files.js";
import { readDicomCase } from "./image-inputs.js";
import type { SequenceExtraction } from "./study-runner.js";
import { defaultThreads } from "./threads.js";

interface ProgressBar {
  tick(note?: string): void;
  done(): void;
}

export interface PerturbCohortOptions {
  /** Cache folder (null: no cache). */
  cacheDir: string | null;
  /** SHA-256 of the image and mask files by absolute path (the extraction's), for the cache key. */
  hashes: Readonly<Record<string, string>>;
  /** A caller's filter provider (then everything runs in this thread, as extraction does). */
  filters?: FilterProvider;
  /** Worker threads (default: the number of CPUs, at most 8; 1 = this thread). */
  jobs?: number;
  /** A progress bar over the cases. */
  bar: (label: string, total: number) => ProgressBar;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** One case of the step: a training patient's sequence. */
interface PerturbationCase {
  /** Index in cohort.patients (the plan's seed offset). */
  patient: number;
  seq: string;
  image: string;
  mask: string;
}

/** JSON has no NaN / Infinity: stored as strings. */
function encodePerturbed(p: PerturbedFeatures): unknown {
  return {
    names: p.names,
    values: p.values.map((row) => Array.from(row, (v) => (Number.isFinite(v) ? v : String(v)))),
    notes: p.notes,
  };
}

function decodePerturbed(json: unknown, specs: PerturbedFeatures["specs"]): PerturbedFeatures {
  const o = json as { names: string[]; values: (number | string)[][]; notes: string[] };
  if (!Array.isArray(o.names) || !Array.isArray(o.values) || o.values.length !== specs.length)
    throw new Error("damaged cache entry");
  return {
    specs,
    names: o.names,
    values: o.values.map((row) => Float64Array.from(row, Number)),
    notes: o.notes ?? [],
  };
}

/**
 * Perturbs and extracts every training patient's sequences and returns every feature's ICC
 * across perturbations (names suffixed with the sequence, as the study's features are).
 */
export async function perturbTrainingCohort(
  cohort: Cohort,
  settings: RobustnessSettings,
  baseManifestDir: string,
  seqParams: Record<string, SequenceExtraction>,
  options: PerturbCohortOptions,
): Promise<StudyRobustness> {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseManifestDir, p));
  const training = cohort.patients.flatMap((p, i) => (p.role === "training" ? [i] : []));
  // Patient-major, as extraction: a patient's sequences are read one after the other.
  const cases: PerturbationCase[] = training.flatMap((patient) =>
    cohort.sequences.map((seq) => {
      const files = cohort.patients[patient]!.images[seq]!;
      return { patient, seq, image: abs(files.image), mask: abs(files.mask) };
    }),
  );
  const jobs = options.filters
    ? 1
    : Math.max(1, Math.min(options.jobs ?? defaultThreads(), cases.length));
  const pool: ExtractionPool | null =
    jobs > 1 ? new (await import("./extraction-pool.js")).ExtractionPool(jobs) : null;
  const bar = options.bar("perturbations", cases.length);

  const perturbCase = async (c: PerturbationCase): Promise<PerturbedFeatures> => {
    const ex = seqParams[c.seq]!;
    const label = ex.label ?? ex.params.settings.label;
    const plan = robustnessPlan(settings, c.patient, label);
    const hi = options.hashes[c.image];
    const hm = options.hashes[c.mask];
    const cacheFile =
      options.cacheDir && hi && hm
        ? join(
            options.cacheDir,
            `perturbed-${sha256(`perturbation\n${hi}\n${hm}\n${ex.paramsHash}\n${JSON.stringify(plan)}`)}.json`,
          )
        : null;
    if (cacheFile && existsSync(cacheFile)) {
      try {
        return decodePerturbed(
          JSON.parse(await readFile(cacheFile, "utf8")),
          perturbationSpecs(plan),
        );
      } catch {
        // a damaged cache entry is recomputed
      }
    }
    const who = `patient '${cohort.patients[c.patient]!.id}'`;
    const maskBytes = await readFileFor(c.mask, `${who}: ${c.seq} mask`);
    const dicom = needsDicomReaders(c.image, isDicom(maskBytes), ex.dicom);
    let result: PerturbedFeatures;
    try {
      if (pool) {
        // Workers read image files by path; DICOM pairs are decoded here and sent as volumes.
        const [img, msk]: [Volume | string, Volume | string] = dicom
          ? await readDicomCase(c.image, c.mask, ex.dicom)
          : [c.image, c.mask];
        result = await pool.perturb(img, msk, ex.params, plan);
      } else {
        const [img, msk] = dicom
          ? await readDicomCase(c.image, c.mask, ex.dicom)
          : await Promise.all([
              readFileFor(c.image, `${who}: ${c.seq} image`).then((b) =>
                readImageBytes(b, c.image),
              ),
              readImageBytes(maskBytes, c.mask),
            ]);
        const filters = options.filters;
        result = extractPerturbedFeatures(
          img,
          msk,
          plan,
          ex.params,
          filters
            ? (i, m) => extractFeatures(i, m, ex.params, { label, filters }).features
            : undefined,
        );
      }
    } catch (err) {
      throw new Error(`${who}: ${c.seq} perturbation failed: ${(err as Error).message}`);
    }
    if (cacheFile) await writeFileAtomic(cacheFile, JSON.stringify(encodePerturbed(result)));
    return result;
  };

  const results: PerturbedFeatures[] = [];
  try {
    // At most 2 cases per worker in flight; a failure stops new cases and is reported once the
    // running ones have settled (as extraction does).
    let next = 0;
    let failure: { error: unknown } | null = null;
    const lane = async () => {
      while (failure === null && next < cases.length) {
        const k = next++;
        try {
          results[k] = await perturbCase(cases[k]!);
          bar.tick(`${cohort.patients[cases[k]!.patient]!.id} ${cases[k]!.seq}`);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    await Promise.all(Array.from({ length: pool ? 2 * jobs : 1 }, lane));
    if (failure) throw (failure as { error: unknown }).error;
  } finally {
    await pool?.close();
  }
  bar.done();
  const caseIds = training.map((i) => cohort.patients[i]!.id);
  return assessRobustness(
    cohort.sequences.map((sequence) => ({
      sequence,
      caseIds,
      perturbed: cases.flatMap((c, k) => (c.seq === sequence ? [results[k]!] : [])),
    })),
    settings,
  );
}
