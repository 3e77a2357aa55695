/**
 * Checklist answers about using and sharing the model: how predictions are computed from the
 * frozen model, what model.json holds, what users provide and what happens with missing inputs,
 * and the files the run writes for sharing (features, settings, code, a ready-to-use tool).
 */
import { listText, type RunFacts, SOURCE } from "./run-facts.js";
import type { Fill } from "./types.js";

/** How predictions were computed for evaluation. */
export function predictionMethod(): Fill {
  return {
    answer:
      "With the frozen model (model.json, format radscore-model/1): Rad-score = intercept + sum of coefficient x scaled feature (training scaler); probabilities by the inverse logit of each model's linear predictor; the same code scores new patients (radscore predict) and gave predictions.csv.",
    sources: [SOURCE.model("radscore, scaler, clinicalModel, nomogramModel"), SOURCE.predictions],
  };
}

/** The full model, for predictions in new individuals. */
export function fullModel(): Fill {
  return {
    answer:
      "model.json holds everything needed to score a new patient: the extraction parameters per sequence, the scaler constants, the Rad-score's intercept and coefficients, the clinical model's and the nomogram's coefficients with the factor coding, the nomogram constants and the training cut-offs. Odds ratios are in Table 2, the Rad-score's coefficients in Table S1, the nomogram in the report.",
    sources: [SOURCE.model("all fields"), SOURCE.table2, SOURCE.selection, SOURCE.nomogram],
    toComplete: "where model.json is available and any restriction on its use",
  };
}

/** What happens with poor or missing input when the frozen model is used. */
export function inputDataHandling(f: RunFacts): Fill {
  const seqs = f.study?.sequences ?? [];
  return {
    answer: `The frozen model refuses a patient with a missing or out-of-level predictor or a non-finite feature value (an error names the patient and the variable); it does not impute.${seqs.length > 0 ? ` Each patient needs a segmentation of ${listText(seqs)} extracted with the model's parameters.` : ""}`,
    sources: [SOURCE.model("clinicalVariables, extraction")],
    toComplete: "how poor-quality or unavailable inputs should be assessed and handled in practice",
  };
}

export function userInteraction(f: RunFacts): Fill {
  const seqs = f.study?.sequences ?? [];
  return {
    answer: `Users provide the clinical predictors and${seqs.length > 0 ? ` a tumour segmentation on ${listText(seqs)}` : " the Rad-score's features"}; radscore predict (or the web app's nomogram tab) computes the Rad-score, probabilities, points and classes from model.json.`,
    sources: [SOURCE.model("all fields")],
    toComplete: "the expertise users need (e.g. segmentation by a trained radiologist)",
  };
}

export function codeAvailability(f: RunFacts): Fill {
  return {
    answer: `The analysis is the radscore ${f.result.radscoreVersion} study pipeline run with study.yaml (and its parameter files); manifest.json records versions, settings, seeds and input hashes, so the same inputs reproduce the run.`,
    sources: [SOURCE.manifestJson, SOURCE.config("all keys")],
    toComplete: "where the code, study.yaml and parameter files are available",
  };
}

export function sharedSettings(f: RunFacts): Fill {
  const files = f.study?.extraction?.map((e) => e.parameterFile ?? "PyRadiomics defaults") ?? [];
  return {
    answer: `Extraction settings: ${files.length > 0 ? listText([...new Set(files)]) : "the parameter files"} (PyRadiomics YAML, also stored in model.json); all other settings: study.yaml.`,
    sources: [SOURCE.model("extraction"), SOURCE.config("all keys")],
    toComplete: "where these files are shared",
  };
}

export function featureData(f: RunFacts): Fill {
  const r2 = f.study?.secondReader.patients.some((p) => p.n > 0) ? " and features-reader2.csv" : "";
  return {
    answer: `The run wrote every patient's features with ID, cohort and outcome to features.csv${r2}; predictions.csv holds the scores.`,
    sources: [SOURCE.features, SOURCE.predictions],
    toComplete: "whether and where the feature data are shared, or why not",
  };
}

export function readyToUse(): Fill {
  return {
    answer:
      "model.json runs in radscore predict (command line) and in radscore's web app (nomogram tab), which score new patients locally.",
    sources: [SOURCE.model("all fields")],
    toComplete: "whether a ready-to-use tool is shared, and where",
  };
}
