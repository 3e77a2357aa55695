/**
 * Writes one or more volumes as a classic MR Image Storage series (PS3.3 A.4): one Explicit VR
 * Little Endian Part 10 file per slice, laid out the way a Philips or a Siemens scanner exports
 * classic (non-enhanced) MR images, so that radscore's DICOM reader can be tested on (and its demo
 * can ship) data that is faithful to what clinics send.
 *
 * Several volumes with the same geometry (DCE phases, DWI b-values) go into one series. How the
 * volumes are told apart is vendor-specific, as in real exports:
 *  - philips: TemporalPositionIdentifier (1-based), NumberOfTemporalPositions and TriggerTime (ms)
 *    per dynamic; AcquisitionNumber and AcquisitionTime / ContentTime are the same for every image
 *    (Philips classic DCE keeps the scan start there, so readers must not split on them); private
 *    (2005,10A0) dynamic scan begin time; b-values in the public DiffusionBValue (0018,9087).
 *  - siemens: no TemporalPositionIdentifier or TriggerTime; AcquisitionNumber (1-based) and
 *    AcquisitionTime / ContentTime differ per volume; b-values only in the SequenceName
 *    ("*ep_b1000t") and in whatever private elements the caller supplies (no public b-value).
 *  - generic: the standard attributes only: TemporalPositionIdentifier, NumberOfTemporalPositions,
 *    AcquisitionNumber and AcquisitionTime per volume, DiffusionBValue.
 *
 * Pixel values are written as stored values with RescaleSlope 1 / RescaleIntercept 0, so Int16 and
 * Uint16 data round-trip exactly; floating-point data is refused (a scanner's classic MR image
 * stores integers, and a silent rescale would change the values radiomics features are computed
 * on). Pure: no Node-only API.
 */
import dcmjs from "dcmjs";
import type { Volume, VoxelArray } from "../../image/volume.js";
import { voxelCount, voxelTypeOf } from "../../image/volume.js";
import { VERSION } from "../../version.js";
import { HOST_LITTLE_ENDIAN, ImageWriteError, swapBytesInPlace } from "../image-error.js";
import {
  formatDateTime,
  formatDecimalString,
  formatIntegerString,
  nowDateTime,
  parseDateTime,
} from "./dicom-text.js";
import { encodePart10, type RawElement } from "./encode.js";
import { type ElementDict, el, PROTECTED, TAGS } from "./mr-tags.js";
import {
  DEFAULT_ACQUISITION,
  FLAVOURS,
  PATIENT_POSITIONS,
  siemensSequenceName,
} from "./mr-vendors.js";
import { isValidUid, makeUid } from "./uids.js";

// Parts of the writer that live in their own modules, re-exported for callers and tests.
export { formatDecimalString } from "./dicom-text.js";
export { WRITTEN_TAGS } from "./mr-tags.js";
export { makeUid } from "./uids.js";

export type MrVendor = "philips" | "siemens" | "generic";
export type MrVolumeKind = "phase" | "bvalue" | "none";
export type UidPurpose = "study" | "series" | "frameOfReference" | "instance";

/** One raw element (explicit VR and the list of values), the shape dcmjs' DicomDict.dict holds. */
export type RawDicomElement = RawElement;

/** Sequence parameters of the MR Image module (PS3.3 C.8.3.1); defaults depend on volumeKind. */
export interface MrAcquisition {
  /** (0018,0020), e.g. ["GR"], ["SE", "EP"]. */
  scanningSequence: string[];
  /** (0018,0021), e.g. ["SP"], ["SK", "SS"]. */
  sequenceVariant: string[];
  /** (0018,0022), e.g. ["FS"]; may be empty (type 2). */
  scanOptions: string[];
  mrAcquisitionType: "2D" | "3D";
  /** (0018,0024); Siemens-style names are made up when absent, Philips leaves it out. */
  sequenceName?: string;
  /** ms */
  repetitionTime: number;
  /** ms */
  echoTime: number;
  /** ms; written only when set (type 2C: required when scanningSequence has IR). */
  inversionTime?: number;
  flipAngle: number;
  echoTrainLength: number;
  numberOfAverages: number;
  /** Hz per pixel. */
  pixelBandwidth: number;
  inPlanePhaseEncodingDirection: "ROW" | "COL";
  /** (0008,0008); default per vendor and volumeKind. */
  imageType?: string[];
}

export interface MrEquipment {
  manufacturer?: string;
  manufacturerModelName?: string;
  /** Tesla. */
  magneticFieldStrength?: number;
  softwareVersions?: string[];
  institutionName?: string;
  stationName?: string;
}

export interface WriteMrSeriesOptions {
  vendor: MrVendor;
  patient: {
    id: string;
    /** DICOM person name, "Family^Given". */
    name?: string;
    /** YYYYMMDD */
    birthDate?: string;
    sex?: "M" | "F" | "O";
  };
  study: {
    instanceUid?: string;
    /** YYYYMMDD; default today, or 20240101 when uidSeed is set (deterministic output). */
    date?: string;
    /** HHMMSS[.ffffff]; default now, or 090000 when uidSeed is set. */
    time?: string;
    description?: string;
    /** StudyID (SH, at most 16 characters). */
    id?: string;
    accessionNumber?: string;
  };
  series: {
    number: number;
    description: string;
    instanceUid?: string;
    frameOfReferenceUid?: string;
    /** Series start, YYYYMMDD; default the study date. */
    date?: string;
    /** Series start, HHMMSS[.ffffff]; default the study time. */
    time?: string;
  };
  /** What the volumes are; required when there is more than one volume. Default "none". */
  volumeKind?: MrVolumeKind;
  /**
   * Start of each volume in seconds after the series start. Default: 60 s apart for phases, 30 s
   * apart for b-values, 0 for a single volume.
   */
  phaseTimes?: number[];
  /**
   * b-value (s/mm^2) of each volume, for the public DiffusionBValue and Siemens' SequenceName
   * ("*ep_b800t"). "bvalue" volumes need bValues or perVolumeElements (or both).
   */
  bValues?: number[];
  /**
   * Whether to write the public DiffusionBValue (0018,9087) (and DiffusionDirectionality) for
   * "bvalue" volumes. Default: philips and generic yes, siemens no (Siemens classic files keep the
   * b-value in private elements only). Written only with bValues (true without them is an error).
   * Elements of the same tags in perVolumeElements replace these.
   */
  publicDiffusionBValue?: boolean;
  /**
   * Raw elements (8-hex-digit tag, or a dcmjs keyword, to {vr, Value}) merged into every slice of
   * volume `volumeIndex`, e.g. the private diffusion elements with their private creators. They
   * override the writer's own elements, except those that define the image, its geometry and its
   * identity (UIDs, pixel module, position, orientation, spacing, instance number, rescale) and the
   * writer's own private creators, which are errors to override.
   */
  perVolumeElements?: (volumeIndex: number) => Record<string, RawDicomElement>;
  /** Overrides of the sequence parameters written in the MR Image module. */
  acquisition?: Partial<MrAcquisition>;
  /** Overrides of the General Equipment module's vendor defaults. */
  equipment?: MrEquipment;
  /** PatientPosition (0018,5100); default "HFS". */
  patientPosition?: string;
  /**
   * Laterality (0020,0060) of the series: "L" or "R"; default empty (unknown or both sides, e.g. a
   * bilateral breast MRI). Type 2C (PS3.3 C.7.3.1), always written because validators such as
   * dciodvfy cannot tell whether the body part is paired.
   */
  laterality?: "L" | "R";
  /** BodyPartExamined (0018,0015), e.g. "BREAST"; not written when absent. */
  bodyPartExamined?: string;
  /** SliceThickness in mm; default the slice spacing. */
  sliceThickness?: number;
  /**
   * BitsStored (9..16, default 16); HighBit = BitsStored - 1. Voxel values must fit in that many
   * bits (e.g. 12: 0..4095 unsigned, as many scanners write).
   */
  bitsStored?: number;
  /**
   * "volume-major" (default): instance numbers run through every slice of volume 1, then volume 2;
   * "slice-major": through every volume of slice 1, then slice 2.
   */
  instanceOrder?: "volume-major" | "slice-major";
  /**
   * Root for generated UIDs ("1.2.3"): generated UIDs are root + "." + a number. Default "2.25"
   * (PS3.5 B.2: the decimal value of a UUID).
   */
  uidRoot?: string;
  /**
   * Makes every generated UID (and the default date and time) a function of this seed, so that
   * the same inputs give byte-identical files. The study and frame-of-reference UIDs depend on the
   * seed only (series of one study written with the same seed share them, as scanners do); series
   * and instance UIDs also on the series number.
   */
  uidSeed?: string | number;
  /** Full control over generated UIDs (takes precedence over uidRoot / uidSeed). */
  uidGenerator?: (purpose: UidPurpose, seriesNumber: number, instanceNumber?: number) => string;
  /**
   * The Part 10 encoder (default: radscore's, encode.ts). The tests pass one that also keeps the
   * elements, to compare the result with dcmjs' writer.
   */
  encoder?: (
    meta: Record<string, RawDicomElement>,
    dataset: Record<string, RawDicomElement>,
  ) => Uint8Array;
  /** File name of each instance; default per vendor (IM_0001.dcm, MR.<series>.0001.dcm, IMG00001.dcm). */
  fileName?: (file: { instanceNumber: number; volumeIndex: number; sliceIndex: number }) => string;
}

export interface DicomSeriesFile {
  fileName: string;
  /** The complete Part 10 file. */
  bytes: Uint8Array;
  instanceNumber: number;
  /** Which of the input volumes this slice comes from. */
  volumeIndex: number;
  /** Which slice (index along the volume's third axis). */
  sliceIndex: number;
  sopInstanceUid: string;
}

export const MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** radscore's ImplementationClassUID (PS3.7 D.3.3.2): 2.25 + a UUID generated once for it. */
export const RADSCORE_IMPLEMENTATION_CLASS_UID = "2.25.106312890028226758074768903797783136401";
/** ImplementationVersionName (SH, at most 16 characters). */
export const RADSCORE_IMPLEMENTATION_VERSION = `RADSCORE_${VERSION}`.slice(0, 16);

const PHILIPS_CREATOR = "Philips MR Imaging DD 001";
const GYROMAGNETIC_RATIO_MHZ_PER_T = 42.57747892; // 1H, CODATA 2018

// ---------------------------------------------------------------------------------------------
// Input checks.

type StoredType = "int16" | "uint16";

interface PixelPlan {
  type: StoredType;
  bitsStored: number;
  min: number;
  max: number;
}

function checkString(what: string, value: string, maxLength: number, vr: string): string {
  if (value.length > maxLength) {
    throw new Error(`${what} "${value}" is longer than ${maxLength} characters (VR ${vr})`);
  }
  // PS3.5 6.2: backslash separates values; control characters are not allowed in these VRs.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: that is what is checked for
  if (/[\\\u0000-\u001f\u007f]/.test(value)) {
    throw new Error(`${what} "${value}" contains a backslash or a control character`);
  }
  return value;
}

function checkCodeString(what: string, value: string): string {
  checkString(what, value, 16, "CS");
  if (!/^[A-Z0-9_ ]*$/.test(value)) {
    throw new Error(
      `${what} "${value}" may hold only upper-case letters, digits, space and _ (VR CS)`,
    );
  }
  return value;
}

function checkUid(what: string, uid: string): string {
  if (!isValidUid(uid)) throw new Error(`${what} "${uid}" is not a valid UID (PS3.5 9.1)`);
  return uid;
}

function sameNumber(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));
}

function checkGeometry(volumes: Volume[]): void {
  const first = volumes[0]!;
  const [nx, ny, nz] = first.size;
  for (const [axis, n] of first.size.entries()) {
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`size[${axis}] ${n} is not a positive integer`);
  }
  if (nx > 65535 || ny > 65535)
    throw new Error(`a slice of ${nx} x ${ny} exceeds DICOM's 65535 rows / columns`);
  for (const [axis, s] of first.spacing.entries()) {
    if (!(Number.isFinite(s) && s > 0))
      throw new Error(`spacing[${axis}] ${s} is not a positive number`);
  }
  if (!first.origin.every(Number.isFinite)) throw new Error("origin is not finite");
  const d = first.direction;
  const col = (k: number) => [d[k]!, d[3 + k]!, d[6 + k]!] as const;
  const dot = (a: readonly number[], b: readonly number[]) =>
    a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const [c0, c1, c2] = [col(0), col(1), col(2)];
  const tol = 1e-4;
  for (const [k, c] of [c0, c1, c2].entries()) {
    if (!c.every(Number.isFinite) || Math.abs(Math.sqrt(dot(c, c)) - 1) > tol) {
      throw new Error(`direction column ${k} is not a unit vector`);
    }
  }
  // Classic images carry only the row and column directions (PS3.3 C.7.6.2.1.1); slices are stacked
  // along their normal, so a sheared (non-orthogonal) direction matrix cannot be represented.
  const normal = [
    c0[1] * c1[2] - c0[2] * c1[1],
    c0[2] * c1[0] - c0[0] * c1[2],
    c0[0] * c1[1] - c0[1] * c1[0],
  ];
  if (Math.abs(dot(c0, c1)) > tol || (nz > 1 && Math.abs(Math.abs(dot(c2, normal)) - 1) > tol)) {
    throw new Error(
      "the direction matrix is not orthogonal: classic DICOM slices are stacked along the normal of their row and column directions",
    );
  }
  for (const [v, vol] of volumes.entries()) {
    if (vol.data.length !== voxelCount(vol.size)) {
      throw new Error(
        `volume ${v + 1} holds ${vol.data.length} voxels, its size ${vol.size.join(" x ")} needs ${voxelCount(vol.size)}`,
      );
    }
    if (v === 0) continue;
    const same =
      vol.size.every((n, i) => n === first.size[i]) &&
      vol.spacing.every((s, i) => sameNumber(s, first.spacing[i]!)) &&
      vol.origin.every((o, i) => sameNumber(o, first.origin[i]!)) &&
      vol.direction.every((x, i) => sameNumber(x, first.direction[i]!));
    if (!same) {
      throw new Error(
        `volume ${v + 1}'s geometry (size, spacing, origin or direction) differs from volume 1's; a series' volumes must share one geometry`,
      );
    }
  }
}

function planPixels(volumes: Volume[], bitsStoredOption: number | undefined): PixelPlan {
  const kinds = new Set(volumes.map((v) => voxelTypeOf(v.data)));
  if (kinds.size > 1)
    throw new Error(`the volumes have different voxel types (${[...kinds].join(", ")})`);
  const kind = voxelTypeOf(volumes[0]!.data);
  if (kind === "float" || kind === "double") {
    throw new Error(
      `voxel type ${kind}: DICOM MR images here store integers (16-bit, RescaleSlope 1); convert the data to Int16 or Uint16 first (radscore does not rescale, which would change the values)`,
    );
  }
  let min = Infinity;
  let max = -Infinity;
  for (const vol of volumes) {
    const data = vol.data;
    for (let i = 0; i < data.length; i++) {
      const x = data[i]!;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  // Int16 / Int8 data stay signed, Uint16 / Uint8 unsigned; 32-bit data take the 16-bit type they fit.
  const signedSource = kind === "int16" || kind === "int8" || kind === "int32";
  const type: StoredType =
    kind === "int32"
      ? min < 0 || max <= 32767
        ? "int16"
        : "uint16"
      : signedSource
        ? "int16"
        : "uint16";
  const bitsStored = bitsStoredOption ?? 16;
  if (!Number.isInteger(bitsStored) || bitsStored < 9 || bitsStored > 16) {
    throw new Error(`bitsStored ${bitsStored} must be an integer from 9 to 16`);
  }
  const lo = type === "int16" ? -(2 ** (bitsStored - 1)) : 0;
  const hi = type === "int16" ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;
  if (min < lo || max > hi) {
    const bad = min < lo ? min : max;
    let where = "";
    for (const [v, vol] of volumes.entries()) {
      const i = vol.data.indexOf(bad as never);
      if (i >= 0) {
        const [nx, ny] = vol.size;
        where = ` (volume ${v + 1}, voxel ${i % nx}, ${Math.floor(i / nx) % ny}, ${Math.floor(i / (nx * ny))})`;
        break;
      }
    }
    throw new Error(
      `voxel value ${bad}${where} is outside the ${bitsStored === 16 ? type : `${bitsStored}-bit ${type === "int16" ? "signed" : "unsigned"}`} range ${lo}..${hi} of the stored pixel values`,
    );
  }
  return { type, bitsStored, min, max };
}

/** The slice's stored values as little-endian 16-bit words, in an ArrayBuffer of its own. */
function sliceBytes(data: VoxelArray, z: number, perSlice: number, type: StoredType): ArrayBuffer {
  const start = z * perSlice;
  let words: Int16Array | Uint16Array;
  if (
    (type === "int16" && data instanceof Int16Array) ||
    (type === "uint16" && data instanceof Uint16Array)
  ) {
    words = data.slice(start, start + perSlice);
  } else {
    words = type === "int16" ? new Int16Array(perSlice) : new Uint16Array(perSlice);
    for (let i = 0; i < perSlice; i++) words[i] = data[start + i]!;
  }
  if (!HOST_LITTLE_ENDIAN) swapBytesInPlace(new Uint8Array(words.buffer), 2);
  return words.buffer as ArrayBuffer;
}

// ---------------------------------------------------------------------------------------------
// Elements.

const ds = (...xs: number[]) => xs.map(formatDecimalString);
const is = (...xs: number[]) => xs.map(formatIntegerString);

/** Caller-supplied elements with normalised tags and binary values the dcmjs writer can take. */
function normaliseExtra(volumeIndex: number, extra: Record<string, RawDicomElement>): ElementDict {
  const out: ElementDict = {};
  for (const [key, element] of Object.entries(extra)) {
    let tag: string;
    if (/^[0-9a-fA-F]{8}$/.test(key)) tag = key.toUpperCase();
    else {
      const entry = dcmjs.data.DicomMetaDictionary.nameMap[key];
      if (!entry)
        throw new Error(
          `perVolumeElements(${volumeIndex}): "${key}" is neither an 8-digit hex tag nor a DICOM keyword`,
        );
      tag = entry.tag.replace(/[(),]/g, "").toUpperCase();
    }
    if (
      !element ||
      typeof element.vr !== "string" ||
      !/^[A-Z]{2}$/.test(element.vr) ||
      !Array.isArray(element.Value)
    ) {
      throw new Error(
        `perVolumeElements(${volumeIndex}): element ${tag} needs a two-letter vr and a Value array`,
      );
    }
    if (tag.startsWith("0002") || tag.startsWith("0000") || tag === "FFFEE000") {
      throw new Error(`perVolumeElements(${volumeIndex}): element ${tag} is not a dataset element`);
    }
    out[tag] = { vr: element.vr, Value: element.Value.map((v) => binaryValue(element.vr, v)) };
  }
  return out;
}

/**
 * dcmjs writes an OB/OW/UN value from `value.buffer ?? value`, i.e. a typed-array view would be
 * written with its whole underlying buffer: hand it an ArrayBuffer of exactly the view's bytes.
 */
function binaryValue(vr: string, v: unknown): unknown {
  if (!["OB", "OW", "UN", "OF", "OD", "OL", "OV"].includes(vr) || !ArrayBuffer.isView(v)) return v;
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength);
}

/** Private data elements (gggg,xxyy) with odd gggg, yy block reserved by (gggg,00xx) (PS3.5 7.8.1). */
function checkPrivateCreators(dict: ElementDict, volumeIndex: number): void {
  for (const tag of Object.keys(dict)) {
    const group = Number.parseInt(tag.slice(0, 4), 16);
    const element = Number.parseInt(tag.slice(4), 16);
    if (group % 2 === 1 && element >= 0x1000) {
      const creator = `${tag.slice(0, 4)}00${tag.slice(4, 6)}`;
      if (!dict[creator]) {
        throw new Error(
          `perVolumeElements(${volumeIndex}): private element ${tag} has no private creator ${creator}`,
        );
      }
    }
  }
}

function asciiOnly(strings: (string | undefined)[]): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range itself
  return strings.every((s) => s === undefined || /^[\u0000-\u007f]*$/.test(s));
}

// ---------------------------------------------------------------------------------------------

/**
 * Writes `volumes` (at least one, identical geometry) as one classic MR series: one Part 10 file
 * per slice and volume, in instance-number order. Throws an ImageWriteError (naming the series)
 * when the input cannot be written faithfully.
 */
export function writeMrSeries(volumes: Volume[], options: WriteMrSeriesOptions): DicomSeriesFile[] {
  const label = `DICOM series ${options?.series?.number ?? "?"}${options?.series?.description ? ` (${options.series.description})` : ""}`;
  try {
    return writeSeries(volumes, options);
  } catch (error) {
    if (error instanceof ImageWriteError) throw error;
    throw new ImageWriteError(label, error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

function writeSeries(volumes: Volume[], options: WriteMrSeriesOptions): DicomSeriesFile[] {
  if (!Array.isArray(volumes) || volumes.length === 0) throw new Error("no volumes to write");
  const vendor = options.vendor;
  const flavour = FLAVOURS[vendor];
  if (!flavour) throw new Error(`unknown vendor "${vendor}" (philips, siemens or generic)`);
  const nVol = volumes.length;
  const kind: MrVolumeKind = options.volumeKind ?? "none";
  if (!["phase", "bvalue", "none"].includes(kind)) throw new Error(`unknown volumeKind "${kind}"`);
  if (kind === "none" && nVol > 1) {
    throw new Error(
      `${nVol} volumes need volumeKind "phase" or "bvalue" (how a reader tells them apart)`,
    );
  }

  // --- series and patient level -------------------------------------------------------------
  const seriesNumber = options.series.number;
  if (!Number.isInteger(seriesNumber) || seriesNumber < 0 || seriesNumber > 2 ** 31 - 1) {
    throw new Error(`series number ${seriesNumber} is not a non-negative integer`);
  }
  checkString("series description", options.series.description, 64, "LO");
  checkString("patient ID", options.patient.id, 64, "LO");
  if (options.patient.name !== undefined)
    checkString("patient name", options.patient.name, 64, "PN");
  if (options.patient.sex !== undefined && !["M", "F", "O"].includes(options.patient.sex)) {
    throw new Error(`patient sex "${options.patient.sex}" is not M, F or O`);
  }
  if (options.patient.birthDate !== undefined)
    parseDateTime("birth", options.patient.birthDate, "000000");
  if (options.study.description !== undefined)
    checkString("study description", options.study.description, 64, "LO");
  if (options.study.id !== undefined) checkString("study ID", options.study.id, 16, "SH");
  if (options.study.accessionNumber !== undefined)
    checkString("accession number", options.study.accessionNumber, 16, "SH");
  const patientPosition = options.patientPosition ?? "HFS";
  if (!PATIENT_POSITIONS.has(patientPosition))
    throw new Error(
      `patient position "${patientPosition}" is not a PS3.3 C.7.3.1.1.2 defined term`,
    );
  if (options.bodyPartExamined !== undefined)
    checkCodeString("body part", options.bodyPartExamined);
  if (
    options.laterality !== undefined &&
    options.laterality !== "L" &&
    options.laterality !== "R"
  ) {
    throw new Error(`laterality "${options.laterality}" is not L or R`);
  }

  const equipment = {
    manufacturer: options.equipment?.manufacturer ?? flavour.manufacturer,
    model: options.equipment?.manufacturerModelName ?? flavour.model,
    fieldStrength: options.equipment?.magneticFieldStrength ?? flavour.fieldStrength,
    softwareVersions: options.equipment?.softwareVersions ?? flavour.softwareVersions,
    institutionName: options.equipment?.institutionName,
    stationName: options.equipment?.stationName ?? flavour.stationName,
  };
  checkString("manufacturer", equipment.manufacturer, 64, "LO");
  checkString("model", equipment.model, 64, "LO");
  for (const v of equipment.softwareVersions) checkString("software version", v, 64, "LO");
  if (equipment.institutionName !== undefined)
    checkString("institution", equipment.institutionName, 64, "LO");
  checkString("station name", equipment.stationName, 16, "SH");
  if (!(equipment.fieldStrength > 0))
    throw new Error(`field strength ${equipment.fieldStrength} T is not positive`);

  const acq: MrAcquisition = { ...DEFAULT_ACQUISITION[kind], ...options.acquisition };
  for (const code of [...acq.scanningSequence, ...acq.sequenceVariant, ...acq.scanOptions])
    checkCodeString("acquisition code", code);
  const imageType = acq.imageType ?? flavour.imageType[kind];
  for (const code of imageType) checkCodeString("image type", code);
  if (acq.sequenceName !== undefined) checkString("sequence name", acq.sequenceName, 16, "SH");

  // --- per-volume timing and b-values -------------------------------------------------------
  const defaultStep = kind === "phase" ? 60 : kind === "bvalue" ? 30 : 0;
  const phaseTimes = options.phaseTimes ?? volumes.map((_, v) => v * defaultStep);
  if (phaseTimes.length !== nVol || !phaseTimes.every((t) => Number.isFinite(t) && t >= 0)) {
    throw new Error(`phaseTimes needs ${nVol} non-negative numbers of seconds (one per volume)`);
  }
  const bValues = options.bValues;
  if (
    bValues !== undefined &&
    (bValues.length !== nVol || !bValues.every((b) => Number.isFinite(b) && b >= 0))
  ) {
    throw new Error(`bValues needs ${nVol} non-negative numbers (one per volume)`);
  }
  if (kind === "bvalue" && bValues === undefined && options.perVolumeElements === undefined) {
    throw new Error(
      "b-value volumes need bValues or perVolumeElements carrying the diffusion elements",
    );
  }
  if (options.publicDiffusionBValue === true && bValues === undefined) {
    throw new Error("publicDiffusionBValue needs bValues");
  }
  // Without bValues the caller's perVolumeElements describe the diffusion on their own.
  const publicB =
    kind === "bvalue" &&
    bValues !== undefined &&
    (options.publicDiffusionBValue ?? vendor !== "siemens");

  // --- geometry and pixels --------------------------------------------------------------------
  checkGeometry(volumes);
  const pixels = planPixels(volumes, options.bitsStored);
  const geometry = volumes[0]!;
  const [nx, ny, nz] = geometry.size;
  const [sx, sy, sz] = geometry.spacing;
  const d = geometry.direction;
  const rowDir = [d[0], d[3], d[6]];
  const colDir = [d[1], d[4], d[7]];
  const normal = [d[3] * d[7] - d[6] * d[4], d[6] * d[1] - d[0] * d[7], d[0] * d[4] - d[3] * d[1]];
  const sliceThickness = options.sliceThickness ?? sz;
  if (!(Number.isFinite(sliceThickness) && sliceThickness > 0))
    throw new Error(`slice thickness ${sliceThickness} is not positive`);
  const signed = pixels.type === "int16";
  const xsVr = signed ? "SS" : "US";

  // --- dates, times, UIDs -----------------------------------------------------------------------
  const seeded = options.uidSeed !== undefined;
  const fallback = seeded ? { date: "20240101", time: "090000" } : nowDateTime();
  const studyDate = options.study.date ?? fallback.date;
  const studyTime = options.study.time ?? fallback.time;
  const studyStart = parseDateTime("study", studyDate, studyTime);
  const seriesStart = parseDateTime(
    "series",
    options.series.date ?? studyDate,
    options.series.time ?? studyTime,
  );
  const fmt = (micros: number) => formatDateTime(micros, flavour.timeDigits);
  const study = fmt(studyStart);
  const series = fmt(seriesStart);

  const root = options.uidRoot ?? "2.25";
  if (!isValidUid(root) || root.length > 40)
    throw new Error(`uidRoot "${root}" is not a UID prefix of at most 40 characters`);
  const seedText = seeded ? String(options.uidSeed) : undefined;
  const uid = (purpose: UidPurpose, instance?: number): string => {
    if (options.uidGenerator) {
      return checkUid(
        `generated ${purpose} UID`,
        options.uidGenerator(purpose, seriesNumber, instance),
      );
    }
    if (seedText === undefined) return makeUid(undefined, root);
    const parts =
      purpose === "study" || purpose === "frameOfReference"
        ? [purpose]
        : [purpose, seriesNumber, instance ?? ""];
    return makeUid(`radscore-mr|${seedText}|${parts.join("|")}`, root);
  };
  const studyUid = checkUid("study UID", options.study.instanceUid ?? uid("study"));
  const seriesUid = checkUid("series UID", options.series.instanceUid ?? uid("series"));
  const forUid = checkUid(
    "frame of reference UID",
    options.series.frameOfReferenceUid ?? uid("frameOfReference"),
  );

  const characterSet = asciiOnly([
    options.patient.name,
    options.patient.id,
    options.study.description,
    options.series.description,
    equipment.institutionName,
    equipment.manufacturer,
  ])
    ? "ISO_IR 100"
    : "ISO_IR 192"; // dcmjs encodes LO / SH / PN / LT as UTF-8

  // --- elements shared by every file --------------------------------------------------------
  const common: ElementDict = Object.fromEntries([
    el("SpecificCharacterSet", [characterSet]),
    el("ImageType", imageType),
    el("InstanceCreationDate", [series.date]),
    el("InstanceCreationTime", [series.time]),
    el("SOPClassUID", [MR_IMAGE_STORAGE]),
    el("StudyDate", [study.date]),
    el("SeriesDate", [series.date]),
    el("StudyTime", [study.time]),
    el("SeriesTime", [series.time]),
    el("AccessionNumber", options.study.accessionNumber ? [options.study.accessionNumber] : []),
    el("Modality", ["MR"]),
    el("Manufacturer", [equipment.manufacturer]),
    ...(equipment.institutionName !== undefined
      ? [el("InstitutionName", [equipment.institutionName])]
      : []),
    el("ReferringPhysicianName", []),
    el("StationName", [equipment.stationName]),
    ...(options.study.description !== undefined
      ? [el("StudyDescription", [options.study.description])]
      : []),
    el("SeriesDescription", [options.series.description]),
    el("ManufacturerModelName", [equipment.model]),
    el("PatientName", options.patient.name !== undefined ? [options.patient.name] : []),
    el("PatientID", [options.patient.id]),
    el(
      "PatientBirthDate",
      options.patient.birthDate !== undefined ? [options.patient.birthDate] : [],
    ),
    el("PatientSex", options.patient.sex !== undefined ? [options.patient.sex] : []),
    ...(options.bodyPartExamined !== undefined
      ? [el("BodyPartExamined", [options.bodyPartExamined])]
      : []),
    el("ScanningSequence", acq.scanningSequence),
    el("SequenceVariant", acq.sequenceVariant),
    el("ScanOptions", acq.scanOptions),
    el("MRAcquisitionType", [acq.mrAcquisitionType]),
    el("AngioFlag", ["N"]),
    el("SliceThickness", ds(sliceThickness)),
    el("RepetitionTime", ds(acq.repetitionTime)),
    el("EchoTime", ds(acq.echoTime)),
    ...(acq.inversionTime !== undefined ? [el("InversionTime", ds(acq.inversionTime))] : []),
    el("NumberOfAverages", ds(acq.numberOfAverages)),
    el(
      "ImagingFrequency",
      ds(Number((equipment.fieldStrength * GYROMAGNETIC_RATIO_MHZ_PER_T).toFixed(6))),
    ),
    el("ImagedNucleus", ["1H"]),
    el("EchoNumbers", is(1)),
    el("MagneticFieldStrength", ds(equipment.fieldStrength)),
    el("SpacingBetweenSlices", ds(sz)),
    el("EchoTrainLength", is(acq.echoTrainLength)),
    el("PixelBandwidth", ds(acq.pixelBandwidth)),
    el("SoftwareVersions", equipment.softwareVersions),
    el("ProtocolName", [options.series.description]),
    el("InPlanePhaseEncodingDirection", [acq.inPlanePhaseEncodingDirection]),
    el("FlipAngle", ds(acq.flipAngle)),
    el("PatientPosition", [patientPosition]),
    el("StudyInstanceUID", [studyUid]),
    el("SeriesInstanceUID", [seriesUid]),
    el("StudyID", options.study.id !== undefined ? [options.study.id] : []),
    el("SeriesNumber", is(seriesNumber)),
    el("Laterality", options.laterality !== undefined ? [options.laterality] : []),
    // PS3.3 C.7.6.2.1.1: row direction cosines (along increasing column index = x), then column.
    el("ImageOrientationPatient", ds(...rowDir, ...colDir)),
    el("FrameOfReferenceUID", [forUid]),
    el("PositionReferenceIndicator", []),
    el("SamplesPerPixel", [1]),
    el("PhotometricInterpretation", ["MONOCHROME2"]),
    el("Rows", [ny]),
    el("Columns", [nx]),
    // PS3.3 10.7.1.3: row spacing (between adjacent rows, i.e. along y) first, then column spacing.
    el("PixelSpacing", ds(sy, sx)),
    el("BitsAllocated", [16]),
    el("BitsStored", [pixels.bitsStored]),
    el("HighBit", [pixels.bitsStored - 1]),
    el("PixelRepresentation", [signed ? 1 : 0]),
    el("WindowCenter", ds((pixels.min + pixels.max) / 2)),
    el("WindowWidth", ds(Math.max(1, pixels.max - pixels.min))),
    el("RescaleIntercept", ["0"]),
    el("RescaleSlope", ["1"]),
  ]);
  if (vendor === "philips") {
    // Philips' real-world value mapping (PS3.3 C.7.6.16.2.11) and its private scale (2005,100D/E):
    // FP = SV * RS + RI over the stored range, divided by ScaleSlope (dcm2niix' Philips formula).
    Object.assign(
      common,
      Object.fromEntries([
        el("RealWorldValueMappingSequence", [
          Object.fromEntries([
            el("LUTExplanation", ["Philips"]),
            el("MeasurementUnitsCodeSequence", [
              Object.fromEntries([
                el("CodeValue", ["1"]),
                el("CodingSchemeDesignator", ["UCUM"]),
                el("CodeMeaning", ["no units"]),
              ]),
            ]),
            el("LUTLabel", ["Philips"]),
            el("RealWorldValueLastValueMapped", [pixels.max], xsVr),
            el("RealWorldValueFirstValueMapped", [pixels.min], xsVr),
            el("RealWorldValueIntercept", [0]),
            el("RealWorldValueSlope", [1]),
          ]),
        ]),
      ]),
      {
        "20050010": { vr: "LO", Value: [PHILIPS_CREATOR] },
        "2005100D": { vr: "FL", Value: [0] }, // ScaleIntercept
        "2005100E": { vr: "FL", Value: [1] }, // ScaleSlope
      },
    );
  }
  const ownCreators = Object.fromEntries(
    Object.entries(common).filter(
      ([tag]) =>
        Number.parseInt(tag.slice(0, 4), 16) % 2 === 1 && Number.parseInt(tag.slice(4), 16) < 0x100,
    ),
  );

  // --- per volume ---------------------------------------------------------------------------------
  const philipsAcquisitionNumber =
    seriesNumber >= 100 ? Math.floor(seriesNumber / 100) : Math.max(1, seriesNumber);
  const perVolume: ElementDict[] = volumes.map((_, v) => {
    const t = phaseTimes[v]!;
    const b = bValues?.[v];
    const entries: [string, RawDicomElement][] = [];
    // Philips keeps the series start in AcquisitionTime / ContentTime of every dynamic (readers
    // sort Philips dynamics by TriggerTime / TemporalPositionIdentifier); Siemens and the generic
    // flavour give each volume its own acquisition time and number.
    const acquired = fmt(vendor === "philips" ? seriesStart : seriesStart + Math.round(t * 1e6));
    // Siemens' ContentTime is the (later) reconstruction time.
    const content =
      vendor === "siemens" ? fmt(seriesStart + Math.round(t * 1e6) + 1_500_000) : acquired;
    entries.push(
      el("AcquisitionDate", [acquired.date]),
      el("ContentDate", [content.date]),
      el("AcquisitionTime", [acquired.time]),
      el("ContentTime", [content.time]),
      el("AcquisitionNumber", is(vendor === "philips" ? philipsAcquisitionNumber : v + 1)),
    );
    const sequenceName =
      acq.sequenceName ?? (vendor === "siemens" ? siemensSequenceName(kind, acq, b) : undefined);
    if (sequenceName !== undefined)
      entries.push(el("SequenceName", [checkString("sequence name", sequenceName, 16, "SH")]));
    if (kind === "phase" && vendor !== "siemens") {
      entries.push(
        el("TemporalPositionIdentifier", is(v + 1)),
        el("NumberOfTemporalPositions", is(nVol)),
      );
      if (vendor === "philips") entries.push(el("TriggerTime", ds(Math.round(t * 1e6) / 1e3)));
    }
    if (publicB) {
      entries.push(
        el("DiffusionDirectionality", [b! > 0 ? "ISOTROPIC" : "NONE"]),
        el("DiffusionBValue", [b!]),
      );
    }
    const dict: ElementDict = Object.fromEntries(entries);
    if (vendor === "philips" && kind === "phase") {
      dict["200510A0"] = { vr: "FL", Value: [t] }; // MR Image Dynamic Scan Begin Time (s)
    }
    const extra = options.perVolumeElements ? normaliseExtra(v, options.perVolumeElements(v)) : {};
    for (const tag of Object.keys(extra)) {
      if (PROTECTED.has(tag)) {
        const keyword = Object.entries(TAGS).find(([, [t2]]) => t2 === tag)?.[0];
        throw new Error(
          `perVolumeElements(${v}) may not set ${keyword ?? tag}: the writer derives it from the volume`,
        );
      }
      const own = ownCreators[tag];
      if (own && String(extra[tag]!.Value[0]) !== String(own.Value[0])) {
        throw new Error(
          `perVolumeElements(${v}) reassigns private creator ${tag} ("${own.Value[0]}") to "${extra[tag]!.Value[0]}"`,
        );
      }
    }
    Object.assign(dict, extra);
    checkPrivateCreators({ ...common, ...dict }, v);
    return dict;
  });

  // --- files ------------------------------------------------------------------------------------
  const total = nVol * nz;
  const width = Math.max(4, String(total).length);
  const perSlice = nx * ny;
  const slicePosition = (k: number) => [
    geometry.origin[0] + d[2] * sz * k,
    geometry.origin[1] + d[5] * sz * k,
    geometry.origin[2] + d[8] * sz * k,
  ];
  const instanceOrder = options.instanceOrder ?? "volume-major";
  if (instanceOrder !== "volume-major" && instanceOrder !== "slice-major") {
    throw new Error(`unknown instanceOrder "${instanceOrder}" (volume-major or slice-major)`);
  }
  const order: [number, number][] = [];
  if (instanceOrder === "slice-major") {
    for (let k = 0; k < nz; k++) for (let v = 0; v < nVol; v++) order.push([v, k]);
  } else {
    for (let v = 0; v < nVol; v++) for (let k = 0; k < nz; k++) order.push([v, k]);
  }

  const files: DicomSeriesFile[] = [];
  const names = new Set<string>();
  for (const [index, [v, k]] of order.entries()) {
    const instanceNumber = index + 1;
    const sopInstanceUid = checkUid("SOP instance UID", uid("instance", instanceNumber));
    const ipp = slicePosition(k);
    const data = volumes[v]!.data;
    const dataset: ElementDict = {
      ...common,
      ...perVolume[v],
      ...Object.fromEntries([
        el("SOPInstanceUID", [sopInstanceUid]),
        el("InstanceNumber", is(instanceNumber)),
        el("ImagePositionPatient", ds(...ipp)),
        // Projection of the position on the slice normal, as both vendors write it (PS3.3 C.7.6.2.1.2).
        el("SliceLocation", ds(ipp[0]! * normal[0]! + ipp[1]! * normal[1]! + ipp[2]! * normal[2]!)),
        el("PixelData", [sliceBytes(data, k, perSlice, pixels.type)]),
      ]),
    };
    if (vendor === "siemens") {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = k * perSlice; i < (k + 1) * perSlice; i++) {
        const x = data[i]!;
        if (x < lo) lo = x;
        if (x > hi) hi = x;
      }
      Object.assign(
        dataset,
        Object.fromEntries([
          el("SmallestImagePixelValue", [lo], xsVr),
          el("LargestImagePixelValue", [hi], xsVr),
        ]),
      );
    }
    const meta: ElementDict = Object.fromEntries([
      el("FileMetaInformationVersion", [new Uint8Array([0, 1]).buffer]),
      el("MediaStorageSOPClassUID", [MR_IMAGE_STORAGE]),
      el("MediaStorageSOPInstanceUID", [sopInstanceUid]),
      el("TransferSyntaxUID", [EXPLICIT_VR_LITTLE_ENDIAN]),
      el("ImplementationClassUID", [RADSCORE_IMPLEMENTATION_CLASS_UID]),
      el("ImplementationVersionName", [RADSCORE_IMPLEMENTATION_VERSION]),
    ]);
    const bytes = (options.encoder ?? encodePart10)(meta, dataset);
    const fileName = options.fileName
      ? options.fileName({ instanceNumber, volumeIndex: v, sliceIndex: k })
      : flavour.fileName(seriesNumber, instanceNumber, width);
    if (names.has(fileName)) throw new Error(`file name "${fileName}" is given to two instances`);
    names.add(fileName);
    files.push({ fileName, bytes, instanceNumber, volumeIndex: v, sliceIndex: k, sopInstanceUid });
  }
  return files;
}
