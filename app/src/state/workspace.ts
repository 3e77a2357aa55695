/**
 * The workspace: what the user opened and set up (data source, study configuration, manifest),
 * the masks drawn in the app and the last results. Kept in IndexedDB (state/idb.ts) and restored
 * on reload; "clear workspace" deletes all of it.
 */
import type { Volume } from "../../../src/image/volume.js";
import { clearAll, deleteItem, getItem, keysOf, putItem } from "./idb.js";

export type DataSource = { kind: "demo"; seed: number } | { kind: "folder"; name: string } | null;

export interface WorkspaceRecord {
  version: 1;
  source: DataSource;
  /** study.yaml as a plain object (edited by the study form). */
  configRaw: Record<string, unknown> | null;
  /** Where study.yaml sits in the opened folder: its relative paths (parameters) start there. */
  configName: string;
  manifest: { name: string; text: string } | null;
  /** Output files of the last finished run, by name. */
  results: Record<string, string> | null;
  updatedAt: string;
}

const KEY = "current";

export function emptyWorkspace(): WorkspaceRecord {
  return {
    version: 1,
    source: null,
    configRaw: null,
    configName: "study.yaml",
    manifest: null,
    results: null,
    updatedAt: "",
  };
}

export async function loadWorkspace(): Promise<WorkspaceRecord> {
  const record = await getItem<WorkspaceRecord>("workspace", KEY);
  return record && record.version === 1 ? { ...emptyWorkspace(), ...record } : emptyWorkspace();
}

export async function saveWorkspace(record: WorkspaceRecord): Promise<void> {
  record.updatedAt = new Date().toISOString();
  await putItem("workspace", KEY, record);
}

/** Files of an opened folder, by '/'-separated path relative to the folder. */
export async function saveFiles(files: ReadonlyMap<string, File>): Promise<void> {
  for (const key of await keysOf("files")) await deleteItem("files", key);
  for (const [path, file] of files) await putItem("files", path, file);
}

export async function loadFiles(): Promise<Map<string, File>> {
  const out = new Map<string, File>();
  for (const key of await keysOf("files")) {
    const file = await getItem<File>("files", key);
    if (file) out.set(key, file);
  }
  return out;
}

export async function saveMask(key: string, mask: Volume<Uint8Array>): Promise<void> {
  await putItem("masks", key, mask);
}

export async function loadMasks(): Promise<Map<string, Volume<Uint8Array>>> {
  const out = new Map<string, Volume<Uint8Array>>();
  for (const key of await keysOf("masks")) {
    const mask = await getItem<Volume<Uint8Array>>("masks", key);
    if (mask) out.set(key, mask);
  }
  return out;
}

export async function clearWorkspace(): Promise<void> {
  await clearAll();
}
