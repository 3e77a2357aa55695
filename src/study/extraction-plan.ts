/**
 * The extraction work of a cohort, shared by the Node study runner and the web app: every
 * (patient, sequence, reader) image / mask pair in a fixed order, and the assembly of the pairs'
 * features into the feature matrices the pipeline takes (rows in patient order whatever the order
 * in which pairs finished). Pure (browser-safe).
 */
import type { DicomChoice } from "../io/dicom/case.js";
import type { Cohort } from "./cohort.js";
import type { SequenceConfig } from "./config.js";
import { buildFeatureMatrix, type FeatureMatrix } from "./features-table.js";
import type { FrozenModel } from "./frozen-model.js";

/** One image / mask pair to extract. */
export interface ExtractionPair {
  /** Index of the patient in cohort.patients. */
  patient: number;
  seq: string;
  reader: 1 | 2;
  /** Manifest path (or name) of the image and of this reader's mask. */
  image: string;
  mask: string;
  /** Who the pair belongs to, for messages: "patient 'P001'" or "patient 'P001' (second reader)". */
  who: string;
}

/** Every pair of the cohort: each patient's sequences in order, the second reader right after. */
export function planExtractionPairs(cohort: Cohort): ExtractionPair[] {
  const pairs: ExtractionPair[] = [];
  cohort.patients.forEach((p, patient) => {
    for (const seq of cohort.sequences) {
      const files = p.images[seq]!;
      pairs.push({
        patient,
        seq,
        reader: 1,
        image: files.image,
        mask: files.mask,
        who: `patient '${p.id}'`,
      });
      if (files.mask2) {
        pairs.push({
          patient,
          seq,
          reader: 2,
          image: files.image,
          mask: files.mask2,
          who: `patient '${p.id}' (second reader)`,
        });
      }
    }
  });
  return pairs;
}

/** What each sequence was extracted with (recorded in the frozen model). */
export interface SequenceExtractionInfo {
  paramsText: string | null;
  label: number | undefined;
}

/**
 * The feature matrices of a finished extraction: `results[k]` holds pair k's features (already
 * suffixed with the sequence). Second-reader rows only for patients with a second mask for every
 * sequence.
 */
export function assembleExtraction(
  cohort: Cohort,
  pairs: readonly ExtractionPair[],
  results: readonly Record<string, number>[],
  sequenceInfo: Record<string, SequenceExtractionInfo>,
): {
  features: FeatureMatrix;
  reader2: FeatureMatrix | null;
  extraction: FrozenModel["extraction"];
} {
  const rows: Record<string, number>[] = cohort.patients.map(() => ({}));
  const rows2: Record<string, number>[] = cohort.patients.map(() => ({}));
  const secondCount = cohort.patients.map(() => 0);
  pairs.forEach((pair, k) => {
    const features = results[k];
    if (!features) throw new Error(`${pair.who}: ${pair.seq} has no features (not extracted)`);
    Object.assign(pair.reader === 1 ? rows[pair.patient]! : rows2[pair.patient]!, features);
    if (pair.reader === 2) secondCount[pair.patient]!++;
  });
  const r2Ids: string[] = [];
  const r2Rows: Record<string, number>[] = [];
  cohort.patients.forEach((p, i) => {
    if (cohort.sequences.length > 0 && secondCount[i] === cohort.sequences.length) {
      r2Ids.push(p.id);
      r2Rows.push(rows2[i]!);
    }
  });
  const sequences = cohort.sequences;
  const features = buildFeatureMatrix(
    cohort.patients.map((p) => p.id),
    rows,
    sequences,
  );
  const reader2 = r2Ids.length > 0 ? buildFeatureMatrix(r2Ids, r2Rows, sequences) : null;
  const extraction: NonNullable<FrozenModel["extraction"]> = {};
  for (const seq of sequences) {
    const info = sequenceInfo[seq]!;
    extraction[seq] = { paramsText: info.paramsText, label: info.label ?? null };
  }
  return { features, reader2, extraction };
}

/** The DICOM selectors of a sequence's configuration. */
export function dicomChoiceOf(sc: SequenceConfig): DicomChoice {
  const image: DicomChoice["image"] = {};
  if (sc.series !== undefined) image.series = String(sc.series);
  if (sc.volume !== undefined) image.volume = sc.volume;
  if (sc.phase !== undefined) image.phase = sc.phase;
  if (sc.bvalue !== undefined) image.bvalue = sc.bvalue;
  const mask: DicomChoice["mask"] = {};
  if (sc.segment !== undefined) mask.segment = sc.segment;
  if (sc.roi !== undefined) mask.roi = sc.roi;
  return { image, mask };
}
