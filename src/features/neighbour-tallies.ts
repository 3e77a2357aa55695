/**
 * One pass over the ROI's neighbour pairs for GLCM, GLDM and NGTDM. The three classes look at the
 * same neighbours (the `distances` angles: GLCM one direction per angle, GLDM and NGTDM both, which
 * are the same pairs), so each pair is visited once, along GLCM's direction, and counted for both
 * of its voxels: GLCM's raw counts, the per-voxel GLDM dependence and NGTDM neighbour count / level
 * sum. When the extraction computes more than one of them on an image (the `sharedClasses` hint of
 * the discretised ROI) one loop serves them all. All are integer tallies, identical whatever the
 * visiting order, so each class's matrix is the C kernel's.
 */
import { neighbourPass } from "../kernels/neighbour-tallies.js";
import {
  borderedGrid,
  type BorderedGrid,
  gridOffsets,
  gridScratch,
  inspectTextureRoi,
  neighbourOffsets,
} from "./texture-common.js";
import type { DiscretisedRoi, TextureSettings } from "./types.js";

/** The classes that can share the pass. */
export type TallyClass = "glcm" | "gldm" | "ngtdm";

export interface NeighbourTallies {
  grid: BorderedGrid;
  /**
   * GLCM raw co-occurrence counts, one n x n matrix per GLCM angle (n = gray levels present), or
   * null when GLCM is not among the classes. Read-only: GLCM processes a copy. Int32 (exact for any
   * ROI below 2^31 voxels) halves the memory the scattered increments touch against doubles, which
   * matters when there are many gray levels (13 x 161^2 counts: 2.7 MB as doubles).
   */
  glcm: Int32Array | null;
  /** Per grid cell of an ROI voxel: its neighbours with |level difference| <= gldm_a (GLDM). */
  dependent: Int32Array | null;
  /** Per grid cell of an ROI voxel: its ROI neighbours, and the sum of their levels (NGTDM). */
  neighbours: Int32Array | null;
  sums: Int32Array | null;
}

// Grid scratch slots of the per-voxel tallies.
const DEPENDENT_SLOT = 0;
const NEIGHBOURS_SLOT = 1;
const SUMS_SLOT = 2;

interface Tallied {
  roi: DiscretisedRoi;
  key: string;
  tallies: NeighbourTallies;
}

/**
 * The last tallies made. Their per-voxel arrays live in shared scratch buffers, so only the most
 * recent ROI's are kept (the extraction finishes an image's classes before the next image).
 */
let last: Tallied | null = null;

/**
 * The neighbour tallies for `className` on this ROI: with a `sharedClasses` hint naming it, one
 * pass for every hinted class of the three (made on the first request, reused by the others);
 * otherwise for `className` alone.
 */
export function sharedNeighbourTallies(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  className: TallyClass,
): NeighbourTallies {
  const hinted = (["glcm", "gldm", "ngtdm"] as const).filter((c) => roi.sharedClasses?.includes(c));
  const classes: readonly TallyClass[] = hinted.includes(className) ? hinted : [className];
  const key = JSON.stringify([
    classes,
    settings.distances,
    settings.force2D,
    settings.force2Ddimension,
    settings.gldm_a,
  ]);
  if (last && last.roi === roi && last.key === key) return last.tallies;
  const tallies = tally(roi, settings, classes, className);
  last = { roi, key, tallies };
  return tallies;
}

function tally(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  classes: readonly TallyClass[],
  className: TallyClass,
): NeighbourTallies {
  const geometry = inspectTextureRoi(roi, className);
  const mono = neighbourOffsets(geometry, settings.distances, settings, false, className);
  const both = neighbourOffsets(geometry, settings.distances, settings, true, className);
  const grid = borderedGrid(roi, both.reach, className);
  const offsets = gridOffsets(mono, grid);
  // GLCM's angles are one of each +-pair of the bidirectional set (generateAngles builds them so).
  const all = gridOffsets(both, grid);
  const pairs = new Set<number>(all);
  const paired =
    all.length === 2 * offsets.length &&
    pairs.size === all.length &&
    offsets.every((o) => o !== 0 && pairs.has(o) && pairs.has(-o));
  if (!paired) throw new Error(`${className}: neighbour angles do not pair up (internal error)`);

  const withGlcm = classes.includes("glcm");
  const withGldm = classes.includes("gldm");
  const withNgtdm = classes.includes("ngtdm");
  const { data, roiVoxels } = grid;
  const n = geometry.grayLevels.length;
  const glcm = withGlcm ? new Int32Array(offsets.length * n * n) : null;
  const dependent = withGldm ? gridScratch(DEPENDENT_SLOT, data.length) : null;
  const neighbours = withNgtdm ? gridScratch(NEIGHBOURS_SLOT, data.length) : null;
  const sums = withNgtdm ? gridScratch(SUMS_SLOT, data.length) : null;
  // Each ROI voxel v and each angle's neighbour w = v + offset: the GLCM pair (v, w) in the angle's
  // direction, and (both directions) v's and w's dependence and neighbourhood tallies; in the
  // WebAssembly kernel (src/kernels/assembly/neighbour-tallies.ts).
  neighbourPass(
    {
      grid: data,
      roiVoxels,
      offsets,
      levelIndex: geometry.levelIndex,
      levels: n,
      alpha: settings.gldm_a,
    },
    { glcm, dependent, neighbours, sums },
  );
  return { grid, glcm, dependent, neighbours, sums };
}
