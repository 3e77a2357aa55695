/**
 * Neighbour offsets ("angles") for the texture matrices, generated exactly as PyRadiomics'
 * C extension does (cmatrices.c, get_angle_count / build_angles), so that matrices are built over
 * the same angles in the same order.
 *
 * Offsets are expressed in numpy axis order of the array PyRadiomics sees: (z, y, x) for a 3D
 * image, (y, x) for a true 2D image. For distance d (infinity norm), the number of angles is
 * (2d+1)^Nd - (2d-1)^Nd per distance, with each axis range limited by the ROI bounding-box size;
 * an out-of-plane axis (force2D) only takes offset 0. Without `bidirectional` only the first half
 * of the enumeration is kept (each angle without its mirror), as GLCM and GLRLM use it.
 */

export interface AngleOptions {
  /** Bounding-box size in numpy axis order ((z, y, x) or (y, x)). */
  shape: readonly number[];
  distances: readonly number[];
  bidirectional: boolean;
  /** Numpy axis excluded from the angles (force2D), or -1 for none. */
  force2Ddimension: number;
}

/** Count of angles (PyRadiomics get_angle_count). */
export function angleCount(opts: AngleOptions): number {
  const { shape, distances, bidirectional, force2Ddimension } = opts;
  let total = 0;
  for (const d of distances) {
    if (!Number.isInteger(d) || d < 1) throw new Error(`distances must be integers >= 1, got ${d}`);
    let nd = 1;
    let ndd = 1;
    for (let axis = 0; axis < shape.length; axis++) {
      if (axis === force2Ddimension) continue;
      const size = shape[axis]!;
      if (d < size) {
        nd *= 2 * d + 1;
        ndd *= 2 * d - 1;
      } else {
        nd *= 2 * (size - 1) + 1;
        ndd *= 2 * (size - 1) + 1;
      }
    }
    total += nd - ndd;
  }
  return bidirectional ? total : total / 2;
}

/**
 * The offsets, one array of length shape.length per angle, in PyRadiomics order: the combined
 * index runs offsets from +maxDistance down to -maxDistance, the last axis fastest.
 */
export function generateAngles(opts: AngleOptions): number[][] {
  const { shape, distances, force2Ddimension } = opts;
  const nd = shape.length;
  const count = angleCount(opts);
  const maxDistance = Math.max(...distances);
  const nOffsets = 2 * maxDistance + 1;
  const stride = new Array<number>(nd);
  stride[nd - 1] = 1;
  for (let axis = nd - 2; axis >= 0; axis--) stride[axis] = stride[axis + 1]! * nOffsets;
  const wanted = new Set(distances);
  const angles: number[][] = [];
  for (let combined = 0; angles.length < count; combined++) {
    const angle = new Array<number>(nd);
    let distance = 0;
    for (let axis = 0; axis < nd; axis++) {
      const offset = maxDistance - (Math.floor(combined / stride[axis]!) % nOffsets);
      const size = shape[axis]!;
      if ((axis === force2Ddimension && offset !== 0) || offset >= size || offset <= -size) {
        distance = -1;
        break;
      }
      angle[axis] = offset;
      distance = Math.max(distance, Math.abs(offset));
    }
    if (distance >= 1 && wanted.has(distance)) angles.push(angle);
    if (combined > nOffsets ** nd) throw new Error("angle generation did not converge");
  }
  return angles;
}
