/**
 * Step 6 of the study pipeline, the clinical models (glm, training patients): the univariable
 * screen of every clinical variable (and of the Rad-score), the multivariable model, the clinical
 * model of its independent predictors and the nomogram model (clinical predictors + Rad-score),
 * each by maximum likelihood or, when it separates (`clinical.firth`), by Firth's penalised
 * likelihood; Table 2 (univariable and multivariable odds ratios) and the fit method of every
 * model. Also the glm helpers (`fitGlm`, `frozenLinear`) and the patient x clinical-variable cell
 * table they fit on.
 */
import {
  buildDesignMatrix,
  type CellTable,
  type ColumnCoding,
  type DesignTerm,
  designTerms,
} from "../../model/design.js";
import type { LogisticFit } from "../../model/logistic.js";
import { type Cohort, clinicalCoding } from "../cohort.js";
import type { StudyConfig } from "../config.js";
import type { FrozenLinearModel } from "../frozen-model.js";
import type { OddsRatioRow, StudyFitMethods } from "../result.js";
import type { StudyRun } from "./context.js";
import {
  fitWithFirthSwitch,
  modelTestP,
  oddsRatioEntry,
  type SwitchedFit,
} from "./firth-switch.js";
import type { RadscoreModel } from "./radscore.js";

/** A patient x clinical-variable cell table (manifest texts; missing = the first missing text). */
function clinicalTable(
  cohort: Cohort,
  extra?: { name: string; values: ArrayLike<number> },
): CellTable {
  const names = cohort.variables.map((v) => v.name);
  const missingText = cohort.missing[0] ?? "";
  const header = [...names, "__outcome"];
  if (extra) header.push(extra.name);
  const rows = cohort.patients.map((p, i) => {
    const r = names.map((n) => p.clinical[n] ?? missingText);
    r.push(String(p.outcome));
    if (extra) r.push(String(extra.values[i]));
    return r;
  });
  return { header, rows };
}

/** A glm of the clinical step: the fit used (maximum likelihood or Firth) and its design terms. */
export interface FittedGlm extends SwitchedFit {
  /** The maximum-likelihood fit (= `ml`; the study output's `details` hold these). */
  fit: LogisticFit;
  terms: DesignTerm[];
}

export function fitGlm(
  table: CellTable,
  predictors: string[],
  coding: Record<string, ColumnCoding>,
  rows: number[],
  missing: string[],
  config: StudyConfig,
  what: string,
): FittedGlm {
  const terms = designTerms(predictors, coding);
  const design = buildDesignMatrix(table, terms, coding, {
    rows,
    missingCells: missing,
    requireColumns: ["__outcome"],
    source: what,
  });
  const yCol = table.header.indexOf("__outcome");
  const y = Float64Array.from(design.rowIndices, (i) => Number(table.rows[i]![yCol]));
  const fit = fitWithFirthSwitch(
    design.X,
    y,
    {
      names: design.terms,
      setting: config.clinical.firth,
      key: "clinical.firth",
      epsilon: config.clinical.epsilon,
      maxIterations: config.clinical.maxIterations,
      // Table 2's intervals: profile penalised likelihood at the study's level for Firth fits.
      level: config.evaluation.ciLevel,
    },
    what,
  );
  return { ...fit, fit: fit.ml, terms };
}

export function frozenLinear(g: FittedGlm, predictors: string[]): FrozenLinearModel {
  return {
    predictors,
    terms: g.terms.slice(1).map((t) => ({ term: t.term, column: t.column!, level: t.level })),
    coefficients: Array.from(g.coefficients),
  };
}

/**
 * P of a predictor in a fit: its term's P (Wald, or penalised LR for Firth; one term) or the
 * smallest of its dummies.
 */
function predictorP(g: FittedGlm, predictor: string): number {
  let p = Number.POSITIVE_INFINITY;
  g.terms.forEach((t, k) => {
    if (t.column === predictor) p = Math.min(p, g.pValues[k]!);
  });
  return p;
}

export interface ClinicalModels {
  coding: Record<string, ColumnCoding>;
  /** Clinical cell table of every patient, with the Rad-score column. */
  table: CellTable;
  /** Maximum-likelihood univariable fits (the study output's `details`). */
  univariable: Map<string, LogisticFit>;
  uniTerms: Map<string, DesignTerm[]>;
  /** Univariable fits used (maximum likelihood or Firth), by clinical variable. */
  uniFits: Map<string, FittedGlm>;
  /** Univariable fit of the Rad-score. */
  rsUni: FittedGlm;
  multiVars: string[];
  multi: FittedGlm;
  clinVars: string[];
  clin: FittedGlm;
  nomoVars: string[];
  nomo: FittedGlm;
  /** How every model was fitted and why (the Rad-score's from the Rad-score step). */
  fitMethods: StudyFitMethods;
}

/**
 * 6. Clinical model: univariable screen -> multivariable -> independent predictors; then the
 * nomogram model (clinical predictors + Rad-score).
 */
export function clinicalModelsStep(run: StudyRun, radscore: RadscoreModel): ClinicalModels {
  const { config, cohort, patients, train, warnings } = run;
  const { radscoreName, radScores } = radscore;
  const coding = clinicalCoding(cohort.variables);
  const table = clinicalTable(cohort, { name: radscoreName, values: radScores });
  coding[radscoreName] = { type: "numeric" };
  const missing = cohort.missing;
  const univariable = new Map<string, LogisticFit>();
  const uniTerms = new Map<string, DesignTerm[]>();
  const uniFits = new Map<string, FittedGlm>();
  const screenP = new Map<string, number>();
  for (const v of cohort.variables) {
    const g = fitGlm(table, [v.name], coding, train, missing, config, `univariable ${v.name}`);
    univariable.set(v.name, g.fit);
    uniTerms.set(v.name, g.terms);
    uniFits.set(v.name, g);
    // A factor's screen P is the model's (penalised) likelihood-ratio test against the null.
    const p = g.terms.length > 2 ? modelTestP(g) : g.pValues[1]!;
    screenP.set(v.name, p);
  }
  const rsUni = fitGlm(
    table,
    [radscoreName],
    coding,
    train,
    missing,
    config,
    "univariable Rad-score",
  );
  const bestVar = () => [...screenP.entries()].reduce((a, b) => (b[1] < a[1] ? b : a))[0];
  let multiVars =
    config.clinical.multivariable ??
    cohort.variables
      .map((v) => v.name)
      .filter((n) => screenP.get(n)! < config.clinical.univariableP);
  if (multiVars.length === 0) {
    multiVars = [bestVar()];
    warnings.push(
      `no clinical variable had univariable P < ${config.clinical.univariableP}; '${multiVars[0]}' (smallest P) is used`,
    );
  }
  const multi = fitGlm(table, multiVars, coding, train, missing, config, "multivariable model");
  let clinVars =
    config.clinical.model ??
    multiVars.filter((v) => predictorP(multi, v) < config.clinical.multivariableP);
  if (clinVars.length === 0) {
    clinVars = [multiVars.reduce((a, b) => (predictorP(multi, b) < predictorP(multi, a) ? b : a))];
    warnings.push(
      `no multivariable predictor had P < ${config.clinical.multivariableP}; '${clinVars[0]}' (smallest P) is the clinical model`,
    );
  }
  // Every patient needs the clinical-model variables.
  for (const p of patients) {
    for (const v of clinVars) {
      if (p.clinical[v] === null || p.clinical[v] === undefined)
        throw new Error(
          `study: patient '${p.id}' (${p.role}) has no value for '${v}', a predictor of the clinical model and the nomogram`,
        );
    }
  }
  const clin = fitGlm(table, clinVars, coding, train, missing, config, "clinical model");
  const nomoVars = [...clinVars, radscoreName];
  const nomo = fitGlm(table, nomoVars, coding, train, missing, config, "nomogram model");
  for (const [what, g] of [
    ["clinical model", clin],
    ["nomogram model", nomo],
  ] as const) {
    for (const w of g.warnings) warnings.push(`${what}: ${w}`);
  }
  // The screen's and the multivariable model's own warnings are not reported (as before), but an
  // automatic switch to Firth is: it changes their P values and Table 2.
  const uniMethods: StudyFitMethods["univariable"] = {};
  for (const [what, g] of [
    ...[...uniFits].map(([name, g]) => [`univariable ${name}`, g] as const),
    ["univariable Rad-score", rsUni] as const,
    ["multivariable model", multi] as const,
  ]) {
    if (g.firth && g.method.setting === "auto") warnings.push(`${what}: ${g.warnings[0]}`);
  }
  for (const [name, g] of uniFits) uniMethods[name] = g.method;
  uniMethods[radscoreName] = rsUni.method;
  const fitMethods: StudyFitMethods = {
    clinical: clin.method,
    radiomics: radscore.fitMethod,
    nomogram: nomo.method,
    multivariable: multi.method,
    univariable: uniMethods,
  };
  return {
    coding,
    table,
    univariable,
    uniTerms,
    uniFits,
    rsUni,
    multiVars,
    multi,
    clinVars,
    clin,
    nomoVars,
    nomo,
    fitMethods,
  };
}

/**
 * Table 2: univariable and multivariable odds ratios with Wald intervals and P (maximum
 * likelihood) or profile penalised-likelihood intervals and penalised LR P (Firth).
 */
export function table2Step(
  run: StudyRun,
  radscore: RadscoreModel,
  models: ClinicalModels,
): OddsRatioRow[] {
  const { config, cohort } = run;
  const { radscoreName } = radscore;
  const { uniFits, uniTerms, rsUni, multiVars, multi, nomo } = models;
  const table2: OddsRatioRow[] = [];
  const ciLevel = config.evaluation.ciLevel;
  const orOf = (g: FittedGlm, k: number) => oddsRatioEntry(g, k, ciLevel);
  for (const v of cohort.variables) {
    const uf = uniFits.get(v.name)!;
    const ut = uniTerms.get(v.name)!;
    ut.slice(1).forEach((t, k) => {
      const mk = multiVars.includes(v.name) ? multi.terms.findIndex((m) => m.term === t.term) : -1;
      table2.push({
        term: t.term,
        univariable: orOf(uf, k + 1),
        multivariable: mk > 0 ? orOf(multi, mk) : null,
      });
    });
  }
  {
    const nk = nomo.terms.findIndex((t) => t.term === radscoreName);
    table2.push({
      term: radscoreName,
      univariable: orOf(rsUni, 1),
      multivariable: orOf(nomo, nk),
    });
  }
  return table2;
}
