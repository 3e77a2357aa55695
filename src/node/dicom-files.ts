/**
 * DICOM at the file-system edge: walk a folder, parse every DICOM file in it (other files are
 * skipped and counted), plan its series, and load a chosen volume. The parsing and planning are
 * the pure core's (src/io/dicom); only the reading of files lives here.
 */
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import type { Volume } from "../image/volume.js";
import { traceWeighted } from "../io/dicom/adc.js";
import { type DicomInstance, isDicom, parseDicom } from "../io/dicom/parse.js";
import { chooseVolume, type SeriesSelector, selectSeries } from "../io/dicom/select.js";
import { type SeriesPlan, type SeriesScan, scanSeries } from "../io/dicom/series.js";
import { loadSeriesVolume, type VolumeLoadOptions } from "../io/dicom/series-volume.js";
import { ImageReadError } from "../io/image-error.js";
import { isDirectory, readFileBytes, readFileHead } from "./files.js";

export interface DicomFolder {
  root: string;
  instances: DicomInstance[];
  /** Files that start like DICOM but could not be parsed, with the reason. */
  unreadable: { file: string; reason: string }[];
  /** Files that are not DICOM at all (skipped). */
  skipped: string[];
  scan: SeriesScan;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Bytes read to parse a header without reading the whole file (MR headers are mostly 2-16 KiB). */
const HEAD_BYTES = 16 * 1024;

export interface ReadFolderOptions {
  /** Called with every file's bytes as it is read (e.g. to hash the folder). */
  onFile?: (path: string, bytes: Uint8Array) => void;
}

/**
 * Every DICOM file under `root` (recursively, in name order), parsed up to its pixel data and
 * planned into series; other files are skipped, unreadable DICOM files listed with the reason.
 * Pixel data are read again from the file when a volume is loaded, so that memory holds one
 * file's bytes at a time rather than the whole folder. A folder with no DICOM file at all is an
 * ImageReadError naming it.
 */
export async function readDicomFolder(
  root: string,
  options: ReadFolderOptions = {},
): Promise<DicomFolder> {
  if (!isDirectory(root)) {
    throw new ImageReadError(root, "not a folder (a DICOM series is given as a folder)");
  }
  const files = listFiles(root);
  const instances: DicomInstance[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const skipped: string[] = [];
  // Headers only: pixel data are read again from the file when a volume is loaded.
  const parseHeader = (bytes: Uint8Array, file: string, fileSize: number) =>
    parseDicom(bytes, file, { headerOnly: true, reread: () => readFileBytes(file), fileSize });
  for (const file of files) {
    // Without a hash to compute, the header is parsed from the file's first bytes (almost every
    // header fits); the whole file is read only when it does not.
    const head = options.onFile ? undefined : readFileHead(file, HEAD_BYTES);
    let instance: DicomInstance | undefined;
    if (head && !head.complete) {
      if (!isDicom(head.bytes)) {
        skipped.push(file);
        continue;
      }
      try {
        instance = parseHeader(head.bytes, file, head.size);
        // The head ended at an element boundary before any Pixel Data: read it all.
        if (!instance.loadPixelData) instance = undefined;
      } catch (error) {
        if (!(error instanceof ImageReadError)) throw error;
      }
    }
    if (!instance) {
      const bytes = head?.complete ? head.bytes : await readFileBytes(file);
      options.onFile?.(file, bytes);
      if (!isDicom(bytes)) {
        skipped.push(file);
        continue;
      }
      try {
        instance = parseHeader(bytes, file, bytes.length);
      } catch (error) {
        if (!(error instanceof ImageReadError)) throw error;
        unreadable.push({ file, reason: error.reason });
        continue;
      }
    }
    instances.push(instance);
  }
  if (instances.length === 0) {
    const why = unreadable.length
      ? `; ${unreadable.length} unreadable: ${unreadable
          .slice(0, 3)
          .map((u) => `${relative(root, u.file)}: ${u.reason}`)
          .join("; ")}`
      : "";
    throw new ImageReadError(
      root,
      `no DICOM files found (${files.length} file(s) looked at${why})`,
    );
  }
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

/** A folder's series volume: read, plan, select, load. */
export async function readDicomVolume(
  root: string,
  selector: SeriesSelector = {},
  options: VolumeLoadOptions = {},
): Promise<{ volume: Volume; plan: SeriesPlan; folder: DicomFolder }> {
  const folder = await readDicomFolder(root);
  const plan = seriesIn(folder, selector);
  return { volume: await loadSelectedVolume(plan, selector, options), plan, folder };
}
