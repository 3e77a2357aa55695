/**
 * The feature classes radscore computes, in PyRadiomics' class order (its getFeatureClasses():
 * module names sorted: firstorder, glcm, gldm, glrlm, glszm, ngtdm, shape, shape2D).
 */
import type { FeatureCatalogue } from "../extract/params.js";
import { FIRSTORDER_CLASS } from "./firstorder.js";
import { GLCM_CLASS } from "./glcm.js";
import { GLDM_CLASS } from "./gldm.js";
import { GLRLM_CLASS } from "./glrlm.js";
import { GLSZM_CLASS } from "./glszm.js";
import { NGTDM_CLASS } from "./ngtdm.js";
import { SHAPE_CLASS } from "./shape.js";
import { SHAPE2D_CLASS } from "./shape2d.js";
import type { FeatureClassInfo } from "./types.js";

export const FEATURE_CLASSES: readonly FeatureClassInfo[] = [
  FIRSTORDER_CLASS,
  GLCM_CLASS,
  GLDM_CLASS,
  GLRLM_CLASS,
  GLSZM_CLASS,
  NGTDM_CLASS,
  SHAPE_CLASS,
  SHAPE2D_CLASS,
];

/** Class name -> every feature name (for validating parameter files). */
export const FEATURE_CATALOGUE: FeatureCatalogue = Object.fromEntries(
  FEATURE_CLASSES.map((c) => [c.name, c.features]),
);

export function featureClassInfo(name: string): FeatureClassInfo {
  const info = FEATURE_CLASSES.find((c) => c.name === name);
  if (!info) throw new Error(`unknown feature class '${name}'`);
  return info;
}

/**
 * The features a class computes: the listed ones (deprecated allowed when named, as PyRadiomics),
 * or every non-deprecated feature in class order when the list is null.
 */
export function enabledFeatureNames(
  info: FeatureClassInfo,
  requested: readonly string[] | null,
): string[] {
  if (requested === null) return info.features.filter((f) => !info.deprecated.includes(f));
  return [...requested];
}
