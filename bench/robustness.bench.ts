/**
 * Perturbation robustness benchmark (issue #14: the demo cohort, 30 patients x 3 sequences x 20
 * perturbations, in under 2 minutes on 2 cores). Writes a demo cohort of 30 training patients (and
 * 20 test patients, which the step does not perturb), then runs `radscore study` on it with
 * `preprocessing.robustness` enabled (the full RTNVC chain, 20 perturbations, 2 worker threads)
 * and prints the step's time as the study's timings record it, beside the extraction of the same
 * patients and `node -e 0` plus a fixed CPU workload for scale (the machine drifts).
 * Run: npm run bench:robustness
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { writeDemoCohort } from "../src/cli/demo.js";
import { runStudyFromConfig } from "../src/node/study-runner.js";
import { generateDemoCohort } from "../src/study/demo-cohort.js";
import { demoStudyConfig, toYaml } from "../src/study/demo-study.js";

const SEED = 20250101;
const t0 = performance.now();
spawnSync(process.execPath, ["-e", "0"]);
console.log(`node -e 0: ${((performance.now() - t0) / 1000).toFixed(3)} s`);
const w0 = performance.now();
let sink = 0;
for (let i = 1; i <= 3e7; i++) sink += Math.sqrt(i);
console.log(
  `fixed workload (3e7 square roots): ${((performance.now() - w0) / 1000).toFixed(3)} s (${sink > 0 ? "ok" : ""})`,
);

const all = generateDemoCohort({ seed: SEED });
const training = all.filter((p) => p.set === "training").slice(0, 30);
const test = all.filter((p) => p.set === "test").slice(0, 20);
const dir = mkdtempSync(join(tmpdir(), "radscore-robustness-bench-"));
try {
  await writeDemoCohort(dir, SEED, () => {}, { patients: [...training, ...test].map((p) => p.id) });
  const raw = demoStudyConfig() as Record<string, Record<string, unknown>>;
  raw.preprocessing = {
    ...raw.preprocessing,
    robustness: { enabled: true, chain: "RTNVC", perturbations: 20, seed: SEED },
  };
  raw.extraction = { ...raw.extraction, jobs: 2 };
  raw.evaluation = { ...raw.evaluation, bootstrap: 20, rocBootstrap: { replicates: 0 } };
  writeFileSync(join(dir, "study.yaml"), toYaml(raw));
  const summary = await runStudyFromConfig(join(dir, "study.yaml"), {
    out: join(dir, "out"),
    log: () => {},
    progress: false,
    report: false,
  });
  const timing = (stage: string) =>
    summary.output.result.timings.find((t) => t.stage === stage)?.seconds ?? Number.NaN;
  const r = summary.output.result.robustness;
  console.log(
    `${training.length} training patients x 3 sequences x 20 perturbations (RTNVC), 2 workers:`,
  );
  console.log(
    `  extraction of the ${training.length + test.length} patients: ${timing("feature extraction").toFixed(1)} s`,
  );
  console.log(
    `  perturbation robustness: ${timing("perturbation robustness").toFixed(1)} s (target < 120 s)`,
  );
  if (r) console.log(`  features kept ${r.kept} of ${r.assessed} (ICC >= ${r.threshold})`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
