/**
 * Rotation perturbation (Zwanenburg et al., "Assessing robustness of radiomic features by image
 * perturbation", Sci Rep 2019;9:614; MIRP `GenericImage._interpolate`): the image and ROI are
 * resampled on a grid rotated by an angle (degrees) about the slice axis (the physical direction of
 * index axis z), through the grid's centre. The object stays where it is in physical space; only
 * the sampling grid turns, so the image content appears rotated by −angle in index space:
 * output voxel i samples the input at continuous index c + Rᵢ (i − c), with c the grid centre
 * ((size − 1) / 2) and Rᵢ the rotation expressed in index space (for an identity direction and
 * isotropic in-plane spacing, a +90° rotation gives out[x, y] = in[n − 1 − y, x]).
 * Interpolation and edge handling: grid-sampling.ts.
 */
import type { Mat3, Vec3, Volume } from "../volume.js";
import { indexToPhysical } from "../volume.js";
import {
  checkRoiLabel,
  type GridGeometry,
  type PerturbationInterpolator,
  resampleImageOnGrid,
  resampleRoiOnGrid,
} from "./grid-sampling.js";

/** cos and sin of an angle in degrees, exact at multiples of 90° (as R's cospi / sinpi). */
export function cosSinDegrees(degrees: number): [number, number] {
  if (!Number.isFinite(degrees)) throw new Error(`rotation: angle must be finite, got ${degrees}`);
  const r = ((degrees % 360) + 360) % 360;
  if (r === 0) return [1, 0];
  if (r === 90) return [0, 1];
  if (r === 180) return [-1, 0];
  if (r === 270) return [0, -1];
  const rad = (degrees * Math.PI) / 180;
  return [Math.cos(rad), Math.sin(rad)];
}

/** Row-major rotation by `degrees` about the unit vector `axis` (right-handed; Rodrigues' formula). */
export function rotationAbout(axis: Vec3, degrees: number): Mat3 {
  const norm = Math.hypot(axis[0], axis[1], axis[2]);
  if (!(norm > 0)) throw new Error("rotation: the rotation axis has zero length");
  const [x, y, z] = [axis[0] / norm, axis[1] / norm, axis[2] / norm];
  const [c, s] = cosSinDegrees(degrees);
  const t = 1 - c;
  // R = c I + s [n]x + (1 - c) n nᵀ
  return [
    c + t * x * x,
    t * x * y - s * z,
    t * x * z + s * y,
    t * x * y + s * z,
    c + t * y * y,
    t * y * z - s * x,
    t * x * z - s * y,
    t * y * z + s * x,
    c + t * z * z,
  ];
}

function multiply(a: Mat3, b: Mat3): Mat3 {
  const out = new Array<number>(9).fill(0) as Mat3;
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) {
      out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
    }
  }
  return out;
}

/**
 * The grid of `vol` rotated by `degrees` about its slice axis (direction column z) through its
 * centre: direction' = R · direction, origin' such that the centre voxel keeps its position.
 */
export function rotatedGrid(vol: GridGeometry, degrees: number): GridGeometry {
  const d = vol.direction;
  const rotation = rotationAbout([d[2], d[5], d[8]], degrees);
  const direction = multiply(rotation, d);
  const centreIndex: Vec3 = [
    (vol.size[0] - 1) / 2,
    (vol.size[1] - 1) / 2,
    vol.dimension === 3 ? (vol.size[2] - 1) / 2 : 0,
  ];
  const centre = indexToPhysical(vol, centreIndex);
  const offset = indexToPhysical(
    { origin: [0, 0, 0], spacing: vol.spacing, direction },
    centreIndex,
  );
  return {
    size: [...vol.size],
    spacing: [...vol.spacing],
    origin: [centre[0] - offset[0], centre[1] - offset[1], centre[2] - offset[2]],
    direction,
    dimension: vol.dimension,
  };
}

export interface ResampleOptions {
  /** ROI label in the mask (default 1); the output mask holds this label. */
  label?: number;
  /** Image interpolator (default linear). */
  interpolator?: PerturbationInterpolator;
}

/** Image and ROI resampled on a grid rotated by `degrees` about the slice axis (see above). */
export function rotateVolume(
  image: Volume,
  mask: Volume,
  degrees: number,
  options: ResampleOptions = {},
): { image: Volume<Float64Array>; mask: Volume<Uint8Array> } {
  const label = options.label ?? 1;
  checkRoiLabel(label);
  const grid = rotatedGrid(image, degrees);
  return {
    image: resampleImageOnGrid(image, grid, options.interpolator),
    mask: resampleRoiOnGrid(mask, grid, label),
  };
}
