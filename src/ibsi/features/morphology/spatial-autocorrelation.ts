/**
 * Moran's I index (IBSI-1 N365) and Geary's C measure (NPT7) of the intensity mask's voxels, with
 * inverse Euclidean distance weights w = 1 / |x_k1 - x_k2| (mm) over all pairs k1 != k2:
 *   I = N / sum(w) * sum(w (X_k1 - mu)(X_k2 - mu)) / sum((X_k - mu)^2),
 *   C = (N - 1) / (2 sum(w)) * sum(w (X_k1 - X_k2)^2) / sum((X_k - mu)^2).
 *
 * Both are exact here, also for large ROIs. The manual allows approximating these O(N^2) sums by
 * repeated subsampling, and MIRP (the IBSI reference implementation) does so from 1000 voxels (means
 * over random subsets of 100 voxels), but the CT phantom's consensus values carry tolerances of
 * 0.0002 (I) and 0.001 (C), which the exact sums meet.
 *
 * Small ROIs: the pairs are summed directly. Large ROIs: on a voxel grid the weight depends only on
 * the offset d between two voxels, so every pair sum is sum_d w(d) * C_fg(d), with C_fg the
 * cross-correlation of two fields on the ROI's bounding box; with f = mask m, centred intensities
 * y = (X - mu) m and s = y^2:
 *   sum(w) = S(m, m), sum(w y1 y2) = S(y, y), sum(w (y1 - y2)^2) = 2 (S(s, m) - S(y, y)),
 *   S(f, g) = sum_d w(d) C_fg(d) = (1/M) sum_k Re(F(k) conj(G(k))) W(k)
 * (Parseval and the convolution theorem on a grid of at least 2n - 1 voxels per axis, so that no
 * offset wraps around; w is even, so W is real; w(0) = 0 drops the pairs k1 = k2), O(M log M) for
 * M grid points (fourier-pair-sums.ts).
 *
 * Undefined (NaN, deliberately): fewer than 2 voxels, or all intensities equal (sum((X - mu)^2) = 0;
 * MIRP reports 1 for both then).
 */
import type { Vec3 } from "../../../image/volume.js";
import type { IbsiImage } from "../../types.js";
import { fftLength } from "../../fft.js";
import { fourierPairSums } from "./fourier-pair-sums.js";

export { fourierPairSums };

export interface SpatialAutocorrelation {
  moranI: number;
  gearyC: number;
}

/** The intensity-mask voxels: indices within their bounding box, centred intensities. */
export interface RoiSamples {
  count: number;
  /** Bounding-box-local voxel indices x, y, z at 3k..3k+2. */
  index: Int32Array;
  /** X_k - mu. */
  centred: Float64Array;
  /** Bounding-box size. */
  box: Vec3;
  sumSquares: number;
  /** All intensities equal (then the centred values are rounding noise around 0). */
  constant: boolean;
}

export function roiSamples(image: IbsiImage): RoiSamples {
  const [nx, ny, nz] = image.size;
  const mask = image.intensityMask;
  const low = [nx, ny, nz];
  const high = [-1, -1, -1];
  let count = 0;
  let sum = 0;
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        count++;
        const g = image.intensities[i];
        sum += g;
        if (g < lowest) lowest = g;
        if (g > highest) highest = g;
        if (x < low[0]) low[0] = x;
        if (x > high[0]) high[0] = x;
        if (y < low[1]) low[1] = y;
        if (y > high[1]) high[1] = y;
        if (z < low[2]) low[2] = z;
        if (z > high[2]) high[2] = z;
      }
    }
  }
  const mean = count > 0 ? sum / count : 0;
  const index = new Int32Array(3 * count);
  const centred = new Float64Array(count);
  let sumSquares = 0;
  let k = 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        if (mask[i] === 0) continue;
        index[3 * k] = x - low[0];
        index[3 * k + 1] = y - low[1];
        index[3 * k + 2] = z - low[2];
        const c = image.intensities[i] - mean;
        centred[k++] = c;
        sumSquares += c * c;
      }
    }
  }
  const box: Vec3 = [high[0] - low[0] + 1, high[1] - low[1] + 1, high[2] - low[2] + 1];
  return { count, index, centred, box, sumSquares, constant: !(highest > lowest) };
}

/** Pair sums: sum(w), sum(w y1 y2), sum(w (y1 - y2)^2), each over ordered pairs k1 != k2. */
export interface PairSums {
  weights: number;
  products: number;
  squaredDifferences: number;
}

/** Direct O(N^2) pair sums over unordered pairs, doubled to ordered ones. */
export function directPairSums(samples: RoiSamples, spacing: Vec3): PairSums {
  const { count, index, centred } = samples;
  const [sx, sy, sz] = spacing;
  let weights = 0;
  let products = 0;
  let squaredDifferences = 0;
  for (let a = 0; a < count; a++) {
    const ax = index[3 * a] * sx;
    const ay = index[3 * a + 1] * sy;
    const az = index[3 * a + 2] * sz;
    const ya = centred[a];
    let rowWeights = 0;
    let rowProducts = 0;
    let rowSquares = 0;
    for (let b = a + 1; b < count; b++) {
      const dx = index[3 * b] * sx - ax;
      const dy = index[3 * b + 1] * sy - ay;
      const dz = index[3 * b + 2] * sz - az;
      const w = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
      const yb = centred[b];
      rowWeights += w;
      rowProducts += w * yb;
      rowSquares += w * (ya - yb) * (ya - yb);
    }
    weights += rowWeights;
    products += ya * rowProducts;
    squaredDifferences += rowSquares;
  }
  return {
    weights: 2 * weights,
    products: 2 * products,
    squaredDifferences: 2 * squaredDifferences,
  };
}

/**
 * The direct loop costs about 5 ns per voxel pair, the FFT route about 1.6 ns per unit of
 * 2 M log2 M (M grid points) plus fixed costs (all cubes of 8^3 to 32^3 voxels, Node 20): direct
 * while the pairs do not exceed half that work.
 */
const DIRECT_PAIRS_PER_FFT_WORK = 0.5;

/**
 * Largest FFT grid (points): the three half spectra and their spare pair hold about four float64
 * values per grid point, 1 GiB of WebAssembly memory for 2^25 points (fourier-pair-sums.ts; an
 * engine that cannot grow its memory that far gives an error naming the ROI box). ROIs whose
 * bounding box needs more (e.g. beyond about 160^3 voxels) fall back to the direct sums: exact,
 * but O(N^2).
 */
const MAX_FFT_GRID = 2 ** 25;

/** Moran's I and Geary's C of the intensity mask (exact; NaN where undefined). */
export function spatialAutocorrelation(image: IbsiImage): SpatialAutocorrelation {
  const samples = roiSamples(image);
  const n = samples.count;
  if (n < 2 || samples.constant) return { moranI: Number.NaN, gearyC: Number.NaN };
  const box = samples.box;
  const grid = fftLength(2 * box[0] - 1) * fftLength(2 * box[1] - 1) * fftLength(2 * box[2] - 1);
  const fftWork = 2 * grid * Math.log2(Math.max(grid, 2));
  const sums =
    (n * (n - 1)) / 2 <= DIRECT_PAIRS_PER_FFT_WORK * fftWork || grid > MAX_FFT_GRID
      ? directPairSums(samples, image.spacing)
      : fourierPairSums(samples, image.spacing);
  return {
    moranI: (n * sums.products) / (sums.weights * samples.sumSquares),
    gearyC: ((n - 1) * sums.squaredDifferences) / (2 * sums.weights * samples.sumSquares),
  };
}
