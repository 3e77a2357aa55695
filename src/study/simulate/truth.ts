/**
 * True AUCs of a simulation, computed from the generator's outcome probabilities on a large
 * independent sample rather than from drawn outcomes (no Monte-Carlo noise from the outcome draw).
 *
 * The AUC of a score s in a population where patient i has the event with probability p_i is
 * P(s_case > s_control) + ½ P(tie) (Hanley and McNeil 1982; Pepe 2003, §4.3), a case being drawn
 * with weight p_i and a control with weight q_j = 1 − p_j. Over a sample of n patients, as the
 * two-sample U-statistic over distinct patients:
 *   AUC = Σ_{i≠j} p_i q_j H(s_i − s_j) / Σ_{i≠j} p_i q_j,   H(d) = 1 (d > 0), ½ (d = 0), 0 (d < 0),
 * whose numerator and denominator are the expectations, over the outcome draw, of the Mann-Whitney
 * count pROC's AUC is made of and of the number of case-control pairs.
 * `trueAuc` is the oracle: the score is the true probability itself, the best any model can do.
 * Computed in O(n log n): sorted by score, each group of tied scores contributes
 * P_G · Q_below + ½ (P_G Q_G − Σ_G p_i q_i). Pure (browser-safe).
 */

function checkProbabilities(p: ArrayLike<number>, what: string): void {
  for (let i = 0; i < p.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v <= 1))
      throw new Error(`${what}: probability ${i + 1} is ${v}, not in [0, 1]`);
  }
}

/** The population AUC of `scores` (higher = event) given each patient's event probability. */
export function populationAuc(scores: ArrayLike<number>, probabilities: ArrayLike<number>): number {
  const n = scores.length;
  if (probabilities.length !== n)
    throw new Error(
      `population AUC: ${n} scores but ${probabilities.length} probabilities (one per patient)`,
    );
  checkProbabilities(probabilities, "population AUC");
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(scores[i]!))
      throw new Error(`population AUC: score ${i + 1} is ${scores[i]}, not a finite number`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let numerator = 0;
  let qBelow = 0;
  let pTotal = 0;
  let qTotal = 0;
  let pqSelf = 0;
  for (let g = 0; g < n; ) {
    let h = g;
    let pG = 0;
    let qG = 0;
    let pqG = 0;
    while (h < n && scores[order[h]!] === scores[order[g]!]) {
      const p = probabilities[order[h]!]!;
      pG += p;
      qG += 1 - p;
      pqG += p * (1 - p);
      h++;
    }
    numerator += pG * qBelow + 0.5 * (pG * qG - pqG);
    qBelow += qG;
    pTotal += pG;
    qTotal += qG;
    pqSelf += pqG;
    g = h;
  }
  const denominator = pTotal * qTotal - pqSelf;
  if (!(denominator > 0))
    throw new Error(
      `population AUC: no case-control pair has weight (${n} patients, every probability 0 or every probability 1)`,
    );
  return numerator / denominator;
}

/** The oracle AUC: the true probabilities ranked against their own outcomes. */
export function trueAuc(probabilities: ArrayLike<number>): number {
  return populationAuc(probabilities, probabilities);
}
