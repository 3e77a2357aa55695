/**
 * IBSI-2's convolutional filters by name, as a parameter file's `filter:` block gives them
 * (docs/ibsi-mode.md): `type` picks the filter, `dimensionality` (2D: slice by slice along z, or 3D)
 * and `boundary` (zero, nearest, periodic, mirror) apply to all, the other keys are the filter's own
 * settings, spelled as its settings type spells them. Every key is checked when the file is read.
 */
import { IbsiSettingError } from "../types.js";
import type { FilterImage } from "./convolution.js";
import { checkGaborSettings, type GaborSettings, gaborFilter } from "./gabor.js";
import {
  checkLaplacianOfGaussianSettings,
  type LaplacianOfGaussianSettings,
  laplacianOfGaussian,
} from "./laplacian-of-gaussian.js";
import { checkLawsSettings, type LawsSettings, lawsFilter } from "./laws.js";
import { checkMeanFilterSettings, type MeanFilterSettings, meanFilter } from "./mean.js";
import {
  checkRieszLaplacianOfGaussianSettings,
  checkRieszSimoncelliSettings,
  type RieszLaplacianOfGaussianSettings,
  type RieszSimoncelliSettings,
  rieszLaplacianOfGaussian,
  rieszSimoncelli,
} from "./riesz.js";
import {
  checkSeparableWaveletSettings,
  type SeparableWaveletSettings,
  separableWavelet,
} from "./separable-wavelet.js";
import {
  checkSimoncelliSettings,
  type SimoncelliSettings,
  simoncelliWavelet,
} from "./simoncelli.js";

interface FilterSpec<S> {
  /** The filter's own keys (besides type, dimensionality, boundary). */
  keys: readonly string[];
  check: (settings: S) => void;
  run: (image: FilterImage, settings: S) => Float64Array;
}

const spec = <S>(s: FilterSpec<S>): FilterSpec<S> => s;

/** Every IBSI-2 filter radscore has, by its `type` name. */
const FILTERS = {
  mean: spec<MeanFilterSettings>({
    keys: ["support"],
    check: checkMeanFilterSettings,
    run: meanFilter,
  }),
  "laplacian-of-gaussian": spec<LaplacianOfGaussianSettings>({
    keys: ["sigma", "sigmaUnit", "truncate"],
    check: checkLaplacianOfGaussianSettings,
    run: laplacianOfGaussian,
  }),
  laws: spec<LawsSettings>({
    keys: ["kernel", "rotationInvariance", "pooling", "energyDistance"],
    check: checkLawsSettings,
    run: lawsFilter,
  }),
  gabor: spec<GaborSettings>({
    keys: ["sigma", "lambda", "gamma", "theta", "thetaStep", "pooling"],
    check: checkGaborSettings,
    run: gaborFilter,
  }),
  "separable-wavelet": spec<SeparableWaveletSettings>({
    keys: ["wavelet", "subband", "level", "rotationInvariance", "pooling"],
    check: checkSeparableWaveletSettings,
    run: separableWavelet,
  }),
  simoncelli: spec<SimoncelliSettings>({
    keys: ["level"],
    check: checkSimoncelliSettings,
    run: simoncelliWavelet,
  }),
  "riesz-laplacian-of-gaussian": spec<RieszLaplacianOfGaussianSettings>({
    keys: ["sigma", "truncate", "order"],
    check: checkRieszLaplacianOfGaussianSettings,
    run: rieszLaplacianOfGaussian,
  }),
  "riesz-simoncelli": spec<RieszSimoncelliSettings>({
    keys: ["level", "order"],
    check: checkRieszSimoncelliSettings,
    run: rieszSimoncelli,
  }),
} as const;

export type IbsiFilterType = keyof typeof FILTERS;
export const IBSI_FILTER_TYPES = Object.keys(FILTERS) as IbsiFilterType[];

/** A checked `filter:` block: the type and the filter's settings. */
export interface IbsiFilter {
  type: IbsiFilterType;
  settings: Record<string, unknown>;
}

const COMMON_KEYS = ["type", "dimensionality", "boundary"];

/** Checks a `filter:` block (keys, then the filter's own checks); the error names the setting. */
export function parseIbsiFilter(value: unknown, setting = "filter"): IbsiFilter {
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new IbsiSettingError(`${setting}: must be a mapping with type, dimensionality, boundary`);
  const block = value as Record<string, unknown>;
  const type = block.type;
  if (typeof type !== "string" || !(type in FILTERS))
    throw new IbsiSettingError(
      `${setting}.type: must be one of ${IBSI_FILTER_TYPES.join(", ")}, got ${JSON.stringify(type)}`,
    );
  const filter = FILTERS[type as IbsiFilterType] as FilterSpec<unknown>;
  const valid = [...COMMON_KEYS, ...filter.keys];
  for (const key of Object.keys(block)) {
    if (!valid.includes(key))
      throw new IbsiSettingError(
        `${setting}.${key}: not a setting of the ${type} filter (valid: ${valid.join(", ")})`,
      );
  }
  for (const key of ["dimensionality", "boundary"]) {
    if (block[key] === undefined)
      throw new IbsiSettingError(`${setting}.${key}: missing (every filter needs it)`);
  }
  const { type: _type, ...settings } = block;
  try {
    filter.check(settings);
  } catch (err) {
    if (err instanceof IbsiSettingError && !err.message.startsWith(`${setting}.`))
      throw new IbsiSettingError(`${setting}: ${err.message}`);
    throw err;
  }
  return { type: type as IbsiFilterType, settings };
}

/** The filter's response map on the image's grid. */
export function applyIbsiFilter(image: FilterImage, filter: IbsiFilter): Float64Array {
  return (FILTERS[filter.type] as FilterSpec<unknown>).run(image, filter.settings);
}
