/** Locating ../shared/reference (or RADSCORE_REFERENCE) for parity tests. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";

export function referenceDir(): string | undefined {
  const dir = resolve(process.env.RADSCORE_REFERENCE ?? "../shared/reference");
  return existsSync(dir) ? dir : undefined;
}

/** Loud skip message for a parity test whose reference data is missing. */
export function missingReference(what: string): string {
  return `SKIPPED ${what}: reference folder not found (set RADSCORE_REFERENCE or place ../shared/reference beside the repository)`;
}
