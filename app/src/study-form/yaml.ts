/**
 * study.yaml import and export in the app: the YAML read as the CLI reads it (js-yaml, YAML 1.2
 * core schema) and written as the demo writes it (js-yaml dump, long lines kept). DOM-free.
 */
import yaml from "js-yaml";
import { StudyConfigError, validateStudyConfig } from "../../../src/study/config.js";
import { isMapping, type RawStudyConfig } from "./raw.js";
import { schemaKeys } from "./schema.js";
import { CONFIG_SOURCE } from "./validate.js";

/**
 * The raw configuration of study.yaml text (not validated: the panels show its problems). Throws
 * StudyConfigError when the text is not YAML or not a mapping of keys.
 */
export function importStudyYaml(text: string, source = CONFIG_SOURCE): RawStudyConfig {
  let raw: unknown;
  try {
    raw = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (err) {
    throw new StudyConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  // The core's own message for a document that is not a mapping.
  if (!isMapping(raw)) validateStudyConfig(raw, source);
  return raw as RawStudyConfig;
}

/** A copy without undefined values (which YAML cannot write). */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (!isMapping(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out;
}

/** study.yaml text of a raw configuration, its top-level sections in the schema's order. */
export function exportStudyYaml(raw: RawStudyConfig): string {
  const order = schemaKeys([]);
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : order.length);
  const keys = Object.keys(raw).sort((a, b) => rank(a) - rank(b));
  const ordered: Record<string, unknown> = {};
  for (const k of keys) if (raw[k] !== undefined) ordered[k] = withoutUndefined(raw[k]);
  return yaml.dump(ordered, { lineWidth: -1 });
}
