/**
 * A deterministic synthetic MRI-like phantom for the quick start and self-contained tests: a
 * noisy, smoothly varying background and an ellipsoidal "lesion" with its own mean intensity,
 * texture (smoothed noise) and lobulated surface. Everything is drawn from a seeded generator, so
 * the same options always give the same voxels.
 */
import { RRandom } from "../stats/random.js";
import type { Vec3, Volume } from "./volume.js";

export interface PhantomOptions {
  seed: number;
  /** Grid size (x, y, z). */
  size?: Vec3;
  /** Voxel spacing in mm. */
  spacing?: Vec3;
  /** Lesion semi-axes in mm. */
  radiiMm?: Vec3;
  /** Mean intensity of the lesion and of the background. */
  lesionMean?: number;
  backgroundMean?: number;
  /** Standard deviation of the lesion texture (before smoothing) and of the background noise. */
  textureSd?: number;
  noiseSd?: number;
  /** Relative amplitude of the surface lobulation (0 = smooth ellipsoid). */
  lobulation?: number;
  /** Mask the whole lesion ("all", default) or only its largest axial slice ("largest"). */
  maskSlices?: "all" | "largest";
  /**
   * A second reader's delineation, returned as `mask2`: the boundary is moved by up to this
   * fraction of the radius (smooth angular perturbation); image and first mask are unchanged.
   */
  secondReaderJitter?: number;
}

export interface Phantom {
  image: Volume<Int16Array>;
  mask: Volume<Uint8Array>;
  /** The second reader's mask (only with `secondReaderJitter`). */
  mask2?: Volume<Uint8Array>;
}

/** Standard normal deviate from two uniforms (Box-Muller). */
function normal(rng: RRandom): number {
  const u1 = rng.unifRand();
  const u2 = rng.unifRand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/**
 * 3x3x3 box smoothing (mean over the neighbours inside the grid), done as three separable 1-D
 * passes: the 3D mean over a clipped box is the product of the per-axis means.
 */
function smooth(field: Float64Array, size: Vec3): void {
  const strides = [1, size[0], size[0] * size[1]];
  const tmp = new Float64Array(field.length);
  for (let axis = 0; axis < 3; axis++) {
    const n = size[axis]!;
    if (n < 2) continue;
    const stride = strides[axis]!;
    tmp.set(field);
    for (let i = 0; i < field.length; i++) {
      const pos = Math.floor(i / stride) % n;
      let sum = tmp[i]!;
      let count = 1;
      if (pos > 0) {
        sum += tmp[i - stride]!;
        count++;
      }
      if (pos < n - 1) {
        sum += tmp[i + stride]!;
        count++;
      }
      field[i] = sum / count;
    }
  }
}

export function generatePhantom(options: PhantomOptions): Phantom {
  const size: Vec3 = options.size ?? [64, 64, 24];
  const spacing: Vec3 = options.spacing ?? [0.7, 0.7, 3];
  const radii: Vec3 = options.radiiMm ?? [12, 9, 10];
  const lesionMean = options.lesionMean ?? 900;
  const backgroundMean = options.backgroundMean ?? 400;
  const textureSd = options.textureSd ?? 120;
  const noiseSd = options.noiseSd ?? 30;
  const lobulation = options.lobulation ?? 0.15;
  const rng = new RRandom(options.seed);
  const [nx, ny, nz] = size;
  const n = nx * ny * nz;
  // All random fields are drawn up front, so the mask options never change the image.
  const texture = new Float64Array(n);
  for (let i = 0; i < n; i++) texture[i] = normal(rng);
  smooth(texture, size);
  const noise = new Float64Array(n);
  for (let i = 0; i < n; i++) noise[i] = normal(rng);
  // Lobulation: a few random low-order angular harmonics modulate the ellipsoid radius.
  const harmonics = (amplitude: number) =>
    Array.from({ length: 4 }, () => ({
      a: amplitude * rng.unifRand(),
      k: 2 + Math.floor(4 * rng.unifRand()),
      phase: 2 * Math.PI * rng.unifRand(),
    }));
  const lobes = harmonics(lobulation);
  const jitter = harmonics(options.secondReaderJitter ?? 0);
  const image = new Int16Array(n);
  const mask = new Uint8Array(n);
  const mask2 = options.secondReaderJitter !== undefined ? new Uint8Array(n) : null;
  const sliceArea2 = new Int32Array(nz);
  const centre: Vec3 = [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2];
  const sliceArea = new Int32Array(nz);
  // The lobulated boundary depends only on the in-plane angle: tabulate it per (x, y).
  const plane = nx * ny;
  const bound = new Float64Array(plane);
  const readerBound = new Float64Array(plane);
  for (let y = 0, j = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++, j++) {
      const theta = Math.atan2(
        ((y - centre[1]) * spacing[1]) / radii[1],
        ((x - centre[0]) * spacing[0]) / radii[0],
      );
      let b = 1;
      for (const l of lobes) b += l.a * Math.sin(l.k * theta + l.phase);
      let rb = b;
      for (const jt of jitter) rb += jt.a * Math.sin(jt.k * theta + jt.phase);
      bound[j] = b;
      readerBound[j] = rb;
    }
  }
  for (let z = 0, i = 0; z < nz; z++) {
    const pz = ((z - centre[2]) * spacing[2]) / radii[2];
    for (let y = 0; y < ny; y++) {
      const py = ((y - centre[1]) * spacing[1]) / radii[1];
      const shading = backgroundMean * (0.9 + 0.2 * (y / Math.max(ny - 1, 1)));
      for (let x = 0; x < nx; x++, i++) {
        const px = ((x - centre[0]) * spacing[0]) / radii[0];
        const r = Math.sqrt(px * px + py * py + pz * pz);
        const j = i % plane;
        const inside = r <= bound[j]!;
        const base = inside
          ? lesionMean + textureSd * 3 * texture[i]!
          : shading + noiseSd * noise[i]!;
        image[i] = Math.max(-32768, Math.min(32767, Math.round(base)));
        if (inside) {
          mask[i] = 1;
          sliceArea[z]!++;
        }
        if (mask2 && r <= readerBound[j]!) {
          mask2[i] = 1;
          sliceArea2[z]!++;
        }
      }
    }
  }
  if (options.maskSlices === "largest") {
    // Each reader draws the slice where their own delineation is largest.
    for (const [m, area] of [
      [mask, sliceArea],
      [mask2, sliceArea2],
    ] as const) {
      if (!m) continue;
      let best = 0;
      for (let z = 1; z < nz; z++) if (area[z]! > area[best]!) best = z;
      m.fill(0, 0, best * plane);
      m.fill(0, (best + 1) * plane);
    }
  }
  const geometry = {
    size,
    spacing,
    origin: [0, 0, 0] as Vec3,
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as Volume["direction"],
    dimension: 3 as const,
  };
  return {
    image: { ...geometry, data: image },
    mask: { ...geometry, data: mask },
    ...(mask2 ? { mask2: { ...geometry, data: mask2 } } : {}),
  };
}
