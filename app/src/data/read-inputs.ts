/**
 * Reading an opened image or mask in the page or a worker, with the pure core's readers: NRRD,
 * NIfTI and MetaImage files; DICOM series folders (series / volume selectors as in study.yaml);
 * DICOM-SEG and RTSTRUCT masks decoded onto the image's grid. The DICOM codecs' WebAssembly files
 * are served beside the scripts (dist/app/codecs/).
 */
import type { Volume } from "../../../src/image/volume.js";
import { isDicom } from "../../../src/io/dicom/detect.js";
import type { SeriesPlan } from "../../../src/io/dicom/series.js";
import { ImageReadError } from "../../../src/io/image-error.js";
import { readImage } from "../../../src/io/read-image.js";
import type { ImageSpec, MaskSpec } from "../workers/protocol.js";

/**
 * The DICOM readers (dcmjs and the codecs' glue, most of the app's code by size), loaded on the
 * first DICOM input so that pages and workers without DICOM start faster; the codecs' .wasm
 * files are served from codecs/ beside the scripts.
 */
let dicomModules: Promise<{
  case: typeof import("../../../src/io/dicom/case.js");
  parse: typeof import("../../../src/io/dicom/parse.js");
}> | null = null;
function dicomReaders() {
  dicomModules ??= Promise.all([
    import("../../../src/io/dicom/case.js"),
    import("../../../src/io/dicom/parse.js"),
    import("../../../src/io/dicom/codecs.js"),
  ]).then(([caseModule, parse, codecs]) => {
    const base = new URL("codecs/", self.location.href);
    codecs.configureCodecs({ locateWasm: (file) => new URL(file.split("/").pop()!, base).href });
    return { case: caseModule, parse };
  });
  return dicomModules;
}

export interface ReadImage {
  volume: Volume;
  /** The series plan when the image came from DICOM (SEG frames are placed by it). */
  plan?: SeriesPlan;
}

export async function bytesOf(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/** How a file's bytes are read (a job passes one that reads each file once). */
export type ReadBytes = (file: Blob) => Promise<Uint8Array>;

/**
 * A reader that reads each file once however often it is asked (an extraction job hashes a file,
 * then decodes it). Its lifetime is the caller's: one job, not the page (the page keeps its opened
 * files, whose bytes must not stay in memory).
 */
export function readOnce(): ReadBytes {
  const read = new WeakMap<Blob, Promise<Uint8Array>>();
  return (file) => {
    let bytes = read.get(file);
    if (!bytes) {
      bytes = bytesOf(file);
      read.set(file, bytes);
    }
    return bytes;
  };
}

/** An opened image file or DICOM folder (not the demo's, which the worker generates). */
export async function readImageSpec(
  spec: Exclude<ImageSpec, { kind: "demo" }>,
  bytes: ReadBytes = bytesOf,
): Promise<ReadImage> {
  if (spec.kind === "file") return { volume: await readImage(await bytes(spec.file), spec.name) };
  const dicom = await dicomReaders();
  const files = [];
  for (const f of spec.files) files.push({ name: f.name, bytes: await bytes(f.file) });
  const folder = dicom.case.parseDicomFiles(spec.name, files);
  const plan = dicom.case.seriesIn(folder, spec.selector);
  return { volume: await dicom.case.loadSelectedVolume(plan, spec.selector), plan };
}

/** A mask for an image: an image file as read, or a SEG / RTSTRUCT decoded onto the image's grid. */
export async function readMaskSpec(
  spec: Exclude<MaskSpec, { kind: "demo" }>,
  image: ReadImage,
  read: ReadBytes = bytesOf,
): Promise<Volume> {
  if (spec.kind === "volume") return spec.volume;
  const bytes = await read(spec.file);
  if (isDicom(bytes)) {
    const dicom = await dicomReaders();
    return dicom.case.maskFromDicomObject(
      dicom.parse.parseDicom(bytes, spec.name),
      { grid: dicom.case.gridOf(image.volume), ...(image.plan ? { plan: image.plan } : {}) },
      spec.selector ?? {},
    );
  }
  if (spec.selector && (spec.selector.segment !== undefined || spec.selector.roi !== undefined))
    throw new ImageReadError(spec.name, "segment / roi apply to DICOM-SEG and RTSTRUCT masks only");
  return readImage(bytes, spec.name);
}
