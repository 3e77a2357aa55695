#!/usr/bin/env node
/**
 * The `radscore` command line (bundled as dist/cli/main.cjs, the package's bin). `radscore
 * extract` and `radscore dicom` run their one-file scripts (dist/cli/extract.cjs,
 * dist/cli/dicom.cjs) compiled with the V8 code cache made at build time, when both are there
 * (code-cache.ts); every other command (and those without them, or with RADSCORE_FULL_CLI=1)
 * imports the full program (dist/cli/program.js), each command importing only the modules it
 * needs. This launcher is CommonJS because Node starts a CommonJS entry ~5 ms sooner than an ES
 * module one (no ES module loader), which one-off commands see.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCachedScript, WRITE_CODE_CACHE } from "./code-cache.js";

/** Commands with a one-file, code-cached script of their own (one-off runs are mostly start-up). */
const CACHED_COMMANDS: Record<string, string> = { extract: "./extract.cjs", dicom: "./dicom.cjs" };
const command = process.argv[2];
const cached = command !== undefined ? CACHED_COMMANDS[command] : undefined;
const script = cached ? fileURLToPath(new URL(cached, import.meta.url)) : undefined;
// Queue mode (extract --queue) is in the full program only: the one-file script stays small.
const queued = process.argv.some((arg) => arg === "--queue" || arg.startsWith("--queue="));
if (script && !queued && !process.env.RADSCORE_FULL_CLI && existsSync(script)) {
  const run = runCachedScript(script);
  // After the whole run, so that the functions the command compiled are in the cache.
  if (process.env[WRITE_CODE_CACHE]) process.on("exit", () => run.saveCache());
} else {
  import("./program.js").catch((err: unknown) => {
    process.stderr.write(`radscore: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
