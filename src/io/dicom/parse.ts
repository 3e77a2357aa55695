/**
 * DICOM Part 10 parsing (pure: bytes in, dataset out) on top of dcmjs.
 *
 * dcmjs reads implicit and explicit VR little endian, explicit VR big endian and deflated explicit
 * VR little endian, and returns encapsulated pixel data already split into frames; the same
 * library writes the DICOM-SEG objects radscore produces, so one library serves both directions.
 * This module adds what a radiomics reader needs around it: files without the 128-byte preamble
 * (older exports, some RTSTRUCTs) are read as implicit or explicit VR little endian the way
 * pydicom's `force=True` does, every failure becomes an ImageReadError that names the file, and
 * element values are read through typed helpers that never return NaN silently.
 */
import dcmjs from "dcmjs";
import { ImageReadError } from "../image-error.js";

dcmjs.log.setLevel("silent");

/** A naturalised DICOM dataset: keyword (or 8-digit hex tag for private / unknown elements) to value. */
export type DicomDataset = Record<string, unknown>;

export interface DicomInstance {
  /** The file's name, used in every message about it. */
  file: string;
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  /** dcmjs' naturalised dataset (sequences are arrays of datasets, single values unwrapped). */
  dataset: DicomDataset;
  /**
   * Pixel data as stored: one buffer of native bytes (file byte order) or, for an encapsulated
   * transfer syntax, one buffer per frame. Undefined when the file has no Pixel Data element or
   * was parsed with `headerOnly`.
   */
  pixelData?: Uint8Array[];
  /** The VR of the Pixel Data element (OB or OW). */
  pixelDataVr?: string;
}

export const TRANSFER_SYNTAX_NAMES: Record<string, string> = {
  "1.2.840.10008.1.2": "Implicit VR Little Endian",
  "1.2.840.10008.1.2.1": "Explicit VR Little Endian",
  "1.2.840.10008.1.2.1.99": "Deflated Explicit VR Little Endian",
  "1.2.840.10008.1.2.2": "Explicit VR Big Endian",
  "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
  "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
  "1.2.840.10008.1.2.4.57": "JPEG Lossless (Process 14)",
  "1.2.840.10008.1.2.4.70": "JPEG Lossless SV1 (Process 14, Selection Value 1)",
  "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
  "1.2.840.10008.1.2.4.81": "JPEG-LS Near-Lossless",
  "1.2.840.10008.1.2.4.90": "JPEG 2000 Lossless",
  "1.2.840.10008.1.2.4.91": "JPEG 2000",
  "1.2.840.10008.1.2.4.201": "HTJ2K Lossless",
  "1.2.840.10008.1.2.4.202": "HTJ2K Lossless RPCL",
  "1.2.840.10008.1.2.4.203": "HTJ2K",
  "1.2.840.10008.1.2.5": "RLE Lossless",
};

/** Transfer syntaxes whose pixel data is stored uncompressed (after the dataset is read). */
export const NATIVE_TRANSFER_SYNTAXES = new Set([
  "1.2.840.10008.1.2",
  "1.2.840.10008.1.2.1",
  "1.2.840.10008.1.2.1.99",
  "1.2.840.10008.1.2.2",
]);

/** Name of a transfer syntax for messages: "JPEG 2000 (1.2.840.10008.1.2.4.91)". */
export function describeTransferSyntax(uid: string): string {
  const name = TRANSFER_SYNTAX_NAMES[uid];
  return name ? `${name} (${uid})` : `transfer syntax ${uid}`;
}

const PIXEL_DATA_TAG = "7FE00010";

function hasPreamble(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 132 &&
    bytes[128] === 0x44 && // D
    bytes[129] === 0x49 && // I
    bytes[130] === 0x43 && // C
    bytes[131] === 0x4d // M
  );
}

const isUpper = (b: number | undefined) => b !== undefined && b >= 0x41 && b <= 0x5a;

/**
 * Whether the bytes start like a DICOM dataset without the Part 10 preamble: a little-endian
 * element of group 0002 or 0008 (the groups every image or RT object starts with).
 */
function looksLikeBareDataset(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  const group = bytes[0]! | (bytes[1]! << 8);
  return group === 0x0002 || group === 0x0008;
}

/** Whether a bare dataset's first element carries an explicit VR (two upper-case letters). */
function bareDatasetIsExplicit(bytes: Uint8Array): boolean {
  return isUpper(bytes[4]) && isUpper(bytes[5]);
}

/**
 * Wraps a dataset that lacks the preamble and file meta information in a minimal Part 10 header
 * (preamble, "DICM", group length, transfer syntax), so the reader treats it like any file.
 */
function wrapBareDataset(bytes: Uint8Array): ArrayBuffer {
  const syntax = bareDatasetIsExplicit(bytes) ? "1.2.840.10008.1.2.1" : "1.2.840.10008.1.2";
  const uid = syntax.length % 2 === 0 ? syntax : `${syntax}\0`;
  // (0002,0010) UI, explicit VR little endian: tag (4) + VR (2) + length (2) + value.
  const element = 8 + uid.length;
  // (0002,0000) UL group length: tag (4) + VR (2) + length (2) + value (4).
  const headerLength = 128 + 4 + 12 + element;
  const out = new Uint8Array(headerLength + bytes.length);
  const view = new DataView(out.buffer);
  out.set([0x44, 0x49, 0x43, 0x4d], 128);
  let p = 132;
  view.setUint16(p, 0x0002, true);
  view.setUint16(p + 2, 0x0000, true);
  out.set([0x55, 0x4c], p + 4); // UL
  view.setUint16(p + 6, 4, true);
  view.setUint32(p + 8, element, true);
  p += 12;
  view.setUint16(p, 0x0002, true);
  view.setUint16(p + 2, 0x0010, true);
  out.set([0x55, 0x49], p + 4); // UI
  view.setUint16(p + 6, uid.length, true);
  for (let i = 0; i < uid.length; i++) out[p + 8 + i] = uid.charCodeAt(i);
  out.set(bytes, headerLength);
  return out.buffer;
}

/** True when the bytes are a DICOM Part 10 file or a bare little-endian DICOM dataset. */
export function isDicom(bytes: Uint8Array): boolean {
  return hasPreamble(bytes) || looksLikeBareDataset(bytes);
}

export interface ParseOptions {
  /** Stop before the pixel data (series listing, grouping): much less work for large images. */
  headerOnly?: boolean;
}

function ownBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) {
    return bytes.buffer as ArrayBuffer;
  }
  return bytes.slice().buffer;
}

/**
 * Parses one DICOM file. Throws an ImageReadError naming `file` when the bytes are not DICOM, are
 * truncated inside the header or a sequence, or cannot be decoded.
 */
export function parseDicom(bytes: Uint8Array, file: string, options: ParseOptions = {}): DicomInstance {
  if (bytes.length === 0) throw new ImageReadError(file, "empty file");
  let buffer: ArrayBuffer;
  if (hasPreamble(bytes)) buffer = ownBuffer(bytes);
  else if (looksLikeBareDataset(bytes)) buffer = wrapBareDataset(bytes);
  else throw new ImageReadError(file, "not a DICOM file (no 'DICM' marker at byte 128)");

  let message: { meta: Record<string, { Value?: unknown[] }>; dict: Record<string, { vr?: string; Value?: unknown[] }> };
  try {
    message = dcmjs.data.DicomMessage.readFile(buffer, {
      noCopy: true,
      ...(options.headerOnly ? { untilTag: PIXEL_DATA_TAG, includeUntilTagValue: false } : {}),
    });
  } catch (error) {
    throw new ImageReadError(file, `not a readable DICOM file: ${describeParseError(error)}`, {
      cause: error,
    });
  }
  const transferSyntaxUid = String(message.meta["00020010"]?.Value?.[0] ?? "").replace(/\0/g, "").trim();
  if (!transferSyntaxUid) throw new ImageReadError(file, "the file meta information names no transfer syntax");

  const pixelElement = message.dict[PIXEL_DATA_TAG];
  let pixelData: Uint8Array[] | undefined;
  if (pixelElement && !options.headerOnly) {
    const values = pixelElement.Value ?? [];
    pixelData = values.map((v) => {
      if (v instanceof Uint8Array) return v;
      if (v instanceof ArrayBuffer) return new Uint8Array(v);
      if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      throw new ImageReadError(file, "pixel data could not be read");
    });
  }
  const raw = { ...message.dict };
  delete raw[PIXEL_DATA_TAG];
  let dataset: DicomDataset;
  try {
    dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(raw) as DicomDataset;
  } catch (error) {
    throw new ImageReadError(file, `not a readable DICOM file: ${describeParseError(error)}`, {
      cause: error,
    });
  }
  return {
    file,
    transferSyntaxUid,
    sopClassUid: stringOf(dataset, "SOPClassUID") ?? String(message.meta["00020002"]?.Value?.[0] ?? ""),
    sopInstanceUid:
      stringOf(dataset, "SOPInstanceUID") ?? String(message.meta["00020003"]?.Value?.[0] ?? ""),
    dataset,
    ...(pixelData ? { pixelData, pixelDataVr: pixelElement?.vr ?? "OW" } : {}),
  };
}

function describeParseError(error: unknown): string {
  if (error instanceof RangeError) return "the file ends before an element it announces (truncated)";
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

// ---------------------------------------------------------------------------------------------
// Typed access to naturalised values. DICOM multi-valued strings arrive as arrays, single values
// unwrapped; numbers of DS / IS strings are parsed by dcmjs. These helpers normalise both shapes.

function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A string element (first value), trimmed; undefined when absent or empty. */
export function stringOf(ds: DicomDataset, key: string): string | undefined {
  const v = firstValue(ds[key]);
  if (v === undefined || v === null) return undefined;
  if (typeof v === "object" && v !== null && "Alphabetic" in v) {
    return String((v as { Alphabetic: unknown }).Alphabetic ?? "").trim() || undefined;
  }
  const s = String(v).replace(/\0/g, "").trim();
  return s === "" ? undefined : s;
}

/** A numeric element (first value); undefined when absent, empty or not a finite number. */
export function numberOf(ds: DicomDataset, key: string): number | undefined {
  const v = firstValue(ds[key]);
  if (v === undefined || v === null || v === "") return undefined;
  const n = typeof v === "number" ? v : Number(String(v).trim());
  return Number.isFinite(n) ? n : undefined;
}

/** Every value of a numeric element; undefined when absent or any value is not a finite number. */
export function numbersOf(ds: DicomDataset, key: string): number[] | undefined {
  const v = ds[key];
  if (v === undefined || v === null || v === "") return undefined;
  const list = Array.isArray(v) ? v : [v];
  const out: number[] = [];
  for (const x of list) {
    const n = typeof x === "number" ? x : Number(String(x).trim());
    if (!Number.isFinite(n)) return undefined;
    out.push(n);
  }
  return out;
}

/** Every value of a string element (multi-valued strings such as ImageType). */
export function stringsOf(ds: DicomDataset, key: string): string[] {
  const v = ds[key];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x).replace(/\0/g, "").trim());
}

/** The items of a sequence element (empty when absent). */
export function sequenceOf(ds: DicomDataset, key: string): DicomDataset[] {
  const v = ds[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is DicomDataset => typeof x === "object" && x !== null && !ArrayBuffer.isView(x));
}

/** The bytes of a binary element (OB / UN / private blobs such as Siemens' CSA header). */
export function bytesOf(ds: DicomDataset, key: string): Uint8Array | undefined {
  const v = firstValue(ds[key]);
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}
