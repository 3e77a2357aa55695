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

export interface IbsiExtraction {
  features: IbsiFeatureValue[];
  /**
   * The processed image (after interpolation and re-segmentation), for diagnostics: with
   * interpolation, the region around the ROI that the features read; with a filter, the response
   * map on that region.
   */
  image: IbsiImage;
  /**
   * With interpolation or a filter: where `image` lies in the interpolated grid; null: `image` is
   * the whole (original) grid.
   */
  region: GridBox | null;
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

/** Every feature of the parameter file's families for one image and mask. */
export function extractIbsiFeatures(
  image: Volume,
  mask: Volume,
  config: IbsiConfig,
  options: { label?: number } = {},
): IbsiExtraction {
  const label = options.label ?? config.label ?? undefined;
  const settings = processingSettingsOf(config);
  const wanted = new Set<IbsiFamily>(config.families);
  let processed: IbsiImage;
  let region: GridBox | null = null;
  if (config.filter !== null) {
    // IBSI-2: the filter runs on the interpolated image; the masks (re-segmented on the original
    // intensities) are kept, and every family reads the response map, around the ROI.
    const interpolated = processImage(image, mask, settings, label);
    const margin = featureMargin(interpolated.spacing, wanted.has("local_intensity"));
    ({ image: processed, region } = responseAroundRoi(interpolated, config.filter, margin));
  } else if (settings.interpolation !== null) {
    // Only the region the families read is interpolated: the ROI, its surface and the local
    // intensity sphere around it (whichever families are asked for, so the returned image does
    // not depend on them).
    const margin = featureMargin(interpolatedSpacing(image, settings.interpolation), true);
    ({ image: processed, region } = processImageAroundRoi(image, mask, settings, margin, label));
  } else {
    processed = processImage(image, mask, settings, label);
  }
  const texture = ["glcm", "glrlm", "glszm", "gldzm", "ngtdm", "ngldm"] as const;
  const needsLevels = wanted.has("intensity_histogram") || texture.some((f) => wanted.has(f));
  const levels = needsLevels
    ? grayLevelsOf(processed, config.discretisation, config, "discretisation")
    : null;
  const reported = new Set<IbsiAggregation>(
    config.texture.aggregation.flatMap((d) => AGGREGATIONS_OF[d]),
  );
  const features: IbsiFeatureValue[] = [];
  const add = (values: IbsiFeatureValue[], aggregated: boolean) => {
    for (const v of values) if (!aggregated || reported.has(v.aggregation)) features.push(v);
  };
  const size = processed.size;
  for (const family of config.families) {
    switch (family) {
      case "morphology":
        add(morphologyFeatures(processed), false);
        break;
      case "local_intensity":
        add(localIntensityFeatures(processed), false);
        break;
      case "intensity_statistics":
        add(intensityStatisticsFeatures(processed), false);
        break;
      case "intensity_histogram":
        add(intensityHistogramFeatures(levels!), false);
        break;
      case "intensity_volume_histogram":
        add(intensityVolumeHistogramFeatures(processed, ivhSettingsOf(config)), false);
        break;
      case "glcm":
        add(
          glcmFeatures(levels!, size, {
            distance: config.texture.distance,
            dimensions: config.texture.aggregation,
          }),
          true,
        );
        break;
      case "glrlm":
        add(glrlmFeatures(levels!, size, { dimensions: config.texture.aggregation }), true);
        break;
      case "glszm":
        add(glszmFeatures(levels!, size), true);
        break;
      case "gldzm":
        add(gldzmFeatures(levels!, processed), true);
        break;
      case "ngtdm":
        add(ngtdmFeatures(levels!, size), true);
        break;
      case "ngldm":
        add(ngldmFeatures(levels!, size), true);
        break;
    }
  }
  return { features, image: processed, region };
}
