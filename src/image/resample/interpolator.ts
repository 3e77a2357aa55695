/**
 * The interpolator setting and the evaluation contract of the interpolators: SimpleITK's
 * interpolator names, their numbering in PyRadiomics' parameter schema, and `Evaluator`.
 * The interpolators themselves: nearest.ts, linear.ts (evaluators), bspline-interpolator.ts (the
 * whole resampling in one WebAssembly kernel call); the choice among them (and the ones not
 * implemented): resampleVolume and evaluatorFor in resample-volume.ts.
 */
import { INTERPOLATORS } from "../../extract/params.js";

export type InterpolatorName = (typeof INTERPOLATORS)[number];

/** SimpleITK's interpolator enumeration as PyRadiomics' parameter schema numbers it (1-10). */
const INTERPOLATOR_BY_NUMBER: Record<number, InterpolatorName> = {
  1: "sitkNearestNeighbor",
  2: "sitkLinear",
  3: "sitkBSpline",
  4: "sitkGaussian",
  5: "sitkLabelGaussian",
  6: "sitkHammingWindowedSinc",
  7: "sitkCosineWindowedSinc",
  8: "sitkWelchWindowedSinc",
  9: "sitkLanczosWindowedSinc",
  10: "sitkBlackmanWindowedSinc",
};

/** The interpolator named by the `interpolator` setting (a SimpleITK name or its number). */
export function resolveInterpolator(setting: string | number): InterpolatorName {
  if (typeof setting === "number") {
    const name = INTERPOLATOR_BY_NUMBER[setting];
    if (!name) throw new Error(`interpolator: unknown SimpleITK interpolator number ${setting}`);
    return name;
  }
  if (!(INTERPOLATORS as readonly string[]).includes(setting)) {
    throw new Error(
      `interpolator: unknown interpolator '${setting}'; valid: ${INTERPOLATORS.join(", ")}`,
    );
  }
  return setting as InterpolatorName;
}

// Interpolators. Each evaluates at a continuous index known to be inside the buffer.

export type Evaluator = (c0: number, c1: number, c2: number) => number;
