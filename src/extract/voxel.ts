/**
 * Voxel-based feature maps, PyRadiomics' voxel-based extraction (`execute(image, mask,
 * voxelBased=True)`, radiomics/base.py _initVoxelBasedCalculation / _calculateVoxels): at every ROI
 * voxel, each feature computed on a cubic kernel centred on the voxel, written into a map on the
 * grid of the image cropped to the ROI's bounding box padded by the kernel radius (PyRadiomics'
 * cropToTumorMask with padDistance = kernelRadius); map voxels outside the ROI hold `initValue`.
 *
 * The kernel of voxel v (PyRadiomics firstorder._initVoxelBasedCalculation): v and v + o for every
 * offset o of infinity norm 1..kernelRadius that cmatrices' build_angles generates for the size
 * min(S, 2 kernelRadius + 1) per axis, where S is the ROI's bounding box with maskedKernel (the
 * default) and the cropped image otherwise, so a thin ROI gets a flat kernel. Kernel voxels outside
 * the cropped image, and with maskedKernel those outside the ROI, are left out (PyRadiomics pads with
 * NaN and uses nan-aware reductions). Gray levels are discretised once over the ROI (maskedKernel)
 * or over the whole cropped image, as PyRadiomics' _applyBinning with its voxel-mode maskArray.
 *
 * This build computes first-order maps; a texture class or shape in the parameters is an error
 * that names it.
 */
import { angleCount, generateAngles } from "../features/angles.js";
import { computeFirstOrderFeatures } from "../features/firstorder.js";
import { enabledFeatureNames, featureClassInfo } from "../features/registry.js";
import { FILTERS } from "../filters/index.js";
import { discretise } from "../image/discretise.js";
import { type BoundingBox, cropBounds, cropRoi, cropVolume } from "../image/mask.js";
import type { Volume } from "../image/volume.js";
import { type DerivedImage, ExtractionError, type FilterProvider } from "./derived.js";
import { prepareExtraction } from "./extractor.js";
import { type Params, settingsFor } from "./params.js";

/** voxelSetting, with PyRadiomics' defaults. */
export interface VoxelSettings {
  kernelRadius: number;
  maskedKernel: boolean;
  initValue: number;
  /** Voxels per batch (-1: all); batching changes memory only, never the values. */
  voxelBatch: number;
}

export interface FeatureMap {
  /** PyRadiomics' feature name, e.g. "original_firstorder_Mean". */
  name: string;
  map: Volume<Float64Array>;
}

/** The voxel settings of a parameter set, checked (an error names the setting). */
export function voxelSettingsOf(params: Params): VoxelSettings {
  const v = params.voxelSettings;
  const kernelRadius = v.kernelRadius ?? 1;
  if (typeof kernelRadius !== "number" || !Number.isInteger(kernelRadius) || kernelRadius < 1)
    throw new ExtractionError(
      `voxelSetting.kernelRadius must be an integer >= 1, got ${String(kernelRadius)}`,
    );
  const maskedKernel = v.maskedKernel ?? true;
  if (typeof maskedKernel !== "boolean")
    throw new ExtractionError(
      `voxelSetting.maskedKernel must be true or false, got ${String(maskedKernel)}`,
    );
  const initValue = v.initValue ?? 0;
  if (typeof initValue !== "number")
    throw new ExtractionError(`voxelSetting.initValue must be a number, got ${String(initValue)}`);
  const voxelBatch = v.voxelBatch ?? -1;
  if (typeof voxelBatch !== "number" || !Number.isInteger(voxelBatch) || voxelBatch === 0)
    throw new ExtractionError(
      `voxelSetting.voxelBatch must be a non-zero integer (-1: all voxels), got ${String(voxelBatch)}`,
    );
  return { kernelRadius, maskedKernel, initValue, voxelBatch };
}

/** Kernel offsets in (x, y, z), PyRadiomics' order (build_angles' angles, then the centre). */
function kernelOffsets(
  sizeXyz: readonly number[],
  radius: number,
  force2Ddimension: number,
): [number, number, number][] {
  const shape = [
    Math.min(sizeXyz[2]!, 2 * radius + 1),
    Math.min(sizeXyz[1]!, 2 * radius + 1),
    Math.min(sizeXyz[0]!, 2 * radius + 1),
  ];
  const opts = {
    shape,
    distances: Array.from({ length: radius }, (_, k) => k + 1),
    bidirectional: true,
    force2Ddimension,
  };
  const angles = angleCount(opts) > 0 ? generateAngles(opts) : [];
  return [...angles.map(([z, y, x]) => [x!, y!, z!] as [number, number, number]), [0, 0, 0]];
}

/**
 * The voxel-based feature maps of an image and mask: one map per feature of each derived image, in
 * PyRadiomics' output order.
 */
export function extractVoxelMaps(
  image: Volume,
  mask: Volume,
  params: Params,
  options: { label?: number; filters?: FilterProvider } = {},
): FeatureMap[] {
  for (const fc of params.featureClasses) {
    if (fc.name.startsWith("shape"))
      throw new ExtractionError(
        `featureClass.${fc.name}: shape is not computed voxel-based (PyRadiomics neither); remove it for --voxel`,
      );
    if (fc.name !== "firstorder")
      throw new ExtractionError(
        `featureClass.${fc.name}: voxel-based ${fc.name} maps are not available in this build (first-order maps are)`,
      );
  }
  const voxel = voxelSettingsOf(params);
  const filters = options.filters ?? FILTERS;
  const prepared = prepareExtraction(image, mask, params, options);
  const { settings, image: img, roi, box } = prepared;
  const r = voxel.kernelRadius;
  if (img.size.every((n) => 2 * r + 1 > n))
    throw new ExtractionError(
      `voxelSetting.kernelRadius ${r}: the ${2 * r + 1}-voxel kernel is larger than the image (${img.size.join(" x ")})`,
    );
  const bounds: BoundingBox = cropBounds(box, img.size, r);
  const croppedRoi = cropRoi(roi, img.size, bounds);
  const size = [
    bounds.upper[0] - bounds.lower[0] + 1,
    bounds.upper[1] - bounds.lower[1] + 1,
    bounds.upper[2] - bounds.lower[2] + 1,
  ];
  const [nx, ny, nz] = size as [number, number, number];
  const roiBoxSize = [0, 1, 2].map((a) => box.upper[a]! - box.lower[a]! + 1);
  const force2Ddimension = settings.force2D ? settings.force2Ddimension : -1;
  const offsets = kernelOffsets(voxel.maskedKernel ? roiBoxSize : size, r, force2Ddimension);
  const discretisationMask = voxel.maskedKernel
    ? croppedRoi
    : new Uint8Array(croppedRoi.length).fill(1);
  const roiVoxels: number[] = [];
  for (let k = 0; k < croppedRoi.length; k++) if (croppedRoi[k] !== 0) roiVoxels.push(k);

  const maps: FeatureMap[] = [];
  for (const imageType of params.imageTypes) {
    const typeSettings = settingsFor(params, imageType);
    if (options.label !== undefined) typeSettings.label = options.label;
    const derived: Iterable<DerivedImage> =
      imageType.name === "Original"
        ? [{ name: "original", image: img, settings: typeSettings }]
        : filters.derivedImages(imageType.name, img, roi, typeSettings, bounds);
    for (const d of derived) {
      const cropped = cropVolume(d.image, bounds);
      const levels = discretise(cropped.data, discretisationMask, {
        binWidth: d.settings.binWidth,
        ...(d.settings.binCount !== null ? { binCount: d.settings.binCount } : {}),
      }).levels;
      for (const fc of params.featureClasses) {
        const names = enabledFeatureNames(featureClassInfo(fc.name), fc.features);
        const out = names.map((n) => {
          const data = new Float64Array(croppedRoi.length).fill(voxel.initValue);
          return { name: `${d.name}_${fc.name}_${n}`, feature: n, map: { ...cropped, data } };
        });
        const values = new Float64Array(offsets.length);
        const kernelLevels = new Int32Array(offsets.length);
        for (const v of roiVoxels) {
          const x = v % nx;
          const y = Math.floor(v / nx) % ny;
          const z = Math.floor(v / (nx * ny));
          let n = 0;
          for (const [ox, oy, oz] of offsets) {
            const kx = x + ox;
            const ky = y + oy;
            const kz = z + oz;
            if (kx < 0 || ky < 0 || kz < 0 || kx >= nx || ky >= ny || kz >= nz) continue;
            const k = kx + nx * (ky + ny * kz);
            if (voxel.maskedKernel && croppedRoi[k] === 0) continue;
            values[n] = cropped.data[k]!;
            kernelLevels[n] = levels[k]!;
            n++;
          }
          const features = computeFirstOrderFeatures(
            {
              values: values.subarray(0, n),
              levels: kernelLevels.subarray(0, n),
              spacing: cropped.spacing,
              dimension: cropped.dimension,
              voxelArrayShift: d.settings.voxelArrayShift,
            },
            names,
          );
          for (const o of out) {
            const value = features[o.feature];
            if (value !== undefined) o.map.data[v] = value;
          }
        }
        for (const o of out) maps.push({ name: o.name, map: o.map });
      }
    }
  }
  return maps;
}
