/**
 * Resampling kernels, part 3 of 3: the label mask's nearest-neighbour resampling
 * (bspline-coefficients.ts documents the image's; binding: src/kernels/bspline.ts).
 */
import { FLOAT32, INT8, INT16, INT32, UINT8, UINT16, UINT32 } from "./resample-common";

/**
 * itk::Math::Round (RoundHalfIntegerUp, SSE2 implementation): rint(2x + 0.5) >> 1 with rint
 * rounding half to even, as src/image/resample/itk-rounding.ts computes it.
 */
function itkRound(x: f64): i32 {
  return <i32>Math.floor(nearest<f64>(2.0 * x + 0.5) / 2.0);
}

/**
 * sitk.Cast(voxel, UInt32) (static_cast: truncation, modular below 0 and above 2^32 - 1) as
 * JavaScript's Math.trunc(v) >>> 0 computes it: non-finite values give 0.
 */
function castToUint32<T>(v: T): u32 {
  if (!isFloat<T>()) return <u32>v;
  const d = <f64>v;
  if (!Number.isFinite(d)) return 0;
  const t = Math.trunc(d);
  if (Math.abs(t) < 9.223372036854776e18) return <u32>(<i64>t);
  // |t| >= 2^63: t = m 2^(e - 52) with e >= 63; only the bits below 2^32 remain.
  const bits = reinterpret<u64>(t);
  const shift = <i32>((bits >> 52) & 0x7ff) - 1075;
  if (shift >= 32) return 0;
  const low = <u32>(((bits & 0xfffffffffffff) | 0x10000000000000) << shift);
  return t < 0 ? 0 - low : low;
}

function maskNearest<T>(
  mask: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  is3D: bool,
  rowStart: usize,
  rowDelta: usize,
  rowCount: i32,
  outNx: i32,
  out: usize,
): void {
  const hi0 = <f64>(nx - 1) + 0.5;
  const hi1 = <f64>(ny - 1) + 0.5;
  const hi2 = is3D ? <f64>(nz - 1) + 0.5 : 0.5;
  const fx = <f64>outNx;
  let lastC1 = NaN;
  let lastC2 = NaN;
  let j = 0;
  let k = 0;
  let o = out;
  for (let r = 0; r < rowCount; r++) {
    const s0 = load<f64>(rowStart + <usize>(3 * r) * 8);
    const s1 = load<f64>(rowStart + <usize>(3 * r) * 8, 8);
    const s2 = load<f64>(rowStart + <usize>(3 * r) * 8, 16);
    const e0 = load<f64>(rowDelta + <usize>(3 * r) * 8);
    const e1 = load<f64>(rowDelta + <usize>(3 * r) * 8, 8);
    const e2 = load<f64>(rowDelta + <usize>(3 * r) * 8, 16);
    for (let x = 0; x < outNx; x++, o += 4) {
      const alpha = <f64>x / fx;
      const c0 = s0 + alpha * e0;
      const c1 = s1 + alpha * e1;
      const c2 = is3D ? s2 + alpha * e2 : 0;
      const inside =
        c0 >= -0.5 && c0 < hi0 && c1 >= -0.5 && c1 < hi1 && (!is3D || (c2 >= -0.5 && c2 < hi2));
      if (!inside) {
        store<u32>(o, 0);
        continue;
      }
      const i = min(itkRound(c0), nx - 1);
      if (c1 !== lastC1) {
        j = min(itkRound(c1), ny - 1);
        lastC1 = c1;
      }
      if (is3D && c2 !== lastC2) {
        k = min(itkRound(c2), nz - 1);
        lastC2 = c2;
      }
      const at = mask + ((<usize>(i + nx * (j + ny * k))) << alignof<T>());
      store<u32>(o, castToUint32<T>(load<T>(at)));
    }
  }
}

/**
 * PyRadiomics' nearest-neighbour resampling of the label mask (voxel type numbered `type`, nx * ny
 * * nz voxels) to UInt32: sitk.Cast(mask, UInt32), then ResampleImageFilter along the scan rows
 * (as bsplineResample) with NearestNeighborInterpolateImageFunction's index min(Round(c), n - 1)
 * per axis (y and z recomputed only when c1, c2 change); the cast is applied to each sampled voxel
 * (the same values). Writes out[r * outNx + x] (u32), 0 outside the input.
 */
export function resampleMaskNearest(
  mask: usize,
  type: i32,
  nx: i32,
  ny: i32,
  nz: i32,
  is3D: bool,
  rowStart: usize,
  rowDelta: usize,
  rowCount: i32,
  outNx: i32,
  out: usize,
): void {
  if (type === INT8)
    maskNearest<i8>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === UINT8)
    maskNearest<u8>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === INT16)
    maskNearest<i16>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === UINT16)
    maskNearest<u16>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === INT32)
    maskNearest<i32>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === UINT32)
    maskNearest<u32>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else if (type === FLOAT32)
    maskNearest<f32>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
  else maskNearest<f64>(mask, nx, ny, nz, is3D, rowStart, rowDelta, rowCount, outNx, out);
}
