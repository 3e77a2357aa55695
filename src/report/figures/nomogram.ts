/**
 * The points nomogram drawn as rms `plot.nomogram` draws it (Harrell, Regression Modeling
 * Strategies, 2015, sec. 10.5): a "Points" scale (0–100) on top, one axis per predictor with its
 * values placed at their points, a "Total Points" scale, and the probability axis placed on the
 * total-points scale. Tick marks and labels sit above each axis line; labels that would overlap
 * are staggered below the line, as rms does for crowded axes. Faint vertical guides follow the
 * points scale. Hand-written SVG (vega-lite has no nomogram).
 */
import type { NomogramFigure } from "../../study/result.js";
import { escapeXml, estimateTextWidth, FONT_FAMILY, px, TEXT_COLOR } from "../svg.js";

export interface NomogramSvgOptions {
  /** Title of the probability axis (default "Predicted probability"). */
  probabilityLabel?: string;
}

const NAME_SIZE = 13;
const TICK_SIZE = 11;
const AXIS_WIDTH = 600;
const ROW = 50;
const STAGGER_EXTRA = 16;
const TOP = 6;

/** Tick label of a number: at most 10 significant digits, no float noise ("0.3", "160"). */
export function tickText(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`nomogram: non-finite axis value ${v}`);
  return String(Number(v.toPrecision(10)));
}

interface Tick {
  x: number;
  label: string;
}

interface PlacedTick extends Tick {
  below: boolean;
  /** No room above or below: the tick is drawn without its label (as rms omits crowded labels). */
  hidden: boolean;
}

/**
 * Alternate overlapping labels between above and below the axis line; a label that fits in
 * neither row is left out (its tick mark stays).
 */
function placeLabels(ticks: Tick[]): PlacedTick[] {
  const sorted = [...ticks].sort((a, b) => a.x - b.x);
  let rightAbove = Number.NEGATIVE_INFINITY;
  let rightBelow = Number.NEGATIVE_INFINITY;
  const gap = 3;
  return sorted.map((t) => {
    const half = estimateTextWidth(t.label, TICK_SIZE) / 2;
    const left = t.x - half;
    if (left >= rightAbove + gap) {
      rightAbove = t.x + half;
      return { ...t, below: false, hidden: false };
    }
    if (left >= rightBelow + gap) {
      rightBelow = t.x + half;
      return { ...t, below: true, hidden: false };
    }
    return { ...t, below: false, hidden: true };
  });
}

function checkFigure(fig: NomogramFigure): void {
  if (fig.axes.length === 0) throw new Error("nomogram: no predictor axes");
  for (const a of fig.axes) {
    if (a.labels.length !== a.points.length || a.labels.length === 0)
      throw new Error(
        `nomogram axis '${a.name}': ${a.labels.length} labels for ${a.points.length} points`,
      );
    for (const p of a.points)
      if (!Number.isFinite(p)) throw new Error(`nomogram axis '${a.name}': non-finite points ${p}`);
  }
  if (fig.totalPoints.values.length < 2)
    throw new Error("nomogram: the total-points axis needs at least 2 values");
  if (fig.probability.values.length !== fig.probability.points.length)
    throw new Error(
      `nomogram: ${fig.probability.values.length} probability values for ${fig.probability.points.length} positions`,
    );
}

/** Render the nomogram as a standalone SVG string. */
export function renderNomogramSvg(fig: NomogramFigure, options: NomogramSvgOptions = {}): string {
  checkFigure(fig);
  const probabilityLabel = options.probabilityLabel ?? "Predicted probability";
  const maxPoints = Math.max(100, ...fig.axes.flatMap((a) => a.points));
  const pointsTicks: Tick[] = [];
  for (let v = 0; v <= maxPoints + 1e-9; v += 10) pointsTicks.push({ x: v, label: tickText(v) });
  const totals = fig.totalPoints.values;
  const tMin = Math.min(...totals);
  const tMax = Math.max(...totals);
  if (!(tMax > tMin)) throw new Error("nomogram: the total-points axis has no range");

  const names = ["Points", ...fig.axes.map((a) => a.name), "Total Points", probabilityLabel];
  const left = Math.max(120, ...names.map((n) => estimateTextWidth(n, NAME_SIZE))) + 28;
  const right = 36;
  const pointsX = (p: number) => left + (p / maxPoints) * AXIS_WIDTH;
  const totalX = (t: number) => left + ((t - tMin) / (tMax - tMin)) * AXIS_WIDTH;

  interface Row {
    name: string;
    ticks: PlacedTick[];
    minor: number[];
    bold: boolean;
  }
  const rows: Row[] = [];
  rows.push({
    name: "Points",
    ticks: placeLabels(pointsTicks.map((t) => ({ x: pointsX(t.x), label: t.label }))),
    minor: pointsTicks.map((t) => pointsX(t.x + 5)).filter((x) => x <= pointsX(maxPoints) + 0.01),
    bold: true,
  });
  for (const a of fig.axes)
    rows.push({
      name: a.name,
      ticks: placeLabels(a.labels.map((label, k) => ({ x: pointsX(a.points[k]!), label }))),
      minor: [],
      bold: false,
    });
  rows.push({
    name: "Total Points",
    ticks: placeLabels(totals.map((t) => ({ x: totalX(t), label: tickText(t) }))),
    minor: [],
    bold: true,
  });
  rows.push({
    name: probabilityLabel,
    ticks: placeLabels(
      fig.probability.values.map((v, k) => ({
        x: totalX(fig.probability.points[k]!),
        label: tickText(v),
      })),
    ),
    minor: [],
    bold: true,
  });

  const parts: string[] = [];
  let y = TOP;
  const baselines: number[] = [];
  for (const row of rows) {
    y += ROW - 14;
    baselines.push(y);
    if (row.ticks.some((t) => t.below)) y += STAGGER_EXTRA;
    y += 14;
  }
  const height = y + 10;
  const width = left + AXIS_WIDTH + right;

  // Vertical guides at every 10 points (and fainter at 5), from the Points axis to the last
  // predictor axis.
  const guideTop = baselines[0]!;
  const guideBottom = baselines[fig.axes.length]!;
  for (let v = 0; v <= maxPoints + 1e-9; v += 5) {
    const major = v % 10 === 0;
    parts.push(
      `<line x1="${px(pointsX(v))}" y1="${px(guideTop)}" x2="${px(pointsX(v))}" y2="${px(guideBottom)}" stroke="${major ? "#dcdcdc" : "#efefef"}" stroke-width="1"/>`,
    );
  }

  rows.forEach((row, r) => {
    const base = baselines[r]!;
    const xs = row.ticks.map((t) => t.x);
    const x1 = Math.min(...xs);
    const x2 = Math.max(...xs);
    parts.push(
      `<text x="${px(left - 16)}" y="${px(base + 4)}" text-anchor="end" font-size="${NAME_SIZE}"${row.bold ? ' font-weight="bold"' : ""}>${escapeXml(row.name)}</text>`,
    );
    parts.push(
      `<line x1="${px(x1)}" y1="${px(base)}" x2="${px(x2)}" y2="${px(base)}" stroke="${TEXT_COLOR}" stroke-width="1.2"/>`,
    );
    for (const x of row.minor)
      parts.push(
        `<line x1="${px(x)}" y1="${px(base)}" x2="${px(x)}" y2="${px(base - 3.5)}" stroke="${TEXT_COLOR}" stroke-width="1"/>`,
      );
    for (const t of row.ticks) {
      parts.push(
        `<line x1="${px(t.x)}" y1="${px(base)}" x2="${px(t.x)}" y2="${px(base - 6)}" stroke="${TEXT_COLOR}" stroke-width="1.2"/>`,
      );
      if (t.hidden) continue;
      const ty = t.below ? base + 15 : base - 10;
      parts.push(
        `<text x="${px(t.x)}" y="${px(ty)}" text-anchor="middle" font-size="${TICK_SIZE}">${escapeXml(t.label)}</text>`,
      );
    }
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" class="nomogram" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="${escapeXml(FONT_FAMILY)}" fill="${TEXT_COLOR}">`,
    `<rect width="${px(width)}" height="${px(height)}" fill="white"/>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
