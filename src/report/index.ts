/** The study report: tables (Markdown / CSV / HTML), SVG figures and the self-contained HTML page. */
export * from "./figures/calibration.js";
export * from "./figures/decision.js";
export * from "./figures/index.js";
export * from "./figures/lasso.js";
export * from "./figures/nomogram.js";
export * from "./figures/roc.js";
export * from "./figures/weights.js";
export * from "./format.js";
export * from "./html.js";
export * from "./options.js";
export * from "./svg.js";
export * from "./tables.js";
