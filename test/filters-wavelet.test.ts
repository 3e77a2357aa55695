/**
 * Wavelet image type: hand-computed Haar SWTs (periodic wrap, no filter dilation between levels),
 * filter-bank identities (sum, energy, QMF rule, double-shift orthogonality, closed-form db2 and
 * CDF 5/3 filters), naming/order of the decompositions, errors, region (bounding-box) computation
 * equal to the whole image's, and one PyRadiomics oracle check.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import type { DerivedImage } from "../src/extract/extractor.js";
import { extractFeatures } from "../src/extract/extractor.js";
import { DEFAULT_SETTINGS, parseParams, type Settings } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { WAVELET_NAMES, waveletFilterBank, waveletImages } from "../src/filters/wavelet.js";
import { IDENTITY3, type Vec3, type Volume, type VoxelArray } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import {
  assertOracleValues,
  missingReference,
  readOracle,
  referenceDir,
} from "./support/reference.js";
import { assertSameInRegion, randomVolume, testRegions } from "./support/regions.js";

const C = Math.SQRT1_2; // Haar tap 1/sqrt(2)

function volume(data: VoxelArray, size: Vec3, dimension: 2 | 3 = 3): Volume {
  return {
    data,
    size,
    spacing: [0.5, 0.75, 2],
    origin: [1, 2, 3],
    direction: [...IDENTITY3],
    dimension,
  };
}

function run(image: Volume, overrides: Partial<Settings>): DerivedImage[] {
  const settings: Settings = { ...DEFAULT_SETTINGS, ...overrides };
  return [...waveletImages(image, new Uint8Array(image.data.length), settings)];
}

function assertClose(got: ArrayLike<number>, want: number[], tol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    assert.ok(Math.abs(got[i]! - want[i]!) <= tol, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  }
}

/** A 1-D signal along x: a 2D image transformed along x only (force2D drops numpy axis 0 = y). */
function line(values: number[]): Volume {
  return volume(Float64Array.from(values), [values.length, 1, 1], 2);
}
const alongX: Partial<Settings> = { wavelet: "haar", force2D: true, force2Ddimension: 0 };

test("haar SWT of a 1-D signal: a[n] = (x[n] + x[n+1]) / sqrt2, d[n] = (x[n] - x[n+1]) / sqrt2, periodic", () => {
  const out = run(line([1, 3, 6, 10]), alongX);
  assert.deepEqual(
    out.map((d) => d.name),
    ["wavelet-H", "wavelet-L"],
  );
  assertClose(out[0]!.image.data, [-2 * C, -3 * C, -4 * C, 9 * C], 1e-14, "detail");
  assertClose(out[1]!.image.data, [4 * C, 9 * C, 16 * C, 11 * C], 1e-14, "approximation");
});

test("odd length: padded by one sample with wrap (x[0] repeated), then cropped back", () => {
  // [1, 3, 6] -> [1, 3, 6, 1]
  const out = run(line([1, 3, 6]), alongX);
  assertClose(out[0]!.image.data, [-2 * C, -3 * C, 5 * C], 1e-14, "detail");
  assertClose(out[1]!.image.data, [4 * C, 9 * C, 7 * C], 1e-14, "approximation");
});

test("level 2 re-applies the undilated filters to the level-1 approximation", () => {
  // a1 = C [4, 9, 16, 11]; a2[n] = C (a1[n] + a1[n+1]) = [13, 25, 27, 15] / 2; d2 = [-5, -7, 5, 7] / 2
  // (a dilated 'a trous' filter would pair a1[n] with a1[n+2] instead).
  const out = run(line([1, 3, 6, 10]), { ...alongX, level: 2 });
  assert.deepEqual(
    out.map((d) => d.name),
    ["wavelet-H", "wavelet2-H", "wavelet2-L"],
  );
  assertClose(out[1]!.image.data, [-2.5, -3.5, 2.5, 3.5], 1e-14, "level-2 detail");
  assertClose(out[2]!.image.data, [6.5, 12.5, 13.5, 7.5], 1e-14, "level-2 approximation");
  // start_level 1 discards level 1 and names the next level 'wavelet-'.
  const skipped = run(line([1, 3, 6, 10]), { ...alongX, start_level: 1 });
  assert.deepEqual(
    skipped.map((d) => d.name),
    ["wavelet-H", "wavelet-L"],
  );
  assertClose(skipped[0]!.image.data, [-2.5, -3.5, 2.5, 3.5], 1e-14, "start_level 1 detail");
});

test("haar SWT of a 2x2x2 volume v = 1 + x + 2y + 4z: band = C^3 sum of (+-1)^axis v", () => {
  const data = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const out = run(volume(data, [2, 2, 2]), { wavelet: "haar" });
  const names = out.map((d) => d.name);
  assert.deepEqual(names, [
    "wavelet-LLH",
    "wavelet-LHL",
    "wavelet-LHH",
    "wavelet-HLL",
    "wavelet-HLH",
    "wavelet-HHL",
    "wavelet-HHH",
    "wavelet-LLL",
  ]);
  const c3 = C * C * C;
  const byName = new Map(out.map((d) => [d.name, d.image.data]));
  // key characters are x, y, z; the high band at index 0 is (v[0] - v[1]), at index 1 its negative.
  const sign = (x: number, y: number, z: number, hx: boolean, hy: boolean, hz: boolean) =>
    (hx && x ? -1 : 1) * (hy && y ? -1 : 1) * (hz && z ? -1 : 1);
  const expect = (hx: boolean, hy: boolean, hz: boolean): number[] => {
    const res: number[] = [];
    for (let z = 0; z < 2; z++) {
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 2; x++) {
          let s = 0;
          for (let k = 0; k < 8; k++) {
            const [vx, vy, vz] = [k & 1, (k >> 1) & 1, (k >> 2) & 1];
            s += sign(vx, vy, vz, hx, hy, hz) * data[k]!;
          }
          res.push(sign(x, y, z, hx, hy, hz) * c3 * s);
        }
      }
    }
    return res;
  };
  assertClose(byName.get("wavelet-LLL")!, new Array(8).fill(36 * c3), 1e-13, "LLL");
  assertClose(byName.get("wavelet-LLH")!, expect(false, false, true), 1e-13, "LLH");
  assertClose(byName.get("wavelet-LHL")!, expect(false, true, false), 1e-13, "LHL");
  assertClose(byName.get("wavelet-HLL")!, expect(true, false, false), 1e-13, "HLL");
  assertClose(byName.get("wavelet-LLH")!.slice(0, 1), [-16 * c3], 1e-13, "LLH(0,0,0)");
  assertClose(byName.get("wavelet-HLL")!.slice(0, 1), [-4 * c3], 1e-13, "HLL(0,0,0)");
  assertClose(byName.get("wavelet-HHH")!, new Array(8).fill(0), 1e-13, "HHH of a linear ramp");
});

test("float32 images are transformed in float32 (pywt keeps the dtype), as C float arithmetic", () => {
  const f = Math.fround;
  const c = f(C);
  const out = run(volume(Float32Array.from([1, 3, 6, 10]), [4, 1, 1], 2), alongX);
  assert.ok(out[1]!.image.data instanceof Float32Array);
  // o = 0..2: f(c*x[o+1]) + f(c*x[o]); o = 3 (wrapped): f(c*x[0]) + f(c*x[3]); each sum rounded.
  const x = [1, 3, 6, 10];
  const want = [0, 1, 2].map((o) => f(f(c * x[o + 1]!) + f(c * x[o]!)));
  want.push(f(f(c * x[0]!) + f(c * x[3]!)));
  assert.deepEqual([...out[1]!.image.data], want);
});

test("decompositions: 8 at level 1, 15 at level 2, 4 in-plane with force2D; float64 on the input grid", () => {
  const size: Vec3 = [5, 4, 3];
  const image = volume(
    new Int16Array(60).map((_, i) => (i * 37) % 23),
    size,
  );
  const l1 = run(image, {});
  assert.equal(l1.length, 8);
  const l2 = run(image, { level: 2 });
  assert.equal(l2.length, 15);
  assert.deepEqual(
    l2.slice(7).map((d) => d.name),
    [
      "wavelet2-LLH",
      "wavelet2-LHL",
      "wavelet2-LHH",
      "wavelet2-HLL",
      "wavelet2-HLH",
      "wavelet2-HHL",
      "wavelet2-HHH",
      "wavelet2-LLL",
    ],
  );
  const flat = run(image, { force2D: true, force2Ddimension: 0 });
  assert.deepEqual(
    flat.map((d) => d.name),
    ["wavelet-LH", "wavelet-HL", "wavelet-HH", "wavelet-LL"],
  );
  for (const d of [...l1, ...flat]) {
    assert.ok(d.image.data instanceof Float64Array, `${d.name} is float64`);
    assert.deepEqual(d.image.size, size);
    assert.deepEqual(d.image.spacing, image.spacing);
    assert.deepEqual(d.image.origin, image.origin);
  }
  // force2D with force2Ddimension 0 transforms each z slice on its own: slice z of the result only
  // depends on slice z of the input.
  const changed = volume(Int16Array.from(image.data as Int16Array), size);
  changed.data[2 * 20 + 7] = 999;
  const flat2 = run(changed, { force2D: true, force2Ddimension: 0 });
  for (let i = 0; i < 40; i++) assert.equal(flat2[0]!.image.data[i], flat[0]!.image.data[i]);
  // settings pass through unchanged
  assert.equal(flat[0]!.settings.force2D, true);
});

test("filter banks: orthogonal families have sum sqrt2, unit energy, QMF high-pass, double-shift orthogonality", () => {
  const orthogonal = WAVELET_NAMES.filter((n) => /^(haar|db|sym|coif|dmey)/.test(n));
  assert.equal(orthogonal.length, 1 + 38 + 19 + 17 + 1);
  for (const name of orthogonal) {
    const { decLo, decHi } = waveletFilterBank(name);
    const len = decLo.length;
    const tol = 1e-9;
    let sum = 0;
    for (const v of decLo) sum += v;
    assert.ok(Math.abs(sum - Math.SQRT2) <= tol, `${name}: sum dec_lo = ${sum}`);
    // dmey is a truncated FIR approximation of the Meyer filter and is not exactly orthonormal
    // (its energy is about 1.002), so only the sum and the QMF rule are checked for it.
    for (let shift = 0; name !== "dmey" && shift < len; shift += 2) {
      let dot = 0;
      for (let k = 0; k + shift < len; k++) dot += decLo[k]! * decLo[k + shift]!;
      assert.ok(Math.abs(dot - (shift === 0 ? 1 : 0)) <= tol, `${name}: shift ${shift} -> ${dot}`);
    }
    // QMF: dec_hi[k] = (-1)^(k+1) dec_lo[L-1-k] (L even), exactly.
    for (let k = 0; k < len; k++) {
      assert.equal(decHi[k], (k % 2 ? 1 : -1) * decLo[len - 1 - k]!, `${name}: dec_hi[${k}]`);
    }
  }
  const lengths = (p: string, orders: number[], per: number) =>
    orders.every((k) => waveletFilterBank(`${p}${k}`).decLo.length === per * k);
  assert.ok(lengths("db", [1, 2, 10, 38], 2));
  assert.ok(lengths("sym", [2, 8, 20], 2));
  assert.ok(lengths("coif", [1, 5, 17], 6));
  assert.equal(waveletFilterBank("dmey").decLo.length, 62);
});

test("closed forms: db2 = [1-r3, 3-r3, 3+r3, 1+r3] / (4 sqrt2); bior2.2 / rbio2.2 = CDF 5/3 filters", () => {
  const r3 = Math.sqrt(3);
  const den = 4 * Math.SQRT2;
  assertClose(
    waveletFilterBank("db2").decLo,
    [(1 - r3) / den, (3 - r3) / den, (3 + r3) / den, (1 + r3) / den],
    1e-15,
    "db2 dec_lo",
  );
  assertClose(waveletFilterBank("haar").decLo, [C, C], 0, "haar dec_lo");
  assertClose(waveletFilterBank("haar").decHi, [-C, C], 0, "haar dec_hi");
  const s = Math.SQRT2;
  // analysis low-pass sqrt2 [-1, 2, 6, 2, -1] / 8, analysis high-pass sqrt2 [1, -2, 1] / 4
  const bior = waveletFilterBank("bior2.2");
  assertClose(bior.decLo, [0, -s / 8, s / 4, (3 * s) / 4, s / 4, -s / 8], 1e-15, "bior2.2 dec_lo");
  assertClose(bior.decHi, [0, s / 4, -s / 2, s / 4, 0, 0], 1e-15, "bior2.2 dec_hi");
  // rbio swaps analysis and synthesis: dec_lo = reversed synthesis low-pass, dec_hi = +-analysis
  const rbio = waveletFilterBank("rbio2.2");
  assertClose(rbio.decLo, [0, 0, s / 4, s / 2, s / 4, 0], 1e-15, "rbio2.2 dec_lo");
  assertClose(rbio.decHi, [s / 8, s / 4, (-3 * s) / 4, s / 4, s / 8, 0], 1e-15, "rbio2.2 dec_hi");
  // every biorthogonal analysis pair: low-pass sums to sqrt2, high-pass to 0
  for (const name of WAVELET_NAMES.filter((n) => /^(bior|rbio)/.test(n))) {
    const { decLo, decHi } = waveletFilterBank(name);
    const sumLo = decLo.reduce((a, b) => a + b, 0);
    const sumHi = decHi.reduce((a, b) => a + b, 0);
    // the published tables carry about 12 significant digits
    assert.ok(Math.abs(sumLo - s) < 1e-10, `${name}: sum dec_lo ${sumLo}`);
    assert.ok(Math.abs(sumHi) < 1e-10, `${name}: sum dec_hi ${sumHi}`);
  }
  assert.equal(WAVELET_NAMES.filter((n) => /^(bior|rbio)/.test(n)).length, 30);
});

test("unknown and continuous wavelet names give an error listing the valid names", () => {
  assert.throws(() => waveletFilterBank("db39"), /unknown wavelet 'db39'.*coif1.*haar/s);
  assert.throws(() => waveletFilterBank("gaus1"), /'gaus1' is a continuous wavelet/);
  const image = volume(new Float64Array(8), [2, 2, 2]);
  assert.throws(
    () => run(image, { wavelet: "Haar" }),
    /setting 'wavelet'.*Valid names: .*bior1\.1/s,
  );
  assert.throws(
    () => run(volume(new Float64Array(4), [2, 2, 1], 2), { force2D: true, force2Ddimension: 2 }),
    /force2Ddimension/,
  );
});

test("oracle: breast1 Wavelet (coif1), haar level 2 and force2D features equal PyRadiomics'", async (t) => {
  const ref = referenceDir();
  const root = ref ? join(ref, "pyradiomics") : "";
  if (!ref || !existsSync(join(root, "oracle", "breast1__imagetype_Wavelet.json"))) {
    console.log(missingReference("Wavelet oracle check"));
    t.skip("reference folder absent");
    return;
  }
  const [image, mask] = await Promise.all([
    readImageFile(join(root, "data", "breast1_image.nrrd")),
    readImageFile(join(root, "data", "breast1_label.nrrd")),
  ]);
  for (const p of ["imagetype_Wavelet", "imagetype_Wavelet_haar_L2", "imagetype_Wavelet_force2D"]) {
    const params = parseParams(
      readFileSync(join(root, "params", `${p}.yaml`), "utf8"),
      FEATURE_CATALOGUE,
    );
    const want = readOracle(root, `breast1__${p}`);
    const got = extractFeatures(image, mask, params, {
      filters: {
        derivedImages(type, img, roi, s) {
          if (type === "Wavelet") return waveletImages(img, roi, s);
          throw new Error(`unexpected image type ${type}`);
        },
      },
    }).features;
    assert.deepEqual(Object.keys(got), Object.keys(want), `${p}: feature names and order`);
    assertOracleValues(got, want, p);
  }
});

test("a region gives the whole-image decompositions inside it, bit for bit (all levels, padding, float32)", () => {
  const cases: { image: Volume; settings: Partial<Settings> }[] = [
    { image: randomVolume((n) => new Int16Array(n), [21, 18, 13], -100, 800), settings: {} },
    {
      image: randomVolume((n) => new Float32Array(n), [16, 13, 11], -3, 3, 9),
      settings: { wavelet: "db3" },
    },
    {
      image: randomVolume((n) => new Float64Array(n), [15, 17, 9], 0, 50, 3),
      settings: { wavelet: "haar", level: 2, start_level: 1 },
    },
    {
      image: randomVolume((n) => new Int16Array(n), [19, 14, 12], 0, 500, 4),
      settings: { wavelet: "sym4", force2D: true, force2Ddimension: 0 },
    },
    {
      image: randomVolume((n) => new Float64Array(n), [22, 15, 1], -9, 9, 8, 2),
      settings: { wavelet: "coif2" },
    },
  ];
  for (const { image, settings: overrides } of cases) {
    const settings: Settings = { ...DEFAULT_SETTINGS, ...overrides };
    const whole = run(image, overrides);
    for (const region of testRegions(image.size)) {
      const part = [...waveletImages(image, new Uint8Array(0), settings, region)];
      assert.deepEqual(
        part.map((d) => d.name),
        whole.map((d) => d.name),
      );
      part.forEach((d, k) => {
        assert.equal(d.image.data.constructor, whole[k]!.image.data.constructor);
        assertSameInRegion(
          whole[k]!.image.data,
          d.image.data,
          image.size,
          region,
          `${settings.wavelet} ${d.name}`,
        );
      });
    }
  }
});

test("a region outside the image is an error naming it", () => {
  const image = randomVolume((n) => new Int16Array(n), [8, 8, 8], 0, 10);
  const settings: Settings = { ...DEFAULT_SETTINGS };
  assert.throws(
    () => [
      ...waveletImages(image, new Uint8Array(0), settings, { lower: [2, 0, 0], upper: [1, 7, 7] }),
    ],
    /Wavelet: region \[2, 0, 0\]\.\.\[1, 7, 7\] is not inside the image/,
  );
});
