/**
 * The GLCM feature class as the registry and the extractor see it: feature names in PyRadiomics
 * order and the deprecated names.
 */
import type { FeatureClassInfo } from "../types.js";

export const GLCM_CLASS: FeatureClassInfo = {
  name: "glcm",
  // PyRadiomics order: get<Name>FeatureValue methods sorted by name (inspect.getmembers).
  features: [
    "Autocorrelation",
    "ClusterProminence",
    "ClusterShade",
    "ClusterTendency",
    "Contrast",
    "Correlation",
    "DifferenceAverage",
    "DifferenceEntropy",
    "DifferenceVariance",
    "Dissimilarity",
    "Homogeneity1",
    "Homogeneity2",
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
    "MCC",
    "MaximumProbability",
    "SumAverage",
    "SumEntropy",
    "SumSquares",
    "SumVariance",
  ],
  // These raise DeprecationWarning in PyRadiomics and never produce a value (they equal
  // DifferenceAverage, Id, Idm and ClusterTendency respectively).
  deprecated: ["Dissimilarity", "Homogeneity1", "Homogeneity2", "SumVariance"],
};
