/**
 * Steps 8-10 of the study pipeline, the evaluation of the clinical, radiomics and nomogram models
 * in each cohort (cut-offs and bootstrap from training only):
 *  8. `discriminationStep`: pROC ROC + DeLong CI (and pROC's bootstrap CIs of the AUC and of the
 *     metrics at the cut-off), Youden cut-off from training (set on the frozen
 *     model), sens/spec/acc/PPV/NPV at it (Table 3), ROC curves, paired DeLong tests (Table 4);
 *  9. `calibrationStep`: rms val.prob + Hosmer-Lemeshow per cohort, calibrate bootstrap (training);
 * 10. `decisionCurveStep`: decision curves.
 */
import { buildDesignMatrix, designTerms } from "../../model/design.js";
import { fitFirthCoefficients } from "../../model/firth.js";
import {
  calibrateBootstrap,
  calibrationGrid,
  hosmerLemeshow,
  valProb,
} from "../../stats/calibration.js";
import { decisionCurves, thresholdGrid } from "../../stats/dca.js";
import { valueRange } from "../../stats/descriptive.js";
import { approx, lowess } from "../../stats/lowess.js";
import {
  aucDelong,
  confusionAtThreshold,
  pairedDelongTest,
  type RocCurve,
  rocCurve,
  youdenBest,
} from "../../stats/roc.js";
import { rocBootstrapSummary } from "../../stats/roc-bootstrap.js";
import { type PatientScore, scorePatients } from "../frozen-model.js";
import type {
  CalibrationCurve,
  DecisionCurve,
  DelongRow,
  ModelName,
  PerformanceRow,
  RocCurvePoints,
} from "../result.js";
import type { ClinicalModels } from "./clinical-models.js";
import { COHORTS, MODELS, pick, type StudyRun } from "./context.js";
import type { NomogramStep } from "./nomogram.js";
import type { FittedScaler } from "./preprocessing.js";
import type { RadscoreModel } from "./radscore.js";

/** The score each model is ranked by (ROC): probabilities, and the Rad-score itself. */
export function scoreOf(scores: PatientScore[], m: ModelName, idx: number[]): Float64Array {
  return Float64Array.from(idx, (i) =>
    m === "clinical"
      ? scores[i]!.clinicalProbability
      : m === "radiomics"
        ? scores[i]!.radScore
        : scores[i]!.nomogramProbability,
  );
}

/** Each model's predicted probability (calibration, decision curves). */
export function probOf(scores: PatientScore[], m: ModelName, idx: number[]): Float64Array {
  return Float64Array.from(idx, (i) =>
    m === "clinical"
      ? scores[i]!.clinicalProbability
      : m === "radiomics"
        ? scores[i]!.radiomicsProbability
        : scores[i]!.nomogramProbability,
  );
}

export interface Discrimination {
  table3: PerformanceRow[];
  roc: RocCurvePoints[];
  table4: DelongRow[];
  /** Every patient's scores with the training cut-offs set on the frozen model. */
  scores: PatientScore[];
}

/**
 * 8. Discrimination: ROC / DeLong / Youden (training) / confusion at the training cut-off. Sets
 * the training cut-offs on `nomo.model` and rescores the patients with them.
 */
export function discriminationStep(run: StudyRun, nomo: NomogramStep): Discrimination {
  const { config, yAll, rowsOf } = run;
  const { model, rows } = nomo;
  let scores = nomo.scores;
  const ciLevel = config.evaluation.ciLevel;
  const rocs = new Map<string, RocCurve>();
  for (const c of COHORTS)
    for (const m of MODELS)
      rocs.set(
        `${c}/${m}`,
        rocCurve(scoreOf(scores, m, rowsOf[c]), pick(yAll, rowsOf[c]), { direction: "<" }),
      );
  const thresholds = {} as Record<ModelName, number>;
  for (const m of MODELS) thresholds[m] = youdenBest(rocs.get(`training/${m}`)!).thresholds[0]!;
  model.thresholds = thresholds;
  scores = scorePatients(model, rows);
  const table3: PerformanceRow[] = [];
  const roc: RocCurvePoints[] = [];
  for (const c of COHORTS) {
    for (const m of MODELS) {
      const r = rocs.get(`${c}/${m}`)!;
      const d = aucDelong(r, ciLevel);
      const cm = confusionAtThreshold(
        scoreOf(scores, m, rowsOf[c]),
        pick(yAll, rowsOf[c]),
        thresholds[m],
        "<",
      );
      table3.push({
        cohort: c,
        model: m,
        auc: d.auc,
        aucLower: d.lower,
        aucUpper: d.upper,
        threshold: thresholds[m],
        sensitivity: cm.sensitivity,
        specificity: cm.specificity,
        accuracy: cm.accuracy,
        ppv: cm.ppv,
        npv: cm.npv,
        ...bootstrapCis(
          run,
          scoreOf(scores, m, rowsOf[c]),
          pick(yAll, rowsOf[c]),
          thresholds[m],
          `${c}/${m}`,
        ),
      });
      const k = r.thresholds.length;
      const fpr: number[] = [];
      const tpr: number[] = [];
      for (let t = k - 1; t >= 0; t--) {
        fpr.push(1 - r.specificities[t]!);
        tpr.push(r.sensitivities[t]!);
      }
      roc.push({ cohort: c, model: m, auc: r.auc, fpr, tpr });
    }
  }
  const table4: DelongRow[] = [];
  const pairs: [ModelName, ModelName][] = [
    ["clinical", "radiomics"],
    ["clinical", "nomogram"],
    ["radiomics", "nomogram"],
  ];
  for (const c of COHORTS) {
    for (const [a, b] of pairs) {
      const t = pairedDelongTest(rocs.get(`${c}/${a}`)!, rocs.get(`${c}/${b}`)!, ciLevel);
      table4.push({ cohort: c, modelA: a, modelB: b, z: t.z, p: t.p });
    }
  }
  return { table3, roc, table4, scores };
}

/**
 * Table 3's bootstrap CIs of one model in one cohort (pROC's ci.auc and ci.coords at the training
 * threshold, direction "<" as the ROC analysis), or nothing when turned off; a failure (e.g. fewer
 * than 2 events) is a warning naming the cohort and model, and the row keeps its DeLong CI.
 */
function bootstrapCis(
  run: StudyRun,
  score: Float64Array,
  outcome: Float64Array,
  threshold: number,
  where: string,
): Pick<PerformanceRow, "bootstrap"> {
  const { replicates, seed } = run.config.evaluation.rocBootstrap;
  if (replicates === 0) return {};
  try {
    const b = rocBootstrapSummary(score, outcome, threshold, {
      nBoot: replicates,
      seed,
      confLevel: run.config.evaluation.ciLevel,
      direction: "<",
    });
    for (const w of [...b.auc.warnings, ...b.coords.warnings])
      run.warnings.push(`bootstrap CI ${where}: ${w}`);
    const ci = (i: { lower: number; upper: number }): [number, number] => [i.lower, i.upper];
    const k = b.coords.intervals;
    return {
      bootstrap: {
        replicates,
        auc: ci(b.auc),
        sensitivity: ci(k.sensitivity),
        specificity: ci(k.specificity),
        accuracy: ci(k.accuracy),
        ppv: ci(k.ppv),
        npv: ci(k.npv),
      },
    };
  } catch (err) {
    run.warnings.push(`bootstrap CI ${where}: ${(err as Error).message}`);
    return {};
  }
}

/** 9. Calibration: val.prob + Hosmer-Lemeshow per cohort; calibrate bootstrap in training. */
export function calibrationStep(
  run: StudyRun,
  scaled: FittedScaler,
  radscore: RadscoreModel,
  models: ClinicalModels,
  scores: PatientScore[],
): CalibrationCurve[] {
  const { config, train, yAll, yTrain, rowsOf, warnings, progress } = run;
  const { Xtrain } = scaled;
  const { finalIdx, refit } = radscore;
  const { coding, table, clinVars, nomoVars, fitMethods } = models;
  const nTrain = train.length;
  const calibration: CalibrationCurve[] = [];
  const B = config.evaluation.bootstrap;
  const designRows = (vars: string[]) =>
    buildDesignMatrix(table, designTerms(vars, coding), coding, {
      rows: train,
      source: "calibration",
    }).X;
  for (const c of COHORTS) {
    for (const m of MODELS) {
      const p = probOf(scores, m, rowsOf[c]);
      const y = pick(yAll, rowsOf[c]);
      const statistics: Record<string, number> = {};
      let predicted: Float64Array;
      let apparent: Float64Array;
      let biasCorrected: number[] | null = null;
      predicted = new Float64Array(0);
      apparent = new Float64Array(0);
      try {
        const sm = lowess(p, y, { f: 2 / 3, iter: 0, delta: 0.01 * valueRange(p) });
        predicted = calibrationGrid(p);
        apparent = approx(sm.x, sm.y, predicted, "first");
      } catch (err) {
        warnings.push(`calibration curve ${c}/${m}: ${(err as Error).message}`);
      }
      try {
        const vp = valProb(p, y);
        for (const [k, v] of Object.entries(vp.stats)) statistics[k] = v;
        statistics["C (exact)"] = vp.cUnbinned;
      } catch (err) {
        warnings.push(`calibration statistics ${c}/${m}: ${(err as Error).message}`);
      }
      try {
        const hl = hosmerLemeshow(p, y, { g: config.evaluation.hosmerLemeshowGroups });
        statistics["HL chi-square"] = hl.statistic;
        statistics["HL df"] = hl.df;
        statistics["HL p"] = hl.p;
      } catch (err) {
        warnings.push(`Hosmer-Lemeshow ${c}/${m}: ${(err as Error).message}`);
      }
      if (c === "training") {
        // The radiomics model: its refitted features when the Rad-score is a logistic refit; a
        // LASSO Rad-score is not refitted by the bootstrap, so, as R users do (lrm(y ~ radscore)
        // with calibrate(B), the reference study's calibration figure), the Rad-score is the
        // model's single predictor.
        const X =
          m === "clinical"
            ? designRows(clinVars)
            : m === "nomogram"
              ? designRows(nomoVars)
              : refit
                ? Array.from({ length: nTrain }, (_, i) =>
                    Float64Array.from(finalIdx, (k) => Xtrain[k]![i]!),
                  )
                : train.map((row) => Float64Array.of(scores[row]!.radScore));
        try {
          // A model fitted by Firth's penalised likelihood is refitted by it in every resample
          // (the optimism of the procedure actually used); the others by lrm, as rms calibrate.
          const method =
            m === "radiomics" ? (refit ? radscore.fitMethod.method : "ml") : fitMethods[m].method;
          const firthRefit =
            method === "firth"
              ? (rows: Float64Array[], yb: Float64Array) =>
                  fitFirthCoefficients(rows, yb, {
                    control: { maxIterations: config.clinical.maxIterations },
                  })
              : undefined;
          const cb = calibrateBootstrap(X, yTrain, {
            B,
            seed: config.evaluation.seed,
            ...(firthRefit ? { refit: firthRefit } : {}),
          });
          progress("bootstrap", MODELS.indexOf(m) + 1, MODELS.length);
          predicted = cb.predy;
          apparent = cb.calibratedOrig;
          biasCorrected = Array.from(cb.calibratedCorrected);
          statistics["bootstrap B used"] = cb.bUsed;
          statistics["mean absolute error"] = cb.errorSummary.meanAbsError;
          statistics["0.9 quantile absolute error"] = cb.errorSummary.quantileAbsError;
        } catch (err) {
          warnings.push(`calibration bootstrap ${m}: ${(err as Error).message}`);
        }
      }
      calibration.push({
        cohort: c,
        model: m,
        predicted: Array.from(predicted),
        apparent: Array.from(apparent),
        biasCorrected,
        statistics,
      });
    }
  }
  return calibration;
}

/** 10. Decision curves. */
export function decisionCurveStep(run: StudyRun, scores: PatientScore[]): DecisionCurve[] {
  const { config, yAll, rowsOf } = run;
  const grid = thresholdGrid(
    config.evaluation.dca.from,
    config.evaluation.dca.to,
    config.evaluation.dca.denominator,
  );
  const decision: DecisionCurve[] = COHORTS.map((c) => {
    const d = decisionCurves(
      pick(yAll, rowsOf[c]),
      MODELS.map((m) => ({ name: m, p: probOf(scores, m, rowsOf[c]) })),
      grid,
    );
    return {
      cohort: c,
      thresholds: Array.from(d.thresholds),
      models: d.models.map((x) => ({
        model: x.name as ModelName,
        netBenefit: Array.from(x.curve.netBenefit),
      })),
      treatAll: Array.from(d.treatAll.netBenefit),
      treatNone: Array.from(d.treatNone.netBenefit),
    };
  });
  return decision;
}
