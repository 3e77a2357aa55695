/**
 * Siemens CSA headers: the private blobs in (0029,1010) "CSA Image Header Info" and (0029,1020)
 * "CSA Series Header Info" (private creator "SIEMENS CSA HEADER"), read and written.
 *
 * Layout (nibabel's description of SPM's spm_dicom_headers.m, doc/source/dicom/siemens_csa.rst;
 * dcm2niix readCSAImageHeader() reads the same SV10 layout). Everything is little endian.
 *
 *   CSA2 ("SV10"):  "SV10", 4 unused bytes (Siemens writes 04 03 02 01), uint32 n_tags,
 *                   uint32 unused (77)
 *   CSA1 (older):   uint32 n_tags, uint32 unused (77)        -- no magic string
 *   each tag:       char[64] name (NUL-terminated), int32 vm, char[4] vr, int32 syngodt,
 *                   int32 n_items, int32 (77 or 205)          -- 84 bytes
 *   each item:      int32[4] lengths, then the value bytes padded to a 4-byte boundary.
 *                   CSA2: the value length is lengths[1].
 *                   CSA1: the value length is lengths[0] minus n_items of the first tag (SPM's
 *                   rule, kept as documented; SPM stops reading a tag's items, without failing,
 *                   when that length is negative or runs past the end).
 *   Values are text (numbers too, e.g. "1000", "0.70710678"), NUL-terminated. Only the first vm
 *   items carry values (vm = 0: all n_items); the rest are empty padding items.
 *
 * The reader checks every offset against the buffer and caps the tag and item counts, so a corrupt
 * or truncated header gives `undefined`: it never throws, reads out of range or loops long.
 */

export interface CsaElement {
  name: string;
  /** Value multiplicity as stored (0: use every item). */
  vm: number;
  /** The element's DICOM VR as Siemens records it ("IS", "FD", "CS", ...). */
  vr: string;
  syngodt: number;
  /** The item values (text, NUL and surrounding blanks removed), empty items included up to vm. */
  values: string[];
}

export interface CsaHeader {
  /** 2 for the "SV10" layout, 1 for the older one. */
  format: 1 | 2;
  elements: Map<string, CsaElement>;
}

/** dcm2niix rejects more than 128 tags; series headers can hold more, so allow nibabel's cap. */
const MAX_TAGS = 1000;
const MAX_ITEMS = 1000;
const TAG_BYTES = 84;
const ITEM_HEADER_BYTES = 16;
const CHECK_VALUE = 77;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) {
    const c = bytes[i]!;
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

/** Whether the bytes start with the CSA2 magic "SV10". */
function isSv10(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 &&
    bytes[0] === 0x53 &&
    bytes[1] === 0x56 &&
    bytes[2] === 0x31 &&
    bytes[3] === 0x30
  );
}

/**
 * Parses a CSA header (either layout). Returns undefined when the bytes are not a CSA header or
 * are corrupt (counts out of range, an item or tag running past the end).
 */
export function readCsaHeader(bytes: Uint8Array): CsaHeader | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.byteLength;
  const format: 1 | 2 = isSv10(bytes) ? 2 : 1;
  let p = format === 2 ? 8 : 0;
  if (p + 8 > end) return undefined;
  const nTags = view.getUint32(p, true);
  const check = view.getUint32(p + 4, true);
  p += 8;
  if (nTags < 1 || nTags > MAX_TAGS) return undefined;
  // CSA1 has no magic string: insist on the constant 77 so arbitrary bytes are not taken for one.
  if (format === 1 && check !== CHECK_VALUE) return undefined;
  const elements = new Map<string, CsaElement>();
  let firstTagItems = 0;
  for (let t = 0; t < nTags; t++) {
    if (p + TAG_BYTES > end) return undefined;
    const name = latin1(bytes, p, p + 64);
    const vm = view.getInt32(p + 64, true);
    const vr = latin1(bytes, p + 68, p + 72).trim();
    const syngodt = view.getInt32(p + 72, true);
    const nItems = view.getInt32(p + 76, true);
    p += TAG_BYTES;
    if (nItems < 0 || nItems > MAX_ITEMS || vm < 0 || vm > MAX_ITEMS) return undefined;
    if (t === 0) firstTagItems = nItems;
    const wanted = vm > 0 ? vm : nItems;
    const values: string[] = [];
    for (let i = 0; i < nItems; i++) {
      if (p + ITEM_HEADER_BYTES > end) return undefined;
      const len0 = view.getInt32(p, true);
      const len1 = view.getInt32(p + 4, true);
      p += ITEM_HEADER_BYTES;
      let length: number;
      if (format === 2) {
        length = len1;
        if (length < 0 || p + length > end) return undefined;
      } else {
        length = len0 - firstTagItems;
        // SPM: a CSA1 length out of range ends this tag's items (the value reads as empty).
        if (length < 0 || p + length > end) {
          if (values.length < wanted) values.push("");
          break;
        }
      }
      if (i < wanted) values.push(latin1(bytes, p, p + length).trim());
      p += Math.ceil(length / 4) * 4;
      if (p > end) return undefined;
    }
    if (name) elements.set(name, { name, vm, vr, syngodt, values });
  }
  return { format, elements };
}

/**
 * The leading numeric values of a CSA element (items up to the first empty or non-numeric one);
 * undefined when the element is absent or has no numeric value.
 */
export function csaNumbers(header: CsaHeader | undefined, name: string): number[] | undefined {
  const element = header?.elements.get(name);
  if (!element) return undefined;
  const out: number[] = [];
  for (const v of element.values) {
    if (v === "") break;
    const n = Number(v);
    if (!Number.isFinite(n)) break;
    out.push(n);
  }
  return out.length > 0 ? out : undefined;
}

/** VRs of the CSA elements radscore writes (anything else is written as LO). */
const KNOWN_VR: Record<string, string> = {
  B_value: "IS",
  DiffusionGradientDirection: "FD",
  B_matrix: "FD",
  DiffusionDirectionality: "CS",
  NumberOfImagesInMosaic: "US",
  SliceNormalVector: "FD",
};

/**
 * Encodes a CSA2 ("SV10") header with one tag per field, in the order given. Each value is written
 * as its text plus a NUL terminator, padded to 4 bytes, with item lengths [n, n, 77, n] as Siemens
 * writes them; vm is the number of values. syngodt is written as 0 (readers, dcm2niix and
 * nibabel included, ignore it). `vrs` overrides the VR of a field (default: the known Siemens VR
 * of the name, else LO).
 */
export function writeCsaHeader(
  fields: Record<string, string[]>,
  vrs: Record<string, string> = {},
): Uint8Array {
  const entries = Object.entries(fields);
  const encoder = (s: string): Uint8Array => {
    const out = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0xff) throw new Error(`CSA value ${JSON.stringify(s)} is not Latin-1 text`);
      out[i] = c;
    }
    return out;
  };
  let size = 16;
  for (const [name, values] of entries) {
    if (name.length === 0 || name.length > 63)
      throw new Error(`CSA element name "${name}" must have 1-63 characters`);
    size += TAG_BYTES;
    for (const v of values) size += ITEM_HEADER_BYTES + Math.ceil((v.length + 1) / 4) * 4;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set([0x53, 0x56, 0x31, 0x30, 4, 3, 2, 1], 0);
  view.setUint32(8, entries.length, true);
  view.setUint32(12, CHECK_VALUE, true);
  let p = 16;
  for (const [name, values] of entries) {
    out.set(encoder(name), p);
    view.setInt32(p + 64, values.length, true);
    const vr = (vrs[name] ?? KNOWN_VR[name] ?? "LO").slice(0, 3);
    out.set(encoder(vr), p + 68);
    view.setInt32(p + 72, 0, true);
    view.setInt32(p + 76, values.length, true);
    view.setInt32(p + 80, CHECK_VALUE, true);
    p += TAG_BYTES;
    for (const v of values) {
      const length = v.length + 1;
      view.setInt32(p, length, true);
      view.setInt32(p + 4, length, true);
      view.setInt32(p + 8, CHECK_VALUE, true);
      view.setInt32(p + 12, length, true);
      p += ITEM_HEADER_BYTES;
      out.set(encoder(v), p);
      p += Math.ceil(length / 4) * 4;
    }
  }
  return out;
}
