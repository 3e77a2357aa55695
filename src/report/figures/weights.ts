/**
 * Weights of the Rad-score's selected features: a horizontal bar per feature, sorted from the
 * largest to the smallest coefficient, positive and negative weights in two colours, the value
 * printed at the end of each bar.
 */
import type { TopLevelSpec } from "vega-lite";
import type { SelectedFeature } from "../../study/result.js";
import { formatFixed } from "../format.js";
import { sortedByCoefficient } from "../tables.js";
import { figureConfig, frameLayer, TEXT_COLOR, vegaLiteToSvg } from "../svg.js";

export const POSITIVE_WEIGHT_COLOR = "#BC3C29";
export const NEGATIVE_WEIGHT_COLOR = "#0072B5";

export function weightsSpec(features: SelectedFeature[]): TopLevelSpec {
  if (features.length === 0) throw new Error("weights figure: no selected features");
  for (const f of features)
    if (!Number.isFinite(f.coefficient))
      throw new Error(`weights figure: coefficient of '${f.feature}' is ${f.coefficient}`);
  const sorted = sortedByCoefficient(features);
  const values = sorted.map((f) => ({
    feature: f.feature,
    coefficient: f.coefficient,
    sign: f.coefficient >= 0 ? "Positive" : "Negative",
    label: formatFixed(f.coefficient, 3),
  }));
  const maxAbs = Math.max(...values.map((v) => Math.abs(v.coefficient)));
  const lo = Math.min(0, ...values.map((v) => v.coefficient));
  const hi = Math.max(0, ...values.map((v) => v.coefficient));
  // Room for the value labels beyond the bar ends (negative labels sit left of their bars).
  const domain = [lo < 0 ? lo - 0.3 * maxAbs : 0, hi > 0 ? hi + 0.22 * maxAbs : 0];
  const y = {
    field: "feature",
    type: "nominal" as const,
    sort: sorted.map((f) => f.feature),
    title: null,
    axis: { labelLimit: 420, labelFontSize: 11, ticks: false, domain: false, labelPadding: 6 },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: figureConfig(),
    width: 380,
    height: { step: 26 },
    data: { values },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: {
          y,
          x: {
            field: "coefficient",
            type: "quantitative",
            title: "Coefficient",
            scale: { domain, nice: false, zero: true },
            axis: { grid: true, tickCount: 6 },
          },
          color: {
            field: "sign",
            type: "nominal",
            scale: {
              domain: ["Positive", "Negative"],
              range: [POSITIVE_WEIGHT_COLOR, NEGATIVE_WEIGHT_COLOR],
            },
            legend: null,
          },
        },
      },
      ...(["left", "right"] as const).map((align) => ({
        transform: [
          { filter: align === "left" ? "datum.coefficient >= 0" : "datum.coefficient < 0" },
        ],
        mark: {
          type: "text" as const,
          fontSize: 10.5,
          color: TEXT_COLOR,
          align,
          dx: align === "left" ? 4 : -4,
        },
        encoding: {
          y,
          x: { field: "coefficient", type: "quantitative" as const },
          text: { field: "label", type: "nominal" as const },
        },
      })),
      {
        data: { values: [{ x: 0 }] },
        mark: { type: "rule", color: "#4d4d4d", strokeWidth: 1 },
        encoding: { x: { field: "x", type: "quantitative" } },
      },
      frameLayer(),
    ],
  } as TopLevelSpec;
}

export async function renderWeightsSvg(features: SelectedFeature[]): Promise<string> {
  return vegaLiteToSvg(weightsSpec(features), "weights");
}
