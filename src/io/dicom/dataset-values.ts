/**
 * Typed access to the values of a naturalised DICOM dataset (see parse.ts).
 */
import { latin1 } from "./bytes.js";
import type { DicomDataset } from "./parse.js";

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
