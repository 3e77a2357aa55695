/**
 * gzip / zlib (de)compression. The default codec uses the Web Streams API (Node 20 and browsers
 * alike); an environment with a faster native codec (Node's zlib, installed by src/node/files.ts)
 * can replace it with setCompressionCodec.
 */

export type CompressionFormat = "gzip" | "deflate";

export interface CompressionCodec {
  /**
   * Decompress as much as possible; `error` is set when the stream failed part-way.
   * `expectedSize` (when known) lets a codec allocate its output once.
   */
  decompressPrefix(
    bytes: Uint8Array,
    format: CompressionFormat,
    expectedSize?: number,
  ): Promise<{ data: Uint8Array; error?: unknown }>;
  compress(bytes: Uint8Array, format: CompressionFormat): Promise<Uint8Array>;
}

let codec: CompressionCodec | null = null;

/** Replace the codec used by every reader and writer (null restores the Web Streams codec). */
export function setCompressionCodec(replacement: CompressionCodec | null): void {
  codec = replacement;
}

export async function gunzip(
  bytes: Uint8Array,
  format: "gzip" | "deflate" = "gzip",
): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream(format));
  const buffer = await new Response(stream).arrayBuffer();
  return new Uint8Array(buffer);
}

export async function gzip(
  bytes: Uint8Array,
  format: "gzip" | "deflate" = "gzip",
): Promise<Uint8Array> {
  if (codec) return codec.compress(bytes, format);
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream(format));
  const buffer = await new Response(stream).arrayBuffer();
  return new Uint8Array(buffer);
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses as much of a gzip / zlib stream as the decoder accepts. Returns the bytes decoded
 * so far and, when the stream failed part-way (truncated input, trailing junk, corrupt block),
 * the decoder's error, so that the caller can decide whether the prefix it needs is complete.
 */
export async function gunzipPrefix(
  bytes: Uint8Array,
  format: "gzip" | "deflate" = "gzip",
  expectedSize?: number,
): Promise<{ data: Uint8Array; error?: unknown }> {
  if (codec) return codec.decompressPrefix(bytes, format, expectedSize);
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream(format))
    .getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let error: unknown;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
    }
  } catch (e) {
    error = e;
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.length;
  }
  return error === undefined ? { data } : { data, error };
}
