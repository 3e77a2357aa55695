/**
 * A queue worker (`radscore worker`): takes the queue's jobs and extracts each case on the
 * extraction pool's worker threads, so that this thread's event loop stays free for BullMQ (which
 * renews the locks of the jobs in hand from it; a blocked loop would let them look stalled).
 *
 * Faults: an error that may pass (the file system or a thread failing: see isTransientError) is
 * thrown as it is, and BullMQ retries the job with back-off (run.ts, JOB_OPTIONS); any other error
 * is the case's own (an unreadable or inconsistent file, a label not in the mask) and fails the job
 * at once as an UnrecoverableError. A worker killed mid-case loses its jobs' locks; BullMQ's
 * stalled-job check (in any live worker, every lock period) puts them back in the queue.
 */
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { FEATURE_CATALOGUE } from "../../features/registry.js";
import { defaultParams, type Params, parseParams } from "../../extract/params.js";
import { VERSION } from "../../version.js";
import { ExtractionPool } from "../extraction-pool.js";
import { connectionOptions, type RedisTarget } from "./connection.js";
import { textSha256 } from "./identity.js";
import {
  type CaseJobData,
  type CaseJobResult,
  encodeValue,
  KEY_PREFIX,
  namesKey,
  paramsKey,
  queueName,
} from "./keys.js";

/** Error codes and messages of failures that may pass on another try. */
const TRANSIENT =
  /\b(EIO|EMFILE|ENFILE|EAGAIN|EBUSY|ETIMEDOUT|ESTALE|ECONNRESET|ENOMEM|EINTR)\b|worker (thread )?(exited|terminated)|terminating worker/i;

/** Whether an extraction error may pass on another try (else it is the case's own: not retried). */
export function isTransientError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return TRANSIENT.test(`${String(e?.code ?? "")} ${String(e?.message ?? err)}`);
}

/** The lock period: --lock-ms, else RADSCORE_QUEUE_LOCK_MS, else BullMQ's 30 s. */
export function lockMs(text: string | undefined, env = process.env): number {
  const value = text ?? env.RADSCORE_QUEUE_LOCK_MS;
  if (value === undefined || value === "") return 30_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 500)
    throw new Error(`--lock-ms must be a whole number of milliseconds >= 500, got '${value}'`);
  return ms;
}

/** How long close() waits for BullMQ's connections after the last job in hand. */
const CLOSE_GRACE_MS = 5000;

export interface QueueWorkerOptions {
  target: RedisTarget;
  threads: number;
  lockMs: number;
  /** Called once when Redis stays unreachable (connection.ts, reconnectLimitMs). */
  onGiveUp: (message: string) => void;
  /** One line per event worth a log (a failed case, a retried error, a Redis error). */
  log: (message: string) => void;
}

export interface QueueWorkerCounts {
  extracted: number;
  failed: number;
  retried: number;
}

export interface QueueWorker {
  readonly counts: QueueWorkerCounts;
  /** Resolves once the worker is connected and taking jobs. */
  ready: Promise<void>;
  /**
   * Stops taking jobs, lets the jobs in hand finish, stops the threads. False when BullMQ's
   * connections had not closed CLOSE_GRACE_MS after the last job (seen after a Redis restart: its
   * blocking connection's close never completed); the process should then exit by itself.
   */
  close(): Promise<boolean>;
}

export function startQueueWorker(options: QueueWorkerOptions): QueueWorker {
  const connection = connectionOptions(options.target, options.onGiveUp);
  const pool = new ExtractionPool(options.threads);
  const client = new Redis(connection);
  client.on("error", () => {});
  const counts: QueueWorkerCounts = { extracted: 0, failed: 0, retried: 0 };
  const paramsCache = new Map<string, Promise<Params>>();
  const storedNames = new Set<string>();

  const paramsOf = (data: CaseJobData): Promise<Params> => {
    const key = data.params ?? "";
    let params = paramsCache.get(key);
    if (!params) {
      params = (async () => {
        if (data.params === null) return defaultParams(FEATURE_CATALOGUE);
        const text = await client.get(paramsKey(data.params));
        if (text === null)
          throw new UnrecoverableError(`parameter file ${data.params} missing from Redis`);
        return parseParams(text, FEATURE_CATALOGUE, data.paramsName ?? "parameters");
      })();
      params.catch(() => paramsCache.delete(key));
      paramsCache.set(key, params);
    }
    return params;
  };

  const inFlight = new Set<Promise<CaseJobResult>>();
  const processJob = (job: Job<CaseJobData, CaseJobResult>): Promise<CaseJobResult> => {
    const running = extractJob(job);
    inFlight.add(running);
    running.then(
      () => inFlight.delete(running),
      () => inFlight.delete(running),
    );
    return running;
  };

  const extractJob = async (job: Job<CaseJobData, CaseJobResult>): Promise<CaseJobResult> => {
    const data = job.data;
    const params = await paramsOf(data);
    let features: Record<string, number>;
    try {
      features = (await pool.extract(data.image, data.mask, params, data.label)).features;
    } catch (err) {
      const message = (err as Error)?.message ?? String(err);
      if (isTransientError(err)) {
        counts.retried++;
        options.log(`case ${data.image}: ${message} (attempt ${job.attemptsMade + 1})`);
        throw err;
      }
      counts.failed++;
      throw new UnrecoverableError(message);
    }
    const names = Object.keys(features);
    const namesSha = textSha256(names.join("\n"));
    if (!storedNames.has(namesSha)) {
      await client.set(namesKey(namesSha), JSON.stringify(names));
      storedNames.add(namesSha);
    }
    counts.extracted++;
    return { names: namesSha, values: names.map((n) => encodeValue(features[n]!)) };
  };

  const worker = new Worker<CaseJobData, CaseJobResult>(queueName(VERSION), processJob, {
    connection,
    prefix: KEY_PREFIX,
    // Two jobs per thread: one running, one ready (as the pool's concurrentTasksPerWorker).
    concurrency: 2 * options.threads,
    lockDuration: options.lockMs,
    stalledInterval: options.lockMs,
    // A job stalls once per crash of the worker holding it; after a third it fails.
    maxStalledCount: 2,
  });
  let lastError = "";
  worker.on("error", (err) => {
    // ioredis reports each failed reconnect; one line per distinct message.
    if (err.message !== lastError) options.log(`queue: ${err.message}`);
    lastError = err.message;
  });
  worker.on("failed", (job, err) => {
    const final = err instanceof UnrecoverableError || job?.finishedOn !== undefined;
    if (job && final) options.log(`case ${job.data.image} failed: ${err.message}`);
  });
  return {
    counts,
    ready: worker.waitUntilReady().then(() => {}),
    async close() {
      const closing = worker.close();
      // The jobs in hand finish first; BullMQ then stores their results and lets go of Redis.
      await Promise.allSettled(inFlight);
      const closed = await Promise.race([
        closing.then(
          () => true,
          () => true,
        ),
        new Promise<boolean>((r) => setTimeout(() => r(false), CLOSE_GRACE_MS).unref()),
      ]);
      await pool.close();
      client.disconnect();
      return closed;
    },
  };
}
