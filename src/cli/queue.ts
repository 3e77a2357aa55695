/**
 * Queue mode (issue #15, docs/queue.md): `radscore extract --batch ... --queue URL` (submit, wait,
 * write the batch's CSV), `radscore queue status|collect`, `radscore worker`. The CSV is the one a
 * local `extract --batch` writes: same columns (the first extracted case's), same rows in the
 * batch's order, same number formatting, failed cases reported on stderr with their IDs.
 */

import { basename, dirname, extname, isAbsolute, resolve } from "node:path";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { csvColumn, parseCsv } from "../io/csv.js";
import { openAtomicWriter } from "../node/atomic.js";
import { readFileFor, readTextFile } from "../node/files.js";
import {
  checkRedis,
  connectionOptions,
  parseRedisUrl,
  type RedisTarget,
} from "../node/queue/connection.js";
import { textSha256 } from "../node/queue/identity.js";
import { KEY_PREFIX, queueName } from "../node/queue/keys.js";
import {
  type BatchCase,
  type CaseOutcome,
  finishedStates,
  listRuns,
  prepareRun,
  type RunRecord,
  readRun,
  runCounts,
  runOutcomes,
  submitRun,
} from "../node/queue/run.js";
import { defaultThreads } from "../node/threads.js";
import { VERSION } from "../version.js";
import {
  type ExtractCommandOptions,
  loadParams,
  makeProgress,
  parseJobs,
  parseLabel,
} from "./extract.js";
import { FeatureRowsWriter } from "./feature-rows.js";

export interface QueueExtractOptions extends ExtractCommandOptions {
  queue?: string;
  run?: string;
  detach?: boolean;
}

/** The CLI's reaction to Redis staying away mid-run: one line and exit code 3. */
function giveUp(message: string): never {
  process.stderr.write(`radscore: ${message}\n`);
  process.exit(3);
}

/** The queue of `version` at `url`, after checking that Redis answers (a clear error if not). */
async function openQueue(
  url: string,
  version = VERSION,
): Promise<{ queue: Queue; target: RedisTarget }> {
  const target = parseRedisUrl(url);
  await checkRedis(target);
  const { Queue } = await import("bullmq");
  const queue = new Queue(queueName(version), {
    connection: connectionOptions(target, giveUp),
    prefix: KEY_PREFIX,
  });
  let lastError = "";
  queue.on("error", (err) => {
    if (err.message !== lastError) process.stderr.write(`queue: ${err.message}\n`);
    lastError = err.message;
  });
  return { queue, target };
}

const clientOf = async (queue: Queue) => (await queue.client) as unknown as Redis;

/** A run name: letters, digits, '.', '_', '-'. */
function checkRunName(name: string): string {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(name))
    throw new Error(`--run must be letters, digits, '.', '_' or '-', got '${name}'`);
  return name;
}

/** The batch's cases as a local `extract --batch` reads them (ID default: the row number). */
async function readBatch(
  casesPath: string,
  label: number | undefined,
): Promise<{ cases: BatchCase[]; bytes: Uint8Array }> {
  const bytes = await readFileFor(casesPath, "batch file");
  const table = parseCsv(new TextDecoder().decode(bytes), casesPath);
  const images = csvColumn(table, "Image", casesPath);
  const masks = csvColumn(table, "Mask", casesPath);
  const ids = table.header.includes("ID")
    ? csvColumn(table, "ID", casesPath)
    : images.map((_, i) => String(i + 1));
  const labels = table.header.includes("Label") ? csvColumn(table, "Label", casesPath) : null;
  const base = dirname(resolve(casesPath));
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const cases = images.map((image, i) => ({
    id: ids[i]!,
    image,
    mask: masks[i]!,
    imagePath: abs(image),
    maskPath: abs(masks[i]!),
    label: labels && labels[i] !== "" ? parseLabel(labels[i]) : label,
  }));
  return { cases, bytes };
}

/** Options of a local extraction that the queue does not take. */
function rejectUnsupported(opts: QueueExtractOptions): void {
  const unsupported: [string, unknown][] = [
    ["--shard", opts.shard],
    ["--voxel", opts.voxel],
    ["--save-images", opts.saveImages],
    ["--standard", opts.standard !== "pyradiomics" ? opts.standard : undefined],
    ["--series", opts.series],
    ["--volume", opts.volume],
    ["--phase", opts.phase],
    ["--bvalue", opts.bvalue],
    ["--segment", opts.segment],
    ["--roi", opts.roi],
    ["--jobs (threads are the workers': radscore worker -j N)", opts.jobs],
  ];
  const given = unsupported.filter(([, v]) => v !== undefined && v !== false);
  if (given.length > 0)
    throw new Error(
      `--queue extracts a batch of image files: ${given.map(([k]) => k).join(", ")} not available`,
    );
  if (!opts.batch) throw new Error("--queue needs --batch CASES.csv");
  if (opts.format !== undefined && opts.format.toLowerCase() !== "csv")
    throw new Error("--queue writes the batch's CSV: --format must be csv");
}

/** `radscore extract --batch CASES.csv --queue URL [--run NAME] [--detach] [-o OUT.csv]`. */
export async function runQueuedExtract(opts: QueueExtractOptions): Promise<number> {
  rejectUnsupported(opts);
  const casesPath = opts.batch!;
  const label = parseLabel(opts.label);
  const paramsText = opts.params ? await readTextFile(opts.params, "parameter file") : null;
  // Parameters are checked here, so that a bad file is one error now rather than one per case.
  if (opts.params) await loadParams(opts.params);
  const { cases, bytes } = await readBatch(casesPath, label);
  const { queue, target } = await openQueue(opts.queue!);
  try {
    const name = checkRunName(
      opts.run ??
        `${basename(casesPath, extname(casesPath))}-${textSha256(
          `${textSha256(new TextDecoder().decode(bytes))}\n${paramsText ?? ""}\n${label ?? ""}`,
        ).slice(0, 8)}`,
    );
    const { record, jobs } = await prepareRun(
      name,
      queueName(),
      resolve(casesPath),
      cases,
      opts.params ? resolve(opts.params) : null,
      paramsText,
    );
    const summary = await submitRun(queue, record, jobs, paramsText);
    process.stderr.write(
      `run ${name}: ${cases.length} case(s), ${jobs.size} job(s) on ${target.shown} ` +
        `(${summary.added} added, ${summary.done} already done, ${summary.pending} already queued` +
        `${summary.retried > 0 ? `, ${summary.retried} failed before and retried` : ""})\n`,
    );
    if (opts.detach) {
      process.stderr.write(
        `detached: radscore queue status --queue ${target.shown} --run ${name}; ` +
          `radscore queue collect --queue ${target.shown} --run ${name} -o OUT.csv\n`,
      );
      return 0;
    }
    await waitForRun(queue, record);
    return await writeRunCsv(queue, record, opts.output);
  } finally {
    await queue.close();
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until every job of the run is completed or failed for good, with a progress bar. */
async function waitForRun(queue: Queue, record: RunRecord): Promise<void> {
  const progress = makeProgress(record.cases.length);
  const casesOfJob = new Map<string, string[]>();
  for (const c of record.cases) {
    if (c.job === null) {
      progress.tick(c.id);
      continue;
    }
    const ids = casesOfJob.get(c.job) ?? [];
    ids.push(c.id);
    casesOfJob.set(c.job, ids);
  }
  let open = [...casesOfJob.keys()];
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let lastLine = started;
  let warnedNoWorkers = false;
  let finished = record.cases.length - [...casesOfJob.values()].flat().length;
  // Polled, not pushed: two set lookups per open job in one round trip, which survives a Redis
  // restart unchanged (an event stream would need its position kept across it). The interval
  // grows from 50 ms to 250 ms: short runs end promptly, long ones cost Redis little.
  let interval = 50;
  while (open.length > 0) {
    const states = await finishedStates(queue, open);
    const still: string[] = [];
    open.forEach((id, k) => {
      if (states[k] === null) still.push(id);
      else
        for (const caseId of casesOfJob.get(id)!) {
          finished++;
          progress.tick(caseId);
        }
    });
    open = still;
    if (open.length === 0) break;
    const now = Date.now();
    if (!tty && now - lastLine >= 10_000) {
      process.stderr.write(`queue: ${finished} of ${record.cases.length} case(s) finished\n`);
      lastLine = now;
    }
    if (!warnedNoWorkers && now - started > 5000 && finished === 0) {
      warnedNoWorkers = true;
      const workers = await queue.getWorkersCount().catch(() => -1);
      if (workers === 0)
        progress.log(
          `queue: no worker is connected yet; start one: radscore worker --queue URL (run ${record.name} waits)`,
        );
    }
    await sleep(interval);
    interval = Math.min(interval * 1.5, 250);
  }
  progress.done();
}

/**
 * Writes the run's CSV as a local `extract --batch` writes it (see extract.ts, runBatch): the
 * header from the first extracted case, one row per extracted case in the batch's order, failed
 * cases on stderr. Exit code 1 when a case failed, as a local batch.
 */
async function writeRunCsv(
  queue: Queue,
  record: RunRecord,
  output: string | undefined,
): Promise<number> {
  const writer = output ? openAtomicWriter(output) : null;
  const write = (text: string) => (writer ? writer.write(text) : process.stdout.write(text));
  const failures: string[] = [];
  const namesCache = new Map<string, string[]>();
  const rows = new FeatureRowsWriter(write);
  const CHUNK = 500;
  try {
    for (let from = 0; from < record.cases.length; from += CHUNK) {
      const to = Math.min(from + CHUNK, record.cases.length);
      const outcomes: CaseOutcome[] = await runOutcomes(queue, record, from, to, namesCache);
      outcomes.forEach((outcome, k) => {
        const c = record.cases[from + k]!;
        if ("pending" in outcome) throw new Error(`case ${c.id} is not finished`);
        if ("error" in outcome) {
          failures.push(`${c.id}: ${outcome.error}`);
          process.stderr.write(`case ${c.id} failed: ${outcome.error}\n`);
          return;
        }
        rows.add([], c.id, c.image, c.mask, outcome.features);
      });
    }
    rows.endExtracted();
    await writer?.commit();
  } catch (error) {
    await writer?.abort();
    throw error;
  }
  const warning = rows.extraFeaturesWarning();
  if (warning) process.stderr.write(warning);
  process.stderr.write(
    `extracted ${rows.written} of ${record.cases.length} case(s) on the queue (run ${record.name}); ${failures.length} failed\n`,
  );
  for (const f of failures) process.stderr.write(`  failed ${f}\n`);
  return failures.length > 0 ? 1 : 0;
}

export interface QueueCommandOptions {
  queue?: string;
  run?: string;
  output?: string;
}

function needQueue(opts: QueueCommandOptions): string {
  if (!opts.queue) throw new Error("give the Redis URL: --queue redis://HOST:PORT[/DB]");
  return opts.queue;
}

/** `radscore queue collect --queue URL --run NAME [-o OUT.csv]`: a finished run's CSV. */
export async function runQueueCollect(opts: QueueCommandOptions): Promise<number> {
  const url = needQueue(opts);
  if (!opts.run) throw new Error("queue collect needs --run NAME (queue status lists the runs)");
  const target = parseRedisUrl(url);
  await checkRedis(target);
  const { Redis } = await import("ioredis");
  const probe = new Redis(connectionOptions(target, giveUp));
  let record: RunRecord;
  try {
    record = await readRun(probe, checkRunName(opts.run));
  } finally {
    probe.disconnect();
  }
  const { queue } = await openQueue(url, record.radscore);
  try {
    const ids = record.cases.filter((c) => c.job !== null);
    const states = await finishedStates(
      queue,
      ids.map((c) => c.job!),
    );
    const missing = ids.filter((_, k) => states[k] === null).map((c) => c.id);
    if (missing.length > 0)
      throw new Error(
        `run ${record.name} is not finished: ${missing.length} of ${record.cases.length} case(s) ` +
          `still waiting or running (${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ", ..." : ""}); ` +
          "see radscore queue status",
      );
    return await writeRunCsv(queue, record, opts.output);
  } finally {
    await queue.close();
  }
}

/** `radscore queue status --queue URL [--run NAME]`: the queue's jobs by state, and a run's. */
export async function runQueueStatus(opts: QueueCommandOptions): Promise<number> {
  const { queue, target } = await openQueue(needQueue(opts));
  try {
    const client = await clientOf(queue);
    const counts = await queue.getJobCounts(
      "completed",
      "failed",
      "waiting",
      "prioritized",
      "active",
      "delayed",
    );
    const workers = await queue.getWorkersCount().catch(() => null);
    const lines = [
      `queue ${queueName()} at ${target.shown}: ${workers === null ? "unknown number of" : workers} worker(s)`,
      `  jobs: ${counts.completed} done, ${counts.failed} failed, ${(counts.waiting ?? 0) + (counts.prioritized ?? 0)} waiting, ${counts.active} active, ${counts.delayed} retrying (back-off)`,
    ];
    if (opts.run) {
      const record = await readRun(client, checkRunName(opts.run));
      const run = await runCounts(queue, record);
      lines.push(
        `run ${record.name} (${record.cases.length} case(s), submitted ${record.created}): ` +
          `${run.done} done, ${run.failed} failed, ${run.waiting} waiting, ${run.active} active, ${run.retrying} retrying` +
          (run.unknown > 0 ? `, ${run.unknown} missing from the queue` : ""),
      );
    } else {
      const runs = await listRuns(client);
      lines.push(`runs: ${runs.length > 0 ? runs.join(", ") : "none"}`);
    }
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  } finally {
    await queue.close();
  }
}

export interface WorkerCommandOptions {
  queue?: string;
  jobs?: string;
  lockMs?: string;
}

/**
 * `radscore worker --queue URL [-j N] [--lock-ms MS]`: takes jobs until SIGINT or SIGTERM, then
 * finishes the jobs in hand and prints what it did.
 */
export async function runWorkerCommand(opts: WorkerCommandOptions): Promise<number> {
  const target = parseRedisUrl(needQueue(opts));
  const threads = parseJobs(opts.jobs, defaultThreads());
  const { lockMs, startQueueWorker } = await import("../node/queue/worker.js");
  const lock = lockMs(opts.lockMs);
  await checkRedis(target);
  const log = (message: string) => process.stderr.write(`${message}\n`);
  // Signals from now on stop the worker cleanly (after the jobs in hand); a second one at once.
  const stopped = new Promise<void>((resolveStop) => {
    const stop = () => {
      process.removeListener("SIGINT", stop);
      process.removeListener("SIGTERM", stop);
      process.once("SIGINT", () => process.exit(130));
      process.once("SIGTERM", () => process.exit(143));
      log("worker: stopping after the jobs in hand");
      resolveStop();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  const worker = startQueueWorker({ target, threads, lockMs: lock, onGiveUp: giveUp, log });
  await Promise.race([worker.ready, stopped]);
  log(
    `worker: taking jobs from ${queueName()} at ${target.shown} on ${threads} thread(s) (pid ${process.pid})`,
  );
  await stopped;
  const closed = await worker.close();
  const { extracted, failed, retried } = worker.counts;
  log(`worker: extracted ${extracted} case(s), ${failed} failed, ${retried} error(s) retried`);
  // Connections BullMQ did not close would keep the process alive (see QueueWorker.close).
  if (!closed) process.exit(0);
  return 0;
}
