/**
 * IBSI-mode extraction (issue #13): an image and mask through IBSI-1's processing chain (IBSI-1
 * manual, figure 2.1: interpolation -> re-segmentation -> discretisation) and every feature family
 * of the parameter file, as IBSI reports them (feature tag, aggregation code, value).
 *
 * With interpolation, only the region the families read is interpolated (the ROI's box grown by
 * the local intensity sphere; pipeline.ts, processImageAroundRoi), and the families run on it:
 * every value is that of the whole interpolated image. With an IBSI-2 `filter`, the families read
 * the filter's response map of the interpolated image (IBSI-2 phase 2), with the masks
 * re-segmented on the image's own intensities. The map is computed on the ROI's neighbourhood only
 * (response-map.ts: equal there to filtering the whole image), and the families run on that region.
 *
 * Morphology uses the morphological mask (the ROI after interpolation); intensity, histogram and
 * texture families the intensity mask (after re-segmentation). Texture families return every
 * aggregation; the parameter file's `texture.aggregation` selects which are reported.
 */
import type { Vec3, Volume } from "../image/volume.js";
import type { IbsiBinning, IbsiConfig, IbsiFamily } from "./config.js";
import { glcmFeatures } from "./features/glcm/index.js";
import { gldzmFeatures } from "./features/gldzm.js";
import { glrlmFeatures } from "./features/glrlm/index.js";
import { glszmFeatures } from "./features/glszm.js";
import { intensityHistogramFeatures } from "./features/intensity-histogram.js";
import { intensityStatisticsFeatures } from "./features/intensity-statistics.js";
import {
  type IbsiIvhDiscretisation,
  intensityVolumeHistogramFeatures,
} from "./features/intensity-volume-histogram.js";
import { localIntensityFeatures } from "./features/local-intensity.js";
import { morphologyFeatures } from "./features/morphology/index.js";
import { ngldmFeatures } from "./features/ngldm.js";
import { ngtdmFeatures } from "./features/ngtdm.js";
import { discretise, type IbsiDiscretisation } from "./processing/discretise.js";
import {
  type IbsiInterpolationSettings,
  type IbsiProcessingSettings,
  processImage,
  processImageAroundRoi,
} from "./processing/pipeline.js";
import { featureMargin, type GridBox, responseAroundRoi } from "./response-map.js";
import {
  type IbsiAggregation,
  type IbsiDiscretised,
  type IbsiFeatureValue,
  type IbsiImage,
  IbsiSettingError,
  type IbsiTextureDimension,
} from "./types.js";

/** Aggregation codes by the dimensions they aggregate over (IBSI-1 3.x texture aggregation). */
const AGGREGATIONS_OF: Record<IbsiTextureDimension, readonly IbsiAggregation[]> = {
  "2D": ["BTW3", "SUJT", "8QNN"],
  "2.5D": ["JJUI", "ZW7Z", "62GR"],
  "3D": ["ITBB", "IAZD", "KOBO"],
};

/** An image and mask through the parameter file's processing chain (no features yet). */
export interface IbsiProcessedCase {
  /**
   * The processed image (after interpolation and re-segmentation): with interpolation, the region
   * around the ROI that the features read; with a filter, the response map on that region.
   */
  image: IbsiImage;
  /**
   * With interpolation or a filter: where `image` lies in the interpolated grid; null: `image` is
   * the whole (original) grid.
   */
  region: GridBox | null;
}

export interface IbsiExtraction extends IbsiProcessedCase {
  features: IbsiFeatureValue[];
}

/** The processing part of a parameter file in the pipeline's terms. */
export function processingSettingsOf(config: IbsiConfig): IbsiProcessingSettings {
  const i = config.interpolation;
  const range = config.resegmentation.range;
  return {
    interpolation:
      i === null
        ? null
        : {
            inPlaneOnly: i.dimensions === "2D",
            spacing: i.spacing.filter((v): v is number => v !== null),
            imageMethod: i.image,
            roundIntensities: i.rounding === "nearest-integer",
            roiMethod: i.roi,
            ...(i.roi === "linear" ? { partialVolumeThreshold: i.partialVolumeThreshold } : {}),
          },
    resegmentation: {
      range:
        range === null
          ? null
          : {
              ...(range[0] !== null ? { lower: range[0] } : {}),
              ...(range[1] !== null ? { upper: range[1] } : {}),
            },
      outlierSigma: config.resegmentation.outlierSigma,
    },
  };
}

/**
 * The IVH discretisation in the IVH family's terms: with FBS or none, the re-segmentation range
 * bounds the IVH's intensities (IBSI-1 3.5); an open end comes from the ROI.
 */
function ivhSettingsOf(config: IbsiConfig): IbsiIvhDiscretisation {
  const range = config.resegmentation.range;
  const bounds =
    range === null
      ? {}
      : {
          resegmentationRange: [range[0] ?? -Infinity, range[1] ?? Infinity] as const,
        };
  const ivh = config.ivh;
  if (ivh.method === "FBN") return { method: "FBN", binCount: ivh.binCount };
  if (ivh.method === "FBS") return { method: "FBS", binWidth: ivh.binWidth, ...bounds };
  return { method: "none", ...bounds };
}

/**
 * The gray levels of the intensity mask: FBS from the re-segmentation range's minimum unless the
 * file gives a lower bound (IBSI-1 2.7.1), FBN over the ROI's range, or the intensities themselves
 * when they are gray levels already (`method: none`: positive integers required).
 */
export function grayLevelsOf(
  image: IbsiImage,
  binning: IbsiBinning,
  config: IbsiConfig,
  setting: string,
): IbsiDiscretised {
  if (binning.method === "none") return intensitiesAsLevels(image, setting);
  const settings: IbsiDiscretisation =
    binning.method === "FBS"
      ? {
          method: "FBS",
          binWidth: binning.binWidth,
          ...lowerBoundOf(binning.lowerBound, config),
        }
      : { method: "FBN", binCount: binning.binCount };
  return discretise(image, settings);
}

function lowerBoundOf(given: number | null, config: IbsiConfig): { lowerBound?: number } {
  const bound = given ?? config.resegmentation.range?.[0] ?? null;
  return bound === null ? {} : { lowerBound: bound };
}

function intensitiesAsLevels(image: IbsiImage, setting: string): IbsiDiscretised {
  const levels = new Int32Array(image.intensities.length);
  let nLevels = 0;
  for (let k = 0; k < levels.length; k++) {
    if (image.intensityMask[k] === 0) continue;
    const v = image.intensities[k]!;
    if (!Number.isInteger(v) || v < 1)
      throw new IbsiSettingError(
        `${setting}.method: none needs intensities that are gray levels (integers >= 1); voxel ${k} holds ${v}. Use FBS or FBN`,
      );
    levels[k] = v;
    if (v > nLevels) nLevels = v;
  }
  return { levels, nLevels };
}

/** The voxel spacing after interpolation: the new spacing, z kept by in-plane interpolation. */
function interpolatedSpacing(image: Volume, interpolation: IbsiInterpolationSettings): Vec3 {
  const s = interpolation.spacing;
  return [s[0]!, s[1]!, interpolation.inPlaneOnly ? image.spacing[2] : s[2]!];
}

/**
 * IBSI-1's processing chain of the parameter file (interpolation, re-segmentation; an IBSI-2
 * filter) on one image and mask: what every family reads.
 */
export function processIbsiCase(
  image: Volume,
  mask: Volume,
  config: IbsiConfig,
  options: { label?: number } = {},
): IbsiProcessedCase {
  const label = options.label ?? config.label ?? undefined;
  const settings = processingSettingsOf(config);
  if (config.filter !== null) {
    // IBSI-2: the filter runs on the interpolated image; the masks (re-segmented on the original
    // intensities) are kept, and every family reads the response map, around the ROI.
    const interpolated = processImage(image, mask, settings, label);
    const margin = featureMargin(interpolated.spacing, config.families.includes("local_intensity"));
    return responseAroundRoi(interpolated, config.filter, margin);
  }
  if (settings.interpolation !== null) {
    // Only the region the families read is interpolated: the ROI, its surface and the local
    // intensity sphere around it (whichever families are asked for, so the returned image does
    // not depend on them).
    const margin = featureMargin(interpolatedSpacing(image, settings.interpolation), true);
    return processImageAroundRoi(image, mask, settings, margin, label);
  }
  return { image: processImage(image, mask, settings, label), region: null };
}

/** Families that read the gray levels (the discretised intensity mask). */
const LEVEL_FAMILIES: ReadonlySet<IbsiFamily> = new Set([
  "intensity_histogram",
  "glcm",
  "glrlm",
  "glszm",
  "gldzm",
  "ngtdm",
  "ngldm",
]);

/**
 * The features of `families` (a subset of the parameter file's, in any order) on a processed
 * image, family by family in the order given; texture families report the file's aggregations.
 */
export function ibsiFamilyFeatures(
  processed: IbsiImage,
  config: IbsiConfig,
  families: readonly IbsiFamily[],
): Map<IbsiFamily, IbsiFeatureValue[]> {
  const levels = families.some((f) => LEVEL_FAMILIES.has(f))
    ? grayLevelsOf(processed, config.discretisation, config, "discretisation")
    : null;
  const reported = new Set<IbsiAggregation>(
    config.texture.aggregation.flatMap((d) => AGGREGATIONS_OF[d]),
  );
  const aggregated = (values: IbsiFeatureValue[]) =>
    values.filter((v) => reported.has(v.aggregation));
  const size = processed.size;
  // Texture families compute only the aggregations the file asks for.
  const dimensions = config.texture.aggregation;
  const byFamily = new Map<IbsiFamily, IbsiFeatureValue[]>();
  for (const family of families) {
    byFamily.set(family, familyFeatures(family));
  }
  return byFamily;

  function familyFeatures(family: IbsiFamily): IbsiFeatureValue[] {
    switch (family) {
      case "morphology":
        return morphologyFeatures(processed);
      case "local_intensity":
        return localIntensityFeatures(processed);
      case "intensity_statistics":
        return intensityStatisticsFeatures(processed);
      case "intensity_histogram":
        return intensityHistogramFeatures(levels!);
      case "intensity_volume_histogram":
        return intensityVolumeHistogramFeatures(processed, ivhSettingsOf(config));
      case "glcm":
        return aggregated(
          glcmFeatures(levels!, size, {
            distance: config.texture.distance,
            dimensions,
          }),
        );
      case "glrlm":
        return aggregated(glrlmFeatures(levels!, size, { dimensions }));
      case "glszm":
        return aggregated(glszmFeatures(levels!, size, dimensions));
      case "gldzm":
        return aggregated(gldzmFeatures(levels!, processed, dimensions));
      case "ngtdm":
        return aggregated(ngtdmFeatures(levels!, size, dimensions));
      case "ngldm":
        return aggregated(ngldmFeatures(levels!, size, dimensions));
    }
  }
}

/** The families' features in the parameter file's order of families. */
export function inFileOrder(
  config: IbsiConfig,
  byFamily: ReadonlyMap<IbsiFamily, IbsiFeatureValue[]>,
): IbsiFeatureValue[] {
  return config.families.flatMap((family) => {
    const values = byFamily.get(family);
    if (!values) throw new Error(`IBSI family ${family} was not computed`);
    return values;
  });
}

/** Every feature of the parameter file's families for one image and mask. */
export function extractIbsiFeatures(
  image: Volume,
  mask: Volume,
  config: IbsiConfig,
  options: { label?: number } = {},
): IbsiExtraction {
  const { image: processed, region } = processIbsiCase(image, mask, config, options);
  const byFamily = ibsiFamilyFeatures(processed, config, config.families);
  return { features: inFileOrder(config, byFamily), image: processed, region };
}
