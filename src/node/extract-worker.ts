/**
 * Worker-thread side of the extraction pool (see extraction-pool.ts): runs one part of one case,
 * or perturbs one case and extracts every perturbed pair (a `perturb` task: the study's robustness
 * step, src/image/perturbation/features.ts). Images arrive either as volumes or as file paths
 * (then read here, in parallel with other cases).
 */
import type { PreparedCase } from "../extract/extractor.js";
import type { Params } from "../extract/params.js";
import {
  type ExtractionPart,
  extractPart,
  extractPreparedPart,
  type PartialExtraction,
} from "../extract/split.js";
import type { PerturbationPlan } from "../image/perturbation/chain.js";
import {
  extractPerturbedFeatures,
  type PerturbedFeatures,
} from "../image/perturbation/features.js";
import type { Volume } from "../image/volume.js";
import { preloadKernels } from "../kernels/wasm.js";
import { loadVolume } from "./files.js";

// Compile the WebAssembly kernels in the background while the first task's files are read.
preloadKernels().catch(() => {});

/** A part of a case given by its image and mask, or of a case already prepared (split.ts). */
export type ExtractionTask =
  | {
      image: Volume | string;
      mask: Volume | string;
      params: Params;
      part: ExtractionPart;
      label?: number;
    }
  | { prepared: PreparedCase; params: Params; part: ExtractionPart; label?: number }
  | PerturbationTask;

/** A case to perturb as `plan` says, with every perturbed pair's features extracted. */
export interface PerturbationTask {
  kind: "perturb";
  image: Volume | string;
  mask: Volume | string;
  params: Params;
  plan: PerturbationPlan;
}

export default async function runExtractionTask(
  task: ExtractionTask,
): Promise<PartialExtraction | PerturbedFeatures> {
  if ("kind" in task) {
    const [image, mask] = await Promise.all([loadVolume(task.image), loadVolume(task.mask)]);
    return extractPerturbedFeatures(image, mask, task.plan, task.params);
  }
  if ("prepared" in task) {
    const options = task.label !== undefined ? { label: task.label } : {};
    return extractPreparedPart(task.prepared, task.params, task.part, options);
  }
  const [image, mask] = await Promise.all([loadVolume(task.image), loadVolume(task.mask)]);
  return extractPart(
    image,
    mask,
    task.params,
    task.part,
    task.label !== undefined ? { label: task.label } : {},
  );
}
