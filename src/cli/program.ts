/**
 * The whole `radscore` command line (every command). Each command loads only the modules it needs;
 * `radscore extract` normally starts from extract-main.ts instead (see main.ts).
 */
import type { Command } from "commander";
import { addDicomCommands } from "./dicom-command.js";
import { addExtractCommand, radscoreProgram, runProgram } from "./extract-command.js";

const program = radscoreProgram();
addExtractCommand(program, async (opts) => {
  const { runQueuedExtract } = await import("./queue.js");
  return runQueuedExtract(opts);
});
addDicomCommands(program);

const queueCommand = program
  .command("queue")
  .description("a Redis extraction queue (extract --queue): its runs' progress and results");
queueCommand
  .command("status")
  .description("jobs done / failed / waiting / active, of the queue and of a run")
  .requiredOption("--queue <url>", "Redis URL, redis://HOST[:PORT][/DB] or rediss://")
  .option("--run <name>", "one run's cases (default: list the runs)")
  .action(async (opts) => {
    const { runQueueStatus } = await import("./queue.js");
    process.exitCode = await runQueueStatus(opts);
  });
queueCommand
  .command("collect")
  .description("write a finished run's CSV (as extract --batch writes it)")
  .requiredOption("--queue <url>", "Redis URL, redis://HOST[:PORT][/DB] or rediss://")
  .requiredOption("--run <name>", "the run (extract --queue ... --run NAME, or as it printed)")
  .option("-o, --output <file>", "output CSV (default: standard output)")
  .action(async (opts) => {
    const { runQueueCollect } = await import("./queue.js");
    process.exitCode = await runQueueCollect(opts);
  });

program
  .command("worker")
  .description("take extraction jobs from a Redis queue (extract --queue) until SIGINT / SIGTERM")
  .requiredOption("--queue <url>", "Redis URL, redis://HOST[:PORT][/DB] or rediss://")
  .option("-j, --jobs <n>", "extraction threads (default: number of CPUs, at most 8)")
  .option(
    "--lock-ms <ms>",
    "job lock period: a killed worker's jobs go back to the queue after about this long " +
      "(default 30000, or RADSCORE_QUEUE_LOCK_MS)",
  )
  .action(async (opts) => {
    const { runWorkerCommand } = await import("./queue.js");
    process.exitCode = await runWorkerCommand(opts);
  });

program
  .command("merge")
  .description(
    "join the part files of a sharded batch (extract --batch ... --shard I/N) into the batch's CSV",
  )
  .argument("<parts...>", "part files, one per shard (e.g. parts/part-*.csv)")
  .option("-o, --output <file>", "output CSV (default: standard output)")
  .action(async (parts: string[], opts) => {
    const { runMerge } = await import("./merge.js");
    process.exitCode = await runMerge(parts, opts);
  });

program
  .command("demo")
  .description("generate a synthetic two-centre cohort and run the whole study (no data needed)")
  .option("-o, --out <dir>", "output folder", "demo-out")
  .option("--seed <n>", "random seed of the cohort", "20250101")
  .option(
    "--dicom",
    "write the cohort as the centres' scanners' DICOM (series, DICOM-SEG masks) and run the study from it",
  )
  .action(async (opts) => {
    const { runDemo } = await import("./demo.js");
    process.exitCode = await runDemo(opts);
  });

program
  .command("filter")
  .description(
    "an IBSI-2 convolutional filter's response map (mean, LoG, Laws, Gabor, wavelets, ...)",
  )
  .argument("<image>", "image file (NRRD, NIfTI, MetaImage)")
  .requiredOption("-p, --params <file>", "IBSI filter file (standard: ibsi, filter: ...)")
  .requiredOption("-o, --output <file>", "response map (.nii.gz, .nii, .nrrd)")
  .action(async (image: string, opts) => {
    const { runFilterCommand } = await import("./filter.js");
    process.exitCode = await runFilterCommand(image, opts);
  });

program
  .command("combat")
  .description(
    "ComBat harmonisation of a feature table across centres / scanners (as R sva::ComBat)",
  )
  .argument("<features>", "CSV with one row per sample")
  .requiredOption("--batch <column>", "batch column (centre, scanner, protocol)")
  .option(
    "--covariates <columns>",
    "comma-separated covariates whose effect is preserved (numbers or factors)",
  )
  .option("--reference <level>", "reference batch: left unchanged, the others mapped onto it")
  .option("--nonparametric", "non-parametric empirical-Bayes priors (default parametric)")
  .option("--mean-only", "adjust batch means only, not variances")
  .option(
    "--features <columns>",
    "feature columns or prefixes (rad*, original_); default the PyRadiomics feature columns",
  )
  .option(
    "--leave-constant",
    "leave features constant inside a batch unadjusted (as sva) instead of stopping",
  )
  .option("--save-model <file>", "write the frozen ComBat model (JSON)")
  .option("--model <file>", "apply a saved ComBat model instead of fitting")
  .requiredOption("-o, --output <file>", "harmonised CSV (same columns and rows)")
  .action(async (features: string, opts) => {
    const { runCombatCommand } = await import("./combat.js");
    process.exitCode = await runCombatCommand(features, opts);
  });

program
  .command("simulate")
  .description(
    "planted-signal simulation: cohorts whose outcome depends on known image properties, through extraction and the whole study",
  )
  .option(
    "--informative <k>",
    "informative image properties, 0-4: intensity, texture, size, lobulation (default 2)",
  )
  .option("--effect <b>", "log-odds per SD of each informative property (default 1)")
  .option(
    "--centre-shift <s>",
    "scanner offset of the test centre, in SDs of lesion intensity (default 0)",
  )
  .option("--n <n>", "patients per centre; centre 1 trains, centre 2 tests (default 60)")
  .option("--replicates <r>", "replicates (default 20)")
  .option("--seed <s>", "master seed (default 1)")
  .option("--truth-n <m>", "patients of the independent truth sample (default 2000)")
  .option(
    "--candidates <k>",
    "features f_classif passes to LASSO (default 10): too few hides a weaker property",
  )
  .option("-j, --jobs <n>", "extraction threads (default: CPUs, at most 8)")
  .option("-o, --out <dir>", "write simulation.json and simulation.md into this folder")
  .action(async (opts) => {
    const { runSimulateCommand } = await import("./simulate.js");
    process.exitCode = await runSimulateCommand(opts);
  });

program
  .command("study")
  .description("run a study from study.yaml: extraction, selection, models, evaluation, report")
  .argument("<config>", "study configuration (YAML)")
  .option("-o, --out <dir>", "output folder (default: <config folder>/study-out)")
  .action(async (config: string, opts) => {
    const { runStudyCommand } = await import("./study.js");
    process.exitCode = await runStudyCommand(config, opts);
  });

program
  .command("predict")
  .description("score new patients with a frozen model: Rad-score, nomogram points, probability")
  .requiredOption("-m, --model <file>", "model.json written by a study")
  .requiredOption(
    "-c, --cases <file>",
    "CSV with id, clinical columns and features or <SEQ>_image/<SEQ>_mask paths",
  )
  .option("-o, --out <file>", "write the scores as CSV")
  .action(async (opts) => {
    const { runPredictCommand } = await import("./predict.js");
    process.exitCode = await runPredictCommand(opts);
  });

const withCommon = (cmd: Command) =>
  cmd
    .option("--outcome <column>", "binary outcome column")
    .option("--event <value>", "cell value of the event (default: 1, or the larger of two values)")
    .option("--set-column <column>", "column selecting a subset of rows (e.g. set)")
    .option("--set <value>", "value of --set-column to analyse (e.g. training)")
    .option("-o, --output <file>", "write <file>.json and <file>.md");

withCommon(
  program
    .command("logistic")
    .description(
      "logistic regression as R glm: OR, Wald and profile CIs, optional univariable screen",
    )
    .argument("<data>", "CSV file")
    .option("--predictors <columns>", "comma-separated predictor columns")
    .option("--factors <specs>", "factor columns with reference level: col=ref,col2=ref2")
    .option(
      "--screen <p>",
      "univariable screen first; predictors with P < p enter the multivariable model",
    )
    .option("--min-epv <n>", "minimum events per coefficient (smaller outcome class), default 2"),
).action(async (data: string, opts) => {
  const { runLogisticCommand } = await import("./stats-commands.js");
  process.exitCode = await runLogisticCommand(data, opts);
});

withCommon(
  program
    .command("roc")
    .description("ROC analysis as pROC: AUC, DeLong CI, Youden threshold, paired DeLong tests")
    .argument("<data>", "CSV file")
    .option("--scores <columns>", "comma-separated score / probability columns")
    .option("--direction <dir>", "<, > or auto (pROC's rule)", "auto")
    .option(
      "--threshold-set <value>",
      "learn threshold and direction on this set, apply them to --set",
    )
    .option(
      "--boot <n>",
      "add stratified bootstrap 95% CIs (pROC ci.auc / ci.coords) of the AUC and of the coordinates at the threshold, n resamples",
    )
    .option("--seed <s>", "R set.seed(s) before each bootstrap (required with --boot)"),
).action(async (data: string, opts) => {
  const { runRocCommand } = await import("./stats-commands.js");
  process.exitCode = await runRocCommand(data, opts);
});

withCommon(
  program
    .command("calibration")
    .description("calibration as rms val.prob plus the Hosmer-Lemeshow test")
    .argument("<data>", "CSV file")
    .option("--probability <column>", "predicted probability column")
    .option("--groups <g>", "Hosmer-Lemeshow groups", "10"),
).action(async (data: string, opts) => {
  const { runCalibrationCommand } = await import("./stats-commands.js");
  process.exitCode = await runCalibrationCommand(data, opts);
});

withCommon(
  program
    .command("dca")
    .description("decision curves: net benefit of each model, treat-all and treat-none")
    .argument("<data>", "CSV file")
    .option("--probabilities <columns>", "comma-separated predicted probability columns")
    .option("--from <percent>", "first threshold in percent", "1")
    .option("--to <percent>", "last threshold in percent", "99"),
).action(async (data: string, opts) => {
  const { runDcaCommand } = await import("./stats-commands.js");
  process.exitCode = await runDcaCommand(data, opts);
});

withCommon(
  program
    .command("table1")
    .description(
      "Table 1: event vs non-event per cohort (t test or Mann-Whitney, chi-square or Fisher)",
    )
    .argument("<data>", "CSV file")
    .option("--continuous <columns>", "comma-separated continuous variables")
    .option("--categorical <columns>", "comma-separated categorical variables")
    .option("--by <column>", "one table per value of this column (e.g. set or centre)")
    .option("--welch", "Welch's t test instead of Student's for normal variables")
    .option("--event-label <text>", "heading of the event column", "Event")
    .option("--nonevent-label <text>", "heading of the non-event column", "Non-event"),
).action(async (data: string, opts) => {
  const { runTable1Command } = await import("./stats-commands.js");
  process.exitCode = await runTable1Command(data, opts);
});

program
  .command("icc")
  .description("intraclass correlation (Shrout-Fleiss, as psych::ICC) and an ICC threshold filter")
  .argument("<data>", "CSV with one row per subject (and feature), one column per rater")
  .option("--raters <columns>", "comma-separated rater columns")
  .option("--feature <column>", "column naming the feature of each row (one ICC per feature)")
  .option(
    "--type <type>",
    "ICC form used by --threshold: ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k",
    "ICC2",
  )
  .option("--threshold <value>", "keep features whose ICC >= value")
  .option("-o, --output <file>", "write <file>.json and <file>.md")
  .action(async (data: string, opts) => {
    const { runIccCommand } = await import("./stats-commands.js");
    process.exitCode = await runIccCommand(data, opts);
  });

runProgram(program);
