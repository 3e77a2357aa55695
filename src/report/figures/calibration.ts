/**
 * Calibration curves of one cohort, one square panel per model, drawn as rms `plot.calibrate`
 * does: the apparent curve, the bootstrap bias-corrected curve (training only) and the ideal
 * diagonal, observed against predicted probability (Harrell, Regression Modeling Strategies,
 * 2015, sec. 10.11).
 */
import type { TopLevelSpec } from "vega-lite";
import type { CalibrationCurve, CohortName } from "../../study/result.js";
import { cohortLabel, modelLabel } from "../format.js";
import { figureConfig, frameLayer, modelColor, REFERENCE_GREY, vegaLiteToSvg } from "../svg.js";

export const CALIBRATION_LINE_LABELS = {
  apparent: "Apparent",
  biasCorrected: "Bias-corrected",
  ideal: "Ideal",
} as const;

const PANEL = 250;

function checkCurve(curve: CalibrationCurve): void {
  const where = `calibration curve ${curve.cohort}/${curve.model}`;
  const n = curve.predicted.length;
  if (n < 2) throw new Error(`${where}: needs at least 2 grid points`);
  if (curve.apparent.length !== n)
    throw new Error(`${where}: apparent has ${curve.apparent.length} points, predicted ${n}`);
  if (curve.biasCorrected !== null && curve.biasCorrected.length !== n)
    throw new Error(
      `${where}: biasCorrected has ${curve.biasCorrected.length} points, predicted ${n}`,
    );
}

export function calibrationSpec(cohort: CohortName, curves: CalibrationCurve[]): TopLevelSpec {
  const mine = curves.filter((c) => c.cohort === cohort);
  if (mine.length === 0)
    throw new Error(`calibration figure: no calibration curve for the ${cohort} cohort`);
  const lineTypes: string[] = [CALIBRATION_LINE_LABELS.apparent];
  const corrected = mine.some((c) => c.biasCorrected !== null);
  if (corrected) lineTypes.push(CALIBRATION_LINE_LABELS.biasCorrected);
  lineTypes.push(CALIBRATION_LINE_LABELS.ideal);
  const dashes: Record<string, number[]> = {
    // Apparent is dashed beside a bias-corrected curve (rms plot.calibrate), else solid.
    [CALIBRATION_LINE_LABELS.apparent]: corrected ? [6, 3] : [1, 0],
    [CALIBRATION_LINE_LABELS.biasCorrected]: [1, 0],
    [CALIBRATION_LINE_LABELS.ideal]: [2, 3],
  };
  const axis = { values: [0, 0.2, 0.4, 0.6, 0.8, 1], format: ".1f", grid: true };
  const strokeDash = {
    field: "line",
    type: "nominal" as const,
    title: null,
    scale: { domain: lineTypes, range: lineTypes.map((t) => dashes[t]!) },
    legend: {
      orient: "bottom" as const,
      direction: "horizontal" as const,
      symbolStrokeColor: "#333333",
      symbolStrokeWidth: 2,
    },
  };
  const panels = mine.map((curve, k) => {
    checkCurve(curve);
    const values: { x: number; y: number; i: number; line: string }[] = [];
    const push = (ys: number[], line: string) => {
      for (let i = 0; i < ys.length; i++) {
        const y = ys[i]!;
        if (Number.isFinite(y) && Number.isFinite(curve.predicted[i]!))
          values.push({ x: curve.predicted[i]!, y, i, line });
      }
    };
    push(curve.apparent, CALIBRATION_LINE_LABELS.apparent);
    if (curve.biasCorrected) push(curve.biasCorrected, CALIBRATION_LINE_LABELS.biasCorrected);
    const color = modelColor(curve.model, k);
    return {
      title: modelLabel(curve.model),
      width: PANEL,
      height: PANEL,
      layer: [
        {
          data: {
            values: [
              { x: 0, y: 0, i: 0, line: CALIBRATION_LINE_LABELS.ideal },
              { x: 1, y: 1, i: 1, line: CALIBRATION_LINE_LABELS.ideal },
            ],
          },
          mark: { type: "line" as const, color: REFERENCE_GREY, strokeWidth: 1.3 },
          encoding: {
            x: { field: "x", type: "quantitative" as const },
            y: { field: "y", type: "quantitative" as const },
            strokeDash,
          },
        },
        {
          data: { values },
          mark: { type: "line" as const, color, strokeWidth: 2, clip: true },
          encoding: {
            x: {
              field: "x",
              type: "quantitative" as const,
              title: "Predicted probability",
              scale: { domain: [0, 1], nice: false },
              axis,
            },
            y: {
              field: "y",
              type: "quantitative" as const,
              title: "Observed probability",
              scale: { domain: [0, 1], nice: false },
              axis,
            },
            order: { field: "i", type: "quantitative" as const },
            strokeDash,
          },
        },
        frameLayer(),
      ],
    };
  });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: figureConfig(),
    title: { text: `${cohortLabel(cohort)} cohort`, fontSize: 14 },
    hconcat: panels,
    spacing: 28,
    resolve: { scale: { strokeDash: "shared" }, legend: { strokeDash: "shared" } },
  } as TopLevelSpec;
}

export async function renderCalibrationSvg(
  cohort: CohortName,
  curves: CalibrationCurve[],
): Promise<string> {
  return vegaLiteToSvg(calibrationSpec(cohort, curves), `calibration-${cohort}`);
}
