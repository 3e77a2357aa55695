/** radscore's models (browser-safe): logistic regression, LASSO, Rad-score, nomogram. */
export * from "./design.js";
export * from "./glmnet.js";
export * from "./lasso.js";
export * from "./logistic.js";
export * from "./nomogram.js";
export { fitLogisticRegression, predictLogisticProbability } from "./penalized-logistic.js";
export * from "./radscore.js";
