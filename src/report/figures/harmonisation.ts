/**
 * ComBat's effect across centres: every patient's first two principal components of the
 * harmonised features (standardised, src/stats/pca.ts) before and after ComBat, coloured by centre.
 * Centre clusters that separate before and overlap after show a batch effect that ComBat removed.
 */
import type { TopLevelSpec } from "vega-lite";
import type { HarmonisationSummary } from "../../study/result.js";
import { figureConfig, frameLayer, SQUARE_PANEL, vegaLiteToSvg } from "../svg.js";

/** Colour-blind-safe centre colours (Okabe & Ito), reused in order. */
const CENTRE_COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

export type HarmonisationPanel = "before" | "after";

export function harmonisationSpec(
  summary: HarmonisationSummary,
  panel: HarmonisationPanel,
): TopLevelSpec {
  const pca = summary.pca;
  if (!pca) throw new Error("harmonisation figure: the result has no principal components");
  const points = pca[panel];
  const [share1, share2] = pca.explained[panel];
  const centres = summary.centres.map((c) => c.centre);
  const percent = (x: number) => `${(100 * x).toFixed(1)}%`;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    config: figureConfig(),
    title: panel === "before" ? "Before ComBat" : "After ComBat",
    width: SQUARE_PANEL,
    height: SQUARE_PANEL,
    layer: [
      {
        data: { values: points.map((p) => ({ x: p.pc1, y: p.pc2, centre: p.centre })) },
        mark: { type: "point", filled: true, size: 40, opacity: 0.75 },
        encoding: {
          x: {
            field: "x",
            type: "quantitative",
            title: `PC1 (${percent(share1)})`,
            axis: { grid: true, tickCount: 6 },
          },
          y: {
            field: "y",
            type: "quantitative",
            title: `PC2 (${percent(share2)})`,
            axis: { grid: true, tickCount: 6 },
          },
          color: {
            field: "centre",
            type: "nominal",
            title: "Centre",
            scale: {
              domain: centres,
              range: centres.map((_, k) => CENTRE_COLORS[k % CENTRE_COLORS.length]!),
            },
            legend: { orient: "bottom", direction: "horizontal", offset: 10 },
          },
        },
      },
      frameLayer(),
    ],
  };
}

export async function renderHarmonisationSvg(
  summary: HarmonisationSummary,
  panel: HarmonisationPanel,
): Promise<string> {
  return vegaLiteToSvg(harmonisationSpec(summary, panel), `combat-${panel}`);
}
