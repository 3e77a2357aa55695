/**
 * IBSI mode's morphology family on a second thread, beside the other families on the calling one
 * (one case, `radscore extract --standard ibsi`). Morphology is the family that costs most on a
 * realistic ROI (the FFT pair sums of Moran's I and Geary's C, the enclosing shapes) and reads only
 * the processed image, so it runs alone while the intensity, histogram and texture families run
 * here; the values are those of the one-thread run (the same functions on the same image).
 *
 * The thread starts before the case is read, so its start-up (a V8 isolate, the worker script)
 * overlaps reading and processing.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { IbsiFeatureValue, IbsiImage } from "../ibsi/types.js";

type WorkerAnswer = { features: IbsiFeatureValue[] } | { error: string };

/**
 * The worker script: next to this module (the library; the bundled CLI's program chunks) or, beside
 * the bundled CLI's one-file IBSI script, its own one-file script (scripts/bundle-cli.mjs).
 */
function workerFile(): string | null {
  const names = ["./ibsi-morphology-worker.js", "./ibsi-morphology-worker.cjs"];
  const candidates = names.map((name) => fileURLToPath(new URL(name, import.meta.url)));
  return candidates.find((path) => existsSync(path)) ?? null;
}

export class MorphologyThread {
  private readonly answer: Promise<IbsiFeatureValue[]>;

  private constructor(private readonly worker: Worker) {
    this.answer = new Promise<IbsiFeatureValue[]>((resolve, reject) => {
      worker.once("message", (message: WorkerAnswer) => {
        if ("error" in message) reject(new Error(message.error));
        else resolve(message.features);
      });
      worker.once("error", reject);
      worker.once("exit", (code) =>
        reject(new Error(`the morphology thread stopped (exit code ${code}) before answering`)),
      );
    });
    // Rejections are surfaced by features(); until then (e.g. the case fails to read first) an
    // early one is not an unhandled rejection.
    this.answer.catch(() => {});
  }

  /** Starts the thread; null when the worker script is not there (the caller computes here). */
  static start(): MorphologyThread | null {
    const file = workerFile();
    return file ? new MorphologyThread(new Worker(file)) : null;
  }

  /** The morphology features of `image` (copied to the thread; this thread keeps its own). */
  features(image: IbsiImage): Promise<IbsiFeatureValue[]> {
    this.worker.postMessage(image);
    return this.answer;
  }

  /** Stops the thread (after its answer, or to abandon it). */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
