/**
 * DICOM at the file-system edge: walk a folder, parse every DICOM file in it (other files are
 * skipped and counted), plan its series, and load a chosen volume. The parsing and planning are
 * the pure core's (src/io/dicom); only the reading of files lives here.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { Volume } from "../image/volume.js";
import { type DicomFolder, loadSelectedVolume, noDicomFiles, seriesIn } from "../io/dicom/case.js";
import { type DicomInstance, isDicom, parseDicom } from "../io/dicom/parse.js";
import type { SeriesSelector } from "../io/dicom/select.js";
import { type SeriesPlan, scanSeries } from "../io/dicom/series.js";
import type { VolumeLoadOptions } from "../io/dicom/series-volume.js";
import { ImageReadError } from "../io/image-error.js";
import { isDirectory, readFileBytes, readFileHead } from "./files.js";

export { type DicomFolder, loadSelectedVolume, seriesIn } from "../io/dicom/case.js";

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
  if (instances.length === 0) throw noDicomFiles(root, files.length, unreadable);
  return { root, instances, unreadable, skipped, scan: scanSeries(instances) };
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
