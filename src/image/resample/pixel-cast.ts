/**
 * Pixel casting (ResampleImageFilter::CastComponentWithBoundsChecking): an interpolated double to
 * the output pixel type, clamped to the type's range, then static_cast.
 */
import type { VoxelArray, VoxelType } from "../volume.js";

const TYPE_RANGE: Record<Exclude<VoxelType, "double">, [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  float: [-3.4028234663852886e38, 3.4028234663852886e38],
};

/**
 * Cast of an interpolated double to the output pixel type as ITK does it: values at or beyond
 * the type's range clamp to its min/max, others are static_cast (integers truncate towards 0,
 * float rounds to nearest).
 */
export function castInterpolated(value: number, type: VoxelType): number {
  if (type === "double") return value;
  const [lo, hi] = TYPE_RANGE[type];
  if (value <= lo) return lo;
  if (value >= hi) return hi;
  return type === "float" ? Math.fround(value) : Math.trunc(value);
}

/**
 * Cast a row of interpolated values into `out` with castInterpolated's rules; voxels outside the
 * input get the default pixel value 0.
 */
export function castRow(
  row: Float64Array,
  inside: Uint8Array,
  out: VoxelArray,
  offset: number,
  type: VoxelType,
): void {
  const n = row.length;
  if (type === "double") {
    out.set(row, offset);
    return;
  }
  const [lo, hi] = TYPE_RANGE[type];
  const isFloat = type === "float";
  for (let i = 0; i < n; i++) {
    const v = row[i]!;
    if (!inside[i]) out[offset + i] = 0;
    else if (v <= lo) out[offset + i] = lo;
    else if (v >= hi) out[offset + i] = hi;
    else out[offset + i] = isFloat ? v : Math.trunc(v);
  }
}
