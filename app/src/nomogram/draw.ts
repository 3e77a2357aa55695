/**
 * The calculator's drawn nomogram as an SVG string (no DOM, no libraries), laid out as rms
 * `plot.nomogram` and the report's figure: a Points scale on top, one axis per predictor with its
 * values at their points, a Total Points axis and the probability axis placed on the total-points
 * scale; the patient's value is marked on every axis (a red dot) and the total points and
 * probability are read off below. Labels that would overlap alternate below the line or are left
 * out (their tick stays).
 */
import { escapeXml, estimateTextWidth, px } from "../../../src/report/markup.js";
import { fmt, type NomogramDrawing } from "./model.js";

const NAME_SIZE = 13;
const TICK_SIZE = 11;
const AXIS_WIDTH = 520;
const ROW = 46;
const STAGGER = 14;
const MARK = "#BC3C29";
const INK = "#222222";
const FONT =
  "Helvetica Neue, Helvetica, Arial, Liberation Sans, Nimbus Sans, DejaVu Sans, sans-serif";

interface Tick {
  x: number;
  label: string;
}

interface Placed extends Tick {
  below: boolean;
  hidden: boolean;
}

function place(ticks: Tick[]): Placed[] {
  const sorted = [...ticks].sort((a, b) => a.x - b.x);
  let above = Number.NEGATIVE_INFINITY;
  let below = Number.NEGATIVE_INFINITY;
  return sorted.map((t) => {
    const half = estimateTextWidth(t.label, TICK_SIZE) / 2;
    if (t.x - half >= above + 3) {
      above = t.x + half;
      return { ...t, below: false, hidden: false };
    }
    if (t.x - half >= below + 3) {
      below = t.x + half;
      return { ...t, below: true, hidden: false };
    }
    return { ...t, below: false, hidden: true };
  });
}

interface Row {
  name: string;
  ticks: Placed[];
  bold: boolean;
  /** x of the patient's mark and its caption (null: none). */
  mark: { x: number; caption: string | null } | null;
}

/** SVG text of the drawing (the marks where the drawing has them). */
export function nomogramSvg(d: NomogramDrawing): string {
  if (d.axes.length === 0) throw new Error("nomogram drawing: no axes");
  const markers = [...d.axes.map((a) => a.marker)].filter((m): m is number => m !== null);
  const pLo = Math.min(0, ...markers);
  const pHi = Math.max(100, ...d.axes.flatMap((a) => a.ticks.map((t) => t.points)), ...markers);
  const tTicks = d.totalTicks.length >= 2 ? d.totalTicks : [0, 100];
  const tLo = Math.min(tTicks[0]!, d.totalMarker ?? 0);
  const tHi = Math.max(tTicks[tTicks.length - 1]!, d.totalMarker ?? 0);
  const noted = (name: string, note: string | null) => (note ? `${name} *` : name);
  const names = [
    "Points",
    ...d.axes.map((a) => noted(a.name, a.note)),
    "Total Points",
    d.probabilityLabel,
  ];
  const left = Math.max(110, ...names.map((n) => estimateTextWidth(n, NAME_SIZE))) + 24;
  const right = 30;
  const xP = (p: number) => left + ((p - pLo) / (pHi - pLo || 1)) * AXIS_WIDTH;
  const xT = (t: number) => left + ((t - tLo) / (tHi - tLo || 1)) * AXIS_WIDTH;

  const rows: Row[] = [];
  const pointsTicks: Tick[] = [];
  for (let v = Math.ceil(pLo / 10) * 10; v <= pHi + 1e-9; v += 10)
    pointsTicks.push({ x: xP(v), label: fmt(v) });
  rows.push({ name: "Points", ticks: place(pointsTicks), bold: true, mark: null });
  for (const a of d.axes)
    rows.push({
      name: noted(a.name, a.note),
      ticks: place(a.ticks.map((t) => ({ x: xP(t.points), label: t.label }))),
      bold: false,
      mark: a.marker === null ? null : { x: xP(a.marker), caption: null },
    });
  rows.push({
    name: "Total Points",
    ticks: place(tTicks.map((t) => ({ x: xT(t), label: fmt(t) }))),
    bold: true,
    mark: d.totalMarker === null ? null : { x: xT(d.totalMarker), caption: fmt(d.totalMarker, 4) },
  });
  rows.push({
    name: d.probabilityLabel,
    ticks: place(d.probabilityTicks.map((t) => ({ x: xT(t.points), label: fmt(t.p) }))),
    bold: true,
    mark: d.probabilityMarker === null ? null : { x: xT(d.probabilityMarker), caption: null },
  });

  const baselines: number[] = [];
  let y = 4;
  for (const r of rows) {
    y += ROW - 14;
    baselines.push(y);
    if (r.ticks.some((t) => t.below) || r.mark?.caption) y += STAGGER;
    y += 14;
  }
  const notes = [...new Set(d.axes.map((a) => a.note).filter((n): n is string => n !== null))];
  const height = y + 8 + notes.length * 16;
  const width = left + AXIS_WIDTH + right;
  const parts: string[] = [];
  // Faint guides every 10 points from the Points axis to the last predictor axis.
  const gTop = baselines[0]!;
  const gBottom = baselines[d.axes.length]!;
  for (const t of pointsTicks)
    parts.push(
      `<line x1="${px(t.x)}" y1="${px(gTop)}" x2="${px(t.x)}" y2="${px(gBottom)}" stroke="#e4e4e4" stroke-width="1"/>`,
    );
  rows.forEach((r, i) => {
    const base = baselines[i]!;
    const xs = r.ticks.map((t) => t.x);
    parts.push(
      `<text x="${px(left - 14)}" y="${px(base + 4)}" text-anchor="end" font-size="${NAME_SIZE}"${r.bold ? ' font-weight="bold"' : ""}>${escapeXml(r.name)}</text>`,
    );
    if (xs.length > 0)
      parts.push(
        `<line x1="${px(Math.min(...xs))}" y1="${px(base)}" x2="${px(Math.max(...xs))}" y2="${px(base)}" stroke="${INK}" stroke-width="1.2"/>`,
      );
    for (const t of r.ticks) {
      parts.push(
        `<line x1="${px(t.x)}" y1="${px(base)}" x2="${px(t.x)}" y2="${px(base - 6)}" stroke="${INK}" stroke-width="1.2"/>`,
      );
      if (!t.hidden)
        parts.push(
          `<text x="${px(t.x)}" y="${px(t.below ? base + 15 : base - 10)}" text-anchor="middle" font-size="${TICK_SIZE}">${escapeXml(t.label)}</text>`,
        );
    }
    if (r.mark) {
      parts.push(
        `<circle class="nomo-mark" cx="${px(r.mark.x)}" cy="${px(base)}" r="5" fill="${MARK}" stroke="white" stroke-width="1.5"/>`,
      );
      if (r.mark.caption)
        parts.push(
          `<text x="${px(r.mark.x)}" y="${px(base + 17)}" text-anchor="middle" font-size="${TICK_SIZE}" font-weight="bold" fill="${MARK}">${escapeXml(r.mark.caption)}</text>`,
        );
    }
  });
  // The reading: a dashed line from the total points down to the probability axis.
  if (d.totalMarker !== null) {
    const x = xT(d.totalMarker);
    parts.push(
      `<line x1="${px(x)}" y1="${px(baselines[rows.length - 2]!)}" x2="${px(x)}" y2="${px(baselines[rows.length - 1]!)}" stroke="${MARK}" stroke-width="1.2" stroke-dasharray="4 3"/>`,
    );
  }
  notes.forEach((n, k) => {
    parts.push(
      `<text x="${px(left)}" y="${px(y + 8 + k * 16)}" font-size="${TICK_SIZE}" fill="#666666">* ${escapeXml(n)}</text>`,
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="nomo-figure" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="${escapeXml(FONT)}" fill="${INK}" role="img" aria-label="Nomogram with the patient's values marked">`,
    `<rect width="${px(width)}" height="${px(height)}" fill="white"/>`,
    ...parts,
    "</svg>",
  ].join("\n");
}
