/**
 * computeGlcmFeatures: builds the GLCMs, computes every feature per angle, chooses the MCC path
 * (symmetric fast path, else the general eigensolver for every angle) and averages over angles as
 * PyRadiomics does (numpy.nanmean; JointAverage a plain mean).
 */
import { pairwiseSum } from "../numpy-compat.js";
import { nanMean, resolveFeatureNames } from "../texture-common.js";
import type { DiscretisedRoi, FeatureValues, TextureSettings } from "../types.js";
import { AngleScratch, angleFeatures } from "./angle-features.js";
import { type AngleValues, GLCM_CLASS } from "./class-info.js";
import { glcmMatrices } from "./matrices.js";
import { combineMcc, eigenvaluesOfQ, glcmMarginals, type QEigen } from "./mcc-general.js";
import { MccScratch } from "./mcc-scratch.js";
import { secondEigenvalueOfQ } from "./mcc-symmetric.js";

/**
 * GLCM features of a discretised ROI (PyRadiomics RadiomicsGLCM): each feature per angle, then
 * numpy.nanmean over angles (JointAverage: plain mean of ux). Names are PyRadiomics feature names
 * without prefix; deprecated names give no value, unknown names throw.
 */
/**
 * Working arrays, kept for the next call of the same size: voxel-based extraction computes the
 * GLCM of thousands of small kernels. Both kinds are reused across angles already, so nothing in
 * them is assumed to start zeroed.
 */
let lastAngleScratch: { n: number; ng: number; scratch: AngleScratch } | null = null;
let lastMccScratch: { n: number; scratch: MccScratch } | null = null;

function angleScratch(n: number, ng: number): AngleScratch {
  if (lastAngleScratch?.n !== n || lastAngleScratch.ng !== ng)
    lastAngleScratch = { n, ng, scratch: new AngleScratch(n, ng) };
  return lastAngleScratch.scratch;
}

function mccScratchFor(n: number): MccScratch {
  if (lastMccScratch?.n !== n) lastMccScratch = { n, scratch: new MccScratch(n) };
  return lastMccScratch.scratch;
}

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
  // MCC: second-largest eigenvalue per angle by the symmetric method while it applies.
  let emptyAngle = false;
  let symmetricOk = withMcc && n >= 2;
  const lambdas = new Float64Array(angleCount);
  const mccScratch = symmetricOk ? mccScratchFor(n) : null;
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
    if (symmetricOk) {
      lambdas[a] = secondEigenvalueOfQ(p, scratch.px, scratch.py, n, mccScratch!);
      if (Number.isNaN(lambdas[a]!)) symmetricOk = false;
    }
  }
  let mcc = Number.NaN;
  if (withMcc) {
    if (emptyAngle) mcc = Number.NaN;
    // One level: numpy finds a single eigenvalue and PyRadiomics returns 1. In voxel mode the
    // matrices span the whole ROI's levels: Q's eigenvalues are then {q, 0, ...} and MCC = sqrt(0).
    else if (n < 2) mcc = geometry.matrixLevelCount < 2 ? 1 : 0;
    else if (symmetricOk) {
      for (let a = 0; a < angleCount; a++) lambdas[a] = Math.sqrt(lambdas[a]!);
      mcc = nanMean(lambdas);
    } else {
      // Near-zero or near-multiple eigenvalue somewhere: every angle through the general
      // eigensolver, combined as numpy does (complex batch rules included).
      const eigens: QEigen[] = [];
      const px = new Float64Array(n);
      const py = new Float64Array(n);
      for (let a = 0; a < angleCount; a++) {
        const p = matrices.subarray(a * nn, (a + 1) * nn);
        glcmMarginals(p, n, px, py);
        eigens.push(eigenvaluesOfQ(p, px, py, n));
      }
      mcc = combineMcc(eigens, n);
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
