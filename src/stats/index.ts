/** radscore's statistics (browser-safe), with R / scikit-learn parity; models are in src/model. */
export * from "./calibration.js";
export * from "./combat/index.js";
export * from "./dca.js";
export * from "./descriptive.js";
export * from "./f-classif.js";
export * from "./icc.js";
export * from "./lowess.js";
export * from "./random.js";
export * from "./roc.js";
export * from "./roc-bootstrap.js";
export * from "./roc-coords.js";
export * from "./scaling.js";
export * from "./table1.js";
