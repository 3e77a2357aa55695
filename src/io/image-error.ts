/**
 * Errors raised by the image readers and writers, plus the checked byte decoding they share.
 *
 * Every failure to read an image becomes an `ImageReadError` whose message starts with the file
 * name and states the reason (missing file, corrupt header, unsupported type or encoding,
 * truncated data, corrupt compressed data). Readers never return a partially filled volume: they
 * either decode every voxel or throw.
 */
import { allocateVoxels, type VoxelArray, type VoxelType, viewVoxels } from "../image/volume.js";
import { gunzipPrefix } from "./gzip.js";

/** A file could not be read as an image; `file` names it and `reason` says why. */
export class ImageReadError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, options);
    this.name = "ImageReadError";
    this.file = file;
    this.reason = reason;
  }
}

/** A volume could not be written; `file` names the target and `reason` says why. */
export class ImageWriteError extends Error {
  readonly file: string;
  readonly reason: string;
  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, options);
    this.name = "ImageWriteError";
    this.file = file;
    this.reason = reason;
  }
}

/** Loads a detached data file named relative to the header (e.g. `brain.raw` next to `brain.nhdr`). */
export type ResolveDataFile = (relativeName: string) => Promise<Uint8Array>;

/** Number of bytes of one voxel of each type. */
export const VOXEL_BYTES: Record<VoxelType, number> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  float: 4,
  double: 8,
};

/** True when this machine stores multi-byte numbers little-endian (every current browser/Node). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * `count` voxels of `type` from `bytes` (starting at `offset`), swapping bytes when the file's byte
 * order differs from the host's. A new typed array, except for `owned` bytes (a buffer the reader
 * itself produced, e.g. by decompression, that nothing else references): those are viewed in
 * place when aligned and in host byte order. Throws an ImageReadError (naming `file`) when the
 * bytes run out before the last voxel.
 */
export function decodeVoxels(
  file: string,
  bytes: Uint8Array,
  offset: number,
  type: VoxelType,
  count: number,
  littleEndian: boolean,
  options: { what?: string; owned?: boolean } = {},
): VoxelArray {
  const size = VOXEL_BYTES[type];
  const needed = count * size;
  if (offset < 0 || offset + needed > bytes.length) {
    const have = Math.max(0, bytes.length - Math.max(0, offset));
    throw new ImageReadError(
      file,
      `truncated ${options.what ?? "voxel data"}: need ${needed} bytes (${count} ${type} voxels) but only ${have} are present`,
    );
  }
  const start = bytes.byteOffset + offset;
  if (options.owned && start % size === 0 && (size === 1 || littleEndian === HOST_LITTLE_ENDIAN)) {
    return viewVoxels(type, bytes.buffer as ArrayBuffer, start, count);
  }
  const out = allocateVoxels(type, count);
  const dst = new Uint8Array(out.buffer, out.byteOffset, needed);
  dst.set(bytes.subarray(offset, offset + needed));
  if (size > 1 && littleEndian !== HOST_LITTLE_ENDIAN) swapBytesInPlace(dst, size);
  return out;
}

/** Reverses the byte order of every `size`-byte word of `bytes` (in place). */
export function swapBytesInPlace(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}

/**
 * Decompresses gzip or zlib data, turning any decoder failure into an ImageReadError naming
 * `file`. `needed` is the number of decompressed bytes the caller will use: data after a complete
 * prefix of that length (trailing junk, a missing trailer) is tolerated as ITK's readers do, while
 * a stream that ends or breaks before `needed` bytes is reported as truncated or corrupt.
 */
export async function decompressOrFail(
  file: string,
  bytes: Uint8Array,
  format: "gzip" | "deflate",
  needed: number,
): Promise<Uint8Array> {
  const label = format === "gzip" ? "gzip" : "zlib";
  let result: { data: Uint8Array; error?: unknown };
  try {
    result = await gunzipPrefix(bytes, format, needed);
  } catch (error) {
    throw new ImageReadError(file, `corrupt ${label} data (${errorText(error)})`, {
      cause: error,
    });
  }
  if (result.data.length >= needed) return result.data;
  if (result.error !== undefined) {
    const text = errorText(result.error);
    const kind = /unexpected end/i.test(text) ? "truncated" : "corrupt";
    throw new ImageReadError(
      file,
      `${kind} ${label} data (${text}): decompressed ${result.data.length} of ${needed} bytes`,
      { cause: result.error },
    );
  }
  throw new ImageReadError(
    file,
    `truncated voxel data: ${label} stream holds ${result.data.length} bytes, need ${needed}`,
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Parses a decimal or exponent number exactly as C's strtod would (correctly rounded), or NaN. */
export function parseNumber(text: string): number {
  const t = text.trim();
  if (/^[+-]?nan$/i.test(t)) return Number.NaN;
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

/** Directory part of a slash-separated name ("a/b/c.nhdr" -> "a/"), "" when there is none. */
export function dirnameOf(name: string): string {
  const i = Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\"));
  return i >= 0 ? name.slice(0, i + 1) : "";
}
