/**
 * The IBSI-1 CT radiomics phantom as DICOM (60 CT slices + an RTSTRUCT, ROI "GTV-1") against the
 * same phantom as NIfTI image and voxel mask, the IBSI's own conversion (ibsi1_phantoms/SOURCE.md:
 * 204 x 201 x 60, 0.977 x 0.977 x 3 mm, 125256 ROI voxels): the series read here must equal the
 * NIfTI image voxel for voxel on the same grid, and the rasterised RTSTRUCT the NIfTI mask.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseDicom } from "../src/io/dicom/parse.js";
import { rasteriseRtstruct } from "../src/io/dicom/rtstruct.js";
import { readDicomVolume } from "../src/node/dicom-files.js";
import { readImageFile } from "../src/node/files.js";
import { missingReference, referenceDir } from "./support/reference.js";

const ref = referenceDir();

test("IBSI CT phantom: DICOM series equals the NIfTI image, RTSTRUCT equals the NIfTI mask", async (t) => {
  if (!ref) return t.skip(missingReference("IBSI CT phantom DICOM"));
  const base = join(ref, "ibsi", "ibsi1_phantoms", "ibsi_1_ct_radiomics_phantom");
  const { volume } = await readDicomVolume(join(base, "dicom", "image"));
  const image = await readImageFile(join(base, "nifti", "image", "phantom.nii.gz"));
  const mask = await readImageFile(join(base, "nifti", "mask", "mask.nii.gz"));
  assert.deepEqual(volume.size, [204, 201, 60]);
  assert.deepEqual(volume.size, image.size);
  // NIfTI holds float32 geometry: equal within float32 precision of the DICOM decimal strings.
  for (let a = 0; a < 3; a++) {
    assert.ok(Math.abs(volume.origin[a]! - image.origin[a]!) < 1e-4);
    assert.ok(Math.abs(volume.spacing[a]! - image.spacing[a]!) < 1e-4);
  }
  for (let i = 0; i < 9; i++)
    assert.ok(Math.abs(volume.direction[i]! - image.direction[i]!) < 1e-6);
  let differ = 0;
  for (let i = 0; i < image.data.length; i++) if (volume.data[i] !== image.data[i]) differ++;
  assert.equal(differ, 0, "voxels differing from the NIfTI image");
  const rtPath = join(base, "dicom", "mask", "DCM_RS_00060.dcm");
  const rt = parseDicom(new Uint8Array(readFileSync(rtPath)), rtPath);
  const { data: _data, ...grid } = volume;
  const ours = rasteriseRtstruct(rt, grid, { roi: "GTV-1" });
  let both = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < mask.data.length; i++) {
    const x = ours.mask.data[i]! > 0;
    const y = mask.data[i]! > 0;
    if (x) a++;
    if (y) b++;
    if (x && y) both++;
  }
  console.log(
    `IBSI CT phantom RTSTRUCT: ${a} voxels (reference ${b}), Dice ${((2 * both) / (a + b)).toFixed(6)}`,
  );
  assert.equal(b, 125256);
  assert.equal(a, b);
  assert.equal(both, b);
});
