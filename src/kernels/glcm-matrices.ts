/**
 * Binding of the GLCM matrix kernel (src/kernels/assembly/glcm-matrices.ts): raw co-occurrence
 * counts to PyRadiomics' processed matrices (see src/features/glcm/matrices.ts).
 */
import { type KernelExports, KernelFrame } from "./wasm.js";

interface GlcmMatrixExports extends KernelExports {
  glcmProcessedMatrices(
    counts: number,
    angleCount: number,
    n: number,
    symmetric: boolean,
    weights: number,
    work: number,
    sums: number,
  ): number;
}

/**
 * The processed GLCMs from raw counts (angleCount matrices of levels x levels): symmetrised when
 * `symmetric`, summed with `weights` (one per angle) into one matrix when given, empty angles
 * dropped when more than one angle is left, each divided by its sum. Returns the kept matrices
 * (kept x levels x levels) and how many there are.
 */
export function processedGlcmMatrices(
  counts: Int32Array,
  angleCount: number,
  levels: number,
  symmetric: boolean,
  weights: Float64Array | null,
): { matrices: Float64Array; kept: number } {
  const nn = levels * levels;
  if (counts.length !== angleCount * nn) throw new Error("processedGlcmMatrices: counts size");
  if (weights && weights.length !== angleCount)
    throw new Error("processedGlcmMatrices: one weight per angle");
  const frame = new KernelFrame<GlcmMatrixExports>();
  const countsAt = frame.input(counts);
  const weightsAt = weights ? frame.input(weights) : 0;
  // The angles' matrices, and the weighted sum after them when there are weights.
  const work = frame.reserve64((angleCount + (weights ? 1 : 0)) * nn);
  const sums = frame.reserve64(angleCount);
  frame.commit();
  const kept = frame.wasm.glcmProcessedMatrices(
    countsAt,
    angleCount,
    levels,
    symmetric,
    weightsAt,
    work,
    sums,
  );
  return { matrices: frame.float64(work, kept * nn).slice(), kept };
}
