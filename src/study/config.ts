/**
 * The study configuration (study.yaml): which cohort, which features, and every modelling choice of
 * the pipeline, validated with zod. Every key has a documented default (see `DEFAULT_STUDY_YAML`
 * in the docs and the comments below); an unknown key or a bad value is an error that names the key
 * and lists the valid keys or values. Pure (browser-safe): the Node edge reads the file.
 */
import yaml from "js-yaml";
import { z } from "zod";

const finiteNumber = z.number().refine(Number.isFinite, "must be a finite number");
const probability = z.number().gt(0).lt(1);

/** One clinical variable of the manifest and how it enters Table 1 and the models. */
const clinicalVariable = z.strictObject({
  /**
   * continuous: a number (t test / Mann-Whitney; numeric predictor);
   * binary: 0/1 cells entering models as a number (a two-level factor on the nomogram);
   * categorical: treatment-coded factor against `reference` (default the first level).
   */
  type: z.enum(["continuous", "binary", "categorical"]),
  /** Level order (categorical; default: the training values sorted). */
  levels: z.array(z.string()).min(2).optional(),
  reference: z.string().optional(),
  /** Display labels of the levels on the nomogram (binary: labels of 0 and 1). */
  labels: z.array(z.string()).optional(),
  /** Display name in tables (default the column name). */
  label: z.string().optional(),
});

const sequenceColumns = z.strictObject({
  /** Manifest column with the image path of this sequence (relative to the manifest). */
  image: z.string().min(1),
  /** Manifest column with the mask path. */
  mask: z.string().min(1),
  /** Optional manifest column with a second reader's mask (inter-observer ICC). */
  mask2: z.string().min(1).optional(),
  /** PyRadiomics parameter file for this sequence (relative to study.yaml; default extraction.params). */
  params: z.string().min(1).optional(),
  /** Label value of the ROI (default the parameter file's label, usually 1). */
  label: z.number().int().positive().optional(),
  /** DICOM image folders: the series (SeriesInstanceUID or SeriesNumber; default the only one). */
  series: z.union([z.string().min(1), z.number().int().nonnegative()]).optional(),
  /** DICOM dynamic series: the phase, 1-based (the reference study's DCE phase 2 is 2). */
  phase: z.number().int().positive().optional(),
  /** DICOM diffusion series: the b-value (trace-weighted image when several directions). */
  bvalue: z.number().nonnegative().optional(),
  /** DICOM multi-volume series: the volume, 0-based in dcm2niix's order. */
  volume: z.number().int().nonnegative().optional(),
  /** DICOM-SEG masks: the segment number (default every segment as a label map). */
  segment: z.number().int().positive().optional(),
  /** RTSTRUCT masks: the ROI name (default the only ROI). */
  roi: z.string().min(1).optional(),
});

const cohortSchema = z.strictObject({
  /** Cohort manifest CSV (relative to study.yaml): one row per patient. */
  manifest: z.string().min(1),
  /** Patient ID column. */
  id: z.string().default("id"),
  /** Centre column (optional; needed when the role is derived from the centre). */
  centre: z.string().optional(),
  /**
   * Training / test assignment: a column with the cell texts `training` / `test`, or `byCentre`
   * mapping centre cell texts to a role.
   */
  role: z
    .strictObject({
      column: z.string().optional(),
      training: z.string().default("training"),
      test: z.string().default("test"),
      byCentre: z
        .strictObject({ training: z.array(z.string()).min(1), test: z.array(z.string()).min(1) })
        .optional(),
    })
    .prefault({ column: "set" }),
  /**
   * Outcome: a 0/1 column (`event` / `nonevent` cell texts), or a Miller-Payne grade column
   * (`millerPayne: true`; G5 or 5 = pCR = event, G1-G4 = non-event).
   */
  outcome: z.strictObject({
    column: z.string(),
    event: z.string().default("1"),
    nonevent: z.string().default("0"),
    millerPayne: z.boolean().default(false),
    /** Name of the event in tables (default "pCR"). */
    eventLabel: z.string().default("pCR"),
    noneventLabel: z.string().default("non-pCR"),
  }),
  /** Image and mask columns per sequence (any sequence names); absent with features.table. */
  sequences: z.record(z.string().regex(/^[A-Za-z0-9]+$/), sequenceColumns).optional(),
  /** Clinical variables (manifest columns) with their types. */
  clinical: z.record(z.string(), clinicalVariable).default({}),
  /** Cell texts meaning "missing" (default empty and NA). */
  missing: z.array(z.string()).default(["", "NA"]),
});

const featuresSchema = z.strictObject({
  /** A precomputed feature table (CSV, relative to study.yaml) instead of images. */
  table: z.string().min(1),
  /** Its patient ID column (default the manifest's). */
  id: z.string().optional(),
  /** Feature columns (default every column that is not the ID, a manifest column or a clinical one). */
  columns: z.array(z.string()).min(1).optional(),
  /** Sequence suffixes of the feature names (`..._DWI`), for the keep-one-per-sequence rule. */
  sequences: z.array(z.string()).default([]),
  /** Optional second-reader table (same columns; rows for the re-segmented patients) for ICC. */
  reader2Table: z.string().optional(),
});

const extractionSchema = z.strictObject({
  /** Default PyRadiomics parameter file (relative to study.yaml); default PyRadiomics defaults. */
  params: z.string().optional(),
  /** Cache each extracted image / mask pair under <out>/cache. */
  cache: z.boolean().default(true),
  /** Worker threads for extraction (default: the number of CPUs, at most 8; 1 = no workers). */
  jobs: z.number().int().min(1).optional(),
  /**
   * Extract on a Redis queue's workers (`radscore worker`, docs/queue.md) instead of this machine:
   * redis://HOST[:PORT][/DB] or rediss:// (TLS).
   */
  queue: z
    .string()
    .regex(/^rediss?:\/\/[^/\s]/, "must be a Redis URL: redis://HOST[:PORT][/DB] or rediss://")
    .optional(),
});

const preprocessingSchema = z.strictObject({
  /** Feature scaling fitted on training: minmax (to [0, 1]) or zscore. */
  scaler: z.enum(["minmax", "zscore"]).default("minmax"),
  /** minmax formula: r = (x - min)/(max - min); sklearn = x*scale + min (MinMaxScaler). zscore: sd ddof. */
  minmaxFormula: z.enum(["r", "sklearn"]).default("r"),
  zscoreDdof: z.number().int().min(0).max(1).default(1),
  /** Inter-observer ICC filter (needs second-reader masks or a reader-2 table). */
  icc: z
    .strictObject({
      enabled: z.boolean().default(true),
      threshold: z.number().min(-1).max(1).default(0.75),
      type: z.enum(["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]).default("ICC2"),
      /** Keep when the ICC estimate (or the lower 95% limit) is >= threshold. */
      use: z.enum(["estimate", "lower"]).default("estimate"),
    })
    .prefault({}),
  /** Drop features that are constant in training (they carry no information). */
  dropConstant: z.boolean().default(true),
  /**
   * Feature robustness to image perturbations, for cohorts without a second reader (Zwanenburg
   * et al., "Assessing robustness of radiomic features by image perturbation", Sci Rep
   * 2019;9:614): each training patient's image and reader-1 mask of every sequence is perturbed
   * `perturbations` times, the features of every perturbed pair are extracted with the
   * sequence's parameter file, and a feature is kept when its ICC across perturbations (cases as
   * subjects, perturbations as repeated measurements; Shrout & Fleiss 1979) reaches `threshold`.
   * Runs after the inter-reader ICC filter; needs images (not features.table). See
   * src/image/perturbation/chain.ts for the perturbations and their defaults.
   */
  robustness: z
    .strictObject({
      enabled: z.boolean().default(false),
      /**
       * The paper's letters, in any order (applied N, then R and T, then V, then C):
       * R rotation, T sub-voxel translation, N noise addition, V volume growth / shrinkage,
       * C supervoxel contour randomisation.
       */
      chain: z
        .string()
        .regex(/^[RTNVC]+$/, "must be letters R, T, N, V, C (e.g. RTNVC)")
        .refine((c) => new Set(c).size === c.length, "a letter appears twice")
        .default("RTNVC"),
      /** Perturbed images per patient and sequence (>= 2; the paper's chains use 20-30). */
      perturbations: z.number().int().min(2).default(20),
      /**
       * Seed of every random choice. Patient i of the manifest (0-based, training patients only
       * are perturbed) uses seed + i, the same for each of its sequences, so a run is
       * reproducible and each patient's perturbations do not depend on the other patients.
       */
      seed: z.number().int().min(-2147483647).max(2147483647).default(20250101),
      /** R: rotation angles about the slice axis, degrees (default -15 to 15 in 5° steps). */
      rotationAngles: z.array(finiteNumber).min(1).optional(),
      /** T: translation fractions of a voxel in [0, 1) (default 0, 0.25, 0.5, 0.75). */
      translationFractions: z.array(z.number().min(0).lt(1)).min(1).optional(),
      /** V: volume fractions > -1 (default -0.15 to 0.15 in 0.05 steps). */
      volumeFractions: z.array(z.number().gt(-1)).min(1).optional(),
      /** N: noise SD in image units, or `chang` (estimated from the image, Chang et al. 2000). */
      noiseLevel: z.union([z.literal("chang"), z.number().min(0)]).default("chang"),
      /**
       * C: supervoxels of the unperturbed image (`case`, computed once per image) or of every
       * perturbed image (`perturbed`, as MIRP; slower).
       */
      supervoxels: z.enum(["case", "perturbed"]).default("case"),
      /** ICC form across perturbations (the paper: ICC1, one-way random effects, single). */
      type: z.enum(["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]).default("ICC1"),
      /** Keep a feature when its ICC (estimate or lower 95% limit) is >= this (the paper: 0.9). */
      threshold: z.number().min(-1).max(1).default(0.9),
      use: z.enum(["estimate", "lower"]).default("estimate"),
    })
    .prefault({}),
  /**
   * ComBat harmonisation across centres (Johnson et al. 2007, as R sva::ComBat) of the features
   * kept by the filters, fitted on every patient's features without outcomes; the batch is the
   * patient's centre (cohort.centre). `reference`: `training` (default: the training centre, left
   * unchanged, the others mapped onto it; the model then applies unchanged to new patients of the
   * fitted centres), a centre's cell text, or `none` (every centre moved to the pooled mean).
   */
  combat: z
    .strictObject({
      enabled: z.boolean().default(false),
      reference: z.string().min(1).default("training"),
      /** Parametric empirical-Bayes priors (sva par.prior = TRUE) or non-parametric. */
      parametric: z.boolean().default(true),
      /** Adjust the centre means only, not the variances (sva mean.only). */
      meanOnly: z.boolean().default(false),
    })
    .prefault({}),
});

const selectionSchema = z.strictObject({
  /** ANOVA F-test (scikit-learn f_classif) on the scaled training features. */
  fClassif: z
    .strictObject({
      enabled: z.boolean().default(true),
      /** Keep features with p < this (ignored when k is set). */
      p: probability.default(0.05),
      /** Keep the k features with the largest F instead. */
      k: z.number().int().positive().optional(),
    })
    .prefault({}),
  lasso: z
    .strictObject({
      flavor: z.enum(["glmnet-binomial", "sklearn-LassoCV"]).default("glmnet-binomial"),
      folds: z.number().int().min(3).default(10),
      /**
       * random: R cv.glmnet's sample(rep(1:K, length = n)) after set.seed(seed);
       * contiguous: scikit-learn KFold without shuffle (first n %% K folds one larger).
       */
      foldAssignment: z.enum(["random", "contiguous"]).default("random"),
      seed: z.number().int().default(20250101),
      lambda: z.enum(["lambda.min", "lambda.1se"]).default("lambda.min"),
      /** glmnet convergence threshold (glmnet default 1e-7). */
      thresh: z.number().positive().default(1e-7),
      /** glmnet type.measure. */
      measure: z.enum(["deviance", "auc"]).default("deviance"),
    })
    .prefault({}),
  /** If LASSO removes every feature of a sequence, force back its best univariate feature. */
  keepOnePerSequence: z.boolean().default(true),
});

/**
 * When a logistic model is fitted by Firth's penalised likelihood instead of maximum likelihood
 * (`radscore.firth`, `clinical.firth`).
 */
const firthSetting = z.enum(["auto", "always", "never"]).default("auto");

const radscoreSchema = z.strictObject({
  /**
   * lasso: Rad-score = the LASSO linear predictor (intercept + sum coef * scaled feature);
   * logistic: unpenalised logistic regression refitted on the selected features.
   * With forced (keep-one-per-sequence) features the Rad-score is always refitted.
   */
  model: z.enum(["lasso", "logistic"]).default("lasso"),
  /**
   * The logistic refit's estimator (a LASSO Rad-score is not refitted, so this has no effect on
   * it). auto: maximum likelihood, or Firth's penalised likelihood (Firth 1993; Heinze & Schemper
   * 2002; as R logistf) when maximum likelihood reports complete or quasi-complete separation
   * (its estimates diverge); always: Firth; never: maximum likelihood even under separation.
   */
  firth: firthSetting,
});

const clinicalModelSchema = z.strictObject({
  /** Univariable screen: variables with P < this enter the multivariable model. */
  univariableP: probability.default(0.05),
  /** Multivariable model: predictors with P < this are the independent predictors (clinical model). */
  multivariableP: probability.default(0.05),
  /** Explicit multivariable predictors (overrides the univariable screen). */
  multivariable: z.array(z.string()).min(1).optional(),
  /** Explicit clinical-model predictors (overrides the multivariable rule). */
  model: z.array(z.string()).min(1).optional(),
  /** glm convergence (R glm.control). */
  epsilon: z.number().positive().default(1e-14),
  maxIterations: z.number().int().positive().default(100),
  /**
   * The estimator of every glm of this step (univariable screen, multivariable, clinical and
   * nomogram models): auto (Firth's penalised likelihood when maximum likelihood reports
   * separation), always (Firth) or never (maximum likelihood), as `radscore.firth`. Firth fits
   * give Table 2 profile penalised-likelihood CIs and penalised likelihood-ratio P values;
   * `maxIterations` caps their Newton-Raphson iterations too.
   */
  firth: firthSetting,
});

const nomogramSchema = z.strictObject({
  maxscale: z.number().positive().default(100),
  nint: z.number().int().positive().default(10),
  probabilityTicks: z
    .array(probability)
    .min(2)
    .default([0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99]),
  totalPointsStep: z.number().positive().default(5),
  /** Name of the Rad-score axis. */
  radscoreName: z.string().default("radscore"),
});

const evaluationSchema = z.strictObject({
  /** Cut-off: Youden's J on training (first = lowest tied threshold), applied unchanged to test. */
  threshold: z.enum(["youden"]).default("youden"),
  ciLevel: probability.default(0.95),
  /** Bootstrap repetitions of the calibration (rms calibrate B) and its R set.seed value. */
  bootstrap: z.number().int().min(1).default(200),
  seed: z.number().int().default(20250101),
  /**
   * Table 3's bootstrap CIs of the AUC and of sensitivity, specificity, accuracy, PPV and NPV at
   * the training threshold, as pROC (ci.auc(method = "bootstrap"), ci.coords; stratified) after
   * set.seed(seed): `replicates` 0 turns them off.
   */
  rocBootstrap: z
    .strictObject({
      replicates: z.number().int().min(0).default(2000),
      seed: z.number().int().default(20250101),
    })
    .prefault({}),
  /** Decision-curve thresholds i/denominator, i = from..to. */
  dca: z
    .strictObject({
      from: z.number().int().min(1).default(1),
      to: z.number().int().min(1).default(99),
      denominator: z.number().int().min(2).default(100),
    })
    .prefault({}),
  /** Table 1 rules (see src/stats/table1.ts). */
  normalityAlpha: probability.default(0.05),
  tTest: z.enum(["student", "welch"]).default("student"),
  fisherIfExpectedBelow: finiteNumber.default(5),
  hosmerLemeshowGroups: z.number().int().min(3).default(10),
});

const outputsSchema = z.strictObject({
  /** Write the report folder (report helper) next to the study files. */
  report: z.boolean().default(true),
});

export const studyConfigSchema = z.strictObject({
  title: z.string().default("Radiomics nomogram study"),
  cohort: cohortSchema,
  features: featuresSchema.optional(),
  extraction: extractionSchema.prefault({}),
  preprocessing: preprocessingSchema.prefault({}),
  selection: selectionSchema.prefault({}),
  radscore: radscoreSchema.prefault({}),
  clinical: clinicalModelSchema.prefault({}),
  nomogram: nomogramSchema.prefault({}),
  evaluation: evaluationSchema.prefault({}),
  outputs: outputsSchema.prefault({}),
});

export type StudyConfig = z.infer<typeof studyConfigSchema>;
export type ClinicalVariableConfig = z.infer<typeof clinicalVariable>;
export type SequenceConfig = z.infer<typeof sequenceColumns>;

export class StudyConfigError extends Error {}

// biome-ignore lint/suspicious/noExplicitAny: walking zod's internal schema tree
type AnySchema = any;

/** Unwraps default / prefault / optional / nullable wrappers down to the object or record schema. */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 10 && s; i++) {
    const def = s._zod?.def ?? s.def;
    if (!def) return s;
    if (def.innerType) s = def.innerType;
    else return s;
  }
  return s;
}

/** The valid keys of the object schema at `path` (record keys are free), or null. */
function validKeysAt(path: readonly PropertyKey[]): string[] | null {
  let s: AnySchema = studyConfigSchema;
  for (const key of path) {
    s = unwrap(s);
    const def = s?._zod?.def ?? s?.def;
    if (!def) return null;
    if (def.type === "object") s = def.shape[key as string];
    else if (def.type === "record") s = def.valueType;
    else if (def.type === "array") s = def.element;
    else return null;
  }
  s = unwrap(s);
  const def = s?._zod?.def ?? s?.def;
  return def?.type === "object" ? Object.keys(def.shape) : null;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
  if (issue.code === "unrecognized_keys") {
    const valid = validKeysAt(issue.path) ?? [];
    const where = issue.path.length > 0 ? `${key}: ` : "";
    return issue.keys
      .map(
        (k) =>
          `${where}unknown key '${k}'${valid.length ? `; valid keys: ${valid.join(", ")}` : ""}`,
      )
      .join("\n");
  }
  if (issue.code === "invalid_value" && "values" in issue) {
    return `${key}: invalid value; valid values: ${issue.values.map(String).join(", ")}`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) {
    return `${key}: required key is missing (expected ${issue.expected})`;
  }
  return `${key}: ${issue.message}`;
}

/**
 * Validates a parsed study configuration (a plain object) and fills in the defaults; checks the
 * cross-key rules (images or a feature table, role column or byCentre). Throws StudyConfigError
 * naming every offending key.
 */
export function validateStudyConfig(raw: unknown, source = "study.yaml"): StudyConfig {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    throw new StudyConfigError(`${source}: the configuration must be a mapping of keys`);
  // reportInput: zod 4 leaves an issue's input out otherwise, and a wrong type would read as missing.
  const r = studyConfigSchema.safeParse(raw, { reportInput: true });
  if (!r.success) {
    const lines = r.error.issues.map(describeIssue);
    throw new StudyConfigError(`${source}: invalid configuration\n  ${lines.join("\n  ")}`);
  }
  const c = r.data;
  const problems: string[] = [];
  if (!c.features && !c.cohort.sequences)
    problems.push(
      "cohort.sequences: required when there is no features.table (give image/mask columns per sequence, or a precomputed feature table)",
    );
  if (c.features && c.cohort.sequences)
    problems.push(
      "features.table and cohort.sequences are exclusive: use images (cohort.sequences) or a precomputed table (features.table)",
    );
  if (c.cohort.role.byCentre && !c.cohort.centre)
    problems.push("cohort.role.byCentre needs cohort.centre (the centre column)");
  if (c.preprocessing.combat.enabled && !c.cohort.centre)
    problems.push("preprocessing.combat needs cohort.centre (the centre column: ComBat's batch)");
  if (c.preprocessing.robustness.enabled && c.features)
    problems.push(
      "preprocessing.robustness needs images (cohort.sequences): it perturbs each image and mask, and a precomputed feature table (features.table) has none",
    );
  if (!c.cohort.role.byCentre && !c.cohort.role.column)
    problems.push("cohort.role: give a column (cell texts training/test) or byCentre");
  for (const [name, v] of Object.entries(c.cohort.clinical)) {
    if (v.type !== "categorical" && (v.levels || v.reference))
      problems.push(
        `cohort.clinical.${name}: levels/reference apply to categorical variables only (type is ${v.type})`,
      );
    if (v.levels && v.reference && !v.levels.includes(v.reference))
      problems.push(
        `cohort.clinical.${name}.reference: '${v.reference}' is not one of the levels ${v.levels.join(", ")}`,
      );
    if (v.type === "binary" && v.labels && v.labels.length !== 2)
      problems.push(`cohort.clinical.${name}.labels: a binary variable needs 2 labels (for 0, 1)`);
    if (v.type === "categorical" && v.labels && v.levels && v.labels.length !== v.levels.length)
      problems.push(`cohort.clinical.${name}.labels: needs one label per level`);
  }
  const known = new Set(Object.keys(c.cohort.clinical));
  for (const key of ["multivariable", "model"] as const) {
    for (const v of c.clinical[key] ?? []) {
      if (!known.has(v))
        problems.push(
          `clinical.${key}: '${v}' is not a clinical variable; valid: ${[...known].join(", ") || "(none declared in cohort.clinical)"}`,
        );
    }
  }
  if (known.size === 0)
    problems.push(
      "cohort.clinical: declare at least one clinical variable (the clinical model and the nomogram need one)",
    );
  if (c.evaluation.dca.to >= c.evaluation.dca.denominator)
    problems.push("evaluation.dca.to must be smaller than evaluation.dca.denominator");
  if (problems.length > 0)
    throw new StudyConfigError(`${source}: invalid configuration\n  ${problems.join("\n  ")}`);
  return c;
}

/** Parses study.yaml text and validates it. */
export function parseStudyConfig(text: string, source = "study.yaml"): StudyConfig {
  let raw: unknown;
  try {
    // YAML 1.2's core schema (no timestamps or merge keys).
    raw = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    throw new StudyConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  return validateStudyConfig(raw, source);
}
