/**
 * Opening a folder without uploading it: the File System Access API's directory picker where the
 * browser has it, a directory <input> otherwise, or a folder dropped on the page. Files are read
 * lazily (a File is a handle on the local file); paths are '/'-separated and relative to the
 * opened folder.
 */

export type FileSet = Map<string, File>;

interface DirectoryHandle {
  kind: "directory";
  name: string;
  values(): AsyncIterable<DirectoryHandle | FileHandle>;
}
interface FileHandle {
  kind: "file";
  name: string;
  getFile(): Promise<File>;
}

async function walkHandle(dir: DirectoryHandle, prefix: string, out: FileSet): Promise<void> {
  for await (const entry of dir.values()) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.kind === "file") out.set(path, await entry.getFile());
    else await walkHandle(entry, path, out);
  }
}

/** Whether the browser offers the directory picker (Chromium-based browsers). */
export function hasDirectoryPicker(): boolean {
  return (
    typeof (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker ===
    "function"
  );
}

/** Asks for a folder with the directory picker; null when the user cancels. */
export async function pickFolder(): Promise<{ name: string; files: FileSet } | null> {
  const picker = (
    window as unknown as { showDirectoryPicker: (o?: unknown) => Promise<DirectoryHandle> }
  ).showDirectoryPicker;
  let dir: DirectoryHandle;
  try {
    dir = await picker({ mode: "read" });
  } catch (error) {
    if ((error as Error).name === "AbortError") return null;
    throw error;
  }
  const files: FileSet = new Map();
  await walkHandle(dir, "", files);
  return { name: dir.name, files };
}

/** The files of a directory <input webkitdirectory> (their paths start with the folder's name). */
export function filesFromInput(list: FileList): { name: string; files: FileSet } {
  const files: FileSet = new Map();
  let name = "";
  for (const file of Array.from(list)) {
    const rel = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
    const parts = rel.split("/");
    if (parts.length > 1) {
      name ||= parts[0]!;
      files.set(parts.slice(1).join("/"), file);
    } else files.set(rel, file);
  }
  return { name: name || "files", files };
}

interface Entry {
  isFile: boolean;
  isDirectory: boolean;
  name: string;
  file?(ok: (f: File) => void, err: (e: unknown) => void): void;
  createReader?(): { readEntries(ok: (e: Entry[]) => void, err: (e: unknown) => void): void };
}

async function walkEntry(entry: Entry, prefix: string, out: FileSet): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile && entry.file) {
    out.set(path, await new Promise<File>((ok, err) => entry.file!(ok, err)));
  } else if (entry.isDirectory && entry.createReader) {
    const reader = entry.createReader();
    // readEntries returns a batch at a time; an empty batch ends the folder.
    for (;;) {
      const batch = await new Promise<Entry[]>((ok, err) => reader.readEntries(ok, err));
      if (batch.length === 0) break;
      for (const e of batch) await walkEntry(e, path, out);
    }
  }
}

/** The files of a drop: one folder (paths relative to it) or loose files. */
export async function filesFromDrop(data: DataTransfer): Promise<{ name: string; files: FileSet }> {
  const entries: Entry[] = [];
  for (const item of Array.from(data.items)) {
    const entry = item.webkitGetAsEntry?.() as unknown as Entry | null | undefined;
    if (entry) entries.push(entry);
  }
  const files: FileSet = new Map();
  if (entries.length === 1 && entries[0]!.isDirectory) {
    const dir = entries[0]!;
    const inner: FileSet = new Map();
    await walkEntry(dir, "", inner);
    for (const [path, file] of inner) files.set(path.slice(dir.name.length + 1), file);
    return { name: dir.name, files };
  }
  if (entries.length > 0) {
    for (const e of entries) await walkEntry(e, "", files);
  } else {
    for (const file of Array.from(data.files)) files.set(file.name, file);
  }
  return { name: "dropped files", files };
}

/** Joins a manifest-relative path onto the manifest's folder and normalises '.' and '..'. */
export function resolvePath(base: string, path: string): string {
  const clean = path.replace(/\\/g, "/");
  const parts = clean.startsWith("/") ? [] : base.split("/").slice(0, -1);
  for (const part of clean.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") parts.pop();
    else parts.push(part);
  }
  return parts.join("/");
}
