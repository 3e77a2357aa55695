/**
 * The zones that IBSI-1's grey level size zone (GLSZM, 9SAK) and distance zone (GLDZM, VMDZ)
 * matrices count (IBSI-1 manual, chapter 3): groups of linked intensity-mask voxels with the same
 * discretised grey level, linked within Chebyshev distance 1 (8-connected in-plane for 2D and 2.5D,
 * 26-connected for 3D). Their matrices and features: level-count-matrix.ts.
 */
import type { Vec3 } from "../../image/volume.js";
import { findZones } from "../../kernels/zones.js";
import {
  assertZeroBorder,
  chebyshevOffsets,
  type TextureNeighbourhood,
} from "./slice-aggregation.js";

/** The zones of a discretised ROI, numbered in raster order of their first voxel. */
export interface Zones {
  /** Number of zones. */
  count: number;
  /** Zone of each voxel, -1 outside the intensity mask. */
  zoneOf: Int32Array;
  /** Grey level of each zone. */
  level: Int32Array;
  /** Voxels of each zone. */
  size: Int32Array;
  /** Slice (z) of each zone's first voxel: the zone's slice for 2D zones; non-decreasing. */
  slice: Int32Array;
}

/**
 * Labels the zones of `levels` (level > 0 = intensity mask): voxels of equal level linked within
 * Chebyshev distance 1, in-plane (8-connectivity, 2D) or in the volume (26-connectivity, 3D).
 * Voxels outside the intensity mask link nothing. The grid must have a zero border (padToBox).
 * Flood fill with an explicit stack from every voxel in raster order, O(N): the PyRadiomics mode's
 * zone kernel (src/kernels/zones.ts), so zones are numbered in raster order of their first voxel.
 */
export function labelZones(
  levels: Int32Array,
  size: Vec3,
  neighbourhood: TextureNeighbourhood,
): Zones {
  assertZeroBorder(levels, size);
  const nxy = size[0] * size[1];
  // Seeds: every voxel (those outside the mask, level 0, seed nothing).
  const everyVoxel = new Int32Array(levels.length);
  for (let v = 0; v < everyVoxel.length; v++) everyVoxel[v] = v;
  const zones = findZones(levels, everyVoxel, chebyshevOffsets(size, neighbourhood), true);
  return {
    count: zones.level.length,
    zoneOf: zones.zoneOf,
    level: zones.level,
    size: zones.size,
    slice: Int32Array.from(zones.seed, (seed) => Math.floor(seed / nxy)),
  };
}
