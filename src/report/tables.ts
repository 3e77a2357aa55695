/**
 * The study's tables as typed rows of display text, and their Markdown, CSV and HTML forms.
 * Table 1 (per cohort), Table 2 (univariable / multivariable odds ratios, with a note on which
 * models Firth's penalised likelihood fitted and why), Table 3 (AUC and threshold metrics),
 * Table 4 (DeLong tests), plus calibration statistics, the Rad-score's features, the selection
 * funnel and the stage timings. Numbers are formatted as journals print
 * them (format.ts): AUC and rates 3 decimals, OR 2 decimals, P 3 decimals or "<0.001".
 * Pure: runs in the browser.
 */
import { formatCsv } from "../io/csv.js";
import type { OddsRatioRow, SelectedFeature, StudyResult } from "../study/result.js";
import { fitMethodNote, radscoreFitNote } from "./fit-method-note.js";
import {
  cohortLabel,
  formatEstimateCi,
  formatFixed,
  formatOddsRatio,
  formatP,
  formatSeconds,
  formatStatistic,
  modelLabel,
} from "./format.js";
import { type ReportOptions, resolveOptions } from "./options.js";
import { escapeXml } from "./markup.js";

export type ColumnAlign = "left" | "right";

export interface ReportColumn {
  header: string;
  align: ColumnAlign;
}

export interface ReportTable {
  /** File stem and HTML anchor, e.g. "table2". */
  id: string;
  /** Caption title, e.g. "Table 2. Univariable and multivariable logistic regression". */
  title: string;
  columns: ReportColumn[];
  /** Display text of every cell, one array per row (same length as columns). */
  rows: string[][];
  /** Footnote (abbreviations, what a dash means). */
  note?: string;
}

/** Marks an odds ratio of a term that is not in the multivariable model. */
export const NOT_IN_MODEL = "—";

const left = (header: string): ReportColumn => ({ header, align: "left" });
const right = (header: string): ReportColumn => ({ header, align: "right" });

function makeTable(table: ReportTable): ReportTable {
  table.rows.forEach((r, k) => {
    if (r.length !== table.columns.length)
      throw new Error(
        `${table.id}: row ${k + 1} has ${r.length} cells, the table has ${table.columns.length} columns`,
      );
  });
  return table;
}

/** Table 1 of one cohort: each variable in the event and non-event groups, the test and P. */
export function table1Tables(result: StudyResult, options: ReportOptions = {}): ReportTable[] {
  const { eventLabel, noneventLabel } = resolveOptions(options);
  return result.table1.map((t, k) => {
    const letter = result.table1.length > 1 ? String.fromCharCode(97 + k) : "";
    let previous: string | null = null;
    const rows = t.rows.map((r) => {
      const continuation = r.kind === "categorical" && r.variable === previous;
      previous = r.variable;
      return [
        continuation ? "" : r.variable,
        r.level ?? "",
        r.event,
        r.nonevent,
        r.test ?? "",
        formatStatistic(r.statistic),
        formatP(r.p),
      ];
    });
    return makeTable({
      id: `table1-${t.cohort}`,
      title: `Table 1${letter}. Characteristics of the ${cohortLabel(t.cohort).toLowerCase()} cohort by ${eventLabel} status`,
      columns: [
        left("Variable"),
        left("Level"),
        right(`${eventLabel} (n = ${t.nEvent})`),
        right(`${noneventLabel} (n = ${t.nNonevent})`),
        left("Test"),
        right("Statistic"),
        right("P"),
      ],
      rows,
      note:
        "Continuous variables: mean ± SD (t-test) or median (Q1, Q3) (Mann–Whitney U); " +
        "categorical variables: n (%), with the test on the variable's first row.",
    });
  });
}

function checkOddsRatio(term: string, which: string, e: NonNullable<OddsRatioRow["univariable"]>) {
  if (
    [e.or, e.lower, e.upper].every(Number.isFinite) &&
    !(e.lower <= e.or * (1 + 1e-9) && e.or <= e.upper * (1 + 1e-9))
  )
    throw new Error(
      `Table 2, term '${term}': ${which} OR ${e.or} lies outside its CI [${e.lower}, ${e.upper}]`,
    );
}

/** Table 2: univariable and multivariable odds ratios (95% CI) and P, Rad-score included. */
export function table2Table(result: StudyResult): ReportTable {
  const rows = result.table2.map((r) => {
    const cells: string[] = [r.term];
    for (const [which, e] of [
      ["univariable", r.univariable],
      ["multivariable", r.multivariable],
    ] as const) {
      if (e === null) cells.push(NOT_IN_MODEL, "");
      else {
        checkOddsRatio(r.term, which, e);
        cells.push(formatEstimateCi(e.or, e.lower, e.upper, formatOddsRatio), formatP(e.p));
      }
    }
    return cells;
  });
  return makeTable({
    id: "table2",
    title: "Table 2. Univariable and multivariable logistic regression",
    columns: [
      left("Variable"),
      right("Univariable OR (95% CI)"),
      right("P"),
      right("Multivariable OR (95% CI)"),
      right("P"),
    ],
    rows,
    note: [
      `OR, odds ratio; CI, confidence interval. ${NOT_IN_MODEL}, not in the model.`,
      fitMethodNote(result),
    ]
      .filter((t) => t !== "")
      .join(" "),
  });
}

/** Table 3: AUC (95% CI) and the metrics at the training-set threshold, per cohort and model. */
export function table3Table(result: StudyResult): ReportTable {
  const bootstrapped = result.table3.some((r) => r.bootstrap !== undefined);
  const f3 = (v: number) => formatFixed(v, 3);
  // A metric with its bootstrap CI where the study computed them (evaluation.rocBootstrap).
  const withCi = (v: number, ci: [number, number] | undefined) =>
    ci ? formatEstimateCi(v, ci[0], ci[1], f3) : f3(v);
  const rows = result.table3.map((r) => [
    cohortLabel(r.cohort),
    modelLabel(r.model),
    formatEstimateCi(r.auc, r.aucLower, r.aucUpper, f3),
    ...(bootstrapped
      ? [r.bootstrap ? formatEstimateCi(r.auc, r.bootstrap.auc[0], r.bootstrap.auc[1], f3) : ""]
      : []),
    f3(r.threshold),
    withCi(r.sensitivity, r.bootstrap?.sensitivity),
    withCi(r.specificity, r.bootstrap?.specificity),
    withCi(r.accuracy, r.bootstrap?.accuracy),
    withCi(r.ppv, r.bootstrap?.ppv),
    withCi(r.npv, r.bootstrap?.npv),
  ]);
  return makeTable({
    id: "table3",
    title: "Table 3. Discrimination of the models",
    columns: [
      left("Cohort"),
      left("Model"),
      right(bootstrapped ? "AUC (DeLong 95% CI)" : "AUC (95% CI)"),
      ...(bootstrapped ? [right("AUC (bootstrap 95% CI)")] : []),
      right("Threshold"),
      right("Sensitivity"),
      right("Specificity"),
      right("Accuracy"),
      right("PPV"),
      right("NPV"),
    ],
    rows,
    note:
      "AUC, area under the ROC curve (DeLong 95% CI); PPV / NPV, positive / negative predictive " +
      "value. Sensitivity, specificity, accuracy, PPV and NPV at the threshold chosen in the " +
      "training cohort." +
      (bootstrapped
        ? ` Bootstrap 95% CIs: ${result.table3.find((r) => r.bootstrap)!.bootstrap!.replicates} ` +
          "stratified resamples of each cohort (pROC ci.auc and ci.coords at the training threshold)."
        : ""),
  });
}

/** Table 4: paired DeLong tests between models, Z and P. */
export function table4Table(result: StudyResult): ReportTable {
  const rows = result.table4.map((r) => [
    cohortLabel(r.cohort),
    `${modelLabel(r.modelA)} vs ${modelLabel(r.modelB)}`,
    formatFixed(r.z, 3),
    formatP(r.p),
  ]);
  return makeTable({
    id: "table4",
    title: "Table 4. Comparison of AUCs (DeLong test)",
    columns: [left("Cohort"), left("Comparison"), right("Z"), right("P")],
    rows,
    note: "Two-sided paired DeLong test of the difference between two correlated AUCs.",
  });
}

/** Is a calibration statistic a P value (rms names them "D:p", "U:p", "S:p")? */
function isPStatistic(name: string): boolean {
  return /(^|[\s:_-])p$/i.test(name) || /p[\s_-]?value/i.test(name);
}

/** Calibration statistics: one row per statistic, one column per cohort and model. */
export function calibrationStatisticsTable(result: StudyResult): ReportTable | null {
  const curves = result.calibration;
  if (curves.length === 0) return null;
  const names: string[] = [];
  for (const c of curves)
    for (const k of Object.keys(c.statistics)) if (!names.includes(k)) names.push(k);
  if (names.length === 0) return null;
  const rows = names.map((name) => [
    name,
    ...curves.map((c) => {
      const v = c.statistics[name];
      if (v === undefined) return "";
      return isPStatistic(name) ? formatP(v) : formatFixed(v, 3);
    }),
  ]);
  return makeTable({
    id: "calibration-statistics",
    title: "Table S2. Calibration statistics",
    columns: [
      left("Statistic"),
      ...curves.map((c) => right(`${cohortLabel(c.cohort)}: ${modelLabel(c.model)}`)),
    ],
    rows,
    note:
      "As rms val.prob names them: Brier score, calibration intercept and slope, maximum (Emax) " +
      "and average (Eavg) absolute calibration error, and the tests' P values (…:p)." +
      firthCalibrationNote(result),
  });
}

/** Which models' bootstrap refits used Firth's penalised likelihood (as they were fitted). */
function firthCalibrationNote(result: StudyResult): string {
  const fm = result.fitMethods;
  if (!fm) return "";
  const firth = (["clinical", "radiomics", "nomogram"] as const).filter(
    (m) => fm[m].method === "firth",
  );
  if (firth.length === 0) return "";
  return ` The bias-corrected curves of the ${firth.map((m) => modelLabel(m).toLowerCase()).join(" and ")} refit ${firth.length === 1 ? "it" : "them"} in every bootstrap resample by Firth's penalised likelihood, as ${firth.length === 1 ? "it was" : "they were"} fitted.`;
}

/** Features sorted by coefficient, largest first (ties keep their order). */
export function sortedByCoefficient(features: SelectedFeature[]): SelectedFeature[] {
  return features
    .map((f, k) => ({ f, k }))
    .sort((a, b) => b.f.coefficient - a.f.coefficient || a.k - b.k)
    .map((e) => e.f);
}

/** The Rad-score's features with their sequences and coefficients, largest coefficient first. */
export function selectedFeaturesTable(result: StudyResult): ReportTable {
  const note = radscoreFitNote(result);
  return makeTable({
    id: "selected-features",
    title: "Table S1. Features of the Rad-score",
    columns: [left("Feature"), left("Sequence"), right("Coefficient")],
    rows: sortedByCoefficient(result.selectedFeatures).map((f) => [
      f.feature,
      f.sequence,
      formatFixed(f.coefficient, 3),
    ]),
    ...(note ? { note } : {}),
  });
}

/** Feature counts through the selection funnel. */
export function funnelTable(result: StudyResult): ReportTable {
  return makeTable({
    id: "selection-funnel",
    title: "Table S3. Feature selection",
    columns: [left("Step"), right("Features")],
    rows: result.funnel.map((s) => {
      if (!Number.isInteger(s.count) || s.count < 0)
        throw new Error(`selection funnel step '${s.step}': count ${s.count} is not a count`);
      return [s.step, String(s.count)];
    }),
  });
}

/** Wall-clock seconds per pipeline stage, with the total. */
export function timingsTable(result: StudyResult): ReportTable {
  const rows = result.timings.map((t) => [t.stage, formatSeconds(t.seconds)]);
  const total = result.timings.reduce((s, t) => s + t.seconds, 0);
  rows.push(["Total", formatSeconds(total)]);
  return makeTable({
    id: "timings",
    title: "Table S4. Run time per stage",
    columns: [left("Stage"), right("Seconds")],
    rows,
  });
}

/** Every table of the report, in reading order. */
export function buildTables(result: StudyResult, options: ReportOptions = {}): ReportTable[] {
  const tables = [
    ...table1Tables(result, options),
    table2Table(result),
    table3Table(result),
    table4Table(result),
  ];
  const calibration = calibrationStatisticsTable(result);
  if (calibration) tables.push(calibration);
  tables.push(selectedFeaturesTable(result), funnelTable(result), timingsTable(result));
  return tables;
}

// ---------------------------------------------------------------------------------------------
// Output forms

function markdownCell(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/**
 * GitHub-flavoured Markdown: a bold title line, the pipe table (":--" left, "--:" right
 * aligned) and the note in italics.
 */
export function tableToMarkdown(table: ReportTable): string {
  const line = (cells: string[]) => `| ${cells.map(markdownCell).join(" | ")} |`;
  const out = [
    `**${markdownCell(table.title)}**`,
    "",
    line(table.columns.map((c) => c.header)),
    `|${table.columns.map((c) => (c.align === "right" ? " --: " : " :-- ")).join("|")}|`,
    ...table.rows.map(line),
  ];
  if (table.note) out.push("", `_${markdownCell(table.note)}_`);
  return `${out.join("\n")}\n`;
}

/** RFC 4180 CSV of the header and the display cells (no title or note). */
export function tableToCsv(table: ReportTable): string {
  return formatCsv(
    table.columns.map((c) => c.header),
    table.rows,
  );
}

/** Display form of a cell in HTML: a leading hyphen-minus before a digit becomes a true minus. */
function htmlCell(text: string): string {
  return escapeXml(text).replace(/(^|[\s(])-(?=\d)/g, "$1\u2212");
}

/**
 * HTML table with caption and note; right-aligned columns get class "num", narrow tables (three
 * columns or fewer) class "compact", and the first row of each group "group-start".
 */
export function tableToHtml(table: ReportTable): string {
  const cls = (c: ReportColumn) => (c.align === "right" ? ' class="num"' : "");
  const head = table.columns.map((c) => `<th${cls(c)}>${escapeXml(c.header)}</th>`).join("");
  const body = table.rows
    .map((r) => {
      const group = r[0] !== "" ? ' class="group-start"' : "";
      const cells = r
        .map((cell, j) => `<td${cls(table.columns[j]!)}>${htmlCell(cell)}</td>`)
        .join("");
      return `<tr${group}>${cells}</tr>`;
    })
    .join("\n");
  const note = table.note ? `<p class="table-note">${escapeXml(table.note)}</p>` : "";
  return (
    `<figure class="table" id="${escapeXml(table.id)}">\n` +
    `<figcaption>${escapeXml(table.title)}</figcaption>\n` +
    `<div class="table-scroll"><table${table.columns.length <= 3 ? ' class="compact"' : ""}>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table></div>\n` +
    `${note}</figure>`
  );
}
