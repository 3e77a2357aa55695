/**
 * A mask drawn on one image mapped onto another image's grid in physical space, nearest
 * neighbour: each target voxel takes the label of the source voxel whose centre is nearest to its
 * own centre (continuous source index rounded half up, i.e. floor(x + 0.5), as ITK's
 * NearestNeighborInterpolateImageFunction rounds), 0 outside the source. Used for multi-sequence
 * studies where the ROI was drawn on one sequence (e.g. DCE) and features are extracted on another
 * sequence of the same frame of reference.
 */
import { allocateVoxels, invert3, type Volume, voxelCount, voxelTypeOf } from "./volume.js";

export function mapMaskNearest(mask: Volume, grid: Omit<Volume, "data">): Volume {
  const [nx, ny, nz] = grid.size;
  const out = allocateVoxels(voxelTypeOf(mask.data), voxelCount(grid.size));
  const inv = invert3(mask.direction);
  const [sx, sy, sz] = mask.size;
  const d = grid.direction;
  const src = mask.data;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        // physical point of the target voxel centre
        const a = i * grid.spacing[0];
        const b = j * grid.spacing[1];
        const c = k * grid.spacing[2];
        const px = grid.origin[0] + d[0] * a + d[1] * b + d[2] * c - mask.origin[0];
        const py = grid.origin[1] + d[3] * a + d[4] * b + d[5] * c - mask.origin[1];
        const pz = grid.origin[2] + d[6] * a + d[7] * b + d[8] * c - mask.origin[2];
        const u = Math.floor((inv[0] * px + inv[1] * py + inv[2] * pz) / mask.spacing[0] + 0.5);
        const v = Math.floor((inv[3] * px + inv[4] * py + inv[5] * pz) / mask.spacing[1] + 0.5);
        const w = Math.floor((inv[6] * px + inv[7] * py + inv[8] * pz) / mask.spacing[2] + 0.5);
        if (u < 0 || v < 0 || w < 0 || u >= sx || v >= sy || w >= sz) continue;
        out[i + nx * (j + ny * k)] = src[u + sx * (v + sy * w)]!;
      }
    }
  }
  return {
    data: out,
    size: [...grid.size],
    spacing: [...grid.spacing],
    origin: [...grid.origin],
    direction: [...grid.direction],
    dimension: grid.dimension,
  };
}
