/**
 * Runs a one-file CommonJS script compiled with a V8 code cache beside it (`FILE.cache`), so a
 * cold process or worker skips most parsing and bytecode compilation. The cache is made at build
 * time (scripts/bundle-cli.mjs) by running the script once with RADSCORE_WRITE_CODE_CACHE=1, after
 * the functions a real run needs are compiled. A cache from another Node version is rejected by
 * V8 and the script compiles normally: same results, only slower to start.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire, Module } from "node:module";
import { dirname } from "node:path";
import { Script } from "node:vm";

/** Set when building: the code cache is written (see scripts/bundle-cli.mjs). */
export const WRITE_CODE_CACHE = "RADSCORE_WRITE_CODE_CACHE";

export interface CachedScript {
  /** The script's module.exports. */
  exports: unknown;
  /** Writes the code cache now (functions compiled so far are included). */
  saveCache(): void;
}

export function runCachedScript(file: string): CachedScript {
  const cacheFile = `${file}.cache`;
  const writing = process.env[WRITE_CODE_CACHE] !== undefined;
  const source = readFileSync(file, "utf8");
  const cachedData = existsSync(cacheFile) && !writing ? readFileSync(cacheFile) : undefined;
  const wrapped = (Module as unknown as { wrap(code: string): string }).wrap(source);
  const script = new Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  const module = { exports: {} as unknown };
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    saveCache: () => writeFileSync(cacheFile, script.createCachedData()),
  };
}
