/** Small hand-checkable ROIs and a comparison helper shared by the texture-class unit tests. */
import assert from "node:assert/strict";
import type { DiscretisedRoi } from "../../src/features/types.js";

/** A true 2D ROI covering the whole image; rows are numpy axis 0 (y), columns axis 1 (x). */
export function image2D(rows: number[][]): DiscretisedRoi {
  const ny = rows.length;
  const nx = rows[0]!.length;
  return {
    levels: Int32Array.from(rows.flat()),
    mask: new Uint8Array(nx * ny).fill(1),
    size: [nx, ny, 1],
    spacing: [1, 1, 1],
    nLevels: Math.max(...rows.flat()),
    dimension: 2,
  };
}

/** Relative 1e-12 comparison (absolute 1e-15) that names the value. */
export function close(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined, `${what}: no value`);
  const tol = 1e-12 * Math.abs(expected) + 1e-15;
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, expected ${expected}`);
}
