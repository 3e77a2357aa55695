/**
 * GLCM, GLDM and NGTDM sharing one pass over the neighbour pairs (the sharedClasses hint) give the
 * same values, bit for bit, as each class computed alone (whose values the class tests and the
 * PyRadiomics parity suite check), across distances, gldm_a, force2D and a true 2D ROI, and in any
 * order of the classes.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { computeGlcmFeatures, GLCM_CLASS } from "../src/features/glcm.js";
import { computeGldmFeatures, GLDM_CLASS } from "../src/features/gldm.js";
import { sharedNeighbourTallies } from "../src/features/neighbour-tallies.js";
import { computeNgtdmFeatures, NGTDM_CLASS } from "../src/features/ngtdm.js";
import {
  DEFAULT_TEXTURE_SETTINGS,
  type DiscretisedRoi,
  type TextureSettings,
} from "../src/features/types.js";
import { RRandom } from "../src/stats/random.js";

/** A 3D (or 2D) ROI of random levels 1..levels inside a random blob. */
function randomRoi(seed: number, size: [number, number, number], levels: number): DiscretisedRoi {
  const rng = new RRandom(seed);
  const n = size[0] * size[1] * size[2];
  const mask = new Uint8Array(n);
  const data = new Int32Array(n);
  const [cx, cy, cz] = size.map((s) => (s - 1) / 2);
  for (let z = 0, i = 0; z < size[2]; z++) {
    for (let y = 0; y < size[1]; y++) {
      for (let x = 0; x < size[0]; x++, i++) {
        const r2 =
          ((x - cx!) / (size[0] / 2)) ** 2 +
          ((y - cy!) / (size[1] / 2)) ** 2 +
          (size[2] > 1 ? ((z - cz!) / (size[2] / 2)) ** 2 : 0);
        mask[i] = r2 < 0.9 + 0.2 * rng.unifRand() ? 1 : 0;
        data[i] = 1 + Math.floor(levels * rng.unifRand());
      }
    }
  }
  return {
    levels: data,
    mask,
    size,
    spacing: [1, 1, 2],
    nLevels: levels,
    dimension: size[2] === 1 ? 2 : 3,
  };
}

const CLASSES = [
  { name: "glcm", compute: computeGlcmFeatures, info: GLCM_CLASS },
  { name: "gldm", compute: computeGldmFeatures, info: GLDM_CLASS },
  { name: "ngtdm", compute: computeNgtdmFeatures, info: NGTDM_CLASS },
] as const;

function allFeatures(roi: DiscretisedRoi, settings: TextureSettings, order: number[]) {
  const out: Record<string, number> = {};
  for (const k of order) {
    const c = CLASSES[k]!;
    const values = c.compute(roi, settings, c.info.features);
    for (const [f, v] of Object.entries(values)) out[`${c.name}_${f}`] = v;
  }
  return out;
}

const cases: { what: string; roi: DiscretisedRoi; settings: Partial<TextureSettings> }[] = [
  { what: "3D, defaults", roi: randomRoi(1, [12, 10, 7], 6), settings: {} },
  {
    what: "3D, distances [1, 2], gldm_a 1",
    roi: randomRoi(2, [11, 9, 8], 5),
    settings: { distances: [1, 2], gldm_a: 1 },
  },
  {
    what: "3D, force2D along z",
    roi: randomRoi(3, [10, 10, 6], 4),
    settings: { force2D: true, force2Ddimension: 0 },
  },
  { what: "true 2D", roi: randomRoi(4, [15, 13, 1], 7), settings: { symmetricalGLCM: false } },
];

for (const c of cases) {
  test(`shared neighbour pass equals each class's own loop: ${c.what}`, () => {
    const settings = { ...DEFAULT_TEXTURE_SETTINGS, ...c.settings };
    const alone = allFeatures({ ...c.roi }, settings, [0, 1, 2]);
    // With the hint one pass tallies all three classes; without it, only the class asking.
    const hinted = sharedNeighbourTallies(
      { ...c.roi, sharedClasses: ["glcm", "gldm", "ngtdm"] },
      settings,
      "ngtdm",
    );
    assert.ok(hinted.glcm && hinted.dependent && hinted.neighbours && hinted.sums);
    const alonePass = sharedNeighbourTallies({ ...c.roi }, settings, "ngtdm");
    assert.ok(alonePass.neighbours && alonePass.sums);
    assert.equal(alonePass.glcm, null);
    assert.equal(alonePass.dependent, null);
    for (const order of [
      [0, 1, 2],
      [2, 1, 0],
      [1, 0, 2],
    ]) {
      const shared = allFeatures(
        { ...c.roi, sharedClasses: ["firstorder", "glcm", "gldm", "ngtdm"] },
        settings,
        order,
      );
      for (const [k, v] of Object.entries(alone))
        assert.ok(Object.is(shared[k], v), `${k}: ${shared[k]} != ${v}`);
    }
    // Two of the three hinted: the third runs alone, the same values again.
    const pair = allFeatures({ ...c.roi, sharedClasses: ["gldm", "ngtdm"] }, settings, [0, 1, 2]);
    for (const [k, v] of Object.entries(alone)) assert.ok(Object.is(pair[k], v), k);
  });
}
