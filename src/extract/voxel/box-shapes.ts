/**
 * What the batched texture classes share on the JavaScript side: the kernels grouped by box shape
 * with each shape's angles, and the scattering of a kernel table's rows into the feature maps.
 *
 * PyRadiomics' build_angles limits the angles by the array it is given, in voxel mode the kernel's
 * box, so a box clipped by the grid's edge (or a thin ROI's) can get fewer angles than the full
 * kernel: the angles are those of the box's shape, made once per distinct shape.
 */
import { type NeighbourOffsets, neighbourOffsets } from "../../features/texture-common.js";
import type { TextureSettings } from "../../features/types.js";
import type { VoxelGrid, VoxelKernels } from "./types.js";

/** The kernels grouped by box shape. */
export interface BoxShapes {
  /** Per kernel, the index of its box shape. */
  shapeOf: Int32Array;
  /** Per shape: the box's size along x, y, z. */
  sizes: [number, number, number][];
  /** Per shape: its angles, as the segment-based classes take them for a kernel of that shape. */
  angles: NeighbourOffsets[];
  /** Largest box along x, y, z. */
  maxBox: [number, number, number];
}

/**
 * The angles of an array of `size` (x, y, z) voxels: PyRadiomics' build_angles over the array's
 * shape in numpy axis order (neighbourOffsets reads nothing else of the ROI; it also throws the
 * segment-based classes' errors, e.g. no angle for a one-voxel box).
 */
export function anglesOfSize(
  size: readonly [number, number, number],
  dimension: 2 | 3,
  distances: readonly number[],
  texture: TextureSettings,
  bidirectional: boolean,
  className: string,
): NeighbourOffsets {
  const [bx, by, bz] = size;
  const shape = dimension === 2 ? [by, bx] : [bz, by, bx];
  return neighbourOffsets({ shape }, distances, texture, bidirectional, className);
}

/**
 * The kernels' box shapes, each with its angles for `distances` (made at the first kernel of that
 * shape, so that a shape without any angle fails there, as the per-kernel path does).
 */
export function boxShapes(
  grid: VoxelGrid,
  kernels: VoxelKernels,
  distances: readonly number[],
  texture: TextureSettings,
  bidirectional: boolean,
  className: string,
): BoxShapes {
  const { boxes } = kernels;
  const kernelCount = kernels.centres.length;
  const shapeOf = new Int32Array(kernelCount);
  const shapeIndex = new Map<number, number>();
  const sizes: [number, number, number][] = [];
  const angles: NeighbourOffsets[] = [];
  const maxBox: [number, number, number] = [1, 1, 1];
  const [nx, ny] = grid.size;
  for (let k = 0; k < kernelCount; k++) {
    const size: [number, number, number] = [
      boxes[6 * k + 3]! - boxes[6 * k]! + 1,
      boxes[6 * k + 4]! - boxes[6 * k + 1]! + 1,
      boxes[6 * k + 5]! - boxes[6 * k + 2]! + 1,
    ];
    // A box side is at most the grid's side.
    const key = size[0] + (nx + 1) * (size[1] + (ny + 1) * size[2]);
    let shape = shapeIndex.get(key);
    if (shape === undefined) {
      shape = sizes.length;
      shapeIndex.set(key, shape);
      sizes.push(size);
      angles.push(anglesOfSize(size, grid.dimension, distances, texture, bidirectional, className));
      for (let a = 0; a < 3; a++) maxBox[a] = Math.max(maxBox[a]!, size[a]!);
    }
    shapeOf[k] = shape;
  }
  return { shapeOf, sizes, angles, maxBox };
}

/** Every shape's angles one after another: shape s's are start[s] .. start[s + 1] - 1, dx dy dz each. */
export function concatenatedAngles(angles: readonly NeighbourOffsets[]): {
  start: Int32Array;
  offsets: Int32Array;
} {
  const start = new Int32Array(angles.length + 1);
  angles.forEach((t, s) => {
    start[s + 1] = start[s]! + t.count;
  });
  const offsets = new Int32Array(3 * start[angles.length]!);
  angles.forEach((t, s) => {
    for (let a = 0; a < t.count; a++) {
      const at = 3 * (start[s]! + a);
      offsets[at] = t.dx[a]!;
      offsets[at + 1] = t.dy[a]!;
      offsets[at + 2] = t.dz[a]!;
    }
  });
  return { start, offsets };
}

/** out[i][centre] = table[kernel][slot(names[i])] for every kernel, deprecated names left out. */
export function scatterTable(
  table: Float64Array,
  width: number,
  centres: Int32Array,
  names: readonly string[],
  slot: (name: string) => number,
  deprecated: readonly string[],
  out: readonly Float64Array[],
): void {
  names.forEach((name, i) => {
    if (deprecated.includes(name)) return;
    const s = slot(name);
    const map = out[i]!;
    for (let k = 0; k < centres.length; k++) map[centres[k]!] = table[k * width + s]!;
  });
}
