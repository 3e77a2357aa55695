/**
 * The queue as an extractor of single image / mask pairs, for a study's extraction
 * (`extraction.queue: redis://...` in study.yaml, see study-runner.ts): each pair is one job with
 * the same identity, options and result as `extract --queue` gives it (a pair a batch or another
 * study already computed is not computed again), and the caller awaits its features. One poller
 * checks all pending jobs per round trip, as the batch submitter does.
 */
import { createHash } from "node:crypto";
import type { Queue } from "bullmq";
import { VERSION } from "../../version.js";
import { checkRedis, connectionOptions, parseRedisUrl } from "./connection.js";
import { jobIdentity, textSha256 } from "./identity.js";
import { type CaseJobData, KEY_PREFIX, paramsKey, queueName } from "./keys.js";
import { JOB_OPTIONS, jobOutcomes } from "./run.js";

export interface QueuePair {
  imagePath: string;
  maskPath: string;
  /** The files' bytes (already read by the caller for its own cache key). */
  imageBytes: Uint8Array;
  maskBytes: Uint8Array;
  /** The parameter file's text; null for PyRadiomics' defaults. */
  paramsText: string | null;
  paramsName: string | null;
  label: number | undefined;
}

export interface QueueExtractor {
  /** The pair's features, computed by a worker (or found done); a failed job rejects with its reason. */
  extract(pair: QueuePair): Promise<Record<string, number>>;
  close(): Promise<void>;
}

const bytesSha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Connects to the queue at `url` (an unreachable Redis is an error now, naming the URL). */
export async function openQueueExtractor(url: string): Promise<QueueExtractor> {
  const target = parseRedisUrl(url);
  await checkRedis(target);
  const { Queue } = await import("bullmq");
  let gaveUp: Error | null = null;
  const waiters = new Map<
    string,
    { resolve: (f: Record<string, number>) => void; reject: (e: Error) => void }[]
  >();
  const queue: Queue = new Queue(queueName(VERSION), {
    connection: connectionOptions(target, (message) => {
      gaveUp = new Error(message);
      for (const list of waiters.values()) for (const w of list) w.reject(gaveUp);
      waiters.clear();
    }),
    prefix: KEY_PREFIX,
  });
  queue.on("error", () => {});
  const storedParams = new Set<string>();
  const namesCache = new Map<string, string[]>();
  let polling = false;

  const poll = async () => {
    let interval = 50;
    while (waiters.size > 0) {
      const ids = [...waiters.keys()];
      try {
        const outcomes = await jobOutcomes(queue, ids, namesCache);
        outcomes.forEach((outcome, k) => {
          if ("pending" in outcome) return;
          const list = waiters.get(ids[k]!) ?? [];
          waiters.delete(ids[k]!);
          for (const w of list)
            if ("error" in outcome) w.reject(new Error(outcome.error));
            else w.resolve(outcome.features);
        });
      } catch (err) {
        for (const list of waiters.values()) for (const w of list) w.reject(err as Error);
        waiters.clear();
      }
      await new Promise((r) => setTimeout(r, interval));
      interval = Math.min(interval * 1.5, 250);
    }
    polling = false;
  };

  return {
    async extract(pair) {
      if (gaveUp) throw gaveUp;
      const paramsSha256 = pair.paramsText === null ? null : textSha256(pair.paramsText);
      if (paramsSha256 !== null && !storedParams.has(paramsSha256)) {
        const client = await queue.client;
        await client.set(paramsKey(paramsSha256), pair.paramsText!);
        storedParams.add(paramsSha256);
      }
      const id = jobIdentity({
        imageSha256: bytesSha256(pair.imageBytes),
        maskSha256: bytesSha256(pair.maskBytes),
        label: pair.label,
        paramsSha256,
      });
      const data: CaseJobData = {
        image: pair.imagePath,
        mask: pair.maskPath,
        ...(pair.label !== undefined ? { label: pair.label } : {}),
        params: paramsSha256,
        paramsName: pair.paramsName,
      };
      const state = await queue.getJobState(id);
      if (state === "failed") await (await queue.getJob(id))?.retry("failed");
      else if (state === "unknown") await queue.add("case", data, { ...JOB_OPTIONS, jobId: id });
      const features = new Promise<Record<string, number>>((resolve, reject) => {
        const list = waiters.get(id) ?? [];
        list.push({ resolve, reject });
        waiters.set(id, list);
      });
      if (!polling) {
        polling = true;
        void poll();
      }
      return features;
    },
    async close() {
      await queue.close();
    },
  };
}
