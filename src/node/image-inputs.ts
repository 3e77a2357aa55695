/**
 * Images and masks as users name them: an image file (NRRD, NIfTI, MetaImage) or a DICOM series
 * folder (with series / volume selectors), and a mask file that may also be a DICOM-SEG or an
 * RTSTRUCT, decoded onto the image's grid. Used by `extract`, studies and `dicom mask`.
 */
import { mapMaskNearest } from "../image/map-mask.js";
import type { Volume } from "../image/volume.js";
import {
  type DicomChoice,
  type DicomFolder,
  gridOf,
  type MaskSelector,
  type MaskTarget,
  maskFromDicomObject,
} from "../io/dicom/case.js";
import { isDicom, parseDicom } from "../io/dicom/parse.js";
import type { SeriesSelector } from "../io/dicom/select.js";
import type { SeriesPlan } from "../io/dicom/series.js";
import { readDicomVolume } from "./dicom-files.js";
import { isDirectory, readFileBytes, readImageBytes } from "./files.js";

export {
  type DicomChoice,
  gridOf,
  isRtstruct,
  type MaskSelector,
  type MaskTarget,
  maskFromDicomObject,
  sliceIndexByInstance,
} from "../io/dicom/case.js";

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

/** The mask target of an image: its grid, and its series plan when it came from DICOM. */
export function maskTargetOf(image: ImageInput): MaskTarget {
  return { grid: gridOf(image.volume), ...(image.dicom ? { plan: image.dicom.plan } : {}) };
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
