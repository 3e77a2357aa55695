/**
 * computeGlcmFeatures: builds the GLCMs, computes every feature per angle (a WebAssembly kernel:
 * src/kernels/assembly/glcm-features.ts), chooses the MCC path (symmetric fast path, a WebAssembly
 * kernel: src/kernels/assembly/mcc.ts; else the general eigensolver for every angle) and averages
 * over angles as PyRadiomics does (numpy.nanmean; JointAverage a plain mean).
 */
import { GLCM_ANGLE_FEATURES, glcmAngleFeatures } from "../../kernels/glcm-features.js";
import { mccSecondEigenvalues } from "../../kernels/mcc.js";
import { pairwiseSum } from "../numpy-compat.js";
import { nanMean, resolveFeatureNames } from "../texture-common.js";
import type { DiscretisedRoi, FeatureValues, TextureSettings } from "../types.js";
import { GLCM_CLASS } from "./class-info.js";
import { glcmMatrices } from "./matrices.js";
import { combineMcc, eigenvaluesOfQ, glcmMarginals, type QEigen } from "./mcc-general.js";

/**
 * GLCM features of a discretised ROI (PyRadiomics RadiomicsGLCM): each feature per angle, then
 * numpy.nanmean over angles (JointAverage: plain mean of ux). Names are PyRadiomics feature names
 * without prefix; deprecated names give no value, unknown names throw.
 */
export function computeGlcmFeatures(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
): FeatureValues {
  const selected = resolveFeatureNames(GLCM_CLASS, names);
  const result: FeatureValues = {};
  if (selected.length === 0) return result;
  const { matrices, angleCount, geometry } = glcmMatrices(roi, settings);
  const n = geometry.grayLevels.length;
  const nn = n * n;
  const withMcc = selected.includes("MCC");
  // MCC needs each angle's marginals, which the feature kernel computes along the way.
  const perAngle = glcmAngleFeatures(
    matrices,
    geometry.grayLevels,
    geometry.maxLevel,
    angleCount,
    withMcc && n >= 2,
  );
  // An empty matrix (normalised by NaN) occurs only as the only angle: every value is then NaN,
  // and numpy.linalg.eigvals rejects the NaN matrix, so MCC is NaN as well.
  let emptyAngle = false;
  for (let a = 0; a < angleCount; a++) if (Number.isNaN(matrices[a * nn]!)) emptyAngle = true;
  let mcc = Number.NaN;
  if (withMcc) {
    if (emptyAngle) mcc = Number.NaN;
    // One level: numpy finds a single eigenvalue and PyRadiomics returns 1. In voxel mode the
    // matrices span the whole ROI's levels: Q's eigenvalues are then {q, 0, ...} and MCC = sqrt(0).
    else if (n < 2) mcc = geometry.matrixLevelCount < 2 ? 1 : 0;
    else {
      // Second-largest eigenvalue per angle by the symmetric method, NaN where it does not apply.
      const lambdas = mccSecondEigenvalues(matrices, perAngle.px!, perAngle.py!, n, angleCount);
      if (!lambdas.some(Number.isNaN)) {
        for (let a = 0; a < angleCount; a++) lambdas[a] = Math.sqrt(lambdas[a]!);
        mcc = nanMean(lambdas);
      } else mcc = generalMcc(matrices, n, angleCount);
    }
  }
  for (const name of selected) {
    if (name === "MCC") {
      result[name] = mcc;
      continue;
    }
    const c = GLCM_ANGLE_FEATURES.indexOf(name);
    const column = perAngle.table.subarray(c * angleCount, (c + 1) * angleCount);
    // JointAverage is ux.mean(): numpy's mean, NaN when any angle is NaN or there is none.
    if (name === "JointAverage")
      result[name] = angleCount === 0 ? Number.NaN : pairwiseSum(column) / angleCount;
    else result[name] = nanMean(column);
  }
  return result;
}

/**
 * MCC when some angle has a near-zero or near-multiple eigenvalue: every angle through the
 * general eigensolver, combined as numpy does (complex batch rules included).
 */
function generalMcc(matrices: Float64Array, n: number, angleCount: number): number {
  const nn = n * n;
  const eigens: QEigen[] = [];
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  for (let a = 0; a < angleCount; a++) {
    const p = matrices.subarray(a * nn, (a + 1) * nn);
    glcmMarginals(p, n, px, py);
    eigens.push(eigenvaluesOfQ(p, px, py, n));
  }
  return combineMcc(eigens, n);
}
