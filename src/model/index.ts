/**
 * radscore's models (browser-safe): logistic regression, Firth's penalised likelihood (as R
 * logistf), LASSO, Rad-score, nomogram.
 */
export * from "./design.js";
export * from "./firth.js";
export * from "./firth-newton.js";
export * from "./firth-profile.js";
export * from "./glmnet.js";
export * from "./lasso.js";
export * from "./logistic.js";
export * from "./nomogram.js";
export { fitLogisticRegression, predictLogisticProbability } from "./penalized-logistic.js";
export * from "./radscore.js";
