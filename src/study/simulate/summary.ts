/**
 * The summary of a simulation over its replicates: the test AUC (mean, SD, range) against the true
 * AUCs, the coverage of the test AUC's DeLong 95% CI, the planted-signal recovery rate and the test
 * calibration slope; and its Markdown table. Rates carry their Monte-Carlo standard error
 * sqrt(r (1 − r) / R) (Morris, White and Crowther, Stat Med 2019, Table 6), so that a reader can
 * tell a missed target from replicate noise. Pure (browser-safe).
 */
import { mean, quantileType7, standardDeviation } from "../../stats/descriptive.js";
import type { SimulatedProperty, SimulationSettings } from "./generator.js";
import type { RecoveryResult } from "./recovery.js";
import { SIMULATION_F_TEST_K } from "./study.js";

/** What one replicate's study says about the planted signal (src/study/simulate/study.ts). */
export interface ReplicateOutcome {
  replicate: number;
  seed: number;
  training: { n: number; events: number };
  test: { n: number; events: number };
  /** The Rad-score's features (LASSO's and any forced back). */
  selected: string[];
  /** Features forced back by the keep-one-per-sequence rule (or used alone when LASSO kept none). */
  forced: number;
  /** Null when no property is planted. */
  recovery: RecoveryResult | null;
  trainingAuc: number;
  /** The radiomics model's test AUC and DeLong 95% CI, as the study reports them. */
  testAuc: number;
  testAucLower: number;
  testAucUpper: number;
  /** Oracle AUC: the true probabilities on the truth sample. */
  trueAuc: number;
  /** The fitted Rad-score's AUC in the test centre's population (truth sample); null if unknown. */
  modelAuc: number | null;
  coversTrueAuc: boolean;
  coversModelAuc: boolean | null;
  /**
   * Pearson r of the fitted Rad-score with the true linear predictor on the truth sample (null
   * without a planted signal): the planted signal as a whole, whichever features carry it.
   */
  signalCorrelation: number | null;
  /** rms val.prob recalibration slope and intercept of plogis(Rad-score) on the test set. */
  calibrationSlope: number | null;
  calibrationIntercept: number | null;
  warnings: number;
}

export interface ReplicateFailure {
  replicate: number;
  seed: number;
  error: string;
}

export interface Distribution {
  n: number;
  mean: number;
  sd: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

export interface Rate {
  /** Replicates where it holds, of `n`. */
  count: number;
  n: number;
  rate: number;
  /** Monte-Carlo standard error of the rate. */
  mcse: number;
}

export interface SimulationSummary {
  replicates: number;
  completed: number;
  failed: number;
  trueAuc: number;
  testAuc: Distribution;
  trainingAuc: Distribution;
  /** The fitted models' true AUCs in the test centre (null when not computed). */
  modelAuc: Distribution | null;
  /** Mean of test AUC − model AUC (the estimate's bias for its own estimand). */
  testMinusModelAuc: number | null;
  coverageTrueAuc: Rate;
  coverageModelAuc: Rate | null;
  /** Null when no property is planted. */
  recovery: {
    all: Rate;
    any: Rate;
    perProperty: { property: SimulatedProperty; rate: Rate }[];
    meanSelected: number;
    meanUnrelated: number;
  } | null;
  /** The Rad-score's correlation with the true linear predictor (null without a planted signal). */
  signalCorrelation: Distribution | null;
  calibrationSlope: Distribution | null;
  calibrationIntercept: Distribution | null;
  meanSelected: number;
}

export function distribution(values: readonly number[], what: string): Distribution {
  if (values.length === 0) throw new Error(`simulation summary: no value of ${what}`);
  const [min, q1, median, q3, max] = quantileType7(values, [0, 0.25, 0.5, 0.75, 1]);
  return {
    n: values.length,
    mean: mean(values, what),
    sd: values.length > 1 ? standardDeviation(values, what) : 0,
    min: min!,
    q1: q1!,
    median: median!,
    q3: q3!,
    max: max!,
  };
}

export function rate(flags: readonly boolean[]): Rate {
  const n = flags.length;
  const count = flags.filter(Boolean).length;
  const r = n > 0 ? count / n : Number.NaN;
  return { count, n, rate: r, mcse: n > 0 ? Math.sqrt((r * (1 - r)) / n) : Number.NaN };
}

const nonNull = <T>(v: T | null): v is T => v !== null;

/** Summarises the completed replicates (failures are counted, not averaged). */
export function summariseReplicates(
  outcomes: readonly ReplicateOutcome[],
  failures: readonly ReplicateFailure[],
): SimulationSummary {
  if (outcomes.length === 0)
    throw new Error(
      `simulation summary: every replicate failed (${failures.length}); first: ${failures[0]?.error ?? "none"}`,
    );
  const modelAucs = outcomes.map((o) => o.modelAuc).filter(nonNull);
  const complete = modelAucs.length === outcomes.length;
  const slopes = outcomes.map((o) => o.calibrationSlope).filter(nonNull);
  const intercepts = outcomes.map((o) => o.calibrationIntercept).filter(nonNull);
  const recoveries = outcomes.map((o) => o.recovery).filter(nonNull);
  const signal = outcomes.map((o) => o.signalCorrelation).filter(nonNull);
  const properties = recoveries[0]?.properties.map((p) => p.property) ?? [];
  return {
    replicates: outcomes.length + failures.length,
    completed: outcomes.length,
    failed: failures.length,
    trueAuc: outcomes[0]!.trueAuc,
    testAuc: distribution(
      outcomes.map((o) => o.testAuc),
      "the test AUC",
    ),
    trainingAuc: distribution(
      outcomes.map((o) => o.trainingAuc),
      "the training AUC",
    ),
    modelAuc: complete ? distribution(modelAucs, "the model's true AUC") : null,
    testMinusModelAuc: complete
      ? mean(
          outcomes.map((o) => o.testAuc - o.modelAuc!),
          "test AUC - model AUC",
        )
      : null,
    coverageTrueAuc: rate(outcomes.map((o) => o.coversTrueAuc)),
    coverageModelAuc: complete ? rate(outcomes.map((o) => o.coversModelAuc === true)) : null,
    recovery:
      recoveries.length === outcomes.length && properties.length > 0
        ? {
            all: rate(recoveries.map((r) => r.all)),
            any: rate(recoveries.map((r) => r.any)),
            perProperty: properties.map((property) => ({
              property,
              rate: rate(
                recoveries.map((r) =>
                  r.properties.some((p) => p.property === property && p.recovered),
                ),
              ),
            })),
            meanSelected: mean(outcomes.map((o) => o.selected.length)),
            meanUnrelated: mean(recoveries.map((r) => r.unrelated.length)),
          }
        : null,
    signalCorrelation:
      signal.length === outcomes.length
        ? distribution(signal, "the Rad-score's correlation with the true linear predictor")
        : null,
    calibrationSlope: slopes.length > 0 ? distribution(slopes, "the calibration slope") : null,
    calibrationIntercept:
      intercepts.length > 0 ? distribution(intercepts, "the calibration intercept") : null,
    meanSelected: mean(outcomes.map((o) => o.selected.length)),
  };
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "NA");
const pct = (r: Rate) =>
  `${(100 * r.rate).toFixed(0)} % (${r.count}/${r.n}; MC SE ${(100 * r.mcse).toFixed(1)} %)`;
const spread = (d: Distribution) =>
  `${f3(d.mean)} (SD ${f3(d.sd)}; range ${f3(d.min)}-${f3(d.max)})`;

/** The settings line of a simulation, e.g. for a table caption. */
export function describeSettings(s: SimulationSettings): string {
  return `K = ${s.informative} informative properties, effect ${s.effect} log-odds/SD, centre shift ${s.centreShift} SD, n = ${s.n} per centre, ${s.replicates} replicates, seed ${s.seed}, truth sample ${s.truthN}, f_classif keeps ${s.candidates ?? SIMULATION_F_TEST_K}`;
}

/** The summary as a two-column Markdown table (measure, value). */
export function formatSimulationMarkdown(
  settings: SimulationSettings,
  summary: SimulationSummary,
): string {
  const rows: [string, string][] = [
    ["replicates completed", `${summary.completed} of ${summary.replicates}`],
    ["true AUC (oracle, truth sample)", f3(summary.trueAuc)],
  ];
  if (summary.modelAuc)
    rows.push(["fitted models' true AUC in the test centre", spread(summary.modelAuc)]);
  rows.push(
    ["test AUC (radiomics)", spread(summary.testAuc)],
    ["training AUC (radiomics)", spread(summary.trainingAuc)],
  );
  if (summary.testMinusModelAuc !== null)
    rows.push(["mean test AUC - model's true AUC", f3(summary.testMinusModelAuc)]);
  rows.push(["95% CI covers the true AUC", pct(summary.coverageTrueAuc)]);
  if (summary.coverageModelAuc)
    rows.push(["95% CI covers the model's true AUC", pct(summary.coverageModelAuc)]);
  if (summary.recovery) {
    rows.push(["planted signal recovered (all planted properties)", pct(summary.recovery.all)]);
    for (const p of summary.recovery.perProperty)
      rows.push([`  ${p.property} recovered`, pct(p.rate)]);
    rows.push([
      "selected features (mean; unrelated to a planted one)",
      `${summary.recovery.meanSelected.toFixed(1)} (${summary.recovery.meanUnrelated.toFixed(1)})`,
    ]);
  } else rows.push(["selected features (mean)", summary.meanSelected.toFixed(1)]);
  if (summary.signalCorrelation) {
    const d = summary.signalCorrelation;
    rows.push([
      "Rad-score's r with the true linear predictor (median, IQR; range)",
      `${f3(d.median)} (${f3(d.q1)}-${f3(d.q3)}; ${f3(d.min)}-${f3(d.max)})`,
    ]);
  }
  if (summary.calibrationSlope) {
    const d = summary.calibrationSlope;
    rows.push([
      "test calibration slope (median, IQR)",
      `${f3(d.median)} (${f3(d.q1)}-${f3(d.q3)}; n ${d.n})`,
    ]);
  }
  if (summary.calibrationIntercept) {
    const d = summary.calibrationIntercept;
    rows.push([
      "test calibration intercept (median, IQR)",
      `${f3(d.median)} (${f3(d.q1)}-${f3(d.q3)})`,
    ]);
  }
  return [
    `Simulation: ${describeSettings(settings)}.`,
    "",
    "| measure | value |",
    "|---|---|",
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    "",
  ].join("\n");
}
