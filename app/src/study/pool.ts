/**
 * A pool of extraction Web Workers (one per core, at most 8): jobs (extractions, or the robustness
 * step's perturbations) are handed to idle workers in order, progress is reported per finished
 * job with an ETA, and an AbortSignal cancels the run (workers are terminated; what finished is
 * already in the feature store).
 */
import type { Volume } from "../../../src/image/volume.js";
import type {
  ExtractJob,
  ExtractReply,
  PerturbJob,
  PerturbReply,
  VoxelMapJob,
  VoxelMapReply,
} from "../workers/protocol.js";

export interface PoolProgress {
  done: number;
  total: number;
  /** Jobs answered from the feature store (earlier runs). */
  cached: number;
  /** Seconds left, estimated from the jobs computed so far (null until one is). */
  etaSeconds: number | null;
  /** What just finished, e.g. "P001 T2". */
  note: string;
}

/**
 * A worker script's URL: the workers sit beside index.html (this code may run from a shared
 * chunk in chunks/, so import.meta.url would point there).
 */
export function workerUrl(name: string): URL {
  return new URL(name, document.baseURI);
}

export function defaultWorkerCount(): number {
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(8, cores));
}

export class CancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CancelledError";
  }
}

interface PoolOptions<J> {
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: PoolProgress) => void;
  note?: (job: J) => string;
}

/** Runs every job; resolves with the replies in job order, or rejects at the first failure. */
export function runExtractionJobs(
  jobs: readonly Omit<ExtractJob, "id">[],
  options: PoolOptions<Omit<ExtractJob, "id">> = {},
): Promise<Extract<ExtractReply, { ok: true }>[]> {
  return runWorkerJobs<Omit<ExtractJob, "id">, Extract<ExtractReply, { ok: true }>>(
    jobs,
    options,
    (reply) => reply.results.every((r) => r.cached),
  );
}

/** The robustness step's perturbation jobs on the same workers (replies in job order). */
export function runPerturbationJobs(
  jobs: readonly Omit<PerturbJob, "id">[],
  options: PoolOptions<Omit<PerturbJob, "id">> = {},
): Promise<Extract<PerturbReply, { ok: true }>[]> {
  return runWorkerJobs<Omit<PerturbJob, "id">, Extract<PerturbReply, { ok: true }>>(
    jobs,
    options,
    (reply) => reply.cached,
  );
}

/** The pool itself; `fromStore` tells a reply answered from the feature store (for the ETA). */
function runWorkerJobs<J, Ok extends { id: number; ok: true }>(
  jobs: readonly J[],
  options: PoolOptions<J>,
  fromStore: (reply: Ok) => boolean,
): Promise<Ok[]> {
  const count = Math.max(1, Math.min(options.workers ?? defaultWorkerCount(), jobs.length));
  const replies: Ok[] = new Array(jobs.length);
  return new Promise((resolve, reject) => {
    if (jobs.length === 0) {
      resolve([]);
      return;
    }
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let cached = 0;
    let computedSeconds = 0;
    let computed = 0;
    let finished = false;
    const stop = () => {
      finished = true;
      for (const w of workers) w.terminate();
      options.signal?.removeEventListener("abort", onAbort);
    };
    const fail = (error: Error) => {
      if (finished) return;
      stop();
      reject(error);
    };
    const onAbort = () => fail(new CancelledError());
    if (options.signal?.aborted) {
      reject(new CancelledError());
      return;
    }
    options.signal?.addEventListener("abort", onAbort);
    const give = (worker: Worker, slot: { job: number; since: number }) => {
      if (finished || next >= jobs.length) return false;
      slot.job = next++;
      slot.since = performance.now();
      worker.postMessage({ ...jobs[slot.job]!, id: slot.job });
      return true;
    };
    for (let k = 0; k < count; k++) {
      const worker = new Worker(workerUrl("extract-worker.js"), { type: "module" });
      const slot = { job: -1, since: 0 };
      worker.onmessage = (event: MessageEvent<Ok | { id: number; ok: false; error: string }>) => {
        const reply = event.data;
        if (finished) return;
        if (!reply.ok) {
          fail(new Error(reply.error));
          return;
        }
        replies[reply.id] = reply;
        done++;
        if (fromStore(reply)) cached++;
        else {
          computed++;
          computedSeconds += (performance.now() - slot.since) / 1000;
        }
        const left = jobs.length - done;
        // Jobs run `count` at a time: the remaining ones take left / count average job times.
        const perJob = computed > 0 ? computedSeconds / computed : null;
        options.onProgress?.({
          done,
          total: jobs.length,
          cached,
          etaSeconds: perJob === null ? null : (left * perJob) / count,
          note: options.note?.(jobs[reply.id]!) ?? "",
        });
        if (done === jobs.length) {
          stop();
          resolve(replies);
          return;
        }
        give(worker, slot);
      };
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        fail(
          new Error(
            `extraction worker failed: ${event.message || "could not start (is the app served over http?)"}`,
          ),
        );
      };
      workers.push(worker);
      give(worker, slot);
    }
  });
}

/** One voxel-based feature map, computed on a worker of its own (the page stays responsive). */
export function runVoxelMap(job: Omit<VoxelMapJob, "id" | "kind">): Promise<Volume<Float64Array>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl("extract-worker.js"), { type: "module" });
    worker.onmessage = (event: MessageEvent<VoxelMapReply>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.map);
      else reject(new Error(event.data.error));
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(`feature-map worker failed: ${event.message}`));
    };
    worker.postMessage({ ...job, kind: "voxel-map", id: 0 } satisfies VoxelMapJob);
  });
}
