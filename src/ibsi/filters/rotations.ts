/**
 * Rotation invariance of IBSI-2 filters (reference manual, "Rotation invariance"; arXiv:2006.05470):
 * a directional filter is applied in every right-angle orientation of the grid — the 4 in-plane
 * rotations in 2D, the 24 rotations of the cube in 3D — and the response maps are pooled voxel by
 * voxel (max, or average). For a separable kernel k_x(x) k_y(y) k_z(z), a right-angle rotation
 * only moves each 1D kernel to another axis and possibly reverses it, so every orientation is again
 * separable.
 */
import { IbsiSettingError } from "../types.js";

/** How rotated (or otherwise repeated) response maps are combined voxel by voxel. */
export type PoolingMethod = "max" | "mean";

export const POOLING_METHODS: readonly PoolingMethod[] = ["max", "mean"];

/** Checks a pooling-method setting. */
export function parsePoolingMethod(value: unknown, setting: string): PoolingMethod {
  if (value === "max" || value === "mean") return value;
  throw new IbsiSettingError(
    `${setting}: pooling must be one of ${POOLING_METHODS.join(", ")}, got ${String(value)}`,
  );
}

/**
 * A right-angle rotation as its action on a separable kernel: output axis a carries the 1D kernel
 * of input axis `source[a]`, reversed where `reverse[a]`.
 */
export interface RightAngleRotation {
  readonly source: readonly number[];
  readonly reverse: readonly boolean[];
}

/** Sign of a permutation (+1 even, -1 odd). */
function permutationSign(p: readonly number[]): number {
  let sign = 1;
  for (let i = 0; i < p.length; i++)
    for (let j = i + 1; j < p.length; j++) if (p[i]! > p[j]!) sign = -sign;
  return sign;
}

function permutations(n: number): number[][] {
  if (n === 1) return [[0]];
  const out: number[][] = [];
  for (const rest of permutations(n - 1))
    for (let at = 0; at <= rest.length; at++)
      out.push([...rest.slice(0, at), n - 1, ...rest.slice(at)]);
  return out;
}

/**
 * The proper right-angle rotations of a 2D (4) or 3D (24) grid: signed permutation matrices of
 * determinant +1 (sign of the permutation x product of the axis reversals = +1). The identity
 * comes first.
 */
export function rightAngleRotations(dimensions: 2 | 3): RightAngleRotation[] {
  const out: RightAngleRotation[] = [];
  for (const source of permutations(dimensions).sort((a, b) => a.join().localeCompare(b.join()))) {
    const sign = permutationSign(source);
    for (let flips = 0; flips < 1 << dimensions; flips++) {
      const reverse = Array.from({ length: dimensions }, (_, a) => ((flips >> a) & 1) === 1);
      const reversals = reverse.filter((r) => r).length;
      if (sign * (reversals % 2 === 0 ? 1 : -1) === 1) out.push({ source, reverse });
    }
  }
  return out;
}

/** The 1D kernels of a separable kernel after a right-angle rotation. */
export function rotateSeparable(
  kernels: readonly Float64Array[],
  rotation: RightAngleRotation,
): Float64Array[] {
  return rotation.source.map((from, a) => {
    const k = kernels[from]!;
    return rotation.reverse[a] ? k.slice().reverse() : k.slice();
  });
}

function sameKernels(a: readonly Float64Array[], b: readonly Float64Array[]): boolean {
  return a.every((k, axis) => {
    const other = b[axis]!;
    return k.length === other.length && k.every((v, i) => v === other[i]);
  });
}

/**
 * The distinct separable kernels among all right-angle rotations of `kernels` (2 or 3 of them).
 * Each distinct kernel arises from the same number of rotations (orbit-stabiliser theorem), so
 * the mean over the distinct ones equals the mean over all 4 or 24, and so does the max.
 */
export function distinctRotations(kernels: readonly Float64Array[]): Float64Array[][] {
  const dims = kernels.length;
  if (dims !== 2 && dims !== 3) throw new Error(`distinctRotations: ${dims} kernels`);
  const out: Float64Array[][] = [];
  for (const rotation of rightAngleRotations(dims)) {
    const rotated = rotateSeparable(kernels, rotation);
    if (!out.some((k) => sameKernels(k, rotated))) out.push(rotated);
  }
  return out;
}

/** Voxel-by-voxel pooling of response maps: `add` each map (with a weight for mean pooling). */
export class ResponsePool {
  private pooled: Float64Array | null = null;
  private weight = 0;

  constructor(readonly method: PoolingMethod) {}

  /** Adds one map; for mean pooling it counts `weight` times (max pooling ignores weights). */
  add(map: Float64Array, weight = 1): void {
    const pooled = this.pooled;
    this.weight += weight;
    if (pooled === null) {
      this.pooled =
        this.method === "mean" && weight !== 1 ? map.map((v) => v * weight) : map.slice();
      return;
    }
    if (pooled.length !== map.length) throw new Error("ResponsePool: maps differ in size");
    if (this.method === "max") {
      for (let i = 0; i < map.length; i++) if (map[i]! > pooled[i]!) pooled[i] = map[i]!;
    } else {
      for (let i = 0; i < map.length; i++) pooled[i] = pooled[i]! + weight * map[i]!;
    }
  }

  /** The pooled map (the weighted mean for mean pooling). */
  result(): Float64Array {
    const pooled = this.pooled;
    if (pooled === null) throw new Error("ResponsePool: no maps");
    if (this.method === "mean")
      for (let i = 0; i < pooled.length; i++) pooled[i] = pooled[i]! / this.weight;
    this.pooled = null;
    return pooled;
  }
}
