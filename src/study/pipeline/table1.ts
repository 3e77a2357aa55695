/**
 * Step 11 of the study pipeline, Table 1: the clinical variables compared between events and
 * non-events within each cohort (t / Welch / Mann-Whitney, chi-square / Fisher), with the
 * display texts of the report ("52.1 ± 8.9", "31.0 (24.0, 40.5)", "12 (40.0%)").
 */
import { buildTable1, type CategoricalRow, type ContinuousRow } from "../../stats/table1.js";
import type { Cohort } from "../cohort.js";
import type { StudyConfig } from "../config.js";
import type { Table1Result, Table1Row } from "../result.js";
import { COHORTS, type StudyRun } from "./context.js";

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : "NA";
}

function table1For(cohort: Cohort, rows: number[], config: StudyConfig): Table1Result {
  const event = rows.map((i) => cohort.patients[i]!.outcome === 1);
  const continuous = cohort.variables
    .filter((v) => v.type === "continuous")
    .map((v) => ({
      name: v.name,
      values: rows.map((i) => {
        const t = cohort.patients[i]!.clinical[v.name];
        return t === null || t === undefined ? null : Number(t);
      }),
    }));
  const categorical = cohort.variables
    .filter((v) => v.type !== "continuous")
    .map((v) => ({
      name: v.name,
      values: rows.map((i) => cohort.patients[i]!.clinical[v.name] ?? null),
      levels: v.levels,
    }));
  const t1 = buildTable1(
    { event, continuous, categorical },
    {
      normalityAlpha: config.evaluation.normalityAlpha,
      tTest: config.evaluation.tTest,
      fisherIfExpectedBelow: config.evaluation.fisherIfExpectedBelow,
    },
  );
  const label = (name: string) => cohort.variables.find((v) => v.name === name)?.label ?? name;
  const out: Table1Row[] = [];
  for (const r of t1.rows) {
    if (r.kind === "continuous") {
      const c = r as ContinuousRow;
      const summary = (g: ContinuousRow["event"]) =>
        c.test === "mann_whitney"
          ? `${fmt(g.median, 2)} (${fmt(g.q1, 2)}, ${fmt(g.q3, 2)})`
          : `${fmt(g.mean, 2)} ± ${fmt(g.sd, 2)}`;
      out.push({
        variable: label(c.variable),
        kind: "continuous",
        level: null,
        event: summary(c.event),
        nonevent: summary(c.nonevent),
        test: c.test === "mann_whitney" ? "Mann-Whitney U" : c.test === "welch_t" ? "Welch t" : "t",
        statistic: Number.isFinite(c.statistic) ? c.statistic : null,
        p: Number.isFinite(c.p) ? c.p : null,
      });
    } else {
      const c = r as CategoricalRow;
      const v = cohort.variables.find((x) => x.name === c.variable);
      const nE = c.countsEvent.reduce((a, b) => a + b, 0);
      const nN = c.countsNonevent.reduce((a, b) => a + b, 0);
      c.levels.forEach((level, k) => {
        const pct = (n: number, d: number) =>
          `${n} (${d > 0 ? ((100 * n) / d).toFixed(1) : "NA"}%)`;
        const display = v ? (v.labels[v.levels.indexOf(level)] ?? level) : level;
        out.push({
          variable: label(c.variable),
          kind: "categorical",
          level: display,
          event: pct(c.countsEvent[k]!, nE),
          nonevent: pct(c.countsNonevent[k]!, nN),
          test: k === 0 ? (c.test === "fisher" ? "Fisher exact" : "chi-square") : null,
          statistic:
            k === 0 && c.test === "chisq" && Number.isFinite(c.statistic) ? c.statistic : null,
          p: k === 0 && Number.isFinite(c.p) ? c.p : null,
        });
      });
    }
  }
  return {
    cohort: cohort.patients[rows[0]!]!.role,
    nEvent: t1.nEvent,
    nNonevent: t1.nNonevent,
    rows: out,
  };
}

/** 11. Table 1 per cohort. */
export function table1Step(run: StudyRun): Table1Result[] {
  const { config, cohort, rowsOf } = run;
  const table1 = COHORTS.map((c) => table1For(cohort, rowsOf[c], config));
  return table1;
}
