/**
 * ComBat batch harmonisation (Johnson, Li & Rabinovic 2007, Biostatistics 8:118-127) with R
 * sva::ComBat 3.46 parity: parametric and non-parametric empirical-Bayes priors, mean-only,
 * covariates to preserve, a reference batch; `fitCombat` harmonises a table and returns a frozen,
 * JSON-serialisable model that `applyCombat` applies unchanged to new samples.
 */
export {
  applyCombat,
  COMBAT_MODEL_FORMAT,
  type CombatModel,
  parseCombatModel,
  subsetCombatModel,
} from "./model.js";
export { type CombatFit, fitCombat } from "./fit.js";
export type {
  CombatCovariates,
  CombatData,
  CombatEstimates,
  CombatOptions,
  UnadjustedFeature,
} from "./types.js";
