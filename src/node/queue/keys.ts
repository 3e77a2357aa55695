/**
 * What the queue stores in Redis besides BullMQ's own keys, and the shape of a job.
 *
 * - BullMQ's queue `extract-v<version>` under the prefix `radscore` (keys `radscore:extract-v…:*`):
 *   one queue per radscore version, so that a worker only ever computes jobs of its own version
 *   (the version is part of a job's identity, see identity.ts).
 * - `radscore:params:<sha256>`: a parameter file's text, stored once and named by its hash (jobs
 *   carry the hash, not the text, so a 10,000-case run stores its parameters once).
 * - `radscore:names:<sha256>`: a feature-name list, stored once; a job's result holds the key of
 *   its names and its values in that order.
 * - `radscore:run:<name>`: a run (a submitted batch): its cases in the batch's order with their job
 *   ids (run.ts).
 */
import { VERSION } from "../../version.js";

export const KEY_PREFIX = "radscore";

/** The BullMQ queue of this radscore version. */
export function queueName(version = VERSION): string {
  return `extract-v${version}`;
}

export const paramsKey = (sha: string) => `${KEY_PREFIX}:params:${sha}`;
export const namesKey = (sha: string) => `${KEY_PREFIX}:names:${sha}`;
export const runKey = (name: string) => `${KEY_PREFIX}:run:${name}`;

/** A job: one case. Paths are absolute (every worker must see the files at the same paths). */
export interface CaseJobData {
  image: string;
  mask: string;
  /** The case's label (batch Label column or --label); absent: the parameter file's. */
  label?: number;
  /** SHA-256 of the parameter file's text (stored at paramsKey); null: PyRadiomics' defaults. */
  params: string | null;
  /** The parameter file's path, for messages only. */
  paramsName: string | null;
}

/** A job's result: the feature values in the order of the names stored at namesKey(names). */
export interface CaseJobResult {
  names: string;
  values: (number | string)[];
}

/** JSON has no NaN or infinities: they travel as the strings formatNumber writes. */
export function encodeValue(v: number): number | string {
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
}

export function decodeValue(v: number | string): number {
  if (typeof v === "number") return v;
  if (v === "NaN") return Number.NaN;
  if (v === "Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  throw new Error(`unexpected feature value '${v}' in a queue result`);
}
