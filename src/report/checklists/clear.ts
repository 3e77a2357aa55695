/**
 * The CLEAR checklist (Kocak B, Baessler B, Bakas S, et al. CheckList for EvaluAtion of Radiomics
 * research (CLEAR): a step-by-step reporting guideline for authors and reviewers endorsed by ESR
 * and EuSoMII. Insights Imaging 2023;14:75, doi:10.1186/s13244-023-01415-8; CLEAR v1.0): its 58
 * items in the published order, each paraphrased (use the published checklist for its exact
 * wording; items 53 and 58 are "not essential"), pre-filled from the run where it knows the
 * answer.
 */
import * as data from "./answers-data.js";
import * as features from "./answers-features.js";
import * as models from "./answers-models.js";
import * as seg from "./answers-segmentation.js";
import * as sharing from "./answers-sharing.js";
import {
  combine,
  type FillFunction,
  type ItemDefinition,
  itemTable,
  type RunFacts,
  resolveItems,
  SOURCE,
  withAuthors,
} from "./run-facts.js";
import type { Checklist, Fill } from "./types.js";

export const CLEAR_REFERENCE =
  "Kocak B, Baessler B, Bakas S, et al. CheckList for EvaluAtion of Radiomics research (CLEAR): a step-by-step reporting guideline for authors and reviewers endorsed by ESR and EuSoMII. Insights Imaging 2023;14:75. doi:10.1186/s13244-023-01415-8";

/** Item 7: the checklists this run pre-filled. */
function guidelines(): Fill {
  return {
    answer:
      "radscore pre-filled this CLEAR checklist and a TRIPOD+AI checklist from the run (checklist-clear.md, checklist-tripod-ai.md, and in report.html).",
    sources: ["checklist-clear.md", "checklist-tripod-ai.md", "report.html § Reporting checklists"],
    toComplete: "completing the marked items and submitting the checklists with the paper",
  };
}

/** Item 41: statistical software and the comparison method. */
function statisticalComparison(f: RunFacts): Fill | null {
  const d = models.delong(f);
  return combine(models.software(f), {
    answer: `Model comparison: paired two-sided DeLong test of the AUCs${d ? "" : " (no comparison in this run)"}; confidence intervals at ${f.study ? 100 * f.study.evaluation.ciLevel : 95}%.`,
    sources: [SOURCE.table4],
    toComplete: "the significance level used to read the comparisons",
  });
}

/** Item 47: performance per cohort with the no-information rate, calibration, CV. */
function modelPerformance(f: RunFacts): Fill | null {
  const cv: Fill = {
    answer: `Cross-validation (training): the LASSO CV curve (${f.result.lasso.measure}) per lambda.`,
    sources: [SOURCE.selection],
  };
  return combine(models.performance(f, { noInformationRate: true }), models.calibration(f), cv);
}

/** The items: id | section | topic | what the item asks (paraphrased) | what the authors add. */
const CLEAR_TABLE = `
1 | Title | Title | Make the use of radiomics clear in the title, with the technique, modality and, if relevant, machine learning, external validation and multi-centre design. | the title
2 | Abstract | Abstract | Give a self-contained structured abstract with the key radiomics details (data, segmentation, extraction, selection, model, validation, performance with uncertainty, open science). | the abstract (the report's tables give its numbers)
3 | Keywords | Keywords | List keywords that identify and characterise a radiomics study. | the keywords
4 | Introduction | Background | State the scientific or clinical problem, the current knowledge and its gaps. | the background
5 | Introduction | Rationale for radiomics | Explain why a radiomic approach is used and what it adds over current methods. | the rationale for radiomics
6 | Introduction | Objectives | State the study's purpose and expected contribution. | the objectives
7 | Methods: study design | Guidelines followed | Say that CLEAR (and any other checklist) was followed and supply it as supplementary material. | the statement of adherence
8 | Methods: study design | Ethics | Give ethical approval, informed consent and data protection details. | the ethics approval, consent and data protection
9 | Methods: study design | Sample size | Explain how the sample size was determined (calculation or availability). | the sample size rationale
10 | Methods: study design | Study nature | Say whether the study is retrospective or prospective and its design; registration for prospective studies. | the study design (e.g. retrospective, two-centre)
11 | Methods: study design | Eligibility | Give the inclusion then exclusion criteria and how patients were selected. | the eligibility criteria and selection
12 | Methods: study design | Pipeline flowchart | Provide a flowchart of the technical pipeline. | the pipeline flowchart
13 | Methods: data | Data source | State the data source (private, public, mixed) for each partition, with links and identifiers for public data. | the data source
14 | Methods: data | Data overlap | Say whether the data were used in earlier publications and how this study differs. | any overlap with earlier publications
15 | Methods: data | Data split | Describe the split into training, validation and test data, how it was assigned, how leakage was avoided and that the test data were used once. | the data split
16 | Methods: data | Imaging protocol | Give the acquisition protocol and parameters, voxel sizes, scanners, contrast timing and patient preparation. | the imaging protocol per centre and scanner
17 | Methods: data | Non-radiomic predictors | Define the non-radiomic predictors, how they were identified and any transformation. | the definitions of the clinical predictors
18 | Methods: data | Reference standard | Define the reference standard (outcome), why it was chosen and its limitations. | the reference standard
19 | Methods: segmentation | Segmentation strategy | Give the segmentation software, method and rules, slice choice for 2D, handling of several lesions and any registration across sequences. | the segmentation strategy
20 | Methods: segmentation | Segmentation readers | Say how many readers segmented, their experience, and how the final segmentations were reached. | the readers and their experience
21 | Methods: pre-processing | Image pre-processing | Give the pre-processing software and every step with its parameters (normalisation, denoising, interpolation, registration) and any harmonisation. | the image pre-processing
22 | Methods: pre-processing | Resampling | Give the resampling method and the voxel size after resampling. | the resampling
23 | Methods: pre-processing | Discretisation | Give the discretisation method and its parameters, with the rationale. | the discretisation
24 | Methods: pre-processing | Image types | List the image types (original, filtered) with the filter parameters. | the image types
25 | Methods: feature extraction | Extraction method | Give the extraction software, version and configuration, IBSI adherence, the feature type and whether features are 2D or 3D. | the extraction method
26 | Methods: feature extraction | Feature classes | List the feature classes in IBSI terms with the number of features per class, and any excluded class. | the feature classes
27 | Methods: feature extraction | Number of features | Give the number of features per instance, and per modality or sequence. | the number of features
28 | Methods: feature extraction | Default settings | After listing the modified settings, state that all others were defaults. | the default-settings statement
29 | Methods: data preparation | Missing data | Report how much data are missing and how this was handled. | the missing data
30 | Methods: data preparation | Class imbalance | Report the class balance and any balancing method (training only). | the class balance
31 | Methods: data preparation | Segmentation reliability | Describe the intra- or inter-reader reliability analysis, its statistics, and that it used training data only. | the segmentation reliability analysis
32 | Methods: data preparation | Feature scaling | Describe the feature scaling or harmonisation, fitted on training and applied to the other sets. | the feature scaling
33 | Methods: data preparation | Dimension reduction | Describe each dimension reduction step with its cut-offs, on training data, and how the final number of features was reached. | the dimension reduction
34 | Methods: modelling | Algorithms | Give the modelling software and versions and the algorithms in enough detail to replicate them. | the algorithms
35 | Methods: modelling | Training and tuning | Describe training: tuning strategy and ranges, regularisation, stopping and initialisation. | the training and tuning
36 | Methods: modelling | Confounders | Describe how potential confounders were detected and handled. | the handling of confounders (e.g. scanner or centre differences)
37 | Methods: modelling | Model selection | Describe how the final model was selected, on training and validation data only, and how complexity was considered. | the model selection
38 | Methods: evaluation | Testing | Say whether testing was internal or external, the sites involved, and how the test data differ. | the testing
39 | Methods: evaluation | Performance metrics | Give the performance metrics and why they suit the data. | the metrics' rationale
40 | Methods: evaluation | Uncertainty | Describe the uncertainty analyses (robustness, sensitivity, calibration) and measures (confidence intervals). | the uncertainty evaluation
41 | Methods: evaluation | Statistical comparison | Give the statistical software and version and the method and threshold for comparing models. | the statistical comparison
42 | Methods: evaluation | Non-radiomic and combined models | Say whether radiomic models were compared with non-radiomic or combined ones, and how clinical utility was assessed. | the comparisons
43 | Methods: evaluation | Interpretability | Describe any interpretability or explainability methods. | the interpretability methods
44 | Results | Baseline characteristics | Give the baseline characteristics per partition and by outcome, with tests, and any confounder found. | the baseline characteristics
45 | Results | Eligibility flowchart | Give a flowchart of included and excluded instances per data source. | the eligibility flowchart
46 | Results | Feature statistics | Report the reproducible and selected features (name, class, image type) with their statistics. | the feature statistics
47 | Results | Model performance | Report performance in training, validation and test separately, with the no-information rate and calibration. | the model performance
48 | Results | Comparison with non-radiomic models | Report comparisons with non-radiomic and combined models with uncertainty, P values, confusion matrices and clinical utility. | the comparison results
49 | Discussion | Overview of findings | Summarise the main findings and place the study in an evaluation category. | the overview of the findings
50 | Discussion | Previous work | Relate the study to the most relevant previous work and its differences. | the comparison with previous work
51 | Discussion | Practical implications | Describe the practical implications and what stands in the way of clinical use. | the practical implications
52 | Discussion | Strengths and limitations | State the strengths and limitations (bias, uncertainty, reproducibility, generalisability). | the strengths and limitations
53 | Open science: data | Image and segmentation sharing (not essential) | Share the images with segmentations where possible, or a representative sample, or say why not. | whether images and segmentations are shared
54 | Open science: data | Feature data sharing | Share the radiomic features with clinical variables or labels, or say why not. | whether the feature data are shared
55 | Open science: code | Pre-processing and extraction settings | Share the pre-processing and extraction settings (e.g. the PyRadiomics parameter file). | where the settings are shared
56 | Open science: code | Modelling code | Share the modelling code with its dependencies, or say why not. | where the code is shared
57 | Open science: model | Final model | Share the final model files and how to prepare inputs, or say why not. | where the model is shared
58 | Open science: model | Ready-to-use system (not essential) | Share an easy-to-use tool built on the model. | whether a ready-to-use tool is shared
`;

/** The run's answers by item id (items without one are the authors'). */
const CLEAR_FILLS: Record<string, FillFunction> = {
  "1": models.title,
  "6": models.objectives,
  "7": guidelines,
  "9": data.sampleSize,
  "12": features.pipelineSteps,
  "13": data.dataSources,
  "15": (f) => combine(data.dataUse(f), data.systematicDifferences(f)),
  "17": data.clinicalPredictors,
  "18": data.outcome,
  "19": seg.segmentationStrategy,
  "20": seg.readers,
  "21": features.imagePreprocessing,
  "22": features.resampling,
  "23": features.discretisation,
  "24": features.imageTypes,
  "25": features.extractionMethod,
  "26": features.featureClasses,
  "27": features.featureCounts,
  "28": features.defaultSettings,
  "29": data.missingData,
  "30": data.classBalance,
  "31": seg.segmentationReliability,
  "32": features.featureScaling,
  "33": features.dimensionReduction,
  "34": (f) => combine(models.software(f), models.modelBuilding(f)),
  "35": models.tuning,
  "37": models.modelSelection,
  "38": data.testing,
  "39": (f) => withAuthors(models.performanceMeasures(f), "why these metrics suit the data"),
  "40": (f) => combine(models.uncertainty(f), seg.perturbationRobustness(f)),
  "41": statisticalComparison,
  "42": (f) =>
    combine(models.comparisonWithClinical(f, false), {
      answer: "Clinical utility: decision curve analysis.",
      sources: [SOURCE.decision],
    }),
  "43": models.interpretability,
  "44": data.characteristics,
  "45": data.participantFlow,
  "46": features.selectedFeatures,
  "47": modelPerformance,
  "48": (f) => models.comparisonWithClinical(f, true),
  "52": (f) => models.limitationFacts(f, data.eventsPerVariable(f)?.answer ?? null),
  "54": sharing.featureData,
  "55": sharing.sharedSettings,
  "56": sharing.codeAvailability,
  "57": sharing.fullModel,
  "58": sharing.readyToUse,
};

export const CLEAR_ITEMS: readonly ItemDefinition[] = itemTable(CLEAR_TABLE, CLEAR_FILLS, "CLEAR");

/** The CLEAR checklist pre-filled from the run. */
export function clearChecklist(facts: RunFacts): Checklist {
  return {
    id: "clear",
    name: "CLEAR",
    title: "CLEAR checklist (CheckList for EvaluAtion of Radiomics research)",
    reference: CLEAR_REFERENCE,
    items: resolveItems(CLEAR_ITEMS, facts),
  };
}
