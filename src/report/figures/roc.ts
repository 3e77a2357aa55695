/**
 * ROC curves of one cohort: one step curve per model (sensitivity against 1 − specificity, as
 * pROC `plot.roc(legacy.axes = TRUE)` draws them), the chance diagonal, and the AUC of each model
 * in the legend. Square panel.
 */
import type { TopLevelSpec } from "vega-lite";
import type { CohortName, RocCurvePoints } from "../../study/result.js";
import { cohortLabel, formatFixed, modelLabel } from "../format.js";
import {
  figureConfig,
  frameLayer,
  modelColor,
  REFERENCE_GREY,
  SQUARE_PANEL,
  vegaLiteToSvg,
} from "../svg.js";

/** Legend entry of a model: "Nomogram (AUC = 0.894)". */
export function rocLegendLabel(curve: RocCurvePoints): string {
  return `${modelLabel(curve.model)} (AUC = ${formatFixed(curve.auc, 3)})`;
}

function checkCurve(curve: RocCurvePoints): void {
  const where = `ROC curve ${curve.cohort}/${curve.model}`;
  if (curve.fpr.length !== curve.tpr.length || curve.fpr.length < 2)
    throw new Error(`${where}: fpr and tpr must have the same length (>= 2)`);
  for (let i = 0; i < curve.fpr.length; i++) {
    const x = curve.fpr[i]!;
    const y = curve.tpr[i]!;
    if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1))
      throw new Error(`${where}: point ${i} (${x}, ${y}) is outside the unit square`);
  }
}

export function rocSpec(cohort: CohortName, curves: RocCurvePoints[]): TopLevelSpec {
  const mine = curves.filter((c) => c.cohort === cohort);
  if (mine.length === 0) throw new Error(`ROC figure: no ROC curve for the ${cohort} cohort`);
  const values: { x: number; y: number; i: number; curve: string }[] = [];
  for (const curve of mine) {
    checkCurve(curve);
    const label = rocLegendLabel(curve);
    for (let i = 0; i < curve.fpr.length; i++)
      values.push({ x: curve.fpr[i]!, y: curve.tpr[i]!, i, curve: label });
  }
  const axis = { values: [0, 0.2, 0.4, 0.6, 0.8, 1], format: ".1f", grid: true };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: figureConfig(),
    title: `${cohortLabel(cohort)} cohort`,
    width: SQUARE_PANEL,
    height: SQUARE_PANEL,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: "line", color: REFERENCE_GREY, strokeDash: [5, 4], strokeWidth: 1.2 },
        encoding: {
          x: { field: "x", type: "quantitative" },
          y: { field: "y", type: "quantitative" },
        },
      },
      {
        data: { values },
        mark: { type: "line", strokeWidth: 2, interpolate: "linear" },
        encoding: {
          x: {
            field: "x",
            type: "quantitative",
            title: "1 − Specificity",
            scale: { domain: [0, 1], nice: false },
            axis,
          },
          y: {
            field: "y",
            type: "quantitative",
            title: "Sensitivity",
            scale: { domain: [0, 1], nice: false },
            axis,
          },
          order: { field: "i", type: "quantitative" },
          color: {
            field: "curve",
            type: "nominal",
            title: null,
            sort: mine.map(rocLegendLabel),
            scale: {
              domain: mine.map(rocLegendLabel),
              range: mine.map((c, k) => modelColor(c.model, k)),
            },
            legend: { orient: "bottom-right", offset: 8 },
          },
        },
      },
      frameLayer(),
    ],
  };
}

export async function renderRocSvg(cohort: CohortName, curves: RocCurvePoints[]): Promise<string> {
  return vegaLiteToSvg(rocSpec(cohort, curves), `roc-${cohort}`);
}
