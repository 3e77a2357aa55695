/**
 * One record per 2D frame of an image instance, with the attributes that place it in a series:
 * geometry (Image Plane module, PS3.3 C.7.6.2), pixel value transformation (Modality LUT, C.11.1),
 * and the attributes that tell the volumes of a multi-volume series apart (temporal position,
 * trigger time, acquisition time, echo, diffusion). Classic images give one frame per file;
 * enhanced multi-frame images (Enhanced MR, Legacy Converted Enhanced, C.7.6.16 functional groups)
 * give one per frame, each frame's attributes being the shared functional groups overlaid by its
 * per-frame functional groups.
 */
import type { Vec3 } from "../../image/volume.js";
import { ImageReadError } from "../image-error.js";
import { csaNumbers } from "./csa.js";
import { siemensCsaImageHeader } from "./diffusion.js";
import {
  type DicomDataset,
  type DicomInstance,
  numberOf,
  numbersOf,
  sequenceOf,
  stringOf,
  stringsOf,
} from "./parse.js";

export interface DicomFrame {
  instance: DicomInstance;
  /** 0-based frame number inside the instance. */
  frameIndex: number;
  /**
   * The frame's attributes: the instance's own top-level attributes, overlaid by the first item of
   * every shared and then per-frame functional group (so enhanced and classic files read alike).
   */
  attributes: DicomDataset;
  rows: number;
  columns: number;
  /** ImagePositionPatient (LPS, mm) of the first transmitted pixel. */
  position: Vec3;
  /** Direction cosines of the row (along a row, i.e. increasing column) and of the column. */
  rowDirection: Vec3;
  columnDirection: Vec3;
  /** PixelSpacing as DICOM orders it: [spacing between rows (y), spacing between columns (x)]. */
  pixelSpacing: [number, number];
  rescaleSlope: number;
  rescaleIntercept: number;
  instanceNumber?: number;
  acquisitionNumber?: number;
  temporalPositionIdentifier?: number;
  /** Enhanced MR: FrameContentSequence's TemporalPositionIndex. */
  temporalPositionIndex?: number;
  triggerTime?: number;
  /** Seconds since midnight of AcquisitionTime, else ContentTime (FrameAcquisitionDateTime's time when enhanced). */
  acquisitionTime?: number;
  echoNumber?: number;
  echoTime?: number;
  stackId?: string;
  inStackPosition?: number;
  /**
   * Siemens mosaic: this frame is one tile of the instance's single stored image, whose top-left
   * pixel is at (row0, column0) of an image `storedColumns` wide.
   */
  tile?: { row0: number; column0: number; storedColumns: number };
}

/** Seconds since midnight of a DICOM TM (HHMMSS.FFFFFF, also HH:MM:SS) or the time part of a DT. */
export function parseDicomTime(value: string | undefined, isDateTime = false): number | undefined {
  if (!value) return undefined;
  let text = value.trim();
  if (isDateTime) {
    if (text.length < 9) return undefined;
    text = text.slice(8).replace(/[+-]\d{4}$/, "");
  }
  text = text.replace(/:/g, "");
  const m = /^(\d{2})(\d{2})?(\d{2})?(\.\d+)?$/.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0);
}

/** Merges the first item of every functional-group sequence of `group` into `into` (flattened). */
function overlayFunctionalGroup(into: DicomDataset, group: DicomDataset | undefined): void {
  if (!group) return;
  for (const [key, value] of Object.entries(group)) {
    const items = sequenceOf(group, key);
    const first = items[0];
    if (!first) continue;
    // Keep the sequence itself too (diffusion readers look for MRDiffusionSequence), then lift its
    // first item's attributes so that e.g. ImagePositionPatient reads the same as in classic files.
    into[key] = value;
    for (const [k, v] of Object.entries(first)) into[k] = v;
  }
}

function vec3(values: number[] | undefined, offset = 0): Vec3 | undefined {
  if (!values || values.length < offset + 3) return undefined;
  return [values[offset]!, values[offset + 1]!, values[offset + 2]!];
}

/**
 * The frames of an image instance. Throws an ImageReadError naming the file when a frame lacks
 * its position, orientation or pixel spacing (no volume can be placed in space without them).
 */
export function framesOf(instance: DicomInstance): DicomFrame[] {
  const ds = instance.dataset;
  const count = numberOf(ds, "NumberOfFrames") ?? 1;
  const shared = sequenceOf(ds, "SharedFunctionalGroupsSequence")[0];
  const perFrame = sequenceOf(ds, "PerFrameFunctionalGroupsSequence");
  if (perFrame.length > 0 && perFrame.length !== count) {
    throw new ImageReadError(
      instance.file,
      `PerFrameFunctionalGroupsSequence has ${perFrame.length} items but NumberOfFrames is ${count}`,
    );
  }
  const rows = numberOf(ds, "Rows");
  const columns = numberOf(ds, "Columns");
  if (!rows || !columns) throw new ImageReadError(instance.file, "missing Rows / Columns");
  if (count === 1 && !shared && perFrame.length === 0) {
    const mosaic = mosaicTiles(instance, rows, columns);
    if (mosaic) return mosaic;
  }
  const frames: DicomFrame[] = [];
  for (let f = 0; f < count; f++) {
    let attributes: DicomDataset = ds;
    if (shared || perFrame.length > 0) {
      attributes = { ...ds };
      overlayFunctionalGroup(attributes, shared);
      overlayFunctionalGroup(attributes, perFrame[f]);
    }
    frames.push(frameRecord(instance, f, attributes, rows, columns));
  }
  return frames;
}

function frameRecord(
  instance: DicomInstance,
  frameIndex: number,
  a: DicomDataset,
  rows: number,
  columns: number,
): DicomFrame {
  const where = frameIndex > 0 || numberOf(a, "NumberOfFrames") ? ` (frame ${frameIndex + 1})` : "";
  const position = vec3(numbersOf(a, "ImagePositionPatient"));
  const iop = numbersOf(a, "ImageOrientationPatient");
  const spacing = numbersOf(a, "PixelSpacing");
  if (!position) throw new ImageReadError(instance.file, `missing ImagePositionPatient${where}`);
  if (!iop || iop.length < 6) {
    throw new ImageReadError(instance.file, `missing ImageOrientationPatient${where}`);
  }
  if (!spacing || spacing.length < 2 || !(spacing[0]! > 0) || !(spacing[1]! > 0)) {
    throw new ImageReadError(instance.file, `missing or invalid PixelSpacing${where}`);
  }
  const slope = numberOf(a, "RescaleSlope") ?? 1;
  const frame: DicomFrame = {
    instance,
    frameIndex,
    attributes: a,
    rows,
    columns,
    position,
    rowDirection: normalise(vec3(iop, 0)!),
    columnDirection: normalise(vec3(iop, 3)!),
    pixelSpacing: [spacing[0]!, spacing[1]!],
    // A zero slope would erase the image: DICOM requires a non-zero slope, treat 0 as absent.
    rescaleSlope: slope === 0 ? 1 : slope,
    rescaleIntercept: numberOf(a, "RescaleIntercept") ?? 0,
  };
  const optional: [keyof DicomFrame, number | undefined][] = [
    ["instanceNumber", numberOf(a, "InstanceNumber")],
    ["acquisitionNumber", numberOf(a, "AcquisitionNumber")],
    ["temporalPositionIdentifier", numberOf(a, "TemporalPositionIdentifier")],
    ["temporalPositionIndex", numberOf(a, "TemporalPositionIndex")],
    ["triggerTime", numberOf(a, "TriggerTime")],
    ["echoNumber", numberOf(a, "EchoNumbers")],
    ["echoTime", numberOf(a, "EchoTime") ?? numberOf(a, "EffectiveEchoTime")],
    ["inStackPosition", numberOf(a, "InStackPositionNumber")],
    [
      "acquisitionTime",
      parseDicomTime(stringOf(a, "FrameAcquisitionDateTime"), true) ??
        parseDicomTime(stringOf(a, "AcquisitionTime")) ??
        parseDicomTime(stringOf(a, "ContentTime")),
    ],
  ];
  const record = frame as unknown as Record<string, unknown>;
  for (const [key, value] of optional) if (value !== undefined) record[key] = value;
  const stack = stringOf(a, "StackID");
  if (stack !== undefined) frame.stackId = stack;
  if (!Number.isFinite(frame.rowDirection[0]) || !Number.isFinite(frame.columnDirection[0])) {
    throw new ImageReadError(instance.file, `ImageOrientationPatient is degenerate${where}`);
  }
  return frame;
}

function normalise(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/**
 * The slices of a Siemens mosaic (ImageType MOSAIC, CSA NumberOfImagesInMosaic N > 1): N tiles laid
 * row by row on a ceil(sqrt(N)) x ceil(sqrt(N)) grid of one stored image. As nibabel and dcm2niix
 * read them: the stored ImagePositionPatient is that of a slice as large as the whole mosaic,
 * centred on the real one, so tile 0's first pixel is at
 *   IPP + r * sx * (C - c) / 2 + cd * sy * (R - rr) / 2
 * (r, cd: row and column directions; sx, sy: column and row spacing; C x R the stored size, c x rr
 * the tile size), and tile k lies k slice spacings further along the CSA SliceNormalVector (the
 * acquisition order; slices are sorted along row x column afterwards like any others). The slice
 * spacing is SpacingBetweenSlices, else SliceThickness. Undefined when the instance is no mosaic.
 */
function mosaicTiles(
  instance: DicomInstance,
  rows: number,
  columns: number,
): DicomFrame[] | undefined {
  const ds = instance.dataset;
  if (!stringsOf(ds, "ImageType").some((t) => t.toUpperCase() === "MOSAIC")) return undefined;
  const csa = siemensCsaImageHeader(ds);
  const n = csaNumbers(csa, "NumberOfImagesInMosaic")?.[0];
  if (n === undefined || !Number.isInteger(n) || n <= 1) return undefined;
  const grid = Math.ceil(Math.sqrt(n));
  if (rows % grid !== 0 || columns % grid !== 0) {
    throw new ImageReadError(
      instance.file,
      `Siemens mosaic of ${n} images: ${columns} x ${rows} pixels do not divide into a ${grid} x ${grid} grid`,
    );
  }
  const tileRows = rows / grid;
  const tileColumns = columns / grid;
  const base = frameRecord(instance, 0, ds, tileRows, tileColumns);
  const [sy, sx] = base.pixelSpacing;
  const r = base.rowDirection;
  const cd = base.columnDirection;
  const fx = (sx * (columns - tileColumns)) / 2;
  const fy = (sy * (rows - tileRows)) / 2;
  const p0: Vec3 = [
    base.position[0] + r[0] * fx + cd[0] * fy,
    base.position[1] + r[1] * fx + cd[1] * fy,
    base.position[2] + r[2] * fx + cd[2] * fy,
  ];
  const csaNormal = csaNumbers(csa, "SliceNormalVector");
  const normal: Vec3 =
    csaNormal && csaNormal.length >= 3
      ? normalise([csaNormal[0]!, csaNormal[1]!, csaNormal[2]!])
      : cross(r, cd);
  const spacing = numberOf(ds, "SpacingBetweenSlices") ?? numberOf(ds, "SliceThickness");
  if (spacing === undefined || !(spacing > 0)) {
    throw new ImageReadError(
      instance.file,
      "Siemens mosaic without SpacingBetweenSlices or SliceThickness: its slices cannot be placed",
    );
  }
  return Array.from({ length: n }, (_, k) => ({
    ...base,
    position: [
      p0[0] + k * spacing * normal[0],
      p0[1] + k * spacing * normal[1],
      p0[2] + k * spacing * normal[2],
    ] as Vec3,
    tile: {
      row0: Math.floor(k / grid) * tileRows,
      column0: (k % grid) * tileColumns,
      storedColumns: columns,
    },
  }));
}
