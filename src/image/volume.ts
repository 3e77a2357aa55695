/**
 * The image model shared by every part of radscore.
 *
 * Voxels are stored x-fastest (flat index = x + nx * (y + ny * z)), which is exactly numpy's C order
 * for the (z, y, x) arrays that SimpleITK hands PyRadiomics. Geometry follows ITK (LPS physical
 * space): physical = origin + direction * diag(spacing) * index, with `direction` a row-major 3x3
 * matrix whose columns are the physical directions of the index axes.
 */

export type VoxelArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/** Names of the voxel types radscore reads and writes (NRRD / ITK spelling). */
export type VoxelType =
  | "int8"
  | "uint8"
  | "int16"
  | "uint16"
  | "int32"
  | "uint32"
  | "float"
  | "double";

export type Vec3 = [number, number, number];
/** Row-major 3x3 matrix. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

export interface Volume<T extends VoxelArray = VoxelArray> {
  /** Voxel values, x fastest. */
  data: T;
  /** Number of voxels along x, y, z (z = 1 for a 2D image). */
  size: Vec3;
  /** Voxel spacing in mm along x, y, z. */
  spacing: Vec3;
  /** Physical position (LPS, mm) of voxel (0, 0, 0). */
  origin: Vec3;
  /** Row-major direction cosines; column k is the direction of index axis k. */
  direction: Mat3;
  /** 2 for a true 2D image (as SimpleITK would read it), 3 otherwise. */
  dimension: 2 | 3;
}

export const IDENTITY3: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function voxelCount(size: Vec3): number {
  return size[0] * size[1] * size[2];
}

export function voxelTypeOf(data: VoxelArray): VoxelType {
  if (data instanceof Float64Array) return "double";
  if (data instanceof Float32Array) return "float";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint8Array) return "uint8";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Uint16Array) return "uint16";
  if (data instanceof Int32Array) return "int32";
  return "uint32";
}

/** The typed-array constructor of each voxel type. */
const VOXEL_ARRAY = {
  double: Float64Array,
  float: Float32Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
} as const;

/** A zero-filled voxel array of `type`. */
export function allocateVoxels(type: VoxelType, n: number): VoxelArray {
  return new VOXEL_ARRAY[type](n);
}

/** A voxel array of `type` over `count` voxels of `buffer` from `byteOffset` (no copy). */
export function viewVoxels(
  type: VoxelType,
  buffer: ArrayBuffer,
  byteOffset: number,
  count: number,
): VoxelArray {
  return new VOXEL_ARRAY[type](buffer, byteOffset, count);
}

/** Physical point (LPS, mm) of a continuous index (i, j, k). */
export function indexToPhysical(
  vol: Pick<Volume, "origin" | "spacing" | "direction">,
  index: Vec3,
): Vec3 {
  const { origin: o, spacing: s, direction: d } = vol;
  const a = index[0] * s[0];
  const b = index[1] * s[1];
  const c = index[2] * s[2];
  return [
    o[0] + d[0] * a + d[1] * b + d[2] * c,
    o[1] + d[3] * a + d[4] * b + d[5] * c,
    o[2] + d[6] * a + d[7] * b + d[8] * c,
  ];
}

/** Continuous index of a physical point: diag(1/spacing) * inverse(direction) * (p - origin). */
export function physicalToIndex(
  vol: Pick<Volume, "origin" | "spacing" | "direction">,
  point: Vec3,
): Vec3 {
  const inv = invert3(vol.direction);
  const dx = point[0] - vol.origin[0];
  const dy = point[1] - vol.origin[1];
  const dz = point[2] - vol.origin[2];
  return [
    (inv[0] * dx + inv[1] * dy + inv[2] * dz) / vol.spacing[0],
    (inv[3] * dx + inv[4] * dy + inv[5] * dz) / vol.spacing[1],
    (inv[6] * dx + inv[7] * dy + inv[8] * dz) / vol.spacing[2],
  ];
}

export function invert3(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (det === 0 || !Number.isFinite(det)) throw new Error("direction matrix is singular");
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}

/** A new volume with the same geometry as `like` and the given voxels. */
export function withData<T extends VoxelArray>(like: Omit<Volume, "data">, data: T): Volume<T> {
  if (data.length !== voxelCount(like.size)) {
    throw new Error(`voxel count ${data.length} does not match size ${like.size.join("x")}`);
  }
  return {
    data,
    size: [...like.size],
    spacing: [...like.spacing],
    origin: [...like.origin],
    direction: [...like.direction],
    dimension: like.dimension,
  };
}

/** Inclusive voxel ranges per axis (x, y, z), as a bounding box. */
export interface VoxelRegion {
  lower: Vec3;
  upper: Vec3;
}

/** The whole volume of `size` as a region. */
export function wholeRegion(size: Vec3): VoxelRegion {
  return { lower: [0, 0, 0], upper: [size[0] - 1, size[1] - 1, size[2] - 1] };
}

/** Throws unless `region` is a non-empty box of integer indices inside a volume of `size`. */
export function checkRegion(
  region: { readonly lower: readonly number[]; readonly upper: readonly number[] },
  size: readonly number[],
  what: string,
): void {
  for (let a = 0; a < 3; a++) {
    const lo = region.lower[a]!;
    const hi = region.upper[a]!;
    if (!(Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && lo <= hi && hi < size[a]!)) {
      throw new Error(
        `${what}: region [${region.lower.join(", ")}]..[${region.upper.join(", ")}] is not inside the image (size ${size.join(" x ")})`,
      );
    }
  }
}
