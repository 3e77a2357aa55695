/**
 * SLIC supervoxels (Achanta et al., "SLIC superpixels compared to state-of-the-art superpixel
 * methods", IEEE TPAMI 2012;34:2274-2282) as scikit-image's `segmentation.slic` computes them for a
 * grey-level volume (channel_axis None, no mask, slic_zero False; skimage's slic_superpixels.py
 * and _slic.pyx), the segmentation MIRP's contour randomisation uses:
 *
 * 1. intensities rescaled to [0, 1] by their minimum and maximum;
 * 2. Gaussian smoothing with σ / spacing voxels per axis (scipy.ndimage.gaussian_filter: kernel
 *    radius ⌊4σ + 0.5⌋, mode "reflect"), then intensities multiplied by 1 / compactness;
 * 3. seeds on skimage's `regular_grid` for the requested number of segments (grid steps close to
 *    (voxels / segments)^(1/3), an axis too short for a step gets a single seed row), colour 0;
 * 4. max_num_iter rounds of k-means: each seed claims the voxels of its window (± 2 grid steps per
 *    axis) whose distance d = (spacing-weighted squared offset) / step² + (colour difference)² is
 *    smallest so far, then seeds move to their voxels' mean position and colour (skimage resets
 *    the distances each round, so all rounds run);
 * 5. connectivity (Achanta's post-processing): face-connected pieces are relabelled 1, 2, ... in
 *    scan order and pieces smaller than ⌊0.5 · voxels / seeds⌋ join the last neighbouring piece met.
 *
 * Arrays are x fastest, the same flat order as skimage's (z, y, x) C-ordered arrays.
 */
import type { Vec3 } from "../volume.js";

export interface SlicOptions {
  /** Requested number of supervoxels. */
  nSegments: number;
  /** Colour / space balance (skimage `compactness`); higher = more regular shapes. */
  compactness: number;
  /** Gaussian smoothing width in mm (skimage `sigma`, divided by the spacing per axis). */
  sigmaMm: number;
  /** k-means rounds (skimage `max_num_iter`, default 10). */
  maxIterations?: number;
  /** Minimum piece size relative to voxels / seeds (skimage `min_size_factor`, default 0.5). */
  minSizeFactor?: number;
  /** Largest piece traced at once relative to voxels / seeds (skimage default 3). */
  maxSizeFactor?: number;
}

/** numpy's round (half to even). */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * skimage's `regular_grid(shape, n)` for a (z, y, x) shape: the start and step of the seed grid on
 * each axis (start 0 and step 1 when there are fewer voxels than points).
 */
export function regularGrid(
  shape: readonly [number, number, number],
  nPoints: number,
): { start: Vec3; step: Vec3 } {
  const ndim = 3;
  let space = shape[0] * shape[1] * shape[2];
  if (space <= nPoints) return { start: [0, 0, 0], step: [1, 1, 1] };
  // Axes sorted by length (stable for ties, as numpy's argsort of a small array).
  const order = [0, 1, 2].sort((a, b) => shape[a]! - shape[b]!);
  const sorted = order.map((a) => shape[a]!);
  const steps = new Array<number>(ndim).fill((space / nPoints) ** (1 / ndim));
  if (sorted.some((d, i) => d < steps[i]!)) {
    for (let dim = 0; dim < ndim - 1; dim++) {
      steps[dim] = sorted[dim]!;
      space = 1;
      for (let k = dim + 1; k < ndim; k++) space *= sorted[k]!;
      const s = (space / nPoints) ** (1 / (ndim - dim - 1));
      for (let k = dim + 1; k < ndim; k++) steps[k] = s;
      if (sorted.every((d, i) => d >= steps[i]!)) break;
    }
  }
  const start: Vec3 = [0, 0, 0];
  const step: Vec3 = [1, 1, 1];
  order.forEach((axis, i) => {
    start[axis] = Math.floor(steps[i]! / 2);
    step[axis] = roundHalfEven(steps[i]!);
  });
  return { start, step };
}

/** scipy.ndimage.gaussian_filter1d along one axis (truncate 4, mode "reflect"), in place. */
function gaussianAxis(data: Float64Array, size: Vec3, axis: 0 | 1 | 2, sigma: number): void {
  if (!(sigma > 0)) return;
  const radius = Math.floor(4 * sigma + 0.5);
  const weights = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let k = -radius; k <= radius; k++) {
    const w = Math.exp((-0.5 * k * k) / (sigma * sigma));
    weights[k + radius] = w;
    total += w;
  }
  for (let k = 0; k < weights.length; k++) weights[k] = weights[k]! / total;
  const n = size[axis];
  const stride = axis === 0 ? 1 : axis === 1 ? size[0] : size[0] * size[1];
  const line = new Float64Array(n);
  const reflect = (i: number): number => {
    if (n === 1) return 0;
    const period = 2 * n;
    let j = i % period;
    if (j < 0) j += period;
    return j < n ? j : period - 1 - j;
  };
  const [nx, ny, nz] = size;
  const starts: number[] = [];
  for (let z = 0; z < (axis === 2 ? 1 : nz); z++) {
    for (let y = 0; y < (axis === 1 ? 1 : ny); y++) {
      for (let x = 0; x < (axis === 0 ? 1 : nx); x++) starts.push(x + nx * (y + ny * z));
    }
  }
  for (const s0 of starts) {
    for (let i = 0; i < n; i++) line[i] = data[s0 + i * stride]!;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = -radius; k <= radius; k++) s += weights[k + radius]! * line[reflect(i + k)]!;
      data[s0 + i * stride] = s;
    }
  }
}

/**
 * SLIC labels (1, 2, ...; x fastest) of a grey-level volume of `size` voxels with `spacing` (mm).
 */
export function slic(
  values: ArrayLike<number>,
  size: Vec3,
  spacing: Vec3,
  options: SlicOptions,
): Int32Array {
  const [nx, ny, nz] = size;
  const count = nx * ny * nz;
  if (values.length !== count) throw new Error("slic: the values do not match the size");
  if (!(options.nSegments >= 1))
    throw new Error(`slic: nSegments must be >= 1, got ${options.nSegments}`);
  if (!(options.compactness > 0)) {
    throw new Error(`slic: compactness must be > 0, got ${options.compactness}`);
  }
  // 1. Rescale to [0, 1].
  const image = Float64Array.from(values);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const v = image[i]!;
    if (!Number.isFinite(v)) throw new Error(`slic: voxel ${i} is not finite (${v})`);
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  for (let i = 0; i < count; i++) image[i] = image[i]! - lo;
  if (hi !== lo) for (let i = 0; i < count; i++) image[i] = image[i]! / (hi - lo);
  // 2. Smoothing (σ in voxels = σ_mm / spacing) and colour weight.
  for (const axis of [0, 1, 2] as const) {
    if (size[axis] > 1) gaussianAxis(image, size, axis, options.sigmaMm / spacing[axis]);
  }
  const ratio = 1 / options.compactness;
  for (let i = 0; i < count; i++) image[i] = image[i]! * ratio;
  // 3. Seeds on the regular grid ((z, y, x) shape for regular_grid).
  const seedGrid = regularGrid([nz, ny, nx], Math.trunc(options.nSegments));
  const seeds: number[][] = [];
  for (let z = seedGrid.start[0]; z < nz; z += seedGrid.step[0]) {
    for (let y = seedGrid.start[1]; y < ny; y += seedGrid.step[1]) {
      for (let x = seedGrid.start[2]; x < nx; x += seedGrid.step[2]) seeds.push([z, y, x, 0]);
    }
  }
  const nSeeds = seeds.length;
  const step = Math.max(...seedGrid.step);
  // _slic_cython recomputes the window steps from the number of seeds.
  const window = regularGrid([nz, ny, nx], nSeeds).step;
  const [sz, sy, sx] = [spacing[2], spacing[1], spacing[0]];
  const spatialWeight = 1 / (step * step);
  const labels = new Int32Array(count);
  const distance = new Float64Array(count);
  const centre = new Float64Array(4 * nSeeds);
  for (let k = 0; k < nSeeds; k++) centre.set(seeds[k]!, 4 * k);
  const members = new Int32Array(nSeeds);
  const maxIterations = options.maxIterations ?? 10;
  // 4. k-means rounds.
  for (let iter = 0; iter < maxIterations; iter++) {
    distance.fill(Number.MAX_VALUE);
    let change = false;
    for (let k = 0; k < nSeeds; k++) {
      const cz = centre[4 * k]!;
      const cy = centre[4 * k + 1]!;
      const cx = centre[4 * k + 2]!;
      const cc = centre[4 * k + 3]!;
      if (Number.isNaN(cz)) continue; // a seed that lost all its voxels (skimage: NaN centre)
      const z0 = Math.trunc(Math.max(cz - 2 * window[0], 0));
      const z1 = Math.trunc(Math.min(cz + 2 * window[0] + 1, nz));
      const y0 = Math.trunc(Math.max(cy - 2 * window[1], 0));
      const y1 = Math.trunc(Math.min(cy + 2 * window[1] + 1, ny));
      const x0 = Math.trunc(Math.max(cx - 2 * window[2], 0));
      const x1 = Math.trunc(Math.min(cx + 2 * window[2] + 1, nx));
      for (let z = z0; z < z1; z++) {
        const dz = (sz * (cz - z)) ** 2;
        for (let y = y0; y < y1; y++) {
          const dzy = dz + (sy * (cy - y)) ** 2;
          let i = x0 + nx * (y + ny * z);
          for (let x = x0; x < x1; x++, i++) {
            const dx = sx * (cx - x);
            const t = image[i]! - cc;
            const d = (dzy + dx * dx) * spatialWeight + t * t;
            if (distance[i]! > d) {
              labels[i] = k + 1;
              distance[i] = d;
              change = true;
            }
          }
        }
      }
    }
    if (!change) break;
    centre.fill(0);
    members.fill(0);
    for (let z = 0, i = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++, i++) {
          const k = labels[i]! - 1;
          members[k]!++;
          centre[4 * k] = centre[4 * k]! + z;
          centre[4 * k + 1] = centre[4 * k + 1]! + y;
          centre[4 * k + 2] = centre[4 * k + 2]! + x;
          centre[4 * k + 3] = centre[4 * k + 3]! + image[i]!;
        }
      }
    }
    for (let k = 0; k < nSeeds; k++) {
      for (let c = 0; c < 4; c++) centre[4 * k + c] = centre[4 * k + c]! / members[k]!;
    }
  }
  // 5. Connectivity.
  const segmentSize = count / nSeeds;
  const minSize = Math.trunc((options.minSizeFactor ?? 0.5) * segmentSize);
  const maxSize = Math.trunc((options.maxSizeFactor ?? 3) * segmentSize);
  return enforceConnectivity(labels, size, minSize, maxSize);
}

/** skimage's `_enforce_label_connectivity_cython` (start_label 1), x fastest. */
function enforceConnectivity(
  segments: Int32Array,
  size: Vec3,
  minSize: number,
  maxSize: number,
): Int32Array {
  const [nx, ny, nz] = size;
  const out = new Int32Array(segments.length);
  const queue = new Int32Array(Math.max(maxSize, 1));
  const dx = [1, -1, 0, 0, 0, 0];
  const dy = [0, 0, 1, -1, 0, 0];
  const dz = [0, 0, 0, 0, 1, -1];
  let next = 1;
  for (let z = 0, start = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, start++) {
        if (segments[start] === 0 || out[start]! > 0) continue;
        let adjacent = next;
        const label = segments[start]!;
        out[start] = next;
        let length = 1;
        let visited = 0;
        queue[0] = start;
        while (visited < length && length < maxSize) {
          const v = queue[visited]!;
          const vx = v % nx;
          const vy = Math.floor(v / nx) % ny;
          const vz = Math.floor(v / (nx * ny));
          for (let n = 0; n < 6; n++) {
            const xx = vx + dx[n]!;
            const yy = vy + dy[n]!;
            const zz = vz + dz[n]!;
            if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
            const j = xx + nx * (yy + ny * zz);
            if (segments[j] === label && out[j] === 0) {
              out[j] = next;
              queue[length++] = j;
              if (length >= maxSize) break;
            } else if (out[j]! > 0 && out[j] !== next) {
              adjacent = out[j]!;
            }
          }
          visited++;
        }
        if (length < minSize) {
          for (let q = 0; q < length; q++) out[queue[q]!] = adjacent;
        } else {
          next++;
        }
      }
    }
  }
  return out;
}
