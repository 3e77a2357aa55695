/**
 * Binding of the GLCM per-angle feature kernel (src/kernels/assembly/glcm-features.ts, where the
 * formulas are documented): every feature but MCC for each angle of one GLCM, and each angle's
 * marginals px, py, in one call.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface GlcmFeatureExports extends KernelExports {
  glcmFeaturesScratchBytes(n: number, ng: number): number;
  glcmAngleFeatures(
    p: number,
    grayLevels: number,
    n: number,
    ng: number,
    angleCount: number,
    table: number,
    px: number,
    py: number,
    scratch: number,
  ): void;
}

/** The kernel's table columns, in its order (PyRadiomics names; MCC and deprecated ones absent). */
export const GLCM_ANGLE_FEATURES: readonly string[] = [
  "Autocorrelation",
  "ClusterProminence",
  "ClusterShade",
  "ClusterTendency",
  "Contrast",
  "Correlation",
  "DifferenceAverage",
  "DifferenceEntropy",
  "DifferenceVariance",
  "Id",
  "Idm",
  "Idmn",
  "Idn",
  "Imc1",
  "Imc2",
  "InverseVariance",
  "JointAverage",
  "JointEnergy",
  "JointEntropy",
  "MaximumProbability",
  "SumAverage",
  "SumEntropy",
  "SumSquares",
];

export interface GlcmAngleFeatures {
  /**
   * Feature-major: the values of GLCM_ANGLE_FEATURES[c] for angles 0..angleCount-1 at
   * c * angleCount onwards; NaN throughout for an angle whose matrix is empty (NaN).
   */
  table: Float64Array;
  /** Each angle's row and column sums px, py (n per angle); null unless asked for. */
  px: Float64Array | null;
  py: Float64Array | null;
}

/**
 * Per-angle features of angleCount normalised GLCMs (`matrices`: n x n each, one after the other,
 * over `grayLevels`, n of them, ascending, the highest at most ng), with the marginals when
 * `withMarginals` (the MCC kernel's input).
 */
export function glcmAngleFeatures(
  matrices: Float64Array,
  grayLevels: Int32Array,
  ng: number,
  angleCount: number,
  withMarginals: boolean,
): GlcmAngleFeatures {
  const n = grayLevels.length;
  const matrixLength = angleCount * n * n;
  const marginalLength = angleCount * n;
  const tableLength = GLCM_ANGLE_FEATURES.length * angleCount;
  if (matrices.length < matrixLength) throw new Error("glcmAngleFeatures: array sizes");
  const frame = new KernelFrame<GlcmFeatureExports>();
  const p = frame.input(matrices.subarray(0, matrixLength));
  const levels = frame.input(grayLevels);
  const table = frame.reserve64(tableLength);
  const px = frame.reserve64(marginalLength);
  const py = frame.reserve64(marginalLength);
  const scratch = frame.reserveBytes(frame.wasm.glcmFeaturesScratchBytes(n, ng));
  frame.commit();
  frame.wasm.glcmAngleFeatures(p, levels, n, ng, angleCount, table, px, py, scratch);
  return {
    table: frame.float64(table, tableLength).slice(),
    px: withMarginals ? frame.float64(px, marginalLength).slice() : null,
    py: withMarginals ? frame.float64(py, marginalLength).slice() : null,
  };
}
