/**
 * Worker-thread entry of IBSI mode's two-thread extraction in the bundled CLI
 * (dist/cli/ibsi-worker.cjs, started by src/node/ibsi-threads.ts): runs the one-file worker script
 * (dist/cli/ibsi-worker-bundle.cjs, src/node/ibsi-worker.ts) with its V8 code cache, so each
 * worker starts compiled. The cache is written at build time (scripts/bundle-cli.mjs) by one
 * worker that extracts every family, after its answer.
 */
import { fileURLToPath } from "node:url";
import { runCachedScript, WRITE_CODE_CACHE } from "./code-cache.js";

const bundle = fileURLToPath(new URL("./ibsi-worker-bundle.cjs", import.meta.url));
const run = runCachedScript(bundle);
if (process.env[WRITE_CODE_CACHE]) {
  (run.exports as { answered: Promise<void> }).answered.then(() => run.saveCache());
}
