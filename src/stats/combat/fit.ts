/**
 * `fitCombat`: ComBat harmonisation (Johnson, Li & Rabinovic 2007, Biostatistics 8:118-127) exactly
 * as R's sva::ComBat 3.46 computes it: design (design.ts), standardisation (standardise.ts), batch
 * effects and priors (batch-effects.ts), parametric it.sol or non-parametric int.eprior posteriors
 * (parametric-prior.ts, nonparametric-prior.ts), adjustment (adjust.ts). Returns the harmonised
 * table, sva's internal estimates and the frozen model (model.ts) that `applyCombat` applies to
 * new samples.
 *
 * Where sva silently changes the analysis, this refuses with a message naming the cause: a batch
 * of one sample (sva switches to mean.only; here only an explicit `meanOnly` allows it), a feature
 * constant inside a batch (sva leaves it unadjusted; here only with `constantFeatures:
 * "leave-unadjusted"`), a covariate confounded with the batch (sva stops too), a non-finite value.
 */
import { adjustSamples } from "./adjust.js";
import { estimateBatchEffects } from "./batch-effects.js";
import { buildCombatDesign } from "./design.js";
import { COMBAT_MODEL_FORMAT, type CombatModel } from "./model.js";
import { nonparametricPosterior } from "./nonparametric-prior.js";
import { meanOnlyPosterior, type Posterior, parametricPosterior } from "./parametric-prior.js";
import { standardise } from "./standardise.js";
import type { CombatData, CombatEstimates, CombatOptions, UnadjustedFeature } from "./types.js";

export interface CombatFit {
  /** Harmonised samples x features (the input's rows and columns). */
  adjusted: Float64Array[];
  /** sva's internal estimates (diagnostics, parity). */
  estimates: CombatEstimates;
  /** The frozen model, plain JSON. */
  model: CombatModel;
  /** Features left unchanged (only with `constantFeatures: "leave-unadjusted"`). */
  unadjusted: UnadjustedFeature[];
}

export function fitCombat(input: CombatData, options: CombatOptions = {}): CombatFit {
  const parametric = options.parametric ?? true;
  const meanOnly = options.meanOnly ?? false;
  const n = input.data.length;
  if (input.batch.length !== n)
    throw new Error(`ComBat: ${input.batch.length} batch labels for ${n} samples`);
  const G = n > 0 ? input.data[0]!.length : 0;
  const features = input.features
    ? [...input.features]
    : Array.from({ length: G }, (_, g) => `feature${g + 1}`);
  if (features.length !== G)
    throw new Error(`ComBat: ${features.length} feature names for ${G} feature columns`);
  if (new Set(features).size !== G) {
    const seen = new Set<string>();
    const repeated = features.find((f) => seen.has(f) || !seen.add(f));
    throw new Error(`ComBat: the feature name '${repeated}' repeats`);
  }
  const rows = featureRows(input.data, features);
  const levels = options.batchLevels ? [...options.batchLevels] : [...new Set(input.batch)].sort();
  const design = buildCombatDesign(
    input.batch,
    levels,
    options.referenceBatch ?? null,
    input.covariates,
  );
  const nBatch = levels.length;
  design.samplesOf.forEach((samples, b) => {
    if (samples.length === 1 && !meanOnly)
      throw new Error(
        `ComBat: batch '${levels[b]}' has only 1 sample, so its variance cannot be estimated; harmonise its mean only (meanOnly / --mean-only; sva switches to mean.only silently) or merge the batch`,
      );
  });
  if (design.reference >= 0 && design.samplesOf[design.reference]!.length < 2)
    throw new Error(
      `ComBat: the reference batch '${levels[design.reference]}' has only 1 sample; the pooled variance is estimated from it`,
    );

  const unadjusted = constantFeatures(rows, design.samplesOf, features, levels);
  if (unadjusted.length > 0 && (options.constantFeatures ?? "error") === "error") {
    const u = unadjusted[0]!;
    throw new Error(
      `ComBat: feature '${u.feature}' is constant inside batch '${u.batch}'${unadjusted.length > 1 ? ` (and ${unadjusted.length - 1} more feature/batch pair(s))` : ""}: its batch variance is 0, so it cannot be standardised; remove it, or leave such features unadjusted as sva does (constantFeatures: "leave-unadjusted", --leave-constant)`,
    );
  }
  const unadjustedMask = new Uint8Array(G);
  const featureIndex = new Map(features.map((f, g) => [f, g]));
  for (const u of unadjusted) unadjustedMask[featureIndex.get(u.feature)!] = 1;
  const kept = features.map((_, g) => g).filter((g) => unadjustedMask[g] === 0);
  if (kept.length < 2)
    throw new Error(
      `ComBat needs at least 2 features to estimate its empirical-Bayes priors, got ${kept.length}`,
    );
  const keptRows = kept.map((g) => rows[g]!);
  const keptNames = kept.map((g) => features[g]!);

  const std = standardise(keptRows, design, keptNames);
  const effects = estimateBatchEffects(std.s, design, meanOnly);
  const convergence = options.convergence ?? 1e-4;
  const maxIterations = options.maxIterations ?? 10000;
  const posteriors: Posterior[] = levels.map((level, b) => {
    const Gk = kept.length;
    if (b === design.reference)
      // sva runs the posterior for the reference batch too and then overwrites it with 0 / 1.
      return {
        gammaStar: new Float64Array(Gk),
        deltaStar: new Float64Array(Gk).fill(1),
        iterations: null,
      };
    const samples = design.samplesOf[b]!;
    const sBatch = std.s.map((row) => gather(row, samples));
    if (parametric) {
      if (meanOnly)
        return meanOnlyPosterior(effects.gammaHat[b]!, effects.gammaBar[b]!, effects.t2[b]!);
      return parametricPosterior(
        sBatch,
        effects.gammaHat[b]!,
        effects.deltaHat[b]!,
        effects.gammaBar[b]!,
        effects.t2[b]!,
        effects.aPrior[b]!,
        effects.bPrior[b]!,
        { convergence, maxIterations, batch: level },
      );
    }
    return nonparametricPosterior(sBatch, effects.gammaHat[b]!, effects.deltaHat[b]!, level);
  });
  posteriors.forEach((p, b) => {
    for (let i = 0; i < kept.length; i++) {
      if (!Number.isFinite(p.gammaStar[i]!) || !(p.deltaStar[i]! > 0))
        throw new Error(
          `ComBat: batch '${levels[b]}', feature '${keptNames[i]}': the empirical-Bayes estimates are not finite (gamma* = ${p.gammaStar[i]}, delta* = ${p.deltaStar[i]})`,
        );
    }
  });

  // Full-width (every feature) arrays: neutral values for the unadjusted ones.
  const widen = (x: Float64Array, fill: number): Float64Array => {
    const out = new Float64Array(G).fill(fill);
    kept.forEach((g, i) => {
      out[g] = x[i]!;
    });
    return out;
  };
  const aPrior = Float64Array.from(effects.aPrior);
  const bPrior = Float64Array.from(effects.bPrior);
  if (design.reference >= 0) {
    // The reference batch's delta_hat are all n_ref / (n_ref - 1): its moment prior is noise.
    aPrior[design.reference] = Number.NaN;
    bPrior[design.reference] = Number.NaN;
  }
  const estimates: CombatEstimates = {
    designTerms: [...levels.map((l) => `batch${l}`), ...design.covariateTerms],
    bHat: std.bHat.map((r) => widen(r, Number.NaN)),
    grandMean: widen(std.grandMean, Number.NaN),
    varPooled: widen(std.varPooled, Number.NaN),
    gammaHat: effects.gammaHat.map((r) => widen(r, Number.NaN)),
    deltaHat: effects.deltaHat.map((r) => widen(r, Number.NaN)),
    gammaBar: effects.gammaBar,
    t2: effects.t2,
    aPrior,
    bPrior,
    gammaStar: posteriors.map((p) => widen(p.gammaStar, Number.NaN)),
    deltaStar: posteriors.map((p) => widen(p.deltaStar, Number.NaN)),
    iterations: posteriors.map((p) => p.iterations),
    samplesPerBatch: design.samplesOf.map((s) => s.length),
  };
  const model: CombatModel = {
    format: COMBAT_MODEL_FORMAT,
    method: { parametric, meanOnly },
    features,
    batchLevels: levels,
    referenceBatch: design.reference >= 0 ? levels[design.reference]! : null,
    samplesPerBatch: estimates.samplesPerBatch,
    covariateTerms: design.covariateTerms,
    bHat: std.bHat.map((r) => Array.from(widen(r, 0))),
    grandMean: Array.from(widen(std.grandMean, 0)),
    varPooled: Array.from(widen(std.varPooled, 1)),
    gammaStar: posteriors.map((p) => Array.from(widen(p.gammaStar, 0))),
    deltaStar: posteriors.map((p) => Array.from(widen(p.deltaStar, 1))),
    unadjustedFeatures: [...new Set(unadjusted.map((u) => u.feature))],
  };
  const adjusted = adjustSamples(input.data, design.batchOf, design.covariateRows, {
    nBatch,
    reference: design.reference,
    bHat: model.bHat,
    grandMean: model.grandMean,
    varPooled: model.varPooled,
    gammaStar: model.gammaStar,
    deltaStar: model.deltaStar,
    unadjusted: unadjustedMask,
  });
  return { adjusted, estimates, model, unadjusted };
}

/** Features x samples copy of the samples x features input, every value checked finite. */
function featureRows(
  data: readonly ArrayLike<number>[],
  features: readonly string[],
): Float64Array[] {
  const n = data.length;
  const G = features.length;
  const rows = Array.from({ length: G }, () => new Float64Array(n));
  data.forEach((sample, k) => {
    if (sample.length !== G)
      throw new Error(`ComBat: sample ${k + 1} has ${sample.length} values, expected ${G}`);
    for (let g = 0; g < G; g++) {
      const v = sample[g];
      if (typeof v !== "number" || !Number.isFinite(v))
        throw new Error(
          `ComBat: feature '${features[g]}' of sample ${k + 1} is not a finite number (${v})`,
        );
      rows[g]![k] = v;
    }
  });
  return rows;
}

/** row[samples[0]], row[samples[1]], ... (a loop: Float64Array.from with a map function is slow). */
function gather(row: Float64Array, samples: readonly number[]): Float64Array {
  const out = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = row[samples[i]!]!;
  return out;
}

/** sva's zero-variance rule: a feature whose values are all equal inside a batch of 2+ samples. */
function constantFeatures(
  rows: readonly Float64Array[],
  samplesOf: readonly number[][],
  features: readonly string[],
  levels: readonly string[],
): UnadjustedFeature[] {
  const out: UnadjustedFeature[] = [];
  rows.forEach((row, g) => {
    samplesOf.forEach((samples, b) => {
      if (samples.length < 2) return;
      const first = row[samples[0]!]!;
      if (samples.every((k) => row[k] === first))
        out.push({ feature: features[g]!, batch: levels[b]! });
    });
  });
  return out;
}
