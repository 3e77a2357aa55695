/** Messages between the page and its Web Workers (structured-cloned; File objects are handles). */

import type { PerturbedFeatures } from "../../../src/image/perturbation/features.js";
import type { Volume } from "../../../src/image/volume.js";
import type { MaskSelector } from "../../../src/io/dicom/case.js";
import type { SeriesSelector } from "../../../src/io/dicom/select.js";
import type { DemoSequence } from "../../../src/study/demo-cohort.js";
import type { ExtractionPair, SequenceExtractionInfo } from "../../../src/study/extraction-plan.js";
import type { RobustnessSettings, SequencePerturbations } from "../../../src/study/robustness.js";

/** Where an image comes from: the demo generator (made in the worker) or a file the user opened. */
export type ImageSpec =
  | { kind: "demo"; seed: number; patient: string; sequence: DemoSequence; secondReader: boolean }
  | { kind: "file"; name: string; file: Blob }
  /** A DICOM series folder: its files (name order) and the study's series / volume selector. */
  | {
      kind: "dicom";
      name: string;
      files: { name: string; file: Blob }[];
      selector: SeriesSelector;
    };

/** A mask: the demo's reader 1 / reader 2 mask, an opened file, or one drawn in the app. */
export type MaskSpec =
  | { kind: "demo"; which: "mask" | "mask2" }
  /** An image file, or a DICOM-SEG / RTSTRUCT (with the study's segment / ROI selector). */
  | { kind: "file"; name: string; file: Blob; selector?: MaskSelector }
  | { kind: "volume"; name: string; volume: Volume };

/** One image with the masks of its readers (the image is read once for both). */
export interface ExtractJob {
  kind?: "extract";
  id: number;
  sequence: string;
  image: ImageSpec;
  masks: { reader: 1 | 2; mask: MaskSpec }[];
  /** PyRadiomics parameter text (null: PyRadiomics' defaults). */
  paramsText: string | null;
  label: number | null;
  /** Who, for messages ("patient 'P001'"). */
  who: string;
}

export type ExtractReply =
  | {
      id: number;
      ok: true;
      /** Features suffixed with the sequence, per reader; cached: from the workspace store. */
      results: { reader: 1 | 2; features: Record<string, number>; cached: boolean }[];
    }
  | { id: number; ok: false; error: string };

/**
 * One training patient's sequence for the robustness step (preprocessing.robustness): its image
 * and reader-1 mask perturbed as robustnessPlan(settings, patientIndex, label) says, and every
 * perturbed pair's features extracted with the sequence's parameters (as `radscore study`'s
 * perturb task).
 */
export interface PerturbJob {
  kind: "perturb";
  id: number;
  sequence: string;
  image: ImageSpec;
  mask: MaskSpec;
  paramsText: string | null;
  /** The sequence's label (null: the parameters' setting.label), the plan's ROI label. */
  label: number | null;
  settings: RobustnessSettings;
  /** The patient's index in the manifest (the plan's seed offset). */
  patientIndex: number;
  who: string;
}

export type PerturbReply =
  | {
      id: number;
      ok: true;
      /** Feature names not suffixed (assessRobustness suffixes them). */
      perturbed: PerturbedFeatures;
      /** From the workspace's feature store (an earlier run). */
      cached: boolean;
    }
  | { id: number; ok: false; error: string };

/** A voxel-based feature map of one feature (e.g. "firstorder_Mean") for the viewer. */
export interface VoxelMapJob {
  kind: "voxel-map";
  id: number;
  image: ImageSpec;
  mask: MaskSpec;
  paramsText: string | null;
  label: number | null;
  feature: string;
  kernelRadius: number;
  who: string;
}

export type VoxelMapReply =
  | { id: number; ok: true; map: Volume<Float64Array> }
  | { id: number; ok: false; error: string };

/** Inputs of the statistics run (after extraction, or from a feature table). */
export interface StudyJob {
  configRaw: unknown;
  configName: string;
  manifest: { name: string; text: string };
  input:
    | {
        kind: "extracted";
        pairs: ExtractionPair[];
        results: Record<string, number>[];
        sequenceInfo: Record<string, SequenceExtractionInfo>;
        /**
         * The training patients' perturbed features per sequence (preprocessing.robustness), for
         * assessRobustness in the worker (the ICCs of every feature of a real study take longer
         * than the page may block); null without the step.
         */
        perturbations: SequencePerturbations[] | null;
      }
    | {
        kind: "table";
        table: { name: string; text: string };
        reader2: { name: string; text: string } | null;
      };
  /** Extraction timing and input hashes measured by the page, for manifest.json. */
  timings: { stage: string; seconds: number }[];
  inputHashes: Record<string, string>;
  userAgent: string;
}

export type StudyReply =
  | { kind: "progress"; stage: string; done: number; total: number }
  | {
      kind: "done";
      /**
       * Output files by name: features.csv, model.json, result.json, predictions.csv,
       * robustness.csv (preprocessing.robustness), manifest.json, report.html.
       */
      files: Record<string, string>;
    }
  | { kind: "error"; error: string };
