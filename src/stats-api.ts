/**
 * The `radscore/stats` entry: statistics (src/stats) and models (src/model), both browser-safe, with
 * R / scikit-learn parity. The two folders import one way only (models use statistics' utilities);
 * this file is where they meet.
 */
export * from "./model/index.js";
export * from "./stats/index.js";
