/**
 * `radscore extract IMAGE MASK -p CONFIG --standard ibsi`: IBSI-mode features (src/ibsi) of one
 * case as IBSI's long table, one row per feature and aggregation:
 * `feature_tag,aggregation_code,value` (CSV) or the same pairs in JSON. A feature undefined for the
 * ROI has an empty value (JSON: null) and its reason on standard error, never a silent 0.
 */
import { type IbsiFamily, parseIbsiConfig } from "../ibsi/config.js";
import { ibsiFamilyFeatures, inFileOrder, processIbsiCase } from "../ibsi/extract.js";
import { ibsiFeaturesToCsv } from "../ibsi/table.js";
import type { IbsiFeatureValue } from "../ibsi/types.js";
import type { Volume } from "../image/volume.js";
import { writeFileAtomic } from "../node/atomic.js";
import { isDicomFile, needsDicomReaders, readImageFile, readTextFile } from "../node/files.js";
import type { IbsiThreads } from "../node/ibsi-threads.js";
import type { DicomChoice } from "../node/image-inputs.js";

export interface IbsiExtractOptions {
  params?: string;
  output?: string;
  format?: string;
  label?: number;
  dicom?: DicomChoice;
  /**
   * Worker threads that extract the case, morphology apart (src/node/ibsi-threads.ts), started
   * and closed by the caller. Without them, this thread extracts.
   */
  threads?: IbsiThreads | null;
}

/** The same pairs in JSON; an undefined value is null with its reason. */
export function ibsiFeaturesToJson(features: readonly IbsiFeatureValue[]): string {
  const rows = features.map((f) => ({
    feature_tag: f.tag,
    aggregation_code: f.aggregation,
    value: Number.isFinite(f.value) ? f.value : null,
    ...(Number.isFinite(f.value) ? {} : { reason: f.reason ?? "undefined for this ROI" }),
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export async function runIbsiExtract(
  imagePath: string,
  maskPath: string,
  opts: IbsiExtractOptions,
): Promise<number> {
  if (!opts.params)
    throw new Error(
      "--standard ibsi needs an IBSI parameter file: -p CONFIG.yaml (ready files in ibsi/, format in docs/ibsi-mode.md)",
    );
  const config = parseIbsiConfig(await readTextFile(opts.params, "parameter file"), opts.params);
  const format = (opts.format ?? (opts.output?.endsWith(".csv") ? "csv" : "json")).toLowerCase();
  if (format !== "json" && format !== "csv")
    throw new Error(`--format must be json or csv, got '${opts.format}'`);
  let image: Volume;
  let mask: Volume;
  if (needsDicomReaders(imagePath, isDicomFile(maskPath), opts.dicom)) {
    const inputs = await import("../node/image-inputs.js");
    [image, mask] = await inputs.readDicomCase(imagePath, maskPath, opts.dicom);
  } else [image, mask] = await Promise.all([readImageFile(imagePath), readImageFile(maskPath)]);
  let byFamily: Map<IbsiFamily, IbsiFeatureValue[]>;
  if (opts.threads) byFamily = await opts.threads.extract(image, mask, config, opts.label);
  else {
    const label = opts.label !== undefined ? { label: opts.label } : {};
    const { image: processed } = processIbsiCase(image, mask, config, label);
    byFamily = ibsiFamilyFeatures(processed, config, config.families);
  }
  const features = inFileOrder(config, byFamily);
  const undefinedOnes = features.filter((f) => !Number.isFinite(f.value));
  for (const f of undefinedOnes) {
    const where = f.aggregation ? ` (${f.aggregation})` : "";
    process.stderr.write(
      `radscore: ${f.tag}${where} is undefined for this ROI: ${f.reason ?? "no value"}\n`,
    );
  }
  const text = format === "csv" ? ibsiFeaturesToCsv(features) : ibsiFeaturesToJson(features);
  if (opts.output) await writeFileAtomic(opts.output, text);
  else process.stdout.write(text);
  return 0;
}
