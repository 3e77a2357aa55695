/**
 * A deterministic synthetic two-centre cohort shaped like the reference study (HER2+ breast cancer,
 * pCR after neoadjuvant therapy): 68 training patients (centre 1, 42 pCR) and 65 test patients
 * (centre 2, 44 pCR); clinical variables with the study's Table 1 proportions, Ki-67 and morphology
 * carrying signal; three MRI sequences per patient (fs-T2WI, DWI, DCE phase 2) whose lesion
 * texture and shape depend on a latent response variable, with centre-specific scanner differences
 * (field strength: noise and intensity scale). Everything derives from one seed.
 */
import { generatePhantom, type Phantom } from "../image/phantom.js";
import type { Vec3 } from "../image/volume.js";
import { RRandom } from "../stats/random.js";

export const DEMO_SEQUENCES = ["T2", "DWI", "DCE2"] as const;
export type DemoSequence = (typeof DEMO_SEQUENCES)[number];

export interface DemoPatient {
  id: string;
  centre: 1 | 2;
  set: "training" | "test";
  /** 1 = pathological complete response (Miller-Payne G5). */
  pcr: 0 | 1;
  millerPayne: "G1" | "G2" | "G3" | "G4" | "G5";
  /** Latent response (higher = more likely pCR); drives image texture and shape. */
  latent: number;
  clinical: {
    age: number;
    menopausal: 0 | 1;
    lymphadenopathy: 0 | 1;
    diameter_mm: number;
    margin: "clear" | "unclear";
    morphology: "regular" | "irregular";
    enhancement: "lump" | "non-lump";
    tic_type: "I" | "II" | "III";
    adc: number;
    lesions: "single" | "multiple";
    ki67_high: 0 | 1;
    t_stage: "T1" | "T2" | "T3" | "T4";
    bpe: "minimal" | "mild" | "moderate" | "marked";
  };
  /** Per-patient seed for its images. */
  imageSeed: number;
}

export interface DemoCohortOptions {
  seed?: number;
}

/** Counts per centre: patients, pCR, and the irregular / Ki-67-high counts per outcome group. */
const CENTRES = [
  {
    centre: 1 as const,
    set: "training" as const,
    n: 68,
    pcr: 42,
    irregular: [23, 25],
    ki67: [13, 35],
  },
  { centre: 2 as const, set: "test" as const, n: 65, pcr: 44, irregular: [17, 26], ki67: [10, 37] },
];

function normal(rng: RRandom): number {
  const u1 = rng.unifRand();
  const u2 = rng.unifRand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** A 0/1 vector of length n with exactly k ones, in random order. */
function exactOnes(rng: RRandom, n: number, k: number): (0 | 1)[] {
  const v: (0 | 1)[] = Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.unifRand() * (i + 1));
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return v;
}

function pick<T>(rng: RRandom, values: readonly T[], weights: readonly number[]): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.unifRand() * total;
  for (let i = 0; i < values.length; i++) {
    u -= weights[i]!;
    if (u <= 0) return values[i]!;
  }
  return values[values.length - 1]!;
}

export function generateDemoCohort(options: DemoCohortOptions = {}): DemoPatient[] {
  const rng = new RRandom(options.seed ?? 20250101);
  const patients: DemoPatient[] = [];
  let serial = 0;
  for (const c of CENTRES) {
    const pcr = exactOnes(rng, c.n, c.pcr);
    const nNon = c.n - c.pcr;
    const irregularNon = exactOnes(rng, nNon, c.irregular[0]!);
    const irregularPcr = exactOnes(rng, c.pcr, c.irregular[1]!);
    const kiNon = exactOnes(rng, nNon, c.ki67[0]!);
    const kiPcr = exactOnes(rng, c.pcr, c.ki67[1]!);
    let iNon = 0;
    let iPcr = 0;
    for (let i = 0; i < c.n; i++) {
      serial++;
      const y = pcr[i]!;
      const irregular = y ? irregularPcr[iPcr]! : irregularNon[iNon]!;
      const ki67 = y ? kiPcr[iPcr++]! : kiNon[iNon++]!;
      const latent = (y ? 0.6 : -0.6) + normal(rng);
      const age = Math.round(52 + 9 * normal(rng));
      const diameter =
        Math.round(10 * Math.exp(Math.log(28) + 0.35 * normal(rng) - 0.1 * latent)) / 10;
      patients.push({
        id: `P${String(serial).padStart(3, "0")}`,
        centre: c.centre,
        set: c.set,
        pcr: y,
        millerPayne: y ? "G5" : pick(rng, ["G1", "G2", "G3", "G4"] as const, [1, 2, 3, 3]),
        latent,
        clinical: {
          age,
          menopausal: age >= 50 ? (rng.unifRand() < 0.85 ? 1 : 0) : rng.unifRand() < 0.1 ? 1 : 0,
          lymphadenopathy: rng.unifRand() < 0.55 ? 1 : 0,
          diameter_mm: diameter,
          margin: rng.unifRand() < 0.45 ? "unclear" : "clear",
          morphology: irregular ? "irregular" : "regular",
          enhancement: rng.unifRand() < 0.8 ? "lump" : "non-lump",
          tic_type: pick(rng, ["I", "II", "III"] as const, [1, 3, 4]),
          adc: Math.round(1000 * (0.965 + 0.012 * normal(rng) + 0.004 * latent)) / 1000,
          lesions: rng.unifRand() < 0.3 ? "multiple" : "single",
          ki67_high: ki67,
          t_stage: pick(
            rng,
            ["T1", "T2", "T3", "T4"] as const,
            diameter > 50 ? [0, 1, 3, 1] : diameter > 20 ? [1, 6, 1, 0.5] : [4, 2, 0.3, 0.2],
          ),
          bpe: pick(rng, ["minimal", "mild", "moderate", "marked"] as const, [3, 4, 2, 1]),
        },
        imageSeed: Math.floor(rng.unifRand() * 2147483646) + 1,
      });
    }
  }
  return patients;
}

/** Acquisition geometry and contrast of each sequence (centre 1: 3.0 T, centre 2: 1.5 T). */
/** Each demo sequence's grid, spacing and contrasts (centre 1; `radscore simulate` uses them too). */
export const SEQUENCE_PROTOCOL: Record<
  DemoSequence,
  { size: Vec3; spacing: Vec3; lesion: number; background: number; texture: number }
> = {
  T2: { size: [56, 56, 14], spacing: [0.7, 0.7, 4], lesion: 620, background: 260, texture: 70 },
  DWI: { size: [36, 36, 14], spacing: [1.2, 1.2, 4], lesion: 820, background: 180, texture: 90 },
  DCE2: {
    size: [56, 56, 22],
    spacing: [0.75, 0.75, 2],
    lesion: 1500,
    background: 420,
    texture: 160,
  },
};

export interface DemoImages extends Phantom {
  /** A second reader's mask (boundary perturbed) for inter-observer ICC. */
  mask2: Phantom["mask"];
}

/**
 * The image, mask and second-reader mask of one patient and sequence. Non-pCR lesions are more
 * heterogeneous and lobulated; centre 2 has lower SNR and another intensity scale.
 */
export function generateDemoImages(
  patient: DemoPatient,
  sequence: DemoSequence,
  options: { secondReader?: boolean } = {},
): DemoImages {
  const protocol = SEQUENCE_PROTOCOL[sequence];
  const seqIndex = DEMO_SEQUENCES.indexOf(sequence);
  const seed = ((patient.imageSeed + 7919 * (seqIndex + 1)) % 2147483646) + 1;
  // Centre 2 (1.5 T): lower SNR and a slightly different intensity scale.
  const scale = patient.centre === 1 ? 1 : 0.94;
  const noise = patient.centre === 1 ? 18 : 24;
  // Response shows in texture heterogeneity and mean enhancement, diluted by patient-level
  // variability unrelated to the outcome, so that the signal is realistic rather than perfect.
  const nuisance = new RRandom(seed + 17);
  const heterogeneity = Math.exp(-0.08 * patient.latent + 0.12 * normal(nuisance));
  const r = patient.clinical.diameter_mm / 2;
  const radii: Vec3 = [r, r * 0.8, r * 0.9];
  const base = {
    seed,
    size: protocol.size,
    spacing: protocol.spacing,
    radiiMm: radii,
    lesionMean: protocol.lesion * scale * (1 + 0.01 * patient.latent + 0.03 * normal(nuisance)),
    backgroundMean: protocol.background * scale,
    textureSd: protocol.texture * scale * heterogeneity,
    noiseSd: noise,
    lobulation: patient.clinical.morphology === "irregular" ? 0.22 : 0.08,
    // T2WI and DWI: the largest tumour slice only, as drawn in the study; DCE2: the 3D ROI.
    maskSlices: sequence === "DCE2" ? ("all" as const) : ("largest" as const),
  };
  // The second reader's mask comes from the same pass (only when asked for; default yes).
  const phantom = generatePhantom(
    options.secondReader === false ? base : { ...base, secondReaderJitter: 0.06 },
  );
  return { image: phantom.image, mask: phantom.mask, mask2: phantom.mask2 ?? phantom.mask };
}
