/**
 * The statistics commands: results against R's golden numbers where the reference folder is
 * present, and bad input (outcome not binary, one class, missing or non-numeric cells, too few
 * events per variable) rejected with the column and row named and a non-zero exit code.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { missingReference, referenceDir } from "./support/reference.js";

// The bundled command, as installed by `npm install` (package.json bin).
const cli = join(import.meta.dirname, "..", "cli", "main.cjs");
const dir = mkdtempSync(join(tmpdir(), "radscore-stats-"));
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: "utf8" });
const csv = (name: string, lines: string[]) => {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
};

// y: 4 events / 4 non-events; x separates imperfectly; z has a missing cell; w a non-number.
const good = csv("good.csv", [
  "id,y,x,g",
  "1,1,3.1,a",
  "2,1,2.2,b",
  "3,1,1.9,a",
  "4,1,0.8,b",
  "5,0,1.0,a",
  "6,0,0.5,b",
  "7,0,2.0,a",
  "8,0,0.2,b",
]);

test("roc: AUC of a hand-checkable sample (Mann-Whitney: 13 of 16 pairs ordered)", () => {
  const r = run("roc", good, "--outcome", "y", "--scores", "x", "-o", join(dir, "roc"));
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, "roc.json"), "utf8"));
  // Pairs (event, non-event) with event score > non-event score: 3.1>all 4, 2.2>all 4, 1.9>3 (not 2.0), 0.8>2 (0.5, 0.2).
  assert.equal(out.scores[0].auc, 13 / 16);
  assert.ok(existsSync(join(dir, "roc.md")));
});

const bad: [string, string[], string[], RegExp][] = [
  [
    "outcome not binary",
    ["id,y,x", "1,0,1", "2,1,2", "3,2,3"],
    ["roc", "--outcome", "y", "--scores", "x"],
    /outcome 'y' is not binary/,
  ],
  [
    "one class only",
    ["id,y,x", "1,1,1", "2,1,2", "3,1,3"],
    ["roc", "--outcome", "y", "--scores", "x"],
    /only one class \(no non-events\)/,
  ],
  [
    "missing cell",
    ["id,y,x", "1,0,1", "2,1,", "3,1,3", "4,0,2"],
    ["roc", "--outcome", "y", "--scores", "x"],
    /column 'x', row 3: missing value/,
  ],
  [
    "non-numeric cell",
    ["id,y,x", "1,0,1", "2,1,abc", "3,1,3", "4,0,2"],
    ["calibration", "--outcome", "y", "--probability", "x"],
    /column 'x', row 3: 'abc' is not a number/,
  ],
  [
    "unknown column",
    ["id,y,x", "1,0,1", "2,1,2"],
    ["roc", "--outcome", "y", "--scores", "nope"],
    /no column 'nope'/,
  ],
  [
    "too few events per variable",
    ["id,y,a,b,c", "1,1,1,2,3", "2,0,2,1,3", "3,0,3,3,1", "4,0,1,1,2", "5,0,2,2,2"],
    ["logistic", "--outcome", "y", "--predictors", "a,b,c"],
    /too few events per variable/,
  ],
];
for (const [what, lines, args, message] of bad) {
  test(`bad input (${what}): error names the problem, non-zero exit, no output`, () => {
    const file = csv(`${what.replace(/\W+/g, "_")}.csv`, lines);
    const out = join(dir, `${what.replace(/\W+/g, "_")}-out`);
    const r = run(args[0]!, file, ...args.slice(1), "-o", out);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, message);
    assert.equal(existsSync(`${out}.json`), false);
  });
}

const ref = referenceDir();
test("roc and logistic on the her2 cohort reproduce pROC and glm golden values", {
  skip: ref ? false : missingReference("stats CLI golden check"),
}, () => {
  const stats = join(ref!, "stats");
  const golden = JSON.parse(readFileSync(join(stats, "her2_roc.json"), "utf8"));
  const r = run(
    "roc",
    join(stats, "her2_scores.csv"),
    "--outcome",
    "pcr",
    "--scores",
    "p_clinical,radscore",
    "--set-column",
    "set",
    "--set",
    "test",
    "-o",
    join(dir, "her2roc"),
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, "her2roc.json"), "utf8"));
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.abs(b);
  assert.ok(close(out.scores[0].auc, golden.outputs.test.clinical.auc));
  assert.ok(close(out.scores[0].aucLower, golden.outputs.test.clinical.ci_delong_lower));
  assert.ok(close(out.scores[1].auc, golden.outputs.test.score.auc));
  const logistic = JSON.parse(readFileSync(join(stats, "her2_logistic.json"), "utf8"));
  const clinical = logistic.harness.models.find((m: { id: string }) => m.id === "clinical");
  const l = run(
    "logistic",
    join(stats, "her2_cohort.csv"),
    "--outcome",
    "pcr",
    "--set-column",
    "set",
    "--set",
    "training",
    "--predictors",
    clinical.predictors.join(","),
    "--factors",
    "morphology=regular",
    "-o",
    join(dir, "her2logit"),
  );
  assert.equal(l.status, 0, l.stderr);
  const fit = JSON.parse(readFileSync(join(dir, "her2logit.json"), "utf8")).model;
  const terms: string[] = logistic.outputs.clinical.terms;
  const estimates: number[] = logistic.outputs.clinical.estimate;
  assert.equal(terms.length, fit.coefficients.length);
  terms.forEach((t, k) => {
    const row = fit.coefficients.find((c: { term: string }) => c.term === t);
    assert.ok(row, `term ${t}`);
    assert.ok(Math.abs(row.estimate - estimates[k]!) <= 1e-8 * Math.abs(estimates[k]!) + 1e-12);
  });
});

test("roc --boot --seed: bootstrap CIs at the training threshold reproduce pROC ci.coords / ci.auc", {
  skip: ref ? false : missingReference("stats CLI bootstrap golden check"),
}, () => {
  // pROC 1.18.0 with set.seed(20250101) before each call, boot.n 500, stratified (golden kind
  // roc_ci_coords): the test set's intervals at the training Youden threshold, and of the AUC.
  const pending = join(ref!, "stats", "pending");
  const golden = JSON.parse(readFileSync(join(pending, "her2_roc_ci_coords.json"), "utf8"));
  const r = run(
    "roc",
    join(pending, "her2_scores.csv"),
    "--outcome",
    "pcr",
    "--scores",
    "p_clinical,radscore",
    "--set-column",
    "set",
    "--set",
    "test",
    "--threshold-set",
    "training",
    "--boot",
    "500",
    "--seed",
    String(golden.harness.bootstrap.seed),
    "-o",
    join(dir, "her2boot"),
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(readFileSync(join(dir, "her2boot.json"), "utf8"));
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) <= 1e-9 * Math.abs(b) + 1e-12, `${what}: ${a} vs ${b}`);
  ["clinical", "score"].forEach((name, k) => {
    const want = golden.outputs.test[name];
    const got = out.scores[k].bootstrap;
    assert.equal(out.scores[k].threshold, want.fixed.threshold);
    for (const bound of ["lower", "median", "upper", "n_used"]) {
      const key = bound === "n_used" ? "nUsed" : bound;
      close(got.auc[key], want.auc_bootstrap.boot_500[bound], `${name} AUC ${bound}`);
      for (const c of ["sensitivity", "specificity", "accuracy", "ppv", "npv"])
        close(got[c][key], want.fixed.boot_500[c][bound], `${name} ${c} ${bound}`);
    }
  });
  assert.match(
    readFileSync(join(dir, "her2boot.md"), "utf8"),
    /Bootstrap 95% CIs \(500 stratified/,
  );
  // --boot without --seed: refused, naming the missing option.
  const noSeed = run(
    "roc",
    join(pending, "her2_scores.csv"),
    "--outcome",
    "pcr",
    "--scores",
    "radscore",
    "--boot",
    "50",
  );
  assert.notEqual(noSeed.status, 0);
  assert.match(noSeed.stderr, /--boot needs --seed/);
});
