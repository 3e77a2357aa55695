/**
 * The study report as one self-contained HTML page: inline CSS and inline SVG figures, no
 * scripts, fonts, images or links outside the page, printable. Header (title, date, radscore
 * version, cohort sizes), warnings, feature-selection funnel, the tables and figures with
 * numbered captions, the TRIPOD+AI and CLEAR checklists pre-filled from the run
 * (src/report/checklists; from `result.study` when the result carries the run's description),
 * and per-stage timings. Pure: runs in the browser.
 */
import type { StudyResult } from "../study/result.js";
import { buildChecklists, type ChecklistResult, checklistsHtml } from "./checklists/index.js";
import { type ReportFigure, renderFigures } from "./figures/index.js";
import { cohortLabel, formatFixed } from "./format.js";
import { escapeXml } from "./markup.js";
import { robustnessNote } from "./robustness-note.js";
import { type ReportOptions, resolveOptions } from "./options.js";
import { buildTables, type ReportTable, tableToHtml } from "./tables.js";

const STYLE = `
:root { --ink: #1d2327; --muted: #5f6b73; --rule: #c9d1d6; --soft: #f4f6f8; --accent: #0b5c8a; }
* { box-sizing: border-box; }
html { background: #eef1f3; }
body { margin: 0; color: var(--ink); font-family: -apple-system, "Segoe UI", "Helvetica Neue",
  Helvetica, Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 15px; line-height: 1.5;
  -webkit-font-smoothing: antialiased; }
main { max-width: 1120px; margin: 24px auto; background: #fff; padding: 40px 56px 48px;
  box-shadow: 0 1px 3px rgba(0,0,0,.08); }
header { border-bottom: 2px solid var(--ink); padding-bottom: 20px; margin-bottom: 8px; }
.eyebrow { text-transform: uppercase; letter-spacing: .09em; font-size: 12px; color: var(--muted);
  margin: 0 0 6px; font-weight: 600; }
h1 { font-size: 27px; line-height: 1.25; margin: 0 0 12px; font-weight: 700; }
h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--rule); }
h2 .num { color: var(--muted); font-weight: 600; margin-right: 6px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 28px; margin: 0 0 18px; color: var(--muted);
  font-size: 14px; }
.meta b { color: var(--ink); font-weight: 600; }
.cohorts { display: flex; flex-wrap: wrap; gap: 12px; }
.cohort { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 16px; min-width: 200px;
  background: var(--soft); }
.cohort .name { font-size: 12px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted);
  font-weight: 600; }
.cohort .n { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.cohort .split { font-size: 13px; color: var(--muted); font-variant-numeric: tabular-nums; }
nav.toc { margin: 18px 0 0; font-size: 14px; }
nav.toc ol { margin: 0; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 6px 18px; }
nav.toc a { color: var(--accent); text-decoration: none; }
nav.toc a:hover { text-decoration: underline; }
.warnings { margin: 22px 0 0; border: 1px solid #e3b341; border-left: 5px solid #d29922;
  background: #fff8e5; border-radius: 4px; padding: 10px 16px; }
.warnings h2 { font-size: 15px; margin: 0 0 4px; border: 0; padding: 0; }
.warnings ul { margin: 0; padding-left: 20px; font-size: 14px; }
.funnel { display: flex; flex-wrap: wrap; align-items: stretch; gap: 0; margin: 8px 0 18px; }
.funnel .step { border: 1px solid var(--rule); border-radius: 6px; padding: 8px 14px; min-width: 130px;
  text-align: center; background: var(--soft); }
.funnel .count { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; display: block; }
.funnel .label { font-size: 12.5px; color: var(--muted); display: block; }
.funnel .arrow { align-self: center; color: var(--muted); font-size: 20px; padding: 0 8px; }
figure { margin: 22px 0; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 14px; color: var(--ink); margin-bottom: 8px; }
figure.chart figcaption { margin: 8px 0 0; color: #333; }
figcaption .label, figure.table > figcaption { font-weight: 700; }
.figure-row { display: flex; flex-wrap: wrap; gap: 8px 24px; justify-content: center; }
.figure-row figure { margin: 14px 0; flex: 1 1 420px; max-width: 560px; }
.figure-row figure.wide { flex-basis: 100%; max-width: 100%; }
figure.chart { text-align: center; }
figure.chart figcaption { text-align: left; max-width: 560px; margin-left: auto; margin-right: auto; }
figure.chart.wide figcaption { max-width: 860px; }
figure.chart svg { max-width: 100%; height: auto; display: block; margin: 0 auto; }
.figure-row figure.chart:not(.wide) svg { width: 100%; }
.table-scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; font-variant-numeric: tabular-nums;
  border-top: 2px solid var(--ink); border-bottom: 2px solid var(--ink); }
table.compact { width: auto; min-width: 50%; }
thead th { border-bottom: 1px solid var(--ink); font-weight: 600; text-align: left; vertical-align: bottom;
  padding: 7px 10px; }
td { padding: 5px 10px; vertical-align: top; }
td:first-child { white-space: nowrap; }
tr.group-start td { border-top: 1px solid #e3e7ea; }
tbody tr:first-child td { border-top: 0; }
.num { text-align: right; }
td.num { white-space: nowrap; }
.table-note { font-size: 12.5px; color: var(--muted); margin: 6px 0 0; }
footer { margin-top: 40px; padding-top: 12px; border-top: 1px solid var(--rule); font-size: 12.5px;
  color: var(--muted); }
.checklist h3 { font-size: 17px; margin: 28px 0 6px; }
table.checklist-table { font-size: 12.5px; font-variant-numeric: normal; }
table.checklist-table td { border-top: 1px solid #e3e7ea; }
table.checklist-table td.sources { color: var(--muted); font-size: 12px; min-width: 160px; }
tr.checklist-group td { background: var(--soft); font-weight: 600; }
.checklist .badge { display: inline-block; font-size: 11px; font-weight: 600; padding: 0 6px;
  border-radius: 3px; margin-right: 4px; white-space: nowrap; }
tr.status-prefilled .badge { background: #dff3e4; color: #1a5d2b; }
tr.status-partial .badge { background: #fff1c9; color: #6b4b00; }
tr.status-authors .badge { background: #f3e0e0; color: #7a1f1f; }
.to-complete { color: #7a1f1f; }
@media (max-width: 720px) { main { padding: 20px; margin: 0; } }
@media print {
  html { background: #fff; }
  main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
  nav.toc { display: none; }
  h2 { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 16mm 14mm; }
}
`;

/** "2026-11-26 16:53 UTC" from an ISO date (other text is shown as given). */
export function formatReportDate(createdAt: string): string {
  const d = new Date(createdAt);
  if (Number.isNaN(d.getTime())) return createdAt;
  const two = (v: number) => String(v).padStart(2, "0");
  return (
    `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`
  );
}

function figureHtml(figure: ReportFigure, number: number, wide: boolean): string {
  return (
    `<figure class="chart${wide ? " wide" : ""}" id="${escapeXml(figure.id)}">\n` +
    `${figure.svg.replace(/^<\?xml[^>]*>\s*/, "")}\n` +
    `<figcaption><span class="label">Figure ${number}. ${escapeXml(figure.title)}.</span> ` +
    `${escapeXml(figure.caption)}</figcaption>\n</figure>`
  );
}

/**
 * The report page from the result and its rendered figures (see renderFigures; buildReport does
 * both). Tables are generated here from the result.
 */
export function renderReportHtml(
  result: StudyResult,
  figures: ReportFigure[],
  options: ReportOptions = {},
): string {
  const opts = resolveOptions(options);
  const tables = new Map(buildTables(result, options).map((t) => [t.id, t]));
  const usedTables = new Set<string>();
  const table = (id: string): string => {
    const t = tables.get(id);
    if (!t) return "";
    usedTables.add(id);
    return tableToHtml(t);
  };
  const tablesWhere = (pred: (t: ReportTable) => boolean) =>
    [...tables.values()]
      .filter(pred)
      .map((t) => table(t.id))
      .join("\n");

  let figureNumber = 0;
  const usedFigures = new Set<string>();
  const figuresOf = (pred: (f: ReportFigure) => boolean, wide = false): string => {
    const chosen = figures.filter((f) => pred(f) && !usedFigures.has(f.id));
    if (chosen.length === 0) return "";
    const html = chosen.map((f) => {
      usedFigures.add(f.id);
      figureNumber++;
      return figureHtml(f, figureNumber, wide);
    });
    return `<div class="figure-row">\n${html.join("\n")}\n</div>`;
  };

  const cohortCards = result.cohortSizes
    .map((c) => {
      const pct = c.n > 0 ? formatFixed((100 * c.nEvent) / c.n, 1) : "NA";
      return (
        `<div class="cohort"><div class="name">${escapeXml(cohortLabel(c.cohort))} cohort</div>` +
        `<div class="n">n = ${c.n}</div>` +
        `<div class="split">${escapeXml(opts.eventLabel)} ${c.nEvent} (${pct}%) · ` +
        `${escapeXml(opts.noneventLabel)} ${c.n - c.nEvent}</div></div>`
      );
    })
    .join("\n");

  const funnel = result.funnel
    .map(
      (s) =>
        `<div class="step"><span class="count">${s.count}</span><span class="label">${escapeXml(s.step)}</span></div>`,
    )
    .join('\n<span class="arrow" aria-hidden="true">→</span>\n');

  const warnings =
    result.warnings.length > 0
      ? `<section class="warnings" id="warnings"><h2>Warnings (${result.warnings.length})</h2><ul>\n${result.warnings
          .map((w) => `<li>${escapeXml(w)}</li>`)
          .join("\n")}\n</ul></section>`
      : "";

  const sections: { id: string; title: string; body: string }[] = [];
  if (result.harmonisation) {
    const h = result.harmonisation;
    sections.push({
      id: "harmonisation",
      title: "Harmonisation across centres (ComBat)",
      body: [
        `<p>ComBat (${escapeXml(h.method)} empirical Bayes; Johnson et al. 2007, as R sva::ComBat) ` +
          `harmonised ${h.features} features across ${h.centres.length} centres ` +
          `(${h.centres.map((c) => `${escapeXml(c.centre)}: ${c.patients} patients`).join(", ")}), ` +
          (h.reference === null
            ? "moving every centre to the pooled mean"
            : `with centre ${escapeXml(h.reference)} as the reference (its features unchanged)`) +
          ", fitted on every patient's features without their outcomes; the frozen model " +
          "harmonises new patients of these centres the same way." +
          (h.unadjusted.length > 0
            ? ` ${h.unadjusted.length} feature(s) constant inside a centre were left unadjusted.`
            : "") +
          "</p>",
        figuresOf((f) => f.group === "harmonisation"),
      ].join("\n"),
    });
  }
  sections.push({
    id: "selection",
    title: "Feature selection and Rad-score",
    body: [
      `<div class="funnel" aria-label="Feature selection funnel">\n${funnel}\n</div>`,
      result.robustness
        ? `<p class="robustness">${escapeXml(robustnessNote(result.robustness))}</p>`
        : "",
      figuresOf((f) => f.group === "lasso"),
      figuresOf((f) => f.group === "weights", true),
      table("selected-features"),
    ].join("\n"),
  });
  sections.push({
    id: "characteristics",
    title: "Patient characteristics",
    body: tablesWhere((t) => t.id.startsWith("table1-")),
  });
  sections.push({
    id: "models",
    title: "Clinical model and nomogram",
    body: [table("table2"), figuresOf((f) => f.group === "nomogram", true)].join("\n"),
  });
  sections.push({
    id: "discrimination",
    title: "Discrimination",
    body: [table("table3"), figuresOf((f) => f.group === "roc"), table("table4")].join("\n"),
  });
  sections.push({
    id: "calibration",
    title: "Calibration",
    body: [
      ...[
        ...new Set(figures.filter((f) => f.group.startsWith("calibration")).map((f) => f.group)),
      ].map((g) => figuresOf((f) => f.group === g, true)),
      table("calibration-statistics"),
    ].join("\n"),
  });
  sections.push({
    id: "decision",
    title: "Clinical usefulness (decision curves)",
    body: figuresOf((f) => f.group === "decision"),
  });
  sections.push({
    id: "checklists",
    title: "Reporting checklists",
    body: checklistsHtml(buildChecklists(result as ChecklistResult, opts), result),
  });
  // Anything not placed above still appears (new figure kinds, extra tables).
  const rest = [
    figuresOf(() => true),
    tablesWhere((t) => !usedTables.has(t.id) && t.id !== "timings" && t.id !== "selection-funnel"),
  ].join("\n");
  sections.push({
    id: "run",
    title: "Run details",
    body: [rest, table("selection-funnel"), table("timings")].join("\n"),
  });

  const toc = sections
    .map((s, k) => `<li><a href="#${s.id}">${k + 1}. ${escapeXml(s.title)}</a></li>`)
    .join("");
  const body = sections
    .map(
      (s, k) =>
        `<section id="${s.id}">\n<h2><span class="num">${k + 1}.</span>${escapeXml(s.title)}</h2>\n${s.body}\n</section>`,
    )
    .join("\n");

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="radscore ${escapeXml(result.radscoreVersion)}">
<title>${escapeXml(result.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header>
<p class="eyebrow">Radiomics study report</p>
<h1>${escapeXml(result.title)}</h1>
<div class="meta"><span>Generated <b>${escapeXml(formatReportDate(result.createdAt))}</b></span><span>radscore <b>${escapeXml(result.radscoreVersion)}</b></span><span>Outcome <b>${escapeXml(opts.eventLabel)}</b> vs <b>${escapeXml(opts.noneventLabel)}</b></span></div>
<div class="cohorts">
${cohortCards}
</div>
<nav class="toc" aria-label="Contents"><ol>${toc}</ol></nav>
</header>
${warnings}
${body}
<footer>Generated by radscore ${escapeXml(result.radscoreVersion)} on ${escapeXml(formatReportDate(result.createdAt))}. Every number in this report is computed from the fitted study result; tables are also written as CSV and Markdown, figures as SVG and PNG.</footer>
</main>
</body>
</html>
`;
}

export interface BuiltReport {
  html: string;
  tables: ReportTable[];
  figures: ReportFigure[];
}

/** Tables, figures and the HTML page of a study result. */
export async function buildReport(
  result: StudyResult,
  options: ReportOptions = {},
): Promise<BuiltReport> {
  const figures = await renderFigures(result, options);
  return {
    html: renderReportHtml(result, figures, options),
    tables: buildTables(result, options),
    figures,
  };
}
