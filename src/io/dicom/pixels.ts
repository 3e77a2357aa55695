/**
 * Pixel data to stored values, frame by frame (before the modality LUT).
 *
 * Native pixel data is split into frames of rows x columns x samples values of the stored type
 * (BitsAllocated 8/16/32, PixelRepresentation 0 unsigned / 1 signed; BitsAllocated 1 is unpacked
 * to 0/1 bytes, first pixel in the least significant bit, frames not byte-aligned as PS3.5 8.1.1
 * allows). Signed values narrower than BitsAllocated are sign-extended from HighBit, and bits
 * above HighBit are masked off, as PS3.5 8.1.1 and ITK / dcm2niix do. Encapsulated pixel data is
 * handed to the codecs (codecs.ts).
 */
import { ImageReadError, HOST_LITTLE_ENDIAN, swapBytesInPlace } from "../image-error.js";
import { decodeCompressedFrame } from "./codecs.js";
import {
  type DicomInstance,
  describeTransferSyntax,
  NATIVE_TRANSFER_SYNTAXES,
  numberOf,
  stringOf,
} from "./parse.js";

export type FrameArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

/** The image pixel module (PS3.3 C.7.6.3) of an instance. */
export interface PixelModule {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  /** 0 unsigned, 1 two's complement. */
  pixelRepresentation: 0 | 1;
  numberOfFrames: number;
  photometricInterpretation: string;
  /** 0 colour-by-pixel, 1 colour-by-plane (only meaningful with samplesPerPixel > 1). */
  planarConfiguration: 0 | 1;
}

export function pixelModuleOf(instance: DicomInstance): PixelModule {
  const ds = instance.dataset;
  const rows = numberOf(ds, "Rows");
  const columns = numberOf(ds, "Columns");
  const bitsAllocated = numberOf(ds, "BitsAllocated");
  if (!rows || !columns || !bitsAllocated || rows < 1 || columns < 1) {
    throw new ImageReadError(instance.file, "missing or invalid Rows / Columns / BitsAllocated");
  }
  if (![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new ImageReadError(instance.file, `unsupported BitsAllocated ${bitsAllocated}`);
  }
  const bitsStored = numberOf(ds, "BitsStored") ?? bitsAllocated;
  const highBit = numberOf(ds, "HighBit") ?? bitsStored - 1;
  const frames = numberOf(ds, "NumberOfFrames") ?? 1;
  if (!Number.isInteger(frames) || frames < 1) {
    throw new ImageReadError(instance.file, `invalid NumberOfFrames ${frames}`);
  }
  return {
    rows,
    columns,
    samplesPerPixel: numberOf(ds, "SamplesPerPixel") ?? 1,
    bitsAllocated,
    bitsStored: Math.min(bitsStored, bitsAllocated),
    highBit: Math.min(highBit, bitsAllocated - 1),
    pixelRepresentation: numberOf(ds, "PixelRepresentation") === 1 ? 1 : 0,
    numberOfFrames: frames,
    photometricInterpretation: stringOf(ds, "PhotometricInterpretation") ?? "MONOCHROME2",
    planarConfiguration: numberOf(ds, "PlanarConfiguration") === 1 ? 1 : 0,
  };
}

/** A zero-filled frame array of the stored type. */
export function allocateFrame(pm: PixelModule, count: number): FrameArray {
  const signed = pm.pixelRepresentation === 1;
  switch (pm.bitsAllocated) {
    case 1:
      return new Uint8Array(count);
    case 8:
      return signed ? new Int8Array(count) : new Uint8Array(count);
    case 16:
      return signed ? new Int16Array(count) : new Uint16Array(count);
    default:
      return signed ? new Int32Array(count) : new Uint32Array(count);
  }
}

/**
 * Masks bits above HighBit and sign-extends signed values stored in fewer bits than allocated
 * (e.g. 12-bit signed in 16-bit words), in place.
 */
export function normaliseStoredBits(frame: FrameArray, pm: PixelModule): void {
  const bits = pm.highBit + 1;
  if (pm.bitsAllocated === 1 || bits >= pm.bitsAllocated) return;
  const mask = bits >= 32 ? 0xffffffff : (1 << bits) - 1;
  if (pm.pixelRepresentation === 1) {
    const shift = 32 - bits;
    for (let i = 0; i < frame.length; i++) frame[i] = ((frame[i]! & mask) << shift) >> shift;
  } else {
    for (let i = 0; i < frame.length; i++) frame[i] = (frame[i]! & mask) >>> 0;
  }
}

/**
 * Every frame of the instance as stored values (samplesPerPixel values per pixel, interleaved),
 * in frame order. Throws an ImageReadError naming the file when the pixel data is missing, shorter
 * than the pixel module announces, or in a transfer syntax no codec here decodes.
 */
export async function decodeFrames(instance: DicomInstance): Promise<FrameArray[]> {
  const pm = pixelModuleOf(instance);
  const pixelData = instance.pixelData;
  if (!pixelData || pixelData.length === 0) {
    throw new ImageReadError(instance.file, "the file has no pixel data");
  }
  const perFrame = pm.rows * pm.columns * pm.samplesPerPixel;
  if (NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntaxUid)) {
    const bytes = pixelData.length === 1 ? pixelData[0]! : concatenate(pixelData);
    const bigEndian = instance.transferSyntaxUid === "1.2.840.10008.1.2.2";
    return splitNativeFrames(instance.file, bytes, pm, perFrame, bigEndian, instance.pixelDataVr);
  }
  if (pixelData.length < pm.numberOfFrames) {
    throw new ImageReadError(
      instance.file,
      `encapsulated pixel data holds ${pixelData.length} frames but NumberOfFrames is ${pm.numberOfFrames}`,
    );
  }
  const frames: FrameArray[] = [];
  for (let f = 0; f < pm.numberOfFrames; f++) {
    let frame: FrameArray;
    try {
      frame = await decodeCompressedFrame(instance.transferSyntaxUid, pixelData[f]!, pm);
    } catch (error) {
      if (error instanceof ImageReadError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new ImageReadError(
        instance.file,
        `frame ${f + 1} could not be decoded (${describeTransferSyntax(instance.transferSyntaxUid)}): ${reason}`,
        { cause: error },
      );
    }
    if (frame.length !== perFrame) {
      throw new ImageReadError(
        instance.file,
        `frame ${f + 1} decoded to ${frame.length} values, expected ${pm.rows} x ${pm.columns} x ${pm.samplesPerPixel}`,
      );
    }
    normaliseStoredBits(frame, pm);
    frames.push(frame);
  }
  return frames;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function splitNativeFrames(
  file: string,
  bytes: Uint8Array,
  pm: PixelModule,
  perFrame: number,
  bigEndian: boolean,
  vr: string | undefined,
): FrameArray[] {
  const frames: FrameArray[] = [];
  if (pm.bitsAllocated === 1) {
    const neededBits = perFrame * pm.numberOfFrames;
    if (bytes.length * 8 < neededBits) {
      throw new ImageReadError(
        file,
        `truncated pixel data: ${pm.numberOfFrames} frames of ${pm.rows} x ${pm.columns} 1-bit pixels need ${Math.ceil(neededBits / 8)} bytes but only ${bytes.length} are present`,
      );
    }
    // Frames follow each other bit by bit (PS3.5 8.1.1: no padding between frames).
    for (let f = 0; f < pm.numberOfFrames; f++) {
      const frame = new Uint8Array(perFrame);
      const base = f * perFrame;
      for (let i = 0; i < perFrame; i++) {
        const bit = base + i;
        frame[i] = (bytes[bit >>> 3]! >>> (bit & 7)) & 1;
      }
      frames.push(frame);
    }
    return frames;
  }
  const bytesPerValue = pm.bitsAllocated / 8;
  const frameBytes = perFrame * bytesPerValue;
  const needed = frameBytes * pm.numberOfFrames;
  if (bytes.length < needed) {
    throw new ImageReadError(
      file,
      `truncated pixel data: ${pm.numberOfFrames} frame(s) of ${pm.rows} x ${pm.columns} x ${pm.samplesPerPixel} ${pm.bitsAllocated}-bit values need ${needed} bytes but only ${bytes.length} are present`,
    );
  }
  // In big-endian files OW words are byte-swapped; OB (8-bit) data is a byte stream either way.
  const fileLittleEndian = !bigEndian || bytesPerValue === 1 || vr === "OB";
  for (let f = 0; f < pm.numberOfFrames; f++) {
    const frame = allocateFrame(pm, perFrame);
    const dst = new Uint8Array(frame.buffer, frame.byteOffset, frameBytes);
    dst.set(bytes.subarray(f * frameBytes, (f + 1) * frameBytes));
    if (fileLittleEndian !== HOST_LITTLE_ENDIAN) swapBytesInPlace(dst, bytesPerValue);
    normaliseStoredBits(frame, pm);
    frames.push(frame);
  }
  return frames;
}
