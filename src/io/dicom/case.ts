/**
 * A DICOM case from files already in memory or on disk: the parsed folder (series scan and the
 * files that were skipped or unreadable), the volume a series selector chooses, and a DICOM-SEG or
 * RTSTRUCT mask decoded onto the image's grid. Pure (browser-safe): the Node edge
 * (src/node/dicom-files.ts, image-inputs.ts) reads folders from disk, the web app from the files a
 * user opened, and both end here.
 */
import type { Volume } from "../../image/volume.js";
import { ImageReadError } from "../image-error.js";
import { traceWeighted } from "./adc.js";
import { type DicomInstance, isDicom, parseDicom, stringOf } from "./parse.js";
import { RTSTRUCT_SOP_CLASS_UID, rasteriseRtstruct } from "./rtstruct.js";
import { isSegmentation, readSegmentation } from "./seg-read.js";
import { chooseVolume, type SeriesSelector, selectSeries } from "./select.js";
import { type SeriesPlan, type SeriesScan, scanSeries } from "./series.js";
import { loadSeriesVolume, type VolumeLoadOptions } from "./series-volume.js";

export interface DicomFolder {
  root: string;
  instances: DicomInstance[];
  /** Files that start like DICOM but could not be parsed, with the reason. */
  unreadable: { file: string; reason: string }[];
  /** Files that are not DICOM at all (skipped). */
  skipped: string[];
  scan: SeriesScan;
}

/** The error for a folder without any DICOM file (naming the first unreadable ones). */
export function noDicomFiles(
  root: string,
  looked: number,
  unreadable: readonly { file: string; reason: string }[],
): ImageReadError {
  const relative = (file: string) =>
    file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  const why = unreadable.length
    ? `; ${unreadable.length} unreadable: ${unreadable
        .slice(0, 3)
        .map((u) => `${relative(u.file)}: ${u.reason}`)
        .join("; ")}`
    : "";
  return new ImageReadError(root, `no DICOM files found (${looked} file(s) looked at${why})`);
}

/**
 * A folder's files (whole, in the given order) parsed and planned into series: non-DICOM files
 * are skipped, unreadable DICOM files listed with the reason; no DICOM file at all is an error.
 */
export function parseDicomFiles(
  root: string,
  files: readonly { name: string; bytes: Uint8Array }[],
): DicomFolder {
  const instances: DicomInstance[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const skipped: string[] = [];
  for (const { name, bytes } of files) {
    if (!isDicom(bytes)) {
      skipped.push(name);
      continue;
    }
    try {
      instances.push(parseDicom(bytes, name));
    } catch (error) {
      if (!(error instanceof ImageReadError)) throw error;
      unreadable.push({ file: name, reason: error.reason });
    }
  }
  if (instances.length === 0) throw noDicomFiles(root, files.length, unreadable);
  return { root, instances, unreadable, skipped, scan: scanSeries(instances) };
}

/** The series `selector.series` names in a read folder (with unreadable files named in errors). */
export function seriesIn(folder: DicomFolder, selector: SeriesSelector): SeriesPlan {
  try {
    return selectSeries(folder.scan, folder.root, selector.series);
  } catch (error) {
    if (error instanceof ImageReadError && folder.unreadable.length > 0) {
      const files = folder.unreadable
        .slice(0, 3)
        .map((u) => `${u.file}: ${u.reason}`)
        .join("; ");
      throw new ImageReadError(
        error.file,
        `${error.reason} (unreadable files in the folder: ${files})`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

/** One volume of a series as the selector chooses it (a multi-volume series needs a selector). */
export async function loadSelectedVolume(
  plan: SeriesPlan,
  selector: SeriesSelector,
  options: VolumeLoadOptions = {},
): Promise<Volume> {
  const choice = chooseVolume(plan, selector);
  if ("index" in choice) return loadSeriesVolume(plan, choice.index, options);
  if ("traceOf" in choice) {
    const volumes = [];
    for (const k of choice.traceOf) volumes.push(await loadSeriesVolume(plan, k, options));
    return traceWeighted(volumes);
  }
  throw new ImageReadError(
    `series ${plan.seriesNumber ?? plan.seriesInstanceUid}`,
    `holds ${plan.volumes.length} volumes (${plan.kind === "none" ? "repeated" : plan.kind}); choose one with volume (0-based), phase (1-based) or bvalue`,
  );
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
