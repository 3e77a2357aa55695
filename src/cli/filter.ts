/**
 * `radscore filter IMAGE -p FILTER.yaml -o MAP.nii.gz`: an IBSI-2 filter's response map
 * (src/ibsi/filters) on the image's own grid, written with the image's geometry. The filter file
 * holds `standard: ibsi` and a `filter:` block (docs/ibsi-mode.md); processing and feature settings
 * belong to `radscore extract --standard ibsi` and are refused here rather than ignored.
 */
import { parseIbsiFilterFile } from "../ibsi/config.js";
import { applyIbsiFilter } from "../ibsi/filters/index.js";
import { readImageFile, readTextFile, writeImageFile } from "../node/files.js";

export interface FilterCommandOptions {
  params?: string;
  output?: string;
}

export async function runFilterCommand(
  imagePath: string,
  opts: FilterCommandOptions,
): Promise<number> {
  if (!opts.params) throw new Error("filter needs an IBSI filter file: -p FILTER.yaml");
  if (!opts.output)
    throw new Error("filter writes the response map: give -o MAP.nii.gz (or .nrrd)");
  const filter = parseIbsiFilterFile(await readTextFile(opts.params, "filter file"), opts.params);
  const image = await readImageFile(imagePath);
  const data = Float64Array.from(image.data);
  const response = applyIbsiFilter({ data, size: image.size, spacing: image.spacing }, filter);
  await writeImageFile(opts.output, { ...image, data: response });
  process.stderr.write(`wrote the ${filter.type} response map to ${opts.output}\n`);
  return 0;
}
