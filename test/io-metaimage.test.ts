/**
 * MetaImage reader tests on hand-written headers. Expected geometry follows MetaIO / ITK
 * MetaImageIO: row i of TransformMatrix is the direction of index axis i, Offset/Position/Origin
 * give the origin (Origin overrides Offset overrides Position), ElementSpacing the spacing.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { deflateSync } from "node:zlib";
import { ImageReadError } from "../src/io/image-error.js";
import { readMetaImage } from "../src/io/metaimage.js";
import { readImage } from "../src/io/read-image.js";

const enc = (s: string) => new TextEncoder().encode(s);
function withData(header: string, data: Uint8Array): Uint8Array {
  const h = enc(header);
  const out = new Uint8Array(h.length + data.length);
  out.set(h);
  out.set(data, h.length);
  return out;
}
function int16(values: number[], little: boolean): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const v = new DataView(out.buffer);
  values.forEach((x, i) => {
    v.setInt16(2 * i, x, little);
  });
  return out;
}

test(".mha attached, big-endian int16, TransformMatrix rows are axis directions", async () => {
  const values = [1, -2, 300, -400, 5, 6, 7, 8];
  const header = [
    "ObjectType = Image",
    "NDims = 3",
    "BinaryData = True",
    "BinaryDataByteOrderMSB = True",
    "CompressedData = False",
    "TransformMatrix = 0 1 0 -1 0 0 0 0 1",
    "Offset = 1.5 -2.5 3",
    "CenterOfRotation = 0 0 0",
    "AnatomicalOrientation = RAI",
    "ElementSpacing = 0.5 0.25 2",
    "DimSize = 2 2 2",
    "ElementType = MET_SHORT",
    "ElementDataFile = LOCAL",
    "",
  ].join("\n");
  const vol = await readMetaImage(withData(header, int16(values, false)), "a.mha");
  assert.ok(vol.data instanceof Int16Array);
  assert.deepEqual(Array.from(vol.data), values);
  assert.deepEqual(vol.size, [2, 2, 2]);
  assert.deepEqual(vol.spacing, [0.5, 0.25, 2]);
  assert.deepEqual(vol.origin, [1.5, -2.5, 3]);
  // axis 0 along (0,1,0), axis 1 along (-1,0,0), axis 2 along (0,0,1) -> row-major columns
  assert.deepEqual(vol.direction, [0, -1, 0, 1, 0, 0, 0, 0, 1]);
  assert.equal(vol.dimension, 3);
});

test(".mhd detached raw with HeaderSize, precedence of Origin over Offset over Position", async () => {
  const data = new Uint8Array(16);
  new DataView(data.buffer).setFloat32(4, 1.25, true);
  new DataView(data.buffer).setFloat32(8, -7.5, true);
  const raw = new Uint8Array([9, 9, 9, 9, ...data.subarray(4, 12)]);
  const header = [
    "ObjectType = Image",
    "NDims = 2",
    "DimSize = 2 1",
    "Position = 9 9",
    "Offset = 8 8",
    "Origin = -1 2",
    "ElementSize = 3 4",
    "HeaderSize = 4",
    "ElementType = MET_FLOAT",
    "ElementDataFile = sub/img.raw",
    "",
  ].join("\n");
  const resolve = async (name: string) => {
    if (name !== "sub/img.raw") throw new Error(`missing ${name}`);
    return raw;
  };
  const vol = await readImage(enc(header), "dir/img.mhd", resolve);
  assert.ok(vol.data instanceof Float32Array);
  assert.deepEqual(Array.from(vol.data), [1.25, -7.5]);
  assert.equal(vol.dimension, 2);
  assert.deepEqual(vol.size, [2, 1, 1]);
  assert.deepEqual(vol.origin, [-1, 2, 0]);
  assert.deepEqual(vol.spacing, [3, 4, 1]);
  assert.deepEqual(vol.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
});

test("CompressedData = True (zlib) with CompressedDataSize, Orientation as a synonym", async () => {
  const values = Array.from({ length: 24 }, (_, i) => i * 1000 - 7000);
  const packed = new Uint8Array(deflateSync(int16(values, true)));
  const header = [
    "ObjectType = Image",
    "NDims = 3",
    "BinaryData = True",
    "BinaryDataByteOrderMSB = False",
    "CompressedData = True",
    `CompressedDataSize = ${packed.length}`,
    "Orientation = 1 0 0 0 0 1 0 -1 0",
    "ElementSpacing = 1 1 1",
    "DimSize = 4 3 2",
    "ElementType = MET_SHORT",
    "ElementDataFile = LOCAL",
    "",
  ].join("\n");
  const vol = await readImage(withData(header, packed), "c.mha");
  assert.deepEqual(Array.from(vol.data), values);
  // axis 1 along (0,0,1), axis 2 along (0,-1,0)
  assert.deepEqual(vol.direction, [1, 0, 0, 0, 0, -1, 0, 1, 0]);
});

test("vector, 64-bit and ASCII MetaImages and missing data files are refused, naming the file", async () => {
  const base = (extra: string, type = "MET_SHORT", file = "LOCAL") =>
    enc(
      `ObjectType = Image\nNDims = 2\nDimSize = 1 1\n${extra}ElementType = ${type}\nElementDataFile = ${file}\n\0\0\0\0\0\0\0\0`,
    );
  const cases: [Uint8Array, RegExp][] = [
    [base("ElementNumberOfChannels = 3\n"), /v\.mha: .*ElementNumberOfChannels = 3/],
    [base("", "MET_LONG_LONG"), /v\.mha: .*MET_LONG_LONG/],
    [base("BinaryData = False\n"), /v\.mha: .*ASCII/],
    [base("", "MET_SHORT", "gone.raw"), /v\.mha: .*gone\.raw/],
    [
      enc(
        "ObjectType = Image\nNDims = 2\nDimSize = 4 4\nElementType = MET_SHORT\nElementDataFile = LOCAL\n\0\0",
      ),
      /v\.mha: truncated/,
    ],
  ];
  const resolve = async (name: string): Promise<Uint8Array> => {
    throw new ImageReadError(name, "file not found");
  };
  for (const [bytes, pattern] of cases) {
    await assert.rejects(readMetaImage(bytes, "v.mha", resolve), (e: unknown) => {
      assert.ok(e instanceof ImageReadError);
      assert.match((e as Error).message, pattern);
      return true;
    });
  }
});
