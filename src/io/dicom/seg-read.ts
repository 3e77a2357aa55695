/**
 * DICOM Segmentation (SEG) objects to masks on a reference grid.
 *
 * Reads the Segmentation IOD (PS3.3 A.51) in its three encodings:
 * - BINARY (Segmentation Storage 1.2.840.10008.5.1.4.1.1.66.4, BitsAllocated 1): one frame per
 *   segment and slice, frames bit-packed back to back without byte alignment (PS3.5 8.1.1);
 * - FRACTIONAL (same SOP class, BitsAllocated 8): each value is a probability or occupancy out of
 *   MaximumFractionalValue (C.8.20.2); a voxel belongs to the segment when
 *   value / MaximumFractionalValue >= `threshold` (default 0.5);
 * - LABELMAP (Label Map Segmentation Storage 1.2.840.10008.5.1.4.1.1.66.7, BitsAllocated 8 or 16):
 *   each pixel value is a segment number; the segment whose number equals Pixel Padding Value
 *   (0028,0120) is the background and is not reported.
 *
 * Every frame is placed on the caller's grid (a Volume's geometry, usually the referenced series)
 * through its functional groups (C.7.6.16): the per-frame item overrides the shared one. When the
 * caller maps reference SOP Instance UIDs to slices, the slice is that of the instance the frame's
 * Derivation Image Sequence > Source Image Sequence references (this also places frames of series
 * whose slices are not evenly spaced, where no regular grid holds every position); otherwise, or
 * when the frame references no mapped instance, Plane Position (Patient) ImagePositionPatient must
 * land on an integer slice of the grid within `tolerance` voxels. In-plane, a frame must match the
 * grid: Rows / Columns, Plane Orientation
 * (Patient) against the grid's first two direction columns, Pixel Measures against the grid
 * spacing, and a position whose in-plane index is 0. Anything else is an ImageReadError naming the
 * SEG file and the frame (1-based, as DICOM numbers frames).
 *
 * Masks are kept bit-packed per segment and slice (only slices the segment touches), so a SEG with
 * many segments over a large series costs about as much memory as its own BINARY pixel data.
 */
import {
  type Mat3,
  physicalToIndex,
  type Vec3,
  type Volume,
  voxelCount,
} from "../../image/volume.js";
import { ImageReadError } from "../image-error.js";
import {
  concatenateBytes,
  type DicomDataset,
  type DicomInstance,
  numberOf,
  numbersOf,
  sequenceOf,
  stringOf,
} from "./parse.js";
import { decodeFrames, pixelDataOf, pixelModuleOf } from "./pixels.js";

export const SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
export const LABELMAP_SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.7";

/** Little-endian transfer syntaxes whose 1-bit pixel data is read here bit by bit, unpacked. */
const LITTLE_ENDIAN_NATIVE = new Set([
  "1.2.840.10008.1.2",
  "1.2.840.10008.1.2.1",
  "1.2.840.10008.1.2.1.99",
]);

export type SegmentationType = "BINARY" | "FRACTIONAL" | "LABELMAP";

/** A code triplet (PS3.3 8.8 Code Sequence Macro). */
export interface CodedConcept {
  value: string;
  scheme: string;
  meaning: string;
}

/** One item of the Segment Sequence (C.8.20.2 Segment Description Macro) plus its voxel count. */
export interface SegmentInfo {
  number: number;
  label: string;
  description?: string;
  /** SegmentAlgorithmType: AUTOMATIC, SEMIAUTOMATIC or MANUAL. */
  algorithmType?: string;
  algorithmName?: string;
  /** SegmentedPropertyCategoryCodeSequence. */
  category?: CodedConcept;
  /** SegmentedPropertyTypeCodeSequence. */
  type?: CodedConcept;
  trackingId?: string;
  trackingUid?: string;
  /** Voxels of the grid in the segment (after thresholding a FRACTIONAL SEG). */
  voxelCount: number;
}

export interface ReadSegmentationOptions {
  /**
   * FRACTIONAL only: a voxel is in the segment when value / MaximumFractionalValue >= threshold.
   * In (0, 1]; default 0.5.
   */
  threshold?: number;
  /**
   * Reference SOP Instance UID -> 0-based slice index k of the grid, for single-frame reference
   * images only (leave out the UID of a multi-frame image: it names no single slice). A frame
   * whose Derivation Image Sequence references one of these instances goes to its slice, its
   * ImagePositionPatient checked in-plane only; other frames are placed by position. References
   * naming a frame (ReferencedFrameNumber) are not looked up.
   */
  referenceInstances?: ReadonlyMap<string, number>;
  /** Largest offset, in voxels, of a frame position from a grid voxel (default 0.1). */
  tolerance?: number;
  /** When given, the SEG's FrameOfReferenceUID must equal it. */
  frameOfReferenceUid?: string;
}

export interface SegmentationLabelMap {
  /**
   * Segment numbers as voxel values (0: no segment). Uint8 when every selected segment number is
   * at most 255, else Uint16.
   */
  volume: Volume<Uint8Array | Uint16Array>;
  /** The segments drawn, ascending. */
  segments: number[];
  /**
   * Voxels in two or more of the selected segments. Such a voxel takes the highest segment number
   * among them.
   */
  overlappingVoxels: number;
}

export interface Segmentation {
  file: string;
  segmentationType: SegmentationType;
  /** PROBABILITY or OCCUPANCY (FRACTIONAL only). */
  fractionalType?: string;
  maximumFractionalValue?: number;
  /** The threshold applied (FRACTIONAL only). */
  threshold?: number;
  frameOfReferenceUid?: string;
  /** SeriesInstanceUIDs of ReferencedSeriesSequence (the segmented series). */
  referencedSeriesUids: string[];
  /** LABELMAP: the Pixel Padding Value (background), if any. */
  pixelPaddingValue?: number;
  /** Segments in Segment Sequence order (the LABELMAP background segment left out). */
  segments: SegmentInfo[];
  /** The grid every mask is on (the caller's). */
  grid: Omit<Volume, "data">;
  /** One segment as a 0/1 mask on the grid. */
  mask(segmentNumber: number): Volume<Uint8Array>;
  /**
   * The segments (default: all) as one label map; overlapping voxels take the highest segment
   * number, and are counted.
   */
  labelMap(segmentNumbers?: readonly number[]): SegmentationLabelMap;
}

// ---------------------------------------------------------------------------------------------
// Bit-packed slices: bit i of a slice is pixel i (row-major, x fastest), least significant bit
// first, as DICOM packs 1-bit pixel data (PS3.5 8.1.1).

/** Bytes of a packed slice of `n` pixels. */
export function packedLength(n: number): number {
  return (n + 7) >>> 3;
}

/**
 * `n` bits of `src` starting at bit `start`, as a new packed array (bits past `n` in the last
 * byte cleared: in DICOM they belong to the next frame).
 */
export function extractBits(src: Uint8Array, start: number, n: number): Uint8Array {
  const out = new Uint8Array(packedLength(n));
  const byte = start >>> 3;
  const shift = start & 7;
  if (shift === 0) {
    out.set(src.subarray(byte, byte + out.length));
  } else {
    for (let b = 0; b < out.length; b++) {
      const lo = src[byte + b] ?? 0;
      const hi = src[byte + b + 1] ?? 0;
      out[b] = ((lo >>> shift) | (hi << (8 - shift))) & 0xff;
    }
  }
  const tail = n & 7;
  if (tail !== 0) out[out.length - 1]! &= (1 << tail) - 1;
  return out;
}

const POPCOUNT = (() => {
  const t = new Uint8Array(256);
  for (let i = 1; i < 256; i++) t[i] = (i & 1) + t[i >>> 1]!;
  return t;
})();

function countBits(bits: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < bits.length; i++) c += POPCOUNT[bits[i]!]!;
  return c;
}

function anyBit(bits: Uint8Array): boolean {
  for (let i = 0; i < bits.length; i++) if (bits[i] !== 0) return true;
  return false;
}

/** Packs a predicate over `n` values into bits. */
function packWhere(n: number, isSet: (i: number) => boolean): Uint8Array {
  const out = new Uint8Array(packedLength(n));
  for (let i = 0; i < n; i++) if (isSet(i)) out[i >>> 3]! |= 1 << (i & 7);
  return out;
}

// ---------------------------------------------------------------------------------------------

interface FrameGeometry {
  /** 0-based slice index on the grid. */
  k: number;
}

function codedConceptOf(ds: DicomDataset, key: string): CodedConcept | undefined {
  const item = sequenceOf(ds, key)[0];
  if (!item) return undefined;
  const value =
    stringOf(item, "CodeValue") ??
    stringOf(item, "LongCodeValue") ??
    stringOf(item, "URNCodeValue");
  const scheme = stringOf(item, "CodingSchemeDesignator") ?? "";
  const meaning = stringOf(item, "CodeMeaning") ?? "";
  return value === undefined ? undefined : { value, scheme, meaning };
}

function format(v: readonly number[]): string {
  return `(${v.map((x) => Number(x.toFixed(4))).join(", ")})`;
}

/** `x` with `digits` decimals, never "-0.00". */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return Number(s) === 0 ? (0).toFixed(digits) : s;
}

/** The first item of a functional group: the frame's own, else the shared one (C.7.6.16.1). */
function groupOf(
  perFrame: DicomDataset | undefined,
  shared: DicomDataset | undefined,
  key: string,
): DicomDataset | undefined {
  return (perFrame && sequenceOf(perFrame, key)[0]) ?? (shared && sequenceOf(shared, key)[0]);
}

/**
 * ReferencedSOPInstanceUIDs of a frame's Derivation Image Sequence > Source Image Sequence
 * (C.7.6.16.2.6), leaving out references to frames of multi-frame images.
 */
function sourceInstancesOf(
  perFrame: DicomDataset | undefined,
  shared: DicomDataset | undefined,
): string[] {
  const out: string[] = [];
  const derivations = [
    ...(perFrame ? sequenceOf(perFrame, "DerivationImageSequence") : []),
    ...(shared ? sequenceOf(shared, "DerivationImageSequence") : []),
  ];
  for (const derivation of derivations) {
    for (const source of sequenceOf(derivation, "SourceImageSequence")) {
      // A reference to one frame of a multi-frame image: its SOP instance names no single slice.
      if (numberOf(source, "ReferencedFrameNumber") !== undefined) continue;
      const uid = stringOf(source, "ReferencedSOPInstanceUID");
      if (uid) out.push(uid);
    }
  }
  return out;
}

/**
 * Decodes a SEG onto `grid`. Throws an ImageReadError naming the SEG file when it is not a
 * Segmentation, its frames do not fit the grid, or its pixel data is truncated or undecodable.
 */
export async function readSegmentation(
  seg: DicomInstance,
  grid: Omit<Volume, "data">,
  options: ReadSegmentationOptions = {},
): Promise<Segmentation> {
  const file = seg.file;
  const ds = seg.dataset;
  function fail(reason: string): never {
    throw new ImageReadError(file, reason);
  }

  const declaredType = stringOf(ds, "SegmentationType")?.toUpperCase();
  const isLabelmapClass = seg.sopClassUid === LABELMAP_SEGMENTATION_STORAGE;
  if (seg.sopClassUid !== SEGMENTATION_STORAGE && !isLabelmapClass) {
    fail(`not a DICOM Segmentation (SOP class ${seg.sopClassUid || "missing"})`);
  }
  const type: SegmentationType = isLabelmapClass
    ? "LABELMAP"
    : declaredType === "FRACTIONAL"
      ? "FRACTIONAL"
      : declaredType === "BINARY"
        ? "BINARY"
        : fail(
            `unsupported SegmentationType ${declaredType ?? "(missing)"} (expected BINARY or FRACTIONAL)`,
          );

  const tolerance = options.tolerance ?? 0.1;
  if (!(tolerance > 0 && tolerance < 0.5))
    throw new RangeError(`tolerance must be in (0, 0.5) voxels, got ${tolerance}`);
  const threshold = options.threshold ?? 0.5;
  if (type === "FRACTIONAL" && !(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  }

  const frameOfReferenceUid = stringOf(ds, "FrameOfReferenceUID");
  if (
    options.frameOfReferenceUid !== undefined &&
    frameOfReferenceUid !== options.frameOfReferenceUid
  ) {
    fail(
      `FrameOfReferenceUID ${frameOfReferenceUid ?? "(missing)"} differs from the reference series' ${options.frameOfReferenceUid}`,
    );
  }

  const pm = pixelModuleOf(seg);
  const [nx, ny, nz] = grid.size;
  if (pm.columns !== nx || pm.rows !== ny) {
    fail(
      `frames are ${pm.columns} x ${pm.rows} (columns x rows) but the reference grid is ${nx} x ${ny}`,
    );
  }
  if (pm.samplesPerPixel !== 1) fail(`SamplesPerPixel ${pm.samplesPerPixel} (a SEG has 1)`);
  if (type === "FRACTIONAL" && pm.bitsAllocated !== 8 && pm.bitsAllocated !== 16) {
    fail(`FRACTIONAL segmentation with BitsAllocated ${pm.bitsAllocated} (expected 8)`);
  }
  if (type === "LABELMAP" && pm.bitsAllocated !== 8 && pm.bitsAllocated !== 16) {
    fail(`LABELMAP segmentation with BitsAllocated ${pm.bitsAllocated} (expected 8 or 16)`);
  }

  // Segment Sequence (C.8.20.2).
  const segmentItems = sequenceOf(ds, "SegmentSequence");
  if (segmentItems.length === 0) fail("no SegmentSequence");
  const pixelPaddingValue = type === "LABELMAP" ? numberOf(ds, "PixelPaddingValue") : undefined;
  const declared = new Map<number, Omit<SegmentInfo, "voxelCount">>();
  for (const item of segmentItems) {
    const number = numberOf(item, "SegmentNumber");
    if (number === undefined || !Number.isInteger(number) || number < 0) {
      fail("a SegmentSequence item has no valid SegmentNumber");
    }
    const n = number;
    if (declared.has(n)) fail(`SegmentNumber ${n} appears twice in SegmentSequence`);
    const info: Omit<SegmentInfo, "voxelCount"> = {
      number: n,
      label: stringOf(item, "SegmentLabel") ?? `Segment ${n}`,
    };
    const description = stringOf(item, "SegmentDescription");
    if (description !== undefined) info.description = description;
    const algorithmType = stringOf(item, "SegmentAlgorithmType");
    if (algorithmType !== undefined) info.algorithmType = algorithmType;
    const algorithmName = stringOf(item, "SegmentAlgorithmName");
    if (algorithmName !== undefined) info.algorithmName = algorithmName;
    const category = codedConceptOf(item, "SegmentedPropertyCategoryCodeSequence");
    if (category) info.category = category;
    const propertyType = codedConceptOf(item, "SegmentedPropertyTypeCodeSequence");
    if (propertyType) info.type = propertyType;
    const trackingId = stringOf(item, "TrackingID");
    if (trackingId !== undefined) info.trackingId = trackingId;
    const trackingUid = stringOf(item, "TrackingUID");
    if (trackingUid !== undefined) info.trackingUid = trackingUid;
    declared.set(n, info);
  }
  if (type !== "LABELMAP" && declared.has(0))
    fail("SegmentNumber 0 in a BINARY / FRACTIONAL segmentation (numbers start at 1)");

  let maximumFractionalValue: number | undefined;
  if (type === "FRACTIONAL") {
    maximumFractionalValue = numberOf(ds, "MaximumFractionalValue");
    if (maximumFractionalValue === undefined || !(maximumFractionalValue > 0)) {
      fail("FRACTIONAL segmentation without a positive MaximumFractionalValue");
    }
  }

  // Functional groups.
  const shared = sequenceOf(ds, "SharedFunctionalGroupsSequence")[0];
  const perFrameItems = sequenceOf(ds, "PerFrameFunctionalGroupsSequence");
  const frames = pm.numberOfFrames;
  if (perFrameItems.length < frames && frames > 1) {
    fail(`PerFrameFunctionalGroupsSequence has ${perFrameItems.length} items for ${frames} frames`);
  }

  const rowDir: Vec3 = [grid.direction[0], grid.direction[3], grid.direction[6]];
  const colDir: Vec3 = [grid.direction[1], grid.direction[4], grid.direction[7]];
  const cosineTolerance = Math.max(1e-4, tolerance / Math.max(nx, ny));
  const references = options.referenceInstances;

  const describeFrame = (f: number, segment?: number) =>
    segment === undefined ? `frame ${f + 1}` : `frame ${f + 1} (segment ${segment})`;

  const placeFrame = (f: number, segment?: number): FrameGeometry => {
    const own = perFrameItems[f];
    const what = describeFrame(f, segment);
    const orientation = groupOf(own, shared, "PlaneOrientationSequence");
    const iop = orientation ? numbersOf(orientation, "ImageOrientationPatient") : undefined;
    if (iop) {
      if (iop.length !== 6) fail(`${what}: ImageOrientationPatient has ${iop.length} values`);
      const dr = Math.max(...[0, 1, 2].map((a) => Math.abs(iop[a]! - rowDir[a]!)));
      const dc = Math.max(...[0, 1, 2].map((a) => Math.abs(iop[3 + a]! - colDir[a]!)));
      if (dr > cosineTolerance || dc > cosineTolerance) {
        fail(
          `${what}: orientation ${format(iop)} differs from the reference grid's row / column directions ${format([...rowDir, ...colDir])}`,
        );
      }
    }
    const measures = groupOf(own, shared, "PixelMeasuresSequence");
    const pixelSpacing = measures ? numbersOf(measures, "PixelSpacing") : undefined;
    if (pixelSpacing && pixelSpacing.length === 2) {
      // PixelSpacing is [between rows (y), between columns (x)]; compare the drift it causes across
      // the frame with the position tolerance.
      const driftX = (Math.abs(pixelSpacing[1]! - grid.spacing[0]) * nx) / grid.spacing[0];
      const driftY = (Math.abs(pixelSpacing[0]! - grid.spacing[1]) * ny) / grid.spacing[1];
      if (driftX > tolerance || driftY > tolerance) {
        fail(
          `${what}: PixelSpacing ${format(pixelSpacing)} (rows, columns) differs from the reference grid's ${format([grid.spacing[1], grid.spacing[0]])}`,
        );
      }
    }
    const position = groupOf(own, shared, "PlanePositionSequence");
    const ipp = position ? numbersOf(position, "ImagePositionPatient") : undefined;
    const index = ipp?.length === 3 ? physicalToIndex(grid, ipp as Vec3) : undefined;
    if (ipp && index && (Math.abs(index[0]) > tolerance || Math.abs(index[1]) > tolerance)) {
      fail(
        `${what}: ImagePositionPatient ${format(ipp)} is at in-plane index (${fixed(index[0], 2)}, ${fixed(index[1], 2)}) of the reference grid, not at its first pixel`,
      );
    }
    // By source instance first, when the caller mapped the reference instances to slices: the
    // caller built the grid from them, and a series whose slices are not evenly spaced has no grid
    // on which every position lands.
    let unmapped = "";
    if (references) {
      const slices = new Set<number>();
      for (const uid of sourceInstancesOf(own, shared)) {
        const k = references.get(uid);
        if (k !== undefined) slices.add(k);
      }
      if (slices.size === 1) {
        const k = [...slices][0]!;
        if (!(Number.isInteger(k) && k >= 0 && k < nz))
          fail(`${what}: reference slice ${k} is outside the ${nz}-slice grid`);
        return { k };
      }
      unmapped =
        slices.size > 1
          ? " and it derives from several reference slices"
          : " and it derives from no instance of the reference series";
    }
    // By position: the slice the position lands on.
    if (!ipp || !index) return fail(`${what}: no ImagePositionPatient${unmapped}`);
    const kf = index[2];
    const k = Math.round(kf);
    if (Math.abs(kf - k) > tolerance) {
      fail(
        `${what}: ImagePositionPatient ${format(ipp)} lies between slices of the reference grid (slice index ${fixed(kf, 3)})${unmapped}`,
      );
    }
    if (k < 0 || k >= nz) {
      fail(
        `${what}: ImagePositionPatient ${format(ipp)} is outside the reference grid (slice index ${fixed(kf, 2)}, grid has ${nz} slices)${unmapped}`,
      );
    }
    return { k };
  };

  // Segment of each frame (BINARY / FRACTIONAL: Segment Identification, C.8.20.3.1).
  const segmentOfFrame = (f: number): number => {
    const id = groupOf(perFrameItems[f], shared, "SegmentIdentificationSequence");
    const n = id ? numberOf(id, "ReferencedSegmentNumber") : undefined;
    if (n === undefined)
      fail(`frame ${f + 1}: no SegmentIdentificationSequence > ReferencedSegmentNumber`);
    if (!declared.has(n))
      fail(`frame ${f + 1}: ReferencedSegmentNumber ${n} is not in SegmentSequence`);
    return n!;
  };

  const n = nx * ny;
  const store = new Map<number, Map<number, Uint8Array>>();
  for (const number of declared.keys()) store.set(number, new Map());
  const add = (segment: number, k: number, bits: Uint8Array) => {
    if (!anyBit(bits)) return;
    const slices = store.get(segment)!;
    const have = slices.get(k);
    if (!have) slices.set(k, bits);
    else for (let i = 0; i < have.length; i++) have[i]! |= bits[i]!;
  };

  if (
    type === "BINARY" &&
    pm.bitsAllocated === 1 &&
    LITTLE_ENDIAN_NATIVE.has(seg.transferSyntaxUid)
  ) {
    // Read the packed frames in place: unpacking every frame to bytes first would cost eight times
    // the SEG's pixel data.
    const parts = (await pixelDataOf(seg)).pixelData;
    if (parts.length === 0) fail("the file has no pixel data");
    const bytes = parts.length === 1 ? parts[0]! : concatenateBytes(parts);
    const needed = packedLength(frames * n);
    if (bytes.length < needed) {
      fail(
        `truncated pixel data: ${frames} frames of ${pm.rows} x ${pm.columns} 1-bit pixels need ${needed} bytes but only ${bytes.length} are present`,
      );
    }
    for (let f = 0; f < frames; f++) {
      const segment = segmentOfFrame(f);
      const { k } = placeFrame(f, segment);
      add(segment, k, extractBits(bytes, f * n, n));
    }
  } else {
    const decoded = await decodeFrames(seg);
    for (let f = 0; f < frames; f++) {
      const values = decoded[f]!;
      if (type === "LABELMAP") {
        const { k } = placeFrame(f);
        const perSegment = new Map<number, Uint8Array>();
        for (let i = 0; i < n; i++) {
          const v = values[i]!;
          if (v === pixelPaddingValue) continue;
          let bits = perSegment.get(v);
          if (!bits) {
            if (!declared.has(v))
              fail(`frame ${f + 1}: pixel value ${v} is not a SegmentNumber of SegmentSequence`);
            bits = new Uint8Array(packedLength(n));
            perSegment.set(v, bits);
          }
          bits[i >>> 3]! |= 1 << (i & 7);
        }
        for (const [segment, bits] of perSegment) add(segment, k, bits);
      } else {
        const segment = segmentOfFrame(f);
        const { k } = placeFrame(f, segment);
        if (type === "FRACTIONAL") {
          const max = maximumFractionalValue!;
          add(
            segment,
            k,
            packWhere(n, (i) => values[i]! / max >= threshold),
          );
        } else {
          add(
            segment,
            k,
            packWhere(n, (i) => values[i] !== 0),
          );
        }
      }
    }
  }

  if (pixelPaddingValue !== undefined) store.delete(pixelPaddingValue);
  const segments: SegmentInfo[] = [];
  for (const [number, info] of declared) {
    const slices = store.get(number);
    if (!slices) continue;
    let count = 0;
    for (const bits of slices.values()) count += countBits(bits);
    segments.push({ ...info, voxelCount: count });
  }

  const gridCopy: Omit<Volume, "data"> = {
    size: [...grid.size],
    spacing: [...grid.spacing],
    origin: [...grid.origin],
    direction: [...grid.direction] as Mat3,
    dimension: grid.dimension,
  };
  const volumeOf = <T extends Uint8Array | Uint16Array>(data: T): Volume<T> => ({
    data,
    size: [...gridCopy.size],
    spacing: [...gridCopy.spacing],
    origin: [...gridCopy.origin],
    direction: [...gridCopy.direction] as Mat3,
    dimension: gridCopy.dimension,
  });
  const slicesOf = (segment: number): Map<number, Uint8Array> => {
    const slices = store.get(segment);
    if (!slices) {
      const known = segments.map((s) => s.number).join(", ");
      throw new ImageReadError(file, `no segment ${segment} (segments: ${known || "none"})`);
    }
    return slices;
  };

  const result: Segmentation = {
    file,
    segmentationType: type,
    referencedSeriesUids: sequenceOf(ds, "ReferencedSeriesSequence")
      .map((item) => stringOf(item, "SeriesInstanceUID"))
      .filter((uid): uid is string => uid !== undefined),
    segments,
    grid: gridCopy,
    mask(segment: number): Volume<Uint8Array> {
      const slices = slicesOf(segment);
      const data = new Uint8Array(voxelCount(gridCopy.size));
      for (const [k, bits] of slices) {
        const base = k * n;
        for (let i = 0; i < n; i++) if ((bits[i >>> 3]! >>> (i & 7)) & 1) data[base + i] = 1;
      }
      return volumeOf(data);
    },
    labelMap(selection?: readonly number[]): SegmentationLabelMap {
      const chosen = [...new Set(selection ?? segments.map((s) => s.number))].sort((a, b) => a - b);
      for (const s of chosen) slicesOf(s);
      const max = chosen.length > 0 ? chosen[chosen.length - 1]! : 0;
      const total = voxelCount(gridCopy.size);
      const data = max > 255 ? new Uint16Array(total) : new Uint8Array(total);
      // Whether a voxel has been counted as overlapping already (voxels in three segments count once).
      const counted = new Uint8Array(total);
      let overlapping = 0;
      for (const segment of chosen) {
        // Segment 0 (a LABELMAP's non-background "Background" segment) is indistinguishable from
        // "no segment" in a label map; it is drawn as nothing.
        if (segment === 0) continue;
        for (const [k, bits] of store.get(segment)!) {
          const base = k * n;
          for (let i = 0; i < n; i++) {
            if (!((bits[i >>> 3]! >>> (i & 7)) & 1)) continue;
            const v = base + i;
            if (data[v] !== 0 && counted[v] === 0) {
              counted[v] = 1;
              overlapping++;
            }
            // Ascending order: the highest segment number is written last and wins.
            data[v] = segment;
          }
        }
      }
      return { volume: volumeOf(data), segments: chosen, overlappingVoxels: overlapping };
    },
  };
  if (type === "FRACTIONAL") {
    result.fractionalType = stringOf(ds, "SegmentationFractionalType");
    result.maximumFractionalValue = maximumFractionalValue;
    result.threshold = threshold;
  }
  if (frameOfReferenceUid !== undefined) result.frameOfReferenceUid = frameOfReferenceUid;
  if (pixelPaddingValue !== undefined) result.pixelPaddingValue = pixelPaddingValue;
  return result;
}

/** Whether an instance is a DICOM Segmentation (binary / fractional or label map). */
export function isSegmentation(instance: Pick<DicomInstance, "sopClassUid">): boolean {
  return (
    instance.sopClassUid === SEGMENTATION_STORAGE ||
    instance.sopClassUid === LABELMAP_SEGMENTATION_STORAGE
  );
}
