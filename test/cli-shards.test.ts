/**
 * Sharded batches (issue #15, Slurm job arrays): `extract --batch --shard I/N` parts joined by
 * `radscore merge` equal, byte for byte, the CSV of a local `extract --batch` of the same cases
 * (the reference: the unsharded command); a missing or duplicated case, parts of another batch
 * file or parameter file, a bad --shard are errors naming the case, the files or the option; a case
 * that failed in a part is in merge's report. Runs the built CLI as a child process on synthetic
 * phantoms written to a temp folder.
 */
import assert from "node:assert/strict";
import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, test } from "node:test";
import { generatePhantom } from "../src/image/phantom.js";
import { writeImageFile } from "../src/node/files.js";

// The bundled command, as installed by `npm install` (package.json bin).
const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const dir = mkdtempSync(join(tmpdir(), "radscore-shards-"));
const path = (name: string) => join(dir, name);

function run(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
}

const read = (name: string) => readFileSync(path(name), "utf8");

/** Seven cases over three different phantoms; the last ID needs quoting in CSV. */
const IDS = ["c1", "c2", "c3", "c4", "c5", "c6", "c,7"];

/** `extract --batch FILE --shard I/N -o OUT` (one thread), with extra arguments. */
const shard = (batch: string, spec: string, out: string, ...extra: string[]) =>
  run("extract", "--batch", path(batch), "--shard", spec, "-j", "1", "-o", path(out), ...extra);

let local: SpawnSyncReturns<string>;
const parts: SpawnSyncReturns<string>[] = [];

before(async () => {
  for (const seed of [1, 2, 3]) {
    const { image, mask } = generatePhantom({
      seed,
      size: [24, 24, 8],
      spacing: [1, 1, 2],
      radiiMm: [6 - seed, 5, 5],
    });
    await writeImageFile(path(`image${seed}.nrrd`), image);
    await writeImageFile(path(`mask${seed}.nrrd`), mask);
    if (seed === 1)
      await writeImageFile(path("empty.nrrd"), {
        ...mask,
        data: new Uint8Array(mask.data.length),
      });
  }
  const row = (id: string, k: number) =>
    `${id === "c,7" ? '"c,7"' : id},image${(k % 3) + 1}.nrrd,mask${(k % 3) + 1}.nrrd`;
  writeFileSync(path("cases.csv"), ["ID,Image,Mask", ...IDS.map(row)].join("\n"));
  // The same batch with one more case: another batch file.
  writeFileSync(
    path("cases_other.csv"),
    ["ID,Image,Mask", ...IDS.map(row), "c8,image1.nrrd,mask1.nrrd"].join("\n"),
  );
  writeFileSync(path("params_other.yaml"), "featureClass:\n  firstorder:\n");
  mkdirSync(path("parts"));
  local = run("extract", "--batch", path("cases.csv"), "-j", "2", "-o", path("local.csv"));
  for (const i of [1, 2, 3]) parts.push(shard("cases.csv", `${i}/3`, `parts/part-${i}.csv`));
});

const part = (i: number) => path(`parts/part-${i}.csv`);

test("shards 1/3, 2/3, 3/3 merged equal the local batch byte for byte", () => {
  assert.equal(local.status, 0, local.stderr);
  parts.forEach((r, k) => {
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`shard ${k + 1}/3: extracted ${k === 0 ? 3 : 2} of`));
  });
  // Shard 2 of 3 holds the cases k = 1, 4 (k mod 3 = 1), rows 3 and 6 of cases.csv.
  const lines = readFileSync(part(2), "utf8").trim().split("\n");
  assert.ok(lines[0]!.startsWith("# radscore part {"), lines[0]);
  const meta = JSON.parse(lines[0]!.slice("# radscore part ".length)) as Record<string, unknown>;
  assert.equal(meta.shard, "2/3");
  assert.equal(meta.cases, 7);
  assert.ok(lines[1]!.startsWith("Row,Error,ID,Image,Mask,original_shape_"), lines[1]);
  assert.deepEqual(
    lines.slice(2).map((l) => l.split(",").slice(0, 3)),
    [
      ["3", "", "c2"],
      ["6", "", "c5"],
    ],
  );
  // Parts given in any order; to a file and to standard output.
  const merged = run("merge", part(3), part(1), part(2), "-o", path("merged.csv"));
  assert.equal(merged.status, 0, merged.stderr);
  assert.match(merged.stderr, /merged 7 of 7 case\(s\) from 3 part\(s\); 0 failed/);
  assert.equal(read("merged.csv"), read("local.csv"));
  assert.ok(read("local.csv").includes('\n"c,7",image1.nrrd,mask1.nrrd,'));
  const out = run("merge", part(1), part(2), part(3));
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, read("local.csv"));
});

test("a case that failed in a part is in merge's report; exit code 1 as a batch's", () => {
  // Five cases, the first one with an empty mask: shard 1/2 holds it (k = 0, 2, 4), so the
  // columns come from shard 2's first case (k = 1), as the local batch takes them from it.
  writeFileSync(
    path("cases_fail.csv"),
    [
      "ID,Image,Mask",
      "bad,image1.nrrd,empty.nrrd",
      ...["f2", "f3", "f4", "f5"].map(
        (id, k) => `${id},image${(k % 3) + 1}.nrrd,mask${(k % 3) + 1}.nrrd`,
      ),
    ].join("\n"),
  );
  const whole = run("extract", "--batch", path("cases_fail.csv"), "-o", path("fail-local.csv"));
  assert.equal(whole.status, 1, whole.stderr);
  const failLine = whole.stderr.split("\n").find((l) => l.startsWith("  failed bad: "));
  assert.ok(failLine?.includes("no labels found"), whole.stderr);
  const one = shard("cases_fail.csv", "1/2", "fail-1.csv");
  const two = shard("cases_fail.csv", "2/2", "fail-2.csv");
  assert.equal(one.status, 1, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  const merged = run("merge", path("fail-1.csv"), path("fail-2.csv"), "-o", path("fail.csv"));
  assert.equal(merged.status, 1, merged.stderr);
  assert.match(merged.stderr, /merged 4 of 5 case\(s\) from 2 part\(s\); 1 failed/);
  assert.ok(merged.stderr.includes(`${failLine}\n`), merged.stderr);
  assert.equal(read("fail.csv"), read("fail-local.csv"));
});

test("a missing part: an error naming the missing cases, their rows and the shard; no output", () => {
  const r = run("merge", part(1), part(3), "-o", path("missing.csv"));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /2 case\(s\) of .*cases\.csv in no part: c2 \(row 3\), c5 \(row 6\)/);
  assert.match(r.stderr, /no part file for --shard 2\/3/);
  assert.equal(existsSync(path("missing.csv")), false);
});

test("a duplicated part: an error naming the cases and both files; no output", () => {
  copyFileSync(part(1), path("parts/part-1-again.csv"));
  const r = run(
    "merge",
    part(1),
    part(2),
    path("parts/part-1-again.csv"),
    part(3),
    "-o",
    path("dup.csv"),
  );
  assert.equal(r.status, 2);
  assert.match(
    r.stderr,
    /cases in more than one part: c1 \(row 2\) in \S*part-1\.csv and \S*part-1-again\.csv/,
  );
  assert.match(r.stderr, /c,7 \(row 8\)/);
  assert.equal(existsSync(path("dup.csv")), false);
});

test("parts of another batch file or parameter file: an error naming the files", () => {
  const other = shard("cases_other.csv", "2/3", "other-2.csv");
  assert.equal(other.status, 0, other.stderr);
  const batch = run("merge", part(1), path("other-2.csv"), part(3), "-o", path("mixed.csv"));
  assert.equal(batch.status, 2);
  assert.match(
    batch.stderr,
    /different batch files: \S*part-1\.csv, \S*part-3\.csv \(\S*cases\.csv, sha256 \w+\) vs \S*other-2\.csv \(\S*cases_other\.csv/,
  );
  const params = shard("cases.csv", "3/3", "params-3.csv", "-p", path("params_other.yaml"));
  assert.equal(params.status, 0, params.stderr);
  const mixed = run("merge", part(1), part(2), path("params-3.csv"), "-o", path("mixed.csv"));
  assert.equal(mixed.status, 2);
  assert.match(
    mixed.stderr,
    /different parameter files: \S*part-1\.csv, \S*part-2\.csv \(no -p: defaults\) vs \S*params-3\.csv \(\S*params_other\.yaml, sha256 \w+\)/,
  );
  assert.equal(existsSync(path("mixed.csv")), false);
  const notPart = run("merge", part(1), path("local.csv"));
  assert.equal(notPart.status, 2);
  assert.match(notPart.stderr, /local\.csv is not a part file written by extract/);
});

test("--shard: bad values and a missing --batch are errors naming the option; no output", () => {
  const reasons: [string, RegExp][] = [
    ["0/3", /--shard 0\/3: the shard I must be between 1 and N \(3\)/],
    ["4/3", /--shard 4\/3: the shard I must be between 1 and N \(3\)/],
    ["1/0", /--shard 1\/0: the number of shards N must be at least 1/],
    ["a/b", /--shard must be I\/N \(shard I of N, e\.g\. 2\/10\), got 'a\/b'/],
  ];
  for (const [value, message] of reasons) {
    const r = shard("cases.csv", value, "bad.csv");
    assert.equal(r.status, 2, value);
    assert.match(r.stderr, message);
    assert.equal(existsSync(path("bad.csv")), false);
  }
  const noBatch = run("extract", path("image1.nrrd"), path("mask1.nrrd"), "--shard", "1/2");
  assert.equal(noBatch.status, 2);
  assert.match(
    noBatch.stderr,
    /--shard I\/N extracts one shard of a batch: give --batch CASES\.csv/,
  );
});
