/**
 * Number formatting for the report's tables and figures, as journals print them (and as R's
 * `sprintf("%.3f")` / `format.pval(p, eps = 0.001)` do). Pure: runs in the browser.
 */

/** Non-finite values in a table cell, spelled as R prints a missing value. */
const MISSING = "NA";

/**
 * Fixed-point text with `digits` decimals, rounding the exact binary value as C's printf (and so
 * R's sprintf) does; negative zero prints as zero ("-0.000" becomes "0.000").
 */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? MISSING : value > 0 ? "Inf" : "-Inf";
  const text = value.toFixed(digits);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/**
 * P value as journals print it (R `format.pval(p, eps = 0.001)` with 3 decimals):
 * p < 0.001 → "<0.001"; otherwise p with 3 decimals ("0.040", "0.204", "1.000").
 * A null p is an empty cell; NaN prints "NA"; a p outside [0, 1] is an error.
 */
export function formatP(p: number | null, digits = 3): string {
  if (p === null) return "";
  if (Number.isNaN(p)) return MISSING;
  if (!(p >= 0 && p <= 1)) throw new Error(`formatP: P value ${p} is outside [0, 1]`);
  const eps = 10 ** -digits;
  if (p < eps) return `<${eps.toFixed(digits)}`;
  return p.toFixed(digits);
}

/**
 * Odds ratio with 2 decimals; an OR below 0.01 keeps 2 significant digits ("0.0042") and one of
 * 100000 or more is printed in exponent form as C and R print it ("1.23e+05") so that neither collapses to "0.00" or a
 * wall of digits.
 */
export function formatOddsRatio(value: number): string {
  if (!Number.isFinite(value)) return formatFixed(value, 2);
  const a = Math.abs(value);
  if (a > 0 && a < 0.01) return value.toPrecision(2);
  if (a >= 1e5)
    return value.toExponential(2).replace(/e([+-])(\d)$/, (_m, sign, d) => `e${sign}0${d}`);
  return formatFixed(value, 2);
}

/** Estimate with its confidence interval: "2.34 (1.10, 4.98)". */
export function formatEstimateCi(
  estimate: number,
  lower: number,
  upper: number,
  format: (v: number) => string,
): string {
  return `${format(estimate)} (${format(lower)}, ${format(upper)})`;
}

/**
 * A test statistic (t, χ², W, Z): 3 decimals; an integer-valued statistic (Mann–Whitney W without
 * ties) prints without decimals. Null is an empty cell.
 */
export function formatStatistic(value: number | null): string {
  if (value === null) return "";
  if (Number.isInteger(value)) return String(value);
  return formatFixed(value, 3);
}

/** Seconds for the timing table: 2 decimals below 10 s, 1 decimal below 100 s, else whole. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new Error(`formatSeconds: stage time ${seconds} is not a finite non-negative number`);
  if (seconds < 10) return formatFixed(seconds, 2);
  if (seconds < 100) return formatFixed(seconds, 1);
  return formatFixed(seconds, 0);
}

/** Display names of the models and cohorts. */
export const MODEL_LABELS: Record<string, string> = {
  clinical: "Clinical model",
  radiomics: "Radiomics model",
  nomogram: "Nomogram",
};

export const COHORT_LABELS: Record<string, string> = {
  training: "Training",
  test: "Test",
};

export function modelLabel(model: string): string {
  return MODEL_LABELS[model] ?? model;
}

export function cohortLabel(cohort: string): string {
  return COHORT_LABELS[cohort] ?? cohort;
}
