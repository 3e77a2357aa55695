/**
 * radscore's WebAssembly kernels: the entry compiled by scripts/build-kernels.mjs (AssemblyScript,
 * SIMD enabled, no garbage-collected runtime). Kernels take raw pointers into this module's memory,
 * laid out by the typed bindings in src/kernels/*.ts from heapStart() on. One file per kernel.
 */

export * from "./bspline-coefficients";
export * from "./bspline-interpolation";
export * from "./firstorder";
export * from "./gaussian";
export * from "./glcm-features";
export * from "./mask-nearest";
export * from "./masks";
export * from "./mcc";
export * from "./mesh";
export * from "./neighbour-tallies";
export * from "./runs";
export * from "./texture-features";
export * from "./texture-roi";
export * from "./voxel-firstorder";
export * from "./voxel-glcm";
export * from "./voxel-neighbourhood";
export * from "./voxel-runs-zones";
export * from "./wavelet";
export * from "./zones";

/** First free byte of linear memory after the module's static data. */
export function heapStart(): usize {
  return __heap_base;
}
export * from "./fft";
export * from "./glcm-matrices";
export * from "./ibsi-code-counts";
export * from "./ibsi-resample";
export * from "./oriented-box";
export * from "./pair-sums";
