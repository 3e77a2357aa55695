/**
 * Node's native zlib as radscore's compression codec (several times faster than the Web Streams
 * codec on large volumes). Installed by the Node file edge; the browser keeps the default.
 */
import { constants, deflateSync, gunzipSync, gzipSync, inflateSync } from "node:zlib";
import { type CompressionCodec, setCompressionCodec } from "../io/gzip.js";

const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const zlibCodec: CompressionCodec = {
  async decompressPrefix(bytes, format, expectedSize) {
    const inflate = format === "gzip" ? gunzipSync : inflateSync;
    // One output chunk of the expected size avoids growing and concatenating 16 KiB chunks.
    const chunkSize =
      expectedSize !== undefined ? Math.max(64 * 1024, expectedSize + 1024) : 64 * 1024;
    try {
      return { data: toBytes(inflate(bytes, { chunkSize })) };
    } catch (error) {
      // Truncated or corrupt: keep what decodes (a sync flush returns the complete prefix).
      try {
        return { data: toBytes(inflate(bytes, { finishFlush: constants.Z_SYNC_FLUSH })), error };
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
