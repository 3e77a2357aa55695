/** Names of the files the viewer offers for download (pure). */

/** A case title as a file-name stem: "P001 T2" -> "P001_T2". */
export function fileStem(title: string): string {
  const stem = title
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/^[_.]+|_+$/g, "");
  return stem === "" ? "case" : stem;
}

/** "P001_T2_mask.nrrd" for reader 1, "P001_T2_mask_reader2.nrrd" for reader 2. */
export function maskFileName(title: string, reader: 1 | 2, extension = ".nrrd"): string {
  return `${fileStem(title)}_mask${reader === 2 ? "_reader2" : ""}${extension}`;
}

/** "P001_T2_seg.dcm" for reader 1, "P001_T2_seg_reader2.dcm" for reader 2. */
export function segFileName(title: string, reader: 1 | 2): string {
  return `${fileStem(title)}_seg${reader === 2 ? "_reader2" : ""}.dcm`;
}
