/**
 * Decoders for encapsulated (compressed) pixel data. PLACEHOLDER: being written; every compressed
 * transfer syntax is reported as unsupported until then.
 */
import { describeTransferSyntax } from "./parse.js";
import type { FrameArray, PixelModule } from "./pixels.js";

export async function decodeCompressedFrame(
  transferSyntaxUid: string,
  _bytes: Uint8Array,
  _pm: PixelModule,
): Promise<FrameArray> {
  throw new Error(`unsupported transfer syntax: ${describeTransferSyntax(transferSyntaxUid)}`);
}
