/**
 * The structure of a DICOM data set, checked before any value is decoded (PS3.5 7.1 elements, 7.5
 * sequences and items, A.4 encapsulated pixel data): every element, item and fragment must lie
 * inside the file and inside the sequence or item holding it, sequences must close and nesting is
 * bounded. The walker also finds the pixel data (native bytes, or fragments grouped into frames)
 * and reads the File Meta Information. parse.ts hands the checked header to dcmjs.
 */
import dcmjs from "dcmjs";
import { ImageReadError } from "../image-error.js";
import { concatenateBytes, latin1 } from "./bytes.js";
import { LONG_VRS, SHORT_VRS } from "./vr.js";

/** dcmjs' dictionary (tag "(gggg,eeee)" -> VR and keyword), which its type declarations leave out. */
const dictionary = (
  dcmjs as unknown as {
    data: {
      DicomMetaDictionary: {
        dictionary: Record<string, { vr?: string; name?: string } | undefined>;
      };
    };
  }
).data.DicomMetaDictionary.dictionary;

/** Whether a byte is an upper-case ASCII letter (the characters of an explicit VR). */
export const isUpper = (b: number | undefined) => b !== undefined && b >= 0x41 && b <= 0x5a;

export const PIXEL_DATA_GROUP = 0x7fe0;
export const PIXEL_DATA_ELEMENT = 0x0010;
export const UNDEFINED_LENGTH = 0xffffffff;
/** Sequences nested deeper than this are taken for corruption (real files nest a few levels). */
const MAX_SEQUENCE_DEPTH = 64;

// ---------------------------------------------------------------------------------------------
// Element layout (PS3.5 7.1). Explicit VR: these VRs have a 2-byte reserved field and a 4-byte
// length, every other VR a 2-byte length. dcmjs reads a VR it does not know (a corrupt byte, or
// OL / OV / SV, which it lacks) as UN with a 4-byte length, and "xs" as US: the walker does the
// same, so that both see the same element boundaries.

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

export const hex4 = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");

function dictionaryEntry(
  group: number,
  element: number,
): { vr?: string; name?: string } | undefined {
  return dictionary[`(${hex4(group)},${hex4(element)})`];
}

/** "(0020,000E) SeriesInstanceUID" or "(0029,1010)". */
function describeTag(group: number, element: number): string {
  const name = group === 0xfffe ? undefined : dictionaryEntry(group, element)?.name;
  return `(${hex4(group)},${hex4(element)})${name ? ` ${name}` : ""}`;
}

export interface Encoding {
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
export interface Fragments {
  offsetTable: number[];
  fragments: Uint8Array[];
  /** Offset of each fragment's item tag from the first fragment's item tag (what the table holds). */
  fragmentOffsets: number[];
  /** Position just after the sequence delimiter. */
  end: number;
}

export interface PixelDataLocation {
  vr: string;
  native?: Uint8Array;
  encapsulated?: Fragments;
}

/**
 * Checks the element structure of a data set (lengths, sequences, items, fragments) before dcmjs
 * reads it, and locates the pixel data. Throws ImageReadError naming the file on the first
 * inconsistency.
 */
export class DatasetWalker {
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
  /**
   * Header-only walks: throws the truncation error a full read would give when the Pixel Data
   * element at `p` announces more bytes than a file of `fileSize` bytes holds (defined lengths;
   * nothing is checked when the element's header itself lies beyond the bytes at hand).
   */
  checkPixelDataFits(p: number, fileSize: number): void {
    if (p + 12 > this.bytes.length) return;
    const h = this.header(p, this.bytes.length, "the data set");
    if (h.length === UNDEFINED_LENGTH) return;
    if (h.valueStart + h.length > fileSize) {
      this.fail(
        `truncated pixel data: ${describeTag(h.group, h.element)} at ${this.at(h.start)} announces ${h.length} bytes but the file ends ${fileSize - h.valueStart} bytes after its start (truncated file)`,
      );
    }
  }

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
export function printable(text: string, max = 64): string {
  const clean = text.replace(/[^\x20-\x7e]/g, "?");
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

export interface FileMeta {
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
export function readFileMeta(file: string, bytes: Uint8Array, start: number): FileMeta {
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

/**
 * The frames of encapsulated pixel data (PS3.5 A.4): grouped by the Basic Offset Table when it
 * points at fragment starts; else one fragment per frame when the counts agree; else, for a single
 * frame, all fragments joined; else split where a fragment starts a codestream (JPEG SOI, JPEG
 * 2000 SOC) when that gives `frames` frames. Otherwise the fragments are returned as they are, and
 * decodeFrames reports that they do not match NumberOfFrames.
 */
export function framesOfFragments(pixel: Fragments, frames: number): Uint8Array[] {
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
