/**
 * Worker-thread entry of IBSI mode's morphology (src/node/ibsi-morphology-thread.ts): receives one
 * processed image, answers with its morphology features (or the error's message).
 */
import { parentPort } from "node:worker_threads";
import { morphologyFeatures } from "../ibsi/features/morphology/index.js";
import type { IbsiImage } from "../ibsi/types.js";
import { preloadKernels } from "../kernels/wasm.js";

// The mesh and mask kernels compile in the background while the image is being prepared (a
// failure surfaces, with its message, at their first call).
preloadKernels().catch(() => {});
const port = parentPort;
if (!port) throw new Error("ibsi-morphology-worker runs as a worker thread");
port.once("message", (image: IbsiImage) => {
  try {
    port.postMessage({ features: morphologyFeatures(image) });
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
