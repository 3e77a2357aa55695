/**
 * Pipeline settings on synthetic volumes, with expectations derived by hand from PyRadiomics'
 * documented behaviour (imageoperations.py): preCrop and padDistance do not change original-image
 * features; correctMask resamples a shifted mask onto the image grid (nearest neighbour) and then
 * equals the mask shifted by hand; resegmentation in absolute, relative and sigma modes keeps the
 * voxels the formulas select; minimumROIDimensions rejects a flat ROI.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { extractFeatures } from "../src/extract/extractor.js";
import { validateParams } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { generatePhantom } from "../src/image/phantom.js";
import type { Volume } from "../src/image/volume.js";

const { image, mask } = generatePhantom({
  seed: 11,
  size: [30, 28, 10],
  spacing: [1, 1, 2],
  radiiMm: [7, 6, 6],
});
const firstorder = (setting: Record<string, unknown>) =>
  validateParams(
    { featureClass: { firstorder: null, glcm: null, shape: null }, setting },
    FEATURE_CATALOGUE,
  );

test("preCrop (with any padDistance) leaves original-image features unchanged", () => {
  const plain = extractFeatures(image, mask, firstorder({})).features;
  for (const padDistance of [0, 2, 5]) {
    const cropped = extractFeatures(
      image,
      mask,
      firstorder({ preCrop: true, padDistance }),
    ).features;
    assert.deepEqual(cropped, plain);
  }
});

test("correctMask: a mask on a grid shifted by whole voxels is resampled onto the image grid", () => {
  // The mask's origin is one voxel further along x: mask voxel (i, j, k) sits at image voxel (i+1, j, k).
  const shifted: Volume<Uint8Array> = {
    ...mask,
    origin: [mask.origin[0] + mask.spacing[0], mask.origin[1], mask.origin[2]],
  };
  assert.throws(
    () => extractFeatures(image, shifted, firstorder({})),
    /geometry mismatch: origin differs/,
  );
  const byHand = new Uint8Array(mask.data.length);
  const [nx, ny, nz] = mask.size;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x + 1 < nx; x++)
        byHand[x + 1 + nx * (y + ny * z)] = mask.data[x + nx * (y + ny * z)]!;
  const corrected = extractFeatures(image, shifted, firstorder({ correctMask: true })).features;
  const expected = extractFeatures(image, { ...mask, data: byHand }, firstorder({})).features;
  assert.deepEqual(corrected, expected);
});

test("resegmentation keeps the voxels the absolute, relative and sigma rules select", () => {
  const roiValues: number[] = [];
  mask.data.forEach((m, i) => {
    if (m) roiValues.push(image.data[i]!);
  });
  const max = Math.max(...roiValues);
  const mean = roiValues.reduce((a, b) => a + b, 0) / roiValues.length;
  const sd = Math.sqrt(roiValues.reduce((a, b) => a + (b - mean) ** 2, 0) / roiValues.length);
  const cases: [Record<string, unknown>, (v: number) => boolean][] = [
    [{ resegmentRange: [900], resegmentMode: "absolute" }, (v) => v >= 900],
    [{ resegmentRange: [800, 1000], resegmentMode: "absolute" }, (v) => v >= 800 && v <= 1000],
    [{ resegmentRange: [0.8], resegmentMode: "relative" }, (v) => v >= 0.8 * max],
    [{ resegmentRange: [-1, 1], resegmentMode: "sigma" }, (v) => v >= mean - sd && v <= mean + sd],
  ];
  for (const [setting, keep] of cases) {
    const { diagnostics, features } = extractFeatures(image, mask, firstorder(setting));
    const kept = roiValues.filter(keep);
    assert.equal(
      diagnostics["diagnostics_Mask-resegmented_VoxelNum"],
      kept.length,
      JSON.stringify(setting),
    );
    assert.equal(features.original_firstorder_Minimum, Math.min(...kept));
    assert.equal(features.original_firstorder_Maximum, Math.max(...kept));
    // Shape keeps the original ROI (resegmentShape false).
    assert.equal(features.original_shape_VoxelVolume, roiValues.length * 2);
  }
});

test("minimumROIDimensions rejects an ROI that spans fewer dimensions", () => {
  const flat = new Uint8Array(mask.data.length);
  const [nx, ny] = mask.size;
  for (let x = 5; x < 15; x++) for (let y = 5; y < 15; y++) flat[x + nx * (y + ny * 4)] = 1;
  const flatMask = { ...mask, data: flat };
  assert.throws(
    () => extractFeatures(image, flatMask, firstorder({ minimumROIDimensions: 3 })),
    /too few dimensions \(number of dimensions 2, minimum required 3\)/,
  );
  assert.ok(
    extractFeatures(image, flatMask, firstorder({ minimumROIDimensions: 2 })).features
      .original_firstorder_Mean,
  );
});
