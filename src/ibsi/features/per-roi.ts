/**
 * What IBSI-1's per-ROI families share (features computed over the whole 3D ROI, recommendation
 * DHQ4, reported without an aggregation code): the intensities of the intensity-mask voxels
 * (intensity statistics 3.3, intensity-volume histogram 3.5) and the feature list in tag order.
 */
import type { IbsiFeatureValue, IbsiImage } from "../types.js";

/** Intensities of the intensity-mask voxels, in raster order. */
export function roiIntensities(image: IbsiImage): Float64Array {
  const { intensities, intensityMask } = image;
  if (intensities.length !== intensityMask.length) {
    throw new Error(
      `IBSI image: intensities (${intensities.length}) and intensityMask (${intensityMask.length}) differ in length`,
    );
  }
  let n = 0;
  for (let i = 0; i < intensityMask.length; i++) if (intensityMask[i] !== 0) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < intensityMask.length; i++) {
    if (intensityMask[i] !== 0) out[k++] = intensities[i]!;
  }
  return out;
}

/**
 * One value per tag (aggregation ""), in `tags` order; every value NaN, deliberately, where
 * `values` is undefined (a ROI without voxels defines none).
 */
export function perRoiFeatures<T extends string>(
  tags: readonly T[],
  values: Readonly<Record<T, number>> | undefined,
): IbsiFeatureValue[] {
  return tags.map((tag) => ({ tag, aggregation: "", value: values ? values[tag] : Number.NaN }));
}
