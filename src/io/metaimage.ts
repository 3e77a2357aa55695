/**
 * MetaImage reader (`.mha` with the data attached, `.mhd` with `ElementDataFile` naming a raw file,
 * a `%d` slice pattern or `LIST`), giving the geometry ITK's MetaImageIO gives.
 *
 * Header grammar and precedence as MetaIO (metaObject.cxx / metaImage.cxx M_Read): `Key = Value`
 * lines up to `ElementDataFile`; origin from `Position`, overridden by `Offset`, then `Origin`, then
 * `ImagePosition`; direction matrix from `Orientation`, overridden by `Rotation`, then
 * `TransformMatrix` (identity when none); spacing from `ElementSpacing`, else `ElementSize`, else 1.
 * `AnatomicalOrientation` is informative only (MetaIO does not change the geometry for it).
 * ITK's MetaImageIO::ReadImageInformation makes row i of the stored n x n matrix the direction of
 * index axis i, i.e. direction[r][c] = TransformMatrix[c * n + r].
 * `CompressedData = True` data are zlib (or gzip) streams; `BinaryDataByteOrderMSB` /
 * `ElementByteOrderMSB` give the byte order; `HeaderSize` skips bytes (-1: data are the last bytes).
 */
import {
  type Mat3,
  type Vec3,
  type Volume,
  type VoxelArray,
  type VoxelType,
  allocateVoxels,
} from "../image/volume.js";
import {
  ImageReadError,
  type ResolveDataFile,
  VOXEL_BYTES,
  decodeVoxels,
  decompressOrFail,
  parseNumber,
} from "./image-error.js";

const ELEMENT_TYPES: Record<string, VoxelType | string> = {
  MET_CHAR: "int8",
  MET_UCHAR: "uint8",
  MET_SHORT: "int16",
  MET_USHORT: "uint16",
  MET_INT: "int32",
  MET_UINT: "uint32",
  MET_LONG: "int32",
  MET_ULONG: "uint32",
  MET_FLOAT: "float",
  MET_DOUBLE: "double",
  MET_LONG_LONG: "int64",
  MET_ULONG_LONG: "uint64",
  MET_STRING: "string",
};

/** The `Key = Value` fields of a MetaImage header and where the attached data start. */
export interface MetaImageHeader {
  fields: Map<string, string>;
  /** Byte offset just after the ElementDataFile line. */
  dataOffset: number;
}

/** Splits a MetaImage header into fields (keys compared case-insensitively). */
export function parseMetaImageHeader(bytes: Uint8Array, file: string): MetaImageHeader {
  const fields = new Map<string, string>();
  let pos = 0;
  while (pos < bytes.length) {
    let nl = bytes.indexOf(10, pos);
    const lineEnd = nl < 0 ? bytes.length : nl;
    nl = nl < 0 ? bytes.length : nl + 1;
    if (lineEnd - pos > 65536) {
      throw new ImageReadError(file, "corrupt MetaImage header: line too long (not a text header)");
    }
    const line = String.fromCharCode(...bytes.subarray(pos, lineEnd)).replace(/\r$/, "");
    pos = nl;
    if (line.trim() === "") continue;
    const eq = line.indexOf("=");
    if (eq < 0) {
      throw new ImageReadError(
        file,
        `corrupt MetaImage header: cannot parse line "${line.slice(0, 80)}"`,
      );
    }
    const key = line.slice(0, eq).trim().toLowerCase();
    const value = line.slice(eq + 1).trim();
    if (!/^[a-z0-9_]+$/.test(key)) {
      throw new ImageReadError(file, `corrupt MetaImage header: bad field name "${key}"`);
    }
    fields.set(key, value);
    if (key === "elementdatafile") return { fields, dataOffset: pos };
  }
  throw new ImageReadError(file, "corrupt MetaImage header: no ElementDataFile field");
}

function numbers(
  file: string,
  fields: Map<string, string>,
  key: string,
  name: string,
): number[] | undefined {
  const text = fields.get(key);
  if (text === undefined) return undefined;
  const values = text
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map(parseNumber);
  if (values.some((v) => Number.isNaN(v))) {
    throw new ImageReadError(
      file,
      `corrupt MetaImage header: ${name} = "${text}" is not a list of numbers`,
    );
  }
  return values;
}

function truth(text: string | undefined): boolean {
  return text !== undefined && /^[Tt1]/.test(text);
}

/**
 * Reads a MetaImage (.mha / .mhd) into a Volume with ITK's geometry. `resolve` loads the data
 * file(s) named by ElementDataFile relative to the header.
 */
export async function readMetaImage(
  bytes: Uint8Array,
  file = "<metaimage>",
  resolve?: ResolveDataFile,
): Promise<Volume> {
  const { fields, dataOffset } = parseMetaImageHeader(bytes, file);
  const objectType = fields.get("objecttype");
  if (objectType !== undefined && objectType.toLowerCase() !== "image") {
    throw new ImageReadError(file, `unsupported MetaImage ObjectType "${objectType}" (only Image)`);
  }
  const nd = numbers(file, fields, "ndims", "NDims")?.[0];
  if (nd === undefined) throw new ImageReadError(file, "corrupt MetaImage header: no NDims field");
  if (nd !== 2 && nd !== 3) {
    throw new ImageReadError(file, `unsupported MetaImage dimension NDims = ${nd} (only 2 and 3)`);
  }
  const dimSize = numbers(file, fields, "dimsize", "DimSize");
  if (
    !dimSize ||
    dimSize.length < nd ||
    dimSize.slice(0, nd).some((s) => !Number.isInteger(s) || s < 1)
  ) {
    throw new ImageReadError(
      file,
      `corrupt MetaImage header: bad DimSize "${fields.get("dimsize") ?? ""}"`,
    );
  }
  const typeText = fields.get("elementtype");
  if (typeText === undefined)
    throw new ImageReadError(file, "corrupt MetaImage header: no ElementType");
  const typeName = ELEMENT_TYPES[typeText.toUpperCase()];
  if (typeName === undefined || /_ARRAY$|_MATRIX$/i.test(typeText)) {
    throw new ImageReadError(file, `unsupported MetaImage ElementType "${typeText}"`);
  }
  if (
    !["int8", "uint8", "int16", "uint16", "int32", "uint32", "float", "double"].includes(typeName)
  ) {
    throw new ImageReadError(
      file,
      `unsupported MetaImage ElementType "${typeText}" (${typeName} voxels)`,
    );
  }
  const type = typeName as VoxelType;
  const channels =
    numbers(file, fields, "elementnumberofchannels", "ElementNumberOfChannels")?.[0] ?? 1;
  if (channels !== 1) {
    throw new ImageReadError(
      file,
      `unsupported MetaImage image: ElementNumberOfChannels = ${channels} (only scalar images are read)`,
    );
  }
  if (fields.has("binarydata") && !truth(fields.get("binarydata"))) {
    throw new ImageReadError(
      file,
      "unsupported MetaImage encoding: BinaryData = False (ASCII data)",
    );
  }

  // ---- geometry (MetaIO precedence)
  const n = nd;
  const size: Vec3 = [dimSize[0]!, dimSize[1]!, n === 3 ? dimSize[2]! : 1];
  const spacing: Vec3 = [1, 1, 1];
  const spacingValues =
    numbers(file, fields, "elementspacing", "ElementSpacing") ??
    numbers(file, fields, "elementsize", "ElementSize");
  if (spacingValues) {
    if (spacingValues.length < n) {
      throw new ImageReadError(file, "corrupt MetaImage header: ElementSpacing has too few values");
    }
    for (let i = 0; i < n; i++) spacing[i] = spacingValues[i]!;
  }
  const origin: Vec3 = [0, 0, 0];
  for (const [key, name] of [
    ["position", "Position"],
    ["offset", "Offset"],
    ["origin", "Origin"],
    ["imageposition", "ImagePosition"],
  ] as const) {
    const o = numbers(file, fields, key, name);
    if (!o) continue;
    if (o.length < n)
      throw new ImageReadError(file, `corrupt MetaImage header: ${name} has too few values`);
    for (let i = 0; i < n; i++) origin[i] = o[i]!;
  }
  const direction: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  let matrix: number[] | undefined;
  for (const [key, name] of [
    ["orientation", "Orientation"],
    ["rotation", "Rotation"],
    ["transformmatrix", "TransformMatrix"],
  ] as const) {
    const m = numbers(file, fields, key, name);
    if (!m) continue;
    if (m.length < n * n) {
      throw new ImageReadError(file, `corrupt MetaImage header: ${name} needs ${n * n} values`);
    }
    matrix = m;
  }
  if (matrix) {
    for (let axis = 0; axis < n; axis++) {
      for (let r = 0; r < n; r++) direction[r * 3 + axis] = matrix[axis * n + r]!;
    }
  }

  // ---- data
  const count = size[0] * size[1] * size[2];
  const msb = truth(fields.get("binarydatabyteordermsb") ?? fields.get("elementbyteordermsb"));
  const compressed = truth(fields.get("compresseddata"));
  const compressedSize =
    numbers(file, fields, "compresseddatasize", "CompressedDataSize")?.[0] ?? 0;
  const headerSize = numbers(file, fields, "headersize", "HeaderSize")?.[0] ?? 0;
  const dataFile = fields.get("elementdatafile")!;
  const data = await readMetaData(file, bytes, dataOffset, dataFile, {
    type,
    count,
    sizes: [size[0], size[1], size[2]].slice(0, n),
    littleEndian: !msb,
    compressed,
    compressedSize,
    headerSize,
    resolve,
  });
  return { data, size, spacing, origin, direction, dimension: n };
}

interface DataSpec {
  type: VoxelType;
  count: number;
  sizes: number[];
  littleEndian: boolean;
  compressed: boolean;
  compressedSize: number;
  headerSize: number;
  resolve: ResolveDataFile | undefined;
}

async function readMetaData(
  file: string,
  bytes: Uint8Array,
  dataOffset: number,
  dataFile: string,
  spec: DataSpec,
): Promise<VoxelArray> {
  const names: string[] = [];
  let local = false;
  const words = dataFile.split(/\s+/).filter((w) => w.length > 0);
  if (/^local$/i.test(dataFile)) {
    local = true;
  } else if (words[0] === "LIST" || dataFile.startsWith("LIST")) {
    const n = spec.sizes.length;
    let fileDim = words.length > 1 ? Math.trunc(Number(words[1])) : n - 1;
    if (!(fileDim > 0) || fileDim > n) fileDim = n - 1;
    const listed = String.fromCharCode(...bytes.subarray(dataOffset))
      .split(/\r?\n/)
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
    const total = spec.sizes.slice(fileDim).reduce((p, s) => p * s, 1);
    if (listed.length < total) {
      throw new ImageReadError(file, `MetaImage LIST names ${listed.length} files, need ${total}`);
    }
    names.push(...listed.slice(0, total));
  } else if (dataFile.includes("%")) {
    const n = spec.sizes.length;
    const last = spec.sizes[n - 1]!;
    let min = 1;
    let max = last;
    let step = 1;
    if (words.length >= 2) {
      min = Math.trunc(Number(words[1]));
      max = min + last - 1;
    }
    if (words.length >= 3) {
      max = Math.trunc(Number(words[2]));
      step = Math.trunc((max - min) / last);
    }
    if (words.length >= 4) step = Math.trunc(Number(words[3]));
    if (!(step > 0))
      throw new ImageReadError(file, `corrupt MetaImage ElementDataFile "${dataFile}"`);
    for (let i = 0, v = min; i < last; i++, v += step) names.push(formatC(words[0]!, v));
  } else {
    names.push(dataFile);
  }

  const pieces = local ? 1 : names.length;
  const perPiece = spec.count / pieces;
  const out = allocateVoxels(spec.type, spec.count);
  const outBytes = new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  const bytesPer = VOXEL_BYTES[spec.type];
  for (let p = 0; p < pieces; p++) {
    let src: Uint8Array;
    let start: number;
    let srcName: string;
    if (local) {
      src = bytes;
      start = dataOffset;
      srcName = file;
    } else {
      const name = names[p]!;
      srcName = name;
      if (!spec.resolve) {
        throw new ImageReadError(
          file,
          `data file "${name}" cannot be loaded (no data-file resolver was given)`,
        );
      }
      try {
        src = await spec.resolve(name);
      } catch (error) {
        const why = error instanceof ImageReadError ? error.reason : String(error);
        throw new ImageReadError(file, `cannot read data file "${name}": ${why}`, { cause: error });
      }
      start = 0;
    }
    const needed = perPiece * bytesPer;
    if (spec.headerSize > 0) start = spec.headerSize;
    let voxels: VoxelArray;
    if (spec.compressed) {
      const end = spec.compressedSize > 0 ? start + spec.compressedSize : src.length;
      if (end > src.length) {
        throw new ImageReadError(
          srcName,
          `truncated compressed data: CompressedDataSize is ${spec.compressedSize} but only ${src.length - start} bytes follow the header`,
        );
      }
      const packed = src.subarray(start, end);
      const format = packed[0] === 0x1f && packed[1] === 0x8b ? "gzip" : "deflate";
      const raw = await decompressOrFail(srcName, packed, format, needed);
      voxels = decodeVoxels(srcName, raw, 0, spec.type, perPiece, spec.littleEndian, {
        owned: true,
      });
    } else {
      if (spec.headerSize === -1) start = src.length - needed;
      voxels = decodeVoxels(srcName, src, start, spec.type, perPiece, spec.littleEndian);
    }
    outBytes.set(new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength), p * needed);
  }
  return out;
}

/** printf-style `%d` / `%03d` substitution for MetaIO slice-file patterns. */
function formatC(fmt: string, value: number): string {
  return fmt.replace(/%(0?)(\d*)d/, (_m, zero: string, width: string) => {
    const s = String(value);
    const w = width ? Number(width) : 0;
    return s.length < w ? (zero ? "0" : " ").repeat(w - s.length) + s : s;
  });
}
