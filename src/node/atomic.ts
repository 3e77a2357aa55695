/** Atomic file output: write a temporary file beside the target, then rename it into place. */
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let temporaryCount = 0;

/**
 * Writes `content` to `path` atomically: a temporary file in the same folder (named by process id,
 * a counter and the time, created exclusively so that it never replaces another file) renamed over
 * `path`; on failure the temporary file is removed and nothing is left at `path`.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const unique = `${process.pid}.${++temporaryCount}.${Date.now().toString(36)}`;
  const tmp = join(dirname(path), `.${basename(path)}.${unique}.tmp`);
  try {
    await writeFile(tmp, content, { flag: "wx" });
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
