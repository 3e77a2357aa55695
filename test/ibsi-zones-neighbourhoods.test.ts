/**
 * IBSI mode (issue #13): grey level size zone (GLSZM, szm_*), grey level distance zone (GLDZM,
 * dzm_*), neighbourhood grey tone difference (NGTDM, ngt_*) and neighbouring grey level dependence
 * (NGLDM, ngl_*) features (IBSI-1 manual, chapter 3), each in the aggregations 8QNN (2D), 62GR
 * (2.5D) and KOBO (3D), against:
 * - the IBSI-1 reference values of the digital phantom (levels = its intensities, 6 levels) and its
 *   texture matrices as the manual prints them (chapter "Digital phantom texture matrices");
 * - the CT phantom configurations A (built here: no interpolation, intensity mask = GTV-1 mask with
 *   the range [-500, 400] HU, morphological mask = GTV-1 mask, FBS 25 HU from -500) and B-E (the
 *   processing pipeline, src/ibsi/processing/pipeline.ts; B FBN 32, C FBS 25 from -1000, D-E FBN 32);
 * - small cases computed by hand from the manual's formulas;
 * - bad input, which must raise an IbsiSettingError naming the setting.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { gldzmFeatures, gldzmMatrices } from "../src/ibsi/features/gldzm.js";
import { glszmFeatures, glszmMatrices } from "../src/ibsi/features/glszm.js";
import type { LevelCountMatrix } from "../src/ibsi/features/level-count-matrix.js";
import { ngldmFeatures, ngldmMatrices } from "../src/ibsi/features/ngldm.js";
import { type NgtdmMatrix, ngtdmFeatures, ngtdmMatrices } from "../src/ibsi/features/ngtdm.js";
import {
  type IbsiDiscretised,
  type IbsiFeatureValue,
  type IbsiImage,
  IbsiSettingError,
  type IbsiTextureDimension,
} from "../src/ibsi/types.js";
import type { Vec3 } from "../src/image/volume.js";
import {
  compareWithIbsi,
  ctPhantomConfiguration,
  digitalPhantomLevels,
  type IbsiConfiguration,
  readDigitalPhantom,
  skipWithoutIbsi,
} from "./support/ibsi.js";

const FAMILIES = ["GLSZM", "GLDZM", "NGTDM", "NGLDM"] as const;
type Family = (typeof FAMILIES)[number];

/** All four families' features of a discretised image. */
function allFeatures(d: IbsiDiscretised, image: IbsiImage): Record<Family, IbsiFeatureValue[]> {
  return {
    GLSZM: glszmFeatures(d, image.size),
    GLDZM: gldzmFeatures(d, image),
    NGTDM: ngtdmFeatures(d, image.size),
    NGLDM: ngldmFeatures(d, image.size),
  };
}

/**
 * Compares every reference row of the four families that has a value for this configuration;
 * prints the agree count per family and returns the misses (a reference row we do not report is a
 * miss too).
 */
function missesOf(
  configuration: IbsiConfiguration,
  features: Record<Family, IbsiFeatureValue[]>,
  expectedRows: number,
): string[] {
  const families: readonly string[] = FAMILIES;
  const { total, misses, groups } = compareWithIbsi(
    configuration,
    FAMILIES.flatMap((family) => features[family]),
    (reference) => families.includes(reference.family),
    (reference) => reference.family,
  );
  const counts = FAMILIES.map(
    (f) => `${f} ${groups.get(f)?.agree ?? 0} of ${groups.get(f)?.total ?? 0}`,
  );
  console.log(`IBSI-1 zones/neighbourhoods ${configuration}: ${counts.join(", ")} agree`);
  assert.equal(total, expectedRows, `${configuration}: reference rows compared`);
  return misses;
}

test("IBSI-1 digital phantom: GLSZM, GLDZM, NGTDM and NGLDM reference values", async (t) => {
  if (skipWithoutIbsi(t, "IBSI-1 digital phantom")) return;
  const image = await readDigitalPhantom();
  const features = allFeatures(digitalPhantomLevels(image), image);
  assert.deepEqual(
    FAMILIES.map((f) => features[f].length),
    [48, 48, 15, 51],
  );
  // 54 features x 3 aggregations.
  assert.deepEqual(missesOf("digital_phantom", features, 162), []);
});

/** Elements (i, j, s_ij) of a grey level x count matrix, sorted. */
const triplets = (m: LevelCountMatrix | undefined): number[][] =>
  m ? Array.from(m.weight, (s, e) => [m.level[e]!, m.count[e]!, s]) : [];

/** Table rows written "i j n, i j n, ...", as the manual prints them, to number rows. */
const rows = (text: string): number[][] =>
  text.split(",").map((row) => row.trim().split(/\s+/).map(Number));

/**
 * The digital phantom's texture matrices as the IBSI-1 manual prints them (chapter "Digital phantom
 * texture matrices"; slices z = 0..3 of the xy plane, then 3D). GLSZM rows (i, size, count), GLDZM
 * rows (i, distance, count), NGTDM rows (i, s_i printed to at most 6 decimals, n_i), NGLDM rows
 * (i, dependence j, s_ij; alpha 0, Chebyshev distance 1).
 */
const PHANTOM_GLSZM_2D = [
  "1 3 1, 1 6 1, 4 2 1, 4 6 1, 6 3 1",
  "1 4 1, 1 8 1, 3 1 1, 4 2 2, 6 1 2",
  "1 14 1, 4 2 1, 6 1 1",
  "1 15 1, 4 2 1, 6 1 1",
].map(rows);
const PHANTOM_GLSZM_3D = rows("1 50 1, 3 1 1, 4 2 1, 4 14 1, 6 7 1");
const PHANTOM_GLDZM_2D = [
  "1 1 2, 4 1 2, 6 1 1",
  "1 1 2, 3 2 1, 4 1 2, 6 1 1, 6 2 1",
  "1 1 1, 4 1 1, 6 1 1",
  "1 1 1, 4 1 1, 6 1 1",
].map(rows);
const PHANTOM_GLDZM_3D = rows("1 1 1, 3 1 1, 4 1 2, 6 1 1");
const PHANTOM_NGTDM_2D = [
  "1 14.575 9, 4 5.775 8, 6 7.325 3",
  "1 11.928571 12, 3 0.375 1, 4 4.8 4, 6 8 2",
  "1 7.985714 14, 4 4.65 2, 6 5 1",
  "1 7.582143 15, 4 4.65 2, 6 5 1",
].map(rows);
const PHANTOM_NGTDM_3D = rows("1 39.946954 50, 3 0.2 1, 4 20.825401 16, 6 24.127005 7");
const PHANTOM_NGLDM_2D = [
  "1 2 3, 1 3 1, 1 4 3, 1 5 2, 4 2 2, 4 3 4, 4 4 2, 6 2 2, 6 3 1",
  "1 3 2, 1 4 6, 1 6 4, 3 1 1, 4 2 4, 6 1 2",
  "1 3 1, 1 4 5, 1 5 3, 1 6 3, 1 7 2, 4 2 2, 6 1 1",
  "1 3 1, 1 4 3, 1 5 3, 1 6 4, 1 7 1, 1 8 3, 4 2 2, 6 1 1",
].map(rows);
const PHANTOM_NGLDM_3D = rows(
  "1 5 2, 1 6 2, 1 7 1, 1 8 6, 1 9 4, 1 10 6, 1 11 5, 1 12 5, 1 13 3, 1 14 2, 1 15 5, 1 16 3, " +
    "1 17 3, 1 18 2, 1 21 1, 3 1 1, 4 2 2, 4 4 2, 4 5 6, 4 6 4, 4 7 2, 6 2 1, 6 3 4, 6 4 1, 6 5 1",
);

/** Checks an NGTDM against printed rows (i, s_i to 6 decimals, n_i). */
function assertNgtdm(m: NgtdmMatrix | undefined, rows: number[][], label: string): void {
  assert.ok(m, `${label}: empty NGTDM`);
  assert.deepEqual(
    Array.from(m.level),
    rows.map((r) => r[0]),
    `${label}: levels`,
  );
  assert.deepEqual(
    Array.from(m.n),
    rows.map((r) => r[2]),
    `${label}: n_i`,
  );
  m.s.forEach((s, e) => {
    assert.ok(
      Math.abs(s - rows[e]![1]!) <= 5e-7,
      `${label}: s_${m.level[e]} = ${s}, printed ${rows[e]![1]}`,
    );
  });
}

test("IBSI-1 digital phantom: texture matrices equal the manual's", async (t) => {
  if (skipWithoutIbsi(t, "IBSI-1 digital phantom")) return;
  const image = await readDigitalPhantom();
  const d = digitalPhantomLevels(image);
  const szm = glszmMatrices(d, image.size);
  assert.deepEqual(szm.slices.map(triplets), PHANTOM_GLSZM_2D, "GLSZM 2D");
  assert.deepEqual(triplets(szm.volume), PHANTOM_GLSZM_3D, "GLSZM 3D");
  const dzm = gldzmMatrices(d, image);
  assert.deepEqual(dzm.slices.map(triplets), PHANTOM_GLDZM_2D, "GLDZM 2D");
  assert.deepEqual(triplets(dzm.volume), PHANTOM_GLDZM_3D, "GLDZM 3D");
  const ngt = ngtdmMatrices(d, image.size);
  assert.equal(ngt.slices.length, PHANTOM_NGTDM_2D.length, "NGTDM 2D slices");
  for (const [z, m] of ngt.slices.entries()) {
    assertNgtdm(m, PHANTOM_NGTDM_2D[z]!, `NGTDM 2D slice ${z}`);
  }
  assertNgtdm(ngt.volume, PHANTOM_NGTDM_3D, "NGTDM 3D");
  const ngl = ngldmMatrices(d, image.size);
  assert.deepEqual(ngl.slices.map(triplets), PHANTOM_NGLDM_2D, "NGLDM 2D");
  assert.deepEqual(triplets(ngl.volume), PHANTOM_NGLDM_3D, "NGLDM 3D");
});

/** Times the four families on a discretised CT image and prints it. */
function timedFeatures(
  configuration: string,
  d: IbsiDiscretised,
  image: IbsiImage,
): Record<Family, IbsiFeatureValue[]> {
  const t0 = performance.now();
  const features = allFeatures(d, image);
  const roi = d.levels.reduce((n, g) => n + (g > 0 ? 1 : 0), 0);
  console.log(
    `  ${configuration}: grid ${image.size.join(" x ")}, ${roi} ROI voxels, ${d.nLevels} levels: ` +
      `4 families x 3 aggregations in ${(performance.now() - t0).toFixed(0)} ms`,
  );
  return features;
}

for (const configuration of ["A", "B", "C", "D", "E"] as const) {
  test(`IBSI-1 CT phantom configuration ${configuration}: zones and neighbourhoods`, async (t) => {
    if (skipWithoutIbsi(t, "IBSI-1 CT phantom")) return;
    const { image, levels } = await ctPhantomConfiguration(configuration);
    // A and B are 2D (8QNN, 62GR: 54 features x 2 = 108 rows); C-E are 3D (KOBO: 54 rows).
    const rows = configuration === "A" || configuration === "B" ? 108 : 54;
    const features = timedFeatures(configuration, levels, image);
    assert.deepEqual(missesOf(configuration, features, rows), []);
  });
}

// ---------------------------------------------------------------------------------------------
// Hand-computed cases (formulas of the IBSI-1 manual, chapter 3).

/** An IbsiImage whose intensity mask is levels > 0 and whose morphological mask is given. */
function imageOf(size: Vec3, levels: number[], morphological?: number[]): IbsiImage {
  const intensityMask = Uint8Array.from(levels, (g) => (g > 0 ? 1 : 0));
  return {
    size,
    spacing: [1, 1, 1],
    intensities: Float64Array.from(levels),
    morphologicalMask: morphological ? Uint8Array.from(morphological) : intensityMask.slice(),
    intensityMask,
  };
}

const discretised = (levels: number[], nLevels: number): IbsiDiscretised => ({
  levels: Int32Array.from(levels),
  nLevels,
});

/** The value of `tag` in aggregation `aggregation`. */
function featureValue(features: IbsiFeatureValue[], tag: string, aggregation: string): number {
  const f = features.find((v) => v.tag === tag && v.aggregation === aggregation);
  assert.ok(f, `${tag}|${aggregation} reported`);
  return f.value;
}

/** Asserts tag values (to 1e-12 relative) in the given aggregations. */
function assertValues(
  features: IbsiFeatureValue[],
  aggregations: string[],
  expected: Record<string, number>,
): void {
  for (const aggregation of aggregations) {
    for (const [tag, want] of Object.entries(expected)) {
      const got = featureValue(features, tag, aggregation);
      assert.ok(
        Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)),
        `${tag}|${aggregation}: ${got}, expected ${want}`,
      );
    }
  }
}

test("GLSZM by hand: one slice, two zones", () => {
  // 3 x 2 x 1, rows y = 0: 1 1 2, y = 1: 2 2 2. 8-connected zones: the two 1s (size 2); the four
  // 2s, (2,0) linked diagonally to (1,1) (size 4). s(1,2) = s(2,4) = 1, N_s = 2, N_v = 6. One
  // slice, so 2D = 2.5D = 3D.
  const f = glszmFeatures(discretised([1, 1, 2, 2, 2, 2], 2), [3, 2, 1]);
  assertValues(f, ["8QNN", "62GR", "KOBO"], {
    szm_sze: (1 / 4 + 1 / 16) / 2, // sum s_.j / j^2 / N_s
    szm_lze: (4 + 16) / 2, // sum j^2 s_.j / N_s
    szm_lgze: (1 + 1 / 4) / 2,
    szm_hgze: (1 + 4) / 2,
    szm_szlge: (1 / (1 * 4) + 1 / (4 * 16)) / 2,
    szm_szhge: (1 / 4 + 4 / 16) / 2,
    szm_lzlge: (4 / 1 + 16 / 4) / 2,
    szm_lzhge: (1 * 4 + 4 * 16) / 2,
    szm_glnu: (1 + 1) / 2,
    szm_glnu_norm: (1 + 1) / 4,
    szm_zsnu: (1 + 1) / 2,
    szm_zsnu_norm: (1 + 1) / 4,
    szm_z_perc: 2 / 6,
    szm_gl_var: 0.25, // mu = 1.5; (0.25 + 0.25) / 2
    szm_zs_var: 1, // mu = 3; (1 + 1) / 2
    szm_zs_entr: 1, // -2 (1/2) log2(1/2)
  });
});

test("GLSZM by hand: 2D zones stay in their slice, 3D zones link slices", () => {
  // 1 x 1 x 2, both voxels level 1. 2D: per slice one zone of size 1 (N_v = 1): sze = lze = 1.
  // 2.5D: s(1,1) = 2, N_v = 2: sze = 1, zsnu = 2^2 / 2 = 2. 3D: one zone of size 2: sze = 1/4,
  // lze = 4, z_perc = 1/2.
  const f = glszmFeatures(discretised([1, 1], 1), [1, 1, 2]);
  assertValues(f, ["8QNN"], { szm_sze: 1, szm_lze: 1, szm_zsnu: 1, szm_z_perc: 1 });
  assertValues(f, ["62GR"], { szm_sze: 1, szm_lze: 1, szm_zsnu: 2, szm_z_perc: 1 });
  assertValues(f, ["KOBO"], { szm_sze: 1 / 4, szm_lze: 4, szm_zsnu: 1, szm_z_perc: 1 / 2 });
});

test("GLDZM by hand: distances come from the morphological mask, 4- / 6-connected", () => {
  // 5 x 5 x 1 grid, morphological mask = all 25 voxels; intensity mask = the central 3 x 3: level
  // 1 on its ring, 2 in its centre. 2D distances (4-connected, grid edge = ROI edge): outer ring 1,
  // middle ring 2, centre 3. Zones: the ring of 1s (min distance 2), the centre (3).
  // d(1,2) = d(2,3) = 1, N_s = 2, N_v = 9.
  const levels = [
    ...[0, 0, 0, 0, 0],
    ...[0, 1, 1, 1, 0],
    ...[0, 1, 2, 1, 0],
    ...[0, 1, 1, 1, 0],
    ...[0, 0, 0, 0, 0],
  ];
  const image = imageOf([5, 5, 1], levels, new Array(25).fill(1));
  const f = gldzmFeatures(discretised(levels, 2), image);
  assertValues(f, ["8QNN", "62GR"], {
    dzm_sde: (1 / 4 + 1 / 9) / 2,
    dzm_lde: (4 + 9) / 2,
    dzm_sdlge: (1 / 4 + 1 / (4 * 9)) / 2,
    dzm_ldhge: (4 + 4 * 9) / 2,
    dzm_zd_var: 0.25, // mu = 2.5
    dzm_z_perc: 2 / 9,
  });
  // 3D (6-connected): the slice is the whole grid in z, so every voxel touches the edge: distance 1.
  assertValues(f, ["KOBO"], { dzm_sde: 1, dzm_lde: 1, dzm_zd_var: 0, dzm_z_perc: 2 / 9 });
  // With the morphological mask = the intensity mask, the ring is at 1 and the centre at 2.
  const tight = gldzmFeatures(discretised(levels, 2), imageOf([5, 5, 1], levels));
  assertValues(tight, ["8QNN", "62GR"], { dzm_sde: (1 + 1 / 4) / 2, dzm_lde: (1 + 4) / 2 });
});

test("GLDZM by hand: 3 x 3 x 3 cube, 2D per-slice distances vs 3D", () => {
  // All level 1 except the centre voxel (level 2); morphological mask = the whole cube.
  // 3D: 6-connected distance of the centre is 2, every other voxel is on the edge (1); zones: the
  // 26 ones (min distance 1) and the centre: d(1,1) = d(2,2) = 1: sde = (1 + 1/4) / 2, lde = 2.5.
  // 2D: slices 0 and 2 are one zone of 1s at distance 1 (sde = 1); slice 1 has the ring (1) and
  // the centre at in-plane distance 2 (sde = 0.625): 8QNN sde = (1 + 0.625 + 1) / 3.
  // 2.5D merged: d(1,1) = 3, d(2,2) = 1, N_s = 4: sde = (3 + 1/4) / 4.
  const levels = new Array(27).fill(1);
  levels[13] = 2;
  const f = gldzmFeatures(discretised(levels, 2), imageOf([3, 3, 3], levels));
  assertValues(f, ["KOBO"], { dzm_sde: 0.625, dzm_lde: 2.5 });
  assertValues(f, ["8QNN"], { dzm_sde: (1 + 0.625 + 1) / 3 });
  assertValues(f, ["62GR"], { dzm_sde: (3 + 1 / 4) / 4, dzm_lde: (3 + 4) / 4 });
});

test("NGTDM by hand: a line of three levels", () => {
  // 3 x 1 x 1: levels 1 2 3. Neighbour means: voxel 1 -> 2, voxel 2 -> (1 + 3)/2 = 2, voxel 3 -> 2.
  // s = (1, 0, 1), n = (1, 1, 1), N_vc = 3, p_i = 1/3, N_gp = 3.
  // coarseness 1 / sum p s = 1 / (2/3) = 1.5
  // contrast: sum_{ordered pairs} p p (a-b)^2 = (1/9)(2 (1 + 4 + 1)) = 4/3; / (3 * 2) = 2/9;
  //   times sum s / N_vc = 2/3: 4/27
  // busyness: (2/3) / sum |a p_a - b p_b| = (2/3) / ((1/3) 2 (1 + 2 + 1)) = 0.25
  // complexity: (1/3) sum |a-b| (p s_a + p s_b)/(2p) = (1/3) 2 (1 (1+0)/2 + 2 (1+1)/2 + 1 (0+1)/2) = 2
  // strength: sum (p_a + p_b)(a-b)^2 / sum s = (2/3)(12) / 2 = 4
  const f = ngtdmFeatures(discretised([1, 2, 3], 3), [3, 1, 1]);
  assertValues(f, ["8QNN", "62GR", "KOBO"], {
    ngt_coarseness: 1.5,
    ngt_contrast: 4 / 27,
    ngt_busyness: 0.25,
    ngt_complexity: 2,
    ngt_strength: 4,
  });
});

test("NGTDM by hand: uniform region, the coarseness cap and slices without neighbours", () => {
  // 2 x 2 x 1 all level 1: s_1 = 0, so coarseness is IBSI's cap 10^6; N_gp = 1 makes contrast and
  // busyness 0; complexity has no pair (0); strength: sum s = 0, so 0.
  const uniform = ngtdmFeatures(discretised([1, 1, 1, 1], 1), [2, 2, 1]);
  assertValues(uniform, ["8QNN", "62GR", "KOBO"], {
    ngt_coarseness: 1e6,
    ngt_contrast: 0,
    ngt_busyness: 0,
    ngt_complexity: 0,
    ngt_strength: 0,
  });
  // 2 x 1 x 2: slice 0 = 1 2 (each voxel's neighbour differs by 1: s_1 = s_2 = 1, p = 1/2,
  // coarseness 1), slice 1 = 1 1 (s_1 = 0: coarseness 10^6). 8QNN averages: (1 + 10^6) / 2.
  // 62GR merges: s_1 = 1, n_1 = 3, s_2 = 1, n_2 = 1: sum p s = 3/4 + 1/4 = 1, coarseness 1.
  const slices = ngtdmFeatures(discretised([1, 2, 1, 1], 2), [2, 1, 2]);
  assertValues(slices, ["8QNN"], { ngt_coarseness: (1 + 1e6) / 2 });
  assertValues(slices, ["62GR"], { ngt_coarseness: 1 });
  // 3 x 1 x 1: 1 0 2: no voxel has a neighbour in the ROI: the NGTDM is empty and its features are
  // undefined (NaN, deliberately) in every aggregation.
  const isolated = ngtdmFeatures(discretised([1, 0, 2], 2), [3, 1, 1]);
  assert.equal(isolated.length, 15);
  for (const v of isolated) assert.ok(Number.isNaN(v.value), `${v.tag}|${v.aggregation}`);
});

test("NGLDM by hand: dependence counts the centre and equal in-ROI neighbours", () => {
  // 3 x 1 x 1: levels 1 1 2. j = 1 + equal neighbours: 2, 2, 1. s(1,2) = 2, s(2,1) = 1; N_s = 3.
  const f = ngldmFeatures(discretised([1, 1, 2], 2), [3, 1, 1]);
  assertValues(f, ["8QNN", "62GR", "KOBO"], {
    ngl_lde: (1 / 1 + 2 / 4) / 3, // s_.1 = 1, s_.2 = 2
    ngl_hde: (1 + 2 * 4) / 3,
    ngl_lgce: (2 / 1 + 1 / 4) / 3, // s_1. = 2, s_2. = 1
    ngl_hgce: (2 + 4) / 3,
    ngl_ldlge: (2 / (1 * 4) + 1 / (4 * 1)) / 3,
    ngl_ldhge: ((2 * 1) / 4 + (1 * 4) / 1) / 3,
    ngl_hdlge: ((2 * 4) / 1 + (1 * 1) / 4) / 3,
    ngl_hdhge: (2 * 1 * 4 + 1 * 4 * 1) / 3,
    ngl_glnu: (4 + 1) / 3,
    ngl_glnu_norm: (4 + 1) / 9,
    ngl_dcnu: (1 + 4) / 3,
    ngl_dcnu_norm: (1 + 4) / 9,
    ngl_dc_perc: 1,
    ngl_gl_var: 2 / 9, // mu = 4/3: (2/3)(1/9) + (1/3)(4/9)
    ngl_dc_var: 2 / 9, // mu = 5/3: (2/3)(1/9) + (1/3)(4/9)
    ngl_dc_entr: Math.log2(3) - 2 / 3, // -(2/3) log2(2/3) - (1/3) log2(1/3)
    ngl_dc_energy: 4 / 9 + 1 / 9,
  });
  // 1 x 1 x 2, both level 1: in-plane (2D) each voxel has no neighbour (j = 1: lde = hde = 1); in
  // 3D each has the other (j = 2: lde = 1/4, hde = 4).
  const g = ngldmFeatures(discretised([1, 1], 1), [1, 1, 2]);
  assertValues(g, ["8QNN", "62GR"], { ngl_lde: 1, ngl_hde: 1 });
  assertValues(g, ["KOBO"], { ngl_lde: 1 / 4, ngl_hde: 4 });
});

test("zones and neighbourhoods: empty slices contribute nothing", () => {
  // 2 x 1 x 3 with slice 1 empty: slices 0 and 2 hold one zone of two 1s each (sze = 1/4). The
  // empty slice does not enter the 8QNN average (which would otherwise not be 1/4).
  const levels = [1, 1, 0, 0, 1, 1];
  const f = glszmFeatures(discretised(levels, 1), [2, 1, 3]);
  assertValues(f, ["8QNN", "62GR", "KOBO"], { szm_sze: 1 / 4, szm_z_perc: 1 / 2 });
  const n = ngldmFeatures(discretised(levels, 1), [2, 1, 3]);
  assertValues(n, ["8QNN", "62GR", "KOBO"], { ngl_lde: 1 / 4 });
  // An empty intensity mask has no matrix at all: every feature NaN (undefined), none silently.
  const empty = glszmFeatures(discretised([0, 0], 1), [2, 1, 1]);
  assert.ok(empty.every((v) => Number.isNaN(v.value)));
  assert.equal(empty.length, 48);
});

test("zones and neighbourhoods: asking for some aggregations gives exactly those rows of the full table", () => {
  // A 4 x 3 x 3 grid of levels 1-3 with a hole: zones within and across slices.
  const levels = [
    1, 1, 2, 2, 1, 3, 2, 0, 3, 3, 1, 1, 1, 2, 2, 2, 3, 3, 0, 1, 1, 1, 2, 3, 2, 2, 1, 1, 3, 0, 1, 2,
    1, 1, 3, 3,
  ];
  const size: Vec3 = [4, 3, 3];
  const d = discretised(levels, 3);
  const image = imageOf(size, levels);
  const families = {
    GLSZM: (dims?: IbsiTextureDimension[]) => glszmFeatures(d, size, dims),
    GLDZM: (dims?: IbsiTextureDimension[]) => gldzmFeatures(d, image, dims),
    NGTDM: (dims?: IbsiTextureDimension[]) => ngtdmFeatures(d, size, dims),
    NGLDM: (dims?: IbsiTextureDimension[]) => ngldmFeatures(d, size, dims),
  };
  const codes: Record<IbsiTextureDimension, string> = {
    "2D": "8QNN",
    "2.5D": "62GR",
    "3D": "KOBO",
  };
  const subsets: IbsiTextureDimension[][] = [
    ["2D"],
    ["2.5D"],
    ["3D"],
    ["2D", "3D"],
    ["2.5D", "3D"],
  ];
  for (const [family, features] of Object.entries(families)) {
    const full = features();
    assert.deepEqual(
      [...new Set(full.map((f) => f.aggregation))],
      ["8QNN", "62GR", "KOBO"],
      `${family}: all three by default`,
    );
    for (const dims of subsets) {
      const wanted = new Set(dims.map((dim) => codes[dim]));
      assert.deepEqual(
        features(dims),
        full.filter((f) => wanted.has(f.aggregation)),
        `${family} ${dims.join("+")}`,
      );
    }
  }
});

test("zones and neighbourhoods: bad input names the setting", () => {
  const ok = discretised([1, 2, 1, 2], 2);
  const families = [
    (d: IbsiDiscretised, size: Vec3) => glszmFeatures(d, size),
    (d: IbsiDiscretised, size: Vec3) => ngtdmFeatures(d, size),
    (d: IbsiDiscretised, size: Vec3) => ngldmFeatures(d, size),
    (d: IbsiDiscretised, size: Vec3) =>
      gldzmFeatures(d, { ...imageOf([2, 2, 1], [1, 2, 1, 2]), size }),
  ];
  for (const run of families) {
    assert.throws(
      () => run(ok, [2, 3, 1]),
      (e) => e instanceof IbsiSettingError && /size/.test(e.message),
    );
    assert.throws(
      () => run(ok, [2, 0, 2]),
      (e) => e instanceof IbsiSettingError && /size/.test(e.message),
    );
    assert.throws(
      () => run(discretised([1, 3, 1, 2], 2), [2, 2, 1]),
      (e) => e instanceof IbsiSettingError && /nLevels/.test(e.message),
    );
    assert.throws(
      () => run(discretised([1, 1, 1, 1], 0), [2, 2, 1]),
      (e) => e instanceof IbsiSettingError && /nLevels/.test(e.message),
    );
    assert.throws(
      () => run(discretised([1, -1, 1, 1], 2), [2, 2, 1]),
      (e) => e instanceof IbsiSettingError && /level -1/.test(e.message),
    );
  }
  // An aggregation dimension that IBSI does not define, named with the family.
  const wrong = ["4D"] as unknown as IbsiTextureDimension[];
  const withDimensions = [
    ["GLSZM", () => glszmFeatures(ok, [2, 2, 1], wrong)],
    ["NGTDM", () => ngtdmFeatures(ok, [2, 2, 1], wrong)],
    ["NGLDM", () => ngldmFeatures(ok, [2, 2, 1], wrong)],
    ["GLDZM", () => gldzmFeatures(ok, imageOf([2, 2, 1], [1, 2, 1, 2]), wrong)],
  ] as const;
  for (const [family, run] of withDimensions) {
    assert.throws(
      run,
      (e) =>
        e instanceof IbsiSettingError &&
        e.message === `${family}: dimensions must be "2D", "2.5D" or "3D", got 4D`,
    );
  }
  // GLDZM: an intensity-mask voxel outside the morphological mask has no distance to the edge.
  assert.throws(
    () => gldzmFeatures(ok, imageOf([2, 2, 1], [1, 2, 1, 2], [1, 1, 1, 0])),
    (e) => e instanceof IbsiSettingError && /morphologicalMask/.test(e.message),
  );
  assert.throws(
    () => gldzmFeatures(ok, imageOf([2, 2, 1], [1, 2, 1, 2], [1, 1, 1])),
    (e) => e instanceof IbsiSettingError && /morphologicalMask/.test(e.message),
  );
});
