/**
 * `radscore simulate`'s pure core (browser-safe): the planted-signal generator, the true AUCs, the
 * recovery rule, one replicate as a study and the summary over replicates. The Node edge that
 * extracts and runs the replicates is src/node/simulate-runner.ts.
 */
export {
  DEFAULT_SIMULATION,
  generateSimulatedCohort,
  generateSimulatedImages,
  hasPlantedSignal,
  SIMULATED_PROPERTIES,
  SIMULATED_SEQUENCES,
  type SimulatedPatient,
  type SimulatedProperty,
  type SimulatedSequence,
  type SimulationSettings,
  simulationSeeds,
  standardNormal,
  trueLinearPredictor,
  trueProbability,
  validateSimulationSettings,
} from "./generator.js";
export {
  PLANTED_FEATURES,
  type PropertyRecovery,
  pearson,
  plantedFeatureNames,
  RECOVERY_CORRELATION,
  type RecoveryInput,
  type RecoveryResult,
  recoverPlantedSignal,
} from "./recovery.js";
export {
  evaluateReplicate,
  SIMULATION_F_TEST_K,
  simulatedCohort,
  simulatedImageKey,
  simulationParamsYaml,
  simulationStudyConfig,
  type TruthSample,
} from "./study.js";
export {
  type Distribution,
  describeSettings,
  distribution,
  formatSimulationMarkdown,
  type Rate,
  type ReplicateFailure,
  type ReplicateOutcome,
  rate,
  type SimulationSummary,
  summariseReplicates,
} from "./summary.js";
export { populationAuc, trueAuc } from "./truth.js";
