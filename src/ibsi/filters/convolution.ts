/**
 * Convolution on a voxel grid with IBSI-2's boundary conditions (IBSI-2 reference manual,
 * "Convolution" and "Boundary conditions"; arXiv:2006.05470): the shared input type of the IBSI
 * filters, a 1D convolution along one axis (separable kernels: mean, LoG, Laws), a general small
 * 3D kernel (a kernel one voxel thick along z is a slice-wise 2D kernel). (The FFT of the Gabor
 * filter's large kernels is src/ibsi/fft.ts.)
 *
 * Convolution, not correlation: out(i) = sum_k w(k) in(i - k) with k the offset from the kernel's
 * centre, as IBSI (and scipy.ndimage.convolve) define it; kernels have an odd length and their
 * centre in the middle. Beyond the image edge a voxel is read through `boundaryIndex`
 * (padding.ts), so the padding may be wider than the image (mirror and periodic repeat).
 */
import type { Vec3 } from "../../image/volume.js";
import { IbsiSettingError } from "../types.js";
import { type BoundaryCondition, boundaryIndex } from "./padding.js";

/**
 * What every IBSI filter reads: voxels x fastest (flat index x + nx (y + ny z)), z the slice axis of
 * 2D filters, spacing in mm. A `Volume<Float64Array>` and `{ data: image.intensities, size,
 * spacing }` of an IbsiImage both satisfy it.
 */
export interface FilterImage {
  readonly data: Float64Array;
  readonly size: Readonly<Vec3>;
  readonly spacing: Readonly<Vec3>;
}

/** A grid axis: 0 = x, 1 = y, 2 = z. */
export type Axis = 0 | 1 | 2;

/** 2D filters work slice by slice in the x-y plane; 3D filters over the whole grid. */
export type FilterDimensionality = "2D" | "3D";

/** Throws unless the image's size, spacing and voxel count agree (the error names `setting`). */
export function checkFilterImage(image: FilterImage, setting: string): void {
  const { size, spacing, data } = image;
  for (let a = 0; a < 3; a++) {
    if (!(Number.isInteger(size[a]) && size[a]! >= 1))
      throw new IbsiSettingError(`${setting}: image size must be positive integers, got ${size}`);
    if (!(Number.isFinite(spacing[a]) && spacing[a]! > 0))
      throw new IbsiSettingError(`${setting}: image spacing must be positive, got ${spacing}`);
  }
  if (data.length !== size[0] * size[1] * size[2])
    throw new IbsiSettingError(
      `${setting}: ${data.length} voxels do not match the size ${size.join(" x ")}`,
    );
}

/** Checks a dimensionality setting ("2D" slice-wise or "3D"). */
export function parseDimensionality(value: unknown, setting: string): FilterDimensionality {
  if (value === "2D" || value === "3D") return value;
  throw new IbsiSettingError(
    `${setting}: dimensionality must be "2D" or "3D", got ${String(value)}`,
  );
}

/** Flat-index stride of an axis. */
export function axisStride(size: Readonly<Vec3>, axis: Axis): number {
  return axis === 0 ? 1 : axis === 1 ? size[0] : size[0] * size[1];
}

/**
 * The 1D convolution of every line along `axis` with an odd-length kernel:
 * out(i) = sum_{k=-r..r} kernel[k + r] in(i - k), r = (length - 1) / 2.
 */
export function convolveAxis(
  input: Float64Array,
  size: Readonly<Vec3>,
  axis: Axis,
  kernel: ArrayLike<number>,
  boundary: BoundaryCondition,
): Float64Array {
  const width = kernel.length;
  if (width % 2 !== 1) throw new Error(`convolveAxis: kernel length ${width} is not odd`);
  const r = (width - 1) / 2;
  const n = size[axis];
  const stride = axisStride(size, axis);
  // Correlation form over a padded line: out(i) = sum_j flipped[j] padded[i + j], where
  // padded[p] = in(p - r) and flipped[j] = kernel[width - 1 - j].
  const flipped = new Float64Array(width);
  for (let j = 0; j < width; j++) flipped[j] = kernel[width - 1 - j]!;
  const source = new Int32Array(n + 2 * r);
  for (let p = 0; p < source.length; p++) source[p] = boundaryIndex(p - r, n, boundary);
  const padded = new Float64Array(n + 2 * r);
  const out = new Float64Array(input.length);
  const [a1, a2] = axis === 0 ? [1, 2] : axis === 1 ? [0, 2] : [0, 1];
  const n1 = size[a1];
  const n2 = size[a2];
  const s1 = axisStride(size, a1 as Axis);
  const s2 = axisStride(size, a2 as Axis);
  for (let i2 = 0; i2 < n2; i2++) {
    for (let i1 = 0; i1 < n1; i1++) {
      const start = i1 * s1 + i2 * s2;
      for (let p = 0; p < padded.length; p++) {
        const s = source[p]!;
        padded[p] = s < 0 ? 0 : input[start + s * stride]!;
      }
      for (let i = 0; i < n; i++) {
        let sum = 0;
        for (let j = 0; j < width; j++) sum += flipped[j]! * padded[i + j]!;
        out[start + i * stride] = sum;
      }
    }
  }
  return out;
}

/**
 * A separable convolution: the 1D kernel of each axis in turn (z, then y, then x; the order does
 * not change the result). A null kernel leaves that axis alone, so [kx, ky, null] is a slice-wise
 * 2D filter.
 */
export function convolveSeparable(
  input: Float64Array,
  size: Readonly<Vec3>,
  kernels: readonly [ArrayLike<number> | null, ArrayLike<number> | null, ArrayLike<number> | null],
  boundary: BoundaryCondition,
): Float64Array {
  let out: Float64Array | null = null;
  for (const axis of [2, 1, 0] as const) {
    const kernel = kernels[axis];
    if (kernel) out = convolveAxis(out ?? input, size, axis, kernel, boundary);
  }
  return out ?? input.slice();
}

/** A small kernel of odd size along each axis, x fastest (size [kx, ky, 1] for a 2D kernel). */
export interface SmallKernel {
  readonly weights: ArrayLike<number>;
  readonly size: Readonly<Vec3>;
}

/**
 * The direct (non-separable) 3D convolution with a small kernel, out(i) = sum_k w(k) in(i - k);
 * a kernel one voxel thick along z filters each slice on its own. O(N x kernel voxels).
 */
export function convolveGeneral(
  input: Float64Array,
  size: Readonly<Vec3>,
  kernel: SmallKernel,
  boundary: BoundaryCondition,
): Float64Array {
  const [kx, ky, kz] = kernel.size;
  if (kx % 2 !== 1 || ky % 2 !== 1 || kz % 2 !== 1)
    throw new Error(`convolveGeneral: kernel size ${kernel.size.join(" x ")} is not odd`);
  if (kernel.weights.length !== kx * ky * kz)
    throw new Error("convolveGeneral: kernel weights do not match its size");
  const [nx, ny, nz] = size;
  const [rx, ry, rz] = [(kx - 1) / 2, (ky - 1) / 2, (kz - 1) / 2];
  // Source index of each padded coordinate per axis (-1: a zero voxel).
  const sources = ([nx, ny, nz] as const).map((n, a) => {
    const r = [rx, ry, rz][a]!;
    const s = new Int32Array(n + 2 * r);
    for (let p = 0; p < s.length; p++) s[p] = boundaryIndex(p - r, n, boundary);
    return s;
  }) as [Int32Array, Int32Array, Int32Array];
  const out = new Float64Array(input.length);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        let sum = 0;
        let w = 0;
        // Kernel voxel (i, j, k) at offset (i - rx, ...) reads in(x - (i - rx), ...), i.e. padded
        // coordinate x + 2 rx - i.
        for (let k = 0; k < kz; k++) {
          const sz = sources[2][z + 2 * rz - k]!;
          for (let j = 0; j < ky; j++) {
            const sy = sources[1][y + 2 * ry - j]!;
            for (let i = 0; i < kx; i++, w++) {
              const sx = sources[0][x + 2 * rx - i]!;
              if (sx >= 0 && sy >= 0 && sz >= 0)
                sum += kernel.weights[w]! * input[sx + nx * (sy + ny * sz)]!;
            }
          }
        }
        out[x + nx * (y + ny * z)] = sum;
      }
    }
  }
  return out;
}
