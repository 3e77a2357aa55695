/**
 * Checklist answers about the radiomic features: extraction software and standard, image
 * pre-processing (normalisation, resampling, re-segmentation), discretisation, image types,
 * feature classes and counts, the default-settings statement, feature scaling, dimension
 * reduction (with the inter-reader and perturbation-robustness filters) and the selected features. Settings come from the run's description (the PyRadiomics
 * parameter files, read with PyRadiomics' defaults; see describe.ts).
 */
import type { ExtractionSummary, StudyDescription } from "../../study/description.js";
import { capitalise, count, funnelStep, listText, type RunFacts, SOURCE } from "./run-facts.js";
import type { Fill } from "./types.js";

/** IBSI names of PyRadiomics' feature classes (Zwanenburg et al., Radiology 2020;295:328-38). */
const IBSI_FAMILY: Record<string, string> = {
  shape: "morphology",
  shape2D: "morphology, 2D",
  firstorder: "intensity statistics",
  glcm: "grey level co-occurrence matrix",
  glrlm: "grey level run length matrix",
  glszm: "grey level size zone matrix",
  gldm: "neighbouring grey level dependence matrix",
  ngtdm: "neighbourhood grey tone difference matrix",
};

/** The preprocessing keys of study.yaml this module describes; others are named for the authors. */
const KNOWN_PREPROCESSING = [
  "scaler",
  "minmaxFormula",
  "zscoreDdof",
  "icc",
  "dropConstant",
  "combat",
  "robustness",
];

/** Sequences sharing one extraction summary (same file and settings), in sequence order. */
function extractionGroups(
  extraction: readonly ExtractionSummary[],
  key: (e: ExtractionSummary) => string,
): { sequences: string[]; summary: ExtractionSummary }[] {
  const groups: { k: string; sequences: string[]; summary: ExtractionSummary }[] = [];
  for (const e of extraction) {
    const k = key(e);
    const g = groups.find((x) => x.k === k);
    if (g) g.sequences.push(e.sequence);
    else groups.push({ k, sequences: [e.sequence], summary: e });
  }
  return groups;
}

/** "T2, DWI and DCE2: text" per group, or the text alone when every sequence agrees. */
function perSequence(
  extraction: readonly ExtractionSummary[],
  text: (e: ExtractionSummary) => string,
): string {
  const groups = extractionGroups(extraction, text);
  if (groups.length === 1) return text(groups[0]!.summary);
  return groups.map((g) => `${listText(g.sequences)}: ${text(g.summary)}`).join("; ");
}

function fileNames(extraction: readonly ExtractionSummary[]): string {
  const files = [...new Set(extraction.map((e) => e.parameterFile ?? "PyRadiomics defaults"))];
  return listText(files);
}

/** Image mode only: the extraction summaries, or null (feature table or no description). */
function extractionOf(f: RunFacts): ExtractionSummary[] | null {
  return f.study?.extraction ?? null;
}

/** A feature table instead of images: what the run can say. */
function tableInput(s: StudyDescription): Fill | null {
  if (s.input.kind !== "table") return null;
  return {
    answer: `Features were read from a precomputed table (${s.input.table}), not extracted by the run.`,
    sources: [SOURCE.config("features.table")],
    toComplete: "the software, settings and image processing that produced the feature table",
  };
}

function normalisationText(e: ExtractionSummary): string {
  const s = e.settings;
  if (!s.normalize) return "no intensity normalisation";
  const outliers =
    s.removeOutliers !== null ? `, values beyond ${s.removeOutliers} SD clipped` : "";
  return `intensities standardised over each image (PyRadiomics normalize: (x - mean) / SD${outliers}, times ${s.normalizeScale})`;
}

function resamplingText(e: ExtractionSummary): string {
  const s = e.settings;
  if (!s.resampledPixelSpacing) return "no resampling (each image's own voxel grid)";
  return `resampled to ${s.resampledPixelSpacing.join(" x ")} mm (0 keeps an axis' spacing) with ${String(s.interpolator)}, the mask by nearest neighbour, padding ${s.padDistance} voxels`;
}

function resegmentationText(e: ExtractionSummary): string {
  const s = e.settings;
  return s.resegmentRange
    ? `ROI re-segmented to [${s.resegmentRange.join(", ")}] (${s.resegmentMode})`
    : "no ROI re-segmentation";
}

function discretisationText(e: ExtractionSummary): string {
  const s = e.settings;
  const base =
    s.binCount !== null
      ? `fixed bin count, ${s.binCount} bins`
      : `fixed bin width ${s.binWidth}${s.normalize ? " (on the normalised intensities)" : ""}, bin edges at multiples of the width (PyRadiomics)`;
  const overrides = e.imageTypes
    .filter((t) => "binWidth" in t.settings || "binCount" in t.settings)
    .map(
      (t) =>
        `${t.name}: ${"binCount" in t.settings ? `bin count ${String(t.settings.binCount)}` : `bin width ${String(t.settings.binWidth)}`}`,
    );
  return overrides.length > 0 ? `${base}; ${overrides.join(", ")}` : base;
}

function imageTypeText(t: ExtractionSummary["imageTypes"][number]): string {
  const entries = Object.entries(t.settings);
  if (t.name === "LoG" && Array.isArray(t.settings.sigma))
    return `LoG (sigma ${(t.settings.sigma as unknown[]).map(String).join(", ")} mm)`;
  if (entries.length === 0) return t.name;
  return `${t.name} (${entries.map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(", ") : String(v)}`).join("; ")})`;
}

function dimensionText(e: ExtractionSummary): string {
  const s = e.settings;
  return s.force2D ? `2D per slice (force2D, dimension ${s.force2Ddimension})` : "3D";
}

/** Software, standard, feature type, dimension and configuration of the extraction. */
export function extractionMethod(f: RunFacts): Fill | null {
  const s = f.study;
  if (!s) return null;
  const table = tableInput(s);
  if (table) return table;
  const ex = s.extraction ?? [];
  return {
    answer:
      `radscore ${f.result.radscoreVersion} extracted hand-crafted features in its PyRadiomics mode: PyRadiomics' feature definitions, reproducing PyRadiomics ${s.pyradiomicsReference}; ` +
      `radscore's IBSI-compliant mode (radscore extract --standard ibsi) was not used. Features are ${perSequence(ex, dimensionText)}; configuration: ${fileNames(ex)} (${listText(ex.map((e) => e.sequence))}).`,
    sources: [
      SOURCE.model("extraction, software"),
      SOURCE.config("cohort.sequences.*.params, extraction.params"),
      SOURCE.manifestJson,
    ],
  };
}

/** Image pre-processing before extraction, and feature harmonisation. */
export function imagePreprocessing(f: RunFacts): Fill | null {
  const s = f.study;
  if (!s) return null;
  const table = tableInput(s);
  if (table) return table;
  const ex = s.extraction ?? [];
  const text = (e: ExtractionSummary) =>
    `${normalisationText(e)}; ${resamplingText(e)}; ${resegmentationText(e)}`;
  return {
    answer: `Software: radscore ${f.result.radscoreVersion} (PyRadiomics mode). ${capitalise(perSequence(ex, text))}. No bias-field correction, denoising or registration by the run. ${harmonisationText(s)}`,
    sources: [SOURCE.model("extraction"), SOURCE.config("extraction parameter files")],
    toComplete:
      "any processing of the images before radscore (e.g. scanner reconstruction, bias-field correction, registration of sequences)",
  };
}

function harmonisationText(s: StudyDescription): string {
  const other = Object.keys(s.preprocessing).filter((k) => !KNOWN_PREPROCESSING.includes(k));
  const combat = s.preprocessing.combat;
  const harmonised = combat?.enabled
    ? `Features harmonised across centres with ComBat (Johnson et al. 2007, as R sva::ComBat; ${combat.parametric ? "parametric" : "non-parametric"} empirical-Bayes priors${combat.meanOnly ? ", means only" : ""}; ${combat.reference === "none" ? "every centre moved to the pooled mean" : combat.reference === "training" ? "the training centre as the reference, its features unchanged" : `centre ${combat.reference} as the reference`}), fitted on every patient's features without their outcomes and stored in the frozen model.`
    : "No feature harmonisation across centres.";
  return other.length === 0
    ? harmonised
    : `${harmonised} study.yaml preprocessing also sets ${listText(other)} (see study.yaml).`;
}

export function resampling(f: RunFacts): Fill | null {
  const ex = extractionOf(f);
  if (!ex) return f.study ? tableInput(f.study) : null;
  return {
    answer: `${capitalise(perSequence(ex, resamplingText))}.`,
    sources: [SOURCE.model("extraction (resampledPixelSpacing, interpolator)")],
    toComplete: "the images' voxel sizes (in-plane and slice thickness) per scanner and protocol",
  };
}

export function discretisation(f: RunFacts): Fill | null {
  const ex = extractionOf(f);
  if (!ex) return f.study ? tableInput(f.study) : null;
  return {
    answer: `${capitalise(perSequence(ex, discretisationText))}.`,
    sources: [SOURCE.model("extraction (binWidth, binCount)")],
    toComplete: "why this discretisation was chosen",
  };
}

export function imageTypes(f: RunFacts): Fill | null {
  const ex = extractionOf(f);
  if (!ex) return f.study ? tableInput(f.study) : null;
  return {
    answer: `${perSequence(ex, (e) => e.imageTypes.map(imageTypeText).join("; "))}.`,
    sources: [SOURCE.model("extraction (imageType)")],
  };
}

export function featureClasses(f: RunFacts): Fill | null {
  const s = f.study;
  const ex = extractionOf(f);
  if (!s || !ex) return s ? tableInput(s) : null;
  const classes = perSequence(ex, (e) =>
    e.featureClasses.length === 0
      ? "PyRadiomics' default classes (every class but shape2D)"
      : e.featureClasses
          .map(
            (c) =>
              `${c.name} (IBSI: ${IBSI_FAMILY[c.name] ?? c.name}${c.features ? `; ${c.features.length} named features` : ""})`,
          )
          .join(", "),
  );
  const counts = s.featureCounts.byClass.map((c) => `${c.name} ${c.count}`).join(", ");
  return {
    answer: `${classes}. Features per class over all sequences and image types: ${counts}. No class was excluded beyond the parameter files' choice.`,
    sources: [SOURCE.model("extraction (featureClass)"), SOURCE.features],
  };
}

export function featureCounts(f: RunFacts): Fill {
  const s = f.study;
  const extracted = f.result.funnel[0];
  if (!s)
    return {
      answer: `${extracted ? `${extracted.count} features per patient (${extracted.step})` : "See the selection funnel"}.`,
      sources: [SOURCE.funnel],
    };
  const bySeq = s.featureCounts.bySequence.map((q) => `${q.name} ${q.count}`).join(", ");
  const byType = s.featureCounts.byImageType.map((q) => `${q.name} ${q.count}`).join(", ");
  return {
    answer: `${s.featureCounts.total} features per patient; per sequence: ${bySeq}${byType ? `; per image type: ${byType}` : ""}.`,
    sources: [SOURCE.features, SOURCE.funnel],
  };
}

/** The settings a parameter file changes; every other one is PyRadiomics' default. */
export function defaultSettings(f: RunFacts): Fill | null {
  const ex = extractionOf(f);
  if (!ex) return f.study ? tableInput(f.study) : null;
  const text = (e: ExtractionSummary) =>
    `${e.parameterFile ?? "no parameter file"} sets ${e.customSettings.length > 0 ? listText(e.customSettings) : "no setting"}`;
  return {
    answer: `Parameter files: ${perSequence(ex, text)}; every other setting is PyRadiomics' default (radscore reads parameter files as PyRadiomics does).`,
    sources: [SOURCE.model("extraction"), SOURCE.config("extraction parameter files")],
  };
}

function scalerText(s: StudyDescription): string {
  const p = s.preprocessing;
  if (p.scaler === "zscore") return `z-score ((x - mean) / SD, SD with ddof ${p.zscoreDdof})`;
  return p.minmaxFormula === "sklearn"
    ? "min-max to [0, 1] (scikit-learn MinMaxScaler: x * scale + min)"
    : "min-max to [0, 1] ((x - min) / (max - min))";
}

/** Feature scaling: fitted on training, applied unchanged to test. */
export function featureScaling(
  f: RunFacts,
  options: { harmonisation?: boolean } = {},
): Fill | null {
  const s = f.study;
  if (!s) return null;
  const harmonisation = options.harmonisation === false ? "" : ` ${harmonisationText(s)}`;
  return {
    answer: `Radiomic features: ${scalerText(s)}, fitted on the training patients and applied unchanged to the test patients (their values may fall outside the training range).${harmonisation}`,
    sources: [SOURCE.config("preprocessing.scaler"), SOURCE.model("scaler")],
  };
}

/** The selection steps with their cut-offs and the funnel's counts. */
export function dimensionReduction(f: RunFacts): Fill {
  const funnel = f.result.funnel.map((s) => `${s.count} ${s.step}`).join(" → ");
  const s = f.study;
  if (!s)
    return {
      answer: `On the training patients: ${funnel} (LASSO ${f.result.lasso.chosen}).`,
      sources: [SOURCE.selection, SOURCE.funnel],
    };
  const sel = s.selection;
  const steps: string[] = [];
  if (s.preprocessing.dropConstant) steps.push("features constant in training dropped");
  const icc = funnelStep(f.result, "ICC");
  if (icc)
    steps.push(`inter-reader ${s.preprocessing.icc.type} >= ${s.preprocessing.icc.threshold}`);
  const robust = f.result.robustness;
  if (robust)
    steps.push(
      `robustness to image perturbations (${robust.perturbations} perturbations, chain ${robust.chain}, of each training patient's images; Zwanenburg et al. 2019): ${robust.type} ${robust.use === "lower" ? "lower 95% limit " : ""}>= ${robust.threshold}`,
    );
  if (sel.fClassif.enabled)
    steps.push(
      `ANOVA F-test (scikit-learn f_classif) on the scaled features, ${sel.fClassif.k !== undefined ? `the ${sel.fClassif.k} largest F` : `P < ${sel.fClassif.p}`}`,
    );
  steps.push(
    `${sel.lasso.flavor === "glmnet-binomial" ? "LASSO logistic regression (glmnet binomial)" : "LASSO (scikit-learn LassoCV on the 0/1 outcome)"} with ${sel.lasso.folds}-fold cross-validation, ${f.result.lasso.chosen}`,
  );
  if (sel.keepOnePerSequence)
    steps.push(
      `keep-one-per-sequence rule (a sequence that LASSO emptied gets its best univariate feature back${s.forcedFeatures.length > 0 ? `: ${s.forcedFeatures.map((x) => `${x.feature} (${x.sequence})`).join(", ")}` : "; none was needed"})`,
    );
  return {
    answer: `On the training patients only: ${steps.join("; then ")}. Counts: ${funnel}.`,
    sources: [SOURCE.config("preprocessing, selection"), SOURCE.selection, SOURCE.funnel],
  };
}

/** The Rad-score's features with class, image type and sequence; reproducible feature count. */
export function selectedFeatures(f: RunFacts): Fill {
  const rows = f.result.selectedFeatures.map((x) => {
    const parts = x.feature.split("_");
    const where = parts.length >= 3 ? `${parts[0]}, ${parts[1]}` : "";
    return `${x.feature} (${[where, x.sequence].filter((t) => t !== "").join(", ")}; coefficient ${x.coefficient.toPrecision(4)})`;
  });
  const icc = funnelStep(f.result, "ICC");
  const robust = funnelStep(f.result, "robust to perturbations");
  return {
    answer: `${count(rows.length, "Rad-score feature")}: ${rows.join("; ")}.${icc ? ` Reproducible features, ${icc.step}: ${icc.count}.` : ""}${robust ? ` Features ${robust.step}: ${robust.count}${robust.before !== null ? ` of ${robust.before}` : ""} (every feature's ICC in robustness.csv).` : ""}`,
    sources: [SOURCE.selection, SOURCE.result("selectedFeatures, funnel")],
  };
}

/** The pipeline's steps, for a flowchart. */
export function pipelineSteps(f: RunFacts): Fill {
  const extraction =
    f.study?.input.kind === "table" ? "feature table" : "images and masks → feature extraction";
  return {
    answer: `The run's pipeline: ${extraction} → ${f.result.funnel.map((s) => `${s.step} (${s.count})`).join(" → ")} → Rad-score → clinical model → nomogram → evaluation in training and test (discrimination, calibration, decision curves).`,
    sources: [SOURCE.selection, SOURCE.funnel],
    toComplete: "the flowchart itself (the report's funnel and sections give its boxes)",
  };
}
