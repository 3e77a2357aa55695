/**
 * LBP2D / LBP3D image types: LBP codes of small patches worked out by hand (scikit-image's sampling
 * circle, bilinear interpolation, zero padding), rotation invariance of 'ror', the slicing axis,
 * the icosphere and spherical-harmonic building blocks against closed forms, a constant image
 * through LBP3D, and the PyRadiomics oracle through the engine.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { extractFeatures } from "../src/extract/extractor.js";
import { DEFAULT_SETTINGS, parseParams, type Settings } from "../src/extract/params.js";
import { FEATURE_CATALOGUE } from "../src/features/registry.js";
import { icosphere } from "../src/filters/icosphere.js";
import { lbp2DImages, lbp3DImages, localBinaryPattern } from "../src/filters/lbp.js";
import {
  acosRounded,
  associatedLegendre,
  atan2Rounded,
  cosRounded,
  powIntRounded,
  sinRounded,
  sphericalHarmonic,
} from "../src/filters/spherical-harmonics.js";
import { IDENTITY3, type Vec3, type Volume } from "../src/image/volume.js";
import { readImageFile } from "../src/node/files.js";
import {
  assertOracleValues,
  missingReference,
  readOracle,
  referenceDir,
} from "./support/reference.js";

/*
 * Hand-worked patch. Samples p = 0..7 of pixel (r, c) sit at (r - sin(p pi/4), c + cos(p pi/4)),
 * rounded to 5 decimals: right, up-right, up, up-left, left, down-left, down, down-right.
 * Centre 5: right 9, up 9, left 0, down 0 are exact; the diagonals interpolate with weights
 * 0.70711 / 0.29289: up-right ~ 8.4 and up-left ~ 6.8 (>= 5), down-left ~ 0.43 and
 * down-right ~ 2.3 (< 5). Bits 1,1,1,1,0,0,0,0: default 1 + 2 + 4 + 8 = 15; uniform: one change,
 * 4 ones -> 4. Corner (0, 0) = 9: only its right neighbour (9) reaches 9 (everything else mixes
 * in zeros, from the padding or the image): bits 1,0,...,0 -> default 1, uniform 1.
 */
const PATCH = Float64Array.from([9, 9, 9, 0, 5, 9, 0, 0, 0]);
/** The patch turned 90 degrees counter-clockwise (numpy rot90). */
const PATCH_ROT90 = Float64Array.from([9, 9, 0, 9, 5, 0, 9, 0, 0]);

test("LBP default and uniform codes of a 3x3 patch, by hand", () => {
  const def = localBinaryPattern(PATCH, 3, 3, 8, 1, "default");
  assert.equal(def[4], 15);
  assert.equal(def[0], 1);
  const uni = localBinaryPattern(PATCH, 3, 3, 8, 1, "uniform");
  assert.equal(uni[4], 4);
  assert.equal(uni[0], 1);
});

test("'ror' is rotation invariant; 'default' is not", () => {
  // Turned patch: bits 0,0,1,1,1,1,0,0 -> default 4 + 8 + 16 + 32 = 60; smallest rotation 15.
  const def = localBinaryPattern(PATCH_ROT90, 3, 3, 8, 1, "default");
  assert.equal(def[4], 60);
  const ror = localBinaryPattern(PATCH, 3, 3, 8, 1, "ror");
  const rorTurned = localBinaryPattern(PATCH_ROT90, 3, 3, 8, 1, "ror");
  assert.equal(ror[4], 15);
  assert.equal(rorTurned[4], 15);
  // uniform counts ones, so it is rotation invariant too (two changes here).
  assert.equal(localBinaryPattern(PATCH_ROT90, 3, 3, 8, 1, "uniform")[4], 4);
});

test("constant (zero) image: every sample equals the centre -> all bits set", () => {
  const zeros = new Float64Array(5 * 4);
  for (const v of localBinaryPattern(zeros, 4, 5, 8, 1, "default")) assert.equal(v, 255);
  for (const v of localBinaryPattern(zeros, 4, 5, 8, 1, "ror")) assert.equal(v, 255);
  for (const v of localBinaryPattern(zeros, 4, 5, 8, 1, "uniform")) assert.equal(v, 8);
  // 'var': zero variance is NaN in scikit-image.
  for (const v of localBinaryPattern(zeros, 4, 5, 8, 1, "var")) assert.ok(Number.isNaN(v));
  // 16 samples at radius 2: uniform code P = 16.
  for (const v of localBinaryPattern(zeros, 4, 5, 16, 2, "uniform")) assert.equal(v, 16);
});

test("LBP 'var' of a patch whose samples are all on the grid", () => {
  // P = 4, R = 1: samples right, up, left, down of the centre (exact grid points).
  const img = Float64Array.from([0, 2, 0, 4, 1, 6, 0, 8, 0]);
  const v = localBinaryPattern(img, 3, 3, 4, 1, "var");
  // textures 6, 2, 4, 8: mean 5, biased variance (1 + 9 + 1 + 9) / 4 = 5.
  assert.equal(v[4], 5);
});

function volume(data: Int16Array, size: Vec3): Volume {
  return {
    data,
    size,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [...IDENTITY3],
    dimension: 3,
  };
}

test("LBP2D slices along force2Ddimension and keeps the integer voxel type", () => {
  const size: Vec3 = [3, 3, 3];
  const idx = (x: number, y: number, z: number) => x + 3 * (y + 3 * z);
  const settings = (axis: 0 | 1 | 2): Settings => ({
    ...DEFAULT_SETTINGS,
    lbp2DMethod: "default",
    force2Ddimension: axis,
  });
  const roi = new Uint8Array(27).fill(1);
  // axis 0: slice z = 1 holds the patch as rows y, columns x.
  // axis 1: slice y = 1 holds it as rows z, columns x.
  // axis 2: slice x = 1 holds it as rows y, columns z.
  const place: Record<0 | 1 | 2, (r: number, c: number) => number> = {
    0: (r, c) => idx(c, r, 1),
    1: (r, c) => idx(c, 1, r),
    2: (r, c) => idx(1, r, c),
  };
  for (const axis of [0, 1, 2] as const) {
    const data = new Int16Array(27);
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) data[place[axis](r, c)] = PATCH[3 * r + c]!;
    const out = [...lbp2DImages(volume(data, size), roi, settings(axis))];
    assert.equal(out.length, 1);
    assert.equal(out[0]!.name, "lbp-2D");
    assert.ok(out[0]!.image.data instanceof Int16Array);
    assert.equal(out[0]!.image.data[idx(1, 1, 1)], 15, `axis ${axis}`);
  }
});

test("LBP2D on a true 2D image returns float64 codes", () => {
  const img: Volume = {
    data: Int16Array.from(PATCH),
    size: [3, 3, 1],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [...IDENTITY3],
    dimension: 2,
  };
  const [d] = [...lbp2DImages(img, new Uint8Array(9).fill(1), DEFAULT_SETTINGS)];
  assert.ok(d!.image.data instanceof Float64Array);
  assert.equal(d!.image.data[4], 4);
});

test("icosphere: 12 unit vertices of the icosahedron, then 42 and 162 on the sphere", () => {
  const golden = (1 + Math.sqrt(5)) / 2;
  const norm = Math.sqrt(1 + golden * golden);
  const s0 = icosphere(0, 1).vertices;
  assert.equal(s0.length, 12 * 3);
  // trimesh's first vertex is (-1, phi, 0) / |.|
  assert.ok(Math.abs(s0[0]! + 1 / norm) < 1e-15 && Math.abs(s0[1]! - golden / norm) < 1e-15);
  for (let i = 0; i < 12; i++) {
    const r = Math.hypot(s0[3 * i]!, s0[3 * i + 1]!, s0[3 * i + 2]!);
    assert.ok(Math.abs(r - 1) < 1e-15);
    // every coordinate is 0, +-1/|.| or +-phi/|.|
    for (let k = 0; k < 3; k++) {
      const a = Math.abs(s0[3 * i + k]!);
      assert.ok(a === 0 || Math.abs(a - 1 / norm) < 1e-15 || Math.abs(a - golden / norm) < 1e-15);
    }
  }
  for (const [sub, count] of [
    [1, 42],
    [2, 162],
  ] as const) {
    const v = icosphere(sub, 2.5).vertices;
    assert.equal(v.length, count * 3);
    for (let i = 0; i < count; i++) {
      assert.ok(Math.abs(Math.hypot(v[3 * i]!, v[3 * i + 1]!, v[3 * i + 2]!) - 2.5) < 1e-14);
    }
  }
  // The first midpoint (edge 0-1 of vertex pair sorted by (max, min)) lies between vertices 0 and 1.
  const s1 = icosphere(1, 1).vertices;
  assert.ok(Math.abs(s1[36]!) < 1e-15 && Math.abs(s1[37]! - 1) < 1e-15 && s1[38] === 0);
});

test("associated Legendre functions and spherical harmonics: closed forms", () => {
  for (const x of [-0.9, -0.3, 0, 0.25, 0.8]) {
    const s = Math.sqrt(1 - x * x);
    assert.ok(Math.abs(associatedLegendre(0, 3, x) - (5 * x ** 3 - 3 * x) / 2) < 1e-14);
    assert.ok(Math.abs(associatedLegendre(1, 3, x) + 1.5 * (5 * x * x - 1) * s) < 1e-14);
    assert.ok(Math.abs(associatedLegendre(2, 4, x) - 7.5 * (7 * x * x - 1) * (1 - x * x)) < 1e-13);
    assert.ok(Math.abs(associatedLegendre(1, 1, x) + s) < 1e-15);
  }
  // scipy's sph_harm(m, n, theta = azimuth, phi = polar).
  const theta = 0.7;
  const phi = 1.1;
  const close = (a: [number, number], b: [number, number]) =>
    Math.abs(a[0] - b[0]) < 1e-14 && Math.abs(a[1] - b[1]) < 1e-14;
  assert.ok(close(sphericalHarmonic(0, 0, theta, phi), [0.5 / Math.sqrt(Math.PI), 0]));
  const c10 = Math.sqrt(3 / (4 * Math.PI)) * Math.cos(phi);
  assert.ok(close(sphericalHarmonic(0, 1, theta, phi), [c10, 0]));
  const a11 = -Math.sqrt(3 / (8 * Math.PI)) * Math.sin(phi);
  assert.ok(
    close(sphericalHarmonic(1, 1, theta, phi), [a11 * Math.cos(theta), a11 * Math.sin(theta)]),
  );
  assert.ok(
    close(sphericalHarmonic(-1, 1, theta, phi), [-a11 * Math.cos(theta), a11 * Math.sin(theta)]),
  );
  // The polar angle enters only through x = cos(phi) and sqrt(1 - x^2), so a negative 'polar'
  // angle (PyRadiomics passes atan2(y, x) in (-pi, pi]) acts like its absolute value.
  assert.deepEqual(sphericalHarmonic(1, 1, theta, -phi), sphericalHarmonic(1, 1, theta, phi));
  const a32 = 0.25 * Math.sqrt(105 / (2 * Math.PI)) * Math.sin(phi) ** 2 * Math.cos(phi);
  assert.ok(
    close(sphericalHarmonic(2, 3, theta, phi), [
      a32 * Math.cos(2 * theta),
      a32 * Math.sin(2 * theta),
    ]),
  );
});

test("correctly rounded elementary functions (expected values: mpmath at 300 bits, rounded)", () => {
  assert.equal(acosRounded(0.5), 1.0471975511965979); // pi/3 rounded (Math.PI / 3 is 1 ulp lower)
  assert.equal(acosRounded(-0.3), 1.8754889808102941);
  assert.equal(cosRounded(2.5), -0.8011436155469337);
  assert.equal(atan2Rounded(1, 1), 0.7853981633974483); // pi/4 rounded
  assert.equal(atan2Rounded(-1, -1), -2.356194490192345); // -3pi/4 rounded
  assert.equal(cosRounded(Math.PI), -1);
  assert.equal(sinRounded(Math.PI), 1.2246467991473532e-16); // sin(fl(pi)) = pi - fl(pi)
  assert.equal(cosRounded(Math.PI / 2), 6.123233995736766e-17);
  assert.equal(powIntRounded(3, 5), 243);
  assert.equal(powIntRounded(-0.5, 3), -0.125);
  assert.equal(powIntRounded(0.1, 2), 0.010000000000000002); // (fl(0.1))^2 rounded
});

test("LBP3D of a constant image: all f_v = 1, m1 = 42^1.5 / (4 pi), m2 in closed form, kurtosis NaN", () => {
  const size: Vec3 = [5, 5, 5];
  const data = new Int16Array(125).fill(100);
  const roi = new Uint8Array(125);
  roi[2 + 5 * (2 + 5 * 2)] = 1;
  const images = [...lbp3DImages(volume(data, size), roi, DEFAULT_SETTINGS)];
  assert.deepEqual(
    images.map((d) => d.name),
    ["lbp-3D-m1", "lbp-3D-m2", "lbp-3D-k"],
  );
  const centre = 62;
  // All 42 samples equal the centre -> every f_v = 1; c_00 = 42 Y_00, level 0 = sqrt(42) 42 Y_00^2.
  assert.ok(Math.abs(images[0]!.image.data[centre]! - 42 ** 1.5 / (4 * Math.PI)) < 1e-12);
  // Level 1 from the closed forms, with PyRadiomics' angles passed as scipy's (azimuth, polar):
  // a = arccos(z) as azimuth, b = atan2(y, x) in (-pi, pi] as polar; Y_1^0 = sqrt(3/4pi) cos b,
  // Y_1^{+-1} = -+sqrt(3/8pi) sqrt(1 - cos^2 b) e^{+-ia} (P_1^1(x) = -sqrt(1 - x^2), so |sin b|,
  // which is why these sums do not vanish); c_m = sum_v Y_1^m(v); level = sqrt(sum_v F(v)^2)
  // with F(v) = sum_m c_m Y_1^m(v) (real, since c_{-1} Y_1^{-1} = conj(c_1 Y_1^1)).
  const verts = icosphere(1, 1).vertices;
  const ys: [number, number, number, number, number, number][] = [];
  for (let v = 0; v < 42; v++) {
    const a = Math.acos(verts[3 * v + 2]!);
    const b = Math.atan2(verts[3 * v + 1]!, verts[3 * v]!);
    const k1 = Math.sqrt(3 / (8 * Math.PI)) * Math.abs(Math.sin(b));
    // [re, im] of Y_1^-1, Y_1^0, Y_1^1
    ys.push([
      k1 * Math.cos(a),
      -k1 * Math.sin(a),
      Math.sqrt(3 / (4 * Math.PI)) * Math.cos(b),
      0,
      -k1 * Math.cos(a),
      -k1 * Math.sin(a),
    ]);
  }
  const c = [0, 0, 0, 0, 0, 0];
  for (const y of ys) for (let j = 0; j < 6; j++) c[j]! += y[j]!;
  let sumSq = 0;
  for (const y of ys) {
    let f = 0;
    for (let m = 0; m < 3; m++) f += c[2 * m]! * y[2 * m]! - c[2 * m + 1]! * y[2 * m + 1]!;
    sumSq += f * f;
  }
  assert.ok(Math.abs(images[1]!.image.data[centre]! - Math.sqrt(sumSq)) < 1e-12);
  assert.ok(Number.isNaN(images[2]!.image.data[centre]!));
  for (const d of images) {
    assert.ok(d.image.data instanceof Float64Array);
    assert.equal(d.image.data[0], 0);
  }
  // 2D images: PyRadiomics yields nothing.
  const flat: Volume = { ...volume(new Int16Array(25), [5, 5, 1]), dimension: 2 };
  assert.equal([...lbp3DImages(flat, new Uint8Array(25).fill(1), DEFAULT_SETTINGS)].length, 0);
  assert.throws(
    () => [...lbp3DImages(volume(data, size), roi, { ...DEFAULT_SETTINGS, lbp3DLevels: 1 })],
    /lbp3DLevels/,
  );
});

test("oracle: LBP2D and LBP3D features equal PyRadiomics' (brain1, brain2, breast1)", async (t) => {
  const ref = referenceDir();
  const root = ref ? join(ref, "pyradiomics") : "";
  if (!ref || !existsSync(join(root, "oracle", "breast1__imagetype_LBP3D.json"))) {
    console.log(missingReference("LBP2D/LBP3D oracle check"));
    t.skip("reference folder absent");
    return;
  }
  for (const type of ["LBP2D", "LBP3D"] as const) {
    const params = parseParams(
      readFileSync(join(root, "params", `imagetype_${type}.yaml`), "utf8"),
      FEATURE_CATALOGUE,
    );
    for (const name of ["brain1", "brain2", "breast1"]) {
      const [image, mask] = await Promise.all([
        readImageFile(join(root, "data", `${name}_image.nrrd`)),
        readImageFile(join(root, "data", `${name}_label.nrrd`)),
      ]);
      const got = extractFeatures(image, mask, params, {
        filters: {
          derivedImages: (kind, img, roi, s) =>
            kind === "LBP2D" ? lbp2DImages(img, roi, s) : lbp3DImages(img, roi, s),
        },
      }).features;
      const want = readOracle(root, `${name}__imagetype_${type}`);
      assertOracleValues(got, want, name);
      assert.equal(Object.keys(got).length, Object.keys(want).length);
    }
  }
});
