/**
 * The demo study's definition, shared by `radscore demo` (src/cli/demo.ts, which writes it to
 * files) and the web app (which generates it in memory): which patients have a second reader, the
 * manifest's columns, the extraction parameters and study.yaml. Pure (browser-safe).
 */
import yaml from "js-yaml";
import { DEMO_SEQUENCES, type DemoPatient, generateDemoCohort } from "./demo-cohort.js";

/** YAML text of a plain value (long strings kept on one line). */
export const toYaml = (value: unknown): string => yaml.dump(value, { lineWidth: -1 });

/**
 * Image types of the demo's extraction: Original plus six filtered images (665 features per
 * sequence). Every PyRadiomics image type is available (src/filters/index.ts); Wavelet is left out
 * because on 68 training patients its 744 extra features per sequence mostly add spurious LASSO
 * candidates and double the extraction time.
 */
export const DEMO_IMAGE_TYPES: Record<string, Record<string, unknown>> = {
  Original: {},
  LoG: { sigma: [2.0, 4.0] },
  Square: {},
  SquareRoot: {},
  Logarithm: {},
  Gradient: {},
};

/** Second-reader masks are drawn for this many training patients (inter-observer ICC). */
export const DEMO_SECOND_READER_PATIENTS = 30;

/** Options of the cohort writers (tests use a subset and lighter parameters). */
export interface DemoWriteOptions {
  /** Only these patients (IDs); default all. Second readers stay those of the whole cohort. */
  patients?: readonly string[];
  /** PyRadiomics parameter text written as params.yaml (default demoParamsYaml()). */
  params?: string;
}

/** A demo patient and whether a second reader delineated it. */
export interface PlannedDemoPatient {
  patient: DemoPatient;
  secondReader: boolean;
}

/**
 * The demo cohort of `seed` with its second readers (the first DEMO_SECOND_READER_PATIENTS training
 * patients), optionally restricted to some patients: the subset keeps the whole cohort's readers,
 * so a patient's files are the same whichever subset it is written in.
 */
export function planDemoCohort(seed: number, patients?: readonly string[]): PlannedDemoPatient[] {
  let reader2 = 0;
  const planned = generateDemoCohort({ seed }).map((patient) => {
    const secondReader = patient.set === "training" && reader2 < DEMO_SECOND_READER_PATIENTS;
    if (secondReader) reader2++;
    return { patient, secondReader };
  });
  if (patients === undefined) return planned;
  const unknown = patients.filter((id) => !planned.some((p) => p.patient.id === id));
  if (unknown.length > 0) throw new Error(`no demo patient(s) ${unknown.join(", ")}`);
  return planned.filter((p) => patients.includes(p.patient.id));
}

/** The manifest columns before the image paths (the same for the NRRD and the DICOM cohort). */
export const CLINICAL_HEADER = [
  "id",
  "centre",
  "miller_payne",
  "age",
  "menopausal",
  "lymphadenopathy",
  "diameter_mm",
  "margin",
  "morphology",
  "enhancement",
  "tic_type",
  "adc",
  "lesions",
  "ki67_high",
  "t_stage",
  "bpe",
];

export function clinicalCells(p: DemoPatient): (string | number)[] {
  const c = p.clinical;
  return [
    p.id,
    p.centre,
    p.millerPayne,
    c.age,
    c.menopausal,
    c.lymphadenopathy,
    c.diameter_mm,
    c.margin,
    c.morphology,
    c.enhancement,
    c.tic_type,
    c.adc,
    c.lesions,
    c.ki67_high,
    c.t_stage,
    c.bpe,
  ];
}

export const MANIFEST_HEADER = [
  ...CLINICAL_HEADER,
  ...DEMO_SEQUENCES.flatMap((s) => [`${s}_image`, `${s}_mask`, `${s}_mask2`]),
];

/** PyRadiomics parameter text of the demo extraction. */
export function demoParamsYaml(): string {
  return toYaml({
    imageType: DEMO_IMAGE_TYPES,
    featureClass: {
      shape: null,
      firstorder: null,
      glcm: null,
      glrlm: null,
      glszm: null,
      gldm: null,
      ngtdm: null,
    },
    // MRI intensities have no absolute scale: z-score each image first (PyRadiomics' normalize).
    setting: { binWidth: 25, label: 1, normalize: true, normalizeScale: 100 },
  });
}

/** The demo's study.yaml (every modelling choice spelled out). */
export function demoStudyConfig(): Record<string, unknown> {
  const cat = (levels: string[]) => ({ type: "categorical", levels, reference: levels[0] });
  return {
    title: "Synthetic HER2+ NAT cohort: MRI radiomics nomogram for pCR (radscore demo)",
    cohort: {
      manifest: "cohort/manifest.csv",
      id: "id",
      centre: "centre",
      role: { byCentre: { training: ["1"], test: ["2"] } },
      outcome: {
        column: "miller_payne",
        millerPayne: true,
        eventLabel: "pCR",
        noneventLabel: "non-pCR",
      },
      sequences: Object.fromEntries(
        DEMO_SEQUENCES.map((s) => [
          s,
          { image: `${s}_image`, mask: `${s}_mask`, mask2: `${s}_mask2`, params: "params.yaml" },
        ]),
      ),
      clinical: {
        age: { type: "continuous" },
        menopausal: { type: "binary", labels: ["pre", "post"] },
        lymphadenopathy: { type: "binary", labels: ["no", "yes"] },
        diameter_mm: { type: "continuous" },
        margin: cat(["clear", "unclear"]),
        morphology: cat(["regular", "irregular"]),
        enhancement: cat(["lump", "non-lump"]),
        tic_type: cat(["I", "II", "III"]),
        adc: { type: "continuous" },
        lesions: cat(["single", "multiple"]),
        ki67_high: { type: "binary", labels: ["<20%", ">=20%"] },
        t_stage: cat(["T1", "T2", "T3", "T4"]),
        bpe: cat(["minimal", "mild", "moderate", "marked"]),
      },
    },
    preprocessing: { scaler: "minmax", icc: { enabled: true, threshold: 0.75, type: "ICC2" } },
    selection: {
      fClassif: { enabled: true, p: 0.05 },
      lasso: {
        flavor: "glmnet-binomial",
        folds: 10,
        foldAssignment: "random",
        seed: 20250101,
        lambda: "lambda.1se",
      },
      keepOnePerSequence: true,
    },
    radscore: { model: "lasso" },
    clinical: { univariableP: 0.05, multivariableP: 0.05 },
    evaluation: { bootstrap: 200, seed: 20250101 },
  };
}
