/** Small hand-checkable ROIs and a comparison helper shared by the texture-class unit tests. */
import assert from "node:assert/strict";
import {
  DEFAULT_TEXTURE_SETTINGS,
  type DiscretisedRoi,
  type TextureSettings,
} from "../../src/features/types.js";
import type { Vec3 } from "../../src/image/volume.js";

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

/** A true 2D ROI (numpy axes (y, x)); every voxel with level > 0 is in the ROI. */
export function roi2D(rows: number[][], spacing: Vec3 = [1, 1, 1]): DiscretisedRoi {
  const ny = rows.length;
  const nx = rows[0]!.length;
  const levels = Int32Array.from(rows.flat());
  const mask = Uint8Array.from(levels, (v) => (v > 0 ? 1 : 0));
  return { levels, mask, size: [nx, ny, 1], spacing, nLevels: Math.max(...levels), dimension: 2 };
}

/** The default texture settings with some overridden. */
export const textureSettings = (over: Partial<TextureSettings> = {}): TextureSettings => ({
  ...DEFAULT_TEXTURE_SETTINGS,
  ...over,
});
