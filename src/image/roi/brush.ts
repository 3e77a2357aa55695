/**
 * Disc brush: paints or erases the voxels whose centres lie within a radius (in mm) of the brush
 * centre. A stroke is the sequence of centres the pointer passed through; the segment between
 * successive centres is covered too (the stroke is a union of capsules, i.e. the Minkowski sum
 * of the polyline and the disc), so a fast drag leaves no gaps between sampled positions.
 *
 * Distances are measured in mm with the volume's spacing along the slice's u and v axes, so on
 * an anisotropic slice the brush is a true circle on the patient and an ellipse in voxel
 * indices. Centres are in continuous in-plane voxel coordinates (voxel (i, j) has centre (i, j)).
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
 * A centre at exactly the radius counts as inside; the comparison allows a relative 1e-9 on the
 * squared distance so that this holds despite rounding in products such as 3 * 0.7 mm.
 */
const EDGE_TOLERANCE = 1e-9;

/**
 * The voxels of a `width` x `height` slice (spacing `su` x `sv` mm) within `radiusMm` of the
 * polyline through `centres`: 1 inside, 0 outside, u fastest.
 */
export function rasteriseBrush(
  width: number,
  height: number,
  su: number,
  sv: number,
  centres: readonly (readonly [number, number])[],
  radiusMm: number,
): Uint8Array {
  if (!(Number.isFinite(radiusMm) && radiusMm > 0)) {
    throw new RoiEditError(`brush radius must be finite and > 0 mm, got ${radiusMm}`);
  }
  if (centres.length === 0) throw new RoiEditError("a brush stroke needs at least one centre");
  checkPoints(centres, "brush centre");
  const out = new Uint8Array(width * height);
  const r2 = radiusMm * radiusMm * (1 + EDGE_TOLERANCE);
  // Half-widths of the disc's bounding box in voxels, one voxel wider against rounding; the
  // distance test below decides.
  const ru = radiusMm / su + 1;
  const rv = radiusMm / sv + 1;
  const segments = Math.max(1, centres.length - 1);
  for (let s = 0; s < segments; s++) {
    const a = centres[s]!;
    const b = centres[Math.min(s + 1, centres.length - 1)]!;
    // Segment a -> b in mm relative to a.
    const dx = (b[0] - a[0]) * su;
    const dy = (b[1] - a[1]) * sv;
    const len2 = dx * dx + dy * dy;
    const i0 = Math.max(0, Math.ceil(Math.min(a[0], b[0]) - ru));
    const i1 = Math.min(width - 1, Math.floor(Math.max(a[0], b[0]) + ru));
    const j0 = Math.max(0, Math.ceil(Math.min(a[1], b[1]) - rv));
    const j1 = Math.min(height - 1, Math.floor(Math.max(a[1], b[1]) + rv));
    for (let j = j0; j <= j1; j++) {
      const py = (j - a[1]) * sv;
      const row = j * width;
      for (let i = i0; i <= i1; i++) {
        if (out[row + i] !== 0) continue;
        const px = (i - a[0]) * su;
        // Closest point of the segment: projection parameter clamped to [0, 1].
        const t = len2 > 0 ? Math.min(1, Math.max(0, (px * dx + py * dy) / len2)) : 0;
        const ex = px - t * dx;
        const ey = py - t * dy;
        if (ex * ex + ey * ey <= r2) out[row + i] = 1;
      }
    }
  }
  return out;
}

/**
 * Paints (sets `label`) or erases (sets the `label` voxels to 0) the voxels of slice `ref` within
 * `radiusMm` of the stroke through `centres`. Returns the applied edit, or null when no voxel
 * changed.
 */
export function paintBrush(
  mask: Volume<Uint8Array>,
  ref: SliceRef,
  centres: readonly (readonly [number, number])[],
  radiusMm: number,
  label: number,
  mode: PaintMode,
): SliceEdit | null {
  return paintShape(mask, ref, label, mode, (width, height, su, sv) =>
    rasteriseBrush(width, height, su, sv, centres, radiusMm),
  );
}
