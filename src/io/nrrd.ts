/**
 * NRRD reader (teem NRRD0001-NRRD0005 headers), giving the geometry ITK's NrrdImageIO gives.
 *
 * Supported: attached (`.nrrd`) and detached (`.nhdr`) headers, `data file` as one name, as a
 * `%d` pattern (`name%03d.raw <min> <max> <step> [<subdim>]`) or as `LIST [<subdim>]`, `line skip`,
 * `byte skip` (including `-1`: data are the last bytes of a raw file), encodings raw, gzip, ascii
 * and hex (bzip2 is rejected with a clear error), every scalar type except 64-bit integers, both
 * byte orders, `space` / `space dimension`, `space directions` (`none` for non-spatial axes),
 * `space origin`, `spacings` and `axis mins` when there is no space, `kinds`.
 *
 * Geometry exactly as ITK 5 (Modules/IO/NRRD/src/itkNrrdImageIO.cxx, ReadImageInformation, with
 * teem's nrrdSpacingCalculate / nrrdOriginCalculate):
 *  - spacing of a domain axis = |v| = sqrt(sum v_i^2) of its space-direction vector v, direction
 *    column = (1/|v|) * v (multiplied by the reciprocal, as teem's nrrdSpaceVecScale does);
 *  - `space: right-anterior-superior` flips the sign of the first two coordinates of every
 *    direction and of the origin, `left-anterior-superior` flips the first; LPS and every other
 *    space are taken as they are (ITK does not convert them either);
 *  - without a space, `spacings` gives the spacing (direction identity) and the origin is
 *    min + spacing/2 from `axis mins` (cell centring by default), else 0;
 *  - a header whose space dimension differs from the number of domain axes, a non-scalar (vector,
 *    colour, tensor) axis, or a domain dimension other than 2 or 3 is refused with a clear error.
 */
import {
  IDENTITY3,
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
  dirnameOf,
  parseNumber,
} from "./image-error.js";

const TYPE_NAMES: Record<string, VoxelType | "int64" | "uint64" | "block"> = {
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
  longlong: "int64",
  "long long": "int64",
  "long long int": "int64",
  "signed long long": "int64",
  "signed long long int": "int64",
  int64: "int64",
  int64_t: "int64",
  ulonglong: "uint64",
  "unsigned long long": "uint64",
  "unsigned long long int": "uint64",
  uint64: "uint64",
  uint64_t: "uint64",
  float: "float",
  double: "double",
  block: "block",
};

type Encoding = "raw" | "gzip" | "ascii" | "hex" | "bzip2";
const ENCODINGS: Record<string, Encoding> = {
  raw: "raw",
  txt: "ascii",
  text: "ascii",
  ascii: "ascii",
  hex: "hex",
  gz: "gzip",
  gzip: "gzip",
  bz2: "bzip2",
  bzip2: "bzip2",
};

type Space = "RAS" | "LAS" | "LPS" | "other";
/** teem's space names (case-insensitive) with their dimension and LPS conversion class. */
const SPACES: Record<string, { dim: number; kind: Space }> = {};
for (const [names, dim, kind] of [
  [
    ["right-anterior-superior", "right anterior superior", "rightanteriorsuperior", "ras"],
    3,
    "RAS",
  ],
  [["left-anterior-superior", "left anterior superior", "leftanteriorsuperior", "las"], 3, "LAS"],
  [
    ["left-posterior-superior", "left posterior superior", "leftposteriorsuperior", "lps"],
    3,
    "LPS",
  ],
  [
    [
      "right-anterior-superior-time",
      "right anterior superior time",
      "rightanteriorsuperiortime",
      "rast",
    ],
    4,
    "other",
  ],
  [
    [
      "left-anterior-superior-time",
      "left anterior superior time",
      "leftanteriorsuperiortime",
      "last",
    ],
    4,
    "other",
  ],
  [
    [
      "left-posterior-superior-time",
      "left posterior superior time",
      "leftposteriorsuperiortime",
      "lpst",
    ],
    4,
    "other",
  ],
  [["scanner-xyz"], 3, "other"],
  [["scanner-xyz-time", "scanner-xyzt"], 4, "other"],
  [["3d-right-handed", "3d right handed", "3drighthanded"], 3, "other"],
  [["3d-left-handed", "3d left handed", "3dlefthanded"], 3, "other"],
  [["3d-right-handed-time", "3d right handed time", "3drighthandedtime"], 4, "other"],
  [["3d-left-handed-time", "3d left handed time", "3dlefthandedtime"], 4, "other"],
] as [string[], number, Space][]) {
  for (const n of names) SPACES[n] = { dim, kind };
}

/** teem field names (and their space-less spellings) mapped to one canonical name. */
const FIELD_NAMES: Record<string, string> = {
  content: "content",
  number: "number",
  type: "type",
  "block size": "block size",
  blocksize: "block size",
  dimension: "dimension",
  space: "space",
  "space dimension": "space dimension",
  spacedimension: "space dimension",
  sizes: "sizes",
  spacings: "spacings",
  thicknesses: "thicknesses",
  "axis mins": "axis mins",
  axismins: "axis mins",
  "axis maxs": "axis maxs",
  axismaxs: "axis maxs",
  "space directions": "space directions",
  spacedirections: "space directions",
  centers: "centers",
  centerings: "centers",
  kinds: "kinds",
  labels: "labels",
  units: "units",
  min: "min",
  max: "max",
  "old min": "old min",
  oldmin: "old min",
  "old max": "old max",
  oldmax: "old max",
  endian: "endian",
  encoding: "encoding",
  "line skip": "line skip",
  lineskip: "line skip",
  "byte skip": "byte skip",
  byteskip: "byte skip",
  "sample units": "sample units",
  sampleunits: "sample units",
  "space units": "space units",
  spaceunits: "space units",
  "space origin": "space origin",
  spaceorigin: "space origin",
  "measurement frame": "measurement frame",
  measurementframe: "measurement frame",
  "data file": "data file",
  datafile: "data file",
};

const DOMAIN_KINDS = new Set(["", "???", "none", "domain", "space", "time"]);

/** The parsed header of a NRRD file: canonical fields, key/value pairs, where the data start. */
export interface NrrdHeader {
  /** Canonical field name -> raw value text. */
  fields: Map<string, string>;
  /** `key:=value` pairs. */
  keyValues: Map<string, string>;
  /** File names listed after `data file: LIST`. */
  listedFiles: string[];
  /** Byte offset just after the blank line that ends the header (bytes.length when none). */
  dataOffset: number;
  /** True when the header ended with a blank line (data may follow in the same file). */
  endedWithBlankLine: boolean;
}

/** Splits the header of a NRRD file into fields (teem's NRRD000x header grammar). */
export function parseNrrdHeader(bytes: Uint8Array, file: string): NrrdHeader {
  if (
    bytes.length < 8 ||
    String.fromCharCode(...bytes.subarray(0, 7)) !== "NRRD000" ||
    bytes[7]! < 0x31 ||
    bytes[7]! > 0x39
  ) {
    throw new ImageReadError(file, "not a NRRD file (it does not start with NRRD000x)");
  }
  const fields = new Map<string, string>();
  const keyValues = new Map<string, string>();
  const listedFiles: string[] = [];
  let pos = 0;
  let first = true;
  let inList = false;
  let endedWithBlankLine = false;
  while (pos < bytes.length) {
    let end = bytes.indexOf(10, pos);
    const lineEnd = end < 0 ? bytes.length : end;
    end = end < 0 ? bytes.length : end + 1;
    let line = latin1(bytes.subarray(pos, lineEnd));
    if (line.endsWith("\r")) line = line.slice(0, -1);
    pos = end;
    if (first) {
      first = false;
      continue;
    }
    if (line.length === 0) {
      endedWithBlankLine = true;
      break;
    }
    if (inList) {
      listedFiles.push(line);
      continue;
    }
    if (line.startsWith("#")) continue;
    const kv = line.indexOf(":=");
    if (kv >= 0) {
      keyValues.set(line.slice(0, kv), line.slice(kv + 2));
      continue;
    }
    const sep = line.indexOf(": ");
    if (sep < 0) {
      throw new ImageReadError(file, `corrupt NRRD header: cannot parse line "${line}"`);
    }
    const rawName = line.slice(0, sep).trim().toLowerCase();
    const name = FIELD_NAMES[rawName];
    if (!name) {
      throw new ImageReadError(file, `corrupt NRRD header: unknown field "${rawName}"`);
    }
    if (fields.has(name)) {
      throw new ImageReadError(file, `corrupt NRRD header: field "${name}" appears twice`);
    }
    const value = line.slice(sep + 2).trim();
    fields.set(name, value);
    if (name === "data file" && /^LIST(\s|$)/.test(value)) inList = true;
  }
  return {
    fields,
    keyValues,
    listedFiles,
    dataOffset: endedWithBlankLine ? pos : bytes.length,
    endedWithBlankLine,
  };
}

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)));
  }
  return s;
}

/** Parses `(a,b,c)` vectors or `none` (NaN vector) separated by whitespace; `count` expected. */
function parseVectors(
  file: string,
  field: string,
  text: string,
  count: number,
  spaceDim: number,
): (number[] | null)[] {
  const out: (number[] | null)[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (/^none(\s|$)/.test(rest)) {
      out.push(null);
      rest = rest.slice(4).trim();
      continue;
    }
    if (!rest.startsWith("(")) {
      throw new ImageReadError(file, `corrupt NRRD header: cannot parse "${field}: ${text}"`);
    }
    const close = rest.indexOf(")");
    if (close < 0) {
      throw new ImageReadError(file, `corrupt NRRD header: missing ")" in "${field}: ${text}"`);
    }
    const parts = rest.slice(1, close).split(",");
    if (parts.length !== spaceDim) {
      throw new ImageReadError(
        file,
        `corrupt NRRD header: "${field}" vector has ${parts.length} components, space dimension is ${spaceDim}`,
      );
    }
    const v = parts.map(parseNumber);
    const exists = v.map((x) => !Number.isNaN(x));
    if (exists.some((e) => e !== exists[0])) {
      throw new ImageReadError(file, `corrupt NRRD header: "${field}" mixes numbers and NaN`);
    }
    if (v.some((x) => !Number.isFinite(x) && !Number.isNaN(x))) {
      throw new ImageReadError(file, `corrupt NRRD header: "${field}" has an infinite component`);
    }
    out.push(exists[0] ? v : null);
    rest = rest.slice(close + 1).trim();
  }
  if (out.length !== count) {
    throw new ImageReadError(
      file,
      `corrupt NRRD header: "${field}" has ${out.length} entries, expected ${count}`,
    );
  }
  return out;
}

function perAxisNumbers(
  file: string,
  fields: Map<string, string>,
  name: string,
  dim: number,
): number[] | undefined {
  const text = fields.get(name);
  if (text === undefined) return undefined;
  const parts = text.split(/\s+/).filter((s) => s.length > 0);
  if (parts.length !== dim) {
    throw new ImageReadError(
      file,
      `corrupt NRRD header: "${name}" has ${parts.length} values, dimension is ${dim}`,
    );
  }
  return parts.map(parseNumber);
}

/**
 * Reads a NRRD image (attached or detached header) into a Volume with ITK's geometry.
 * `resolve` loads detached data files by their header-relative name; without it a detached
 * header is an error. Throws ImageReadError naming `file` for every malformed or unsupported input.
 */
export async function readNrrd(
  bytes: Uint8Array,
  file = "<nrrd>",
  resolve?: ResolveDataFile,
): Promise<Volume> {
  const header = parseNrrdHeader(bytes, file);
  const { fields } = header;

  // ---- type, dimension, sizes
  const typeText = fields.get("type");
  if (typeText === undefined) throw new ImageReadError(file, 'NRRD header has no "type" field');
  const type = TYPE_NAMES[typeText.toLowerCase()];
  if (!type) throw new ImageReadError(file, `unsupported NRRD type "${typeText}"`);
  if (type === "int64" || type === "uint64" || type === "block") {
    throw new ImageReadError(file, `unsupported NRRD type "${typeText}" (no ${type} voxel arrays)`);
  }
  const dimText = fields.get("dimension");
  if (dimText === undefined) {
    throw new ImageReadError(file, 'NRRD header has no "dimension" field');
  }
  const dim = Number(dimText);
  if (!Number.isInteger(dim) || dim < 1 || dim > 16) {
    throw new ImageReadError(file, `corrupt NRRD header: bad dimension "${dimText}"`);
  }
  const sizes = perAxisNumbers(file, fields, "sizes", dim);
  if (!sizes) throw new ImageReadError(file, 'NRRD header has no "sizes" field');
  if (sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new ImageReadError(file, `corrupt NRRD header: bad sizes "${fields.get("sizes")}"`);
  }

  // ---- kinds: domain axes vs range (non-scalar) axes, as nrrdDomainAxesGet
  const kindsText = fields.get("kinds");
  const kinds = kindsText ? kindsText.split(/\s+/).filter((s) => s.length > 0) : [];
  if (kindsText !== undefined && kinds.length !== dim) {
    throw new ImageReadError(file, `corrupt NRRD header: "kinds" has ${kinds.length} entries`);
  }
  const domainAxes: number[] = [];
  const rangeAxes: number[] = [];
  for (let a = 0; a < dim; a++) {
    const k = (kinds[a] ?? "").toLowerCase();
    (DOMAIN_KINDS.has(k) ? domainAxes : rangeAxes).push(a);
  }

  // ---- space
  let spaceDim = 0;
  let space: Space = "other";
  const spaceText = fields.get("space");
  const spaceDimText = fields.get("space dimension");
  if (spaceText !== undefined && spaceDimText !== undefined) {
    throw new ImageReadError(
      file,
      'corrupt NRRD header: both "space" and "space dimension" are given',
    );
  }
  if (spaceText !== undefined) {
    const s = SPACES[spaceText.toLowerCase()];
    if (!s) throw new ImageReadError(file, `unsupported NRRD space "${spaceText}"`);
    spaceDim = s.dim;
    space = s.kind;
  } else if (spaceDimText !== undefined) {
    spaceDim = Number(spaceDimText);
    if (!Number.isInteger(spaceDim) || spaceDim < 1 || spaceDim > 8) {
      throw new ImageReadError(file, `corrupt NRRD header: bad space dimension "${spaceDimText}"`);
    }
  }
  if (spaceDim > 0 && spaceDim !== domainAxes.length) {
    throw new ImageReadError(
      file,
      `unsupported NRRD geometry: ${domainAxes.length} domain axes but space dimension ${spaceDim}` +
        (spaceDim > 3 || domainAxes.length > 3 ? " (more than 3 spatial dimensions)" : ""),
    );
  }
  if (rangeAxes.length > 0) {
    const names = rangeAxes.map((a) => kinds[a]).join(", ");
    throw new ImageReadError(
      file,
      `unsupported NRRD image: non-scalar (vector/colour/tensor) axis of kind ${names}; only scalar images are read`,
    );
  }
  if (dim !== 2 && dim !== 3) {
    throw new ImageReadError(
      file,
      `unsupported NRRD image dimension ${dim} (only 2D and 3D scalar images are read)`,
    );
  }

  // ---- spacing / direction / origin (ITK's NrrdImageIO::ReadImageInformation)
  const spacing: Vec3 = [1, 1, 1];
  const direction: Mat3 = [...IDENTITY3];
  const origin: Vec3 = [0, 0, 0];
  const axisSpacings = perAxisNumbers(file, fields, "spacings", dim);
  const directionsText = fields.get("space directions");
  if (directionsText !== undefined && spaceDim === 0) {
    throw new ImageReadError(
      file,
      'corrupt NRRD header: "space directions" without "space" or "space dimension"',
    );
  }
  const directions =
    directionsText !== undefined
      ? parseVectors(file, "space directions", directionsText, dim, spaceDim)
      : undefined;
  for (let axis = 0; axis < dim; axis++) {
    const scalar = axisSpacings?.[axis];
    if (scalar !== undefined && !Number.isNaN(scalar)) {
      if (spaceDim > 0) {
        throw new ImageReadError(
          file,
          `corrupt NRRD header: axis ${axis} has both a "spacings" value and a surrounding space`,
        );
      }
      spacing[axis] = scalar;
      continue;
    }
    const v = directions?.[axis];
    if (spaceDim > 0 && v) {
      let nn = 0;
      for (let i = 0; i < spaceDim; i++) nn += v[i]! * v[i]!;
      const norm = Math.sqrt(nn);
      if (!(norm > 0)) {
        throw new ImageReadError(file, `corrupt NRRD header: space direction ${axis} is zero`);
      }
      const scale = 1.0 / norm;
      const d = v.map((x) => scale * x);
      if (space === "RAS") {
        d[0] = -d[0]!;
        d[1] = -d[1]!;
      } else if (space === "LAS") {
        d[0] = -d[0]!;
      }
      spacing[axis] = norm;
      for (let r = 0; r < spaceDim; r++) direction[r * 3 + axis] = d[r]!;
    }
  }
  if (spaceDim > 0) {
    const originText = fields.get("space origin");
    if (originText !== undefined) {
      const [o] = parseVectors(file, "space origin", originText, 1, spaceDim);
      if (o) {
        const p = [...o];
        if (space === "RAS") {
          p[0] = -p[0]!;
          p[1] = -p[1]!;
        } else if (space === "LAS") {
          p[0] = -p[0]!;
        }
        for (let i = 0; i < spaceDim; i++) origin[i] = p[i]!;
      }
    }
  } else {
    const mins = perAxisNumbers(file, fields, "axis mins", dim);
    const maxs = perAxisNumbers(file, fields, "axis maxs", dim);
    const centersText = fields.get("centers");
    const centers = centersText ? centersText.split(/\s+/).map((c) => c.toLowerCase()) : [];
    if (mins && !Number.isNaN(mins[0]!)) {
      const haveMaxOrSpacing = domainAxes.every(
        (a) =>
          !Number.isNaN(maxs?.[a] ?? Number.NaN) || !Number.isNaN(axisSpacings?.[a] ?? Number.NaN),
      );
      if (haveMaxOrSpacing) {
        for (let a = 0; a < dim; a++) {
          const cell = centers[a] !== "node";
          const min = mins[a]!;
          const s = axisSpacings?.[a];
          const sp =
            s !== undefined && !Number.isNaN(s)
              ? s
              : (maxs![a]! - min) / (cell ? sizes[a]! : sizes[a]! - 1);
          const o = min + (cell ? sp / 2 : 0);
          if (!Number.isFinite(o)) {
            throw new ImageReadError(
              file,
              `corrupt NRRD header: axis ${a} has no usable "axis mins"`,
            );
          }
          origin[a] = o;
        }
      }
    }
  }

  // ---- data
  const size: Vec3 = [sizes[0]!, sizes[1]!, dim === 3 ? sizes[2]! : 1];
  const count = size[0] * size[1] * size[2];
  const data = await readNrrdData(bytes, file, header, type, count, resolve);
  // -0 (from the RAS/LAS sign flips) is reported as 0
  for (let i = 0; i < 3; i++) origin[i] = origin[i]! + 0;
  for (let i = 0; i < 9; i++) direction[i] = direction[i]! + 0;
  return { data, size, spacing, origin, direction, dimension: dim };
}

async function readNrrdData(
  bytes: Uint8Array,
  file: string,
  header: NrrdHeader,
  type: VoxelType,
  count: number,
  resolve: ResolveDataFile | undefined,
): Promise<VoxelArray> {
  const { fields } = header;
  const encText = fields.get("encoding");
  if (encText === undefined) throw new ImageReadError(file, 'NRRD header has no "encoding" field');
  const encoding = ENCODINGS[encText.toLowerCase()];
  if (!encoding) throw new ImageReadError(file, `unsupported NRRD encoding "${encText}"`);
  if (encoding === "bzip2") {
    throw new ImageReadError(file, 'unsupported NRRD encoding "bzip2" (use raw or gzip)');
  }
  const size = VOXEL_BYTES[type];
  const endianText = fields.get("endian")?.toLowerCase();
  if (endianText !== undefined && endianText !== "little" && endianText !== "big") {
    throw new ImageReadError(file, `corrupt NRRD header: bad endian "${fields.get("endian")}"`);
  }
  if (endianText === undefined && size > 1 && encoding !== "ascii") {
    throw new ImageReadError(
      file,
      `corrupt NRRD header: "endian" is required for ${type} data in ${encoding} encoding`,
    );
  }
  const littleEndian = endianText !== "big";
  const lineSkip = fields.has("line skip") ? Number(fields.get("line skip")) : 0;
  const byteSkip = fields.has("byte skip") ? Number(fields.get("byte skip")) : 0;
  if (!Number.isInteger(lineSkip) || lineSkip < 0) {
    throw new ImageReadError(
      file,
      `corrupt NRRD header: bad line skip "${fields.get("line skip")}"`,
    );
  }
  if (!Number.isInteger(byteSkip) || byteSkip < -1e15) {
    throw new ImageReadError(
      file,
      `corrupt NRRD header: bad byte skip "${fields.get("byte skip")}"`,
    );
  }
  if (byteSkip < 0 && encoding !== "raw") {
    throw new ImageReadError(
      file,
      `corrupt NRRD header: negative byte skip is only allowed with raw encoding, not ${encoding}`,
    );
  }

  // ---- which data files hold the pieces
  const pieces: { name: string; bytes: () => Promise<Uint8Array>; start: number }[] = [];
  const dataFile = fields.get("data file");
  const dir = dirnameOf(file);
  const load = (name: string) => async () => {
    if (!resolve) {
      throw new ImageReadError(
        file,
        `detached data file "${name}" cannot be loaded (no data-file resolver was given)`,
      );
    }
    try {
      return await resolve(name);
    } catch (error) {
      const why = error instanceof ImageReadError ? error.reason : errorText(error);
      throw new ImageReadError(file, `cannot read detached data file "${name}": ${why}`, {
        cause: error,
      });
    }
  };
  const dim = Number(fields.get("dimension"));
  const sizes = fields
    .get("sizes")!
    .split(/\s+/)
    .filter((s) => s)
    .map(Number);
  let subDim = dim;
  if (dataFile === undefined) {
    if (!header.endedWithBlankLine) {
      throw new ImageReadError(
        file,
        'NRRD header ends without a blank line and has no "data file" field (detached header without data)',
      );
    }
    pieces.push({ name: file, bytes: async () => bytes, start: header.dataOffset });
  } else {
    const names: string[] = [];
    const pattern = /^(\S*%[0-9]*d\S*)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)(?:\s+(\d+))?\s*$/.exec(
      dataFile,
    );
    if (pattern) {
      const [, fmt, minT, maxT, stepT, subT] = pattern;
      const min = Number(minT);
      const max = Number(maxT);
      const step = Number(stepT);
      if (step === 0 || (max - min) * step < 0) {
        throw new ImageReadError(file, `corrupt NRRD header: bad data file range "${dataFile}"`);
      }
      for (let i = min; step > 0 ? i <= max : i >= max; i += step) names.push(formatD(fmt!, i));
      subDim = subT !== undefined ? Number(subT) : dim - 1;
    } else if (/^LIST(\s|$)/.test(dataFile)) {
      const sub = dataFile.slice(4).trim();
      subDim = sub ? Number(sub) : dim - 1;
      names.push(...header.listedFiles);
    } else {
      names.push(dataFile);
      subDim = dim;
    }
    if (!Number.isInteger(subDim) || subDim < 1 || subDim > dim) {
      throw new ImageReadError(
        file,
        `corrupt NRRD header: bad data file dimension in "${dataFile}"`,
      );
    }
    if (names.length === 0) throw new ImageReadError(file, "NRRD header lists no data files");
    if (names.length > 1 || subDim < dim) {
      const expected = sizes.slice(subDim).reduce((p, s) => p * s, 1);
      if (subDim < dim ? expected !== names.length : sizes[dim - 1]! % names.length !== 0) {
        throw new ImageReadError(
          file,
          `corrupt NRRD header: ${names.length} data files do not match the image size`,
        );
      }
    }
    for (const name of names) {
      const needPath = name !== "-" && name[1] !== ":" && !name.startsWith("/");
      pieces.push({ name: needPath ? dir + name : name, bytes: load(name), start: 0 });
    }
  }

  // ---- read every piece (a single piece is the volume itself)
  const perPiece = count / pieces.length;
  const out = pieces.length === 1 ? null : allocateVoxels(type, count);
  const outBytes = out ? new Uint8Array(out.buffer, out.byteOffset, out.byteLength) : null;
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p]!;
    const src = await piece.bytes();
    let at = skipLines(src, piece.start, lineSkip, piece.name);
    const needed = perPiece * size;
    let voxels: VoxelArray;
    if (encoding === "raw") {
      if (byteSkip < 0) {
        const backwards = -byteSkip - 1;
        at = src.length - needed - backwards;
        if (at < 0) {
          throw new ImageReadError(
            piece.name,
            `truncated voxel data: need ${needed} bytes before the last ${backwards}, file has ${src.length}`,
          );
        }
      } else {
        at += byteSkip;
      }
      voxels = decodeVoxels(piece.name, src, at, type, perPiece, littleEndian);
    } else if (encoding === "gzip") {
      const raw = await decompressOrFail(piece.name, src.subarray(at), "gzip", byteSkip + needed);
      voxels = decodeVoxels(piece.name, raw, byteSkip, type, perPiece, littleEndian, {
        owned: true,
      });
    } else if (encoding === "hex") {
      const raw = decodeHex(piece.name, src.subarray(at + byteSkip), needed);
      voxels = decodeVoxels(piece.name, raw, 0, type, perPiece, littleEndian, { owned: true });
    } else {
      voxels = decodeAscii(piece.name, src.subarray(at + byteSkip), type, perPiece);
    }
    if (!outBytes) return voxels;
    outBytes.set(new Uint8Array(voxels.buffer, voxels.byteOffset, voxels.byteLength), p * needed);
  }
  return out!;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** printf-style "%d" / "%03d" substitution used by teem's data file patterns. */
function formatD(fmt: string, value: number): string {
  return fmt.replace(/%(0?)(\d*)d/, (_m, zero: string, width: string) => {
    const w = width ? Number(width) : 0;
    const s = String(Math.abs(value));
    const padded = s.length < w ? (zero ? "0" : " ").repeat(w - s.length) + s : s;
    return value < 0 ? `-${padded}` : padded;
  });
}

function skipLines(bytes: Uint8Array, start: number, lines: number, name: string): number {
  let at = start;
  for (let i = 0; i < lines; i++) {
    const nl = bytes.indexOf(10, at);
    if (nl < 0) throw new ImageReadError(name, `truncated data: cannot skip ${lines} lines`);
    at = nl + 1;
  }
  return at;
}

function decodeHex(name: string, text: Uint8Array, needed: number): Uint8Array {
  const out = new Uint8Array(needed);
  let n = 0;
  let high = -1;
  for (let i = 0; i < text.length && n < needed; i++) {
    const c = text[i]!;
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 70) v = c - 55;
    else if (c >= 97 && c <= 102) v = c - 87;
    else if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    else throw new ImageReadError(name, `corrupt hex data: unexpected character code ${c}`);
    if (high < 0) high = v;
    else {
      out[n++] = high * 16 + v;
      high = -1;
    }
  }
  if (n < needed) {
    throw new ImageReadError(name, `truncated hex data: ${n} of ${needed} bytes present`);
  }
  return out;
}

function decodeAscii(name: string, text: Uint8Array, type: VoxelType, count: number): VoxelArray {
  const out = allocateVoxels(type, count);
  const tokens = latin1(text)
    .split(/[\s,]+/)
    .filter((t) => t.length > 0);
  if (tokens.length < count) {
    throw new ImageReadError(
      name,
      `truncated ascii data: ${tokens.length} of ${count} values present`,
    );
  }
  const integer = type !== "float" && type !== "double";
  for (let i = 0; i < count; i++) {
    const v = parseNumber(tokens[i]!);
    if (Number.isNaN(v) && !/nan/i.test(tokens[i]!)) {
      throw new ImageReadError(name, `corrupt ascii data: cannot parse value "${tokens[i]}"`);
    }
    out[i] = integer ? Math.trunc(v) : v;
  }
  return out;
}

/** @deprecated use ImageReadError; kept so older imports keep compiling. */
export const NrrdError = ImageReadError;
