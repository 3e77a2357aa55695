/**
 * DICOM Part 10 parsing (pure: bytes in, dataset out) on top of dcmjs.
 *
 * dcmjs reads implicit and explicit VR little endian, explicit VR big endian and deflated explicit
 * VR little endian; the same library writes the DICOM-SEG objects radscore produces, so one
 * library serves both directions. This module adds what a radiomics reader needs around it:
 *
 * - Files without the 128-byte preamble (older exports, some RTSTRUCTs) are read as implicit or
 *   explicit VR little endian the way pydicom's `force=True` does, and a little-endian data set
 *   whose first element contradicts the declared VR encoding is read in the encoding it shows,
 *   as pydicom does.
 * - Before dcmjs sees a byte, the structure of the file is checked (`DatasetWalker`, walker.ts): every
 *   element, sequence, item and pixel-data fragment must fit inside the file and inside the item
 *   or sequence that holds it, sequences must close, nesting is bounded. dcmjs does not check
 *   this itself: a length that runs past the end makes it allocate the announced length (up to
 *   4 GiB) and zero-fill it, or silently cut a value short. Corrupt or truncated files therefore
 *   fail here with the element, its byte position and the reason.
 * - dcmjs parses only the data set up to the Pixel Data element; the pixel data itself is located
 *   by the walker and handed out as views of the input (native) or as frames assembled from the
 *   encapsulated fragments (Basic Offset Table, else one fragment per frame, else all fragments of
 *   a single frame, else codestream start markers), so a frame split over several fragments
 *   arrives whole.
 * - Every failure becomes an ImageReadError that names the file, and element values are read
 *   through typed helpers that never return NaN silently.
 */
import dcmjs from "dcmjs";
import { ImageReadError } from "../image-error.js";
import { numberOf, stringOf } from "./dataset-values.js";
import { hasPreamble, looksLikeBareDataset } from "./detect.js";
import { readHeaderDict } from "./header-reader.js";
import {
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_BIG_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  IMPLICIT_VR_LITTLE_ENDIAN,
} from "./transfer-syntax.js";
import {
  DatasetWalker,
  type Encoding,
  framesOfFragments,
  isUpper,
  type PixelDataLocation,
  printable,
  readFileMeta,
} from "./walker.js";

// Where the parts of the DICOM reader live, re-exported so that callers import from one place.
export { concatenateBytes } from "./bytes.js";
export {
  bytesOf,
  numberOf,
  numbersOf,
  sequenceOf,
  stringOf,
  stringsOf,
} from "./dataset-values.js";
export { isDicom } from "./detect.js";
export {
  describeTransferSyntax,
  NATIVE_TRANSFER_SYNTAXES,
  TRANSFER_SYNTAX_NAMES,
  transferSyntaxName,
} from "./transfer-syntax.js";

/** The parts of dcmjs used here that its type declarations (src/types/dcmjs.d.ts) leave out. */
interface DcmjsInternals {
  log: { getLogger(name: string): { setLevel(level: string): void } };
  data: {
    DicomMetaDictionary: { dictionary: Record<string, { vr?: string; name?: string } | undefined> };
    ReadBufferStream: new (buffer: ArrayBuffer) => unknown;
    DeflatedReadBufferStream: new (
      stream: unknown,
      options: { noCopy: boolean },
    ) => { size: number; getBuffer(start: number, end: number): ArrayBuffer };
  };
}
const dcmjsInternals = dcmjs as unknown as DcmjsInternals;
const dcmjsDictionary = dcmjsInternals.data.DicomMetaDictionary.dictionary;

dcmjs.log.setLevel("silent");
// "Invalid vr type XX - using UN" and the like go to a separate logger.
dcmjsInternals.log.getLogger("validation.dcmjs").setLevel("silent");

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
   * transfer syntax, one buffer per frame (the fragments of a frame joined). Undefined when the
   * file has no Pixel Data element or was parsed with `headerOnly`.
   */
  pixelData?: Uint8Array[];
  /** The VR of the Pixel Data element (OB or OW). */
  pixelDataVr?: string;
  /**
   * For an instance parsed without its pixel data: fetches them when needed (e.g. by reading the
   * file again), so that a series' headers can be planned without holding every file in memory.
   */
  loadPixelData?: () => Promise<{ pixelData: Uint8Array[]; pixelDataVr: string }>;
}

export interface ParseOptions {
  /** Stop before the pixel data (series listing, grouping): much less work for large images. */
  headerOnly?: boolean;
  /**
   * With `headerOnly`: how to get the file's bytes again. The instance then gets
   * `loadPixelData`, which reads the pixel data at the position found now.
   */
  reread?: () => Promise<Uint8Array>;
  /**
   * With `headerOnly` on the first bytes of a file: the whole file's size, so that pixel data
   * running past its end are reported now, as a full read would.
   */
  fileSize?: number;
  /**
   * Who reads the header's values: "fast" (default: header-reader.ts, falling back to dcmjs for
   * what it does not reproduce), "dcmjs" (its own reader) or "fast-only" (an error instead of the
   * fallback). The tests compare the readers with these.
   */
  headerReader?: "fast" | "dcmjs" | "fast-only";
}

const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;

/** A Part 10 buffer for dcmjs: preamble, "DICM", group length, transfer syntax, then `dataset`. */
function dcmjsBuffer(transferSyntaxUid: string, dataset: Uint8Array): ArrayBuffer {
  const uid = transferSyntaxUid.length % 2 === 0 ? transferSyntaxUid : `${transferSyntaxUid}\0`;
  // (0002,0010) UI, explicit VR little endian: tag (4) + VR (2) + length (2) + value.
  const element = 8 + uid.length;
  // (0002,0000) UL group length: tag (4) + VR (2) + length (2) + value (4).
  const headerLength = 128 + 4 + 12 + element;
  const out = new Uint8Array(headerLength + dataset.length);
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
  out.set(dataset, headerLength);
  return out.buffer;
}

/** The data set of a deflated file, inflated (by dcmjs' bundled inflater). */
function inflateDataset(file: string, deflated: Uint8Array): Uint8Array {
  try {
    const { ReadBufferStream, DeflatedReadBufferStream } = dcmjsInternals.data;
    const stream = new ReadBufferStream(deflated.slice().buffer);
    const inflated = new DeflatedReadBufferStream(stream, { noCopy: false });
    return new Uint8Array(inflated.getBuffer(0, inflated.size));
  } catch (error) {
    // pako returns no data (and dcmjs then fails on it) when the deflate stream stops short.
    if (error instanceof TypeError) {
      throw new ImageReadError(
        file,
        "the deflated data set ends before its deflate stream does (truncated file)",
        { cause: error },
      );
    }
    throw new ImageReadError(
      file,
      `the deflated data set could not be inflated (${describeParseError(error)}): corrupt or truncated file`,
      { cause: error },
    );
  }
}

/**
 * Parses one DICOM file. Throws an ImageReadError naming `file` when the bytes are not DICOM, are
 * truncated or structurally corrupt (an element, item or fragment running past the end of the
 * file or of the sequence holding it, an unclosed sequence), or cannot be decoded.
 */
export function parseDicom(
  bytes: Uint8Array,
  file: string,
  options: ParseOptions = {},
): DicomInstance {
  if (bytes.length === 0) throw new ImageReadError(file, "empty file");
  let datasetStart: number;
  if (hasPreamble(bytes)) datasetStart = 132;
  else if (looksLikeBareDataset(bytes)) datasetStart = 0;
  else throw new ImageReadError(file, "not a DICOM file (no 'DICM' marker at byte 128)");
  try {
    return parseChecked(bytes, file, datasetStart, options);
  } catch (error) {
    if (error instanceof ImageReadError) throw error;
    throw new ImageReadError(file, `not a readable DICOM file: ${describeParseError(error)}`, {
      cause: error,
    });
  }
}

function parseChecked(
  bytes: Uint8Array,
  file: string,
  datasetStart: number,
  options: ParseOptions,
): DicomInstance {
  const meta = readFileMeta(file, bytes, datasetStart);
  let transferSyntaxUid: string;
  if (meta.present) {
    if (!meta.transferSyntaxUid) {
      throw new ImageReadError(
        file,
        bytes.length - meta.end < 8
          ? "the file ends inside its file meta information, before the transfer syntax (truncated file)"
          : "the file meta information names no transfer syntax",
      );
    }
    if (!UID_PATTERN.test(meta.transferSyntaxUid) || meta.transferSyntaxUid.length > 64) {
      throw new ImageReadError(
        file,
        `the transfer syntax UID in the file meta information, '${printable(meta.transferSyntaxUid)}', is not a valid UID (corrupt file)`,
      );
    }
    transferSyntaxUid = meta.transferSyntaxUid;
  } else {
    // No file meta information: implicit or explicit VR little endian, told by the first element.
    const explicit = isUpper(bytes[meta.end + 4]) && isUpper(bytes[meta.end + 5]);
    transferSyntaxUid = explicit ? EXPLICIT_VR_LITTLE_ENDIAN : IMPLICIT_VR_LITTLE_ENDIAN;
  }
  let data = bytes;
  let start = meta.end;
  let where = "";
  if (transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
    data = inflateDataset(file, bytes.subarray(meta.end));
    start = 0;
    where = " of the inflated data set";
  }
  if (data.length - start < 8) {
    throw new ImageReadError(
      file,
      `the file holds no data set after its file meta information (truncated file)`,
    );
  }
  let implicit = transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN;
  if (
    transferSyntaxUid === IMPLICIT_VR_LITTLE_ENDIAN ||
    transferSyntaxUid === EXPLICIT_VR_LITTLE_ENDIAN
  ) {
    // Some writers declare one little-endian syntax and write the other: like pydicom, read the
    // VR encoding the first element shows (two upper-case letters where an explicit VR goes).
    implicit = !(isUpper(data[start + 4]) && isUpper(data[start + 5]));
  }
  const encoding: Encoding = {
    implicit,
    littleEndian: transferSyntaxUid !== EXPLICIT_VR_BIG_ENDIAN,
  };
  const walker = new DatasetWalker(file, data, encoding, where);
  const walked = walker.walkTopLevel(start, options.headerOnly === true);
  if (walked.atPixelData && options.fileSize !== undefined && data === bytes) {
    walker.checkPixelDataFits(walked.end, options.fileSize);
  }

  // The checked elements before Pixel Data as dcmjs' raw element dictionary: read here when the
  // header holds nothing but what header-reader.ts reproduces, else by dcmjs itself; either way
  // dcmjs naturalises it.
  let raw: Record<string, { vr?: string; Value?: unknown[] }> | undefined =
    options.headerReader === "dcmjs"
      ? undefined
      : readHeaderDict(data, start, walked.end, encoding, dcmjsDictionary);
  if (!raw && options.headerReader === "fast-only") {
    throw new ImageReadError(file, "the header needs dcmjs' own reader");
  }
  if (!raw) {
    const readSyntax = encoding.implicit
      ? IMPLICIT_VR_LITTLE_ENDIAN
      : encoding.littleEndian
        ? EXPLICIT_VR_LITTLE_ENDIAN
        : EXPLICIT_VR_BIG_ENDIAN;
    raw = dcmjs.data.DicomMessage.readFile(
      dcmjsBuffer(readSyntax, data.subarray(start, walked.end)),
      { noCopy: true },
    ).dict;
  }
  const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(raw) as DicomDataset;

  const frames = numberOf(dataset, "NumberOfFrames");
  const frameCount = frames !== undefined && Number.isInteger(frames) && frames > 0 ? frames : 1;
  const pixel = walked.pixel ? pixelDataOf(walked.pixel, frameCount) : undefined;
  const instance: DicomInstance = {
    file,
    transferSyntaxUid,
    sopClassUid: stringOf(dataset, "SOPClassUID") ?? meta.mediaStorageSopClassUid ?? "",
    sopInstanceUid: stringOf(dataset, "SOPInstanceUID") ?? meta.mediaStorageSopInstanceUid ?? "",
    dataset,
    ...(pixel ?? {}),
  };
  const reread = options.reread;
  if (options.headerOnly && reread && walked.atPixelData) {
    // The Pixel Data element's position in the file (or, deflated, in the inflated data set): a
    // later read finds the pixel data there without parsing the header again.
    const at = walked.end;
    instance.loadPixelData = async () => {
      const again = await reread();
      if (transferSyntaxUid === DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN) {
        const full = parseChecked(again, file, datasetStart, {});
        if (!full.pixelData) throw new ImageReadError(file, "the file has no pixel data");
        return { pixelData: full.pixelData, pixelDataVr: full.pixelDataVr ?? "OW" };
      }
      const location = new DatasetWalker(file, again, encoding, where).pixelDataAt(at);
      return pixelDataOf(location, frameCount);
    };
  }
  return instance;
}

function pixelDataOf(
  location: PixelDataLocation,
  frames: number,
): { pixelData: Uint8Array[]; pixelDataVr: string } {
  const pixelData = location.native
    ? [location.native]
    : framesOfFragments(location.encapsulated!, frames);
  return { pixelData, pixelDataVr: location.vr };
}

function describeParseError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const short = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  if (error instanceof RangeError) return `the data ends before an element it announces (${short})`;
  return short;
}
