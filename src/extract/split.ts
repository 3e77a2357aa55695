/**
 * Splitting one extraction into parts that run independently (e.g. on worker threads) and merging
 * their results back into exactly the features, in exactly the order, of a single run. A part is a
 * set of image types (by position in params.imageTypes); the shape classes go with the part holding
 * image type 0. Parts start from one prepared case (prepareExtraction: resampling and mask checks
 * done once), or each prepares its own.
 */
import type { Volume } from "../image/volume.js";
import {
  type ExtractionResult,
  type ExtractOptions,
  extractPrepared,
  type PreparedCase,
  prepareExtraction,
} from "./extractor.js";
import { type Params, settingsFor } from "./params.js";

/** The features of one part, per derived image, so that parts can be merged in order. */
export interface PartialExtraction {
  /** Shape / shape2D features (only in the part that computes them). */
  shape: Record<string, number>;
  /** Each derived image's features, in the order computed, with its image type's position. */
  images: { imageType: number; name: string; features: Record<string, number> }[];
  diagnostics: Record<string, unknown>;
}

/** One part of an extraction: image types by position in params.imageTypes, and the shape flag. */
export interface ExtractionPart {
  imageTypes: number[];
  withShape: boolean;
}

/**
 * Relative cost of an image type, in units of one plainly filtered image's features (measured on
 * brain1 with typical_all, each image type timed alone on a prepared case): a LoG image costs about
 * 1.7 (its recursive filter runs over the whole padded image), a wavelet band about 1.2 (the bands
 * share their passes); LBP3D yields levels + 1 images; every other type 1. The shape classes add
 * 0.3 to the part holding image type 0.
 */
export function imageTypeWeight(params: Params, index: number): number {
  const type = params.imageTypes[index]!;
  const s = settingsFor(params, type);
  switch (type.name) {
    case "LoG":
      return 1.7 * Math.max(s.sigma.length, 1);
    case "Wavelet":
      return 1.2 * (s.force2D ? 4 : 8) * Math.max(s.level, 1);
    case "LBP3D":
      return s.lbp3DLevels + 1;
    default:
      return 1;
  }
}

/** Extra weight of the shape classes (marching-cubes mesh and diameters), with image type 0. */
const SHAPE_WEIGHT = 0.3;

/**
 * At most `count` parts of similar total weight (heaviest image types first, each to the lightest
 * part: greedy longest-processing-time scheduling); the shape classes go to the part holding image
 * type 0. Never an empty part.
 */
export function splitExtraction(params: Params, count: number): ExtractionPart[] {
  const n = params.imageTypes.length;
  // No image types: one part, with the shape classes only.
  if (n === 0) return [{ imageTypes: [], withShape: true }];
  const k = Math.max(1, Math.min(Math.floor(count), n));
  const hasShape = params.featureClasses.some((c) => c.name.startsWith("shape"));
  const weight = (t: number) =>
    imageTypeWeight(params, t) + (t === 0 && hasShape ? SHAPE_WEIGHT : 0);
  const order = [...Array(n).keys()].sort((a, b) => weight(b) - weight(a) || a - b);
  const parts = Array.from({ length: k }, () => ({ imageTypes: [] as number[], weight: 0 }));
  for (const t of order) {
    let lightest = parts[0]!;
    for (const p of parts) if (p.weight < lightest.weight) lightest = p;
    lightest.imageTypes.push(t);
    lightest.weight += weight(t);
  }
  return parts.map((p) => {
    const imageTypes = p.imageTypes.sort((a, b) => a - b);
    return { imageTypes, withShape: imageTypes.includes(0) };
  });
}

/** Runs one part in this thread: pre-processing, then the part's image types (and shape). */
export function extractPart(
  image: Volume,
  mask: Volume,
  params: Params,
  part: ExtractionPart,
  options: Pick<ExtractOptions, "label"> = {},
): PartialExtraction {
  return extractPreparedPart(
    prepareExtraction(image, mask, params, options),
    params,
    part,
    options,
  );
}

/** Runs one part of a prepared case in this thread. */
export function extractPreparedPart(
  prepared: PreparedCase,
  params: Params,
  part: ExtractionPart,
  options: Pick<ExtractOptions, "label"> = {},
): PartialExtraction {
  const restricted: Params = {
    ...params,
    imageTypes: part.imageTypes.map((t) => {
      const type = params.imageTypes[t];
      if (!type) throw new Error(`extraction part names image type ${t}, which params lack`);
      return type;
    }),
    featureClasses: part.withShape
      ? params.featureClasses
      : params.featureClasses.filter((c) => !c.name.startsWith("shape")),
  };
  const images: PartialExtraction["images"] = [];
  const result = extractPrepared(prepared, restricted, {
    ...options,
    onProgress: (name, local, features) =>
      images.push({ imageType: part.imageTypes[local]!, name, features }),
  });
  const imageKeys = new Set(images.flatMap((i) => Object.keys(i.features)));
  const shape: Record<string, number> = {};
  for (const [k, v] of Object.entries(result.features)) if (!imageKeys.has(k)) shape[k] = v;
  return { shape, images, diagnostics: result.diagnostics };
}

/**
 * The single-run result from parts: shape features first, then every derived image in image-type
 * order (within an image type, in the order its part computed them); diagnostics of the first part.
 */
export function mergeExtractionParts(parts: PartialExtraction[]): ExtractionResult {
  if (parts.length === 0) throw new Error("no extraction parts to merge");
  const features: Record<string, number> = {};
  for (const p of parts) Object.assign(features, p.shape);
  const images = parts.flatMap((p) => p.images);
  // Array.prototype.sort is stable: a part's images keep their order within an image type.
  images.sort((a, b) => a.imageType - b.imageType);
  for (const img of images) Object.assign(features, img.features);
  return { features, diagnostics: parts[0]!.diagnostics };
}
