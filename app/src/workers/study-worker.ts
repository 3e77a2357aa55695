/**
 * Statistics worker: from the extracted features (or a feature table) to the study's outputs,
 * with the same pure core as `radscore study`: assemble the feature matrices, run the pipeline
 * (with the ICCs across the page's perturbations when preprocessing.robustness is on), render the
 * report (figures without a canvas, as in the CLI) and format every output file. Off the main
 * thread, so the page stays responsive during the ICCs, LASSO cross-validation and the bootstrap.
 */
import { formatCsv } from "../../../src/io/csv.js";
import { buildReport } from "../../../src/report/html.js";
import { parseCohortManifest } from "../../../src/study/cohort.js";
import { validateStudyConfig } from "../../../src/study/config.js";
import { assembleExtraction } from "../../../src/study/extraction-plan.js";
import {
  type FeatureMatrix,
  formatFeaturesCsv,
  parseFeatureTable,
} from "../../../src/study/features-table.js";
import type { FrozenModel } from "../../../src/study/frozen-model.js";
import { checklistFiles } from "../../../src/report/checklists/index.js";
import { predictionsCsv, resultJson } from "../../../src/study/outputs.js";
import { runStudyPipeline } from "../../../src/study/pipeline.js";
import {
  assessRobustness,
  ROBUSTNESS_CSV_HEADER,
  robustnessCsvRows,
  type StudyRobustness,
} from "../../../src/study/robustness.js";
import { VERSION } from "../../../src/version.js";
import type { StudyJob, StudyReply } from "./protocol.js";
import { workerScope } from "./scope.js";

const scope = workerScope;
const post = (reply: StudyReply) => scope.postMessage(reply);

async function run(job: StudyJob): Promise<Record<string, string>> {
  const config = validateStudyConfig(job.configRaw, job.configName);
  const cohort = parseCohortManifest(job.manifest.text, config, job.manifest.name);
  let features: FeatureMatrix;
  let reader2: FeatureMatrix | null = null;
  let extraction: FrozenModel["extraction"] = null;
  let robustness: StudyRobustness | null = null;
  const ids = cohort.patients.map((p) => p.id);
  if (job.input.kind === "extracted") {
    ({ features, reader2, extraction } = assembleExtraction(
      cohort,
      job.input.pairs,
      job.input.results,
      job.input.sequenceInfo,
    ));
    if (job.input.perturbations) {
      post({ kind: "progress", stage: "robustness ICCs", done: 0, total: 1 });
      robustness = assessRobustness(job.input.perturbations, config.preprocessing.robustness);
    }
  } else {
    features = parseFeatureTable(job.input.table.text, config, ids, job.input.table.name, {});
    if (job.input.reader2)
      reader2 = parseFeatureTable(job.input.reader2.text, config, ids, job.input.reader2.name, {
        requireAll: false,
      });
  }
  const timings = [...job.timings];
  const pipelineInput = {
    config,
    cohort,
    features,
    reader2,
    robustness,
    extraction,
    software: { browser: job.userAgent },
  };
  const output = runStudyPipeline(pipelineInput, {
    now: () => performance.now(),
    timings,
    onProgress: (stage, done, total) => post({ kind: "progress", stage, done, total }),
  });
  const files: Record<string, string> = {};
  files["features.csv"] = formatFeaturesCsv(features, cohort);
  if (reader2) files["features-reader2.csv"] = formatFeaturesCsv(reader2, cohort);
  if (robustness)
    files["robustness.csv"] = formatCsv(ROBUSTNESS_CSV_HEADER, robustnessCsvRows(robustness));
  files["model.json"] = `${JSON.stringify(output.model, null, 2)}\n`;
  files["predictions.csv"] = predictionsCsv(output);
  if (config.outputs.report) {
    post({ kind: "progress", stage: "report", done: 0, total: 1 });
    const t = performance.now();
    const report = await buildReport(output.result);
    output.result.timings.push({ stage: "report", seconds: (performance.now() - t) / 1000 });
    files["report.html"] = report.html;
    // The reporting checklists (TRIPOD+AI, CLEAR), as the CLI writes them beside report.html.
    Object.assign(files, checklistFiles(output));
  }
  files["result.json"] = resultJson(output.result);
  const manifest = {
    tool: "radscore",
    version: VERSION,
    runtime: job.userAgent,
    createdAt: output.result.createdAt,
    config: job.configName,
    settings: config,
    seeds: {
      lassoFolds: config.selection.lasso.seed,
      bootstrap: config.evaluation.seed,
      ...(config.preprocessing.robustness.enabled
        ? { perturbations: config.preprocessing.robustness.seed }
        : {}),
    },
    filters: extraction ? "src/filters FILTERS" : "none",
    inputHashes: job.inputHashes,
    timings: output.result.timings,
    files: [...Object.keys(files), "manifest.json"],
    warnings: output.result.warnings,
  };
  files["manifest.json"] = `${JSON.stringify(manifest, null, 2)}\n`;
  return files;
}

scope.addEventListener("message", (event: MessageEvent) => {
  run(event.data as StudyJob).then(
    (files) => post({ kind: "done", files }),
    (error: unknown) =>
      post({ kind: "error", error: error instanceof Error ? error.message : String(error) }),
  );
});
