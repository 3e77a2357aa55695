/**
 * The viewer's public contract with the app (ViewerHost supplies cases and stores masks) and the
 * small shared types of its modules.
 */
import type { Volume } from "../../../src/image/volume.js";

export interface CaseRef {
  patient: string;
  sequence: string;
}

export interface LoadedCase {
  image: Volume;
  masks: { 1: Volume<Uint8Array> | null; 2: Volume<Uint8Array> | null };
  /** Names for messages and saved files, e.g. "P001 T2". */
  title: string;
  /** Label value of the ROI in the masks (default 1). */
  label?: number;
  /** When the image came from a DICOM series: its files' bytes (for DICOM-SEG export). */
  dicomFiles?: Uint8Array[];
}

/**
 * Voxel-based feature maps (PyRadiomics' voxel mode: a feature computed on a small kernel around
 * every ROI voxel), computed by the host and shown by the viewer as a colour overlay.
 */
export interface FeatureMapSupport {
  /**
   * Features offered, PyRadiomics names without the image-type prefix, e.g. "firstorder_Mean",
   * "glcm_Contrast".
   */
  features: string[];
  /**
   * The map of `feature` for the case (kernel radius in voxels, on the given reader's ROI): a
   * Float64 volume on the image's grid (same size as the image), NaN outside the ROI. May take
   * seconds; may throw (the viewer shows the message).
   */
  compute(
    ref: CaseRef,
    feature: string,
    kernelRadius: number,
    reader: 1 | 2,
  ): Promise<Volume<Float64Array>>;
}

export interface ViewerHost {
  /** Patient / sequence switcher content. */
  cases(): CaseRef[];
  /** May throw: the viewer shows the message and stays usable. */
  load(ref: CaseRef): Promise<LoadedCase>;
  /** Persists edits to the workspace (called after each edit action, debounced ~500 ms). */
  saveMask(ref: CaseRef, reader: 1 | 2, mask: Volume<Uint8Array>): Promise<void>;
  /**
   * Feature maps: when present, the toolbar offers them (computed for the active reader's ROI,
   * after any pending mask save has reached saveMask).
   */
  featureMaps?: FeatureMapSupport;
}

/** The case open in the viewer: its image and each reader's mask as shown (edits included). */
export interface OpenCase {
  ref: CaseRef;
  title: string;
  image: Volume;
  masks: { 1: Volume<Uint8Array> | null; 2: Volume<Uint8Array> | null };
}

export interface ViewerHandle {
  open(ref: CaseRef): Promise<void>;
  /** The open case (null while none is loaded). */
  current(): OpenCase | null;
  refresh(): void;
  destroy(): void;
}

export type Reader = 1 | 2;
export type Tool = "navigate" | "polygon" | "brush" | "erase";
/** "largest": one ROI slice per case (largest cross-section); "3d": slice by slice. */
export type DrawMode = "largest" | "3d";
export type ViewerState = "empty" | "loading" | "ready" | "error";
/** The feature map's state (root data-map-state): maps belong to a case, "none" after a switch. */
export type MapState = "none" | "computing" | "ready" | "error";
/** Kernel radii offered for feature maps (voxels; the kernel is a (2r + 1)^3 box). */
export const MAP_RADII = [1, 2, 3] as const;

/** Okabe-Ito colours (colour-blind safe): reader 1 orange, reader 2 sky blue. */
export const READER_COLOURS: Record<Reader, { hex: string; rgb: [number, number, number] }> = {
  1: { hex: "#E69F00", rgb: [230, 159, 0] },
  2: { hex: "#56B4E9", rgb: [86, 180, 233] },
};

/** The select value of a case: patient and sequence joined by a tab. */
export function caseKey(ref: CaseRef): string {
  return `${ref.patient}\t${ref.sequence}`;
}
