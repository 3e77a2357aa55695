/**
 * radscore's IBSI parameter file (YAML), documented in docs/ibsi-mode.md: the settings IBSI-1 asks
 * authors to report (IBSI-1 manual, chapter 2 and the CT-phantom configurations of chapter 5),
 * one block per processing step. Every key is checked; an unknown, missing or contradictory setting
 * is an IbsiSettingError that names it.
 *
 * ```yaml
 * standard: ibsi                 # marks the file as an IBSI parameter file (required)
 * label: 1                       # ROI label in the mask (default: every non-zero voxel)
 * interpolation:                 # absent or null: none
 *   dimensions: 3D               # 3D, or 2D (in-plane only: the slice spacing is kept)
 *   spacing: [2, 2, 2]           # mm along x, y, z ([x, y] for 2D)
 *   image: linear                # linear, cubic-spline or nearest
 *   rounding: nearest-integer    # or none
 *   roi: linear                  # ROI interpolation: linear or nearest
 *   partialVolumeThreshold: 0.5  # linear ROI: a voxel is in the ROI from this fraction up
 * resegmentation:                # absent: none
 *   range: [-1000, 400]          # inclusive; either bound null for an open end
 *   outliers: 3                  # mean +- 3 standard deviations (absent: no outlier filtering)
 * discretisation:                # texture and intensity-histogram gray levels
 *   method: FBS                  # FBS (fixed bin size), FBN (fixed bin number) or none
 *   binWidth: 25                 # FBS; lowerBound: defaults to the re-segmentation range's minimum
 * ivh:                           # intensity-volume histogram discretisation (absent: none)
 *   method: FBN
 *   binCount: 1000
 * texture:
 *   aggregation: [3D]            # any of 2D, 2.5D, 3D
 *   distance: 1                  # GLCM, NGTDM, NGLDM neighbourhood (Chebyshev)
 * families: [morphology, ...]    # default: all (see IBSI_FAMILIES)
 * filter:                        # IBSI-2 filter (absent: none): features of the response map
 *   type: laplacian-of-gaussian  # see src/ibsi/filters/index.ts for every type and its keys
 *   dimensionality: 3D
 *   boundary: mirror
 *   sigma: 1.5
 *   truncate: 4
 * ```
 */
import yaml from "js-yaml";
import { type IbsiFilter, parseIbsiFilter } from "./filters/index.js";
import { IBSI_TEXTURE_DIMENSIONS, IbsiSettingError, type IbsiTextureDimension } from "./types.js";

/** Feature families of IBSI-1 chapter 3, as named in the parameter file. */
export const IBSI_FAMILIES = [
  "morphology",
  "local_intensity",
  "intensity_statistics",
  "intensity_histogram",
  "intensity_volume_histogram",
  "glcm",
  "glrlm",
  "glszm",
  "gldzm",
  "ngtdm",
  "ngldm",
] as const;
export type IbsiFamily = (typeof IBSI_FAMILIES)[number];

export interface IbsiInterpolationConfig {
  /** "2D": in-plane only, the slice spacing is kept. */
  dimensions: "2D" | "3D";
  /** Target spacing in mm along x, y, z (z = the input's slice spacing for 2D). */
  spacing: [number, number, number | null];
  image: "linear" | "cubic-spline" | "nearest";
  rounding: "nearest-integer" | "none";
  roi: "linear" | "nearest";
  partialVolumeThreshold: number;
}

export interface IbsiResegmentationConfig {
  /** Inclusive range; a null bound is open. Null: no range re-segmentation. */
  range: [number | null, number | null] | null;
  /** Outlier filtering at mean +- this many standard deviations; null: none. */
  outlierSigma: number | null;
}

export type IbsiBinning =
  | { method: "none" }
  | { method: "FBS"; binWidth: number; lowerBound: number | null }
  | { method: "FBN"; binCount: number };

export interface IbsiConfig {
  label: number | null;
  interpolation: IbsiInterpolationConfig | null;
  resegmentation: IbsiResegmentationConfig;
  discretisation: IbsiBinning;
  ivh: IbsiBinning;
  texture: { aggregation: IbsiTextureDimension[]; distance: number };
  families: IbsiFamily[];
  /** IBSI-2 filter applied after interpolation; null: features of the image itself. */
  filter: IbsiFilter | null;
}

const TOP_LEVEL_KEYS = [
  "standard",
  "label",
  "interpolation",
  "resegmentation",
  "discretisation",
  "ivh",
  "texture",
  "families",
  "filter",
];

type Block = Record<string, unknown>;

function fail(setting: string, message: string): never {
  throw new IbsiSettingError(`${setting}: ${message}`);
}

function block(value: unknown, setting: string, keys: readonly string[]): Block {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    fail(setting, `must be a mapping of ${keys.join(", ")}`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key))
      fail(`${setting}.${key}`, `unknown setting (valid: ${keys.join(", ")})`);
  }
  return value as Block;
}

function positiveNumber(value: unknown, setting: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    fail(setting, `must be a positive number, got ${JSON.stringify(value)}`);
  return value;
}

function finiteOrNull(value: unknown, setting: string): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== "number" || !Number.isFinite(value))
    fail(setting, `must be a number or null, got ${JSON.stringify(value)}`);
  return value;
}

function oneOf<T extends string>(value: unknown, setting: string, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value))
    fail(setting, `must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  return value as T;
}

function interpolationOf(value: unknown): IbsiInterpolationConfig | null {
  if (value === undefined || value === null) return null;
  const b = block(value, "interpolation", [
    "dimensions",
    "spacing",
    "image",
    "rounding",
    "roi",
    "partialVolumeThreshold",
  ]);
  const dimensions = oneOf(b.dimensions, "interpolation.dimensions", ["2D", "3D"] as const);
  const axes = dimensions === "2D" ? 2 : 3;
  if (!Array.isArray(b.spacing) || b.spacing.length !== axes)
    fail(
      "interpolation.spacing",
      `must list ${axes} spacings in mm (${dimensions === "2D" ? "x, y: in-plane" : "x, y, z"}), got ${JSON.stringify(b.spacing)}`,
    );
  const s = b.spacing.map((v, a) => positiveNumber(v, `interpolation.spacing[${a}]`));
  const roi = oneOf(b.roi ?? "linear", "interpolation.roi", ["linear", "nearest"] as const);
  const threshold = b.partialVolumeThreshold ?? 0.5;
  if (typeof threshold !== "number" || !(threshold > 0 && threshold <= 1))
    fail(
      "interpolation.partialVolumeThreshold",
      `must be in (0, 1], got ${JSON.stringify(threshold)}`,
    );
  if (roi === "nearest" && b.partialVolumeThreshold !== undefined)
    fail(
      "interpolation.partialVolumeThreshold",
      "applies to linear ROI interpolation only (interpolation.roi is nearest)",
    );
  return {
    dimensions,
    spacing: [s[0]!, s[1]!, axes === 3 ? s[2]! : null],
    image: oneOf(b.image, "interpolation.image", ["linear", "cubic-spline", "nearest"] as const),
    rounding: oneOf(b.rounding ?? "none", "interpolation.rounding", [
      "nearest-integer",
      "none",
    ] as const),
    roi,
    partialVolumeThreshold: threshold,
  };
}

function resegmentationOf(value: unknown): IbsiResegmentationConfig {
  if (value === undefined || value === null) return { range: null, outlierSigma: null };
  const b = block(value, "resegmentation", ["range", "outliers"]);
  let range: IbsiResegmentationConfig["range"] = null;
  if (b.range !== undefined && b.range !== null) {
    if (!Array.isArray(b.range) || b.range.length !== 2)
      fail("resegmentation.range", `must be [lower, upper], got ${JSON.stringify(b.range)}`);
    const lower = finiteOrNull(b.range[0], "resegmentation.range[0]");
    const upper = finiteOrNull(b.range[1], "resegmentation.range[1]");
    if (lower !== null && upper !== null && lower > upper)
      fail("resegmentation.range", `lower bound ${lower} is above upper bound ${upper}`);
    range = [lower, upper];
  }
  const outlierSigma =
    b.outliers === undefined || b.outliers === null
      ? null
      : positiveNumber(b.outliers, "resegmentation.outliers");
  return { range, outlierSigma };
}

function binningOf(value: unknown, setting: string): IbsiBinning {
  if (value === undefined || value === null) return { method: "none" };
  // The IVH's fixed bins start at the re-segmentation range's minimum (IBSI-1 3.5): no lowerBound.
  const keys = ["method", "binWidth", "binCount"];
  const b = block(value, setting, setting === "ivh" ? keys : [...keys, "lowerBound"]);
  const method = oneOf(b.method, `${setting}.method`, ["none", "FBS", "FBN"] as const);
  const misplaced = (key: string) => {
    if (b[key] !== undefined) fail(`${setting}.${key}`, `does not apply to method ${method}`);
  };
  if (method === "none") {
    for (const key of ["binWidth", "binCount", "lowerBound"]) misplaced(key);
    return { method };
  }
  if (method === "FBS") {
    misplaced("binCount");
    return {
      method,
      binWidth: positiveNumber(b.binWidth, `${setting}.binWidth`),
      lowerBound: finiteOrNull(b.lowerBound, `${setting}.lowerBound`),
    };
  }
  misplaced("binWidth");
  misplaced("lowerBound");
  const binCount = b.binCount;
  if (typeof binCount !== "number" || !Number.isInteger(binCount) || binCount < 1)
    fail(`${setting}.binCount`, `must be a positive integer, got ${JSON.stringify(binCount)}`);
  return { method, binCount };
}

function textureOf(value: unknown): IbsiConfig["texture"] {
  if (value === undefined || value === null) return { aggregation: ["3D"], distance: 1 };
  const b = block(value, "texture", ["aggregation", "distance"]);
  const list = b.aggregation ?? ["3D"];
  if (!Array.isArray(list) || list.length === 0)
    fail("texture.aggregation", `must list one or more of 2D, 2.5D, 3D`);
  const aggregation = list.map((v, k) =>
    oneOf(String(v), `texture.aggregation[${k}]`, IBSI_TEXTURE_DIMENSIONS),
  );
  const distance = b.distance ?? 1;
  if (typeof distance !== "number" || !Number.isInteger(distance) || distance < 1)
    fail("texture.distance", `must be a positive integer, got ${JSON.stringify(distance)}`);
  return { aggregation: [...new Set(aggregation)], distance };
}

/** Parses and checks an IBSI parameter file's text. */
/**
 * The top level of an IBSI parameter file: a mapping that says `standard: ibsi` (checked first, so
 * a PyRadiomics file given with --standard ibsi is named as such), with only the given keys.
 */
function topLevel(text: string, source: string, keys: readonly string[]): Block {
  let raw: unknown;
  try {
    raw = yaml.load(text);
  } catch (err) {
    throw new IbsiSettingError(`${source}: not valid YAML (${(err as Error).message})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new IbsiSettingError(
      `${source}: an IBSI parameter file is a mapping (standard: ibsi, ...)`,
    );
  const top = raw as Block;
  if (top.standard !== "ibsi")
    fail(
      "standard",
      `an IBSI parameter file starts with 'standard: ibsi' (got ${JSON.stringify(top.standard)}); PyRadiomics parameter files are used without --standard ibsi`,
    );
  for (const key of Object.keys(top)) {
    if (!keys.includes(key)) fail(key, `unknown setting (valid: ${keys.join(", ")})`);
  }
  return top;
}

/**
 * A filter file for `radscore filter` (standard: ibsi and a filter block only: processing and
 * feature settings belong to extraction, and are refused rather than ignored).
 */
export function parseIbsiFilterFile(text: string, source = "IBSI filter file"): IbsiFilter {
  const top = topLevel(text, source, ["standard", "filter"]);
  if (top.filter === undefined || top.filter === null)
    fail("filter", "missing (type, dimensionality, boundary and the filter's settings)");
  return parseIbsiFilter(top.filter, "filter");
}

/** Parses and checks an IBSI parameter file's text. */
export function parseIbsiConfig(text: string, source = "IBSI parameter file"): IbsiConfig {
  const top = topLevel(text, source, TOP_LEVEL_KEYS);
  let label: number | null = null;
  if (top.label !== undefined && top.label !== null) {
    if (typeof top.label !== "number" || !Number.isInteger(top.label) || top.label < 1)
      fail("label", `must be a positive integer, got ${JSON.stringify(top.label)}`);
    label = top.label;
  }
  let families: IbsiFamily[] = [...IBSI_FAMILIES];
  if (top.families !== undefined && top.families !== null) {
    if (!Array.isArray(top.families) || top.families.length === 0)
      fail("families", `must list one or more of ${IBSI_FAMILIES.join(", ")}`);
    families = top.families.map((f, k) => oneOf(f, `families[${k}]`, IBSI_FAMILIES));
  }
  const config: IbsiConfig = {
    label,
    interpolation: interpolationOf(top.interpolation),
    resegmentation: resegmentationOf(top.resegmentation),
    discretisation: binningOf(top.discretisation, "discretisation"),
    ivh: binningOf(top.ivh, "ivh"),
    texture: textureOf(top.texture),
    families,
    filter:
      top.filter === undefined || top.filter === null
        ? null
        : parseIbsiFilter(top.filter, "filter"),
  };
  const needsLevels = families.some((f) => f === "intensity_histogram" || TEXTURE.has(f));
  if (needsLevels && config.discretisation.method === "none" && top.discretisation === undefined)
    fail(
      "discretisation",
      "missing: texture and intensity-histogram families need gray levels (FBS, FBN, or method: none for an image that holds gray levels already)",
    );
  return config;
}

const TEXTURE = new Set<IbsiFamily>(["glcm", "glrlm", "glszm", "gldzm", "ngtdm", "ngldm"]);
