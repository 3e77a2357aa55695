/**
 * Reading and checking one patient's entered values against the calculator's fields (missing,
 * non-numeric values and unknown levels are errors; a value outside the training range or before
 * the start of its nomogram axis a warning), and the short display of numbers.
 */
import type { Calculator, InputField } from "./calculator.js";

export interface FieldIssue {
  field: string;
  severity: "error" | "warning";
  message: string;
}

export interface ReadValues {
  /** Parsed values: numbers for number fields, the level (value, not label) for choices. */
  values: Record<string, number | string>;
  issues: FieldIssue[];
  /** Every field has a usable value (warnings do not block). */
  complete: boolean;
}

/** The number of an input text ("" and non-numbers are null). */
export function parseNumber(text: string | undefined): number | null {
  if (text === undefined) return null;
  const t = text.trim();
  if (t === "") return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/** Short display of a number (at most 6 significant digits, no float noise). */
export function fmt(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(digits)));
}

/**
 * Reads the entered texts against the fields: missing and non-numeric values and unknown levels
 * are errors (no score); a value outside the training range (generic min / max) or before the
 * start of the nomogram axis (our format: negative points, below the training minimum) is a
 * warning only. `skip` names fields not read from the texts (the Rad-score from images).
 */
export function readValues(
  calc: Calculator,
  raw: Readonly<Record<string, string | undefined>>,
  skip: readonly string[] = [],
): ReadValues {
  const values: Record<string, number | string> = {};
  const issues: FieldIssue[] = [];
  for (const f of calc.fields) {
    if (skip.includes(f.name)) continue;
    const text = raw[f.name];
    if (f.kind === "choice") {
      if (text === undefined || text === "") {
        issues.push({ field: f.name, severity: "error", message: `choose ${f.label}` });
        continue;
      }
      if (!f.levels.includes(text)) {
        issues.push({
          field: f.name,
          severity: "error",
          message: `'${text}' is not a level of ${f.label} (${f.labels.join(", ")})`,
        });
        continue;
      }
      values[f.name] = text;
      continue;
    }
    if (text === undefined || text.trim() === "") {
      issues.push({ field: f.name, severity: "error", message: `enter ${f.label}` });
      continue;
    }
    const v = parseNumber(text);
    if (v === null) {
      issues.push({
        field: f.name,
        severity: "error",
        message: `${f.label}: '${text.trim()}' is not a number (use a dot for decimals)`,
      });
      continue;
    }
    values[f.name] = v;
    const w = rangeWarning(calc, f, v);
    if (w) issues.push({ field: f.name, severity: "warning", message: w });
  }
  return { values, issues, complete: !issues.some((i) => i.severity === "error") };
}

/** Warning text for a value outside the known range of a number field (null when inside). */
export function rangeWarning(calc: Calculator, f: InputField, v: number): string | null {
  if (f.range) {
    const [lo, hi] = f.range;
    if (v < lo || v > hi)
      return `${f.label} = ${fmt(v)} is outside the training range ${fmt(lo)}–${fmt(hi)}: the model extrapolates`;
    return null;
  }
  if (f.axisRange) {
    const [lo, hi] = f.axisRange;
    if (v < lo || v > hi)
      return `${f.label} = ${fmt(v)} is outside its nomogram axis ${fmt(lo)}–${fmt(hi)}, beyond the training range: the model extrapolates`;
    return null;
  }
  if (calc.kind === "radscore" && f.axisStart !== null) {
    const j = calc.nomogram.names.indexOf(f.name);
    const p = calc.model.nomogram.predictors[j];
    if (p?.type === "continuous" && p.coefficient) {
      const points = (v * p.coefficient - calc.nomogram.minXbeta[j]!) * calc.nomogram.sc;
      if (points < -1e-9)
        return `${f.label} = ${fmt(v)} lies before the start of its nomogram axis (${fmt(f.axisStart)}), outside the training range: the model extrapolates`;
    }
  }
  return null;
}
