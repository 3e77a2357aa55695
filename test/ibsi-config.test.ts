/**
 * radscore's IBSI parameter files (src/ibsi/config.ts): the ready files in ibsi/ say what the IBSI-1
 * configuration table says (ibsi1_ct_phantom_configurations.csv, parsed from the manual), and every
 * bad setting is an error that names it.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { type IbsiConfig, parseIbsiConfig } from "../src/ibsi/config.js";
import { IbsiSettingError } from "../src/ibsi/types.js";
import { parseCsv } from "../src/io/csv.js";
import { ibsiDir, skipWithoutIbsi } from "./support/ibsi.js";

const readyFile = (name: string): IbsiConfig =>
  parseIbsiConfig(readFileSync(join("ibsi", `${name}.yaml`), "utf8"), name);

test("IBSI ready files: the digital phantom's needs no processing and reports every aggregation", () => {
  const c = readyFile("digital-phantom");
  assert.equal(c.interpolation, null);
  assert.deepEqual(c.resegmentation, { range: null, outlierSigma: null });
  assert.deepEqual(c.discretisation, { method: "none" });
  assert.deepEqual(c.ivh, { method: "none" });
  assert.deepEqual(c.texture, { aggregation: ["2D", "2.5D", "3D"], distance: 1 });
  assert.equal(c.families.length, 11);
});

test("IBSI ready files: CT configurations A-E match IBSI-1's configuration table", (t) => {
  if (skipWithoutIbsi(t, "IBSI-1 configuration table")) return;
  const file = join(ibsiDir()!, "ibsi1_reference_values", "ibsi1_ct_phantom_configurations.csv");
  const table = parseCsv(readFileSync(file, "utf8"), file);
  const cell = (parameter: string, sub: string, config: string): string => {
    const row = table.rows.find((r) => r[0] === parameter && r[1] === sub);
    assert.ok(row, `${parameter} / ${sub} in the configuration table`);
    return row[table.header.indexOf(`config_${config}`)]!.replace(/\u2212/g, "-");
  };
  const numbers = (text: string) => (text.match(/-?\d+(\.\d+)?/g) ?? []).map(Number);
  for (const id of ["A", "B", "C", "D", "E"]) {
    const c = readyFile(`ct-config-${id}`);
    const dims = cell("slice-wise or single volume (3D)", "", id);
    assert.deepEqual(c.texture.aggregation, dims === "2D" ? ["2D", "2.5D"] : ["3D"], id);
    assert.equal(
      c.texture.distance,
      numbers(cell("texture parameters", "GLCM, NGTDM, NGLDM distance", id))[0],
    );
    if (cell("interpolation", "", id) === "no") assert.equal(c.interpolation, null, id);
    else {
      const i = c.interpolation!;
      const spacing = numbers(cell("interpolation", "resampled voxel spacing (mm)", id));
      assert.deepEqual(
        i.spacing.filter((s) => s !== null),
        spacing,
        `${id} spacing`,
      );
      assert.equal(i.dimensions, spacing.length === 2 ? "2D" : "3D", `${id} dimensions`);
      const method = cell("interpolation", "interpolation method", id);
      assert.equal(i.image, method.includes("spline") ? "cubic-spline" : "linear", `${id} method`);
      assert.equal(cell("interpolation", "intensity rounding", id), "nearest integer");
      assert.equal(i.rounding, "nearest-integer");
      assert.equal(i.roi, "linear");
      assert.equal(
        i.partialVolumeThreshold,
        Number(cell("interpolation", "ROI partial mask volume", id)),
      );
    }
    const range = cell("re-segmentation", "range (HU)", id);
    assert.deepEqual(c.resegmentation.range, range === "no" ? null : numbers(range), `${id} range`);
    const outliers = cell("re-segmentation", "outlier filtering", id);
    assert.equal(
      c.resegmentation.outlierSigma,
      outliers === "no" ? null : numbers(outliers)[0],
      `${id} outliers`,
    );
    // "FBS: 25 HU", "FBN: 32 bins", "1000 bins" (FBN) or "no".
    const binning = (text: string) =>
      text === "no"
        ? { method: "none" }
        : text.startsWith("FBS")
          ? { method: "FBS", binWidth: numbers(text)[0], lowerBound: null }
          : { method: "FBN", binCount: numbers(text)[0] };
    assert.deepEqual(
      c.discretisation,
      binning(cell("discretisation", "texture and IH", id)),
      `${id} texture bins`,
    );
    assert.deepEqual(c.ivh, binning(cell("discretisation", "IVH", id)), `${id} IVH bins`);
  }
});

test("IBSI parameter files: a bad setting is an error naming it", () => {
  const bad: [string, RegExp][] = [
    ["label: 1\n", /^standard: an IBSI parameter file starts with 'standard: ibsi'/],
    ["standard: ibsi\ncolour: red\n", /^colour: unknown setting/],
    ["setting: {binWidth: 25}\n", /^standard: an IBSI parameter file starts with/],
    ["- 1\n", /an IBSI parameter file is a mapping/],
    [
      "standard: ibsi\ninterpolation: {dimensions: 3D, spacing: [2, 2], image: linear}\n",
      /^interpolation.spacing: must list 3/,
    ],
    [
      "standard: ibsi\ninterpolation: {dimensions: 3D, spacing: [2, -2, 2], image: linear}\n",
      /^interpolation.spacing\[1\]: must be a positive number/,
    ],
    [
      "standard: ibsi\ninterpolation: {dimensions: 3D, spacing: [2, 2, 2], image: sinc}\n",
      /^interpolation.image: must be one of linear, cubic-spline, nearest/,
    ],
    [
      "standard: ibsi\ninterpolation: {dimensions: 3D, spacing: [2, 2, 2], image: linear, roi: nearest, partialVolumeThreshold: 0.5}\n",
      /^interpolation.partialVolumeThreshold: applies to linear ROI interpolation only/,
    ],
    [
      "standard: ibsi\nresegmentation: {range: [400, -500]}\n",
      /^resegmentation.range: lower bound 400 is above upper bound -500/,
    ],
    [
      "standard: ibsi\ndiscretisation: {method: FBS}\n",
      /^discretisation.binWidth: must be a positive number/,
    ],
    [
      "standard: ibsi\ndiscretisation: {method: FBN, binCount: 32, binWidth: 25}\n",
      /^discretisation.binWidth: does not apply to method FBN/,
    ],
    [
      "standard: ibsi\ndiscretisation: {method: FBN, binCount: 2.5}\n",
      /^discretisation.binCount: must be a positive integer/,
    ],
    ["standard: ibsi\nfamilies: [glcm]\n", /^discretisation: missing/],
    [
      "standard: ibsi\nfamilies: [morphology, shape]\n",
      /^families\[1\]: must be one of morphology/,
    ],
    [
      "standard: ibsi\ndiscretisation: {method: none}\ntexture: {aggregation: [4D]}\n",
      /^texture.aggregation\[0\]: must be one of 2D, 2.5D, 3D/,
    ],
    [
      "standard: ibsi\ndiscretisation: {method: none}\ntexture: {distance: 0}\n",
      /^texture.distance: must be a positive integer/,
    ],
    ["standard: ibsi\nlabel: -1\n", /^label: must be a positive integer/],
    ["standard: [ibsi\n", /not valid YAML/],
    [
      "standard: ibsi\nivh: {method: FBS, binWidth: 2.5, lowerBound: 0}\n",
      /^ivh.lowerBound: unknown setting/,
    ],
    [
      "standard: ibsi\nfilter: {type: sobel, dimensionality: 3D, boundary: zero}\n",
      /^filter.type: must be one of mean, laplacian-of-gaussian/,
    ],
    [
      "standard: ibsi\nfilter: {type: mean, support: 5, boundary: zero}\n",
      /^filter.dimensionality: missing/,
    ],
    [
      "standard: ibsi\nfilter: {type: mean, support: 5, dimensionality: 3D, boundary: zero, sigma: 1}\n",
      /^filter.sigma: not a setting of the mean filter/,
    ],
    [
      "standard: ibsi\nfilter: {type: mean, support: 4, dimensionality: 3D, boundary: zero}\n",
      /^filter.*support/,
    ],
  ];
  for (const [text, message] of bad) {
    assert.throws(
      () => parseIbsiConfig(text),
      (err: unknown) => {
        assert.ok(err instanceof IbsiSettingError, `${text}: ${String(err)}`);
        assert.match(err.message, message, text);
        return true;
      },
    );
  }
});

test("IBSI parameter files: defaults", () => {
  const c = parseIbsiConfig("standard: ibsi\nfamilies: [morphology, intensity_statistics]\n");
  assert.deepEqual(c, {
    label: null,
    interpolation: null,
    resegmentation: { range: null, outlierSigma: null },
    discretisation: { method: "none" },
    ivh: { method: "none" },
    texture: { aggregation: ["3D"], distance: 1 },
    families: ["morphology", "intensity_statistics"],
    filter: null,
  });
  const open = parseIbsiConfig(
    "standard: ibsi\nresegmentation: {range: [-1000, null]}\nfamilies: [morphology]\n",
  );
  assert.deepEqual(open.resegmentation.range, [-1000, null]);
});
