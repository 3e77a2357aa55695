/**
 * What the batched GLDM and NGTDM (./gldm.ts, ./ngtdm.ts) hand their WebAssembly kernel
 * (src/kernels/voxel-neighbourhood.ts): the grid, each kernel's box and the neighbour angles.
 *
 * PyRadiomics' build_angles limits the angles by the array it is given, in voxel mode the kernel's
 * box, so a box clipped by the grid's edge (or a thin ROI's) gets fewer angles; but an angle it
 * drops is one too long to pair two voxels of that box, so the angles of the full kernel serve
 * every box (the kernel keeps each neighbour inside the box). The angles of each box shape are still
 * made (neighbourOffsets, as the segment-based code does), for its errors: a box without any angle
 * fails as it does there, at the first kernel with that shape.
 */
import type { TextureSettings } from "../../features/types.js";
import type { VoxelNeighbourhoodInput } from "../../kernels/voxel-neighbourhood.js";
import { anglesOfSize, boxShapes } from "./box-shapes.js";
import type { VoxelGrid, VoxelKernels } from "./types.js";

/** The kernel input for every kernel of the grid (both directions of each angle). */
export function neighbourhoodInput(
  grid: VoxelGrid,
  kernels: VoxelKernels,
  texture: TextureSettings,
  className: string,
): VoxelNeighbourhoodInput {
  // Each box shape's angles only for their errors (see above).
  const { maxBox } = boxShapes(grid, kernels, texture.distances, texture, true, className);
  // Every angle the distances give (an array long enough along each axis for all of them).
  const long = 2 * Math.max(...texture.distances) + 1;
  const all = anglesOfSize(
    [long, long, long],
    grid.dimension,
    texture.distances,
    texture,
    true,
    className,
  );
  const angles = new Int32Array(3 * all.count);
  for (let a = 0; a < all.count; a++) angles.set([all.dx[a]!, all.dy[a]!, all.dz[a]!], 3 * a);
  return {
    levels: grid.levels,
    mask: grid.mask,
    size: grid.size,
    nLevels: grid.nLevels,
    boxes: kernels.boxes.subarray(0, 6 * kernels.centres.length),
    angles,
    reach: Math.max(...all.reach),
    axes: [all.reach[0] > 0 ? 1 : 0, all.reach[1] > 0 ? 1 : 0, all.reach[2] > 0 ? 1 : 0],
    shells: distanceRanges(texture.distances),
    maxBox,
  };
}

/** The distances (distinct, as neighbourOffsets checked) as ranges of consecutive ones: (a, b) pairs. */
function distanceRanges(distances: readonly number[]): Int32Array {
  const sorted = [...distances].sort((a, b) => a - b);
  const ranges: number[] = [];
  for (const d of sorted) {
    if (ranges.length > 0 && ranges[ranges.length - 1] === d - 1) ranges[ranges.length - 1] = d;
    else ranges.push(d, d);
  }
  return Int32Array.from(ranges);
}
