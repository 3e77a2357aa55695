/**
 * What the extraction pipeline and the filters share: the derived images filters produce, the
 * provider interface the pipeline calls, and the error both raise. A module of its own so that
 * the filters need not import the pipeline that imports them.
 */
import type { BoundingBox } from "../image/mask.js";
import type { Volume } from "../image/volume.js";
import type { ImageTypeName, Settings } from "./params.js";

export class ExtractionError extends Error {}

/** An image derived from the (pre-processed) input image, ready for feature classes. */
export interface DerivedImage {
  /** Prefix of its feature names: 'original', 'log-sigma-1-0-mm-3D', 'wavelet-LLH', ... */
  name: string;
  image: Volume;
  /** Settings for this image (global settings overridden by the image type's own). */
  settings: Settings;
}

/**
 * Image-type generators and resampling, provided by the filters module. The pipeline calls them
 * where PyRadiomics does; the original image needs none.
 */
export interface FilterProvider {
  /**
   * The derived images of one image type. With `region`, a filter may compute only the voxels
   * inside it (exactly as on the whole image) and leave the rest 0: features read only the ROI
   * bounding box.
   */
  derivedImages(
    type: ImageTypeName,
    image: Volume,
    roi: Uint8Array,
    settings: Settings,
    region?: BoundingBox,
  ): Iterable<DerivedImage>;
  resample?(image: Volume, mask: Volume, settings: Settings): { image: Volume; mask: Volume };
}
