/** radscore library entry: the browser-safe core. File access lives in radscore/node helpers. */
export * from "./image/volume.js";
export * from "./image/mask.js";
export * from "./image/discretise.js";
export * from "./extract/params.js";
export * from "./extract/extractor.js";
export * from "./extract/voxel.js";
export * from "./features/registry.js";
export type * from "./features/types.js";
export { VERSION } from "./version.js";
