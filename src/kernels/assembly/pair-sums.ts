/**
 * The loops around the FFTs of IBSI mode's Moran's I / Geary's C pair sums
 * (src/ibsi/features/morphology/fourier-pair-sums.ts documents the method and the layouts), in
 * the same order of operations as the TypeScript they replaced, so the sums are the same bit for
 * bit: the x stage of the three half spectra, the weight function's even-line DFTs, and the final
 * sums over the spectra.
 *
 * A plan is a descriptor of six i32 (src/kernels/fft.ts): n, its radix count, and the pointers of
 * its radices, cos and sin tables and radix constants.
 */
import { stockhamForward } from "./fft";
import { pow } from "./math";

function f64At(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

function forward(plan: usize, lanes: i32, xr: usize, xi: usize, yr: usize, yi: usize): i32 {
  return stockhamForward(
    load<i32>(plan),
    <usize>load<i32>(plan + 8),
    load<i32>(plan + 4),
    <usize>load<i32>(plan + 12),
    <usize>load<i32>(plan + 16),
    <usize>load<i32>(plan + 20),
    lanes,
    xr,
    xi,
    yr,
    yi,
  );
}

/**
 * Splits the x transforms Z = A + i B of two real fields' slices (block [kx][y]: value (k, y) at
 * k by + y) into half spectra: A into slice za of (aRe, aIm), B into slice zb of (bRe, bIm)
 * unless bRe is 0.
 */
function splitSlice(
  zRe: usize,
  zIm: usize,
  mx: i32,
  my: i32,
  by: i32,
  aRe: usize,
  aIm: usize,
  za: i32,
  bRe: usize,
  bIm: usize,
  zb: i32,
): void {
  const hx = mx / 2 + 1;
  for (let k = 0; k < hx; k++) {
    const row = k * by;
    const mirror = k === 0 ? 0 : (mx - k) * by;
    for (let y = 0, at = k + hx * my * za, bt = k + hx * my * zb; y < by; y++, at += hx, bt += hx) {
      const zr = load<f64>(f64At(zRe, row + y));
      const zi = load<f64>(f64At(zIm, row + y));
      const cr = load<f64>(f64At(zRe, mirror + y));
      const ci = load<f64>(f64At(zIm, mirror + y));
      store<f64>(f64At(aRe, at), (zr + cr) / 2);
      store<f64>(f64At(aIm, at), (zi - ci) / 2);
      if (bRe !== 0) {
        store<f64>(f64At(bRe, bt), (zi + ci) / 2);
        store<f64>(f64At(bIm, bt), (cr - zr) / 2);
      }
    }
  }
}

/**
 * The x stage of the half spectra of the mask (m), the centred intensities (y) and their squares
 * (s): slice by slice, the box's samples (box-local x, y, z at index[3k..3k+2], in z order, and
 * their centred values) placed in planes of mx x by ([x][y]), transformed along x (m + i y in one
 * transform; the squares of slices z - 1 and z in one), and split into the spectra's slices.
 */
export function pairSumsSpectraX(
  count: i32,
  index: usize,
  centred: usize,
  by: i32,
  bz: i32,
  mx: i32,
  my: i32,
  planX: usize,
  mask: usize,
  values: usize,
  square0: usize,
  square1: usize,
  xRe: usize,
  xIm: usize,
  mRe: usize,
  mIm: usize,
  yRe: usize,
  yIm: usize,
  sRe: usize,
  sIm: usize,
): void {
  const planeBytes = (<usize>(mx * by)) << 3;
  for (let z = 0, k = 0; z < bz; z++) {
    memory.fill(mask, 0, planeBytes);
    memory.fill(values, 0, planeBytes);
    const square = z % 2 === 0 ? square0 : square1;
    memory.fill(square, 0, planeBytes);
    for (; k < count && load<i32>(index + ((<usize>(3 * k + 2)) << 2)) === z; k++) {
      const i =
        load<i32>(index + ((<usize>(3 * k + 1)) << 2)) +
        by * load<i32>(index + ((<usize>(3 * k)) << 2));
      const c = load<f64>(f64At(centred, k));
      store<f64>(f64At(mask, i), 1);
      store<f64>(f64At(values, i), c);
      store<f64>(f64At(square, i), c * c);
    }
    const moved = forward(planX, by, mask, values, xRe, xIm);
    splitSlice(moved ? xRe : mask, moved ? xIm : values, mx, my, by, mRe, mIm, z, yRe, yIm, z);
    if (z % 2 === 1 || z === bz - 1) {
      // Squares of slices z - 1 and z, or of the last slice alone (with a zero slice).
      const first = z - (z % 2);
      if (z % 2 === 0) memory.fill(square1, 0, planeBytes);
      const movedSquares = forward(planX, by, square0, square1, xRe, xIm);
      const pair = z % 2 === 1;
      splitSlice(
        movedSquares ? xRe : square0,
        movedSquares ? xIm : square1,
        mx,
        my,
        by,
        sRe,
        sIm,
        first,
        pair ? sRe : 0,
        pair ? sIm : 0,
        first + 1,
      );
    }
  }
}

/** w(d) = 1 / |d| (mm; w(0) = 0) on the box's offsets 0 <= d < n, x fastest. */
export function pairSumsWeights(
  w: usize,
  bx: i32,
  by: i32,
  bz: i32,
  sx: f64,
  sy: f64,
  sz: f64,
): void {
  for (let dz = 0, i = 0; dz < bz; dz++)
    for (let dy = 0; dy < by; dy++) {
      // JavaScript's x ** 2 (Math.pow, imported), as the TypeScript computed it.
      const r2yz = pow(<f64>dy * sy, 2) + pow(<f64>dz * sz, 2);
      for (let dx = 0; dx < bx; dx++, i++) {
        const r2 = pow(<f64>dx * sx, 2) + r2yz;
        store<f64>(f64At(w, i), r2 === 0 ? 0 : 1 / Math.sqrt(r2));
      }
    }
}

/** Line l's first element: (l mod period) a + floor(l / period) b. */
function lineBase(l: i32, period: i32, a: i32, b: i32): i32 {
  return (l % period) * a + (l / period) * b;
}

/**
 * DFTs of length n of `count` real lines even about 0, each given by its first `length` values
 * (line l's value d at source[base(l) + d stride]); values k = 0 .. n / 2 of line l to
 * out[outBase(l) + k outStride]. Two lines per complex transform (their DFTs are its real and
 * imaginary parts), up to `maxLanes` transforms at once; re, im and their scratch hold
 * n maxLanes values each.
 */
export function pairSumsEvenLines(
  plan: usize,
  maxLanes: i32,
  count: i32,
  length: i32,
  source: usize,
  period: i32,
  a: i32,
  b: i32,
  stride: i32,
  out: usize,
  outPeriod: i32,
  outA: i32,
  outB: i32,
  outStride: i32,
  re: usize,
  im: usize,
  spareRe: usize,
  spareIm: usize,
): void {
  const n = load<i32>(plan);
  const half = n / 2 + 1;
  for (let first = 0; first < count; first += 2 * maxLanes) {
    const lanes = min(maxLanes, (count - first + 1) / 2);
    memory.fill(re, 0, (<usize>(n * lanes)) << 3);
    memory.fill(im, 0, (<usize>(n * lanes)) << 3);
    for (let lane = 0; lane < lanes; lane++) {
      for (let part = 0; part < 2; part++) {
        const line = first + 2 * lane + part;
        if (line >= count) continue;
        const target = part === 0 ? re : im;
        const from = lineBase(line, period, a, b);
        store<f64>(f64At(target, lane), load<f64>(f64At(source, from)));
        for (let d = 1; d < length; d++) {
          const v = load<f64>(f64At(source, from + d * stride));
          store<f64>(f64At(target, d * lanes + lane), v);
          store<f64>(f64At(target, (n - d) * lanes + lane), v);
        }
      }
    }
    const moved = forward(plan, lanes, re, im, spareRe, spareIm);
    const zr = moved ? spareRe : re;
    const zi = moved ? spareIm : im;
    for (let lane = 0; lane < lanes; lane++) {
      const l = first + 2 * lane;
      const toA = lineBase(l, outPeriod, outA, outB);
      for (let k = 0; k < half; k++)
        store<f64>(f64At(out, toA + k * outStride), load<f64>(f64At(zr, k * lanes + lane)));
      if (l + 1 >= count) continue;
      const toB = lineBase(l + 1, outPeriod, outA, outB);
      for (let k = 0; k < half; k++)
        store<f64>(f64At(out, toB + k * outStride), load<f64>(f64At(zi, k * lanes + lane)));
    }
  }
}

/**
 * sum(|M|^2 W), sum(|Y|^2 W) and sum(Re(S conj M) W) over the full spectrum from the half spectra
 * (kx = 0, and mx / 2 for even mx, once; the others twice) and W's octant (W(k) = W(|k|) per
 * axis), into out[0..2].
 */
export function pairSumsTotals(
  mRe: usize,
  mIm: usize,
  yRe: usize,
  yIm: usize,
  sRe: usize,
  sIm: usize,
  octant: usize,
  mx: i32,
  my: i32,
  mz: i32,
  out: usize,
): void {
  const hx = mx / 2 + 1;
  const hy = my / 2 + 1;
  let sMM = 0.0;
  let sYY = 0.0;
  let sSM = 0.0;
  for (let kz = 0, i = 0; kz < mz; kz++) {
    const wz = min(kz, mz - kz);
    for (let ky = 0; ky < my; ky++) {
      const wRow = hx * (min(ky, my - ky) + hy * wz);
      for (let kx = 0; kx < hx; kx++, i++) {
        const twice: f64 = kx === 0 || 2 * kx === mx ? 1 : 2;
        const w = twice * load<f64>(f64At(octant, wRow + kx));
        const mr = load<f64>(f64At(mRe, i));
        const mi = load<f64>(f64At(mIm, i));
        const yr = load<f64>(f64At(yRe, i));
        const yi = load<f64>(f64At(yIm, i));
        sMM += (mr * mr + mi * mi) * w;
        sYY += (yr * yr + yi * yi) * w;
        sSM += (load<f64>(f64At(sRe, i)) * mr + load<f64>(f64At(sIm, i)) * mi) * w;
      }
    }
  }
  store<f64>(out, sMM);
  store<f64>(out + 8, sYY);
  store<f64>(out + 16, sSM);
}
