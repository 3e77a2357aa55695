/**
 * NRRD reader (minimal first version: attached header, raw or gzip encoding).
 * Geometry as ITK's NrrdImageIO: spacing = length of each `space directions` vector, direction
 * columns = the normalised vectors, origin = `space origin`.
 */
import {
  allocateVoxels,
  IDENTITY3,
  type Mat3,
  type Vec3,
  type Volume,
  type VoxelType,
} from "../image/volume.js";
import { gunzip } from "./gzip.js";

const TYPE_NAMES: Record<string, VoxelType> = {
  "signed char": "int8",
  int8: "int8",
  int8_t: "int8",
  uchar: "uint8",
  "unsigned char": "uint8",
  uint8: "uint8",
  uint8_t: "uint8",
  short: "int16",
  "short int": "int16",
  "signed short": "int16",
  "signed short int": "int16",
  int16: "int16",
  int16_t: "int16",
  ushort: "uint16",
  "unsigned short": "uint16",
  "unsigned short int": "uint16",
  uint16: "uint16",
  uint16_t: "uint16",
  int: "int32",
  "signed int": "int32",
  int32: "int32",
  int32_t: "int32",
  uint: "uint32",
  "unsigned int": "uint32",
  uint32: "uint32",
  uint32_t: "uint32",
  float: "float",
  double: "double",
};

export class NrrdError extends Error {}

export async function readNrrd(bytes: Uint8Array, source = "<nrrd>"): Promise<Volume> {
  const magic = new TextDecoder("latin1").decode(bytes.subarray(0, 8));
  if (!magic.startsWith("NRRD000"))
    throw new NrrdError(`${source}: not a NRRD file (no NRRD000x magic)`);
  let headerEnd = -1;
  for (let i = 0; i + 1 < bytes.length; i++) {
    if (bytes[i] === 10 && bytes[i + 1] === 10) {
      headerEnd = i + 2;
      break;
    }
    if (bytes[i] === 10 && bytes[i + 1] === 13 && bytes[i + 2] === 10) {
      headerEnd = i + 3;
      break;
    }
  }
  if (headerEnd < 0) throw new NrrdError(`${source}: NRRD header has no terminating blank line`);
  const lines = new TextDecoder("latin1").decode(bytes.subarray(0, headerEnd)).split(/\r?\n/);
  const fields = new Map<string, string>();
  for (const line of lines.slice(1)) {
    if (line.startsWith("#") || line.trim() === "") continue;
    const m = /^([^:]+):=?\s?(.*)$/.exec(line);
    if (m) fields.set(m[1]!.trim().toLowerCase(), m[2]!.trim());
  }
  const typeName = fields.get("type");
  const type = typeName ? TYPE_NAMES[typeName.toLowerCase()] : undefined;
  if (!type) throw new NrrdError(`${source}: unsupported NRRD type '${typeName}'`);
  const dimension = Number(fields.get("dimension"));
  if (dimension !== 2 && dimension !== 3)
    throw new NrrdError(`${source}: dimension ${dimension} not supported (2 or 3)`);
  const sizes = (fields.get("sizes") ?? "").split(/\s+/).map(Number);
  if (sizes.length !== dimension || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new NrrdError(`${source}: bad 'sizes' field`);
  }
  const size: Vec3 = [sizes[0]!, sizes[1]!, dimension === 3 ? sizes[2]! : 1];
  const spacing: Vec3 = [1, 1, 1];
  const direction: Mat3 = [...IDENTITY3];
  const origin: Vec3 = [0, 0, 0];
  const dirs = fields.get("space directions");
  if (dirs) {
    const vectors = [...dirs.matchAll(/\(([^)]*)\)/g)].map((m) => m[1]!.split(",").map(Number));
    vectors.forEach((v, axis) => {
      const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      spacing[axis] = norm;
      for (let r = 0; r < v.length; r++) direction[r * 3 + axis] = v[r]! / norm;
    });
  }
  const org = fields.get("space origin");
  if (org) {
    const v = org.replace(/[()]/g, "").split(",").map(Number);
    for (let i = 0; i < v.length; i++) origin[i] = v[i]!;
  }
  const encoding = (fields.get("encoding") ?? "raw").toLowerCase();
  let payload = bytes.subarray(headerEnd);
  if (encoding === "gzip" || encoding === "gz") payload = await gunzip(payload);
  else if (encoding !== "raw")
    throw new NrrdError(`${source}: encoding '${encoding}' not supported`);
  const n = size[0] * size[1] * size[2];
  const data = allocateVoxels(type, n);
  const bytesPer = data.BYTES_PER_ELEMENT;
  if (payload.length < n * bytesPer) throw new NrrdError(`${source}: data truncated`);
  const bigEndian = (fields.get("endian") ?? "little").toLowerCase() === "big";
  const view = new DataView(payload.buffer, payload.byteOffset, n * bytesPer);
  const out = new Uint8Array(data.buffer);
  for (let i = 0; i < n * bytesPer; i += bytesPer) {
    for (let b = 0; b < bytesPer; b++)
      out[i + b] = view.getUint8(bigEndian ? i + bytesPer - 1 - b : i + b);
  }
  return { data, size, spacing, origin, direction, dimension };
}
