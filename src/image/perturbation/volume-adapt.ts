/**
 * Volume growth / shrinkage perturbation (Zwanenburg et al., Sci Rep 2019;9:614; MIRP
 * `MaskImage.fractional_volume_change`): the ROI is grown (dilated) or shrunk (eroded) until its
 * voxel count changes by a given fraction of the original, V' = ⌊V₀ · (1 + fraction)⌋.
 *
 * Algorithm (MIRP's): dilate (fraction > 0) or erode (fraction < 0) one step at a time with the
 * face-connected structuring element (6 neighbours; 4 in-plane neighbours with `inPlane`, for ROIs
 * drawn slice by slice) until the step that reaches or passes the target. The last step's ring
 * (voxels it added, or removed) is then sampled without replacement to add (remove) exactly the
 * missing |V' − V_before| voxels, so the ROI keeps the shape of a uniform margin and reaches the
 * target exactly. Sampling uses R's `sample()` on radscore's R stream (src/stats/random.ts), seeded
 * by `seed`. Differences from MIRP: when a step lands exactly on the target that step is used
 * (MIRP keeps the previous one), and a ROI that cannot grow any further (it fills the grid) is an
 * error or, with `atLimit: "cap"`, returned at its largest (MIRP loops).
 */
import { RRandom } from "../../stats/random.js";
import type { Volume } from "../volume.js";
import { withData } from "../volume.js";
import { checkRoiLabel } from "./grid-sampling.js";
import { countNonZero, dilate, erode } from "./morphology.js";

export interface VolumeAdaptOptions {
  /** Seed of the random choice of ring voxels. */
  seed: number;
  /** ROI label (default 1); other labels are dropped from the output. */
  label?: number;
  /** Grow / shrink within each slice only (default false). */
  inPlane?: boolean;
  /**
   * A ROI that fills the grid (or its slices) before reaching the target: "error" (default), or
   * "cap": return it at its largest (the caller can compare its size with the target).
   */
  atLimit?: "error" | "cap";
}

/** The voxel count volume adaptation aims at: ⌊V₀ · (1 + fraction)⌋ (V₀ if |fraction| < 5e-7). */
export function adaptedVolumeTarget(v0: number, fraction: number): number {
  return Math.round(fraction * 1e6) === 0 ? v0 : Math.floor(v0 * (1 + fraction));
}

/** The ROI grown (fraction > 0) or shrunk (fraction < 0) to ⌊V₀ · (1 + fraction)⌋ voxels. */
export function adaptVolume(
  mask: Volume,
  fraction: number,
  options: VolumeAdaptOptions,
): Volume<Uint8Array> {
  const label = options.label ?? 1;
  checkRoiLabel(label);
  if (!(Number.isFinite(fraction) && fraction > -1)) {
    throw new Error(
      `volume adaptation: the volume fraction must be finite and > -1, got ${fraction}`,
    );
  }
  const inPlane = options.inPlane ?? false;
  const size = mask.size;
  const roi = new Uint8Array(mask.data.length);
  for (let i = 0; i < roi.length; i++) roi[i] = mask.data[i] === label ? 1 : 0;
  const v0 = countNonZero(roi);
  if (v0 === 0) throw new Error(`volume adaptation: the mask has no voxel with label ${label}`);
  const toLabel = (m: Uint8Array) => {
    const out = new Uint8Array(m.length);
    for (let i = 0; i < m.length; i++) out[i] = m[i] ? label : 0;
    return withData(mask, out);
  };
  // MIRP treats |fraction| < 5e-7 (round(fraction, 6) == 0) as no change.
  if (Math.round(fraction * 1e6) === 0) return toLabel(roi);
  const target = adaptedVolumeTarget(v0, fraction);
  if (target < 1) {
    throw new Error(
      `volume adaptation: a volume fraction of ${fraction} would leave an empty ROI (${v0} voxels)`,
    );
  }
  const grow = fraction > 0;
  let previous: Uint8Array = roi;
  let vPrevious = v0;
  let current: Uint8Array = roi;
  let vCurrent = v0;
  for (;;) {
    current = grow ? dilate(previous, size, inPlane) : erode(previous, size, inPlane);
    vCurrent = countNonZero(current);
    if (vCurrent === vPrevious) {
      if (options.atLimit === "cap") return toLabel(current);
      throw new Error(
        `volume adaptation: the ROI cannot grow beyond ${vPrevious} voxels (it fills the ${inPlane ? "slices" : "grid"}); requested ${target}`,
      );
    }
    if (grow ? vCurrent >= target : vCurrent <= target) break;
    previous = current;
    vPrevious = vCurrent;
  }
  if (vCurrent === target) return toLabel(current);
  // Ring of the last step, in voxel order; add (remove) |target − V_before| of its voxels.
  const ring: number[] = [];
  for (let i = 0; i < current.length; i++) if (current[i] !== previous[i]) ring.push(i);
  const missing = Math.abs(target - vPrevious);
  const chosen = new RRandom(options.seed).sampleWithoutReplacement(ring.length, missing);
  const out = Uint8Array.from(previous);
  for (const k of chosen) out[ring[k - 1]!] = grow ? 1 : 0;
  return toLabel(out);
}
