/**
 * Diffusion metadata (diffusion.ts), Siemens CSA headers (csa.ts) and trace / ADC maps (adc.ts).
 *
 * Expected values come from dcm2niix's output for the dcm_qa_ge DWI series (Ref/*.bval, *.bvec and
 * the NIfTI header), from the CSA layout as nibabel documents it (doc/source/dicom/siemens_csa.rst),
 * from the rules in dcm2niix's source worked through by hand (named in each test), and from the
 * Stejskal-Tanner formula evaluated here on the test's own signals.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import dcmjs from "dcmjs";
import type { Vec3, Volume } from "../src/image/volume.js";
import { adcMap, traceWeighted } from "../src/io/dicom/adc.js";
import { csaNumbers, readCsaHeader, writeCsaHeader } from "../src/io/dicom/csa.js";
import {
  type DiffusionFrameRecord,
  type DiffusionInfo,
  dcm2niixBvec,
  diffusionOf,
  orderDiffusionVolumes,
  patientBvector,
  type RawElement,
  vendorDiffusionElements,
} from "../src/io/dicom/diffusion.js";
import { type DicomDataset, parseDicom } from "../src/io/dicom/parse.js";
import { decodeFrames } from "../src/io/dicom/pixels.js";
import { parseNiftiHeader } from "../src/io/nifti.js";
import { missingReference, referenceDir } from "./support/reference.js";

dcmjs.log.setLevel("silent");

function close(got: number, want: number, tol: number, what: string): void {
  assert.ok(Math.abs(got - want) <= tol, `${what}: ${got} vs ${want} (tolerance ${tol})`);
}

function closeVec(
  got: readonly number[] | undefined,
  want: readonly number[],
  tol: number,
  what: string,
): void {
  assert.ok(got, `${what}: no vector`);
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => {
    close(got[i]!, w, tol, `${what}[${i}]`);
  });
}

// ---------------------------------------------------------------------------------------------
// Siemens CSA headers

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

test("writeCsaHeader lays out SV10 as documented and reads back", () => {
  const bytes = writeCsaHeader({
    B_value: ["1000"],
    DiffusionGradientDirection: ["0.6", "-0.8", "0"],
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // Header: "SV10", 04 03 02 01, n_tags = 2, 77.
  assert.deepEqual([...bytes.subarray(0, 8)], [0x53, 0x56, 0x31, 0x30, 4, 3, 2, 1]);
  assert.equal(view.getUint32(8, true), 2);
  assert.equal(view.getUint32(12, true), 77);
  // First tag at 16: name[64], vm, vr[4], syngodt, n_items, 77 (84 bytes).
  assert.equal(String.fromCharCode(...bytes.subarray(16, 23)), "B_value");
  assert.equal(bytes[23], 0);
  assert.equal(view.getInt32(16 + 64, true), 1); // vm
  assert.equal(String.fromCharCode(...bytes.subarray(16 + 68, 16 + 70)), "IS");
  assert.equal(view.getInt32(16 + 76, true), 1); // n_items
  // Its item at 100: lengths [5, 5, 77, 5] ("1000" + NUL), value padded to 8 bytes.
  assert.deepEqual(
    [0, 4, 8, 12].map((o) => view.getInt32(100 + o, true)),
    [5, 5, 77, 5],
  );
  assert.equal(String.fromCharCode(...bytes.subarray(116, 120)), "1000");
  assert.equal(bytes[120], 0);
  // Second tag at 116 + 8 = 124, three items of "0.6", "-0.8", "0".
  assert.equal(String.fromCharCode(...bytes.subarray(124, 124 + 26)), "DiffusionGradientDirection");
  assert.equal(view.getInt32(124 + 64, true), 3);
  assert.equal(String.fromCharCode(...bytes.subarray(124 + 68, 124 + 70)), "FD");
  assert.equal(bytes.length, 124 + 84 + (16 + 4) + (16 + 8) + (16 + 4));

  const header = readCsaHeader(bytes);
  assert.ok(header);
  assert.equal(header.format, 2);
  assert.deepEqual(header.elements.get("B_value")?.values, ["1000"]);
  assert.equal(header.elements.get("DiffusionGradientDirection")?.vr, "FD");
  assert.deepEqual(csaNumbers(header, "DiffusionGradientDirection"), [0.6, -0.8, 0]);
  assert.equal(csaNumbers(header, "Missing"), undefined);
});

/** A CSA2 tag with `nItems` items of which the first values.length hold text (Siemens pads). */
function csa2Tag(name: string, vm: number, vr: string, values: string[], nItems: number): number[] {
  const out: number[] = [];
  const int = (x: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, x, true);
    out.push(...b);
  };
  const nameBytes = new Uint8Array(64);
  nameBytes.set(latin1(name));
  out.push(...nameBytes);
  int(vm);
  out.push(...latin1(vr.padEnd(4, "\0")));
  int(3);
  int(nItems);
  int(77);
  for (let i = 0; i < nItems; i++) {
    const text = i < values.length ? `${values[i]}\0` : "";
    const len = text.length;
    int(len);
    int(len);
    int(77);
    int(len);
    out.push(...latin1(text), ...new Array((4 - (len % 4)) % 4).fill(0x20));
  }
  return out;
}

test("readCsaHeader keeps the first vm items of Siemens' padded item lists", () => {
  const body = [
    ...csa2Tag("B_value", 1, "IS", ["700"], 6),
    ...csa2Tag(
      "DiffusionGradientDirection",
      3,
      "FD",
      ["0.26726124", "0.53452248", "-0.80178373"],
      6,
    ),
    ...csa2Tag("SliceNormalVector", 3, "FD", [], 0),
  ];
  const bytes = new Uint8Array([...latin1("SV10"), 4, 3, 2, 1, 3, 0, 0, 0, 77, 0, 0, 0, ...body]);
  const header = readCsaHeader(bytes);
  assert.ok(header);
  assert.deepEqual(header.elements.get("B_value")?.values, ["700"]);
  assert.deepEqual(
    csaNumbers(header, "DiffusionGradientDirection"),
    [0.26726124, 0.53452248, -0.80178373],
  );
  assert.deepEqual(header.elements.get("SliceNormalVector")?.values, []);
});

test("readCsaHeader reads the old (CSA1) layout: item length = lengths[0] - n_items of the first tag", () => {
  // nibabel's description: no "SV10"; n_tags, 77; items' value length is xx[0] minus the
  // first tag's n_items. Two tags, the first with 2 items.
  const out: number[] = [];
  const int = (x: number) => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, x, true);
    out.push(...b);
  };
  const tag = (name: string, vm: number, items: string[]) => {
    const nameBytes = new Uint8Array(64);
    nameBytes.set(latin1(name));
    out.push(...nameBytes);
    int(vm);
    out.push(...latin1("DS\0\0"));
    int(3);
    int(items.length);
    int(77);
    for (const v of items) {
      const text = `${v}\0`;
      int(text.length + 2); // + n_items of the first tag (2)
      int(text.length);
      int(77);
      int(text.length);
      out.push(...latin1(text), ...new Array((4 - (text.length % 4)) % 4).fill(0));
    }
  };
  int(2);
  int(77);
  tag("B_value", 1, ["1000", ""]);
  tag("DiffusionGradientDirection", 3, ["1", "0", "0"]);
  const header = readCsaHeader(new Uint8Array(out));
  assert.ok(header);
  assert.equal(header.format, 1);
  assert.deepEqual(csaNumbers(header, "B_value"), [1000]);
  assert.deepEqual(csaNumbers(header, "DiffusionGradientDirection"), [1, 0, 0]);
});

test("readCsaHeader returns undefined for corrupt or truncated headers, never throws", () => {
  const good = writeCsaHeader({ B_value: ["1000"], DiffusionGradientDirection: ["1", "0", "0"] });
  // Every proper prefix is truncated somewhere inside a tag or item.
  for (let n = 0; n < good.length; n++) {
    assert.equal(readCsaHeader(good.subarray(0, n)), undefined, `prefix of ${n} bytes`);
  }
  const tampered = (offset: number, value: number) => {
    const b = good.slice();
    new DataView(b.buffer).setInt32(offset, value, true);
    return readCsaHeader(b);
  };
  assert.equal(tampered(8, 0), undefined, "no tags");
  assert.equal(tampered(8, 2 ** 31 - 1), undefined, "absurd tag count");
  assert.equal(tampered(16 + 76, 100000), undefined, "absurd item count");
  assert.equal(tampered(16 + 76, -1), undefined, "negative item count");
  assert.equal(tampered(100 + 4, 10 ** 6), undefined, "item longer than the header");
  assert.equal(tampered(100 + 4, -8), undefined, "negative item length");
  // Not a CSA header at all (CSA1 needs the 77 check value).
  assert.equal(readCsaHeader(latin1("IMAGE NUM 4 and some more bytes")), undefined);
  assert.equal(readCsaHeader(new Uint8Array(64).fill(0xff)), undefined);
  // A pseudo-random buffer starting like SV10 with a small tag count.
  let seed = 12345;
  for (let trial = 0; trial < 200; trial++) {
    const b = new Uint8Array(64 + (trial % 300));
    for (let i = 0; i < b.length; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0;
      b[i] = seed >>> 24;
    }
    b.set(latin1("SV10"), 0);
    b[8] = 1 + (trial % 3);
    b[9] = b[10] = b[11] = 0;
    assert.doesNotThrow(() => readCsaHeader(b));
  }
});

// ---------------------------------------------------------------------------------------------
// diffusionOf on hand-built datasets (naturalised, as parseDicom returns them)

test("GE: (0043,1039) modulo 1e9, gradients in the image frame, dcm2niix's b scaling and b>0 zero-gradient rules", () => {
  const ge = (extra: DicomDataset): DicomDataset => ({
    Manufacturer: "GE MEDICAL SYSTEMS",
    "00190010": "GEMS_ACQU_01",
    "00430010": "GEMS_PARM_01",
    ...extra,
  });
  // 1000001000\8\0\0: the 1e9 flag (dcm2niix set_bValGE(), issue 602) -> b = 1000.
  const flagged = diffusionOf(
    ge({ "00431039": [1000001000, 8, 0, 0], "001910BB": 0.6, "001910BC": 0.8, "001910BD": 0 }),
  );
  assert.equal(flagged?.bvalue, 1000);
  assert.deepEqual(flagged?.bvector, [0.6, 0.8, 0]);
  assert.equal(flagged?.frame, "image");
  assert.match(flagged?.source ?? "", /0043,1039/);
  // (0043,1039) wins over the public DiffusionBValue.
  const both = diffusionOf(
    ge({
      DiffusionBValue: 500,
      "00431039": [1000, 8, 0, 0],
      "001910BB": 1,
      "001910BC": 0,
      "001910BD": 0,
    }),
  );
  assert.equal(both?.bvalue, 1000);
  assert.equal(both?.source, "(0043,1039) GE");
  // Public b-value when (0043,1039) is absent.
  assert.equal(
    diffusionOf(ge({ DiffusionBValue: 500, "001910BB": 1, "001910BC": 0, "001910BD": 0 }))?.bvalue,
    500,
  );
  // |g| = 0.5 (in 0.03..0.97): b' = round5(1000 * 0.25) = 250, g * sqrt(1000 / 250) = 2 g.
  const scaled = diffusionOf(
    ge({ "00431039": [1000, 8, 0, 0], "001910BB": 0.3, "001910BC": 0.4, "001910BD": 0 }),
  );
  assert.equal(scaled?.bvalue, 250);
  closeVec(scaled?.bvector, [0.6, 0.8, 0], 1e-12, "scaled gradient");
  // |g| = 0.1: b |g|^2 = 10 -> 10; |g| = 0.05: 2.5 -> 5 (the minimum).
  assert.equal(
    diffusionOf(ge({ "00431039": [1000, 8, 0, 0], "001910BB": 0.1, "001910BC": 0, "001910BD": 0 }))
      ?.bvalue,
    10,
  );
  assert.equal(
    diffusionOf(ge({ "00431039": [1000, 8, 0, 0], "001910BB": 0.05, "001910BC": 0, "001910BD": 0 }))
      ?.bvalue,
    5,
  );
  // b > 0 with a zero gradient in a DTI series (0019,10E0 = 6 directions): b = 0 (issue 777).
  const dtiZero = diffusionOf(
    ge({ "00431039": [900, 8, 0, 0], "001910BB": 0, "001910BC": 0, "001910BD": 0, "001910E0": 6 }),
  );
  assert.equal(dtiZero?.bvalue, 0);
  assert.equal(dtiZero?.nominalBvalue, 900);
  assert.equal(dtiZero?.isTrace, undefined);
  // ... and in a non-DTI series: a trace (0019,10E0 = 0, or (0043,1030) not 14/16).
  const trace = diffusionOf(
    ge({ "00431039": [900, 8, 0, 0], "001910BB": 0, "001910BC": 0, "001910BD": 0, "001910E0": 0 }),
  );
  assert.equal(trace?.bvalue, 900);
  assert.equal(trace?.isTrace, true);
  assert.equal(trace?.bvector, undefined);
  const flagTrace = diffusionOf(
    ge({
      "00431039": [900, 8, 0, 0],
      "001910BB": 0,
      "001910BC": 0,
      "001910BD": 0,
      "001910E0": 3,
      "00431030": 4,
    }),
  );
  assert.equal(flagTrace?.isTrace, true);
  // No gradient tags at all: b kept, direction unknown (not a trace unless a non-DTI series).
  const noTags = diffusionOf(ge({ "00431039": [900, 8, 0, 0] }));
  assert.equal(noTags?.bvalue, 900);
  assert.equal(noTags?.bvector, undefined);
  assert.equal(noTags?.isTrace, undefined);
  assert.equal(diffusionOf(ge({ "00431039": [900, 8, 0, 0], "001910E0": 0 }))?.isTrace, true);
  // No b-value anywhere -> undefined.
  assert.equal(diffusionOf(ge({})), undefined);
  assert.equal(diffusionOf({ Manufacturer: "GE" }), undefined);
});

test("private elements are found through their private creator, in any block", () => {
  // GEMS_PARM_01 reserved block 0x11: (0043,1139) is Slop_int_6.
  const moved: DicomDataset = {
    Manufacturer: "GE MEDICAL SYSTEMS",
    "00430010": "SOMEONE ELSE",
    "00431039": [5, 0, 0, 0],
    "00430011": "GEMS_PARM_01",
    "00431139": [800, 8, 0, 0],
  };
  assert.equal(diffusionOf(moved)?.bvalue, 800);
  // Creator present but not GE's: the element is someone else's and is not read.
  assert.equal(
    diffusionOf({ Manufacturer: "GE", "00430010": "OTHER", "00431039": [800, 8, 0, 0] }),
    undefined,
  );
  // Creators stripped (anonymiser): dcm2niix's hard-coded block 0x10 is used.
  const stripped = diffusionOf({
    Manufacturer: "GE",
    "00431039": [800, 8, 0, 0],
    "001910BB": 0,
    "001910BC": 1,
    "001910BD": 0,
  });
  assert.equal(stripped?.bvalue, 800);
  assert.deepEqual(stripped?.bvector, [0, 1, 0]);
  // No Manufacturer: the vendor comes from the private creators.
  assert.equal(
    diffusionOf({ "00430010": "GEMS_PARM_01", "00431039": [300, 8, 0, 0] })?.vendor,
    "ge",
  );
});

test("Siemens: CSA B_value / DiffusionGradientDirection > (0019,100C/E) > public tags", () => {
  const csa = writeCsaHeader({
    B_value: ["1500"],
    DiffusionGradientDirection: ["0", "0.6", "0.8"],
  });
  const base: DicomDataset = {
    Manufacturer: "SIEMENS",
    "00190010": "SIEMENS MR HEADER",
    "0019100C": 1000,
    "0019100E": [1, 0, 0],
    "00290010": "SIEMENS CSA HEADER",
    DiffusionBValue: 500,
  };
  const withCsa = diffusionOf({ ...base, "00291010": [csa.buffer] });
  assert.equal(withCsa?.bvalue, 1500);
  assert.deepEqual(withCsa?.bvector, [0, 0.6, 0.8]);
  assert.equal(withCsa?.frame, "patient");
  assert.match(withCsa?.source ?? "", /CSA/);
  const noCsa = diffusionOf(base);
  assert.equal(noCsa?.bvalue, 1000);
  assert.deepEqual(noCsa?.bvector, [1, 0, 0]);
  // A corrupt CSA header is ignored (falls back), never thrown.
  const corrupt = diffusionOf({
    ...base,
    "00291010": [
      new Uint8Array([0x53, 0x56, 0x31, 0x30, 4, 3, 2, 1, 9, 0, 0, 0, 77, 0, 0, 0]).buffer,
    ],
  });
  assert.equal(corrupt?.bvalue, 1000);
  // Public only.
  assert.equal(
    diffusionOf({
      Manufacturer: "SIEMENS",
      DiffusionBValue: 500,
      DiffusionGradientOrientation: [0, 1, 0],
    })?.bvalue,
    500,
  );
  // Negative CSA b reads as 0 (dcm2niix readCSAImageHeader()).
  const negative = writeCsaHeader({ B_value: ["-5"] });
  assert.equal(diffusionOf({ ...base, "00291010": [negative.buffer] })?.bvalue, 0);
  // b > 0 without a gradient: trace; ImageType TRACEW too.
  const trace = diffusionOf({
    Manufacturer: "SIEMENS",
    "00190010": "SIEMENS MR HEADER",
    "0019100C": 1000,
  });
  assert.equal(trace?.isTrace, true);
  const tracew = diffusionOf({ ...base, ImageType: ["DERIVED", "PRIMARY", "DIFFUSION", "TRACEW"] });
  assert.equal(tracew?.isTrace, true);
  assert.equal(tracew?.bvector, undefined);
});

test("Philips: (2001,1003) and (2005,10B0-B2) > public; ISOTROPIC, 'I' with b > 0 and zero gradients are traces", () => {
  const base: DicomDataset = {
    Manufacturer: "Philips Medical Systems",
    "20010010": "Philips Imaging DD 001",
    "20050010": "Philips MR Imaging DD 001",
  };
  const directional = diffusionOf({
    ...base,
    DiffusionBValue: 800,
    DiffusionGradientOrientation: [1, 0, 0],
    "20011003": 1000,
    "20011004": "O",
    "200510B0": 0,
    "200510B1": 0.6,
    "200510B2": -0.8,
  });
  assert.equal(directional?.bvalue, 1000);
  assert.deepEqual(directional?.bvector, [0, 0.6, -0.8]);
  assert.match(directional?.source ?? "", /2001,1003/);
  // The 1.7e38 "no direction" value is not a direction: the public one is used.
  const sentinel = diffusionOf({
    ...base,
    "20011003": 1000,
    "200510B0": 1.7e38,
    "200510B1": 1.7e38,
    "200510B2": 1.7e38,
    DiffusionGradientOrientation: [0, 0, 1],
  });
  assert.deepEqual(sentinel?.bvector, [0, 0, 1]);
  assert.equal(
    diffusionOf({
      ...base,
      "20011003": 1000,
      "20011004": "I",
      "200510B0": 0.6,
      "200510B1": 0.8,
      "200510B2": 0,
    })?.isTrace,
    true,
  );
  // Raw b = 0 images are labelled "I" too (NAMIC): not a trace.
  assert.equal(diffusionOf({ ...base, "20011003": 0, "20011004": "I" })?.isTrace, undefined);
  assert.equal(
    diffusionOf({ ...base, "20011003": 1000, DiffusionDirectionality: "ISOTROPIC" })?.isTrace,
    true,
  );
  assert.equal(
    diffusionOf({ ...base, "20011003": 1000, "200510B0": 0, "200510B1": 0, "200510B2": 0 })
      ?.isTrace,
    true,
  );
});

test("enhanced frames: the MR Diffusion functional group wins over top-level private tags", () => {
  const frame: DicomDataset = {
    Manufacturer: "Philips",
    "20010010": "Philips Imaging DD 001",
    "20011003": 0, // top level: describes the first frame only
    PerFrameFunctionalGroupsSequence: [{}],
    MRDiffusionSequence: [
      {
        DiffusionBValue: 1000,
        DiffusionDirectionality: "DIRECTIONAL",
        DiffusionGradientDirectionSequence: [{ DiffusionGradientOrientation: [0, 0, -1] }],
      },
    ],
  };
  const d = diffusionOf(frame);
  assert.equal(d?.bvalue, 1000);
  assert.deepEqual(d?.bvector, [0, 0, -1]);
  assert.match(d?.source ?? "", /MRDiffusionSequence/);
  // Philips b = 0 frames: directionality NONE without a b-value.
  const b0 = diffusionOf({ ...frame, MRDiffusionSequence: [{ DiffusionDirectionality: "NONE" }] });
  assert.equal(b0?.bvalue, 0);
  assert.equal(b0?.bvector, undefined);
  // NONE / ISOTROPIC drop the gradient (dcm2niix set_directionality0018_9075()).
  const iso = diffusionOf({
    ...frame,
    MRDiffusionSequence: [
      {
        DiffusionBValue: 1000,
        DiffusionDirectionality: "ISOTROPIC",
        DiffusionGradientOrientation: [1, 0, 0],
      },
    ],
  });
  assert.equal(iso?.isTrace, true);
  assert.equal(iso?.bvector, undefined);
});

// ---------------------------------------------------------------------------------------------
// Vendor tag writing: encode -> write a DICOM file with dcmjs -> parseDicom -> diffusionOf

const MR_STORAGE = "1.2.840.10008.5.1.4.1.1.4";

function writeDicom(
  manufacturer: string,
  elements: Record<string, RawElement>,
  transferSyntax: string,
): DicomDataset {
  const meta = {
    "00020001": { vr: "OB", Value: [new Uint8Array([0, 1]).buffer] },
    "00020002": { vr: "UI", Value: [MR_STORAGE] },
    "00020003": { vr: "UI", Value: ["1.2.826.0.1.3680043.8.498.1"] },
    "00020010": { vr: "UI", Value: [transferSyntax] },
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = {
    "00080016": { vr: "UI", Value: [MR_STORAGE] },
    "00080018": { vr: "UI", Value: ["1.2.826.0.1.3680043.8.498.1"] },
    "00080060": { vr: "CS", Value: ["MR"] },
    "00080070": { vr: "LO", Value: [manufacturer] },
    ...elements,
  };
  return parseDicom(new Uint8Array(dict.write()), "synthetic.dcm", { headerOnly: true }).dataset;
}

const EXPLICIT = "1.2.840.10008.1.2.1";
const IMPLICIT = "1.2.840.10008.1.2";

test("vendorDiffusionElements round-trips through written DICOM (explicit and implicit VR)", () => {
  const cases: { vendor: "siemens" | "philips" | "ge"; manufacturer: string; tol: number }[] = [
    { vendor: "siemens", manufacturer: "SIEMENS", tol: 0 }, // CSA text and FD: exact
    { vendor: "philips", manufacturer: "Philips Medical Systems", tol: 1e-7 }, // FL: float32
    { vendor: "ge", manufacturer: "GE MEDICAL SYSTEMS", tol: 1e-13 }, // DS: 16 characters
  ];
  const g: Vec3 = [0.26726124191242434, -0.5345224838248487, 0.8017837257372732];
  for (const { vendor, manufacturer, tol } of cases) {
    for (const ts of [EXPLICIT, IMPLICIT]) {
      const what = `${vendor} ${ts === EXPLICIT ? "explicit" : "implicit"}`;
      const elements = vendorDiffusionElements(vendor, 1000, g);
      const creators = {
        siemens: ["00290010", "00190010"],
        philips: ["20010010", "20050010"],
        ge: ["00430010", "00190010"],
      }[vendor];
      for (const c of creators) assert.ok(elements[c], `${what}: private creator ${c}`);
      const ds = writeDicom(manufacturer, elements, ts);
      const d = diffusionOf(ds);
      assert.equal(d?.bvalue, 1000, what);
      closeVec(d?.bvector, g, tol, what);
      assert.equal(d?.isTrace, undefined, what);
      assert.equal(d?.frame, vendor === "ge" ? "image" : "patient", what);
      const b0 = diffusionOf(writeDicom(manufacturer, vendorDiffusionElements(vendor, 0), ts));
      assert.equal(b0?.bvalue, 0, `${what} b0`);
      assert.equal(b0?.bvector, undefined, `${what} b0`);
    }
  }
  // The Siemens CSA header carries the values (checked without the 0019 group).
  const siemens = vendorDiffusionElements("siemens", 700, [0, 0, 1]);
  const csa = readCsaHeader(new Uint8Array(siemens["00291010"]!.Value[0] as ArrayBuffer));
  assert.deepEqual(csaNumbers(csa, "B_value"), [700]);
  assert.deepEqual(csaNumbers(csa, "DiffusionGradientDirection"), [0, 0, 1]);
  const onlyCsa = { ...siemens };
  delete onlyCsa["0019100C"];
  delete onlyCsa["0019100E"];
  const fromCsa = diffusionOf(writeDicom("SIEMENS", onlyCsa, EXPLICIT));
  assert.equal(fromCsa?.bvalue, 700);
  assert.match(fromCsa?.source ?? "", /CSA/);
  // Traces: Philips "I" + ISOTROPIC, Siemens B_value without direction; GE refuses.
  assert.equal(
    diffusionOf(writeDicom("Philips", vendorDiffusionElements("philips", 1000), EXPLICIT))?.isTrace,
    true,
  );
  assert.equal(
    diffusionOf(writeDicom("SIEMENS", vendorDiffusionElements("siemens", 1000), IMPLICIT))?.isTrace,
    true,
  );
  assert.throws(() => vendorDiffusionElements("ge", 1000), /trace/);
});

// ---------------------------------------------------------------------------------------------
// dcm2niix's volume order and bvec convention

interface Rec extends DiffusionFrameRecord {
  name: string;
}

function rec(
  name: string,
  instanceNumber: number,
  position: number,
  bvalue: number,
  bvector?: Vec3,
  extra: Partial<DiffusionInfo> = {},
): Rec {
  const diffusion: DiffusionInfo = { bvalue, source: "test", vendor: "philips", ...extra };
  if (bvector) diffusion.bvector = bvector;
  return { name, instanceNumber, position, diffusion };
}

test("orderDiffusionVolumes: slices-first, volumes-first, trace removal, uneven counts", () => {
  // Slices-first (XYZT): 3 slices x 2 volumes, input shuffled.
  const xyzt = [
    rec("v1s2", 5, 3, 1000, [1, 0, 0]),
    rec("v0s0", 1, 0, 0),
    rec("v1s0", 4, 0, 1000, [1, 0, 0]),
    rec("v0s2", 3, 6, 0),
    rec("v0s1", 2, 3, 0),
    rec("v1s1", 6, 6, 1000, [1, 0, 0]),
  ];
  // Instance order within volume 1 is 0, 3, 6 (v1s2 has position 3, v1s1 position 6).
  const a = orderDiffusionVolumes(xyzt);
  assert.equal(a.layout, "slices-first");
  assert.equal(a.slicesPerVolume, 3);
  assert.deepEqual(
    a.volumes.map((v) => v.frames.map((f) => f.name)),
    [
      ["v0s0", "v0s1", "v0s2"],
      ["v1s0", "v1s2", "v1s1"],
    ],
  );
  assert.deepEqual(
    a.volumes.map((v) => v.diffusion?.bvalue),
    [0, 1000],
  );
  assert.ok(a.volumes.every((v) => v.consistent));

  // Volumes-first (XYTZ): instances 1-3 are volumes 0-2 at slice 0, 4-6 at slice 1.
  const xytz = [
    rec("s0v0", 1, 0, 0),
    rec("s0v1", 2, 0, 1000, [0, 1, 0]),
    rec("s0v2", 3, 0, 1000, [0, 0, 1]),
    rec("s1v0", 4, 5, 0),
    rec("s1v1", 5, 5, 1000, [0, 1, 0]),
    rec("s1v2", 6, 5, 1000, [0, 0, 1]),
  ];
  const b = orderDiffusionVolumes(xytz);
  assert.equal(b.layout, "volumes-first");
  assert.deepEqual(
    b.volumes.map((v) => v.frames.map((f) => f.name)),
    [
      ["s0v0", "s1v0"],
      ["s0v1", "s1v1"],
      ["s0v2", "s1v2"],
    ],
  );

  // Philips traces leave the main series (dcm2niix nii_saveDTI()), keeping acquisition order.
  const withTrace = [
    rec("b0", 1, 0, 0),
    rec("x", 2, 0, 1000, [1, 0, 0]),
    rec("trace", 3, 0, 1000, undefined, { isTrace: true }),
    rec("y", 4, 0, 1000, [0, 1, 0]),
  ];
  // One slice, four volumes.
  const c = orderDiffusionVolumes(withTrace);
  assert.equal(c.layout, "slices-first");
  assert.equal(c.slicesPerVolume, 1);
  assert.deepEqual(
    c.volumes.map((v) => v.frames[0]!.name),
    ["b0", "x", "y"],
  );
  assert.deepEqual(
    c.derived.map((v) => v.frames[0]!.name),
    ["trace"],
  );
  // Two slices, slices-first.
  const withTrace2 = withTrace.flatMap((r, k) => [
    { ...r, name: `${r.name}-s0`, instanceNumber: 2 * k + 1, position: 0 },
    { ...r, name: `${r.name}-s1`, instanceNumber: 2 * k + 2, position: 4 },
  ]);
  const d = orderDiffusionVolumes(withTrace2);
  assert.deepEqual(
    d.volumes.map((v) => v.frames[0]!.name),
    ["b0-s0", "x-s0", "y-s0"],
  );
  assert.deepEqual(
    d.derived.map((v) => v.frames[0]!.name),
    ["trace-s0"],
  );
  // A b = 0 + trace pair keeps its trace (Rob Reid's rule in nii_saveDTI()).
  const pair = orderDiffusionVolumes([
    withTrace2[0]!,
    withTrace2[1]!,
    withTrace2[4]!,
    withTrace2[5]!,
  ]);
  assert.equal(pair.volumes.length, 2);
  assert.equal(pair.derived.length, 0);
  // Siemens traces stay (dcm2niix removes Philips and GE traces only).
  const siemens = withTrace2.map((r) => ({
    ...r,
    diffusion: { ...r.diffusion!, vendor: "siemens" as const },
  }));
  assert.equal(orderDiffusionVolumes(siemens).volumes.length, 4);

  // 5 frames, the first position repeating twice: not whole volumes.
  assert.throws(() => orderDiffusionVolumes(xyzt.slice(0, 5)), /not a whole number of volumes/);
  // Inconsistent b-values across a volume's slices are flagged.
  const mixed = orderDiffusionVolumes([
    rec("a", 1, 0, 0),
    rec("b", 2, 1, 1000, [1, 0, 0]),
    rec("c", 3, 0, 1000, [1, 0, 0]),
    rec("d", 4, 1, 1000, [1, 0, 0]),
  ]);
  assert.deepEqual(
    mixed.volumes.map((v) => v.consistent),
    [false, true],
  );
});

test("orderDiffusionVolumes: instance order not spatial inside a volume -> (volume number, position)", () => {
  // 3 slices x 2 volumes; instances interleave the volumes (1: v0 s0, 2: v1 s0, ...), so the
  // first run of three (v0s0, v1s0, v0s1) is not evenly spaced; RawDataRunNumber tells volumes.
  const frames: Rec[] = [];
  let instance = 1;
  for (const s of [0, 1, 2]) {
    for (const v of [0, 1]) {
      frames.push({
        ...rec(
          `v${v}s${s}`,
          instance++,
          [0, 3, 6][s]!,
          v === 0 ? 0 : 1000,
          v === 0 ? undefined : [1, 0, 0],
        ),
        volumeNumber: v + 1,
      });
    }
  }
  // v0s0 and v1s0 (the first two instances) share position 0: the volumes-first layout, and
  // dcm2niix swaps dimensions 3 and 4.
  const swapped = orderDiffusionVolumes(frames);
  assert.equal(swapped.layout, "volumes-first");
  assert.deepEqual(
    swapped.volumes.map((v) => v.frames.map((f) => f.name)),
    [
      ["v0s0", "v0s1", "v0s2"],
      ["v1s0", "v1s1", "v1s2"],
    ],
  );
  // Slices in the order 0, 6, 3 inside each volume by instance: re-sorted by position when the
  // volume number varies (ensureSequentialSlicePositions()).
  const odd: Rec[] = [
    { ...rec("v0a", 1, 0, 0), volumeNumber: 1 },
    { ...rec("v0c", 2, 6, 0), volumeNumber: 1 },
    { ...rec("v0b", 3, 3, 0), volumeNumber: 1 },
    { ...rec("v1a", 4, 0, 1000, [1, 0, 0]), volumeNumber: 2 },
    { ...rec("v1c", 5, 6, 1000, [1, 0, 0]), volumeNumber: 2 },
    { ...rec("v1b", 6, 3, 1000, [1, 0, 0]), volumeNumber: 2 },
  ];
  const fixed = orderDiffusionVolumes(odd);
  assert.deepEqual(
    fixed.volumes.map((v) => v.frames.map((f) => f.name)),
    [
      ["v0a", "v0b", "v0c"],
      ["v1a", "v1b", "v1c"],
    ],
  );
});

test("dcm2niixBvec: patient-frame and GE gradients by dcm2niix's rules", () => {
  const axial = { rowDirection: [1, 0, 0] as Vec3, columnDirection: [0, 1, 0] as Vec3 };
  const patient: DiffusionInfo = {
    bvalue: 1000,
    bvector: [0.6, 0.8, 0],
    frame: "patient",
    source: "t",
    vendor: "siemens",
  };
  // (g.row, -(g.col), g.n) normalised; n = (0, 0, 1).
  closeVec(dcm2niixBvec(patient, axial), [0.6, -0.8, 0], 1e-15, "axial");
  // Sagittal: row = (0,1,0), col = (0,0,-1), n = row x col = (-1, 0, 0).
  const sag = { rowDirection: [0, 1, 0] as Vec3, columnDirection: [0, 0, -1] as Vec3 };
  const g: DiffusionInfo = { ...patient, bvector: [0.48, 0.6, 0.64] };
  closeVec(dcm2niixBvec(g, sag), [0.6, 0.64, -0.48], 1e-15, "sagittal");
  closeVec(patientBvector(g, sag), [0.48, 0.6, 0.64], 1e-15, "patient vector");
  // Not normalised gradients are normalised.
  closeVec(dcm2niixBvec({ ...patient, bvector: [0, 0, 2] }, axial), [0, 0, 1], 1e-15, "normalised");
  // GE image-frame gradient (x, y, z) = (0.6, 0.8, 0.0) worked through geCorrectBvecs():
  // COL, axial: flip z, negate y, negate all -> (-x, y, z).
  const geInfo: DiffusionInfo = {
    bvalue: 1000,
    bvector: [0.6, 0.48, 0.64],
    frame: "image",
    source: "t",
    vendor: "ge",
  };
  closeVec(
    dcm2niixBvec(geInfo, { ...axial, inPlanePhaseEncodingDirection: "COL" }),
    [-0.6, 0.48, 0.64],
    0,
    "GE COL",
  );
  // ROW: (y, -x, z) = (0.48, -0.6, 0.64); flip z (-0.64); negate y (0.6); negate all -> (-0.48, -0.6, 0.64).
  closeVec(
    dcm2niixBvec(geInfo, { ...axial, inPlanePhaseEncodingDirection: "ROW" }),
    [-0.48, -0.6, 0.64],
    0,
    "GE ROW",
  );
  // Sagittal COL: flip x, y; negate y; negate all: (x, -y, z) -> (-x, -y, z) -> (-x, y, z) -> (x, -y, -z).
  closeVec(
    dcm2niixBvec(geInfo, { ...sag, inPlanePhaseEncodingDirection: "COL" }),
    [0.6, -0.48, -0.64],
    0,
    "GE sagittal",
  );
  assert.equal(dcm2niixBvec(geInfo, axial), undefined, "GE without phase-encoding direction");
  // b = 0 / traces -> zeros.
  assert.deepEqual(dcm2niixBvec({ bvalue: 0, source: "t", vendor: "ge" }, axial), [0, 0, 0]);
});

// ---------------------------------------------------------------------------------------------
// The dcm_qa_ge DWI reference (dcm2niix's .bval / .bvec / NIfTI)

interface GeFrame extends DiffusionFrameRecord {
  file: string;
  dataset: DicomDataset;
  row: Vec3;
  col: Vec3;
  ipp: Vec3;
}

function geReference(): string | undefined {
  const ref = referenceDir();
  const dir = ref && join(ref, "dicom", "dcm_qa_ge_dwi");
  return dir && existsSync(join(dir, "In", "01_Ax_DWI_TENSOR_R2")) ? dir : undefined;
}

function readGeFrames(
  dir: string,
  headerOnly = true,
): { frames: GeFrame[]; instances: ReturnType<typeof parseDicom>[] } {
  const folder = join(dir, "In", "01_Ax_DWI_TENSOR_R2");
  const instances = readdirSync(folder).map((f) =>
    parseDicom(new Uint8Array(readFileSync(join(folder, f))), f, { headerOnly }),
  );
  const frames = instances.map((inst) => {
    const ds = inst.dataset;
    const iop = ds.ImageOrientationPatient as number[];
    const row: Vec3 = [iop[0]!, iop[1]!, iop[2]!];
    const col: Vec3 = [iop[3]!, iop[4]!, iop[5]!];
    const n: Vec3 = [
      row[1] * col[2] - row[2] * col[1],
      row[2] * col[0] - row[0] * col[2],
      row[0] * col[1] - row[1] * col[0],
    ];
    const ipp = ds.ImagePositionPatient as Vec3;
    const frame: GeFrame = {
      file: inst.file,
      dataset: ds,
      row,
      col,
      ipp,
      instanceNumber: ds.InstanceNumber as number,
      position: n[0] * ipp[0] + n[1] * ipp[1] + n[2] * ipp[2],
    };
    const d = diffusionOf(ds);
    if (d) frame.diffusion = d;
    return frame;
  });
  return { frames, instances };
}

const readNumbers = (text: string) => text.trim().split(/\s+/).map(Number);

test("dcm_qa_ge DWI: dcm2niix's .bval values and volume order, .bvec directions", (t) => {
  const dir = geReference();
  if (!dir) {
    t.skip(missingReference("dcm_qa_ge_dwi (GE DWI with dcm2niix bval/bvec)"));
    return;
  }
  const bval = readNumbers(readFileSync(join(dir, "Ref", "Ax_DWI_TENSOR_R2_1.bval"), "utf8"));
  const bvecRows = readFileSync(join(dir, "Ref", "Ax_DWI_TENSOR_R2_1.bvec"), "utf8")
    .trim()
    .split("\n")
    .map(readNumbers);
  const { frames } = readGeFrames(dir);
  assert.equal(frames.length, 14);
  const order = orderDiffusionVolumes(frames);
  assert.equal(order.layout, "slices-first");
  assert.equal(order.slicesPerVolume, 2);
  assert.equal(order.derived.length, 0);
  // .bval exactly, in dcm2niix's order.
  assert.deepEqual(
    order.volumes.map((v) => v.diffusion?.bvalue),
    bval,
  );
  assert.ok(order.volumes.every((v) => v.consistent));
  // Volume order is the instance order: volume k holds instances 2k+1 and 2k+2.
  assert.deepEqual(
    order.volumes.map((v) => v.frames.map((f) => f.instanceNumber)),
    bval.map((_, k) => [2 * k + 1, 2 * k + 2]),
  );
  for (const f of frames) {
    assert.equal(f.diffusion?.vendor, "ge");
    assert.match(f.diffusion?.source ?? "", /0043,1039/);
  }
  // .bvec: dcm2niix's rule (axial, COL phase encoding: (-x, y, z) of the GE gradient).
  order.volumes.forEach((v, k) => {
    const f = v.frames[0]!;
    const geometry = {
      rowDirection: f.row,
      columnDirection: f.col,
      inPlanePhaseEncodingDirection: f.dataset.InPlanePhaseEncodingDirection as string,
    };
    const want = [bvecRows[0]![k]!, bvecRows[1]![k]!, bvecRows[2]![k]!];
    closeVec(dcm2niixBvec(v.diffusion!, geometry), want, 1e-4, `bvec volume ${k}`);
  });
});

test("dcm_qa_ge DWI: the .bvec is the patient-space gradient in the NIfTI's voxel axes (FSL convention)", async (t) => {
  const dir = geReference();
  if (!dir) {
    t.skip(missingReference("dcm_qa_ge_dwi (GE DWI with dcm2niix bval/bvec)"));
    return;
  }
  const bvecRows = readFileSync(join(dir, "Ref", "Ax_DWI_TENSOR_R2_1.bvec"), "utf8")
    .trim()
    .split("\n")
    .map(readNumbers);
  const h = parseNiftiHeader(
    gunzipSync(readFileSync(join(dir, "Ref", "Ax_DWI_TENSOR_R2_1.nii.gz"))),
    "ref.nii.gz",
  );
  assert.equal(h.sformCode, 1);
  // Voxel axes in RAS from srow (columns), as unit vectors; determinant sign decides FSL's x flip.
  const axes = [0, 1, 2].map((c) => {
    const v = [h.srow[0]![c]!, h.srow[1]![c]!, h.srow[2]![c]!];
    const len = Math.hypot(v[0]!, v[1]!, v[2]!);
    return v.map((x) => x / len);
  });
  const [a, b, c] = axes as [number[], number[], number[]];
  const det =
    a[0]! * (b[1]! * c[2]! - b[2]! * c[1]!) -
    b[0]! * (a[1]! * c[2]! - a[2]! * c[1]!) +
    c[0]! * (a[1]! * b[2]! - a[2]! * b[1]!);
  assert.ok(det < 0, "dcm2niix writes a negative-determinant (radiological) NIfTI: no FSL x flip");
  // And its axes are (row, -column, +normal) of the DICOM, in LPS = (-R, -A, S).
  const { frames } = readGeFrames(dir);
  const order = orderDiffusionVolumes(frames);
  const f0 = order.volumes[0]!.frames[0]!;
  const lps = (v: number[]): Vec3 => [-v[0]!, -v[1]!, v[2]!];
  closeVec(lps(a), f0.row, 1e-6, "NIfTI i axis = row");
  closeVec(
    lps(b),
    f0.col.map((x) => -x),
    1e-6,
    "NIfTI j axis = -column",
  );
  order.volumes.forEach((v, k) => {
    const want = [bvecRows[0]![k]!, bvecRows[1]![k]!, bvecRows[2]![k]!];
    const f = v.frames[0]!;
    const g = patientBvector(v.diffusion!, {
      rowDirection: f.row,
      columnDirection: f.col,
      inPlanePhaseEncodingDirection: f.dataset.InPlanePhaseEncodingDirection as string,
    });
    if (v.diffusion!.bvalue === 0) {
      assert.equal(g, undefined);
      assert.deepEqual(want, [0, 0, 0]);
      return;
    }
    assert.ok(g);
    const ras = [-g[0], -g[1], g[2]];
    const got = axes.map((axis) => axis[0]! * ras[0]! + axis[1]! * ras[1]! + axis[2]! * ras[2]!);
    if (det > 0) got[0] = -got[0]!;
    // dcm2niix writes GE gradients as stored (|g| up to 1.0004 here); patientBvector is a unit
    // vector, so compare directions.
    const length = Math.hypot(want[0]!, want[1]!, want[2]!);
    closeVec(
      got,
      want.map((x) => x / length),
      1e-4,
      `bvec from the NIfTI axes, volume ${k}`,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Trace-weighted images and ADC maps

function vol(values: number[], size: Vec3 = [values.length, 1, 1]): Volume<Float64Array> {
  return {
    data: Float64Array.from(values),
    size,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3,
  };
}

test("traceWeighted is the voxel-wise geometric mean; non-positive signals give 0", () => {
  const t = traceWeighted([vol([1, 2, 5, 0, 7]), vol([4, 8, 5, 3, -1]), vol([16, 4, 5, 3, 7])]);
  assert.ok(t.data instanceof Float32Array);
  // (1*4*16)^(1/3) = 4; (2*8*4)^(1/3) = 4; 5; zero -> 0; negative -> 0.
  closeVec([...t.data], [4, 4, 5, 0, 0], 1e-5, "trace");
  assert.throws(() => traceWeighted([vol([1, 2]), vol([1, 2, 3])]), /size/);
  assert.throws(() => traceWeighted([]), /no volumes/);
});

test("adcMap: two-point formula, least squares for more b-values, units and invalid voxels", () => {
  // S0 = 100, S(1000) = 100 exp(-1000 * 0.8e-3): ADC = ln(S0/S1)/1000 = 0.8e-3 mm²/s = 800 x 10^-6.
  const s0 = [100, 250, 40, 0, 10];
  const s1 = [100 * Math.exp(-0.8), 250 * Math.exp(-2.5), 40, 5, -3];
  const r = adcMap([vol(s0), vol(s1)], [0, 1000]);
  assert.equal(r.units, "10^-6 mm²/s");
  assert.ok(r.volume.data instanceof Float32Array);
  const expected = [0, 1, 2].map((i) => (Math.log(s0[i]! / s1[i]!) / 1000) * 1e6); // 800, 2500, 0
  closeVec([...r.volume.data.slice(0, 3)], expected, 1e-3, "two-point ADC");
  assert.equal(r.invalidVoxels, 2);
  assert.deepEqual([...r.volume.data.slice(3)], [0, 0]);
  // mm²/s, custom invalid value, and a floor: S(1000) = 100 e^-0.8 = 44.9 > 30 stays valid,
  // 250 e^-2.5 = 20.5 <= 30 does not; voxels 3 and 4 stay invalid.
  const si = adcMap([vol(s0), vol(s1)], [0, 1000], { units: "mm2/s", invalidValue: -1, floor: 30 });
  assert.equal(si.units, "mm²/s");
  close(si.volume.data[0]!, 0.8e-3, 1e-9, "mm²/s");
  assert.equal(si.invalidVoxels, 3);
  assert.deepEqual([...si.volume.data.slice(1)], [-1, 0, -1, -1]);
  // Three b-values: slope of ln S on b by least squares, computed here by hand:
  // b = 0, 500, 1000 (mean 500); ADC = -sum (b - 500) ln S / sum (b - 500)^2 = (ln S0 - ln S2) / 1000.
  const a = [1000, 600, 380];
  const lsq = adcMap([vol([a[0]!]), vol([a[1]!]), vol([a[2]!])], [0, 500, 1000], {
    units: "mm2/s",
  });
  close(lsq.volume.data[0]!, (Math.log(a[0]!) - Math.log(a[2]!)) / 1000, 1e-9, "three-point LS");
  // Unequal spacing, b = 0, 200, 800: mean 1000/3; weights (b - mean) / sxx.
  const b3 = [0, 200, 800];
  const m = (0 + 200 + 800) / 3;
  const sxx = b3.reduce((s, b) => s + (b - m) ** 2, 0);
  const slope = b3.reduce((s, b, i) => s + (b - m) * Math.log(a[i]!), 0) / sxx;
  close(
    adcMap([vol([a[0]!]), vol([a[1]!]), vol([a[2]!])], b3, { units: "mm2/s" }).volume.data[0]!,
    -slope,
    1e-9,
    "LS slope",
  );
  // Least squares with two b-values is the two-point formula.
  close(
    adcMap([vol([a[0]!]), vol([a[1]!])], [100, 700], { units: "mm2/s" }).volume.data[0]!,
    Math.log(a[0]! / a[1]!) / 600,
    1e-9,
    "two b-values",
  );
  assert.throws(() => adcMap([vol([1]), vol([2])], [500, 500]), /two different b-values/);
  assert.throws(() => adcMap([vol([1]), vol([2])], [0]), /b-value/);
  assert.throws(() => adcMap([vol([1]), vol([2, 3])], [0, 1000]), /size/);
});

test("dcm_qa_ge DWI: trace and ADC on the real files (their 7 volumes store one identical image)", async (t) => {
  const dir = geReference();
  if (!dir) {
    t.skip(missingReference("dcm_qa_ge_dwi (GE DWI with dcm2niix bval/bvec)"));
    return;
  }
  const { frames, instances } = readGeFrames(dir, false);
  const order = orderDiffusionVolumes(frames);
  const pixels = new Map<string, Int16Array>();
  for (const inst of instances) pixels.set(inst.file, (await decodeFrames(inst))[0] as Int16Array);
  // One Volume per dcm2niix volume, slices sorted along the normal.
  const volumes = order.volumes.map((v) => {
    const slices = [...v.frames].sort((p, q) => p.position - q.position);
    const data = new Float32Array(256 * 256 * slices.length);
    slices.forEach((f, z) => {
      data.set(pixels.get(f.file)!, z * 256 * 256);
    });
    const f0 = slices[0]!;
    const n: Vec3 = [
      f0.row[1] * f0.col[2] - f0.row[2] * f0.col[1],
      f0.row[2] * f0.col[0] - f0.row[0] * f0.col[2],
      f0.row[0] * f0.col[1] - f0.row[1] * f0.col[0],
    ];
    const volume: Volume<Float32Array> = {
      data,
      size: [256, 256, slices.length],
      spacing: [1.0156, 1.0156, 3],
      origin: f0.ipp,
      direction: [
        f0.row[0],
        f0.col[0],
        n[0],
        f0.row[1],
        f0.col[1],
        n[1],
        f0.row[2],
        f0.col[2],
        n[2],
      ],
      dimension: 3,
    };
    return volume;
  });
  // The dcm_qa_ge repository stores the same pixel data in all seven volumes (checked here, so a
  // changed reference is noticed): the measured ADC is therefore exactly 0 wherever S > 0, and
  // the plausibility of tissue ADC cannot be checked on these pixels.
  const b0 = volumes[0]!.data;
  for (const v of volumes) assert.deepEqual(v.data, b0);
  const bvalues = order.volumes.map((v) => v.diffusion!.bvalue);
  const trace = traceWeighted(volumes.slice(1));
  const adc = adcMap([volumes[0]!, trace], [0, 1000]);
  const nonPositive = b0.filter((s) => !(s > 0)).length;
  assert.equal(adc.invalidVoxels, nonPositive);
  for (let i = 0; i < b0.length; i++) {
    if (b0[i]! > 0) assert.equal(adc.volume.data[i], 0, `voxel ${i}`);
  }
  // Least squares over all seven volumes equals the two-point ADC of b0 and the trace:
  // with one b = 0 and six b = 1000, the LS slope is (mean ln S_i - ln S0) / 1000.
  const all = adcMap(volumes, bvalues);
  assert.equal(all.invalidVoxels, nonPositive);

  // Semi-synthetic check of the whole chain on the real geometry and gradients: the GE b0 image
  // as S0, the six b = 1000 volumes made from it with a known tensor per voxel
  // (S_i = S0 exp(-b g_i' D g_i), g_i = patientBvector of volume i), then trace + ADC.
  const grads = order.volumes.slice(1).map((v) => {
    const f = v.frames[0]!;
    return patientBvector(v.diffusion!, {
      rowDirection: f.row,
      columnDirection: f.col,
      inPlanePhaseEncodingDirection: f.dataset.InPlanePhaseEncodingDirection as string,
    })!;
  });
  let max = 0;
  for (const s of b0) max = Math.max(max, s);
  // White-matter-like prolate tensor along x (1.7, 0.3, 0.3) x 10^-3 where S0 < max/2, CSF-like
  // isotropic 3.0 x 10^-3 above; g' D g = 0.3e-3 + 1.4e-3 gx^2 or 3.0e-3.
  const diffusivity = (i: number, g: Vec3) =>
    b0[i]! > max / 2 ? 3.0e-3 : 0.3e-3 + 1.4e-3 * g[0] * g[0];
  const synthetic = grads.map((g) => {
    const data = new Float64Array(b0.length);
    for (let i = 0; i < b0.length; i++) data[i] = b0[i]! * Math.exp(-1000 * diffusivity(i, g));
    return { ...volumes[0]!, data };
  });
  const s0 = { ...volumes[0]!, data: Float64Array.from(b0) };
  const synthTrace = traceWeighted(synthetic);
  const synthAdc = adcMap([s0, synthTrace], [0, 1000], { units: "mm2/s" });
  const synthLs = adcMap([s0, ...synthetic], bvalues, { units: "mm2/s" });
  // A few voxels against the formula on the raw signals: (ln S0 - mean_i ln S_i) / 1000.
  const brightest = b0.indexOf(max);
  const probes = [brightest, 128 * 256 + 128, 100 * 256 + 140, 65536 + 120 * 256 + 90].filter(
    (i) => b0[i]! > 0,
  );
  assert.ok(probes.length >= 3);
  for (const i of probes) {
    const want =
      (Math.log(b0[i]!) - synthetic.reduce((s, v) => s + Math.log(v.data[i]!), 0) / 6) / 1000;
    close(synthAdc.volume.data[i]!, want, 1e-8, `trace ADC voxel ${i}`);
    close(synthLs.volume.data[i]!, want, 1e-8, `LS ADC voxel ${i}`);
  }
  // Tissue (S0 above 10 % of the maximum): ADC = mean_i g_i' D g_i, in 0.5-3.5 x 10^-3 mm²/s.
  let tissue = 0;
  for (let i = 0; i < b0.length; i++) {
    if (!(b0[i]! > 0.1 * max)) continue;
    tissue++;
    const x = synthAdc.volume.data[i]!;
    assert.ok(x >= 0.5e-3 && x <= 3.5e-3, `voxel ${i}: ADC ${x}`);
    const want = grads.reduce((s, g) => s + diffusivity(i, g), 0) / 6;
    close(x, want, 1e-8, `voxel ${i} mean diffusivity along the gradients`);
  }
  assert.ok(tissue > 1000, `${tissue} tissue voxels`);
});
