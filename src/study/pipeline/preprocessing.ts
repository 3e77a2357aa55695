/**
 * Steps 1-2 of the study pipeline, the feature preprocessing (training patients only):
 *  1. `filterFeatures`: features undefined for some patient or constant in training are dropped,
 *     then the inter-observer ICC filter against the second reader, then the robustness filter
 *     (ICC across image perturbations, preprocessing.robustness; src/study/robustness.ts);
 *  2. `fitScaler`: the min-max or z-score scaler fitted on training (the scaled training matrix
 *     and the frozen scaler of every kept feature); `subsetScaler` keeps the Rad-score's features.
 */
import { ICC_TYPES, icc } from "../../stats/icc.js";
import {
  applyMinMaxScaler,
  applyZScoreScaler,
  fitMinMaxScaler,
  fitZScoreScaler,
} from "../../stats/scaling.js";
import type { FeatureMatrix } from "../features-table.js";
import type { FrozenScaler } from "../frozen-model.js";
import type { RobustnessSummary } from "../result.js";
import { isRobust, type StudyRobustness } from "../robustness.js";
import { pick, type StudyRun } from "./context.js";

export interface FilteredFeatures {
  /** Names of the kept features. */
  names: string[];
  /** Their columns in the feature matrix. */
  colIndex: number[];
  /** Features dropped by the ICC filter. */
  iccDropped: string[];
  /** Features dropped by the robustness filter. */
  robustnessDropped: string[];
  /** The robustness step's summary, when the study ran it. */
  robustness: RobustnessSummary | null;
}

/** 1. Constant features, the ICC filter and the robustness filter (training patients only). */
export function filterFeatures(
  run: StudyRun,
  reader2: FeatureMatrix | null | undefined,
  robustness: StudyRobustness | null | undefined = null,
): FilteredFeatures {
  const { config, features, patients, train, warnings, funnel } = run;
  let names = [...features.names];
  let colIndex = names.map((_, j) => j);
  // Features undefined (NaN / infinite) for some patient cannot be modelled: dropped, with a warning.
  {
    const bad: string[] = [];
    colIndex = colIndex.filter((j) => {
      const c = features.columns[j]!;
      for (let i = 0; i < c.length; i++) {
        if (!Number.isFinite(c[i]!)) {
          bad.push(`${features.names[j]} (patient '${patients[i]!.id}')`);
          return false;
        }
      }
      return true;
    });
    if (bad.length > 0) {
      warnings.push(
        `${bad.length} feature(s) with undefined values were dropped, e.g. ${bad.slice(0, 3).join(", ")}`,
      );
      names = colIndex.map((j) => features.names[j]!);
      funnel.push({ step: "defined for every patient", count: names.length });
    }
  }
  if (config.preprocessing.dropConstant) {
    const keep = colIndex.filter((j) => {
      const c = features.columns[j]!;
      const first = c[train[0]!]!;
      return train.some((i) => c[i] !== first);
    });
    if (keep.length < colIndex.length)
      warnings.push(
        `${colIndex.length - keep.length} feature(s) constant in training were dropped`,
      );
    colIndex = keep;
    names = keep.map((j) => features.names[j]!);
    funnel.push({ step: "non-constant in training", count: names.length });
  }
  const iccDropped: string[] = [];
  const r2 = reader2;
  if (config.preprocessing.icc.enabled && r2 && r2.ids.length > 0) {
    const r2Row = new Map(r2.ids.map((id, i) => [id, i]));
    const r2Col = new Map(r2.names.map((n, j) => [n, j]));
    const subjects = train.filter((i) => r2Row.has(patients[i]!.id));
    if (subjects.length < 3) {
      warnings.push(
        `ICC filter skipped: only ${subjects.length} training patient(s) have a second reader`,
      );
    } else {
      const typeIdx = ICC_TYPES.indexOf(config.preprocessing.icc.type);
      const keep: number[] = [];
      for (const j of colIndex) {
        const name = features.names[j]!;
        const k = r2Col.get(name);
        if (k === undefined) throw new Error(`ICC: the second-reader features lack '${name}'`);
        const ratings = subjects.map((i) =>
          Float64Array.of(features.columns[j]![i]!, r2.columns[k]![r2Row.get(patients[i]!.id)!]!),
        );
        let value = Number.NaN;
        try {
          const r = icc(ratings);
          const row = r.rows[typeIdx]!;
          value = config.preprocessing.icc.use === "lower" ? row.lower : row.icc;
        } catch {
          value = Number.NaN;
        }
        if (value >= config.preprocessing.icc.threshold) keep.push(j);
        else iccDropped.push(name);
      }
      colIndex = keep;
      names = keep.map((j) => features.names[j]!);
      funnel.push({
        step: `ICC (${config.preprocessing.icc.type} >= ${config.preprocessing.icc.threshold})`,
        count: names.length,
      });
      if (names.length === 0)
        throw new Error(
          `study: no feature reached ${config.preprocessing.icc.type} >= ${config.preprocessing.icc.threshold}; lower preprocessing.icc.threshold`,
        );
    }
  } else if (config.preprocessing.icc.enabled) {
    warnings.push("ICC filter skipped: no second-reader data");
  }
  const robust = robustnessFilter(run, names, colIndex, robustness);
  return { ...robust, iccDropped };
}

/** The median of a non-empty list. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/**
 * 1c. Robustness to image perturbations (preprocessing.robustness; Zwanenburg et al. 2019): a
 * feature is kept when its ICC across the training patients' perturbations reaches the threshold,
 * as the inter-reader ICC filter does with a second reader.
 */
function robustnessFilter(
  run: StudyRun,
  names: string[],
  colIndex: number[],
  robustness: StudyRobustness | null | undefined,
): Pick<FilteredFeatures, "names" | "colIndex" | "robustnessDropped" | "robustness"> {
  const settings = run.config.preprocessing.robustness;
  if (!settings.enabled) return { names, colIndex, robustnessDropped: [], robustness: null };
  if (!robustness)
    throw new Error(
      "preprocessing.robustness is enabled but the run has no perturbed features: `radscore study` and the web app compute them from the images (StudyInput.robustness: src/study/robustness.ts assessRobustness)",
    );
  // The perturbations and the ICC form are the input's (how the ICCs were computed); the
  // threshold and the comparison are the configuration's.
  if (robustness.settings.type !== settings.type)
    throw new Error(
      `preprocessing.robustness.type is ${settings.type} but the ICCs across perturbations were computed as ${robustness.settings.type}`,
    );
  const used = { ...robustness.settings, threshold: settings.threshold, use: settings.use };
  const byName = new Map(robustness.results.map((r) => [r.feature, r]));
  const keepNames: string[] = [];
  const keepCols: number[] = [];
  const dropped: string[] = [];
  const iccs: number[] = [];
  let undefinedIcc = 0;
  names.forEach((name, k) => {
    const r = byName.get(name);
    if (!r)
      throw new Error(
        `preprocessing.robustness: no ICC across perturbations for feature '${name}' (the perturbed images gave other features)`,
      );
    if (r.icc === null) undefinedIcc++;
    else iccs.push(r.icc.icc);
    if (isRobust(r, used)) {
      keepNames.push(name);
      keepCols.push(colIndex[k]!);
    } else dropped.push(name);
  });
  run.funnel.push({
    step: `robust to perturbations (${used.type} >= ${used.threshold})`,
    count: keepNames.length,
  });
  if (undefinedIcc > 0) {
    const assessed = new Set(names);
    run.warnings.push(
      `robustness: ${undefinedIcc} feature(s) with an undefined ICC across perturbations were dropped, e.g. ${robustness.results
        .filter((r) => r.icc === null && assessed.has(r.feature))
        .slice(0, 3)
        .map((r) => `${r.feature} (${r.reason})`)
        .join(", ")}`,
    );
  }
  if (robustness.notes.length > 0)
    run.warnings.push(
      `robustness: ${robustness.notes.length} perturbation(s) not as planned, e.g. ${robustness.notes[0]}`,
    );
  if (keepNames.length === 0)
    throw new Error(
      `study: no feature reached ${used.type} >= ${used.threshold} across image perturbations; lower preprocessing.robustness.threshold`,
    );
  return {
    names: keepNames,
    colIndex: keepCols,
    robustnessDropped: dropped,
    robustness: {
      chain: used.chain,
      perturbations: used.perturbations,
      seed: used.seed,
      type: used.type,
      threshold: used.threshold,
      use: used.use,
      patients: robustness.patients,
      sequences: [...robustness.sequences],
      assessed: names.length,
      kept: keepNames.length,
      dropped: dropped.length,
      undefinedIcc,
      medianIcc: iccs.length > 0 ? median(iccs) : null,
    },
  };
}

export interface FittedScaler {
  /** Scaled training columns, one per kept feature. */
  Xtrain: Float64Array[];
  /** The scaler of every kept feature, frozen. */
  frozenScalerAll: FrozenScaler;
}

/** 2. Scaler fitted on training. */
export function fitScaler(run: StudyRun, filtered: FilteredFeatures): FittedScaler {
  const { config, features, train } = run;
  const { names, colIndex } = filtered;
  const trainRaw = colIndex.map((j) => pick(features.columns[j]!, train));
  let frozenScalerAll: FrozenScaler;
  let Xtrain: Float64Array[];
  if (config.preprocessing.scaler === "minmax") {
    const s = fitMinMaxScaler(trainRaw, { formula: config.preprocessing.minmaxFormula, names });
    Xtrain = applyMinMaxScaler(s, trainRaw);
    frozenScalerAll = {
      kind: "minmax",
      formula: s.formula,
      featureRange: s.featureRange,
      dataMin: Array.from(s.dataMin),
      dataMax: Array.from(s.dataMax),
      scale: Array.from(s.scale),
      min: Array.from(s.min),
    };
  } else {
    const s = fitZScoreScaler(trainRaw, { ddof: config.preprocessing.zscoreDdof, names });
    Xtrain = applyZScoreScaler(s, trainRaw);
    frozenScalerAll = { kind: "zscore", mean: Array.from(s.mean), scale: Array.from(s.scale) };
  }
  return { Xtrain, frozenScalerAll };
}

/** The frozen scaler restricted to the features `finalIdx` (indices into the kept features). */
export function subsetScaler(frozenScalerAll: FrozenScaler, finalIdx: number[]): FrozenScaler {
  const s = frozenScalerAll;
  if (s.kind === "zscore")
    return {
      kind: "zscore",
      mean: finalIdx.map((k) => s.mean[k]!),
      scale: finalIdx.map((k) => s.scale[k]!),
    };
  return {
    kind: "minmax",
    formula: s.formula,
    featureRange: s.featureRange,
    dataMin: finalIdx.map((k) => s.dataMin[k]!),
    dataMax: finalIdx.map((k) => s.dataMax[k]!),
    scale: finalIdx.map((k) => s.scale[k]!),
    min: finalIdx.map((k) => s.min[k]!),
  };
}
