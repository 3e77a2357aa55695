/**
 * Node edge of the study pipeline: reads study.yaml, the manifest and the images (or a feature
 * table), extracts every sequence of every patient (cached under <out>/cache by image hash, mask
 * hash and parameter hash), with preprocessing.robustness perturbs the training patients' images
 * and extracts the perturbed pairs (./robustness-runner.ts), runs the pure pipeline and writes
 * features.csv, model.json, result.json, predictions.csv, robustness.csv (with the robustness
 * step), manifest.json (versions, settings, seeds, input hashes, timings) and the report folder.
 * Nothing is written to the output folder before the whole study has been computed (cache entries
 * aside, each complete), and every file is written atomically.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { extractFeatures, type FilterProvider } from "../extract/extractor.js";
import { defaultParams, type Params, parseParams } from "../extract/params.js";
import { FEATURE_CATALOGUE } from "../features/registry.js";
import { isDicom } from "../io/dicom/detect.js";
import { type Cohort, parseCohortManifest } from "../study/cohort.js";
import { parseStudyConfig, type StudyConfig } from "../study/config.js";
import {
  type FeatureMatrix,
  formatFeaturesCsv,
  parseFeatureTable,
  suffixFeatureNames,
} from "../study/features-table.js";
import {
  assembleExtraction,
  dicomChoiceOf,
  planExtractionPairs,
} from "../study/extraction-plan.js";
import type { FrozenModel } from "../study/frozen-model.js";
import { checklistFiles } from "../report/checklists/index.js";
import { predictionsCsv, resultJson } from "../study/outputs.js";
import { runStudyPipeline, type StudyOutput } from "../study/pipeline.js";
import {
  ROBUSTNESS_CSV_HEADER,
  robustnessCsvRows,
  type StudyRobustness,
} from "../study/robustness.js";
import { formatCsv } from "../io/csv.js";
import { VERSION } from "../version.js";
import { writeFileAtomic } from "./atomic.js";
import { type DicomFolder, loadSelectedVolume, readDicomFolder, seriesIn } from "./dicom-files.js";
import type { ExtractionPool } from "./extraction-pool.js";
import {
  isDirectory,
  needsDicomReaders,
  readFileFor,
  readImageBytes,
  readTextFile,
} from "./files.js";
import { type DicomChoice, type OpenDicomVolume, readDicomCase } from "./image-inputs.js";
import { defaultThreads } from "./threads.js";

export interface StudyRunnerOptions {
  /** Output folder (default: <config folder>/study-out). */
  out?: string;
  /** Messages for the user (default: stderr). */
  log?: (message: string) => void;
  /** Draw progress bars (default: when stderr is a terminal). */
  progress?: boolean;
  /** Filter provider for image types other than Original (default: src/filters FILTERS). */
  filters?: FilterProvider;
  /** Write the report folder (default: config outputs.report). */
  report?: boolean;
  /** Fixed timestamp (tests). */
  createdAt?: string;
}

export interface StudyRunSummary {
  out: string;
  output: StudyOutput;
  files: string[];
}

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** A one-line progress bar on stderr (only when `enabled`). */
export function progressBar(enabled: boolean, label: string, total: number) {
  let done = 0;
  const started = performance.now();
  const draw = (note: string) => {
    if (!enabled) return;
    const width = 24;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    const secs = ((performance.now() - started) / 1000).toFixed(0);
    process.stderr.write(
      `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${secs}s ${note}`
        .slice(0, 100)
        .padEnd(100),
    );
  };
  return {
    tick(note = "") {
      done++;
      draw(note);
    },
    set(n: number, note = "") {
      done = n;
      draw(note);
    },
    done() {
      if (enabled) process.stderr.write("\n");
    },
  };
}

export interface SequenceExtraction {
  params: Params;
  paramsText: string | null;
  paramsHash: string;
  label: number | undefined;
  /** DICOM selectors of the sequence (series / volume of the image, SEG segment / RTSTRUCT ROI). */
  dicom: DicomChoice;
}

/** Loads the extraction parameters of every sequence (paths relative to the config folder). */
export async function loadSequenceParams(
  config: StudyConfig,
  baseDir: string,
): Promise<Record<string, SequenceExtraction>> {
  const out: Record<string, SequenceExtraction> = {};
  for (const [seq, sc] of Object.entries(config.cohort.sequences ?? {})) {
    const file = sc.params ?? config.extraction.params;
    let params: Params;
    let text: string | null = null;
    if (file) {
      const path = isAbsolute(file) ? file : resolve(baseDir, file);
      text = await readTextFile(path, `parameter file of sequence ${seq}`);
      params = parseParams(text, FEATURE_CATALOGUE, path);
    } else params = defaultParams(FEATURE_CATALOGUE);
    const dicom = dicomChoiceOf(sc);
    out[seq] = {
      params,
      paramsText: text,
      paramsHash: sha256(
        `${VERSION}\n${sc.label ?? ""}\n${JSON.stringify(dicom)}\n${text ?? "<defaults>"}`,
      ),
      label: sc.label,
      dicom,
    };
  }
  return out;
}

/** Extracts one image / mask pair (in this thread or on a worker), given their paths and bytes. */
type PairExtractor = (
  image: { path: string; bytes: Uint8Array },
  mask: { path: string; bytes: Uint8Array },
  params: Params,
  label: number | undefined,
  dicom: DicomChoice,
) => Promise<Record<string, number>>;

/**
 * Features of one image / mask pair, suffixed with the sequence; cached by the SHA-256 of the
 * image bytes, the mask bytes and the parameters (with the radscore version).
 */
async function extractCached(
  imagePath: string,
  maskPath: string,
  seq: string,
  ex: SequenceExtraction,
  cacheDir: string | null,
  extract: PairExtractor,
  hashes: Record<string, string>,
  who: string,
  dicomFolders: DicomFolderCache,
): Promise<Record<string, number>> {
  const dicomFolder = isDirectory(imagePath);
  const [img, msk] = await Promise.all([
    dicomFolder ? new Uint8Array(0) : readFileFor(imagePath, `${who}: ${seq} image`),
    readFileFor(maskPath, `${who}: ${seq} mask`),
  ]);
  const hi = dicomFolder ? await dicomFolders.hash(imagePath) : sha256(img);
  const hm = sha256(msk);
  hashes[imagePath] = hi;
  hashes[maskPath] = hm;
  const key = sha256(`${hi}:${hm}:${ex.paramsHash}`);
  const cacheFile = cacheDir ? join(cacheDir, `${key}.json`) : null;
  if (cacheFile && existsSync(cacheFile)) {
    try {
      return suffixFeatureNames(decodeFeatures(JSON.parse(await readFile(cacheFile, "utf8"))), seq);
    } catch {
      // a damaged cache entry is recomputed
    }
  }
  let features: Record<string, number>;
  try {
    features = await extract(
      { path: imagePath, bytes: img },
      { path: maskPath, bytes: msk },
      ex.params,
      ex.label,
      ex.dicom,
    );
  } catch (err) {
    throw new Error(`${who}: ${seq} extraction failed: ${(err as Error).message}`);
  }
  if (cacheFile) await writeFileAtomic(cacheFile, JSON.stringify(encodeFeatures(features)));
  return suffixFeatureNames(features, seq);
}

/**
 * DICOM series folders of a cohort, read once for the hash and parsed at most once for the two
 * readers' masks of a sequence: the few most recently used stay in memory (pairs are extracted in
 * patient order, so a folder is needed again only by its next pair).
 */
class DicomFolderCache {
  private readonly entries = new Map<
    string,
    Promise<{
      hash: string;
      folder: DicomFolder;
      /** Volumes loaded from the folder, by selector (both readers' masks use the same image). */
      volumes: Map<string, ReturnType<OpenDicomVolume>>;
    }>
  >();
  constructor(private readonly capacity: number) {}

  private entry(dir: string) {
    let e = this.entries.get(dir);
    if (e) this.entries.delete(dir);
    else {
      // The hash: SHA-256 over every file's relative path and SHA-256, in name order (any added,
      // removed or changed file changes it).
      const lines: string[] = [];
      e = readDicomFolder(dir, {
        onFile: (path, bytes) => lines.push(`${relative(dir, path)}\t${sha256(bytes)}`),
      }).then((folder) => ({ folder, hash: sha256(lines.join("\n")), volumes: new Map() }));
    }
    this.entries.set(dir, e);
    while (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    return e;
  }

  async hash(dir: string): Promise<string> {
    return (await this.entry(dir)).hash;
  }

  /** A folder's series volume, read, planned and decoded once while the folder is cached. */
  readonly openVolume: OpenDicomVolume = async (dir, selector) => {
    const { folder, volumes } = await this.entry(dir);
    const key = JSON.stringify(selector);
    let loaded = volumes.get(key);
    if (!loaded) {
      const plan = seriesIn(folder, selector);
      loaded = loadSelectedVolume(plan, selector).then((volume) => ({ volume, plan, folder }));
      volumes.set(key, loaded);
    }
    return loaded;
  };
}

/** JSON has no NaN / Infinity: encode them as strings. */
function encodeFeatures(f: Record<string, number>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(f)) out[k] = Number.isFinite(v) ? v : String(v);
  return out;
}
function decodeFeatures(f: Record<string, number | string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(f)) out[k] = typeof v === "number" ? v : Number(v);
  return out;
}

/** The default filter provider (src/filters), if the build has one. */
export async function defaultFilters(): Promise<FilterProvider | undefined> {
  try {
    const mod = (await import("../filters/index.js")) as { FILTERS?: FilterProvider };
    return mod.FILTERS;
  } catch {
    return undefined;
  }
}

export interface ExtractedCohort {
  features: FeatureMatrix;
  reader2: FeatureMatrix | null;
  extraction: FrozenModel["extraction"];
  hashes: Record<string, string>;
}

/** Pairs in flight with extraction.queue: enough to keep a pool of remote workers busy. */
const QUEUE_LANES = 64;

/**
 * Extracts every sequence of every patient (and the second-reader masks where given), checking
 * first that every file exists (an error names the patient and the file).
 */
export async function extractCohort(
  cohort: Cohort,
  config: StudyConfig,
  baseManifestDir: string,
  seqParams: Record<string, SequenceExtraction>,
  options: {
    cacheDir: string | null;
    filters?: FilterProvider;
    progress: boolean;
    /** Worker threads (default: the number of CPUs, at most 8; 1 = this thread). */
    jobs?: number;
  },
): Promise<ExtractedCohort> {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseManifestDir, p));
  for (const p of cohort.patients) {
    for (const [seq, files] of Object.entries(p.images)) {
      for (const [what, f] of [
        ["image", files.image],
        ["mask", files.mask],
        ["second-reader mask", files.mask2],
      ] as const) {
        if (f && !existsSync(abs(f)))
          throw new Error(`patient '${p.id}': ${seq} ${what} '${f}' does not exist`);
      }
    }
  }
  if (options.cacheDir) await mkdir(options.cacheDir, { recursive: true });
  const hashes: Record<string, string> = {};
  // Every (patient, sequence, reader) pair, in order; with a pool they run concurrently, and the
  // rows are assembled in this order whatever the order of completion.
  const pairs = planExtractionPairs(cohort);
  const bar = progressBar(options.progress, "extraction", pairs.length);
  // A caller's own filter provider cannot travel to worker threads: then extract in this thread.
  const jobs = options.filters ? 1 : Math.min(options.jobs ?? defaultThreads(), pairs.length);
  // extraction.queue: the pairs are jobs of a Redis queue's workers (docs/queue.md).
  const queueUrl = config.extraction.queue;
  if (queueUrl && options.filters)
    throw new Error("extraction.queue: a caller's own filter provider cannot travel to the queue");
  const queued = queueUrl
    ? await (await import("./queue/pair-client.js")).openQueueExtractor(queueUrl)
    : null;
  const pool: ExtractionPool | null =
    jobs > 1 && !queued ? new (await import("./extraction-pool.js")).ExtractionPool(jobs) : null;
  // Pairs in flight (2 per worker) plus the next patient's: each folder is read and parsed once.
  const dicomFolders = new DicomFolderCache(2 * Math.max(jobs, 1) + 2);
  // The files were read here (for their hashes): this thread decodes those bytes, while a worker
  // reads the files itself (from the OS cache), so that decoding runs in parallel too.
  const extract: PairExtractor = queued
    ? async (image, mask, params, label, dicom) => {
        if (needsDicomReaders(image.path, isDicom(mask.bytes), dicom))
          throw new Error("extraction.queue takes image files (NRRD, NIfTI, MetaImage), not DICOM");
        // The sequence's parameter file text (the job carries its hash; workers parse the text).
        const [seq, ex] = Object.entries(seqParams).find(([, s]) => s.params === params)!;
        return queued.extract({
          imagePath: image.path,
          maskPath: mask.path,
          imageBytes: image.bytes,
          maskBytes: mask.bytes,
          paramsText: ex.paramsText,
          paramsName: ex.paramsText === null ? null : `parameter file of sequence ${seq}`,
          label,
        });
      }
    : pool
      ? async (image, mask, params, label, dicom) => {
          // DICOM pairs are decoded here (workers read image files by path only).
          const [img, msk] = needsDicomReaders(image.path, isDicom(mask.bytes), dicom)
            ? await readDicomCase(image.path, mask.path, dicom, dicomFolders.openVolume)
            : [image.path, mask.path];
          return (await pool.extract(img, msk, params, label)).features;
        }
      : async (image, mask, params, label, dicom) => {
          const [img, msk] = needsDicomReaders(image.path, isDicom(mask.bytes), dicom)
            ? await readDicomCase(image.path, mask.path, dicom, dicomFolders.openVolume)
            : await Promise.all([
                readImageBytes(image.bytes, image.path),
                readImageBytes(mask.bytes, mask.path),
              ]);
          return extractFeatures(img, msk, params, {
            ...(label !== undefined ? { label } : {}),
            ...(options.filters ? { filters: options.filters } : {}),
          }).features;
        };
  const results: Record<string, number>[] = [];
  try {
    const run = (k: number) => {
      const pair = pairs[k]!;
      const p = cohort.patients[pair.patient]!;
      const ex = seqParams[pair.seq]!;
      return extractCached(
        abs(pair.image),
        abs(pair.mask),
        pair.seq,
        ex,
        options.cacheDir,
        extract,
        hashes,
        pair.who,
        dicomFolders,
      ).then((features) => {
        bar.tick(`${p.id} ${pair.seq}${pair.reader === 2 ? " reader 2" : ""}`);
        return features;
      });
    };
    // At most 2 pairs per worker in flight (read, hashed, queued), so memory stays bounded; a
    // failure stops new pairs and is reported once the running ones have settled.
    let next = 0;
    let failure: { error: unknown } | null = null;
    const lane = async () => {
      while (failure === null && next < pairs.length) {
        const k = next++;
        try {
          results[k] = await run(k);
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    // With the queue, pairs in flight are jobs on other machines: many at once (files are read
    // here only for their hashes).
    const lanes = queued ? QUEUE_LANES : pool ? 2 * jobs : 1;
    await Promise.all(Array.from({ length: lanes }, lane));
    if (failure) throw (failure as { error: unknown }).error;
  } finally {
    await pool?.close();
    await queued?.close();
  }
  bar.done();
  void config;
  return { ...assembleExtraction(cohort, pairs, results, seqParams), hashes };
}

/** Runs the whole study described by study.yaml into the output folder. */
export async function runStudyFromConfig(
  configPath: string,
  options: StudyRunnerOptions = {},
): Promise<StudyRunSummary> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const progress = options.progress ?? process.stderr.isTTY === true;
  const configAbs = resolve(configPath);
  const baseDir = dirname(configAbs);
  const configText = await readTextFile(configAbs, "study configuration");
  const config = parseStudyConfig(configText, configPath);
  const out = resolve(options.out ?? join(baseDir, "study-out"));
  const timings: { stage: string; seconds: number }[] = [];
  let t = performance.now();
  const lap = (stage: string) => {
    const n = performance.now();
    timings.push({ stage, seconds: (n - t) / 1000 });
    t = n;
  };

  const manifestPath = resolve(baseDir, config.cohort.manifest);
  const manifestText = await readTextFile(manifestPath, "cohort manifest");
  const cohort = parseCohortManifest(manifestText, config, manifestPath);
  const inputHashes: Record<string, string> = {
    [configAbs]: sha256(configText),
    [manifestPath]: sha256(manifestText),
  };
  let features: FeatureMatrix;
  let reader2: FeatureMatrix | null = null;
  let robustness: StudyRobustness | null = null;
  let extraction: FrozenModel["extraction"] = null;
  let filterNote = "none";
  if (config.features) {
    // A precomputed feature table, read, hashed into the manifest and parsed for the cohort's ids.
    const readTable = async (file: string, what: string, options: { requireAll?: boolean }) => {
      const path = resolve(baseDir, file);
      const text = await readTextFile(path, what);
      inputHashes[path] = sha256(text);
      return parseFeatureTable(
        text,
        config,
        cohort.patients.map((p) => p.id),
        path,
        options,
      );
    };
    features = await readTable(config.features.table, "feature table", {});
    if (config.features.reader2Table) {
      reader2 = await readTable(config.features.reader2Table, "second-reader feature table", {
        requireAll: false,
      });
    }
    lap("feature table");
  } else {
    const seqParams = await loadSequenceParams(config, baseDir);
    const needsFilters = Object.values(seqParams).some((s) =>
      s.params.imageTypes.some((it) => it.name !== "Original"),
    );
    const filters = options.filters ?? (needsFilters ? await defaultFilters() : undefined);
    filterNote = filters ? "src/filters FILTERS" : "none";
    const cacheDir = config.extraction.cache ? join(out, "cache") : null;
    log(
      `extracting ${cohort.sequences.length} sequence(s) of ${cohort.patients.length} patients (cache: ${cacheDir ?? "off"})`,
    );
    const ex = await extractCohort(cohort, config, dirname(manifestPath), seqParams, {
      cacheDir,
      ...(options.filters ? { filters: options.filters } : {}),
      progress,
      ...(config.extraction.jobs !== undefined ? { jobs: config.extraction.jobs } : {}),
    });
    features = ex.features;
    reader2 = ex.reader2;
    extraction = ex.extraction;
    Object.assign(inputHashes, ex.hashes);
    for (const [seq, s] of Object.entries(seqParams)) inputHashes[`params:${seq}`] = s.paramsHash;
    lap("feature extraction");
    const rs = config.preprocessing.robustness;
    if (rs.enabled) {
      const training = cohort.patients.filter((p) => p.role === "training").length;
      log(
        `perturbing ${cohort.sequences.length} sequence(s) of ${training} training patients ${rs.perturbations} times (chain ${rs.chain})`,
      );
      const { perturbTrainingCohort } = await import("./robustness-runner.js");
      robustness = await perturbTrainingCohort(cohort, rs, dirname(manifestPath), seqParams, {
        cacheDir,
        hashes: ex.hashes,
        ...(options.filters ? { filters: options.filters } : {}),
        ...(config.extraction.jobs !== undefined ? { jobs: config.extraction.jobs } : {}),
        bar: (label, total) => progressBar(progress, label, total),
      });
      lap("perturbation robustness");
    }
  }

  const bars = new Map<string, ReturnType<typeof progressBar>>();
  const pipelineInput = {
    config,
    cohort,
    features,
    reader2,
    robustness,
    extraction,
    software: { node: process.versions.node },
  };
  const output = runStudyPipeline(pipelineInput, {
    now: () => performance.now(),
    timings,
    ...(options.createdAt ? { createdAt: options.createdAt } : {}),
    onProgress: (stage, done, total) => {
      let b = bars.get(stage);
      if (!b) {
        b = progressBar(progress, stage, total);
        bars.set(stage, b);
      }
      b.set(done);
      if (done >= total) b.done();
    },
  });

  // Everything is computed: write the outputs (each file atomically).
  await mkdir(out, { recursive: true });
  const files: string[] = [];
  const write = async (name: string, content: string) => {
    await writeFileAtomic(join(out, name), content);
    files.push(name);
  };
  await write("features.csv", formatFeaturesCsv(features, cohort));
  if (reader2) await write("features-reader2.csv", formatFeaturesCsv(reader2, cohort));
  if (robustness)
    await write("robustness.csv", formatCsv(ROBUSTNESS_CSV_HEADER, robustnessCsvRows(robustness)));
  await write("model.json", `${JSON.stringify(output.model, null, 2)}\n`);
  await write("predictions.csv", predictionsCsv(output));
  const wantReport = options.report ?? config.outputs.report;
  if (wantReport) {
    const tr = performance.now();
    try {
      const { writeReportFolder } = await import("./report-files.js");
      const summary = await writeReportFolder(join(out, "report"), output.result);
      for (const f of summary.files) files.push(join("report", f));
      for (const w of summary.warnings) output.result.warnings.push(`report: ${w}`);
      // The reporting checklists (TRIPOD+AI, CLEAR) beside report.html, from the run's full input.
      for (const [name, text] of Object.entries(checklistFiles(output)))
        await write(join("report", name), text);
    } catch (err) {
      output.result.warnings.push(`report not written: ${(err as Error).message}`);
      log(`warning: report not written: ${(err as Error).message}`);
    }
    output.result.timings.push({ stage: "report", seconds: (performance.now() - tr) / 1000 });
  }
  await write("result.json", resultJson(output.result));
  const manifest = {
    tool: "radscore",
    version: VERSION,
    node: process.versions.node,
    createdAt: output.result.createdAt,
    config: configAbs,
    // A queue URL's password stays out of the manifest.
    settings: config.extraction.queue
      ? {
          ...config,
          extraction: {
            ...config.extraction,
            queue: config.extraction.queue.replace(/^(rediss?:\/\/[^:@/]*:)[^@/]*@/, "$1***@"),
          },
        }
      : config,
    seeds: {
      lassoFolds: config.selection.lasso.seed,
      bootstrap: config.evaluation.seed,
      ...(config.preprocessing.robustness.enabled
        ? { perturbations: config.preprocessing.robustness.seed }
        : {}),
    },
    filters: filterNote,
    inputHashes,
    timings: output.result.timings,
    files: [...files, "manifest.json"],
    warnings: output.result.warnings,
  };
  await write("manifest.json", `${JSON.stringify(manifest, null, 2)}\n`);
  return { out, output, files };
}
