/**
 * Bounding boxes of the ROI mesh (IBSI-1 manual: "Volume density (axis-aligned bounding box)" PBX1,
 * "Area density (AABB)" R59B, "Volume density (oriented minimum bounding box)" ZH1A, "Area density
 * (OMBB)" IQYR).
 *
 * AABB: the extents of the hull vertices along x, y and z (the same box as the full mesh's).
 *
 * OMBB: the manual allows an approximation of O'Rourke's exact 3D rotating calipers (it names
 * Barequet & Har-Peled 2001 and Chan & Tan 2001), and IBSI gives no reference values. Here the box
 * is the smallest among the boxes with one face flush with a face of the convex hull: for every
 * distinct hull face normal, the hull is projected onto the plane normal to it and the minimum-area
 * enclosing rectangle of the projection is found exactly by 2D rotating calipers (Freeman & Shapira
 * 1975: one rectangle side is flush with a hull edge), times the hull's extent along the normal.
 * That is an upper bound of the true minimum (whose box may touch the hull only along edges), exact
 * for boxes, prisms and every shape whose optimal box has a face on the hull. (MIRP instead rotates
 * about the axes in three sequential 1D searches; its area density returns the volume ratio, a bug.)
 */
import type { Vec3 } from "../../../image/volume.js";
import { orientedMinimumBoxEdges } from "../../../kernels/oriented-box.js";

export interface Box {
  /** Edge lengths (mm). */
  dimensions: Vec3;
  volume: number;
  area: number;
}

function box(a: number, b: number, c: number): Box {
  return { dimensions: [a, b, c], volume: a * b * c, area: 2 * (a * b + a * c + b * c) };
}

/** Axis-aligned bounding box of points (x, y, z at 3k..3k+2). */
export function axisAlignedBoundingBox(points: Float64Array): Box {
  const low = [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY];
  const high = [Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (let k = 0; k < points.length; k += 3) {
    for (let d = 0; d < 3; d++) {
      const v = points[k + d];
      if (v < low[d]) low[d] = v;
      if (v > high[d]) high[d] = v;
    }
  }
  return box(high[0] - low[0], high[1] - low[1], high[2] - low[2]);
}

/**
 * Oriented bounding box of `points` (the hull vertices, mm) of least volume among those with a face
 * normal to one of `normals` (unit vectors, x, y, z at 3k..3k+2): for each normal, an orthonormal
 * basis of the plane normal to it (from (1, 0, 0), or (0, 1, 0) when the normal is within 53
 * degrees of x), the points' extent along the normal and their projection onto the plane, whose 2D
 * convex hull (Andrew's monotone chain after a stable sort by u, then v) gives the minimum-area
 * enclosing rectangle by rotating calipers (one side flush with a hull edge). Run in WebAssembly
 * (src/kernels/oriented-box.ts): the work grows with normals x points log points.
 */
export function orientedMinimumBoundingBox(points: Float64Array, normals: Float64Array): Box {
  const [width, depth, extent] = orientedMinimumBoxEdges(points, normals);
  return box(width, depth, extent);
}
