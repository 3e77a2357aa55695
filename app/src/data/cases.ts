/**
 * The viewer's cases: every patient and sequence of the manifest with its image and mask cells.
 * Only the columns are needed, so a cohort that the study would still reject (one outcome class,
 * a missing clinical value) can be viewed and its ROIs drawn.
 */
import { parseCsv } from "../../../src/io/csv.js";
import { type SequenceConfig, validateStudyConfig } from "../../../src/study/config.js";

export interface CaseFiles {
  patient: string;
  sequence: string;
  image: string;
  mask: string | null;
  mask2: string | null;
  config: SequenceConfig;
}

/** The cases of a configuration and manifest; throws with the reason when it cannot list them. */
export function listCases(
  configRaw: unknown,
  manifest: { name: string; text: string },
): CaseFiles[] {
  const config = validateStudyConfig(configRaw, "study.yaml");
  const table = parseCsv(manifest.text, manifest.name);
  const col = (name: string) => {
    const j = table.header.indexOf(name);
    if (j < 0) throw new Error(`${manifest.name}: no column '${name}'`);
    return j;
  };
  const id = col(config.cohort.id);
  const sequences = Object.entries(config.cohort.sequences ?? {}).map(([name, sc]) => ({
    name,
    sc,
    image: col(sc.image),
    mask: col(sc.mask),
    mask2: sc.mask2 ? col(sc.mask2) : -1,
  }));
  const cell = (row: string[], j: number) => (j >= 0 && row[j]?.trim() ? row[j]!.trim() : null);
  return table.rows.flatMap((row) =>
    sequences
      .filter((s) => cell(row, s.image) !== null && cell(row, id) !== null)
      .map((s) => ({
        patient: cell(row, id)!,
        sequence: s.name,
        image: cell(row, s.image)!,
        mask: cell(row, s.mask),
        mask2: cell(row, s.mask2),
        config: s.sc,
      })),
  );
}
