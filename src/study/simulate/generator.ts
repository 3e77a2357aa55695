/**
 * The planted-signal cohort generator of `radscore simulate`: two centres of synthetic lesions
 * drawn with the demo's phantom (src/image/phantom.ts) and the demo's T2 and DCE2 protocols
 * (src/study/demo-cohort.ts), whose outcome depends on known image properties through a logistic
 * model, so that the whole image -> mask -> features -> model path can be checked against the
 * truth.
 *
 * Each patient has four standard-normal image properties z (lesion mean intensity, texture
 * heterogeneity, size, lobulation), drawn whatever the dials, so that for one seed the images are
 * the same at every effect size; the first K ("informative") enter the outcome:
 *   logit P(y = 1) = effect · (z_1 + ... + z_K),   y = 1 when u < P (u uniform, drawn per patient),
 * so `effect` is the log-odds per SD of each informative property, and with effect 0 (or K = 0)
 * every patient has P = 1/2 whatever the images. The properties reach the images as:
 *   lesion mean  = protocol lesion mean · (1 + 0.08 z_intensity + 0.03 e)  (e: per-sequence nuisance),
 *   texture SD   = protocol texture SD · exp(0.25 z_texture + 0.05 e),
 *   radius (mm)  = 12 · exp(0.15 z_size) (semi-axes r, 0.8 r, 0.9 r, as the demo's),
 *   lobulation   = 0.12 · exp(0.4 z_lobulation) (relative amplitude of the phantom's harmonics).
 * Centre 2 (the test centre) has a scanner offset: `centreShift` SDs of the lesion mean intensity
 * (0.08 · protocol lesion mean) added to the lesion's and the background's mean intensity.
 *
 * Deterministic: every number comes from R's Mersenne-Twister (src/stats/random.ts) seeded with
 * the cohort seed; the replicate seeds and the truth sample's seed come from one master seed.
 * Pure (browser-safe).
 */
import { generatePhantom } from "../../image/phantom.js";
import type { Vec3, Volume } from "../../image/volume.js";
import { RRandom } from "../../stats/random.js";
import { type DemoSequence, SEQUENCE_PROTOCOL } from "../demo-cohort.js";

/** The image properties a simulated outcome can depend on, in the order `informative` takes them. */
export const SIMULATED_PROPERTIES = ["intensity", "texture", "size", "lobulation"] as const;
export type SimulatedProperty = (typeof SIMULATED_PROPERTIES)[number];

/** Sequences of a simulated patient: the demo's fs-T2WI (largest slice) and DCE phase 2 (3D). */
export const SIMULATED_SEQUENCES = ["T2", "DCE2"] as const satisfies readonly DemoSequence[];
export type SimulatedSequence = (typeof SIMULATED_SEQUENCES)[number];

/** The dials of a simulation. */
export interface SimulationSettings {
  /** Number of informative properties K (0-4): the first K of SIMULATED_PROPERTIES. */
  informative: number;
  /** Log-odds per SD of each informative property. */
  effect: number;
  /** Scanner offset of centre 2, in SDs of the lesion mean intensity. */
  centreShift: number;
  /** Patients per centre (centre 1 trains, centre 2 tests). */
  n: number;
  replicates: number;
  /** Master seed (R set.seed range, >= 1). */
  seed: number;
  /** Patients of the independent truth sample (centre 2), on which the true AUCs are computed. */
  truthN: number;
  /**
   * Candidates for LASSO: the f_classif step keeps this many features (default 10; see
   * src/study/simulate/study.ts). Too few, and a property whose features rank below the strongest
   * property's many near-copies never reaches LASSO.
   */
  candidates?: number;
}

export const DEFAULT_SIMULATION: SimulationSettings = {
  informative: 2,
  effect: 1,
  centreShift: 0,
  n: 60,
  replicates: 20,
  seed: 1,
  truthN: 2000,
};

/** Checks the dials; an error names the dial and the valid range. */
export function validateSimulationSettings(s: SimulationSettings): SimulationSettings {
  const int = (v: number, name: string, lo: number, hi: number) => {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new Error(`simulate: ${name} must be an integer from ${lo} to ${hi}, got ${v}`);
  };
  int(s.informative, "informative", 0, SIMULATED_PROPERTIES.length);
  if (!Number.isFinite(s.effect))
    throw new Error(`simulate: effect must be finite, got ${s.effect}`);
  if (Math.abs(s.effect) > 10)
    throw new Error(`simulate: effect must be within ±10 log-odds per SD, got ${s.effect}`);
  if (!Number.isFinite(s.centreShift) || Math.abs(s.centreShift) > 10)
    throw new Error(`simulate: centreShift must be within ±10 SDs, got ${s.centreShift}`);
  // 10 folds of LASSO cross-validation need at least 10 training patients; 20 keeps both outcome
  // classes in every fold in practice.
  int(s.n, "n (patients per centre)", 20, 100000);
  int(s.replicates, "replicates", 1, 100000);
  int(s.seed, "seed", 1, 2147483647);
  int(s.truthN, "truthN", 20, 1000000);
  if (s.candidates !== undefined) int(s.candidates, "candidates (f_classif top k)", 1, 100000);
  return s;
}

export interface SimulatedPatient {
  id: string;
  centre: 1 | 2;
  /** The standard-normal image properties. */
  properties: Record<SimulatedProperty, number>;
  /** The true outcome probability (logistic model of the informative properties). */
  probability: number;
  outcome: 0 | 1;
  /** Clinical variables with no signal (the pipeline's clinical model needs at least one). */
  clinical: { age: number; lymphadenopathy: 0 | 1 };
  /** Seed of the patient's images. */
  imageSeed: number;
}

/** Standard normal deviate from two uniforms (Box-Muller, as the demo generator draws them). */
export function standardNormal(rng: RRandom): number {
  const u1 = rng.unifRand();
  const u2 = rng.unifRand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A seed in R's set.seed range drawn from a stream (as the demo draws its image seeds). */
function drawSeed(rng: RRandom): number {
  return Math.floor(rng.unifRand() * 2147483646) + 1;
}

/** The true linear predictor (log-odds): effect · sum of the informative properties. */
export function trueLinearPredictor(
  properties: Readonly<Record<SimulatedProperty, number>>,
  settings: Pick<SimulationSettings, "informative" | "effect">,
): number {
  let lp = 0;
  for (let k = 0; k < settings.informative; k++)
    lp += settings.effect * properties[SIMULATED_PROPERTIES[k]!];
  return lp;
}

/** The true probability of the outcome: plogis(effect · sum of the informative properties). */
export function trueProbability(
  properties: Readonly<Record<SimulatedProperty, number>>,
  settings: Pick<SimulationSettings, "informative" | "effect">,
): number {
  return 1 / (1 + Math.exp(-trueLinearPredictor(properties, settings)));
}

/** Whether the outcome depends on the images at all (K > 0 and a non-zero effect). */
export function hasPlantedSignal(
  settings: Pick<SimulationSettings, "informative" | "effect">,
): boolean {
  return settings.informative > 0 && settings.effect !== 0;
}

/** The seeds of a simulation: one per replicate and one for the truth sample, from the master seed. */
export function simulationSeeds(
  seed: number,
  replicates: number,
): { truth: number; replicates: number[] } {
  const rng = new RRandom(seed);
  const truth = drawSeed(rng);
  return { truth, replicates: Array.from({ length: replicates }, () => drawSeed(rng)) };
}

/**
 * The patients of one cohort: `perCentre` patients of each listed centre, in centre order, with
 * IDs `prefix` + serial. Draw order per patient: the four properties, the outcome uniform, age,
 * lymphadenopathy, the image seed (so the dials change outcomes, never images).
 */
export function generateSimulatedCohort(
  settings: Pick<SimulationSettings, "informative" | "effect">,
  seed: number,
  perCentre: number,
  centres: readonly (1 | 2)[] = [1, 2],
  prefix = "S",
): SimulatedPatient[] {
  const rng = new RRandom(seed);
  const patients: SimulatedPatient[] = [];
  const width = String(perCentre * centres.length).length;
  let serial = 0;
  for (const centre of centres) {
    for (let i = 0; i < perCentre; i++) {
      serial++;
      const properties = {} as Record<SimulatedProperty, number>;
      for (const p of SIMULATED_PROPERTIES) properties[p] = standardNormal(rng);
      const probability = trueProbability(properties, settings);
      const u = rng.unifRand();
      const age = Math.round(52 + 9 * standardNormal(rng));
      const lymphadenopathy = rng.unifRand() < 0.55 ? 1 : 0;
      patients.push({
        id: `${prefix}${String(serial).padStart(width, "0")}`,
        centre,
        properties,
        probability,
        outcome: u < probability ? 1 : 0,
        clinical: { age, lymphadenopathy },
        imageSeed: drawSeed(rng),
      });
    }
  }
  return patients;
}

/**
 * Acquisition of each sequence: the demo's grids, spacings and contrasts (src/study/demo-cohort.ts,
 * centre 1), and its masks (T2: the largest tumour slice; DCE2: the 3D ROI).
 */
const PROTOCOL: Record<
  SimulatedSequence,
  {
    size: Vec3;
    spacing: Vec3;
    lesion: number;
    background: number;
    texture: number;
    maskSlices: "all" | "largest";
  }
> = {
  T2: { ...SEQUENCE_PROTOCOL.T2, maskSlices: "largest" },
  DCE2: { ...SEQUENCE_PROTOCOL.DCE2, maskSlices: "all" },
};

/** Between-patient SD of the lesion mean intensity, relative to the protocol's lesion mean. */
const INTENSITY_CV = 0.08;

/** The image and mask of one patient and sequence. */
export function generateSimulatedImages(
  patient: SimulatedPatient,
  sequence: SimulatedSequence,
  settings: Pick<SimulationSettings, "centreShift">,
): { image: Volume<Int16Array>; mask: Volume<Uint8Array> } {
  const protocol = PROTOCOL[sequence];
  const seqIndex = SIMULATED_SEQUENCES.indexOf(sequence);
  // The demo's per-sequence seed derivation.
  const seed = ((patient.imageSeed + 7919 * (seqIndex + 1)) % 2147483646) + 1;
  // Per-sequence nuisance: the same lesion measured by another contrast is not a perfect copy.
  const nuisance = new RRandom(seed + 17);
  const z = patient.properties;
  const offset = patient.centre === 2 ? settings.centreShift * INTENSITY_CV * protocol.lesion : 0;
  const r = 12 * Math.exp(0.15 * z.size);
  const phantom = generatePhantom({
    seed,
    size: protocol.size,
    spacing: protocol.spacing,
    radiiMm: [r, r * 0.8, r * 0.9],
    lesionMean:
      protocol.lesion * (1 + INTENSITY_CV * z.intensity + 0.03 * standardNormal(nuisance)) + offset,
    backgroundMean: protocol.background + offset,
    textureSd: protocol.texture * Math.exp(0.25 * z.texture + 0.05 * standardNormal(nuisance)),
    noiseSd: 18,
    lobulation: 0.12 * Math.exp(0.4 * z.lobulation),
    maskSlices: protocol.maskSlices,
  });
  return { image: phantom.image, mask: phantom.mask };
}
