/**
 * ComBat benchmark (target from issue #14: 133 patients x 3375 features in under 0.5 s): the
 * sva::ComBat variants of src/stats/combat on a seeded synthetic two-centre table (68 + 65
 * patients; every feature with a centre shift and scale change, on radiomics-like scales from 1e-3
 * to 1e6; an outcome and a 4-level stage as covariates). Prints the first (cold) run and the median
 * of 7 warm runs of each variant, wall and CPU time (CPU is the robust figure on a loaded machine),
 * and `node -e 0` (process start-up) beside them for scale.
 * Run: npx tsc -p tsconfig.json && node dist/bench/combat.bench.js
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { type CombatOptions, fitCombat } from "../src/stats/combat/index.js";
import { RRandom } from "../src/stats/random.js";

const rng = new RRandom(20250101);
const normal = () =>
  Math.sqrt(-2 * Math.log(rng.unifRand())) * Math.cos(2 * Math.PI * rng.unifRand());

const n = 133;
const G = 3375;
const batch = Array.from({ length: n }, (_, k) => (k < 68 ? "1" : "2"));
const outcome = Array.from({ length: n }, () => (rng.unifRand() < 0.6 ? 1 : 0));
const stage = Array.from({ length: n }, () => Math.floor(rng.unifRand() * 4));
const scale = Array.from({ length: G }, (_, g) => 10 ** ((g % 10) - 3));
const data = Array.from({ length: n }, () => new Float64Array(G));
for (let g = 0; g < G; g++) {
  const shift = 0.3 * normal();
  const stretch = Math.exp(0.2 * normal());
  for (let k = 0; k < n; k++) {
    const centre2 = k >= 68;
    const latent = normal() * (centre2 ? stretch : 1) + (centre2 ? shift : 0) + 0.4 * outcome[k]!;
    data[k]![g] = scale[g]! * (5 + latent);
  }
}
const covariates = {
  terms: ["outcome", "stageT2", "stageT3", "stageT4"],
  values: outcome.map((o, k) => [
    o,
    stage[k] === 1 ? 1 : 0,
    stage[k] === 2 ? 1 : 0,
    stage[k] === 3 ? 1 : 0,
  ]),
};

const variants: [string, boolean, CombatOptions][] = [
  ["parametric", false, {}],
  ["parametric, mean only", false, { meanOnly: true }],
  ["parametric, covariates, reference batch", true, { referenceBatch: "1" }],
  ["non-parametric", false, { parametric: false }],
  ["non-parametric, covariates, reference batch", true, { parametric: false, referenceBatch: "1" }],
];

const t0 = performance.now();
spawnSync(process.execPath, ["-e", "0"]);
const nodeStart = (performance.now() - t0) / 1000;
console.log(`node -e 0: ${nodeStart.toFixed(3)} s (process start-up, for scale)`);
for (const [name, withCovariates, options] of variants) {
  const input = { data, batch, covariates: withCovariates ? covariates : null };
  const times: number[] = [];
  const cpu: number[] = [];
  let iterations = "";
  for (let run = 0; run < 8; run++) {
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    const fit = fitCombat(input, options);
    times.push((performance.now() - start) / 1000);
    const used = process.cpuUsage(cpu0);
    cpu.push((used.user + used.system) / 1e6);
    iterations = fit.estimates.iterations.map((i) => (i === null ? "-" : i)).join("/");
  }
  const median = (x: number[]) => x.slice(1).sort((a, b) => a - b)[3]!;
  console.log(
    `ComBat ${name}, ${n} x ${G}: first run ${times[0]!.toFixed(3)} s wall (${cpu[0]!.toFixed(3)} s CPU), median of 7 warm runs ${median(times).toFixed(3)} s wall (${median(cpu).toFixed(3)} s CPU); target < 0.5 s; it.sol iterations per batch ${iterations}`,
  );
}
