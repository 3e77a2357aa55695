/**
 * Features of every perturbed pair of one case, extracted with radscore's PyRadiomics pipeline
 * (src/extract/extractor.ts `extractFeatures`), as the rows of one case in the
 * case x perturbation feature table that src/stats/robustness.ts turns into ICC(1,1) per feature.
 * Pairs are made and extracted one at a time, so only one perturbed pair is held at once.
 */
import { extractFeatures } from "../../extract/extractor.js";
import type { Params } from "../../extract/params.js";
import type { Volume } from "../volume.js";
import {
  applyPerturbation,
  caseContext,
  describePerturbation,
  type PerturbationPlan,
  type PerturbationSpec,
  perturbationSpecs,
} from "./chain.js";

/** Feature values of one case under each perturbation of a plan. */
export interface PerturbedFeatures {
  specs: PerturbationSpec[];
  /** Feature names, in extraction order (the first perturbation's). */
  names: string[];
  /** values[p][f]: feature f under perturbation p. */
  values: Float64Array[];
  /** Notes of the perturbations (PerturbedPair.notes), prefixed with the perturbation. */
  notes: string[];
}

/** Extracts one perturbed pair's features (default: extractFeatures with `params`). */
export type PairExtractor = (image: Volume, mask: Volume) => Record<string, number>;

/** Perturbs the case as `plan` says and extracts every perturbed pair's features. */
export function extractPerturbedFeatures(
  image: Volume,
  mask: Volume,
  plan: PerturbationPlan,
  params: Params,
  extract: PairExtractor = (img, msk) =>
    extractFeatures(img, msk, params, { label: plan.label ?? 1 }).features,
): PerturbedFeatures {
  const context = caseContext(image, mask, plan);
  const specs = perturbationSpecs(plan);
  let names: string[] = [];
  const values: Float64Array[] = [];
  const notes: string[] = [];
  for (const spec of specs) {
    const pair = applyPerturbation(image, mask, spec, context);
    for (const note of pair.notes)
      notes.push(`perturbation ${describePerturbation(spec)}: ${note}`);
    let features: Record<string, number>;
    try {
      features = extract(pair.image, pair.mask);
    } catch (e) {
      throw new Error(
        `perturbation ${describePerturbation(spec)}: extraction failed: ${(e as Error).message}`,
      );
    }
    if (values.length === 0) names = Object.keys(features);
    const row = new Float64Array(names.length);
    names.forEach((name, f) => {
      const v = features[name];
      if (v === undefined) {
        throw new Error(`perturbation ${describePerturbation(spec)}: feature '${name}' is missing`);
      }
      row[f] = v;
    });
    values.push(row);
  }
  return { specs, names, values, notes };
}
