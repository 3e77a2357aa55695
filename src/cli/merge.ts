/**
 * Sharded batches, for Slurm job arrays or any batch system (issue #15): the part file that
 * `radscore extract --batch CASES.csv --shard I/N` writes, and `radscore merge PART...`, which
 * checks that the parts hold every case of the batch exactly once and joins them into the very CSV
 * (same header, same rows in the same order, same number formatting) that an unsharded
 * `extract --batch` of the batch writes.
 *
 * Shards are interleaved: the k-th case of the batch file (k = 0, 1, 2, ...) belongs to shard
 * (k mod N) + 1. Shards then differ by at most one case, and a slow stretch of the file (large
 * images listed together) is spread over every shard instead of landing on one.
 *
 * A part file is the batch's CSV with two leading columns, after one metadata line:
 *
 *     # radscore part {"format":1,"radscore":"0.1.0","shard":"2/3","cases":7,"batch":"/data/cases.csv",
 *                      "batchSha256":"…","params":"/data/params.yaml","paramsSha256":"…","options":{}}
 *     Row,Error,ID,Image,Mask,original_shape_Elongation,...
 *     3,,c2,c2.nrrd,c2-mask.nrrd,0.93,...
 *     6,label 1 not present in mask; labels found: 2,c5,c5.nrrd,c5-mask.nrrd,,,...
 *
 * `Row` is the case's row in CASES.csv as a spreadsheet numbers it (the header is row 1, so the
 * k-th case is row k + 2, as the CSV reader's messages count); `Error` is empty for an extracted
 * case and the reason for a failed one (failed cases follow the extracted ones, their feature cells
 * empty). The metadata fingerprint the batch file and the parameter file (SHA-256 of their bytes),
 * the radscore version and the options that change values (--label, the DICOM selectors), so that
 * merge refuses parts of different batches or settings. Readers that skip `#` lines (pandas'
 * `comment="#"`, R's `comment.char = "#"`) read a part as a table.
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { csvColumn, formatCsvLine, parseCsv } from "../io/csv.js";
import { openAtomicWriter } from "../node/atomic.js";
import { CsvRecordReader } from "../node/csv-record-reader.js";
import { readFileFor, readTextFile } from "../node/files.js";
import { VERSION } from "../version.js";
import type { ExtractCommandOptions } from "./extract.js";

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard I/N`; a bad value is an error naming the option and the reason. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`--shard must be I/N (shard I of N, e.g. 2/10), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(count) || count < 1)
    throw new Error(`--shard ${text}: the number of shards N must be at least 1`);
  if (!Number.isSafeInteger(index) || index < 1 || index > count)
    throw new Error(`--shard ${text}: the shard I must be between 1 and N (${count})`);
  return { index, count };
}

/** The cases (0-based positions in the batch file) of a shard: k with k mod N = I - 1. */
export function shardCases(total: number, shard: Shard): number[] {
  const cases: number[] = [];
  for (let k = shard.index - 1; k < total; k += shard.count) cases.push(k);
  return cases;
}

/** The metadata line of a part file. */
interface PartMeta {
  format: number;
  radscore: string;
  shard: string;
  cases: number;
  batch: string;
  batchSha256: string;
  params: string | null;
  paramsSha256: string | null;
  options: Record<string, string>;
}

const META_PREFIX = "# radscore part ";
const LEAD_COLUMNS = ["Row", "Error"];
/** Extraction options whose values change the features (recorded, and compared by merge). */
const VALUE_OPTIONS = ["label", "series", "volume", "phase", "bvalue", "segment", "roi"] as const;

/** What `extract --shard` adds to a batch's output (see the file's comment). */
export interface PartLayout {
  /** The shard's cases, 0-based positions in the batch file, in order. */
  cases: number[];
  /** The metadata line, with its newline. */
  metaLine: string;
  /** Names of the leading columns. */
  columns: string[];
  /** Leading cells of the shard's i-th case: its row in the batch file and its error ("" if none). */
  lead(i: number, error: string): (string | number)[];
  /** Start of the summary line ("shard 2/3: "). */
  summaryPrefix: string;
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** The part layout of shard `shard` of the batch at `batchPath` (`total` cases). */
export async function openPart(
  shard: Shard,
  batchPath: string,
  total: number,
  opts: ExtractCommandOptions,
): Promise<PartLayout> {
  const options: Record<string, string> = {};
  for (const name of VALUE_OPTIONS) {
    const value = opts[name];
    if (value !== undefined) options[name] = value;
  }
  const meta: PartMeta = {
    format: 1,
    radscore: VERSION,
    shard: `${shard.index}/${shard.count}`,
    cases: total,
    batch: resolve(batchPath),
    batchSha256: sha256(await readFileFor(batchPath, "batch file")),
    params: opts.params ? resolve(opts.params) : null,
    paramsSha256: opts.params ? sha256(await readFileFor(opts.params, "parameter file")) : null,
    options,
  };
  const cases = shardCases(total, shard);
  return {
    cases,
    metaLine: `${META_PREFIX}${JSON.stringify(meta)}\n`,
    columns: LEAD_COLUMNS,
    lead: (i, error) => [cases[i]! + 2, error],
    summaryPrefix: `shard ${meta.shard}: `,
  };
}

/** A part file read past its metadata and header. */
function openPartFile(path: string): { reader: CsvRecordReader; meta: PartMeta; header: string[] } {
  const reader = new CsvRecordReader(path);
  const first = reader.line() ?? "";
  const notPart = `${path} is not a part file written by extract --batch ... --shard I/N`;
  if (!first.startsWith(META_PREFIX)) throw new Error(`${notPart} (no '${META_PREFIX}' line)`);
  let meta: PartMeta | null = null;
  try {
    meta = JSON.parse(first.slice(META_PREFIX.length)) as PartMeta;
  } catch {}
  if (
    typeof meta?.shard !== "string" ||
    !Number.isSafeInteger(meta.cases) ||
    typeof meta.batchSha256 !== "string"
  )
    throw new Error(`${notPart} (unreadable metadata line)`);
  if (meta.format !== 1) throw new Error(`${path}: part format ${meta.format} is not supported`);
  const header = reader.record() ?? [];
  const expected = [...LEAD_COLUMNS, "ID", "Image", "Mask"];
  if (expected.some((name, j) => header[j] !== name))
    throw new Error(`${notPart} (its columns do not start with ${expected.join(",")})`);
  return { reader, meta, header };
}

/** A part's cases, read in full by the first pass (their features are read by the second). */
interface PartScan {
  path: string;
  meta: PartMeta;
  shard: Shard;
  /** Feature columns. */
  features: string[];
  cases: { k: number; id: string; error: string }[];
}

function scanPart(path: string): PartScan {
  const { reader, meta, header } = openPartFile(path);
  const shard = parseShard(meta.shard);
  const cases: PartScan["cases"] = [];
  let lastExtracted = -1;
  for (let fields = reader.record(); fields !== null; fields = reader.record()) {
    const row = Number(fields[0]);
    const k = row - 2;
    if (fields.length !== header.length)
      throw new Error(
        `${path}: row ${fields[0]} has ${fields.length} fields, the header ${header.length}`,
      );
    if (!Number.isInteger(k) || k < 0 || k >= meta.cases || k % shard.count !== shard.index - 1)
      throw new Error(`${path}: '${fields[0]}' is not the row of a case of shard ${meta.shard}`);
    const error = fields[1]!;
    if (error === "") {
      if (k < lastExtracted) throw new Error(`${path}: rows are not in the batch file's order`);
      lastExtracted = k;
    }
    cases.push({ k, id: fields[2]!, error });
  }
  return { path, meta, shard, features: header.slice(LEAD_COLUMNS.length + 3), cases };
}

const short = (hash: string | null) => (hash ? `sha256 ${hash.slice(0, 12)}` : "");
const optionText = (p: PartScan) =>
  Object.entries(p.meta.options)
    .map(([k, v]) => `--${k} ${v}`)
    .join(" ") || "no --label or DICOM options";

/** What the parts must share: [what differs, the key compared, how a group of parts is named]. */
const SAME_RUN: [string, (p: PartScan) => string, (p: PartScan) => string][] = [
  [
    "different batch files",
    (p) => `${p.meta.batchSha256} ${p.meta.cases}`,
    (p) => `${p.meta.batch}, ${short(p.meta.batchSha256)}`,
  ],
  [
    "different parameter files",
    (p) => p.meta.paramsSha256 ?? "",
    (p) => (p.meta.params ? `${p.meta.params}, ${short(p.meta.paramsSha256)}` : "no -p: defaults"),
  ],
  ["extractions with different options", optionText, optionText],
  ["different radscore versions", (p) => p.meta.radscore, (p) => p.meta.radscore],
  ["different shard counts", (p) => String(p.shard.count), (p) => `--shard ${p.meta.shard}`],
];

/** Throws naming the files (grouped) when the parts disagree on any of SAME_RUN. */
function checkSameRun(parts: PartScan[]): void {
  for (const [what, key, describe] of SAME_RUN) {
    const groups = new Map<string, PartScan[]>();
    for (const p of parts) {
      const group = groups.get(key(p));
      if (group) group.push(p);
      else groups.set(key(p), [p]);
    }
    if (groups.size < 2) continue;
    const list = [...groups.values()].map(
      (g) => `${g.map((p) => p.path).join(", ")} (${describe(g[0]!)})`,
    );
    throw new Error(`the parts come from ${what}: ${list.join(" vs ")}`);
  }
}

/** At most `max` items, then how many more. */
function listSome(items: string[], max = 10): string {
  const shown = items.slice(0, max).join(", ");
  return items.length > max ? `${shown}, ... (${items.length - max} more)` : shown;
}

/** The batch file's case IDs (as extract names them), or null when it is gone or changed. */
async function batchIds(meta: PartMeta): Promise<string[] | null> {
  try {
    const bytes = await readFileFor(meta.batch, "batch file");
    if (sha256(bytes) !== meta.batchSha256) return null;
    const table = parseCsv(await readTextFile(meta.batch, "batch file"), meta.batch);
    return table.header.includes("ID")
      ? csvColumn(table, "ID", meta.batch)
      : table.rows.map((_, k) => String(k + 1));
  } catch {
    return null;
  }
}

/** Which part holds each case (-1: none), each case's ID and error; throws on a case held twice. */
function assignCases(parts: PartScan[], total: number) {
  const owner = new Int32Array(total).fill(-1);
  const ids: string[] = new Array(total);
  const errors: string[] = new Array(total);
  const duplicates = new Map<number, string[]>();
  parts.forEach((part, p) => {
    for (const c of part.cases) {
      if (owner[c.k]! >= 0) {
        const files = duplicates.get(c.k) ?? [parts[owner[c.k]!]!.path];
        duplicates.set(c.k, [...files, part.path]);
      }
      owner[c.k] = p;
      ids[c.k] = c.id;
      errors[c.k] = c.error;
    }
  });
  if (duplicates.size > 0) {
    const list = [...duplicates]
      .sort(([a], [b]) => a - b)
      .map(([k, files]) => `${ids[k]} (row ${k + 2}) in ${files.join(" and ")}`);
    throw new Error(`cases in more than one part: ${listSome(list)}`);
  }
  return { owner, ids, errors };
}

/** Throws naming the cases (ID and row) that no part holds, and the shards to extract again. */
async function checkComplete(owner: Int32Array, meta: PartMeta, shard: Shard): Promise<void> {
  const missing: number[] = [];
  for (let k = 0; k < owner.length; k++) if (owner[k] === -1) missing.push(k);
  if (missing.length === 0) return;
  const known = await batchIds(meta);
  const names = missing.map((k) => `${known ? known[k] : "?"} (row ${k + 2})`);
  const shards = [...new Set(missing.map((k) => `${(k % shard.count) + 1}/${shard.count}`))];
  throw new Error(
    `${missing.length} case(s) of ${meta.batch} in no part: ${listSome(names)}; ` +
      `no part file for --shard ${listSome(shards)}` +
      (known ? "" : " (IDs unknown: the batch file is gone or changed)"),
  );
}

/**
 * The merged columns: the first extracted case's, as in the batch, i.e. the columns of the part
 * holding it (its first case). Per part: null when its columns are these, else each column's
 * cell index in the part (a part whose first case had other features than the batch's first).
 */
function mergedColumns(parts: PartScan[]) {
  let first: PartScan | null = null;
  let firstK = Number.POSITIVE_INFINITY;
  for (const part of parts) {
    const k = part.cases.find((c) => c.error === "")?.k;
    if (k !== undefined && k < firstK) [first, firstK] = [part, k];
  }
  const header = first?.features ?? [];
  const names = new Set(header);
  const extraNames = new Set<string>();
  const cellMaps = parts.map((part) => {
    for (const name of part.features) if (!names.has(name)) extraNames.add(name);
    if (part.features.length === header.length && part.features.every((n, j) => n === header[j]))
      return null;
    const index = new Map(part.features.map((n, j) => [n, j]));
    return header.map((n) => index.get(n));
  });
  return { header, cellMaps, extraNames };
}

export interface MergeOptions {
  output?: string;
}

/**
 * `radscore merge PART... [-o OUT]`: checks the parts, then writes the batch's CSV reading every
 * part again, record by record (memory holds the cases' IDs and errors, not their features).
 * Exit code 1 when any case failed, as a batch's.
 */
export async function runMerge(paths: string[], opts: MergeOptions): Promise<number> {
  if (opts.output && paths.some((p) => resolve(p) === resolve(opts.output!)))
    throw new Error(`-o ${opts.output} is one of the part files`);
  const parts = paths.map(scanPart);
  checkSameRun(parts);
  const { meta, shard } = parts[0]!;
  const total = meta.cases;
  const { owner, ids, errors } = assignCases(parts, total);
  await checkComplete(owner, meta, shard);
  const { header, cellMaps, extraNames } = mergedColumns(parts);
  const writer = opts.output ? openAtomicWriter(opts.output) : null;
  const write = (text: string) => (writer ? writer.write(text) : process.stdout.write(text));
  let written = 0;
  try {
    write(`${formatCsvLine(["ID", "Image", "Mask", ...header])}\n`);
    const readers = parts.map((part) => openPartFile(part.path).reader);
    const lead = LEAD_COLUMNS.length;
    for (let k = 0; k < total; k++) {
      if (errors[k] !== "") continue;
      // The part's next extracted case is case k (the parts list them in the batch's order).
      const p = owner[k]!;
      let fields = readers[p]!.record();
      while (fields && fields[1] !== "") fields = readers[p]!.record();
      if (!fields || Number(fields[0]) !== k + 2)
        throw new Error(`${parts[p]!.path} changed while it was merged`);
      const map = cellMaps[p];
      const cells = map
        ? [
            ...fields.slice(lead, lead + 3),
            ...map.map((j) => (j === undefined ? null : fields[lead + 3 + j]!)),
          ]
        : fields.slice(lead);
      write(`${formatCsvLine(cells)}\n`);
      written++;
    }
    await writer?.commit();
  } catch (error) {
    await writer?.abort();
    throw error;
  }
  if (extraNames.size > 0)
    process.stderr.write(
      `warning: ${extraNames.size} feature(s) of later cases are not in the first case's columns and were left out: ${listSome([...extraNames], 5)}\n`,
    );
  const failed = [...errors.keys()].filter((k) => errors[k] !== "");
  process.stderr.write(
    `merged ${written} of ${total} case(s) from ${parts.length} part(s); ${failed.length} failed\n`,
  );
  for (const k of failed) process.stderr.write(`  failed ${ids[k]}: ${errors[k]}\n`);
  return failed.length > 0 ? 1 : 0;
}
