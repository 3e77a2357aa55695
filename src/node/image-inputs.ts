/**
 * Images and masks as users name them: an image file (NRRD, NIfTI, MetaImage) or a DICOM series
 * folder (with series / volume selectors), and a mask file that may also be a DICOM-SEG or an
 * RTSTRUCT, decoded onto the image's grid. Used by `extract`, studies and `dicom mask`.
 */
import { mapMaskNearest } from "../image/map-mask.js";
import type { Volume } from "../image/volume.js";
import { type DicomInstance, isDicom, parseDicom, stringOf } from "../io/dicom/parse.js";
import { RTSTRUCT_SOP_CLASS_UID, rasteriseRtstruct } from "../io/dicom/rtstruct.js";
import { isSegmentation, readSegmentation } from "../io/dicom/seg-read.js";
import type { SeriesSelector } from "../io/dicom/select.js";
import type { SeriesPlan } from "../io/dicom/series.js";
import { ImageReadError } from "../io/image-error.js";
import { type DicomFolder, readDicomVolume } from "./dicom-files.js";
import { isDirectory, readFileBytes, readImageBytes } from "./files.js";

export interface ImageInput {
  volume: Volume;
  /** Set when the image came from a DICOM folder. */
  dicom?: { plan: SeriesPlan; folder: DicomFolder };
}

/** How a DICOM series folder becomes a volume (studies pass one that reuses what it read). */
export type OpenDicomVolume = (
  dir: string,
  selector: SeriesSelector,
) => Promise<{ volume: Volume; plan: SeriesPlan; folder: DicomFolder }>;

/** An image file, or a DICOM series folder with its selector. */
export async function readImageInput(
  path: string,
  selector: SeriesSelector = {},
  openDicom: OpenDicomVolume = readDicomVolume,
): Promise<ImageInput> {
  if (isDirectory(path)) {
    const { volume, plan, folder } = await openDicom(path, selector);
    return { volume, dicom: { plan, folder } };
  }
  const given = Object.entries(selector).filter(([, v]) => v !== undefined);
  if (given.length > 0) {
    throw new Error(
      `${path}: series / volume selectors (${given.map(([k]) => k).join(", ")}) apply to DICOM folders only`,
    );
  }
  return { volume: await readImageBytes(await readFileBytes(path), path) };
}

/**
 * The image and mask volumes of a pair that needs the DICOM readers (see needsDicomReaders): a
 * series folder and / or a SEG / RTSTRUCT mask, decoded onto the image's grid.
 */
export async function readDicomCase(
  imagePath: string,
  maskPath: string,
  choice: DicomChoice = { image: {}, mask: {} },
  openDicom: OpenDicomVolume = readDicomVolume,
): Promise<[Volume, Volume]> {
  const image = await readImageInput(imagePath, choice.image, openDicom);
  return [image.volume, await readMaskInput(maskPath, maskTargetOf(image), choice.mask)];
}

/** The DICOM selectors of one image / mask pair. */
export interface DicomChoice {
  image: SeriesSelector;
  mask: MaskSelector;
}

export interface MaskSelector {
  /** DICOM-SEG: the segment number (default: every segment as a label map). */
  segment?: number;
  /** RTSTRUCT: the ROI name or number (default: the only ROI). */
  roi?: string;
}

/** Whether an instance is an RT Structure Set. */
export function isRtstruct(instance: DicomInstance): boolean {
  return instance.sopClassUid === RTSTRUCT_SOP_CLASS_UID;
}

/**
 * SOPInstanceUID -> slice index of every single-frame instance of the plan (any volume: they share
 * the grid). A multi-frame instance spans several slices, so it cannot name one: SEG frames that
 * reference it are placed by their position instead.
 */
export function sliceIndexByInstance(plan: SeriesPlan): Map<string, number> {
  const map = new Map<string, number>();
  for (const v of plan.volumes) {
    v.frames.forEach((f, k) => {
      if (
        f.instance.dataset.NumberOfFrames === undefined ||
        Number(f.instance.dataset.NumberOfFrames) === 1
      ) {
        map.set(f.instance.sopInstanceUid, k);
      }
    });
  }
  return map;
}

/** The geometry of a volume without its voxels. */
export function gridOf(volume: Volume): Omit<Volume, "data"> {
  const { data: _data, ...grid } = volume;
  return grid;
}

/**
 * Where a mask is decoded: a grid and, when it is a DICOM series', its plan (SEG frames are then
 * placed by the instances they reference, and an RTSTRUCT's frame of reference is checked).
 */
export interface MaskTarget {
  grid: Omit<Volume, "data">;
  plan?: SeriesPlan;
}

/** The mask target of an image: its grid, and its series plan when it came from DICOM. */
export function maskTargetOf(image: ImageInput): MaskTarget {
  return { grid: gridOf(image.volume), ...(image.dicom ? { plan: image.dicom.plan } : {}) };
}

/**
 * A DICOM-SEG or RTSTRUCT instance decoded onto the target grid: a SEG as its label map (or one
 * segment as 0/1), an RTSTRUCT ROI as 0/1.
 */
export async function maskFromDicomObject(
  instance: DicomInstance,
  target: MaskTarget,
  selector: MaskSelector,
): Promise<Volume> {
  const { grid, plan } = target;
  if (isSegmentation(instance)) {
    if (selector.roi !== undefined)
      throw new Error(`${instance.file}: --roi applies to RTSTRUCT; a SEG takes --segment`);
    const referenceInstances = plan ? sliceIndexByInstance(plan) : undefined;
    const seg = await readSegmentation(instance, grid, {
      ...(referenceInstances ? { referenceInstances } : {}),
    });
    if (selector.segment !== undefined) {
      if (!seg.segments.some((s) => s.number === selector.segment)) {
        const list = seg.segments.map((s) => `${s.number} "${s.label}"`).join(", ");
        throw new ImageReadError(
          instance.file,
          `no segment ${selector.segment} (segments: ${list})`,
        );
      }
      return seg.mask(selector.segment);
    }
    return seg.labelMap().volume;
  }
  if (isRtstruct(instance)) {
    if (selector.segment !== undefined)
      throw new Error(`${instance.file}: --segment applies to SEG; an RTSTRUCT takes --roi`);
    const roi =
      selector.roi === undefined
        ? undefined
        : /^\d+$/.test(selector.roi)
          ? Number(selector.roi)
          : selector.roi;
    const frameOfReferenceUid = plan
      ? stringOf(plan.volumes[0]!.frames[0]!.attributes, "FrameOfReferenceUID")
      : undefined;
    const result = rasteriseRtstruct(instance, grid, {
      file: instance.file,
      ...(roi !== undefined ? { roi } : {}),
      ...(frameOfReferenceUid ? { frameOfReferenceUid } : {}),
    });
    if (result.voxels === 0) {
      throw new ImageReadError(
        instance.file,
        `ROI "${result.roi.name}" covers no voxel centre of the image grid`,
      );
    }
    return result.mask;
  }
  throw new ImageReadError(
    instance.file,
    `is DICOM but neither a SEG nor an RTSTRUCT (SOP class ${instance.sopClassUid}); a mask must be a SEG, an RTSTRUCT or an image file`,
  );
}

/**
 * A mask file for a target grid: NRRD / NIfTI / MetaImage as read (geometry checked later by the
 * extractor), or a SEG / RTSTRUCT decoded onto the target's grid. A mask image on another grid can
 * be mapped onto the target grid in physical space with `mapOntoGrid` (nearest neighbour).
 */
export async function readMaskInput(
  path: string,
  target: MaskTarget,
  selector: MaskSelector = {},
  options: { mapOntoGrid?: boolean } = {},
): Promise<Volume> {
  const bytes = await readFileBytes(path);
  if (isDicom(bytes)) {
    return maskFromDicomObject(parseDicom(bytes, path), target, selector);
  }
  if (selector.segment !== undefined || selector.roi !== undefined) {
    throw new Error(`${path}: --segment / --roi apply to DICOM-SEG and RTSTRUCT masks only`);
  }
  const mask = await readImageBytes(bytes, path);
  return options.mapOntoGrid ? mapMaskNearest(mask, target.grid) : mask;
}
