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
import { HOST_LITTLE_ENDIAN, ImageReadError, swapBytesInPlace } from "../image-error.js";
import {
  DECODABLE_COMPRESSED_SYNTAXES,
  decodeCompressedFrame,
  UnsupportedTransferSyntaxError,
} from "./codecs.js";
import {
  concatenateBytes,
  type DicomInstance,
  describeTransferSyntax,
  NATIVE_TRANSFER_SYNTAXES,
  numberOf,
  stringOf,
  TRANSFER_SYNTAX_NAMES,
  transferSyntaxName,
} from "./parse.js";

/**
 * Largest decoded frame, in bytes, that decodeFrames will allocate (1 GiB: far above any
 * radiological frame; whole-slide images come tiled). A larger pixel module is taken for a corrupt
 * header rather than allocated.
 */
export const MAX_FRAME_BYTES = 2 ** 30;

export type FrameArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array;

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
  const isCount = (n: number | undefined, max: number): n is number =>
    n !== undefined && Number.isInteger(n) && n >= 1 && n <= max;
  // Rows and Columns are US (at most 65535).
  if (!isCount(rows, 65535) || !isCount(columns, 65535) || !bitsAllocated) {
    throw new ImageReadError(instance.file, "missing or invalid Rows / Columns / BitsAllocated");
  }
  if (![1, 8, 16, 32].includes(bitsAllocated)) {
    throw new ImageReadError(instance.file, `unsupported BitsAllocated ${bitsAllocated}`);
  }
  const bitsStored = numberOf(ds, "BitsStored") ?? bitsAllocated;
  if (!isCount(bitsStored, 64)) {
    throw new ImageReadError(instance.file, `invalid BitsStored ${bitsStored}`);
  }
  const highBit = numberOf(ds, "HighBit") ?? bitsStored - 1;
  if (!Number.isInteger(highBit) || highBit < 0 || highBit > 63) {
    throw new ImageReadError(instance.file, `invalid HighBit ${highBit}`);
  }
  const samplesPerPixel = numberOf(ds, "SamplesPerPixel") ?? 1;
  if (!isCount(samplesPerPixel, 4)) {
    throw new ImageReadError(instance.file, `invalid SamplesPerPixel ${samplesPerPixel}`);
  }
  const frames = numberOf(ds, "NumberOfFrames") ?? 1;
  if (!Number.isInteger(frames) || frames < 1) {
    throw new ImageReadError(instance.file, `invalid NumberOfFrames ${frames}`);
  }
  return {
    rows,
    columns,
    samplesPerPixel,
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
 * than the pixel module announces, corrupt, or in a transfer syntax no codec here decodes (the
 * message names it); anything a decoder throws becomes such an error. Native frames may be views
 * of the instance's own bytes: read them, never write to them.
 */
export async function decodeFrames(instance: DicomInstance): Promise<FrameArray[]> {
  try {
    return await decodeFramesUnchecked(instance);
  } catch (error) {
    if (error instanceof ImageReadError) throw error;
    throw new ImageReadError(
      instance.file,
      `pixel data could not be decoded (${describeTransferSyntax(instance.transferSyntaxUid)}): ${messageOf(error)}`,
      { cause: error },
    );
  }
}

function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** "unsupported transfer syntax: transfer syntax 1.2.840.10008.1.2.4.100 (MPEG2 Main Profile / Main Level)". */
function unsupportedSyntax(uid: string): string {
  const name = TRANSFER_SYNTAX_NAMES[uid] ? undefined : transferSyntaxName(uid);
  return `unsupported transfer syntax: ${describeTransferSyntax(uid)}${name ? ` (${name})` : ""}; radscore decodes uncompressed, RLE, JPEG, JPEG-LS and JPEG 2000 / HTJ2K pixel data`;
}

/**
 * Throws an ImageReadError naming the file when one frame of the pixel module would exceed
 * MAX_FRAME_BYTES (corrupt Rows / Columns), or when native pixel data is shorter than its frames:
 * callers check this before allocating anything of the frames' size.
 */
export function checkFrameSize(
  instance: DicomInstance,
  pm: PixelModule = pixelModuleOf(instance),
): void {
  const perFrame = pm.rows * pm.columns * pm.samplesPerPixel;
  const frameBytes = (perFrame * Math.max(8, pm.bitsAllocated)) / 8;
  if (frameBytes > MAX_FRAME_BYTES) {
    throw new ImageReadError(
      instance.file,
      `a frame of ${pm.rows} x ${pm.columns} x ${pm.samplesPerPixel} ${pm.bitsAllocated}-bit values (${frameBytes} bytes) is larger than the ${MAX_FRAME_BYTES}-byte limit: corrupt Rows / Columns?`,
    );
  }
  if (NATIVE_TRANSFER_SYNTAXES.has(instance.transferSyntaxUid) && instance.pixelData) {
    const have = instance.pixelData.reduce((n, p) => n + p.length, 0);
    const need = Math.ceil((perFrame * pm.numberOfFrames * pm.bitsAllocated) / 8);
    if (have < need) {
      throw new ImageReadError(
        instance.file,
        `truncated pixel data: ${pm.numberOfFrames} frame(s) of ${pm.rows} x ${pm.columns} x ${pm.samplesPerPixel} ${pm.bitsAllocated}-bit values need ${need} bytes but only ${have} are present`,
      );
    }
  }
}

/**
 * The instance's pixel data as parsed, or fetched now when it was parsed without them (not kept
 * on the instance: the caller decodes and drops them). An ImageReadError when there are none.
 */
export async function pixelDataOf(
  instance: DicomInstance,
): Promise<{ pixelData: Uint8Array[]; pixelDataVr: string | undefined }> {
  if (instance.pixelData)
    return { pixelData: instance.pixelData, pixelDataVr: instance.pixelDataVr };
  if (instance.loadPixelData) return instance.loadPixelData();
  throw new ImageReadError(instance.file, "the file has no pixel data");
}

async function decodeFramesUnchecked(instance: DicomInstance): Promise<FrameArray[]> {
  const uid = instance.transferSyntaxUid;
  const native = NATIVE_TRANSFER_SYNTAXES.has(uid);
  if (!native && !DECODABLE_COMPRESSED_SYNTAXES.has(uid)) {
    throw new ImageReadError(instance.file, unsupportedSyntax(uid));
  }
  const pm = pixelModuleOf(instance);
  checkFrameSize(instance, pm);
  const { pixelData, pixelDataVr } = await pixelDataOf(instance);
  if (pixelData.length === 0) {
    throw new ImageReadError(instance.file, "the file has no pixel data");
  }
  const perFrame = pm.rows * pm.columns * pm.samplesPerPixel;
  if (native) {
    const bytes = pixelData.length === 1 ? pixelData[0]! : concatenateBytes(pixelData);
    const bigEndian = uid === "1.2.840.10008.1.2.2";
    return splitNativeFrames(instance.file, bytes, pm, perFrame, bigEndian, pixelDataVr);
  }
  if (pixelData.length !== pm.numberOfFrames) {
    throw new ImageReadError(
      instance.file,
      `encapsulated pixel data holds ${pixelData.length} ${pixelData.length < pm.numberOfFrames ? "frames" : "fragments that could not be grouped into frames (no usable Basic Offset Table)"} but NumberOfFrames is ${pm.numberOfFrames}`,
    );
  }
  const frames: FrameArray[] = [];
  for (let f = 0; f < pm.numberOfFrames; f++) {
    let frame: FrameArray;
    try {
      frame = await decodeCompressedFrame(uid, pixelData[f]!, pm);
    } catch (error) {
      if (error instanceof ImageReadError) throw error;
      if (error instanceof UnsupportedTransferSyntaxError) {
        throw new ImageReadError(instance.file, `frame ${f + 1}: ${error.message}`, {
          cause: error,
        });
      }
      throw new ImageReadError(
        instance.file,
        `frame ${f + 1} could not be decoded (${describeTransferSyntax(uid)}): ${messageOf(error)}`,
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
  // Values already in host order and using every allocated bit can be viewed in place: no copy
  // (callers copy frames into their volume and never write to them).
  const start = bytes.byteOffset;
  const inPlace =
    fileLittleEndian === HOST_LITTLE_ENDIAN &&
    pm.highBit + 1 === pm.bitsAllocated &&
    start % bytesPerValue === 0;
  if (inPlace) {
    const View = allocateFrame(pm, 0).constructor as new (
      buffer: ArrayBufferLike,
      byteOffset: number,
      length: number,
    ) => FrameArray;
    for (let f = 0; f < pm.numberOfFrames; f++) {
      frames.push(new View(bytes.buffer, start + f * frameBytes, perFrame));
    }
    return frames;
  }
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
