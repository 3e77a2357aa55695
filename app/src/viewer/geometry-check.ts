/**
 * Image / mask consistency checks shown before extraction (pure, no DOM). PyRadiomics refuses a
 * mask whose geometry differs from the image's beyond its tolerance, and silently measures
 * nothing useful on an empty mask or the wrong label; these messages say so in the viewer first.
 */
import type { Volume } from "../../../src/image/volume.js";

/** Largest allowed difference of spacing and origin (mm) and of direction cosines. */
export const GEOMETRY_TOLERANCE_MM = 1e-3;
export const DIRECTION_TOLERANCE = 1e-4;

function num(x: number): string {
  return String(Number(x.toFixed(4)));
}

function vec(v: readonly number[], sep: string): string {
  return v.map(num).join(sep);
}

function maxAbsDiff(a: readonly number[], b: readonly number[]): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    m = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(m, d);
  }
  return m;
}

function list(values: number[]): string {
  const shown = values.slice(0, 8).join(", ");
  return values.length > 8 ? `${shown}, ... (${values.length} in all)` : shown;
}

/** Voxel counts per distinct value of the mask (at most 1000 distinct values are tallied). */
function tally(data: Volume["data"]): { counts: Map<number, number>; nonInteger?: number } {
  const counts = new Map<number, number>();
  if (data instanceof Uint8Array) {
    const h = new Uint32Array(256);
    for (let i = 0; i < data.length; i++) h[data[i]!]!++;
    for (let v = 0; v < 256; v++) if (h[v]! > 0) counts.set(v, h[v]!);
    return { counts };
  }
  let nonInteger: number | undefined;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    const c = counts.get(v);
    if (c !== undefined) counts.set(v, c + 1);
    else if (counts.size < 1000) counts.set(v, 1);
    if (nonInteger === undefined && !Number.isInteger(v)) nonInteger = v;
  }
  return nonInteger === undefined ? { counts } : { counts, nonInteger };
}

/**
 * Problems between an image and its mask as user-facing sentences; [] when the pair is fine.
 * Checks size, spacing and origin (beyond 1e-3 mm), direction (beyond 1e-4), the mask's voxel
 * count, and its content: empty, `label` missing (naming the labels present), other labels
 * besides `label`, non-integer values, a single-voxel ROI.
 */
export function checkImageMask(image: Volume, mask: Volume, label = 1): string[] {
  const out: string[] = [];
  const sameSize = image.size.every((n, a) => n === mask.size[a]);
  if (!sameSize) {
    out.push(
      `The mask's size (${vec(mask.size, " x ")} voxels) differs from the image's (${vec(image.size, " x ")}): it was drawn on another image or series and cannot be shown or used as is.`,
    );
  }
  const expected = mask.size[0] * mask.size[1] * mask.size[2];
  if (mask.data.length !== expected) {
    out.push(
      `The mask holds ${mask.data.length} voxels but its size ${vec(mask.size, " x ")} needs ${expected}: the file is damaged.`,
    );
  }
  const ds = maxAbsDiff(image.spacing, mask.spacing);
  if (ds > GEOMETRY_TOLERANCE_MM) {
    out.push(
      `The mask's spacing (${vec(mask.spacing, " x ")} mm) differs from the image's (${vec(image.spacing, " x ")} mm) by up to ${num(ds)} mm.`,
    );
  }
  const dOrigin = maxAbsDiff(image.origin, mask.origin);
  if (dOrigin > GEOMETRY_TOLERANCE_MM) {
    out.push(
      `The mask's origin (${vec(mask.origin, ", ")} mm) differs from the image's (${vec(image.origin, ", ")} mm) by up to ${num(dOrigin)} mm: the ROI is displaced.`,
    );
  }
  const dDir = maxAbsDiff(image.direction, mask.direction);
  if (dDir > DIRECTION_TOLERANCE) {
    out.push(
      `The mask's direction (${vec(mask.direction, " ")}) differs from the image's (${vec(image.direction, " ")}) by up to ${num(dDir)}: the ROI is rotated or flipped.`,
    );
  }
  const { counts, nonInteger } = tally(mask.data);
  const labels = [...counts.keys()].filter((v) => v !== 0).sort((a, b) => a - b);
  if (nonInteger !== undefined) {
    out.push(
      `The mask has non-integer values (e.g. ${nonInteger}): a label mask holds whole numbers.`,
    );
  }
  if (labels.length === 0) {
    out.push("The mask is empty (no nonzero voxel): draw the ROI first.");
  } else if (!counts.has(label)) {
    out.push(
      `Label ${label} is not in the mask; it has label${labels.length > 1 ? "s" : ""} ${list(labels)}.`,
    );
  } else {
    const others = labels.filter((v) => v !== label);
    if (others.length > 0) {
      out.push(
        `The mask also has label${others.length > 1 ? "s" : ""} ${list(others)}: only label ${label} is the ROI.`,
      );
    }
    if (counts.get(label) === 1) {
      out.push(
        `The ROI (label ${label}) is a single voxel: PyRadiomics cannot extract features from it.`,
      );
    }
  }
  return out;
}

/** Whether a mask lines up voxel for voxel with the image (same size and voxel count). */
export function sameGrid(image: Volume, mask: Volume): boolean {
  return image.size.every((n, a) => n === mask.size[a]) && mask.data.length === image.data.length;
}
