/**
 * IBSI mode (issue #13): grey level co-occurrence (cm_*, 25 features) and run length (rlm_*, 16
 * features) matrix features with IBSI-1's six aggregation methods (BTW3, SUJT, JJUI, ZW7Z, ITBB,
 * IAZD; IBSI-1 manual, GLCM and GLRLM "Aggregating features").
 *
 * Against the IBSI-1 reference values: the digital phantom (levels = its intensities, Ng 6; every
 * cm_* and rlm_* row of the six aggregations), CT configuration A (2D and 2.5D aggregations;
 * intensity mask = GTV-1 mask re-segmented to [-500, 400] HU, FBS 25 HU from -500; built here so
 * that it does not depend on the processing pipeline) and configurations B-E through the processing
 * pipeline (B: FBN 32, 2D / 2.5D; C: FBS 25 HU from -1000, D and E: FBN 32, 3D). The digital
 * phantom's volumetric matrices are also checked against those the IBSI-1 manual prints (chapter
 * "Digital phantom texture matrices"). Plus hand-computed cases from the manual's formulas and
 * bad-input errors.
 */
import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import { CodeCounter } from "../src/ibsi/features/glcm/code-counter.js";
import { mergeMatrices } from "../src/ibsi/features/glcm/directional-matrices.js";
import { glcmFeatures } from "../src/ibsi/features/glcm/index.js";
import { cooccurrenceMatrices } from "../src/ibsi/features/glcm/matrices.js";
import { glrlmFeatures } from "../src/ibsi/features/glrlm/index.js";
import { runLengthMatrices } from "../src/ibsi/features/glrlm/matrices.js";
import type { IbsiDiscretised, IbsiFeatureValue } from "../src/ibsi/types.js";
import { IbsiSettingError } from "../src/ibsi/types.js";
import type { Vec3 } from "../src/image/volume.js";
import { KernelCodeCounts } from "../src/kernels/ibsi-code-counts.js";
import {
  compareWithIbsi,
  ctPhantomConfiguration,
  digitalPhantomLevels,
  type IbsiConfiguration,
  readDigitalPhantom,
  skipWithoutIbsi,
} from "./support/ibsi.js";

/** Feature values keyed `${tag}|${aggregation}`, each reported once. */
function byKey(values: IbsiFeatureValue[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const key = `${v.tag}|${v.aggregation}`;
    assert.ok(!out.has(key), `${key} reported twice`);
    out.set(key, v.value);
  }
  return out;
}

/**
 * Compares every reference row of one family (tag prefix) that has a value; prints the agree count
 * per aggregation and returns the misses (a reference value we do not report counts as a miss).
 */
function missesOf(
  configuration: IbsiConfiguration,
  family: "GLCM" | "GLRLM",
  values: IbsiFeatureValue[],
): string[] {
  const prefix = family === "GLCM" ? "cm_" : "rlm_";
  const { agree, total, misses, groups } = compareWithIbsi(
    configuration,
    values,
    (reference) => reference.tag.startsWith(prefix),
    (reference) => reference.aggregation,
  );
  const detail = [...groups].map(([a, c]) => `${a} ${c.agree}/${c.total}`).join(", ");
  console.log(`IBSI-1 ${family} ${configuration}: ${agree} of ${total} agree (${detail})`);
  assert.ok(total > 0, `${configuration}: no ${family} reference values`);
  return misses;
}

/** Both families of one discretised ROI against one configuration; no value may miss. */
function assertAgrees(configuration: IbsiConfiguration, d: IbsiDiscretised, size: Vec3): void {
  const t0 = performance.now();
  const cm = glcmFeatures(d, size, { distance: 1 });
  const t1 = performance.now();
  const rlm = glrlmFeatures(d, size);
  const t2 = performance.now();
  let voxels = 0;
  for (const g of d.levels) if (g > 0) voxels++;
  console.log(
    `  ${configuration}: ${voxels} ROI voxels, Ng ${d.nLevels}: GLCM ${(t1 - t0).toFixed(0)} ms, GLRLM ${(t2 - t1).toFixed(0)} ms (all six aggregations)`,
  );
  const misses = [...missesOf(configuration, "GLCM", cm), ...missesOf(configuration, "GLRLM", rlm)];
  assert.deepEqual(misses, []);
}

/** The digital phantom's levels (already gray levels 1-6) and grid. */
async function digitalPhantom(): Promise<{ d: IbsiDiscretised; size: Vec3 }> {
  const image = await readDigitalPhantom();
  return { d: digitalPhantomLevels(image), size: image.size };
}

/** Sparse matrix cells as "i,j:count" (codes are (i - 1) * stride + (j - 1)). */
function cells(m: { codes: Int32Array; counts: Float64Array }, stride: number): string[] {
  return Array.from(
    m.codes,
    (c, k) => `${Math.floor(c / stride) + 1},${(c % stride) + 1}:${m.counts[k]}`,
  );
}

test("IBSI-1 digital phantom: every cm_* and rlm_* value of the six aggregations", async (t: TestContext) => {
  if (skipWithoutIbsi(t, "IBSI-1 digital phantom")) return;
  const { d, size } = await digitalPhantom();
  const misses = [
    ...missesOf("digital_phantom", "GLCM", glcmFeatures(d, size, { distance: 1 })),
    ...missesOf("digital_phantom", "GLRLM", glrlmFeatures(d, size)),
  ];
  assert.deepEqual(misses, []);
});

test("IBSI-1 digital phantom: the merged 3D GLCM and GLRLM are the manual's", async (t: TestContext) => {
  if (skipWithoutIbsi(t, "IBSI-1 digital phantom")) return;
  const { d, size } = await digitalPhantom();
  // IBSI-1 manual, "Digital phantom texture matrices": "Merged grey-level co-occurrence matrix
  // extracted volumetrically (3D)" and "Merged grey-level run length matrix extracted
  // volumetrically (3D)", cells (i, j): n.
  const counter = new CodeCounter(36);
  const cm = cooccurrenceMatrices(d, size, 1, true, counter);
  const cmMerged = mergeMatrices(cm.perDirection3d, counter)!;
  assert.deepEqual(cells(cmMerged.counts, 6), [
    "1,1:536",
    "1,3:14",
    "1,4:105",
    "1,6:61",
    "3,1:14",
    "3,4:5",
    "3,6:6",
    "4,1:105",
    "4,3:5",
    "4,4:64",
    "4,6:28",
    "6,1:61",
    "6,3:6",
    "6,4:28",
    "6,6:16",
  ]);
  const rl = runLengthMatrices(d, size, true);
  const rlMerged = mergeMatrices(rl.set.perDirection3d, rl.counter)!;
  assert.deepEqual(cells(rlMerged.counts, rl.maxRun), [
    "1,1:190",
    "1,2:140",
    "1,3:31",
    "1,4:18",
    "1,5:3",
    "3,1:13",
    "4,1:149",
    "4,2:24",
    "4,3:1",
    "4,4:2",
    "6,1:78",
    "6,2:3",
    "6,3:1",
    "6,4:1",
  ]);
  // N_v of the merged 3D GLRLM: 13 directions x 74 ROI voxels.
  assert.equal(rlMerged.nVoxels, 13 * 74);
});

test("IBSI-1 CT phantom configuration A: 2D and 2.5D aggregations", async (t: TestContext) => {
  if (skipWithoutIbsi(t, "IBSI-1 CT phantom")) return;
  const { image, levels } = await ctPhantomConfiguration("A");
  assertAgrees("A", levels, image.size);
});

test("IBSI-1 CT phantom configurations B-E through the processing pipeline", async (t: TestContext) => {
  if (skipWithoutIbsi(t, "IBSI-1 CT phantom")) return;
  for (const configuration of ["B", "C", "D", "E"] as const) {
    const { image, levels } = await ctPhantomConfiguration(configuration);
    assertAgrees(configuration, levels, image.size);
  }
});

/** A discretised ROI of the given levels on a grid (0 = outside the ROI). */
function grid(levels: number[], size: Vec3, nLevels: number): IbsiDiscretised {
  assert.equal(
    levels.length,
    size[0] * size[1] * size[2],
    "test grid: levels do not fill the size",
  );
  return { levels: Int32Array.from(levels), nLevels };
}

const AGGREGATIONS = ["BTW3", "SUJT", "JJUI", "ZW7Z", "ITBB", "IAZD"] as const;

function assertClose(actual: number | undefined, expected: number, what: string): void {
  assert.ok(actual !== undefined, `${what}: not reported`);
  assert.ok(
    Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}

test("GLCM of the row 1 1 2 (Ng 2): every feature by hand, equal in all six aggregations", () => {
  // Only direction (1,0,0) has pairs: (1,1) and (1,2). Symmetric M: M11 = 2, M12 = M21 = 1, sum 4,
  // so p11 = 1/2, p12 = p21 = 1/4. Every other direction is empty and left out, so each aggregation
  // reduces to this one matrix. Marginals p1. = 3/4, p2. = 1/4; mu = 1*3/4 + 2*1/4 = 5/4.
  // p_{i-j}: k=0 1/2, k=1 1/2. p_{i+j}: k=2 1/2, k=3 1/2.
  const hx = -(0.75 * Math.log2(0.75) + 0.25 * Math.log2(0.25));
  const hxy = 1.5; // -(1/2 log2 1/2 + 2 * 1/4 log2 1/4) = 1/2 + 1
  // HXY1 = -sum p_ij log2(p_i. p_.j) = -(1/2 log2(9/16) + 2 * 1/4 log2(3/16))
  const hxy1 = -(0.5 * Math.log2(9 / 16) + 0.5 * Math.log2(3 / 16));
  // HXY2 = -sum_ij p_i. p_.j log2(p_i. p_.j) over the 2 x 2 marginal products.
  const hxy2 = -(
    (9 / 16) * Math.log2(9 / 16) +
    2 * (3 / 16) * Math.log2(3 / 16) +
    (1 / 16) * Math.log2(1 / 16)
  );
  const expected: Record<string, number> = {
    cm_joint_max: 0.5,
    cm_joint_avg: 1.25, // 1*1/2 + 1*1/4 + 2*1/4
    cm_joint_var: 0.1875, // (1-5/4)^2 * 3/4 + (2-5/4)^2 * 1/4 = 3/64 + 9/64
    cm_joint_entr: hxy,
    cm_diff_avg: 0.5, // 1 * 1/2
    cm_diff_var: 0.25, // (0-1/2)^2/2 + (1-1/2)^2/2
    cm_diff_entr: 1,
    cm_sum_avg: 2.5, // 2/2 + 3/2
    cm_sum_var: 0.25,
    cm_sum_entr: 1,
    cm_energy: 0.375, // 1/4 + 2/16
    cm_contrast: 0.5, // 1^2 * 1/2
    cm_dissimilarity: 0.5,
    cm_inv_diff: 0.75, // 1/2 + (1/2)/2
    cm_inv_diff_norm: 0.5 + 0.5 / 1.5, // 1/2 + (1/2)/(1 + 1/2)
    cm_inv_diff_mom: 0.75, // 1/2 + (1/2)/(1 + 1)
    cm_inv_diff_mom_norm: 0.9, // 1/2 + (1/2)/(1 + 1/4)
    cm_inv_var: 0.5, // (1/2)/1^2
    cm_corr: -1 / 3, // (sum ij p_ij - mu^2)/sigma^2 = (3/2 - 25/16)/(3/16)
    cm_auto_corr: 1.5, // 1*1/2 + 2*1/4 + 2*1/4
    cm_clust_tend: 0.25, // (2-5/2)^2/2 + (3-5/2)^2/2
    cm_clust_shade: 0, // (-1/2)^3/2 + (1/2)^3/2
    cm_clust_prom: 0.0625, // (1/2)^4
    cm_info_corr1: (hxy - hxy1) / hx,
    cm_info_corr2: Math.sqrt(1 - Math.exp(-2 * (hxy2 - hxy))),
  };
  const got = byKey(glcmFeatures(grid([1, 1, 2], [3, 1, 1], 2), [3, 1, 1], { distance: 1 }));
  assert.equal(got.size, 25 * 6);
  for (const aggregation of AGGREGATIONS) {
    for (const [tag, value] of Object.entries(expected)) {
      assertClose(got.get(`${tag}|${aggregation}`), value, `${tag}|${aggregation}`);
    }
  }
});

test("GLCM aggregations differ as IBSI defines: averaging vs merging over slices and directions", () => {
  // Size 2 x 1 x 2: slice z=0 holds levels 1 2, slice z=1 holds 1 1 (Ng 2).
  // 2D: slice 0, direction (1,0): M12 = M21 = 1 -> joint max 1/2; slice 1: M11 = 2 -> joint max 1.
  //   BTW3 and SUJT (one non-empty matrix per slice): (1/2 + 1)/2 = 3/4.
  //   JJUI and ZW7Z (slices merged: M11 = 2, M12 = M21 = 1, sum 4): 1/2.
  // 3D: (1,0,0) as merged above -> 1/2; (0,0,1): pairs (1,1), (2,1) -> same matrix -> 1/2;
  //   (1,0,1): pair (1,1) -> 1; (1,0,-1): pair (1,2) -> 1/2; other 9 directions empty.
  //   ITBB: (1/2 + 1/2 + 1 + 1/2)/4 = 5/8. IAZD: M11 = 6, M12 = M21 = 3, sum 12 -> 1/2.
  const d = grid([1, 2, 1, 1], [2, 1, 2], 2);
  const got = byKey(glcmFeatures(d, [2, 1, 2], { distance: 1 }));
  const jointMax = { BTW3: 0.75, SUJT: 0.75, JJUI: 0.5, ZW7Z: 0.5, ITBB: 0.625, IAZD: 0.5 };
  for (const [aggregation, value] of Object.entries(jointMax)) {
    assertClose(got.get(`cm_joint_max|${aggregation}`), value, `cm_joint_max|${aggregation}`);
  }
  // Slice 1's matrix has no off-diagonal cell: inverse variance is undefined there (MIRP: NaN) and
  // that matrix is left out of the 2D average; slice 0: p_{i-j,1} = 1 -> 1/1^2 = 1.
  assertClose(got.get("cm_inv_var|BTW3"), 1, "cm_inv_var|BTW3");
  // Correlation of a single-level matrix is 1 by MIRP's convention (0/0); slice 0: marginals 1/2,
  // mu = 3/2, sigma^2 = 1/4, sum ij p_ij = 2 -> (2 - 9/4)/(1/4) = -1. BTW3: (-1 + 1)/2 = 0.
  assertClose(got.get("cm_corr|BTW3"), 0, "cm_corr|BTW3");
});

test("GLCM distance 2 pairs voxels two apart", () => {
  // Row 1 2 1 (Ng 2) at distance 2: the only pair is (1,1) along (2,0,0): p11 = 1, joint max 1.
  // At distance 1: pairs (1,2), (2,1): p12 = p21 = 1/2, joint max 1/2.
  const d = grid([1, 2, 1], [3, 1, 1], 2);
  const far = byKey(glcmFeatures(d, [3, 1, 1], { distance: 2 }));
  const near = byKey(glcmFeatures(d, [3, 1, 1], { distance: 1 }));
  assertClose(far.get("cm_joint_max|IAZD"), 1, "distance 2");
  assertClose(near.get("cm_joint_max|IAZD"), 0.5, "distance 1");
});

test("GLRLM of the row 1 1 2 (Ng 2): every feature by hand per aggregation", () => {
  // Direction (1,0,0): runs (level 1, length 2) and (level 2, length 1): N_s = 2, N_v = 3 (matrix A).
  // Every other direction, 2D or 3D, crosses the row in single voxels: runs (1,1) x 2 and (2,1) x 1:
  // N_s = 3, N_v = 3 (matrix B).
  const a: Record<string, number> = {
    rlm_sre: (1 / 4 + 1) / 2, // (r_.2/2^2 + r_.1/1^2)/N_s
    rlm_lre: (4 + 1) / 2,
    rlm_lgre: (1 + 1 / 4) / 2, // (r_1./1^2 + r_2./2^2)/N_s
    rlm_hgre: (1 + 4) / 2,
    rlm_srlge: (1 / 4 + 1 / 4) / 2, // (1/(1*4) + 1/(4*1))/N_s
    rlm_srhge: (1 / 4 + 4) / 2, // (1*1/4 + 4*1/1)/N_s
    rlm_lrlge: (4 + 1 / 4) / 2, // (4/1 + 1/4)/N_s
    rlm_lrhge: (4 + 4) / 2, // (1*4 + 4*1)/N_s
    rlm_glnu: (1 + 1) / 2,
    rlm_glnu_norm: 2 / 4,
    rlm_rlnu: (1 + 1) / 2,
    rlm_rlnu_norm: 2 / 4,
    rlm_r_perc: 2 / 3,
    rlm_gl_var: 0.25, // levels 1, 2 each p = 1/2
    rlm_rl_var: 0.25, // lengths 2, 1 each p = 1/2
    rlm_rl_entr: 1,
  };
  const b: Record<string, number> = {
    rlm_sre: 1,
    rlm_lre: 1,
    rlm_lgre: (2 + 1 / 4) / 3,
    rlm_hgre: (2 + 4) / 3,
    rlm_srlge: (2 + 1 / 4) / 3,
    rlm_srhge: (2 + 4) / 3,
    rlm_lrlge: (2 + 1 / 4) / 3,
    rlm_lrhge: (2 + 4) / 3,
    rlm_glnu: (4 + 1) / 3, // r_1. = 2, r_2. = 1
    rlm_glnu_norm: 5 / 9,
    rlm_rlnu: 9 / 3, // r_.1 = 3
    rlm_rlnu_norm: 1,
    rlm_r_perc: 1,
    rlm_gl_var: 2 / 9, // mu = 4/3: ((1/3)^2 * 2/3 + (2/3)^2 * 1/3)
    rlm_rl_var: 0,
    rlm_rl_entr: -((2 / 3) * Math.log2(2 / 3) + (1 / 3) * Math.log2(1 / 3)),
  };
  const got = byKey(glrlmFeatures(grid([1, 1, 2], [3, 1, 1], 2), [3, 1, 1]));
  assert.equal(got.size, 16 * 6);
  for (const tag of Object.keys(a)) {
    // BTW3 and JJUI (one slice): mean over the 4 in-plane directions = (A + 3B)/4.
    const inPlane = (a[tag]! + 3 * b[tag]!) / 4;
    assertClose(got.get(`${tag}|BTW3`), inPlane, `${tag}|BTW3`);
    assertClose(got.get(`${tag}|JJUI`), inPlane, `${tag}|JJUI`);
    // ITBB: mean over 13 directions = (A + 12B)/13.
    assertClose(got.get(`${tag}|ITBB`), (a[tag]! + 12 * b[tag]!) / 13, `${tag}|ITBB`);
  }
  // Merged 2D (SUJT, ZW7Z): cells (1,2): 1, (2,1): 1 + 3, (1,1): 6 -> N_s = 11, N_v = 4 * 3 = 12.
  for (const aggregation of ["SUJT", "ZW7Z"]) {
    assertClose(got.get(`rlm_r_perc|${aggregation}`), 11 / 12, `rlm_r_perc|${aggregation}`);
    assertClose(got.get(`rlm_sre|${aggregation}`), (1 / 4 + 10) / 11, `rlm_sre|${aggregation}`);
  }
  // IAZD: (1,2): 1, (2,1): 1 + 12, (1,1): 24 -> N_s = 38, N_v = 13 * 3 = 39.
  assertClose(got.get("rlm_r_perc|IAZD"), 38 / 39, "rlm_r_perc|IAZD");
  assertClose(got.get("rlm_lre|IAZD"), (4 + 37) / 38, "rlm_lre|IAZD");
});

test("GLRLM run percentage of a slice-stack: N_v is summed over merged matrices", () => {
  // Two slices of a 2 x 1 x 2 grid: z=0 levels 1 1, z=1 level 2 and outside the ROI (0).
  // 2D, direction (1,0): slice 0 one run of length 2 (N_s 1, N_v 2); slice 1 one run (N_s 1, N_v 1).
  // Other in-plane directions: slice 0 two runs (N_s 2, N_v 2), slice 1 one run.
  // SUJT: slice 0 merged N_s = 1 + 3*2 = 7 over N_v = 8; slice 1: 4 / 4 -> (7/8 + 1)/2 = 15/16.
  // ZW7Z: N_s = 7 + 4 = 11, N_v = 4 * 3 = 12.
  const got = byKey(glrlmFeatures(grid([1, 1, 2, 0], [2, 1, 2], 2), [2, 1, 2]));
  assertClose(got.get("rlm_r_perc|SUJT"), 15 / 16, "rlm_r_perc|SUJT");
  assertClose(got.get("rlm_r_perc|ZW7Z"), 11 / 12, "rlm_r_perc|ZW7Z");
});

test("CodeCounter: dense (sorted or scanned) and Map counting give the same sparse matrix", () => {
  // Codes 7, 3, 7, 1000, 3 with weights 1, 2, 3, 4, 5 -> 3: 7, 7: 4, 1000: 4 (sorted by code).
  const events: [number, number][] = [
    [7, 1],
    [3, 2],
    [7, 3],
    [1000, 4],
    [3, 5],
  ];
  const expected = ["3:7", "7:4", "1000:4"];
  // 1001 codes with 3 touched cells: drained by sorting the touched codes; 2^23 codes: a Map.
  for (const codeSpace of [1001, 1 << 23]) {
    const counter = new CodeCounter(codeSpace);
    for (const [code, weight] of events) counter.add(code, weight);
    const m = counter.drain();
    assert.deepEqual(
      Array.from(m.codes, (c, k) => `${c}:${m.counts[k]}`),
      expected,
      `code space ${codeSpace}`,
    );
    assert.equal(counter.drain().codes.length, 0, "drain empties the counter");
  }
  const scanned = new CodeCounter(1024);
  for (let c = 1023; c >= 0; c -= 3) scanned.add(c, 1); // 342 cells: 342 log2 343 > 1024
  const m = scanned.drain();
  assert.equal(m.codes.length, 342);
  assert.ok(
    m.codes.every((c, k) => k === 0 || c > m.codes[k - 1]!),
    "codes ascending",
  );
  assert.ok(m.counts.every((n) => n === 1));
});

test("GLCM pairs counted in WebAssembly equal those counted in TypeScript, matrix by matrix", () => {
  // 9 x 8 x 5 random levels 0..6 (0 outside the ROI), distances 1 and 2, every slice and direction.
  const size: Vec3 = [9, 8, 5];
  let state = 11;
  const levels = Int32Array.from({ length: 9 * 8 * 5 }, () => {
    state = (state * 16807) % 2147483647;
    return state % 7;
  });
  const d: IbsiDiscretised = { levels, nLevels: 6 };
  for (const distance of [1, 2]) {
    const here = cooccurrenceMatrices(d, size, distance, true, new CodeCounter(36));
    const kernel = new KernelCodeCounts(levels, 36);
    const there = cooccurrenceMatrices(
      d,
      size,
      distance,
      true,
      new CodeCounter(36, kernel.cells),
      kernel,
    );
    assert.equal(here.perSlice.length, 5);
    assert.equal(here.perDirection3d.length, 13);
    assert.deepEqual(there, here, `distance ${distance}`);
  }
});

test("GLRLM runs counted in WebAssembly equal those counted in TypeScript, matrix by matrix", () => {
  // 11 x 7 x 6 random levels 0..4 (0 outside the ROI): runs of every length in every direction.
  const size: Vec3 = [11, 7, 6];
  let state = 29;
  const levels = Int32Array.from({ length: 11 * 7 * 6 }, () => {
    state = (state * 16807) % 2147483647;
    return state % 5 === 0 ? 0 : 1 + (state % 3 === 0 ? 0 : state % 4);
  });
  const d: IbsiDiscretised = { levels, nLevels: 4 };
  const here = runLengthMatrices(d, size, true, { inKernel: false });
  const there = runLengthMatrices(d, size, true);
  assert.equal(here.set.perDirection3d.length, 13);
  assert.ok(here.maxRun > 1);
  assert.deepEqual(there.set, here.set);
  assert.equal(there.maxRun, here.maxRun);
});

test("GLCM with Ng 3000 (sparse Map counting): Ng enters only the normalised features", () => {
  // Row 1 1 2 as in the hand-computed case; Ng = 3000 changes only
  // inv_diff_norm = 1/2 + (1/2)/(1 + 1/3000) and inv_diff_mom_norm = 1/2 + (1/2)/(1 + 1/3000^2).
  const got = byKey(glcmFeatures(grid([1, 1, 2], [3, 1, 1], 3000), [3, 1, 1], { distance: 1 }));
  assertClose(got.get("cm_joint_max|IAZD"), 0.5, "cm_joint_max");
  assertClose(got.get("cm_contrast|IAZD"), 0.5, "cm_contrast");
  assertClose(got.get("cm_inv_diff_norm|IAZD"), 0.5 + 0.5 / (1 + 1 / 3000), "cm_inv_diff_norm");
  assertClose(
    got.get("cm_inv_diff_mom_norm|IAZD"),
    0.5 + 0.5 / (1 + 1 / 3000 ** 2),
    "cm_inv_diff_mom_norm",
  );
});

test("Empty and single-voxel ROIs: NaN only where no matrix exists", () => {
  const empty = grid([0, 0, 0], [3, 1, 1], 2);
  const cmEmpty = glcmFeatures(empty, [3, 1, 1], { distance: 1 });
  assert.equal(cmEmpty.length, 25 * 6);
  assert.ok(cmEmpty.every((f) => Number.isNaN(f.value)));
  assert.ok(glrlmFeatures(empty, [3, 1, 1]).every((f) => Number.isNaN(f.value)));
  // One voxel: no GLCM pair anywhere (all NaN), but one run of length 1 in every direction.
  const single = grid([0, 2, 0], [3, 1, 1], 2);
  assert.ok(glcmFeatures(single, [3, 1, 1], { distance: 1 }).every((f) => Number.isNaN(f.value)));
  const rlm = byKey(glrlmFeatures(single, [3, 1, 1]));
  assert.equal(rlm.get("rlm_r_perc|IAZD"), 1);
  assert.equal(rlm.get("rlm_hgre|BTW3"), 4); // level 2: 2^2 * 1 run / 1 run
});

test("dimensions option limits the aggregations computed", () => {
  const d = grid([1, 1, 2], [3, 1, 1], 2);
  const cm = glcmFeatures(d, [3, 1, 1], { distance: 1, dimensions: ["3D"] });
  assert.deepEqual([...new Set(cm.map((f) => f.aggregation))], ["ITBB", "IAZD"]);
  const rlm = glrlmFeatures(d, [3, 1, 1], { dimensions: ["2D", "2.5D"] });
  assert.deepEqual([...new Set(rlm.map((f) => f.aggregation))], ["BTW3", "SUJT", "JJUI", "ZW7Z"]);
});

test("Bad input: an IbsiSettingError naming the setting", () => {
  const d = grid([1, 1, 2], [3, 1, 1], 2);
  const size: Vec3 = [3, 1, 1];
  const throwsSetting = (f: () => unknown, pattern: RegExp) =>
    assert.throws(f, (e: unknown) => e instanceof IbsiSettingError && pattern.test(e.message));
  throwsSetting(() => glcmFeatures(d, size, { distance: 0 }), /GLCM: distance/);
  throwsSetting(() => glcmFeatures(d, size, { distance: 1.5 }), /GLCM: distance/);
  throwsSetting(() => glcmFeatures(d, [2, 1, 1], { distance: 1 }), /GLCM: levels has 3 entries/);
  throwsSetting(() => glrlmFeatures({ levels: d.levels, nLevels: 0 }, size), /GLRLM: nLevels/);
  throwsSetting(
    () => glrlmFeatures(grid([1, 3, 2], size, 2), size),
    /GLRLM: levels must lie in 0..nLevels/,
  );
  throwsSetting(() => glrlmFeatures(grid([1, -1, 2], size, 2), size), /GLRLM: levels must lie/);
  throwsSetting(() => glrlmFeatures(d, [3, 1, 0]), /GLRLM: size/);
  throwsSetting(
    () => glcmFeatures(d, size, { distance: 1, dimensions: ["4D" as "3D"] }),
    /GLCM: dimensions/,
  );
});
