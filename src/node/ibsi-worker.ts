/**
 * Worker-thread entry of IBSI mode's two-thread extraction (src/node/ibsi-threads.ts). Two tasks:
 * - "case": an image and mask through the parameter file's processing chain, the processed image
 *   forwarded to a port (the other thread) when one is given, then the listed families;
 * - "families": the listed families of the processed image that arrives on a port.
 * Each answers its families' features (or the error's message) on the parent port.
 */
import { type MessagePort, parentPort } from "node:worker_threads";
import type { IbsiConfig, IbsiFamily } from "../ibsi/config.js";
import { ibsiFamilyFeatures, processIbsiCase } from "../ibsi/extract.js";
import type { IbsiFeatureValue, IbsiImage } from "../ibsi/types.js";
import type { Volume } from "../image/volume.js";
import { preloadKernels } from "../kernels/wasm.js";
import "./kernel-bytes.js";

export type IbsiWorkerTask =
  | {
      task: "case";
      image: Volume;
      mask: Volume;
      config: IbsiConfig;
      label?: number;
      families: IbsiFamily[];
      /** Where the processed image goes (to the thread of the other families). */
      forward?: MessagePort;
    }
  | { task: "families"; config: IbsiConfig; families: IbsiFamily[]; from: MessagePort };

export type IbsiWorkerAnswer = { byFamily: [IbsiFamily, IbsiFeatureValue[]][] } | { error: string };

// The kernels compile in the background while the case is read (a failure surfaces, with its
// message, at their first call).
preloadKernels().catch(() => {});
const port = parentPort;
if (!port) throw new Error("ibsi-worker runs as a worker thread");

/** Resolves once the task's answer is posted (the code-cached entry then writes its cache). */
let markAnswered = () => {};
export const answered = new Promise<void>((resolve) => {
  markAnswered = resolve;
});
const answer = (message: IbsiWorkerAnswer) => {
  port.postMessage(message);
  markAnswered();
};

const features = (image: IbsiImage, config: IbsiConfig, families: IbsiFamily[]) => ({
  byFamily: [...ibsiFamilyFeatures(image, config, families)],
});
const failure = (err: unknown) => ({ error: err instanceof Error ? err.message : String(err) });

port.once("message", (task: IbsiWorkerTask) => {
  if (task.task === "families") {
    let received = false;
    task.from.once("message", (image: IbsiImage) => {
      received = true;
      task.from.close();
      try {
        answer(features(image, task.config, task.families));
      } catch (err) {
        answer(failure(err));
      }
    });
    task.from.once("close", () => {
      if (!received) answer({ error: "the processing thread stopped before its image" });
    });
    return;
  }
  try {
    const label = task.label !== undefined ? { label: task.label } : {};
    const { image } = processIbsiCase(task.image, task.mask, task.config, label);
    task.forward?.postMessage(image);
    task.forward?.close();
    answer(features(image, task.config, task.families));
  } catch (err) {
    // The other thread waits for the processed image: it gets the error instead.
    task.forward?.close();
    answer(failure(err));
  }
});
