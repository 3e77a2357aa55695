/**
 * Checklist answers about the models and their evaluation: model types and building steps,
 * tuning, the frozen model and its output, performance with confidence intervals, calibration
 * (apparent and bias-corrected, Hosmer-Lemeshow), paired DeLong comparisons, decision curves,
 * updating, heterogeneity, interpretability, limitations, title and objectives, and the run's
 * software.
 */
import type { DecisionCurve, ModelName, PerformanceRow } from "../../study/result.js";
import { formatP } from "../format.js";
import { bootstrapCount } from "./answers-data.js";
import {
  capitalise,
  cohortSize,
  count,
  fixed3,
  listText,
  type RunFacts,
  SOURCE,
} from "./run-facts.js";
import type { Fill } from "./types.js";

const MODEL_TEXT: Record<ModelName, string> = {
  clinical: "the clinical model",
  radiomics: "the radiomics model (Rad-score)",
  nomogram: "the nomogram",
};

/** The software and the methods it reproduces. */
export function software(f: RunFacts): Fill {
  const versions = f.study
    ? Object.entries(f.study.software)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")
    : `radscore ${f.result.radscoreVersion}`;
  return {
    answer:
      `${versions}. radscore computes logistic regression as R's glm, LASSO as R's glmnet (or scikit-learn's LassoCV), f_classif as scikit-learn, ROC, AUC and DeLong as R's pROC, ` +
      "calibration and the nomogram as R's rms (val.prob, calibrate, nomogram), ICC as R's psych, and reproduces their numbers (its parity suites).",
    sources: [SOURCE.model("software"), SOURCE.manifestJson, "report.html header"],
  };
}

/** How a model was fitted and why (StudyResult.fitMethods; read structurally, it is optional). */
interface FitMethod {
  method: string;
  reason: string;
}

function fitMethodsOf(f: RunFacts): Partial<Record<string, FitMethod>> | null {
  const r = f.result as { fitMethods?: Partial<Record<string, FitMethod>> };
  return r.fitMethods ?? null;
}

const FIT_TEXT: Record<string, string> = {
  ml: "maximum likelihood (R glm)",
  firth: "Firth's penalised likelihood (R logistf)",
  lasso: "the LASSO's coefficients, no refit",
};

/** "Estimation: clinical model maximum likelihood (reason); ..." or "" without the record. */
function estimationText(f: RunFacts): string {
  const fits = fitMethodsOf(f);
  if (!fits) return "";
  const parts = (["clinical", "radiomics", "nomogram"] as const)
    .map((m) => {
      const fit = fits[m];
      if (!fit) return null;
      return `${MODEL_TEXT[m]} ${FIT_TEXT[fit.method] ?? fit.method}${fit.reason ? ` (${fit.reason})` : ""}`;
    })
    .filter((t): t is string => t !== null);
  return parts.length > 0 ? ` Estimation: ${parts.join("; ")}.` : "";
}

/** Whether any of Table 2's fits used Firth's penalised likelihood. */
function anyFirth(f: RunFacts): boolean {
  const fits = fitMethodsOf(f);
  if (!fits) return false;
  const records = Object.values(fits).flatMap((v) =>
    v && typeof v === "object" && "method" in v ? [v] : Object.values(v ?? {}),
  ) as FitMethod[];
  return records.some((r) => r.method === "firth");
}

/** The Rad-score's model. */
function radscoreText(f: RunFacts): string {
  const s = f.study;
  const lasso = f.result.lasso;
  const rule = `${lasso.chosen} = ${lasso.chosen === "lambda.1se" ? lasso.lambda1se.toPrecision(4) : lasso.lambdaMin.toPrecision(4)}`;
  // "firth" once the study fits Firth models (the source widens then).
  if ((s?.radscore.used as string | undefined) === "firth")
    return `Rad-score: logistic regression refitted by Firth's penalised likelihood on the ${count(f.result.selectedFeatures.length, "selected feature")}`;
  if (s?.radscore.used === "logistic")
    return `Rad-score: unpenalised logistic regression refitted on the ${count(f.result.selectedFeatures.length, "selected feature")}${s.radscore.configured === "lasso" ? " (refitted because the keep-one-per-sequence rule forced features back)" : ""}`;
  return `Rad-score: the LASSO logistic model's linear predictor (${rule}) on ${count(f.result.selectedFeatures.length, "feature")}`;
}

function clinicalText(f: RunFacts): string {
  const c = f.study?.clinicalModel;
  if (!c) return "clinical model: logistic regression of the clinical predictors";
  const how = c.model
    ? "the predictors set in study.yaml clinical.model"
    : `univariable logistic screen (P < ${c.univariableP}) → multivariable model${c.multivariablePredictors ? ` (${listText(c.multivariablePredictors)})` : ""} → predictors with P < ${c.multivariableP}`;
  return `clinical model: logistic regression (R glm) of ${listText(c.predictors)}, chosen by ${how}`;
}

function nomogramText(f: RunFacts): string {
  const axes = f.result.nomogram.axes.map((a) => a.name);
  return `nomogram: logistic regression of ${listText(f.study?.nomogramModel.predictors ?? axes)} (clinical predictors and the Rad-score), drawn as an rms points nomogram`;
}

/** Model types and every building step; internal validation. */
export function modelBuilding(f: RunFacts): Fill {
  const boot = bootstrapCount(f);
  return {
    answer: `${radscoreText(f)}; ${clinicalText(f)}; ${nomogramText(f)}. Internal validation: ${boot !== null ? `bootstrap (B = ${boot}${f.study ? `, R set.seed(${f.study.evaluation.seed})` : ""}) optimism correction of the calibration curves (rms calibrate)` : "none recorded"}; the test cohort gives the external validation.${estimationText(f)}`,
    sources: [
      SOURCE.selection,
      SOURCE.table2,
      SOURCE.nomogram,
      SOURCE.calibration,
      SOURCE.config("selection, radscore, clinical, evaluation"),
    ],
    toComplete: "why these model types were chosen",
  };
}

/** LASSO tuning (and the fits' convergence settings). */
export function tuning(f: RunFacts): Fill {
  const l = f.result.lasso;
  const s = f.study;
  const cv = s
    ? `${s.selection.lasso.folds}-fold cross-validation (${s.selection.lasso.foldAssignment === "random" ? `R cv.glmnet's random folds after set.seed(${s.selection.lasso.seed})` : "contiguous folds, scikit-learn KFold without shuffling"}), measure ${l.measure}, glmnet thresh ${s.selection.lasso.thresh}`
    : `cross-validation, measure ${l.measure}`;
  const glm = s
    ? `; glm convergence epsilon ${s.clinicalModel.epsilon}, at most ${s.clinicalModel.maxIterations} iterations`
    : "";
  return {
    answer: `LASSO's lambda tuned over its path (${l.logLambda.length} values) by ${cv}: lambda.min = ${l.lambdaMin.toPrecision(4)}, lambda.1se = ${l.lambda1se.toPrecision(4)}; ${l.chosen} used${glm}. No other hyperparameter; no data augmentation.`,
    sources: [
      SOURCE.selection,
      SOURCE.result("lasso"),
      ...(s ? [SOURCE.config("selection.lasso, clinical")] : []),
    ],
  };
}

/** How the final models were chosen. */
export function modelSelection(f: RunFacts): Fill {
  const l = f.result.lasso;
  return {
    answer: `On the training patients only. Rad-score: lambda by cross-validation with ${l.chosen === "lambda.1se" ? "the one-standard-error rule (the sparsest model within 1 SE of the best CV error)" : "the smallest CV error (lambda.min)"}, measure ${l.measure}. ${capitalise(clinicalText(f))}. The nomogram adds the Rad-score to the clinical predictors. The test cohort played no part in any choice.`,
    sources: [SOURCE.selection, SOURCE.table2],
  };
}

/** Performance measures and plots. */
export function performanceMeasures(f: RunFacts): Fill {
  const hl = f.study?.evaluation.hosmerLemeshowGroups ?? 10;
  const dca = f.result.decision[0]?.thresholds;
  return {
    answer:
      `Discrimination: ROC curves, AUC with DeLong 95% CI; sensitivity, specificity, accuracy, PPV and NPV at the training Youden-optimal cut-off, applied unchanged to test${rocBootstrapText(f) ? ", with 95% bootstrap CIs" : ""}; paired DeLong tests between models. ` +
      `Calibration: apparent and bootstrap bias-corrected curves (training), rms val.prob statistics (Brier score, intercept, slope, Emax, ...) and the Hosmer-Lemeshow test (${hl} groups). ` +
      `Clinical utility: decision curves (net benefit${dca && dca.length > 0 ? ` at thresholds ${dca[0]} to ${dca[dca.length - 1]}` : ""}, treat-all and treat-none).`,
    sources: [SOURCE.table3, SOURCE.table4, SOURCE.calibration, SOURCE.decision],
  };
}

function row(f: RunFacts, cohort: string, model: string): PerformanceRow | undefined {
  return f.result.table3.find((r) => r.cohort === cohort && r.model === model);
}

/** Output: probabilities and classes at the training cut-offs. */
export function modelOutput(f: RunFacts): Fill {
  const t = f.study?.thresholds;
  const cut = (m: ModelName) => {
    const v = t?.[m] ?? row(f, "training", m)?.threshold;
    if (v === undefined) return null;
    return m === "radiomics"
      ? `radiomics Rad-score >= ${fixed3(v)}`
      : `${m} probability >= ${fixed3(v)}`;
  };
  const cuts = (["clinical", "radiomics", "nomogram"] as const)
    .map(cut)
    .filter((c): c is string => c !== null);
  return {
    answer: `Predicted probabilities (clinical model and nomogram: logistic; radiomics model: the inverse logit of the Rad-score), nomogram points, and a class at the cut-off maximising Youden's J (sensitivity + specificity - 1) in training, applied unchanged to test: ${cuts.join("; ")}.`,
    sources: [SOURCE.table3, SOURCE.model("thresholds"), SOURCE.predictions],
  };
}

/** "0.786 (95% CI 0.690-0.881)" with the bootstrap interval when Table 3 has one. */
function withCi(value: number, ci: [number, number] | undefined): string {
  if (!ci) return fixed3(value);
  return `${fixed3(value)} (95% CI ${fixed3(ci[0])}-${fixed3(ci[1])})`;
}

function perfText(r: PerformanceRow): string {
  const b = r.bootstrap;
  const aucBoot = b ? `; bootstrap ${fixed3(b.auc[0])}-${fixed3(b.auc[1])}` : "";
  return (
    `${r.model} AUC ${fixed3(r.auc)} (95% CI ${fixed3(r.aucLower)}-${fixed3(r.aucUpper)} DeLong${aucBoot}), ` +
    `sensitivity ${withCi(r.sensitivity, b?.sensitivity)}, specificity ${withCi(r.specificity, b?.specificity)}, ` +
    `accuracy ${withCi(r.accuracy, b?.accuracy)}, PPV ${withCi(r.ppv, b?.ppv)}, NPV ${withCi(r.npv, b?.npv)}`
  );
}

/** The bootstrap of Table 3's CIs ("2000 stratified resamples, set.seed(1)"), or null when off. */
function rocBootstrapText(f: RunFacts): string | null {
  const replicates = f.result.table3.find((r) => r.bootstrap)?.bootstrap?.replicates;
  if (replicates === undefined) return null;
  const seed = f.study?.evaluation.rocBootstrap?.seed;
  return `${replicates} stratified bootstrap resamples${seed !== undefined ? ` after R set.seed(${seed})` : ""}, as pROC's ci.auc and ci.coords`;
}

/** Performance per cohort and model, with CIs. */
export function performance(
  f: RunFacts,
  options: { noInformationRate?: boolean } = {},
): Fill | null {
  if (f.result.table3.length === 0) return null;
  const cohorts = [...new Set(f.result.table3.map((r) => r.cohort))];
  const text = cohorts.map((c) => {
    const size = cohortSize(f, c);
    const nir =
      options.noInformationRate && size
        ? ` (no-information rate ${fixed3(Math.max(size.nEvent, size.n - size.nEvent) / size.n)})`
        : "";
    return `${c}${nir}: ${f.result.table3
      .filter((r) => r.cohort === c)
      .map(perfText)
      .join("; ")}`;
  });
  return {
    answer: `${text.join(". ")}. No subgroup analysis.`,
    sources: [SOURCE.table3, SOURCE.roc, SOURCE.result("table3, roc")],
  };
}

/** Calibration: which curves, the bootstrap, HL and the test slopes. */
export function calibration(f: RunFacts): Fill | null {
  const curves = f.result.calibration;
  if (curves.length === 0) return null;
  const corrected = curves
    .filter((c) => c.biasCorrected !== null)
    .map((c) => `${c.cohort} ${c.model}`);
  const boot = bootstrapCount(f);
  const stat = (c: (typeof curves)[number], key: string) => c.statistics[key];
  const lines = curves.map((c) => {
    const hl = stat(c, "HL p");
    const slope = stat(c, "Slope");
    const parts = [
      hl !== undefined ? `Hosmer-Lemeshow P ${formatP(hl)}` : null,
      slope !== undefined ? `slope ${fixed3(slope)}` : null,
    ].filter((p): p is string => p !== null);
    return `${c.cohort} ${c.model}: ${parts.join(", ")}`;
  });
  return {
    answer: `Apparent calibration curves for every model and cohort; bootstrap bias-corrected curves (B = ${boot ?? "?"}) for ${corrected.length > 0 ? listText(corrected) : "no model"}. ${lines.join("; ")}.`,
    sources: [SOURCE.calibration, SOURCE.result("calibration")],
  };
}

/** Uncertainty: CIs and the bootstrap. */
export function uncertainty(f: RunFacts): Fill {
  const level = f.study ? `${100 * f.study.evaluation.ciLevel}%` : "95%";
  const boot = bootstrapCount(f);
  const rocBoot = rocBootstrapText(f);
  return {
    answer: `AUC with ${level} DeLong confidence intervals (Table 3); ${rocBoot ? `95% bootstrap intervals of the AUC and of sensitivity, specificity, accuracy, PPV and NPV at the training cut-off (${rocBoot})` : "sensitivity, specificity and predictive values as point estimates"}; odds ratios with ${level} ${anyFirth(f) ? "Wald intervals for maximum-likelihood fits and profile penalised-likelihood intervals for Firth fits" : "Wald intervals"} (Table 2); calibration with bootstrap optimism correction (B = ${boot ?? "?"}) and the Hosmer-Lemeshow test.`,
    sources: [SOURCE.table3, SOURCE.table2, SOURCE.calibration],
  };
}

/** Paired DeLong comparisons. */
export function delong(f: RunFacts): Fill | null {
  if (f.result.table4.length === 0) return null;
  const rows = f.result.table4.map(
    (r) => `${r.cohort} ${r.modelA} vs ${r.modelB}: Z ${fixed3(r.z)}, P ${formatP(r.p)}`,
  );
  return {
    answer: `Paired two-sided DeLong tests of the AUCs (pROC roc.test): ${rows.join("; ")}.`,
    sources: [SOURCE.table4, SOURCE.result("table4")],
  };
}

/** Thresholds where a model's net benefit beats treat-all and treat-none. */
function benefitRange(curve: DecisionCurve, model: ModelName): string | null {
  const m = curve.models.find((x) => x.model === model);
  if (!m) return null;
  const above = curve.thresholds.filter(
    (_, i) => m.netBenefit[i]! > Math.max(curve.treatAll[i]!, curve.treatNone[i]!),
  );
  if (above.length === 0) return `${model} never above both`;
  return `${model} above both at ${above.length} of ${curve.thresholds.length} thresholds (between ${above[0]} and ${above[above.length - 1]})`;
}

export function decisionCurves(f: RunFacts): Fill | null {
  if (f.result.decision.length === 0) return null;
  const lines = f.result.decision.map(
    (d) =>
      `${d.cohort}: ${d.models
        .map((m) => benefitRange(d, m.model))
        .filter((t): t is string => t !== null)
        .join("; ")}`,
  );
  return {
    answer: `Decision curves (net benefit against the threshold probability; treat-all treats every patient as ${f.eventLabel}, treat-none nobody). Net benefit above both strategies: ${lines.join(". ")}.`,
    sources: [SOURCE.decision, SOURCE.result("decision")],
    toComplete: "which threshold probabilities are clinically sensible and why",
  };
}

/** Confusion matrix counts at the cut-off, from sensitivity and specificity (TP = sens x events). */
function confusion(f: RunFacts, r: PerformanceRow): string | null {
  const size = cohortSize(f, r.cohort);
  if (!size) return null;
  const tp = Math.round(r.sensitivity * size.nEvent);
  const tn = Math.round(r.specificity * (size.n - size.nEvent));
  return `${r.cohort} ${r.model} TP ${tp}, FN ${size.nEvent - tp}, TN ${tn}, FP ${size.n - size.nEvent - tn}`;
}

/** Radiomics against the clinical model and the combined nomogram. */
export function comparisonWithClinical(f: RunFacts, withResults: boolean): Fill {
  const models = [...new Set(f.result.table3.map((r) => r.model))].map((m) => MODEL_TEXT[m]);
  const base = `Compared: ${listText(models)} (the nomogram combines clinical predictors and the Rad-score), in training and test, by AUC, paired DeLong tests and decision curves.`;
  if (!withResults)
    return { answer: base, sources: [SOURCE.table3, SOURCE.table4, SOURCE.decision] };
  const d = delong(f);
  const dc = decisionCurves(f);
  const cm = f.result.table3.map((r) => confusion(f, r)).filter((t): t is string => t !== null);
  return {
    answer: `${base} ${d?.answer ?? ""} Confusion matrices at the training cut-offs: ${cm.join("; ")}. ${dc?.answer ?? ""}`,
    sources: [SOURCE.table3, SOURCE.table4, SOURCE.decision],
    toComplete: "which model is clinically preferable and at which thresholds",
  };
}

export function noUpdating(): Fill {
  return {
    answer:
      "No model updating or recalibration: the test cohort was scored with the frozen training model.",
    sources: [SOURCE.model("createdAt, thresholds"), SOURCE.predictions],
  };
}

export function heterogeneity(f: RunFacts): Fill {
  const byCentre = f.study?.split.by === "centre" ? " (each cohort is its own centre group)" : "";
  return {
    answer: `Not examined: no per-centre estimates of the model parameters or of performance${byCentre}; performance is reported per cohort.`,
    sources: [SOURCE.table3],
  };
}

export function interpretability(): Fill {
  return {
    answer:
      "The nomogram shows each predictor's points; the Rad-score's feature weights (bar chart, Table S1) and the LASSO coefficient path show each feature's contribution; Table 2 gives odds ratios. No post-hoc explanation method (e.g. SHAP).",
    sources: [SOURCE.nomogram, SOURCE.selection, SOURCE.table2],
  };
}

/** Facts bearing on the limitations: events per variable, optimism, test calibration, warnings. */
export function limitationFacts(f: RunFacts, epvAnswer: string | null): Fill {
  const drops = (["clinical", "radiomics", "nomogram"] as const)
    .map((m) => {
      const tr = row(f, "training", m);
      const te = row(f, "test", m);
      return tr && te ? `${m} ${fixed3(tr.auc)} → ${fixed3(te.auc)}` : null;
    })
    .filter((t): t is string => t !== null);
  const slopes = f.result.calibration
    .filter((c) => c.cohort === "test" && c.statistics.Slope !== undefined)
    .map((c) => `${c.model} ${fixed3(c.statistics.Slope!)}`);
  const parts = [
    epvAnswer,
    drops.length > 0 ? `AUC training → test: ${drops.join(", ")}.` : null,
    slopes.length > 0 ? `Calibration slope in test: ${slopes.join(", ")}.` : null,
    f.result.warnings.length > 0
      ? `Run warnings: ${f.result.warnings.join("; ")}.`
      : "The run raised no warning.",
  ].filter((p): p is string => p !== null);
  return {
    answer: parts.join(" "),
    sources: [SOURCE.table3, SOURCE.calibration, SOURCE.warnings],
    toComplete:
      "the discussion of these and other limitations (sample, overfitting, generalisability)",
  };
}

/** Title from study.yaml: the model, population and outcome are the authors' to check. */
export function title(f: RunFacts): Fill {
  const radiomic = /radiomic/i.test(f.result.title);
  return {
    answer: `Working title (study.yaml title): "${f.result.title}"${radiomic ? "" : " (it does not mention radiomics)"}. The run develops a prediction model in the training cohort and evaluates it in ${cohortSize(f, "test") ? "an independent test cohort" : "training only"}.`,
    sources: [SOURCE.config("title"), "report.html header"],
    toComplete:
      "the final title naming the target population, the outcome, development and validation",
  };
}

export function objectives(f: RunFacts): Fill {
  const models = [...new Set(f.result.table3.map((r) => r.model))].map((m) => MODEL_TEXT[m]);
  return {
    answer: `The run develops ${listText(models)} for ${f.eventLabel} versus ${f.noneventLabel} on the training cohort and validates them${cohortSize(f, "test") ? " in the test cohort" : ""}.`,
    sources: [SOURCE.table3],
    toComplete: "the study's objectives and their clinical context",
  };
}
