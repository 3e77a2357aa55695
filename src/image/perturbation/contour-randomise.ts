/**
 * Supervoxel-based contour randomisation (Zwanenburg et al., Sci Rep 2019;9:614; MIRP
 * `MaskImage.randomise_mask`, `get_supervoxel_overlap` and `GenericImage.get_supervoxels`): the
 * image around the ROI is cut into SLIC supervoxels (supervoxels.ts), which follow its edges; each
 * supervoxel the ROI touches is then included in a new ROI with probability equal to the fraction
 * of it the ROI covers, so the new contour wanders along image edges the way another reader's
 * might.
 *
 * Steps (MIRP's, with its constants):
 * 1. crop the image to the ROI's bounding box plus `boundaryMm` (25 mm) on each side (clipped to
 *    the image; MIRP pads beyond it), with no margin across slices for in-plane ROIs;
 * 2. clip intensities to the ROI's range widened by 10 % on both sides and rescale to [0, 1] (a
 *    constant ROI, whose range is empty, uses the cropped image's range instead);
 * 3. SLIC with compactness 0.05, σ = the smallest spacing (mm), and voxels / max(20, 500 mm³ /
 *    voxel volume) segments (supervoxels of about 500 mm³, at least 20 voxels);
 * 4. for each supervoxel with ROI voxels, overlap = ROI voxels / supervoxel voxels; the largest
 *    overlap (first in label order) is set to 1, overlaps >= 0.9 become 1 and overlaps < 0.2
 *    become 0;
 * 5. per randomisation, one uniform U per overlapping supervoxel in label order (R's `runif` on
 *    radscore's R stream, seeded): included when U < overlap;
 * 6. binary closing of the new ROI (face-connected cross; in-plane for in-plane ROIs).
 * Steps 1-3 give a label map on the image's grid (computeSupervoxels), 4 the overlaps
 * (supervoxelOverlap) and 5-6 one randomised ROI (drawRandomisedMask), so a chain can compute the
 * supervoxels once and draw many ROIs from them.
 */
import { RRandom } from "../../stats/random.js";
import type { Vec3, Volume } from "../volume.js";
import { withData } from "../volume.js";
import { checkRoiLabel } from "./grid-sampling.js";
import { close } from "./morphology.js";
import { slic } from "./supervoxels.js";

export interface ContourRandomisationOptions {
  /** ROI label (default 1). */
  label?: number;
  /** ROI drawn slice by slice: no margin across slices, in-plane closing (default false). */
  inPlane?: boolean;
  /** Margin around the ROI's bounding box, mm (MIRP: 25). */
  boundaryMm?: number;
  /** SLIC compactness (MIRP: 0.05). */
  compactness?: number;
  /** Target supervoxel volume, mm³ (MIRP: 500). */
  supervoxelVolumeMm3?: number;
  /** Smallest supervoxel, voxels (MIRP: 20). */
  minSupervoxelVoxels?: number;
  /** SLIC's Gaussian smoothing width, mm (MIRP: the smallest voxel spacing). */
  smoothingMm?: number;
}

/** Each supervoxel the ROI overlaps and its inclusion probability. */
export interface SupervoxelOverlap {
  /** Labels of the supervoxels the ROI overlaps, ascending. */
  labels: Int32Array;
  /** ROI voxels / supervoxel voxels, per overlapping supervoxel. */
  overlap: Float64Array;
  /** Inclusion probability after MIRP's rules (largest -> 1, >= 0.9 -> 1, < 0.2 -> 0). */
  probability: Float64Array;
}

/** Bounding box (inclusive) and intensity range of the ROI voxels. */
function roiExtent(
  image: Volume,
  mask: Volume,
  label: number,
): { lo: Vec3; hi: Vec3; vmin: number; vmax: number } {
  const [nx, ny, nz] = image.size;
  const lo: Vec3 = [nx, ny, nz];
  const hi: Vec3 = [-1, -1, -1];
  let vmin = Number.POSITIVE_INFINITY;
  let vmax = Number.NEGATIVE_INFINITY;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask.data[i] !== label) continue;
        if (x < lo[0]) lo[0] = x;
        if (x > hi[0]) hi[0] = x;
        if (y < lo[1]) lo[1] = y;
        if (y > hi[1]) hi[1] = y;
        if (z < lo[2]) lo[2] = z;
        if (z > hi[2]) hi[2] = z;
        const v = image.data[i]!;
        if (v < vmin) vmin = v;
        if (v > vmax) vmax = v;
      }
    }
  }
  if (hi[0] < 0)
    throw new Error(`contour randomisation: the mask has no voxel with label ${label}`);
  return { lo, hi, vmin, vmax };
}

/**
 * Steps 1-3: SLIC supervoxels of the image around the ROI, as a label map on the image's grid
 * (labels 1, 2, ... inside the cropped region, 0 outside it).
 */
export function computeSupervoxels(
  image: Volume,
  mask: Volume,
  options: ContourRandomisationOptions = {},
): Volume<Int32Array> {
  const label = options.label ?? 1;
  checkRoiLabel(label);
  if (mask.data.length !== image.data.length) {
    throw new Error("contour randomisation: the image and mask sizes differ");
  }
  const inPlane = options.inPlane ?? false;
  const boundary = options.boundaryMm ?? 25;
  const [nx, ny] = image.size;
  const { lo, hi, vmin, vmax } = roiExtent(image, mask, label);
  // 1. Crop.
  const lower: Vec3 = [0, 0, 0];
  const size: Vec3 = [1, 1, 1];
  for (let a = 0; a < 3; a++) {
    const margin = a === 2 && inPlane ? 0 : Math.ceil(boundary / image.spacing[a]!);
    lower[a] = Math.max(lo[a]! - margin, 0);
    size[a] = Math.min(hi[a]! + margin, image.size[a]! - 1) - lower[a]! + 1;
  }
  const count = size[0] * size[1] * size[2];
  const values = new Float64Array(count);
  const index = new Int32Array(count);
  for (let z = 0, j = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) {
      let i = lower[0] + nx * (lower[1] + y + ny * (lower[2] + z));
      for (let x = 0; x < size[0]; x++, i++, j++) {
        values[j] = image.data[i]!;
        index[j] = i;
      }
    }
  }
  // 2. Clip to the ROI's range widened by 10 %, rescale to [0, 1].
  let a = vmin - 0.1 * (vmax - vmin);
  let b = vmax + 0.1 * (vmax - vmin);
  if (!(b > a)) {
    a = Number.POSITIVE_INFINITY;
    b = Number.NEGATIVE_INFINITY;
    for (const v of values) {
      if (v < a) a = v;
      if (v > b) b = v;
    }
  }
  for (let j = 0; j < count; j++) {
    const v = Math.min(Math.max(values[j]!, a), b) - a;
    values[j] = b > a ? v / (b - a) : v;
  }
  // 3. SLIC.
  const voxelVolume = image.spacing[0] * image.spacing[1] * image.spacing[2];
  const minVoxels = Math.max(
    options.minSupervoxelVoxels ?? 20,
    (options.supervoxelVolumeMm3 ?? 500) / voxelVolume,
  );
  const segments = slic(values, size, image.spacing, {
    nSegments: Math.max(1, Math.trunc(count / minVoxels)),
    compactness: options.compactness ?? 0.05,
    sigmaMm: options.smoothingMm ?? Math.min(...image.spacing),
  });
  const labels = new Int32Array(image.data.length);
  for (let j = 0; j < count; j++) labels[index[j]!] = segments[j]!;
  return withData(image, labels);
}

/** Step 4: the supervoxels the ROI overlaps, their overlap fractions and probabilities. */
export function supervoxelOverlap(
  supervoxels: Volume<Int32Array>,
  mask: Volume,
  label = 1,
): SupervoxelOverlap {
  if (mask.data.length !== supervoxels.data.length) {
    throw new Error("contour randomisation: the supervoxel map and mask sizes differ");
  }
  const segments = supervoxels.data;
  let maxLabel = 0;
  for (let i = 0; i < segments.length; i++) if (segments[i]! > maxLabel) maxLabel = segments[i]!;
  const total = new Float64Array(maxLabel + 1);
  const inRoi = new Float64Array(maxLabel + 1);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    total[s]!++;
    if (mask.data[i] === label) inRoi[s]!++;
  }
  const found: number[] = [];
  for (let s = 1; s <= maxLabel; s++) if (inRoi[s]! > 0) found.push(s);
  if (found.length === 0) {
    throw new Error("contour randomisation: the ROI overlaps no supervoxel (empty ROI?)");
  }
  const labels = Int32Array.from(found);
  const overlap = Float64Array.from(labels, (s) => inRoi[s]! / total[s]!);
  const probability = Float64Array.from(overlap);
  let best = 0;
  for (let k = 1; k < probability.length; k++) if (probability[k]! > probability[best]!) best = k;
  probability[best] = 1;
  for (let k = 0; k < probability.length; k++) {
    if (probability[k]! >= 0.9) probability[k] = 1;
    else if (probability[k]! < 0.2) probability[k] = 0;
  }
  return { labels, overlap, probability };
}

/** Steps 5-6: one randomised ROI (label `label` on the mask's grid) drawn from `rng`. */
export function drawRandomisedMask(
  mask: Volume,
  supervoxels: Volume<Int32Array>,
  overlap: SupervoxelOverlap,
  rng: RRandom,
  options: Pick<ContourRandomisationOptions, "label" | "inPlane"> = {},
): Volume<Uint8Array> {
  const label = options.label ?? 1;
  checkRoiLabel(label);
  const segments = supervoxels.data;
  let maxLabel = 0;
  for (const s of overlap.labels) if (s > maxLabel) maxLabel = s;
  const included = new Uint8Array(maxLabel + 1);
  overlap.labels.forEach((s, k) => {
    if (rng.unifRand() < overlap.probability[k]!) included[s] = 1;
  });
  const roi = new Uint8Array(mask.data.length);
  for (let i = 0; i < roi.length; i++) {
    const s = segments[i]!;
    if (s <= maxLabel && included[s]) roi[i] = 1;
  }
  const closed = close(roi, mask.size, options.inPlane ?? false);
  for (let i = 0; i < closed.length; i++) closed[i] = closed[i] ? label : 0;
  return withData(mask, closed);
}

/** A randomised ROI: supervoxels of `image` around the ROI, then one draw seeded by `seed`. */
export function randomiseContour(
  image: Volume,
  mask: Volume,
  seed: number,
  options: ContourRandomisationOptions = {},
): Volume<Uint8Array> {
  const supervoxels = computeSupervoxels(image, mask, options);
  const overlap = supervoxelOverlap(supervoxels, mask, options.label ?? 1);
  return drawRandomisedMask(mask, supervoxels, overlap, new RRandom(seed), options);
}
