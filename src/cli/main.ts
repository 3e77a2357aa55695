#!/usr/bin/env node
/** The `radscore` command line. Each command loads only the modules it needs (fast cold start). */
import { Command } from "commander";
import { VERSION } from "../version.js";

const program = new Command();
program
  .name("radscore")
  .description("Radiomics workbench: PyRadiomics-compatible features, R-exact statistics")
  .version(VERSION);

program
  .command("extract")
  .description("extract PyRadiomics features from an image and a mask (or a batch CSV)")
  .argument("[image]", "image file (NRRD, NIfTI, MetaImage)")
  .argument("[mask]", "mask / label map file")
  .option("-p, --params <file>", "PyRadiomics parameter file (YAML or JSON)")
  .option("-l, --label <n>", "label value of the ROI (overrides the parameter file)")
  .option("-o, --output <file>", "output file (default: standard output)")
  .option("-f, --format <format>", "json or csv (default json, or csv for a .csv output)")
  .option("--diagnostics", "include diagnostics_* entries")
  .option("-b, --batch <cases.csv>", "batch CSV with Image, Mask and optional ID, Label columns")
  .action(async (image: string | undefined, mask: string | undefined, opts) => {
    const { runExtract } = await import("./extract.js");
    process.exitCode = await runExtract(image, mask, opts);
  });

program
  .command("demo")
  .description("generate a synthetic phantom and extract its features (no data needed)")
  .option("-o, --out <dir>", "output folder", "demo-out")
  .option("--seed <n>", "random seed of the phantom", "20250101")
  .action(async (opts) => {
    const { runDemo } = await import("./demo.js");
    process.exitCode = await runDemo(opts);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`radscore: ${(err as Error).message}\n`);
  process.exitCode = 2;
});
