/** How Philips-like, Siemens-like and generic scanners write classic MR series (the demo writer). */
import { VERSION } from "../../version.js";
import { pad } from "./dicom-text.js";
import type { MrAcquisition, MrVendor, MrVolumeKind } from "./write-series.js";

// ---------------------------------------------------------------------------------------------
// Vendor flavours.

export interface Flavour {
  manufacturer: string;
  model: string;
  fieldStrength: number;
  softwareVersions: string[];
  stationName: string;
  /** Digits of the seconds fraction in TM values. */
  timeDigits: number;
  imageType: Record<MrVolumeKind, string[]>;
  fileName: (series: number, instance: number, width: number) => string;
}

export const FLAVOURS: Record<MrVendor, Flavour> = {
  philips: {
    manufacturer: "Philips Medical Systems",
    model: "Achieva",
    fieldStrength: 3,
    softwareVersions: ["5.6.1", "5.6.1.2"],
    stationName: "PHILIPS-MR1",
    timeDigits: 2,
    imageType: {
      // Philips: value 3 names the reconstruction (M_FFE, M_SE), values 4-5 repeat the type.
      phase: ["ORIGINAL", "PRIMARY", "M_FFE", "M", "FFE"],
      bvalue: ["ORIGINAL", "PRIMARY", "M_SE", "M", "SE"],
      none: ["ORIGINAL", "PRIMARY", "M_SE", "M", "SE"],
    },
    fileName: (_s, i, w) => `IM_${pad(i, w)}.dcm`,
  },
  siemens: {
    manufacturer: "SIEMENS",
    model: "Aera",
    fieldStrength: 1.5,
    softwareVersions: ["syngo MR E11"],
    stationName: "AWP66012",
    timeDigits: 6,
    imageType: {
      phase: ["ORIGINAL", "PRIMARY", "M", "ND", "NORM"],
      bvalue: ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE", "ND", "NORM"],
      none: ["ORIGINAL", "PRIMARY", "M", "ND", "NORM"],
    },
    fileName: (s, i, w) => `MR.${s}.${pad(i, w)}.dcm`,
  },
  generic: {
    manufacturer: "radscore",
    model: "synthetic",
    fieldStrength: 1.5,
    softwareVersions: [`radscore ${VERSION}`],
    stationName: "RADSCORE",
    timeDigits: 6,
    imageType: {
      phase: ["ORIGINAL", "PRIMARY", "M", "NONE"],
      bvalue: ["ORIGINAL", "PRIMARY", "DIFFUSION", "NONE"],
      none: ["ORIGINAL", "PRIMARY", "M", "NONE"],
    },
    fileName: (_s, i, w) => `IMG${pad(i, Math.max(5, w))}.dcm`,
  },
};

/** Plausible sequences: 3D fat-saturated spoiled GRE (DCE), 2D SE-EPI (DWI), 2D TSE (T2). */
export const DEFAULT_ACQUISITION: Record<MrVolumeKind, MrAcquisition> = {
  phase: {
    scanningSequence: ["GR"],
    sequenceVariant: ["SP"],
    scanOptions: ["FS"],
    mrAcquisitionType: "3D",
    repetitionTime: 4.5,
    echoTime: 2.2,
    flipAngle: 12,
    echoTrainLength: 1,
    numberOfAverages: 1,
    pixelBandwidth: 450,
    inPlanePhaseEncodingDirection: "ROW",
  },
  bvalue: {
    scanningSequence: ["SE", "EP"],
    sequenceVariant: ["SK", "SS"],
    scanOptions: ["FS"],
    mrAcquisitionType: "2D",
    repetitionTime: 5000,
    echoTime: 70,
    flipAngle: 90,
    echoTrainLength: 1,
    numberOfAverages: 2,
    pixelBandwidth: 1800,
    inPlanePhaseEncodingDirection: "ROW",
  },
  none: {
    scanningSequence: ["SE"],
    sequenceVariant: ["SK"],
    scanOptions: [],
    mrAcquisitionType: "2D",
    repetitionTime: 4000,
    echoTime: 90,
    flipAngle: 90,
    echoTrainLength: 16,
    numberOfAverages: 1,
    pixelBandwidth: 220,
    inPlanePhaseEncodingDirection: "ROW",
  },
};

/** Siemens' SequenceName conventions: *fl3d1 (FLASH/VIBE), *ep_b1000t (DWI trace), *tse2d1_16. */
export function siemensSequenceName(
  kind: MrVolumeKind,
  acq: MrAcquisition,
  bValue?: number,
): string | undefined {
  if (kind === "bvalue") {
    if (bValue === undefined) return undefined; // rather none than a wrong b-value
    return bValue > 0 ? `*ep_b${Math.round(bValue)}t` : "*ep_b0";
  }
  if (kind === "phase") return acq.mrAcquisitionType === "3D" ? "*fl3d1" : "*fl2d1";
  return `*tse2d1_${acq.echoTrainLength}`;
}

export const PATIENT_POSITIONS = new Set([
  "HFS",
  "HFP",
  "FFS",
  "FFP",
  "HFDR",
  "HFDL",
  "FFDR",
  "FFDL",
]);
