/**
 * IBSI-1 local intensity features (family 9ST6, IBSI-1 manual section "Local intensity features"),
 * 3D by definition (DHQ4): the local intensity peak (VJGA, `loc_peak_loc`) and the global intensity
 * peak (0F91, `loc_peak_glob`).
 *
 * The local mean of a voxel is the mean intensity of every grid voxel, in the ROI or not, whose
 * centre lies within r = (3 / (4 pi))^(1/3) cm = 6.2035 mm (a 1 cm^3 sphere, world coordinates) of
 * the voxel's centre, the voxel itself included. Only intensity-mask voxels are centres.
 * - Local peak: the largest local mean among the intensity-mask voxels of maximum intensity.
 * - Global peak: the largest local mean among all intensity-mask voxels.
 * Near the grid's edge the sphere holds only the voxels that exist (the manual's selection of voxel
 * centres; MIRP, the IBSI reference implementation, does the same for ROIs up to 300 voxels, while
 * for larger ROIs its mean filter pads the grid with the edge voxels, or with 0 for PET: the results
 * differ only for spheres that cross the grid's edge).
 *
 * The sphere is a set of x-runs, one per (dy, dz) offset; with prefix sums along each x row, a local
 * mean costs one subtraction per run. Undefined (NaN, deliberately): both features of an empty
 * intensity mask.
 */
import type { Vec3 } from "../../image/volume.js";
import type { IbsiFeatureValue, IbsiImage } from "../types.js";
import { checkIbsiImage } from "./morphology/image-checks.js";

/** Radius (mm) of the sphere of 1 cm^3: (3 / (4 pi))^(1/3) cm. */
export const PEAK_SPHERE_RADIUS_MM = Math.cbrt(3 / (4 * Math.PI)) * 10;

/** Per (dy, dz) offset within the sphere: the largest |dx| whose voxel centre is inside it. */
interface SphereRuns {
  dy: Int32Array;
  dz: Int32Array;
  halfWidth: Int32Array;
}

/** The x-runs of the voxel offsets whose centres lie within `radius` (mm) of the centre voxel. */
export function sphereRuns(spacing: Vec3, radius: number): SphereRuns {
  const [sx, sy, sz] = spacing;
  const r2 = radius * radius;
  const ey = Math.floor(radius / sy);
  const ez = Math.floor(radius / sz);
  const dy: number[] = [];
  const dz: number[] = [];
  const halfWidth: number[] = [];
  for (let z = -ez; z <= ez; z++) {
    for (let y = -ey; y <= ey; y++) {
      const rest = r2 - (y * sy) ** 2 - (z * sz) ** 2;
      if (rest < 0) continue;
      // The distance test itself decides (no rounding of a square root at the sphere's edge).
      let h = 0;
      while (((h + 1) * sx) ** 2 + (y * sy) ** 2 + (z * sz) ** 2 <= r2) h++;
      dy.push(y);
      dz.push(z);
      halfWidth.push(h);
    }
  }
  return {
    dy: Int32Array.from(dy),
    dz: Int32Array.from(dz),
    halfWidth: Int32Array.from(halfWidth),
  };
}

/** Local means (sphere of `radius` mm) at the given voxel indices; voxels beyond the grid are absent. */
export function localMeans(
  image: IbsiImage,
  centres: Int32Array,
  radius = PEAK_SPHERE_RADIUS_MM,
): Float64Array {
  const [nx, ny, nz] = image.size;
  const runs = sphereRuns(image.spacing, radius);
  const intensities = image.intensities;
  // prefix[(y + ny z)(nx + 1) + x] = sum of the row's first x intensities.
  const stride = nx + 1;
  const prefix = new Float64Array(stride * ny * nz);
  for (let row = 0; row < ny * nz; row++) {
    let sum = 0;
    const from = row * nx;
    const to = row * stride;
    for (let x = 0; x < nx; x++) {
      sum += intensities[from + x]!;
      prefix[to + x + 1] = sum;
    }
  }
  // The sphere's extent, and each run's row offset in `prefix`: a centre whose sphere lies in the
  // grid reads every run whole (the same sums in the same order as the general path).
  const count = runs.halfWidth.length;
  let ex = 0;
  let ey = 0;
  let ez = 0;
  let inside = 0;
  const rowOffset = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    ex = Math.max(ex, runs.halfWidth[r]!);
    ey = Math.max(ey, Math.abs(runs.dy[r]!));
    ez = Math.max(ez, Math.abs(runs.dz[r]!));
    inside += 2 * runs.halfWidth[r]! + 1;
    rowOffset[r] = (runs.dy[r]! + ny * runs.dz[r]!) * stride;
  }
  const out = new Float64Array(centres.length);
  for (let k = 0; k < centres.length; k++) {
    const i = centres[k]!;
    const x = i % nx;
    const y = Math.floor(i / nx) % ny;
    const z = Math.floor(i / (nx * ny));
    let sum = 0;
    if (x >= ex && x + ex < nx && y >= ey && y + ey < ny && z >= ez && z + ez < nz) {
      const base = (y + ny * z) * stride + x;
      for (let r = 0; r < count; r++) {
        const h = runs.halfWidth[r]!;
        const at = base + rowOffset[r]!;
        sum += prefix[at + h + 1]! - prefix[at - h]!;
      }
      out[k] = sum / inside;
      continue;
    }
    let voxels = 0;
    for (let r = 0; r < count; r++) {
      const yy = y + runs.dy[r]!;
      const zz = z + runs.dz[r]!;
      if (yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
      const h = runs.halfWidth[r]!;
      const x0 = Math.max(0, x - h);
      const x1 = Math.min(nx, x + h + 1);
      const base = (yy + ny * zz) * stride;
      sum += prefix[base + x1]! - prefix[base + x0]!;
      voxels += x1 - x0;
    }
    out[k] = sum / voxels;
  }
  return out;
}

/** `loc_peak_loc` and `loc_peak_glob` of `image`. */
export function localIntensityFeatures(image: IbsiImage): IbsiFeatureValue[] {
  checkIbsiImage(image, "local intensity");
  const mask = image.intensityMask;
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) n++;
  const centres = new Int32Array(n);
  let maximum = Number.NEGATIVE_INFINITY;
  for (let i = 0, k = 0; i < mask.length; i++) {
    if (mask[i] === 0) continue;
    centres[k++] = i;
    if (image.intensities[i]! > maximum) maximum = image.intensities[i]!;
  }
  let localPeak = Number.NaN;
  let globalPeak = Number.NaN;
  if (centres.length > 0) {
    const means = localMeans(image, centres);
    localPeak = Number.NEGATIVE_INFINITY;
    globalPeak = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < centres.length; k++) {
      if (means[k] > globalPeak) globalPeak = means[k];
      if (image.intensities[centres[k]] === maximum && means[k] > localPeak) localPeak = means[k];
    }
  }
  return [
    { tag: "loc_peak_loc", aggregation: "", value: localPeak },
    { tag: "loc_peak_glob", aggregation: "", value: globalPeak },
  ];
}
