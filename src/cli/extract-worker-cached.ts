/**
 * Worker-thread entry of the bundled CLI's extraction pool (dist/cli/extract-worker-cached.cjs):
 * runs the one-file worker script (dist/cli/extract-worker-bundle.cjs, src/node/extract-worker.ts)
 * with its V8 code cache, so each worker starts compiled, as the command's own thread does.
 */
import { fileURLToPath } from "node:url";
import type { ExtractionTask } from "../node/extract-worker.js";
import { runCachedScript, WRITE_CODE_CACHE } from "./code-cache.js";

const bundle = fileURLToPath(new URL("./extract-worker-bundle.cjs", import.meta.url));
const run = runCachedScript(bundle);
const worker = run.exports as { default: (task: ExtractionTask) => Promise<unknown> };

export default async function runTask(task: ExtractionTask): Promise<unknown> {
  const result = await worker.default(task);
  // Building the cache: after each task (a pool ends its workers without an exit event).
  if (process.env[WRITE_CODE_CACHE]) run.saveCache();
  return result;
}
