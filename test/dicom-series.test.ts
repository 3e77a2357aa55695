/**
 * DICOM series to volumes on real scanner data (../shared/reference/dicom) and on hand-built
 * series. Expected values: dcm2niix's NIfTI, .bval and geometry for the GE DWI series (its output
 * is the reference: every voxel equal after orientation, affine within 1e-4 mm, b-values and
 * volume order as its .bval); the data sets' SOURCE.md for the UCSF DCE phases (ContentTime
 * 102551, 103238, 103832, 60 slices each) and the CMB-CRC ADC / T2 grids (slice spacing 7 and 8 mm
 * from the positions, while SliceThickness says 6 and 7 mm).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { physicalToIndex, type Vec3 } from "../src/image/volume.js";
import { writeCsaHeader } from "../src/io/dicom/csa.js";
import { encodePart10 } from "../src/io/dicom/encode.js";
import { type DicomInstance, parseDicom } from "../src/io/dicom/parse.js";
import { chooseVolume } from "../src/io/dicom/select.js";
import { scanSeries } from "../src/io/dicom/series.js";
import { loadSeriesVolume } from "../src/io/dicom/series-volume.js";
import { ImageReadError } from "../src/io/image-error.js";
import { readDicomFolder } from "../src/node/dicom-files.js";
import { missingReference, referenceDir } from "./support/reference.js";

const ref = referenceDir();
const dicomDir = ref ? join(ref, "dicom") : undefined;

/** A hand-parsed NIfTI-1 (the reference is 4D, which radscore's 3D reader does not take). */
function readNifti4d(path: string) {
  const b = gunzipSync(readFileSync(path));
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dim = Array.from({ length: 8 }, (_, i) => v.getInt16(40 + 2 * i, true));
  const datatype = v.getInt16(70, true);
  const offset = v.getFloat32(108, true);
  const srow = Array.from({ length: 12 }, (_, i) => v.getFloat32(280 + 4 * i, true));
  assert.equal(datatype, 4, "reference NIfTI is int16");
  const n = dim[1]! * dim[2]! * dim[3]! * dim[4]!;
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) data[i] = v.getInt16(offset + 2 * i, true);
  return { dim, srow, data };
}

test("GE DWI series reproduces dcm2niix: volume order, b-values, every voxel, affine within 1e-4 mm", async (t) => {
  if (!dicomDir) return t.skip(missingReference("GE DWI vs dcm2niix"));
  const base = join(dicomDir, "dcm_qa_ge_dwi");
  const folder = await readDicomFolder(join(base, "In"));
  assert.equal(folder.scan.images.length, 1);
  const plan = folder.scan.images[0]!;
  const bval = readFileSync(join(base, "Ref", "Ax_DWI_TENSOR_R2_1.bval"), "utf8")
    .trim()
    .split(/\s+/)
    .map(Number);
  assert.equal(plan.kind, "bvalue");
  assert.deepEqual(
    plan.volumes.map((v) => v.bvalue),
    bval,
  );
  const nii = readNifti4d(join(base, "Ref", "Ax_DWI_TENSOR_R2_1.nii.gz"));
  const [, nx, ny, nz, nt] = nii.dim as [number, number, number, number, number];
  assert.equal(nt, plan.volumes.length);
  assert.deepEqual([plan.columns, plan.rows, plan.slices], [nx, ny, nz]);
  const s = nii.srow;
  let maxAffine = 0;
  let compared = 0;
  for (let vol = 0; vol < nt; vol++) {
    const ours = await loadSeriesVolume(plan, vol);
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          // dcm2niix's voxel centre in RAS, then LPS as ITK: (-x, -y, z)
          const ras: Vec3 = [
            s[0]! * i + s[1]! * j + s[2]! * k + s[3]!,
            s[4]! * i + s[5]! * j + s[6]! * k + s[7]!,
            s[8]! * i + s[9]! * j + s[10]! * k + s[11]!,
          ];
          const idx = physicalToIndex(ours, [-ras[0], -ras[1], ras[2]]);
          const r = idx.map(Math.round) as Vec3;
          // index offset times spacing: the distance between the two voxel centres, in mm
          const offMm = Math.hypot(...idx.map((x, a) => (x - r[a]!) * ours.spacing[a]!));
          maxAffine = Math.max(maxAffine, offMm);
          const want = nii.data[i + nx * (j + ny * (k + nz * vol))]!;
          const got = ours.data[r[0] + nx * (r[1] + ny * r[2])]!;
          if (got !== want)
            assert.fail(`volume ${vol} voxel ${i},${j},${k}: ${got} vs dcm2niix ${want}`);
          compared++;
        }
      }
    }
  }
  console.log(
    `GE DWI: ${compared} voxels equal to dcm2niix's, largest voxel-centre offset ${maxAffine.toExponential(2)} mm`,
  );
  assert.ok(maxAffine < 1e-4, `affine differs by ${maxAffine} mm`);
});

test("UCSF breast DCE: one series split into its 3 phases by acquisition time", async (t) => {
  if (!dicomDir) return t.skip(missingReference("UCSF DCE phases"));
  const folder = await readDicomFolder(
    join(dicomDir, "mirp_breast_dce_mri_ucsf", "UCSF-BR-06", "image_dce_3dfgre_orig"),
  );
  assert.equal(folder.scan.images.length, 1);
  const plan = folder.scan.images[0]!;
  assert.equal(plan.kind, "phase");
  assert.equal(plan.volumes.length, 3);
  assert.equal(plan.slices, 60);
  assert.deepEqual([plan.columns, plan.rows], [256, 256]);
  assert.ok(Math.abs(plan.spacing[0] - 0.703125) < 1e-9 && Math.abs(plan.spacing[2] - 2) < 1e-6);
  const times = ["102551", "103238", "103832"];
  plan.volumes.forEach((v, p) => {
    assert.equal(v.phase, p + 1);
    for (const f of v.frames) assert.equal(String(f.attributes.ContentTime).slice(0, 6), times[p]);
    assert.equal(new Set(v.frames.map((f) => f.position.join())).size, 60);
  });
  // Sagittal (IOP 0\1\0\0\0\-1): slices sorted along +normal (row x column = (-1, 0, 0)).
  const d = plan.volumes[0]!.frames.map((f) => -f.position[0]);
  for (let i = 1; i < d.length; i++) assert.ok(d[i]! > d[i - 1]!);
  // A phase selector loads phase 2's own pixels (not phase 1's).
  const p1 = await loadSeriesVolume(plan, 0);
  const p2 = await loadSeriesVolume(plan, 1);
  assert.notDeepEqual(p1.data.subarray(0, 65536 * 30), p2.data.subarray(0, 65536 * 30));
});

test("CMB-CRC ADC and T2 keep their own grids, slice spacing from positions", async (t) => {
  if (!dicomDir) return t.skip(missingReference("ADC / T2 geometry"));
  const folder = await readDicomFolder(join(dicomDir, "mirp_mr_adc_t2_cmbcrc", "SCAN_001"));
  const adc = folder.scan.images.find((p) => p.seriesNumber === 602)!;
  const t2 = folder.scan.images.find((p) => p.seriesNumber === 901)!;
  assert.ok(adc && t2);
  assert.equal(adc.slices, 36);
  assert.equal(t2.slices, 33);
  assert.ok(Math.abs(adc.spacing[2] - 7) < 1e-3, `ADC slice spacing ${adc.spacing[2]}`);
  assert.ok(Math.abs(t2.spacing[2] - 8) < 1e-3, `T2 slice spacing ${t2.spacing[2]}`);
  assert.ok(Math.abs(adc.spacing[0] - 1.5625) < 1e-6 && Math.abs(t2.spacing[0] - 0.6836) < 1e-3);
  assert.equal(adc.columns * adc.rows, 288 * 256);
  assert.equal(t2.columns * t2.rows, 512 * 584);
  assert.equal(adc.kind, "none");
});

// ---- hand-built series -------------------------------------------------------------------

/** A classic single-frame MR instance (dataset literal) for planning tests. */
function slice(file: string, z: number, extra: Record<string, unknown> = {}): DicomInstance {
  return {
    file,
    transferSyntaxUid: "1.2.840.10008.1.2.1",
    sopClassUid: "1.2.840.10008.5.1.4.1.1.4",
    sopInstanceUid: `1.2.3.${file}`,
    dataset: {
      SeriesInstanceUID: "1.2.3",
      SeriesNumber: 5,
      SeriesDescription: "test",
      Rows: 2,
      Columns: 3,
      BitsAllocated: 16,
      PixelRepresentation: 0,
      ImagePositionPatient: [10, 20, z],
      ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
      PixelSpacing: [0.5, 0.25],
      ...extra,
    },
    pixelData: [new Uint8Array(12)],
    pixelDataVr: "OW",
  };
}

test("slices sort along the normal whatever the file order; spacing from positions; LPS geometry", () => {
  const scan = scanSeries([slice("c", 4), slice("a", 0), slice("b", 2)]);
  const plan = scan.images[0]!;
  assert.deepEqual(
    plan.volumes[0]!.frames.map((f) => f.instance.file),
    ["a", "b", "c"],
  );
  // spacing [x = column spacing (PixelSpacing[1]), y = row spacing (PixelSpacing[0]), z]
  assert.deepEqual(plan.spacing, [0.25, 0.5, 2]);
  assert.deepEqual(plan.origin, [10, 20, 0]);
  assert.deepEqual(plan.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  assert.deepEqual([plan.columns, plan.rows, plan.slices], [3, 2, 3]);
});

test("a missing slice, duplicate positions and sheared stacks are errors naming series and files", () => {
  const gap = scanSeries([slice("a", 0), slice("b", 2), slice("d", 6), slice("e", 8)]);
  assert.equal(gap.images.length, 0);
  assert.match(gap.problems[0]!.error.message, /series 5 "test".*not uniform.*between b and d/);
  assert.ok(gap.problems[0]!.error instanceof ImageReadError);
  const dup = scanSeries([slice("a", 0), slice("b", 2), slice("b2", 2)]);
  assert.match(dup.problems[0]!.error.message, /different numbers of frames.*b2?/);
  const shear = scanSeries([slice("a", 0), slice("b", 2, { ImagePositionPatient: [13, 20, 2] })]);
  assert.match(shear.problems[0]!.error.message, /not stacked along the slice normal.*b/);
});

test("mixed orientations become separate stacks; phases split by temporal position", () => {
  const axial = [slice("a", 0), slice("b", 1)];
  const coronal = [
    slice("c", 0, { ImageOrientationPatient: [1, 0, 0, 0, 0, -1] }),
    slice("d", 0, {
      ImageOrientationPatient: [1, 0, 0, 0, 0, -1],
      ImagePositionPatient: [10, 21, 0],
    }),
  ];
  const scan = scanSeries([...axial, ...coronal]);
  assert.equal(scan.images.length, 2);
  assert.deepEqual(
    scan.images.map((p) => p.stackCount),
    [2, 2],
  );
  const dce = [1, 2, 3].flatMap((phase) =>
    [0, 1].map((z) =>
      slice(`p${phase}z${z}`, z, {
        TemporalPositionIdentifier: 4 - phase,
        InstanceNumber: phase * 10 + z,
      }),
    ),
  );
  const plan = scanSeries(dce).images[0]!;
  assert.equal(plan.kind, "phase");
  assert.equal(plan.splitBy, "TemporalPositionIdentifier");
  // Ordered by the temporal position (3 -> written as p1), not by instance number.
  assert.deepEqual(
    plan.volumes.map((v) => v.frames[0]!.instance.file),
    ["p3z0", "p2z0", "p1z0"],
  );
});

test("diffusion: volumes in acquisition order, a scanner trace image after them (dcm2niix), chosen for its b-value", () => {
  // Philips-like: b0, the isotropic trace at b = 1000 exported between, then 3 directions.
  const specs = [
    { b: 0, dir: "NONE" },
    { b: 1000, dir: "ISOTROPIC" },
    { b: 1000, dir: "DIRECTIONAL", g: [1, 0, 0] },
    { b: 1000, dir: "DIRECTIONAL", g: [0, 1, 0] },
    { b: 1000, dir: "DIRECTIONAL", g: [0, 0, 1] },
  ];
  const instances = specs.flatMap((spec, v) =>
    [0, 1].map((z) =>
      slice(`v${v}z${z}`, z, {
        Manufacturer: "Philips Medical Systems",
        InstanceNumber: 1 + v * 2 + z,
        DiffusionBValue: spec.b,
        DiffusionDirectionality: spec.dir,
        ...(spec.g ? { DiffusionGradientOrientation: spec.g } : {}),
      }),
    ),
  );
  const plan = scanSeries(instances).images[0]!;
  assert.equal(plan.kind, "bvalue");
  assert.deepEqual(
    plan.volumes.map((v) => v.frames[0]!.instance.file),
    ["v0z0", "v2z0", "v3z0", "v4z0", "v1z0"],
  );
  assert.deepEqual(
    plan.volumes.map((v) => v.index),
    [0, 1, 2, 3, 4],
  );
  assert.deepEqual(
    plan.volumes.map((v) => v.isTrace === true),
    [false, false, false, false, true],
  );
  assert.deepEqual(chooseVolume(plan, { bvalue: 1000 }), { index: 4 });
  assert.deepEqual(chooseVolume(plan, { bvalue: 0 }), { index: 0 });
  // Without the scanner's trace, the three directions make the trace image.
  const noTrace = scanSeries(instances.filter((i) => !i.file.startsWith("v1"))).images[0]!;
  assert.deepEqual(chooseVolume(noTrace, { bvalue: 1000 }), { traceOf: [1, 2, 3], bvalue: 1000 });
  assert.throws(() => chooseVolume(noTrace, { bvalue: 500 }), /no volume with b = 500.*0, 1000/);
});

// ---- enhanced multi-frame MR (per-frame functional groups), written with radscore's encoder ----

/** An Enhanced MR Image file: frames given as (z, temporal index, diffusion b or undefined, values). */
function enhancedMr(
  frames: { z: number; temporal?: number; b?: number; values: number[] }[],
  shared: { slope: number; intercept: number },
): Uint8Array {
  const raw = (vr: string, ...Value: unknown[]) => ({ vr, Value });
  const rows = 2;
  const columns = 3;
  const pixels = new Int16Array(frames.length * rows * columns);
  frames.forEach((f, i) => {
    pixels.set(f.values, i * rows * columns);
  });
  const perFrame = frames.map((f) => ({
    "00209111": raw("SQ", {
      ...(f.temporal !== undefined ? { "00209128": raw("UL", f.temporal) } : {}),
      "00209057": raw("UL", f.z + 1),
      "00209056": raw("SH", "1"),
    }),
    "00209113": raw("SQ", { "00200032": raw("DS", "-5", "7", String(f.z * 2.5)) }),
    ...(f.b !== undefined
      ? {
          "00189117": raw("SQ", {
            "00189087": raw("FD", f.b),
            "00189075": raw("CS", f.b === 0 ? "NONE" : "ISOTROPIC"),
          }),
        }
      : {}),
  }));
  return encodePart10(
    {
      "00020002": raw("UI", "1.2.840.10008.5.1.4.1.1.4.1"),
      "00020003": raw("UI", "1.2.3.4.5.6"),
      "00020010": raw("UI", "1.2.840.10008.1.2.1"),
    },
    {
      "00080016": raw("UI", "1.2.840.10008.5.1.4.1.1.4.1"),
      "00080018": raw("UI", "1.2.3.4.5.6"),
      "00080060": raw("CS", "MR"),
      "00080070": raw("LO", "Philips"),
      "0020000E": raw("UI", "1.2.3.4.5"),
      "00200011": raw("IS", "3"),
      "00280002": raw("US", 1),
      "00280004": raw("CS", "MONOCHROME2"),
      "00280008": raw("IS", String(frames.length)),
      "00280010": raw("US", rows),
      "00280011": raw("US", columns),
      "00280100": raw("US", 16),
      "00280101": raw("US", 16),
      "00280102": raw("US", 15),
      "00280103": raw("US", 1),
      "52009229": raw("SQ", {
        "00289110": raw("SQ", {
          "00280030": raw("DS", "0.5", "0.25"),
          "00180050": raw("DS", "2.5"),
        }),
        "00209116": raw("SQ", { "00200037": raw("DS", "1", "0", "0", "0", "1", "0") }),
        "00289145": raw("SQ", {
          "00281053": raw("DS", String(shared.slope)),
          "00281052": raw("DS", String(shared.intercept)),
          "00281054": raw("LO", "US"),
        }),
      }),
      "52009230": raw("SQ", ...perFrame),
      "7FE00010": raw("OW", pixels),
    },
  );
}

test("enhanced MR: per-frame functional groups place the frames; phases by TemporalPositionIndex; shared rescale", async () => {
  // Two temporal positions x 3 slices, stored out of order.
  const order = [
    [2, 1],
    [0, 2],
    [1, 1],
    [0, 1],
    [2, 2],
    [1, 2],
  ] as const;
  const frames = order.map(([z, t]) => ({
    z,
    temporal: t,
    values: [1, 2, 3, 4, 5, 6].map((v) => v + 10 * z + 100 * t),
  }));
  const instance = parseDicom(enhancedMr(frames, { slope: 2, intercept: -5 }), "enhanced.dcm");
  const plan = scanSeries([instance]).images[0]!;
  assert.equal(plan.kind, "phase");
  assert.equal(plan.splitBy, "TemporalPositionIndex");
  assert.deepEqual([plan.columns, plan.rows, plan.slices, plan.volumes.length], [3, 2, 3, 2]);
  assert.deepEqual(plan.spacing, [0.25, 0.5, 2.5]);
  assert.deepEqual(plan.origin, [-5, 7, 0]);
  const phase2 = await loadSeriesVolume(plan, 1);
  // slice z of phase 2: stored v + 10 z + 200, then x 2 - 5 (integer slope: an integer type)
  const want = [0, 1, 2].flatMap((z) => [1, 2, 3, 4, 5, 6].map((v) => (v + 10 * z + 200) * 2 - 5));
  assert.deepEqual(Array.from(phase2.data), want);
  assert.ok(phase2.data instanceof Int32Array || phase2.data instanceof Int16Array);
});

test("enhanced MR diffusion: b-values from MRDiffusionSequence split the frames in acquisition order", () => {
  const frames = [0, 1].flatMap((z) =>
    [0, 500, 1000].map((b) => ({ z, b, values: [b, b, b, b, b, z] })),
  );
  const plan = scanSeries([parseDicom(enhancedMr(frames, { slope: 1, intercept: 0 }), "dwi.dcm")])
    .images[0]!;
  assert.equal(plan.kind, "bvalue");
  assert.deepEqual(
    plan.volumes.map((v) => v.bvalue),
    [0, 500, 1000],
  );
  assert.deepEqual(
    plan.volumes.map((v) => v.frames.map((f) => f.frameIndex)),
    [
      [0, 3],
      [1, 4],
      [2, 5],
    ],
  );
});

test("Siemens mosaic: tiles become slices placed as nibabel / dcm2niix place them", async () => {
  // 3 slices of 3 x 2 pixels in a 2 x 2 mosaic (6 x 4 stored); tile k holds 100 k + pixel index.
  const [tileColumns, tileRows, grid, n] = [3, 2, 2, 3];
  const columns = tileColumns * grid;
  const rows = tileRows * grid;
  const stored = new Int16Array(columns * rows);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < tileRows; j++) {
      for (let i = 0; i < tileColumns; i++) {
        const row = Math.floor(k / grid) * tileRows + j;
        const col = (k % grid) * tileColumns + i;
        stored[row * columns + col] = 100 * k + j * tileColumns + i;
      }
    }
  }
  const raw = (vr: string, ...Value: unknown[]) => ({ vr, Value });
  // Row direction +x, column direction +y; PixelSpacing [row spacing 2, column spacing 0.5];
  // slices 4 mm apart along the CSA SliceNormalVector -z (descending, as Siemens often stores).
  const csa = writeCsaHeader({
    NumberOfImagesInMosaic: ["3"],
    SliceNormalVector: ["0", "0", "-1"],
  });
  const bytes = encodePart10(
    { "00020010": raw("UI", "1.2.840.10008.1.2.1") },
    {
      "00080008": raw("CS", "ORIGINAL", "PRIMARY", "M", "ND", "MOSAIC"),
      "00080016": raw("UI", "1.2.840.10008.5.1.4.1.1.4"),
      "00080018": raw("UI", "1.2.3.9"),
      "00080070": raw("LO", "SIEMENS"),
      "00180088": raw("DS", "4"),
      "0020000E": raw("UI", "1.2.3.8"),
      "00200032": raw("DS", "10", "20", "30"),
      "00200037": raw("DS", "1", "0", "0", "0", "1", "0"),
      "00280002": raw("US", 1),
      "00280010": raw("US", rows),
      "00280011": raw("US", columns),
      "00280030": raw("DS", "2", "0.5"),
      "00280100": raw("US", 16),
      "00280101": raw("US", 16),
      "00280102": raw("US", 15),
      "00280103": raw("US", 1),
      "00290010": raw("LO", "SIEMENS CSA HEADER"),
      "00291010": raw("OB", csa),
      "7FE00010": raw("OW", stored),
    },
  );
  const plan = scanSeries([parseDicom(bytes, "mosaic.dcm")]).images[0]!;
  assert.deepEqual([plan.columns, plan.rows, plan.slices], [3, 2, 3]);
  assert.deepEqual(plan.spacing, [0.5, 2, 4]);
  // Tile 0: IPP + x * 0.5 * (6 - 3) / 2 + y * 2 * (4 - 2) / 2 = (10.75, 22, 30); tile k at
  // z = 30 - 4 k. Sorted along +z (row x column), the volume starts with tile 2 at z = 22.
  assert.deepEqual(plan.origin, [10.75, 22, 22]);
  const volume = await loadSeriesVolume(plan, 0);
  const want = [2, 1, 0].flatMap((k) => [0, 1, 2, 3, 4, 5].map((i) => 100 * k + i));
  assert.deepEqual(Array.from(volume.data), want);
});
