/**
 * Binding of the GLCM MCC fast-path kernel (src/kernels/assembly/mcc.ts, where the method is
 * documented): the second-largest eigenvalue of each angle's MCC matrix Q by the symmetric
 * eigenvalue method, all angles of one GLCM in one call.
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface MccExports extends KernelExports {
  glcmMccScratchBytes(n: number): number;
  glcmMccSecondEigenvalues(
    p: number,
    px: number,
    py: number,
    n: number,
    angleCount: number,
    lambdas: number,
    scratch: number,
  ): number;
}

/**
 * Second-largest eigenvalue of Q for each angle: `matrices` holds angleCount normalised n x n
 * GLCMs one after the other, `px` and `py` their marginals (n per angle, same order). NaN from the
 * first angle whose eigenvalue the fast path cannot give reliably (later angles are then not
 * computed: the general eigensolver takes every angle).
 */
export function mccSecondEigenvalues(
  matrices: Float64Array,
  px: Float64Array,
  py: Float64Array,
  n: number,
  angleCount: number,
): Float64Array {
  const matrixLength = angleCount * n * n;
  const marginalLength = angleCount * n;
  if (matrices.length < matrixLength || px.length < marginalLength || py.length < marginalLength)
    throw new Error("mccSecondEigenvalues: array sizes");
  const frame = new KernelFrame<MccExports>();
  const p = frame.input(matrices.subarray(0, matrixLength));
  const pxAt = frame.input(px.subarray(0, marginalLength));
  const pyAt = frame.input(py.subarray(0, marginalLength));
  const lambdas = frame.reserve64(angleCount);
  const scratch = frame.reserveBytes(frame.wasm.glcmMccScratchBytes(n));
  frame.commit();
  frame.wasm.glcmMccSecondEigenvalues(p, pxAt, pyAt, n, angleCount, lambdas, scratch);
  return frame.float64(lambdas, angleCount).slice();
}
