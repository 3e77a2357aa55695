/**
 * computeGlcmFeatures: builds the GLCMs, computes every feature per angle, chooses the MCC path
 * (symmetric fast path, a WebAssembly kernel: src/kernels/assembly/mcc.ts; else the general
 * eigensolver for every angle) and averages over angles as PyRadiomics does (numpy.nanmean;
 * JointAverage a plain mean).
 */
import { mccSecondEigenvalues } from "../../kernels/mcc.js";
import { pairwiseSum } from "../numpy-compat.js";
import { nanMean, resolveFeatureNames } from "../texture-common.js";
import type { DiscretisedRoi, FeatureValues, TextureSettings } from "../types.js";
import { AngleScratch, angleFeatures } from "./angle-features.js";
import { type AngleValues, GLCM_CLASS } from "./class-info.js";
import { glcmMatrices } from "./matrices.js";
import { combineMcc, eigenvaluesOfQ, glcmMarginals, type QEigen } from "./mcc-general.js";

/**
 * Working arrays for at least n levels and Ng = ng, kept for later calls: voxel-based extraction
 * computes the GLCM of thousands of small kernels with varying n. angleFeatures reads only the
 * first n (or 2 Ng + 1, Ng) cells and resets what it reads, so larger arrays serve as well.
 */
let lastAngleScratch: { n: number; ng: number; scratch: AngleScratch } | null = null;

function angleScratch(n: number, ng: number): AngleScratch {
  if (!lastAngleScratch || lastAngleScratch.n < n || lastAngleScratch.ng < ng) {
    const size = {
      n: Math.max(n, lastAngleScratch?.n ?? 0),
      ng: Math.max(ng, lastAngleScratch?.ng ?? 0),
    };
    lastAngleScratch = { ...size, scratch: new AngleScratch(size.n, size.ng) };
  }
  return lastAngleScratch.scratch;
}

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
  const perAngle: AngleValues[] = [];
  const scratch = angleScratch(n, geometry.maxLevel);
  // MCC needs each angle's marginals (computed with its other features) after the loop.
  let emptyAngle = false;
  const anglePx = withMcc && n >= 2 ? new Float64Array(angleCount * n) : null;
  const anglePy = withMcc && n >= 2 ? new Float64Array(angleCount * n) : null;
  for (let a = 0; a < angleCount; a++) {
    const p = matrices.subarray(a * nn, (a + 1) * nn);
    if (Number.isNaN(p[0]!)) {
      // The only angle has an empty matrix (normalised by NaN): every value is NaN, and
      // numpy.linalg.eigvals rejects the NaN matrix, so MCC is NaN as well.
      const values: AngleValues = {};
      for (const name of GLCM_CLASS.features) values[name] = Number.NaN;
      perAngle.push(values);
      emptyAngle = true;
      continue;
    }
    perAngle.push(angleFeatures(p, geometry.grayLevels, geometry.maxLevel, scratch));
    anglePx?.set(scratch.px.subarray(0, n), a * n);
    anglePy?.set(scratch.py.subarray(0, n), a * n);
  }
  let mcc = Number.NaN;
  if (withMcc) {
    if (emptyAngle) mcc = Number.NaN;
    // One level: numpy finds a single eigenvalue and PyRadiomics returns 1. In voxel mode the
    // matrices span the whole ROI's levels: Q's eigenvalues are then {q, 0, ...} and MCC = sqrt(0).
    else if (n < 2) mcc = geometry.matrixLevelCount < 2 ? 1 : 0;
    else {
      // Second-largest eigenvalue per angle by the symmetric method, NaN where it does not apply.
      const lambdas = mccSecondEigenvalues(matrices, anglePx!, anglePy!, n, angleCount);
      if (!lambdas.some(Number.isNaN)) {
        for (let a = 0; a < angleCount; a++) lambdas[a] = Math.sqrt(lambdas[a]!);
        mcc = nanMean(lambdas);
      } else mcc = generalMcc(matrices, n, angleCount);
    }
  }
  const column = new Float64Array(perAngle.length);
  for (const name of selected) {
    if (name === "MCC") {
      result[name] = mcc;
    } else if (name === "JointAverage") {
      // ux.mean(): numpy's mean, NaN when any angle is NaN or there is none.
      for (let a = 0; a < perAngle.length; a++) column[a] = perAngle[a]!.JointAverage!;
      result[name] = perAngle.length === 0 ? Number.NaN : pairwiseSum(column) / perAngle.length;
    } else {
      for (let a = 0; a < perAngle.length; a++) column[a] = perAngle[a]![name]!;
      result[name] = nanMean(column);
    }
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
