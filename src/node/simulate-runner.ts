/**
 * The Node edge of `radscore simulate`: generates the truth sample and every replicate's cohort
 * (src/study/simulate), extracts their images in memory through the extractor or the extraction
 * worker pool (as image-mode studies do, src/node/study-runner.ts, without files or cache), runs
 * each replicate through the real study pipeline (`runStudyPipeline`), evaluates it against the
 * truth and summarises the replicates. Progress bars on stderr; a replicate that fails (e.g. one
 * outcome class only in a tiny cohort) is reported with its seed and reason and does not stop
 * the others.
 */
import { performance } from "node:perf_hooks";
import { extractFeatures } from "../extract/extractor.js";
import { type Params, parseParams } from "../extract/params.js";
import { FEATURE_CATALOGUE } from "../features/registry.js";
import type { Cohort } from "../study/cohort.js";
import { assembleExtraction, planExtractionPairs } from "../study/extraction-plan.js";
import {
  buildFeatureMatrix,
  type FeatureMatrix,
  suffixFeatureNames,
} from "../study/features-table.js";
import { runStudyPipeline } from "../study/pipeline.js";
import {
  evaluateReplicate,
  formatSimulationMarkdown,
  generateSimulatedCohort,
  generateSimulatedImages,
  hasPlantedSignal,
  type ReplicateFailure,
  type ReplicateOutcome,
  SIMULATED_SEQUENCES,
  type SimulatedPatient,
  type SimulatedSequence,
  type SimulationSettings,
  type SimulationSummary,
  simulatedCohort,
  simulationParamsYaml,
  simulationSeeds,
  simulationStudyConfig,
  summariseReplicates,
  type TruthSample,
  trueAuc,
  trueLinearPredictor,
  validateSimulationSettings,
} from "../study/simulate/index.js";
import { VERSION } from "../version.js";
import type { ExtractionPool } from "./extraction-pool.js";
import { progressBar } from "./study-runner.js";
import { defaultThreads } from "./threads.js";

export interface SimulationRunOptions {
  /** Extraction threads (default: the number of CPUs, at most 8; 1 = this thread only). */
  jobs?: number;
  /** Messages for the user (default: stderr). */
  log?: (message: string) => void;
  /** Draw progress bars (default: when stderr is a terminal). */
  progress?: boolean;
  /** Called as each replicate finishes (or fails). */
  onReplicate?: (outcome: ReplicateOutcome | ReplicateFailure) => void;
  /** Fixed timestamp (tests). */
  createdAt?: string;
}

export interface SimulationRun {
  tool: "radscore simulate";
  version: string;
  createdAt: string;
  settings: SimulationSettings;
  seeds: { master: number; truth: number; replicates: number[] };
  truth: {
    n: number;
    trueAuc: number;
    /** Mean true probability (the expected prevalence). */
    prevalence: number;
    /** Whether its images were extracted (only needed when the outcome depends on them). */
    extracted: boolean;
  };
  summary: SimulationSummary;
  replicates: ReplicateOutcome[];
  failures: ReplicateFailure[];
  timings: { stage: string; seconds: number }[];
  /** The summary as Markdown. */
  markdown: string;
}

/** Features of one simulated patient's sequence (unsuffixed PyRadiomics names). */
type PairExtractor = (
  patient: SimulatedPatient,
  sequence: SimulatedSequence,
) => Promise<Record<string, number>>;

/**
 * Runs `count` tasks with `lanes` in flight; results in task order. The first failure stops new
 * tasks and is thrown once the running ones have settled (as extractCohort does).
 */
async function inLanes<T>(
  count: number,
  lanes: number,
  task: (k: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async () => {
    while (failure === null && next < count) {
      const k = next++;
      try {
        results[k] = await task(k);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, lanes) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}

/** Extracts the truth sample (every sequence of every patient) into a feature matrix. */
async function extractTruth(
  patients: SimulatedPatient[],
  extract: PairExtractor,
  lanes: number,
  progress: boolean,
): Promise<FeatureMatrix> {
  const pairs = patients.flatMap((p) => SIMULATED_SEQUENCES.map((s) => [p, s] as const));
  const bar = progressBar(progress, "truth sample", pairs.length);
  const results = await inLanes(pairs.length, lanes, async (k) => {
    const [p, s] = pairs[k]!;
    const f = suffixFeatureNames(await extract(p, s), s);
    bar.tick();
    return f;
  });
  bar.done();
  const rows = patients.map((_, i) =>
    Object.assign(
      {},
      ...SIMULATED_SEQUENCES.map((_s, j) => results[i * SIMULATED_SEQUENCES.length + j]!),
    ),
  );
  return buildFeatureMatrix(
    patients.map((p) => p.id),
    rows,
    SIMULATED_SEQUENCES,
  );
}

/** Extracts a replicate's cohort as an image-mode study does (pairs planned from the cohort). */
async function extractReplicate(
  cohort: Cohort,
  patients: SimulatedPatient[],
  paramsText: string,
  extract: PairExtractor,
  lanes: number,
) {
  const byId = new Map(patients.map((p) => [p.id, p]));
  const pairs = planExtractionPairs(cohort);
  const results = await inLanes(pairs.length, lanes, async (k) => {
    const pair = pairs[k]!;
    const patient = byId.get(cohort.patients[pair.patient]!.id)!;
    return suffixFeatureNames(await extract(patient, pair.seq as SimulatedSequence), pair.seq);
  });
  const info = Object.fromEntries(
    SIMULATED_SEQUENCES.map((s) => [s, { paramsText, label: undefined }]),
  );
  return assembleExtraction(cohort, pairs, results, info);
}

/** Runs a whole simulation: truth sample, every replicate through the pipeline, the summary. */
export async function runSimulation(
  input: SimulationSettings,
  options: SimulationRunOptions = {},
): Promise<SimulationRun> {
  const settings = validateSimulationSettings({ ...input });
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const progress = options.progress ?? process.stderr.isTTY === true;
  const timings: { stage: string; seconds: number }[] = [];
  let t = performance.now();
  const lap = (stage: string) => {
    const now = performance.now();
    timings.push({ stage, seconds: (now - t) / 1000 });
    t = now;
  };
  const paramsText = simulationParamsYaml();
  const params: Params = parseParams(paramsText, FEATURE_CATALOGUE, "simulation parameters");
  const seeds = simulationSeeds(settings.seed, settings.replicates);
  const jobs = Math.max(1, options.jobs ?? defaultThreads());
  const pool: ExtractionPool | null =
    jobs > 1 ? new (await import("./extraction-pool.js")).ExtractionPool(jobs) : null;
  // Images are generated in this thread, then extracted here or on a worker (2 pairs per worker
  // in flight, so that a worker never waits for the next image).
  const lanes = pool ? 2 * jobs : 1;
  const extract: PairExtractor = async (patient, sequence) => {
    const { image, mask } = generateSimulatedImages(patient, sequence, settings);
    return pool
      ? (await pool.extract(image, mask, params)).features
      : extractFeatures(image, mask, params).features;
  };
  const replicates: ReplicateOutcome[] = [];
  const failures: ReplicateFailure[] = [];
  let truth: TruthSample;
  try {
    // The truth sample: the test centre's population, probabilities from the generator.
    const truthPatients = generateSimulatedCohort(settings, seeds.truth, settings.truthN, [2], "T");
    const probabilities = Float64Array.from(truthPatients, (p) => p.probability);
    const signal = hasPlantedSignal(settings);
    if (signal)
      log(
        `extracting the truth sample (${settings.truthN} patients x ${SIMULATED_SEQUENCES.length} sequences)`,
      );
    truth = {
      probabilities,
      linearPredictors: Float64Array.from(truthPatients, (p) =>
        trueLinearPredictor(p.properties, settings),
      ),
      trueAuc: trueAuc(probabilities),
      features: signal ? await extractTruth(truthPatients, extract, lanes, progress) : null,
    };
    lap("truth sample");
    const bar = progressBar(progress, "replicates", settings.replicates);
    let extractionSeconds = 0;
    let pipelineSeconds = 0;
    for (let r = 0; r < settings.replicates; r++) {
      const seed = seeds.replicates[r]!;
      try {
        const patients = generateSimulatedCohort(settings, seed, settings.n, [1, 2]);
        const config = simulationStudyConfig(seed, settings.candidates);
        const cohort = simulatedCohort(patients, config);
        const t0 = performance.now();
        const ex = await extractReplicate(cohort, patients, paramsText, extract, lanes);
        const t1 = performance.now();
        const output = runStudyPipeline(
          {
            config,
            cohort,
            features: ex.features,
            reader2: null,
            extraction: ex.extraction,
            software: { node: process.versions.node },
          },
          {
            now: () => performance.now(),
            ...(options.createdAt ? { createdAt: options.createdAt } : {}),
          },
        );
        pipelineSeconds += (performance.now() - t1) / 1000;
        extractionSeconds += (t1 - t0) / 1000;
        const outcome = evaluateReplicate(output, {
          replicate: r + 1,
          seed,
          settings,
          cohort,
          features: ex.features,
          truth,
        });
        replicates.push(outcome);
        options.onReplicate?.(outcome);
      } catch (err) {
        const failure = { replicate: r + 1, seed, error: (err as Error).message };
        failures.push(failure);
        log(`replicate ${r + 1} (seed ${seed}) failed: ${failure.error}`);
        options.onReplicate?.(failure);
      }
      bar.tick(`AUC ${replicates.at(-1)?.testAuc.toFixed(3) ?? "-"}`);
    }
    bar.done();
    lap("replicates");
    timings.push(
      { stage: "replicates: generation and extraction", seconds: extractionSeconds },
      { stage: "replicates: study pipeline", seconds: pipelineSeconds },
    );
  } finally {
    await pool?.close();
  }
  const summary = summariseReplicates(replicates, failures);
  return {
    tool: "radscore simulate",
    version: VERSION,
    createdAt: options.createdAt ?? new Date().toISOString(),
    settings,
    seeds: { master: settings.seed, truth: seeds.truth, replicates: seeds.replicates },
    truth: {
      n: settings.truthN,
      trueAuc: truth.trueAuc,
      prevalence: truth.probabilities.reduce((a, b) => a + b, 0) / truth.probabilities.length,
      extracted: truth.features !== null,
    },
    summary,
    replicates,
    failures,
    timings,
    markdown: formatSimulationMarkdown(settings, summary),
  };
}
