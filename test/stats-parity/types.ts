import type { CsvTable } from "../../src/io/csv.js";
import type { Comparator, GoldenValue } from "./compare.js";

/** One golden file of ../shared/reference/stats (see its README for the schema). */
export interface GoldenFile {
  id: string;
  kind: string;
  // biome-ignore lint/suspicious/noExplicitAny: harness layouts differ per kind; each handler reads its own
  harness: any;
  // biome-ignore lint/suspicious/noExplicitAny: outputs differ per kind
  outputs: any;
  // biome-ignore lint/suspicious/noExplicitAny: tolerance groups differ per kind
  tolerance: any;
  [key: string]: unknown;
}

export interface KindContext {
  /** Folder of the golden files (data files named in `harness` live here). */
  dir: string;
  /** Path of the golden file being checked. */
  file: string;
  compare: Comparator;
  /** Parse a CSV data file of the golden folder. */
  readCsv(name: string): CsvTable;
}

export type KindHandler = (golden: GoldenFile, ctx: KindContext) => Promise<void> | void;

export type { GoldenValue };
