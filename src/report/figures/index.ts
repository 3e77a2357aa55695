/**
 * Every figure of the study report, rendered to standalone SVG strings in a fixed order: LASSO
 * cross-validation and coefficient paths, the Rad-score weights, the nomogram, then ROC,
 * calibration and decision curves per cohort.
 */
import type { CohortName, StudyResult } from "../../study/result.js";
import { cohortLabel, formatFixed, modelLabel } from "../format.js";
import type { ReportOptions } from "../options.js";
import { resolveOptions } from "../options.js";
import { renderCalibrationSvg } from "./calibration.js";
import { renderDecisionSvg } from "./decision.js";
import { renderHarmonisationSvg } from "./harmonisation.js";
import { measureTitle, renderLassoCvSvg, renderLassoPathSvg } from "./lasso.js";
import { renderNomogramSvg } from "./nomogram.js";
import { renderRocSvg } from "./roc.js";
import { renderWeightsSvg } from "./weights.js";

export interface ReportFigure {
  /** File stem and HTML anchor, e.g. "roc-training". */
  id: string;
  /** Figures of one group sit side by side in the report (e.g. "roc"). */
  group: string;
  title: string;
  caption: string;
  svg: string;
}

/** Cohorts in the order the result lists their sizes, then any others the curves mention. */
export function reportCohorts(result: StudyResult): CohortName[] {
  const out: CohortName[] = [];
  const add = (c: CohortName) => {
    if (!out.includes(c)) out.push(c);
  };
  for (const c of result.cohortSizes) add(c.cohort);
  for (const c of result.roc) add(c.cohort);
  return out;
}

function listText(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Render all figures of the report (async: vega renders asynchronously). */
export async function renderFigures(
  result: StudyResult,
  options: ReportOptions = {},
): Promise<ReportFigure[]> {
  const opts = resolveOptions(options);
  const figures: ReportFigure[] = [];
  const lasso = result.lasso;
  const combat = result.harmonisation;
  if (combat?.pca) {
    const reference =
      combat.reference === null
        ? "every centre moved to the pooled mean"
        : `centre ${combat.reference} as the reference, left unchanged`;
    for (const panel of ["before", "after"] as const)
      figures.push({
        id: `combat-${panel}`,
        group: "harmonisation",
        title: `Centres ${panel} ComBat`,
        caption:
          `First two principal components of the ${combat.features} harmonised features ` +
          `(standardised) of every patient, ${panel} ComBat (${combat.method}; ${reference}), ` +
          "coloured by centre. Separate clusters show a centre effect; overlapping ones, none left.",
        svg: await renderHarmonisationSvg(combat, panel),
      });
  }
  const chosenLambda = lasso.chosen === "lambda.min" ? lasso.lambdaMin : lasso.lambda1se;
  figures.push({
    id: "lasso-cv",
    group: "lasso",
    title: "LASSO cross-validation",
    caption:
      `Cross-validated ${measureTitle(lasso.measure).toLowerCase()} of the LASSO logistic model ` +
      "against log(λ) (red points: mean; grey bars: ± one standard error). Dotted lines mark " +
      "λ.min (minimum cross-validated error) and λ.1se (largest λ within one standard error of " +
      "the minimum); numbers along the top are the counts of non-zero coefficients.",
    svg: await renderLassoCvSvg(lasso),
  });
  figures.push({
    id: "lasso-path",
    group: "lasso",
    title: "LASSO coefficient paths",
    caption:
      `Coefficient paths of the ${lasso.paths.length} candidate features against log(λ). The ` +
      `dotted line marks the chosen ${lasso.chosen.replace("lambda", "λ")} ` +
      `(λ = ${chosenLambda.toPrecision(4)}, log(λ) = ${formatFixed(Math.log(chosenLambda), 3).replace("-", "−")}).`,
    svg: await renderLassoPathSvg(lasso),
  });
  if (result.selectedFeatures.length > 0)
    figures.push({
      id: "weights",
      group: "weights",
      title: "Rad-score feature weights",
      caption:
        `Weights (logistic regression coefficients) of the ${result.selectedFeatures.length} ` +
        "features that make up the Rad-score, sorted from the largest to the smallest; red " +
        "bars raise and blue bars lower the Rad-score.",
      svg: await renderWeightsSvg(result.selectedFeatures),
    });
  figures.push({
    id: "nomogram",
    group: "nomogram",
    title: "Nomogram",
    caption:
      `Nomogram combining ${listText(result.nomogram.axes.map((a) => a.name))}. Locate each ` +
      "predictor's value on its axis and read its points on the Points scale; the sum (Total " +
      `Points) maps to the predicted probability of ${opts.eventLabel} on the bottom axis.`,
    svg: renderNomogramSvg(result.nomogram, {
      probabilityLabel: `Probability of ${opts.eventLabel}`,
    }),
  });
  for (const cohort of reportCohorts(result)) {
    const curves = result.roc.filter((c) => c.cohort === cohort);
    if (curves.length === 0) continue;
    figures.push({
      id: `roc-${cohort}`,
      group: "roc",
      title: `ROC curves — ${cohortLabel(cohort).toLowerCase()} cohort`,
      caption:
        `ROC curves of the ${listText(curves.map((c) => modelLabel(c.model).toLowerCase()))} in ` +
        `the ${cohortLabel(cohort).toLowerCase()} cohort, with each AUC in the legend. The dashed ` +
        "diagonal is a test without discrimination (AUC = 0.5).",
      svg: await renderRocSvg(cohort, result.roc),
    });
  }
  for (const cohort of reportCohorts(result)) {
    const curves = result.calibration.filter((c) => c.cohort === cohort);
    if (curves.length === 0) continue;
    const corrected = curves.some((c) => c.biasCorrected !== null);
    figures.push({
      id: `calibration-${cohort}`,
      group: `calibration-${cohort}`,
      title: `Calibration curves — ${cohortLabel(cohort).toLowerCase()} cohort`,
      caption:
        `Calibration curves in the ${cohortLabel(cohort).toLowerCase()} cohort: observed against ` +
        `predicted probability of ${opts.eventLabel} for each model. ` +
        (corrected
          ? "Dashed: apparent; solid: bootstrap bias-corrected (optimism-corrected); dotted: ideal."
          : "Solid: apparent; dotted: ideal (no bias correction outside the training cohort)."),
      svg: await renderCalibrationSvg(cohort, result.calibration),
    });
  }
  for (const cohort of reportCohorts(result)) {
    if (!result.decision.some((c) => c.cohort === cohort)) continue;
    figures.push({
      id: `decision-${cohort}`,
      group: "decision",
      title: `Decision curves — ${cohortLabel(cohort).toLowerCase()} cohort`,
      caption:
        `Decision curves in the ${cohortLabel(cohort).toLowerCase()} cohort: net benefit of each ` +
        "model across threshold probabilities, against treating all patients (grey) and no " +
        "patient (black). The y axis runs from −0.05 to the largest net benefit (rmda's default).",
      svg: await renderDecisionSvg(cohort, result.decision),
    });
  }
  return figures;
}
