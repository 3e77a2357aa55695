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
import { isDirectory, readFileBytes } from "./files.js";

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

/** Every file under `root` (recursively, in name order) with its bytes. */
export async function readFolderFiles(
  root: string,
): Promise<{ path: string; bytes: Uint8Array }[]> {
  if (!isDirectory(root)) {
    throw new ImageReadError(root, "not a folder (a DICOM series is given as a folder)");
  }
  const files: { path: string; bytes: Uint8Array }[] = [];
  for (const path of listFiles(root)) files.push({ path, bytes: await readFileBytes(path) });
  return files;
}

/**
 * The DICOM files among `files` (read from `root`), parsed and planned into series. No DICOM file
 * at all is an ImageReadError naming the folder.
 */
export function parseDicomFiles(
  root: string,
  files: { path: string; bytes: Uint8Array }[],
): DicomFolder {
  const instances: DicomInstance[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  const skipped: string[] = [];
  for (const { path: file, bytes } of files) {
    if (!isDicom(bytes)) {
      skipped.push(file);
      continue;
    }
    try {
      instances.push(parseDicom(bytes, file));
    } catch (error) {
      if (!(error instanceof ImageReadError)) throw error;
      unreadable.push({ file, reason: error.reason });
    }
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

/**
 * Every DICOM file under `root` (recursively), parsed and planned into series. A folder with no
 * DICOM file at all is an ImageReadError naming it.
 */
export async function readDicomFolder(root: string): Promise<DicomFolder> {
  return parseDicomFiles(root, await readFolderFiles(root));
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
