/**
 * What `radscore extract` needs only for DICOM inputs, bundled apart (dist/cli/extract-dicom.cjs,
 * see scripts/bundle-cli.mjs): the DICOM readers and dcmjs are most of the command's code by
 * size, and a cold extraction of an NRRD or NIfTI case should not load them.
 */
export { selectorFrom } from "./dicom.js";
export { readDicomCase } from "../node/image-inputs.js";
