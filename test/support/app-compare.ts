/**
 * Comparing the web app's outputs with the CLI's or the library's: numbers equal up to the last
 * bits, because Chromium's V8 and Node 20's compute Math.log / pow / exp with different libm code
 * (last-bit differences in about 1 in 10 results, measured); strings, keys and lengths exactly.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { AppSession } from "./browser.js";

/** Relative tolerance of browser vs CLI numbers (engine libm differences are ~1e-16 relative). */
const RELATIVE = 1e-9;

export function closeNumbers(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return a === b || Math.abs(a - b) <= RELATIVE * Math.max(Math.abs(a), Math.abs(b)) + 1e-12;
}

/** Deep equality with numbers compared by closeNumbers (strings, keys and lengths exactly). */
export function assertClose(got: unknown, want: unknown, path: string): void {
  if (typeof want === "number" && typeof got === "number") {
    assert.ok(closeNumbers(got, want), `${path}: ${got} vs ${want}`);
  } else if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${path}: not an array`);
    assert.equal(got.length, want.length, `${path}: length`);
    want.forEach((w, k) => {
      assertClose(got[k], w, `${path}[${k}]`);
    });
  } else if (want !== null && typeof want === "object") {
    assert.ok(got !== null && typeof got === "object", `${path}: not an object`);
    assert.deepEqual(Object.keys(got as object).sort(), Object.keys(want).sort(), `${path}: keys`);
    for (const [k, w] of Object.entries(want))
      assertClose((got as Record<string, unknown>)[k], w, `${path}.${k}`);
  } else assert.equal(got, want, path);
}

/** Two CSV tables: same header and first column, numeric cells close, other cells equal. */
export function assertSameTable(got: string, want: string, name: string): void {
  const rows = (text: string) =>
    text
      .trim()
      .split("\n")
      .map((line) => line.split(","));
  const g = rows(got);
  const w = rows(want);
  assert.deepEqual(g[0], w[0], `${name}: header`);
  assert.equal(g.length, w.length, `${name}: rows`);
  for (let i = 0; i < w.length; i++) {
    for (let j = 0; j < w[0]!.length; j++) {
      const other = g[i]![j]!;
      const cell = w[i]![j]!;
      if (other === cell) continue;
      assert.ok(
        other !== "" && cell !== "" && closeNumbers(Number(other), Number(cell)),
        `${name}: row ${i} column ${w[0]![j]}: ${other} vs ${cell}`,
      );
    }
  }
}

/** Clicks a download button and saves the file under `dir`; returns its name and path. */
export async function downloaded(
  app: AppSession,
  selector: string,
  dir: string,
): Promise<{ name: string; path: string }> {
  const [download] = await Promise.all([
    app.page.waitForEvent("download"),
    app.page.click(selector),
  ]);
  const path = join(dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  return { name: download.suggestedFilename(), path };
}
