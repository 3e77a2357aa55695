/**
 * Throughput as a user sees it (issue #12): `radscore extract` as processes, start-up included,
 * against PyRadiomics' own CLI (`pyradiomics --jobs 2`) times measured on this machine type (the
 * issue's table). Prints `node -e 0` and a fixed CPU workload first (the machine drifts), then:
 * - 20 x brain1, baseline_original, -j 2 (target >= 10x PyRadiomics' 4.04 s) and -j 1;
 * - 10 x brain1, typical_all, -j 2 (target >= 8x PyRadiomics' 19.8 s) and -j 1;
 * - one cold `extract` of brain1 original against `node -e 0` (target: at most 0.05 s more);
 * - -j 2 against -j 1 on a batch of BENCH_SCALING_CASES (default 100) cases of each parameter file
 *   (target >= 1.8x);
 * - peak memory (GNU time's maximum resident set, when /usr/bin/time is there) of typical_all on
 *   brain1 (target <= 300 MB) and of a 1000-case batch (constant memory).
 * Times are medians of repeated runs (min and max beside them). Run: npm run bench:cli
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { referenceDir } from "../test/support/reference.js";

const ref = referenceDir();
if (!ref) {
  console.log("bench: reference folder not found (set RADSCORE_REFERENCE); nothing to measure");
  process.exit(1);
}
const py = join(ref, "pyradiomics");
const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const work = mkdtempSync(join(tmpdir(), "radscore-bench-cli-"));
const scalingCases = Number(process.env.BENCH_SCALING_CASES ?? 100);

/** PyRadiomics' CLI on this machine type, 2 jobs, start-up included (issue #12's table). */
const PYRADIOMICS_CLI = { originalBrain1x20: 4.04, typicalAllBrain1x10: 19.8 };

function run(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: "utf8", env });
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

interface Timing {
  median: number;
  min: number;
  max: number;
}

function timed(args: string[], runs: number): Timing {
  const times = Array.from({ length: runs }, () => run(args)).sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)]!, min: times[0]!, max: times[runs - 1]! };
}

const show = (t: Timing) => `${t.median.toFixed(3)} s (${t.min.toFixed(3)}-${t.max.toFixed(3)})`;

function fixedWorkload(): number {
  const t0 = performance.now();
  let s = 0;
  for (let i = 1; i < 3e7; i++) s += Math.sqrt(i) % 1.7;
  if (s < 0) console.log(s);
  return (performance.now() - t0) / 1000;
}

/** A batch CSV of `count` copies of a case. */
function batchFile(name: string, image: string, mask: string, count: number): string {
  const rows = ["ID,Image,Mask"];
  for (let k = 1; k <= count; k++) rows.push(`case${k},${image},${mask}`);
  const path = join(work, `${name}.csv`);
  writeFileSync(path, `${rows.join("\n")}\n`);
  return path;
}

const brain1 = [
  join(py, "data", "brain1_image.nrrd"),
  join(py, "data", "brain1_label.nrrd"),
] as const;
const breast1 = [
  join(py, "data", "breast1_image.nrrd"),
  join(py, "data", "breast1_label.nrrd"),
] as const;
const params = (name: string) => join(py, "params", `${name}.yaml`);
const batchArgs = (csv: string, paramsName: string, jobs: number) => [
  cli,
  "extract",
  "--batch",
  csv,
  "-p",
  params(paramsName),
  "-j",
  String(jobs),
  "-o",
  join(work, "out.csv"),
];

try {
  const nodeStart = timed(["-e", "0"], 9);
  console.log(`node -e 0: ${show(nodeStart)}; fixed workload: ${fixedWorkload().toFixed(3)} s`);

  const b20 = batchFile("brain1x20", ...brain1, 20);
  for (const jobs of [2, 1]) {
    const t = timed(batchArgs(b20, "baseline_original", jobs), 5);
    const ratio = PYRADIOMICS_CLI.originalBrain1x20 / t.median;
    console.log(
      `20 x brain1 baseline_original -j ${jobs}: ${show(t)}; PyRadiomics -j 2 ${PYRADIOMICS_CLI.originalBrain1x20} s: ${ratio.toFixed(1)}x (target 10x)`,
    );
  }
  const b10 = batchFile("brain1x10", ...brain1, 10);
  for (const jobs of [2, 1]) {
    const t = timed(batchArgs(b10, "typical_all", jobs), 3);
    const ratio = PYRADIOMICS_CLI.typicalAllBrain1x10 / t.median;
    console.log(
      `10 x brain1 typical_all -j ${jobs}: ${show(t)}; PyRadiomics -j 2 ${PYRADIOMICS_CLI.typicalAllBrain1x10} s: ${ratio.toFixed(1)}x (target 8x)`,
    );
  }

  const cold = timed([cli, "extract", ...brain1, "-p", params("baseline_original")], 9);
  console.log(
    `one cold extract, brain1 baseline_original: ${show(cold)}; ${(cold.median - nodeStart.median).toFixed(3)} s over node -e 0 (target <= 0.05 s)`,
  );

  const many = batchFile("brain1xN", ...brain1, scalingCases);
  for (const name of ["baseline_original", "typical_all"]) {
    const one = run(batchArgs(many, name, 1));
    const two = run(batchArgs(many, name, 2));
    console.log(
      `${scalingCases} x brain1 ${name}: -j 1 ${one.toFixed(2)} s, -j 2 ${two.toFixed(2)} s: ${(one / two).toFixed(2)}x (target 1.8x)`,
    );
  }

  if (existsSync("/usr/bin/time")) {
    const peak = (args: string[]) => {
      const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], {
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(r.stderr);
      return Number(r.stderr.trim().split("\n").pop()) / 1024;
    };
    const typical = peak([
      cli,
      "extract",
      ...brain1,
      "-p",
      params("typical_all"),
      "-o",
      join(work, "t.json"),
    ]);
    console.log(
      `peak memory, typical_all on brain1 (one process): ${typical.toFixed(0)} MB (target <= 300 MB)`,
    );
    for (const count of [100, 1000]) {
      const csv = batchFile(`breast1x${count}`, ...breast1, count);
      const mb = peak(batchArgs(csv, "baseline_original", 2));
      console.log(`peak memory, ${count} x breast1 batch -j 2: ${mb.toFixed(0)} MB`);
    }
  } else {
    console.log("peak memory: not measured (no /usr/bin/time; Debian package 'time')");
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
