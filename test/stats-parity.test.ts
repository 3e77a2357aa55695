/**
 * Statistics parity suite: every golden file (a JSON object with a `kind`) in RADSCORE_STATS_GOLDEN
 * (default ../shared/reference/stats) and its `pending/` subfolder is dispatched on its kind, fed from its `harness`, and compared
 * output by output at its stated tolerance. An unknown kind is a failure, never a skip.
 * Prints `stats parity: N passed, M failed` (N and M count golden files).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { after, test } from "node:test";
import { parseCsv } from "../src/io/csv.js";
import { Comparator } from "./stats-parity/compare.js";
import { handlers } from "./stats-parity/kinds/index.js";
import type { GoldenFile } from "./stats-parity/types.js";

const dir = resolve(
  process.env.RADSCORE_STATS_GOLDEN ??
    join(process.env.RADSCORE_REFERENCE ?? "../shared/reference", "stats"),
);

/**
 * Every golden file of the folder and of its `pending/` subfolder (golden files for work in
 * progress, issue #14; each reads its data from its own folder).
 */
function goldenFiles(): { file: string; folder: string; golden: GoldenFile }[] {
  const out: { file: string; folder: string; golden: GoldenFile }[] = [];
  const pending = join(dir, "pending");
  for (const folder of existsSync(pending) ? [dir, pending] : [dir]) {
    for (const name of readdirSync(folder).sort()) {
      if (!name.endsWith(".json")) continue;
      const file = join(folder, name);
      const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed) && "kind" in parsed) {
        out.push({ file, folder, golden: parsed as GoldenFile });
      }
    }
  }
  return out;
}

if (!existsSync(dir)) {
  console.log(`SKIPPED stats parity: golden folder ${dir} not found (set RADSCORE_STATS_GOLDEN)`);
  test("stats parity (skipped: no golden folder)", {
    skip: `no golden folder at ${dir}`,
  }, () => {});
} else {
  const files = goldenFiles();
  let passed = 0;
  const failedFiles: string[] = [];
  for (const { file, folder, golden } of files) {
    test(`stats parity ${golden.kind}: ${file}`, async () => {
      const compare = new Comparator();
      const handler = handlers[golden.kind];
      try {
        if (!handler) throw new Error(`unknown kind '${golden.kind}'`);
        await handler(golden, {
          dir: folder,
          file,
          compare,
          readCsv: (name: string) => parseCsv(readFileSync(join(folder, name), "utf8"), name),
        });
        if (compare.compared === 0) compare.fail("no output was compared");
      } catch (err) {
        compare.fail(`error: ${(err as Error).stack ?? String(err)}`);
      }
      if (compare.failures.length === 0) {
        passed++;
        return;
      }
      failedFiles.push(file);
      const shown = compare.failures.slice(0, 40);
      const more = compare.failures.length - shown.length;
      throw new Error(
        `${file}: ${compare.failures.length} mismatches\n  ${shown.join("\n  ")}${more > 0 ? `\n  ... and ${more} more` : ""}`,
      );
    });
  }
  after(() => {
    for (const f of failedFiles) console.log(`stats parity FAILED: ${f}`);
    console.log(`stats parity: ${passed} passed, ${files.length - passed} failed`);
  });
}
