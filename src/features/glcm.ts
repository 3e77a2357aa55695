/**
 * Gray Level Co-occurrence Matrix (GLCM) features as PyRadiomics computes them (radiomics/glcm.py
 * and calculate_glcm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * For each angle a (PyRadiomics' mono-directional angle set over the cropped array), P_a(i, j)
 * counts ROI voxels of gray level i whose neighbour at offset a is an ROI voxel of level j. Rows and
 * columns of gray levels absent from the ROI are dropped, the matrix is optionally made symmetrical
 * (P + P^T) and optionally collapsed over angles with distance weights (weightingNorm), empty angles
 * are dropped, each matrix is normalised to sum 1, every feature is computed per angle and the
 * angles are averaged ignoring NaN (numpy.nanmean).
 *
 * This module is the entry point; the code lives in ./glcm/:
 * - class-info.ts: feature names (PyRadiomics order) and deprecated names.
 * - matrices.ts: glcmMatrices, the co-occurrence matrices (counts, symmetrisation, angle weighting,
 *   empty angles, normalisation).
 * - ../kernels/assembly/glcm-features.ts (WebAssembly; binding ../kernels/glcm-features.ts): every
 *   angle's marginals px, py, p_{x+y}, p_{x-y} and features, each with its formula: Autocorrelation,
 *   Contrast, JointEnergy, JointEntropy, MaximumProbability, JointAverage, the Cluster features,
 *   SumSquares, Correlation, the difference features (DifferenceAverage, DifferenceEntropy,
 *   DifferenceVariance, Id, Idn, Idm, Idmn, InverseVariance), SumAverage, SumEntropy, Imc1, Imc2.
 * - ../kernels/assembly/mcc.ts (WebAssembly; binding ../kernels/mcc.ts): MCC by the symmetric
 *   eigenvalue method.
 * - mcc-general.ts (with hessenberg-qr.ts, realEigenvalues): MCC as numpy's eigvals gives it.
 * - compute.ts: computeGlcmFeatures, per-angle values averaged over angles, MCC path choice.
 */
export { GLCM_CLASS } from "./glcm/class-info.js";
export { computeGlcmFeatures } from "./glcm/compute.js";
export { realEigenvalues } from "./glcm/hessenberg-qr.js";
export { glcmMatrices } from "./glcm/matrices.js";
