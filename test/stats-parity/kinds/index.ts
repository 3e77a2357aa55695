import type { KindHandler } from "../types.js";
import groupComparison from "./group_comparison.js";
import wilcoxExact from "./wilcox_exact.js";
import logistic from "./logistic.js";
import statsmodelsLogit from "./statsmodels_logit.js";
import roc from "./roc.js";
import rocCurves from "./roc_curves.js";
import calibration from "./calibration.js";
import calibrateBoot from "./calibrate_boot.js";
import dca from "./dca.js";
import nomogram from "./nomogram.js";
import lassoGlmnet from "./lasso_glmnet.js";
import sklearnSelection from "./sklearn_selection.js";
import sklearnLogreg from "./sklearn_logreg.js";
import combat from "./combat.js";
import icc from "./icc.js";
import rocCiCoords from "./roc_ci_coords.js";

/** One parity handler per golden `kind`; a kind missing here fails its files. */
export const handlers: Record<string, KindHandler> = {
  group_comparison: groupComparison,
  wilcox_exact: wilcoxExact,
  logistic: logistic,
  statsmodels_logit: statsmodelsLogit,
  roc: roc,
  roc_curves: rocCurves,
  calibration: calibration,
  calibrate_boot: calibrateBoot,
  dca: dca,
  nomogram: nomogram,
  lasso_glmnet: lassoGlmnet,
  sklearn_selection: sklearnSelection,
  sklearn_logreg: sklearnLogreg,
  icc: icc,
  roc_ci_coords: rocCiCoords,
  combat: combat,
};
