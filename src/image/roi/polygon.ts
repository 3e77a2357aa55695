/**
 * Polygon ROIs: a closed contour drawn on a slice, rasterised to the voxels whose centres it
 * encloses.
 *
 * Coordinates are continuous in-plane voxel indices (u, v): the centre of voxel (i, j) is the
 * point (i, j). A voxel is inside when its centre is inside the polygon by the even-odd rule (a
 * ray from the centre crosses the contour an odd number of times), as DICOM RTSTRUCT rasterisers
 * fill a closed planar contour by scan lines through voxel centres; the per-point form is W. R.
 * Franklin's PNPOLY test. Self-intersecting contours therefore leave a hole where they overlap
 * twice.
 *
 * Centres exactly on the contour follow a half-open rule: an edge crosses scan row v = j when
 * min(v_a, v_b) <= j < max(v_a, v_b), and centre (i, j) counts a crossing at u = c when i < c.
 * This is the even-odd test evaluated at the centre nudged by an infinitesimal (+du, +dv) with
 * dv << du: centres on a bottom (low v) or left (low u) boundary are inside, those on a top or
 * right boundary are outside. So the axis-aligned rectangle with corners (u0, v0) and (u1, v1) on
 * integer coordinates covers exactly u0 <= i < u1, v0 <= j < v1, and polygons that share an edge
 * tile the plane with no voxel painted twice and none missed.
 */
import type { Volume } from "../volume.js";
import {
  checkPoints,
  type PaintMode,
  paintShape,
  RoiEditError,
  type SliceEdit,
  type SliceRef,
} from "./slice.js";

/**
 * The voxels of a `width` x `height` slice inside `polygon`: 1 inside, 0 outside, u fastest. The
 * polygon is closed implicitly (last vertex to first) and may extend beyond the slice.
 */
export function rasterisePolygon(
  width: number,
  height: number,
  polygon: readonly (readonly [number, number])[],
): Uint8Array {
  if (polygon.length < 3) {
    throw new RoiEditError(`a polygon needs at least 3 vertices, got ${polygon.length}`);
  }
  checkPoints(polygon, "polygon vertex");
  const n = polygon.length;
  const out = new Uint8Array(width * height);
  let vMin = Number.POSITIVE_INFINITY;
  let vMax = Number.NEGATIVE_INFINITY;
  for (const p of polygon) {
    if (p[1] < vMin) vMin = p[1];
    if (p[1] > vMax) vMax = p[1];
  }
  // Rows whose centre line can cross an edge: vMin <= j < vMax.
  const j0 = Math.max(0, Math.ceil(vMin));
  const j1 = Math.min(height - 1, Math.ceil(vMax) - 1);
  const xs = new Float64Array(n);
  for (let j = j0; j <= j1; j++) {
    let m = 0;
    for (let e = 0; e < n; e++) {
      const a = polygon[e]!;
      const b = polygon[e + 1 === n ? 0 : e + 1]!;
      // Order the endpoints by v so an edge gives the same crossing whichever way it is drawn.
      const lo = a[1] <= b[1] ? a : b;
      const hi = lo === a ? b : a;
      if (lo[1] <= j && j < hi[1]) {
        xs[m++] = lo[0] + ((j - lo[1]) * (hi[0] - lo[0])) / (hi[1] - lo[1]);
      }
    }
    // Every closed contour crosses a row an even number of times (half-open rule on v).
    const row = xs.subarray(0, m).sort();
    const base = j * width;
    for (let k = 0; k + 1 < m; k += 2) {
      // Centre i is inside for row[k] <= i < row[k + 1].
      const i0 = Math.max(0, Math.ceil(row[k]!));
      const i1 = Math.min(width, Math.ceil(row[k + 1]!));
      for (let i = i0; i < i1; i++) out[base + i] = 1;
    }
  }
  return out;
}

/**
 * Paints (sets `label`) or erases (sets the `label` voxels to 0) the voxels of slice `ref` inside
 * `polygon` (in-plane voxel coordinates, see the module comment for the edge rule). Returns the
 * applied edit, or null when no voxel changed.
 */
export function paintPolygon(
  mask: Volume<Uint8Array>,
  ref: SliceRef,
  polygon: readonly (readonly [number, number])[],
  label: number,
  mode: PaintMode,
): SliceEdit | null {
  return paintShape(mask, ref, label, mode, (width, height) =>
    rasterisePolygon(width, height, polygon),
  );
}
