/**
 * The filter provider the extraction pipeline uses for every image type but Original, and for
 * resampling: each PyRadiomics image type maps to its generator of derived images.
 */
import { type DerivedImage, ExtractionError, type FilterProvider } from "../extract/derived.js";
import type { ImageTypeName, Settings } from "../extract/params.js";
import type { BoundingBox } from "../image/mask.js";
import { resampleImageAndMask } from "../image/resample.js";
import type { Volume } from "../image/volume.js";
import { gradientImages } from "./gradient.js";
import { exponentialImages, logarithmImages, squareImages, squareRootImages } from "./intensity.js";
import { lbp2DImages, lbp3DImages } from "./lbp.js";
import { logImages } from "./log.js";
import { waveletImages } from "./wavelet.js";

type Generator = (
  image: Volume,
  roi: Uint8Array,
  settings: Settings,
  region?: BoundingBox,
) => Iterable<DerivedImage>;

const GENERATORS: Partial<Record<ImageTypeName, Generator>> = {
  LoG: logImages,
  Square: squareImages,
  SquareRoot: squareRootImages,
  Logarithm: logarithmImages,
  Exponential: exponentialImages,
  Gradient: gradientImages,
  Wavelet: waveletImages,
  LBP2D: lbp2DImages,
  LBP3D: lbp3DImages,
};

export const FILTERS: FilterProvider = {
  derivedImages(type, image, roi, settings, region) {
    const generate = GENERATORS[type];
    if (!generate) throw new ExtractionError(`image type '${type}' is not available in this build`);
    return generate(image, roi, settings, region);
  },
  resample: resampleImageAndMask,
};
