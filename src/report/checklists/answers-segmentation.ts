/**
 * Checklist answers about segmentation: which masks the features come from, who segmented (reader
 * 1 for every patient, a second reader for some) and the inter-reader reliability analysis (the
 * ICC filter). A run without a second reader says so, and what it did instead when it assessed
 * the features' robustness to image perturbations (preprocessing.robustness).
 */
import { robustnessNote } from "../robustness-note.js";
import { combine, funnelStep, listText, type RunFacts, SOURCE } from "./run-facts.js";
import type { Fill } from "./types.js";

/** Second-reader patients per cohort ("30 (30 training, 0 test)"), or null without a description. */
function secondReaderCounts(f: RunFacts): { training: number; test: number } | null {
  const s = f.study;
  if (!s) return null;
  const n = (c: "training" | "test") => s.secondReader.patients.find((p) => p.cohort === c)?.n ?? 0;
  return { training: n("training"), test: n("test") };
}

/**
 * Robustness to image perturbations (Zwanenburg et al. 2019), the reproducibility analysis of a
 * run without a second reader, or null when the run did not assess it.
 */
export function perturbationRobustness(f: RunFacts): Fill | null {
  const r = f.result.robustness;
  if (!r) return null;
  return {
    answer: `${robustnessNote(r)} Training patients only; every feature's ICC is in robustness.csv.`,
    sources: [SOURCE.config("preprocessing.robustness"), SOURCE.funnel, "robustness.csv"],
  };
}

/** Who segmented: reader 1 for everyone, a second reader for some (ICC only). */
export function readers(f: RunFacts): Fill | null {
  const s = f.study;
  const counts = secondReaderCounts(f);
  const authors =
    "the number of readers, their experience and qualifications, the segmentation software and rules, and whether readers were blinded to the outcome";
  if (!s || !counts) {
    const icc = funnelStep(f.result, "ICC");
    if (!icc) return null;
    return {
      answer: `A second reader's segmentations were used for an inter-reader ICC filter (${icc.step}).`,
      sources: [SOURCE.funnel],
      toComplete: authors,
    };
  }
  const seqs = listText(s.sequences);
  if (counts.training + counts.test === 0)
    return {
      answer: `One reader's masks (${seqs}) for every patient. No second reader in this run: no inter-reader reproducibility analysis was possible${f.result.robustness ? "; the features' robustness to image perturbations (rotation, translation, noise, volume and contour changes of each training patient's image and mask) was assessed instead" : ""}.`,
      sources: [SOURCE.config("cohort.sequences (no mask2 columns)")],
      toComplete: authors,
    };
  return {
    answer: `Reader 1's masks (${seqs}) for every patient are the study's segmentations. A second reader segmented ${counts.training + counts.test} patients (${counts.training} training, ${counts.test} test) on ${listText(s.secondReader.sequences)}; these masks served the inter-reader reproducibility analysis only.`,
    sources: [SOURCE.config("cohort.sequences.*.mask2"), "features-reader2.csv"],
    toComplete: authors,
  };
}

/** Reliability of segmentation: the ICC filter, and the robustness to image perturbations. */
export function segmentationReliability(f: RunFacts): Fill | null {
  const s = f.study;
  const icc = funnelStep(f.result, "ICC");
  const counts = secondReaderCounts(f);
  const robustness = perturbationRobustness(f);
  if (s && counts && counts.training + counts.test === 0) {
    if (robustness)
      return {
        ...robustness,
        answer: `No second reader in this run (no inter-reader ICC filter). Instead: ${robustness.answer}`,
      };
    return {
      answer:
        "No second reader in this run: no segmentation reliability analysis was done (no ICC filter).",
      sources: [SOURCE.config("cohort.sequences (no mask2 columns)")],
    };
  }
  return combine(interReaderReliability(f, icc, counts), robustness);
}

/** The inter-reader ICC filter's answer (null when it did not run). */
function interReaderReliability(
  f: RunFacts,
  icc: ReturnType<typeof funnelStep>,
  counts: ReturnType<typeof secondReaderCounts>,
): Fill | null {
  const s = f.study;
  if (!icc) {
    const skipped = f.result.warnings.find((w) => w.startsWith("ICC filter skipped"));
    return skipped
      ? { answer: `No segmentation reliability analysis: ${skipped}.`, sources: [SOURCE.warnings] }
      : null;
  }
  const kept = `${icc.count}${icc.before !== null ? ` of ${icc.before}` : ""}`;
  if (!s || !counts)
    return {
      answer: `Inter-reader ICC filter: ${icc.step}, ${kept} features kept.`,
      sources: [SOURCE.funnel],
    };
  const p = s.preprocessing.icc;
  return {
    answer:
      `Inter-reader reliability per feature between reader 1 and reader 2 on the ${counts.training} training patients segmented twice (training only): ${p.type} (${ICC_NAMES[p.type]}; Shrout and Fleiss 1979, as R psych::ICC); ` +
      `features with an ICC ${p.use === "lower" ? "lower 95% limit" : "estimate"} >= ${p.threshold} kept: ${kept}.`,
    sources: [SOURCE.config("preprocessing.icc"), SOURCE.funnel, "features-reader2.csv"],
  };
}

const ICC_NAMES: Record<string, string> = {
  ICC1: "one-way random effects, single rater",
  ICC2: "two-way random effects, absolute agreement, single rater",
  ICC3: "two-way mixed effects, consistency, single rater",
  ICC1k: "one-way random effects, mean of raters",
  ICC2k: "two-way random effects, absolute agreement, mean of raters",
  ICC3k: "two-way mixed effects, consistency, mean of raters",
};

/** Which masks the features come from. */
export function segmentationStrategy(f: RunFacts): Fill | null {
  const s = f.study;
  if (s?.input.kind !== "images" || s.masks.length === 0) return null;
  const label = (seq: string) => s.extraction?.find((e) => e.sequence === seq)?.settings.label;
  const rows = s.masks.map(
    (m) => `${m.sequence}: manifest column '${m.mask}' (ROI label ${label(m.sequence) ?? 1})`,
  );
  return {
    answer: `Features of each sequence come from its own mask: ${rows.join("; ")}.`,
    sources: [SOURCE.config("cohort.sequences.*.mask"), SOURCE.model("extraction (label)")],
    toComplete:
      "the segmentation software and method (manual, semi-automatic, automatic), the rules (margins, included regions, 2D slice or 3D volume, several lesions) and any registration between sequences",
  };
}
