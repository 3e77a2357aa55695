/**
 * MetaImage writer (.mha: header and voxels in one file), laid out as ITK's MetaImageIO writes it:
 * `ObjectType = Image`, `NDims = 3`, `BinaryData = True`, `BinaryDataByteOrderMSB = False`,
 * `CompressedData = False`, `TransformMatrix` (direction column k, i.e. the direction of index axis
 * k, written as values k*3 .. k*3+2, the reading rule of metaimage.ts), `Offset` (origin),
 * `CenterOfRotation`, `AnatomicalOrientation`, `ElementSpacing`, `DimSize`, `ElementType`, then
 * `ElementDataFile = LOCAL` followed by the raw little-endian voxels.
 */
import { type Volume, type VoxelType, voxelTypeOf } from "../image/volume.js";
import { HOST_LITTLE_ENDIAN, ImageWriteError, swapBytesInPlace } from "./image-error.js";

const MET_TYPE: Record<VoxelType, string> = {
  int8: "MET_CHAR",
  uint8: "MET_UCHAR",
  int16: "MET_SHORT",
  uint16: "MET_USHORT",
  int32: "MET_INT",
  uint32: "MET_UINT",
  float: "MET_FLOAT",
  double: "MET_DOUBLE",
};

/** Shortest text that parses back to the same double. */
const num = (x: number) => String(x);

export function writeMetaImage(volume: Volume, options: { file?: string } = {}): Uint8Array {
  const [head, body] = metaImageParts(volume, options);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** The .mha file as its header text and its voxels (a view of the volume's array on little-endian hosts). */
export function metaImageParts(
  volume: Volume,
  options: { file?: string } = {},
): [Uint8Array, Uint8Array] {
  const file = options.file ?? "image.mha";
  const { size, spacing, origin, direction: d } = volume;
  for (const v of [...spacing, ...origin, ...d]) {
    if (!Number.isFinite(v)) throw new ImageWriteError(file, "geometry holds a non-finite number");
  }
  const matrix: number[] = [];
  for (let axis = 0; axis < 3; axis++) for (let r = 0; r < 3; r++) matrix.push(d[r * 3 + axis]!);
  const header = [
    "ObjectType = Image",
    "NDims = 3",
    "BinaryData = True",
    "BinaryDataByteOrderMSB = False",
    "CompressedData = False",
    `TransformMatrix = ${matrix.map(num).join(" ")}`,
    `Offset = ${origin.map(num).join(" ")}`,
    "CenterOfRotation = 0 0 0",
    "AnatomicalOrientation = RAI",
    `ElementSpacing = ${spacing.map(num).join(" ")}`,
    `DimSize = ${size.join(" ")}`,
    `ElementType = ${MET_TYPE[voxelTypeOf(volume.data)]}`,
    "ElementDataFile = LOCAL",
    "",
  ].join("\n");
  const data = volume.data;
  let body = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (!HOST_LITTLE_ENDIAN && data.BYTES_PER_ELEMENT > 1) {
    body = body.slice();
    swapBytesInPlace(body, data.BYTES_PER_ELEMENT);
  }
  return [new TextEncoder().encode(header), body];
}
