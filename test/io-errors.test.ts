/**
 * Bad input must give an ImageReadError whose message names the file and the reason; NaN voxels
 * are data, not an error. Also checks the Node edge: missing files, atomic writes.
 */
import assert from "node:assert/strict";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import type { Volume } from "../src/image/volume.js";
import { ImageReadError, ImageWriteError } from "../src/io/image-error.js";
import { readImage } from "../src/io/read-image.js";
import { readImageFile, writeImageFile } from "../src/node/files.js";

const enc = (s: string) => new TextEncoder().encode(s);
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
const payload = new Uint8Array(
  new Int16Array(Array.from({ length: 4096 }, (_, i) => (i * 31) % 1000)).buffer,
);
const gzHeader = enc(
  "NRRD0004\ntype: short\ndimension: 3\nsizes: 16 16 16\nendian: little\nencoding: gzip\n\n",
);
const gz = new Uint8Array(gzipSync(payload));

async function rejectsNaming(promise: Promise<unknown>, file: string, reason: RegExp) {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof ImageReadError, `expected ImageReadError, got ${e}`);
    assert.ok(
      (e as Error).message.includes(file),
      `message "${(e as Error).message}" names ${file}`,
    );
    assert.match((e as Error).message, reason);
    return true;
  });
}

test("truncated and corrupt gzip data", async () => {
  const ok = await readImage(concat(gzHeader, gz), "whole.nrrd");
  assert.equal(ok.data.length, 4096);
  await rejectsNaming(
    readImage(concat(gzHeader, gz.subarray(0, gz.length >> 1)), "half.nrrd"),
    "half.nrrd",
    /truncated/,
  );
  const broken = gz.slice();
  for (let i = 20; i < 60; i++) broken[i] = broken[i]! ^ 0x5a;
  await rejectsNaming(
    readImage(concat(gzHeader, broken), "broken.nrrd"),
    "broken.nrrd",
    /corrupt|truncated/,
  );
  // a truncated .nii.gz
  const nii = new Uint8Array(352 + 8);
  const v = new DataView(nii.buffer);
  v.setInt32(0, 348, true);
  [3, 2, 2, 1].forEach((d, i) => {
    v.setInt16(40 + 2 * i, d, true);
  });
  v.setInt16(70, 4, true);
  v.setFloat32(108, 352, true);
  nii.set([0x6e, 0x2b, 0x31, 0], 344);
  const niiGz = new Uint8Array(gzipSync(nii));
  assert.equal((await readImage(niiGz, "fine.nii.gz")).data.length, 4);
  await rejectsNaming(
    readImage(niiGz.subarray(0, niiGz.length - 12), "cut.nii.gz"),
    "cut.nii.gz",
    /truncated/,
  );
});

test("corrupt headers and truncated raw data", async () => {
  await rejectsNaming(
    readImage(enc("NRRD0004\ntype: short\nbogus line\n\n"), "garbage.nrrd"),
    "garbage.nrrd",
    /corrupt NRRD header/,
  );
  await rejectsNaming(
    readImage(enc("NRRD0004\ntype: short\ndimension: 2\n\n"), "nosizes.nrrd"),
    "nosizes.nrrd",
    /sizes/,
  );
  const badNifti = new Uint8Array(400);
  badNifti[0] = 7;
  await rejectsNaming(readImage(badNifti, "bad.nii"), "bad.nii", /sizeof_hdr/);
  await rejectsNaming(
    readImage(enc("hello world"), "what.bin"),
    "what.bin",
    /unrecognised image format/,
  );
  await rejectsNaming(
    readImage(
      enc(
        "NRRD0004\ntype: short\ndimension: 2\nsizes: 4 4\nendian: little\nencoding: raw\n\n\u0001\u0002",
      ),
      "short.nrrd",
    ),
    "short.nrrd",
    /truncated voxel data/,
  );
});

test("a NaN image is data, not an error", async () => {
  const values = new Float32Array([Number.NaN, 1, Number.NaN, -2]);
  const bytes = concat(
    enc("NRRD0004\ntype: float\ndimension: 2\nsizes: 2 2\nendian: little\nencoding: raw\n\n"),
    new Uint8Array(values.buffer),
  );
  const vol = await readImage(bytes, "nan.nrrd");
  assert.ok(Number.isNaN(vol.data[0]!) && Number.isNaN(vol.data[2]!));
  assert.equal(vol.data[1], 1);
});

test("missing files: the image itself and a detached data file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "radscore-io-"));
  try {
    const missing = join(dir, "nothing.nrrd");
    await rejectsNaming(readImageFile(missing), missing, /file not found/);
    const header = join(dir, "detached.nhdr");
    await writeFile(
      header,
      "NRRD0004\ntype: uchar\ndimension: 2\nsizes: 2 2\nencoding: raw\ndata file: detached.raw\n",
    );
    await rejectsNaming(readImageFile(header), header, /detached\.raw.*file not found/);
    await writeFile(join(dir, "detached.raw"), new Uint8Array([1, 2, 3, 4]));
    const vol = await readImageFile(header);
    assert.deepEqual(Array.from(vol.data), [1, 2, 3, 4]);
    const mhd = join(dir, "img.mhd");
    await writeFile(
      mhd,
      "ObjectType = Image\nNDims = 2\nDimSize = 2 2\nElementType = MET_UCHAR\nElementDataFile = img.raw\n",
    );
    await rejectsNaming(readImageFile(mhd), mhd, /img\.raw/);
    await writeFile(join(dir, "img.raw"), new Uint8Array([5, 6, 7, 8]));
    assert.deepEqual(Array.from((await readImageFile(mhd)).data), [5, 6, 7, 8]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("writeImageFile writes atomically and leaves nothing behind on failure", async () => {
  const dir = await mkdtemp(join(tmpdir(), "radscore-io-"));
  try {
    const vol: Volume = {
      data: new Int16Array([1, 2, 3, 4, 5, 6]),
      size: [3, 2, 1],
      spacing: [0.5, 0.5, 1],
      origin: [1, 2, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      dimension: 2,
    };
    for (const name of ["out.nrrd", "out.nii", "out.nii.gz"]) {
      await writeImageFile(join(dir, name), vol);
      const back = await readImageFile(join(dir, name));
      assert.deepEqual(Array.from(back.data), [1, 2, 3, 4, 5, 6], name);
      assert.deepEqual(back.origin, [1, 2, 0], name);
    }
    assert.deepEqual((await readdir(dir)).sort(), ["out.nii", "out.nii.gz", "out.nrrd"]);
    await assert.rejects(writeImageFile(join(dir, "no-such-dir", "x.nrrd"), vol), (e: unknown) => {
      assert.ok(e instanceof ImageWriteError);
      assert.match((e as Error).message, /x\.nrrd/);
      return true;
    });
    await assert.rejects(writeImageFile(join(dir, "x.png"), vol), /unsupported output format/);
    const bad = { ...vol, data: new Int16Array(2) };
    await assert.rejects(writeImageFile(join(dir, "bad.nrrd"), bad), /voxel count/);
    assert.deepEqual((await readdir(dir)).sort(), ["out.nii", "out.nii.gz", "out.nrrd"]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
