/**
 * The label map as PyRadiomics reads it: the mask cast to UInt32 (getMask's sitk.Cast) and the
 * bounding box of a label on that cast (LabelShapeStatistics).
 */
import { type Vec3, type Volume, withData } from "../volume.js";

/** sitk.Cast(mask, sitkUInt32) as getMask does it (static_cast: truncation, modular for < 0). */
export function castMaskToUInt32(mask: Volume): Volume<Uint32Array> {
  let data: Uint32Array;
  if (mask.data instanceof Uint32Array) data = mask.data;
  else {
    data = new Uint32Array(mask.data.length);
    const src = mask.data;
    for (let i = 0; i < src.length; i++) data[i] = Math.trunc(src[i]!) >>> 0;
  }
  return withData(mask, data);
}

/**
 * Lower corner and size per axis of the voxels whose UInt32 cast (castMaskToUInt32) equals `label`
 * (LabelShapeStatistics on the cast mask).
 */
export function labelBoundingBox(mask: Volume, label: number): { lower: Vec3; size: Vec3 } | null {
  const [nx, ny, nz] = mask.size;
  const d = mask.data;
  // Integer voxels equal to a label in [0, 2^31) are exactly those whose UInt32 cast equals it.
  const exact =
    !(d instanceof Float32Array || d instanceof Float64Array) &&
    Number.isInteger(label) &&
    label >= 0 &&
    label < 2 ** 31;
  let x0 = nx;
  let y0 = ny;
  let z0 = nz;
  let x1 = -1;
  let y1 = -1;
  let z1 = -1;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      let first = -1;
      let last = -1;
      if (exact) {
        const row = d.subarray(i, i + nx);
        first = row.indexOf(label);
        if (first >= 0) last = row.lastIndexOf(label);
        i += nx;
      } else {
        for (let x = 0; x < nx; x++, i++) {
          if (Math.trunc(d[i]!) >>> 0 !== label) continue;
          if (first < 0) first = x;
          last = x;
        }
      }
      if (first < 0) continue;
      if (first < x0) x0 = first;
      if (last > x1) x1 = last;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
    }
  }
  if (x1 < 0) return null;
  return { lower: [x0, y0, z0], size: [x1 - x0 + 1, y1 - y0 + 1, z1 - z0 + 1] };
}
