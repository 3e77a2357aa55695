/**
 * Format dispatch for the browser-safe image readers and writers. The format is recognised from
 * the bytes first (NRRD magic, NIfTI sizeof_hdr 348/540 - also inside gzip -, MetaImage
 * `Key = Value` text) and from the file name's extension otherwise.
 */
import type { Volume } from "../image/volume.js";
import { isGzip } from "./gzip.js";
import { ImageReadError, ImageWriteError, type ResolveDataFile } from "./image-error.js";
import { readMetaImage } from "./metaimage.js";
import { readNifti } from "./nifti.js";
import { readNrrd } from "./nrrd.js";
import { metaImageParts, writeMetaImage } from "./write-metaimage.js";
import { niftiParts, writeNifti } from "./write-nifti.js";
import { writeNrrd } from "./write-nrrd.js";

export type ImageFormat = "nrrd" | "nifti" | "metaimage";

/** Guesses the format from the first bytes, then the name; undefined when neither tells. */
export async function detectImageFormat(
  bytes: Uint8Array,
  name: string,
): Promise<ImageFormat | undefined> {
  const lower = name.toLowerCase();
  if (bytes.length >= 7 && String.fromCharCode(...bytes.subarray(0, 7)) === "NRRD000")
    return "nrrd";
  if (/\.(nii|hdr|img)(\.gz)?$/.test(lower)) return "nifti";
  if (bytes.length >= 4) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = v.getInt32(0, true);
    const be = v.getInt32(0, false);
    if ([348, 540].includes(le) || [348, 540].includes(be)) return "nifti";
  }
  if (isGzip(bytes) && !/\.(nrrd|nhdr|mha|mhd)$/.test(lower)) return "nifti";
  const head = String.fromCharCode(...bytes.subarray(0, Math.min(bytes.length, 256)));
  if (/^\s*(ObjectType|NDims|Comment|ObjectSubType|TransformType)\s*=/i.test(head))
    return "metaimage";
  if (/\.(nrrd|nhdr)$/.test(lower)) return "nrrd";
  if (/\.(mha|mhd)$/.test(lower)) return "metaimage";
  return undefined;
}

/**
 * Reads NRRD (.nrrd/.nhdr), NIfTI-1/2 (.nii, .nii.gz, .hdr/.img) or MetaImage (.mha/.mhd) bytes
 * into a Volume with the geometry and voxel type SimpleITK would give. `name` is used for format
 * detection and in error messages; `resolve` loads detached data files by header-relative name.
 */
export async function readImage(
  bytes: Uint8Array,
  name: string,
  resolve?: ResolveDataFile,
): Promise<Volume> {
  const format = await detectImageFormat(bytes, name);
  if (format === "nrrd") return readNrrd(bytes, name, resolve);
  if (format === "nifti") return readNifti(bytes, name, resolve);
  if (format === "metaimage") return readMetaImage(bytes, name, resolve);
  if (bytes.length === 0) throw new ImageReadError(name, "empty file");
  throw new ImageReadError(
    name,
    "unrecognised image format (expected NRRD .nrrd/.nhdr, NIfTI .nii/.nii.gz/.hdr or MetaImage .mha/.mhd)",
  );
}

export interface WriteImageOptions {
  /** NRRD only: "gzip" (default) or "raw". */
  encoding?: "gzip" | "raw";
}

/** Serialises a volume in the format named by `name`'s extension (.nrrd, .nii, .nii.gz, .mha). */
export async function writeImage(
  volume: Volume,
  name: string,
  options: WriteImageOptions = {},
): Promise<Uint8Array> {
  const lower = name.toLowerCase();
  if (lower.endsWith(".nrrd")) {
    return writeNrrd(volume, {
      file: name,
      ...(options.encoding ? { encoding: options.encoding } : {}),
    });
  }
  if (lower.endsWith(".nii.gz")) return writeNifti(volume, { file: name, compress: true });
  if (lower.endsWith(".nii")) return writeNifti(volume, { file: name });
  if (lower.endsWith(".mha")) return writeMetaImage(volume, { file: name });
  throw new ImageWriteError(name, "unsupported output format (use .nrrd, .nii, .nii.gz or .mha)");
}

/**
 * The file `writeImage` would write, as parts to be written one after the other: for uncompressed
 * NIfTI and MetaImage the header and a view of the voxels (nothing copied, so writing a large
 * volume needs no second volume-sized buffer); otherwise the one serialised file.
 */
export async function writeImageParts(
  volume: Volume,
  name: string,
  options: WriteImageOptions = {},
): Promise<Uint8Array[]> {
  const lower = name.toLowerCase();
  if (lower.endsWith(".nii")) return niftiParts(volume, { file: name });
  if (lower.endsWith(".mha")) return metaImageParts(volume, { file: name });
  return [await writeImage(volume, name, options)];
}
