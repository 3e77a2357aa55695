/**
 * A synthetic precomputed cohort for study tests: 110 patients (60 training, 50 test), outcome
 * y = 0 for every third patient, three clinical variables (age, grade, ki67) and 12 features
 * `f1_A` ... `f12_A`, of which the first 3 are shifted by `effect` in events (standard normal noise
 * by Box-Muller on R's stream, so a seed gives the same cohort everywhere).
 */
import { formatCsv } from "../../src/io/csv.js";
import { RRandom } from "../../src/stats/random.js";

export function syntheticCohort(seed: number, effect: number): string {
  const rng = new RRandom(seed);
  const norm = () => {
    const u1 = rng.unifRand();
    const u2 = rng.unifRand();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const header = ["id", "set", "pcr", "age", "grade", "ki67"];
  header.push(...Array.from({ length: 12 }, (_, j) => `f${j + 1}_A`));
  const rows: (string | number)[][] = [];
  for (let i = 0; i < 110; i++) {
    const y = i % 3 === 0 ? 0 : 1;
    const feats = Array.from({ length: 12 }, (_, j) => (j < 3 ? effect * y : 0) + norm());
    rows.push([
      `S${i + 1}`,
      i < 60 ? "training" : "test",
      y,
      Math.round(50 + 8 * norm()),
      ["low", "mid", "high"][Math.floor(rng.unifRand() * 3)]!,
      rng.unifRand() < 0.3 + 0.4 * y ? 1 : 0,
      ...feats.map((v) => Math.round(v * 1e6) / 1e6),
    ]);
  }
  return formatCsv(header, rows);
}

/**
 * study.yaml (as an object) reading syntheticCohort's CSV both as the manifest and as the feature
 * table (sequence A), its three clinical variables declared, no ICC filter, a lenient F-test and
 * 5 CV folds; `overrides` replaces whole top-level sections.
 */
export function syntheticStudyConfig(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    cohort: {
      manifest: "cohort.csv",
      outcome: { column: "pcr" },
      clinical: {
        age: { type: "continuous" },
        grade: { type: "categorical", levels: ["low", "mid", "high"] },
        ki67: { type: "binary" },
      },
    },
    features: { table: "cohort.csv", sequences: ["A"] },
    preprocessing: { icc: { enabled: false } },
    selection: { fClassif: { p: 0.5 }, lasso: { folds: 5 } },
    ...overrides,
  };
}
