/**
 * The demo cohort as DICOM, written the way the reference study's two centres' scanners export it,
 * so that `radscore demo --dicom` runs the study from series folders and DICOM-SEG masks:
 *
 * - centre 1 (training): Philips Achieva 3.0 T. DCE with 5 dynamics told apart by
 *   TemporalPositionIdentifier / TriggerTime (AcquisitionTime is the scan start for every dynamic);
 *   DWI b-values in the public DiffusionBValue and in Philips' private (2001,1003), DWI instances
 *   numbered slice by slice (b = 0 and b = 800 of a slice follow each other), as Philips exports.
 * - centre 2 (test): Siemens MAGNETOM Aera 1.5 T. DCE with 6 measurements told apart by
 *   AcquisitionNumber / AcquisitionTime only; DWI b-values only in the CSA image header
 *   (0029,1010), (0019,100C) and the SequenceName (*ep_b800t), no public b-value; the b > 0 trace
 *   images are DERIVED\PRIMARY\DIFFUSION\TRACEW.
 *
 * Per patient: a T2 series (the demo's T2 image), a DWI series (b = 0 and b = 800; the demo's DWI
 * image is b = 800), a DCE series (phase 2 is the demo's DCE2 image) and one BINARY DICOM-SEG per
 * sequence and reader, referencing the instances the mask was drawn on (DWI: b = 800; DCE: phase
 * 2). The volumes the demo does not have (b = 0, the other DCE phases) are deterministic integer
 * functions of the ones it has, so every voxel radiomics reads is the NRRD demo's voxel.
 *
 * Every UID, date and time derives from the cohort seed and the patient, so a rerun writes
 * byte-identical files. Pure: builds the files in memory; the CLI writes them.
 */
import type { Volume } from "../image/volume.js";
import { vendorDiffusionElements } from "../io/dicom/diffusion.js";
import { parseDicom } from "../io/dicom/parse.js";
import { type SegmentationReference, writeSegmentation } from "../io/dicom/seg-write.js";
import {
  type DicomSeriesFile,
  type MrAcquisition,
  type MrEquipment,
  makeUid,
  type RawDicomElement,
  type WriteMrSeriesOptions,
  writeMrSeries,
} from "../io/dicom/write-series.js";
import {
  DEMO_SEQUENCES,
  type DemoImages,
  type DemoPatient,
  type DemoSequence,
  generateDemoImages,
} from "./demo-cohort.js";

/** b-values of the DWI series (s/mm^2); the demo's DWI image is the b = 800 volume. */
export const DEMO_DWI_BVALUES = [0, 800] as const;
/** The b-value the study extracts. */
export const DEMO_DWI_BVALUE = 800;
/** The DCE phase the study extracts (1-based; the reference study's "DCE phase 2"). */
export const DEMO_DCE_PHASE = 2;

/** Per study sequence: the series folder and the selector study.yaml gives for it. */
export const DEMO_DICOM_SEQUENCES: Record<
  DemoSequence,
  { folder: string; selector: { bvalue?: number; phase?: number } }
> = {
  T2: { folder: "T2", selector: {} },
  DWI: { folder: "DWI", selector: { bvalue: DEMO_DWI_BVALUE } },
  DCE2: { folder: "DCE", selector: { phase: DEMO_DCE_PHASE } },
};

interface SeriesProtocol {
  number: number;
  description: string;
  acquisition: Partial<MrAcquisition>;
}

/** One centre's scanner and protocol. */
export interface DemoScanner {
  vendor: "philips" | "siemens";
  equipment: MrEquipment;
  /** DCE phases acquired (Philips protocol 5 dynamics, Siemens 6 measurements). */
  dcePhases: number;
  /** Seconds between DCE phases. */
  dceInterval: number;
  series: Record<DemoSequence, SeriesProtocol>;
}

export const DEMO_SCANNERS: Record<1 | 2, DemoScanner> = {
  1: {
    vendor: "philips",
    equipment: {
      manufacturer: "Philips Medical Systems",
      manufacturerModelName: "Achieva",
      magneticFieldStrength: 3,
      institutionName: "radscore demo centre 1",
    },
    dcePhases: 5,
    dceInterval: 60,
    // Philips numbers series scan x 100 + reconstruction.
    series: {
      T2: {
        number: 401,
        description: "T2W_TSE_SPAIR",
        acquisition: {
          scanningSequence: ["SE"],
          sequenceVariant: ["SK"],
          scanOptions: ["FS"],
          repetitionTime: 4500,
          echoTime: 80,
          echoTrainLength: 17,
          pixelBandwidth: 232,
        },
      },
      DWI: {
        number: 501,
        description: "DWI_SPAIR_b0_800",
        acquisition: { repetitionTime: 5200, echoTime: 58, pixelBandwidth: 2100 },
      },
      DCE2: {
        number: 701,
        description: "THRIVE_DYN",
        acquisition: { repetitionTime: 4.4, echoTime: 2.1, flipAngle: 12 },
      },
    },
  },
  2: {
    vendor: "siemens",
    equipment: {
      manufacturer: "SIEMENS",
      manufacturerModelName: "Aera",
      magneticFieldStrength: 1.5,
      institutionName: "radscore demo centre 2",
    },
    dcePhases: 6,
    dceInterval: 70,
    series: {
      T2: {
        number: 4,
        description: "t2_tse_tra_fs",
        acquisition: {
          scanningSequence: ["SE"],
          sequenceVariant: ["SK", "SP", "OSP"],
          scanOptions: ["PFP", "FS"],
          repetitionTime: 4000,
          echoTime: 85,
          echoTrainLength: 15,
          pixelBandwidth: 250,
        },
      },
      DWI: {
        number: 6,
        description: "ep2d_diff_b0_800_TRACEW",
        acquisition: { repetitionTime: 6000, echoTime: 74, pixelBandwidth: 1860 },
      },
      DCE2: {
        number: 9,
        description: "t1_fl3d_tra_dyn_fs",
        acquisition: { repetitionTime: 4.7, echoTime: 1.7, flipAngle: 10 },
      },
    },
  },
};

const clampInt16 = (x: number) => Math.max(-32768, Math.min(32767, Math.round(x)));
const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/**
 * The b = 0 volume of a DWI series whose b = 800 volume is `b800`: S0 = S800 exp(800 ADC), with an
 * ADC that falls from 2.0e-3 mm^2/s (free water, dark on b = 800) to the patient's lesion ADC
 * (restricted diffusion, bright on b = 800), so the lesion is less conspicuous at b = 0 than at
 * b = 800, as on real scans. `lesionAdc` in 1e-3 mm^2/s (the manifest's adc).
 */
export function demoDwiB0(b800: Volume<Int16Array>, lesionAdc: number): Volume<Int16Array> {
  const out = new Int16Array(b800.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = b800.data[i]!;
    const w = clamp01((v - 180) / (820 - 180));
    const adc = (2.0 - (2.0 - lesionAdc) * w) * 1e-3;
    out[i] = clampInt16(v * Math.exp(800 * adc));
  }
  return { ...b800, data: out };
}

/** Relative enhancement curves (phase 2 = 1): washout for lesion tissue, persistent for background. */
const LESION_CURVE = [0, 1, 0.93, 0.86, 0.8, 0.75];
const BACKGROUND_CURVE = [0, 1, 1.08, 1.14, 1.18, 1.21];

/**
 * The `count` DCE phases around the demo's phase-2 image: phase 1 is pre-contrast, phase 2 is
 * `phase2` itself (the same array values), later phases wash out where phase 2 is lesion-bright
 * (type III curve) and keep enhancing where it is background (type I). Each voxel's pre-contrast
 * signal is its phase-2 signal over (1 + its relative enhancement at phase 2).
 */
export function demoDcePhases(phase2: Volume<Int16Array>, count: number): Volume<Int16Array>[] {
  if (!Number.isInteger(count) || count < 2 || count > LESION_CURVE.length) {
    throw new Error(`DCE phase count ${count} must be 2..${LESION_CURVE.length}`);
  }
  return Array.from({ length: count }, (_, p) => {
    if (p === DEMO_DCE_PHASE - 1) return { ...phase2, data: phase2.data.slice() };
    const out = new Int16Array(phase2.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = phase2.data[i]!;
      const w = clamp01((v - 420) / (1500 - 420));
      const enhancement = 0.3 + 1.2 * w;
      const curve = (1 - w) * BACKGROUND_CURVE[p]! + w * LESION_CURVE[p]!;
      out[i] = clampInt16((v / (1 + enhancement)) * (1 + enhancement * curve));
    }
    return { ...phase2, data: out };
  });
}

/** A DA date `days` after 2023-01-09 (UTC arithmetic: no time zone involved). */
function dateAfter(days: number): { text: string; year: number; month: number; day: number } {
  const d = new Date(Date.UTC(2023, 0, 9) + days * 86_400_000);
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const text = `${year}${String(month).padStart(2, "0")}${String(day).padStart(2, "0")}`;
  return { text, year, month, day };
}

const hhmmss = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, "0")}${String(minutes % 60).padStart(2, "0")}00`;

export interface DemoDicomFile {
  /** Path relative to the patient's folder, "/"-separated (e.g. "DCE/IM_0001.dcm"). */
  path: string;
  bytes: Uint8Array;
}

export interface DemoDicomPatient {
  files: DemoDicomFile[];
  /**
   * Per study sequence, relative to the patient's folder: the series folder, reader 1's SEG and
   * reader 2's SEG (null without a second reader).
   */
  sequences: Record<DemoSequence, { image: string; mask: string; mask2: string | null }>;
}

export interface DemoDicomOptions {
  /** The cohort seed (enters every UID). */
  seed: number;
  /** Write the second reader's SEGs too. */
  secondReader: boolean;
}

/** The patient's number (P007 -> 7), for dates and study IDs. */
function serialOf(patient: DemoPatient): number {
  const n = Number(patient.id.replace(/^\D+/, ""));
  return Number.isInteger(n) && n > 0 ? n : 1;
}

/**
 * Every DICOM file of one demo patient (three MR series and the SEGs), in memory. Deterministic:
 * the same patient, seed and secondReader give byte-identical files.
 */
export function demoDicomPatient(
  patient: DemoPatient,
  options: DemoDicomOptions,
): DemoDicomPatient {
  const scanner = DEMO_SCANNERS[patient.centre];
  const serial = serialOf(patient);
  // One visit per patient, two per working day from the cohort's first date, centre by centre.
  const date = dateAfter(Math.floor((serial - 1) / 2) + (patient.centre === 2 ? 3 : 0));
  const startMinutes = 8 * 60 + 30 + ((serial - 1) % 2) * 150;
  // One seed per patient: the writer derives the study and frame-of-reference UIDs from it alone,
  // so the three series share them (one visit, one table position), while series and instance UIDs
  // also depend on the series number.
  const uidSeed = `radscore-demo|${options.seed}|${patient.id}`;
  const common = {
    vendor: scanner.vendor,
    patient: {
      id: patient.id,
      name: `DEMO^${patient.id}`,
      // 1 January of the birth year: the age on the study date is the manifest's age.
      birthDate: `${date.year - patient.clinical.age}0101`,
      sex: "F" as const,
    },
    study: {
      date: date.text,
      time: hhmmss(startMinutes),
      description: "MR BREAST BILATERAL W/WO CONTRAST",
      id: String(serial),
    },
    equipment: scanner.equipment,
    // Breast MRI is acquired prone (metadata only: geometry comes from position and orientation).
    patientPosition: "HFP",
    bodyPartExamined: "BREAST",
    uidSeed,
  } satisfies Omit<WriteMrSeriesOptions, "series">;

  const files: DemoDicomFile[] = [];
  const sequences = {} as DemoDicomPatient["sequences"];
  DEMO_SEQUENCES.forEach((seq, s) => {
    const images = generateDemoImages(patient, seq, { secondReader: options.secondReader });
    const protocol = scanner.series[seq];
    const folder = DEMO_DICOM_SEQUENCES[seq].folder;
    const base: WriteMrSeriesOptions = {
      ...common,
      series: {
        number: protocol.number,
        description: protocol.description,
        time: hhmmss(startMinutes + 3 + 5 * s),
      },
      acquisition: protocol.acquisition,
    };
    let written: DicomSeriesFile[];
    // The volume the demo's image is, whose instances the SEGs reference.
    let drawnOn: number;
    if (seq === "T2") {
      written = writeMrSeries([images.image], base);
      drawnOn = 0;
    } else if (seq === "DWI") {
      const bValues = [...DEMO_DWI_BVALUES];
      const b0 = demoDwiB0(images.image, patient.clinical.adc);
      written = writeMrSeries([b0, images.image], {
        ...base,
        volumeKind: "bvalue",
        bValues,
        perVolumeElements: (v) => diffusionElements(scanner.vendor, bValues[v]!),
        // Philips exports diffusion series slice by slice (every b-value of a slice together).
        instanceOrder: scanner.vendor === "philips" ? "slice-major" : "volume-major",
      });
      drawnOn = bValues.indexOf(DEMO_DWI_BVALUE);
    } else {
      const phases = demoDcePhases(images.image, scanner.dcePhases);
      written = writeMrSeries(phases, {
        ...base,
        volumeKind: "phase",
        phaseTimes: phases.map((_, p) => p * scanner.dceInterval),
      });
      drawnOn = DEMO_DCE_PHASE - 1;
    }
    for (const f of written) files.push({ path: `${folder}/${f.fileName}`, bytes: f.bytes });

    // The reference instances of the SEGs: the drawn-on volume's slices, in slice order.
    const references: SegmentationReference[] = written
      .filter((f) => f.volumeIndex === drawnOn)
      .sort((a, b) => a.sliceIndex - b.sliceIndex)
      .map((f) => {
        const instance = parseDicom(f.bytes, `${patient.id}/${folder}/${f.fileName}`, {
          headerOnly: true,
        });
        return {
          dataset: instance.dataset,
          sopClassUid: instance.sopClassUid,
          sopInstanceUid: f.sopInstanceUid,
        };
      });
    const seg = (mask: DemoImages["mask"], reader: 1 | 2): string => {
      const path = `${seq}_seg${reader === 1 ? "" : "2"}.dcm`;
      const uid = (what: string) =>
        makeUid(`radscore-demo-seg|${options.seed}|${patient.id}|${seq}|${reader}|${what}`);
      const bytes = writeSegmentation(
        mask,
        { instances: references },
        {
          label: 1,
          name: "Tumour",
          description: seq === "DCE2" ? "whole tumour" : "largest tumour cross-section",
          seriesDescription: `${seq} tumour ROI reader ${reader}`,
          seriesNumber: 900 + 10 * s + reader,
          contentLabel: `READER${reader}`,
          contentDescription: `Tumour ROI drawn by reader ${reader} on ${protocol.description}`,
          contentCreatorName: reader === 1 ? "Reader^One" : "Reader^Two",
          instanceUids: {
            seriesInstanceUid: uid("series"),
            sopInstanceUid: uid("instance"),
            dimensionOrganizationUid: uid("dimensions"),
          },
          // Local-time constructor, as the SEG writer formats local time: the same text anywhere.
          now: new Date(date.year, date.month - 1, date.day, 17, 0, 0),
          file: `${patient.id}/${path}`,
        },
      );
      files.push({ path, bytes });
      return path;
    };
    sequences[seq] = {
      image: folder,
      mask: seg(images.mask, 1),
      mask2: options.secondReader ? seg(images.mask2, 2) : null,
    };
  });
  return { files, sequences };
}

/** The vendor's diffusion elements of a trace-weighted (direction-less) volume with b-value `b`. */
function diffusionElements(
  vendor: "philips" | "siemens",
  b: number,
): Record<string, RawDicomElement> {
  const elements: Record<string, RawDicomElement> = vendorDiffusionElements(vendor, b);
  if (vendor === "siemens" && b > 0) {
    // Siemens' scanner-computed trace images are derived and say so in ImageType.
    elements["00080008"] = {
      vr: "CS",
      Value: ["DERIVED", "PRIMARY", "DIFFUSION", "TRACEW", "ND", "NORM"],
    };
  }
  return elements;
}
