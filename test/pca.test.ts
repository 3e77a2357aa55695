/**
 * The first two principal components (src/stats/pca.ts) on hand-computed cases: two standardised
 * features with correlation r have correlation-matrix eigenvalues 1 ± r, so PC1 and PC2 explain
 * (1 + r) / 2 and (1 - r) / 2, with loadings (1, 1) / √2 and (1, -1) / √2.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { firstTwoPrincipalComponents } from "../src/stats/pca.js";

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-12, `${what}: ${a} vs ${b}`);

test("two features with r = 0.8: variance shares 0.9 / 0.1 and the scores by hand", () => {
  // x = 1 2 3 4, y = 1 3 2 4: deviations (-1.5 -0.5 0.5 1.5) and (-1.5 0.5 -0.5 1.5), both with
  // variance 5/3 and covariance 4/3, so r = 0.8. PC1 = (zx + zy) / √2: sample 1 has
  // (-1.5 - 1.5) / (sqrt(5/3) √2) = -3 / sqrt(10/3); samples 2 and 3 score 0.
  // PC2 = ±(zx - zy) / √2: sample 2 has (-0.5 - 0.5) / sqrt(10/3) in magnitude, samples 1 and 4 0.
  const pc = firstTwoPrincipalComponents([
    [1, 2, 3, 4],
    [1, 3, 2, 4],
  ]);
  close(pc.explained[0], 0.9, "PC1 share");
  close(pc.explained[1], 0.1, "PC2 share");
  const a = 3 / Math.sqrt(10 / 3);
  const b = 1 / Math.sqrt(10 / 3);
  [-a, 0, 0, a].forEach((v, i) => {
    close(Math.abs(pc.scores[0][i]!), Math.abs(v), `PC1[${i}]`);
  });
  assert.ok(pc.scores[0][0]! * pc.scores[0][3]! < 0, "PC1 separates samples 1 and 4");
  [0, b, b, 0].forEach((v, i) => {
    close(Math.abs(pc.scores[1][i]!), v, `PC2[${i}]`);
  });
  assert.ok(pc.scores[1][1]! * pc.scores[1][2]! < 0, "PC2 separates samples 2 and 3");
});

test("constant features carry no variance and are left out; too little data is an error", () => {
  // Adding a constant column changes nothing; the shares stay 0.9 / 0.1.
  const pc = firstTwoPrincipalComponents([
    [1, 2, 3, 4],
    [7, 7, 7, 7],
    [1, 3, 2, 4],
  ]);
  close(pc.explained[0], 0.9, "PC1 share");
  assert.throws(() => firstTwoPrincipalComponents([[1, 2, 3]]), /1 non-constant feature/);
  assert.throws(
    () =>
      firstTwoPrincipalComponents([
        [1, 2],
        [2, 1],
      ]),
    /2 samples/,
  );
});

test("three uncorrelated-by-construction features: the shares add to at most 1, PC1 first", () => {
  // Orthogonal centred columns with equal variance: every direction explains 1/3.
  const pc = firstTwoPrincipalComponents([
    [1, -1, 1, -1],
    [1, 1, -1, -1],
    [1, -1, -1, 1],
  ]);
  close(pc.explained[0], 1 / 3, "PC1 share");
  close(pc.explained[1], 1 / 3, "PC2 share");
});
