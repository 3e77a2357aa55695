/**
 * A job's identity: the SHA-256 of everything that determines its feature values (the image's
 * bytes, the mask's bytes, the label, the parameter file's text, the radscore version). It is the
 * BullMQ job id, so a case submitted twice (in one run or in two) is one job, computed once, and a
 * rerun after a finished run finds every result already there.
 *
 * Paths are not part of it (the same files under another path are the same case). A detached
 * header (.mhd, .nhdr) is hashed alone, not its data file; files must not change while a run is in
 * flight.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { VERSION } from "../../version.js";
import { readFileBytes } from "../files.js";

const sha256 = () => createHash("sha256");

/** SHA-256 (hex) of a text. */
export function textSha256(text: string): string {
  return sha256().update(text, "utf8").digest("hex");
}

/**
 * SHA-256 (hex) of a file's bytes, streamed. An unreadable file is the error a local extraction
 * reports for it (the image reader's "PATH: file not found", ...), so that both modes say the same.
 */
export async function fileSha256(path: string): Promise<string> {
  try {
    return await new Promise((resolve, reject) => {
      const hash = sha256();
      createReadStream(path)
        .on("data", (chunk) => hash.update(chunk))
        .on("error", reject)
        .on("end", () => resolve(hash.digest("hex")));
    });
  } catch (err) {
    // Read it as an extraction would, for that error; should it read now, the first error stands.
    await readFileBytes(path);
    throw err;
  }
}

export interface CaseFingerprint {
  imageSha256: string;
  maskSha256: string;
  label: number | undefined;
  /** SHA-256 of the parameter file's text; null for PyRadiomics' defaults. */
  paramsSha256: string | null;
  version?: string;
}

/** The job id of a case: SHA-256 (hex) of its fingerprint's fields, each on a line of its own. */
export function jobIdentity(c: CaseFingerprint): string {
  const fields = [
    "radscore extraction job 1",
    `version ${c.version ?? VERSION}`,
    `image ${c.imageSha256}`,
    `mask ${c.maskSha256}`,
    `label ${c.label ?? "from parameters"}`,
    `parameters ${c.paramsSha256 ?? "defaults"}`,
  ];
  return sha256().update(fields.join("\n"), "utf8").digest("hex");
}
