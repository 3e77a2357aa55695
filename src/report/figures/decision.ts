/**
 * Decision curves of one cohort (Vickers & Elkin 2006): net benefit of each model, treat-all and
 * treat-none against the threshold probability. The y axis runs from −0.05 to the largest finite
 * net benefit, the default of rmda `plot_decision_curve` (curves below are clipped, so treat-all's
 * steep fall does not squash the models).
 */
import type { TopLevelSpec } from "vega-lite";
import type { CohortName, DecisionCurve } from "../../study/result.js";
import { cohortLabel, modelLabel } from "../format.js";
import { figureConfig, frameLayer, modelColor, REFERENCE_GREY, vegaLiteToSvg } from "../svg.js";

export const TREAT_ALL_LABEL = "Treat all";
export const TREAT_NONE_LABEL = "Treat none";

/** rmda's default y range: [−0.05, max finite net benefit over every curve]. */
export function decisionYRange(curve: DecisionCurve): [number, number] {
  let hi = 0;
  const scan = (ys: number[]) => {
    for (const y of ys) if (Number.isFinite(y) && y > hi) hi = y;
  };
  scan(curve.treatAll);
  scan(curve.treatNone);
  for (const m of curve.models) scan(m.netBenefit);
  return [-0.05, hi > 0 ? hi : 0.05];
}

export function decisionSpec(cohort: CohortName, curves: DecisionCurve[]): TopLevelSpec {
  const curve = curves.find((c) => c.cohort === cohort);
  if (!curve) throw new Error(`decision-curve figure: no decision curve for the ${cohort} cohort`);
  const n = curve.thresholds.length;
  if (n < 2) throw new Error(`decision curve ${cohort}: needs at least 2 thresholds`);
  const series: { label: string; ys: number[]; color: string }[] = curve.models.map((m, k) => ({
    label: modelLabel(m.model),
    ys: m.netBenefit,
    color: modelColor(m.model, k),
  }));
  series.push({ label: TREAT_ALL_LABEL, ys: curve.treatAll, color: REFERENCE_GREY });
  series.push({ label: TREAT_NONE_LABEL, ys: curve.treatNone, color: "#000000" });
  const values: { x: number; y: number; curve: string }[] = [];
  for (const s of series) {
    if (s.ys.length !== n)
      throw new Error(
        `decision curve ${cohort}/${s.label}: ${s.ys.length} net benefits for ${n} thresholds`,
      );
    for (let i = 0; i < n; i++)
      if (Number.isFinite(s.ys[i]!))
        values.push({ x: curve.thresholds[i]!, y: s.ys[i]!, curve: s.label });
  }
  const [lo, hi] = decisionYRange(curve);
  const xMax = Math.max(...curve.thresholds);
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: figureConfig(),
    title: `${cohortLabel(cohort)} cohort`,
    width: 400,
    height: 300,
    layer: [
      {
        data: { values },
        mark: { type: "line", strokeWidth: 2, clip: true },
        encoding: {
          x: {
            field: "x",
            type: "quantitative",
            title: "Threshold probability",
            scale: { domain: [0, Math.max(1, xMax)], nice: false },
            axis: { format: ".1f", grid: true, tickCount: 6 },
          },
          y: {
            field: "y",
            type: "quantitative",
            title: "Net benefit",
            scale: { domain: [lo, hi], nice: false, zero: false },
            axis: { grid: true, tickCount: 6, format: ".2f" },
          },
          color: {
            field: "curve",
            type: "nominal",
            title: null,
            sort: series.map((s) => s.label),
            scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) },
            legend: { orient: "bottom", direction: "horizontal", columns: 3, offset: 10 },
          },
        },
      },
      frameLayer(),
    ],
  };
}

export async function renderDecisionSvg(
  cohort: CohortName,
  curves: DecisionCurve[],
): Promise<string> {
  return vegaLiteToSvg(decisionSpec(cohort, curves), `decision-${cohort}`);
}
