/**
 * File-system edge (Node only; the browser-safe core never imports this): read images from paths,
 * with detached data files resolved next to their header, and write images atomically (temporary
 * file in the same folder, then rename, so a failure never leaves partial output).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve as resolvePath } from "node:path";
import type { Volume } from "../image/volume.js";
import { isDicom } from "../io/dicom/detect.js";
import { ImageReadError, ImageWriteError, type ResolveDataFile } from "../io/image-error.js";
import { readImage, type WriteImageOptions, writeImageParts } from "../io/read-image.js";
import { writeFileAtomic } from "./atomic.js";
import type { DicomChoice } from "./image-inputs.js";
import "./kernel-bytes.js";
import "./zlib-codec.js";

/**
 * The bytes of a file. Read synchronously: extraction that follows is synchronous compute anyway,
 * and the asynchronous API costs several thread-pool round trips per file (fs.promises.readFile
 * also reads large files in 512 KiB chunks), which matter for small volumes.
 */
async function readWholeFile(path: string): Promise<Uint8Array> {
  const buffer = readFileSync(path);
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** Reads a whole file, turning a missing or unreadable file into an ImageReadError naming it. */
export async function readFileBytes(path: string): Promise<Uint8Array> {
  try {
    return await readWholeFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "file not found"
        : code === "EISDIR"
          ? "is a directory, not an image file"
          : code === "EACCES"
            ? "permission denied"
            : `cannot read file (${(error as Error).message})`;
    throw new ImageReadError(path, reason, { cause: error });
  }
}

/** The Error for a file that cannot be read: names `what`, the path and why. */
function unreadable(what: string, path: string, err: unknown): Error {
  const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new Error(`${what} '${path}' cannot be read (${why})`);
}

/**
 * A text file's contents (UTF-8); an unreadable file is an Error naming `what`. Read synchronously
 * (parameter files, batch and study tables are small): the asynchronous API's thread-pool round
 * trips would wait behind the images that a one-case run inflates there meanwhile (extract.ts).
 */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw unreadable(what, path, err);
  }
}

/** A file's bytes; an unreadable file is an Error naming `what`. */
export async function readFileFor(path: string, what: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (err) {
    throw unreadable(what, path, err);
  }
}

/** Whether `path` is a folder (a DICOM series is given as its folder). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The first `n` bytes of a file (all of it when shorter; `complete` says so). An unreadable file is
 * an ImageReadError naming it, as for readFileBytes.
 */
export function readFileHead(
  path: string,
  n: number,
): { bytes: Uint8Array; complete: boolean; size: number } {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const size = fstatSync(fd).size;
    const bytes = new Uint8Array(Math.min(size, n));
    let done = 0;
    while (done < bytes.length) {
      const got = readSync(fd, bytes, done, bytes.length - done, done);
      if (got === 0) break;
      done += got;
    }
    return { bytes: bytes.subarray(0, done), complete: done >= size, size };
  } catch (error) {
    throw new ImageReadError(path, `cannot read file (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Whether the file at `path` is DICOM (Part 10 marker, or a bare data set without preamble),
 * from its first 132 bytes; false when it cannot be read (the reader that follows says why).
 */
export function isDicomFile(path: string): boolean {
  try {
    return isDicom(readFileHead(path, 132).bytes);
  } catch {
    return false;
  }
}

/**
 * Whether an image / mask pair needs the DICOM readers: a series folder as image, a DICOM (SEG /
 * RTSTRUCT) mask, or DICOM selectors.
 */
export function needsDicomReaders(
  imagePath: string,
  maskIsDicom: boolean,
  choice?: DicomChoice,
): boolean {
  const selected =
    choice !== undefined &&
    [...Object.values(choice.image), ...Object.values(choice.mask)].some((v) => v !== undefined);
  return selected || maskIsDicom || isDirectory(imagePath);
}

/** Resolver for detached data files named relative to the folder of `headerPath`. */
export function fileResolver(headerPath: string): ResolveDataFile {
  const dir = dirname(headerPath);
  return (relativeName: string) =>
    readFileBytes(isAbsolute(relativeName) ? relativeName : resolvePath(dir, relativeName));
}

/** A volume given as is, or read from its file. */
export function loadVolume(volume: Volume | string): Promise<Volume> | Volume {
  return typeof volume === "string" ? readImageFile(volume) : volume;
}

/** Reads a NRRD, NIfTI (.nii, .nii.gz, .hdr/.img) or MetaImage (.mha, .mhd) file into a Volume. */
export async function readImageFile(path: string): Promise<Volume> {
  return readImageBytes(await readFileBytes(path), path);
}

/** A volume from the bytes of the file at `path` (already read; detached data files are read). */
export function readImageBytes(bytes: Uint8Array, path: string): Promise<Volume> {
  return readImage(bytes, path, fileResolver(path));
}

/**
 * Writes a volume to `path` (.nrrd, .nii or .nii.gz, chosen by the extension). The bytes go to a
 * temporary file in the same folder which is then renamed over `path`; on failure the temporary
 * file is removed and nothing is left at `path`.
 */
export async function writeImageFile(
  path: string,
  volume: Volume,
  options: WriteImageOptions = {},
): Promise<void> {
  const bytes = await writeImageParts(volume, path, options);
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    throw new ImageWriteError(path, `cannot write file (${(error as Error).message})`, {
      cause: error,
    });
  }
}
