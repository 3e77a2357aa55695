/**
 * Exact Euclidean distance transforms of a 2D slice in mm, by the lower-envelope-of-parabolas
 * algorithm of P. F. Felzenszwalb and D. P. Huttenlocher, "Distance Transforms of Sampled
 * Functions", Theory of Computing 8 (2012) 415-428: a 1D squared-distance transform along v, then
 * one along u on its result. Linear in the number of voxels, exact (not a chamfer approximation),
 * and anisotropic spacing enters only as the sample positions of each 1D pass.
 */

/**
 * One 1D pass: out[p] = min over q of (x_p - x_q)^2 + f[q] with x_p = p * s, over the q with
 * finite f (Infinity marks "no site"); Infinity everywhere when there is none. `v` and `z` are
 * scratch arrays of length >= n and n + 1.
 */
function envelope1d(
  f: Float64Array,
  n: number,
  s: number,
  out: Float64Array,
  v: Int32Array,
  z: Float64Array,
): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    const fq = f[q]!;
    if (fq === Number.POSITIVE_INFINITY) continue;
    const xq = q * s;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = Number.NEGATIVE_INFINITY;
      z[1] = Number.POSITIVE_INFINITY;
      continue;
    }
    let cross: number;
    for (;;) {
      const r = v[k]!;
      const xr = r * s;
      // Abscissa where the parabola rooted at q overtakes the one rooted at r.
      cross = (fq + xq * xq - (f[r]! + xr * xr)) / (2 * (xq - xr));
      // z[0] is -Infinity, so k never drops below 0.
      if (cross <= z[k]!) k--;
      else break;
    }
    k++;
    v[k] = q;
    z[k] = cross;
    z[k + 1] = Number.POSITIVE_INFINITY;
  }
  if (k < 0) {
    out.fill(Number.POSITIVE_INFINITY, 0, n);
    return;
  }
  k = 0;
  for (let p = 0; p < n; p++) {
    const xp = p * s;
    while (z[k + 1]! < xp) k++;
    const r = v[k]!;
    const d = xp - r * s;
    out[p] = d * d + f[r]!;
  }
}

/**
 * Squared Euclidean distance (mm^2) from each voxel centre of a `width` x `height` slice with
 * spacing `su` x `sv` mm to the nearest centre where `sites` is non-zero: 0 on the sites,
 * Infinity everywhere when there are none. u fastest.
 */
export function squaredDistanceMap(
  sites: Uint8Array,
  width: number,
  height: number,
  su: number,
  sv: number,
): Float64Array {
  const n = Math.max(width, height);
  const f = new Float64Array(n);
  const g = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const out = new Float64Array(width * height);
  // Pass 1, along v (each column): distance to the nearest site of the same column.
  for (let u = 0; u < width; u++) {
    for (let j = 0, p = u; j < height; j++, p += width) {
      f[j] = sites[p] !== 0 ? 0 : Number.POSITIVE_INFINITY;
    }
    envelope1d(f, height, sv, g, v, z);
    for (let j = 0, p = u; j < height; j++, p += width) out[p] = g[j]!;
  }
  // Pass 2, along u (each row) on the column distances.
  for (let j = 0; j < height; j++) {
    const row = j * width;
    for (let i = 0; i < width; i++) f[i] = out[row + i]!;
    envelope1d(f, width, su, g, v, z);
    for (let i = 0; i < width; i++) out[row + i] = g[i]!;
  }
  return out;
}

/**
 * Signed distance (mm) of each voxel centre to the region `inside` (non-zero = in the region):
 * outside, the distance to the nearest region centre (> 0); inside, minus the distance to the
 * nearest centre outside the region (< 0). Never 0 on a voxel, and for a 1D run the zero
 * crossing of the linear interpolant falls on the voxel face between the run and its neighbour.
 * An empty region gives +Infinity everywhere, a region covering the whole slice -Infinity.
 */
export function signedDistanceMap(
  inside: Uint8Array,
  width: number,
  height: number,
  su: number,
  sv: number,
): Float64Array {
  const n = width * height;
  const outside = new Uint8Array(n);
  for (let i = 0; i < n; i++) outside[i] = inside[i] === 0 ? 1 : 0;
  const toIn = squaredDistanceMap(inside, width, height, su, sv);
  const toOut = squaredDistanceMap(outside, width, height, su, sv);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = inside[i] !== 0 ? -Math.sqrt(toOut[i]!) : Math.sqrt(toIn[i]!);
  }
  return out;
}
