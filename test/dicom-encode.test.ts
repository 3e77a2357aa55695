/**
 * radscore's Part 10 encoder against dcmjs' writer (the reference implementation of the same raw
 * element model): every data set the MR writer builds (three vendor flavours x phases / b-values /
 * single volume, with sequences, private elements and a Siemens CSA header) must read back equal,
 * element by element and pixel for pixel, whichever of the two wrote it. Plus hand-checked bytes
 * of a small data set (PS3.5 7.1.2 layout, padding rules).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import dcmjs from "dcmjs";
import type { Volume } from "../src/image/volume.js";
import { vendorDiffusionElements } from "../src/io/dicom/diffusion.js";
import { encodePart10, type RawDataset } from "../src/io/dicom/encode.js";
import { parseDicom } from "../src/io/dicom/parse.js";
import { decodeFrames } from "../src/io/dicom/pixels.js";
import { writeMrSeries } from "../src/io/dicom/write-series.js";

function dcmjsEncode(meta: RawDataset, dataset: RawDataset): Uint8Array {
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = dataset;
  return new Uint8Array(dict.write());
}

test("hand-checked bytes: element layout, padding, group length", () => {
  const bytes = encodePart10(
    { "00020010": { vr: "UI", Value: ["1.2.840.10008.1.2.1"] } },
    {
      "00100010": { vr: "PN", Value: ["Doe^Jo"] },
      "00280010": { vr: "US", Value: [4] },
      "00080060": { vr: "CS", Value: ["MR"] },
      "00200037": { vr: "DS", Value: ["1", "0", "0"] },
    },
  );
  const tail = Array.from(bytes.subarray(132));
  const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
  assert.deepEqual(tail, [
    // (0002,0000) UL 4 = 28: the (0002,0010) element below (8 + 20 bytes)
    0x02,
    0x00,
    0x00,
    0x00,
    ...ascii("UL"),
    4,
    0,
    28,
    0,
    0,
    0,
    // (0002,0010) UI, 19 characters + NUL pad
    0x02,
    0x00,
    0x10,
    0x00,
    ...ascii("UI"),
    20,
    0,
    ...ascii("1.2.840.10008.1.2.1"),
    0,
    // (0008,0060) CS "MR"
    0x08,
    0x00,
    0x60,
    0x00,
    ...ascii("CS"),
    2,
    0,
    ...ascii("MR"),
    // (0010,0010) PN "Doe^Jo"
    0x10,
    0x00,
    0x10,
    0x00,
    ...ascii("PN"),
    6,
    0,
    ...ascii("Doe^Jo"),
    // (0020,0037) DS "1\0\0" + space pad
    0x20,
    0x00,
    0x37,
    0x00,
    ...ascii("DS"),
    6,
    0,
    ...ascii("1\\0\\0 "),
    // (0028,0010) US 4
    0x28,
    0x00,
    0x10,
    0x00,
    ...ascii("US"),
    2,
    0,
    4,
    0,
  ]);
});

const volume = (): Volume<Int16Array> => {
  const size: [number, number, number] = [5, 3, 4];
  const data = new Int16Array(60);
  for (let i = 0; i < data.length; i++) data[i] = ((i * 37) % 200) - 50;
  return {
    data,
    size,
    spacing: [0.8, 0.9, 2.5],
    origin: [-10, 5, 30],
    direction: [1, 0, 0, 0, 0, -1, 0, 1, 0],
    dimension: 3,
  };
};

test("every MR writer flavour reads back equal from radscore's and dcmjs' encoders", async () => {
  const cases = [
    { vendor: "philips" as const, volumeKind: "phase" as const, n: 3 },
    { vendor: "siemens" as const, volumeKind: "phase" as const, n: 2 },
    { vendor: "generic" as const, volumeKind: "none" as const, n: 1 },
    { vendor: "siemens" as const, volumeKind: "bvalue" as const, n: 2 },
    { vendor: "philips" as const, volumeKind: "bvalue" as const, n: 2 },
  ];
  let compared = 0;
  for (const c of cases) {
    const bvalues = [0, 800];
    const captured: { meta: RawDataset; dataset: RawDataset }[] = [];
    const files = writeMrSeries(Array.from({ length: c.n }, volume), {
      vendor: c.vendor,
      patient: { id: "P1", name: "Müller^Jörg" },
      study: { description: "encoder test" },
      series: { number: 7, description: "enc" },
      volumeKind: c.volumeKind,
      uidSeed: 3,
      ...(c.volumeKind === "bvalue"
        ? {
            bValues: bvalues,
            perVolumeElements: (k: number) =>
              vendorDiffusionElements(c.vendor === "siemens" ? "siemens" : "philips", bvalues[k]!),
          }
        : {}),
      encoder: (meta, dataset) => {
        captured.push({ meta, dataset });
        return encodePart10(meta, dataset);
      },
    });
    assert.equal(captured.length, files.length);
    for (let i = 0; i < files.length; i++) {
      const ours = parseDicom(files[i]!.bytes, "ours.dcm");
      const theirs = parseDicom(dcmjsEncode(captured[i]!.meta, captured[i]!.dataset), "dcmjs.dcm");
      assert.deepEqual(ours.dataset, theirs.dataset, `${c.vendor} ${c.volumeKind} file ${i}`);
      assert.equal(ours.transferSyntaxUid, theirs.transferSyntaxUid);
      assert.deepEqual(await decodeFrames(ours), await decodeFrames(theirs));
      compared++;
    }
  }
  assert.equal(compared, 3 * 4 + 2 * 4 + 4 + 2 * 4 + 2 * 4);
});
