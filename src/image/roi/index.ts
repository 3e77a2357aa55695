/**
 * ROI (label mask) editing for a slice viewer: slice access, polygon and brush painting, hole
 * filling, slice copy, shape-based interpolation, label statistics and undo/redo. Browser-safe.
 */
export * from "./brush.js";
export * from "./copy.js";
export * from "./distance.js";
export * from "./fill-holes.js";
export * from "./history.js";
export * from "./interpolate.js";
export * from "./polygon.js";
export * from "./slice.js";
export * from "./stats.js";
