/**
 * The facts every checklist answer reads (`RunFacts`: the result, the run's description when
 * there is one, the outcome labels), the item definitions and how they become checklist items
 * (`resolveItems`), the names of the places answers come from (`SOURCE`) and small text helpers.
 */
import { formatFixed } from "../format.js";
import type { StudyDescription } from "../../study/description.js";
import type { ChecklistItem, ChecklistOptions, ChecklistResult, Fill } from "./types.js";
import type { CohortName, StudyResult } from "../../study/result.js";

export interface RunFacts {
  result: StudyResult;
  /** The run's description (null: only the result's tables are known). */
  study: StudyDescription | null;
  eventLabel: string;
  noneventLabel: string;
}

export function runFacts(result: ChecklistResult, options: ChecklistOptions = {}): RunFacts {
  const study = options.study !== undefined ? options.study : (result.study ?? null);
  return {
    result,
    study,
    eventLabel: study?.outcome.eventLabel ?? options.eventLabel ?? "pCR",
    noneventLabel: study?.outcome.noneventLabel ?? options.noneventLabel ?? "non-pCR",
  };
}

/** One item of a checklist: its number, topic, paraphrase, and how the run answers it. */
export interface ItemDefinition {
  id: string;
  section: string;
  topic: string;
  requirement: string;
  /** The run's answer; absent or null: the authors answer the whole item. */
  fill?: (facts: RunFacts) => Fill | null;
  /** What the authors add when the run has no answer. */
  authors: string;
}

/** The checklist items of `definitions` for this run, in order. */
export function resolveItems(
  definitions: readonly ItemDefinition[],
  facts: RunFacts,
): ChecklistItem[] {
  return definitions.map((d) => {
    const base = { id: d.id, section: d.section, topic: d.topic, requirement: d.requirement };
    const fill = d.fill?.(facts) ?? null;
    if (fill === null)
      return { ...base, status: "authors", answer: null, toComplete: d.authors, sources: [] };
    return {
      ...base,
      status: fill.toComplete ? "partial" : "prefilled",
      answer: fill.answer,
      toComplete: fill.toComplete ?? null,
      sources: fill.sources,
    };
  });
}

/** Where answers come from: the report's sections and tables, the study's files and fields. */
export const SOURCE = {
  header: "report.html header (cohort cards)",
  warnings: "report.html § Warnings",
  selection: "report.html § Feature selection and Rad-score (funnel, LASSO figures, Table S1)",
  table1: "report.html § Patient characteristics (Table 1)",
  table2: "report.html § Clinical model and nomogram (Table 2)",
  nomogram: "report.html § Clinical model and nomogram (nomogram)",
  table3: "report.html § Discrimination (Table 3)",
  roc: "report.html § Discrimination (ROC curves)",
  table4: "report.html § Discrimination (Table 4)",
  calibration: "report.html § Calibration (curves, Table S2)",
  decision: "report.html § Clinical usefulness (decision curves)",
  funnel: "report.html § Run details (Table S3)",
  predictions: "predictions.csv",
  features: "features.csv",
  manifestJson: "manifest.json (versions, settings, seeds, input hashes)",
  result: (fields: string) => `result.json (${fields})`,
  model: (fields: string) => `model.json (${fields})`,
  config: (keys: string) => `study.yaml (${keys})`,
  cohortManifest: (what: string) => `cohort manifest (${what})`,
} as const;

/** "a, b and c". */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** "61.8%". */
export function percent(k: number, n: number): string {
  return n > 0 ? `${formatFixed((100 * k) / n, 1)}%` : "NA";
}

export function fixed3(x: number): string {
  return formatFixed(x, 3);
}

/** "1 feature" / "2 features". */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** The size and events of a cohort, or null when the run has none. */
export function cohortSize(
  facts: RunFacts,
  cohort: CohortName,
): { n: number; nEvent: number } | null {
  return facts.result.cohortSizes.find((c) => c.cohort === cohort) ?? null;
}

/** "training n = 68 (pCR 42, 61.8%; non-pCR 26)". */
export function cohortSizeText(facts: RunFacts, cohort: CohortName): string | null {
  const c = cohortSize(facts, cohort);
  if (!c) return null;
  return (
    `${cohort} n = ${c.n} (${facts.eventLabel} ${c.nEvent}, ${percent(c.nEvent, c.n)}; ` +
    `${facts.noneventLabel} ${c.n - c.nEvent})`
  );
}

/** Both cohorts' sizes, "training n = ...; test n = ...". */
export function sizesText(facts: RunFacts): string {
  return (["training", "test"] as const)
    .map((c) => cohortSizeText(facts, c))
    .filter((t): t is string => t !== null)
    .join("; ");
}

/** The centres of a cohort ("'1'"), or null when unknown. */
export function centresOf(facts: RunFacts, cohort: CohortName): string[] | null {
  const s = facts.study;
  if (!s || s.centres.some((c) => c.centre === null)) return null;
  return s.centres.filter((c) => c.cohort === cohort).map((c) => `'${c.centre}'`);
}

/** The count of the funnel step whose name starts with `prefix`, and the count before it. */
export function funnelStep(
  result: StudyResult,
  prefix: string,
): { step: string; count: number; before: number | null } | null {
  const k = result.funnel.findIndex((s) => s.step.startsWith(prefix));
  if (k < 0) return null;
  return {
    step: result.funnel[k]!.step,
    count: result.funnel[k]!.count,
    before: k > 0 ? result.funnel[k - 1]!.count : null,
  };
}

/** Several answers as one: texts joined, sources merged, what the authors add joined. */
export function combine(...fills: (Fill | null)[]): Fill | null {
  const present = fills.filter((x): x is Fill => x !== null);
  if (present.length === 0) return null;
  const toComplete = present.map((x) => x.toComplete).filter((t): t is string => !!t);
  return {
    answer: present.map((x) => x.answer).join(" "),
    sources: [...new Set(present.flatMap((x) => x.sources))],
    ...(toComplete.length > 0 ? { toComplete: toComplete.join("; ") } : {}),
  };
}

/** The same answer with a different (or no) part for the authors. */
export function withAuthors(fill: Fill | null, toComplete: string | null): Fill | null {
  if (!fill) return null;
  const { toComplete: _drop, ...rest } = fill;
  return toComplete ? { ...rest, toComplete } : rest;
}

/** The text with its first letter in upper case (a sentence start). */
export function capitalise(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

export type FillFunction = (facts: RunFacts) => Fill | null;

/**
 * Item definitions from a table with one item per line, `id | section | topic | requirement |
 * what the authors add`, and the run's answers by item id. A fill for an id that is not in the
 * table, a repeated id or a line without five fields is an error (a typo would otherwise drop an
 * answer silently).
 */
export function itemTable(
  table: string,
  fills: Readonly<Partial<Record<string, FillFunction>>>,
  name: string,
): ItemDefinition[] {
  const items = table
    .trim()
    .split("\n")
    .map((line, k) => {
      const fields = line.split(" | ").map((x) => x.trim());
      if (fields.length !== 5)
        throw new Error(
          `${name} item table, line ${k + 1}: expected 5 fields, got ${fields.length}`,
        );
      const [id, section, topic, requirement, authors] = fields as [
        string,
        string,
        string,
        string,
        string,
      ];
      const fill = fills[id];
      return { id, section, topic, requirement, authors, ...(fill ? { fill } : {}) };
    });
  const ids = items.map((i) => i.id);
  const repeated = ids.filter((id, k) => ids.indexOf(id) !== k);
  if (repeated.length > 0) throw new Error(`${name}: item ${repeated[0]} appears twice`);
  const unknown = Object.keys(fills).filter((id) => !ids.includes(id));
  if (unknown.length > 0)
    throw new Error(`${name}: answers for unknown item(s) ${unknown.join(", ")}`);
  return items;
}
