/**
 * The calculator a loaded model gives: its input fields and rms points-scale constants, one type
 * per model format (radscore's `radscore-model/1`, radscore-model.ts; a generic
 * `logistic-nomogram/1`, generic-model.ts), and the reading of a model file's text into one.
 */

import type { Nomogram, NomogramSpec } from "../../../src/model/nomogram.js";
import {
  FROZEN_MODEL_FORMAT,
  type FrozenModel,
  parseFrozenModel,
} from "../../../src/study/frozen-model.js";
import type { NomogramFigure } from "../../../src/study/result.js";
import {
  GENERIC_NOMOGRAM_FORMAT,
  type GenericNomogramModel,
  genericCalculator,
  parseGenericModel,
} from "./generic-model.js";
import { isObject } from "./guards.js";
import { radscoreCalculator } from "./radscore-model.js";

/** One input field of the form. */
export interface InputField {
  /** Key of the value (variable / predictor name). */
  name: string;
  label: string;
  kind: "number" | "choice";
  /** choice: the values (our: manifest cell text; generic: level names) and display labels. */
  levels: string[];
  labels: string[];
  /** Training range, when the model gives it (generic min / max). */
  range: [number, number] | null;
  /**
   * Our format: the value at the start (0 points) of the predictor's nomogram axis (rms: the
   * first pretty() value below the training minimum); model.json stores no training range.
   */
  axisStart: number | null;
  /**
   * Our format with the study's nomogram figure: the axis extent (rms pretty(training range),
   * which covers the training range).
   */
  axisRange: [number, number] | null;
  /** "predictor": on the nomogram; "radscore": our Rad-score; "clinical": clinical model only. */
  role: "predictor" | "radscore" | "clinical";
}

/** The rms constants: R[1, j] per nomogram predictor, points per unit of lp, Intercept_info. */
export interface NomogramConstants {
  names: string[];
  minXbeta: number[];
  sc: number;
  interceptInfo: number;
}

interface CalculatorBase {
  title: string;
  outcome: { eventLabel: string; noneventLabel: string };
  fields: InputField[];
  /** Where it came from (file name or "this study"). */
  source: string;
}

export interface RadscoreCalculator extends CalculatorBase {
  kind: "radscore";
  model: FrozenModel;
  nomogram: NomogramConstants;
  /** Sequences whose image + mask give the Rad-score's features (empty without `extraction`). */
  sequences: string[];
  /** The study's nomogram figure (result.json `nomogram`), when attached: its axes are drawn. */
  figure: NomogramFigure | null;
}

export interface GenericCalculator extends CalculatorBase {
  kind: "generic";
  model: GenericNomogramModel;
  nomogram: NomogramConstants | null;
  rms: { spec: NomogramSpec; nomogram: Nomogram } | null;
}

export type Calculator = RadscoreCalculator | GenericCalculator;

/**
 * Reads a model file's text: radscore's model.json (`radscore-model/1`, checked by
 * parseFrozenModel) or a generic logistic nomogram (`logistic-nomogram/1`). Errors name the file
 * and what is wrong (not JSON, unknown format, a missing field).
 */
export function loadModelText(text: string, source = "model.json"): Calculator {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${source}: not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(raw)) throw new Error(`${source}: not a model (a JSON object was expected)`);
  if (raw.format === FROZEN_MODEL_FORMAT) {
    let model: FrozenModel;
    try {
      model = parseFrozenModel(text, source);
    } catch (err) {
      // parseFrozenModel reads fields of parts it does not check (a TypeError): say what is wrong.
      const msg = (err as Error).message;
      throw new Error(msg.startsWith(source) ? msg : `${source}: malformed model (${msg})`);
    }
    return radscoreCalculator(model, source);
  }
  if (raw.format === GENERIC_NOMOGRAM_FORMAT)
    return genericCalculator(parseGenericModel(raw, source), source);
  const found =
    raw.format === undefined ? "no 'format' field" : `unknown format ${JSON.stringify(raw.format)}`;
  throw new Error(
    `${source}: ${found}; expected '${FROZEN_MODEL_FORMAT}' (radscore's model.json) or '${GENERIC_NOMOGRAM_FORMAT}' (a logistic nomogram, see the format help)`,
  );
}
