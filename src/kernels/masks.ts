/**
 * Binding of the mask-scan kernels (src/kernels/assembly/masks.ts): the whole-mask loops of one
 * extraction, compiled so that they run at full speed from their first call in a cold process or
 * worker. Callers: src/image/mask.ts (PyRadiomics getMask's label match, checkMask's bounding
 * box), src/features/mesh/roiCrop.ts (the shape classes' crop and pad), src/image/discretise.ts
 * (binImage: ROI positions, gray values, numpy.digitize) and src/extract/extractor.ts (its check
 * for non-finite image values).
 */
import type { Vec3, VoxelArray } from "../image/volume.js";
import { type KernelExports, KernelFrame } from "./wasm.js";

type MatchKernel =
  | "matchLabel8"
  | "matchLabel16"
  | "matchLabel32"
  | "matchLabelTruncatedF32"
  | "matchLabelTruncatedF64";
type GatherKernel =
  `gather${"Int8" | "Uint8" | "Int16" | "Uint16" | "Int32" | "Uint32" | "Float32" | "Float64"}`;
type Match = (
  mask: number,
  count: number,
  first: number,
  label: number,
  runs: number,
  tally: number,
) => number;
type Gather = (
  image: number,
  length: number,
  positions: number,
  count: number,
  out: number,
) => void;
type Digitize = (
  values: number,
  positions: number,
  count: number,
  edges: number,
  edgeCount: number,
  scale: number,
  levels: number,
  total: number,
) => number;

interface MaskExports
  extends KernelExports,
    Record<MatchKernel, Match>,
    Record<GatherKernel, Gather> {
  roiBounds(
    rows: number,
    nx: number,
    ny: number,
    firstRow: number,
    rowCount: number,
    box: number,
  ): number;
  cropAndPad(slices: number, nx: number, ny: number, box: number, padZ: number, out: number): void;
  roiPositions(mask: number, count: number, first: number, positions: number): number;
  digitizeFloat32: Digitize;
  digitizeFloat64: Digitize;
  countNonFiniteFloat32(values: number, roi: number, count: number): number;
  countNonFiniteFloat64(values: number, roi: number, count: number): number;
}

/**
 * Bytes of a mask copied into the kernels' memory per scan call. Scans go chunk by chunk through
 * one buffer: in a cold process each fresh page of memory costs a fault on first use, so copying a
 * whole mask in would cost more than scanning it.
 */
const CHUNK_BYTES = 1 << 17;

/** The bytes of `data` as a Uint8Array (no copy). */
function bytesOf(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** Copies `data`'s bytes into the frame at `at`. */
function copyIn(frame: KernelFrame, at: number, data: ArrayBufferView): void {
  frame.uint8(at, data.byteLength).set(bytesOf(data));
}

/**
 * The label-match kernel for a voxel type and the label as that kernel takes it, or null when no
 * voxel of the type can match (a label outside the type's range, or not integral, compares unequal
 * to every integer voxel; only float32 values can equal a truncated float32).
 */
function matcher(data: VoxelArray, label: number): { kernel: MatchKernel; bits: number } | null {
  if (data instanceof Float64Array) return { kernel: "matchLabelTruncatedF64", bits: label };
  if (data instanceof Float32Array) {
    return Math.fround(label) === label ? { kernel: "matchLabelTruncatedF32", bits: label } : null;
  }
  if (!Number.isInteger(label)) return null;
  const [kernel, low, high] =
    data instanceof Int8Array
      ? (["matchLabel8", -0x80, 0x7f] as const)
      : data instanceof Uint8Array
        ? (["matchLabel8", 0, 0xff] as const)
        : data instanceof Int16Array
          ? (["matchLabel16", -0x8000, 0x7fff] as const)
          : data instanceof Uint16Array
            ? (["matchLabel16", 0, 0xffff] as const)
            : data instanceof Int32Array
              ? (["matchLabel32", -0x80000000, 0x7fffffff] as const)
              : (["matchLabel32", 0, 0xffffffff] as const);
  return label >= low && label <= high ? { kernel, bits: label | 0 } : null;
}

/**
 * 1 where a voxel equals `label` (float voxels truncated first, PyRadiomics' cast to UInt32), 0
 * elsewhere, and the number of matches.
 */
export function matchLabel(data: VoxelArray, label: number): { roi: Uint8Array; count: number } {
  const n = data.length;
  const roi = new Uint8Array(n);
  const match = matcher(data, label);
  if (!match) return { roi, count: 0 };
  const bytesPerVoxel = data.BYTES_PER_ELEMENT;
  const chunk = CHUNK_BYTES / bytesPerVoxel;
  // Integer voxels equal the label exactly where the native indexOf finds it: it skips the
  // background before the first and after the last label voxel faster than a copy into the kernels'
  // memory would (a label outside the type's range was refused above, as indexOf would miss it).
  let from = 0;
  let to = n;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    from = data.indexOf(label);
    if (from < 0) return { roi, count: 0 };
    to = data.lastIndexOf(label) + 1;
  }
  const frame = new KernelFrame<MaskExports>();
  const buffer = frame.reserveBytes(CHUNK_BYTES);
  const runsAt = frame.reserve32(chunk + 2);
  const tally = frame.reserve32(1);
  frame.commit();
  const source = bytesOf(data);
  const chunkBytes = frame.uint8(buffer, CHUNK_BYTES);
  const runs = frame.int32(runsAt, chunk + 2);
  frame.int32(tally, 1)[0] = 0;
  const kernel = frame.wasm[match.kernel];
  for (let first = from; first < to; first += chunk) {
    const count = Math.min(chunk, to - first);
    chunkBytes.set(source.subarray(first * bytesPerVoxel, (first + count) * bytesPerVoxel));
    const runCount = kernel(buffer, count, first, match.bits, runsAt, tally);
    for (let r = 0; r < 2 * runCount; r += 2) roi.fill(1, runs[r], runs[r + 1]);
  }
  return { roi, count: frame.int32(tally, 1)[0]! };
}

export interface MaskBounds {
  /** Inclusive index bounds (x, y, z) of the non-zero voxels. */
  lower: Vec3;
  upper: Vec3;
  /** Number of non-zero voxels. */
  count: number;
}

/** A frame whose box (i32 x7 at `box`) holds the bounds of `mask`'s non-zero voxels. */
function boundsFrame(what: string, mask: Uint8Array, size: Vec3) {
  const [nx, ny, nz] = size;
  if (mask.length !== nx * ny * nz)
    throw new Error(`${what}: mask has ${mask.length} voxels, size ${size.join("x")}`);
  const rowsPerChunk = Math.max(1, Math.floor(CHUNK_BYTES / nx));
  const frame = new KernelFrame<MaskExports>();
  const buffer = frame.reserveBytes(rowsPerChunk * nx);
  const box = frame.input(Int32Array.of(nx, ny, nz, -1, -1, -1, 0));
  frame.commit();
  const chunkBytes = frame.uint8(buffer, rowsPerChunk * nx);
  const rows = ny * nz;
  let count = 0;
  for (let first = 0; first < rows; first += rowsPerChunk) {
    const rowCount = Math.min(rowsPerChunk, rows - first);
    chunkBytes.set(mask.subarray(first * nx, (first + rowCount) * nx));
    count = frame.wasm.roiBounds(buffer, nx, ny, first, rowCount, box);
  }
  const [x0, y0, z0, x1, y1, z1] = frame.int32(box, 6);
  const bounds: MaskBounds = { lower: [x0!, y0!, z0!], upper: [x1!, y1!, z1!], count };
  return { frame, box, bounds };
}

/** Bounding box and count of the non-zero voxels of a mask (x fastest); null without any. */
export function maskBounds(mask: Uint8Array, size: Vec3): MaskBounds | null {
  const { bounds } = boundsFrame("maskBounds", mask, size);
  return bounds.count === 0 ? null : bounds;
}

/**
 * The mask cropped to the bounding box of its non-zero voxels, as 0 / 1, padded with one voxel of
 * zeros on x and y, and on z when `padZ`; with the padded size and the ROI count. Null for a mask
 * without non-zero voxels.
 */
export function cropAndPadMask(
  mask: Uint8Array,
  size: Vec3,
  padZ: boolean,
): { data: Uint8Array; size: Vec3; count: number } | null {
  const { frame, box, bounds } = boundsFrame("cropAndPadMask", mask, size);
  const { lower, upper, count } = bounds;
  if (count === 0) return null;
  const pz = padZ ? 1 : 0;
  const padded: Vec3 = [
    upper[0] - lower[0] + 3,
    upper[1] - lower[1] + 3,
    upper[2] - lower[2] + 1 + 2 * pz,
  ];
  const length = padded[0] * padded[1] * padded[2];
  const slice = size[0] * size[1];
  const slices = frame.reserveBytes((upper[2] - lower[2] + 1) * slice);
  const out = frame.reserveBytes(length);
  frame.commit();
  copyIn(frame, slices, mask.subarray(lower[2] * slice, (upper[2] + 1) * slice));
  frame.wasm.cropAndPad(slices, size[0], size[1], box, pz, out);
  return { data: frame.uint8(out, length).slice(), size: padded, count };
}

/** Positions of the non-zero voxels of a mask, ascending. */
export function nonZeroPositions(mask: Uint8Array): Int32Array {
  const n = mask.length;
  const chunk = Math.min(CHUNK_BYTES, n);
  const frame = new KernelFrame<MaskExports>();
  const buffer = frame.reserveBytes(chunk);
  const positionsAt = frame.reserve32(chunk);
  frame.commit();
  const chunkBytes = frame.uint8(buffer, chunk);
  const positions = frame.int32(positionsAt, chunk);
  // Pages of a fresh array are mapped when first written: only the ROI's part ever is.
  const all = new Int32Array(n);
  let found = 0;
  for (let first = 0; first < n; first += chunk) {
    const count = Math.min(chunk, n - first);
    chunkBytes.set(mask.subarray(first, first + count));
    const inChunk = frame.wasm.roiPositions(buffer, count, first, positionsAt);
    all.set(positions.subarray(0, inChunk), found);
    found += inChunk;
  }
  return all.slice(0, found);
}

/** The gather kernel reading `image`'s voxel type; null for any other array. */
function gatherKernel(image: ArrayLike<number>): GatherKernel | null {
  if (image instanceof Float64Array) return "gatherFloat64";
  if (image instanceof Float32Array) return "gatherFloat32";
  if (image instanceof Int8Array) return "gatherInt8";
  if (image instanceof Uint8Array) return "gatherUint8";
  if (image instanceof Int16Array) return "gatherInt16";
  if (image instanceof Uint16Array) return "gatherUint16";
  if (image instanceof Int32Array) return "gatherInt32";
  if (image instanceof Uint32Array) return "gatherUint32";
  return null;
}

/**
 * image[positions[c]] for every c: float32 for a float32 image, else float64 (NaN for a position
 * outside the image). Arrays other than the voxel types are read as float64 copies.
 */
export function gatherValues(
  values: ArrayLike<number>,
  positions: Int32Array,
): Float32Array | Float64Array {
  let kernel = gatherKernel(values);
  let image = values as VoxelArray;
  if (!kernel) {
    kernel = "gatherFloat64";
    image = Float64Array.from(values);
  }
  const count = positions.length;
  const float32 = image instanceof Float32Array;
  const frame = new KernelFrame<MaskExports>();
  const at = frame.reserveBytes(image.byteLength);
  const where = frame.input(positions);
  const out = float32 ? frame.reserve32(count) : frame.reserve64(count);
  frame.commit();
  copyIn(frame, at, image);
  frame.wasm[kernel](at, image.length, where, count, out);
  const buffer = frame.wasm.memory.buffer;
  return float32
    ? new Float32Array(buffer, out, count).slice()
    : new Float64Array(buffer, out, count).slice();
}

/**
 * numpy.digitize of values[c] against increasing `edges` (the number of edges <= the value),
 * placed at levels[positions[c]] of `total` levels (0 elsewhere), starting each search at
 * floor((value - edges[0]) * scale) + 1; and the highest level.
 */
export function digitizeValues(
  values: Float32Array | Float64Array,
  positions: Int32Array,
  edges: Float64Array,
  scale: number,
  total: number,
): { levels: Int32Array; highest: number } {
  const count = values.length;
  if (positions.length !== count)
    throw new Error(`digitizeValues: ${count} values but ${positions.length} positions`);
  const frame = new KernelFrame<MaskExports>();
  const valuesAt = frame.reserveBytes(values.byteLength);
  const where = frame.input(positions);
  const edgesAt = frame.input(edges);
  const levels = frame.reserve32(total);
  frame.commit();
  copyIn(frame, valuesAt, values);
  const digitize = values instanceof Float32Array ? "digitizeFloat32" : "digitizeFloat64";
  const highest = frame.wasm[digitize](
    valuesAt,
    where,
    count,
    edgesAt,
    edges.length,
    scale,
    levels,
    total,
  );
  return { levels: frame.int32(levels, total).slice(), highest };
}

/** How many voxels of a float array are NaN or infinite (only where `roi` is non-zero, if given). */
export function countNonFinite(data: Float32Array | Float64Array, roi: Uint8Array | null): number {
  const n = data.length;
  if (roi && roi.length !== n)
    throw new Error(`countNonFinite: ${n} voxels but an ROI of ${roi.length}`);
  const bytesPerVoxel = data.BYTES_PER_ELEMENT;
  const chunk = CHUNK_BYTES / bytesPerVoxel;
  const frame = new KernelFrame<MaskExports>();
  const buffer = frame.reserveBytes(CHUNK_BYTES);
  const roiAt = roi ? frame.reserveBytes(chunk) : 0;
  frame.commit();
  const source = bytesOf(data);
  const chunkBytes = frame.uint8(buffer, CHUNK_BYTES);
  const roiBytes = roi ? frame.uint8(roiAt, chunk) : null;
  const count = data instanceof Float32Array ? "countNonFiniteFloat32" : "countNonFiniteFloat64";
  let found = 0;
  for (let first = 0; first < n; first += chunk) {
    const voxels = Math.min(chunk, n - first);
    chunkBytes.set(source.subarray(first * bytesPerVoxel, (first + voxels) * bytesPerVoxel));
    if (roi) roiBytes!.set(roi.subarray(first, first + voxels));
    found += frame.wasm[count](buffer, roiAt, voxels);
  }
  return found;
}
