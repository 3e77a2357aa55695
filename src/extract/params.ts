/**
 * PyRadiomics parameter files, accepted unchanged: `setting`, `imageType` (with per-image-type
 * settings), `featureClass` and `voxelSetting`, validated like PyRadiomics' paramSchema.yaml.
 * Every error names the offending key and lists the valid ones.
 */
import yaml from "js-yaml";
import { pythonFloatString } from "./python-format.js";

export type WeightingNormSetting = null | "manhattan" | "euclidean" | "infinity" | "no_weighting";
export type ResegmentMode = "absolute" | "relative" | "sigma";

/** All settings PyRadiomics understands (global `setting` or per image type). */
export interface Settings {
  minimumROIDimensions: number;
  minimumROISize: number | null;
  geometryTolerance: number | null;
  correctMask: boolean;
  additionalInfo: boolean;
  label: number;
  label_channel: number;
  binWidth: number;
  binCount: number | null;
  normalize: boolean;
  normalizeScale: number;
  removeOutliers: number | null;
  resampledPixelSpacing: number[] | null;
  interpolator: string | number | null;
  padDistance: number;
  distances: number[];
  force2D: boolean;
  force2Ddimension: 0 | 1 | 2;
  resegmentRange: number[] | null;
  resegmentMode: ResegmentMode;
  resegmentShape: boolean;
  preCrop: boolean;
  sigma: number[];
  start_level: number;
  level: number;
  wavelet: string;
  gradientUseSpacing: boolean;
  lbp2DRadius: number;
  lbp2DSamples: number;
  lbp2DMethod: "default" | "ror" | "uniform" | "var";
  lbp3DLevels: number;
  lbp3DIcosphereRadius: number;
  lbp3DIcosphereSubdivision: number;
  voxelArrayShift: number;
  symmetricalGLCM: boolean;
  weightingNorm: WeightingNormSetting;
  gldm_a: number;
  /**
   * How PyRadiomics would print each sigma (Python str of the YAML value: "1" for an integer,
   * "1.0" for a float); it names the LoG images. Derived while parsing, not a user setting.
   */
  sigmaLabels: string[] | null;
}

/** PyRadiomics' defaults (featureextractor._getDefaultSettings plus each class' and filter's own). */
export const DEFAULT_SETTINGS: Settings = {
  minimumROIDimensions: 2,
  minimumROISize: null,
  geometryTolerance: null,
  correctMask: false,
  additionalInfo: true,
  label: 1,
  label_channel: 0,
  binWidth: 25,
  binCount: null,
  normalize: false,
  normalizeScale: 1,
  removeOutliers: null,
  resampledPixelSpacing: null,
  interpolator: "sitkBSpline",
  padDistance: 5,
  distances: [1],
  force2D: false,
  force2Ddimension: 0,
  resegmentRange: null,
  resegmentMode: "absolute",
  resegmentShape: false,
  preCrop: false,
  sigma: [],
  start_level: 0,
  level: 1,
  wavelet: "coif1",
  gradientUseSpacing: true,
  lbp2DRadius: 1,
  lbp2DSamples: 8,
  lbp2DMethod: "uniform",
  lbp3DLevels: 2,
  lbp3DIcosphereRadius: 1,
  lbp3DIcosphereSubdivision: 1,
  voxelArrayShift: 0,
  symmetricalGLCM: true,
  weightingNorm: null,
  gldm_a: 0,
  sigmaLabels: null,
};

export const IMAGE_TYPES = [
  "Original",
  "LoG",
  "Wavelet",
  "Square",
  "SquareRoot",
  "Logarithm",
  "Exponential",
  "Gradient",
  "LBP2D",
  "LBP3D",
] as const;
export type ImageTypeName = (typeof IMAGE_TYPES)[number];

export const INTERPOLATORS = [
  "sitkNearestNeighbor",
  "sitkLinear",
  "sitkBSpline",
  "sitkGaussian",
  "sitkLabelGaussian",
  "sitkHammingWindowedSinc",
  "sitkCosineWindowedSinc",
  "sitkWelchWindowedSinc",
  "sitkLanczosWindowedSinc",
  "sitkBlackmanWindowedSinc",
] as const;

const VOXEL_SETTINGS = ["kernelRadius", "maskedKernel", "initValue", "voxelBatch"] as const;

/** A validated parameter set. */
export interface Params {
  settings: Settings;
  /** Enabled image types in file order, each with its own setting overrides. */
  imageTypes: { name: ImageTypeName; settings: Partial<Settings> }[];
  /**
   * Enabled feature classes in file order; `null` = every non-deprecated feature of the class,
   * a list = exactly those features (deprecated ones allowed when named).
   */
  featureClasses: { name: string; features: string[] | null }[];
  voxelSettings: Record<string, unknown>;
}

export class ParamsError extends Error {}

type Check = (value: unknown, where: string) => unknown;

const fail = (where: string, message: string): never => {
  throw new ParamsError(`${where}: ${message}`);
};
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

const int =
  (opts: { min?: number; minEx?: number; max?: number } = {}): Check =>
  (v, where) => {
    if (!isNum(v) || !Number.isInteger(v)) fail(where, `expected an integer, got ${show(v)}`);
    const n = v as number;
    if (opts.min !== undefined && n < opts.min) fail(where, `must be >= ${opts.min}, got ${n}`);
    if (opts.minEx !== undefined && n <= opts.minEx)
      fail(where, `must be > ${opts.minEx}, got ${n}`);
    if (opts.max !== undefined && n > opts.max) fail(where, `must be <= ${opts.max}, got ${n}`);
    return n;
  };
const float =
  (opts: { min?: number; minEx?: number } = {}): Check =>
  (v, where) => {
    if (!isNum(v)) fail(where, `expected a number, got ${show(v)}`);
    const n = v as number;
    if (opts.min !== undefined && n < opts.min) fail(where, `must be >= ${opts.min}, got ${n}`);
    if (opts.minEx !== undefined && n <= opts.minEx)
      fail(where, `must be > ${opts.minEx}, got ${n}`);
    return n;
  };
const bool: Check = (v, where) => {
  if (typeof v !== "boolean") fail(where, `expected true or false, got ${show(v)}`);
  return v;
};
const oneOf =
  (values: readonly string[]): Check =>
  (v, where) => {
    if (typeof v !== "string" || !values.includes(v)) {
      fail(where, `got ${show(v)}; valid values: ${values.join(", ")}`);
    }
    return v;
  };
const seq =
  (item: Check, opts: { minLength?: number; maxLength?: number } = {}): Check =>
  (v, where) => {
    if (!Array.isArray(v)) fail(where, `expected a list, got ${show(v)}`);
    const arr = v as unknown[];
    if (opts.minLength !== undefined && arr.length < opts.minLength) {
      fail(where, `needs at least ${opts.minLength} value(s)`);
    }
    if (opts.maxLength !== undefined && arr.length > opts.maxLength) {
      fail(where, `takes at most ${opts.maxLength} values`);
    }
    return arr.map((x, i) => item(x, `${where}[${i}]`));
  };
const nullable =
  (check: Check): Check =>
  (v, where) =>
    v === null || v === undefined ? null : check(v, where);

const interpolator: Check = (v, where) => {
  if (v === null || v === undefined) return null;
  if (typeof v === "string") return oneOf(INTERPOLATORS)(v, where);
  if (isNum(v) && Number.isInteger(v) && v >= 1 && v <= 10) return v;
  return fail(
    where,
    `got ${show(v)}; valid values: ${INTERPOLATORS.join(", ")} or an integer 1-10`,
  );
};

/** Per-key validators, mirroring PyRadiomics' paramSchema.yaml. */
const SETTING_CHECKS: Record<keyof Settings, Check> = {
  minimumROIDimensions: int({ min: 1, max: 3 }),
  minimumROISize: nullable(int({ minEx: 0 })),
  geometryTolerance: nullable(float({ minEx: 0 })),
  correctMask: bool,
  additionalInfo: bool,
  label: int({ minEx: 0 }),
  label_channel: int({ min: 0 }),
  binWidth: float({ minEx: 0 }),
  binCount: nullable(int({ minEx: 0 })),
  normalize: bool,
  normalizeScale: float({ minEx: 0 }),
  removeOutliers: nullable(float({ minEx: 0 })),
  resampledPixelSpacing: nullable(seq(float({ min: 0 }))),
  interpolator,
  padDistance: int({ min: 0 }),
  distances: seq(int({ minEx: 0 }), { minLength: 1 }),
  force2D: bool,
  force2Ddimension: int({ min: 0, max: 2 }),
  resegmentRange: nullable(seq(float(), { minLength: 1, maxLength: 2 })),
  resegmentMode: oneOf(["absolute", "relative", "sigma"]),
  resegmentShape: bool,
  preCrop: bool,
  sigma: seq(float({ minEx: 0 })),
  start_level: int({ min: 0 }),
  level: int({ minEx: 0 }),
  wavelet: (v, where) => {
    if (typeof v !== "string" || v === "") fail(where, `expected a wavelet name, got ${show(v)}`);
    return v;
  },
  gradientUseSpacing: bool,
  lbp2DRadius: float({ minEx: 0 }),
  lbp2DSamples: int({ min: 1 }),
  lbp2DMethod: oneOf(["default", "ror", "uniform", "var"]),
  lbp3DLevels: int({ min: 1 }),
  lbp3DIcosphereRadius: float({ minEx: 0 }),
  lbp3DIcosphereSubdivision: int({ min: 0 }),
  voxelArrayShift: int(),
  symmetricalGLCM: bool,
  weightingNorm: (v, where) =>
    v === null || v === undefined
      ? null
      : oneOf(["manhattan", "euclidean", "infinity", "no_weighting"])(v, where),
  gldm_a: int({ min: 0 }),
  sigmaLabels: (_v, where) => fail(where, "sigmaLabels is derived from sigma and cannot be set"),
};

export const SETTING_NAMES = (Object.keys(SETTING_CHECKS) as (keyof Settings)[]).filter(
  (k) => k !== "sigmaLabels",
);

/** YAML integers arrive as bigint (parseParams keeps them apart from floats); convert them. */
function plainNumbers(v: unknown): unknown {
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(plainNumbers);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plainNumbers(x)]),
    );
  }
  return v;
}

function show(v: unknown): string {
  return v === undefined ? "nothing" : JSON.stringify(v);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function validateSettings(raw: unknown, where: string): Partial<Settings> {
  if (raw === null || raw === undefined) return {};
  if (!isRecord(raw)) fail(where, `expected a mapping of settings, got ${show(raw)}`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const check = SETTING_CHECKS[key as keyof Settings];
    if (!check || key === "sigmaLabels") {
      fail(`${where}.${key}`, `unknown setting; valid settings: ${SETTING_NAMES.join(", ")}`);
    }
    out[key] = check!(plainNumbers(value), `${where}.${key}`);
    if (key === "sigma" && Array.isArray(value)) {
      out.sigmaLabels = value.map((v) =>
        typeof v === "bigint" ? String(v) : pythonFloatString(Number(v)),
      );
    }
  }
  return out as Partial<Settings>;
}

/** Feature catalogue the parser validates feature names against (class name -> feature names). */
export type FeatureCatalogue = Record<string, readonly string[]>;

/**
 * Validate a parameter object (the parsed YAML/JSON). `catalogue` lists the known feature classes
 * and their features, in PyRadiomics' class order (used when featureClass is empty).
 */
export function validateParams(
  raw: unknown,
  catalogue: FeatureCatalogue,
  source = "parameters",
): Params {
  if (raw === null || raw === undefined) raw = {};
  if (!isRecord(raw)) fail(source, "the parameter file must be a mapping");
  for (const section of ["featureClass", "voxelSetting"]) {
    if (section in (raw as Record<string, unknown>)) {
      (raw as Record<string, unknown>)[section] = plainNumbers(
        (raw as Record<string, unknown>)[section],
      );
    }
  }
  const doc = raw as Record<string, unknown>;
  const sections = ["setting", "imageType", "featureClass", "voxelSetting"];
  for (const key of Object.keys(doc)) {
    if (!sections.includes(key))
      fail(`${source}: ${key}`, `unknown section; valid sections: ${sections.join(", ")}`);
  }
  const settings: Settings = {
    ...DEFAULT_SETTINGS,
    ...validateSettings(doc.setting, `${source}: setting`),
  };

  const imageTypes: Params["imageTypes"] = [];
  if (doc.imageType !== undefined && doc.imageType !== null) {
    if (!isRecord(doc.imageType)) fail(`${source}: imageType`, "expected a mapping of image types");
    for (const [name, custom] of Object.entries(doc.imageType as Record<string, unknown>)) {
      if (!(IMAGE_TYPES as readonly string[]).includes(name)) {
        fail(
          `${source}: imageType.${name}`,
          `unknown image type; valid image types: ${IMAGE_TYPES.join(", ")}`,
        );
      }
      imageTypes.push({
        name: name as ImageTypeName,
        settings: validateSettings(custom, `${source}: imageType.${name}`),
      });
    }
  }
  if (imageTypes.length === 0) imageTypes.push({ name: "Original", settings: {} });

  const featureClasses: Params["featureClasses"] = [];
  if (doc.featureClass !== undefined && doc.featureClass !== null) {
    if (!isRecord(doc.featureClass))
      fail(`${source}: featureClass`, "expected a mapping of feature classes");
    for (const [name, list] of Object.entries(doc.featureClass as Record<string, unknown>)) {
      const known = catalogue[name];
      if (!known) {
        fail(
          `${source}: featureClass.${name}`,
          `unknown feature class; valid classes: ${Object.keys(catalogue).join(", ")}`,
        );
      }
      if (list === null || list === undefined) {
        featureClasses.push({ name, features: null });
        continue;
      }
      if (!Array.isArray(list))
        fail(`${source}: featureClass.${name}`, "expected a list of feature names or nothing");
      const features = (list as unknown[]).map((f, i) => {
        if (typeof f !== "string" || !known!.includes(f)) {
          fail(
            `${source}: featureClass.${name}[${i}]`,
            `unknown feature ${show(f)}; valid features: ${known!.join(", ")}`,
          );
        }
        return f as string;
      });
      featureClasses.push({ name, features });
    }
  }
  if (featureClasses.length === 0) {
    for (const name of Object.keys(catalogue)) featureClasses.push({ name, features: null });
  }

  const voxelSettings: Record<string, unknown> = {};
  if (doc.voxelSetting !== undefined && doc.voxelSetting !== null) {
    if (!isRecord(doc.voxelSetting)) fail(`${source}: voxelSetting`, "expected a mapping");
    for (const [key, value] of Object.entries(doc.voxelSetting as Record<string, unknown>)) {
      if (!(VOXEL_SETTINGS as readonly string[]).includes(key)) {
        fail(
          `${source}: voxelSetting.${key}`,
          `unknown voxel setting; valid: ${VOXEL_SETTINGS.join(", ")}`,
        );
      }
      voxelSettings[key] = value;
    }
  }
  return { settings, imageTypes, featureClasses, voxelSettings };
}

/**
 * YAML 1.2's core schema (null, bool, int, float; no timestamps or merge keys), with integers read
 * as bigint so that `sigma: [1]` and `sigma: [1.0]` stay apart, as int and float do in Python.
 */
const PARAMS_YAML_SCHEMA = (() => {
  // js-yaml 4 exports its built-in types as `types` (not in @types/js-yaml 4.0.9).
  const builtin = (
    yaml as unknown as { types: Record<"null" | "bool" | "int" | "float", yaml.Type> }
  ).types;
  return yaml.FAILSAFE_SCHEMA.extend({
    implicit: [
      builtin.null,
      builtin.bool,
      new yaml.Type("tag:yaml.org,2002:int", {
        kind: "scalar",
        resolve: (text: string) => builtin.int.resolve(text),
        construct: (text: string) => BigInt(builtin.int.construct(text) as number),
      }),
      builtin.float,
    ],
  });
})();

/** Parse PyRadiomics YAML (or JSON) parameter text. */
export function parseParams(
  text: string,
  catalogue: FeatureCatalogue,
  source = "parameters",
): Params {
  let raw: unknown;
  try {
    raw = yaml.load(text, { schema: PARAMS_YAML_SCHEMA });
  } catch (err) {
    throw new ParamsError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  return validateParams(raw, catalogue, source);
}

/**
 * PyRadiomics' behaviour without a parameter file: default settings, the Original image, every
 * feature class of the catalogue but shape2D.
 */
export function defaultParams(catalogue: FeatureCatalogue): Params {
  const classes = Object.fromEntries(
    Object.keys(catalogue)
      .filter((c) => c !== "shape2D")
      .map((c) => [c, null]),
  );
  return validateParams({ featureClass: classes }, catalogue, "defaults");
}

/** The settings in force for one image type: global settings overridden by its own. */
export function settingsFor(params: Params, imageType: { settings: Partial<Settings> }): Settings {
  return { ...params.settings, ...imageType.settings };
}
