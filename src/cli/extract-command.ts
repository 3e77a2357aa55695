/**
 * The parts of the command line shared by the full program (program.ts) and the fast `extract`
 * entry (extract-main.ts): the program itself, the extract command's definition, error handling.
 */
import { Command } from "commander";
import { VERSION } from "../version.js";

/** The `radscore` program with its name, description and version (no commands yet). */
export function radscoreProgram(): Command {
  return new Command()
    .name("radscore")
    .description("Radiomics workbench: PyRadiomics-compatible features, R-exact statistics")
    .version(VERSION);
}

/**
 * `radscore extract --queue URL` (queue mode): given by the full program only (program.ts), so that
 * the one-file extract script (extract-main.ts) carries no queue code; main.ts sends a command line
 * with --queue to the full program.
 */
export type QueuedExtract = (opts: Record<string, unknown>) => Promise<number>;

/** `radscore extract`: the one definition of its arguments and options. */
export function addExtractCommand(program: Command, queued?: QueuedExtract): void {
  program
    .command("extract")
    .description("extract PyRadiomics features from an image and a mask (or a batch CSV)")
    .argument("[image]", "image file (NRRD, NIfTI, MetaImage) or DICOM series folder")
    .argument("[mask]", "mask / label map file, DICOM-SEG or RTSTRUCT")
    .option(
      "-p, --params <file>",
      "parameter file: PyRadiomics' (YAML or JSON), or radscore's IBSI file with --standard ibsi",
    )
    .option(
      "--standard <name>",
      "pyradiomics (default: PyRadiomics' definitions) or ibsi (IBSI-1 definitions and processing; " +
        "writes feature_tag,aggregation_code,value)",
    )
    .option("-l, --label <n>", "label value of the ROI (overrides the parameter file)")
    .option("-o, --output <file>", "output file (default: standard output)")
    .option("-f, --format <format>", "json or csv (default json, or csv for a .csv output)")
    .option("--diagnostics", "include diagnostics_* entries")
    .option("-b, --batch <cases.csv>", "batch CSV with Image, Mask and optional ID, Label columns")
    .option(
      "--shard <I/N>",
      "with --batch: extract shard I of N (cases I, I+N, I+2N, ... of the batch) into a part file " +
        "for `radscore merge` (Slurm job arrays, docs/slurm.md)",
    )
    .option(
      "-j, --jobs <n>",
      "worker threads: cases in parallel with --batch (default: number of CPUs, at most 8); " +
        "one case split by image type otherwise (default 1); --standard ibsi: 2 or more " +
        "extract the case on two worker threads, morphology on one (default 2 with 2+ CPUs)",
    )
    .option(
      "--save-images <dir>",
      "write every image features are computed from (and the ROI) as NRRD",
    )
    .option(
      "--voxel",
      "voxel-based feature maps (PyRadiomics voxelSetting): one NRRD per feature into the -o folder",
    )
    .option("--series <uid|number>", "DICOM folder: SeriesInstanceUID or SeriesNumber")
    .option("--volume <k>", "DICOM folder: volume k (0-based, dcm2niix's order)")
    .option("--phase <k>", "DICOM folder: dynamic series phase k (1-based)")
    .option("--bvalue <b>", "DICOM folder: diffusion volume (or trace image) with b-value b")
    .option("--segment <n>", "DICOM-SEG mask: segment number")
    .option("--roi <name>", "RTSTRUCT mask: ROI name or number")
    .option(
      "--queue <url>",
      "with --batch: extract on a Redis queue's workers (radscore worker), redis://HOST[:PORT][/DB] " +
        "or rediss:// (docs/queue.md)",
    )
    .option("--run <name>", "with --queue: the run's name (default: batch file name and a hash)")
    .option("--detach", "with --queue: submit and return; radscore queue collect writes the CSV")
    .action(async (image: string | undefined, mask: string | undefined, opts) => {
      if (opts.queue !== undefined || opts.run !== undefined || opts.detach) {
        if (opts.queue === undefined) throw new Error("--run and --detach go with --queue URL");
        if (image !== undefined || mask !== undefined)
          throw new Error("--queue extracts a batch: give --batch CASES.csv, not IMAGE and MASK");
        if (!queued) throw new Error("--queue: run the command as `radscore` (dist/cli/main.cjs)");
        process.exitCode = await queued(opts);
        return;
      }
      const { runExtract } = await import("./extract.js");
      process.exitCode = await runExtract(image, mask, opts);
    });
}

/** Parses the arguments and runs the command; an error is one line on stderr and exit code 2. */
export function runProgram(program: Command): void {
  program.parseAsync(process.argv).catch((err: unknown) => {
    process.stderr.write(`radscore: ${(err as Error).message}\n`);
    process.exitCode = 2;
  });
}
