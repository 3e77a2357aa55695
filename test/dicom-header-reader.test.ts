/**
 * radscore's header reader against dcmjs' (the reference implementation of the value model the rest
 * of the DICOM code reads): on every DICOM file of the reference folder, the IBSI phantom and the
 * MR writer's vendor flavours, the naturalised dataset must be the same element by element and
 * value by value (binary values compared as bytes), whichever reader produced it; and the share
 * of files the fast reader takes itself (rather than handing to dcmjs) is reported.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Volume } from "../src/image/volume.js";
import { vendorDiffusionElements } from "../src/io/dicom/diffusion.js";
import { encodePart10 } from "../src/io/dicom/encode.js";
import { type DicomDataset, isDicom, parseDicom } from "../src/io/dicom/parse.js";
import { writeMrSeries } from "../src/io/dicom/write-series.js";
import { missingReference, referenceDir } from "./support/reference.js";

/** A comparable form: binary values as hex, proxies and arrays as plain arrays, keys sorted. */
function canonical(value: unknown): unknown {
  if (value instanceof ArrayBuffer) return { bytes: Buffer.from(value).toString("hex") };
  if (ArrayBuffer.isView(value)) {
    return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex") };
  }
  if (Array.isArray(value)) return Array.from(value, canonical);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      if (key === "_vrMap") continue;
      out[key] = canonical((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

function compare(bytes: Uint8Array, name: string): "fast" | "dcmjs" | "error" {
  let dcmjsDataset: DicomDataset;
  try {
    dcmjsDataset = parseDicom(bytes, name, { headerOnly: true, headerReader: "dcmjs" }).dataset;
  } catch {
    assert.throws(
      () => parseDicom(bytes, name, { headerOnly: true }),
      `${name}: dcmjs fails, so must the fast path`,
    );
    return "error";
  }
  const ours = parseDicom(bytes, name, { headerOnly: true }).dataset;
  assert.deepEqual(canonical(ours), canonical(dcmjsDataset), name);
  try {
    parseDicom(bytes, name, { headerOnly: true, headerReader: "fast-only" });
    return "fast";
  } catch {
    return "dcmjs";
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

test("the fast header reader gives dcmjs' dataset on every reference DICOM file", (t) => {
  const ref = referenceDir();
  if (!ref) return t.skip(missingReference("header reader vs dcmjs"));
  const files = [
    ...filesUnder(join(ref, "dicom")),
    ...filesUnder(join(ref, "ibsi", "ibsi1_phantoms")),
  ];
  const outcome = { fast: 0, dcmjs: 0, error: 0 };
  for (const file of files) {
    const bytes = new Uint8Array(readFileSync(file));
    if (!isDicom(bytes)) continue;
    outcome[compare(bytes, file)]++;
  }
  console.log(
    `header reader vs dcmjs: ${outcome.fast + outcome.dcmjs} files equal (${outcome.fast} read by the fast reader, ${outcome.dcmjs} handed to dcmjs), ${outcome.error} unreadable by both`,
  );
  assert.ok(outcome.fast + outcome.dcmjs > 500);
});

test("the fast header reader gives dcmjs' dataset on every MR writer flavour", () => {
  const size: [number, number, number] = [4, 3, 2];
  const volume: Volume<Int16Array> = {
    data: new Int16Array(24).map((_, i) => i - 5),
    size,
    spacing: [0.8, 0.9, 2.5],
    origin: [-10, 5, 30],
    direction: [1, 0, 0, 0, 0, -1, 0, 1, 0],
    dimension: 3,
  };
  let n = 0;
  for (const vendor of ["philips", "siemens", "generic"] as const) {
    const files = writeMrSeries([volume, volume], {
      vendor,
      patient: { id: "P", name: "Doe^Jane" },
      study: {},
      series: { number: 3, description: "hdr" },
      volumeKind: "bvalue",
      bValues: [0, 800],
      perVolumeElements: (k) =>
        vendorDiffusionElements(vendor === "generic" ? "philips" : vendor, [0, 800][k]!),
      uidSeed: 9,
    });
    for (const f of files) {
      assert.notEqual(compare(f.bytes, f.fileName), "error");
      n++;
    }
  }
  // Hand-made values at the edges of the value rules: padding, empty values, multiplicity.
  const raw = (vr: string, ...Value: unknown[]) => ({ vr, Value });
  const edge = encodePart10(
    { "00020010": raw("UI", "1.2.840.10008.1.2.1") },
    {
      "00080008": raw("CS", "ORIGINAL", "PRIMARY", "M"),
      "00080018": raw("UI", "1.2.3"),
      "00100010": raw("PN", "Doe^J=Ideo=Phon"),
      "00100020": raw("LO", ""),
      "00181030": raw("LO", " padded ", "two"),
      "00200032": raw("DS", "1", "", "-2.5e1"),
      "00200013": raw("IS", ""),
      "00280010": raw("US"),
      "00281052": raw("DS", " 3 "),
      "00204000": raw("LT", "line one\\still one  "),
      "00080080": raw("ST", "a\\b "),
      "00080031": raw("TM", "101010.5 "),
      "00080020": raw("DA", "20240101"),
      "00080054": raw("AE", "NODE1", "NODE2"),
      "00101010": raw("AS", "071Y"),
      "00280106": raw("SS", -3, 4),
      "00189087": raw("FD", 1000.5),
    },
  );
  assert.equal(compare(edge, "edge.dcm"), "fast");
  assert.equal(n, 12);
  // Non-ASCII text depends on the character set: handed to dcmjs, same dataset.
  const utf8 = encodePart10(
    { "00020010": raw("UI", "1.2.840.10008.1.2.1") },
    { "00080005": raw("CS", "ISO_IR 192"), "00100010": raw("PN", "Müller^Jörg") },
  );
  assert.equal(compare(utf8, "utf8.dcm"), "dcmjs");
});
