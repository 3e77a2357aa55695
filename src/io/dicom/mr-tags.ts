/**
 * The elements the MR series writer uses: keyword -> [tag, VR] as in PS3.6, and the ones a caller may
 * not override.
 */
import type { RawElement as RawDicomElement } from "./encode.js";

// ---------------------------------------------------------------------------------------------
// The elements this module writes: keyword -> [tag, VR], as in PS3.6 (checked against dcmjs'
// dictionary by the tests, which read every one back under its keyword).

export const TAGS = {
  FileMetaInformationVersion: ["00020001", "OB"],
  MediaStorageSOPClassUID: ["00020002", "UI"],
  MediaStorageSOPInstanceUID: ["00020003", "UI"],
  TransferSyntaxUID: ["00020010", "UI"],
  ImplementationClassUID: ["00020012", "UI"],
  ImplementationVersionName: ["00020013", "SH"],
  SpecificCharacterSet: ["00080005", "CS"],
  ImageType: ["00080008", "CS"],
  InstanceCreationDate: ["00080012", "DA"],
  InstanceCreationTime: ["00080013", "TM"],
  SOPClassUID: ["00080016", "UI"],
  SOPInstanceUID: ["00080018", "UI"],
  StudyDate: ["00080020", "DA"],
  SeriesDate: ["00080021", "DA"],
  AcquisitionDate: ["00080022", "DA"],
  ContentDate: ["00080023", "DA"],
  StudyTime: ["00080030", "TM"],
  SeriesTime: ["00080031", "TM"],
  AcquisitionTime: ["00080032", "TM"],
  ContentTime: ["00080033", "TM"],
  AccessionNumber: ["00080050", "SH"],
  Modality: ["00080060", "CS"],
  Manufacturer: ["00080070", "LO"],
  InstitutionName: ["00080080", "LO"],
  ReferringPhysicianName: ["00080090", "PN"],
  CodeValue: ["00080100", "SH"],
  CodingSchemeDesignator: ["00080102", "SH"],
  CodeMeaning: ["00080104", "LO"],
  StationName: ["00081010", "SH"],
  StudyDescription: ["00081030", "LO"],
  SeriesDescription: ["0008103E", "LO"],
  ManufacturerModelName: ["00081090", "LO"],
  PatientName: ["00100010", "PN"],
  PatientID: ["00100020", "LO"],
  PatientBirthDate: ["00100030", "DA"],
  PatientSex: ["00100040", "CS"],
  BodyPartExamined: ["00180015", "CS"],
  ScanningSequence: ["00180020", "CS"],
  SequenceVariant: ["00180021", "CS"],
  ScanOptions: ["00180022", "CS"],
  MRAcquisitionType: ["00180023", "CS"],
  SequenceName: ["00180024", "SH"],
  AngioFlag: ["00180025", "CS"],
  SliceThickness: ["00180050", "DS"],
  RepetitionTime: ["00180080", "DS"],
  EchoTime: ["00180081", "DS"],
  InversionTime: ["00180082", "DS"],
  NumberOfAverages: ["00180083", "DS"],
  ImagingFrequency: ["00180084", "DS"],
  ImagedNucleus: ["00180085", "SH"],
  EchoNumbers: ["00180086", "IS"],
  MagneticFieldStrength: ["00180087", "DS"],
  SpacingBetweenSlices: ["00180088", "DS"],
  EchoTrainLength: ["00180091", "IS"],
  PixelBandwidth: ["00180095", "DS"],
  SoftwareVersions: ["00181020", "LO"],
  ProtocolName: ["00181030", "LO"],
  TriggerTime: ["00181060", "DS"],
  InPlanePhaseEncodingDirection: ["00181312", "CS"],
  FlipAngle: ["00181314", "DS"],
  PatientPosition: ["00185100", "CS"],
  DiffusionDirectionality: ["00189075", "CS"],
  DiffusionBValue: ["00189087", "FD"],
  StudyInstanceUID: ["0020000D", "UI"],
  SeriesInstanceUID: ["0020000E", "UI"],
  StudyID: ["00200010", "SH"],
  SeriesNumber: ["00200011", "IS"],
  Laterality: ["00200060", "CS"],
  AcquisitionNumber: ["00200012", "IS"],
  InstanceNumber: ["00200013", "IS"],
  ImagePositionPatient: ["00200032", "DS"],
  ImageOrientationPatient: ["00200037", "DS"],
  FrameOfReferenceUID: ["00200052", "UI"],
  TemporalPositionIdentifier: ["00200100", "IS"],
  NumberOfTemporalPositions: ["00200105", "IS"],
  PositionReferenceIndicator: ["00201040", "LO"],
  SliceLocation: ["00201041", "DS"],
  SamplesPerPixel: ["00280002", "US"],
  PhotometricInterpretation: ["00280004", "CS"],
  Rows: ["00280010", "US"],
  Columns: ["00280011", "US"],
  PixelSpacing: ["00280030", "DS"],
  BitsAllocated: ["00280100", "US"],
  BitsStored: ["00280101", "US"],
  HighBit: ["00280102", "US"],
  PixelRepresentation: ["00280103", "US"],
  // VR "US or SS": the writer picks the one matching PixelRepresentation.
  SmallestImagePixelValue: ["00280106", "xs"],
  LargestImagePixelValue: ["00280107", "xs"],
  WindowCenter: ["00281050", "DS"],
  WindowWidth: ["00281051", "DS"],
  RescaleIntercept: ["00281052", "DS"],
  RescaleSlope: ["00281053", "DS"],
  LUTExplanation: ["00283003", "LO"],
  MeasurementUnitsCodeSequence: ["004008EA", "SQ"],
  RealWorldValueMappingSequence: ["00409096", "SQ"],
  LUTLabel: ["00409210", "SH"],
  RealWorldValueLastValueMapped: ["00409211", "xs"],
  RealWorldValueFirstValueMapped: ["00409216", "xs"],
  RealWorldValueIntercept: ["00409224", "FD"],
  RealWorldValueSlope: ["00409225", "FD"],
  PixelData: ["7FE00010", "OW"],
} as const satisfies Record<string, readonly [string, string]>;

export type Keyword = keyof typeof TAGS;
export type ElementDict = Record<string, RawDicomElement>;

/** The keyword -> tag table the writer uses (exported for tests). */
export const WRITTEN_TAGS: Readonly<Record<string, readonly [string, string]>> = TAGS;

/**
 * Elements a caller's perVolumeElements may not replace: they define the pixels, where they are
 * and which object they belong to, so overriding them would produce an inconsistent series.
 */
export const PROTECTED: ReadonlySet<string> = new Set(
  (
    [
      "SOPClassUID",
      "SOPInstanceUID",
      "StudyInstanceUID",
      "SeriesInstanceUID",
      "FrameOfReferenceUID",
      "SeriesNumber",
      "InstanceNumber",
      "ImagePositionPatient",
      "ImageOrientationPatient",
      "PixelSpacing",
      "SamplesPerPixel",
      "PhotometricInterpretation",
      "Rows",
      "Columns",
      "BitsAllocated",
      "BitsStored",
      "HighBit",
      "PixelRepresentation",
      "RescaleIntercept",
      "RescaleSlope",
      "SpecificCharacterSet",
      "PixelData",
    ] as Keyword[]
  ).map((k) => TAGS[k][0]),
);

/** One element of the table by keyword: [tag, {vr, Value}] (the VR may be overridden). */
export function el(keyword: Keyword, values: unknown[], vr?: string): [string, RawDicomElement] {
  const [tag, defaultVr] = TAGS[keyword];
  return [tag, { vr: vr ?? defaultVr, Value: values }];
}
