/** Locating ../shared/reference (or RADSCORE_REFERENCE) for parity tests. */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export function referenceDir(): string | undefined {
  const dir = resolve(process.env.RADSCORE_REFERENCE ?? "../shared/reference");
  return existsSync(dir) ? dir : undefined;
}

/** Loud skip message for a parity test whose reference data is missing. */
export function missingReference(what: string): string {
  return `SKIPPED ${what}: reference folder not found (set RADSCORE_REFERENCE or place ../shared/reference beside the repository)`;
}

/**
 * The oracle's parity tolerance (issues #2 and #3): relative 1e-6, absolute 1e-9 near zero,
 * i.e. |got - want| <= 1e-6 |want| + 1e-9.
 */
export function withinOracleTolerance(got: number, want: number): boolean {
  return Math.abs(got - want) <= 1e-6 * Math.abs(want) + 1e-9;
}

/** PyRadiomics' feature values of one oracle run: `<pyradiomicsRoot>/oracle/<run>.json`. */
export function readOracle(pyradiomicsRoot: string, run: string): Record<string, number> {
  return JSON.parse(readFileSync(join(pyradiomicsRoot, "oracle", `${run}.json`), "utf8")) as Record<
    string,
    number
  >;
}

/** Asserts that every oracle feature is in `got` and within the oracle tolerance. */
export function assertOracleValues(
  got: Record<string, number>,
  want: Record<string, number>,
  label: string,
): void {
  for (const [key, value] of Object.entries(want)) {
    const g = got[key];
    assert.ok(g !== undefined, `${label}: missing ${key}`);
    assert.ok(withinOracleTolerance(g, value), `${label} ${key}: ${g} vs ${value}`);
  }
}
