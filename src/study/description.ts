/**
 * What a study run knows beyond the result's tables, gathered for the reporting checklists
 * (`StudyDescription`): the outcome coding, the training / test split and the centres with their
 * sizes and events, the clinical variables with their missing cells, the second reader, the
 * extraction settings of every sequence (PyRadiomics parameter files read with PyRadiomics'
 * defaults, src/extract/params.ts), the number of features per sequence, class and image type, the
 * preprocessing, selection, modelling and evaluation settings of study.yaml, the fitted models'
 * predictors, the training cut-offs and the software versions. Plain JSON (it can be stored in
 * result.json). `describeStudy` builds it from the pipeline's input and output. Pure
 * (browser-safe): imports only types and the PyRadiomics default settings.
 */
import yaml from "js-yaml";
import { DEFAULT_SETTINGS, type Settings } from "../extract/params.js";
import type { Cohort } from "./cohort.js";
import type { StudyConfig } from "./config.js";
import type { FeatureMatrix } from "./features-table.js";
import type { FrozenModel } from "./frozen-model.js";
import type { CohortName, ModelName } from "./result.js";

/**
 * The PyRadiomics version whose features radscore's extraction reproduces (the parity oracle:
 * AIM-Harvard/pyradiomics commit 8ed5793, v3.1.0-111; see the feature sources' headers). Used when
 * the model's `software` record does not name one.
 */
export const PYRADIOMICS_REFERENCE_VERSION = "3.1.0-111 (commit 8ed5793)";

/** The settings of a PyRadiomics parameter file that the checklists report. */
export type ReportedSettings = Pick<
  Settings,
  | "label"
  | "binWidth"
  | "binCount"
  | "normalize"
  | "normalizeScale"
  | "removeOutliers"
  | "resampledPixelSpacing"
  | "interpolator"
  | "padDistance"
  | "resegmentRange"
  | "resegmentMode"
  | "force2D"
  | "force2Ddimension"
  | "distances"
  | "symmetricalGLCM"
  | "weightingNorm"
  | "gldm_a"
  | "voxelArrayShift"
  | "minimumROIDimensions"
  | "minimumROISize"
  | "correctMask"
  | "preCrop"
>;

const REPORTED_KEYS: readonly (keyof ReportedSettings)[] = [
  "label",
  "binWidth",
  "binCount",
  "normalize",
  "normalizeScale",
  "removeOutliers",
  "resampledPixelSpacing",
  "interpolator",
  "padDistance",
  "resegmentRange",
  "resegmentMode",
  "force2D",
  "force2Ddimension",
  "distances",
  "symmetricalGLCM",
  "weightingNorm",
  "gldm_a",
  "voxelArrayShift",
  "minimumROIDimensions",
  "minimumROISize",
  "correctMask",
  "preCrop",
];

/** How one sequence's features were extracted (image mode). */
export interface ExtractionSummary {
  sequence: string;
  /**
   * Feature definitions: the study pipeline extracts in PyRadiomics mode (the IBSI mode is
   * `radscore extract --standard ibsi` only; study.yaml has no key for it).
   */
  standard: "pyradiomics";
  /** The parameter file as named in study.yaml (null: PyRadiomics' defaults). */
  parameterFile: string | null;
  /** Enabled image types with their own settings (e.g. LoG sigma), in file order. */
  imageTypes: { name: string; settings: Record<string, unknown> }[];
  /** Enabled feature classes (features null = every feature of the class). */
  featureClasses: { name: string; features: string[] | null }[];
  /** Settings in force: PyRadiomics' defaults overridden by the file's `setting` section. */
  settings: ReportedSettings;
  /** Keys the file's `setting` section sets (every other setting is PyRadiomics' default). */
  customSettings: string[];
}

export interface StudyDescription {
  outcome: {
    column: string;
    /** miller-payne: grade G5 = event, G1-G4 = non-event; binary: `event` / `nonevent` cell texts. */
    coding: "miller-payne" | "binary";
    event: string;
    nonevent: string;
    eventLabel: string;
    noneventLabel: string;
  };
  /** Training / test assignment: by centre (study.yaml byCentre) or by a role column. */
  split:
    | { by: "centre"; column: string; training: string[]; test: string[] }
    | { by: "column"; column: string };
  /** Patients and events per cohort and centre (centre null: the manifest has no centre column). */
  centres: { cohort: CohortName; centre: string | null; n: number; nEvent: number }[];
  /** Images extracted by radscore, or a precomputed feature table. */
  input: { kind: "images" } | { kind: "table"; table: string };
  sequences: string[];
  /** Features per sequence, feature class and image type, as extracted or read (before any filter). */
  featureCounts: {
    total: number;
    bySequence: { name: string; count: number }[];
    byClass: { name: string; count: number }[];
    byImageType: { name: string; count: number }[];
  };
  /** Image mode: per sequence the extraction; null for a precomputed feature table. */
  extraction: ExtractionSummary[] | null;
  /** Image mode: the manifest's mask columns per sequence (reader 1, and reader 2 when given). */
  masks: { sequence: string; mask: string; mask2: string | null }[];
  /** Second reader: patients with a second segmentation of every sequence, per cohort. */
  secondReader: {
    /** Sequences with a second-reader mask column (image mode) or the table's sequences. */
    sequences: string[];
    patients: { cohort: CohortName; n: number }[];
  };
  clinical: {
    name: string;
    label: string;
    type: "continuous" | "binary" | "categorical";
    levels: string[];
    reference: string | null;
    /** Missing cells per cohort. */
    missing: { cohort: CohortName; n: number }[];
  }[];
  /** Cell texts read as missing. */
  missingTexts: string[];
  preprocessing: StudyConfig["preprocessing"];
  selection: StudyConfig["selection"];
  /** Features forced back by the keep-one-per-sequence rule. */
  forcedFeatures: { sequence: string; feature: string }[];
  /** The Rad-score as configured, and the source of its coefficients (LASSO or a refit). */
  radscore: {
    configured: StudyConfig["radscore"]["model"];
    used: FrozenModel["radscore"]["source"];
  };
  clinicalModel: StudyConfig["clinical"] & {
    multivariablePredictors: string[] | null;
    predictors: string[];
    /** Non-intercept design terms (a factor has one per non-reference level). */
    terms: string[];
    /** Patients in the fit (complete cases), when known. */
    nObs: number | null;
  };
  nomogramModel: { predictors: string[]; terms: string[]; nObs: number | null };
  evaluation: StudyConfig["evaluation"];
  /** Training cut-offs: clinical and nomogram on the probability scale, radiomics on the Rad-score. */
  thresholds: Record<ModelName, number>;
  /** Software versions recorded in the model (radscore, node or the browser, ...). */
  software: Record<string, string>;
  /** The PyRadiomics version the extraction reproduces. */
  pyradiomicsReference: string;
}

/** What describeStudy reads: the pipeline's input and output (StudyInput and StudyOutput fit). */
export interface DescribeStudyInput {
  config: StudyConfig;
  cohort: Cohort;
  features: Pick<FeatureMatrix, "names" | "sequences">;
  reader2?: Pick<FeatureMatrix, "ids"> | null;
  model: Pick<
    FrozenModel,
    "software" | "extraction" | "thresholds" | "radscore" | "clinicalModel" | "nomogramModel"
  >;
  details?: {
    forced?: { sequence: string; feature: string }[];
    multivariablePredictors?: string[];
    clinical?: { nObs: number };
    nomogram?: { nObs: number };
  };
}

const COHORTS: readonly CohortName[] = ["training", "test"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Counts of `key(x)` in first-seen order. */
function countBy<T>(
  xs: readonly T[],
  key: (x: T) => string | null,
): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const x of xs) {
    const k = key(x);
    if (k !== null) counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => ({ name, count }));
}

/**
 * Summary of a PyRadiomics parameter text (already validated by the extraction): settings in force
 * (PyRadiomics' defaults overridden by `setting`), image types, feature classes. Without a file,
 * PyRadiomics' behaviour: the Original image and every class but shape2D (featureClasses []
 * stands for that; the extraction validated the file, so only its shape is read here).
 */
export function summariseParams(
  sequence: string,
  paramsText: string | null,
  parameterFile: string | null,
  label: number | null,
): ExtractionSummary {
  let doc: Record<string, unknown> = {};
  if (paramsText !== null) {
    const raw = yaml.load(paramsText, { schema: yaml.CORE_SCHEMA });
    if (raw !== null && raw !== undefined && !isRecord(raw))
      throw new Error(`${sequence}: the parameter file is not a mapping`);
    doc = raw ?? {};
  }
  const custom = isRecord(doc.setting) ? doc.setting : {};
  const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS, ...custom };
  if (label !== null) merged.label = label;
  const settings = Object.fromEntries(
    REPORTED_KEYS.map((k) => [k, merged[k] ?? null]),
  ) as unknown as ReportedSettings;
  const imageTypes = isRecord(doc.imageType)
    ? Object.entries(doc.imageType).map(([name, s]) => ({ name, settings: isRecord(s) ? s : {} }))
    : [{ name: "Original", settings: {} }];
  const featureClasses = isRecord(doc.featureClass)
    ? Object.entries(doc.featureClass).map(([name, list]) => ({
        name,
        features: Array.isArray(list) ? list.map(String) : null,
      }))
    : [];
  return {
    sequence,
    standard: "pyradiomics",
    parameterFile,
    imageTypes,
    featureClasses,
    settings,
    customSettings: Object.keys(custom),
  };
}

/**
 * PyRadiomics feature names are `<image type>_<class>_<feature>` (radscore appends `_<sequence>`);
 * the class and image type of a name, or null when it does not have that shape.
 */
function nameParts(name: string): { imageType: string; featureClass: string } | null {
  const parts = name.split("_");
  return parts.length >= 3 ? { imageType: parts[0]!, featureClass: parts[1]! } : null;
}

/** The run's description from the pipeline's input and output (see StudyDescription). */
export function describeStudy(input: DescribeStudyInput): StudyDescription {
  const { config, cohort, features, model } = input;
  const o = config.cohort.outcome;
  const role = config.cohort.role;
  const patientsOf = (c: CohortName) => cohort.patients.filter((p) => p.role === c);
  const centres: StudyDescription["centres"] = [];
  for (const c of COHORTS) {
    for (const p of patientsOf(c)) {
      let row = centres.find((r) => r.cohort === c && r.centre === p.centre);
      if (!row) {
        row = { cohort: c, centre: p.centre, n: 0, nEvent: 0 };
        centres.push(row);
      }
      row.n++;
      row.nEvent += p.outcome;
    }
  }
  const reader2Ids = new Set(input.reader2?.ids ?? []);
  const secondReaderSequences = config.features
    ? input.reader2
      ? config.features.sequences
      : []
    : Object.entries(config.cohort.sequences ?? {})
        .filter(([, s]) => s.mask2 !== undefined)
        .map(([name]) => name);
  const extraction =
    model.extraction === null
      ? null
      : Object.entries(model.extraction).map(([seq, e]) =>
          summariseParams(
            seq,
            e.paramsText,
            config.cohort.sequences?.[seq]?.params ?? config.extraction.params ?? null,
            e.label,
          ),
        );
  const termsOf = (m: FrozenModel["clinicalModel"]) => m.terms.map((t) => t.term);
  return {
    outcome: {
      column: o.column,
      coding: o.millerPayne ? "miller-payne" : "binary",
      event: o.millerPayne ? "G5" : o.event,
      nonevent: o.millerPayne ? "G1-G4" : o.nonevent,
      eventLabel: o.eventLabel,
      noneventLabel: o.noneventLabel,
    },
    split: role.byCentre
      ? {
          by: "centre",
          column: config.cohort.centre ?? "",
          training: [...role.byCentre.training],
          test: [...role.byCentre.test],
        }
      : { by: "column", column: role.column ?? "" },
    centres,
    input: config.features ? { kind: "table", table: config.features.table } : { kind: "images" },
    sequences: [...cohort.sequences],
    featureCounts: {
      total: features.names.length,
      bySequence: countBy(features.sequences, (s) => s),
      byClass: countBy(features.names, (n) => nameParts(n)?.featureClass ?? null),
      byImageType: countBy(features.names, (n) => nameParts(n)?.imageType ?? null),
    },
    extraction,
    masks: Object.entries(config.cohort.sequences ?? {}).map(([sequence, q]) => ({
      sequence,
      mask: q.mask,
      mask2: q.mask2 ?? null,
    })),
    secondReader: {
      sequences: secondReaderSequences,
      patients: COHORTS.map((c) => ({
        cohort: c,
        n: patientsOf(c).filter((p) => reader2Ids.has(p.id)).length,
      })),
    },
    clinical: cohort.variables.map((v) => ({
      name: v.name,
      label: v.label,
      type: v.type,
      levels: [...v.levels],
      reference: v.reference,
      missing: COHORTS.map((c) => ({
        cohort: c,
        n: patientsOf(c).filter((p) => p.clinical[v.name] === null).length,
      })),
    })),
    missingTexts: [...cohort.missing],
    preprocessing: config.preprocessing,
    selection: config.selection,
    forcedFeatures: [...(input.details?.forced ?? [])],
    radscore: { configured: config.radscore.model, used: model.radscore.source },
    clinicalModel: {
      ...config.clinical,
      multivariablePredictors: input.details?.multivariablePredictors ?? null,
      predictors: [...model.clinicalModel.predictors],
      terms: termsOf(model.clinicalModel),
      nObs: input.details?.clinical?.nObs ?? null,
    },
    nomogramModel: {
      predictors: [...model.nomogramModel.predictors],
      terms: termsOf(model.nomogramModel),
      nObs: input.details?.nomogram?.nObs ?? null,
    },
    evaluation: config.evaluation,
    thresholds: { ...model.thresholds },
    software: { ...model.software },
    pyradiomicsReference: model.software.pyradiomics ?? PYRADIOMICS_REFERENCE_VERSION,
  };
}
