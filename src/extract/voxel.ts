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
 * Texture classes (cmatrices' voxel mode): each kernel's matrices are the class's matrices on the
 * kernel's box (the voxel +- kernelRadius, clipped to the crop) over the discretisation mask, with
 * rows for every gray level of the whole ROI (Ng = the ROI's highest level), so the segment-based
 * feature formulas apply unchanged; the one voxel-mode difference (GLCM angles empty in some
 * kernels only) is handled where the maps are filled. Shape is not computed voxel-based (an error).
 *
 * Each class computes all kernels of an image in one pass (src/extract/voxel/<class>.ts, one
 * WebAssembly call each, bit-identical to its segment-based code applied kernel by kernel).
 */
import { angleCount, generateAngles } from "../features/angles.js";
import { enabledFeatureNames, featureClassInfo } from "../features/registry.js";
import { FILTERS } from "../filters/index.js";
import { discretise } from "../image/discretise.js";
import { type BoundingBox, cropBounds, cropRoi, cropVolume } from "../image/mask.js";
import type { Vec3, Volume } from "../image/volume.js";
import { ExtractionError, type FilterProvider } from "./derived.js";
import { derivedImagesOf, prepareExtraction, textureSettingsOf } from "./extractor.js";
import type { Params } from "./params.js";
import { VOXEL_CLASS_COMPUTE } from "./voxel/classes.js";
import { kernelsWithEmptyAngle } from "./voxel/empty-angles.js";
import type { VoxelGrid, VoxelKernels } from "./voxel/types.js";

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
  /**
   * Where the map lies in the grid features were computed on (the input image's, unless the
   * parameters resample): the index bounds of the map's first and last voxel.
   */
  bounds: BoundingBox;
  /** Whether that grid is the input image's (no resampling). */
  onInputGrid: boolean;
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
    if (!VOXEL_CLASS_COMPUTE[fc.name])
      throw new ExtractionError(`featureClass.${fc.name}: not a voxel-based feature class`);
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
  const onInputGrid = !(settings.interpolator !== null && settings.resampledPixelSpacing !== null);
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
  // The axis a force2D kernel does not extend along (x, y, z; PyRadiomics names numpy axes).
  const flatAxis = !settings.force2D
    ? -1
    : img.dimension === 2
      ? 1 - settings.force2Ddimension
      : 2 - settings.force2Ddimension;
  /** cmatrices set_bb: the voxel +- kernelRadius, clipped to the crop, flat along a force2D axis. */
  const kernelBox = (x: number, y: number, z: number): BoundingBox => {
    const c = [x, y, z];
    const n = [nx, ny, nz];
    const lower = c.map((v, a) => (a === flatAxis ? v : Math.max(v - r, 0))) as Vec3;
    const upper = c.map((v, a) => (a === flatAxis ? v : Math.min(v + r, n[a]! - 1))) as Vec3;
    return { lower, upper };
  };
  const roiVoxels: number[] = [];
  for (let k = 0; k < croppedRoi.length; k++) if (croppedRoi[k] !== 0) roiVoxels.push(k);

  /** Every kernel's centre, box and offsets, the same for every derived image. */
  const boxes = new Int32Array(6 * roiVoxels.length);
  roiVoxels.forEach((v, k) => {
    const { lower, upper } = kernelBox(v % nx, Math.floor(v / nx) % ny, Math.floor(v / (nx * ny)));
    boxes.set([...lower, ...upper], 6 * k);
  });
  const kernels: VoxelKernels = {
    centres: Int32Array.from(roiVoxels),
    boxes,
    offsets: Int32Array.from(offsets.flat()),
    maskedKernel: voxel.maskedKernel,
  };

  // The empty-angle flags depend on the mask, the kernels and the GLCM angles only: derived images
  // with the same distances and force2D settings share them.
  const emptyAngleCache = new Map<string, Uint8Array>();
  const emptyAngleFlags = (
    texture: ReturnType<typeof textureSettingsOf>,
    compute: () => Uint8Array,
  ): Uint8Array => {
    const key = `${texture.distances.join(",")}|${texture.force2D}|${texture.force2Ddimension}`;
    let flags = emptyAngleCache.get(key);
    if (!flags) {
      flags = compute();
      emptyAngleCache.set(key, flags);
    }
    return flags;
  };

  const maps: FeatureMap[] = [];
  for (const imageType of params.imageTypes) {
    for (const d of derivedImagesOf(params, imageType, img, roi, filters, bounds, options.label)) {
      const cropped = cropVolume(d.image, bounds);
      const levels = discretise(cropped.data, discretisationMask, {
        binWidth: d.settings.binWidth,
        ...(d.settings.binCount !== null ? { binCount: d.settings.binCount } : {}),
      }).levels;
      const roiGrayLevels = presentLevels(levels, discretisationMask);
      const nLevels = roiGrayLevels.length > 0 ? roiGrayLevels[roiGrayLevels.length - 1]! : 0;
      const texture = textureSettingsOf(d.settings);
      // PyRadiomics drops a GLCM angle only when it is empty in every kernel; a kernel where a kept
      // angle is empty gets NaN for it. JointAverage averages the angles with mean (not nanmean),
      // so it is NaN there, and MCC's eigenvalues fail on the NaN: PyRadiomics then reports MCC as
      // failed and its map keeps initValue everywhere.
      const glcmEmptyAngle =
        texture.weightingNorm === null && params.featureClasses.some((c) => c.name === "glcm")
          ? emptyAngleFlags(texture, () =>
              kernelsWithEmptyAngle(discretisationMask, cropped, texture, kernels.boxes),
            )
          : null;
      const mccFailed = glcmEmptyAngle?.includes(1) ?? false;
      // One map per feature, in PyRadiomics' order (classes in file order).
      const classes = params.featureClasses.map((fc) => {
        const enabled = enabledFeatureNames(featureClassInfo(fc.name), fc.features);
        // A failed MCC map keeps initValue: its eigenvalues are not computed at all.
        const names =
          fc.name === "glcm" && mccFailed ? enabled.filter((n) => n !== "MCC") : enabled;
        const out = enabled.map((n) => {
          // Zero-filled already: only another initValue needs writing.
          const data = new Float64Array(croppedRoi.length);
          if (voxel.initValue !== 0) data.fill(voxel.initValue);
          return { name: `${d.name}_${fc.name}_${n}`, feature: n, map: { ...cropped, data } };
        });
        return { name: fc.name, names, out, compute: VOXEL_CLASS_COMPUTE[fc.name]! };
      });
      // Each class computes every kernel of the image in one pass (src/extract/voxel/).
      const grid: VoxelGrid = {
        levels,
        values: Float64Array.from(cropped.data),
        mask: discretisationMask,
        size: cropped.size,
        spacing: cropped.spacing,
        dimension: cropped.dimension,
        nLevels,
        roiGrayLevels,
        voxelArrayShift: d.settings.voxelArrayShift,
      };
      for (const c of classes) {
        const out = c.names.map((n) => c.out.find((o) => o.feature === n)!.map.data);
        c.compute(grid, kernels, texture, c.names, out);
        if (c.name === "glcm" && glcmEmptyAngle) {
          const jointAverage = c.out.find((o) => o.feature === "JointAverage")?.map.data;
          if (jointAverage)
            for (let k = 0; k < roiVoxels.length; k++)
              if (glcmEmptyAngle[k] === 1) jointAverage[roiVoxels[k]!] = Number.NaN;
        }
      }
      for (const c of classes) {
        for (const o of c.out) maps.push({ name: o.name, map: o.map, bounds, onInputGrid });
      }
    }
  }
  return maps;
}

/** The gray levels present under a mask, ascending. */
function presentLevels(levels: Int32Array, mask: Uint8Array): Int32Array {
  let max = 0;
  for (let k = 0; k < levels.length; k++) if (mask[k] !== 0 && levels[k]! > max) max = levels[k]!;
  const seen = new Uint8Array(max + 1);
  for (let k = 0; k < levels.length; k++) if (mask[k] !== 0) seen[levels[k]!] = 1;
  const out: number[] = [];
  for (let g = 1; g <= max; g++) if (seen[g]) out.push(g);
  return Int32Array.from(out);
}
