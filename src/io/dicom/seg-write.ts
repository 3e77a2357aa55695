/**
 * A mask to a DICOM Segmentation (BINARY) that references the series it was drawn on.
 *
 * The object follows the Segmentation IOD (PS3.3 A.51) the way dcmqi and highdicom write it:
 * - patient, clinical-trial and study attributes copied from the reference series (Patient,
 *   General Study, Patient Study, Clinical Trial Subject / Study modules, C.7.1-C.7.2), new Series
 *   and SOP Instance UIDs, Modality SEG, the reference's FrameOfReferenceUID (C.7.4.1);
 * - Enhanced General Equipment (C.7.5.2): Manufacturer, ManufacturerModelName, DeviceSerialNumber,
 *   SoftwareVersions;
 * - Segmentation Image module (C.8.20.2): ImageType DERIVED\PRIMARY, Content Identification
 *   (ContentLabel, ContentDescription, ContentCreatorName), 1-bit MONOCHROME2 pixels,
 *   SegmentationType BINARY, SegmentsOverlap NO, and one Segment Sequence item per segment
 *   (SegmentNumber from 1, SegmentLabel, SegmentAlgorithmType, Segmented Property Category and
 *   Type codes);
 * - Multi-frame Dimension module (C.7.6.17): two dimensions, ReferencedSegmentNumber and
 *   ImagePositionPatient;
 * - functional groups (C.7.6.16, A.51.5.1): shared Pixel Measures and Plane Orientation; per frame
 *   Frame Content (DimensionIndexValues = segment number, 1-based slice), Plane Position, Derivation
 *   Image (the slice's SOP instance, purpose "Source image for image processing operation",
 *   derivation "Segmentation") and Segment Identification;
 * - Common Instance Reference module (C.12.2): ReferencedSeriesSequence listing every slice.
 * Only frames with at least one voxel set are written (as dcmqi and highdicom do), segment by
 * segment, slices ascending; their bits follow each other without padding (PS3.5 8.1.1).
 *
 * Which labels become segments: with `label`, the voxels equal to it form segment 1. Without, every
 * distinct nonzero value of the mask becomes a segment, numbered 1, 2, ... in ascending label order
 * (so a mask labelled 1..N keeps its numbers). Segment numbers must start at 1 and increase by 1
 * (C.8.20.2.4), which is why labels are renumbered rather than copied when they have gaps.
 */
import dcmjs from "dcmjs";
import { physicalToIndex, type Vec3, type Volume } from "../../image/volume.js";
import { VERSION } from "../../version.js";
import { ImageWriteError } from "../image-error.js";
import { type DicomDataset, numberOf, numbersOf, sequenceOf, stringOf } from "./parse.js";
import { type CodedConcept, packedLength, SEGMENTATION_STORAGE } from "./seg-read.js";

const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
/** radscore's Implementation Class UID (PS3.7 D.3.3.2), a UUID-derived 2.25 root. */
const IMPLEMENTATION_CLASS_UID = "2.25.94702199954081291014520466701259661593";

/** One slice of the reference series: the instance (and frame, for a multi-frame image). */
export interface SegmentationReference {
  dataset: DicomDataset;
  sopClassUid: string;
  sopInstanceUid: string;
  /** 1-based frame number when the instance is a multi-frame image. */
  frameNumber?: number;
}

export type SegmentAlgorithmType = "MANUAL" | "SEMIAUTOMATIC" | "AUTOMATIC";

export interface WriteSegmentationOptions {
  /** The label written (as segment 1). Default: every nonzero label, one segment each. */
  label?: number;
  /**
   * SegmentLabel. With one segment, the name itself; with several, "<name> <label>". Default
   * "Label <label>".
   */
  name?: string;
  /** SegmentDescription (optional). */
  description?: string;
  /** Default MANUAL; SegmentAlgorithmName (required otherwise) defaults to "radscore". */
  algorithmType?: SegmentAlgorithmType;
  algorithmName?: string;
  /** SegmentedPropertyCategoryCodeSequence; default SCT 49755003 "Morphologically abnormal structure". */
  category?: CodedConcept;
  /** SegmentedPropertyTypeCodeSequence; default SCT 108369006 "Neoplasm". */
  type?: CodedConcept;
  /** Default "Segmentation". */
  seriesDescription?: string;
  /** Default 300. */
  seriesNumber?: number;
  /** Default 1. */
  instanceNumber?: number;
  /** ContentLabel (a CS: upper case, digits, space, underscore; at most 16). Default "SEGMENTATION". */
  contentLabel?: string;
  /** ContentDescription; default "Image segmentation". */
  contentDescription?: string;
  /** ContentCreatorName (a person name, DICOM "Family^Given"); empty by default. */
  contentCreatorName?: string;
  /** Default "radscore". */
  manufacturer?: string;
  /** Default "radscore". */
  manufacturerModelName?: string;
  /** Default radscore's version. */
  softwareVersion?: string;
  /** Default "0". */
  deviceSerialNumber?: string;
  /** Fixed UIDs (tests, reproducible output); new random 2.25 UIDs (dcmjs uid()) by default. */
  instanceUids?: {
    seriesInstanceUid: string;
    sopInstanceUid: string;
    dimensionOrganizationUid?: string;
  };
  /** Creation time written to Series / Content / Instance Creation dates (default now, local time). */
  now?: Date;
  /** Largest offset, in voxels, of a reference slice from the mask grid (default 0.1). */
  tolerance?: number;
  /** Names the output in error messages (default "DICOM SEG"). */
  file?: string;
}

const DEFAULT_CATEGORY: CodedConcept = {
  value: "49755003",
  scheme: "SCT",
  meaning: "Morphologically abnormal structure",
};
const DEFAULT_TYPE: CodedConcept = { value: "108369006", scheme: "SCT", meaning: "Neoplasm" };

/** Attributes copied from the reference: Patient, Clinical Trial Subject, General / Patient / Clinical Trial Study. */
const COPIED = [
  // Patient (C.7.1.1)
  "PatientName",
  "PatientID",
  "IssuerOfPatientID",
  "IssuerOfPatientIDQualifiersSequence",
  "TypeOfPatientID",
  "PatientBirthDate",
  "PatientBirthTime",
  "PatientSex",
  "OtherPatientIDsSequence",
  "OtherPatientNames",
  "PatientComments",
  "PatientSpeciesDescription",
  "PatientSpeciesCodeSequence",
  "PatientBreedDescription",
  "PatientBreedCodeSequence",
  "BreedRegistrationSequence",
  "ResponsiblePerson",
  "ResponsiblePersonRole",
  "ResponsibleOrganization",
  "PatientIdentityRemoved",
  "DeidentificationMethod",
  "DeidentificationMethodCodeSequence",
  "QualityControlSubject",
  // Clinical Trial Subject (C.7.1.3)
  "ClinicalTrialSponsorName",
  "ClinicalTrialProtocolID",
  "ClinicalTrialProtocolName",
  "ClinicalTrialSiteID",
  "ClinicalTrialSiteName",
  "ClinicalTrialSubjectID",
  "ClinicalTrialSubjectReadingID",
  "ClinicalTrialProtocolEthicsCommitteeName",
  "ClinicalTrialProtocolEthicsCommitteeApprovalNumber",
  // General Study (C.7.2.1)
  "StudyInstanceUID",
  "StudyDate",
  "StudyTime",
  "ReferringPhysicianName",
  "ReferringPhysicianIdentificationSequence",
  "StudyID",
  "AccessionNumber",
  "IssuerOfAccessionNumberSequence",
  "StudyDescription",
  "PhysiciansOfRecord",
  "NameOfPhysiciansReadingStudy",
  "ProcedureCodeSequence",
  // Patient Study (C.7.2.2)
  "AdmittingDiagnosesDescription",
  "PatientAge",
  "PatientSize",
  "PatientWeight",
  "Occupation",
  "AdditionalPatientHistory",
  // Clinical Trial Study (C.7.2.3)
  "ClinicalTrialTimePointID",
  "ClinicalTrialTimePointDescription",
  "ClinicalTrialCoordinatingCenterName",
];

/** Type 2 attributes among those copied: present, empty when the reference lacks them. */
const TYPE2 = [
  "PatientName",
  "PatientID",
  "PatientBirthDate",
  "PatientSex",
  "StudyDate",
  "StudyTime",
  "ReferringPhysicianName",
  "StudyID",
  "AccessionNumber",
];

/** A number as a DICOM DS string (at most 16 characters, PS3.5 6.2), as precise as fits. */
export function formatDS(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`cannot write ${x} as a decimal string`);
  if (Object.is(x, -0)) return "0";
  for (let p = 16; p >= 1; p--) {
    const s = String(Number(x.toPrecision(p)));
    if (s.length <= 16) return s;
  }
  throw new RangeError(`cannot write ${x} as a decimal string`);
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function dicomDate(d: Date): string {
  return `${d.getFullYear()}${pad2(d.getMonth() + 1)}${pad2(d.getDate())}`;
}

function dicomTime(d: Date): string {
  return `${pad2(d.getHours())}${pad2(d.getMinutes())}${pad2(d.getSeconds())}`;
}

function code(c: CodedConcept): DicomDataset {
  return { CodeValue: c.value, CodingSchemeDesignator: c.scheme, CodeMeaning: c.meaning };
}

/** The attribute of a reference slice: its frame's functional group, the shared one, or top level. */
function referenceValue(
  ref: SegmentationReference,
  group: string,
  key: string,
): number[] | undefined {
  const ds = ref.dataset;
  if (ref.frameNumber !== undefined) {
    const own = sequenceOf(ds, "PerFrameFunctionalGroupsSequence")[ref.frameNumber - 1];
    const item = own && sequenceOf(own, group)[0];
    const v = item && numbersOf(item, key);
    if (v) return v;
  }
  const shared = sequenceOf(ds, "SharedFunctionalGroupsSequence")[0];
  const item = shared && sequenceOf(shared, group)[0];
  const v = item && numbersOf(item, key);
  return v ?? numbersOf(ds, key);
}

function sanitiseContentLabel(text: string): string {
  const s = text
    .toUpperCase()
    .replace(/[^A-Z0-9 _]/g, "_")
    .slice(0, 16);
  return s === "" ? "SEGMENTATION" : s;
}

/**
 * The mask as a BINARY DICOM SEG (Explicit VR Little Endian Part 10 bytes). `reference.instances`
 * are the reference series' slices in the order of the mask's k axis; the mask grid must be theirs
 * (same rows, columns, orientation, pixel spacing and slice positions). Throws an ImageWriteError
 * when it is not, or when there is nothing to write.
 */
export function writeSegmentation(
  mask: Volume,
  reference: { instances: readonly SegmentationReference[] },
  options: WriteSegmentationOptions = {},
): Uint8Array {
  const file = options.file ?? "DICOM SEG";
  function fail(reason: string): never {
    throw new ImageWriteError(file, reason);
  }
  const tolerance = options.tolerance ?? 0.1;
  const [nx, ny, nz] = mask.size;
  const refs = reference.instances;
  if (refs.length !== nz) {
    fail(
      `the mask has ${nz} slices but the reference series ${refs.length} instances (one per slice expected)`,
    );
  }
  const first = refs[0]!.dataset;

  // The mask grid must be the reference grid.
  const rowDir: Vec3 = [mask.direction[0], mask.direction[3], mask.direction[6]];
  const colDir: Vec3 = [mask.direction[1], mask.direction[4], mask.direction[7]];
  const cosineTolerance = Math.max(1e-4, tolerance / Math.max(nx, ny));
  const positions: number[][] = [];
  const frameOfReferenceUid = stringOf(first, "FrameOfReferenceUID");
  if (!frameOfReferenceUid) fail("the reference series has no FrameOfReferenceUID");
  const studyUid = stringOf(first, "StudyInstanceUID");
  if (!studyUid) fail("the reference series has no StudyInstanceUID");
  refs.forEach((ref, k) => {
    const what = `reference slice ${k} (${ref.sopInstanceUid})`;
    if (!ref.sopInstanceUid || !ref.sopClassUid) fail(`${what}: no SOP Instance / Class UID`);
    const ds = ref.dataset;
    if (numberOf(ds, "Rows") !== ny || numberOf(ds, "Columns") !== nx) {
      fail(
        `${what}: ${numberOf(ds, "Columns")} x ${numberOf(ds, "Rows")} pixels but the mask is ${nx} x ${ny}`,
      );
    }
    if (stringOf(ds, "FrameOfReferenceUID") !== frameOfReferenceUid)
      fail(`${what}: another FrameOfReferenceUID`);
    if (stringOf(ds, "StudyInstanceUID") !== studyUid) fail(`${what}: another study`);
    const iop = referenceValue(ref, "PlaneOrientationSequence", "ImageOrientationPatient");
    if (iop?.length !== 6) fail(`${what}: no ImageOrientationPatient`);
    const dr = Math.max(...[0, 1, 2].map((a) => Math.abs(iop[a]! - rowDir[a]!)));
    const dc = Math.max(...[0, 1, 2].map((a) => Math.abs(iop[3 + a]! - colDir[a]!)));
    if (dr > cosineTolerance || dc > cosineTolerance) {
      fail(
        `${what}: orientation ${iop.join("\\")} differs from the mask's row / column directions`,
      );
    }
    const ps = referenceValue(ref, "PixelMeasuresSequence", "PixelSpacing");
    if (ps?.length !== 2) fail(`${what}: no PixelSpacing`);
    const driftX = (Math.abs(ps[1]! - mask.spacing[0]) * nx) / mask.spacing[0];
    const driftY = (Math.abs(ps[0]! - mask.spacing[1]) * ny) / mask.spacing[1];
    if (driftX > tolerance || driftY > tolerance) {
      fail(
        `${what}: PixelSpacing ${ps.join("\\")} differs from the mask's ${mask.spacing[1]}\\${mask.spacing[0]}`,
      );
    }
    const ipp = referenceValue(ref, "PlanePositionSequence", "ImagePositionPatient");
    if (ipp?.length !== 3) fail(`${what}: no ImagePositionPatient`);
    const index = physicalToIndex(mask, ipp as Vec3);
    if (
      Math.abs(index[0]) > tolerance ||
      Math.abs(index[1]) > tolerance ||
      Math.abs(index[2] - k) > tolerance
    ) {
      fail(
        `${what}: ImagePositionPatient ${ipp.join("\\")} is at index (${index.map((x) => String(Number(x.toFixed(2)))).join(", ")}) of the mask grid, not (0, 0, ${k})`,
      );
    }
    positions.push(ipp);
  });

  // Segments: which labels, in which order.
  const data = mask.data;
  let labels: number[];
  if (options.label !== undefined) {
    labels = [options.label];
  } else {
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i++) {
      const v = data[i]!;
      if (v !== 0) seen.add(v);
    }
    for (const v of seen) {
      if (!Number.isInteger(v) || v < 0)
        fail(`mask value ${v} is not a label (a positive integer)`);
    }
    labels = [...seen].sort((a, b) => a - b);
  }
  if (labels.length === 0) fail("the mask has no nonzero voxel: nothing to write");

  const n = nx * ny;
  interface Frame {
    segment: number;
    k: number;
  }
  const frames: Frame[] = [];
  labels.forEach((label, s) => {
    let any = false;
    for (let k = 0; k < nz; k++) {
      const base = k * n;
      for (let i = 0; i < n; i++) {
        if (data[base + i] === label) {
          frames.push({ segment: s + 1, k });
          any = true;
          break;
        }
      }
    }
    if (!any) fail(`the mask has no voxel with label ${label}`);
  });

  // Pixel data: frame after frame, bit after bit, padded to an even length (PS3.5 8.1.1, 7.1.1).
  const pixelBytes = new Uint8Array(
    packedLength(frames.length * n) + (packedLength(frames.length * n) & 1),
  );
  frames.forEach((frame, f) => {
    const label = labels[frame.segment - 1]!;
    const base = frame.k * n;
    const bitBase = f * n;
    for (let i = 0; i < n; i++) {
      if (data[base + i] === label) {
        const bit = bitBase + i;
        pixelBytes[bit >>> 3]! |= 1 << (bit & 7);
      }
    }
  });

  const now = options.now ?? new Date();
  const date = dicomDate(now);
  const time = dicomTime(now);
  const seriesInstanceUid =
    options.instanceUids?.seriesInstanceUid ?? dcmjs.data.DicomMetaDictionary.uid();
  const sopInstanceUid =
    options.instanceUids?.sopInstanceUid ?? dcmjs.data.DicomMetaDictionary.uid();
  const dimensionOrganizationUid =
    options.instanceUids?.dimensionOrganizationUid ?? dcmjs.data.DicomMetaDictionary.uid();
  const algorithmType = options.algorithmType ?? "MANUAL";

  const segmentSequence = labels.map((label, s) => {
    const name =
      options.name === undefined
        ? `Label ${label}`
        : labels.length === 1
          ? options.name
          : `${options.name} ${label}`;
    const item: DicomDataset = {
      SegmentNumber: s + 1,
      SegmentLabel: name,
      SegmentAlgorithmType: algorithmType,
      SegmentedPropertyCategoryCodeSequence: [code(options.category ?? DEFAULT_CATEGORY)],
      SegmentedPropertyTypeCodeSequence: [code(options.type ?? DEFAULT_TYPE)],
    };
    if (options.description !== undefined) item.SegmentDescription = options.description;
    // SegmentAlgorithmName is Type 1C: required unless the algorithm type is MANUAL (C.8.20.2.3).
    if (algorithmType !== "MANUAL" || options.algorithmName !== undefined) {
      item.SegmentAlgorithmName = options.algorithmName ?? "radscore";
    }
    return item;
  });

  const first3 = refs[0]!;
  const orientation = referenceValue(
    first3,
    "PlaneOrientationSequence",
    "ImageOrientationPatient",
  )!;
  const pixelSpacing = referenceValue(first3, "PixelMeasuresSequence", "PixelSpacing")!;
  const sliceThickness = referenceValue(first3, "PixelMeasuresSequence", "SliceThickness")?.[0];
  const pixelMeasures: DicomDataset = {
    PixelSpacing: pixelSpacing.map(formatDS),
    SliceThickness: formatDS(sliceThickness ?? mask.spacing[2]),
  };
  if (nz > 1) pixelMeasures.SpacingBetweenSlices = formatDS(mask.spacing[2]);

  const perFrame = frames.map((frame): DicomDataset => {
    const ref = refs[frame.k]!;
    const source: DicomDataset = {
      ReferencedSOPClassUID: ref.sopClassUid,
      ReferencedSOPInstanceUID: ref.sopInstanceUid,
      PurposeOfReferenceCodeSequence: [
        code({
          value: "121322",
          scheme: "DCM",
          meaning: "Source image for image processing operation",
        }),
      ],
      SpatialLocationsPreserved: "YES",
    };
    if (ref.frameNumber !== undefined) source.ReferencedFrameNumber = ref.frameNumber;
    return {
      DerivationImageSequence: [
        {
          SourceImageSequence: [source],
          DerivationCodeSequence: [
            code({ value: "113076", scheme: "DCM", meaning: "Segmentation" }),
          ],
        },
      ],
      FrameContentSequence: [{ DimensionIndexValues: [frame.segment, frame.k + 1] }],
      PlanePositionSequence: [{ ImagePositionPatient: positions[frame.k]!.map(formatDS) }],
      SegmentIdentificationSequence: [{ ReferencedSegmentNumber: frame.segment }],
    };
  });

  // Common Instance Reference (C.12.2): every referenced instance, by series.
  const bySeries = new Map<string, Map<string, string>>();
  for (const ref of refs) {
    const series =
      stringOf(ref.dataset, "SeriesInstanceUID") ??
      fail(`reference ${ref.sopInstanceUid}: no SeriesInstanceUID`);
    const instances = bySeries.get(series) ?? new Map<string, string>();
    instances.set(ref.sopInstanceUid, ref.sopClassUid);
    bySeries.set(series, instances);
  }
  const referencedSeries = [...bySeries].map(([series, instances]) => ({
    SeriesInstanceUID: series,
    ReferencedInstanceSequence: [...instances].map(([uid, cls]) => ({
      ReferencedSOPClassUID: cls,
      ReferencedSOPInstanceUID: uid,
    })),
  }));

  const dataset: DicomDataset = {
    _vrMap: { PixelData: "OB" },
    SpecificCharacterSet: "ISO_IR 192",
    ImageType: ["DERIVED", "PRIMARY"],
    InstanceCreationDate: date,
    InstanceCreationTime: time,
    SOPClassUID: SEGMENTATION_STORAGE,
    SOPInstanceUID: sopInstanceUid,
    SeriesDate: date,
    ContentDate: date,
    SeriesTime: time,
    ContentTime: time,
    Modality: "SEG",
    Manufacturer: options.manufacturer ?? "radscore",
    SeriesDescription: options.seriesDescription ?? "Segmentation",
    ManufacturerModelName: options.manufacturerModelName ?? "radscore",
    ReferencedSeriesSequence: referencedSeries,
    DeviceSerialNumber: options.deviceSerialNumber ?? "0",
    SoftwareVersions: options.softwareVersion ?? VERSION,
    SeriesInstanceUID: seriesInstanceUid,
    SeriesNumber: options.seriesNumber ?? 300,
    InstanceNumber: options.instanceNumber ?? 1,
    FrameOfReferenceUID: frameOfReferenceUid,
    PositionReferenceIndicator: stringOf(first, "PositionReferenceIndicator") ?? "",
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x0062000b, // ReferencedSegmentNumber
        FunctionalGroupPointer: 0x0062000a, // SegmentIdentificationSequence
        DimensionDescriptionLabel: "Segment Number",
      },
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: 0x00200032, // ImagePositionPatient
        FunctionalGroupPointer: 0x00209113, // PlanePositionSequence
        DimensionDescriptionLabel: "Image Position Patient",
      },
    ],
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    NumberOfFrames: frames.length,
    Rows: ny,
    Columns: nx,
    BitsAllocated: 1,
    BitsStored: 1,
    HighBit: 0,
    PixelRepresentation: 0,
    LossyImageCompression: "00",
    SegmentationType: "BINARY",
    SegmentsOverlap: "NO",
    SegmentSequence: segmentSequence,
    ContentLabel: sanitiseContentLabel(options.contentLabel ?? "SEGMENTATION"),
    ContentDescription: options.contentDescription ?? "Image segmentation",
    ContentCreatorName: options.contentCreatorName ?? "",
    SharedFunctionalGroupsSequence: [
      {
        PixelMeasuresSequence: [pixelMeasures],
        PlaneOrientationSequence: [{ ImageOrientationPatient: orientation.map(formatDS) }],
      },
    ],
    PerFrameFunctionalGroupsSequence: perFrame,
    PixelData: pixelBytes.buffer,
  };
  for (const key of COPIED) {
    const v = first[key];
    if (v !== undefined && v !== null && v !== "") dataset[key] = v;
  }
  for (const key of TYPE2) if (dataset[key] === undefined) dataset[key] = "";

  const { DicomMetaDictionary, DicomDict } = dcmjs.data;
  const version = new Uint8Array([0, 1]);
  const meta = DicomMetaDictionary.denaturalizeDataset({
    _vrMap: {},
    FileMetaInformationVersion: version.buffer,
    MediaStorageSOPClassUID: SEGMENTATION_STORAGE,
    MediaStorageSOPInstanceUID: sopInstanceUid,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: `RADSCORE_${VERSION}`.slice(0, 16),
  });
  const dict = new DicomDict(meta);
  try {
    dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
    return new Uint8Array(dict.write());
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    throw new ImageWriteError(file, `DICOM encoding failed: ${text}`, { cause: error });
  }
}
