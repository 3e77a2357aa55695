/**
 * NRRD reader/writer tests. Expected geometry is derived by hand from the NRRD format
 * specification (teem) and ITK's NrrdImageIO rules: spacing = |space direction|, direction column =
 * normalised vector, RAS -> LPS by negating the first two coordinates.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { gzipSync } from "node:zlib";
import type { Volume, VoxelArray } from "../src/image/volume.js";
import { ImageReadError } from "../src/io/image-error.js";
import { readNrrd } from "../src/io/nrrd.js";
import { readImage } from "../src/io/read-image.js";
import { writeNrrd } from "../src/io/write-nrrd.js";
import { readImageFile } from "../src/node/files.js";
import { missingReference, referenceDir } from "./support/reference.js";

const enc = (s: string) => new TextEncoder().encode(s);
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function int16Bytes(values: number[], littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    v.setInt16(2 * i, x, littleEndian);
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
      `${what}[${i}]: ${actual[i]} vs ${expected[i]} (tol ${tol})`,
    );
  }
}

test("attached raw NRRD, big endian, byte skip, RAS space converted to LPS", async () => {
  const values = [1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12];
  const header = enc(
    [
      "NRRD0004",
      "# hand-written",
      "type: short",
      "dimension: 3",
      "space: right-anterior-superior",
      "sizes: 2 3 2",
      "space directions: (0,2,0) (-1.5,0,0) (0,0,3)",
      "kinds: domain domain domain",
      "endian: big",
      "encoding: raw",
      "byte skip: 4",
      "space origin: (10,20,30)",
      "",
      "",
    ].join("\n"),
  );
  const bytes = concat(header, new Uint8Array([9, 9, 9, 9]), int16Bytes(values, false));
  const vol = await readNrrd(bytes, "ras.nrrd");
  assert.ok(vol.data instanceof Int16Array);
  assert.deepEqual(Array.from(vol.data), values);
  assert.deepEqual(vol.size, [2, 3, 2]);
  assert.equal(vol.dimension, 3);
  // |(0,2,0)| = 2, |(-1.5,0,0)| = 1.5, |(0,0,3)| = 3
  assert.deepEqual(vol.spacing, [2, 1.5, 3]);
  // RAS unit columns (0,1,0), (-1,0,0), (0,0,1) -> LPS (0,-1,0), (1,0,0), (0,0,1)
  assert.deepEqual(
    vol.direction.map((x) => x + 0),
    [0, 1, 0, -1, 0, 0, 0, 0, 1],
  );
  assert.deepEqual(vol.origin, [-10, -20, 30]);
});

test("left-anterior-superior flips only the first coordinate; LPS is kept", async () => {
  const make = (space: string) =>
    enc(
      `NRRD0005\ntype: uchar\ndimension: 3\nspace: ${space}\nsizes: 1 1 1\nspace directions: (1,2,2) (0,3,0) (0,0,4)\nencoding: raw\nspace origin: (1,2,3)\n\n\u0007`,
    );
  const las = await readNrrd(make("LAS"), "las.nrrd");
  // (1,2,2)/3 -> LPS (-1/3, 2/3, 2/3)
  assertClose(las.direction, [-1 / 3, 0, 0, 2 / 3, 1, 0, 2 / 3, 0, 1], 1e-15, "LAS direction");
  assert.deepEqual(las.origin, [-1, 2, 3]);
  assert.deepEqual(las.spacing, [3, 3, 4]);
  const lps = await readNrrd(make("left-posterior-superior"), "lps.nrrd");
  assertClose(lps.direction, [1 / 3, 0, 0, 2 / 3, 1, 0, 2 / 3, 0, 1], 1e-15, "LPS direction");
  assert.deepEqual(lps.origin, [1, 2, 3]);
  assert.deepEqual(Array.from(lps.data), [7]);
});

test("detached header: relative data file with line skip and byte skip, gzip", async () => {
  const values = [100, 200, 300, 400, 500, 600];
  const payload = concat(enc("junk line\n"), new Uint8Array([1, 2, 3]), int16Bytes(values, true));
  const files: Record<string, Uint8Array> = {
    "sub/data.raw.gz": new Uint8Array(gzipSync(payload.subarray(10))),
    "data.raw": payload,
  };
  const resolve = async (name: string) => {
    const b = files[name];
    if (!b) throw new Error(`no such file ${name}`);
    return b;
  };
  const rawHeader = enc(
    "NRRD0004\ntype: int16\ndimension: 2\nspace dimension: 2\nsizes: 3 2\nspace directions: (0.5,0) (0,0.25)\nendian: little\nencoding: raw\nline skip: 1\nbyte skip: 3\nspace origin: (-1,-2)\ndata file: data.raw\n",
  );
  const raw = await readNrrd(rawHeader, "dir/img.nhdr", resolve);
  assert.deepEqual(Array.from(raw.data), values);
  assert.equal(raw.dimension, 2);
  assert.deepEqual(raw.size, [3, 2, 1]);
  assert.deepEqual(raw.spacing, [0.5, 0.25, 1]);
  assert.deepEqual(raw.origin, [-1, -2, 0]);
  // gzip: byte skip applies inside the decompressed stream
  const gzHeader = enc(
    "NRRD0004\ntype: int16\ndimension: 2\nsizes: 3 2\nendian: little\nencoding: gzip\nbyte skip: 3\ndata file: sub/data.raw.gz\n",
  );
  const gz = await readNrrd(gzHeader, "img.nhdr", resolve);
  assert.deepEqual(Array.from(gz.data), values);
  assert.deepEqual(gz.spacing, [1, 1, 1]);
});

test("LIST of data files, %d pattern, and byte skip -1 (data at the end of the file)", async () => {
  const slices = [int16Bytes([1, 2, 3, 4], true), int16Bytes([5, 6, 7, 8], true)];
  const files: Record<string, Uint8Array> = {
    "s0.raw": slices[0]!,
    "s1.raw": slices[1]!,
    "p001.raw": concat(new Uint8Array(5), slices[0]!, new Uint8Array([0])),
    "p002.raw": concat(new Uint8Array(7), slices[1]!, new Uint8Array([0])),
  };
  const resolve = async (name: string) => files[name] ?? Promise.reject(new Error("missing"));
  const list = await readNrrd(
    enc(
      "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\ndata file: LIST\ns0.raw\ns1.raw\n",
    ),
    "list.nhdr",
    resolve,
  );
  assert.deepEqual(Array.from(list.data), [1, 2, 3, 4, 5, 6, 7, 8]);
  const pattern = await readNrrd(
    enc(
      "NRRD0004\ntype: short\ndimension: 3\nsizes: 2 2 2\nendian: little\nencoding: raw\nbyte skip: -2\ndata file: p%03d.raw 1 2 1\n",
    ),
    "pattern.nhdr",
    resolve,
  );
  assert.deepEqual(Array.from(pattern.data), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test("spacings fallback without a space: identity direction, origin from axis mins (cell centring)", async () => {
  const bytes = enc(
    "NRRD0004\ntype: uint8\ndimension: 3\nsizes: 2 1 1\nspacings: 0.5 0.25 4\naxis mins: 10 20 30\nencoding: ascii\n\n3 4\n",
  );
  const vol = await readNrrd(bytes, "spacings.nrrd");
  assert.ok(vol.data instanceof Uint8Array);
  assert.deepEqual(Array.from(vol.data), [3, 4]);
  assert.deepEqual(vol.spacing, [0.5, 0.25, 4]);
  assert.deepEqual(vol.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  // nrrdOriginCalculate, cell centring: min + spacing / 2
  assert.deepEqual(vol.origin, [10.25, 20.125, 32]);
  const noMins = await readNrrd(
    enc("NRRD0004\ntype: uint8\ndimension: 2\nsizes: 1 1\nspacings: 2 3\nencoding: hex\n\n0A\n"),
    "hex.nrrd",
  );
  assert.deepEqual(noMins.origin, [0, 0, 0]);
  assert.deepEqual(noMins.spacing, [2, 3, 1]);
  assert.deepEqual(Array.from(noMins.data), [10]);
});

test("non-scalar, >3D and unsupported encodings are refused with the file named", async () => {
  const cases: [string, string, RegExp][] = [
    [
      "NRRD0004\ntype: float\ndimension: 4\nspace: LPS\nsizes: 3 2 2 2\nkinds: vector domain domain domain\nspace directions: none (1,0,0) (0,1,0) (0,0,1)\nendian: little\nencoding: raw\n\n",
      "vector.nrrd",
      /vector\.nrrd: .*non-scalar/,
    ],
    [
      "NRRD0004\ntype: float\ndimension: 4\nsizes: 2 2 2 2\nendian: little\nencoding: raw\n\n",
      "four.nrrd",
      /four\.nrrd: .*dimension 4/,
    ],
    [
      "NRRD0004\ntype: float\ndimension: 4\nspace: LPS\nsizes: 2 2 2 2\nspace directions: (1,0,0) (0,1,0) (0,0,1) none\nendian: little\nencoding: raw\n\n",
      "fourspace.nrrd",
      /fourspace\.nrrd: .*4 domain axes but space dimension 3/,
    ],
    [
      "NRRD0004\ntype: short\ndimension: 2\nsizes: 1 1\nendian: little\nencoding: bzip2\n\n",
      "bz.nrrd",
      /bz\.nrrd: .*bzip2/,
    ],
    [
      "NRRD0004\ntype: int64\ndimension: 2\nsizes: 1 1\nendian: little\nencoding: raw\n\n",
      "i64.nrrd",
      /i64\.nrrd: .*int64/,
    ],
    [
      "NRRD0004\ntype: short\ndimension: 2\nsizes: 1 1\nencoding: raw\n\n\0\0",
      "noendian.nrrd",
      /noendian\.nrrd: .*endian/,
    ],
  ];
  for (const [text, name, pattern] of cases) {
    await assert.rejects(readNrrd(enc(text), name), (e: unknown) => {
      assert.ok(e instanceof ImageReadError, `${name}: ImageReadError`);
      assert.match((e as Error).message, pattern);
      return true;
    });
  }
});

function randomVolume(kind: string, dimension: 2 | 3): Volume {
  const size: [number, number, number] = dimension === 3 ? [5, 4, 3] : [7, 6, 1];
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
    double: () =>
      Float64Array.from({ length: n }, (_, i) => (i === 2 ? -0 : Math.PI * i * 1e-7 - 1 / 3)),
  };
  const c = Math.cos(0.3);
  const s = Math.sin(0.3);
  return {
    data: make[kind]!(),
    size,
    spacing: [0.7812499999999999, 1 / 3, dimension === 3 ? 2.1000000000000001 : 1],
    origin: [-116.54304, -48.14465400000001, dimension === 3 ? 9.45000000000003 : 0],
    direction: dimension === 3 ? [c, -s, 0, s, c, 0, 0, 0, 1] : [c, -s, 0, s, c, 0, 0, 0, 1],
    dimension,
  };
}

test("NRRD writer round trip: every voxel type, gzip and raw, 2D and 3D, bit-exact data", async () => {
  for (const kind of ["int8", "uint8", "int16", "uint16", "int32", "uint32", "float", "double"]) {
    for (const encoding of ["gzip", "raw"] as const) {
      for (const dimension of [2, 3] as const) {
        const vol = randomVolume(kind, dimension);
        const bytes = await writeNrrd(vol, { encoding });
        const text = new TextDecoder().decode(bytes.subarray(0, 400));
        assert.match(text, new RegExp(`encoding: ${encoding}\\n`));
        assert.match(
          text,
          dimension === 3 ? /space: left-posterior-superior\n/ : /space dimension: 2\n/,
        );
        const back = await readImage(bytes, `rt.nrrd`);
        const what = `${kind}/${encoding}/${dimension}D`;
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

const REFERENCE_CASES: [string, string, [number, number, number], 2 | 3, number][] = [
  // case, voxel class, size, dimension, label-1 voxel count (reference README)
  ["brain1", "int16/int32", [256, 256, 25], 3, 4137],
  ["brain2", "int16/int32", [256, 256, 23], 3, 453],
  ["breast1", "int16/int16", [45, 120, 21], 3, 143],
  ["brain1_slice2D", "int16/int32", [256, 256, 1], 2, 984],
  ["brain2_slice2D", "int16/int32", [256, 256, 1], 2, 227],
  ["breast1_slice2D", "int16/int16", [45, 120, 1], 2, 82],
];

test("reads the PyRadiomics reference NRRDs with the sizes, spacing and ROI counts of their README", async (t) => {
  const ref = referenceDir();
  if (!ref || !existsSync(join(ref, "pyradiomics/data"))) {
    t.skip(missingReference("PyRadiomics NRRD data"));
    return;
  }
  for (const [name, types, size, dimension, roi] of REFERENCE_CASES) {
    const image = await readImageFile(join(ref, "pyradiomics/data", `${name}_image.nrrd`));
    const label = await readImageFile(join(ref, "pyradiomics/data", `${name}_label.nrrd`));
    const [imageType, labelType] = types.split("/");
    assert.equal(image.data.constructor, imageType === "int16" ? Int16Array : Int32Array, name);
    assert.equal(label.data.constructor, labelType === "int16" ? Int16Array : Int32Array, name);
    assert.deepEqual(image.size, size, name);
    assert.equal(image.dimension, dimension, name);
    let count = 0;
    for (const v of label.data) if (v === 1) count++;
    assert.equal(count, roi, `${name} label-1 voxels`);
    assert.deepEqual(label.origin, image.origin, name);
  }
  // brain1 header: space directions (0.78124999999999989,0,0) (0,-0.78124999999999989,0)
  // (0,0,6.4999999999999982), space origin (-99.609374999999986,99.609374999999986,-77.999999999999957)
  const brain1 = await readImageFile(join(ref, "pyradiomics/data/brain1_image.nrrd"));
  assert.deepEqual(brain1.spacing, [0.78124999999999989, 0.78124999999999989, 6.4999999999999982]);
  assert.deepEqual(
    brain1.direction.map((x) => x + 0),
    [1, 0, 0, 0, -1, 0, 0, 0, 1],
  );
  assert.deepEqual(brain1.origin, [-99.609374999999986, 99.609374999999986, -77.999999999999957]);
  // breast1 header: (0.66406200000000004,0,0) (0,0.66406200000000004,0) (0,0,2.1000000000000001)
  const breast1 = await readImageFile(join(ref, "pyradiomics/data/breast1_image.nrrd"));
  assert.deepEqual(breast1.spacing, [0.66406200000000004, 0.66406200000000004, 2.1000000000000001]);
  assert.deepEqual(breast1.origin, [-116.54304, -48.14465400000001, 9.4500000000000295]);
  // 2D slice: space dimension 2, (0.7812499999999999,0.0) (0.0,-0.7812499999999999)
  const slice = await readImageFile(join(ref, "pyradiomics/data/brain1_slice2D_image.nrrd"));
  assert.deepEqual(slice.spacing, [0.7812499999999999, 0.7812499999999999, 1]);
  assert.deepEqual(
    slice.direction.map((x) => x + 0),
    [1, 0, 0, 0, -1, 0, 0, 0, 1],
  );
  assert.deepEqual(slice.origin, [-99.60937499999999, 99.60937499999999, 0]);
});
