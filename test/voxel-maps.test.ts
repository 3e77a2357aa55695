/**
 * Voxel-based feature maps (src/extract/voxel.ts): hand-computed kernels on a small image (masked
 * and unmasked kernels, the map grid and initValue outside the ROI), the errors naming the setting,
 * and parity with PyRadiomics' voxel-based maps (../shared/reference/pyradiomics/oracle_voxel):
 * every map of every run (NaN where PyRadiomics has NaN, initValue where its MCC failed), voxel
 * for voxel within the oracle tolerance, on the same grid.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parseParams } from "../src/extract/params.js";
import { extractVoxelMaps } from "../src/extract/voxel.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import type { Volume } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import { missingReference, referenceDir, withinOracleTolerance } from "./support/reference.js";

// 4 x 3 x 1 image, values 1..12 row by row (x fastest):
//   y=0:  1  2  3  4
//   y=1:  5  6  7  8
//   y=2:  9 10 11 12
// ROI: x 0..2, y 0..2 (values 1 2 3 5 6 7 9 10 11).
const geometry = {
  size: [4, 3, 1] as [number, number, number],
  spacing: [1, 1, 1] as [number, number, number],
  origin: [0, 0, 0] as [number, number, number],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as Volume["direction"],
  dimension: 3 as const,
};
const image: Volume = { ...geometry, data: Float64Array.from({ length: 12 }, (_, k) => k + 1) };
const mask: Volume = {
  ...geometry,
  data: Uint8Array.from({ length: 12 }, (_, k) => (k % 4 === 3 ? 0 : 1)),
};

function params(voxelSetting: string, classes = "  firstorder: [Mean, Maximum]") {
  return parseParams(
    `featureClass:\n${classes}\nsetting:\n  binWidth: 25\n  label: 1\nvoxelSetting:\n${voxelSetting}\n`,
    FEATURE_CATALOGUE,
  );
}

const at = (map: Volume, x: number, y: number) => map.data[x + map.size[0] * y]!;

test("voxel maps: masked 3x3 kernels (the image is one slice thick, so the kernel is flat)", () => {
  const maps = extractVoxelMaps(image, mask, params("  kernelRadius: 1\n  initValue: -1"));
  assert.deepEqual(maps.map((m) => m.name).sort(), [
    "original_firstorder_Maximum",
    "original_firstorder_Mean",
  ]);
  const mean = maps.find((m) => m.name === "original_firstorder_Mean")!.map;
  const max = maps.find((m) => m.name === "original_firstorder_Maximum")!.map;
  // The map grid: the ROI box (x 0..2, y 0..2) padded by the radius, clipped to the image: 4 x 3 x 1.
  assert.deepEqual(mean.size, [4, 3, 1]);
  // Corner (0,0): kernel {1, 2, 5, 6}, mean 3.5, max 6. Edge (1,0): {1,2,3,5,6,7}, mean 4.
  // Centre (1,1): all nine ROI values, mean 6, max 11. (2,2): {6,7,10,11}, mean 8.5.
  assert.equal(at(mean, 0, 0), 3.5);
  assert.equal(at(max, 0, 0), 6);
  assert.equal(at(mean, 1, 0), 4);
  assert.equal(at(mean, 1, 1), 6);
  assert.equal(at(max, 1, 1), 11);
  assert.equal(at(mean, 2, 2), 8.5);
  // Outside the ROI: initValue.
  assert.equal(at(mean, 3, 0), -1);
  assert.equal(at(max, 3, 2), -1);
});

test("voxel maps: an unmasked kernel takes every voxel of the cropped image", () => {
  const maps = extractVoxelMaps(image, mask, params("  kernelRadius: 1\n  maskedKernel: false"));
  const mean = maps.find((m) => m.name === "original_firstorder_Mean")!.map;
  // (2,0): x 1..3, y 0..1 = {2, 3, 4, 6, 7, 8}, mean 5 (4 and 8 are outside the ROI but in the crop).
  assert.equal(at(mean, 2, 0), 5);
  // (2,1): x 1..3, y 0..2 = {2,3,4,6,7,8,10,11,12}, mean 7.
  assert.equal(at(mean, 2, 1), 7);
  assert.equal(at(mean, 3, 1), 0); // not an ROI voxel: initValue 0 (default)
});

test("voxel maps: shape and an oversized kernel are errors naming the setting", () => {
  assert.throws(
    () => extractVoxelMaps(image, mask, params("  kernelRadius: 1", "  shape:")),
    /featureClass\.shape: shape is not computed voxel-based/,
  );
  assert.throws(
    () => extractVoxelMaps(image, mask, params("  kernelRadius: 5")),
    /voxelSetting\.kernelRadius 5: the 11-voxel kernel is larger than the image \(4 x 3 x 1\)/,
  );
  assert.throws(
    () => extractVoxelMaps(image, mask, params("  kernelRadius: 0")),
    /voxelSetting\.kernelRadius must be an integer >= 1, got 0/,
  );
});

const ref = referenceDir();
const pyradiomics = ref ? join(ref, "pyradiomics") : undefined;

test("voxel maps: every map of PyRadiomics' voxel-based oracle (first order and texture)", async (t) => {
  if (!pyradiomics) return t.skip(missingReference("voxel-map parity"));
  const rows = readFileSync(join(pyradiomics, "oracle_voxel", "INDEX.csv"), "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((l) => l.split(","));
  let maps = 0;
  let voxels = 0;
  for (const [, paramsName, imagePath, maskPath, label, , , , status, dir] of rows) {
    assert.equal(status, "ok");
    const p = parseParams(
      readFileSync(join(pyradiomics, "params", `${paramsName}.yaml`), "utf8"),
      FEATURE_CATALOGUE,
    );
    const index = JSON.parse(
      readFileSync(join(pyradiomics, "oracle_voxel", dir!, "INDEX.json"), "utf8"),
    );
    const got = extractVoxelMaps(
      await readImageFile(join(pyradiomics, imagePath!)),
      await readImageFile(join(pyradiomics, maskPath!)),
      p,
      { label: Number(label) },
    );
    const expected = index.features as string[];
    assert.deepEqual(
      got.map((m) => m.name),
      expected,
      `${dir}: map names and order`,
    );
    for (const m of got) {
      const want = await readImageFile(join(pyradiomics, "oracle_voxel", dir!, `${m.name}.nrrd`));
      assert.deepEqual(m.map.size, want.size, `${dir} ${m.name}: size`);
      for (let a = 0; a < 3; a++) {
        assert.ok(Math.abs(m.map.origin[a]! - want.origin[a]!) < 1e-6, `${dir} ${m.name}: origin`);
        assert.ok(
          Math.abs(m.map.spacing[a]! - want.spacing[a]!) < 1e-9,
          `${dir} ${m.name}: spacing`,
        );
      }
      for (let k = 0; k < want.data.length; k++) {
        const g = m.map.data[k]!;
        const w = want.data[k]!;
        const ok = Number.isNaN(w) ? Number.isNaN(g) : withinOracleTolerance(g, w);
        if (!ok) assert.fail(`${dir} ${m.name}: voxel ${k}: ${g} vs ${w}`);
      }
      maps++;
      voxels += want.data.length;
    }
  }
  t.diagnostic(`voxel parity: ${maps} maps (${voxels} voxels) equal to PyRadiomics'`);
  // 93 maps per image type (firstorder 18, glcm 24, glrlm 16, glszm 16, gldm 14, ngtdm 5).
  assert.equal(maps, 93 * 4 + 186);
});
