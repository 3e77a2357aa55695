/**
 * The report's sentences on how the models were fitted (StudyResult.fitMethods): Table 2's note
 * (which models Firth's penalised likelihood fitted and why, with the method: Firth 1993;
 * Heinze & Schemper 2002; as R logistf, profile penalised-likelihood CIs, penalised
 * likelihood-ratio P; and which kept maximum likelihood although it reports separation) and
 * Table S1's note on the Rad-score's coefficients.
 * Pure: runs in the browser.
 */
import type { FitMethodRecord, StudyResult } from "../study/result.js";

/** Firth's method as Table 2's note names it. */
export const FIRTH_METHOD_NOTE =
  "Firth's penalised likelihood (Firth 1993; Heinze & Schemper 2002; as R logistf), 95% CI by " +
  "profile penalised likelihood, P by penalised likelihood-ratio test";

/** "a", "a and b", "a, b and c". */
function listText(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** Why a model has its fit method, in a few words for a table note. */
function fitWhy(fit: FitMethodRecord): string {
  const reported = fit.extreme
    ? "maximum likelihood gave fitted probabilities numerically 0 or 1 with finite but extreme estimates (no separation)"
    : fit.separation === "none"
      ? ""
      : `maximum likelihood reported ${fit.separation} separation`;
  if (fit.method === "firth")
    return fit.setting === "always"
      ? `as configured${reported ? `; ${reported}` : ""}`
      : reported || fit.reason;
  return fit.setting === "never" ? `kept as configured although ${reported}` : reported;
}

/** Labels of one group of fits: "every univariable model" when it holds all of them. */
function groupLabel(
  fits: { label: string; univariable: string | null }[],
  univariableCount: number,
): string {
  const uni = fits.flatMap((f) => (f.univariable === null ? [] : [f.univariable]));
  const uniLabel =
    uni.length === univariableCount && univariableCount > 1
      ? "every univariable model"
      : `the univariable model${uni.length > 1 ? "s" : ""} of ${listText(uni)}`;
  // In the order of `fits`, the univariable ones as one label where the first of them stands.
  const labels = fits.flatMap((f, k) =>
    f.univariable === null
      ? [f.label]
      : fits.findIndex((g) => g.univariable !== null) === k
        ? [uniLabel]
        : [],
  );
  return listText(labels);
}

/**
 * Table 2's note on the estimators: which models Firth's penalised likelihood fitted and why, and
 * in which maximum likelihood, kept, reports separation; "" when every model is a
 * maximum-likelihood fit without separation (or the result does not say).
 */
export function fitMethodNote(result: StudyResult): string {
  const m = result.fitMethods;
  if (!m) return "";
  const fits = [
    { label: "the Rad-score's refit", univariable: null, fit: m.radiomics },
    ...Object.entries(m.univariable).map(([name, fit]) => ({ label: "", univariable: name, fit })),
    { label: "the multivariable model", univariable: null, fit: m.multivariable },
    { label: "the clinical model", univariable: null, fit: m.clinical },
    {
      label: "the nomogram model (the Rad-score's multivariable OR)",
      univariable: null,
      fit: m.nomogram,
    },
  ];
  const univariableCount = Object.keys(m.univariable).length;
  // "labels (why); labels (why)", one group per reason.
  const grouped = (which: (f: FitMethodRecord) => boolean) => {
    const groups = new Map<string, typeof fits>();
    for (const f of fits.filter((x) => which(x.fit)))
      groups.set(fitWhy(f.fit), [...(groups.get(fitWhy(f.fit)) ?? []), f]);
    return [...groups]
      .map(([why, g]) => `${groupLabel(g, univariableCount)}${why ? ` (${why})` : ""}`)
      .join("; ");
  };
  const parts: string[] = [];
  if (fits.some((f) => f.fit.method === "firth"))
    parts.push(
      `Fitted by ${FIRTH_METHOD_NOTE}: ${grouped((f) => f.method === "firth")}.` +
        (fits.some((f) => f.fit.method === "ml")
          ? " Other models: maximum likelihood, Wald 95% CI and P."
          : ""),
    );
  const unstable = (f: FitMethodRecord) =>
    f.method === "ml" && (f.separation !== "none" || f.extreme === true);
  if (fits.some((f) => unstable(f.fit)))
    parts.push(
      `Maximum likelihood: ${grouped(unstable)}; its estimates are infinite or very large and unstable, so those ORs, CIs and P values are unreliable.`,
    );
  return parts.join(" ");
}

/**
 * Table S1's note on the Rad-score's coefficients: a Firth or maximum-likelihood refit and why;
 * undefined for a LASSO Rad-score (or a result that does not say).
 */
export function radscoreFitNote(result: StudyResult): string | undefined {
  const fit = result.fitMethods?.radiomics;
  const why = fit ? fitWhy(fit) : "";
  if (fit?.method === "firth")
    return `Coefficients of the Rad-score's refit by Firth's penalised likelihood (as R logistf)${why ? `: ${why}` : ""}.`;
  if (fit?.method === "ml")
    return `Coefficients of the Rad-score's maximum-likelihood refit${why ? `, ${why}: infinite or very large and unstable estimates` : ""}.`;
  return undefined;
}
