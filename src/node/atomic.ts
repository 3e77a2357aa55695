/** Atomic file output: write a temporary file beside the target, then rename it into place. */
import { closeSync, openSync, writeSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let temporaryCount = 0;

/**
 * Writes `content` to `path` atomically: a temporary file in the same folder (named by process id,
 * a counter and the time, created exclusively so that it never replaces another file) renamed over
 * `path`; on failure the temporary file is removed and nothing is left at `path`.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const unique = `${process.pid}.${++temporaryCount}.${Date.now().toString(36)}`;
  const tmp = join(dirname(path), `.${basename(path)}.${unique}.tmp`);
  try {
    if (typeof content === "string" || content instanceof Uint8Array) {
      await writeFile(tmp, content, { flag: "wx" });
    } else {
      // Parts one after the other (e.g. an image header and a view of its voxels): no joined copy.
      // Written synchronously: large sequential writes gain nothing from the thread pool, and each
      // asynchronous write costs a round trip to it.
      const fd = openSync(tmp, "wx");
      try {
        for (const part of content) {
          // A write may take fewer bytes than given: go on until the part is complete.
          let done = 0;
          while (done < part.byteLength) done += writeSync(fd, part, done, part.byteLength - done);
        }
      } finally {
        closeSync(fd);
      }
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
