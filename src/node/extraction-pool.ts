/**
 * Feature extraction on worker threads (Node only): whole cases in parallel (batch, study), one
 * case split by image type across the workers (splitExtraction), or one case perturbed and every
 * perturbed pair extracted (perturb, the study's robustness step). Results are identical, feature
 * for feature and in order, to extractFeatures in this thread: every part runs the same code on
 * the same inputs.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import { type ExtractionResult, prepareExtraction } from "../extract/extractor.js";
import type { Params } from "../extract/params.js";
import {
  type ExtractionPart,
  mergeExtractionParts,
  type PartialExtraction,
  splitExtraction,
} from "../extract/split.js";
import type { PerturbationPlan } from "../image/perturbation/chain.js";
import type { PerturbedFeatures } from "../image/perturbation/features.js";
import type { Volume } from "../image/volume.js";
import type { ExtractionTask } from "./extract-worker.js";
import { loadVolume } from "./files.js";
import { defaultThreads } from "./threads.js";

/**
 * The worker script: next to this module (the library, and the bundled CLI's program chunks), or,
 * beside the bundled CLI's one-file extract script, its code-cached worker entry (see
 * scripts/bundle-cli.mjs).
 */
function workerFile(): string {
  const names = [
    "./extract-worker.js",
    "./extract-worker-cached.cjs",
    "./chunks/extract-worker.js",
  ];
  const candidates = names.map((name) => fileURLToPath(new URL(name, import.meta.url)));
  const found = candidates.find((path) => existsSync(path));
  if (!found) throw new Error(`extraction worker script not found: ${candidates.join(" or ")}`);
  return found;
}

export class ExtractionPool {
  readonly threads: number;
  private readonly pool: Piscina<ExtractionTask, PartialExtraction | PerturbedFeatures>;

  constructor(threads = defaultThreads()) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new Error(`number of threads must be a positive integer, got ${threads}`);
    }
    this.threads = threads;
    this.pool = new Piscina({
      filename: workerFile(),
      // All workers start at once and stay (cases keep coming in a batch); piscina's idle workers
      // do not keep the process alive, so an unclosed pool does not hang a finished command.
      minThreads: threads,
      maxThreads: threads,
      // Two tasks handed to each worker at once: when one finishes, the worker goes on with the
      // next without a round trip through this thread, which may be busy extracting a case of its
      // own for a while (extract --batch) and would leave the worker idle until then.
      concurrentTasksPerWorker: 2,
    });
  }

  /** One whole case on one worker (images as volumes or file paths). */
  async extract(
    image: Volume | string,
    mask: Volume | string,
    params: Params,
    label?: number,
  ): Promise<ExtractionResult> {
    const part: ExtractionPart = {
      imageTypes: params.imageTypes.map((_, i) => i),
      withShape: true,
    };
    return mergeExtractionParts([await this.run(image, mask, params, part, label)]);
  }

  /**
   * One case with its image types split across the workers: read and prepared (resampling, mask
   * checks) once in this thread, then each part on a worker.
   */
  async extractSplit(
    image: Volume | string,
    mask: Volume | string,
    params: Params,
    label?: number,
  ): Promise<ExtractionResult> {
    const [img, msk] = await Promise.all([loadVolume(image), loadVolume(mask)]);
    const options = label !== undefined ? { label } : {};
    const prepared = prepareExtraction(img, msk, params, options);
    const parts = splitExtraction(params, this.threads);
    const results = await Promise.all(
      parts.map(
        (part) =>
          this.pool.run({ prepared, params, part, ...options }) as Promise<PartialExtraction>,
      ),
    );
    return mergeExtractionParts(results);
  }

  /**
   * One case perturbed as `plan` says and every perturbed pair extracted with `params` (the ROI
   * label is the plan's), on one worker (extractPerturbedFeatures).
   */
  perturb(
    image: Volume | string,
    mask: Volume | string,
    params: Params,
    plan: PerturbationPlan,
  ): Promise<PerturbedFeatures> {
    return this.pool.run({
      kind: "perturb",
      image,
      mask,
      params,
      plan,
    }) as Promise<PerturbedFeatures>;
  }

  private run(
    image: Volume | string,
    mask: Volume | string,
    params: Params,
    part: ExtractionPart,
    label: number | undefined,
  ): Promise<PartialExtraction> {
    return this.pool.run({
      image,
      mask,
      params,
      part,
      ...(label !== undefined ? { label } : {}),
    }) as Promise<PartialExtraction>;
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
