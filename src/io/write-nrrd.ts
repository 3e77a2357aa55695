/**
 * NRRD writer, laid out as ITK's NrrdImageIO::Write lays it out: NRRD0004 magic, `type`,
 * `dimension`, `space: left-posterior-superior` (3D) or `space dimension: 2` (2D), `sizes`,
 * `space directions` with vector k = spacing_k * direction column k, `kinds: domain ...`, `endian`
 * (multi-byte types), `encoding` (gzip by default, or raw) and `space origin`. Numbers are written
 * in the shortest form that parses back to the identical double (ITK prints %.17g, which carries
 * the same value), so the file holds the volume's geometry at full double precision.
 */
import { type Volume, type VoxelType, voxelCount, voxelTypeOf } from "../image/volume.js";
import { HOST_LITTLE_ENDIAN, ImageWriteError, swapBytesInPlace } from "./image-error.js";
import { gzip } from "./gzip.js";

const NRRD_TYPE_NAMES: Record<VoxelType, string> = {
  int8: "signed char",
  uint8: "unsigned char",
  int16: "short",
  uint16: "unsigned short",
  int32: "int",
  uint32: "unsigned int",
  float: "float",
  double: "double",
};

export interface WriteNrrdOptions {
  /** "gzip" (default) or "raw". */
  encoding?: "gzip" | "raw";
  /** Name used in error messages. */
  file?: string;
}

/** Shortest decimal text that reads back as exactly `x` (no "-0"). */
function num(x: number): string {
  return Object.is(x, -0) ? "0" : String(x);
}

/** Serialises a volume as an attached-header NRRD file (see module comment for the layout). */
export async function writeNrrd(
  volume: Volume,
  options: WriteNrrdOptions = {},
): Promise<Uint8Array> {
  const file = options.file ?? "<nrrd>";
  const encoding = options.encoding ?? "gzip";
  const { data, size, spacing, origin, direction, dimension } = volume;
  const n = voxelCount(size);
  if (data.length !== n) {
    throw new ImageWriteError(
      file,
      `voxel count ${data.length} does not match size ${size.join("x")}`,
    );
  }
  if (![...spacing, ...origin, ...direction].every(Number.isFinite)) {
    throw new ImageWriteError(file, "geometry (spacing, origin, direction) must be finite");
  }
  if (dimension === 2 && size[2] !== 1) {
    throw new ImageWriteError(file, `a 2D volume must have size[2] = 1, not ${size[2]}`);
  }
  const type = voxelTypeOf(data);
  const d = dimension;
  const vectors: string[] = [];
  for (let axis = 0; axis < d; axis++) {
    const comps: string[] = [];
    for (let r = 0; r < d; r++) comps.push(num(spacing[axis]! * direction[r * 3 + axis]!));
    vectors.push(`(${comps.join(",")})`);
  }
  const lines = [
    "NRRD0004",
    "# Complete NRRD file format specification at:",
    "# http://teem.sourceforge.net/nrrd/format.html",
    `type: ${NRRD_TYPE_NAMES[type]}`,
    `dimension: ${d}`,
    d === 3 ? "space: left-posterior-superior" : "space dimension: 2",
    `sizes: ${size.slice(0, d).join(" ")}`,
    `space directions: ${vectors.join(" ")}`,
    `kinds: ${Array(d).fill("domain").join(" ")}`,
    ...(data.BYTES_PER_ELEMENT > 1 ? ["endian: little"] : []),
    `encoding: ${encoding}`,
    `space origin: (${origin.slice(0, d).map(num).join(",")})`,
    "",
    "",
  ];
  const header = new TextEncoder().encode(lines.join("\n"));
  let payload = new Uint8Array(data.buffer, data.byteOffset, n * data.BYTES_PER_ELEMENT);
  if (!HOST_LITTLE_ENDIAN && data.BYTES_PER_ELEMENT > 1) {
    payload = payload.slice();
    swapBytesInPlace(payload, data.BYTES_PER_ELEMENT);
  }
  if (encoding === "gzip") payload = await gzip(payload);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header, 0);
  out.set(payload, header.length);
  return out;
}
