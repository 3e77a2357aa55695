/**
 * Binding of the GLSZM zone-labelling kernel (src/kernels/assembly/zones.ts): the zones (maximal
 * connected sets of ROI voxels of one gray level) behind src/features/glszm.ts's matrix.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface ZoneExports extends KernelExports {
  glszmZones(
    work: number,
    roiVoxels: number,
    roiCount: number,
    offsets: number,
    angleCount: number,
    stack: number,
    zoneLevel: number,
    zoneSize: number,
    largest: number,
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

/**
 * The zones of a zero-bordered grid (ROI cells hold their level >= 1, other cells 0, border -1),
 * connected through the given grid offsets (every direction, both ways), seeded in ROI order.
 */
export function findZones(grid: Int32Array, roiVoxels: Int32Array, offsets: Int32Array): Zones {
  const roiCount = roiVoxels.length;
  const frame = new KernelFrame<ZoneExports>();
  const work = frame.input(grid);
  const roi = frame.input(roiVoxels);
  const steps = frame.input(offsets);
  const stack = frame.reserve32(roiCount);
  const zoneLevel = frame.reserve32(roiCount);
  const zoneSize = frame.reserve32(roiCount);
  const largest = frame.reserve32(1);
  frame.commit();
  const count = frame.wasm.glszmZones(
    work,
    roi,
    roiCount,
    steps,
    offsets.length,
    stack,
    zoneLevel,
    zoneSize,
    largest,
  );
  return {
    level: frame.int32(zoneLevel, count).slice(),
    size: frame.int32(zoneSize, count).slice(),
    largest: frame.int32(largest, 1)[0]!,
  };
}
