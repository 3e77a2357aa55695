/**
 * A run: a batch submitted to the queue under a name. Its record (`radscore:run:<name>`) lists the
 * batch's cases in order with their job ids; the jobs hold the results. Submitting adds the jobs
 * not yet in the queue (an id already there is the same computation: see identity.ts), reading a
 * run's state or outcomes looks its jobs up in BullMQ's completed and failed sets.
 */
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { VERSION } from "../../version.js";
import { fileSha256, jobIdentity, textSha256 } from "./identity.js";
import {
  type CaseJobData,
  type CaseJobResult,
  decodeValue,
  namesKey,
  paramsKey,
  runKey,
} from "./keys.js";

/** A case of a batch as the submitter reads it. */
export interface BatchCase {
  id: string;
  /** Image and mask as written in the batch file (the output's Image and Mask columns). */
  image: string;
  mask: string;
  /** Absolute paths, as the workers open them. */
  imagePath: string;
  maskPath: string;
  label: number | undefined;
}

export interface RunCase {
  id: string;
  image: string;
  mask: string;
  /** The job id; null when the case could not be submitted (see `error`). */
  job: string | null;
  /** Why the case was not submitted (an unreadable file). */
  error?: string;
}

export interface RunRecord {
  format: 1;
  radscore: string;
  name: string;
  /** The BullMQ queue of the run's jobs. */
  queue: string;
  created: string;
  batch: string;
  params: string | null;
  cases: RunCase[];
}

/** How many files are hashed at once while a run is prepared. */
const HASH_CONCURRENCY = 8;

/** The run record of a batch: every case's files hashed into its job id. */
export async function prepareRun(
  name: string,
  queue: string,
  batch: string,
  cases: BatchCase[],
  paramsPath: string | null,
  paramsText: string | null,
): Promise<{ record: RunRecord; jobs: Map<string, CaseJobData> }> {
  const paramsSha256 = paramsText === null ? null : textSha256(paramsText);
  const runCases: RunCase[] = new Array(cases.length);
  const jobs = new Map<string, CaseJobData>();
  let next = 0;
  const hashNext = async () => {
    while (next < cases.length) {
      const k = next++;
      const c = cases[k]!;
      const base = { id: c.id, image: c.image, mask: c.mask };
      try {
        const [imageSha256, maskSha256] = await Promise.all([
          fileSha256(c.imagePath),
          fileSha256(c.maskPath),
        ]);
        const job = jobIdentity({ imageSha256, maskSha256, label: c.label, paramsSha256 });
        runCases[k] = { ...base, job };
        jobs.set(job, {
          image: c.imagePath,
          mask: c.maskPath,
          ...(c.label !== undefined ? { label: c.label } : {}),
          params: paramsSha256,
          paramsName: paramsPath,
        });
      } catch (err) {
        runCases[k] = { ...base, job: null, error: (err as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, hashNext));
  const record: RunRecord = {
    format: 1,
    radscore: VERSION,
    name,
    queue,
    created: new Date().toISOString(),
    batch,
    params: paramsPath,
    cases: runCases,
  };
  return { record, jobs };
}

/** Retries for errors that may pass (exponential back-off: 1 s, 2 s); UnrecoverableError: none. */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: "exponential", delay: 1000 },
  // Results stay: a rerun (or another run with the same cases) reads them instead of computing.
  removeOnComplete: false,
  removeOnFail: false,
} as const;

export interface SubmitSummary {
  /** Jobs added now. */
  added: number;
  /** Jobs already completed (nothing to compute). */
  done: number;
  /** Jobs already waiting or running (another run's, or an earlier submission's). */
  pending: number;
  /** Failed jobs sent back to the queue for another try. */
  retried: number;
}

/**
 * Stores the run and its parameters, then adds its jobs: a job id already completed is left as it
 * is, a failed one is retried, a new one is added.
 */
export async function submitRun(
  queue: Queue,
  record: RunRecord,
  jobs: Map<string, CaseJobData>,
  paramsText: string | null,
): Promise<SubmitSummary> {
  const client = (await queue.client) as unknown as Redis;
  if (paramsText !== null) await client.set(paramsKey(textSha256(paramsText)), paramsText);
  await client.set(runKey(record.name), JSON.stringify(record));
  const ids = [...jobs.keys()];
  const states = await finishedStates(queue, ids);
  const exists = await pipelined(client, ids, (p, id) => p.exists(queue.toKey(id)));
  const summary: SubmitSummary = { added: 0, done: 0, pending: 0, retried: 0 };
  const toAdd: { name: string; data: CaseJobData; opts: { jobId: string } & typeof JOB_OPTIONS }[] =
    [];
  for (const [k, id] of ids.entries()) {
    const state = states[k];
    if (state === "completed") summary.done++;
    else if (state === "failed") {
      const job = await queue.getJob(id);
      if (job) {
        await job.retry("failed");
        summary.retried++;
      }
    } else if (exists[k] === 1) summary.pending++;
    else toAdd.push({ name: "case", data: jobs.get(id)!, opts: { ...JOB_OPTIONS, jobId: id } });
  }
  for (let k = 0; k < toAdd.length; k += 1000) await queue.addBulk(toAdd.slice(k, k + 1000));
  summary.added = toAdd.length;
  return summary;
}

/** The run named `name`, or an error saying there is none. */
export async function readRun(client: Redis, name: string): Promise<RunRecord> {
  const text = await client.get(runKey(name));
  if (text === null) throw new Error(`no run named '${name}' in this Redis database`);
  return JSON.parse(text) as RunRecord;
}

/** Names of the runs stored in this database. */
export async function listRuns(client: Redis): Promise<string[]> {
  const names: string[] = [];
  let cursor = "0";
  do {
    const [nextCursor, keys] = await client.scan(cursor, "MATCH", runKey("*"), "COUNT", 1000);
    cursor = nextCursor;
    for (const key of keys) names.push(key.slice(runKey("").length));
  } while (cursor !== "0");
  return names.sort();
}

/** Runs `command` for every item in one round trip per 1000 items; the replies in order. */
async function pipelined<T>(
  client: Redis,
  items: readonly T[],
  command: (pipeline: ReturnType<Redis["pipeline"]>, item: T) => unknown,
): Promise<unknown[]> {
  const replies: unknown[] = [];
  for (let k = 0; k < items.length; k += 1000) {
    const pipeline = client.pipeline();
    for (const item of items.slice(k, k + 1000)) command(pipeline, item);
    const results = (await pipeline.exec()) ?? [];
    for (const [err, value] of results) {
      if (err) throw err;
      replies.push(value);
    }
  }
  return replies;
}

export type FinishedState = "completed" | "failed" | null;

/** Whether each job is completed, failed for good, or not finished (null). */
export async function finishedStates(
  queue: Queue,
  ids: readonly string[],
): Promise<FinishedState[]> {
  const client = (await queue.client) as unknown as Redis;
  const replies = await pipelined(client, ids, (p, id) => {
    p.zscore(queue.keys.completed!, id);
    p.zscore(queue.keys.failed!, id);
  });
  return ids.map((_, k) =>
    replies[2 * k] !== null ? "completed" : replies[2 * k + 1] !== null ? "failed" : null,
  );
}

/** A finished case: its features, or why it failed. */
export type CaseOutcome =
  | { features: Record<string, number> }
  | { error: string }
  | { pending: true };

/** The outcomes of jobs (by id, in order): features, the failure's reason, or pending. */
export async function jobOutcomes(
  queue: Queue,
  ids: readonly string[],
  namesCache: Map<string, string[]>,
): Promise<CaseOutcome[]> {
  const client = (await queue.client) as unknown as Redis;
  const replies = (await pipelined(client, ids, (p, id) =>
    p.hmget(queue.toKey(id), "returnvalue", "failedReason"),
  )) as (string | null)[][];
  const states = await finishedStates(queue, ids);
  const outcomes: CaseOutcome[] = [];
  for (const [k, fields] of replies.entries()) {
    const state = states[k];
    if (state === "failed") outcomes.push({ error: fields[1] || "failed" });
    else if (state !== "completed" || fields[0] === null) outcomes.push({ pending: true });
    else {
      const result = JSON.parse(fields[0]) as CaseJobResult;
      let names = namesCache.get(result.names);
      if (!names) {
        const text = await client.get(namesKey(result.names));
        if (text === null) throw new Error(`feature names ${result.names} missing from Redis`);
        names = JSON.parse(text) as string[];
        namesCache.set(result.names, names);
      }
      const features: Record<string, number> = {};
      names.forEach((n, v) => {
        features[n] = decodeValue(result.values[v]!);
      });
      outcomes.push({ features });
    }
  }
  return outcomes;
}

/**
 * The outcomes of the cases `from` to `to` (exclusive) of a run, in order: features of completed
 * jobs, the reason of failed ones and of cases never submitted, `pending` for the others.
 */
export async function runOutcomes(
  queue: Queue,
  record: RunRecord,
  from: number,
  to: number,
  namesCache: Map<string, string[]>,
): Promise<CaseOutcome[]> {
  const cases = record.cases.slice(from, to);
  const submitted = cases.filter((c) => c.job !== null).map((c) => c.job!);
  const outcomes = await jobOutcomes(queue, submitted, namesCache);
  let next = 0;
  return cases.map((c) =>
    c.job === null ? { error: c.error ?? "not submitted" } : outcomes[next++]!,
  );
}

/** Jobs of a run by state, for `radscore queue status`. */
export async function runCounts(
  queue: Queue,
  record: RunRecord,
): Promise<Record<"done" | "failed" | "active" | "waiting" | "retrying" | "unknown", number>> {
  const counts = { done: 0, failed: 0, active: 0, waiting: 0, retrying: 0, unknown: 0 };
  const ids = record.cases.filter((c) => c.job !== null).map((c) => c.job!);
  counts.failed += record.cases.length - ids.length;
  const states = await finishedStates(queue, ids);
  const open: string[] = [];
  ids.forEach((id, k) => {
    if (states[k] === "completed") counts.done++;
    else if (states[k] === "failed") counts.failed++;
    else open.push(id);
  });
  for (let k = 0; k < open.length; k += 500) {
    const chunk = await Promise.all(open.slice(k, k + 500).map((id) => queue.getJobState(id)));
    for (const s of chunk) {
      if (s === "active") counts.active++;
      else if (s === "waiting" || s === "prioritized" || s === "waiting-children") counts.waiting++;
      else if (s === "delayed") counts.retrying++;
      else counts.unknown++;
    }
  }
  return counts;
}
