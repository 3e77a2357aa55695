/**
 * ComBat (src/stats/combat) on cases small enough to check by hand, its fit / apply contract, the
 * errors it gives on bad input, and the `radscore combat` command. R parity on real and synthetic
 * cohorts is in the stats parity suite (kind `combat`).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runCombatCommand } from "../src/cli/combat.js";
import { parseCsv } from "../src/io/csv.js";
import { applyCombat, fitCombat, parseCombatModel } from "../src/stats/combat/index.js";

const close = (got: number, want: number, what: string, tol = 1e-12) =>
  assert.ok(
    Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)),
    `${what}: got ${got}, want ${want}`,
  );

/*
 * The hand-checked case: 2 features x 2 batches of 3 samples (samples 1-3 batch a, 4-6 batch b).
 *   A = 1 2 3 | 5 6 7      B = 2 4 6 | 1 2 3
 * No covariates, no reference: B_hat = the batch means (A: 2, 6; B: 4, 2); grand mean = 3/6*2 +
 * 3/6*6 = 4 (A), 3/6*4 + 3/6*2 = 3 (B). Residuals A: -1 0 1 -1 0 1 -> var_pooled = 4/6 = 2/3;
 * B: -2 0 2 -1 0 1 -> var_pooled = 10/6 = 5/3.
 * s_A = (A - 4)/sqrt(2/3) = (-3 -2 -1 | 1 2 3)/sqrt(2/3); s_B = (B - 3)/sqrt(5/3) = (-1 1 3 | -2 -1 0)/sqrt(5/3).
 * gamma_hat = batch means of s: A: -2/sqrt(2/3) = -sqrt(6), +sqrt(6); B: 1/sqrt(5/3) = sqrt(0.6), -sqrt(0.6).
 * delta_hat = batch variances of s: A: 1/(2/3) = 1.5, 1.5; B: 4/(5/3) = 2.4, 1/(5/3) = 0.6.
 * gamma_bar[a] = (-sqrt6 + sqrt0.6)/2, gamma_bar[b] = -gamma_bar[a];
 * t2 = variance of two values = (x1 - x2)^2 / 2 = (sqrt6 + sqrt0.6)^2 / 2 for both batches.
 * a/b priors: batch a delta_hat (1.5, 2.4): m = 1.95, v = 0.9^2/2 = 0.405,
 *   a = (2v + m^2)/v = (0.81 + 3.8025)/0.405 = 11.3888..., b = (m v + m^3)/v = 8.204625/0.405 = 20.2583...;
 *   batch b (1.5, 0.6): m = 1.05, v = 0.405, a = 1.9125/0.405 = 4.7222..., b = 1.582875/0.405 = 3.90833...
 */
const A = [1, 2, 3, 5, 6, 7];
const B = [2, 4, 6, 1, 2, 3];
const small = {
  data: A.map((a, k) => [a, B[k]!]),
  batch: ["a", "a", "a", "b", "b", "b"],
  features: ["A", "B"],
};
const sqrt6 = Math.sqrt(6);
const sqrt06 = Math.sqrt(0.6);

test("ComBat standardisation, gamma / delta hats and priors of the hand-checked 2 x 3 case", () => {
  const { estimates: e } = fitCombat(small);
  assert.deepEqual(e.designTerms, ["batcha", "batchb"]);
  close(e.bHat[0]![0]!, 2, "B_hat[a][A]");
  close(e.bHat[1]![0]!, 6, "B_hat[b][A]");
  close(e.bHat[0]![1]!, 4, "B_hat[a][B]");
  close(e.bHat[1]![1]!, 2, "B_hat[b][B]");
  close(e.grandMean[0]!, 4, "grand mean A");
  close(e.grandMean[1]!, 3, "grand mean B");
  close(e.varPooled[0]!, 2 / 3, "var_pooled A");
  close(e.varPooled[1]!, 5 / 3, "var_pooled B");
  close(e.gammaHat[0]![0]!, -sqrt6, "gamma_hat[a][A]");
  close(e.gammaHat[1]![0]!, sqrt6, "gamma_hat[b][A]");
  close(e.gammaHat[0]![1]!, sqrt06, "gamma_hat[a][B]");
  close(e.gammaHat[1]![1]!, -sqrt06, "gamma_hat[b][B]");
  close(e.deltaHat[0]![0]!, 1.5, "delta_hat[a][A]");
  close(e.deltaHat[1]![0]!, 1.5, "delta_hat[b][A]");
  close(e.deltaHat[0]![1]!, 2.4, "delta_hat[a][B]");
  close(e.deltaHat[1]![1]!, 0.6, "delta_hat[b][B]");
  close(e.gammaBar[0]!, (-sqrt6 + sqrt06) / 2, "gamma_bar[a]");
  close(e.gammaBar[1]!, (sqrt6 - sqrt06) / 2, "gamma_bar[b]");
  close(e.t2[0]!, (sqrt6 + sqrt06) ** 2 / 2, "t2[a]");
  close(e.t2[1]!, (sqrt6 + sqrt06) ** 2 / 2, "t2[b]");
  close(e.aPrior[0]!, 4.6125 / 0.405, "a[a]");
  close(e.bPrior[0]!, 8.204625 / 0.405, "b[a]");
  close(e.aPrior[1]!, 1.9125 / 0.405, "a[b]");
  close(e.bPrior[1]!, 1.582875 / 0.405, "b[b]");
  assert.deepEqual(e.samplesPerBatch, [3, 3]);
  assert.ok(
    e.iterations.every((i) => i !== null && i >= 1),
    "it.sol ran for both batches",
  );
});

test("non-parametric ComBat with 2 features: each feature's prior is the other feature's (gamma_hat, delta_hat)", () => {
  // With G = 2 the leave-one-out prior of A in batch a is the single point (gamma_hat_B, delta_hat_B)
  // = (sqrt(0.6), 2.4), so gamma* = sqrt(0.6), delta* = 2.4, and for sample 1 (A = 1, s = -3/sqrt(2/3)):
  // adjusted = (s - sqrt(0.6)) / sqrt(2.4) * sqrt(2/3) + 4 = (-3 - sqrt(0.4)) / sqrt(2.4) + 4.
  const fit = fitCombat(small, { parametric: false });
  const e = fit.estimates;
  close(e.gammaStar[0]![0]!, sqrt06, "gamma*[a][A]");
  close(e.deltaStar[0]![0]!, 2.4, "delta*[a][A]");
  close(e.gammaStar[0]![1]!, -sqrt6, "gamma*[a][B]");
  close(e.deltaStar[1]![1]!, 1.5, "delta*[b][B]");
  close(fit.adjusted[0]![0]!, (-3 - Math.sqrt(0.4)) / Math.sqrt(2.4) + 4, "adjusted A, sample 1");
  // Sample 4 (batch b, B = 1): s = -2/sqrt(5/3), prior of B in batch b = (gamma_hat_A, delta_hat_A) = (sqrt6, 1.5):
  // adjusted = (s - sqrt6)/sqrt(1.5) * sqrt(5/3) + 3 = (-2 - sqrt6*sqrt(5/3))/sqrt(1.5) + 3.
  close(
    fit.adjusted[3]![1]!,
    (-2 - sqrt6 * Math.sqrt(5 / 3)) / Math.sqrt(1.5) + 3,
    "adjusted B, sample 4",
  );
  assert.deepEqual(e.iterations, [null, null]);
});

test("parametric mean-only ComBat: gamma* = (t2 gamma_hat + gamma_bar)/(t2 + 1), variances kept", () => {
  const fit = fitCombat(small, { meanOnly: true });
  const t2 = (sqrt6 + sqrt06) ** 2 / 2;
  const gbarA = (-sqrt6 + sqrt06) / 2;
  const gStar = (t2 * -sqrt6 + gbarA) / (t2 + 1);
  close(fit.estimates.gammaStar[0]![0]!, gStar, "gamma*[a][A]");
  assert.deepEqual(Array.from(fit.estimates.deltaStar[0]!), [1, 1]);
  assert.deepEqual(Array.from(fit.estimates.deltaHat[1]!), [1, 1]);
  assert.equal(fit.estimates.aPrior[0], Number.POSITIVE_INFINITY, "sva's aprior of constant 1s");
  // Sample 2 (A = 2, s = -2/sqrt(2/3)): adjusted = (s - gamma*) * sqrt(2/3) + 4 = -2 - gamma* sqrt(2/3) + 4.
  close(fit.adjusted[1]![0]!, 2 - gStar * Math.sqrt(2 / 3), "adjusted A, sample 2");
});

test("mean-only ComBat shifts each batch: within-batch variances (and their ratio) are unchanged", () => {
  const data = [
    [1.2, 10, 0.3],
    [2.9, 14, 0.1],
    [2.2, 11, 0.7],
    [4.1, 19, 0.4],
    [3.3, 12, 0.9],
    [6.0, 30, 1.9],
    [7.5, 26, 1.1],
    [5.2, 35, 1.6],
    [6.8, 22, 2.4],
  ];
  const batch = ["x", "x", "x", "x", "x", "y", "y", "y", "y"];
  const variance = (v: number[]) => {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    return v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1);
  };
  for (const parametric of [true, false]) {
    const fit = fitCombat({ data, batch }, { meanOnly: true, parametric });
    for (let g = 0; g < 3; g++) {
      for (const [from, to] of [
        [0, 5],
        [5, 9],
      ] as const) {
        const raw = data.slice(from, to).map((r) => r[g]!);
        const adj = fit.adjusted.slice(from, to).map((r) => r[g]!);
        close(variance(adj), variance(raw), `feature ${g}, samples ${from}-${to}`, 1e-10);
        assert.notEqual(adj[0], raw[0], "the batch mean moved");
      }
    }
  }
});

test("reference batch: its samples come back unchanged; grand mean and pooled variance are the reference's", () => {
  // Reference a: the design's batch-a column is all ones (intercept), so B_hat = (2, 4) for A and
  // (4, -2) for B; grand mean = B_hat[a] = 2 and 4; var_pooled over the 3 reference residuals
  // (-1 0 1 and -2 0 2) / 3 = 2/3 and 8/3. gamma_hat[b] = mean_b(s) - mean_a(s) = 4/sqrt(2/3) (A) and
  // -2/sqrt(8/3) (B); delta_hat[a] = n_ref/(n_ref - 1) = 1.5 for every feature.
  for (const parametric of [true, false]) {
    const fit = fitCombat(small, { referenceBatch: "a", parametric });
    const e = fit.estimates;
    for (let k = 0; k < 3; k++) assert.deepEqual(Array.from(fit.adjusted[k]!), small.data[k]);
    close(e.bHat[0]![0]!, 2, "intercept A");
    close(e.bHat[1]![0]!, 4, "batch b effect A");
    close(e.bHat[1]![1]!, -2, "batch b effect B");
    close(e.grandMean[1]!, 4, "grand mean B");
    close(e.varPooled[0]!, 2 / 3, "var_pooled A");
    close(e.varPooled[1]!, 8 / 3, "var_pooled B");
    close(e.gammaHat[1]![0]!, 4 / Math.sqrt(2 / 3), "gamma_hat[b][A]");
    close(e.gammaHat[1]![1]!, -2 / Math.sqrt(8 / 3), "gamma_hat[b][B]");
    close(e.deltaHat[0]![0]!, 1.5, "delta_hat[a][A]");
    close(e.deltaHat[0]![1]!, 1.5, "delta_hat[a][B]");
    close(e.deltaHat[1]![1]!, 1 / (8 / 3), "delta_hat[b][B]");
    assert.deepEqual(Array.from(e.gammaStar[0]!), [0, 0]);
    assert.deepEqual(Array.from(e.deltaStar[0]!), [1, 1]);
    assert.ok(
      Number.isNaN(e.aPrior[0]!) && Number.isNaN(e.bPrior[0]!),
      "reference a/b prior undefined",
    );
    assert.equal(e.iterations[0], null);
    assert.equal(fit.model.referenceBatch, "a");
  }
  // Non-parametric, batch b, feature A: prior point = B's (gamma_hat, delta_hat) in b = (-2/sqrt(8/3), 0.375);
  // sample 4 (A = 5): s = 3/sqrt(2/3); adjusted = (s - gamma*)/sqrt(0.375) * sqrt(2/3) + 2.
  const np = fitCombat(small, { referenceBatch: "a", parametric: false });
  close(
    np.adjusted[3]![0]!,
    ((3 / Math.sqrt(2 / 3) + 2 / Math.sqrt(8 / 3)) / Math.sqrt(0.375)) * Math.sqrt(2 / 3) + 2,
    "adjusted A, sample 4",
  );
});

test("covariates: an all-ones column (the intercept) is dropped; a covariate effect is preserved", () => {
  // One feature per sample is exactly 10 * group + batch offset + small noise; with `group` as a
  // covariate its effect stays in the data: after harmonisation the group difference is kept.
  const group = [0, 1, 0, 1, 0, 1, 0, 1];
  const batch = ["p", "p", "p", "p", "q", "q", "q", "q"];
  const noise = [0.1, -0.2, 0.05, 0.15, -0.1, 0.2, 0.0, -0.05];
  const data = group.map((g, k) => [
    10 * g + (batch[k] === "q" ? 3 : 0) + noise[k]!,
    noise[(k + 3) % 8]! + (batch[k] === "q" ? 1 : 0),
  ]);
  const fit = fitCombat(
    {
      data,
      batch,
      covariates: { terms: ["(Intercept)", "group"], values: group.map((g) => [1, g]) },
    },
    { referenceBatch: "p", meanOnly: true },
  );
  assert.deepEqual(fit.estimates.designTerms, ["batchp", "batchq", "group"]);
  assert.deepEqual(fit.model.covariateTerms, ["group"]);
  const mean = (ks: number[], g: number) =>
    ks.reduce((s, k) => s + fit.adjusted[k]![g]!, 0) / ks.length;
  const diff = mean([5, 7], 0) - mean([4, 6], 0);
  assert.ok(diff > 9.5 && diff < 10.5, `group difference in batch q kept: ${diff}`);
});

test("fit then apply: the frozen, JSON-serialised model adjusts new samples exactly as the fit did", () => {
  const data = Array.from({ length: 12 }, (_, k) => [
    Math.sin(k + 1) * 3 + (k >= 6 ? 2 : 0),
    Math.cos(k * 1.7) + (k >= 6 ? 0.5 : 0),
    (k % 4) * 0.3 + Math.sin(k * 2.3) + (k >= 6 ? -1 : 0),
  ]);
  const batch = data.map((_, k) => (k < 6 ? "train" : "test"));
  const fit = fitCombat({ data, batch, features: ["f1", "f2", "f3"] }, { referenceBatch: "train" });
  const model = parseCombatModel(JSON.parse(JSON.stringify(fit.model)));
  assert.deepEqual(model, fit.model);
  const again = applyCombat(model, { data, batch });
  assert.deepEqual(again, fit.adjusted);
  // New test-centre patients one at a time, features in another column order, named.
  for (const k of [6, 9, 11]) {
    const row = data[k]!;
    const [out] = applyCombat(model, {
      data: [[row[2]!, row[0]!, row[1]!]],
      batch: ["test"],
      features: ["f3", "f1", "f2"],
    });
    assert.deepEqual(out, fit.adjusted[k]);
  }
  assert.throws(
    () => applyCombat(model, { data: [data[0]!], batch: ["elsewhere"] }),
    /batch 'elsewhere', which is not one of the batch levels \(test, train\)/,
  );
  assert.throws(
    () => parseCombatModel({ ...fit.model, varPooled: [1, 2] }),
    /'varPooled' is not an array of 3/,
  );
});

test("bad input: a batch with one sample needs mean-only (sva would switch silently)", () => {
  const data = [...small.data, [4, 4]];
  const batch = [...small.batch, "c"];
  assert.throws(() => fitCombat({ data, batch }), /batch 'c' has only 1 sample/);
  const fit = fitCombat({ data, batch }, { meanOnly: true });
  assert.ok(fit.adjusted.every((r) => r.every((v) => Number.isFinite(v))));
  assert.throws(
    () => fitCombat({ data, batch }, { meanOnly: true, referenceBatch: "c" }),
    /reference batch 'c' has only 1 sample/,
  );
});

test("bad input: a feature constant inside a batch is named (or left unadjusted, as sva does)", () => {
  const data = small.data.map((r, k) => [...r, k < 3 ? 7 : k, 0.5 * r[0]! + (k % 2)]);
  const features = ["A", "B", "C", "D"];
  assert.throws(
    () => fitCombat({ data, batch: small.batch, features }),
    /feature 'C' is constant inside batch 'a'.*leave-unadjusted/,
  );
  const fit = fitCombat(
    { data, batch: small.batch, features },
    { constantFeatures: "leave-unadjusted" },
  );
  assert.deepEqual(fit.unadjusted, [{ feature: "C", batch: "a" }]);
  assert.deepEqual(fit.model.unadjustedFeatures, ["C"]);
  fit.adjusted.forEach((r, k) => {
    assert.equal(r[2], data[k]![2]);
  });
  // sva drops the feature before everything else: the others are harmonised as without it.
  const without = fitCombat({
    data: data.map((r) => [r[0]!, r[1]!, r[3]!]),
    batch: small.batch,
    features: ["A", "B", "D"],
  });
  fit.adjusted.forEach((r, k) => {
    assert.equal(r[0], without.adjusted[k]![0]);
    assert.equal(r[3], without.adjusted[k]![2]);
  });
  assert.ok(Number.isNaN(fit.estimates.gammaHat[0]![2]!), "no estimate for the unadjusted feature");
  assert.deepEqual(applyCombat(fit.model, { data, batch: small.batch, features }), fit.adjusted);
});

test("bad input: covariates confounded with the batch or with each other are named", () => {
  const covariates = (terms: string[], f: (k: number) => number[]) => ({
    terms,
    values: small.batch.map((_, k) => f(k)),
  });
  assert.throws(
    () => fitCombat({ ...small, covariates: covariates(["siteB"], (k) => [k >= 3 ? 1 : 0]) }),
    /covariate 'siteB' is confounded with the batch/,
  );
  assert.throws(
    () => fitCombat({ ...small, covariates: covariates(["dose"], () => [2]) }),
    /covariate 'dose' is constant \(2\)/,
  );
  assert.throws(
    () => fitCombat({ ...small, covariates: covariates(["levelT4"], () => [0]) }),
    /covariate 'levelT4' is 0 for every sample/,
  );
  assert.throws(
    () =>
      fitCombat({
        ...small,
        covariates: covariates(["x", "twice_x"], (k) => [k % 2, 2 * (k % 2)]),
      }),
    /covariates are confounded with each other: 'twice_x'/,
  );
});

test("bad input: other causes are named, never a NaN result", () => {
  assert.throws(
    () => fitCombat({ ...small, batch: small.batch.map(() => "a") }),
    /at least 2 batches, got 1 \('a'\)/,
  );
  assert.throws(
    () => fitCombat({ data: small.data.map((r) => [r[0]!]), batch: small.batch }),
    /at least 2 features/,
  );
  assert.throws(
    () => fitCombat(small, { referenceBatch: "z" }),
    /reference batch 'z' is not one of the batch levels/,
  );
  const withNaN = small.data.map((r, k) => (k === 4 ? [r[0]!, Number.NaN] : r));
  assert.throws(
    () => fitCombat({ ...small, data: withNaN }),
    /feature 'B' of sample 5 is not a finite number/,
  );
  assert.throws(
    () => fitCombat({ ...small, batch: small.batch }, { batchLevels: ["a", "b", "c"] }),
    /batch 'c' has no samples/,
  );
  // A feature the covariates explain exactly has no residual variance to standardise by.
  // (A and B of the small case are themselves batch + position: use permuted copies here.)
  const A2 = [1, 3, 2, 5, 7, 6];
  const B2 = [2, 6, 4, 1, 3, 2];
  const exact = small.batch.map((b, k) => [A2[k]!, B2[k]!, (b === "b" ? 5 : 0) + 3 * (k % 3)]);
  assert.throws(
    () =>
      fitCombat({
        data: exact,
        batch: small.batch,
        features: ["A", "B", "E"],
        covariates: { terms: ["pos"], values: small.batch.map((_, k) => [k % 3]) },
      }),
    /feature 'E' has no residual variance after the batch and covariate fit/,
  );
});

test("radscore combat: same columns and rows, features harmonised, other cells untouched", async () => {
  const dir = mkdtempSync(join(tmpdir(), "radscore-combat-"));
  const input = join(dir, "features.csv");
  const lines = ["id,centre,note,rad_A,rad_B"];
  small.data.forEach((r, k) => {
    lines.push(`${k + 1},${small.batch[k]},"x, ${k}",${r[0]},${r[1]}`);
  });
  writeFileSync(input, `${lines.join("\n")}\n`);
  const out = join(dir, "out.csv");
  const modelPath = join(dir, "model.json");
  const log: string[] = [];
  const print = (text: string) => {
    log.push(text);
  };
  assert.equal(
    await runCombatCommand(
      input,
      { batch: "centre", features: "rad_", nonparametric: true, output: out, saveModel: modelPath },
      print,
    ),
    0,
  );
  const table = parseCsv(readFileSync(out, "utf8"));
  assert.deepEqual(table.header, ["id", "centre", "note", "rad_A", "rad_B"]);
  assert.equal(table.rows.length, 6);
  assert.deepEqual(
    table.rows.map((r) => r.slice(0, 3)),
    small.data.map((_, k) => [String(k + 1), small.batch[k], `x, ${k}`]),
  );
  // The hand-checked non-parametric value of sample 1, feature A (see above).
  close(
    Number(table.rows[0]![3]),
    (-3 - Math.sqrt(0.4)) / Math.sqrt(2.4) + 4,
    "CLI adjusted A, sample 1",
  );
  assert.match(log.join(""), /non-parametric.*2 features over 6 samples/);
  // The saved model applied to the same table gives the same file.
  const out2 = join(dir, "out2.csv");
  await runCombatCommand(input, { batch: "centre", model: modelPath, output: out2 }, print);
  assert.equal(readFileSync(out2, "utf8"), readFileSync(out, "utf8"));
  await assert.rejects(
    runCombatCommand(input, { batch: "centre", output: out }, print),
    /no PyRadiomics feature columns found; name the features with --features/,
  );
  await assert.rejects(
    runCombatCommand(
      input,
      { batch: "centre", features: "rad_A,rad_B", covariates: "centre", output: out },
      print,
    ),
    /covariate 'centreb' is confounded with the batch/,
  );
});
