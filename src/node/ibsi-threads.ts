/**
 * IBSI mode's extraction of one case on two worker threads (`radscore extract --standard ibsi`,
 * -j 2 or more): one processes the image and mask (src/ibsi/extract.ts processIbsiCase) and
 * computes every family but morphology; it forwards the processed image to the other, which
 * computes morphology, the family that costs most on a realistic ROI (the FFT pair sums of
 * Moran's I and Geary's C, the enclosing shapes). The values are those of a one-thread run (the
 * same functions on the same processed image).
 *
 * Why both on workers, the calling thread idle: V8 optimises hot functions on background compiler
 * threads unless --no-concurrent-recompilation is set when the thread's isolate starts; with two
 * threads computing on a 2-core machine those jobs wait for a core while the code runs unoptimised.
 * The calling thread sets the flag before starting the workers (its own isolate keeps background
 * compilation; a flag given when the process starts would also invalidate the code cache of the
 * extract script), so both computing threads compile on themselves (the flag alone measured
 * 10-12 % faster on the CT phantom; these two workers against one worker beside the calling
 * thread, 580 -> 546 ms).
 * The workers start before IBSI mode's script loads and the case is read (src/cli/extract.ts), so
 * their start-up overlaps both.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { MessageChannel, Worker } from "node:worker_threads";
import type { IbsiConfig, IbsiFamily } from "../ibsi/config.js";
import type { IbsiFeatureValue } from "../ibsi/types.js";
import type { Volume } from "../image/volume.js";
import type { IbsiWorkerAnswer, IbsiWorkerTask } from "./ibsi-worker.js";

/**
 * The worker script: next to this module (the library; the bundled CLI's program chunks) or,
 * beside the bundled CLI's one-file IBSI script, its own one-file script (scripts/bundle-cli.mjs).
 */
function workerFile(): string | null {
  const names = ["./ibsi-worker.js", "./ibsi-worker.cjs"];
  const candidates = names.map((name) => fileURLToPath(new URL(name, import.meta.url)));
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** One worker's single task and its answer. */
class IbsiThread {
  private readonly answer: Promise<Map<IbsiFamily, IbsiFeatureValue[]>>;

  constructor(private readonly worker: Worker) {
    this.answer = new Promise((resolve, reject) => {
      worker.once("message", (message: IbsiWorkerAnswer) => {
        if ("error" in message) reject(new Error(message.error));
        else resolve(new Map(message.byFamily));
      });
      worker.once("error", reject);
      worker.once("exit", (code) =>
        reject(new Error(`an IBSI worker thread stopped (exit code ${code}) before answering`)),
      );
    });
    // Surfaced by run(); until then (e.g. the case fails to read) not an unhandled rejection.
    this.answer.catch(() => {});
  }

  run(task: IbsiWorkerTask, transfer: MessageChannel["port1"][]) {
    this.worker.postMessage(task, transfer);
    return this.answer;
  }

  close(): Promise<number> {
    return this.worker.terminate();
  }
}

export class IbsiThreads {
  private constructor(
    private readonly caseThread: IbsiThread,
    private readonly morphologyThread: IbsiThread,
  ) {}

  /**
   * Starts the two workers, before the parameter file is read (their start-up overlaps loading
   * and reading); null when the worker script is not there (the caller extracts on its own
   * thread).
   */
  static start(): IbsiThreads | null {
    const file = workerFile();
    if (!file) return null;
    setFlagsFromString("--no-concurrent-recompilation");
    return new IbsiThreads(new IbsiThread(new Worker(file)), new IbsiThread(new Worker(file)));
  }

  /**
   * Every family of `config` for one image and mask, by family: morphology on the second worker
   * when it is among several families (else that worker is not used).
   */
  async extract(
    image: Volume,
    mask: Volume,
    config: IbsiConfig,
    label: number | undefined,
  ): Promise<Map<IbsiFamily, IbsiFeatureValue[]>> {
    const apart = config.families.includes("morphology") && config.families.length > 1;
    const channel = apart ? new MessageChannel() : null;
    const families = apart ? config.families.filter((f) => f !== "morphology") : config.families;
    const processed = this.caseThread.run(
      {
        task: "case",
        image,
        mask,
        config,
        families,
        ...(label !== undefined ? { label } : {}),
        ...(channel ? { forward: channel.port1 } : {}),
      },
      channel ? [channel.port1] : [],
    );
    const morphology = channel
      ? this.morphologyThread.run(
          { task: "families", config, families: ["morphology"], from: channel.port2 },
          [channel.port2],
        )
      : null;
    // The case thread's error first: the other thread's would only follow from it.
    const byFamily = await processed;
    if (morphology) for (const [family, values] of await morphology) byFamily.set(family, values);
    return byFamily;
  }

  async close(): Promise<void> {
    await Promise.all([this.caseThread.close(), this.morphologyThread.close()]);
  }
}
