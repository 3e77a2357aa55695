/**
 * The nearest-neighbour interpolator (NearestNeighborInterpolateImageFunction): the voxel at
 * ITK's rounded continuous index, clamped to the last voxel.
 */
import type { Volume } from "../volume.js";
import type { Evaluator } from "./interpolator.js";
import { itkRound } from "./itk-rounding.js";

export function nearestNeighbour(input: Volume): Evaluator {
  const [nx, ny, nz] = input.size;
  const d = input.data;
  const is3D = input.dimension === 3;
  // Along an output row the y and z indices usually repeat: the last ones are reused (a pure
  // function of the same argument).
  let lastC1 = Number.NaN;
  let lastC2 = Number.NaN;
  let j = 0;
  let k = 0;
  return (c0, c1, c2) => {
    const i = Math.min(itkRound(c0), nx - 1);
    if (c1 !== lastC1) {
      j = Math.min(itkRound(c1), ny - 1);
      lastC1 = c1;
    }
    if (is3D && c2 !== lastC2) {
      k = Math.min(itkRound(c2), nz - 1);
      lastC2 = c2;
    }
    return d[i + nx * (j + ny * k)]!;
  };
}
