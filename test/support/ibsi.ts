/**
 * IBSI reference data for the IBSI-mode tests (issue #13): the IBSI-1 reference values
 * (`ibsi/ibsi1_reference_values/ibsi1_reference_values.csv`, documented in its SOURCE.md), IBSI's
 * agreement rule and the comparison of our values with them, the IBSI-1 phantoms as radscore reads
 * them (the CT phantom's configurations A-E as the feature tests use them), and the IBSI-2
 * phantoms and consensus response maps with IBSI-2's tolerance (1 % of the map's range).
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TestContext } from "node:test";
import type { FilterImage } from "../../src/ibsi/filters/convolution.js";
import { discretise, type IbsiDiscretisation } from "../../src/ibsi/processing/discretise.js";
import { IBSI_CT_CONFIGURATIONS, processImage } from "../../src/ibsi/processing/pipeline.js";
import type { IbsiDiscretised, IbsiFeatureValue, IbsiImage } from "../../src/ibsi/types.js";
import { IDENTITY3, type Vec3, type Volume } from "../../src/image/volume.js";
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

export type CtConfiguration = "A" | "B" | "C" | "D" | "E";
export type IbsiConfiguration = "digital_phantom" | CtConfiguration;

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

/** The digital phantom's grey levels: its intensities (already levels 1-6) in the intensity mask. */
export function digitalPhantomLevels(image: IbsiImage): IbsiDiscretised {
  const levels = Int32Array.from(image.intensities, (g, v) => (image.intensityMask[v] ? g : 0));
  return { levels, nLevels: 6 };
}

/**
 * The "texture and IH" discretisation of the CT phantom's configurations (IBSI-1 manual, chapter 5;
 * ibsi1_ct_phantom_configurations.csv), FBS's lower bound being the re-segmentation range's.
 */
export const CT_TEXTURE_DISCRETISATION: Readonly<Record<CtConfiguration, IbsiDiscretisation>> = {
  A: { method: "FBS", binWidth: 25, lowerBound: -500 },
  B: { method: "FBN", binCount: 32 },
  C: { method: "FBS", binWidth: 25, lowerBound: -1000 },
  D: { method: "FBN", binCount: 32 },
  E: { method: "FBN", binCount: 32 },
};

let ctPhantom: Promise<{ image: Volume; mask: Volume }> | undefined;

/**
 * A CT phantom configuration as the feature tests use it: the processed image and its grey levels
 * (CT_TEXTURE_DISCRETISATION). A is built here, so that its tests do not depend on the processing
 * pipeline: no interpolation, morphological mask = the GTV-1 mask, intensity mask = the GTV-1 mask
 * re-segmented to [-500, 400] HU (inclusive). B-E go through processImage.
 */
export async function ctPhantomConfiguration(
  configuration: CtConfiguration,
): Promise<{ image: IbsiImage; levels: IbsiDiscretised }> {
  ctPhantom ??= readCtPhantom();
  const { image: ct, mask } = await ctPhantom;
  let image: IbsiImage;
  if (configuration === "A") {
    const intensities = Float64Array.from(ct.data);
    const morphologicalMask = Uint8Array.from(mask.data, (v) => (v > 0 ? 1 : 0));
    const intensityMask = morphologicalMask.map((inside, v) =>
      inside && intensities[v]! >= -500 && intensities[v]! <= 400 ? 1 : 0,
    );
    image = {
      size: [...ct.size],
      spacing: [...ct.spacing],
      intensities,
      morphologicalMask,
      intensityMask,
    };
  } else {
    image = processImage(ct, mask, IBSI_CT_CONFIGURATIONS[configuration]);
  }
  return { image, levels: discretise(image, CT_TEXTURE_DISCRETISATION[configuration]) };
}

/** Per-ROI feature values (aggregation "") by tag, each reported once. */
export function valuesByTag(values: readonly IbsiFeatureValue[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    assert.equal(v.aggregation, "", `${v.tag}: per-ROI feature with an aggregation`);
    assert.ok(!out.has(v.tag), `${v.tag} reported twice`);
    out.set(v.tag, v.value);
  }
  return out;
}

/** Agreement of our values with a configuration's reference values, overall and per group. */
export interface IbsiAgreement {
  /** Reference values compared. */
  total: number;
  agree: number;
  /** One line per reference value ours does not agree with (not reported counts as a miss). */
  misses: string[];
  /** Agreement per group (groupOf), in the reference table's order. */
  groups: Map<string, { agree: number; total: number }>;
}

/**
 * Compares our values (a list, or a map keyed `${tag}|${aggregation}`) with every reference value
 * of `configuration` that `include` keeps, by IBSI's rule (agreesWithIbsi).
 */
export function compareWithIbsi(
  configuration: IbsiConfiguration,
  values: readonly IbsiFeatureValue[] | ReadonlyMap<string, number>,
  include: (reference: IbsiReferenceValue) => boolean,
  groupOf: (reference: IbsiReferenceValue) => string = () => "",
): IbsiAgreement {
  let ours: ReadonlyMap<string, number>;
  if (values instanceof Map) ours = values;
  else {
    const byKey = new Map<string, number>();
    for (const v of values as readonly IbsiFeatureValue[]) {
      const key = `${v.tag}|${v.aggregation}`;
      assert.ok(!byKey.has(key), `${key} reported twice`);
      byKey.set(key, v.value);
    }
    ours = byKey;
  }
  const result: IbsiAgreement = { total: 0, agree: 0, misses: [], groups: new Map() };
  for (const [key, reference] of ibsi1ReferenceValues(configuration)) {
    if (reference.value === null || !include(reference)) continue;
    const group = groupOf(reference);
    const counts = result.groups.get(group) ?? { agree: 0, total: 0 };
    result.groups.set(group, counts);
    result.total++;
    counts.total++;
    const got = ours.get(key);
    if (got !== undefined && agreesWithIbsi(got, reference)) {
      result.agree++;
      counts.agree++;
    } else {
      const tolerance = reference.tolerance ?? "3 s.d.";
      result.misses.push(`${key}: ours ${got}, IBSI ${reference.value} ± ${tolerance}`);
    }
  }
  return result;
}

/** A volume of the given voxels with the identity direction at the origin (hand-made cases). */
export function volumeOf(data: ArrayLike<number>, size: Vec3, spacing: Vec3): Volume {
  return {
    data: Float64Array.from(data),
    size,
    spacing,
    origin: [0, 0, 0],
    direction: IDENTITY3,
    dimension: 3,
  };
}

const ibsi2Phantoms = new Map<string, Promise<FilterImage>>();

/**
 * An IBSI-2 digital phantom (ibsi2_phantoms/ibsi_2_digital_phantom/nifti/<name>: 64^3 voxels of
 * 2 mm; NIfTI i/j/k is our x/y/z) as a filter image, read once.
 */
export function readIbsi2Phantom(name: string): Promise<FilterImage> {
  let image = ibsi2Phantoms.get(name);
  if (!image) {
    const dir = ibsiDir();
    if (!dir) throw new Error("IBSI reference folder absent");
    const file = join(dir, "ibsi2_phantoms", "ibsi_2_digital_phantom", "nifti", name, "image");
    image = readImageFile(join(file, `${name}.nii.gz`)).then((v) => ({
      data: Float64Array.from(v.data),
      size: v.size,
      spacing: v.spacing,
    }));
    ibsi2Phantoms.set(name, image);
  }
  return image;
}

/** The consensus response map file of an IBSI-2 phase-1 test ("1.a.1": 1_a_1-ValidCRM.nii.gz). */
export function ibsi2ReferenceMapFile(id: string): string {
  const dir = ibsiDir();
  if (!dir) throw new Error("IBSI reference folder absent");
  const maps = join(dir, "ibsi2_reference_data", "reference_response_maps");
  return join(maps, `${id.replaceAll(".", "_")}-ValidCRM.nii.gz`);
}

/**
 * How far our response map lies from IBSI-2's consensus map, by IBSI-2's tolerance (reference data
 * README: every voxel within 1 % of the consensus map's range, max - min): the range, the largest
 * |ours - reference| as a fraction of it, and the voxels beyond 1 % (a NaN counts as beyond).
 */
export function responseMapDeviation(
  ours: ArrayLike<number>,
  reference: ArrayLike<number>,
): { range: number; worst: number; outside: number } {
  assert.equal(ours.length, reference.length, "response map and reference: voxel counts");
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i]! < lo) lo = reference[i]!;
    if (reference[i]! > hi) hi = reference[i]!;
  }
  const range = hi - lo;
  let worst = 0;
  let outside = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i]! - reference[i]!);
    if (!(d <= 0.01 * range)) outside++;
    if (d > worst || Number.isNaN(d)) worst = d;
  }
  return { range, worst: worst / range, outside };
}
