/**
 * Binding of IBSI mode's zone labelling (src/kernels/assembly/zone-labels.ts; the method in
 * src/ibsi/features/zone-labelling.ts): the padded grid and the neighbour offsets in, each voxel's
 * zone and each zone's level, size and first slice out.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface ZoneExports extends KernelExports {
  ibsiLabelZones(
    levels: number,
    n: number,
    nxy: number,
    offsets: number,
    offsetCount: number,
    zoneOf: number,
    stack: number,
    level: number,
    size: number,
    slice: number,
  ): number;
}

export interface LabelledZones {
  count: number;
  zoneOf: Int32Array;
  level: Int32Array;
  size: Int32Array;
  slice: Int32Array;
}

/** The zones of `levels` (a grid with a zero border, nxy voxels per slice) through `offsets`. */
export function labelZonesInKernel(
  levels: Int32Array,
  nxy: number,
  offsets: Int32Array,
): LabelledZones {
  const n = levels.length;
  const frame = new KernelFrame<ZoneExports>();
  const at = {
    levels: frame.input(levels),
    offsets: frame.input(offsets),
    zoneOf: frame.reserve32(n),
    stack: frame.reserve32(n),
    level: frame.reserve32(n),
    size: frame.reserve32(n),
    slice: frame.reserve32(n),
  };
  frame.commit();
  const count = frame.wasm.ibsiLabelZones(
    at.levels,
    n,
    nxy,
    at.offsets,
    offsets.length,
    at.zoneOf,
    at.stack,
    at.level,
    at.size,
    at.slice,
  );
  return {
    count,
    zoneOf: frame.int32(at.zoneOf, n).slice(),
    level: frame.int32(at.level, count).slice(),
    size: frame.int32(at.size, count).slice(),
    slice: frame.int32(at.slice, count).slice(),
  };
}
