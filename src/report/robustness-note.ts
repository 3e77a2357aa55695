/**
 * The report's and the checklists' sentence on the robustness step (StudyResult.robustness,
 * preprocessing.robustness): which image perturbations (Zwanenburg et al., Sci Rep 2019;9:614),
 * how many per training patient and sequence, the ICC form and threshold (Shrout & Fleiss 1979),
 * and how many features it kept. Pure: runs in the browser.
 */
import type { RobustnessSummary } from "../study/result.js";
import { formatFixed } from "./format.js";

/** The paper's perturbation letters in words. */
const PERTURBATION_NAMES: Record<string, string> = {
  R: "rotation",
  T: "sub-voxel translation",
  N: "noise addition",
  V: "volume growth or shrinkage",
  C: "supervoxel contour randomisation",
};

/** "rotation, noise addition and ..." for a chain's letters, in the chain's order. */
export function perturbationChainText(chain: string): string {
  const names = [...chain].map((letter) => PERTURBATION_NAMES[letter] ?? letter);
  return names.length <= 1
    ? (names[0] ?? "")
    : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** One paragraph: what was perturbed, how features were compared, and what was kept. */
export function robustnessNote(r: RobustnessSummary): string {
  const median = r.medianIcc === null ? "" : `; median ICC ${formatFixed(r.medianIcc, 3)}`;
  const undefinedIcc =
    r.undefinedIcc > 0 ? ` (${r.undefinedIcc} of them with an undefined ICC)` : "";
  return (
    `Feature robustness without a second reader (image perturbation, Zwanenburg et al. 2019): ` +
    `each of the ${r.patients} training patients' images and masks (${r.sequences.join(", ")}) was perturbed ` +
    `${r.perturbations} times by ${perturbationChainText(r.chain)} (chain ${r.chain}, seed ${r.seed} + the patient's manifest index), ` +
    `and a feature was kept when its ${r.type} across perturbations (Shrout & Fleiss 1979; patients as subjects) ` +
    `${r.use === "lower" ? "lower 95% limit" : "estimate"} was >= ${r.threshold}: ` +
    `${r.kept} of ${r.assessed} features kept, ${r.dropped} dropped${undefinedIcc}${median}.`
  );
}
