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
 * - Before dcmjs sees a byte, the structure of the file is checked here (`DatasetWalker`): every
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

/**
 * Names of the other transfer syntaxes of PS3.6 Table A-1 (video, JPIP, JPEG XL, ...), which no
 * decoder here reads: used to name them in "unsupported" messages.
 */
const OTHER_TRANSFER_SYNTAX_NAMES: Record<string, string> = {
  "1.2.840.10008.1.2.1.98": "Encapsulated Uncompressed Explicit VR Little Endian",
  "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component Lossless",
  "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component",
  "1.2.840.10008.1.2.4.94": "JPIP Referenced",
  "1.2.840.10008.1.2.4.95": "JPIP Referenced Deflate",
  "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
  "1.2.840.10008.1.2.4.100.1": "Fragmentable MPEG2 Main Profile / Main Level",
  "1.2.840.10008.1.2.4.101": "MPEG2 Main Profile / High Level",
  "1.2.840.10008.1.2.4.101.1": "Fragmentable MPEG2 Main Profile / High Level",
  "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile / Level 4.1",
  "1.2.840.10008.1.2.4.102.1": "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.1",
  "1.2.840.10008.1.2.4.103": "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
  "1.2.840.10008.1.2.4.103.1":
    "Fragmentable MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1",
  "1.2.840.10008.1.2.4.104": "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
  "1.2.840.10008.1.2.4.104.1":
    "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video",
  "1.2.840.10008.1.2.4.105": "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video",
  "1.2.840.10008.1.2.4.105.1":
    "Fragmentable MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video",
  "1.2.840.10008.1.2.4.106": "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
  "1.2.840.10008.1.2.4.106.1": "Fragmentable MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2",
  "1.2.840.10008.1.2.4.107": "HEVC/H.265 Main Profile / Level 5.1",
  "1.2.840.10008.1.2.4.108": "HEVC/H.265 Main 10 Profile / Level 5.1",
  "1.2.840.10008.1.2.4.110": "JPEG XL Lossless",
  "1.2.840.10008.1.2.4.111": "JPEG XL JPEG Recompression",
  "1.2.840.10008.1.2.4.112": "JPEG XL",
  "1.2.840.10008.1.2.4.204": "JPIP HTJ2K Referenced",
  "1.2.840.10008.1.2.4.205": "JPIP HTJ2K Referenced Deflate",
  "1.2.840.10008.1.2.7.1": "SMPTE ST 2110-20 Uncompressed Progressive Active Video",
  "1.2.840.10008.1.2.7.2": "SMPTE ST 2110-20 Uncompressed Interlaced Active Video",
  "1.2.840.10008.1.2.7.3": "SMPTE ST 2110-30 PCM Digital Audio",
  "1.2.840.10008.1.2.8.1": "Deflated Image Frame Compression",
};

/** Transfer syntaxes whose pixel data is stored uncompressed (after the dataset is read). */
export const NATIVE_TRANSFER_SYNTAXES = new Set([
  "1.2.840.10008.1.2",
  "1.2.840.10008.1.2.1",
  "1.2.840.10008.1.2.1.99",
  "1.2.840.10008.1.2.2",
]);

const IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
const EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";

/** Name of a transfer syntax for messages: "JPEG 2000 (1.2.840.10008.1.2.4.91)". */
export function describeTransferSyntax(uid: string): string {
  const name = TRANSFER_SYNTAX_NAMES[uid];
  return name ? `${name} (${uid})` : `transfer syntax ${uid}`;
}

/** The PS3.6 name of a transfer syntax (decodable or not); undefined for an unknown UID. */
export function transferSyntaxName(uid: string): string | undefined {
  return TRANSFER_SYNTAX_NAMES[uid] ?? OTHER_TRANSFER_SYNTAX_NAMES[uid];
}

const PIXEL_DATA_GROUP = 0x7fe0;
const PIXEL_DATA_ELEMENT = 0x0010;
const UNDEFINED_LENGTH = 0xffffffff;
/** Sequences nested deeper than this are taken for corruption (real files nest a few levels). */
const MAX_SEQUENCE_DEPTH = 64;

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

/** True when the bytes are a DICOM Part 10 file or a bare little-endian DICOM dataset. */
export function isDicom(bytes: Uint8Array): boolean {
  return hasPreamble(bytes) || looksLikeBareDataset(bytes);
}

export interface ParseOptions {
  /** Stop before the pixel data (series listing, grouping): much less work for large images. */
  headerOnly?: boolean;
  /**
   * With `headerOnly`: how to get the file's bytes again. The instance then gets
   * `loadPixelData`, which reads the pixel data at the position found now.
   */
  reread?: () => Promise<Uint8Array>;
}

// ---------------------------------------------------------------------------------------------
// Element layout (PS3.5 7.1). Explicit VR: these VRs have a 2-byte reserved field and a 4-byte
// length, every other VR a 2-byte length. dcmjs reads a VR it does not know (a corrupt byte, or
// OL / OV / SV, which it lacks) as UN with a 4-byte length, and "xs" as US: the walker does the
// same, so that both see the same element boundaries.

const LONG_VRS = new Set([
  "OB",
  "OD",
  "OF",
  "OL",
  "OV",
  "OW",
  "SQ",
  "SV",
  "UC",
  "UN",
  "UR",
  "UT",
  "UV",
]);
const SHORT_VRS = new Set([
  "AE",
  "AS",
  "AT",
  "CS",
  "DA",
  "DS",
  "DT",
  "FD",
  "FL",
  "IS",
  "LO",
  "LT",
  "PN",
  "SH",
  "SL",
  "SS",
  "ST",
  "TM",
  "UI",
  "UL",
  "US",
]);
/** VRs dcmjs has a reader for; any other VR it reads as UN. */
const DCMJS_VRS = new Set(
  [...LONG_VRS, ...SHORT_VRS].filter((vr) => !["OL", "OV", "SV"].includes(vr)),
);

/** The VR dcmjs reads an element with, given the VR in the file or dictionary. */
function dcmjsVr(vr: string): string {
  if (DCMJS_VRS.has(vr)) return vr;
  if (vr === "ox") return "OW";
  if (vr === "xs") return "US";
  return "UN";
}

const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

function dictionaryEntry(
  group: number,
  element: number,
): { vr?: string; name?: string } | undefined {
  return dcmjsInternals.data.DicomMetaDictionary.dictionary[`(${hex4(group)},${hex4(element)})`];
}

/** "(0020,000E) SeriesInstanceUID" or "(0029,1010)". */
function describeTag(group: number, element: number): string {
  const name = group === 0xfffe ? undefined : dictionaryEntry(group, element)?.name;
  return `(${hex4(group)},${hex4(element)})${name ? ` ${name}` : ""}`;
}

interface Encoding {
  implicit: boolean;
  littleEndian: boolean;
}

interface ElementHeader {
  group: number;
  element: number;
  /** Explicit VR: the two characters in the file; implicit VR: the dictionary's VR, "" if unknown. */
  vr: string;
  length: number;
  /** Byte position of the tag. */
  start: number;
  valueStart: number;
}

/** Encapsulated pixel data as found: the Basic Offset Table and the fragments. */
interface Fragments {
  offsetTable: number[];
  fragments: Uint8Array[];
  /** Offset of each fragment's item tag from the first fragment's item tag (what the table holds). */
  fragmentOffsets: number[];
  /** Position just after the sequence delimiter. */
  end: number;
}

interface PixelDataLocation {
  vr: string;
  native?: Uint8Array;
  encapsulated?: Fragments;
}

/**
 * Checks the element structure of a data set (lengths, sequences, items, fragments) before dcmjs
 * reads it, and locates the pixel data. Throws ImageReadError naming the file on the first
 * inconsistency.
 */
class DatasetWalker {
  private readonly view: DataView;

  constructor(
    private readonly file: string,
    private readonly bytes: Uint8Array,
    private readonly encoding: Encoding,
    /** Appended to byte positions in messages (" of the inflated data set" for deflated files). */
    private readonly where: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private fail(reason: string): never {
    throw new ImageReadError(this.file, reason);
  }

  private at(position: number): string {
    return `byte ${position}${this.where}`;
  }

  private u16(p: number): number {
    return this.view.getUint16(p, this.encoding.littleEndian);
  }

  private u32(p: number): number {
    return this.view.getUint32(p, this.encoding.littleEndian);
  }

  /**
   * Walks the top-level data set from `start`. Returns where the elements dcmjs should read end
   * (the Pixel Data element's start, or the end of the data) and the pixel data, unless
   * `headerOnly`. Fewer than 8 trailing bytes (not even a tag and a length) are ignored, as
   * pydicom ignores them; the elements after Pixel Data (trailing padding) are not read.
   */
  walkTopLevel(
    start: number,
    headerOnly: boolean,
  ): { end: number; pixel?: PixelDataLocation; atPixelData?: boolean } {
    const end = this.bytes.length;
    let p = start;
    while (end - p >= 8) {
      if (
        headerOnly &&
        this.u16(p) === PIXEL_DATA_GROUP &&
        this.u16(p + 2) === PIXEL_DATA_ELEMENT
      ) {
        return { end: p, atPixelData: true };
      }
      const h = this.header(p, end, "the data set");
      if (h.group === 0xfffe) {
        this.fail(
          `unexpected ${describeTag(h.group, h.element)} item tag at ${this.at(p)}, outside any sequence (corrupt file)`,
        );
      }
      if (h.group === PIXEL_DATA_GROUP && h.element === PIXEL_DATA_ELEMENT) {
        if (headerOnly) return { end: p, atPixelData: true };
        return { end: p, pixel: this.pixelData(h, end) };
      }
      p = this.skipValue(h, end, 0, "the file");
    }
    return { end: p };
  }

  /** Reads the element header at `p`; `container` names what must hold it (for messages). */
  private header(p: number, end: number, container: string): ElementHeader {
    if (p + 8 > end) {
      this.fail(
        `${container} ends inside the header of an element at ${this.at(p)} (truncated or corrupt)`,
      );
    }
    const group = this.u16(p);
    const element = this.u16(p + 2);
    if (group === 0xfffe) {
      return { group, element, vr: "", length: this.u32(p + 4), start: p, valueStart: p + 8 };
    }
    if (this.encoding.implicit) {
      const vr = dictionaryEntry(group, element)?.vr ?? "";
      return { group, element, vr, length: this.u32(p + 4), start: p, valueStart: p + 8 };
    }
    const vr = String.fromCharCode(this.bytes[p + 4]!, this.bytes[p + 5]!);
    if (LONG_VRS.has(vr) || (!SHORT_VRS.has(vr) && vr !== "xs")) {
      if (p + 12 > end) {
        this.fail(
          `${container} ends inside the header of element ${describeTag(group, element)} at ${this.at(p)} (truncated or corrupt)`,
        );
      }
      return { group, element, vr, length: this.u32(p + 8), start: p, valueStart: p + 12 };
    }
    return { group, element, vr, length: this.u16(p + 6), start: p, valueStart: p + 8 };
  }

  private describe(h: ElementHeader): string {
    const vr =
      this.encoding.implicit || SHORT_VRS.has(h.vr) || LONG_VRS.has(h.vr)
        ? ""
        : ` (VR '${printable(h.vr)}' is not a DICOM VR)`;
    return `element ${describeTag(h.group, h.element)} at ${this.at(h.start)}${vr}`;
  }

  /** Whether dcmjs parses the element's value as a sequence of items. */
  private isSequence(h: ElementHeader): boolean {
    if (this.encoding.implicit) {
      return h.vr === "SQ" || (h.vr === "" && h.length === UNDEFINED_LENGTH);
    }
    // dcmjs re-reads an explicit UN element of a known tag with the dictionary's VR.
    return h.vr === "SQ" || (h.vr === "UN" && dictionaryEntry(h.group, h.element)?.vr === "SQ");
  }

  /** Checks the value of `h` (inside `end`) and returns the position after it. */
  private skipValue(h: ElementHeader, end: number, depth: number, container: string): number {
    if (h.length !== UNDEFINED_LENGTH) {
      const valueEnd = h.valueStart + h.length;
      if (valueEnd > end) {
        this.fail(
          `${this.describe(h)} announces ${h.length} bytes but ${container} has only ${end - h.valueStart} left after its header (truncated file or corrupt length)`,
        );
      }
      if (this.isSequence(h)) this.walkItems(h, valueEnd, end, depth + 1);
      return valueEnd;
    }
    if (this.isSequence(h)) return this.walkItems(h, undefined, end, depth + 1);
    if (!this.encoding.implicit && h.vr === "UN" && dictionaryEntry(h.group, h.element)?.vr) {
      this.fail(
        `${this.describe(h)} has VR UN and undefined length (an implicit VR sequence, DICOM CP-246), which cannot be read`,
      );
    }
    const vr = dcmjsVr(this.encoding.implicit ? h.vr || "UN" : h.vr);
    if (vr === "OB" || vr === "OW" || vr === "UN") return this.walkFragments(h, end, depth + 1).end;
    this.fail(
      `${this.describe(h)} (VR ${h.vr || "unknown"}) has undefined length but is not a sequence (corrupt file)`,
    );
  }

  /**
   * Walks the items of sequence `sq`: up to `seqEnd` (defined length) or its sequence delimiter,
   * inside `limit`. Returns the position after the sequence.
   */
  private walkItems(
    sq: ElementHeader,
    seqEnd: number | undefined,
    limit: number,
    depth: number,
  ): number {
    if (depth > MAX_SEQUENCE_DEPTH) {
      this.fail(
        `sequences are nested more than ${MAX_SEQUENCE_DEPTH} deep at ${this.at(sq.start)} (corrupt file)`,
      );
    }
    const name = `sequence ${describeTag(sq.group, sq.element)} (at ${this.at(sq.start)})`;
    const bound = seqEnd ?? limit;
    let p = sq.valueStart;
    for (;;) {
      if (seqEnd !== undefined && p === seqEnd) return p;
      if (p + 8 > bound) {
        this.fail(
          seqEnd === undefined
            ? `${name} is not closed: the data ends at ${this.at(bound)} before its sequence delimiter (truncated file)`
            : `${name}: its items overrun the sequence's length at ${this.at(p)} (corrupt length)`,
        );
      }
      const group = this.u16(p);
      const element = this.u16(p + 2);
      const length = this.u32(p + 4);
      if (group === 0xfffe && element === 0xe0dd && (seqEnd === undefined || p + 8 === seqEnd)) {
        return p + 8;
      }
      if (group !== 0xfffe || element !== 0xe000) {
        this.fail(
          `${name}: expected an item tag (FFFE,E000) at ${this.at(p)} but found ${describeTag(group, element)} (corrupt file)`,
        );
      }
      if (length === UNDEFINED_LENGTH) {
        p = this.walkElements(p + 8, bound, depth, undefined, name);
      } else {
        const itemEnd = p + 8 + length;
        if (itemEnd > bound) {
          this.fail(
            `${name}: the item at ${this.at(p)} announces ${length} bytes but only ${bound - p - 8} are left in ${seqEnd === undefined ? "the data" : "the sequence"} (truncated file or corrupt length)`,
          );
        }
        this.walkElements(p + 8, itemEnd, depth, itemEnd, name);
        p = itemEnd;
      }
    }
  }

  /**
   * Walks the elements of one item: up to `itemEnd` (defined length) or its item delimiter,
   * inside `limit`. Returns the position after the item.
   */
  private walkElements(
    start: number,
    limit: number,
    depth: number,
    itemEnd: number | undefined,
    sequence: string,
  ): number {
    let p = start;
    const container = `the item of ${sequence}`;
    for (;;) {
      if (itemEnd !== undefined && p === itemEnd) return p;
      if (p + 8 > limit) {
        this.fail(
          itemEnd === undefined
            ? `an item of ${sequence} is not closed: the data ends at ${this.at(limit)} before its item delimiter (truncated file)`
            : `an element of ${container} overruns the item at ${this.at(p)} (corrupt length)`,
        );
      }
      const group = this.u16(p);
      if (group === 0xfffe) {
        const element = this.u16(p + 2);
        if (element === 0xe00d && itemEnd === undefined) return p + 8;
        this.fail(
          `unexpected ${describeTag(group, element)} at ${this.at(p)} inside an item of ${sequence} (corrupt file)`,
        );
      }
      const h = this.header(p, limit, container);
      p = this.skipValue(h, limit, depth, container);
    }
  }

  /** Walks an undefined-length OB / OW / UN value: offset table item, fragment items, delimiter. */
  private walkFragments(h: ElementHeader, limit: number, depth: number): Fragments {
    if (depth > MAX_SEQUENCE_DEPTH) {
      this.fail(
        `sequences are nested more than ${MAX_SEQUENCE_DEPTH} deep at ${this.at(h.start)} (corrupt file)`,
      );
    }
    const name = this.describe(h);
    const out: Fragments = { offsetTable: [], fragments: [], fragmentOffsets: [], end: 0 };
    let first = -1;
    let p = h.valueStart;
    let items = 0;
    for (;;) {
      if (p + 8 > limit) {
        this.fail(
          `the data ends inside the encapsulated value of ${name} after ${Math.max(0, items - 1)} fragment(s), before its sequence delimiter (truncated file)`,
        );
      }
      const group = this.u16(p);
      const element = this.u16(p + 2);
      const length = this.u32(p + 4);
      if (group === 0xfffe && element === 0xe0dd) {
        if (items === 0)
          this.fail(
            `the encapsulated value of ${name} has no Basic Offset Table item (corrupt file)`,
          );
        out.end = p + 8;
        return out;
      }
      if (group !== 0xfffe || element !== 0xe000) {
        this.fail(
          `the encapsulated value of ${name}: expected an item tag (FFFE,E000) at ${this.at(p)} but found ${describeTag(group, element)} (corrupt file)`,
        );
      }
      if (length === UNDEFINED_LENGTH) {
        this.fail(
          `the encapsulated value of ${name}: the item at ${this.at(p)} has undefined length (corrupt file)`,
        );
      }
      if (p + 8 + length > limit) {
        this.fail(
          `the encapsulated value of ${name}: the ${items === 0 ? "Basic Offset Table" : `fragment ${items}`} at ${this.at(p)} announces ${length} bytes but only ${limit - p - 8} remain (truncated file or corrupt length)`,
        );
      }
      if (items === 0) {
        if (length % 4 !== 0) {
          this.fail(
            `the Basic Offset Table of ${name} is ${length} bytes long, not a multiple of 4 (corrupt file)`,
          );
        }
        for (let q = p + 8; q < p + 8 + length; q += 4) out.offsetTable.push(this.u32(q));
      } else {
        if (first < 0) first = p;
        out.fragmentOffsets.push(p - first);
        out.fragments.push(this.bytes.subarray(p + 8, p + 8 + length));
      }
      items++;
      p += 8 + length;
    }
  }

  /** The top-level Pixel Data element: native bytes or encapsulated fragments, checked. */
  /** The pixel data whose element starts at `p` (found by an earlier header-only walk). */
  pixelDataAt(p: number): PixelDataLocation {
    const h = this.header(p, this.bytes.length, "the data set");
    if (h.group !== PIXEL_DATA_GROUP || h.element !== PIXEL_DATA_ELEMENT) {
      this.fail(`no Pixel Data element at ${this.at(p)}: the file changed since it was read`);
    }
    return this.pixelData(h, this.bytes.length);
  }

  private pixelData(h: ElementHeader, end: number): PixelDataLocation {
    const vr = this.encoding.implicit ? "OW" : h.vr;
    if (h.length !== UNDEFINED_LENGTH) {
      const valueEnd = h.valueStart + h.length;
      if (valueEnd > end) {
        this.fail(
          `truncated pixel data: ${describeTag(h.group, h.element)} at ${this.at(h.start)} announces ${h.length} bytes but the file ends ${end - h.valueStart} bytes after its start (truncated file)`,
        );
      }
      return { vr, native: this.bytes.subarray(h.valueStart, valueEnd) };
    }
    return { vr, encapsulated: this.walkFragments(h, end, 0) };
  }
}

/** Text safe to quote in a message: non-printable bytes as "?", at most `max` characters. */
function printable(text: string, max = 64): string {
  const clean = text.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

interface FileMeta {
  /** Whether group 0002 elements were found. */
  present: boolean;
  transferSyntaxUid?: string;
  mediaStorageSopClassUid?: string;
  mediaStorageSopInstanceUid?: string;
  /** Position of the first element after the file meta information. */
  end: number;
}

/**
 * Reads the File Meta Information (group 0002, PS3.10 7.1) from `start`: every consecutive
 * group 0002 element, explicit VR little endian as the standard requires (an element without a
 * VR is read as implicit, as some old writers produced). The group length element is not trusted
 * to find the end.
 */
function readFileMeta(file: string, bytes: Uint8Array, start: number): FileMeta {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const meta: FileMeta = { present: false, end: start };
  let p = start;
  while (p + 8 <= bytes.length && view.getUint16(p, true) === 0x0002) {
    const element = view.getUint16(p + 2, true);
    let length: number;
    let valueStart: number;
    if (isUpper(bytes[p + 4]) && isUpper(bytes[p + 5])) {
      const vr = String.fromCharCode(bytes[p + 4]!, bytes[p + 5]!);
      if (LONG_VRS.has(vr) || !SHORT_VRS.has(vr)) {
        if (p + 12 > bytes.length) {
          throw new ImageReadError(
            file,
            `the file ends inside the header of file meta information element ${describeTag(0x0002, element)} at byte ${p} (truncated file)`,
          );
        }
        length = view.getUint32(p + 8, true);
        valueStart = p + 12;
      } else {
        length = view.getUint16(p + 6, true);
        valueStart = p + 8;
      }
    } else {
      length = view.getUint32(p + 4, true);
      valueStart = p + 8;
    }
    if (length === UNDEFINED_LENGTH || valueStart + length > bytes.length) {
      throw new ImageReadError(
        file,
        `the file meta information element ${describeTag(0x0002, element)} at byte ${p} announces ${length === UNDEFINED_LENGTH ? "an undefined length" : `${length} bytes`} but only ${bytes.length - valueStart} remain (truncated or corrupt file)`,
      );
    }
    const text = () =>
      latin1(bytes, valueStart, valueStart + length)
        .replace(/[\0 ]+$/g, "")
        .trim();
    if (element === 0x0002) meta.mediaStorageSopClassUid = text();
    else if (element === 0x0003) meta.mediaStorageSopInstanceUid = text();
    else if (element === 0x0010) meta.transferSyntaxUid = text();
    meta.present = true;
    p = valueStart + length;
  }
  meta.end = p;
  return meta;
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
  const walked = new DatasetWalker(file, data, encoding, where).walkTopLevel(
    start,
    options.headerOnly === true,
  );

  // dcmjs reads the checked elements before Pixel Data, in the syntax they are encoded in.
  const readSyntax = encoding.implicit
    ? IMPLICIT_VR_LITTLE_ENDIAN
    : encoding.littleEndian
      ? EXPLICIT_VR_LITTLE_ENDIAN
      : EXPLICIT_VR_BIG_ENDIAN;
  const message = dcmjs.data.DicomMessage.readFile(
    dcmjsBuffer(readSyntax, data.subarray(start, walked.end)),
    { noCopy: true },
  );
  const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(message.dict) as DicomDataset;

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

/** Whether a fragment starts a JPEG / JPEG-LS (SOI), JPEG 2000 codestream (SOC) or JP2 file. */
function startsCodestream(f: Uint8Array): boolean {
  if (f.length >= 3 && f[0] === 0xff && f[1] === 0xd8 && f[2] === 0xff) return true;
  if (f.length >= 4 && f[0] === 0xff && f[1] === 0x4f && f[2] === 0xff && f[3] === 0x51)
    return true;
  return (
    f.length >= 8 &&
    f[0] === 0 &&
    f[1] === 0 &&
    f[2] === 0 &&
    f[3] === 0x0c &&
    f[4] === 0x6a &&
    f[5] === 0x50
  );
}

/** The parts one after the other in one new array. */
export function concatenateBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * The frames of encapsulated pixel data (PS3.5 A.4): grouped by the Basic Offset Table when it
 * points at fragment starts; else one fragment per frame when the counts agree; else, for a single
 * frame, all fragments joined; else split where a fragment starts a codestream (JPEG SOI, JPEG
 * 2000 SOC) when that gives `frames` frames. Otherwise the fragments are returned as they are, and
 * decodeFrames reports that they do not match NumberOfFrames.
 */
function framesOfFragments(pixel: Fragments, frames: number): Uint8Array[] {
  const { fragments, fragmentOffsets, offsetTable } = pixel;
  if (fragments.length === 0) return [];
  const group = (starts: number[]) =>
    starts.map((s, k) => concatenateBytes(fragments.slice(s, starts[k + 1] ?? fragments.length)));
  if (offsetTable.length > 0) {
    const indexOf = new Map(fragmentOffsets.map((offset, i) => [offset, i]));
    const starts: number[] = [];
    for (const offset of offsetTable) {
      const index = indexOf.get(offset);
      if (index === undefined || (starts.length > 0 && index <= starts[starts.length - 1]!)) break;
      starts.push(index);
    }
    if (starts.length === offsetTable.length && starts[0] === 0) return group(starts);
  }
  if (fragments.length === frames) return fragments;
  if (frames === 1) return [concatenateBytes(fragments)];
  const starts: number[] = [];
  fragments.forEach((f, i) => {
    if (startsCodestream(f)) starts.push(i);
  });
  if (starts.length === frames && starts[0] === 0) return group(starts);
  return fragments;
}

function describeParseError(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const short = text.length > 200 ? `${text.slice(0, 200)}...` : text;
  if (error instanceof RangeError) return `the data ends before an element it announces (${short})`;
  return short;
}

// ---------------------------------------------------------------------------------------------
// Typed access to naturalised values. DICOM multi-valued strings arrive as arrays, single values
// unwrapped; numbers of DS / IS strings are parsed by dcmjs. These helpers normalise both shapes.
// A binary value (VR OB / UN, e.g. a private element of an implicit VR file, or an element whose
// VR is corrupt) is never turned into text by String(): the string helpers read its bytes as
// text, the number helpers report it absent (callers that know the encoding use bytesOf).

/** Binary values longer than this are not read as text. */
const MAX_TEXT_BYTES = 65536;

function isBinary(v: unknown): v is ArrayBuffer | ArrayBufferView {
  return v instanceof ArrayBuffer || ArrayBuffer.isView(v);
}

function binaryText(v: ArrayBuffer | ArrayBufferView): string | undefined {
  const bytes =
    v instanceof ArrayBuffer
      ? new Uint8Array(v)
      : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (bytes.length > MAX_TEXT_BYTES) return undefined;
  return latin1(bytes, 0, bytes.length);
}

function firstValue(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/** A string element (first value), trimmed; undefined when absent or empty. */
export function stringOf(ds: DicomDataset, key: string): string | undefined {
  let v = firstValue(ds[key]);
  if (v === undefined || v === null) return undefined;
  if (isBinary(v)) {
    v = binaryText(v)?.split("\\")[0];
    if (v === undefined) return undefined;
  }
  if (typeof v === "object" && v !== null && "Alphabetic" in v) {
    return String((v as { Alphabetic: unknown }).Alphabetic ?? "").trim() || undefined;
  }
  if (typeof v === "object") return undefined;
  const s = String(v).replace(/\0/g, "").trim();
  return s === "" ? undefined : s;
}

/** A numeric element (first value); undefined when absent, empty, binary or not a finite number. */
export function numberOf(ds: DicomDataset, key: string): number | undefined {
  const v = firstValue(ds[key]);
  if (v === undefined || v === null || v === "" || typeof v === "object") return undefined;
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
    if (typeof x === "object" && x !== null) return undefined;
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
  if (isBinary(v))
    return (binaryText(v)?.split("\\") ?? []).map((x) => x.replace(/\0/g, "").trim());
  return (Array.isArray(v) ? v : [v]).map((x) => {
    if (typeof x === "object" && x !== null) {
      return "Alphabetic" in x
        ? String((x as { Alphabetic: unknown }).Alphabetic ?? "").trim()
        : "";
    }
    return String(x).replace(/\0/g, "").trim();
  });
}

/** The items of a sequence element (empty when absent). */
export function sequenceOf(ds: DicomDataset, key: string): DicomDataset[] {
  const v = ds[key];
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.filter((x): x is DicomDataset => typeof x === "object" && x !== null && !isBinary(x));
}

/** The bytes of a binary element (OB / UN / private blobs such as Siemens' CSA header). */
export function bytesOf(ds: DicomDataset, key: string): Uint8Array | undefined {
  const v = firstValue(ds[key]);
  if (v instanceof Uint8Array) return v;
  if (v instanceof ArrayBuffer) return new Uint8Array(v);
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return undefined;
}
