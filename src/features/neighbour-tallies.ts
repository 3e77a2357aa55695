/**
 * One pass over the ROI's neighbour pairs for GLCM, GLDM and NGTDM together. The three classes look
 * at the same neighbours (the `distances` angles: GLCM one direction per angle, GLDM and NGTDM both,
 * which are the same pairs), so when the extraction computes more than one of them on an image (the
 * `sharedClasses` hint of the discretised ROI) the neighbour loads are shared: GLCM's raw counts and
 * the per-voxel GLDM dependence and NGTDM neighbour count / level sum come from one loop. All of
 * them are integer tallies, identical whatever the visiting order, so each class's matrix is the
 * one its own loop builds. Without the hint each class runs its own loop.
 */
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
   * null when GLCM is not among the classes (or has taken them: they are handed over once).
   */
  glcm: Float64Array | null;
  /** Per grid cell of an ROI voxel: its neighbours with |level difference| <= gldm_a (GLDM). */
  dependent: Int32Array | null;
  /** Per grid cell of an ROI voxel: its ROI neighbours, and the sum of their levels (NGTDM). */
  neighbours: Int32Array | null;
  sums: Int32Array | null;
}

// Grid scratch slots of the per-voxel tallies (slots 0 and 1 are the classes' own loops').
const DEPENDENT_SLOT = 2;
const NEIGHBOURS_SLOT = 3;
const SUMS_SLOT = 4;

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
 * The shared tallies for `className` on this ROI, computed on first request for every hinted
 * class, or null when the ROI carries no hint naming `className` and another of the three, or the
 * settings do not allow sharing (non-integer gldm_a: GLDM reports that itself).
 */
export function sharedNeighbourTallies(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  className: TallyClass,
): NeighbourTallies | null {
  const hinted = (["glcm", "gldm", "ngtdm"] as const).filter((c) => roi.sharedClasses?.includes(c));
  if (hinted.length < 2 || !hinted.includes(className)) return null;
  if (!Number.isInteger(settings.gldm_a)) return null;
  const key = JSON.stringify([
    hinted,
    settings.distances,
    settings.force2D,
    settings.force2Ddimension,
    settings.gldm_a,
  ]);
  if (last && last.roi === roi && last.key === key) return last.tallies;
  const tallies = tally(roi, settings, hinted);
  last = tallies ? { roi, key, tallies } : null;
  return tallies;
}

function tally(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  classes: readonly TallyClass[],
): NeighbourTallies | null {
  const geometry = inspectTextureRoi(roi, "glcm");
  const mono = neighbourOffsets(geometry, settings.distances, settings, false, "glcm");
  const both = neighbourOffsets(geometry, settings.distances, settings, true, "gldm");
  const grid = borderedGrid(roi, both.reach, "gldm");
  const offsets = gridOffsets(mono, grid);
  // GLCM's angles must be exactly one of each +-pair of the bidirectional set.
  const all = gridOffsets(both, grid);
  const pairs = new Set<number>(all);
  if (all.length !== 2 * offsets.length || pairs.size !== all.length) return null;
  for (const o of offsets) if (!pairs.has(o) || !pairs.has(-o) || o === 0) return null;

  const withGlcm = classes.includes("glcm");
  const withGldm = classes.includes("gldm");
  const withNgtdm = classes.includes("ngtdm");
  const { data, roiVoxels } = grid;
  const n = geometry.grayLevels.length;
  const nn = n * n;
  const na = offsets.length;
  const levelIndex = geometry.levelIndex;
  const alpha = settings.gldm_a;
  const glcm = withGlcm ? new Float64Array(na * nn) : null;
  const dependent = withGldm ? gridScratch(DEPENDENT_SLOT, data.length) : null;
  const neighbours = withNgtdm ? gridScratch(NEIGHBOURS_SLOT, data.length) : null;
  const sums = withNgtdm ? gridScratch(SUMS_SLOT, data.length) : null;
  for (let r = 0; r < roiVoxels.length; r++) {
    const v = roiVoxels[r]!;
    if (dependent) dependent[v] = 0;
    if (neighbours) neighbours[v] = 0;
    if (sums) sums[v] = 0;
  }
  // Each ROI voxel v and each angle's neighbour w = v + offset: the GLCM pair (v, w) in the angle's
  // direction, and (both directions) v's and w's dependence and neighbourhood tallies.
  for (let r = 0; r < roiVoxels.length; r++) {
    const v = roiVoxels[r]!;
    const level = data[v]!;
    const row = levelIndex[level]! * n;
    let ownNeighbours = 0;
    let ownSum = 0;
    let ownDependent = 0;
    for (let a = 0, base = row; a < na; a++, base += nn) {
      const w = v + offsets[a]!;
      const h = data[w]!;
      if (h <= 0) continue;
      if (glcm) glcm[base + levelIndex[h]!]++;
      if (neighbours) {
        ownNeighbours++;
        ownSum += h;
        neighbours[w]++;
        sums![w] += level;
      }
      if (dependent && Math.abs(level - h) <= alpha) {
        ownDependent++;
        dependent[w]++;
      }
    }
    if (neighbours) {
      neighbours[v] += ownNeighbours;
      sums![v] += ownSum;
    }
    if (dependent) dependent[v] += ownDependent;
  }
  return { grid, glcm, dependent, neighbours, sums };
}
