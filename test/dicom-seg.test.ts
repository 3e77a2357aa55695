/**
 * DICOM-SEG reading and writing.
 *
 * Reference files: dcmqi's segmentation examples, each decoded onto its NRRD ground truth's grid
 * and compared voxel for voxel (liver, the 23- and 24-column bit-packing cases, the partially
 * overlapping segments whose ground truth is three label maps - dcmqi's input files, segment number
 * = label value, segments 1/4/5 in the first, 2 in the second, 3 in the third - and the sparse
 * LABELMAP objects, where dcmqi fills slices without a frame with the Pixel Padding Value while
 * radscore leaves them 0); highdicom's test objects on the pydicom CT2 slices, whose grid is built
 * here from the slice headers. Writing: synthetic masks over synthetic reference slices (oblique
 * orientation, 23 columns for frames that are not byte-aligned), read back; the dcmqi liver NRRD
 * written over its three CT slices and read back; structural checks of the written object.
 */
import assert from "node:assert/strict";
import { execFileSync, type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { indexToPhysical, type Mat3, type Vec3, type Volume } from "../src/image/volume.js";
import {
  type DicomDataset,
  type DicomInstance,
  numberOf,
  numbersOf,
  parseDicom,
  sequenceOf,
  stringOf,
} from "../src/io/dicom/parse.js";
import { decodeFrames } from "../src/io/dicom/pixels.js";
import {
  extractBits,
  isSegmentation,
  LABELMAP_SEGMENTATION_STORAGE,
  readSegmentation,
  SEGMENTATION_STORAGE,
} from "../src/io/dicom/seg-read.js";
import {
  formatDS,
  type SegmentationReference,
  type WriteSegmentationOptions,
  writeSegmentation,
} from "../src/io/dicom/seg-write.js";
import { ImageReadError, ImageWriteError } from "../src/io/image-error.js";
import { readImageFile } from "../src/node/files.js";
import { missingReference, referenceDir } from "./support/reference.js";

type Grid = Omit<Volume, "data">;

function load(path: string, name = path.split("/").slice(-2).join("/")): DicomInstance {
  return parseDicom(new Uint8Array(readFileSync(path)), name);
}

function gridOf(v: Volume): Grid {
  const { data: _data, ...grid } = v;
  return grid;
}

function assertClose(
  got: readonly number[],
  want: readonly number[],
  tol: number,
  what: string,
): void {
  assert.equal(got.length, want.length, what);
  got.forEach((g, i) => {
    assert.ok(Math.abs(g - want[i]!) <= tol, `${what}[${i}]: ${g} vs ${want[i]}`);
  });
}

function assertSameGrid(got: Grid, want: Grid, what: string, tol = 1e-4): void {
  assert.deepEqual([...got.size], [...want.size], `${what} size`);
  assertClose(got.spacing, want.spacing, tol, `${what} spacing`);
  assertClose(got.origin, want.origin, tol, `${what} origin`);
  assertClose(got.direction, want.direction, tol, `${what} direction`);
}

/** Number of voxels where `got` differs from `want(i)`. */
function mismatches(got: ArrayLike<number>, want: (i: number) => number): number {
  let d = 0;
  for (let i = 0; i < got.length; i++) if (got[i] !== want(i)) d++;
  return d;
}

function count(data: ArrayLike<number>, pred: (v: number) => boolean = (v) => v !== 0): number {
  let c = 0;
  for (let i = 0; i < data.length; i++) if (pred(data[i]!)) c++;
  return c;
}

const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot = (a: readonly number[], b: readonly number[]) =>
  a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/**
 * ITK's grid of a stack of single-frame slices: sorted along the normal row x column, origin at
 * the first slice, spacing [column spacing, row spacing, mean gap] (SliceThickness for one slice),
 * plus each instance's slice index.
 */
function gridFromSlices(instances: DicomInstance[]): {
  grid: Grid;
  slices: Map<string, number>;
  sorted: DicomInstance[];
} {
  const iop = numbersOf(instances[0]!.dataset, "ImageOrientationPatient")!;
  const row: Vec3 = [iop[0]!, iop[1]!, iop[2]!];
  const col: Vec3 = [iop[3]!, iop[4]!, iop[5]!];
  const normal = cross(row, col);
  const sorted = [...instances].sort(
    (a, b) =>
      dot(normal, numbersOf(a.dataset, "ImagePositionPatient")!) -
      dot(normal, numbersOf(b.dataset, "ImagePositionPatient")!),
  );
  const first = numbersOf(sorted[0]!.dataset, "ImagePositionPatient")!;
  const last = numbersOf(sorted[sorted.length - 1]!.dataset, "ImagePositionPatient")!;
  const ps = numbersOf(sorted[0]!.dataset, "PixelSpacing")!;
  const gap =
    sorted.length > 1
      ? (dot(normal, last) - dot(normal, first)) / (sorted.length - 1)
      : (numberOf(sorted[0]!.dataset, "SliceThickness") ?? 1);
  const ds = sorted[0]!.dataset;
  return {
    grid: {
      size: [numberOf(ds, "Columns")!, numberOf(ds, "Rows")!, sorted.length],
      spacing: [ps[1]!, ps[0]!, gap],
      origin: [first[0]!, first[1]!, first[2]!],
      direction: [row[0], col[0], normal[0], row[1], col[1], normal[1], row[2], col[2], normal[2]],
      dimension: 3,
    },
    slices: new Map(sorted.map((inst, k) => [inst.sopInstanceUid, k])),
    sorted,
  };
}

function readSlices(dir: string): DicomInstance[] {
  return readdirSync(dir)
    .sort()
    .map((name) => load(join(dir, name), name));
}

// ---------------------------------------------------------------------------------------------
// dcmqi reference objects

const DCMQI = "dicom/dcmqi_seg_examples/data/segmentations";
const HIGHDICOM = "dicom/highdicom_seg_examples/data/test_files";
const CT2 = "dicom/pydicom_test_files/src/pydicom/data/test_files/dicomdirtests/77654033/CT2";

function referencePath(
  t: { skip(message: string): void },
  sub: string,
  what: string,
): string | undefined {
  const ref = referenceDir();
  if (!ref || !existsSync(join(ref, sub))) {
    t.skip(missingReference(what));
    return undefined;
  }
  return join(ref, sub);
}

test("dcmqi liver.dcm (BINARY, 3 x 512 x 512) decodes to liver_seg.nrrd, by position and by SOP instance", async (t) => {
  const dir = referencePath(t, DCMQI, "dcmqi SEG examples");
  if (!dir) return;
  const truth = await readImageFile(join(dir, "liver_seg.nrrd"));
  const seg = await readSegmentation(load(join(dir, "liver.dcm")), truth);
  assert.equal(seg.segmentationType, "BINARY");
  assertSameGrid(seg.grid, gridOf(truth), "decoded grid vs NRRD", 0);
  assert.deepEqual(
    seg.segments.map((s) => [
      s.number,
      s.label,
      s.algorithmType,
      s.category?.meaning,
      s.type?.meaning,
    ]),
    [[1, "Liver", "SEMIAUTOMATIC", "Tissue", "Liver"]],
  );
  const { volume, overlappingVoxels, segments } = seg.labelMap();
  assert.ok(volume.data instanceof Uint8Array);
  assert.deepEqual(segments, [1]);
  assert.equal(overlappingVoxels, 0);
  assert.equal(
    mismatches(volume.data, (i) => truth.data[i]!),
    0,
  );
  assert.equal(seg.segments[0]!.voxelCount, count(truth.data));
  assert.equal(seg.segments[0]!.voxelCount, 36233 + 35645 + 35220);
  assert.equal(
    mismatches(seg.mask(1).data, (i) => (truth.data[i] === 1 ? 1 : 0)),
    0,
  );

  // The CT slices the SEG references give the same grid, and mapping frames by their
  // ReferencedSOPInstanceUID gives the same masks.
  const { grid, slices } = gridFromSlices(readSlices(join(dir, "ct-3slice")));
  assertSameGrid(grid, gridOf(truth), "CT slice grid vs NRRD");
  const byUid = await readSegmentation(load(join(dir, "liver.dcm")), grid, {
    referenceInstances: slices,
  });
  assert.equal(
    mismatches(byUid.labelMap().volume.data, (i) => truth.data[i]!),
    0,
  );
});

test("dcmqi partial_overlaps.dcm: 5 overlapping segments equal partial_overlaps-{1,2,3}.nrrd", async (t) => {
  const dir = referencePath(t, DCMQI, "dcmqi SEG examples");
  if (!dir) return;
  const truths = await Promise.all(
    [1, 2, 3].map((i) => readImageFile(join(dir, `partial_overlaps-${i}.nrrd`))),
  );
  // Which ground-truth file holds each segment (its label value = the segment number).
  const fileOf: Record<number, number> = { 1: 0, 4: 0, 5: 0, 2: 1, 3: 2 };
  for (const [s, f] of Object.entries(fileOf))
    assert.ok(count(truths[f]!.data, (v) => v === Number(s)) > 0);
  const seg = await readSegmentation(load(join(dir, "partial_overlaps.dcm")), truths[0]!);
  assertSameGrid(seg.grid, gridOf(truths[1]!), "decoded grid vs NRRD", 0);
  assert.deepEqual(
    seg.segments.map((s) => `${s.number}:${s.label}`),
    ["1:GREEN", "2:ORANGE", "3:PURPLE", "4:LIGHT_BLUE", "5:DARK_BLUE"],
  );
  for (const info of seg.segments) {
    const truth = truths[fileOf[info.number]!]!;
    const mask = seg.mask(info.number);
    assert.equal(
      mismatches(mask.data, (i) => (truth.data[i] === info.number ? 1 : 0)),
      0,
      `segment ${info.number}`,
    );
    assert.equal(
      info.voxelCount,
      count(truth.data, (v) => v === info.number),
    );
  }
  // Label map: the highest segment number wins; overlapping voxels counted from the ground truth.
  const n = truths[0]!.data.length;
  let overlap = 0;
  const want = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const labels = truths.map((tr) => tr.data[i]!).filter((v) => v !== 0);
    if (labels.length > 1) overlap++;
    want[i] = labels.length ? Math.max(...labels) : 0;
  }
  assert.ok(overlap > 0);
  const lm = seg.labelMap();
  assert.equal(lm.overlappingVoxels, overlap);
  assert.equal(
    mismatches(lm.volume.data, (i) => want[i]!),
    0,
  );
  // A subset: segments 2 and 3 only.
  const sub = seg.labelMap([3, 2]);
  assert.deepEqual(sub.segments, [2, 3]);
  const want23 = (i: number) => (truths[2]!.data[i] === 3 ? 3 : truths[1]!.data[i] === 2 ? 2 : 0);
  assert.equal(mismatches(sub.volume.data, want23), 0);
  assert.throws(
    () => seg.labelMap([9]),
    (e: unknown) => e instanceof ImageReadError && /no segment 9/.test(e.message),
  );
});

for (const columns of [23, 24]) {
  test(`dcmqi ${columns}x38x3 bit-packing case decodes to its NRRD (frames ${columns === 23 ? "not " : ""}byte-aligned)`, async (t) => {
    const dir = referencePath(t, `${DCMQI}/${columns}x38x3`, `dcmqi ${columns}x38x3 SEG`);
    if (!dir) return;
    const truth = await readImageFile(join(dir, "nrrd/label.nrrd"));
    const instance = load(join(dir, "seg/label.seg"));
    assert.equal(numberOf(instance.dataset, "Columns"), columns);
    assert.equal((columns * 38) % 8 !== 0, columns === 23);
    const seg = await readSegmentation(instance, truth);
    assertSameGrid(seg.grid, gridOf(truth), "decoded grid vs NRRD", 0);
    assert.equal(
      mismatches(seg.labelMap().volume.data, (i) => truth.data[i]!),
      0,
    );
    assert.equal(seg.segments[0]!.voxelCount, count(truth.data));
    // The slices in image/ give the NRRD's grid and the same decoding via ReferencedSOPInstanceUID.
    const { grid, slices } = gridFromSlices(readSlices(join(dir, "image")));
    assertSameGrid(grid, gridOf(truth), "CT grid vs NRRD");
    const byUid = await readSegmentation(instance, grid, { referenceInstances: slices });
    assert.equal(
      mismatches(byUid.labelMap().volume.data, (i) => truth.data[i]!),
      0,
    );
  });
}

for (const variant of ["noppv", "ppv5"]) {
  test(`dcmqi sparse-labelmap-${variant}.dcm (LABELMAP, 2 of 3 slices) decodes to its NRRD`, async (t) => {
    const dir = referencePath(t, DCMQI, "dcmqi SEG examples");
    if (!dir) return;
    const truth = await readImageFile(join(dir, `sparse_labelmap_${variant}_seg.nrrd`));
    const instance = load(join(dir, `sparse-labelmap-${variant}.dcm`));
    assert.equal(instance.sopClassUid, LABELMAP_SEGMENTATION_STORAGE);
    const seg = await readSegmentation(instance, truth);
    assert.equal(seg.segmentationType, "LABELMAP");
    assertSameGrid(seg.grid, gridOf(truth), "decoded grid vs NRRD", 0);
    const ppv = variant === "ppv5" ? 5 : undefined;
    assert.equal(seg.pixelPaddingValue, ppv);
    // Segment 0 "Background" is a regular segment here (Pixel Padding Value, when present, is 5).
    assert.deepEqual(
      seg.segments.map((s) => [s.number, s.label, s.voxelCount]),
      [
        [0, "Background", 2 * (24 * 38 - 315)],
        [1, "Liver", 2 * 315],
      ],
    );
    // dcmqi fills the slice that has no frame with the Pixel Padding Value; radscore leaves it 0.
    const expected = (i: number) => (truth.data[i] === ppv ? 0 : truth.data[i]!);
    if (ppv !== undefined)
      assert.equal(
        count(truth.data, (v) => v === ppv),
        24 * 38,
      );
    assert.equal(mismatches(seg.labelMap().volume.data, expected), 0);
    assert.equal(
      mismatches(seg.mask(1).data, (i) => (truth.data[i] === 1 ? 1 : 0)),
      0,
    );
    // Segment 0's mask: the zeros of the two encoded slices (0 and 2).
    const zero = seg.mask(0);
    const plane = 24 * 38;
    assert.equal(
      mismatches(zero.data, (i) => (Math.floor(i / plane) !== 1 && truth.data[i] === 0 ? 1 : 0)),
      0,
    );
  });
}

// ---------------------------------------------------------------------------------------------
// highdicom reference objects

async function highdicomSetup(t: { skip(message: string): void }) {
  const dir = referencePath(t, HIGHDICOM, "highdicom SEG examples");
  const ct2 = dir ? referencePath(t, CT2, "pydicom CT2 slices") : undefined;
  if (!dir || !ct2) return undefined;
  const all = readSlices(ct2);
  // CT2 holds 4 slices: 93 at z = -99.48 and 94..96 at z = 103.02, 104.27, 105.52 (1.25 mm apart).
  const regular = all.filter((s) => numbersOf(s.dataset, "ImagePositionPatient")![2]! > 0);
  assert.equal(regular.length, 3);
  return { dir, all, grid3: gridFromSlices(regular) };
}

test("highdicom binary, fractional-binary and true fractional SEGs on the CT2 slices", async (t) => {
  const setup = await highdicomSetup(t);
  if (!setup) return;
  const { dir, grid3 } = setup;
  assertClose(grid3.grid.spacing, [0.488281, 0.488281, 1.25], 1e-5, "CT2 spacing");
  const binary = await readSegmentation(load(join(dir, "seg_image_ct_binary.dcm")), grid3.grid);
  const fractionalBinary = await readSegmentation(
    load(join(dir, "seg_image_ct_binary_fractional.dcm")),
    grid3.grid,
  );
  assert.equal(fractionalBinary.segmentationType, "FRACTIONAL");
  assert.equal(fractionalBinary.maximumFractionalValue, 255);
  const a = binary.mask(1).data;
  assert.equal(count(a), 127 + 256 + 255);
  assert.equal(
    mismatches(fractionalBinary.mask(1).data, (i) => a[i]!),
    0,
  );
  assert.deepEqual(
    binary.segments.map((s) => [s.number, s.label, s.type?.meaning]),
    [[1, "first segment", "Bone"]],
  );

  // True fractional: stored values 0, 64 and 128 of 255. At the default threshold 0.5, 128
  // (0.502) is in and 64 (0.251) out, which is the binary mask; at 0.25 the 64s join; at 0.51
  // nothing is left.
  const trueInstance = load(join(dir, "seg_image_ct_true_fractional.dcm"));
  assert.equal(stringOf(trueInstance.dataset, "SegmentationFractionalType"), "PROBABILITY");
  const frames = await decodeFrames(trueInstance);
  const half = await readSegmentation(trueInstance, grid3.grid);
  assert.equal(half.threshold, 0.5);
  assert.equal(
    mismatches(half.mask(1).data, (i) => a[i]!),
    0,
  );
  const quarter = await readSegmentation(trueInstance, grid3.grid, { threshold: 0.25 });
  const strict = await readSegmentation(trueInstance, grid3.grid, { threshold: 0.51 });
  assert.equal(strict.segments[0]!.voxelCount, 0);
  assert.equal(quarter.segments[0]!.voxelCount, 127 + 22 + 256 + 255 + 1);
  // Frame f is slice f here (frames at 103.02, 104.27, 105.52); check every pixel by hand.
  const plane = 16 * 16;
  const q = quarter.mask(1).data;
  const h = half.mask(1).data;
  frames.forEach((frame, f) => {
    for (let i = 0; i < plane; i++) {
      const v = frame[i]!;
      assert.equal(
        h[f * plane + i],
        v / 255 >= 0.5 ? 1 : 0,
        `frame ${f + 1} pixel ${i} value ${v}`,
      );
      assert.equal(
        q[f * plane + i],
        v / 255 >= 0.25 ? 1 : 0,
        `frame ${f + 1} pixel ${i} value ${v}`,
      );
    }
  });
  await assert.rejects(readSegmentation(trueInstance, grid3.grid, { threshold: 0 }), RangeError);
});

test("highdicom overlap SEG: a frame outside the grid is an error; mapped by SOP instance it decodes", async (t) => {
  const setup = await highdicomSetup(t);
  if (!setup) return;
  const { dir, all, grid3 } = setup;
  const path = join(dir, "seg_image_ct_binary_overlap.dcm");
  // By position on the 3 regular slices: frame 1 lies on slice 93, 202.5 mm away.
  await assert.rejects(
    readSegmentation(load(path, "overlap.dcm"), grid3.grid),
    (e: unknown) =>
      e instanceof ImageReadError &&
      e.file === "overlap.dcm" &&
      /^frame 1 \(segment 1\): ImagePositionPatient .* is outside the reference grid/.test(
        e.reason,
      ),
  );
  // All four slices, k in sort order (the grid's slice spacing cannot describe the gap, so only
  // the SOP instance references place the frames).
  const { grid, slices } = gridFromSlices(all);
  assert.equal(slices.get("1.3.6.1.4.1.5962.1.1.0.0.0.1196530851.28319.0.93"), 0);
  const seg = await readSegmentation(load(path, "overlap.dcm"), grid, {
    referenceInstances: slices,
  });
  assert.deepEqual(
    seg.segments.map((s) => [s.number, s.voxelCount]),
    [
      [1, 4 * 16],
      [2, 4 * 4],
    ],
  );
  const m1 = seg.mask(1).data;
  const m2 = seg.mask(2).data;
  let both = 0;
  for (let i = 0; i < m1.length; i++) if (m1[i] && m2[i]) both++;
  const lm = seg.labelMap();
  assert.equal(lm.overlappingVoxels, both);
  assert.ok(lm.overlappingVoxels > 0);
  assert.equal(
    mismatches(lm.volume.data, (i) => (m2[i] ? 2 : m1[i] ? 1 : 0)),
    0,
  );
});

test("highdicom single-frame SEG (128 x 128) on ct_image.dcm", async (t) => {
  const dir = referencePath(t, HIGHDICOM, "highdicom SEG examples");
  if (!dir) return;
  const { grid } = gridFromSlices([load(join(dir, "ct_image.dcm"))]);
  const seg = await readSegmentation(load(join(dir, "seg_image_ct_binary_single_frame.dcm")), grid);
  assert.equal(seg.segments[0]!.voxelCount, 1832);
});

// ---------------------------------------------------------------------------------------------
// Writing

const STUDY = "1.2.826.0.1.3680043.8.498.1";
const SERIES = "1.2.826.0.1.3680043.8.498.2";
const FRAME_OF_REFERENCE = "1.2.826.0.1.3680043.8.498.3";
const CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

/** An oblique grid (rotated 30 degrees about z, then tilted) with its synthetic reference slices. */
function syntheticSeries(
  nx: number,
  ny: number,
  nz: number,
): { grid: Grid; references: SegmentationReference[] } {
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  const row: Vec3 = [c, s, 0];
  const col: Vec3 = [-s * 0.8, c * 0.8, 0.6];
  const normal = cross(row, col);
  const grid: Grid = {
    size: [nx, ny, nz],
    spacing: [0.75, 0.8, 2.5],
    origin: [-120.5, 30.25, 44],
    direction: [
      row[0],
      col[0],
      normal[0],
      row[1],
      col[1],
      normal[1],
      row[2],
      col[2],
      normal[2],
    ] as Mat3,
    dimension: 3,
  };
  const references = Array.from({ length: nz }, (_, k): SegmentationReference => {
    const uid = `1.2.826.0.1.3680043.8.498.10.${k + 1}`;
    const dataset: DicomDataset = {
      SOPClassUID: CT_IMAGE_STORAGE,
      SOPInstanceUID: uid,
      PatientName: { Alphabetic: "Doe^Jane" },
      PatientID: "RS-001",
      PatientBirthDate: "19700101",
      PatientSex: "F",
      PatientAge: "054Y",
      StudyInstanceUID: STUDY,
      StudyDate: "20240102",
      StudyTime: "101500",
      StudyID: "S1",
      AccessionNumber: "A1",
      ReferringPhysicianName: "",
      StudyDescription: "Synthetic study",
      SeriesInstanceUID: SERIES,
      Modality: "CT",
      FrameOfReferenceUID: FRAME_OF_REFERENCE,
      PositionReferenceIndicator: "",
      Rows: ny,
      Columns: nx,
      PixelSpacing: [0.8, 0.75],
      SliceThickness: 2.5,
      ImageOrientationPatient: [...row, ...col],
      ImagePositionPatient: indexToPhysical(grid, [0, 0, k]).map((x) => Number(formatDS(x))),
      InstanceNumber: k + 1,
    };
    return { dataset, sopClassUid: CT_IMAGE_STORAGE, sopInstanceUid: uid };
  });
  return { grid, references };
}

const FIXED: WriteSegmentationOptions = {
  instanceUids: {
    seriesInstanceUid: "1.2.826.0.1.3680043.8.498.20",
    sopInstanceUid: "1.2.826.0.1.3680043.8.498.21",
    dimensionOrganizationUid: "1.2.826.0.1.3680043.8.498.22",
  },
  now: new Date(2024, 0, 2, 13, 14, 15),
};

/** A Uint8 mask over the grid with a few blobs: label 1 on slices 1-2, label 2 on slice 2, label 5 on slice 3. */
function syntheticMask(grid: Grid): Volume<Uint8Array> {
  const [nx, ny, nz] = grid.size;
  const data = new Uint8Array(nx * ny * nz);
  const set = (x: number, y: number, z: number, v: number) => {
    data[x + nx * (y + ny * z)] = v;
  };
  for (let y = 1; y < ny - 1; y++)
    for (let x = 2; x < nx - 3; x++) if ((x + y) % 3 !== 0) set(x, y, 1, 1);
  for (let y = 0; y < 3; y++) for (let x = 0; x < nx; x++) set(x, y, 2, 1);
  for (let x = 3; x < nx; x += 2) set(x, ny - 1, 2, 2);
  set(nx - 1, ny - 1, 3, 5);
  set(0, 0, 3, 5);
  return { ...grid, size: [...grid.size], data };
}

test("formatDS writes at most 16 characters, as precisely as fits", () => {
  assert.equal(formatDS(0.5), "0.5");
  assert.equal(formatDS(-235.19999999999999), "-235.2");
  assert.equal(formatDS(0.1 + 0.2), "0.3");
  assert.equal(formatDS(-0), "0");
  assert.equal(formatDS(1 / 3), "0.33333333333333");
  assert.ok(formatDS(-1 / 3).length <= 16);
  assert.equal(formatDS(-123456.78901234567), "-123456.78901235");
  assert.ok(formatDS(1.5e-20).length <= 16);
});

test("extractBits reads frames that start inside a byte and clears the next frame's bits", () => {
  const src = new Uint8Array([0b1011_0110, 0b0101_1101, 0b1111_1111]);
  // bits 2..11 (10 bits, least significant first): byte 0 bits 2-7 = 1,0,1,1,0,1 then byte 1
  // bits 0-3 = 1,0,1,1; the rest of the last output byte (byte 1 bits 4-7) is cleared.
  assert.deepEqual([...extractBits(src, 2, 10)], [0b0110_1101, 0b11]);
  assert.deepEqual([...extractBits(src, 8, 5)], [0b1_1101]);
});

test("write then read: every label becomes a segment (labels 1, 2, 5 -> segments 1, 2, 3) on an oblique grid", async () => {
  const { grid, references } = syntheticSeries(16, 10, 5);
  const mask = syntheticMask(grid);
  const bytes = writeSegmentation(mask, { instances: references }, { ...FIXED, name: "Lesion" });
  const instance = parseDicom(bytes, "out.dcm");
  assert.ok(isSegmentation(instance));
  const seg = await readSegmentation(instance, grid);
  assert.deepEqual(
    seg.segments.map((s) => [s.number, s.label, s.voxelCount]),
    [
      [1, "Lesion 1", count(mask.data, (v) => v === 1)],
      [2, "Lesion 2", count(mask.data, (v) => v === 2)],
      [3, "Lesion 5", 2],
    ],
  );
  const renumber: Record<number, number> = { 0: 0, 1: 1, 2: 2, 5: 3 };
  const lm = seg.labelMap();
  assert.equal(lm.overlappingVoxels, 0);
  assert.equal(
    mismatches(lm.volume.data, (i) => renumber[mask.data[i]!]!),
    0,
  );
  // Frames only where a segment has voxels: label 1 on slices 1 and 2, label 2 on 2, label 5 on 3.
  assert.equal(numberOf(instance.dataset, "NumberOfFrames"), 4);
  // Mapped by SOP instance instead of position: the same.
  const slices = new Map(references.map((r, k) => [r.sopInstanceUid, k]));
  const byUid = await readSegmentation(instance, grid, { referenceInstances: slices });
  assert.equal(
    mismatches(byUid.labelMap().volume.data, (i) => lm.volume.data[i]!),
    0,
  );
  // Frames without a position: placed only through their source instance.
  const noPosition = parseDicom(bytes, "out.dcm");
  for (const item of sequenceOf(noPosition.dataset, "PerFrameFunctionalGroupsSequence")) {
    delete item.PlanePositionSequence;
  }
  const onlyUid = await readSegmentation(noPosition, grid, { referenceInstances: slices });
  assert.equal(
    mismatches(onlyUid.labelMap().volume.data, (i) => lm.volume.data[i]!),
    0,
  );
  await assert.rejects(
    readSegmentation(noPosition, grid),
    (e: unknown) =>
      e instanceof ImageReadError && e.reason === "frame 1 (segment 1): no ImagePositionPatient",
  );
  await assert.rejects(
    readSegmentation(noPosition, grid, { referenceInstances: new Map([["1.2.3", 0]]) }),
    (e: unknown) =>
      e instanceof ImageReadError &&
      e.reason ===
        "frame 1 (segment 1): no ImagePositionPatient and it derives from no instance of the reference series",
  );
  // Deterministic with fixed UIDs and time.
  assert.deepEqual(
    writeSegmentation(mask, { instances: references }, { ...FIXED, name: "Lesion" }),
    bytes,
  );
});

test("write with a label: one segment; 23 columns pack frames across byte boundaries", async () => {
  const { grid, references } = syntheticSeries(23, 7, 4);
  const mask = syntheticMask(grid);
  const bytes = writeSegmentation(
    mask,
    { instances: references },
    { ...FIXED, label: 1, name: "GTV" },
  );
  const instance = parseDicom(bytes, "gtv.dcm");
  const frames = numberOf(instance.dataset, "NumberOfFrames")!;
  assert.equal(frames, 2);
  // 2 frames x 161 bits = 322 bits -> 41 bytes, padded to 42; frame 2 starts at bit 161 (byte 20, bit 1).
  assert.equal(instance.pixelData![0]!.length, 42);
  const seg = await readSegmentation(instance, grid);
  assert.deepEqual(
    seg.segments.map((s) => [s.number, s.label]),
    [[1, "GTV"]],
  );
  assert.equal(
    mismatches(seg.mask(1).data, (i) => (mask.data[i] === 1 ? 1 : 0)),
    0,
  );
  // The generic decoder (pixels.ts) agrees with the packed reader frame by frame.
  const decoded = await decodeFrames(instance);
  const m = seg.mask(1).data;
  const plane = 23 * 7;
  decoded.forEach((frame, f) => {
    const k = f + 1;
    assert.equal(
      mismatches(frame, (i) => m[k * plane + i]!),
      0,
    );
  });
});

test("the written object carries the Segmentation IOD's modules", () => {
  const { grid, references } = syntheticSeries(12, 9, 4);
  const mask = syntheticMask(grid);
  const bytes = writeSegmentation(
    mask,
    { instances: references },
    {
      ...FIXED,
      label: 1,
      name: "Tumour",
      algorithmType: "SEMIAUTOMATIC",
      seriesDescription: "radscore mask",
      contentLabel: "tumour-1",
      contentCreatorName: "Reader^One",
    },
  );
  assert.equal(String.fromCharCode(...bytes.subarray(128, 132)), "DICM");
  const instance = parseDicom(bytes, "seg.dcm");
  const ds = instance.dataset;
  assert.equal(instance.transferSyntaxUid, "1.2.840.10008.1.2.1");
  assert.equal(instance.sopClassUid, SEGMENTATION_STORAGE);
  assert.equal(instance.sopInstanceUid, FIXED.instanceUids!.sopInstanceUid);
  // Patient / study copied, series new.
  assert.equal(stringOf(ds, "PatientName"), "Doe^Jane");
  assert.equal(stringOf(ds, "PatientID"), "RS-001");
  assert.equal(stringOf(ds, "PatientBirthDate"), "19700101");
  assert.equal(stringOf(ds, "PatientSex"), "F");
  assert.equal(stringOf(ds, "StudyInstanceUID"), STUDY);
  assert.equal(stringOf(ds, "StudyDate"), "20240102");
  assert.equal(stringOf(ds, "AccessionNumber"), "A1");
  assert.ok("ReferringPhysicianName" in ds);
  assert.equal(stringOf(ds, "SeriesInstanceUID"), FIXED.instanceUids!.seriesInstanceUid);
  assert.notEqual(stringOf(ds, "SeriesInstanceUID"), SERIES);
  assert.equal(stringOf(ds, "Modality"), "SEG");
  assert.equal(stringOf(ds, "SeriesDescription"), "radscore mask");
  assert.equal(numberOf(ds, "SeriesNumber"), 300);
  assert.equal(stringOf(ds, "SeriesDate"), "20240102");
  assert.equal(stringOf(ds, "ContentTime"), "131415");
  assert.equal(stringOf(ds, "FrameOfReferenceUID"), FRAME_OF_REFERENCE);
  assert.ok("PositionReferenceIndicator" in ds);
  // Equipment.
  assert.equal(stringOf(ds, "Manufacturer"), "radscore");
  assert.equal(stringOf(ds, "ManufacturerModelName"), "radscore");
  assert.ok(stringOf(ds, "SoftwareVersions"));
  assert.ok(stringOf(ds, "DeviceSerialNumber"));
  // Segmentation Image module.
  assert.deepEqual(ds.ImageType, ["DERIVED", "PRIMARY"]);
  assert.equal(stringOf(ds, "ContentLabel"), "TUMOUR_1");
  assert.ok("ContentDescription" in ds);
  assert.equal(stringOf(ds, "ContentCreatorName"), "Reader^One");
  assert.equal(numberOf(ds, "InstanceNumber"), 1);
  for (const [key, value] of [
    ["SamplesPerPixel", 1],
    ["BitsAllocated", 1],
    ["BitsStored", 1],
    ["HighBit", 0],
    ["PixelRepresentation", 0],
    ["Rows", 9],
    ["Columns", 12],
  ] as const) {
    assert.equal(numberOf(ds, key), value, key);
  }
  assert.equal(stringOf(ds, "PhotometricInterpretation"), "MONOCHROME2");
  assert.equal(stringOf(ds, "LossyImageCompression"), "00");
  assert.equal(stringOf(ds, "SegmentationType"), "BINARY");
  assert.equal(stringOf(ds, "SegmentsOverlap"), "NO");
  const [segment, ...more] = sequenceOf(ds, "SegmentSequence");
  assert.equal(more.length, 0);
  assert.equal(numberOf(segment!, "SegmentNumber"), 1);
  assert.equal(stringOf(segment!, "SegmentLabel"), "Tumour");
  assert.equal(stringOf(segment!, "SegmentAlgorithmType"), "SEMIAUTOMATIC");
  assert.equal(stringOf(segment!, "SegmentAlgorithmName"), "radscore");
  const category = sequenceOf(segment!, "SegmentedPropertyCategoryCodeSequence")[0]!;
  assert.deepEqual(
    [
      stringOf(category, "CodeValue"),
      stringOf(category, "CodingSchemeDesignator"),
      stringOf(category, "CodeMeaning"),
    ],
    ["49755003", "SCT", "Morphologically abnormal structure"],
  );
  const propertyType = sequenceOf(segment!, "SegmentedPropertyTypeCodeSequence")[0]!;
  assert.equal(stringOf(propertyType, "CodeValue"), "108369006");
  // Dimensions: segment number, then position.
  const organisation = stringOf(
    sequenceOf(ds, "DimensionOrganizationSequence")[0]!,
    "DimensionOrganizationUID",
  );
  assert.equal(organisation, FIXED.instanceUids!.dimensionOrganizationUid);
  assert.deepEqual(
    sequenceOf(ds, "DimensionIndexSequence").map((d) => [
      numberOf(d, "DimensionIndexPointer"),
      numberOf(d, "FunctionalGroupPointer"),
      stringOf(d, "DimensionOrganizationUID"),
    ]),
    [
      [0x0062000b, 0x0062000a, organisation],
      [0x00200032, 0x00209113, organisation],
    ],
  );
  // Shared groups.
  const shared = sequenceOf(ds, "SharedFunctionalGroupsSequence")[0]!;
  const measures = sequenceOf(shared, "PixelMeasuresSequence")[0]!;
  assert.deepEqual(numbersOf(measures, "PixelSpacing"), [0.8, 0.75]);
  assert.equal(numberOf(measures, "SliceThickness"), 2.5);
  assert.equal(numberOf(measures, "SpacingBetweenSlices"), 2.5);
  assertClose(
    numbersOf(sequenceOf(shared, "PlaneOrientationSequence")[0]!, "ImageOrientationPatient")!,
    numbersOf(references[0]!.dataset, "ImageOrientationPatient")!,
    1e-12,
    "orientation",
  );
  // Per-frame groups: label 1 lies on slices 1 and 2.
  const perFrame = sequenceOf(ds, "PerFrameFunctionalGroupsSequence");
  assert.equal(perFrame.length, numberOf(ds, "NumberOfFrames"));
  assert.equal(perFrame.length, 2);
  perFrame.forEach((item, f) => {
    const k = f + 1;
    assert.deepEqual(
      numbersOf(sequenceOf(item, "FrameContentSequence")[0]!, "DimensionIndexValues"),
      [1, k + 1],
    );
    assertClose(
      numbersOf(sequenceOf(item, "PlanePositionSequence")[0]!, "ImagePositionPatient")!,
      numbersOf(references[k]!.dataset, "ImagePositionPatient")!,
      1e-9,
      `frame ${f + 1} position`,
    );
    assert.equal(
      numberOf(sequenceOf(item, "SegmentIdentificationSequence")[0]!, "ReferencedSegmentNumber"),
      1,
    );
    const derivation = sequenceOf(item, "DerivationImageSequence")[0]!;
    const source = sequenceOf(derivation, "SourceImageSequence")[0]!;
    assert.equal(stringOf(source, "ReferencedSOPInstanceUID"), references[k]!.sopInstanceUid);
    assert.equal(stringOf(source, "ReferencedSOPClassUID"), CT_IMAGE_STORAGE);
    assert.equal(
      stringOf(sequenceOf(source, "PurposeOfReferenceCodeSequence")[0]!, "CodeValue"),
      "121322",
    );
    assert.equal(
      stringOf(sequenceOf(derivation, "DerivationCodeSequence")[0]!, "CodeValue"),
      "113076",
    );
  });
  // Common Instance Reference: every slice.
  const series = sequenceOf(ds, "ReferencedSeriesSequence");
  assert.equal(series.length, 1);
  assert.equal(stringOf(series[0]!, "SeriesInstanceUID"), SERIES);
  assert.deepEqual(
    sequenceOf(series[0]!, "ReferencedInstanceSequence").map((r) =>
      stringOf(r, "ReferencedSOPInstanceUID"),
    ),
    references.map((r) => r.sopInstanceUid),
  );
});

test("writing refuses a mask that is not on the reference grid, or has nothing to write", () => {
  const { grid, references } = syntheticSeries(8, 6, 3);
  const mask = syntheticMask(grid);
  const isWriteError = (pattern: RegExp) => (e: unknown) =>
    e instanceof ImageWriteError && e.file === "x.dcm" && pattern.test(e.reason);
  const opts = { ...FIXED, file: "x.dcm" };
  assert.throws(
    () => writeSegmentation(mask, { instances: references.slice(0, 2) }, opts),
    isWriteError(/3 slices .* 2 instances/),
  );
  assert.throws(
    () => writeSegmentation({ ...mask, spacing: [0.75, 0.8, 3] }, { instances: references }, opts),
    isWriteError(/reference slice 1 .*ImagePositionPatient/),
  );
  assert.throws(
    () =>
      writeSegmentation({ ...mask, origin: [-120, 30.25, 44] }, { instances: references }, opts),
    isWriteError(/reference slice 0 .*not \(0, 0, 0\)/),
  );
  assert.throws(
    () => writeSegmentation({ ...mask, spacing: [0.7, 0.8, 2.5] }, { instances: references }, opts),
    isWriteError(/PixelSpacing/),
  );
  const transposed = { ...mask, size: [6, 8, 3] as Vec3 };
  assert.throws(
    () => writeSegmentation(transposed, { instances: references }, opts),
    isWriteError(/pixels but the mask is 6 x 8/),
  );
  const empty = { ...mask, data: new Uint8Array(mask.data.length) };
  assert.throws(
    () => writeSegmentation(empty, { instances: references }, opts),
    isWriteError(/no nonzero voxel/),
  );
  assert.throws(
    () => writeSegmentation(mask, { instances: references }, { ...opts, label: 7 }),
    isWriteError(/no voxel with label 7/),
  );
  const float = { ...mask, data: Float32Array.from(mask.data, (v) => (v === 2 ? 0.5 : v)) };
  assert.throws(
    () => writeSegmentation(float, { instances: references }, opts),
    isWriteError(/0\.5 is not a label/),
  );
});

test("reading refuses frames that do not fit the grid, naming the SEG and the frame", async () => {
  const { grid, references } = syntheticSeries(8, 6, 4);
  const mask = syntheticMask(grid);
  const bytes = writeSegmentation(mask, { instances: references }, { ...FIXED, label: 1 });
  const fresh = () => parseDicom(bytes, "s.dcm");
  const isReadError = (pattern: RegExp) => (e: unknown) =>
    e instanceof ImageReadError && e.file === "s.dcm" && pattern.test(e.reason);
  // Half a slice off: between slices.
  const shifted: Grid = { ...grid, origin: indexToPhysical(grid, [0, 0, 0.5]) };
  await assert.rejects(
    readSegmentation(fresh(), shifted),
    isReadError(/^frame 1 \(segment 1\): .*between slices/),
  );
  // One slice short: the last frame (label 1 on slices 1 and 2; grid of 2 slices) is outside.
  const short: Grid = { ...grid, size: [8, 6, 2] };
  await assert.rejects(
    readSegmentation(fresh(), short),
    isReadError(/^frame 2 \(segment 1\): .*outside the reference grid/),
  );
  // Shifted in-plane by one column.
  const sideways: Grid = { ...grid, origin: indexToPhysical(grid, [1, 0, 0]) };
  await assert.rejects(
    readSegmentation(fresh(), sideways),
    isReadError(/in-plane index \(-1\.00, 0\.00\)/),
  );
  // Another orientation.
  const flipped: Grid = {
    ...grid,
    direction: grid.direction.map((v, i) => (i % 3 === 0 ? -v : v)) as Mat3,
  };
  await assert.rejects(readSegmentation(fresh(), flipped), isReadError(/orientation .* differs/));
  // Another matrix size.
  await assert.rejects(
    readSegmentation(fresh(), { ...grid, size: [6, 8, 4] }),
    isReadError(/8 x 6 .* grid is 6 x 8/),
  );
  // Another pixel spacing.
  await assert.rejects(
    readSegmentation(fresh(), { ...grid, spacing: [0.7, 0.8, 2.5] }),
    isReadError(/PixelSpacing/),
  );
  // Frame of reference check.
  await assert.rejects(
    readSegmentation(fresh(), grid, { frameOfReferenceUid: "1.2.3" }),
    isReadError(/FrameOfReferenceUID .* differs/),
  );
  // Truncated pixel data.
  const truncated = fresh();
  truncated.pixelData = [truncated.pixelData![0]!.subarray(0, 5)];
  await assert.rejects(readSegmentation(truncated, grid), isReadError(/truncated pixel data/));
  // A frame naming a segment the Segment Sequence lacks.
  const unknown = fresh();
  const item = sequenceOf(unknown.dataset, "PerFrameFunctionalGroupsSequence")[1]!;
  sequenceOf(item, "SegmentIdentificationSequence")[0]!.ReferencedSegmentNumber = 4;
  await assert.rejects(
    readSegmentation(unknown, grid),
    isReadError(/^frame 2: ReferencedSegmentNumber 4 is not in SegmentSequence/),
  );
  // Not a SEG at all.
  const ct: DicomInstance = { ...fresh(), sopClassUid: CT_IMAGE_STORAGE };
  await assert.rejects(readSegmentation(ct, grid), isReadError(/not a DICOM Segmentation/));
  // An unknown segment asked for.
  const seg = await readSegmentation(fresh(), grid);
  assert.throws(() => seg.mask(2), isReadError(/no segment 2 \(segments: 1\)/));
});

test("LABELMAP: 16-bit segment numbers, Pixel Padding Value as background, overlapping frames", async () => {
  // Two 4 x 3 frames on slices 0 and 2 of a 3-slice grid; values are segment numbers (300 needs
  // 16 bits), 9 is the Pixel Padding Value (background: no segment).
  const grid: Grid = {
    size: [4, 3, 3],
    spacing: [1, 1, 2],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    dimension: 3,
  };
  const frame0 = [9, 9, 1, 1, 9, 300, 300, 1, 9, 9, 9, 9];
  const frame2 = [1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 300, 9];
  const pixels = new Uint8Array(new Uint16Array([...frame0, ...frame2]).buffer);
  const segmentItem = (n: number, label: string) => ({
    SegmentNumber: n,
    SegmentLabel: label,
    SegmentAlgorithmType: "MANUAL",
  });
  const frameItem = (z: number) => ({
    PlanePositionSequence: [{ ImagePositionPatient: [0, 0, z] }],
  });
  const instance: DicomInstance = {
    file: "labelmap.dcm",
    transferSyntaxUid: "1.2.840.10008.1.2.1",
    sopClassUid: LABELMAP_SEGMENTATION_STORAGE,
    sopInstanceUid: "1.2.3.4",
    dataset: {
      SOPClassUID: LABELMAP_SEGMENTATION_STORAGE,
      SegmentationType: "LABELMAP",
      Rows: 3,
      Columns: 4,
      NumberOfFrames: 2,
      BitsAllocated: 16,
      BitsStored: 16,
      HighBit: 15,
      PixelRepresentation: 0,
      SamplesPerPixel: 1,
      PhotometricInterpretation: "MONOCHROME2",
      PixelPaddingValue: 9,
      SegmentSequence: [
        segmentItem(9, "Background"),
        segmentItem(1, "Kidney"),
        segmentItem(300, "Cyst"),
      ],
      SharedFunctionalGroupsSequence: [
        {
          PlaneOrientationSequence: [{ ImageOrientationPatient: [1, 0, 0, 0, 1, 0] }],
          PixelMeasuresSequence: [{ PixelSpacing: [1, 1], SliceThickness: 2 }],
        },
      ],
      PerFrameFunctionalGroupsSequence: [frameItem(0), frameItem(4)],
    },
    pixelData: [pixels],
    pixelDataVr: "OW",
  };
  const seg = await readSegmentation(instance, grid);
  assert.deepEqual(
    seg.segments.map((s) => [s.number, s.label, s.voxelCount]),
    [
      [1, "Kidney", 4],
      [300, "Cyst", 3],
    ],
  );
  const lm = seg.labelMap();
  assert.ok(lm.volume.data instanceof Uint16Array);
  const want = [
    ...frame0.map((v) => (v === 9 ? 0 : v)),
    ...new Array(12).fill(0),
    ...frame2.map((v) => (v === 9 ? 0 : v)),
  ];
  assert.deepEqual([...lm.volume.data], want);
  assert.ok(seg.labelMap([1]).volume.data instanceof Uint8Array);
  // A pixel value that is no segment is an error naming the frame.
  const bad = {
    ...instance,
    pixelData: [new Uint8Array(new Uint16Array([...frame0, 7, ...frame2.slice(1)]).buffer)],
  };
  await assert.rejects(
    readSegmentation(bad, grid),
    (e: unknown) =>
      e instanceof ImageReadError &&
      /^frame 2: pixel value 7 is not a SegmentNumber/.test(e.reason),
  );
});

test("dcmqi liver NRRD written over its CT slices reads back equal", async (t) => {
  const dir = referencePath(t, DCMQI, "dcmqi SEG examples");
  if (!dir) return;
  const truth = await readImageFile(join(dir, "liver_spine_seg.nrrd"));
  const { grid, slices, sorted } = gridFromSlices(readSlices(join(dir, "ct-3slice")));
  assertSameGrid(grid, gridOf(truth), "CT slice grid vs NRRD");
  const references = sorted.map((s) => ({
    dataset: s.dataset,
    sopClassUid: s.sopClassUid,
    sopInstanceUid: s.sopInstanceUid,
  }));
  const bytes = writeSegmentation(truth, { instances: references }, { ...FIXED, name: "Organ" });
  const instance = parseDicom(bytes, "liver_spine.dcm");
  assert.equal(stringOf(instance.dataset, "PatientID"), stringOf(sorted[0]!.dataset, "PatientID"));
  const seg = await readSegmentation(instance, grid, { referenceInstances: slices });
  assert.deepEqual(
    seg.segments.map((s) => s.label),
    ["Organ 1", "Organ 2"],
  );
  assert.equal(
    mismatches(seg.labelMap().volume.data, (i) => truth.data[i]!),
    0,
  );
  // Only frames with voxels: both segments on all 3 slices.
  assert.equal(numberOf(instance.dataset, "NumberOfFrames"), 6);
});

// ---------------------------------------------------------------------------------------------
// External validators, when installed (never installed by the tests).

function which(tool: string): string | undefined {
  try {
    return execFileSync("which", [tool], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** SEGs to validate: a synthetic one (3 segments, 23 columns) and, with the reference data, one over real CT slices. */
async function writtenSamples(): Promise<{ name: string; bytes: Uint8Array }[]> {
  const { grid, references } = syntheticSeries(23, 7, 4);
  const samples = [
    {
      name: "synthetic.dcm",
      bytes: writeSegmentation(
        syntheticMask(grid),
        { instances: references },
        {
          ...FIXED,
          name: "Lesion",
          algorithmType: "SEMIAUTOMATIC",
          contentCreatorName: "Reader^One",
        },
      ),
    },
  ];
  const ref = referenceDir();
  const dir = ref && join(ref, DCMQI);
  if (dir && existsSync(dir)) {
    const truth = await readImageFile(join(dir, "liver_spine_seg.nrrd"));
    const { sorted } = gridFromSlices(readSlices(join(dir, "ct-3slice")));
    const instances = sorted.map((s) => ({
      dataset: s.dataset,
      sopClassUid: s.sopClassUid,
      sopInstanceUid: s.sopInstanceUid,
    }));
    samples.push({
      name: "liver_spine.dcm",
      bytes: writeSegmentation(truth, { instances }, FIXED),
    });
  }
  return samples;
}

test("dciodvfy (dicom3tools) finds no error in written SEGs", async (t) => {
  const tool = which("dciodvfy");
  if (!tool) {
    t.skip("SKIPPED dciodvfy check: dciodvfy (Debian package dicom3tools) is not installed");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "radscore-seg-"));
  try {
    for (const { name, bytes } of await writtenSamples()) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      // dciodvfy reports on stderr; "Error - ..." lines are IOD violations, "Warning - ..." are not.
      const run: SpawnSyncReturns<string> = spawnSync(tool, ["-new", path], { encoding: "utf8" });
      const output: string = `${run.stdout}${run.stderr}`;
      assert.match(output, /^Segmentation$/m, `${name}: ${output}`);
      const errors = output.split("\n").filter((line) => /^Error/.test(line));
      assert.deepEqual(errors, [], `${name}: ${output}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("dcmdump (dcmtk) reads written SEGs without complaint", async (t) => {
  const tool = which("dcmdump");
  if (!tool) {
    t.skip("SKIPPED dcmdump check: dcmdump (dcmtk) is not installed");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "radscore-seg-"));
  try {
    for (const { name, bytes } of await writtenSamples()) {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      const run: SpawnSyncReturns<string> = spawnSync(tool, ["-dc", path], { encoding: "utf8" });
      assert.equal(run.status, 0, `${name}: ${run.stderr}`);
      assert.match(run.stdout, /SegmentationType/);
      assert.doesNotMatch(`${run.stdout}${run.stderr}`, /^(E|W): /m);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
