/**
 * The `radscore dicom` commands and DICOM input to `extract`, run as a user runs them (the built
 * CLI as a child process) on the reference data: `ls --json` keys and values (the data sets'
 * SOURCE.md and dcm2niix's .bval), `convert` of a multi-phase series, RTSTRUCT to mask against the
 * reference NIfTI mask, mask -> SEG -> mask round trip, and bad input: a message naming the file
 * or series and the reason, a non-zero exit code, nothing written.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { readImageFile, writeImageFile } from "../src/node/files.js";
import { missingReference, referenceDir } from "./support/reference.js";

const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const dir = mkdtempSync(join(tmpdir(), "radscore-cli-dicom-"));
const out = (name: string) => join(dir, name);
const ref = referenceDir();
const dicom = ref ? join(ref, "dicom") : undefined;

function run(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
}

test("dicom ls --json: every series with the documented keys", (t) => {
  if (!dicom) return t.skip(missingReference("dicom ls"));
  const r = run("dicom", "ls", join(dicom, "dcm_qa_ge_dwi", "In"), "--json");
  assert.equal(r.status, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
  assert.equal(rows.length, 1);
  const row = rows[0]!;
  for (const key of [
    "seriesInstanceUid",
    "seriesNumber",
    "seriesDescription",
    "modality",
    "manufacturer",
    "columns",
    "rows",
    "slices",
    "spacing",
    "volumes",
    "kind",
    "bvalues",
  ]) {
    assert.ok(key in row, `missing key ${key}`);
  }
  assert.equal(row.seriesDescription, "Ax DWI TENSOR R2");
  assert.equal(row.modality, "MR");
  assert.equal(row.slices, 2);
  assert.equal(row.volumes, 7);
  assert.equal(row.kind, "bvalue");
  assert.deepEqual(row.bvalues, [0, 1000, 1000, 1000, 1000, 1000, 1000]);
  const dce = run("dicom", "ls", join(dicom, "mirp_breast_dce_mri_ucsf", "UCSF-BR-06"), "--json");
  assert.equal(dce.status, 0, dce.stderr);
  const list = JSON.parse(dce.stdout) as Record<string, unknown>[];
  const orig = list.find((x) => x.seriesDescription === "Sagittal-IR_3DFGRE")!;
  assert.equal(orig.volumes, 3);
  assert.equal(orig.kind, "phase");
  assert.ok(list.some((x) => x.modality === "SEG"));
});

test("dicom convert: a multi-phase series writes one file per phase; --phase picks one", async (t) => {
  if (!dicom) return t.skip(missingReference("dicom convert"));
  const src = join(dicom, "mirp_breast_dce_mri_ucsf", "UCSF-BR-06", "image_dce_3dfgre_orig");
  const all = run("dicom", "convert", src, "-o", out("dce.nii.gz"));
  assert.equal(all.status, 0, all.stderr);
  for (const k of [0, 1, 2]) assert.ok(existsSync(out(`dce_${k}.nii.gz`)), `dce_${k}.nii.gz`);
  const one = run("dicom", "convert", src, "--phase", "2", "-o", out("phase2.nrrd"));
  assert.equal(one.status, 0, one.stderr);
  const [a, b] = [
    await readImageFile(out("dce_1.nii.gz")),
    await readImageFile(out("phase2.nrrd")),
  ];
  assert.deepEqual(a.size, [256, 256, 60]);
  assert.deepEqual(Array.from(a.data), Array.from(b.data));
  // Uncompressed NIfTI is written as header + voxels without a joined copy: same voxels.
  const nii = run("dicom", "convert", src, "--volume", "2", "-o", out("phase3.nii"));
  assert.equal(nii.status, 0, nii.stderr);
  const [g, h] = [await readImageFile(out("dce_2.nii.gz")), await readImageFile(out("phase3.nii"))];
  assert.deepEqual(Array.from(g.data), Array.from(h.data));
  assert.deepEqual(h.origin, g.origin);
  const mha = run("dicom", "convert", src, "--volume", "0", "-o", out("phase1.mha"));
  assert.equal(mha.status, 0, mha.stderr);
  const c = await readImageFile(out("phase1.mha"));
  assert.deepEqual(c.size, [256, 256, 60]);
  // NIfTI stores the origin as float32; MetaImage keeps the DICOM decimal strings' doubles.
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(c.origin[i]! - a.origin[i]!) < 1e-4);
});

test("dicom mask (RTSTRUCT) equals the reference mask; extract reads the series and the RTSTRUCT", async (t) => {
  if (!dicom) return t.skip(missingReference("dicom mask RTSTRUCT"));
  const base = join(dicom, "sts_mri_rtstruct", "ibsi_validation");
  const r = run(
    "dicom",
    "mask",
    join(base, "dicom", "STS_002", "MR_T1", "mask", "RS.dcm"),
    "--reference",
    join(base, "dicom", "STS_002", "MR_T1", "image"),
    "-o",
    out("sts002.nrrd"),
  );
  assert.equal(r.status, 0, r.stderr);
  const ours = await readImageFile(out("sts002.nrrd"));
  const theirs = await readImageFile(join(base, "nifti", "STS_002", "MR_T1_mask.nii.gz"));
  assert.deepEqual(ours.size, theirs.size);
  let both = 0;
  let a = 0;
  let b = 0;
  for (let i = 0; i < ours.data.length; i++) {
    const x = ours.data[i]! > 0;
    const y = theirs.data[i]! > 0;
    if (x) a++;
    if (y) b++;
    if (x && y) both++;
  }
  const dice = (2 * both) / (a + b);
  assert.ok(dice >= 0.99, `Dice ${dice}`);
  const e = run(
    "extract",
    join(base, "dicom", "STS_002", "MR_T1", "image"),
    join(base, "dicom", "STS_002", "MR_T1", "mask", "RS.dcm"),
  );
  assert.equal(e.status, 0, e.stderr);
  const features = JSON.parse(e.stdout) as Record<string, number>;
  assert.equal(features.original_shape_VoxelVolume !== undefined, true);
  // 17090 voxels of 0.9766 x 0.9766 x 3.27 mm (SOURCE.md's voxel count and grid)
  const voxel = ours.spacing[0] * ours.spacing[1] * ours.spacing[2];
  assert.ok(Math.abs(features.original_shape_VoxelVolume! - 17090 * voxel) < 1e-6 * 17090 * voxel);
});

test("dicom seg writes a SEG that dicom mask reads back voxel for voxel", async (t) => {
  if (!dicom) return t.skip(missingReference("dicom seg round trip"));
  const base = join(dicom, "sts_mri_rtstruct", "ibsi_validation");
  const image = join(base, "dicom", "STS_008", "MR_T1", "image");
  const mask = join(base, "nifti", "STS_008", "MR_T1_mask.nii.gz");
  const w = run(
    "dicom",
    "seg",
    mask,
    "--reference",
    image,
    "-o",
    out("sts008_seg.dcm"),
    "--name",
    "GTV",
  );
  assert.equal(w.status, 0, w.stderr);
  const r = run(
    "dicom",
    "mask",
    out("sts008_seg.dcm"),
    "--reference",
    image,
    "-o",
    out("sts008_back.nrrd"),
  );
  assert.equal(r.status, 0, r.stderr);
  const [a, b] = [await readImageFile(mask), await readImageFile(out("sts008_back.nrrd"))];
  let differ = 0;
  for (let i = 0; i < a.data.length; i++) if ((a.data[i]! > 0 ? 1 : 0) !== b.data[i]) differ++;
  assert.equal(differ, 0);
});

test("bad input: a message naming the file or series, exit code not 0, nothing written", (t) => {
  const empty = out("nodicom");
  mkdirSync(empty);
  writeFileSync(join(empty, "notes.txt"), "not an image\n");
  const r1 = run("dicom", "convert", empty, "-o", out("x1.nrrd"));
  assert.notEqual(r1.status, 0);
  assert.match(r1.stderr, /nodicom.*no DICOM files found/);
  assert.equal(existsSync(out("x1.nrrd")), false);
  const r2 = run("dicom", "convert", out("missing-folder"), "-o", out("x2.nrrd"));
  assert.notEqual(r2.status, 0);
  assert.match(r2.stderr, /missing-folder.*not a folder/);
  if (!dicom) return t.skip(missingReference("bad DICOM input"));
  const dwi = join(dicom, "dcm_qa_ge_dwi", "In");
  const r3 = run("dicom", "convert", dwi, "--phase", "2", "-o", out("x3.nrrd"));
  assert.notEqual(r3.status, 0);
  assert.match(r3.stderr, /series 1 "Ax DWI TENSOR R2".*not a dynamic/);
  const r4 = run("dicom", "convert", dwi, "--bvalue", "500", "-o", out("x4.nrrd"));
  assert.notEqual(r4.status, 0);
  assert.match(r4.stderr, /no volume with b = 500.*0, 1000/);
  const dce = join(dicom, "mirp_breast_dce_mri_ucsf", "UCSF-BR-06", "image_dce_3dfgre_orig");
  const r5 = run("dicom", "adc", dce, "-o", out("x5.nrrd"));
  assert.notEqual(r5.status, 0);
  assert.match(r5.stderr, /not a diffusion series/);
  // An RTSTRUCT whose referenced series is not in the reference folder.
  const sts = join(dicom, "sts_mri_rtstruct", "ibsi_validation", "dicom");
  const r6 = run(
    "dicom",
    "mask",
    join(sts, "STS_002", "MR_T1", "mask", "RS.dcm"),
    "--reference",
    join(sts, "STS_008", "MR_T1", "image"),
    "-o",
    out("x6.nrrd"),
  );
  assert.notEqual(r6.status, 0);
  assert.match(r6.stderr, /RS\.dcm.*referenced series .* is not in/);
  for (const f of ["x3.nrrd", "x4.nrrd", "x5.nrrd", "x6.nrrd"])
    assert.equal(existsSync(out(f)), false, f);
  // A file whose pixel data run past its end is listed as unreadable, with the reason.
  const ls = run(
    "dicom",
    "ls",
    join(dicom, "pydicom_test_files", "src", "pydicom", "data", "test_files"),
  );
  assert.equal(ls.status, 0, ls.stderr);
  assert.match(ls.stdout, /unreadable DICOM file[\s\S]*MR_truncated\.dcm: truncated pixel data/);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith("x")),
    [],
  );
});

test("dicom adc: ADC map of the GE DWI series from b = 0 and the b = 1000 trace image", async (t) => {
  if (!dicom) return t.skip(missingReference("dicom adc"));
  const r = run("dicom", "adc", join(dicom, "dcm_qa_ge_dwi", "In"), "-o", out("adc.nrrd"));
  assert.equal(r.status, 0, r.stderr);
  const adc = await readImageFile(out("adc.nrrd"));
  assert.deepEqual(adc.size, [256, 256, 2]);
  assert.match(r.stdout, /b = 0, 1000/);
});

test("dicom convert and extract decode compressed pixel data through the CLI's own scripts", async (t) => {
  if (!dicom) return t.skip(missingReference("compressed DICOM through the CLI"));
  const files = join(dicom, "pydicom_test_files", "src", "pydicom", "data", "test_files");
  const names = [
    "MR_small.dcm",
    "MR_small_jpeg_ls_lossless.dcm",
    "MR_small_RLE.dcm",
    "MR_small_jp2klossless.dcm",
  ];
  const volumes = [];
  for (const name of names) {
    // One file per folder: the variants share their series and position.
    const folder = out(`compressed-${name}`);
    mkdirSync(folder);
    writeFileSync(join(folder, name), readFileSync(join(files, name)));
    const r = run("dicom", "convert", folder, "-o", out(`${name}.nrrd`));
    assert.equal(r.status, 0, `${name}: ${r.stderr}`);
    volumes.push(await readImageFile(out(`${name}.nrrd`)));
  }
  for (let i = 1; i < volumes.length; i++) {
    assert.deepEqual(Array.from(volumes[i]!.data), Array.from(volumes[0]!.data), names[i]);
  }
  // extract reads the JPEG-LS folder like the uncompressed image: the same features.
  const reference = volumes[0]!;
  const roi = new Uint8Array(reference.data.length);
  for (let y = 16; y < 48; y++) for (let x = 16; x < 48; x++) roi[x + 64 * y] = 1;
  await writeImageFile(out("small-mask.nrrd"), { ...reference, data: roi });
  const fromDicom = run(
    "extract",
    out("compressed-MR_small_jpeg_ls_lossless.dcm"),
    out("small-mask.nrrd"),
  );
  const fromNrrd = run("extract", out("MR_small.dcm.nrrd"), out("small-mask.nrrd"));
  assert.equal(fromDicom.status, 0, fromDicom.stderr);
  assert.equal(fromNrrd.status, 0, fromNrrd.stderr);
  assert.deepEqual(JSON.parse(fromDicom.stdout), JSON.parse(fromNrrd.stdout));
});
