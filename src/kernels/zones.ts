/**
 * Binding of the GLSZM zone-labelling kernel (src/kernels/assembly/zones.ts): the zones (maximal
 * connected sets of ROI voxels of one gray level) behind src/features/glszm.ts's matrix, and IBSI
 * mode's zones (src/ibsi/features/zone-labelling.ts), which also need each voxel's zone.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface ZoneExports extends KernelExports {
  glszmLabelledZones(
    work: number,
    roiVoxels: number,
    roiCount: number,
    offsets: number,
    angleCount: number,
    stack: number,
    zoneLevel: number,
    zoneSize: number,
    largest: number,
    zoneOf: number,
    zoneSeed: number,
  ): number;
}

export interface Zones {
  /** Gray level of each zone, in the order the zones were found. */
  level: Int32Array;
  /** Size (voxels) of each zone. */
  size: Int32Array;
  /** Largest zone size (0 without zones). */
  largest: number;
}

/** Zones with their voxels' labels (findZones' `labels` option). */
export interface LabelledZones extends Zones {
  /** Zone of each grid cell, -1 outside every zone. */
  zoneOf: Int32Array;
  /** Seed (first) voxel of each zone. */
  seed: Int32Array;
}

/**
 * The zones of a zero-bordered grid (ROI cells hold their level >= 1, other cells 0, border -1 or
 * 0), connected through the given grid offsets (every direction, both ways), seeded in ROI order;
 * with `labels`, also each cell's zone and each zone's seed voxel (IBSI mode's zones).
 */
export function findZones(grid: Int32Array, roiVoxels: Int32Array, offsets: Int32Array): Zones;
export function findZones(
  grid: Int32Array,
  roiVoxels: Int32Array,
  offsets: Int32Array,
  labels: true,
): LabelledZones;
export function findZones(
  grid: Int32Array,
  roiVoxels: Int32Array,
  offsets: Int32Array,
  labels = false,
): Zones | LabelledZones {
  const roiCount = roiVoxels.length;
  const frame = new KernelFrame<ZoneExports>();
  const work = frame.input(grid);
  const roi = frame.input(roiVoxels);
  const steps = frame.input(offsets);
  const stack = frame.reserve32(roiCount);
  const zoneLevel = frame.reserve32(roiCount);
  const zoneSize = frame.reserve32(roiCount);
  const largest = frame.reserve32(1);
  const zoneOf = labels ? frame.reserve32(grid.length) : 0;
  const zoneSeed = labels ? frame.reserve32(roiCount) : 0;
  frame.commit();
  // Cells outside every zone keep -1 (kernel memory holds whatever an earlier call left).
  if (labels) frame.int32(zoneOf, grid.length).fill(-1);
  // zoneOf and zoneSeed 0 (no labels): the kernel writes neither.
  const count = frame.wasm.glszmLabelledZones(
    work,
    roi,
    roiCount,
    steps,
    offsets.length,
    stack,
    zoneLevel,
    zoneSize,
    largest,
    zoneOf,
    zoneSeed,
  );
  const zones: Zones = {
    level: frame.int32(zoneLevel, count).slice(),
    size: frame.int32(zoneSize, count).slice(),
    largest: frame.int32(largest, 1)[0]!,
  };
  if (!labels) return zones;
  return {
    ...zones,
    zoneOf: frame.int32(zoneOf, grid.length).slice(),
    seed: frame.int32(zoneSeed, count).slice(),
  };
}
