/**
 * The raw (unvalidated) study configuration, as YAML gives it, and immutable path edits on it.
 * DOM-free: the panels and the tests share it.
 */

/** The raw (unvalidated) study configuration object, as YAML would give it. */
export type RawStudyConfig = Record<string, unknown>;

export type RawPath = readonly string[];

/** A plain object (a YAML mapping), not an array or null. */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The value at `path` (undefined when any step is absent or not a mapping). */
export function getIn(raw: unknown, path: RawPath): unknown {
  let v: unknown = raw;
  for (const key of path) {
    if (!isMapping(v)) return undefined;
    v = v[key];
  }
  return v;
}

/**
 * A copy of `raw` with `value` at `path` (copies the mappings along the path only). `undefined`
 * removes the key, and then any mapping left empty by the removal (below the top level), so
 * that the schema's defaults apply again.
 */
export function setIn(raw: RawStudyConfig, path: RawPath, value: unknown): RawStudyConfig {
  if (path.length === 0) return raw;
  const [key, ...rest] = path as [string, ...string[]];
  const out: RawStudyConfig = { ...raw };
  if (rest.length === 0) {
    if (value === undefined) delete out[key];
    else out[key] = value;
    return out;
  }
  const child = isMapping(raw[key]) ? (raw[key] as RawStudyConfig) : {};
  if (value === undefined && !isMapping(raw[key])) return raw;
  const next = setIn(child, rest, value);
  if (value === undefined && Object.keys(next).length === 0) delete out[key];
  else out[key] = next;
  return out;
}

/** A copy of the mapping at `path` with key `from` renamed `to`, keeping the key order. */
export function renameIn(
  raw: RawStudyConfig,
  path: RawPath,
  from: string,
  to: string,
): RawStudyConfig {
  const m = getIn(raw, path);
  if (!isMapping(m) || from === to || !(from in m)) return raw;
  const renamed: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) {
    if (k === to) continue;
    renamed[k === from ? to : k] = v;
  }
  return setIn(raw, path, renamed);
}

/** Items of a comma-separated list (trimmed, empty items dropped). */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A list value as comma-separated text (non-lists as their text). */
export function joinList(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(", ");
  return value === undefined || value === null ? "" : String(value);
}

/**
 * A number typed into a field: "" = unset (undefined), a finite number as a number, anything
 * else kept as the text so that validation names it (the schema expects a number).
 */
export function parseNumberText(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}
