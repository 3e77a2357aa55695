/** File-system edge: load images from paths (Node only; the core never imports this). */
import { readFile } from "node:fs/promises";
import type { Volume } from "../image/volume.js";
import { readNrrd } from "../io/nrrd.js";

export async function readImageFile(path: string): Promise<Volume> {
  const bytes = new Uint8Array(await readFile(path));
  return readNrrd(bytes, path);
}
