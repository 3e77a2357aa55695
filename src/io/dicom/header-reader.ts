/**
 * A fast reader of a checked DICOM header (the elements before Pixel Data, structure already
 * validated by walker.ts) into exactly the raw element dictionary dcmjs' DicomMessage.readFile
 * builds (8-hex-digit tag -> {vr, Value}), which dcmjs then naturalises as usual. dcmjs' own
 * reader costs ~0.5 ms per file (a stream object per element and per value); planning a series of
 * a few hundred files was most of `radscore dicom convert`'s time.
 *
 * It reproduces dcmjs 0.51's reading rules (DicomMessage._readTag and the ValueRepresentation
 * classes): the VR of implicit elements from the dictionary (unknown: SQ when of undefined length,
 * LO for private creators, UN otherwise; "xs" read as US, "ox" as OW); per-VR trimming (trim for
 * AE, CS, LO, SH; right trim for LT, ST, TM, UC, UT; UI loses a trailing NUL and every character
 * but digits and dots); values split at backslashes except for LT and binary VRs, the last value
 * losing one odd pad character; DS and IS parsed to numbers (null when empty); PN to
 * {Alphabetic, Ideographic, Phonetic} objects; binary numbers one per `size` bytes; empty fixed-
 * size numbers as 0; SpecificCharacterSet reported as ISO_IR 192. Whatever it does not reproduce
 * (non-ASCII text, explicit UN of a known tag, an unknown VR, a number element whose length is not
 * a multiple of its size, an undefined-length value outside a sequence) makes it return undefined,
 * and the caller uses dcmjs. The tests compare both readers on every reference and demo file.
 */
import { TEXT_VRS } from "./vr.js";
import { UNDEFINED_LENGTH } from "./walker.js";

export interface HeaderEncoding {
  implicit: boolean;
  littleEndian: boolean;
}

type RawDict = Record<string, { vr: string; Value: unknown[] }>;

/** Returned when the header holds something only dcmjs reads the dcmjs way. */
class Unsupported extends Error {}

/**
 * dcmjs' dictionary VR of a tag. The dictionary is looked up lazily by punctuated tag (it cannot be
 * enumerated); answers are remembered by tag number.
 */
const vrCache = new Map<number, string | null>();

function dictionaryVr(
  dictionary: Record<string, { vr?: string } | undefined>,
  tag: number,
): string | undefined {
  let vr = vrCache.get(tag);
  if (vr === undefined) {
    const hex = tag.toString(16).toUpperCase().padStart(8, "0");
    vr = dictionary[`(${hex.slice(0, 4)},${hex.slice(4)})`]?.vr ?? null;
    vrCache.set(tag, vr);
  }
  return vr ?? undefined;
}

/** VRs whose single binary values repeat every `size` bytes. */
const NUMBER_SIZES: Record<string, number> = { FL: 4, FD: 8, SL: 4, SS: 2, UL: 4, US: 2, AT: 4 };
const BYTES_VRS = new Set(["OB", "OW", "OF", "OD", "UN"]);
/** dcmjs' 4-byte length VRs (explicit VR). */
const LENGTH32 = new Set(["OB", "OW", "OF", "SQ", "UC", "UR", "UT", "UN", "OD"]);
/**
 * VRs whose last value dcmjs shortens by one trailing space at an odd length (the VRs with a
 * space pad byte and a maximum length; UI pads with NUL, which dcmjs' check treats as none).
 */
const DROPS_PAD = new Set(["AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "SH", "ST", "TM"]);
/** Character sets whose ASCII text dcmjs decodes unchanged (others: dcmjs reads the file). */
const ASCII_COMPATIBLE = new Set([
  "",
  "iso-ir-6",
  "iso-ir-100",
  "iso-ir-192",
  "iso-2022-ir-6",
  "iso-2022-ir-100",
]);

const hex8 = (n: number) => n.toString(16).toUpperCase().padStart(8, "0");

class Reader {
  private readonly view: DataView;
  constructor(
    private readonly bytes: Uint8Array,
    private readonly encoding: HeaderEncoding,
    private readonly dictionary: Record<string, { vr?: string } | undefined>,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private u16(p: number): number {
    return this.view.getUint16(p, this.encoding.littleEndian);
  }

  private u32(p: number): number {
    return this.view.getUint32(p, this.encoding.littleEndian);
  }

  /** The element header at `p`: tag, the VR dcmjs reads it with, value length and start. */
  private header(p: number): { tag: number; vr: string; length: number; valueStart: number } {
    const group = this.u16(p);
    const element = this.u16(p + 2);
    const tag = ((group << 16) | element) >>> 0;
    if (this.encoding.implicit) {
      const length = this.u32(p + 4);
      const known = dictionaryVr(this.dictionary, tag);
      let vr: string;
      if (known) vr = known === "xs" ? "US" : known === "ox" ? "OW" : known;
      else if (length === UNDEFINED_LENGTH) vr = "SQ";
      else if (group % 2 === 1 && element > 0x0000 && element < 0x0100) vr = "LO";
      else vr = "UN";
      return { tag, vr, length, valueStart: p + 8 };
    }
    const vr = String.fromCharCode(this.bytes[p + 4]!, this.bytes[p + 5]!);
    // dcmjs re-reads an explicit UN of a known tag with the dictionary's VR: left to dcmjs.
    if (vr === "UN" && dictionaryVr(this.dictionary, tag)) throw new Unsupported();
    if (LENGTH32.has(vr)) return { tag, vr, length: this.u32(p + 8), valueStart: p + 12 };
    return { tag, vr, length: this.u16(p + 6), valueStart: p + 8 };
  }

  /** Elements from `start` to `end` (an item's end, or the Pixel Data element). */
  elements(start: number, end: number): RawDict {
    const dict: RawDict = {};
    let p = start;
    while (p + 8 <= end) {
      if (this.u16(p) === 0xfffe) break; // an item delimiter inside an undefined-length item
      const { tag, vr, length, valueStart } = this.header(p);
      let next: number;
      if (vr === "SQ") {
        const { items, end: after } = this.sequence(valueStart, length);
        dict[hex8(tag)] = { vr, Value: items };
        next = after;
      } else {
        if (length === UNDEFINED_LENGTH) throw new Unsupported();
        dict[hex8(tag)] = { vr, Value: this.value(vr, valueStart, length) };
        next = valueStart + length;
      }
      if (tag === 0x00080005) this.characterSet(dict[hex8(tag)]!);
      p = next;
    }
    return dict;
  }

  /** dcmjs reports any supported character set as ISO_IR 192 (it decodes text to Unicode). */
  private characterSet(e: { vr: string; Value: unknown[] }): void {
    if (e.Value.length > 1) throw new Unsupported();
    if (e.Value.length === 1) {
      const coding = String(e.Value[0]).replace(/[_ ]/g, "-").toLowerCase();
      // ASCII-only text (the only text read here) decodes alike in these sets.
      if (!ASCII_COMPATIBLE.has(coding)) throw new Unsupported();
      e.Value = ["ISO_IR 192"];
    }
  }

  /** The items of a sequence value starting at `start` (defined or undefined length). */
  private sequence(start: number, length: number): { items: RawDict[]; end: number } {
    const items: RawDict[] = [];
    const seqEnd = length === UNDEFINED_LENGTH ? undefined : start + length;
    let p = start;
    for (;;) {
      if (seqEnd !== undefined && p >= seqEnd) return { items, end: seqEnd };
      const group = this.u16(p);
      const element = this.u16(p + 2);
      const itemLength = this.u32(p + 4);
      if (group === 0xfffe && element === 0xe0dd) return { items, end: p + 8 };
      if (group !== 0xfffe || element !== 0xe000) throw new Unsupported();
      if (itemLength === UNDEFINED_LENGTH) {
        const itemEnd = this.itemEnd(p + 8);
        items.push(this.elements(p + 8, itemEnd));
        p = itemEnd + 8; // past the item delimiter
      } else {
        items.push(this.elements(p + 8, p + 8 + itemLength));
        p += 8 + itemLength;
      }
    }
  }

  /** Position of the item delimiter closing an undefined-length item that starts at `start`. */
  private itemEnd(start: number): number {
    let p = start;
    for (;;) {
      const group = this.u16(p);
      const element = this.u16(p + 2);
      if (group === 0xfffe && element === 0xe00d) return p;
      const { vr, length, valueStart } = this.header(p);
      if (vr === "SQ") p = this.sequence(valueStart, length).end;
      else if (length === UNDEFINED_LENGTH) throw new Unsupported();
      else p = valueStart + length;
    }
  }

  private value(vr: string, start: number, length: number): unknown[] {
    if (BYTES_VRS.has(vr)) return [this.bytes.slice(start, start + length)];
    const size = NUMBER_SIZES[vr];
    if (size !== undefined) {
      // An empty fixed-size number reads as dcmjs' default: 0 (AT has none: left to dcmjs).
      if (length === 0) {
        if (vr === "AT") throw new Unsupported();
        return [0];
      }
      if (length % size !== 0) throw new Unsupported();
      const out: number[] = [];
      for (let q = start; q < start + length; q += size) out.push(this.number(vr, q));
      return out;
    }
    // UR: dcmjs has its own rules for it; left to dcmjs.
    if (!TEXT_VRS.has(vr) || vr === "UR") throw new Unsupported();
    let text = "";
    for (let i = start; i < start + length; i++) {
      const b = this.bytes[i]!;
      if (b >= 0x80) throw new Unsupported(); // text decoding depends on the character set
      text += String.fromCharCode(b);
    }
    return stringValues(vr, text);
  }

  private number(vr: string, q: number): number {
    const le = this.encoding.littleEndian;
    switch (vr) {
      case "FL":
        return this.view.getFloat32(q, le);
      case "FD":
        return this.view.getFloat64(q, le);
      case "SL":
        return this.view.getInt32(q, le);
      case "SS":
        return this.view.getInt16(q, le);
      case "UL":
        return this.view.getUint32(q, le);
      case "US":
        return this.view.getUint16(q, le);
      default:
        // AT: group then element, as one number (dcmjs' Tag value)
        return ((this.view.getUint16(q, le) << 16) | this.view.getUint16(q + 2, le)) >>> 0;
    }
  }
}

/** dcmjs' dropPadByte: the last of several values loses one pad space at an odd length. */
function dropPad(values: string[], vr: string): string[] {
  if (values.length > 1 && DROPS_PAD.has(vr)) {
    const last = values[values.length - 1]!;
    if (last.length % 2 !== 0 && last.endsWith(" ")) values[values.length - 1] = last.slice(0, -1);
  }
  return values;
}

const rtrim = (s: string) => s.replace(/\s*$/g, "");
const numeric = (s: string): number | null => {
  const t = s.trim().replace(/[^0-9.\\\-+e]/gi, "");
  return t === "" ? null : Number(t);
};

/** The Value array dcmjs gives a string element of `vr` whose bytes are `text`. */
function stringValues(vr: string, text: string): unknown[] {
  switch (vr) {
    case "CS":
      return dropPad(text.split("\\"), vr).map((s) => s.trim());
    case "DS":
    case "IS":
      return dropPad(text.split("\\"), vr).map(numeric);
    case "AS":
      if (text.length === 0) return [""];
      return dropPad(text.split("\\"), vr);
    case "UI": {
      const t = text.endsWith("\0") ? text.slice(0, -1) : text;
      const clean = (s: string) => s.replace(/[^0-9.]/g, "");
      if (!t.includes("\\")) return dropPad([clean(t)], vr);
      return dropPad(t.split("\\"), vr).map(clean);
    }
    case "PN": {
      const t = text.length > 0 && text.endsWith(" ") ? text.slice(0, -1) : text;
      return t
        .split("\\")
        .filter(Boolean)
        .map((v) => {
          const c = v.split("=");
          return {
            ...(c[0] ? { Alphabetic: c[0] } : {}),
            ...(c[1] ? { Ideographic: c[1] } : {}),
            ...(c[2] ? { Phonetic: c[2] } : {}),
          };
        });
    }
    case "LT":
      return [rtrim(text)];
    case "AE":
    case "LO":
    case "SH":
      return dropPad(text.trim().split("\\"), vr);
    case "ST":
    case "TM":
    case "UC":
    case "UT":
      return dropPad(rtrim(text).split("\\"), vr);
    default:
      // DA, DT: as read
      return dropPad(text.split("\\"), vr);
  }
}

/**
 * The raw dcmjs element dictionary of the header bytes [start, end), or undefined when the header
 * needs dcmjs' own reader (see the module comment).
 */
export function readHeaderDict(
  bytes: Uint8Array,
  start: number,
  end: number,
  encoding: HeaderEncoding,
  dictionary: Record<string, { vr?: string } | undefined>,
): RawDict | undefined {
  try {
    return new Reader(bytes, encoding, dictionary).elements(start, end);
  } catch {
    // Unsupported, or anything unexpected in a corrupt header: dcmjs' reader decides.
    return undefined;
  }
}
