/** Atomic file output: write a temporary file beside the target, then rename it into place. */
import { closeSync, openSync, writeSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

let temporaryCount = 0;

function temporaryPath(path: string): string {
  const unique = `${process.pid}.${++temporaryCount}.${Date.now().toString(36)}`;
  return join(dirname(path), `.${basename(path)}.${unique}.tmp`);
}

/** A file written piece by piece that appears at its path only when committed (see below). */
export interface AtomicWriter {
  write(text: string): void;
  /** Renames the finished file into place. */
  commit(): Promise<void>;
  /** Removes the temporary file; nothing is left at the path. */
  abort(): Promise<void>;
}

/**
 * Streams a file to a temporary file beside `path` (created exclusively) and renames it into
 * place on commit, so that output of any length is written in constant memory and a failed or
 * interrupted run leaves nothing at `path`.
 */
export function openAtomicWriter(path: string): AtomicWriter {
  const tmp = temporaryPath(path);
  const fd = openSync(tmp, "wx");
  let open = true;
  const close = () => {
    if (open) closeSync(fd);
    open = false;
  };
  return {
    write(text: string) {
      const bytes = Buffer.from(text, "utf8");
      let done = 0;
      while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    },
    async commit() {
      close();
      await rename(tmp, path);
    },
    async abort() {
      close();
      await rm(tmp, { force: true });
    },
  };
}

/**
 * Writes `content` to `path` atomically: a temporary file in the same folder (named by process id,
 * a counter and the time, created exclusively so that it never replaces another file) renamed over
 * `path`; on failure the temporary file is removed and nothing is left at `path`.
 */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array | readonly Uint8Array[],
): Promise<void> {
  const tmp = temporaryPath(path);
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
