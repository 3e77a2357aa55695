/**
 * The study settings form: every section of study.yaml other than the cohort mapping (title,
 * extraction, preprocessing, selection, Rad-score, clinical model, nomogram, evaluation, outputs),
 * with study.yaml import (file picker) and export (download).
 */
import { download, h, replace } from "../ui/dom.js";
import {
  checkField,
  enumField,
  group,
  listField,
  more,
  numberField,
  selectField,
  subsetField,
  textField,
} from "./fields.js";
import { paramFiles } from "./mapping.js";
import { createPanel, type FormContext } from "./panel.js";
import { getIn, isMapping } from "./raw.js";
import type { StudyFormHost } from "./types.js";
import { exportStudyYaml, importStudyYaml } from "./yaml.js";

function body(ctx: FormContext, status: HTMLElement, reload: () => void): Node[] {
  const raw = ctx.get();
  const clinical = getIn(raw, ["cohort", "clinical"]);
  const variables = isMapping(clinical) ? Object.keys(clinical) : [];
  const params = paramFiles(ctx.host.files()).map((f) => ({ value: f, label: f }));

  const input = h("input", {
    type: "file",
    accept: ".yaml,.yml,application/yaml,text/yaml",
    "data-action": "import-yaml",
    class: "sf-file",
    onchange: async () => {
      const file = input.files?.[0];
      input.value = "";
      if (!file) return;
      try {
        const imported = importStudyYaml(await file.text(), file.name);
        ctx.set(imported);
        reload();
        replace(status, h("span", { class: "sf-ok" }, `Imported ${file.name}.`));
      } catch (err) {
        replace(status, h("span", { class: "sf-error" }, (err as Error).message));
      }
    },
  });
  const toolbar = h(
    "div",
    { class: "sf-toolbar" },
    h("label", { class: "button sf-import" }, "Import study.yaml…", input),
    h(
      "button",
      {
        type: "button",
        "data-action": "export-yaml",
        onclick: () => download("study.yaml", exportStudyYaml(ctx.get()), "application/yaml"),
      },
      "Export study.yaml",
    ),
    status,
  );

  return [
    toolbar,
    group("Study", textField(ctx, ["title"], "Title")),
    group(
      "Feature extraction",
      selectField(ctx, ["extraction", "params"], "PyRadiomics parameter file", params, {
        unset: "app default (the demo's parameters)",
        unknown: "not opened",
        fallback: undefined,
        help: "the opened .yaml / .yml files; a sequence's own file (mapping step) takes precedence",
      }),
      checkField(ctx, ["extraction", "cache"], "Cache extracted features", {
        help: "each image / mask pair is extracted once",
      }),
      more(
        "extraction",
        numberField(ctx, ["extraction", "jobs"], "Workers", {
          fallback: "number of CPUs, at most 8",
        }),
      ),
    ),
    group(
      "Preprocessing",
      enumField(ctx, ["preprocessing", "scaler"], "Feature scaling", {
        help: "fitted on training only",
      }),
      checkField(ctx, ["preprocessing", "icc", "enabled"], "Inter-observer ICC filter", {
        help: "needs second-reader masks (or a second-reader table)",
      }),
      numberField(ctx, ["preprocessing", "icc", "threshold"], "ICC threshold", {
        help: "keep features with ICC >= threshold",
      }),
      enumField(ctx, ["preprocessing", "icc", "type"], "ICC type"),
      checkField(ctx, ["preprocessing", "combat", "enabled"], "ComBat across centres", {
        help: "harmonise the features of the centres (needs the centre column)",
      }),
      checkField(
        ctx,
        ["preprocessing", "robustness", "enabled"],
        "Robustness to image perturbations",
        {
          help: "without a second reader: keep features whose ICC across perturbed images of the training patients is high (each training image extracted once per perturbation)",
        },
      ),
      textField(ctx, ["preprocessing", "robustness", "chain"], "Perturbation chain", {
        help: "letters R rotation, T translation, N noise, V volume, C contour",
      }),
      numberField(
        ctx,
        ["preprocessing", "robustness", "perturbations"],
        "Perturbations per image",
        {
          help: "at least 2",
        },
      ),
      numberField(ctx, ["preprocessing", "robustness", "threshold"], "Robustness ICC threshold", {
        help: "keep features with ICC >= threshold",
      }),
      more(
        "preprocessing",
        textField(ctx, ["preprocessing", "combat", "reference"], "ComBat reference centre", {
          help: "training (the training centre), a centre's name, or none",
        }),
        checkField(ctx, ["preprocessing", "combat", "parametric"], "ComBat parametric priors"),
        checkField(ctx, ["preprocessing", "combat", "meanOnly"], "ComBat: adjust means only"),
        numberField(ctx, ["preprocessing", "robustness", "seed"], "Perturbation seed", {
          help: "patient i of the manifest uses seed + i",
        }),
        enumField(ctx, ["preprocessing", "robustness", "type"], "Robustness ICC type"),
        enumField(ctx, ["preprocessing", "icc", "use"], "ICC compared", {
          help: "the estimate or the lower 95% limit",
        }),
        enumField(ctx, ["preprocessing", "minmaxFormula"], "Min-max formula", {
          help: "r: (x - min)/(max - min); sklearn: MinMaxScaler",
        }),
        numberField(ctx, ["preprocessing", "zscoreDdof"], "z-score SD degrees of freedom", {
          help: "0 or 1",
        }),
        checkField(ctx, ["preprocessing", "dropConstant"], "Drop features constant in training"),
      ),
    ),
    group(
      "Feature selection",
      checkField(ctx, ["selection", "fClassif", "enabled"], "ANOVA F-test (f_classif)"),
      numberField(ctx, ["selection", "fClassif", "p"], "F-test P threshold", {
        help: "keep features with P < this",
      }),
      numberField(ctx, ["selection", "fClassif", "k"], "…or keep the k best features", {
        fallback: "not set (use the P threshold)",
      }),
      enumField(ctx, ["selection", "lasso", "flavor"], "LASSO"),
      numberField(ctx, ["selection", "lasso", "folds"], "Cross-validation folds", {
        help: "at least 3",
      }),
      enumField(ctx, ["selection", "lasso", "foldAssignment"], "Fold assignment", {
        help: "random: R cv.glmnet after set.seed; contiguous: scikit-learn KFold",
      }),
      numberField(ctx, ["selection", "lasso", "seed"], "Fold seed"),
      enumField(ctx, ["selection", "lasso", "lambda"], "Lambda"),
      checkField(ctx, ["selection", "keepOnePerSequence"], "Keep one feature per sequence", {
        help: "if LASSO drops every feature of a sequence, its best univariate feature comes back",
      }),
      more(
        "selection",
        numberField(ctx, ["selection", "lasso", "thresh"], "glmnet convergence threshold"),
        enumField(ctx, ["selection", "lasso", "measure"], "glmnet type.measure"),
      ),
    ),
    group(
      "Rad-score",
      enumField(ctx, ["radscore", "model"], "Rad-score model", {
        help: "lasso: the LASSO linear predictor; logistic: refitted on the selected features",
      }),
      enumField(ctx, ["radscore", "firth"], "Refit by Firth's penalised likelihood", {
        help: "auto: when maximum likelihood separates (estimates diverge); applies to a refitted Rad-score",
      }),
    ),
    group(
      "Clinical model",
      numberField(ctx, ["clinical", "univariableP"], "Univariable P threshold", {
        help: "variables with P < this enter the multivariable model",
      }),
      numberField(ctx, ["clinical", "multivariableP"], "Multivariable P threshold", {
        help: "predictors with P < this form the clinical model",
      }),
      enumField(ctx, ["clinical", "firth"], "Firth's penalised likelihood", {
        help: "auto: for a model whose maximum-likelihood fit separates (estimates diverge)",
      }),
      more(
        "clinical",
        subsetField(ctx, ["clinical", "multivariable"], "Multivariable predictors", variables, {
          fallback: "the univariable screen",
        }),
        subsetField(ctx, ["clinical", "model"], "Clinical-model predictors", variables, {
          fallback: "the multivariable P rule",
        }),
        numberField(ctx, ["clinical", "epsilon"], "glm convergence epsilon"),
        numberField(ctx, ["clinical", "maxIterations"], "glm iterations"),
      ),
    ),
    group(
      "Nomogram",
      textField(ctx, ["nomogram", "radscoreName"], "Rad-score axis name"),
      more(
        "nomogram",
        numberField(ctx, ["nomogram", "maxscale"], "Points scale maximum"),
        numberField(ctx, ["nomogram", "nint"], "Points axis intervals"),
        listField(ctx, ["nomogram", "probabilityTicks"], "Probability ticks", { numbers: true }),
        numberField(ctx, ["nomogram", "totalPointsStep"], "Total points step"),
      ),
    ),
    group(
      "Evaluation",
      numberField(ctx, ["evaluation", "bootstrap"], "Calibration bootstrap repetitions (B)"),
      numberField(ctx, ["evaluation", "seed"], "Bootstrap seed"),
      numberField(
        ctx,
        ["evaluation", "rocBootstrap", "replicates"],
        "Table 3 bootstrap CIs: resamples",
        { help: "pROC's stratified bootstrap of the AUC and the metrics at the cut-off; 0: off" },
      ),
      numberField(ctx, ["evaluation", "rocBootstrap", "seed"], "Table 3 bootstrap seed"),
      more(
        "evaluation",
        enumField(ctx, ["evaluation", "threshold"], "Cut-off", {
          help: "Youden's J on training, applied unchanged to test",
        }),
        numberField(ctx, ["evaluation", "ciLevel"], "Confidence level"),
        numberField(ctx, ["evaluation", "dca", "from"], "Decision curve: from"),
        numberField(ctx, ["evaluation", "dca", "to"], "Decision curve: to"),
        numberField(ctx, ["evaluation", "dca", "denominator"], "Decision curve: denominator", {
          help: "thresholds from/denominator … to/denominator",
        }),
        numberField(ctx, ["evaluation", "normalityAlpha"], "Table 1 normality alpha"),
        enumField(ctx, ["evaluation", "tTest"], "Table 1 t test"),
        numberField(
          ctx,
          ["evaluation", "fisherIfExpectedBelow"],
          "Fisher's test if an expected count is below",
        ),
        numberField(ctx, ["evaluation", "hosmerLemeshowGroups"], "Hosmer-Lemeshow groups"),
      ),
    ),
    group("Outputs", checkField(ctx, ["outputs", "report"], "Write the report")),
  ];
}

/** Mounts the study settings form in `root` (data-role="study-form"). */
export function mountStudyForm(root: HTMLElement, host: StudyFormHost): { refresh(): void } {
  // The import status survives re-renders (it is moved into each new toolbar).
  const status = h("span", { class: "sf-status", role: "status" });
  const panel = createPanel(root, host, {
    role: "study-form",
    prefix: "sf-set",
    title: "Study settings",
    body: (ctx) => body(ctx, status, () => panel.render()),
  });
  panel.render();
  return { refresh: panel.refresh };
}
