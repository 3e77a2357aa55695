/**
 * Checklist answers about the data and the participants: data sources and centres, the
 * training / test split, sizes and events, events per variable, the outcome, the clinical
 * predictors, missing data, class balance, the participants' flow and characteristics, and the
 * validation type (external when the test centres gave no training patient). Each returns the run's answer (with its sources and
 * what the authors add) or null when the run cannot say.
 */
import {
  capitalise,
  centresOf,
  cohortSize,
  cohortSizeText,
  count,
  funnelStep,
  listText,
  percent,
  type RunFacts,
  SOURCE,
  sizesText,
} from "./run-facts.js";
import type { Fill } from "./types.js";

/** Development and evaluation data: cohorts, centres, the manifest. */
export function dataSources(f: RunFacts): Fill {
  const trainCentres = centresOf(f, "training");
  const testCentres = centresOf(f, "test");
  const where = (c: string[] | null) =>
    c ? ` from centre${c.length === 1 ? "" : "s"} ${listText(c)}` : "";
  const test = cohortSizeText(f, "test");
  const parts = [
    `Development data: the training cohort${where(trainCentres)} (${cohortSizeText(f, "training") ?? "no patients"}).`,
    test ? `Evaluation data: the test cohort${where(testCentres)} (${test}).` : "No test cohort.",
  ];
  if (f.study)
    parts.push(
      `Patients, outcome, clinical variables and ${f.study.input.kind === "images" ? "image / mask paths" : "a precomputed feature table"} come from one cohort manifest (study.yaml cohort.manifest).`,
    );
  return {
    answer: parts.join(" "),
    sources: [SOURCE.header, SOURCE.result("cohortSizes"), SOURCE.cohortManifest("centre, role")],
    toComplete:
      "the origin of the data (routine care, trial, registry; institutional or public), why these data were used and how representative they are" +
      (trainCentres ? "" : "; the centres of each cohort"),
  };
}

/** Number and identity of the centres, per cohort. */
export function centres(f: RunFacts): Fill | null {
  const s = f.study;
  if (!s) return null;
  if (s.centres.some((c) => c.centre === null))
    return {
      answer: `The manifest names no centre (study.yaml cohort.centre is not set); ${sizesText(f)}.`,
      sources: [SOURCE.config("cohort.centre"), SOURCE.header],
      toComplete: "the number and location of the centres and the care setting",
    };
  const names = [...new Set(s.centres.map((c) => c.centre))];
  const rows = s.centres.map(
    (c) => `centre '${c.centre}' → ${c.cohort} (n = ${c.n}, ${f.eventLabel} ${c.nEvent})`,
  );
  return {
    answer: `${count(names.length, "centre")}: ${rows.join("; ")}.`,
    sources: [
      SOURCE.cohortManifest(`centre column '${splitColumn(f)}'`),
      SOURCE.config("cohort.role"),
    ],
    toComplete: "the care setting (e.g. secondary or tertiary care) and where the centres are",
  };
}

function splitColumn(f: RunFacts): string {
  const s = f.study;
  if (!s) return "";
  return s.split.column;
}

/** How the data were partitioned and used. */
export function dataUse(f: RunFacts): Fill {
  const s = f.study;
  const tr = cohortSize(f, "training");
  const te = cohortSize(f, "test");
  const split = s
    ? s.split.by === "centre"
      ? `Patients were assigned by centre (study.yaml cohort.role.byCentre: training ${listText(s.split.training.map((c) => `'${c}'`))}, test ${listText(s.split.test.map((c) => `'${c}'`))}).`
      : `Patients were assigned by the manifest column '${s.split.column}'.`
    : "";
  const lasso = f.result.lasso;
  const folds = s ? `${s.selection.lasso.folds}-fold` : "K-fold";
  const boot = bootstrapCount(f);
  const parts = [
    split,
    `Every fitted step (feature filters, scaling, selection, the Rad-score, the clinical model, the nomogram and the cut-offs) used the ${tr?.n ?? "?"} training patients only.`,
    `LASSO's lambda was tuned by ${folds} cross-validation within training (${lasso.chosen}).`,
    boot !== null
      ? `Calibration was corrected for optimism with ${boot} bootstrap resamples of training.`
      : "",
    te
      ? `The ${te.n} test patients were scored once with the frozen model (model.json) and used for evaluation only${validationType(f) ? ` (${validationType(f)} validation${validationType(f) === "external" ? ": another centre" : ""})` : ""}.`
      : "",
  ];
  return {
    answer: parts.filter((p) => p !== "").join(" "),
    sources: [
      SOURCE.config("cohort.role, selection.lasso, evaluation.bootstrap"),
      SOURCE.selection,
      SOURCE.calibration,
    ],
  };
}

/** The number of bootstrap resamples calibrate used (largest over the models), or null. */
export function bootstrapCount(f: RunFacts): number | null {
  const used = f.result.calibration
    .map((c) => c.statistics["bootstrap B used"])
    .filter((b): b is number => typeof b === "number");
  if (used.length > 0) return Math.max(...used);
  return f.study?.evaluation.bootstrap ?? null;
}

/** The outcome and how the run reads it. */
export function outcome(f: RunFacts): Fill {
  const s = f.study;
  if (!s)
    return {
      answer: `Binary outcome: ${f.eventLabel} (event) versus ${f.noneventLabel}.`,
      sources: [SOURCE.header],
      toComplete: "the outcome's definition, how and when it was assessed, and why it was chosen",
    };
  const coding =
    s.outcome.coding === "miller-payne"
      ? `read as a Miller-Payne grade (${s.outcome.event} = ${f.eventLabel}; ${s.outcome.nonevent} = ${f.noneventLabel})`
      : `cell '${s.outcome.event}' = ${f.eventLabel}, '${s.outcome.nonevent}' = ${f.noneventLabel}`;
  return {
    answer: `Binary outcome ${f.eventLabel} (event) versus ${f.noneventLabel}, from the manifest column '${s.outcome.column}', ${coding}; the same definition in both cohorts.`,
    sources: [
      SOURCE.config("cohort.outcome"),
      SOURCE.cohortManifest(`column '${s.outcome.column}'`),
    ],
    toComplete:
      "how and when the outcome was assessed (e.g. pathology of the surgical specimen), the time horizon and why this outcome was chosen",
  };
}

/**
 * Events per variable in training: the smaller outcome class (Peduzzi et al., J Clin Epidemiol
 * 1996;49:1373-9) divided by each model's parameters (Rad-score features, clinical and nomogram
 * design terms) and by the candidate features entering LASSO.
 */
export function eventsPerVariable(f: RunFacts): Fill | null {
  const tr = cohortSize(f, "training");
  if (!tr || tr.n === 0) return null;
  const nonEvents = tr.n - tr.nEvent;
  const limiting = Math.min(tr.nEvent, nonEvents);
  const which = tr.nEvent <= nonEvents ? f.eventLabel : f.noneventLabel;
  const epv = (k: number, what: string) =>
    `${what} ${limiting} / ${k} = ${k > 0 ? (limiting / k).toFixed(limiting / k < 0.1 ? 2 : 1) : "NA"}`;
  const parts = [epv(f.result.selectedFeatures.length, "Rad-score (selected features):")];
  if (f.study) {
    parts.push(epv(f.study.clinicalModel.terms.length, "clinical model (terms):"));
    parts.push(epv(f.study.nomogramModel.terms.length, "nomogram (terms):"));
  }
  const lasso = funnelStep(f.result, "LASSO");
  if (lasso?.before) parts.push(epv(lasso.before, "candidate features entering LASSO:"));
  return {
    answer: `Events per variable in training, with the smaller outcome class (${which}, ${limiting} of ${tr.n}): ${parts.join("; ")}.`,
    sources: [
      SOURCE.header,
      SOURCE.result("cohortSizes, selectedFeatures, funnel"),
      SOURCE.model("clinicalModel.terms, nomogramModel.terms"),
    ],
  };
}

/** Sizes, events and events per variable; the rationale is the authors'. */
export function sampleSize(f: RunFacts): Fill {
  const epv = eventsPerVariable(f);
  return {
    answer: `Sizes: ${sizesText(f)}.${epv ? ` ${epv.answer}` : ""}`,
    sources: [SOURCE.header, ...(epv?.sources.slice(1) ?? [])],
    toComplete:
      "how the study size was arrived at and why it suffices (any sample size calculation)",
  };
}

/** The clinical (non-radiomic) predictors and their coding. */
export function clinicalPredictors(f: RunFacts): Fill | null {
  const s = f.study;
  if (!s) return null;
  const rows = s.clinical.map((v) => {
    if (v.type === "continuous") return `${v.label} (continuous, linear)`;
    if (v.type === "binary") return `${v.label} (binary 0/1)`;
    return `${v.label} (categorical: ${v.levels.join(" / ")}; reference ${v.reference ?? v.levels[0]})`;
  });
  return {
    answer: `${count(s.clinical.length, "clinical variable")} declared in study.yaml: ${rows.join("; ")}. No variable was transformed or categorised by the run.`,
    sources: [SOURCE.config("cohort.clinical"), SOURCE.table1, SOURCE.table2],
    toComplete: "how and when each variable was measured, and why these variables were chosen",
  };
}

/** Missing data: per variable and cohort, and how the run handles it. */
export function missingData(f: RunFacts): Fill {
  const undefinedFeatures = f.result.warnings.find((w) => /undefined values were dropped/.test(w));
  const featureText = undefinedFeatures
    ? `Radiomic features: ${undefinedFeatures} (a feature undefined for some patient is removed, not imputed).`
    : "Radiomic features: every feature was defined for every patient.";
  const outcomeText = "Outcome: every patient has one (a missing outcome stops the run).";
  const s = f.study;
  if (!s)
    return {
      answer: `${featureText} ${outcomeText}`,
      sources: [SOURCE.warnings, SOURCE.result("warnings")],
      toComplete: "missing values of the clinical variables and how they were handled",
    };
  const withMissing = s.clinical.filter((v) => v.missing.some((m) => m.n > 0));
  const clinicalText =
    withMissing.length === 0
      ? `Clinical variables: no missing value in the ${s.clinical.length} variables in either cohort (cells ${listText(s.missingTexts.map((t) => `'${t}'`))} count as missing).`
      : `Clinical variables with missing cells: ${withMissing
          .map((v) => `${v.label} (${v.missing.map((m) => `${m.cohort} ${m.n}`).join(", ")})`)
          .join(
            "; ",
          )}; each model was fitted on the patients complete for its variables (as R's na.omit), without imputation, and the frozen model scores complete patients only.`;
  return {
    answer: `${clinicalText} ${featureText} ${outcomeText}`,
    sources: [
      SOURCE.cohortManifest("clinical columns"),
      SOURCE.config("cohort.missing"),
      SOURCE.warnings,
    ],
    ...(withMissing.length > 0 ? { toComplete: "why the values are missing" } : {}),
  };
}

/** Outcome balance per cohort; no balancing method in the pipeline. */
export function classBalance(f: RunFacts): Fill {
  return {
    answer: `${capitalise(sizesText(f))}. No class-imbalance method was used (no resampling, weighting or synthetic patients); the models were fitted on the observed outcomes.`,
    sources: [SOURCE.header, SOURCE.result("cohortSizes")],
  };
}

/** Participants per cohort and outcome; the flow from eligibility is the authors'. */
export function participantFlow(f: RunFacts): Fill {
  return {
    answer: `Analysed: ${sizesText(f)}.`,
    sources: [SOURCE.header, SOURCE.table1],
    toComplete:
      "the flow from eligible to included patients (exclusions with reasons), as a diagram",
  };
}

/** Table 1 per cohort by outcome, with its tests. */
export function characteristics(f: RunFacts): Fill {
  const tests = [
    ...new Set(
      f.result.table1.flatMap((t) => t.rows.map((r) => r.test)).filter((t): t is string => !!t),
    ),
  ];
  const cohorts = f.result.table1.map((t) => t.cohort);
  return {
    answer: `Table 1 gives the clinical variables of the ${listText(cohorts)} cohort${cohorts.length === 1 ? "" : "s"} by outcome (${f.eventLabel} versus ${f.noneventLabel}) with the test per variable (${listText(tests)}). ${capitalise(sizesText(f))}.`,
    sources: [SOURCE.table1, SOURCE.result("table1")],
    toComplete:
      "key dates, treatments and demographics, and a direct comparison of the training and test cohorts (the run compares outcome groups within each cohort)",
  };
}

/** Outcome prevalence in each cohort, for comparisons. */
export function prevalenceText(f: RunFacts): string {
  return (["training", "test"] as const)
    .map((c) => {
      const s = cohortSize(f, c);
      return s ? `${c} ${percent(s.nEvent, s.n)} ${f.eventLabel}` : null;
    })
    .filter((t): t is string => t !== null)
    .join(" versus ");
}

/** Differences between development and evaluation data that the run knows. */
export function developmentVersusEvaluation(f: RunFacts): Fill | null {
  if (!cohortSize(f, "test")) return null;
  const tc = centresOf(f, "training");
  const ec = centresOf(f, "test");
  const centresText =
    tc && ec ? `Centres: ${listText(tc)} (training) versus ${listText(ec)} (test). ` : "";
  return {
    answer: `${centresText}Outcome prevalence: ${prevalenceText(f)}. The outcome definition and the predictors are the same by construction (one study.yaml, one frozen model); Table 1 describes each cohort.`,
    sources: [SOURCE.header, SOURCE.table1, ...(tc ? [SOURCE.cohortManifest("centre")] : [])],
    toComplete:
      "differences in care setting, eligibility, scanners and acquisition protocols between the cohorts",
  };
}

/**
 * External validation when the test centres contributed no training patient, internal when they
 * share a centre; null when the run does not know the centres.
 */
export function validationType(f: RunFacts): "external" | "internal" | null {
  const s = f.study;
  if (!s || !cohortSize(f, "test") || s.centres.some((c) => c.centre === null)) return null;
  const training = new Set(s.centres.filter((c) => c.cohort === "training").map((c) => c.centre));
  const test = s.centres.filter((c) => c.cohort === "test").map((c) => c.centre);
  if (test.length === 0) return null;
  return test.some((c) => training.has(c)) ? "internal" : "external";
}

/** Internal or external testing, and how often the test data were used. */
export function testing(f: RunFacts): Fill | null {
  const te = cohortSize(f, "test");
  if (!te) return null;
  const type = validationType(f);
  const ec = centresOf(f, "test") ?? [];
  const how =
    type === "external"
      ? `External testing: the test cohort (n = ${te.n}) comes from ${count(ec.length, "centre")} (${listText(ec)}) that contributed no training patient`
      : type === "internal"
        ? `Internal hold-out testing: the test cohort (n = ${te.n}) shares centres with training`
        : `Testing on the separate test cohort (n = ${te.n})`;
  return {
    answer: `${how}; one test set, scored once with the frozen training model. Outcome prevalence: ${prevalenceText(f)}.`,
    sources: [SOURCE.header, SOURCE.table3, ...(type ? [SOURCE.cohortManifest("centre")] : [])],
    toComplete:
      (type === null ? "whether the test cohort comes from another institution; " : "") +
      "differences between the cohorts (scanners, protocols, readers, population)",
  };
}

/** Systematic differences between the partitions that the run knows. */
export function systematicDifferences(f: RunFacts): Fill | null {
  if (!cohortSize(f, "test")) return null;
  return {
    answer: `Known differences between the partitions: outcome prevalence ${prevalenceText(f)}${validationType(f) === "external" ? "; different centres" : ""}.`,
    sources: [SOURCE.header],
    toComplete: "other systematic differences (scanners, protocols, readers, population)",
  };
}
