/**
 * Node's native zlib as radscore's compression codec (several times faster than the Web Streams
 * codec on large volumes). Installed by the Node file edge; the browser keeps the default.
 *
 * Decompression runs on the calling thread by default. With inflateInBackground(true) it runs on
 * libuv's thread pool instead, so a thread that extracts one case while the next case's files
 * inflate keeps two cores busy without a second JavaScript thread (which would first have to load
 * and warm up its own copy of the code). Same bytes either way.
 */
import { promisify } from "node:util";
import {
  constants,
  deflateSync,
  gunzip,
  gunzipSync,
  gzipSync,
  inflate,
  inflateSync,
  type ZlibOptions,
} from "node:zlib";
import { type CompressionCodec, setCompressionCodec } from "../io/gzip.js";

const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const gunzipInBackground = promisify<Uint8Array, ZlibOptions, Buffer>(gunzip);
const inflateInBackgroundPool = promisify<Uint8Array, ZlibOptions, Buffer>(inflate);
let background = false;

/** Decompress on libuv's thread pool (true) or on the calling thread (false, the default). */
export function inflateInBackground(on: boolean): void {
  background = on;
}

export const zlibCodec: CompressionCodec = {
  async decompressPrefix(bytes, format, expectedSize) {
    const inflateNow = format === "gzip" ? gunzipSync : inflateSync;
    const inflateLater = format === "gzip" ? gunzipInBackground : inflateInBackgroundPool;
    // One output chunk of the expected size avoids growing and concatenating 16 KiB chunks.
    const chunkSize =
      expectedSize !== undefined ? Math.max(64 * 1024, expectedSize + 1024) : 64 * 1024;
    try {
      const out = background
        ? await inflateLater(bytes, { chunkSize })
        : inflateNow(bytes, { chunkSize });
      return { data: toBytes(out) };
    } catch (error) {
      // Truncated or corrupt: keep what decodes (a sync flush returns the complete prefix).
      try {
        return { data: toBytes(inflateNow(bytes, { finishFlush: constants.Z_SYNC_FLUSH })), error };
      } catch {
        return { data: new Uint8Array(0), error };
      }
    }
  },
  async compress(bytes, format) {
    return toBytes(
      format === "gzip" ? gzipSync(bytes, { level: 6 }) : deflateSync(bytes, { level: 6 }),
    );
  },
};

setCompressionCodec(zlibCodec);
