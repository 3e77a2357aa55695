/**
 * What the form reads from the zod schema of study.yaml (src/study/config.ts), so that the fields
 * offer exactly the schema's enum values and show its documented defaults. DOM-free.
 */
import { studyConfigSchema } from "../../../src/study/config.js";
import type { RawPath } from "./raw.js";

// biome-ignore lint/suspicious/noExplicitAny: walking zod's internal schema tree
type AnySchema = any;

function defOf(schema: AnySchema): AnySchema {
  return schema?._zod?.def ?? schema?.def;
}

/** Unwraps default / prefault / optional / nullable wrappers. */
function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let i = 0; i < 10 && s; i++) {
    const def = defOf(s);
    if (def?.innerType) s = def.innerType;
    else return s;
  }
  return s;
}

/** The (still wrapped) schema at `path`; a record's value schema for any key; null if none. */
export function schemaAt(path: RawPath): AnySchema | null {
  let s: AnySchema = studyConfigSchema;
  for (const key of path) {
    const def = defOf(unwrap(s));
    if (!def) return null;
    if (def.type === "object") s = def.shape[key];
    else if (def.type === "record") s = def.valueType;
    else return null;
    if (!s) return null;
  }
  return s;
}

/** The enum values of the key at `path` (e.g. preprocessing.scaler), in the schema's order. */
export function enumOptions(path: RawPath): string[] {
  const def = defOf(unwrap(schemaAt(path)));
  if (def?.type !== "enum") return [];
  return Object.values(def.entries as Record<string, string>).map(String);
}

/** The documented default of the key at `path` (what the schema fills in when it is absent). */
export function schemaDefault(path: RawPath): unknown {
  const s = schemaAt(path);
  if (!s) return undefined;
  const r = s.safeParse(undefined);
  return r.success ? r.data : undefined;
}

/** The keys of the object schema at `path` in the schema's order (top level: []). */
export function schemaKeys(path: RawPath): string[] {
  const def = defOf(unwrap(schemaAt(path)));
  return def?.type === "object" ? Object.keys(def.shape) : [];
}
