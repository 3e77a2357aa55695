/**
 * Decoders for encapsulated (compressed) pixel data, one frame at a time (PS3.5 8.2 and A.4).
 *
 * | transfer syntax                          | decoder                                              |
 * | ---------------------------------------- | ---------------------------------------------------- |
 * | RLE Lossless (.5)                        | rle.ts (PS3.5 Annex G, written here)                 |
 * | JPEG Baseline / Extended (.4.50, .4.51)  | libjpeg-turbo, 8-bit (@cornerstonejs/codec-libjpeg-turbo-8bit) |
 * | JPEG Lossless (.4.57, .4.70)             | jpeg-lossless-decoder-js (pure JavaScript)           |
 * | JPEG-LS (.4.80, .4.81)                   | CharLS (@cornerstonejs/codec-charls)                 |
 * | JPEG 2000 (.4.90, .4.91), HTJ2K (.4.201-.4.203) | OpenJPEG 2.5, which has the HT block decoder (@cornerstonejs/codec-openjpeg) |
 *
 * Each codec package is loaded on first use with a dynamic import() and its initialised module is
 * cached, so nothing is loaded until a compressed file is met. The @cornerstonejs packages are
 * used through their `decodewasmjs` exports (decoder-only WebAssembly builds, about half the size
 * of the full ones). Under Node their Emscripten glue reads the .wasm file that sits beside it in
 * node_modules; in a browser it fetches it relative to the script, and `configureCodecs` lets an
 * application that serves the .wasm files elsewhere say where. This module itself imports nothing
 * Node-only.
 *
 * All decoders return rows x columns x samplesPerPixel stored values, samples interleaved per
 * pixel, in the typed array of `allocateFrame` (so signed when PixelRepresentation is 1: unsigned
 * codec output is reinterpreted as two's complement by the typed-array conversion, and pixels.ts
 * then masks and sign-extends from HighBit). Colour JPEG (YBR_FULL_422 and the like) comes out of
 * libjpeg-turbo converted to RGB; JPEG 2000 with the multi-component transform (YBR_RCT/YBR_ICT)
 * comes out of OpenJPEG as RGB too.
 */
import { HOST_LITTLE_ENDIAN, swapBytesInPlace } from "../image-error.js";
import { describeTransferSyntax } from "./parse.js";
import { allocateFrame, type FrameArray, type PixelModule } from "./pixels.js";
import { decodeRleFrame } from "./rle.js";

/** The frame's transfer syntax has no decoder here (or uses a variant the decoder lacks). */
export class UnsupportedTransferSyntaxError extends Error {
  readonly transferSyntaxUid: string;
  constructor(transferSyntaxUid: string, detail?: string) {
    super(
      `unsupported transfer syntax: ${describeTransferSyntax(transferSyntaxUid)}${detail ? ` ${detail}` : ""}`,
    );
    this.name = "UnsupportedTransferSyntaxError";
    this.transferSyntaxUid = transferSyntaxUid;
  }
}

const RLE_LOSSLESS = "1.2.840.10008.1.2.5";
const JPEG_SYNTAXES = new Set([
  "1.2.840.10008.1.2.4.50", // Baseline (Process 1)
  "1.2.840.10008.1.2.4.51", // Extended (Process 2 & 4)
  "1.2.840.10008.1.2.4.57", // Lossless (Process 14)
  "1.2.840.10008.1.2.4.70", // Lossless SV1
]);
const JPEG_LS_SYNTAXES = new Set(["1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81"]);
const JPEG_2000_SYNTAXES = new Set([
  "1.2.840.10008.1.2.4.90",
  "1.2.840.10008.1.2.4.91",
  // HTJ2K (PS3.5 A.4.11): JPEG 2000 Part 15 codestreams, which OpenJPEG >= 2.5 decodes.
  "1.2.840.10008.1.2.4.201",
  "1.2.840.10008.1.2.4.202",
  "1.2.840.10008.1.2.4.203",
]);

/** Encapsulated transfer syntaxes `decodeCompressedFrame` decodes. */
export const DECODABLE_COMPRESSED_SYNTAXES: ReadonlySet<string> = new Set([
  RLE_LOSSLESS,
  ...JPEG_SYNTAXES,
  ...JPEG_LS_SYNTAXES,
  ...JPEG_2000_SYNTAXES,
]);

/**
 * Decodes one encapsulated frame to its stored values: rows x columns x samplesPerPixel values,
 * samples interleaved per pixel, in the frame array type of the pixel module. Throws an
 * UnsupportedTransferSyntaxError for a syntax (or a variant such as 12-bit lossy JPEG) no decoder
 * here handles, and an Error saying what is wrong for corrupt, truncated or inconsistent data.
 */
export async function decodeCompressedFrame(
  transferSyntaxUid: string,
  bytes: Uint8Array,
  pm: PixelModule,
): Promise<FrameArray> {
  if (!DECODABLE_COMPRESSED_SYNTAXES.has(transferSyntaxUid)) {
    throw new UnsupportedTransferSyntaxError(transferSyntaxUid);
  }
  if (bytes.length === 0) throw new Error("the frame's compressed data is empty");
  if (transferSyntaxUid === RLE_LOSSLESS) return decodeRleFrame(bytes, pm);
  if (JPEG_SYNTAXES.has(transferSyntaxUid)) return decodeJpeg(transferSyntaxUid, bytes, pm);
  if (JPEG_LS_SYNTAXES.has(transferSyntaxUid)) return decodeJpegLs(bytes, pm);
  return decodeJpeg2000(bytes, pm);
}

// ---------------------------------------------------------------------------------------------
// Loading the codec packages.

export interface CodecOptions {
  /**
   * Where the WebAssembly decoders find their .wasm files (Emscripten's `locateFile`): called with
   * the file name (e.g. "charlswasm_decode.wasm") and the directory Emscripten derived from the
   * script's location, returns the path or URL to load. Not needed under Node, where the glue
   * reads the file beside it in node_modules; set it in a browser bundle that serves the .wasm
   * files of @cornerstonejs/codec-charls, -libjpeg-turbo-8bit and -openjpeg from elsewhere.
   */
  locateWasm?: (fileName: string, scriptDirectory: string) => string;
}

let codecOptions: CodecOptions = {};

/** Sets how the WebAssembly decoders are loaded; modules already loaded are dropped. */
export function configureCodecs(options: CodecOptions): void {
  codecOptions = { ...options };
  for (const codec of [charls, libjpegTurbo, openJpeg]) codec.reset();
}

interface EmscriptenOptions {
  print: (text: string) => void;
  printErr: (text: string) => void;
  locateFile?: (path: string, scriptDirectory: string) => string;
}

interface LoadedCodec<M> {
  module: M;
  /** What the module printed (OpenJPEG reports its errors this way), last lines only. */
  log: string[];
}

const LOG_LINES = 40;

/**
 * One lazily instantiated WebAssembly codec. A failed load is not cached (the next frame retries);
 * `reset` drops a module whose memory may be inconsistent after a WebAssembly trap.
 */
class WasmCodec<M> {
  private loading: Promise<LoadedCodec<M>> | undefined;
  constructor(
    readonly label: string,
    private readonly packageName: string,
    private readonly instantiate: (options: EmscriptenOptions) => Promise<M>,
  ) {}

  get(): Promise<LoadedCodec<M>> {
    if (!this.loading) {
      const log: string[] = [];
      const capture = (text: string) => {
        log.push(text);
        if (log.length > LOG_LINES) log.shift();
      };
      const options: EmscriptenOptions = { print: capture, printErr: capture };
      if (codecOptions.locateWasm) options.locateFile = codecOptions.locateWasm;
      const loading = this.instantiate(options).then(
        (module) => ({ module, log }),
        (error: unknown) => {
          if (this.loading === loading) this.loading = undefined;
          throw new Error(
            `could not load the ${this.label} decoder (${this.packageName}): ${messageOf(error)}`,
            { cause: error },
          );
        },
      );
      this.loading = loading;
    }
    return this.loading;
  }

  reset(): void {
    this.loading = undefined;
  }
}

const charls = new WasmCodec("JPEG-LS", "@cornerstonejs/codec-charls", async (options) => {
  const { default: factory } = await import("@cornerstonejs/codec-charls/decodewasmjs");
  return factory(options);
});
const libjpegTurbo = new WasmCodec(
  "JPEG",
  "@cornerstonejs/codec-libjpeg-turbo-8bit",
  async (options) => {
    const { default: factory } = await import(
      "@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs"
    );
    return factory(options);
  },
);
const openJpeg = new WasmCodec("JPEG 2000", "@cornerstonejs/codec-openjpeg", async (options) => {
  const { default: factory } = await import("@cornerstonejs/codec-openjpeg/decodewasmjs");
  return factory(options);
});

type LosslessModule = typeof import("jpeg-lossless-decoder-js");
let losslessModule: Promise<LosslessModule> | undefined;

function loadJpegLossless(): Promise<LosslessModule> {
  if (!losslessModule) {
    const loading = import("jpeg-lossless-decoder-js").catch((error: unknown) => {
      if (losslessModule === loading) losslessModule = undefined;
      throw new Error(
        `could not load the JPEG Lossless decoder (jpeg-lossless-decoder-js): ${messageOf(error)}`,
        { cause: error },
      );
    });
    losslessModule = loading;
  }
  return losslessModule;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The embind object every WebAssembly decoder class returns. */
interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  decode(): void;
  delete(): void;
}

/**
 * Copies `bytes` into the decoder and decodes, turning what the module throws into an Error. A C++
 * exception arrives as a number (its address); `describe` turns it into the codec's message where
 * the build can. Anything else (a WebAssembly trap such as an out-of-bounds access) may leave the
 * module's memory inconsistent, so the module is dropped and the next frame gets a fresh one.
 */
function runDecoder<M>(
  codec: WasmCodec<M>,
  loaded: LoadedCodec<M>,
  decoder: WasmDecoder,
  bytes: Uint8Array,
  describe?: (exception: number) => string | undefined,
): void {
  loaded.log.length = 0;
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    decoder.decode();
  } catch (error) {
    if (typeof error === "number") {
      const detail =
        describe?.(error) ?? printedErrors(loaded.log) ?? "corrupt or unsupported data";
      throw new Error(`the ${codec.label} decoder rejected the data: ${detail}`);
    }
    codec.reset();
    throw new Error(`the ${codec.label} decoder failed: ${messageOf(error)}`, { cause: error });
  }
}

function freeDecoder(decoder: WasmDecoder): void {
  try {
    decoder.delete();
  } catch {
    // The module trapped and was dropped; its memory goes with it.
  }
}

/** The "[ERROR] ..." lines a codec printed, joined; undefined when there are none. */
function printedErrors(log: string[]): string | undefined {
  const errors = log
    .filter((line) => line.includes("[ERROR]"))
    .map((line) => line.replace(/^\s*\[ERROR\]\s*/, "").trim());
  return errors.length > 0 ? errors.join("; ") : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared checks and conversion.

/** Throws unless the codestream's dimensions are the pixel module's. */
function checkGeometry(
  what: string,
  width: number,
  height: number,
  components: number,
  pm: PixelModule,
): void {
  if (width !== pm.columns || height !== pm.rows || components !== pm.samplesPerPixel) {
    throw new Error(
      `the ${what} data is ${width} x ${height} with ${components} component(s) but the pixel module says ${pm.columns} x ${pm.rows} with ${pm.samplesPerPixel} sample(s) per pixel`,
    );
  }
}

/** Throws when decoded samples are wider than the stored values can hold. */
function checkPrecision(what: string, precision: number, pm: PixelModule): void {
  if (precision < 1 || precision > 16) {
    throw new Error(`the ${what} data has ${precision}-bit samples (1 to 16 bits are decoded)`);
  }
  // BitsAllocated 1 (binary segmentations) may be stored compressed as 8-bit 0/1 samples.
  if (pm.bitsAllocated !== 1 && precision > pm.bitsAllocated) {
    throw new Error(
      `the ${what} data has ${precision}-bit samples but BitsAllocated is ${pm.bitsAllocated}`,
    );
  }
}

/**
 * The frame array holding the decoded samples `raw` (little-endian, `bytesPerSample` each, as
 * WebAssembly memory is), interleaved per pixel; `planar` data (component by component) is
 * interleaved on the way.
 */
function samplesToFrame(
  what: string,
  raw: Uint8Array | Uint8ClampedArray,
  bytesPerSample: 1 | 2,
  signed: boolean,
  pm: PixelModule,
  planar = false,
): FrameArray {
  const pixels = pm.rows * pm.columns;
  const count = pixels * pm.samplesPerPixel;
  if (raw.length !== count * bytesPerSample) {
    throw new Error(
      `the ${what} decoder returned ${raw.length} bytes, expected ${count * bytesPerSample} (${pm.columns} x ${pm.rows} x ${pm.samplesPerPixel} samples of ${bytesPerSample} byte(s))`,
    );
  }
  let source: ArrayLike<number>;
  if (bytesPerSample === 1) {
    source = signed
      ? new Int8Array(raw.buffer, raw.byteOffset, count)
      : new Uint8Array(raw.buffer, raw.byteOffset, count);
  } else {
    let bytes: Uint8Array = new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
    if (bytes.byteOffset % 2 !== 0 || !HOST_LITTLE_ENDIAN) {
      bytes = bytes.slice();
      if (!HOST_LITTLE_ENDIAN) swapBytesInPlace(bytes, 2);
    }
    source = signed
      ? new Int16Array(bytes.buffer, bytes.byteOffset, count)
      : new Uint16Array(bytes.buffer, bytes.byteOffset, count);
  }
  const out = allocateFrame(pm, count);
  const spp = pm.samplesPerPixel;
  if (planar && spp > 1) {
    for (let s = 0; s < spp; s++) {
      for (let p = 0; p < pixels; p++) out[p * spp + s] = source[s * pixels + p]!;
    }
  } else {
    // Typed-array conversion wraps values into the stored type (e.g. unsigned 16-bit codec output
    // into Int16Array gives the two's complement reading PixelRepresentation 1 asks for).
    out.set(source);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JPEG (ITU-T T.81): baseline / extended through libjpeg-turbo, lossless in JavaScript.

interface JpegFrameHeader {
  /** The SOFn marker's second byte (0xC0 baseline, 0xC1 extended, 0xC3 lossless, ...). */
  marker: number;
  precision: number;
  rows: number;
  columns: number;
  components: number;
}

/** T.81 SOFn markers (0xC0-0xCF less DHT 0xC4, JPG 0xC8 and DAC 0xCC). */
const isJpegFrameMarker = (marker: number) =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/**
 * The first frame header of a JPEG (T.81 B.2.2 SOFn) or JPEG-LS (T.87 Annex C SOF55, whose layout
 * is the same) stream; every read is bounds-checked. Read before decoding so that a header that
 * disagrees with the pixel module (or a corrupt one announcing a huge image) is refused before the
 * decoder allocates for it.
 */
function readJpegFrameHeader(
  what: string,
  bytes: Uint8Array,
  isFrameMarker: (marker: number) => boolean,
): JpegFrameHeader {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) {
    throw new Error(`the frame is not a ${what} stream (no SOI marker at its start)`);
  }
  let pos = 2;
  while (pos + 1 < bytes.length) {
    if (bytes[pos] !== 0xff)
      throw new Error(`${what} marker expected at byte ${pos}: corrupt stream`);
    const marker = bytes[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte (T.81 B.1.1.2)
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      pos += 2; // TEM and RSTn stand alone
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break; // EOI or SOS before any frame header
    if (pos + 3 >= bytes.length) break;
    const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
    if (length < 2) {
      throw new Error(`${what} marker segment at byte ${pos} has length ${length}: corrupt stream`);
    }
    if (isFrameMarker(marker)) {
      if (pos + 10 > bytes.length) break;
      return {
        marker,
        precision: bytes[pos + 4]!,
        rows: (bytes[pos + 5]! << 8) | bytes[pos + 6]!,
        columns: (bytes[pos + 7]! << 8) | bytes[pos + 8]!,
        components: bytes[pos + 9]!,
      };
    }
    pos += 2 + length;
  }
  throw new Error(
    `no ${what} frame header (SOF marker) before the scan data: corrupt or truncated stream`,
  );
}

/**
 * JPEG frames go to the decoder their frame header calls for rather than the one the transfer
 * syntax names: SOF3 (lossless, Huffman) to the lossless decoder, DCT processes to libjpeg-turbo.
 * Mislabelled files exist, and the codestream is what has to be decoded.
 */
async function decodeJpeg(uid: string, bytes: Uint8Array, pm: PixelModule): Promise<FrameArray> {
  const header = readJpegFrameHeader("JPEG", bytes, isJpegFrameMarker);
  const process = header.marker & 0x0f;
  if (process === 3) return decodeJpegLossless(header, bytes, pm);
  // Hierarchical (differential) processes and arithmetic-coded lossless have no decoder here.
  if (process >= 5 && process !== 9 && process !== 10) {
    throw new UnsupportedTransferSyntaxError(
      uid,
      `with a JPEG SOF${process} frame (hierarchical or arithmetic lossless JPEG is not decoded)`,
    );
  }
  if (header.precision !== 8) {
    throw new UnsupportedTransferSyntaxError(
      uid,
      `with ${header.precision}-bit samples (only 8-bit lossy JPEG is decoded)`,
    );
  }
  checkGeometry("JPEG", header.columns, header.rows, header.components, pm);
  const loaded = await libjpegTurbo.get();
  const decoder = new loaded.module.JPEGDecoder();
  try {
    // This build throws C strings, which it cannot turn back into messages.
    runDecoder(
      libjpegTurbo,
      loaded,
      decoder,
      bytes,
      () => "corrupt, truncated or unsupported JPEG data",
    );
    const info = decoder.getFrameInfo();
    checkGeometry("JPEG", info.width, info.height, info.componentCount, pm);
    return samplesToFrame("JPEG", decoder.getDecodedBuffer(), 1, false, pm);
  } finally {
    freeDecoder(decoder);
  }
}

async function decodeJpegLossless(
  header: JpegFrameHeader,
  bytes: Uint8Array,
  pm: PixelModule,
): Promise<FrameArray> {
  checkGeometry("JPEG Lossless", header.columns, header.rows, header.components, pm);
  checkPrecision("JPEG Lossless", header.precision, pm);
  const bytesPerSample = header.precision > 8 ? 2 : 1;
  if (header.components > 1 && bytesPerSample > 1) {
    throw new Error("JPEG Lossless with more than one component and over 8 bits is not decoded");
  }
  const { Decoder } = await loadJpegLossless();
  const decoder = new Decoder();
  let samples: Uint8Array | Uint16Array;
  try {
    samples = decoder.decode(
      bytes.buffer as ArrayBuffer,
      bytes.byteOffset,
      bytes.length,
      bytesPerSample,
    );
  } catch (error) {
    throw new Error(`the JPEG Lossless decoder rejected the data: ${messageOf(error)}`, {
      cause: error,
    });
  }
  checkGeometry("JPEG Lossless", decoder.xDim, decoder.yDim, decoder.numComp, pm);
  // The decoder reads past the end of its input as undefined (0) bits instead of failing, and
  // stops early at a marker it does not expect: detect both.
  if (decoder.stream && decoder.stream.index > bytes.length) {
    throw new Error("the JPEG Lossless data ends before the last pixel (truncated)");
  }
  if (decoder.yLoc < decoder.yDim) {
    throw new Error(
      `the JPEG Lossless data stops in row ${decoder.yLoc + 1} of ${decoder.yDim} (corrupt or truncated)`,
    );
  }
  const count = pm.rows * pm.columns * pm.samplesPerPixel;
  if (samples.length !== count) {
    throw new Error(
      `the JPEG Lossless decoder returned ${samples.length} samples, expected ${count}`,
    );
  }
  const out = allocateFrame(pm, count);
  out.set(samples);
  return out;
}

// ---------------------------------------------------------------------------------------------
// JPEG-LS (ITU-T T.87) through CharLS.

async function decodeJpegLs(bytes: Uint8Array, pm: PixelModule): Promise<FrameArray> {
  const header = readJpegFrameHeader("JPEG-LS", bytes, (marker) => marker === 0xf7);
  checkGeometry("JPEG-LS", header.columns, header.rows, header.components, pm);
  // CharLS 2.4.4 (this build) can spend tens of seconds on a truncated stream before it fails, so
  // truncation is detected here: a complete stream ends with the EOI marker (T.87 Annex C), which
  // cannot occur inside scan data (JPEG-LS bit stuffing follows a 0xFF there with a byte below
  // 0x80), followed at most by the padding that evens a fragment's length (PS3.5 A.4).
  if (!endsWithEoi(bytes)) {
    throw new Error("the JPEG-LS data is truncated (it does not end with an EOI marker)");
  }
  const loaded = await charls.get();
  const { module } = loaded;
  const decoder = new module.JpegLSDecoder();
  try {
    runDecoder(charls, loaded, decoder, bytes, (exception) => {
      try {
        const message = module.getExceptionMessage?.(exception);
        return Array.isArray(message) ? message.filter(Boolean).join(": ") : message || undefined;
      } catch {
        return undefined;
      }
    });
    const info = decoder.getFrameInfo();
    checkGeometry("JPEG-LS", info.width, info.height, info.componentCount, pm);
    checkPrecision("JPEG-LS", info.bitsPerSample, pm);
    // Interleave mode 0 (T.87 "none") decodes component by component.
    const planar = info.componentCount > 1 && decoder.getInterleaveMode() === 0;
    const bytesPerSample = info.bitsPerSample > 8 ? 2 : 1;
    return samplesToFrame("JPEG-LS", decoder.getDecodedBuffer(), bytesPerSample, false, pm, planar);
  } finally {
    freeDecoder(decoder);
  }
}

/** Whether an EOI marker (0xFF 0xD9) is among the last bytes, after at most a little padding. */
function endsWithEoi(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= Math.max(0, bytes.length - 8); i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// JPEG 2000 (ISO/IEC 15444-1) and HTJ2K (15444-15) through OpenJPEG.

async function decodeJpeg2000(bytes: Uint8Array, pm: PixelModule): Promise<FrameArray> {
  // The wrapper reads the first four bytes to tell a J2K codestream from a JP2 file.
  if (bytes.length < 16) throw new Error(`the JPEG 2000 data is only ${bytes.length} bytes long`);
  checkJpeg2000Size(bytes, pm);
  const loaded = await openJpeg.get();
  const decoder = new loaded.module.J2KDecoder();
  try {
    runDecoder(openJpeg, loaded, decoder, bytes);
    // This wrapper reports failures by printing "[ERROR] ..." and returning with nothing decoded.
    const info = decoder.getFrameInfo();
    const decoded = decoder.getDecodedBuffer();
    if (info.width === 0 || decoded.length === 0) {
      const detail = printedErrors(loaded.log) ?? "nothing was decoded";
      throw new Error(`the JPEG 2000 decoder rejected the data: ${detail}`);
    }
    const offset = decoder.getImageOffset();
    if (offset.x !== 0 || offset.y !== 0) {
      throw new Error(
        `the JPEG 2000 image has an offset (${offset.x}, ${offset.y}), which DICOM does not allow`,
      );
    }
    checkGeometry("JPEG 2000", info.width, info.height, info.componentCount, pm);
    checkPrecision("JPEG 2000", info.bitsPerSample, pm);
    // The wrapper clamps 8-bit samples to 0..255 and leaves multi-component samples over 8 bits
    // unwritten: refuse both rather than return wrong values.
    if (info.isSigned && info.bitsPerSample <= 8) {
      throw new Error("signed JPEG 2000 samples of 8 bits or fewer are not decoded");
    }
    if (info.componentCount > 1 && info.bitsPerSample > 8) {
      throw new Error(
        `JPEG 2000 with ${info.componentCount} components of ${info.bitsPerSample} bits is not decoded (colour is decoded up to 8 bits)`,
      );
    }
    const bytesPerSample = info.bitsPerSample > 8 ? 2 : 1;
    return samplesToFrame("JPEG 2000", decoded, bytesPerSample, info.isSigned, pm);
  } finally {
    freeDecoder(decoder);
  }
}

/**
 * Checks the image size of a JPEG 2000 codestream (SOC then SIZ, ISO/IEC 15444-1 A.5.1: Lsiz, Rsiz,
 * Xsiz, Ysiz, XOsiz, YOsiz, tile sizes and offsets, Csiz) against the pixel module before decoding,
 * so a corrupt size is refused before OpenJPEG allocates for it. A JP2 file (a box structure, which
 * PS3.5 A.4.4 does not allow but some writers produce) is left to the decoder.
 */
function checkJpeg2000Size(bytes: Uint8Array, pm: PixelModule): void {
  const isCodestream =
    bytes[0] === 0xff && bytes[1] === 0x4f && bytes[2] === 0xff && bytes[3] === 0x51;
  if (!isCodestream || bytes.length < 42) return;
  const view = new DataView(bytes.buffer, bytes.byteOffset, 42);
  const width = view.getUint32(8) - view.getUint32(16);
  const height = view.getUint32(12) - view.getUint32(20);
  checkGeometry("JPEG 2000", width, height, view.getUint16(40), pm);
}
