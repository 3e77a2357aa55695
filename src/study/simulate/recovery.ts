/**
 * The planted-signal recovery rule of `radscore simulate`: a planted (informative) image property
 * is recovered by a fitted model when one of the model's selected features is one of the
 * property's planted features (the feature that measures it directly, in any sequence), or
 * correlates with one with |Pearson r| >= 0.7 (a feature carrying the same information under
 * another name: the median instead of the mean, a texture feature tracking the heterogeneity).
 * A replicate recovers the planted signal when every planted property is recovered. Selected
 * features related to no planted property (|r| < 0.7 with every planted feature) are listed as
 * unrelated. The correlations are computed on whatever sample the caller gives (the simulation
 * uses its large independent truth sample, so that the rule does not depend on the replicate's
 * few training patients). Pure (browser-safe).
 */
import type { SimulatedProperty } from "./generator.js";

/** The features that measure each property directly (PyRadiomics names without the sequence). */
export const PLANTED_FEATURES: Readonly<Record<SimulatedProperty, readonly string[]>> = {
  intensity: ["original_firstorder_Mean"],
  texture: ["original_firstorder_Variance"],
  size: ["original_shape_MeshVolume"],
  lobulation: ["original_shape_Sphericity"],
};

/** Default |r| at or above which a selected feature stands for a planted one. */
export const RECOVERY_CORRELATION = 0.7;

/** The planted features of a property in every sequence (`original_firstorder_Mean_T2`, ...). */
export function plantedFeatureNames(
  property: SimulatedProperty,
  sequences: readonly string[],
): string[] {
  return sequences.flatMap((s) => PLANTED_FEATURES[property].map((f) => `${f}_${s}`));
}

/**
 * Pearson's correlation of two equally long samples. A constant sample has no correlation with
 * anything (r undefined): 0 is returned, so it never counts as a match.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (y.length !== n) throw new Error(`correlation: samples of ${n} and ${y.length} values`);
  if (n < 3) throw new Error(`correlation: ${n} values; at least 3 are needed`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (!Number.isFinite(sxy + sxx + syy))
    throw new Error("correlation: the samples hold values that are not finite numbers");
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

export interface RecoveryInput {
  /** The model's selected features (suffixed names). */
  selected: readonly string[];
  /** The planted (informative) properties. */
  planted: readonly SimulatedProperty[];
  /** Sequence suffixes of the feature names. */
  sequences: readonly string[];
  /** A feature's values on the correlation sample (undefined: not extracted). */
  column: (name: string) => ArrayLike<number> | undefined;
  /** |r| threshold (default 0.7). */
  threshold?: number;
}

export interface PropertyRecovery {
  property: SimulatedProperty;
  recovered: boolean;
  /** Selected features standing for a planted feature of the property, with their |r| (1 = itself). */
  matches: { feature: string; planted: string; r: number }[];
}

export interface RecoveryResult {
  properties: PropertyRecovery[];
  /** Every planted property recovered (false when none is planted). */
  all: boolean;
  /** At least one planted property recovered. */
  any: boolean;
  /** Selected features related to no planted property. */
  unrelated: string[];
  threshold: number;
}

/** Applies the recovery rule to one fitted model. */
export function recoverPlantedSignal(input: RecoveryInput): RecoveryResult {
  const threshold = input.threshold ?? RECOVERY_CORRELATION;
  if (!(threshold > 0 && threshold <= 1))
    throw new Error(`recovery: the correlation threshold must be in (0, 1], got ${threshold}`);
  const column = (name: string): ArrayLike<number> => {
    const c = input.column(name);
    if (!c) throw new Error(`recovery: feature '${name}' is not in the correlation sample`);
    return c;
  };
  const related = new Set<string>();
  const properties = input.planted.map((property): PropertyRecovery => {
    const matches: PropertyRecovery["matches"] = [];
    for (const planted of plantedFeatureNames(property, input.sequences)) {
      for (const feature of input.selected) {
        const r = feature === planted ? 1 : Math.abs(pearson(column(feature), column(planted)));
        if (r >= threshold) {
          matches.push({ feature, planted, r });
          related.add(feature);
        }
      }
    }
    return { property, recovered: matches.length > 0, matches };
  });
  return {
    properties,
    all: properties.length > 0 && properties.every((p) => p.recovered),
    any: properties.some((p) => p.recovered),
    unrelated: input.selected.filter((f) => !related.has(f)),
    threshold,
  };
}
