#!/usr/bin/env node
/**
 * The `radscore` command line. `radscore extract` and `radscore dicom` run their one-file scripts
 * (dist/cli/extract.cjs, dist/cli/dicom.cjs) compiled with the V8 code cache made at build time,
 * when both are there; every other command (and those without them, or with RADSCORE_FULL_CLI=1)
 * loads the full program, each command importing only the modules it needs. A cache from another Node version is
 * rejected by V8 and compiled normally: same results, only slower to start.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";

/** Set when building: the code cache is written here after the run (scripts/bundle-cli.mjs). */
const CACHE_OUT = "RADSCORE_WRITE_CODE_CACHE";

function runCachedScript(file: string): void {
  const cacheFile = `${file}.cache`;
  const source = readFileSync(file, "utf8");
  const cachedData =
    existsSync(cacheFile) && !process.env[CACHE_OUT] ? readFileSync(cacheFile) : undefined;
  const wrapped = (Module as unknown as { wrap(code: string): string }).wrap(source);
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} };
  if (process.env[CACHE_OUT]) {
    // After the whole run, so that the functions the extraction compiled are in the cache.
    process.on("exit", () => writeFileSync(cacheFile, script.createCachedData()));
  }
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
}

/** Commands with a one-file, code-cached script of their own (one-off runs are mostly start-up). */
const CACHED_COMMANDS: Record<string, string> = { extract: "./extract.cjs", dicom: "./dicom.cjs" };
const command = process.argv[2];
const cached = command !== undefined ? CACHED_COMMANDS[command] : undefined;
const script = cached ? fileURLToPath(new URL(cached, import.meta.url)) : undefined;
if (script && !process.env.RADSCORE_FULL_CLI && existsSync(script)) runCachedScript(script);
else await import("./program.js");
