/**
 * Image perturbation for feature robustness without a second reader (Zwanenburg et al.,
 * "Assessing robustness of radiomic features by image perturbation", Sci Rep 2019;9:614; MIRP).
 * - chain.ts: plans (letters R T N V C, count, seed) -> perturbation specs -> perturbed pairs;
 * - rotate.ts, translate.ts, grid-sampling.ts: rotation about the slice axis and sub-voxel
 *   translation as resampling on a moved grid;
 * - noise.ts: Chang's wavelet noise estimate, Gaussian noise (R's rnorm);
 * - volume-adapt.ts, morphology.ts: ROI growth / shrinkage to a volume fraction;
 * - supervoxels.ts, contour-randomise.ts: SLIC supervoxels and contour randomisation;
 * - features.ts: features of every perturbed pair of a case (radscore's extractor).
 * Per-feature ICC across perturbations: src/stats/robustness.ts.
 */
export * from "./chain.js";
export * from "./contour-randomise.js";
export * from "./features.js";
export * from "./grid-sampling.js";
export * from "./morphology.js";
export * from "./noise.js";
export * from "./rotate.js";
export * from "./supervoxels.js";
export * from "./translate.js";
export * from "./volume-adapt.js";
