/**
 * Statistics benchmarks (targets from the project's issue, on this 2-core machine):
 * - glmnet binomial LASSO with 10-fold CV over 100 lambdas, 133 patients x 3375 features: < 2 s;
 * - rms-style calibration bootstrap, B = 1000, 133 patients: < 2 s.
 * Data are synthetic (seeded): 3375 features of which a few carry signal. Run: npm run bench:stats
 */
import { performance } from "node:perf_hooks";
import { cvGlmnetBinomial } from "../src/model/glmnet.js";
import { calibrateBootstrap } from "../src/stats/calibration.js";
import { RRandom } from "../src/stats/random.js";

function normal(rng: RRandom): number {
  return Math.sqrt(-2 * Math.log(rng.unifRand())) * Math.cos(2 * Math.PI * rng.unifRand());
}

const rng = new RRandom(20250101);
const n = 133;
const p = 3375;
const y = new Float64Array(n);
for (let i = 0; i < n; i++) y[i] = i < 86 ? 1 : 0;
const columns = Array.from({ length: p }, (_, j) => {
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = normal(rng) + (j < 8 ? 0.8 * y[i]! : 0);
  return c;
});
const foldid = Int32Array.from({ length: n }, (_, i) => (i % 10) + 1);

/** CPU seconds of this process since `start` (robust when other processes load the machine). */
const cpuSince = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
};

let cpu0 = process.cpuUsage();
let t0 = performance.now();
const cv = cvGlmnetBinomial(columns, y, { foldid });
const lassoSeconds = (performance.now() - t0) / 1000;
console.log(
  `glmnet binomial LASSO, 10-fold CV, ${cv.lambda.length} lambdas, ${n} x ${p}: ${lassoSeconds.toFixed(2)} s wall, ${cpuSince(cpu0).toFixed(2)} s CPU (target < 2 s)`,
);

const X = Array.from({ length: n }, (_, i) =>
  Float64Array.of(columns[0]![i]!, columns[1]![i]!, columns[2]![i]!),
);
cpu0 = process.cpuUsage();
t0 = performance.now();
const boot = calibrateBootstrap(X, y, { B: 1000, seed: 20250101 });
const bootSeconds = (performance.now() - t0) / 1000;
console.log(
  `calibration bootstrap, B = 1000 (${boot.bUsed} used), ${n} patients: ${bootSeconds.toFixed(2)} s wall, ${cpuSince(cpu0).toFixed(2)} s CPU (target < 2 s)`,
);
