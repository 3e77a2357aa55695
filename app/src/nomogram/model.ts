/**
 * The nomogram calculator's pure logic (no DOM), re-exported from the files that hold each part;
 * the panel (index.ts) only wires these to the page:
 *
 * - generic-model.ts: the generic logistic nomogram (`logistic-nomogram/1`): format, help and
 *   example, parser, conversion to the core's rms nomogram, its calculator;
 * - radscore-model.ts: the calculator of radscore's model.json (`radscore-model/1`) and the
 *   study's nomogram figure (result.json) attached to it;
 * - calculator.ts: the calculator types (input fields, rms constants) and loading a model file;
 * - values.ts: reading and checking one patient's entered values;
 * - score.ts: scoring the patient (our format by the CLI's `scorePatients`, bit for bit);
 * - drawing-data.ts: the data of the drawn nomogram (draw.ts makes the SVG);
 * - patient-csv.ts: the CSV of the patient and its scores.
 */
export {
  type Calculator,
  type GenericCalculator,
  type InputField,
  loadModelText,
  type NomogramConstants,
  type RadscoreCalculator,
} from "./calculator.js";
export { type DrawingAxis, type NomogramDrawing, nomogramDrawing } from "./drawing-data.js";
export {
  GENERIC_EXAMPLE,
  GENERIC_FORMAT_HELP,
  GENERIC_NOMOGRAM_FORMAT,
  type GenericContinuousPredictor,
  type GenericFactorPredictor,
  type GenericNomogramModel,
  type GenericPredictor,
  genericCalculator,
  genericNomogram,
  parseGenericModel,
} from "./generic-model.js";
export { patientCsv } from "./patient-csv.js";
export { radscoreCalculator, resultFigureOf, withStudyFigure } from "./radscore-model.js";
export {
  type CalcResult,
  type ModelScore,
  type PredictorPoints,
  radScoreOfFeatures,
  scorePatient,
  withFixedRadScore,
} from "./score.js";
export {
  type FieldIssue,
  fmt,
  parseNumber,
  type ReadValues,
  rangeWarning,
  readValues,
} from "./values.js";
