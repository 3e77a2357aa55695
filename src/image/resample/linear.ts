/**
 * The linear interpolator (LinearInterpolateImageFunction::EvaluateOptimized), with ITK's
 * branch structure and floor.
 */
import type { Volume } from "../volume.js";
import type { Evaluator } from "./interpolator.js";
import { itkFloor } from "./itk-rounding.js";

/** LinearInterpolateImageFunction::EvaluateOptimized (2D / 3D branches). */
export function linear(input: Volume): Evaluator {
  const [nx, ny, nz] = input.size;
  const d = input.data;
  const sy = nx;
  const sz = nx * ny;
  const is3D = input.dimension === 3;
  return (c0, c1, c2) => {
    let b0 = itkFloor(c0);
    if (b0 < 0) b0 = 0;
    const d0 = c0 - b0;
    let b1 = itkFloor(c1);
    if (b1 < 0) b1 = 0;
    const d1 = c1 - b1;
    let b2 = 0;
    let d2 = 0;
    if (is3D) {
      b2 = itkFloor(c2);
      if (b2 < 0) b2 = 0;
      d2 = c2 - b2;
    }
    // An axis takes part when its distance is > 0 and its upper neighbour exists; ITK's
    // branches then interpolate along x first, then y, then z.
    const ox = d0 > 0 && b0 + 1 <= nx - 1 ? 1 : 0;
    const oy = d1 > 0 && b1 + 1 <= ny - 1 ? sy : 0;
    const oz = d2 > 0 && b2 + 1 <= nz - 1 ? sz : 0;
    const i000 = b0 + sy * b1 + sz * b2;
    let v00 = d[i000]!;
    if (ox) v00 += (d[i000 + 1]! - v00) * d0;
    if (oy) {
      let v10 = d[i000 + oy]!;
      if (ox) v10 += (d[i000 + oy + 1]! - v10) * d0;
      v00 += (v10 - v00) * d1;
    }
    if (!oz) return v00;
    const i001 = i000 + oz;
    let v01 = d[i001]!;
    if (ox) v01 += (d[i001 + 1]! - v01) * d0;
    if (oy) {
      let v11 = d[i001 + oy]!;
      if (ox) v11 += (d[i001 + oy + 1]! - v11) * d0;
      v01 += (v11 - v01) * d1;
    }
    return v00 + (v01 - v00) * d2;
  };
}
