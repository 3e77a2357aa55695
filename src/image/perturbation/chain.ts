/**
 * Perturbation chains (Zwanenburg et al., "Assessing robustness of radiomic features by image
 * perturbation", Sci Rep 2019;9:614): a described plan turned into a list of perturbed
 * (image, mask) pairs of one case, from which features are extracted and compared across
 * perturbations (ICC(1,1), src/stats/robustness.ts).
 *
 * A chain is written with the paper's letters, in any order and applied in this fixed order
 * (MIRP's `StandardWorkflow.standard_image_processing`): N noise addition (noise.ts) on the
 * original image; R rotation (rotate.ts) and T sub-voxel translation (translate.ts) in one
 * resampling of image and ROI; V volume growth / shrinkage (volume-adapt.ts) of the resampled ROI;
 * C supervoxel contour randomisation (contour-randomise.ts) on the perturbed image and ROI.
 *
 * Design. MIRP perturbs every combination of the listed values (a Cartesian product). Here a plan
 * asks for `count` perturbed pairs, and each perturbation's values are balanced: every list
 * (angles, each axis's translation fractions, volume fractions) is repeated to `count` entries and
 * shuffled independently, so each value is used ⌊count / length⌋ or one more times. Each
 * perturbation draws its own noise, volume and contour seeds. All draws come, in a fixed order and
 * whatever the chain, from R's Mersenne-Twister stream seeded with `plan.seed` (src/stats/random.ts),
 * so a plan gives the same perturbations on every run and machine, and adding a letter to a chain
 * keeps the other letters' values.
 *
 * C uses supervoxels of the unperturbed image by default (ContourPlan.supervoxels).
 *
 * ROIs drawn slice by slice (one slice, or `inPlane: true`) are perturbed within their slices:
 * no translation across slices, 4-connected growth / shrinkage, supervoxels on the ROI's slices.
 */

import { RRandom } from "../../stats/random.js";
import type { Vec3, Volume } from "../volume.js";
import { withData } from "../volume.js";
import {
  type ContourRandomisationOptions,
  computeSupervoxels,
  drawRandomisedMask,
  supervoxelOverlap,
} from "./contour-randomise.js";
import {
  checkRoiLabel,
  type PerturbationInterpolator,
  resampleImageOnGrid,
  resampleLabelsOnGrid,
  resampleRoiOnGrid,
} from "./grid-sampling.js";
import { countNonZero } from "./morphology.js";
import { addGaussianNoise, estimateNoiseChang } from "./noise.js";
import { rotatedGrid } from "./rotate.js";
import { translatedGrid } from "./translate.js";
import { adaptedVolumeTarget, adaptVolume } from "./volume-adapt.js";

/** The paper's perturbation letters. */
export const PERTURBATION_KINDS = ["R", "T", "N", "V", "C"] as const;
export type PerturbationKind = (typeof PERTURBATION_KINDS)[number];

export interface PerturbationPlan {
  /** Letters of the perturbations applied, e.g. "RNV", "RTVC" (R, T, N, V, C; order irrelevant). */
  chain: string;
  /** Perturbed pairs per case (>= 2). */
  count: number;
  /** Seed of every random choice (an integer in R's integer range). */
  seed: number;
  /** R: rotation angles about the slice axis, degrees. */
  rotationAngles?: readonly number[];
  /** T: translation fractions of a voxel, each in [0, 1), drawn per axis. */
  translationFractions?: readonly number[];
  /** V: volume fractions (> -1): -0.1 removes 10 % of the ROI's voxels, 0.1 adds 10 %. */
  volumeFractions?: readonly number[];
  /** N: noise SD in image units, or "chang" to estimate it from the image (noise.ts). */
  noiseLevel?: number | "chang";
  /** R, T: image interpolator (the ROI is interpolated linearly and thresholded at 0.5). */
  interpolator?: PerturbationInterpolator;
  /** Perturb within slices: "auto" (default) when the ROI lies in one slice or the image is 2D. */
  inPlane?: "auto" | boolean;
  /** ROI label in the mask (default 1). */
  label?: number;
  /** C: supervoxel settings (MIRP's defaults). */
  contour?: ContourPlan;
}

/** C settings of a plan: MIRP's supervoxel settings and where the supervoxels come from. */
export interface ContourPlan extends Omit<ContourRandomisationOptions, "label" | "inPlane"> {
  /**
   * "case" (default): supervoxels of the unperturbed image around the unperturbed ROI, computed
   * once per case and carried through R / T by nearest-neighbour resampling of the label map
   * (they stand for the anatomy's edges, which R and T move and N does not; SLIC is the costliest
   * step, ~0.1-0.3 s on a 56 x 56 x 22 volume). "perturbed": recomputed on every perturbed image
   * around its perturbed ROI, as MIRP does.
   */
  supervoxels?: "case" | "perturbed";
}

/**
 * Defaults of the optional plan fields (radscore's choice): rotations within ±15° in 5° steps,
 * translations in quarter-voxel steps, volume changes within ±15 % in 5 % steps.
 */
export const PERTURBATION_DEFAULTS = {
  rotationAngles: [-15, -10, -5, 0, 5, 10, 15],
  translationFractions: [0, 0.25, 0.5, 0.75],
  volumeFractions: [-0.15, -0.1, -0.05, 0, 0.05, 0.1, 0.15],
  noiseLevel: "chang",
  interpolator: "linear",
  inPlane: "auto",
  label: 1,
} as const;

/** One concrete perturbation: the values a plan drew for perturbation `index`. */
export interface PerturbationSpec {
  index: number;
  /** Degrees (0 without R). */
  rotation: number;
  /** Fractions of a voxel along x, y, z (zeros without T; z ignored for in-plane ROIs). */
  translation: Vec3;
  /** Seed of the added noise (null without N). */
  noiseSeed: number | null;
  /** Volume fraction (0 without V). */
  volumeFraction: number;
  /** Seed of the ring voxels' choice in volume adaptation. */
  volumeSeed: number;
  /** Seed of the contour randomisation (null without C). */
  contourSeed: number | null;
}

/** The chain's letters as a set; throws on an unknown or repeated letter. */
export function parseChain(chain: string): Set<PerturbationKind> {
  const kinds = new Set<PerturbationKind>();
  for (const letter of chain) {
    if (!(PERTURBATION_KINDS as readonly string[]).includes(letter)) {
      throw new Error(
        `perturbation chain '${chain}': unknown letter '${letter}'; valid: ${PERTURBATION_KINDS.join(", ")}`,
      );
    }
    if (kinds.has(letter as PerturbationKind)) {
      throw new Error(`perturbation chain '${chain}': letter '${letter}' appears twice`);
    }
    kinds.add(letter as PerturbationKind);
  }
  if (kinds.size === 0) throw new Error("perturbation chain: empty; use letters R, T, N, V, C");
  return kinds;
}

function checkList(
  name: string,
  values: readonly number[],
  valid: (v: number) => boolean,
  rule: string,
): void {
  if (values.length === 0) throw new Error(`perturbation plan: ${name} is empty`);
  for (const v of values) {
    if (!(Number.isFinite(v) && valid(v))) {
      throw new Error(`perturbation plan: ${name} must ${rule}, got ${v}`);
    }
  }
}

/** Throws with the offending field unless the plan is valid. */
export function checkPlan(plan: PerturbationPlan): void {
  parseChain(plan.chain);
  if (!(Number.isInteger(plan.count) && plan.count >= 2)) {
    throw new Error(`perturbation plan: count must be an integer >= 2, got ${plan.count}`);
  }
  if (!(Number.isInteger(plan.seed) && Math.abs(plan.seed) <= 2147483647)) {
    throw new Error(
      `perturbation plan: seed must be an integer in R's integer range, got ${plan.seed}`,
    );
  }
  checkList("rotationAngles", plan.rotationAngles ?? [0], () => true, "be finite degrees");
  checkList(
    "translationFractions",
    plan.translationFractions ?? [0],
    (v) => v >= 0 && v < 1,
    "lie in [0, 1)",
  );
  checkList("volumeFractions", plan.volumeFractions ?? [0], (v) => v > -1, "be > -1");
  const noise = plan.noiseLevel ?? "chang";
  if (noise !== "chang" && !(Number.isFinite(noise) && noise >= 0)) {
    throw new Error(`perturbation plan: noiseLevel must be "chang" or a number >= 0, got ${noise}`);
  }
  checkRoiLabel(plan.label ?? 1);
}

/** `values` repeated to `count` entries, then shuffled with R's sample(count). */
function balanced(values: readonly number[], count: number, rng: RRandom): number[] {
  const order = rng.sampleWithoutReplacement(count);
  return Array.from(order, (k) => values[(k - 1) % values.length]!);
}

/** A seed for a perturbation's own stream: an integer in 1..2^31 - 2 from the plan's stream. */
const drawSeed = (rng: RRandom): number => 1 + rng.unifIndex(2147483646);

/** The `count` perturbations a plan describes (no image needed). */
export function perturbationSpecs(plan: PerturbationPlan): PerturbationSpec[] {
  checkPlan(plan);
  const kinds = parseChain(plan.chain);
  const rng = new RRandom(plan.seed);
  const n = plan.count;
  const d = PERTURBATION_DEFAULTS;
  // Every list is drawn whatever the chain, so the letters' values do not depend on each other.
  const angles = balanced(plan.rotationAngles ?? d.rotationAngles, n, rng);
  const fractions = plan.translationFractions ?? d.translationFractions;
  const tx = balanced(fractions, n, rng);
  const ty = balanced(fractions, n, rng);
  const tz = balanced(fractions, n, rng);
  const volumes = balanced(plan.volumeFractions ?? d.volumeFractions, n, rng);
  const specs: PerturbationSpec[] = [];
  for (let i = 0; i < n; i++) {
    const noiseSeed = drawSeed(rng);
    const volumeSeed = drawSeed(rng);
    const contourSeed = drawSeed(rng);
    specs.push({
      index: i,
      rotation: kinds.has("R") ? angles[i]! : 0,
      translation: kinds.has("T") ? [tx[i]!, ty[i]!, tz[i]!] : [0, 0, 0],
      noiseSeed: kinds.has("N") ? noiseSeed : null,
      volumeFraction: kinds.has("V") ? volumes[i]! : 0,
      volumeSeed,
      contourSeed: kinds.has("C") ? contourSeed : null,
    });
  }
  return specs;
}

/** A short label of a perturbation, e.g. "R-10 T(0.25,0.5,0) N V+0.05 C". */
export function describePerturbation(spec: PerturbationSpec): string {
  const parts: string[] = [];
  const signed = (v: number) => (v > 0 ? `+${v}` : `${v}`);
  if (spec.rotation !== 0) parts.push(`R${signed(spec.rotation)}`);
  if (spec.translation.some((t) => t !== 0)) parts.push(`T(${spec.translation.join(",")})`);
  if (spec.noiseSeed !== null) parts.push("N");
  if (spec.volumeFraction !== 0) parts.push(`V${signed(spec.volumeFraction)}`);
  if (spec.contourSeed !== null) parts.push("C");
  return `#${spec.index + 1}${parts.length ? ` ${parts.join(" ")}` : " (identity)"}`;
}

/** What a case contributes to every perturbation: its noise level and in-plane decision. */
export interface CaseContext {
  /** Noise SD added by N (0 when the plan has no N). */
  noiseSd: number;
  inPlane: boolean;
  label: number;
  interpolator: PerturbationInterpolator;
  contour: ContourPlan;
  /** C with supervoxels "case": the unperturbed image's supervoxels (label map on its grid). */
  supervoxels: Volume<Int32Array> | null;
}

/** The number of slices (z indices) holding ROI voxels. */
function roiSlices(mask: Volume, label: number): number {
  const [nx, ny, nz] = mask.size;
  let slices = 0;
  for (let z = 0; z < nz; z++) {
    const plane = mask.data.subarray(z * nx * ny, (z + 1) * nx * ny);
    if (plane.indexOf(label) >= 0) slices++;
  }
  return slices;
}

/** The case-level values of a plan for one image and mask (the noise estimate, in-plane mode). */
export function caseContext(image: Volume, mask: Volume, plan: PerturbationPlan): CaseContext {
  checkPlan(plan);
  if (image.data.length !== mask.data.length) {
    throw new Error(
      `perturbation: image (${image.size.join("x")}) and mask (${mask.size.join("x")}) differ in size`,
    );
  }
  const label = plan.label ?? 1;
  const slices = roiSlices(mask, label);
  if (slices === 0) throw new Error(`perturbation: the mask has no voxel with label ${label}`);
  const setting = plan.inPlane ?? "auto";
  const inPlane = setting === "auto" ? image.dimension === 2 || slices === 1 : setting;
  const kinds = parseChain(plan.chain);
  const level = plan.noiseLevel ?? "chang";
  const noiseSd = !kinds.has("N") ? 0 : level === "chang" ? estimateNoiseChang(image) : level;
  const contour = plan.contour ?? {};
  const supervoxels =
    kinds.has("C") && (contour.supervoxels ?? "case") === "case"
      ? computeSupervoxels(image, mask, { ...contour, label, inPlane })
      : null;
  return {
    noiseSd,
    inPlane,
    label,
    interpolator: plan.interpolator ?? "linear",
    contour,
    supervoxels,
  };
}

/** The ROI alone (label kept, other labels dropped) as a new Uint8Array mask. */
function roiOnly(mask: Volume, label: number): Volume<Uint8Array> {
  const out = new Uint8Array(mask.data.length);
  for (let i = 0; i < out.length; i++) out[i] = mask.data[i] === label ? label : 0;
  return withData(mask, out);
}

/** A perturbed (image, mask) pair and the perturbation that made it. */
export interface PerturbedPair {
  spec: PerturbationSpec;
  image: Volume;
  mask: Volume<Uint8Array>;
  /** What did not go as planned, e.g. growth capped because the ROI fills the image. */
  notes: string[];
}

/** One perturbation applied to a case (steps in the order described above). */
export function applyPerturbation(
  image: Volume,
  mask: Volume,
  spec: PerturbationSpec,
  context: CaseContext,
): PerturbedPair {
  const { label, inPlane } = context;
  try {
    let img: Volume = image;
    if (spec.noiseSeed !== null && context.noiseSd > 0) {
      img = addGaussianNoise(img, context.noiseSd, spec.noiseSeed);
    }
    const t: Vec3 = [spec.translation[0], spec.translation[1], inPlane ? 0 : spec.translation[2]];
    let msk: Volume<Uint8Array>;
    let supervoxels = context.supervoxels;
    if (spec.rotation !== 0 || t.some((v) => v !== 0)) {
      const grid = rotatedGrid(translatedGrid(image, t), spec.rotation);
      img = resampleImageOnGrid(img, grid, context.interpolator);
      msk = resampleRoiOnGrid(mask, grid, label);
      if (supervoxels) supervoxels = resampleLabelsOnGrid(supervoxels, grid);
    } else {
      msk = roiOnly(mask, label);
    }
    const notes: string[] = [];
    if (spec.volumeFraction !== 0) {
      const before = countNonZero(msk.data);
      const target = adaptedVolumeTarget(before, spec.volumeFraction);
      msk = adaptVolume(msk, spec.volumeFraction, {
        seed: spec.volumeSeed,
        label,
        inPlane,
        atLimit: "cap",
      });
      const after = countNonZero(msk.data);
      if (after !== target) {
        notes.push(
          `V${spec.volumeFraction > 0 ? "+" : ""}${spec.volumeFraction}: the ROI fills the ${inPlane ? "slice" : "image"} at ${after} voxels (target ${target})`,
        );
      }
    }
    if (spec.contourSeed !== null) {
      const options = { ...context.contour, label, inPlane };
      supervoxels ??= computeSupervoxels(img, msk, options);
      const overlap = supervoxelOverlap(supervoxels, msk, label);
      msk = drawRandomisedMask(msk, supervoxels, overlap, new RRandom(spec.contourSeed), options);
    }
    return { spec, image: img, mask: msk, notes };
  } catch (e) {
    throw new Error(`perturbation ${describePerturbation(spec)}: ${(e as Error).message}`);
  }
}

/** Every perturbed pair a plan describes for one case (see applyPerturbation). */
export function perturbCase(image: Volume, mask: Volume, plan: PerturbationPlan): PerturbedPair[] {
  const context = caseContext(image, mask, plan);
  return perturbationSpecs(plan).map((spec) => applyPerturbation(image, mask, spec, context));
}
