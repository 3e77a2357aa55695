/**
 * The layering the project relies on, checked on the source text: the pure core (src/io, image,
 * filters, features, extract, kernels, stats, model, study, report) imports nothing Node-only and
 * nothing from the Node edge or the CLI, so the web app can use it unchanged; the web app
 * (app/src) imports only the pure core and its own modules (and, as text, the ready IBSI
 * parameter files of ibsi/).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..", "..");

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (entry.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Every module specifier a file imports (static, dynamic and type imports, re-exports). */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+"([^"]+)"/g))
    found.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)) found.push(m[1]!);
  return found;
}

const PURE = [
  "io",
  "image",
  "filters",
  "features",
  "extract",
  "kernels",
  "ibsi",
  "stats",
  "model",
  "study",
  "report",
];

test("the pure core imports nothing Node-only, nor the Node edge or the CLI", () => {
  const offences: string[] = [];
  let files = 0;
  for (const folder of PURE) {
    for (const file of sources(join(root, "src", folder))) {
      files++;
      for (const s of specifiers(readFileSync(file, "utf8"))) {
        if (s.startsWith("node:") || /\/(node|cli)\//.test(s) || /^\.\.\/(node|cli)\b/.test(s))
          offences.push(`${relative(root, file)} imports ${s}`);
      }
    }
  }
  assert.ok(files > 100, `read ${files} files`);
  assert.deepEqual(offences, []);
});

test("the web app imports only the pure core and its own modules", () => {
  const offences: string[] = [];
  const appSrc = join(root, "app", "src");
  for (const file of sources(appSrc)) {
    for (const s of specifiers(readFileSync(file, "utf8"))) {
      if (s.startsWith("node:")) offences.push(`${relative(root, file)} imports ${s}`);
      if (s.startsWith(".")) {
        const target = relative(root, join(file, "..", s));
        const inApp = target.startsWith("app/");
        const inCore =
          PURE.some((f) => target.startsWith(`src/${f}/`)) || target === "src/version.js";
        // Data, not code: the ready IBSI parameter files, embedded in the page as text.
        const readyIbsiFile = /^ibsi\/[^/]+\.yaml$/.test(target);
        if (!inApp && !inCore && !readyIbsiFile)
          offences.push(`${relative(root, file)} imports ${s}`);
      }
    }
  }
  assert.deepEqual(offences, []);
});
