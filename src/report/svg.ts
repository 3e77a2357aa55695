/**
 * Shared look of the report's figures (fonts, colours, an R-like vega-lite theme) and the SVG
 * plumbing: vega-lite → SVG string through a headless vega View (renderer "none", then
 * `view.toSVG()`), XML escaping, per-figure id namespacing (so several inline SVGs can share one
 * HTML page), and a text-width estimate for hand-drawn SVG. Browser-safe (vega runs in both).
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

import { estimateTextWidth } from "./markup.js";

export { escapeXml, estimateTextWidth, px } from "./markup.js";

/** A common sans-serif stack; resvg and browsers take the first installed family. */
export const FONT_FAMILY =
  "Helvetica Neue, Helvetica, Arial, Liberation Sans, Nimbus Sans, DejaVu Sans, sans-serif";

/** One colour per model, the same in every figure (NEJM-like palette, colour-blind distinct). */
export const MODEL_COLORS: Record<string, string> = {
  clinical: "#0072B5",
  radiomics: "#E18727",
  nomogram: "#BC3C29",
};
const EXTRA_COLORS = ["#20854E", "#7876B1", "#6F99AD", "#FFDC91", "#EE4C97"];

export function modelColor(model: string, index = 0): string {
  return MODEL_COLORS[model] ?? EXTRA_COLORS[index % EXTRA_COLORS.length]!;
}

/** Reference lines (chance diagonal, ideal calibration, treat-all). */
export const REFERENCE_GREY = "#9e9e9e";
export const TEXT_COLOR = "#222222";

/** Side of the square ROC / calibration panels, in px. */
export const SQUARE_PANEL = 300;

/**
 * The theme every vega-lite figure uses: white background, framed panel and light grid (like
 * ggplot2 theme_bw), 11 px tick labels, 13 px axis titles, line legends drawn as strokes.
 */
export function figureConfig(): NonNullable<TopLevelSpec["config"]> {
  return {
    font: FONT_FAMILY,
    background: "white",
    padding: 12,
    view: { stroke: null },
    axis: {
      labelFontSize: 11,
      titleFontSize: 13,
      titleFontWeight: "normal",
      labelColor: TEXT_COLOR,
      titleColor: TEXT_COLOR,
      tickColor: "#4d4d4d",
      domainColor: "#4d4d4d",
      gridColor: "#ebebeb",
      titlePadding: 8,
      labelFlush: false,
    },
    legend: {
      labelFontSize: 11,
      titleFontSize: 11,
      titleFontWeight: "bold",
      labelColor: TEXT_COLOR,
      titleColor: TEXT_COLOR,
      symbolType: "stroke",
      symbolStrokeWidth: 2.5,
      symbolSize: 260,
      labelLimit: 360,
      fillColor: "#ffffff",
      strokeColor: "#d0d0d0",
      padding: 7,
      cornerRadius: 2,
      rowPadding: 4,
    },
    title: {
      fontSize: 13,
      fontWeight: "bold",
      anchor: "middle",
      color: TEXT_COLOR,
      offset: 8,
    },
    header: { labelFontSize: 13, titleFontSize: 13 },
    line: { strokeWidth: 2 },
  };
}

/**
 * Prefix every id an SVG defines (and every `url(#id)` / `href="#id"` reference to it) with
 * `prefix-`, so that vega's per-render clip ids ("clip1", ...) stay unique in one HTML page.
 */
export function namespaceSvgIds(svg: string, prefix: string): string {
  if (!/^[A-Za-z][\w-]*$/.test(prefix))
    throw new Error(`namespaceSvgIds: prefix '${prefix}' is not a valid id start`);
  const ids = new Set<string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) ids.add(m[1]!);
  if (ids.size === 0) return svg;
  const rename = (id: string) => (ids.has(id) ? `${prefix}-${id}` : id);
  return svg
    .replace(/(\sid=")([^"]+)(")/g, (_m, a: string, id: string, b: string) => a + rename(id) + b)
    .replace(/url\(#([^)]+)\)/g, (_m, id: string) => `url(#${rename(id)})`)
    .replace(
      /((?:xlink:)?href=")#([^"]+)(")/g,
      (_m, a: string, id: string, b: string) => `${a}#${rename(id)}${b}`,
    );
}

/**
 * A panel frame drawn above the grid and the data (ggplot2 theme_bw's panel.border, base R's
 * box()): a rectangle over the whole plotting area, in pixel coordinates. Add it as the last layer.
 */
export function frameLayer() {
  return {
    data: { values: [{}] },
    mark: {
      type: "rect" as const,
      fill: null,
      stroke: "#4d4d4d",
      strokeWidth: 1,
      clip: false,
    },
    encoding: {
      x: { value: 0 },
      x2: { value: "width" as const },
      y: { value: 0 },
      y2: { value: "height" as const },
    },
  };
}

interface VegaTextItem {
  fontSize?: number;
  fontWeight?: string | number;
  text?: unknown;
}

interface VegaTextMetrics {
  width: (item: VegaTextItem, text?: unknown) => number;
  estimateWidth: (item: VegaTextItem, text?: unknown) => number;
}

/**
 * Without a canvas (Node, workers) vega estimates text as 0.8 em per character, which makes
 * legends and label gutters far too wide; swap in a per-glyph-class estimate (the hook vega keeps
 * for vl-convert). With a canvas (browsers) vega measures text itself and nothing changes.
 */
function useBetterTextEstimate(): void {
  const metrics = (vega as unknown as { textMetrics?: VegaTextMetrics }).textMetrics;
  if (!metrics || metrics.width !== metrics.estimateWidth) return;
  metrics.width = (item, text) => {
    const value = String(text ?? item.text ?? "").trim();
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const bold = item.fontWeight === "bold" || Number(item.fontWeight) >= 600;
    return estimateTextWidth(value, size) * (bold ? 1.08 : 1);
  };
}

/**
 * Render a vega-lite spec to a standalone SVG string: compile to vega, run a headless View
 * (renderer "none") and serialise with `view.toSVG()`; ids are namespaced with `idPrefix`.
 */
export async function vegaLiteToSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  useBetterTextEstimate();
  // Restart vega's clip/gradient id counters so a figure's SVG does not depend on what was
  // rendered before it (ids are made page-unique by the prefix below).
  (vega as unknown as { resetSVGDefIds?: () => void }).resetSVGDefIds?.();
  const vegaSpec = compile(spec).spec;
  const view = new vega.View(vega.parse(vegaSpec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    return namespaceSvgIds(svg, idPrefix);
  } finally {
    view.finalize();
  }
}
