/**
 * `radscore dicom ...`: the one definition of the DICOM commands, shared by the full program
 * (program.ts) and the code-cached `dicom` entry (dicom-main.ts).
 */
import type { Command } from "commander";

export function addDicomCommands(program: Command): void {
  const dicom = program
    .command("dicom")
    .description("DICOM series: list, convert, ADC maps, SEG / RTSTRUCT to mask, mask to SEG");

  /** The series and volume selectors shared by the DICOM commands. */
  const withSelectors = (cmd: Command) =>
    cmd
      .option(
        "--series <uid|number>",
        "SeriesInstanceUID or SeriesNumber (NUMBER:STACK for a multi-stack series)",
      )
      .option("--volume <k>", "volume k, 0-based in dcm2niix's order")
      .option("--phase <k>", "dynamic series: phase k, 1-based (DCE phase 2 is --phase 2)")
      .option(
        "--bvalue <b>",
        "diffusion series: the volume with b-value b (trace-weighted image when several directions)",
      );

  dicom
    .command("ls")
    .description("list every series under a folder: size, spacing, volumes (phases, b-values)")
    .argument("<dir>", "folder with DICOM files (searched recursively)")
    .option("--json", "print a JSON array")
    .action(async (dir: string, opts) => {
      const { runDicomLs } = await import("./dicom.js");
      process.exitCode = await runDicomLs(dir, opts);
    });

  withSelectors(
    dicom
      .command("convert")
      .description("write a series (or one of its volumes) as NRRD, NIfTI or MetaImage")
      .argument("<dir>", "folder with DICOM files")
      .requiredOption(
        "-o, --output <file>",
        "output .nrrd, .nii, .nii.gz or .mha (OUT_K.ext per volume when several)",
      ),
  ).action(async (dir: string, opts) => {
    const { runDicomConvert } = await import("./dicom.js");
    process.exitCode = await runDicomConvert(dir, opts);
  });

  dicom
    .command("adc")
    .description("ADC map of a diffusion series (log-linear least squares over the b-values)")
    .argument("<dir>", "folder with DICOM files")
    .requiredOption("-o, --output <file>", "output .nrrd, .nii, .nii.gz or .mha")
    .option("--series <uid|number>", "SeriesInstanceUID or SeriesNumber")
    .option("--bvalues <list>", "b-values to fit, e.g. 0,800 (default: all)")
    .action(async (dir: string, opts) => {
      const { runDicomAdc } = await import("./dicom.js");
      process.exitCode = await runDicomAdc(dir, opts);
    });

  dicom
    .command("mask")
    .description("DICOM-SEG or RTSTRUCT to a mask on the referenced series' grid")
    .argument("<file>", "DICOM-SEG or RTSTRUCT file")
    .requiredOption("-r, --reference <dir>", "folder holding the referenced image series")
    .requiredOption("-o, --output <file>", "output .nrrd, .nii, .nii.gz or .mha")
    .option(
      "--segment <n>",
      "SEG: this segment only, as 0/1 (default: every segment as a label map)",
    )
    .option("--roi <name>", "RTSTRUCT: the ROI name or number (default: the only ROI)")
    .option(
      "--series <uid|number>",
      "the reference series (default: the one the SEG / RTSTRUCT references)",
    )
    .option(
      "--grid <image>",
      "map the mask onto this image's grid (file or DICOM folder), nearest neighbour",
    )
    .action(async (file: string, opts) => {
      const { runDicomMask } = await import("./dicom.js");
      process.exitCode = await runDicomMask(file, opts);
    });

  withSelectors(
    dicom
      .command("seg")
      .description("write a mask as a DICOM-SEG referencing its source series")
      .argument("<mask>", "mask file (NRRD, NIfTI, MetaImage) on the reference series' grid")
      .requiredOption("-r, --reference <dir>", "folder holding the source image series")
      .requiredOption("-o, --output <file>", "output SEG (.dcm)")
      .option("--label <n>", "label value to export (default: every label as its own segment)")
      .option("--name <name>", "segment label (default: ROI)"),
  ).action(async (mask: string, opts) => {
    const { runDicomSeg } = await import("./dicom.js");
    process.exitCode = await runDicomSeg(mask, opts);
  });
}
