/**
 * `radscore dicom convert` as a user runs it (a cold CLI process), beside dcm2niix on the same
 * machine when it is installed (Debian package `dcm2niix`), on the UCSF breast DCE series (3 x 60
 * slices, ../shared/reference) and on a synthetic 512 x 512 x 100 int16 series written by radscore's
 * own MR writer. Prints the median of 5 runs, Node's own start time (`node -e 0`), the ratio to
 * dcm2niix and the peak memory (via /usr/bin/time when present) against 3x the decoded volume size.
 * Issue #10's targets: within 1.5x of dcm2niix, memory below 3x the decoded volume.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Volume } from "../src/image/volume.js";
import { writeMrSeries } from "../src/io/dicom/write-series.js";
import { referenceDir } from "../test/support/reference.js";

const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const work = mkdtempSync(join(tmpdir(), "radscore-dicom-bench-"));
const haveTime = existsSync("/usr/bin/time");
const haveDcm2niix = spawnSync("dcm2niix", ["-h"]).status !== null;

/** Seconds and peak resident memory (KiB, when /usr/bin/time exists) of one process run. */
function timed(cmd: string, args: string[]): { seconds: number; kib?: number } {
  const t0 = performance.now();
  const r = haveTime
    ? spawnSync("/usr/bin/time", ["-f", "%M", cmd, ...args], { encoding: "utf8" })
    : spawnSync(cmd, args, { encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${r.stderr}`);
  const kib = haveTime ? Number(r.stderr.trim().split("\n").pop()) : undefined;
  return kib === undefined || Number.isNaN(kib) ? { seconds } : { seconds, kib };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function bench(label: string, folder: string, decodedBytes: number): void {
  const ours: { seconds: number; kib?: number }[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const out = join(work, `out${i}`);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out);
    ours.push(timed(process.execPath, [cli, "dicom", "convert", folder, "-o", join(out, "x.nii")]));
    if (haveDcm2niix)
      theirs.push(timed("dcm2niix", ["-z", "n", "-o", out, "-f", "ref", folder]).seconds);
  }
  const t = median(ours.map((o) => o.seconds));
  const mem = ours.some((o) => o.kib !== undefined)
    ? median(ours.map((o) => o.kib ?? 0))
    : undefined;
  let line = `${label}: radscore ${t.toFixed(3)} s`;
  if (haveDcm2niix) {
    const d = median(theirs);
    line += `, dcm2niix ${d.toFixed(3)} s, ratio ${(t / d).toFixed(2)}x (target <= 1.5x)`;
  } else line += " (dcm2niix not installed: apt-get install dcm2niix to compare)";
  if (mem !== undefined) {
    line += `; peak memory ${(mem / 1024).toFixed(0)} MiB = ${((mem * 1024) / decodedBytes).toFixed(1)}x the decoded volume (target < 3x)`;
  }
  console.log(line);
}

const nodeStart = median(
  Array.from({ length: 5 }, () => timed(process.execPath, ["-e", "0"]).seconds),
);
console.log(
  `node -e 0: ${nodeStart.toFixed(3)} s (this machine's process start, part of every figure)`,
);

const ref = referenceDir();
if (ref) {
  bench(
    "UCSF DCE 3 x 60 slices 256 x 256",
    join(ref, "dicom", "mirp_breast_dce_mri_ucsf", "UCSF-BR-06", "image_dce_3dfgre_orig"),
    3 * 60 * 256 * 256 * 2,
  );
} else console.log("UCSF DCE: skipped (reference folder not found)");

// A synthetic 512 x 512 x 100 int16 series (deterministic content and UIDs).
const size: [number, number, number] = [512, 512, 100];
const data = new Int16Array(size[0] * size[1] * size[2]);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) % 4096;
const volume: Volume<Int16Array> = {
  data,
  size,
  spacing: [0.7, 0.7, 1.5],
  origin: [-180, -180, -75],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  dimension: 3,
};
const synthetic = join(work, "synthetic");
mkdirSync(synthetic);
for (const f of writeMrSeries([volume], {
  vendor: "siemens",
  patient: { id: "BENCH" },
  study: {},
  series: { number: 1, description: "bench 512x512x100" },
  uidSeed: 1,
})) {
  writeFileSync(join(synthetic, f.fileName), f.bytes);
}
bench("synthetic 512 x 512 x 100 int16", synthetic, data.byteLength);
rmSync(work, { recursive: true, force: true });
