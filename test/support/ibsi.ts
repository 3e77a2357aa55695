/**
 * IBSI reference data for the IBSI-mode tests (issue #13): the IBSI-1 reference values
 * (`ibsi/ibsi1_reference_values/ibsi1_reference_values.csv`, documented in its SOURCE.md), IBSI's
 * agreement rule, and the phantoms as radscore reads them.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { IbsiImage } from "../../src/ibsi/types.js";
import type { Volume } from "../../src/image/volume.js";
import { parseCsv } from "../../src/io/csv.js";
import { readImageFile } from "../../src/node/files.js";
import { missingReference, referenceDir } from "./reference.js";

/** `<reference>/ibsi`, or undefined when the reference folder is absent. */
export function ibsiDir(): string | undefined {
  const ref = referenceDir();
  const dir = ref ? join(ref, "ibsi") : undefined;
  return dir && existsSync(dir) ? dir : undefined;
}

/** Skips a test loudly when the IBSI reference data is absent; true when it was skipped. */
export function skipWithoutIbsi(t: TestContext, what: string): boolean {
  if (ibsiDir()) return false;
  console.log(missingReference(what));
  t.skip("IBSI reference folder absent");
  return true;
}

export type IbsiConfiguration = "digital_phantom" | "A" | "B" | "C" | "D" | "E";

export interface IbsiReferenceValue {
  tag: string;
  /** Aggregation code (e.g. "ITBB"); "" for per-ROI families. */
  aggregation: string;
  family: string;
  /** null where IBSI gives no standardised value for this configuration. */
  value: number | null;
  /** null where IBSI prints none: the value is exact to its 3 significant digits. */
  tolerance: number | null;
  consensus: string;
}

/** IBSI-1 reference values of one configuration, keyed `${tag}|${aggregationCode}`. */
export function ibsi1ReferenceValues(
  configuration: IbsiConfiguration,
): Map<string, IbsiReferenceValue> {
  const dir = ibsiDir();
  if (!dir) throw new Error("IBSI reference folder absent");
  const file = join(dir, "ibsi1_reference_values", "ibsi1_reference_values.csv");
  const table = parseCsv(readFileSync(file, "utf8"), file);
  const col = (name: string) => table.header.indexOf(name);
  const [iTag, iAgg, iFamily, iConfig, iValue, iTol, iConsensus] = [
    "feature_tag",
    "aggregation_code",
    "feature_family",
    "configuration",
    "value",
    "tolerance",
    "consensus",
  ].map(col) as [number, number, number, number, number, number, number];
  const out = new Map<string, IbsiReferenceValue>();
  for (const r of table.rows) {
    if (r[iConfig] !== configuration) continue;
    const value = r[iValue]!;
    const tolerance = r[iTol]!;
    out.set(`${r[iTag]}|${r[iAgg]}`, {
      tag: r[iTag]!,
      aggregation: r[iAgg]!,
      family: r[iFamily]!,
      value: value === "" ? null : Number(value),
      tolerance: tolerance === "" ? null : Number(tolerance),
      consensus: r[iConsensus]!,
    });
  }
  return out;
}

/**
 * IBSI's agreement rule: within the tolerance where IBSI gives one; otherwise the reference is
 * exact to its three significant digits, so the value rounded to three significant digits equals it.
 */
export function agreesWithIbsi(got: number, reference: IbsiReferenceValue): boolean {
  if (reference.value === null) throw new Error(`${reference.tag}: IBSI gives no value`);
  if (!Number.isFinite(got)) return false;
  if (reference.tolerance !== null) return Math.abs(got - reference.value) <= reference.tolerance;
  return Number(got.toPrecision(3)) === reference.value;
}

/**
 * The IBSI-1 digital phantom (5 x 4 x 4 voxels of 2 mm, gray levels 1-6 already discretised, 74
 * ROI voxels) as an IbsiImage: no interpolation or re-segmentation, so both masks are the ROI.
 */
export async function readDigitalPhantom(): Promise<IbsiImage> {
  const dir = ibsiDir();
  if (!dir) throw new Error("IBSI reference folder absent");
  const base = join(dir, "ibsi1_phantoms", "ibsi_1_digital_phantom", "nifti");
  const image = await readImageFile(join(base, "image", "phantom.nii.gz"));
  const mask = await readImageFile(join(base, "mask", "mask.nii.gz"));
  const roi = Uint8Array.from(mask.data, (v) => (v > 0 ? 1 : 0));
  return {
    size: [...image.size],
    spacing: [...image.spacing],
    intensities: Float64Array.from(image.data),
    morphologicalMask: roi,
    intensityMask: roi.slice(),
  };
}

/** The IBSI-1 CT radiomics phantom (NIfTI image and GTV-1 mask), as read from disk. */
export async function readCtPhantom(): Promise<{ image: Volume; mask: Volume }> {
  const dir = ibsiDir();
  if (!dir) throw new Error("IBSI reference folder absent");
  const base = join(dir, "ibsi1_phantoms", "ibsi_1_ct_radiomics_phantom", "nifti");
  return {
    image: await readImageFile(join(base, "image", "phantom.nii.gz")),
    mask: await readImageFile(join(base, "mask", "mask.nii.gz")),
  };
}
