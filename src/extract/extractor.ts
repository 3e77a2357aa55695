/**
 * The extraction pipeline, step for step as PyRadiomics' RadiomicsFeatureExtractor.execute:
 * 1. select the label (getMask); 2. normalise, then resample or pre-crop (loadImage);
 * 3. check the mask against the image and the ROI (checkMask, correctMask);
 * 4. resegment; 5. shape features on the mask cropped to the bounding box;
 * 6. for every image type: crop image and mask to the bounding box (no padding) and compute every
 * enabled feature class on it. Pure: volumes in, numbers out (no file access).
 */

import { computeFirstOrderFeatures, FIRSTORDER_CLASS } from "../features/firstorder.js";
import { computeGlcmFeatures } from "../features/glcm.js";
import { computeGldmFeatures } from "../features/gldm.js";
import { computeGlrlmFeatures } from "../features/glrlm.js";
import { computeGlszmFeatures } from "../features/glszm.js";
import { computeNgtdmFeatures } from "../features/ngtdm.js";
import { enabledFeatureNames, featureClassInfo } from "../features/registry.js";
import { computeShapeFeatures } from "../features/shape.js";
import { computeShape2DFeatures } from "../features/shape2d.js";
import {
  DEFAULT_TEXTURE_SETTINGS,
  type DiscretisedRoi,
  type TextureSettings,
} from "../features/types.js";
import { FILTERS } from "../filters/index.js";
import { discretiseRoi, gatherRoiValues, roiIndices } from "../image/discretise.js";
import {
  type BoundingBox,
  checkRoi,
  cropBounds,
  cropRoi,
  cropVolume,
  geometryMismatch,
  type RoiBox,
  RoiError,
  resampleMaskToImage,
  selectLabel,
} from "../image/mask.js";
import { normalizeImage, resegmentRoi } from "../image/preprocess.js";
import type { Vec3, Volume } from "../image/volume.js";
import { countNonFinite } from "../kernels/masks.js";
import { type DerivedImage, ExtractionError, type FilterProvider } from "./derived.js";
import { type Params, type Settings, settingsFor } from "./params.js";

export { type DerivedImage, ExtractionError, type FilterProvider } from "./derived.js";

export interface ExtractOptions {
  /** Overrides the `label` setting. */
  label?: number;
  filters?: FilterProvider;
  /**
   * Called after each derived image's features are computed, with its name, the position of its
   * image type in params.imageTypes and its features (also in the result).
   */
  onProgress?: (done: string, imageTypeIndex: number, features: Record<string, number>) => void;
  /**
   * Receives every image features are computed from (original, after normalisation / resampling,
   * and each derived image) and the ROI mask on its grid, e.g. to save them for inspection.
   */
  onImage?: (name: string, image: Volume, roi: Volume<Uint8Array>) => void;
}

export interface ExtractionResult {
  /** `<imageType>_<class>_<feature>` -> value, in PyRadiomics' order; NaN where undefined. */
  features: Record<string, number>;
  diagnostics: Record<string, unknown>;
}

/**
 * A case after PyRadiomics' pre-processing (steps 1-4: label selection, normalisation, resampling
 * or pre-cropping, mask checks, resegmentation), ready for the feature classes. Plain data (typed
 * arrays, numbers), so it can be sent to a worker thread.
 */
export interface PreparedCase {
  settings: Settings;
  /** The image features are computed from (normalised / resampled / pre-cropped). */
  image: Volume;
  /** ROI for texture and first-order classes (after resegmentation). */
  roi: Uint8Array;
  /** ROI for the shape classes (the resegmented one only with resegmentShape). */
  shapeRoi: Uint8Array;
  box: RoiBox;
  diagnostics: Record<string, unknown>;
}

/** Run the whole pipeline on one image / mask pair. */
export function extractFeatures(
  image: Volume,
  mask: Volume,
  params: Params,
  options: ExtractOptions = {},
): ExtractionResult {
  return extractPrepared(prepareExtraction(image, mask, params, options), params, options);
}

/** Steps 1-4 of the pipeline (see PreparedCase). */
export function prepareExtraction(
  image: Volume,
  mask: Volume,
  params: Params,
  options: Pick<ExtractOptions, "label" | "filters"> = {},
): PreparedCase {
  const filters = options.filters ?? FILTERS;
  const settings: Settings = { ...params.settings };
  if (options.label !== undefined) settings.label = options.label;
  const label = settings.label;
  const diagnostics: Record<string, unknown> = {};

  // 1. getMask: the label must be present.
  let roi = selectLabel(mask, label);

  // 2. loadImage: normalise, then resample or pre-crop.
  let img = image;
  let msk = mask;
  if (settings.normalize) {
    assertFinite(img.data, null, "image");
    img = normalizeImage(img, settings.normalizeScale, settings.removeOutliers);
  }
  if (settings.interpolator !== null && settings.resampledPixelSpacing !== null) {
    if (!filters.resample) {
      throw new ExtractionError(
        "resampledPixelSpacing is set, but resampling is not available in this build",
      );
    }
    const resampled = filters.resample(img, msk, settings);
    img = resampled.image;
    msk = resampled.mask;
    roi = selectLabel(msk, label);
  } else if (settings.preCrop) {
    const checked = checkMask(img, msk, roi, settings);
    const bounds = cropBounds(checked.box, img.size, settings.padDistance);
    img = cropVolume(img, bounds);
    msk = cropVolume(checked.mask, bounds);
    roi = cropRoi(checked.roi, checked.mask.size, bounds);
  }

  // 3. checkMask (geometry, correctMask, ROI dimensionality and size).
  const checked = checkMask(img, msk, roi, settings);
  msk = checked.mask;
  roi = checked.roi;
  let box = checked.box;
  assertFinite(img.data, roi, "image");
  diagnostics["diagnostics_Mask-original_BoundingBox"] = boxDiagnostic(box);
  diagnostics["diagnostics_Mask-original_VoxelNum"] = box.count;

  // 4. Resegmentation (shape keeps the original ROI unless resegmentShape).
  let shapeRoi = roi;
  if (settings.resegmentRange !== null) {
    const resegmented = resegmentRoi(
      img.data,
      roi,
      settings.resegmentRange,
      settings.resegmentMode,
    );
    box = checkRoi(resegmented, img.size, settings);
    if (settings.resegmentShape) shapeRoi = resegmented;
    roi = resegmented;
    diagnostics["diagnostics_Mask-resegmented_VoxelNum"] = box.count;
  }
  return { settings, image: img, roi, shapeRoi, box, diagnostics };
}

/**
 * Steps 5-6 of the pipeline on a prepared case: shape, then every image type of params (its
 * derived images and their feature classes). `params` must be those the case was prepared with,
 * or the same with fewer image types or feature classes (see split.ts).
 */
export function extractPrepared(
  prepared: PreparedCase,
  params: Params,
  options: ExtractOptions = {},
): ExtractionResult {
  const filters = options.filters ?? FILTERS;
  const { settings, image: img, roi, shapeRoi, box } = prepared;
  const diagnostics = { ...prepared.diagnostics };
  const features: Record<string, number> = {};

  // 5. Shape, on the mask cropped to the bounding box (PyRadiomics computeShape).
  computeShape(params, settings, img, shapeRoi, box, features);

  // 6. Every image type, cropped to the bounding box without padding. Filters compute only that
  // box, unless the whole derived images are wanted (onImage).
  const croppedRoi = cropRoi(roi, img.size, box);
  const roiIndex = roiIndices(croppedRoi);
  const region = options.onImage ? undefined : box;
  for (const [imageTypeIndex, imageType] of params.imageTypes.entries()) {
    for (const d of derivedImagesOf(params, imageType, img, roi, filters, region, options.label)) {
      options.onImage?.(d.name, d.image, { ...d.image, data: roi });
      const cropped = cropVolume(d.image, box);
      const values: Record<string, number> = {};
      computeClasses(params, d, cropped, croppedRoi, roiIndex, values);
      Object.assign(features, values);
      options.onProgress?.(d.name, imageTypeIndex, values);
    }
  }
  return { features, diagnostics };
}

/**
 * The images features are computed from for one image type of `params`: the image itself for
 * Original, else the filter's derived images (computed inside `region` when given), each with the
 * image type's settings (and the caller's label, when it overrides the parameters').
 */
export function derivedImagesOf(
  params: Params,
  imageType: Params["imageTypes"][number],
  image: Volume,
  roi: Uint8Array,
  filters: FilterProvider,
  region: BoundingBox | undefined,
  label: number | undefined,
): Iterable<DerivedImage> {
  const typeSettings = settingsFor(params, imageType);
  if (label !== undefined) typeSettings.label = label;
  return imageType.name === "Original"
    ? [{ name: "original", image, settings: typeSettings }]
    : filters.derivedImages(imageType.name, image, roi, typeSettings, region);
}

function boxDiagnostic(box: BoundingBox): number[] {
  return [...box.lower, ...box.upper.map((u, a) => u - box.lower[a]! + 1)];
}

/** Geometry check with optional mask correction, then the ROI checks. */
function checkMask(
  image: Volume,
  mask: Volume,
  roi: Uint8Array,
  settings: Settings,
): { mask: Volume; roi: Uint8Array; box: RoiBox } {
  let msk = mask;
  let selected = roi;
  const mismatch = geometryMismatch(image, mask, settings.geometryTolerance);
  if (mismatch) {
    if (!settings.correctMask) {
      throw new RoiError(
        `image/mask geometry mismatch: ${mismatch}. Potential fix: increase geometryTolerance, or enable correctMask to resample the mask onto the image grid`,
      );
    }
    msk = resampleMaskToImage(image, mask, settings.label);
    selected = selectLabel(msk, settings.label);
  }
  const box = checkRoi(selected, image.size, settings);
  return { mask: msk, roi: selected, box };
}

function assertFinite(data: ArrayLike<number>, roi: Uint8Array | null, what: string): void {
  if (!(data instanceof Float32Array || data instanceof Float64Array)) return;
  const bad = countNonFinite(data, roi);
  if (bad > 0) {
    throw new ExtractionError(
      `${what} has ${bad} non-finite (NaN or infinite) voxel value(s)${roi ? " inside the ROI" : ""}; cannot extract features`,
    );
  }
}

function computeShape(
  params: Params,
  settings: Settings,
  image: Volume,
  roi: Uint8Array,
  box: BoundingBox,
  out: Record<string, number>,
): void {
  const size = boxSize(box);
  for (const fc of params.featureClasses) {
    if (fc.name === "shape" && image.dimension === 3) {
      const names = enabledFeatureNames(featureClassInfo("shape"), fc.features);
      const values = computeShapeFeatures(
        cropRoi(roi, image.size, box),
        size,
        image.spacing,
        names,
      );
      for (const n of names) if (n in values) out[`original_shape_${n}`] = values[n]!;
    }
  }
  for (const fc of params.featureClasses) {
    if (fc.name !== "shape2D") continue;
    const names = enabledFeatureNames(featureClassInfo("shape2D"), fc.features);
    let mask2d: Uint8Array;
    let size2d: Vec3;
    let spacing2d: Vec3;
    if (image.dimension === 2) {
      mask2d = cropRoi(roi, image.size, box);
      size2d = size;
      spacing2d = [...image.spacing];
    } else {
      // PyRadiomics computeShape indexes the (x, y, z) bounding-box size with the numpy axis
      // force2Ddimension; reproduced as is, so the same masks are accepted and rejected.
      if (!settings.force2D) continue;
      const dim = settings.force2Ddimension;
      if (!(size[dim]! > 1)) continue;
      const numpyAxisSize = size[2 - dim]!;
      if (numpyAxisSize > 1) {
        throw new RoiError(
          `size of the mask in dimension ${dim} is more than 1, cannot compute 2D shape`,
        );
      }
      ({
        mask: mask2d,
        size: size2d,
        spacing: spacing2d,
      } = squeezeAxis(cropRoi(roi, image.size, box), size, image.spacing, 2 - dim));
    }
    const values = computeShape2DFeatures(mask2d, size2d, spacing2d, names);
    for (const n of names) if (n in values) out[`original_shape2D_${n}`] = values[n]!;
  }
}

/** Drop a size-1 axis (x=0, y=1, z=2) of a 3D array, keeping the other two in order. */
function squeezeAxis(
  data: Uint8Array,
  size: Vec3,
  spacing: Vec3,
  axis: number,
): { mask: Uint8Array; size: Vec3; spacing: Vec3 } {
  const keep = [0, 1, 2].filter((a) => a !== axis);
  return {
    mask: data,
    size: [size[keep[0]!]!, size[keep[1]!]!, 1],
    spacing: [spacing[keep[0]!]!, spacing[keep[1]!]!, 1],
  };
}

function boxSize(box: BoundingBox): Vec3 {
  return [
    box.upper[0] - box.lower[0] + 1,
    box.upper[1] - box.lower[1] + 1,
    box.upper[2] - box.lower[2] + 1,
  ];
}

/**
 * First-order and texture classes of one derived image. `roiIndex` lists the ROI voxels of the
 * cropped box (the same for every derived image): values are gathered once and discretised once.
 */
function computeClasses(
  params: Params,
  derived: DerivedImage,
  image: Volume,
  roi: Uint8Array,
  roiIndex: Int32Array,
  out: Record<string, number>,
): void {
  const s = derived.settings;
  const roiValues = gatherRoiValues(image.data, roiIndex);
  const classNames = params.featureClasses.map((c) => c.name);
  let discretised: DiscretisedRoi | null = null;
  const getDiscretised = (): DiscretisedRoi => {
    if (!discretised) {
      const d = discretiseRoi(roiValues, roiIndex, roi.length, {
        binWidth: s.binWidth,
        ...(s.binCount !== null ? { binCount: s.binCount } : {}),
      });
      discretised = {
        levels: d.levels,
        mask: roi,
        size: image.size,
        spacing: image.spacing,
        nLevels: d.nLevels,
        dimension: image.dimension,
        sharedClasses: classNames,
      };
    }
    return discretised;
  };
  const texture = textureSettingsOf(s);
  for (const fc of params.featureClasses) {
    if (fc.name.startsWith("shape")) continue;
    const info = featureClassInfo(fc.name);
    const names = enabledFeatureNames(info, fc.features);
    let values: Record<string, number>;
    if (info === FIRSTORDER_CLASS) {
      const levels = getDiscretised().levels;
      const n = roiIndex.length;
      const values64 = roiValues instanceof Float64Array ? roiValues : new Float64Array(n);
      if (values64 !== roiValues) values64.set(roiValues);
      const roiLevels = new Int32Array(n);
      for (let c = 0; c < n; c++) roiLevels[c] = levels[roiIndex[c]!]!;
      values = computeFirstOrderFeatures(
        {
          values: values64,
          levels: roiLevels,
          spacing: image.spacing,
          dimension: image.dimension,
          voxelArrayShift: s.voxelArrayShift,
        },
        names,
      );
    } else {
      const compute = TEXTURE_COMPUTE[fc.name];
      if (!compute) throw new ExtractionError(`feature class '${fc.name}' cannot be computed here`);
      values = compute(getDiscretised(), texture, names);
    }
    // Deprecated features PyRadiomics computes no value for are left out, as PyRadiomics does.
    for (const n of names) if (n in values) out[`${derived.name}_${fc.name}_${n}`] = values[n]!;
  }
}

/** The texture classes' settings of a derived image's settings. */
export function textureSettingsOf(s: Settings): TextureSettings {
  return {
    ...DEFAULT_TEXTURE_SETTINGS,
    distances: s.distances,
    force2D: s.force2D,
    force2Ddimension: s.force2Ddimension,
    symmetricalGLCM: s.symmetricalGLCM,
    weightingNorm: s.weightingNorm,
    gldm_a: s.gldm_a,
  };
}

/** Each texture class's feature computation on a discretised ROI. */
export const TEXTURE_COMPUTE: Record<
  string,
  (
    roi: DiscretisedRoi,
    settings: TextureSettings,
    names: readonly string[],
  ) => Record<string, number>
> = {
  glcm: computeGlcmFeatures,
  glrlm: computeGlrlmFeatures,
  glszm: computeGlszmFeatures,
  gldm: computeGldmFeatures,
  ngtdm: computeNgtdmFeatures,
};
