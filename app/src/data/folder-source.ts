/**
 * A study's inputs from an opened folder, resolved as the CLI resolves them: manifest cells
 * relative to the manifest, other paths (parameters, feature tables) relative to study.yaml. An
 * image cell naming a folder is a DICOM series folder (all files under it, in name order).
 */
import type { StudySource } from "../study/run.js";
import { type FileSet, resolvePath } from "./files.js";

export function folderSource(
  files: FileSet,
  manifestName: string,
  configName: string,
): StudySource {
  const find = (base: string, path: string, what: string): { name: string; file: File } => {
    const rel = resolvePath(base, path);
    const file = files.get(rel);
    if (file) return { name: rel, file };
    throw new Error(`${what} '${path}' is not in the opened folder`);
  };
  const folder = (rel: string) =>
    [...files.keys()]
      .filter((k) => k.startsWith(`${rel}/`))
      .sort()
      .map((name) => ({ name, file: files.get(name)! }));
  return {
    image: (patient, sequence, path, selector) => {
      const rel = resolvePath(manifestName, path);
      const inFolder = files.has(rel) ? [] : folder(rel);
      if (inFolder.length > 0) return { kind: "dicom", name: rel, files: inFolder, selector };
      const given = Object.entries(selector).filter(([, v]) => v !== undefined);
      if (given.length > 0)
        throw new Error(
          `patient '${patient}': ${sequence} image '${path}': series / volume selectors (${given.map(([k]) => k).join(", ")}) apply to DICOM folders only`,
        );
      return {
        kind: "file",
        ...find(manifestName, path, `patient '${patient}': ${sequence} image`),
      };
    },
    mask: (patient, sequence, reader, path, selector) => ({
      kind: "file",
      ...find(
        manifestName,
        path,
        `patient '${patient}': ${sequence} ${reader === 2 ? "second-reader mask" : "mask"}`,
      ),
      selector,
    }),
    text: async (path, what) => find(configName, path, what).file.text(),
    defaultParams: () => null,
  };
}
