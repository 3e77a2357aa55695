/**
 * Classic MR series writer tests. Every file is parsed back with radscore's own DICOM parser
 * (parseDicom + decodeFrames) and checked against expectations computed by hand from PS3.3:
 * ImagePositionPatient of slice k = origin + k x spacing_z x direction column 2 (C.7.6.2.1.1),
 * ImageOrientationPatient = direction columns 0 (row direction) and 1 (column direction),
 * PixelSpacing = [row spacing (y), column spacing (x)] (10.7.1.3), stored values unchanged.
 * The vendor flavours are checked for the attributes a reader uses to split a series into volumes.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import dcmjs from "dcmjs";
import type { Mat3, Vec3, Volume, VoxelArray } from "../src/image/volume.js";
import { ImageWriteError } from "../src/io/image-error.js";
import {
  type DicomDataset,
  type DicomInstance,
  numberOf,
  numbersOf,
  parseDicom,
  stringOf,
  stringsOf,
} from "../src/io/dicom/parse.js";
import { decodeFrames } from "../src/io/dicom/pixels.js";
import {
  type DicomSeriesFile,
  EXPLICIT_VR_LITTLE_ENDIAN,
  formatDecimalString,
  makeUid,
  MR_IMAGE_STORAGE,
  RADSCORE_IMPLEMENTATION_CLASS_UID,
  WRITTEN_TAGS,
  type WriteMrSeriesOptions,
  writeMrSeries,
} from "../src/io/dicom/write-series.js";

// ---------------------------------------------------------------------------------------------
// Fixtures.

/** Row-major matrix whose columns are c0, c1, c2. */
function fromColumns(c0: Vec3, c1: Vec3, c2: Vec3): Mat3 {
  return [c0[0], c1[0], c2[0], c0[1], c1[1], c2[1], c0[2], c1[2], c2[2]];
}

/** An oblique rotation: 30 degrees about z, then 20 degrees about x (orthonormal, right-handed). */
function obliqueDirection(): Mat3 {
  const a = (30 * Math.PI) / 180;
  const b = (20 * Math.PI) / 180;
  const rz = [
    [Math.cos(a), -Math.sin(a), 0],
    [Math.sin(a), Math.cos(a), 0],
    [0, 0, 1],
  ];
  const rx = [
    [1, 0, 0],
    [0, Math.cos(b), -Math.sin(b)],
    [0, Math.sin(b), Math.cos(b)],
  ];
  const m: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += rx[i]![k]! * rz[k]![j]!;
      m.push(s);
    }
  }
  return m as Mat3;
}

function makeVolume<T extends VoxelArray>(
  data: T,
  size: Vec3,
  geometry: Partial<Pick<Volume, "spacing" | "origin" | "direction">> = {},
): Volume<T> {
  return {
    data,
    size,
    spacing: geometry.spacing ?? [0.7, 0.9, 3],
    origin: geometry.origin ?? [-41.25, 17.5, 102],
    direction: geometry.direction ?? obliqueDirection(),
    dimension: size[2] > 1 ? 3 : 2,
  };
}

/** Int16 voxels that differ everywhere (and between volumes), negative ones included. */
function int16Ramp(size: Vec3, volumeIndex = 0): Int16Array {
  const n = size[0] * size[1] * size[2];
  return Int16Array.from({ length: n }, (_, i) => ((i * 37 + volumeIndex * 1009) % 4001) - 1500);
}

const SIZE: Vec3 = [5, 4, 3];

function baseOptions(over: Partial<WriteMrSeriesOptions> = {}): WriteMrSeriesOptions {
  return {
    vendor: "generic",
    patient: { id: "RS-001", name: "Doe^Jane", birthDate: "19700215", sex: "F" },
    study: { date: "20240312", time: "101530", description: "Breast MRI", id: "1234" },
    series: { number: 301, description: "T1 DCE" },
    uidSeed: "test",
    ...over,
  };
}

interface ReadBack {
  file: DicomSeriesFile;
  instance: DicomInstance;
  ds: DicomDataset;
  pixels: VoxelArray;
}

async function readBack(files: DicomSeriesFile[]): Promise<ReadBack[]> {
  const out: ReadBack[] = [];
  for (const file of files) {
    const instance = parseDicom(file.bytes, file.fileName);
    const frames = await decodeFrames(instance);
    assert.equal(frames.length, 1, `${file.fileName}: one frame per classic image`);
    out.push({ file, instance, ds: instance.dataset, pixels: frames[0]! });
  }
  return out;
}

function assertClose(actual: number[] | undefined, expected: number[], what: string, tol = 1e-9) {
  assert.ok(actual, `${what} is missing`);
  assert.equal(actual.length, expected.length, `${what}: ${actual.length} values`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    assert.ok(
      Math.abs(a - e) <= tol * Math.max(1, Math.abs(e)),
      `${what}[${i}] = ${a}, expected ${e}`,
    );
  });
}

function sliceOf(vol: Volume, k: number): number[] {
  const per = vol.size[0] * vol.size[1];
  return Array.from(vol.data.subarray(k * per, (k + 1) * per));
}

/** The meta header as dcmjs reads it (parseDicom keeps only the transfer syntax). */
function metaOf(bytes: Uint8Array): Record<string, unknown> {
  const dict = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer);
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict.meta);
}

/** Whether `bytes` contain the byte string `text` (one byte per character). */
function hasBytes(bytes: Uint8Array, text: string): boolean {
  const needle = Uint8Array.from(text, (c) => c.charCodeAt(0));
  outer: for (let i = 0; i + needle.length <= bytes.length; i++) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

function expectWriteError(fn: () => unknown, pattern: RegExp) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(
      error instanceof ImageWriteError,
      `expected an ImageWriteError, got ${String(error)}`,
    );
    assert.match(error.message, pattern);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// Geometry and pixels.

for (const vendor of ["philips", "siemens", "generic"] as const) {
  test(`${vendor}: oblique anisotropic volume reads back with ITK geometry and exact voxels`, async () => {
    const vol = makeVolume(int16Ramp(SIZE), SIZE);
    const files = writeMrSeries([vol], baseOptions({ vendor }));
    assert.equal(files.length, SIZE[2]);
    const back = await readBack(files);
    const d = vol.direction;
    const [sx, sy, sz] = vol.spacing;
    const sopUids = new Set<string>();
    for (const [k, r] of back.entries()) {
      const { ds } = r;
      assert.equal(r.instance.transferSyntaxUid, EXPLICIT_VR_LITTLE_ENDIAN);
      assert.equal(r.instance.sopClassUid, MR_IMAGE_STORAGE);
      assert.equal(stringOf(ds, "Modality"), "MR");
      assert.equal(numberOf(ds, "InstanceNumber"), k + 1);
      assert.equal(r.file.instanceNumber, k + 1);
      assert.equal(r.file.sliceIndex, k);
      assert.equal(r.file.sopInstanceUid, r.instance.sopInstanceUid);
      sopUids.add(r.instance.sopInstanceUid);
      // PS3.3 C.7.6.2.1.1: position of slice k = origin + k * sz * (direction column 2).
      assertClose(
        numbersOf(ds, "ImagePositionPatient"),
        [0, 1, 2].map((i) => vol.origin[i]! + k * sz * d[3 * i + 2]!),
        `IPP of slice ${k}`,
        1e-12,
      );
      assertClose(
        numbersOf(ds, "ImageOrientationPatient"),
        [d[0], d[3], d[6], d[1], d[4], d[7]],
        "IOP",
        1e-13,
      );
      // PS3.3 10.7.1.3: [row spacing = along y, column spacing = along x].
      assert.deepEqual(numbersOf(ds, "PixelSpacing"), [sy, sx]);
      assert.equal(numberOf(ds, "SliceThickness"), sz);
      assert.equal(numberOf(ds, "SpacingBetweenSlices"), sz);
      assert.equal(numberOf(ds, "Rows"), SIZE[1]);
      assert.equal(numberOf(ds, "Columns"), SIZE[0]);
      assert.equal(numberOf(ds, "BitsAllocated"), 16);
      assert.equal(numberOf(ds, "BitsStored"), 16);
      assert.equal(numberOf(ds, "HighBit"), 15);
      assert.equal(numberOf(ds, "PixelRepresentation"), 1);
      assert.equal(numberOf(ds, "SamplesPerPixel"), 1);
      assert.equal(stringOf(ds, "PhotometricInterpretation"), "MONOCHROME2");
      assert.equal(numberOf(ds, "RescaleSlope"), 1);
      assert.equal(numberOf(ds, "RescaleIntercept"), 0);
      assert.ok(r.pixels instanceof Int16Array);
      assert.deepEqual(Array.from(r.pixels), sliceOf(vol, k), `voxels of slice ${k}`);
      const type = stringsOf(ds, "ImageType");
      assert.deepEqual(type.slice(0, 2), ["ORIGINAL", "PRIMARY"]);
      // Everyone shares one study, series and frame of reference.
      for (const key of ["StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID"]) {
        assert.equal(stringOf(ds, key), stringOf(back[0]!.ds, key), key);
      }
      assert.equal(numberOf(ds, "SeriesNumber"), 301);
      assert.equal(stringOf(ds, "SeriesDescription"), "T1 DCE");
      assert.equal(stringOf(ds, "PatientID"), "RS-001");
      assert.equal(stringOf(ds, "PatientName"), "Doe^Jane");
      assert.equal(stringOf(ds, "PatientBirthDate"), "19700215");
      assert.equal(stringOf(ds, "PatientSex"), "F");
      assert.equal(stringOf(ds, "StudyDate"), "20240312");
      assert.equal(stringOf(ds, "StudyID"), "1234");
      // dcmjs' reader reports every decoded file as ISO_IR 192: look at the bytes.
      assert.ok(hasBytes(r.file.bytes, "CS\x0a\x00ISO_IR 100"), "SpecificCharacterSet ISO_IR 100");
      for (const key of ["ScanningSequence", "SequenceVariant", "MRAcquisitionType"]) {
        assert.ok(stringOf(ds, key), `${key} present`);
      }
      for (const key of ["RepetitionTime", "EchoTime", "MagneticFieldStrength", "FlipAngle"]) {
        assert.ok((numberOf(ds, key) ?? 0) > 0, `${key} present`);
      }
      // Part 10 file meta information (PS3.10 7.1).
      const meta = metaOf(r.file.bytes);
      assert.equal(meta["MediaStorageSOPClassUID"], MR_IMAGE_STORAGE);
      assert.equal(meta["MediaStorageSOPInstanceUID"], r.instance.sopInstanceUid);
      assert.equal(meta["TransferSyntaxUID"], EXPLICIT_VR_LITTLE_ENDIAN);
      assert.equal(meta["ImplementationClassUID"], RADSCORE_IMPLEMENTATION_CLASS_UID);
      assert.match(String(meta["ImplementationVersionName"]), /^RADSCORE_/);
      const bytes = r.file.bytes;
      assert.equal(String.fromCharCode(...bytes.subarray(128, 132)), "DICM");
    }
    assert.equal(sopUids.size, files.length, "SOP instance UIDs are unique");
    const equipment = {
      philips: ["Philips Medical Systems", "Achieva", 3],
      siemens: ["SIEMENS", "Aera", 1.5],
      generic: ["radscore", "synthetic", 1.5],
    }[vendor];
    assert.equal(stringOf(back[0]!.ds, "Manufacturer"), equipment[0]);
    assert.equal(stringOf(back[0]!.ds, "ManufacturerModelName"), equipment[1]);
    assert.equal(numberOf(back[0]!.ds, "MagneticFieldStrength"), equipment[2]);
  });
}

test("slice positions follow direction column 2 (hand-computed, exact decimals)", async () => {
  // Columns: x = (1, 0, 0), y = (0, 0.8, -0.6), z = (0, 0.6, 0.8); origin (10, -20, 5), dz = 2.5.
  const direction = fromColumns([1, 0, 0], [0, 0.8, -0.6], [0, 0.6, 0.8]);
  const vol = makeVolume(int16Ramp([3, 2, 3]), [3, 2, 3], {
    spacing: [0.5, 1.25, 2.5],
    origin: [10, -20, 5],
    direction,
  });
  const back = await readBack(writeMrSeries([vol], baseOptions()));
  assert.deepEqual(numbersOf(back[0]!.ds, "ImagePositionPatient"), [10, -20, 5]);
  assert.deepEqual(numbersOf(back[1]!.ds, "ImagePositionPatient"), [10, -18.5, 7]);
  assert.deepEqual(numbersOf(back[2]!.ds, "ImagePositionPatient"), [10, -17, 9]);
  assert.deepEqual(numbersOf(back[0]!.ds, "ImageOrientationPatient"), [1, 0, 0, 0, 0.8, -0.6]);
  assert.deepEqual(numbersOf(back[0]!.ds, "PixelSpacing"), [1.25, 0.5]);
  // SliceLocation = position . (row x column) = position . (0, 0.6, 0.8).
  assertClose([numberOf(back[2]!.ds, "SliceLocation")!], [-17 * 0.6 + 9 * 0.8], "SliceLocation");
});

test("Uint16 data is written unsigned; 16-bit extremes round-trip exactly", async () => {
  const u = makeVolume(Uint16Array.from([0, 1, 65535, 40000, 32768, 12, 7, 65534]), [4, 2, 1]);
  const [ru] = await readBack(writeMrSeries([u], baseOptions()));
  assert.equal(numberOf(ru!.ds, "PixelRepresentation"), 0);
  assert.ok(ru!.pixels instanceof Uint16Array);
  assert.deepEqual(Array.from(ru!.pixels), Array.from(u.data));

  const s = makeVolume(Int16Array.from([-32768, 32767, -1, 0, 1, -200, 300, 5]), [4, 2, 1]);
  const [rs] = await readBack(writeMrSeries([s], baseOptions({ vendor: "siemens" })));
  assert.equal(numberOf(rs!.ds, "PixelRepresentation"), 1);
  assert.deepEqual(Array.from(rs!.pixels), Array.from(s.data));
  assert.equal(numberOf(rs!.ds, "SmallestImagePixelValue"), -32768);
  assert.equal(numberOf(rs!.ds, "LargestImagePixelValue"), 32767);
});

test("8- and 32-bit integer data are stored as 16-bit values of their sign", async () => {
  const u8 = makeVolume(Uint8Array.from([0, 255, 3, 4]), [2, 2, 1]);
  const [r8] = await readBack(writeMrSeries([u8], baseOptions()));
  assert.equal(numberOf(r8!.ds, "PixelRepresentation"), 0);
  assert.deepEqual(Array.from(r8!.pixels), [0, 255, 3, 4]);
  const i32 = makeVolume(Int32Array.from([-5, 30000, 3, 4]), [2, 2, 1]);
  const [r32] = await readBack(writeMrSeries([i32], baseOptions()));
  assert.equal(numberOf(r32!.ds, "PixelRepresentation"), 1);
  assert.deepEqual(Array.from(r32!.pixels), [-5, 30000, 3, 4]);
  const big = makeVolume(Int32Array.from([0, 60000, 3, 4]), [2, 2, 1]);
  const [rb] = await readBack(writeMrSeries([big], baseOptions()));
  assert.equal(numberOf(rb!.ds, "PixelRepresentation"), 0);
  assert.deepEqual(Array.from(rb!.pixels), [0, 60000, 3, 4]);
});

test("bitsStored 12 writes BitsStored 12 / HighBit 11 and the values read back", async () => {
  const vol = makeVolume(Uint16Array.from([0, 4095, 2048, 1]), [2, 2, 1]);
  const [r] = await readBack(
    writeMrSeries([vol], baseOptions({ vendor: "philips", bitsStored: 12 })),
  );
  assert.equal(numberOf(r!.ds, "BitsStored"), 12);
  assert.equal(numberOf(r!.ds, "HighBit"), 11);
  assert.deepEqual(Array.from(r!.pixels), [0, 4095, 2048, 1]);
});

test("a 2D image is one file", async () => {
  const vol = makeVolume(int16Ramp([3, 3, 1]), [3, 3, 1]);
  const back = await readBack(writeMrSeries([vol], baseOptions()));
  assert.equal(back.length, 1);
  assertClose(numbersOf(back[0]!.ds, "ImagePositionPatient"), vol.origin, "IPP");
});

test("every element is written under the tag dcmjs' dictionary gives its keyword", () => {
  const names = dcmjs.data.DicomMetaDictionary.nameMap;
  for (const [keyword, [tag, vr]] of Object.entries(WRITTEN_TAGS)) {
    const entry = names[keyword];
    assert.ok(entry, `${keyword} is a DICOM keyword`);
    assert.equal(entry.tag.replace(/[(),]/g, "").toUpperCase(), tag, keyword);
    // "xs" (US or SS) and "ox" (OB or OW) are chosen per file by the writer.
    if (entry.vr === "xs") assert.equal(vr, "xs", `${keyword} VR`);
    else if (entry.vr === "ox") assert.ok(vr === "OW" || vr === "OB", `${keyword} VR`);
    else assert.equal(entry.vr, vr, `${keyword} VR`);
  }
});

// ---------------------------------------------------------------------------------------------
// Several volumes.

function phaseVolumes(n: number): Volume<Int16Array>[] {
  return Array.from({ length: n }, (_, v) => makeVolume(int16Ramp(SIZE, v), SIZE));
}

test("philips phases: TemporalPositionIdentifier, NumberOfTemporalPositions, TriggerTime; one acquisition", async () => {
  const volumes = phaseVolumes(3);
  const phaseTimes = [0, 65.5, 131];
  const files = writeMrSeries(
    volumes,
    baseOptions({
      vendor: "philips",
      volumeKind: "phase",
      phaseTimes,
      series: { number: 601, description: "DCE" },
    }),
  );
  assert.equal(files.length, 9);
  assert.deepEqual(
    files.map((f) => f.fileName),
    Array.from({ length: 9 }, (_, i) => `IM_000${i + 1}.dcm`),
  );
  const back = await readBack(files);
  for (const r of back) {
    const v = r.file.volumeIndex;
    const k = r.file.sliceIndex;
    assert.equal(r.file.instanceNumber, v * 3 + k + 1, "volume-major instance numbers");
    assert.equal(numberOf(r.ds, "TemporalPositionIdentifier"), v + 1);
    assert.equal(numberOf(r.ds, "NumberOfTemporalPositions"), 3);
    assert.equal(numberOf(r.ds, "TriggerTime"), phaseTimes[v]! * 1000);
    // Philips classic: one acquisition number and the scan start in every image.
    assert.equal(numberOf(r.ds, "AcquisitionNumber"), 6);
    assert.equal(stringOf(r.ds, "AcquisitionTime"), "101530.00");
    assert.equal(stringOf(r.ds, "ContentTime"), "101530.00");
    assert.equal(r.ds["200510A0"], phaseTimes[v], "private dynamic scan begin time");
    assert.deepEqual(stringsOf(r.ds, "ImageType"), ["ORIGINAL", "PRIMARY", "M_FFE", "M", "FFE"]);
    assert.deepEqual(Array.from(r.pixels), sliceOf(volumes[v]!, k), `volume ${v} slice ${k}`);
    // Same slice position in every phase.
    assertClose(
      numbersOf(r.ds, "ImagePositionPatient"),
      numbersOf(back[k]!.ds, "ImagePositionPatient")!,
      "IPP",
      0,
    );
  }
});

test("philips private scale elements and real-world value mapping", async () => {
  const [r] = await readBack(
    writeMrSeries([makeVolume(int16Ramp(SIZE), SIZE)], baseOptions({ vendor: "philips" })),
  );
  const ds = r!.ds;
  assert.equal(ds["20050010"], "Philips MR Imaging DD 001");
  assert.equal(ds["2005100E"], 1, "ScaleSlope");
  assert.equal(ds["2005100D"], 0, "ScaleIntercept");
  const rwvm = ds["RealWorldValueMappingSequence"] as DicomDataset[];
  assert.equal(rwvm.length, 1);
  assert.equal(numberOf(rwvm[0]!, "RealWorldValueSlope"), 1);
  assert.equal(numberOf(rwvm[0]!, "RealWorldValueIntercept"), 0);
  assert.equal(
    stringOf(ds, "AcquisitionTime"),
    "101530.00",
    "Philips writes hundredths of a second",
  );
});

test("siemens phases: AcquisitionNumber and acquisition / content times per phase, no temporal tags", async () => {
  const volumes = phaseVolumes(3);
  const files = writeMrSeries(
    volumes,
    baseOptions({ vendor: "siemens", volumeKind: "phase", phaseTimes: [0, 65.5, 131] }),
  );
  assert.equal(files[0]!.fileName, "MR.301.0001.dcm");
  const back = await readBack(files);
  const times = ["101530.000000", "101635.500000", "101741.000000"];
  const contentTimes = ["101531.500000", "101637.000000", "101742.500000"];
  for (const r of back) {
    const v = r.file.volumeIndex;
    assert.equal(r.ds["TemporalPositionIdentifier"], undefined);
    assert.equal(r.ds["NumberOfTemporalPositions"], undefined);
    assert.equal(r.ds["TriggerTime"], undefined);
    assert.equal(numberOf(r.ds, "AcquisitionNumber"), v + 1);
    assert.equal(stringOf(r.ds, "AcquisitionTime"), times[v]);
    assert.equal(stringOf(r.ds, "ContentTime"), contentTimes[v]);
    assert.equal(stringOf(r.ds, "SequenceName"), "*fl3d1");
    assert.equal(r.ds["20050010"], undefined, "no Philips private block");
    assert.deepEqual(Array.from(r.pixels), sliceOf(volumes[v]!, r.file.sliceIndex));
  }
});

test("generic phases: temporal position and per-phase acquisition", async () => {
  const back = await readBack(writeMrSeries(phaseVolumes(2), baseOptions({ volumeKind: "phase" })));
  for (const r of back) {
    const v = r.file.volumeIndex;
    assert.equal(numberOf(r.ds, "TemporalPositionIdentifier"), v + 1);
    assert.equal(numberOf(r.ds, "NumberOfTemporalPositions"), 2);
    assert.equal(numberOf(r.ds, "AcquisitionNumber"), v + 1);
    assert.equal(stringOf(r.ds, "AcquisitionTime"), v === 0 ? "101530.000000" : "101630.000000");
    assert.equal(r.ds["TriggerTime"], undefined);
  }
});

test("acquisition times carry over midnight into the next date", async () => {
  const back = await readBack(
    writeMrSeries(
      phaseVolumes(2),
      baseOptions({
        vendor: "siemens",
        volumeKind: "phase",
        phaseTimes: [0, 45.25],
        study: { date: "20231231", time: "235930.5" },
      }),
    ),
  );
  const last = back.at(-1)!;
  assert.equal(stringOf(last.ds, "AcquisitionDate"), "20240101");
  assert.equal(stringOf(last.ds, "AcquisitionTime"), "000015.750000");
  assert.equal(stringOf(back[0]!.ds, "AcquisitionDate"), "20231231");
});

test("slice-major instance order: every phase of slice 1, then slice 2", () => {
  const files = writeMrSeries(
    phaseVolumes(2),
    baseOptions({ volumeKind: "phase", instanceOrder: "slice-major" }),
  );
  assert.deepEqual(
    files.map((f) => [f.instanceNumber, f.volumeIndex, f.sliceIndex]),
    [
      [1, 0, 0],
      [2, 1, 0],
      [3, 0, 1],
      [4, 1, 1],
      [5, 0, 2],
      [6, 1, 2],
    ],
  );
});

test("b-value volumes: perVolumeElements go into that volume's slices; public b-value by vendor", async () => {
  const volumes = phaseVolumes(2);
  const bValues = [0, 800];
  // Philips: b-value in (2001,1003) FL under "Philips Imaging DD 001".
  const philips = await readBack(
    writeMrSeries(
      volumes,
      baseOptions({
        vendor: "philips",
        volumeKind: "bvalue",
        bValues,
        perVolumeElements: (v) => ({
          "20010010": { vr: "LO", Value: ["Philips Imaging DD 001"] },
          "20011003": { vr: "FL", Value: [bValues[v]] },
        }),
      }),
    ),
  );
  for (const r of philips) {
    const v = r.file.volumeIndex;
    assert.equal(r.ds["20010010"], "Philips Imaging DD 001");
    assert.equal(r.ds["20011003"], bValues[v]);
    assert.equal(numberOf(r.ds, "DiffusionBValue"), bValues[v]);
    assert.equal(stringOf(r.ds, "DiffusionDirectionality"), v === 0 ? "NONE" : "ISOTROPIC");
    assert.equal(r.ds["TemporalPositionIdentifier"], undefined);
    assert.equal(numberOf(r.ds, "AcquisitionNumber"), 3);
    assert.deepEqual(stringsOf(r.ds, "ScanningSequence"), ["SE", "EP"]);
  }
  // Siemens: b-value in (0019,100C) IS under "SIEMENS MR HEADER" and in the SequenceName only.
  const siemensOptions = baseOptions({
    vendor: "siemens",
    volumeKind: "bvalue",
    bValues,
    perVolumeElements: (v) => ({
      "00190010": { vr: "LO", Value: ["SIEMENS MR HEADER"] },
      "0019100c": { vr: "IS", Value: [String(bValues[v])] },
      // An OB blob given as a view into a larger buffer: exactly its bytes must be written.
      "0019100D": { vr: "OB", Value: [new Uint8Array([9, 9, 1, 2, 3, 4, 9, 9]).subarray(2, 6)] },
    }),
  });
  const siemens = await readBack(writeMrSeries(volumes, siemensOptions));
  for (const r of siemens) {
    const v = r.file.volumeIndex;
    assert.equal(r.ds["00190010"], "SIEMENS MR HEADER");
    assert.equal(Number(r.ds["0019100C"]), bValues[v]);
    assert.deepEqual(Array.from(new Uint8Array(r.ds["0019100D"] as ArrayBuffer)), [1, 2, 3, 4]);
    assert.equal(r.ds["DiffusionBValue"], undefined, "Siemens classic: no public b-value");
    assert.equal(numberOf(r.ds, "AcquisitionNumber"), v + 1);
    assert.equal(stringOf(r.ds, "SequenceName"), v === 0 ? "*ep_b0" : "*ep_b800t");
    assert.deepEqual(stringsOf(r.ds, "ImageType").slice(0, 3), [
      "ORIGINAL",
      "PRIMARY",
      "DIFFUSION",
    ]);
  }
  // ... unless asked for.
  const withPublic = await readBack(
    writeMrSeries(volumes, { ...siemensOptions, publicDiffusionBValue: true }),
  );
  assert.deepEqual(
    withPublic.map((r) => numberOf(r.ds, "DiffusionBValue")),
    [0, 0, 0, 800, 800, 800],
  );
});

test("perVolumeElements may name elements by keyword and override descriptive ones", async () => {
  const back = await readBack(
    writeMrSeries(
      phaseVolumes(2),
      baseOptions({
        volumeKind: "phase",
        perVolumeElements: (v) => ({ ImageComments: { vr: "LT", Value: [`phase ${v + 1}`] } }),
      }),
    ),
  );
  assert.deepEqual(
    back.map((r) => stringOf(r.ds, "ImageComments")),
    ["phase 1", "phase 1", "phase 1", "phase 2", "phase 2", "phase 2"],
  );
});

// ---------------------------------------------------------------------------------------------
// UIDs, determinism, character set.

test("a uidSeed gives byte-identical files; study and frame of reference shared across series", () => {
  const volumes = phaseVolumes(2);
  const options = baseOptions({ vendor: "philips", volumeKind: "phase", study: {} });
  const a = writeMrSeries(volumes, options);
  const b = writeMrSeries(volumes, options);
  assert.equal(a.length, b.length);
  a.forEach((f, i) => {
    assert.equal(f.fileName, b[i]!.fileName);
    assert.deepEqual(f.bytes, b[i]!.bytes, `${f.fileName} identical`);
  });
  const other = writeMrSeries(volumes, { ...options, series: { number: 401, description: "x" } });
  const uids = (files: DicomSeriesFile[]) => {
    const ds = parseDicom(files[0]!.bytes, "f").dataset;
    return ["StudyInstanceUID", "FrameOfReferenceUID", "SeriesInstanceUID", "SOPInstanceUID"].map(
      (k) => stringOf(ds, k)!,
    );
  };
  const [studyA, forA, seriesA, sopA] = uids(a);
  const [studyO, forO, seriesO, sopO] = uids(other);
  assert.equal(studyO, studyA);
  assert.equal(forO, forA);
  assert.notEqual(seriesO, seriesA);
  assert.notEqual(sopO, sopA);
  for (const uid of [studyA, forA, seriesA, sopA]) {
    assert.match(uid!, /^2\.25\.[1-9]\d*$/);
    assert.ok(uid!.length <= 64);
  }
  const reseeded = writeMrSeries(volumes, { ...options, uidSeed: "other" });
  assert.notEqual(uids(reseeded)[0], studyA);
});

test("without a seed UIDs are random; uidRoot, explicit UIDs and uidGenerator are used", () => {
  const vol = [makeVolume(int16Ramp(SIZE), SIZE)];
  const { uidSeed: _ignored, ...unseeded } = baseOptions();
  const a = parseDicom(writeMrSeries(vol, unseeded)[0]!.bytes, "a").dataset;
  const b = parseDicom(writeMrSeries(vol, unseeded)[0]!.bytes, "b").dataset;
  assert.notEqual(stringOf(a, "SeriesInstanceUID"), stringOf(b, "SeriesInstanceUID"));

  const rooted = writeMrSeries(vol, baseOptions({ uidRoot: "1.2.826.0.1.3680043.10.999" }));
  const ds = parseDicom(rooted[0]!.bytes, "r").dataset;
  assert.match(stringOf(ds, "SOPInstanceUID")!, /^1\.2\.826\.0\.1\.3680043\.10\.999\.[1-9]\d*$/);
  assert.ok(stringOf(ds, "SOPInstanceUID")!.length <= 64);

  const study = makeUid("shared study");
  assert.equal(makeUid("shared study"), study);
  const explicit = writeMrSeries(
    vol,
    baseOptions({
      study: { instanceUid: study },
      series: {
        number: 5,
        description: "T2",
        instanceUid: "1.2.3.4",
        frameOfReferenceUid: "1.2.3.5",
      },
      uidGenerator: (purpose, series, instance) =>
        `1.9.${series}.${purpose.length}.${instance ?? 0}`,
    }),
  );
  const e = parseDicom(explicit[1]!.bytes, "e").dataset;
  assert.equal(stringOf(e, "StudyInstanceUID"), study);
  assert.equal(stringOf(e, "SeriesInstanceUID"), "1.2.3.4");
  assert.equal(stringOf(e, "FrameOfReferenceUID"), "1.2.3.5");
  assert.equal(stringOf(e, "SOPInstanceUID"), "1.9.5.8.2");
});

test("non-ASCII names switch the character set to UTF-8 (ISO_IR 192)", () => {
  const files = writeMrSeries(
    [makeVolume(int16Ramp(SIZE), SIZE)],
    baseOptions({ patient: { id: "RS-002", name: "Müller^Zoë" } }),
  );
  const ds = parseDicom(files[0]!.bytes, "u").dataset;
  assert.ok(hasBytes(files[0]!.bytes, "CS\x0a\x00ISO_IR 192"), "SpecificCharacterSet ISO_IR 192");
  assert.ok(hasBytes(files[0]!.bytes, "M\xc3\xbcller^Zo\xc3\xab"), "name in UTF-8");
  assert.equal(stringOf(ds, "PatientName"), "Müller^Zoë");
});

test("decimal strings stay within 16 characters", () => {
  assert.equal(formatDecimalString(0.5), "0.5");
  assert.equal(formatDecimalString(-0), "0");
  assert.equal(formatDecimalString(Math.SQRT1_2), "0.70710678118655");
  assert.equal(formatDecimalString(6.123233995736766e-17), "6.1232339957e-17");
  assert.equal(formatDecimalString(123456789012345680), "1.2345678901e+17");
  for (const x of [1 / 3, -1 / 3, -123.45678901234567, 1e-300, -9.87654321e21]) {
    const s = formatDecimalString(x);
    assert.ok(s.length <= 16, `${x} -> ${s}`);
    assert.ok(Math.abs(Number(s) - x) <= 1e-9 * Math.abs(x), `${x} -> ${s}`);
  }
});

// ---------------------------------------------------------------------------------------------
// Errors.

test("refuses what it cannot write faithfully", () => {
  const vol = makeVolume(int16Ramp(SIZE), SIZE);
  expectWriteError(() => writeMrSeries([], baseOptions()), /no volumes/);
  expectWriteError(
    () => writeMrSeries([vol, { ...vol, origin: [0, 0, 0] }], baseOptions({ volumeKind: "phase" })),
    /geometry .* differs/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [vol, { ...vol, size: [5, 4, 3], spacing: [0.7, 0.9, 3.5] }],
        baseOptions({ volumeKind: "phase" }),
      ),
    /geometry .* differs/,
  );
  expectWriteError(
    () => writeMrSeries([makeVolume(new Float32Array(60), SIZE)], baseOptions()),
    /store integers/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [
          makeVolume(
            Int32Array.from({ length: 60 }, (_, i) => (i === 17 ? 70000 : 0)),
            SIZE,
          ),
        ],
        baseOptions(),
      ),
    /70000 \(volume 1, voxel 2, 3, 0\) is outside/,
  );
  expectWriteError(
    () => writeMrSeries([makeVolume(Int32Array.from([-70000, 0, 0, 0]), [2, 2, 1])], baseOptions()),
    /-70000 .* outside the int16 range/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [makeVolume(Uint16Array.from([5000, 0, 0, 0]), [2, 2, 1])],
        baseOptions({ bitsStored: 12 }),
      ),
    /5000 .* outside the 12-bit unsigned range 0\.\.4095/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [makeVolume(new Int16Array(4), [2, 2, 1]), makeVolume(new Uint16Array(4), [2, 2, 1])],
        baseOptions({ volumeKind: "phase" }),
      ),
    /different voxel types/,
  );
  expectWriteError(
    () => writeMrSeries([{ ...vol, data: new Int16Array(59) }], baseOptions()),
    /holds 59 voxels/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [
          makeVolume(int16Ramp(SIZE), SIZE, {
            direction: fromColumns([1, 0, 0], [0, 1, 0], [0, 0.6, 0.8]),
          }),
        ],
        baseOptions(),
      ),
    /not orthogonal/,
  );
  expectWriteError(() => writeMrSeries([vol, vol], baseOptions()), /volumeKind/);
  expectWriteError(
    () => writeMrSeries([vol, vol], baseOptions({ volumeKind: "phase", phaseTimes: [0] })),
    /phaseTimes/,
  );
  expectWriteError(
    () => writeMrSeries([vol, vol], baseOptions({ vendor: "philips", volumeKind: "bvalue" })),
    /need bValues or perVolumeElements/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [vol, vol],
        baseOptions({
          volumeKind: "bvalue",
          publicDiffusionBValue: true,
          perVolumeElements: () => ({}),
        }),
      ),
    /publicDiffusionBValue needs bValues/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [vol],
        baseOptions({
          perVolumeElements: () => ({ "00200032": { vr: "DS", Value: ["0", "0", "0"] } }),
        }),
      ),
    /may not set ImagePositionPatient/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [vol],
        baseOptions({ perVolumeElements: () => ({ "00191234": { vr: "FL", Value: [1] } }) }),
      ),
    /no private creator 00190012/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [vol],
        baseOptions({
          vendor: "philips",
          perVolumeElements: () => ({ "20050010": { vr: "LO", Value: ["Other"] } }),
        }),
      ),
    /reassigns private creator 20050010/,
  );
  expectWriteError(
    () =>
      writeMrSeries(
        [vol],
        baseOptions({ perVolumeElements: () => ({ NotAKeyword: { vr: "LO", Value: [] } }) }),
      ),
    /neither an 8-digit hex tag nor a DICOM keyword/,
  );
  expectWriteError(
    () => writeMrSeries([vol], baseOptions({ study: { date: "20240231" } })),
    /not a calendar date/,
  );
  expectWriteError(() => writeMrSeries([vol], baseOptions({ study: { time: "25:00" } })), /HHMMSS/);
  expectWriteError(
    () => writeMrSeries([vol], baseOptions({ series: { number: 1, description: "x".repeat(65) } })),
    /longer than 64/,
  );
  expectWriteError(
    () => writeMrSeries([vol], baseOptions({ study: { instanceUid: "1.02.3" } })),
    /not a valid UID/,
  );
  expectWriteError(
    () => writeMrSeries([vol], baseOptions({ uidGenerator: () => "abc" })),
    /not a valid UID/,
  );
  expectWriteError(
    () => writeMrSeries([vol], baseOptions({ fileName: () => "same.dcm" })),
    /given to two instances/,
  );
});

// ---------------------------------------------------------------------------------------------
// External validators and radscore's series reader, when available.

function onPath(tool: string): boolean {
  return spawnSync("which", [tool], { encoding: "utf8" }).status === 0;
}

/**
 * The one deviation from the MR Image IOD kept on purpose: Philips writes TriggerTime (0018,1060)
 * in every dynamic of an ungated DCE series (it is what readers sort Philips dynamics by), which
 * dciodvfy reports as a Type 2C element present without cardiac gating.
 */
const KNOWN_DEVIATIONS: Record<string, RegExp[]> = {
  "philips-phase": [/Type 2C Conditional Element=<TriggerTime> Module=<MRImage>/],
};

test("dciodvfy / dcmdump find no errors in any vendor flavour", (t) => {
  const tools = ["dciodvfy", "dcmdump"].filter(onPath);
  if (tools.length === 0) {
    t.skip("NOT RUN: neither dciodvfy (dicom3tools) nor dcmdump (dcmtk) is on PATH");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "radscore-dicom-"));
  try {
    for (const vendor of ["philips", "siemens", "generic"] as const) {
      for (const volumeKind of ["none", "phase", "bvalue"] as const) {
        const files = writeMrSeries(
          volumeKind === "none" ? phaseVolumes(1) : phaseVolumes(2),
          baseOptions({
            vendor,
            volumeKind,
            bodyPartExamined: "BREAST",
            ...(volumeKind === "bvalue"
              ? {
                  bValues: [0, 800],
                  perVolumeElements: (v: number) => ({
                    "00190010": { vr: "LO", Value: ["SIEMENS MR HEADER"] },
                    "0019100C": { vr: "IS", Value: [String([0, 800][v])] },
                  }),
                }
              : {}),
          }),
        );
        const file = files.at(-1)!;
        const path = join(dir, `${vendor}-${volumeKind}.dcm`);
        writeFileSync(path, file.bytes);
        const key = `${vendor}-${volumeKind}`;
        if (tools.includes("dciodvfy")) {
          const run = spawnSync("dciodvfy", [path], { encoding: "utf8" });
          const errors = `${run.stdout}\n${run.stderr}`
            .split("\n")
            .filter((l) => /^Error/.test(l))
            .filter((l) => !(KNOWN_DEVIATIONS[key] ?? []).some((re) => re.test(l)));
          assert.deepEqual(errors, [], `dciodvfy on ${key}`);
        }
        if (tools.includes("dcmdump")) {
          const run = spawnSync("dcmdump", [path], { encoding: "utf8" });
          assert.equal(run.status, 0, `dcmdump on ${key}: ${run.stderr}`);
          assert.doesNotMatch(run.stderr, /^E:/m, `dcmdump on ${key}`);
        }
      }
    }
    if (!tools.includes("dciodvfy")) t.diagnostic("dciodvfy not on PATH: only dcmdump ran");
    if (!tools.includes("dcmdump")) t.diagnostic("dcmdump not on PATH: only dciodvfy ran");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("round trip through radscore's series reader (scanSeries + loadSeriesVolume)", async (t) => {
  let series: Record<string, unknown>;
  let loader: Record<string, unknown>;
  try {
    series = await import("../src/io/dicom/series.js");
    loader = await import("../src/io/dicom/series-volume.js");
  } catch (error) {
    t.skip(
      `NOT RUN: the series reader does not load yet (${error instanceof Error ? error.message : error})`,
    );
    return;
  }
  if (
    typeof series["scanSeries"] !== "function" ||
    typeof loader["loadSeriesVolume"] !== "function"
  ) {
    t.skip("NOT RUN: series.ts / series-volume.ts do not export scanSeries / loadSeriesVolume");
    return;
  }
  type Plan = {
    volumes: unknown[];
    spacing: number[];
    origin: number[];
    direction: number[];
    kind: string;
  };
  const scanSeries = series["scanSeries"] as (i: DicomInstance[]) => {
    images: Plan[];
    problems: { error: Error }[];
  };
  const loadSeriesVolume = loader["loadSeriesVolume"] as (p: Plan, i: number) => Promise<Volume>;
  const volumes = phaseVolumes(3);
  for (const vendor of ["philips", "siemens", "generic"] as const) {
    // Slice-major order and a shuffled file list: the reader must not rely on file order.
    const files = writeMrSeries(
      volumes,
      baseOptions({ vendor, volumeKind: "phase", instanceOrder: "slice-major" }),
    );
    const instances = files.map((f) => parseDicom(f.bytes, f.fileName)).reverse();
    const scan = scanSeries(instances);
    assert.deepEqual(
      scan.problems.map((p) => p.error.message),
      [],
      vendor,
    );
    assert.equal(scan.images.length, 1, vendor);
    const plan = scan.images[0]!;
    assert.equal(plan.kind, "phase", vendor);
    assert.equal(plan.volumes.length, 3, vendor);
    for (let v = 0; v < 3; v++) {
      const vol = await loadSeriesVolume(plan, v);
      assert.deepEqual(vol.size, volumes[v]!.size, `${vendor} size`);
      assertClose(vol.spacing, volumes[v]!.spacing, `${vendor} spacing`, 1e-9);
      assertClose(vol.origin, volumes[v]!.origin, `${vendor} origin`, 1e-9);
      assertClose(vol.direction, volumes[v]!.direction, `${vendor} direction`, 1e-9);
      assert.deepEqual(
        Array.from(vol.data),
        Array.from(volumes[v]!.data),
        `${vendor} phase ${v + 1} voxels`,
      );
    }
  }
});

test("DWI round trip through the series reader with the diffusion module's vendor elements", async (t) => {
  let series: Record<string, unknown>;
  let diffusion: Record<string, unknown>;
  try {
    series = await import("../src/io/dicom/series.js");
    diffusion = await import("../src/io/dicom/diffusion.js");
  } catch (error) {
    t.skip(
      `NOT RUN: the series reader does not load yet (${error instanceof Error ? error.message : error})`,
    );
    return;
  }
  if (
    typeof series["scanSeries"] !== "function" ||
    typeof diffusion["vendorDiffusionElements"] !== "function"
  ) {
    t.skip("NOT RUN: scanSeries / vendorDiffusionElements are not exported");
    return;
  }
  type Plan = { kind: string; volumes: { bvalue?: number }[] };
  const scanSeries = series["scanSeries"] as (i: DicomInstance[]) => {
    images: Plan[];
    problems: { error: Error }[];
  };
  const elementsFor = diffusion["vendorDiffusionElements"] as (
    vendor: "siemens" | "philips",
    b: number,
  ) => Record<string, { vr: string; Value: unknown[] }>;
  const bValues = [0, 50, 800];
  const volumes = phaseVolumes(3);
  for (const vendor of ["philips", "siemens"] as const) {
    const files = writeMrSeries(
      volumes,
      baseOptions({
        vendor,
        volumeKind: "bvalue",
        bValues,
        perVolumeElements: (v) => elementsFor(vendor, bValues[v]!),
      }),
    );
    const scan = scanSeries(files.map((f) => parseDicom(f.bytes, f.fileName)));
    assert.deepEqual(
      scan.problems.map((p) => p.error.message),
      [],
      vendor,
    );
    const plan = scan.images[0]!;
    assert.equal(plan.kind, "bvalue", vendor);
    assert.deepEqual(
      plan.volumes.map((v) => v.bvalue),
      bValues,
      vendor,
    );
  }
});
