/**
 * Helpers for the region tests of the filters: a filter given a region (e.g. the ROI's bounding
 * box) must reproduce, bit for bit, the whole-image result inside that region.
 */
import assert from "node:assert/strict";
import { IDENTITY3, type Vec3, type Volume, type VoxelArray } from "../../src/image/volume.js";

export interface TestRegion {
  lower: Vec3;
  upper: Vec3;
}

/** Deterministic pseudo-random volume (Park-Miller), values in [lo, hi), in the given array type. */
export function randomVolume<T extends VoxelArray>(
  make: (n: number) => T,
  size: Vec3,
  lo: number,
  hi: number,
  seed = 7,
  dimension: 2 | 3 = 3,
): Volume<T> {
  const data = make(size[0] * size[1] * size[2]);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 16807) % 2147483647;
    data[i] = lo + (s / 2147483647) * (hi - lo);
  }
  return {
    data,
    size,
    spacing: [0.8, 1.1, 1.7],
    origin: [0, 0, 0],
    direction: [...IDENTITY3],
    dimension,
  };
}

/** Regions of a volume of `size`: a central box, boxes touching each face, single voxels, all. */
export function testRegions(size: Vec3): TestRegion[] {
  const last: Vec3 = [size[0] - 1, size[1] - 1, size[2] - 1];
  const mid = (a: number, f: number) => Math.floor(last[a]! * f);
  return [
    {
      lower: [mid(0, 0.3), mid(1, 0.25), mid(2, 0.3)],
      upper: [mid(0, 0.7), mid(1, 0.8), mid(2, 0.6)],
    },
    { lower: [0, 0, 0], upper: [mid(0, 0.4), mid(1, 0.5), mid(2, 0.5)] },
    { lower: [mid(0, 0.6), mid(1, 0.5), mid(2, 0.5)], upper: last },
    { lower: [mid(0, 0.5), 0, mid(2, 0.2)], upper: [mid(0, 0.5), last[1], mid(2, 0.2)] },
    {
      lower: [mid(0, 0.5), mid(1, 0.5), mid(2, 0.5)],
      upper: [mid(0, 0.5), mid(1, 0.5), mid(2, 0.5)],
    },
    { lower: [0, 0, 0], upper: last },
  ];
}

/** Every voxel inside `region` is identical (Object.is) in the two images of `size`. */
export function assertSameInRegion(
  whole: ArrayLike<number>,
  part: ArrayLike<number>,
  size: Vec3,
  region: TestRegion,
  what: string,
): void {
  assert.equal(part.length, whole.length, `${what}: length`);
  const [nx, ny] = size;
  let differ = 0;
  let first = "";
  for (let z = region.lower[2]; z <= region.upper[2]; z++) {
    for (let y = region.lower[1]; y <= region.upper[1]; y++) {
      for (let x = region.lower[0]; x <= region.upper[0]; x++) {
        const i = x + nx * (y + ny * z);
        if (!Object.is(whole[i], part[i])) {
          if (differ === 0) first = `(${x}, ${y}, ${z}): ${part[i]} vs ${whole[i]}`;
          differ++;
        }
      }
    }
  }
  assert.equal(
    differ,
    0,
    `${what}, region ${region.lower.join(",")}..${region.upper.join(",")}: ${differ} voxels differ, first ${first}`,
  );
}
