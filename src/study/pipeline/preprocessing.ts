/**
 * Steps 1-2 of the study pipeline, the feature preprocessing (training patients only):
 *  1. `filterFeatures`: features undefined for some patient or constant in training are dropped,
 *     then the inter-observer ICC filter against the second reader;
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
import { pick, type StudyRun } from "./context.js";

export interface FilteredFeatures {
  /** Names of the kept features. */
  names: string[];
  /** Their columns in the feature matrix. */
  colIndex: number[];
  /** Features dropped by the ICC filter. */
  iccDropped: string[];
}

/** 1. Constant features and the ICC filter (training patients only). */
export function filterFeatures(
  run: StudyRun,
  reader2: FeatureMatrix | null | undefined,
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
  return { names, colIndex, iccDropped };
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
