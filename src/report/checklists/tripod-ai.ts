/**
 * The TRIPOD+AI checklist (Collins GS, Moons KGM, Dhiman P, et al. TRIPOD+AI statement: updated
 * guidance for reporting clinical prediction models that use regression or machine learning
 * methods. BMJ 2024;385:e078378, doi:10.1136/bmj-2023-078378): its 27 items with their
 * sub-items (52 in all) in the published order, each requirement paraphrased (use the published
 * checklist for its exact wording), pre-filled from the run where the run knows the answer.
 */
import * as data from "./answers-data.js";
import * as features from "./answers-features.js";
import * as models from "./answers-models.js";
import * as seg from "./answers-segmentation.js";
import * as sharing from "./answers-sharing.js";
import {
  cohortSize,
  cohortSizeText,
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

export const TRIPOD_AI_REFERENCE =
  "Collins GS, Moons KGM, Dhiman P, et al. TRIPOD+AI statement: updated guidance for reporting clinical prediction models that use regression or machine learning methods. BMJ 2024;385:e078378. doi:10.1136/bmj-2023-078378";

/** Item 7: pre-processing of images and features and the checks the run makes. */
function dataPreparation(f: RunFacts): Fill | null {
  const constant = f.result.warnings.filter((w) => /dropped/.test(w));
  const checks: Fill = {
    answer: `Checks by the run: the manifest is validated before any work (unknown columns, duplicate IDs, missing masks, outcomes or levels outside their coding stop the run); ${constant.length > 0 ? constant.join("; ") : "no feature was dropped as undefined or constant"}.`,
    sources: [SOURCE.warnings, SOURCE.funnel],
    toComplete:
      "image quality checks and whether the preparation was the same across sociodemographic groups",
  };
  return combine(
    features.imagePreprocessing(f),
    features.featureScaling(f, { harmonisation: false }),
    checks,
  );
}

/** Item 12b: functional form and scaling of the predictors. */
function predictorHandling(f: RunFacts): Fill | null {
  const clinical = data.clinicalPredictors(f);
  return combine(
    features.featureScaling(f),
    clinical
      ? withAuthors(
          {
            ...clinical,
            answer: `Clinical predictors enter linearly (continuous), as 0/1 (binary) or as treatment-coded factors (categorical): ${clinical.answer}`,
          },
          null,
        )
      : null,
  );
}

/** Item 21: participants and events in each analysis. */
function analysisSizes(f: RunFacts): Fill {
  const s = f.study;
  const parts = [
    `Development (feature filters, selection, every model fit, cut-offs, bootstrap): ${cohortSizeText(f, "training") ?? "no training patients"}.`,
  ];
  if (s) {
    const tr = s.secondReader.patients.find((p) => p.cohort === "training")?.n ?? 0;
    if (tr > 0) parts.push(`Inter-reader ICC: ${tr} training patients with two segmentations.`);
    const robust = f.result.robustness;
    if (robust)
      parts.push(
        `Robustness to image perturbations: ${robust.patients} training patients x ${robust.perturbations} perturbations of each sequence.`,
      );
    const fits = [
      s.clinicalModel.nObs !== null ? `clinical model n = ${s.clinicalModel.nObs}` : null,
      s.nomogramModel.nObs !== null ? `nomogram n = ${s.nomogramModel.nObs}` : null,
    ].filter((t): t is string => t !== null);
    if (fits.length > 0) parts.push(`Patients in the fits (complete cases): ${fits.join(", ")}.`);
    parts.push(`LASSO tuning: ${s.selection.lasso.folds}-fold cross-validation within training.`);
  }
  const test = cohortSizeText(f, "test");
  if (test) parts.push(`Evaluation: ${test}.`);
  return { answer: parts.join(" "), sources: [SOURCE.header, SOURCE.selection, SOURCE.table2] };
}

/** Item 20c: distributions of the evaluation data against the development data. */
function distributionComparison(f: RunFacts): Fill | null {
  if (!cohortSize(f, "test")) return null;
  return {
    answer: `Table 1 gives every clinical variable in each cohort by outcome; outcome prevalence ${data.prevalenceText(f)}.`,
    sources: [SOURCE.table1, SOURCE.header],
    toComplete: "a side-by-side comparison of the predictors' distributions in training and test",
  };
}

/** The items: id | section | topic | what the item asks (paraphrased) | what the authors add. */
const TRIPOD_AI_TABLE = `
1 | Title and abstract | Title | Say that a multivariable prediction model is developed or evaluated, for which population and which outcome. | the title
2 | Title and abstract | Abstract | Give a structured abstract as the TRIPOD+AI for Abstracts checklist asks. | the abstract (the report's Tables 1-4 give its numbers)
3a | Introduction | Background | Set out the healthcare context (diagnosis or prognosis), why a model is needed and which models exist. | the clinical context and existing models
3b | Introduction | Background | Describe the target population, where in the care pathway the model would be used and by whom. | the target population, intended use and users
3c | Introduction | Background | Describe known health inequalities between sociodemographic groups. | known health inequalities
4 | Introduction | Objectives | State the objectives, including whether the model is developed, validated or both. | the objectives
5a | Methods | Data | Describe the development and evaluation data sources separately, why they were used and how representative they are. | the data sources
5b | Methods | Data | Give the dates of the data: start and end of accrual and, where relevant, of follow-up. | the accrual dates (and follow-up)
6a | Methods | Participants | Describe the setting (e.g. primary or secondary care) with the number and location of centres. | the setting and the centres
6b | Methods | Participants | Give the eligibility criteria. | the inclusion and exclusion criteria
6c | Methods | Participants | Describe treatments received and how they were handled in development or evaluation. | the treatments received (e.g. the neoadjuvant regimen) and how they were handled
7 | Methods | Data preparation | Describe data pre-processing and quality checks, and whether they were alike across sociodemographic groups. | the data preparation
8a | Methods | Outcome | Define the outcome and time horizon: how and when assessed, why chosen, and whether assessed alike across groups. | the outcome definition
8b | Methods | Outcome | Where outcome assessment is subjective, describe the assessors' qualifications and demographics. | the outcome assessors (e.g. pathologists) and their qualifications
8c | Methods | Outcome | Report any blinding of the outcome assessment. | whether the outcome was assessed blind to the predictors
9a | Methods | Predictors | Explain how the initial predictors were chosen and any pre-selection before modelling. | why these candidate predictors
9b | Methods | Predictors | Define every predictor, how and when it was measured, and any blinding of its assessment. | how and when the predictors were measured and any blinding
9c | Methods | Predictors | Where predictor measurement is subjective (e.g. segmentation), describe the assessors' qualifications and demographics. | the readers' qualifications and experience
10 | Methods | Sample size | Explain how the study size was reached for development and evaluation and why it suffices, with any sample size calculation. | the sample size rationale
11 | Methods | Missing data | Describe how missing data were handled and why any data were left out. | the handling of missing data
12a | Methods | Analytical methods | Describe how the data were used for development and evaluation, including any partitioning. | how the data were used
12b | Methods | Analytical methods | Describe how predictors were handled: functional form, rescaling, transformations, standardisation. | how the predictors were handled
12c | Methods | Analytical methods | Give the model type and why, every model-building step including tuning, and the internal validation. | the model-building steps
12d | Methods | Analytical methods | Describe whether and how heterogeneity across clusters (e.g. centres) in parameters and performance was handled. | the handling of heterogeneity across centres
12e | Methods | Analytical methods | List every performance measure and plot (discrimination, calibration, clinical utility) with the rationale, and how models were compared. | the performance measures
12f | Methods | Analytical methods | Describe any model updating (e.g. recalibration) after evaluation. | any model updating
12g | Methods | Analytical methods | For evaluation, describe how predictions were computed (formula, code, object, API). | how predictions were computed
13 | Methods | Class imbalance | If class imbalance methods were used, say why and how, and how predictions were recalibrated. | any class imbalance method
14 | Methods | Fairness | Describe approaches to model fairness and why they were used. | any approach to fairness (the run itself applies none and defines no sociodemographic subgroups)
15 | Methods | Model output | Give the model's output (probabilities, classes) and how and why classification thresholds were set. | the model output
16 | Methods | Training versus evaluation | Identify differences between development and evaluation data in setting, eligibility, outcome and predictors. | the differences between development and evaluation data
17 | Methods | Ethical approval | Name the ethics committee that approved the study and describe consent or its waiver. | the ethics committee, approval number and consent or waiver
18a | Open science | Funding | Give the funding sources and the funders' role. | the funding and the funders' role
18b | Open science | Conflicts of interest | Declare all authors' conflicts of interest and financial disclosures. | the conflicts of interest
18c | Open science | Protocol | Say where the protocol can be accessed, or that there is none. | where the protocol is, or that there is none
18d | Open science | Registration | Give the register and registration number, or say that the study was not registered. | the registration, or that there is none
18e | Open science | Data sharing | Describe the availability of the study data. | the availability of the data
18f | Open science | Code sharing | Describe the availability of the analysis code. | the availability of the code
19 | Patient and public involvement | Patient and public involvement | Describe patient and public involvement at any stage, or state that there was none. | the patient and public involvement, or that there was none
20a | Results | Participants | Describe the flow of participants, with the numbers with and without the outcome (and follow-up); a diagram helps. | the participant flow
20b | Results | Participants | Report the characteristics overall and per data source: dates, key predictors, treatments, size, events, follow-up and missing data; differences across demographic groups. | the participants' characteristics
20c | Results | Participants | For evaluation, compare the distributions of key predictors and the outcome with the development data. | the comparison with the development data
21 | Results | Model development | Give the number of participants and events in each analysis. | the numbers per analysis
22 | Results | Model specification | Provide the full model (formula, code, object, API) for predictions in new individuals, with any access restrictions. | the model's availability
23a | Results | Model performance | Report performance estimates with confidence intervals, also for key subgroups; plots help. | the performance estimates
23b | Results | Model performance | If examined, report heterogeneity of performance across clusters. | heterogeneity across centres
24 | Results | Model updating | Report the results of any model updating. | any updated model
25 | Discussion | Interpretation | Interpret the main results, including fairness, against the objectives and earlier studies. | the interpretation
26 | Discussion | Limitations | Discuss the limitations (representativeness, size, overfitting, missing data) and their effects on bias, uncertainty and generalisability. | the limitations
27a | Discussion | Usability of the model in the context of current care | Describe how poor-quality or unavailable inputs should be assessed and handled when the model is used. | the handling of poor or missing inputs
27b | Discussion | Usability of the model in the context of current care | Say whether users interact with input handling or model use and what expertise they need. | the users' role and expertise
27c | Discussion | Usability of the model in the context of current care | Discuss next research steps towards applicability and generalisability. | the next steps
`;

/** The run's answers by item id (items without one are the authors'). */
const TRIPOD_AI_FILLS: Record<string, FillFunction> = {
  "1": models.title,
  "4": models.objectives,
  "5a": data.dataSources,
  "6a": data.centres,
  "7": dataPreparation,
  "8a": data.outcome,
  "9a": (f) => combine(data.clinicalPredictors(f), features.featureCounts(f)),
  "9b": (f) => combine(data.clinicalPredictors(f), features.extractionMethod(f)),
  "9c": seg.readers,
  "10": data.sampleSize,
  "11": data.missingData,
  "12a": data.dataUse,
  "12b": predictorHandling,
  "12c": (f) => combine(features.dimensionReduction(f), models.modelBuilding(f), models.tuning(f)),
  "12d": models.heterogeneity,
  "12e": models.performanceMeasures,
  "12f": models.noUpdating,
  "12g": sharing.predictionMethod,
  "13": data.classBalance,
  "15": models.modelOutput,
  "16": data.developmentVersusEvaluation,
  "18e": sharing.featureData,
  "18f": sharing.codeAvailability,
  "20a": data.participantFlow,
  "20b": (f) => combine(data.characteristics(f), withAuthors(data.missingData(f), null)),
  "20c": distributionComparison,
  "21": analysisSizes,
  "22": sharing.fullModel,
  "23a": (f) =>
    combine(
      models.performance(f),
      models.calibration(f),
      withAuthors(models.decisionCurves(f), null),
    ),
  "23b": models.heterogeneity,
  "24": models.noUpdating,
  "26": (f) => models.limitationFacts(f, data.eventsPerVariable(f)?.answer ?? null),
  "27a": sharing.inputDataHandling,
  "27b": sharing.userInteraction,
};

export const TRIPOD_AI_ITEMS: readonly ItemDefinition[] = itemTable(
  TRIPOD_AI_TABLE,
  TRIPOD_AI_FILLS,
  "TRIPOD+AI",
);

/** The TRIPOD+AI checklist pre-filled from the run. */
export function tripodAiChecklist(facts: RunFacts): Checklist {
  return {
    id: "tripod-ai",
    name: "TRIPOD+AI",
    title: "TRIPOD+AI checklist (prediction model development and evaluation)",
    reference: TRIPOD_AI_REFERENCE,
    items: resolveItems(TRIPOD_AI_ITEMS, facts),
  };
}
