/**
 * The image-processing chain of IBSI-1 (reference manual, chapter 2, figure "Image processing
 * scheme"): interpolation of the image to a new voxel spacing (with intensity rounding) and of the
 * ROI mask to the same grid (partial-volume threshold) gives the morphological mask; re-segmentation
 * (range, outliers) of it gives the intensity mask. Discretisation (discretise.ts) follows per
 * feature family.
 *
 * processImage runs the chain on the whole image (the processing diagnostics read it);
 * processImageAroundRoi on the region around the ROI only, as feature extraction uses it: the
 * ROI's box grown by a margin, interpolated from the input voxels it needs, so the cost follows the
 * ROI rather than the scan.
 *
 * IBSI_CT_CONFIGURATIONS holds the processing part of the five CT-phantom configurations A-E
 * (IBSI-1 chapter 5 "Reference data sets", "Configurations").
 */
import type { Vec3, Volume } from "../../image/volume.js";
import type { IbsiImage } from "../types.js";
import { IbsiSettingError } from "../types.js";
import { cropToFloat64, type GridBox, growBox, maskBox, wholeBox } from "./grid-box.js";
import {
  type ImageInterpolationMethod,
  type InterpolationGrid,
  interpolateImage,
  interpolateImageRegion,
  interpolateMaskWindow,
  interpolationGrid,
  type MaskInterpolationMethod,
  pasteBox,
} from "./interpolation.js";
import { type BoxedRoi, roiOfMask, roiOnGrid } from "./roi-mask.js";
import {
  type IbsiResegmentationSettings,
  resegment,
  validateResegmentation,
} from "./resegmentation.js";

export interface IbsiInterpolationSettings {
  /**
   * True: 2D interpolation within each slice (x, y), slices kept (IBSI-1 VTM2; configurations A, B);
   * false: 3D interpolation.
   */
  inPlaneOnly: boolean;
  /** New voxel spacing in mm: [x, y] when inPlaneOnly, [x, y, z] otherwise. */
  spacing: readonly number[];
  /** Image interpolation: nearest neighbour, (bi/tri)linear, or (bi/tri)cubic B-spline. */
  imageMethod: ImageInterpolationMethod;
  /** Round interpolated intensities to the nearest integer (IBSI-1 68QD; e.g. CT in HU). */
  roundIntensities: boolean;
  /** ROI-mask interpolation (IBSI-1 E8H9). */
  roiMethod: MaskInterpolationMethod;
  /**
   * Partial-volume threshold delta in (0, 1]: an interpolated ROI voxel is kept when its fraction
   * is >= delta (IBSI's configurations use 0.5). Required for roiMethod "linear"; omitted for
   * "nearest", whose mask has no fractions.
   */
  partialVolumeThreshold?: number;
}

export interface IbsiProcessingSettings {
  /** Interpolation to a new voxel spacing; null: none (the image's own grid). */
  interpolation: IbsiInterpolationSettings | null;
  /** Re-segmentation of the intensity mask (range and / or outlier filtering). */
  resegmentation: IbsiResegmentationSettings;
}

const IMAGE_METHODS: readonly ImageInterpolationMethod[] = ["nearest", "linear", "cubic-spline"];
const ROI_METHODS: readonly MaskInterpolationMethod[] = ["nearest", "linear"];

function validateInterpolation(settings: IbsiInterpolationSettings, image: Volume | null): void {
  const p = "interpolation";
  if (typeof settings !== "object") throw new IbsiSettingError(`${p}: must be an object or null`);
  if (typeof settings.inPlaneOnly !== "boolean")
    throw new IbsiSettingError(
      `${p}.inPlaneOnly: must be true or false, got ${String(settings.inPlaneOnly)}`,
    );
  const want = settings.inPlaneOnly ? 2 : 3;
  if (!Array.isArray(settings.spacing))
    throw new IbsiSettingError(`${p}.spacing: missing (${want} spacings in mm)`);
  if (settings.spacing.length !== want)
    throw new IbsiSettingError(
      `${p}.spacing: ${settings.inPlaneOnly ? "in-plane interpolation takes 2 spacings (x, y)" : "3D interpolation takes 3 spacings (x, y, z)"}, got ${settings.spacing.length}`,
    );
  for (const s of settings.spacing) {
    if (!(typeof s === "number" && Number.isFinite(s) && s > 0))
      throw new IbsiSettingError(`${p}.spacing: must be positive, got ${String(s)}`);
  }
  if (!IMAGE_METHODS.includes(settings.imageMethod))
    throw new IbsiSettingError(
      `${p}.imageMethod: must be one of ${IMAGE_METHODS.join(", ")}, got ${String(settings.imageMethod)}`,
    );
  if (typeof settings.roundIntensities !== "boolean")
    throw new IbsiSettingError(
      `${p}.roundIntensities: must be true or false, got ${String(settings.roundIntensities)}`,
    );
  if (!ROI_METHODS.includes(settings.roiMethod))
    throw new IbsiSettingError(
      `${p}.roiMethod: must be one of ${ROI_METHODS.join(", ")}, got ${String(settings.roiMethod)}`,
    );
  const delta = settings.partialVolumeThreshold;
  if (settings.roiMethod === "linear") {
    if (delta === undefined)
      throw new IbsiSettingError(
        `${p}.partialVolumeThreshold: missing (linear ROI interpolation needs one; IBSI uses 0.5)`,
      );
    if (!(typeof delta === "number" && delta > 0 && delta <= 1))
      throw new IbsiSettingError(
        `${p}.partialVolumeThreshold: must be in (0, 1], got ${String(delta)}`,
      );
  } else if (delta !== undefined) {
    throw new IbsiSettingError(
      `${p}.partialVolumeThreshold: only for roiMethod "linear" (nearest-neighbour masks have no partial volumes)`,
    );
  }
  if (image && !settings.inPlaneOnly && image.size[2] === 1)
    throw new IbsiSettingError(
      `${p}.inPlaneOnly: the image has one slice; 3D interpolation would invent slices (use in-plane)`,
    );
}

/** Checks processing settings (and, given an image, that they fit it); the error names the setting. */
export function validateProcessingSettings(
  settings: IbsiProcessingSettings,
  image: Volume | null = null,
): void {
  if (settings === null || typeof settings !== "object")
    throw new IbsiSettingError("settings: missing (give interpolation and resegmentation)");
  if (settings.interpolation === undefined)
    throw new IbsiSettingError("interpolation: missing (null for no interpolation)");
  if (settings.interpolation !== null) validateInterpolation(settings.interpolation, image);
  validateResegmentation(settings.resegmentation);
}

/** The ROI of `mask` (roi-mask.ts); throws when it has no voxel. */
function roiOf(mask: Volume, label: number | undefined): BoxedRoi {
  const roi = roiOfMask(mask, label);
  if (roi === null)
    throw new Error(
      `processImage: the mask has no ROI voxel (${label === undefined ? "mask > 0" : `label ${label}`})`,
    );
  return roi;
}

/** Checks the inputs of processImage / processImageAroundRoi. */
function checkInputs(
  image: Volume,
  mask: Volume,
  settings: IbsiProcessingSettings,
  label: number | undefined,
): void {
  validateProcessingSettings(settings, image);
  if (label !== undefined && !Number.isFinite(label))
    throw new IbsiSettingError(`label: must be a finite number, got ${String(label)}`);
  if (mask.size.some((n, a) => n !== image.size[a]))
    throw new Error(
      `processImage: mask size ${mask.size.join(" x ")} differs from image size ${image.size.join(" x ")}`,
    );
}

/** The "align grid centres" grid of the interpolation settings for `image`. */
function gridOf(image: Volume, interpolation: IbsiInterpolationSettings): InterpolationGrid {
  const s = interpolation.spacing;
  return interpolationGrid(image.size, image.spacing, [
    s[0]!,
    s[1]!,
    interpolation.inPlaneOnly ? null : s[2]!,
  ]);
}

/**
 * Runs IBSI-1's processing chain on an image and its ROI mask (same grid): the ROI is mask == label
 * (mask > 0 without a label). Returns the (interpolated) intensities, the morphological mask
 * (interpolated ROI) and the intensity mask (re-segmented), on one x-fastest grid: the whole
 * (interpolated) image. processImageAroundRoi does the same on the region around the ROI.
 */
export function processImage(
  image: Volume,
  mask: Volume,
  settings: IbsiProcessingSettings,
  label?: number,
): IbsiImage {
  checkInputs(image, mask, settings, label);
  const roi = roiOf(mask, label);
  const interpolation = settings.interpolation;
  let size: Vec3 = [...image.size];
  let spacing: Vec3 = [...image.spacing];
  let intensities: Float64Array;
  let morphologicalMask: Uint8Array;
  if (interpolation === null) {
    intensities = Float64Array.from(image.data);
    morphologicalMask = roiOnGrid(roi, image.size);
  } else {
    const grid = gridOf(image, interpolation);
    intensities = interpolateImage(
      image.data,
      image.size,
      grid,
      interpolation.imageMethod,
      interpolation.roundIntensities,
    );
    morphologicalMask = new Uint8Array(intensities.length);
    const window = interpolateMaskWindow(
      roi,
      image.size,
      grid,
      interpolation.roiMethod,
      interpolation.partialVolumeThreshold ?? 0.5,
    );
    if (window !== null) pasteBox(window.mask, window.box, morphologicalMask, wholeBox(grid.size));
    size = grid.size;
    spacing = grid.spacing;
  }
  const intensityMask = resegment(intensities, morphologicalMask, settings.resegmentation);
  return { size, spacing, intensities, morphologicalMask, intensityMask };
}

/** The processed region around the ROI, and where it lies in the (interpolated) grid. */
export interface RegionalImage {
  /** The region's voxels: intensities, morphological and intensity mask. */
  image: IbsiImage;
  /** The region within the grid processImage would return. */
  region: GridBox;
  /** That grid's size (the whole interpolated image). */
  gridSize: Vec3;
}

/**
 * processImage on the region around the ROI only: the box of the morphological mask (the ROI
 * after interpolation) grown by `margin` voxels per axis, clipped to the grid (the whole grid when
 * the interpolated ROI is empty). Only that region is interpolated (interpolateImageRegion), as
 * PyRadiomics crops to the ROI's box before resampling: the cost follows the ROI, not the scan.
 *
 * In the region the masks equal processImage's, re-segmentation reads the same voxels, and the
 * intensities are equal (nearest, linear) or within SPLINE_CROP_MARGIN's bound (cubic spline:
 * 2e-16 times the image's range, 1e-12 HU for CT) before rounding. A family that reads only the ROI and voxels within `margin` of
 * it gives processImage's values on the region (extract.ts: the ROI's surface and the local
 * intensity sphere; where the region meets the grid's edge that edge is the grid's own).
 */
export function processImageAroundRoi(
  image: Volume,
  mask: Volume,
  settings: IbsiProcessingSettings,
  margin: Readonly<Vec3>,
  label?: number,
): RegionalImage {
  checkInputs(image, mask, settings, label);
  if (!margin.every((m) => Number.isInteger(m) && m >= 0))
    throw new Error(
      `processImageAroundRoi: margin must be integers >= 0, got ${margin.join(", ")}`,
    );
  const roi = roiOf(mask, label);
  const interpolation = settings.interpolation;
  let processed: IbsiImage;
  let region: GridBox;
  let gridSize: Vec3;
  if (interpolation === null) {
    gridSize = [...image.size];
    region = growBox(roi.box, margin, gridSize);
    const intensities = cropToFloat64(image.data, gridSize, region);
    const morphologicalMask = new Uint8Array(intensities.length);
    pasteBox(roi.mask, roi.box, morphologicalMask, region);
    processed = {
      size: [...region.size],
      spacing: [...image.spacing],
      intensities,
      morphologicalMask,
      intensityMask: resegment(intensities, morphologicalMask, settings.resegmentation),
    };
  } else {
    const grid = gridOf(image, interpolation);
    gridSize = grid.size;
    const window = interpolateMaskWindow(
      roi,
      image.size,
      grid,
      interpolation.roiMethod,
      interpolation.partialVolumeThreshold ?? 0.5,
    );
    // The box of the interpolated ROI: its voxels lie in the window.
    const inWindow = window === null ? null : maskBox(window.mask, window.box.size);
    region =
      window === null || inWindow === null
        ? wholeBox(gridSize)
        : growBox(
            {
              start: [0, 1, 2].map((a) => inWindow.start[a]! + window.box.start[a]!) as Vec3,
              size: inWindow.size,
            },
            margin,
            gridSize,
          );
    const intensities = interpolateImageRegion(
      image.data,
      image.size,
      grid,
      interpolation.imageMethod,
      interpolation.roundIntensities,
      region,
    );
    const morphologicalMask = new Uint8Array(intensities.length);
    if (window !== null) pasteBox(window.mask, window.box, morphologicalMask, region);
    processed = {
      size: [...region.size],
      spacing: [...grid.spacing],
      intensities,
      morphologicalMask,
      intensityMask: resegment(intensities, morphologicalMask, settings.resegmentation),
    };
  }
  return { image: processed, region, gridSize };
}

/** 2D (in-plane, configurations A-B) or 3D interpolation to 2 mm, IBSI's CT settings otherwise. */
function ctInterpolation(
  inPlaneOnly: boolean,
  imageMethod: ImageInterpolationMethod,
): IbsiInterpolationSettings {
  return {
    inPlaneOnly,
    spacing: inPlaneOnly ? [2, 2] : [2, 2, 2],
    imageMethod,
    roundIntensities: true,
    roiMethod: "linear",
    partialVolumeThreshold: 0.5,
  };
}

/**
 * Processing of IBSI-1's CT-phantom configurations (chapter 5, "Configurations"): A no
 * interpolation, range [-500, 400] HU; B bilinear in-plane 2 x 2 mm, [-500, 400]; C trilinear
 * 2 x 2 x 2 mm, [-1000, 400]; D trilinear, 3 sigma outliers; E tricubic spline, [-1000, 400] and
 * 3 sigma. All interpolations round to integer HU and use linear ROI interpolation, delta 0.5.
 */
export const IBSI_CT_CONFIGURATIONS: Record<"A" | "B" | "C" | "D" | "E", IbsiProcessingSettings> = {
  A: {
    interpolation: null,
    resegmentation: { range: { lower: -500, upper: 400 }, outlierSigma: null },
  },
  B: {
    interpolation: ctInterpolation(true, "linear"),
    resegmentation: { range: { lower: -500, upper: 400 }, outlierSigma: null },
  },
  C: {
    interpolation: ctInterpolation(false, "linear"),
    resegmentation: { range: { lower: -1000, upper: 400 }, outlierSigma: null },
  },
  D: {
    interpolation: ctInterpolation(false, "linear"),
    resegmentation: { range: null, outlierSigma: 3 },
  },
  E: {
    interpolation: ctInterpolation(false, "cubic-spline"),
    resegmentation: { range: { lower: -1000, upper: 400 }, outlierSigma: 3 },
  },
};
