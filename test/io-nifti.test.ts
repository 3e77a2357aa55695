/**
 * NIfTI reader/writer tests. Headers are written by hand; expected geometry follows the NIfTI-1
 * specification (nifti1.h: qform from the quaternion, pixdim and qfac; sform = srow_*) and ITK's
 * RAS -> LPS rule (origin (-x, -y, z), direction column k = normalised (-m0k, -m1k, m2k)), with
 * ITK's choice between qform and sform (sform when it is orthonormal and qform_code = 0 or
 * sform_code = 1, else the qform). Values in float32 header fields are compared to their
 * Math.fround images.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { Volume, VoxelArray } from "../src/image/volume.js";
import { ImageReadError } from "../src/io/image-error.js";
import { readNifti } from "../src/io/nifti.js";
import { readImage } from "../src/io/read-image.js";
import { writeNifti } from "../src/io/write-nifti.js";
import { readImageFile } from "../src/node/files.js";
import { missingReference, referenceDir } from "./support/reference.js";

interface Nifti1Spec {
  dim: number[];
  pixdim?: number[];
  datatype?: number;
  bitpix?: number;
  qform?: number;
  sform?: number;
  quatern?: [number, number, number];
  qoffset?: [number, number, number];
  srow?: number[][];
  slope?: number;
  inter?: number;
  units?: number;
  intent?: number;
  magic?: string;
  little?: boolean;
  voxOffset?: number;
}

/** A NIfTI-1 header (348 bytes + 4 extension bytes) laid out as nifti1.h describes. */
function nifti1Header(spec: Nifti1Spec): Uint8Array {
  const out = new Uint8Array(352);
  const v = new DataView(out.buffer);
  const le = spec.little ?? true;
  v.setInt32(0, 348, le);
  const dim = [...spec.dim, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8);
  dim.forEach((d, i) => {
    v.setInt16(40 + 2 * i, d, le);
  });
  v.setInt16(68, spec.intent ?? 0, le);
  v.setInt16(70, spec.datatype ?? 4, le);
  v.setInt16(72, spec.bitpix ?? 16, le);
  const pixdim = [...(spec.pixdim ?? [1, 1, 1, 1]), 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8);
  pixdim.forEach((p, i) => {
    v.setFloat32(76 + 4 * i, p, le);
  });
  v.setFloat32(108, spec.voxOffset ?? 352, le);
  v.setFloat32(112, spec.slope ?? 0, le);
  v.setFloat32(116, spec.inter ?? 0, le);
  out[123] = spec.units ?? 2;
  v.setInt16(252, spec.qform ?? 0, le);
  v.setInt16(254, spec.sform ?? 0, le);
  const q = spec.quatern ?? [0, 0, 0];
  q.forEach((x, i) => {
    v.setFloat32(256 + 4 * i, x, le);
  });
  const o = spec.qoffset ?? [0, 0, 0];
  o.forEach((x, i) => {
    v.setFloat32(268 + 4 * i, x, le);
  });
  (spec.srow ?? []).forEach((row, r) => {
    row.forEach((x, c) => {
      v.setFloat32(280 + 16 * r + 4 * c, x, le);
    });
  });
  const magic = spec.magic ?? "n+1";
  for (let i = 0; i < 3; i++) out[344 + i] = magic.charCodeAt(i);
  return out;
}

function withInt16(header: Uint8Array, values: number[], little = true): Uint8Array {
  const out = new Uint8Array(header.length + values.length * 2);
  out.set(header);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    v.setInt16(header.length + 2 * i, x, little);
  });
  return out;
}

function assertClose(
  actual: readonly number[],
  expected: readonly number[],
  tol: number,
  what: string,
) {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i]! - expected[i]!) <= tol,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}
const plain = (m: readonly number[]) => m.map((x) => x + 0);
const f = Math.fround;

test("qform only: identity quaternion, pixdim spacing, RAS offset -> LPS origin", async () => {
  const bytes = withInt16(
    nifti1Header({ dim: [3, 2, 2, 1], pixdim: [1, 1.5, 2, 3], qform: 1, qoffset: [10, 20.5, -30] }),
    [1, 2, 3, 4],
  );
  const vol = await readNifti(bytes, "q.nii");
  assert.ok(vol.data instanceof Int16Array);
  assert.deepEqual(Array.from(vol.data), [1, 2, 3, 4]);
  assert.equal(vol.dimension, 3);
  assert.deepEqual(vol.size, [2, 2, 1]);
  assert.deepEqual(vol.spacing, [1.5, 2, 3]);
  assert.deepEqual(vol.origin, [-10, -20.5, -30]);
  assert.deepEqual(plain(vol.direction), [-1, 0, 0, 0, -1, 0, 0, 0, 1]);
});

test("qform rotated 90 degrees about z and qfac = -1", async () => {
  // quaternion (a, b, c, d) = (cos 45, 0, 0, sin 45): R = [[0,-1,0],[1,0,0],[0,0,1]]
  const s = Math.SQRT1_2;
  const rot = await readNifti(
    withInt16(
      nifti1Header({ dim: [3, 1, 1, 1], pixdim: [1, 2, 3, 4], qform: 1, quatern: [0, 0, s] }),
      [0],
    ),
    "rot.nii",
  );
  // LPS columns: (-R00, -R10, R20) = (0,-1,0); (-R01, -R11, R21) = (1,0,0); (0,0,1)
  assertClose(rot.direction, [0, 1, 0, -1, 0, 0, 0, 0, 1], 1e-7, "rotated direction");
  assert.deepEqual(rot.spacing, [2, 3, 4]);
  // qfac = -1 (pixdim[0] < 0) negates the third column
  const flipped = await readNifti(
    withInt16(nifti1Header({ dim: [3, 1, 1, 1], pixdim: [-1, 2, 3, 4], qform: 1 }), [0]),
    "qfac.nii",
  );
  assert.deepEqual(plain(flipped.direction), [-1, 0, 0, 0, -1, 0, 0, 0, -1]);
});

test("sform only (qform_code 0): sform gives direction and origin, pixdim gives spacing", async () => {
  const srow = [
    [-2, 0, 0, 5],
    [0, 3, 0, -6],
    [0, 0, 4, 7],
  ];
  const vol = await readNifti(
    withInt16(nifti1Header({ dim: [3, 1, 1, 1], pixdim: [1, 2, 3, 4], sform: 2, srow }), [0]),
    "s.nii",
  );
  assert.deepEqual(vol.spacing, [2, 3, 4]);
  // columns (-(-2),-0,0)/2 = (1,0,0); (-0,-3,0)/3 = (0,-1,0); (0,0,4)/4
  assert.deepEqual(plain(vol.direction), [1, 0, 0, 0, -1, 0, 0, 0, 1]);
  assert.deepEqual(vol.origin, [-5, 6, 7]);
  // a sform that is not orthonormal and no qform: ITK refuses
  const skew = [
    [1, 1, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ];
  await assert.rejects(
    readNifti(
      withInt16(nifti1Header({ dim: [3, 1, 1, 1], sform: 2, srow: skew }), [0]),
      "skew.nii",
    ),
    /skew\.nii: .*orthonormal/,
  );
});

test("qform and sform both present: SCANNER_ANAT sform wins, other sform codes lose to a different qform", async () => {
  // sform: 90 degrees about z, offset (1,2,3); qform: identity, offset (7,8,9)
  const srow = [
    [0, -1, 0, 1],
    [1, 0, 0, 2],
    [0, 0, 1, 3],
  ];
  const base = {
    dim: [3, 1, 1, 1],
    pixdim: [1, 1, 1, 1],
    qform: 1,
    qoffset: [7, 8, 9] as [number, number, number],
    srow,
  };
  const scanner = await readNifti(withInt16(nifti1Header({ ...base, sform: 1 }), [0]), "both1.nii");
  assert.deepEqual(plain(scanner.direction), [0, 1, 0, -1, 0, 0, 0, 0, 1]);
  assert.deepEqual(scanner.origin, [-1, -2, 3]);
  const aligned = await readNifti(withInt16(nifti1Header({ ...base, sform: 2 }), [0]), "both2.nii");
  assert.deepEqual(plain(aligned.direction), [-1, 0, 0, 0, -1, 0, 0, 0, 1]);
  assert.deepEqual(aligned.origin, [-7, -8, 9]);
  // a skewed sform with sform_code 1 is not usable: the qform is used
  const skewed = await readNifti(
    withInt16(
      nifti1Header({
        ...base,
        sform: 1,
        srow: [
          [1, 0.5, 0, 0],
          [0, 1, 0, 0],
          [0, 0, 1, 0],
        ],
      }),
      [0],
    ),
    "both3.nii",
  );
  assert.deepEqual(skewed.origin, [-7, -8, 9]);
});

test("scl_slope / scl_inter: integer voxels become float32 v*slope+inter; slope 0 means no scaling", async () => {
  const scaled = await readNifti(
    withInt16(nifti1Header({ dim: [3, 3, 1, 1], qform: 1, slope: 2.5, inter: -1 }), [0, 1, -3]),
    "scaled.nii",
  );
  assert.ok(scaled.data instanceof Float32Array);
  assert.deepEqual(Array.from(scaled.data), [-1, 1.5, -8.5]);
  const unscaled = await readNifti(
    withInt16(nifti1Header({ dim: [3, 3, 1, 1], qform: 1, slope: 0, inter: 5 }), [0, 1, -3]),
    "zero.nii",
  );
  // slope 0 -> 1, but the intercept 5 still applies (ITK: |slope-1| <= eps, |inter| > eps)
  assert.ok(unscaled.data instanceof Float32Array);
  assert.deepEqual(Array.from(unscaled.data), [5, 6, 2]);
  const identity = await readNifti(
    withInt16(nifti1Header({ dim: [3, 3, 1, 1], qform: 1, slope: 1, inter: 0 }), [0, 1, -3]),
    "one.nii",
  );
  assert.ok(identity.data instanceof Int16Array);
  // float64 stays float64 with the scaling done in double precision
  const header = nifti1Header({
    dim: [3, 1, 1, 1],
    datatype: 64,
    bitpix: 64,
    slope: 0.1,
    inter: 0.2,
  });
  const bytes = new Uint8Array(360);
  bytes.set(header);
  new DataView(bytes.buffer).setFloat64(352, 3, true);
  const dbl = await readNifti(bytes, "double.nii");
  assert.ok(dbl.data instanceof Float64Array);
  assert.equal(dbl.data[0], 3 * f(0.1) + f(0.2));
});

test("2D and trailing-singleton dimensions are classified as ITK does", async () => {
  const two = await readNifti(
    withInt16(
      nifti1Header({ dim: [2, 2, 3], pixdim: [1, 0.5, 0.25], qform: 1, qoffset: [1, 2, 3] }),
      [1, 2, 3, 4, 5, 6],
    ),
    "two.nii",
  );
  assert.equal(two.dimension, 2);
  assert.deepEqual(two.size, [2, 3, 1]);
  assert.deepEqual(two.spacing, [0.5, 0.25, 1]);
  assert.deepEqual(two.origin, [-1, -2, 0]);
  assert.deepEqual(plain(two.direction), [-1, 0, 0, 0, -1, 0, 0, 0, 1]);
  const slab = await readNifti(
    withInt16(nifti1Header({ dim: [3, 2, 3, 1] }), [1, 2, 3, 4, 5, 6]),
    "slab.nii",
  );
  assert.equal(slab.dimension, 3);
  assert.deepEqual(slab.size, [2, 3, 1]);
  const fourWithOneVolume = await readNifti(
    withInt16(nifti1Header({ dim: [4, 2, 1, 1, 1] }), [1, 2]),
    "t1.nii",
  );
  assert.equal(fourWithOneVolume.dimension, 3);
  await assert.rejects(
    readNifti(withInt16(nifti1Header({ dim: [4, 1, 1, 1, 2] }), [1, 2]), "t2.nii"),
    /t2\.nii: .*4D/,
  );
});

test("big-endian headers, metre units, .hdr/.img pairs and NIfTI-2", async () => {
  const big = await readNifti(
    withInt16(
      nifti1Header({
        dim: [3, 2, 1, 1],
        pixdim: [1, 0.002, 0.003, 0.004],
        qform: 1,
        qoffset: [0.5, 0, 0],
        units: 1,
        little: false,
      }),
      [258, -2],
      false,
    ),
    "big.nii",
  );
  assert.deepEqual(Array.from(big.data), [258, -2]);
  assertClose(big.spacing, [f(0.002) * 1e3, f(0.003) * 1e3, f(0.004) * 1e3], 0, "metre spacing");
  assert.deepEqual(big.origin, [-500, 0, 0]);
  // .hdr + .img pair (magic ni1, vox_offset 0)
  const hdr = nifti1Header({
    dim: [3, 2, 1, 1],
    pixdim: [1, 3, 3, 3],
    qform: 1,
    magic: "ni1",
    voxOffset: 0,
  });
  const img = withInt16(new Uint8Array(0), [7, 8]);
  const resolve = async (name: string) => {
    if (name === "pair.img") return img;
    if (name === "pair.hdr") return hdr;
    throw new Error(`missing ${name}`);
  };
  for (const name of ["dir/pair.hdr", "dir/pair.img"]) {
    const pair = await readImage(name.endsWith(".hdr") ? hdr : img, name, resolve);
    assert.deepEqual(Array.from(pair.data), [7, 8], name);
    assert.deepEqual(pair.spacing, [3, 3, 3], name);
  }
  // NIfTI-2: 540-byte header with double fields
  const h2 = new Uint8Array(544 + 4);
  const v = new DataView(h2.buffer);
  v.setInt32(0, 540, true);
  h2.set([0x6e, 0x2b, 0x32, 0, 0x0d, 0x0a, 0x1a, 0x0a], 4);
  v.setInt16(12, 16, true);
  v.setInt16(14, 32, true);
  [3, 1, 1, 1, 1, 1, 1, 1].forEach((d, i) => {
    v.setBigInt64(16 + 8 * i, BigInt(d), true);
  });
  [1, 0.1, 0.2, 0.3].forEach((p, i) => {
    v.setFloat64(104 + 8 * i, p, true);
  });
  v.setBigInt64(168, 544n, true);
  v.setInt32(344, 0, true);
  v.setInt32(348, 1, true);
  [
    [-0.1, 0, 0, 1.1],
    [0, -0.2, 0, 2.2],
    [0, 0, 0.3, 3.3],
  ].forEach((row, r) => {
    row.forEach((x, c) => {
      v.setFloat64(400 + 32 * r + 8 * c, x, true);
    });
  });
  v.setInt32(500, 2, true);
  v.setFloat32(544, 42.5, true);
  const n2 = await readNifti(h2, "two.nii");
  assert.deepEqual(Array.from(n2.data), [42.5]);
  assert.deepEqual(n2.spacing, [0.1, 0.2, 0.3]);
  assert.deepEqual(n2.origin, [-1.1, -2.2, 3.3]);
  assert.deepEqual(plain(n2.direction), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
});

test("unsupported datatypes and intents are refused with the file named", async () => {
  const cases: [Nifti1Spec, RegExp][] = [
    [{ dim: [3, 1, 1, 1], datatype: 128, bitpix: 24 }, /rgb\.nii: .*RGB24/],
    [{ dim: [3, 1, 1, 1], datatype: 1024, bitpix: 64 }, /rgb\.nii: .*int64/],
    [{ dim: [5, 1, 1, 1, 1, 3], intent: 1007 }, /rgb\.nii: .*intent code 1007/],
  ];
  for (const [spec, pattern] of cases) {
    await assert.rejects(
      readNifti(withInt16(nifti1Header(spec), [0, 0, 0, 0]), "rgb.nii"),
      (e: unknown) => {
        assert.ok(e instanceof ImageReadError);
        assert.match((e as Error).message, pattern);
        return true;
      },
    );
  }
});

function sampleVolume(kind: string, dimension: 2 | 3): Volume {
  const size: [number, number, number] = dimension === 3 ? [4, 3, 2] : [5, 3, 1];
  const n = size[0] * size[1] * size[2];
  const make: Record<string, () => VoxelArray> = {
    int8: () => Int8Array.from({ length: n }, (_, i) => ((i * 37) % 256) - 128),
    uint8: () => Uint8Array.from({ length: n }, (_, i) => (i * 53) % 256),
    int16: () => Int16Array.from({ length: n }, (_, i) => ((i * 7919) % 65536) - 32768),
    uint16: () => Uint16Array.from({ length: n }, (_, i) => (i * 4099) % 65536),
    int32: () => Int32Array.from({ length: n }, (_, i) => (i * 2654435761) | 0),
    uint32: () => Uint32Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0),
    float: () =>
      Float32Array.from({ length: n }, (_, i) => (i === 3 ? Number.NaN : Math.sin(i) * 1e5)),
    double: () => Float64Array.from({ length: n }, (_, i) => Math.PI * i * 1e-7 - 1 / 3),
  };
  return {
    data: make[kind]!(),
    size,
    spacing: [0.5, 0.75, dimension === 3 ? 2.5 : 1],
    origin: [-10.5, 20.25, dimension === 3 ? 3 : 0],
    // axis permutation: x index runs along +P, y index along -L
    direction: [0, -1, 0, 1, 0, 0, 0, 0, 1],
    dimension,
  };
}

test("NIfTI writer round trip: every voxel type, .nii and .nii.gz, 2D and 3D", async () => {
  for (const kind of ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float", "double"]) {
    for (const name of ["rt.nii", "rt.nii.gz"]) {
      for (const dimension of [2, 3] as const) {
        const vol = sampleVolume(kind, dimension);
        const bytes = await writeNifti(vol, { compress: name.endsWith(".gz") });
        const back = await readImage(bytes, name);
        const what = `${kind}/${name}/${dimension}D`;
        assert.equal(back.data.constructor, vol.data.constructor, what);
        assert.deepEqual(
          new Uint8Array(back.data.buffer, back.data.byteOffset, back.data.byteLength),
          new Uint8Array(vol.data.buffer, vol.data.byteOffset, vol.data.byteLength),
          what,
        );
        assert.deepEqual(back.size, vol.size, what);
        assert.equal(back.dimension, dimension, what);
        assertClose(back.spacing, vol.spacing, 1e-12, `${what} spacing`);
        assertClose(back.origin, vol.origin, 1e-12, `${what} origin`);
        assertClose(back.direction, vol.direction, 1e-12, `${what} direction`);
      }
    }
  }
});

test("NIfTI writer header fields as ITK writes them; oblique geometry survives to float precision", async () => {
  const c = Math.cos(0.4);
  const s = Math.sin(0.4);
  const vol: Volume = {
    data: new Int16Array([1, 2, 3, 4, 5, 6, 7, 8]),
    size: [2, 2, 2],
    spacing: [0.9, 1.1, 3.3],
    origin: [12.3, -45.6, 78.9],
    direction: [c, 0, s, 0, 1, 0, -s, 0, c],
    dimension: 3,
  };
  const bytes = await writeNifti(vol);
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  assert.equal(v.getInt32(0, true), 348);
  assert.equal(v.getFloat32(108, true), 352);
  assert.equal(v.getInt16(252, true), 1, "qform_code SCANNER_ANAT");
  assert.equal(v.getInt16(254, true), 1, "sform_code SCANNER_ANAT");
  assert.equal(bytes[123], 10, "xyzt_units mm + s");
  assert.equal(v.getFloat32(76, true), 1, "qfac (proper rotation)");
  assert.equal(String.fromCharCode(...bytes.subarray(344, 348)), "n+1\0");
  // srow_x = (-d00*sx, -d01*sy, -d02*sz, -ox) in float32
  assertClose(
    [0, 1, 2, 3].map((k) => v.getFloat32(280 + 4 * k, true)),
    [-c * 0.9, 0, -s * 3.3, -12.3],
    1e-5,
    "srow_x",
  );
  const back = await readImage(bytes, "oblique.nii");
  assertClose(back.direction, vol.direction, 1e-6, "direction");
  assertClose(back.origin, vol.origin, 1e-5, "origin");
  assertClose(back.spacing, vol.spacing, 1e-6, "spacing");
});

test("reads the IBSI phantoms and the STS MRI NIfTI files with header-derived geometry", async (t) => {
  const ref = referenceDir();
  if (!ref || !existsSync(join(ref, "ibsi/ibsi1_phantoms"))) {
    t.skip(missingReference("IBSI / STS NIfTI files"));
    return;
  }
  // IBSI digital phantom: dim 5x4x4, int16, pixdim 2, qform_code 2 / sform_code 1,
  // srow diag(-2,-2,2) offset 0 -> direction identity, origin 0
  const digital = await readImageFile(
    join(ref, "ibsi/ibsi1_phantoms/ibsi_1_digital_phantom/nifti/image/phantom.nii.gz"),
  );
  assert.ok(digital.data instanceof Int16Array);
  assert.deepEqual(digital.size, [5, 4, 4]);
  assert.deepEqual(digital.spacing, [2, 2, 2]);
  assert.deepEqual(plain(digital.origin), [0, 0, 0]);
  assert.deepEqual(plain(digital.direction), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  // IBSI CT phantom: 204x201x60 float32, pixdim (0.977, 0.977, 3) as float32,
  // srow offsets (174.3945, 79.6255, -100.4) as float32 -> origin (-x, -y, z)
  const ct = await readImageFile(
    join(ref, "ibsi/ibsi1_phantoms/ibsi_1_ct_radiomics_phantom/nifti/image/phantom.nii.gz"),
  );
  assert.ok(ct.data instanceof Float32Array);
  assert.deepEqual(ct.size, [204, 201, 60]);
  assert.deepEqual(ct.spacing, [f(0.977), f(0.977), 3]);
  assert.deepEqual(ct.origin, [-f(174.3945), -f(79.6255), f(-100.4)]);
  assert.deepEqual(plain(ct.direction), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const ctMask = await readImageFile(
    join(ref, "ibsi/ibsi1_phantoms/ibsi_1_ct_radiomics_phantom/nifti/mask/mask.nii.gz"),
  );
  assert.ok(ctMask.data instanceof Uint8Array);
  assert.deepEqual(ctMask.origin, ct.origin);
  // STS_002 MR: qform only (code 1), quaternion (0,0,1), qoffset (-30.273311614990234,
  // -88.86702728271484, -609.4174194335938) -> origin (30.27.., 88.86.., -609.41..)
  const sts = await readImageFile(
    join(ref, "dicom/sts_mri_rtstruct/ibsi_validation/nifti/STS_002/MR_T1_image.nii.gz"),
  );
  assert.deepEqual(sts.size, [115, 90, 35]);
  assert.ok(sts.data instanceof Float32Array);
  assert.deepEqual(sts.spacing, [0.9765620231628418, 0.9765620231628418, 3.2699549198150635]);
  assert.deepEqual(sts.origin, [30.273311614990234, 88.86702728271484, -609.4174194335938]);
  assert.deepEqual(plain(sts.direction), [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  const stsMask = await readImageFile(
    join(ref, "dicom/sts_mri_rtstruct/ibsi_validation/nifti/STS_002/MR_T1_mask.nii.gz"),
  );
  assert.ok(stsMask.data instanceof Uint8Array);
  assert.deepEqual(stsMask.origin, sts.origin);
  // the GE DWI series is 4D (256x256x2x7): refused, naming the file
  await assert.rejects(
    readImageFile(join(ref, "dicom/dcm_qa_ge_dwi/Ref/Ax_DWI_TENSOR_R2_1.nii.gz")),
    /Ax_DWI_TENSOR_R2_1\.nii\.gz: .*4D/,
  );
});
