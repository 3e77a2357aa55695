/** radscore's statistics and models (browser-safe), with R / scikit-learn parity. */
export * from "../model/design.js";
export * from "../model/glmnet.js";
export * from "../model/lasso.js";
export * from "../model/logistic.js";
export * from "../model/nomogram.js";
export {
  fitLogisticRegression,
  predictLogisticProbability,
} from "../model/penalized-logistic.js";
export * from "../model/radscore.js";
export * from "./calibration.js";
export * from "./dca.js";
export * from "./descriptive.js";
export * from "./f-classif.js";
export * from "./icc.js";
export * from "./lowess.js";
export * from "./random.js";
export * from "./roc.js";
export * from "./scaling.js";
export * from "./table1.js";
