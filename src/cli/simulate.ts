/**
 * `radscore simulate [--informative K] [--effect B] [--centre-shift S] [--n N] [--replicates R]
 * [--seed S] [--truth-n M] [--candidates K] [-j N] [-o DIR]`: cohorts with a planted signal
 * (src/study/simulate) run through extraction and the whole study pipeline, replicate after
 * replicate; prints the summary table (recovery of the planted properties, test AUC against the
 * true AUC, coverage of the test AUC's 95% CI, calibration slope) and, with -o, writes
 * DIR/simulation.json (settings, seeds, truth, every replicate, summary, timings) and
 * DIR/simulation.md.
 */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../node/atomic.js";
import { runSimulation } from "../node/simulate-runner.js";
import { DEFAULT_SIMULATION, type SimulationSettings } from "../study/simulate/index.js";

export interface SimulateCommandOptions {
  informative?: string;
  effect?: string;
  centreShift?: string;
  n?: string;
  replicates?: string;
  seed?: string;
  truthN?: string;
  candidates?: string;
  jobs?: string;
  out?: string;
}

/** A number option: its text must be a whole finite number (an error names the option). */
function numberOption(text: string | undefined, option: string, fallback: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v))
    throw new Error(`${option} must be a number, got '${text}'`);
  return v;
}

/** The settings the options ask for (defaults: DEFAULT_SIMULATION). */
export function simulateSettings(opts: SimulateCommandOptions): SimulationSettings {
  const d = DEFAULT_SIMULATION;
  return {
    informative: numberOption(opts.informative, "--informative", d.informative),
    effect: numberOption(opts.effect, "--effect", d.effect),
    centreShift: numberOption(opts.centreShift, "--centre-shift", d.centreShift),
    n: numberOption(opts.n, "--n", d.n),
    replicates: numberOption(opts.replicates, "--replicates", d.replicates),
    seed: numberOption(opts.seed, "--seed", d.seed),
    truthN: numberOption(opts.truthN, "--truth-n", d.truthN),
    ...(opts.candidates !== undefined
      ? { candidates: numberOption(opts.candidates, "--candidates", 0) }
      : {}),
  };
}

export async function runSimulateCommand(opts: SimulateCommandOptions): Promise<number> {
  const settings = simulateSettings(opts);
  let jobs: number | undefined;
  if (opts.jobs !== undefined) {
    jobs = Number(opts.jobs);
    if (!Number.isInteger(jobs) || jobs < 1)
      throw new Error(`-j, --jobs must be a positive integer, got '${opts.jobs}'`);
  }
  const run = await runSimulation(settings, jobs !== undefined ? { jobs } : {});
  process.stdout.write(run.markdown);
  for (const f of run.failures)
    process.stdout.write(`replicate ${f.replicate} (seed ${f.seed}) failed: ${f.error}\n`);
  process.stdout.write(
    `timings: ${run.timings.map((t) => `${t.stage} ${t.seconds.toFixed(1)} s`).join(", ")}\n`,
  );
  if (opts.out) {
    const out = resolve(opts.out);
    await mkdir(out, { recursive: true });
    const { markdown, ...json } = run;
    await writeFileAtomic(join(out, "simulation.json"), `${JSON.stringify(json, null, 2)}\n`);
    await writeFileAtomic(join(out, "simulation.md"), markdown);
    process.stdout.write(`written to ${out}: simulation.json, simulation.md\n`);
  }
  return run.failures.length > 0 ? 1 : 0;
}
