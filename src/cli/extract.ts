/**
 * `radscore extract`: one image/mask pair to a flat JSON (or CSV) of PyRadiomics-named features,
 * or a PyRadiomics-style batch CSV (Image, Mask, optional ID and Label) to one row per case.
 */

import { mkdir } from "node:fs/promises";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { type ExtractionResult, extractFeatures } from "../extract/extractor.js";
import { defaultParams, type Params, parseParams } from "../extract/params.js";
import { FEATURE_CATALOGUE } from "../features/registry.js";
import type { Volume } from "../image/volume.js";
import { csvColumn, formatCsv, parseCsv } from "../io/csv.js";
import { preloadKernels } from "../kernels/wasm.js";
import { openAtomicWriter, writeFileAtomic } from "../node/atomic.js";
import type { ExtractionPool } from "../node/extraction-pool.js";
import {
  isDicomFile,
  needsDicomReaders,
  readImageFile,
  readTextFile,
  writeImageFile,
} from "../node/files.js";
import type { DicomChoice } from "../node/image-inputs.js";
import { defaultThreads } from "../node/threads.js";
import { inflateInBackground } from "../node/zlib-codec.js";
import { FeatureRowsWriter } from "./feature-rows.js";
import type { PartLayout, Shard } from "./merge.js";

export interface ExtractCommandOptions {
  params?: string;
  label?: string;
  output?: string;
  format?: string;
  diagnostics?: boolean;
  batch?: string;
  saveImages?: string;
  jobs?: string;
  series?: string;
  volume?: string;
  phase?: string;
  bvalue?: string;
  segment?: string;
  roi?: string;
  voxel?: boolean;
  standard?: string;
  shard?: string;
}

/** Whether any DICOM selection option (--series, --volume, --phase, ...) is given. */
function dicomSelectionGiven(opts: ExtractCommandOptions): boolean {
  return [opts.series, opts.volume, opts.phase, opts.bvalue, opts.segment, opts.roi].some(
    (v) => v !== undefined,
  );
}

async function dicomChoice(opts: ExtractCommandOptions): Promise<DicomChoice> {
  const { selectorFrom } = await import("./dicom.js");
  const segment = opts.segment === undefined ? undefined : Number(opts.segment);
  if (segment !== undefined && !(Number.isInteger(segment) && segment >= 1)) {
    throw new Error(`--segment must be a positive integer, got '${opts.segment}'`);
  }
  return {
    image: selectorFrom(opts),
    mask: {
      ...(segment !== undefined ? { segment } : {}),
      ...(opts.roi !== undefined ? { roi: opts.roi } : {}),
    },
  };
}

export async function loadParams(path: string | undefined): Promise<Params> {
  if (!path) return defaultParams(FEATURE_CATALOGUE);
  return parseParams(await readTextFile(path, "parameter file"), FEATURE_CATALOGUE, path);
}

/** A worker pool; its module (and piscina) load only when one is wanted, keeping cold starts short. */
async function createPool(threads: number): Promise<ExtractionPool> {
  const { ExtractionPool } = await import("../node/extraction-pool.js");
  return new ExtractionPool(threads);
}

/** --jobs: a positive integer, else the default. */
export function parseJobs(text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--jobs must be a positive integer, got '${text}'`);
  return n;
}

export function parseLabel(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`--label must be a positive integer, got '${text}'`);
  return n;
}

/** Feature values for JSON: NaN and infinities become null. */
export function featuresToJson(result: ExtractionResult, withDiagnostics: boolean): string {
  const out: Record<string, unknown> = {};
  if (withDiagnostics) Object.assign(out, result.diagnostics);
  for (const [k, v] of Object.entries(result.features)) out[k] = Number.isFinite(v) ? v : null;
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Reads a case's image and mask (DICOM series, SEG and RTSTRUCT with the DICOM readers). */
function readCase(
  imagePath: string,
  maskPath: string,
  dicom: DicomChoice | undefined,
): Promise<[Volume, Volume]> {
  return needsDicomReaders(imagePath, isDicomFile(maskPath), dicom)
    ? readDicomCase(imagePath, maskPath, dicom)
    : readImageFiles(imagePath, maskPath);
}

/** Reads a case's image and mask files (not DICOM). */
function readImageFiles(imagePath: string, maskPath: string): Promise<[Volume, Volume]> {
  return Promise.all([readImageFile(imagePath), readImageFile(maskPath)]);
}

export async function extractOne(
  imagePath: string,
  maskPath: string,
  params: Params,
  label: number | undefined,
  saveImagesTo?: string,
  dicom?: DicomChoice,
  /** The case's volumes when their reading has already started (else they are read here). */
  reading?: Promise<[Volume, Volume]>,
): Promise<ExtractionResult> {
  const [image, mask] = await (reading ?? readCase(imagePath, maskPath, dicom));
  const saved: { name: string; image: Volume }[] = [];
  const result = extractFeatures(image, mask, params, {
    ...(label !== undefined ? { label } : {}),
    ...(saveImagesTo
      ? {
          onImage: (name: string, img: Volume, roi: Volume<Uint8Array>) => {
            if (saved.length === 0) saved.push({ name: "mask", image: roi });
            saved.push({ name, image: img });
          },
        }
      : {}),
  });
  if (saveImagesTo) {
    await mkdir(saveImagesTo, { recursive: true });
    for (const s of saved) await writeImageFile(join(saveImagesTo, `${s.name}.nrrd`), s.image);
  }
  return result;
}

/** Feature maps written concurrently by --voxel (libuv's pool has 4 threads by default). */
const MAP_WRITES_AT_ONCE = 8;

/**
 * `--voxel`: PyRadiomics' voxel-based maps, one NRRD per feature (named as PyRadiomics names the
 * feature) in the -o folder. Every map is computed before the first file is written.
 */
async function runVoxel(
  imagePath: string,
  maskPath: string,
  params: Params,
  label: number | undefined,
  opts: ExtractCommandOptions,
  dicom: DicomChoice | undefined,
  reading: Promise<[Volume, Volume]> | undefined,
): Promise<number> {
  if (!opts.output)
    throw new Error("--voxel writes one NRRD per feature map: give the folder with -o DIR");
  if (opts.format !== undefined || opts.diagnostics || opts.saveImages)
    throw new Error(
      "--voxel writes NRRD maps: --format, --diagnostics and --save-images do not apply",
    );
  const [image, mask] = await (reading ?? readCase(imagePath, maskPath, dicom));
  const { extractVoxelMaps } = await import("../extract/voxel.js");
  const maps = extractVoxelMaps(image, mask, params, label !== undefined ? { label } : {});
  await mkdir(opts.output, { recursive: true });
  // Several files at a time: each atomic write is a few round trips to libuv's thread pool, which
  // one file after the other would wait out in turn (breast1's 93 maps: 162 -> 147 ms a process).
  const output = opts.output;
  let next = 0;
  let failed = false;
  const writer = async () => {
    while (next < maps.length && !failed) {
      const m = maps[next++]!;
      try {
        await writeImageFile(join(output, `${m.name}.nrrd`), m.map);
      } catch (error) {
        // The others stop after their current file; the error is the command's.
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAP_WRITES_AT_ONCE, maps.length) }, writer));
  process.stderr.write(`wrote ${maps.length} feature maps to ${opts.output}\n`);
  return 0;
}

export async function runExtract(
  image: string | undefined,
  mask: string | undefined,
  opts: ExtractCommandOptions,
): Promise<number> {
  // The WebAssembly kernels compile on a background thread while the parameters and the first
  // files are read (else the first kernel call compiles them on this thread). A failure here
  // surfaces, with its message, at that first call.
  preloadKernels().catch(() => {});
  const shard = opts.shard === undefined ? undefined : await parseShardOption(opts);
  if (opts.standard !== undefined && opts.standard !== "pyradiomics")
    return runStandard(opts.standard, image, mask, opts);
  const reading = startReading(image, mask, opts);
  const params = await loadParams(opts.params);
  const label = parseLabel(opts.label);
  const dicom = dicomSelectionGiven(opts) ? await dicomChoice(opts) : undefined;
  if (opts.voxel && opts.batch)
    throw new Error("--voxel extracts one case: give IMAGE and MASK, not --batch");
  if (opts.batch) return runBatch(opts.batch, params, label, opts, dicom, shard);
  if (!image || !mask) throw new Error("extract needs IMAGE and MASK (or --batch CASES.csv)");
  if (opts.voxel) return runVoxel(image, mask, params, label, opts, dicom, reading);
  const format = (opts.format ?? (opts.output?.endsWith(".csv") ? "csv" : "json")).toLowerCase();
  if (format !== "json" && format !== "csv")
    throw new Error(`--format must be json or csv, got '${opts.format}'`);
  // Derived images are saved from this thread, so --save-images extracts here.
  const jobs = opts.saveImages ? 1 : parseJobs(opts.jobs, 1);
  let result: ExtractionResult;
  if (jobs > 1) {
    const pool = await createPool(jobs);
    try {
      const inputs = needsDicomReaders(image, isDicomFile(mask), dicom)
        ? await readDicomCase(image, mask, dicom)
        : ([image, mask] as const);
      result = await pool.extractSplit(inputs[0], inputs[1], params, label);
    } finally {
      await pool.close();
    }
  } else result = await extractOne(image, mask, params, label, opts.saveImages, dicom, reading);
  let text: string;
  if (format === "json") text = featuresToJson(result, opts.diagnostics ?? false);
  else {
    const names = Object.keys(result.features);
    const diag = opts.diagnostics ? Object.entries(result.diagnostics) : [];
    text = formatCsv(
      ["Image", "Mask", ...diag.map(([k]) => k), ...names],
      [
        [
          image,
          mask,
          ...diag.map(([, v]) => JSON.stringify(v)),
          ...names.map((n) => result.features[n]!),
        ],
      ],
    );
  }
  if (opts.output) await writeFileAtomic(opts.output, text);
  else process.stdout.write(text);
  return 0;
}

/**
 * A one-case run on this thread starts reading its image and mask before the parameter file is
 * parsed, both files inflating on libuv's thread pool meanwhile: in a cold process the reading
 * would otherwise follow the parsing on this thread. DICOM inputs are read later, as before. The
 * reading's errors are reported when it is awaited, so the parameter file's and the options'
 * errors still come first.
 */
function startReading(
  image: string | undefined,
  mask: string | undefined,
  opts: ExtractCommandOptions,
): Promise<[Volume, Volume]> | undefined {
  const onThisThread = opts.saveImages || opts.jobs === undefined || opts.jobs === "1";
  if (opts.batch || !image || !mask || !onThisThread || dicomSelectionGiven(opts)) return undefined;
  if (needsDicomReaders(image, isDicomFile(mask), undefined)) return undefined;
  inflateInBackground(true);
  // Not DICOM (checked just above), so the files are read as images without a second look.
  const reading = readImageFiles(image, mask);
  reading.catch(() => {});
  return reading;
}

/** --shard I/N: one shard of a batch (merge.ts: which cases, the part file it writes). */
async function parseShardOption(opts: ExtractCommandOptions): Promise<Shard> {
  if (!opts.batch)
    throw new Error("--shard I/N extracts one shard of a batch: give --batch CASES.csv");
  const { parseShard } = await import("./merge.js");
  return parseShard(opts.shard!);
}

async function runBatch(
  casesPath: string,
  params: Params,
  label: number | undefined,
  opts: ExtractCommandOptions,
  dicom: DicomChoice | undefined,
  shard: Shard | undefined,
): Promise<number> {
  const table = parseCsv(await readTextFile(casesPath, "batch file"), casesPath);
  const allImages = csvColumn(table, "Image", casesPath);
  const allMasks = csvColumn(table, "Mask", casesPath);
  // With --shard, this shard's cases only (written with their rows in the batch file).
  const part: PartLayout | null = shard
    ? await (await import("./merge.js")).openPart(shard, casesPath, table.rows.length, opts)
    : null;
  const pick = <T>(all: T[]): T[] => (part ? part.cases.map((k) => all[k]!) : all);
  const images = pick(allImages);
  const masks = pick(allMasks);
  const ids = pick(
    table.header.includes("ID")
      ? csvColumn(table, "ID", casesPath)
      : allImages.map((_, i) => String(i + 1)),
  );
  const labels = table.header.includes("Label") ? pick(csvColumn(table, "Label", casesPath)) : null;
  const base = dirname(resolve(casesPath));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const progress = makeProgress(images.length);
  const failures: string[] = [];
  const jobs = Math.min(parseJobs(opts.jobs, defaultThreads()), Math.max(images.length, 1));
  // Where cases run (-j N: at most N cores busy):
  // - on this thread, which starts at once and runs at full speed early (the command's
  //   compiled-code cache, see main.ts, and the WebAssembly kernels). With N >= 2 two cases are in
  //   flight here and files inflate on libuv's thread pool, so one case is read while the other is
  //   extracted;
  // - on N - 1 worker threads, started only when the batch is long enough to repay their start-up
  //   (each first loads and warms up its own copy of the code: ~0.3 s of CPU): once this thread
  //   alone would still need more than WORKER_PAYBACK_S, judged from its latest case
  //   (RADSCORE_WORKER_PAYBACK_S overrides it; 0 starts them before the first case).
  const WORKER_PAYBACK_S = Number(process.env.RADSCORE_WORKER_PAYBACK_S ?? 1);
  if (jobs > 1) inflateInBackground(true);
  // Set once the workers have started (declared this way so TypeScript does not narrow it to null).
  let pool = null as ExtractionPool | null;
  const caseInputs = (i: number) => {
    const caseLabel = labels && labels[i] !== "" ? parseLabel(labels[i]) : label;
    return { image: abs(images[i]!), mask: abs(masks[i]!), caseLabel };
  };
  // This thread's time per case: the interval between its last two finished cases (the first
  // case also pays one-time costs, caches and first calls: a third of it counts).
  let lastDoneHere: number | null = null;
  const batchStart = performance.now();
  const extractHere = async (i: number): Promise<ExtractionResult> => {
    const { image, mask, caseLabel } = caseInputs(i);
    const result = await extractOne(image, mask, params, caseLabel, undefined, dicom);
    const now = performance.now();
    const perCase = lastDoneHere === null ? (now - batchStart) / 3 : now - lastDoneHere;
    lastDoneHere = now;
    if (jobs > 1 && !pool && ((images.length - next) * perCase) / 1000 > WORKER_PAYBACK_S)
      startWorkers();
    return result;
  };
  let casesOnWorkers = 0;
  const extractOnWorker = async (i: number): Promise<ExtractionResult> => {
    const { image, mask, caseLabel } = caseInputs(i);
    // DICOM cases are read here (the workers read image files by path only).
    if (needsDicomReaders(image, isDicomFile(mask), dicom)) {
      const [img, msk] = await readDicomCase(image, mask, dicom);
      return pool!.extract(img, msk, params, caseLabel);
    }
    casesOnWorkers++;
    return pool!.extract(image, mask, params, caseLabel);
  };
  // Rows are streamed in the batch file's order as soon as each case and those before it are
  // done. Images are held only by the cases in flight (one lane each); finished rows wait for an
  // earlier, slower case in a window of ROW_WINDOW cases, so memory stays bounded whatever the
  // batch size, and a slow case (a worker still warming up) does not stall the other lanes.
  // The columns are the first extracted case's (as PyRadiomics' batch CSV).
  const ROW_WINDOW = 64;
  const writer = opts.output ? openAtomicWriter(opts.output) : null;
  const write = (text: string) => (writer ? writer.write(text) : process.stdout.write(text));
  // A part file's leading columns and cells (none without --shard); its failed cases as rows.
  const leadColumns = part?.columns ?? [];
  const lead = (i: number, error: string) => (part ? part.lead(i, error) : []);
  const failedInPart: [number, string][] = [];
  if (part) write(part.metaLine);
  const rows = new FeatureRowsWriter(write, leadColumns);
  const outcomes = images.map(() => deferred<ExtractionResult | Error>());
  // Lanes take the next case when free (see above for where they run).
  let next = 0;
  let windowMoved = deferred<void>();
  const lane = async (extract: (i: number) => Promise<ExtractionResult>): Promise<void> => {
    for (;;) {
      while (next < images.length && next >= rows.written + failures.length + ROW_WINDOW)
        await windowMoved.promise;
      if (next >= images.length) return;
      const i = next++;
      let outcome: ExtractionResult | Error;
      try {
        outcome = await extract(i);
      } catch (err) {
        outcome = err instanceof Error ? err : new Error(String(err));
      }
      progress.tick(ids[i]!);
      outcomes[i]!.resolve(outcome);
    }
  };
  const lanes: Promise<void>[] = [];
  let workersStarting: Promise<void> | null = null;
  // Two lanes per worker: one case running there, one queued, so a worker never waits for this
  // thread to hand it the next.
  const startWorkers = () => {
    workersStarting ??= createPool(jobs - 1).then(
      (created) => {
        pool = created;
        for (let k = 0; k < 2 * (jobs - 1); k++) lanes.push(lane(extractOnWorker));
      },
      (err: unknown) =>
        progress.log(`warning: no worker threads (${String(err)}); continuing on one thread`),
    );
  };
  if (jobs > 1 && !(WORKER_PAYBACK_S > 0)) {
    startWorkers();
    await workersStarting;
  }
  lanes.push(lane(extractHere));
  if (jobs > 1) lanes.push(lane(extractHere));
  try {
    for (let i = 0; i < images.length; i++) {
      const outcome = await outcomes[i]!.promise;
      const id = ids[i]!;
      const moved = windowMoved;
      windowMoved = deferred<void>();
      moved.resolve();
      if (outcome instanceof Error) {
        failures.push(`${id}: ${outcome.message}`);
        progress.log(`case ${id} failed: ${outcome.message}`);
        if (part) failedInPart.push([i, outcome.message || outcome.name]);
        continue;
      }
      rows.add(lead(i, ""), id, images[i]!, masks[i]!, outcome.features);
    }
    rows.endExtracted();
    for (const [i, error] of failedInPart)
      rows.addEmpty(lead(i, error), ids[i]!, images[i]!, masks[i]!);
    await Promise.all(lanes);
    await writer?.commit();
  } catch (error) {
    await writer?.abort();
    throw error;
  } finally {
    await workersStarting;
    await pool?.close();
  }
  progress.done();
  const warning = rows.extraFeaturesWarning();
  if (warning) process.stderr.write(warning);
  process.stderr.write(
    `${part?.summaryPrefix ?? ""}extracted ${rows.written} of ${images.length} case(s)${pool ? ` (${casesOnWorkers} on ${jobs - 1} worker thread(s))` : ""}; ${failures.length} failed\n`,
  );
  for (const f of failures) process.stderr.write(`  failed ${f}\n`);
  return failures.length > 0 ? 1 : 0;
}

/** A promise with its resolve function. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** A one-line progress bar on a terminal (stderr); silent otherwise. */
export function makeProgress(total: number) {
  const tty = process.stderr.isTTY === true;
  let done = 0;
  const draw = (note: string) => {
    if (!tty) return;
    const width = 30;
    const filled = Math.round((done / Math.max(total, 1)) * width);
    process.stderr.write(
      `\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${note}`.padEnd(70),
    );
  };
  return {
    tick(note: string) {
      done++;
      draw(note);
    },
    log(message: string) {
      if (tty) process.stderr.write("\r\x1b[K");
      process.stderr.write(`${message}\n`);
      draw("");
    },
    done() {
      if (tty) process.stderr.write("\n");
    },
  };
}

/** `--standard ibsi`: IBSI-mode extraction of one case (src/cli/extract-ibsi.ts). */
async function runStandard(
  standard: string,
  image: string | undefined,
  mask: string | undefined,
  opts: ExtractCommandOptions,
): Promise<number> {
  if (standard !== "ibsi")
    throw new Error(`--standard must be pyradiomics or ibsi, got '${standard}'`);
  const unsupported = [
    ["--batch", opts.batch],
    ["--voxel", opts.voxel],
    ["--diagnostics", opts.diagnostics],
    ["--save-images", opts.saveImages],
  ].filter(([, v]) => v !== undefined && v !== false);
  if (unsupported.length > 0)
    throw new Error(
      `--standard ibsi extracts one case: ${unsupported.map(([k]) => k).join(", ")} not available`,
    );
  if (!image || !mask) throw new Error("extract --standard ibsi needs IMAGE and MASK");
  const label = parseLabel(opts.label);
  const jobs = parseJobs(opts.jobs, Math.min(2, defaultThreads()));
  const dicom = dicomSelectionGiven(opts) ? await dicomChoice(opts) : undefined;
  // With 2 or more jobs the case is extracted on two worker threads (src/node/ibsi-threads.ts),
  // started now so that their start-up overlaps loading IBSI mode's script and reading the case.
  // (Loaded here: worker_threads and v8 cost a PyRadiomics-mode run ~1 ms of start-up for nothing.)
  const threads = jobs > 1 ? (await import("../node/ibsi-threads.js")).IbsiThreads.start() : null;
  try {
    const { runIbsiExtract } = await import("./extract-ibsi.js");
    return await runIbsiExtract(image, mask, {
      threads,
      ...(opts.params !== undefined ? { params: opts.params } : {}),
      ...(opts.output !== undefined ? { output: opts.output } : {}),
      ...(opts.format !== undefined ? { format: opts.format } : {}),
      ...(label !== undefined ? { label } : {}),
      ...(dicom !== undefined ? { dicom } : {}),
    });
  } finally {
    // Whatever happened (a bad parameter file too): running workers would keep the process alive.
    await threads?.close();
  }
}

/** Image and mask of a case that needs the DICOM readers (loaded only then: a cold start pays nothing). */
async function readDicomCase(
  imagePath: string,
  maskPath: string,
  choice: DicomChoice | undefined,
): Promise<[Volume, Volume]> {
  const inputs = await import("../node/image-inputs.js");
  return inputs.readDicomCase(imagePath, maskPath, choice);
}
