/**
 * The standalone analyses a statistician runs from the command line: each reads a CSV, prints a
 * Markdown table and, with -o, writes JSON and Markdown files. Numbers come from the same library
 * functions the parity suites check against R.
 */
import type { CsvTable } from "../io/csv.js";
import { buildDesignMatrix, type ColumnCoding, designTerms } from "../model/design.js";
import {
  fitLogistic,
  type LogisticFit,
  profileLikelihoodIntervals,
  waldIntervals,
} from "../model/logistic.js";
import { hosmerLemeshow, valProb } from "../stats/calibration.js";
import { decisionCurves, thresholdGrid } from "../stats/dca.js";
import {
  aucDelong,
  confusionAtThreshold,
  pairedDelongTest,
  type RocCurve,
  rocCurve,
  youdenBest,
} from "../stats/roc.js";
import {
  type BootstrapInterval,
  ciAucBootstrap,
  ciCoordsBootstrap,
} from "../stats/roc-bootstrap.js";
import {
  columnIndex,
  emit,
  fmt,
  fmtP,
  MISSING_CELLS,
  markdownTable,
  names,
  numericColumn,
  outcomeColumn,
  readTable,
  selectRows,
} from "./stats-input.js";

export interface CommonStatsOptions {
  outcome?: string;
  event?: string;
  setColumn?: string;
  set?: string;
  output?: string;
}

function requireOutcome(opts: CommonStatsOptions): string {
  if (!opts.outcome) throw new Error("--outcome COLUMN is required");
  return opts.outcome;
}

/** Factor specification "col=ref,col2=ref2": levels are the distinct cells, the reference first. */
function factorCoding(
  table: CsvTable,
  rows: readonly number[],
  spec: string | undefined,
  source: string,
): Record<string, ColumnCoding> {
  const coding: Record<string, ColumnCoding> = {};
  for (const item of (spec ?? "").split(",").filter((s) => s.trim() !== "")) {
    const [column, reference] = item.split("=").map((s) => s.trim());
    const j = columnIndex(table, column!, source);
    const levels = [
      ...new Set(rows.map((r) => table.rows[r]![j]!).filter((c) => !MISSING_CELLS.includes(c))),
    ].sort();
    const ref = reference ?? levels[0]!;
    if (!levels.includes(ref)) {
      throw new Error(
        `${source}: reference level '${ref}' of factor '${column}' does not occur (levels: ${levels.join(", ")})`,
      );
    }
    coding[column!] = {
      type: "factor",
      levels: [ref, ...levels.filter((l) => l !== ref)],
      reference: ref,
    };
  }
  return coding;
}

export interface LogisticCommandOptions extends CommonStatsOptions {
  predictors?: string;
  factors?: string;
  screen?: string;
  minEpv?: string;
}

function logisticRows(fit: LogisticFit) {
  const wald = waldIntervals(fit);
  const profile = profileLikelihoodIntervals(fit);
  return fit.terms.map((term, k) => ({
    term,
    estimate: fit.coefficients[k]!,
    se: fit.standardErrors[k]!,
    z: fit.zValues[k]!,
    p: fit.pValues[k]!,
    oddsRatio: fit.oddsRatios[k]!,
    waldLower: wald.oddsRatioLower[k]!,
    waldUpper: wald.oddsRatioUpper[k]!,
    profileLower: profile.oddsRatioLower[k]!,
    profileUpper: profile.oddsRatioUpper[k]!,
  }));
}

/** `radscore logistic`: a logistic model (optionally after a univariable screen), R glm numbers. */
export async function runLogisticCommand(
  data: string,
  opts: LogisticCommandOptions,
): Promise<number> {
  const table = await readTable(data);
  const outcome = requireOutcome(opts);
  const predictors = names(opts.predictors, "--predictors");
  const rows = selectRows(table, data, opts.setColumn, opts.set);
  const coding: Record<string, ColumnCoding> = { ...factorCoding(table, rows, opts.factors, data) };
  for (const p of predictors) coding[p] ??= { type: "numeric" };
  const minEpv = opts.minEpv === undefined ? 2 : Number(opts.minEpv);
  const fitFor = (vars: string[]) => {
    const terms = designTerms(vars, coding, true);
    const design = buildDesignMatrix(table, terms, coding, {
      rows,
      requireColumns: [outcome],
      missingCells: MISSING_CELLS,
      source: data,
    });
    const y = outcomeColumn(table, outcome, design.rowIndices, data, opts.event);
    const events = y.reduce((a, b) => a + b, 0);
    const minority = Math.min(events, y.length - events);
    const epv = minority / Math.max(design.terms.length, 1);
    if (epv < minEpv) {
      throw new Error(
        `${data}: too few events per variable for ${vars.join(" + ")}: ${minority} in the smaller outcome class for ${design.terms.length} coefficient(s) (EPV ${epv.toFixed(2)} < ${minEpv}; set --min-epv to override)`,
      );
    }
    return {
      fit: fitLogistic(design.X, y, { names: design.terms }),
      n: y.length,
      events,
      dropped: design.droppedRows.length,
    };
  };
  const result: Record<string, unknown> = {};
  let markdown = "";
  let finalVars = predictors;
  if (opts.screen !== undefined) {
    const threshold = Number(opts.screen);
    if (!(threshold > 0 && threshold <= 1))
      throw new Error(`--screen must be a P threshold in (0, 1], got '${opts.screen}'`);
    const uni = predictors.map((v) => {
      const { fit } = fitFor([v]);
      const rowsOut = logisticRows(fit).slice(1);
      return { variable: v, rows: rowsOut, p: Math.min(...rowsOut.map((r) => r.p)) };
    });
    result.univariable = uni;
    finalVars = uni.filter((u) => u.p < threshold).map((u) => u.variable);
    markdown += `## Univariable\n\n${markdownTable(
      ["Term", "OR", "95% CI (profile)", "P"],
      uni.flatMap((u) =>
        u.rows.map((r) => [
          r.term,
          fmt(r.oddsRatio, 2),
          `${fmt(r.profileLower, 2)}-${fmt(r.profileUpper, 2)}`,
          fmtP(r.p),
        ]),
      ),
    )}\n`;
    if (finalVars.length === 0) {
      markdown += `No variable has P < ${threshold}; no multivariable model.\n`;
      await emit(opts.output, result, markdown);
      return 0;
    }
  }
  const { fit, n, events, dropped } = fitFor(finalVars);
  const rowsOut = logisticRows(fit);
  result.model = {
    predictors: finalVars,
    n,
    events,
    droppedIncomplete: dropped,
    coefficients: rowsOut,
    deviance: fit.deviance,
    nullDeviance: fit.nullDeviance,
    aic: fit.aic,
    bic: fit.bic,
    logLik: fit.logLik,
    converged: fit.converged,
    separation: fit.separation,
    warnings: fit.warnings,
  };
  markdown += `## ${opts.screen !== undefined ? "Multivariable" : "Logistic"} model (n = ${n}, events = ${events})\n\n${markdownTable(
    ["Term", "Estimate", "SE", "z", "P", "OR", "95% CI (Wald)", "95% CI (profile)"],
    rowsOut.map((r) => [
      r.term,
      fmt(r.estimate, 4),
      fmt(r.se, 4),
      fmt(r.z, 3),
      fmtP(r.p),
      fmt(r.oddsRatio, 2),
      `${fmt(r.waldLower, 2)}-${fmt(r.waldUpper, 2)}`,
      `${fmt(r.profileLower, 2)}-${fmt(r.profileUpper, 2)}`,
    ]),
  )}\nDeviance ${fmt(fit.deviance, 3)} on ${fit.dfResidual} df (null ${fmt(fit.nullDeviance, 3)}); AIC ${fmt(fit.aic, 3)}.\n`;
  for (const w of fit.warnings) markdown += `\nWarning: ${w}\n`;
  await emit(opts.output, result, markdown);
  return 0;
}

export interface RocCommandOptions extends CommonStatsOptions {
  scores?: string;
  direction?: string;
  thresholdSet?: string;
  boot?: string;
  seed?: string;
}

/** `--boot N --seed S` of the roc command, checked (both or neither). */
function rocBootOptions(opts: RocCommandOptions): { nBoot: number; seed: number } | null {
  if (opts.boot === undefined && opts.seed === undefined) return null;
  if (opts.boot === undefined) throw new Error("--seed is only used with --boot N");
  if (opts.seed === undefined)
    throw new Error("--boot needs --seed S (R's set.seed) so that the intervals are reproducible");
  const nBoot = Number(opts.boot);
  if (!Number.isInteger(nBoot) || nBoot < 1)
    throw new Error(`--boot must be a positive integer, got '${opts.boot}'`);
  const seed = Number(opts.seed);
  if (!Number.isInteger(seed) || Math.abs(seed) > 2147483647)
    throw new Error(`--seed must be an integer in R's integer range, got '${opts.seed}'`);
  return { nBoot, seed };
}

/** The interval fields written to JSON (replicates stay out). */
const intervalJson = (i: BootstrapInterval) => ({
  lower: i.lower,
  median: i.median,
  upper: i.upper,
  nUsed: i.nUsed,
});

const fmtCi = (i: { lower: number; upper: number }) => `${fmt(i.lower)}-${fmt(i.upper)}`;

/** `radscore roc`: AUC with DeLong CI, Youden threshold, paired DeLong tests between scores. */
export async function runRocCommand(data: string, opts: RocCommandOptions): Promise<number> {
  const table = await readTable(data);
  const outcome = requireOutcome(opts);
  const scores = names(opts.scores, "--scores");
  const direction = (opts.direction ?? "auto") as "<" | ">" | "auto";
  if (!["<", ">", "auto"].includes(direction))
    throw new Error(`--direction must be <, > or auto, got '${opts.direction}'`);
  const boot = rocBootOptions(opts);
  const rows = selectRows(table, data, opts.setColumn, opts.set);
  const y = outcomeColumn(table, outcome, rows, data, opts.event);
  // A threshold learned on another set (e.g. training) is applied unchanged here.
  let learned: Map<string, { threshold: number; direction: "<" | ">" }> | null = null;
  if (opts.thresholdSet) {
    if (!opts.setColumn) throw new Error("--threshold-set needs --set-column");
    const trainRows = selectRows(table, data, opts.setColumn, opts.thresholdSet);
    const yTrain = outcomeColumn(table, outcome, trainRows, data, opts.event);
    learned = new Map(
      scores.map((s) => {
        const roc = rocCurve(numericColumn(table, s, trainRows, data), yTrain, { direction });
        return [s, { threshold: youdenBest(roc).thresholds[0]!, direction: roc.direction }];
      }),
    );
  }
  const curves = new Map<string, RocCurve>();
  const perScore = scores.map((s) => {
    const x = numericColumn(table, s, rows, data);
    const roc = rocCurve(x, y, { direction });
    curves.set(s, roc);
    const ci = aucDelong(roc);
    const best = youdenBest(roc);
    const cut = learned?.get(s) ?? { threshold: best.thresholds[0]!, direction: roc.direction };
    const confusion = confusionAtThreshold(x, y, cut.threshold, cut.direction);
    return {
      score: s,
      auc: ci.auc,
      aucLower: ci.lower,
      aucUpper: ci.upper,
      variance: ci.variance,
      thresholdFrom: opts.thresholdSet ?? opts.set ?? "all",
      youdenThresholds: best.thresholds,
      ...confusion,
      ...(boot ? { bootstrap: rocBootstrapJson(s, x, y, cut, roc.direction, boot) } : {}),
    };
  });
  const comparisons = [];
  for (let a = 0; a < scores.length; a++) {
    for (let b = a + 1; b < scores.length; b++) {
      const t = pairedDelongTest(curves.get(scores[a]!)!, curves.get(scores[b]!)!);
      comparisons.push({ a: scores[a], b: scores[b], z: t.z, p: t.p, aucA: t.auc1, aucB: t.auc2 });
    }
  }
  let markdown = markdownTable(
    [
      "Score",
      "AUC",
      "95% CI (DeLong)",
      "Threshold",
      "Sensitivity",
      "Specificity",
      "Accuracy",
      "PPV",
      "NPV",
    ],
    perScore.map((r) => [
      r.score,
      fmt(r.auc),
      `${fmt(r.aucLower)}-${fmt(r.aucUpper)}`,
      fmt(r.threshold, 4),
      fmt(r.sensitivity),
      fmt(r.specificity),
      fmt(r.accuracy),
      fmt(r.ppv),
      fmt(r.npv),
    ]),
  );
  if (comparisons.length > 0) {
    markdown += `\n${markdownTable(
      ["Comparison", "Z", "P"],
      comparisons.map((c) => [`${c.a} vs ${c.b}`, fmt(c.z), fmtP(c.p)]),
    )}`;
  }
  if (boot) markdown += rocBootstrapMarkdown(perScore, boot);
  await emit(
    opts.output,
    { n: y.length, events: y.reduce((a, b) => a + b, 0), scores: perScore, delong: comparisons },
    markdown,
  );
  return 0;
}

type RocBootstrapJson = ReturnType<typeof rocBootstrapJson>;

/**
 * Bootstrap CIs of one score as pROC computes them: `set.seed(S); ci.coords(roc, threshold,
 * input = "threshold", boot.n = N)` at the (possibly learned) threshold and `set.seed(S);
 * ci.auc(roc, method = "bootstrap", boot.n = N)`, both stratified.
 */
function rocBootstrapJson(
  score: string,
  x: Float64Array,
  y: Float64Array,
  cut: { threshold: number; direction: "<" | ">" },
  aucDirection: "<" | ">",
  boot: { nBoot: number; seed: number },
) {
  const named = (e: unknown) => new Error(`${score}: ${(e as Error).message}`, { cause: e });
  let coords: ReturnType<typeof ciCoordsBootstrap>;
  let auc: ReturnType<typeof ciAucBootstrap>;
  try {
    coords = ciCoordsBootstrap(x, y, cut.threshold, { ...boot, direction: cut.direction });
    auc = ciAucBootstrap(x, y, { ...boot, direction: aucDirection });
  } catch (e) {
    throw named(e);
  }
  const c = coords.intervals;
  return {
    nBoot: boot.nBoot,
    seed: boot.seed,
    confLevel: 0.95,
    stratified: true,
    auc: intervalJson(auc),
    sensitivity: intervalJson(c.sensitivity),
    specificity: intervalJson(c.specificity),
    accuracy: intervalJson(c.accuracy),
    ppv: intervalJson(c.ppv),
    npv: intervalJson(c.npv),
    warnings: [...auc.warnings, ...coords.warnings],
  };
}

function rocBootstrapMarkdown(
  perScore: { score: string; threshold: number; bootstrap?: RocBootstrapJson }[],
  boot: { nBoot: number; seed: number },
): string {
  let md = `\nBootstrap 95% CIs (${boot.nBoot} stratified resamples, seed ${boot.seed}; pROC ci.auc / ci.coords at the threshold):\n\n`;
  md += markdownTable(
    ["Score", "Threshold", "AUC", "Sensitivity", "Specificity", "Accuracy", "PPV", "NPV"],
    perScore.map((r) => {
      const b = r.bootstrap!;
      return [
        r.score,
        fmt(r.threshold, 4),
        fmtCi(b.auc),
        fmtCi(b.sensitivity),
        fmtCi(b.specificity),
        fmtCi(b.accuracy),
        fmtCi(b.ppv),
        fmtCi(b.npv),
      ];
    }),
  );
  for (const r of perScore)
    for (const w of r.bootstrap!.warnings) md += `\nWarning (${r.score}): ${w}\n`;
  return md;
}

export interface CalibrationCommandOptions extends CommonStatsOptions {
  probability?: string;
  groups?: string;
}

/** `radscore calibration`: rms val.prob statistics and the Hosmer-Lemeshow test. */
export async function runCalibrationCommand(
  data: string,
  opts: CalibrationCommandOptions,
): Promise<number> {
  const table = await readTable(data);
  const outcome = requireOutcome(opts);
  if (!opts.probability) throw new Error("--probability COLUMN is required");
  const rows = selectRows(table, data, opts.setColumn, opts.set);
  const y = outcomeColumn(table, outcome, rows, data, opts.event);
  const p = numericColumn(table, opts.probability, rows, data);
  p.forEach((v, k) => {
    if (!(v > 0 && v < 1))
      throw new Error(
        `${data}: column '${opts.probability}', row ${rows[k]! + 2}: ${v} is not a probability in (0, 1)`,
      );
  });
  const g = opts.groups === undefined ? 10 : Number(opts.groups);
  if (!Number.isInteger(g) || g < 3)
    throw new Error(`--groups must be an integer >= 3, got '${opts.groups}'`);
  const vp = valProb(p, y);
  const hl = hosmerLemeshow(p, y, { g });
  const markdown =
    markdownTable(
      ["Statistic", "Value"],
      Object.entries(vp.stats).map(([k, v]) => [k, fmt(v, 4)]),
    ) +
    `\nHosmer-Lemeshow (g = ${g}): chi-square ${fmt(hl.statistic, 3)}, df ${hl.df}, P ${fmtP(hl.p)}\n`;
  await emit(
    opts.output,
    { n: y.length, valProb: vp.stats, cUnbinned: vp.cUnbinned, hosmerLemeshow: hl },
    markdown,
  );
  return 0;
}

export interface DcaCommandOptions extends CommonStatsOptions {
  probabilities?: string;
  from?: string;
  to?: string;
}

/** `radscore dca`: net benefit of each model, treat-all and treat-none at thresholds i/100. */
export async function runDcaCommand(data: string, opts: DcaCommandOptions): Promise<number> {
  const table = await readTable(data);
  const outcome = requireOutcome(opts);
  const models = names(opts.probabilities, "--probabilities");
  const rows = selectRows(table, data, opts.setColumn, opts.set);
  const y = outcomeColumn(table, outcome, rows, data, opts.event);
  const from = opts.from === undefined ? 1 : Number(opts.from);
  const to = opts.to === undefined ? 99 : Number(opts.to);
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 1 && to <= 99 && from <= to)) {
    throw new Error("--from and --to are whole percentages with 1 <= from <= to <= 99");
  }
  const thresholds = thresholdGrid(from, to, 100);
  const result = decisionCurves(
    y,
    models.map((m) => ({ name: m, p: numericColumn(table, m, rows, data) })),
    thresholds,
  );
  const every = Math.max(1, Math.round(thresholds.length / 20));
  const shown = Array.from(thresholds.keys()).filter((i) => i % every === 0);
  const markdown = markdownTable(
    ["Threshold", ...models, "Treat all", "Treat none"],
    shown.map((i) => [
      fmt(thresholds[i]!, 2),
      ...result.models.map((m) => fmt(m.curve.netBenefit[i]!, 4)),
      fmt(result.treatAll.netBenefit[i]!, 4),
      "0.0000",
    ]),
  );
  await emit(opts.output, result, markdown);
  return 0;
}

export interface IccCommandOptions {
  raters?: string;
  feature?: string;
  type?: string;
  threshold?: string;
  output?: string;
}

/**
 * `radscore icc`: Shrout-Fleiss ICCs (psych::ICC) of a long table with one row per subject (and
 * feature) and one column per rater; with --threshold, the reproducibility filter.
 */
export async function runIccCommand(data: string, opts: IccCommandOptions): Promise<number> {
  const { icc, ICC_TYPES } = await import("../stats/icc.js");
  const table = await readTable(data);
  const raters = names(opts.raters, "--raters");
  if (raters.length < 2) throw new Error("--raters needs at least two rater columns");
  const type = (opts.type ?? "ICC2") as (typeof ICC_TYPES)[number];
  if (!ICC_TYPES.includes(type))
    throw new Error(`--type must be one of ${ICC_TYPES.join(", ")}, got '${opts.type}'`);
  const threshold = opts.threshold === undefined ? null : Number(opts.threshold);
  if (threshold !== null && !(threshold >= -1 && threshold <= 1))
    throw new Error(`--threshold must be in [-1, 1], got '${opts.threshold}'`);
  const groups = new Map<string, number[]>();
  if (opts.feature) {
    const j = columnIndex(table, opts.feature, data);
    table.rows.forEach((r, i) => {
      const key = r[j]!;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(i);
    });
  } else
    groups.set(
      "(all)",
      table.rows.map((_, i) => i),
    );
  const results = [...groups].map(([feature, rows]) => {
    if (rows.length < 2)
      throw new Error(
        `${data}: feature '${feature}' has ${rows.length} subject(s); ICC needs at least 2`,
      );
    const columns = raters.map((r) => numericColumn(table, r, rows, data));
    const ratings = rows.map((_, k) => Float64Array.from(columns, (c) => c[k]!));
    const res = icc(ratings);
    const chosen = res.rows.find((r) => r.type === type)!;
    return {
      feature,
      ...res,
      chosen: type,
      kept: threshold === null ? null : chosen.icc >= threshold,
    };
  });
  let markdown = "";
  for (const r of results) {
    markdown += `${groups.size > 1 ? `### ${r.feature} (n = ${r.nSubjects}, raters = ${r.nRaters})\n\n` : ""}${markdownTable(
      ["Type", "ICC", "F", "df1", "df2", "P", "95% CI"],
      r.rows.map((x) => [
        x.type,
        fmt(x.icc),
        fmt(x.F, 2),
        fmt(x.df1, 0),
        fmt(x.df2, 0),
        fmtP(x.p),
        `${fmt(x.lower)}-${fmt(x.upper)}`,
      ]),
    )}\n`;
  }
  if (threshold !== null) {
    const kept = results.filter((r) => r.kept).map((r) => r.feature);
    markdown += `${kept.length} of ${results.length} feature(s) have ${type} >= ${threshold}: ${kept.join(", ") || "none"}\n`;
  }
  await emit(opts.output, { type, threshold, features: results }, markdown);
  return 0;
}

export interface Table1CommandOptions extends CommonStatsOptions {
  continuous?: string;
  categorical?: string;
  by?: string;
  welch?: boolean;
  eventLabel?: string;
  noneventLabel?: string;
}

/**
 * `radscore table1`: pCR vs non-pCR (event vs non-event) per cohort: mean ± sd with a t test for
 * normal variables (Shapiro-Wilk p > 0.05 in both groups), else median (Q1, Q3) with Mann-Whitney;
 * counts and percentages with chi-square, or Fisher's exact test when an expected count is < 5.
 */
export async function runTable1Command(data: string, opts: Table1CommandOptions): Promise<number> {
  const { buildTable1, renderTable1Markdown } = await import("../stats/table1.js");
  const table = await readTable(data);
  const outcome = requireOutcome(opts);
  const continuous = opts.continuous ? names(opts.continuous, "--continuous") : [];
  const categorical = opts.categorical ? names(opts.categorical, "--categorical") : [];
  if (continuous.length + categorical.length === 0)
    throw new Error("give --continuous and/or --categorical columns");
  const allRows = selectRows(table, data, opts.setColumn, opts.set);
  const groups = new Map<string, number[]>();
  if (opts.by) {
    const j = columnIndex(table, opts.by, data);
    for (const r of allRows) {
      const key = table.rows[r]![j]!;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(r);
    }
  } else groups.set("all", allRows);
  const results: Record<string, unknown> = {};
  let markdown = "";
  for (const [group, rows] of groups) {
    const y = outcomeColumn(table, outcome, rows, data, opts.event);
    const cell = (name: string, r: number) =>
      table.rows[r]![columnIndex(table, name, data)]!.trim();
    const t1 = buildTable1(
      {
        event: Array.from(y, (v) => v === 1),
        continuous: continuous.map((name) => ({
          name,
          values: rows.map((r) => {
            const text = cell(name, r);
            if (MISSING_CELLS.includes(text)) return null;
            const v = Number(text);
            if (!Number.isFinite(v))
              throw new Error(`${data}: column '${name}', row ${r + 2}: '${text}' is not a number`);
            return v;
          }),
        })),
        categorical: categorical.map((name) => ({
          name,
          values: rows.map((r) => {
            const text = cell(name, r);
            return MISSING_CELLS.includes(text) ? null : text;
          }),
        })),
      },
      {
        groupLabels: {
          event: opts.eventLabel ?? "Event",
          nonevent: opts.noneventLabel ?? "Non-event",
        },
        tTest: opts.welch ? "welch" : "student",
      },
    );
    results[group] = t1;
    markdown += `${groups.size > 1 ? `## ${opts.by} = ${group}\n\n` : ""}${renderTable1Markdown(t1)}\n`;
  }
  await emit(opts.output, results, markdown);
  return 0;
}
