/**
 * The rows of a batch's features CSV as `radscore extract --batch` writes them, shared by the local
 * batch (extract.ts) and queue mode (queue.ts) so that both write the same bytes: the header is
 * the first extracted case's feature names after the lead columns and ID, Image, Mask; every later
 * case fills those columns (a feature it lacks is an empty cell, a feature the first case lacked
 * is left out and named in one warning at the end); a batch without any extracted case still gets
 * its header line.
 */
import { formatCsvLine } from "../io/csv.js";

type Cell = string | number | null;

export class FeatureRowsWriter {
  private header: string[] | null = null;
  private headerNames = new Set<string>();
  private readonly extraNames = new Set<string>();
  /** Rows of extracted cases written so far. */
  written = 0;

  constructor(
    private readonly write: (text: string) => void,
    private readonly leadColumns: readonly string[] = [],
  ) {}

  /** One extracted case; the first one's feature names become the header. */
  add(
    lead: readonly Cell[],
    id: string,
    image: string,
    mask: string,
    features: Record<string, number>,
  ): void {
    if (!this.header) {
      this.header = Object.keys(features);
      this.headerNames = new Set(this.header);
      this.write(
        `${formatCsvLine([...this.leadColumns, "ID", "Image", "Mask", ...this.header])}\n`,
      );
    }
    for (const k of Object.keys(features)) if (!this.headerNames.has(k)) this.extraNames.add(k);
    const cells = this.header.map((n) => (n in features ? features[n]! : null));
    this.write(`${formatCsvLine([...lead, id, image, mask, ...cells])}\n`);
    this.written++;
  }

  /** Ends the extracted rows: the header line alone when no case was extracted. */
  endExtracted(): void {
    if (!this.header)
      this.write(`${formatCsvLine([...this.leadColumns, "ID", "Image", "Mask"])}\n`);
  }

  /** A case without features (a shard's failed case): an empty cell under every feature column. */
  addEmpty(lead: readonly Cell[], id: string, image: string, mask: string): void {
    this.write(
      `${formatCsvLine([...lead, id, image, mask, ...(this.header ?? []).map(() => null)])}\n`,
    );
  }

  /** The warning naming features of later cases that the header lacks, or null. */
  extraFeaturesWarning(): string | null {
    const extra = [...this.extraNames];
    if (extra.length === 0) return null;
    return `warning: ${extra.length} feature(s) of later cases are not in the first case's columns and were left out: ${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", ..." : ""}\n`;
  }
}
