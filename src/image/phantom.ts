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
   * A second reader's delineation: the mask boundary is moved by up to this fraction of the radius
   * (smooth angular perturbation); the image is unchanged. 0 (default) = the true boundary.
   */
  boundaryJitter?: number;
}

export interface Phantom {
  image: Volume<Int16Array>;
  mask: Volume<Uint8Array>;
}

/** Standard normal deviate from two uniforms (Box-Muller). */
function normal(rng: RRandom): number {
  const u1 = rng.unifRand();
  const u2 = rng.unifRand();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** 3x3x3 box smoothing of a field (in place, via a copy), giving the texture spatial correlation. */
function smooth(field: Float64Array, size: Vec3): void {
  const [nx, ny, nz] = size;
  const src = Float64Array.from(field);
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        let sum = 0;
        let n = 0;
        for (let dz = -1; dz <= 1; dz++) {
          const zz = z + dz;
          if (zz < 0 || zz >= nz) continue;
          for (let dy = -1; dy <= 1; dy++) {
            const yy = y + dy;
            if (yy < 0 || yy >= ny) continue;
            for (let dx = -1; dx <= 1; dx++) {
              const xx = x + dx;
              if (xx < 0 || xx >= nx) continue;
              sum += src[xx + nx * (yy + ny * zz)]!;
              n++;
            }
          }
        }
        field[x + nx * (y + ny * z)] = sum / n;
      }
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
  const jitter = harmonics(options.boundaryJitter ?? 0);
  const image = new Int16Array(n);
  const mask = new Uint8Array(n);
  const centre: Vec3 = [(nx - 1) / 2, (ny - 1) / 2, (nz - 1) / 2];
  const sliceArea = new Int32Array(nz);
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const px = ((x - centre[0]) * spacing[0]) / radii[0];
        const py = ((y - centre[1]) * spacing[1]) / radii[1];
        const pz = ((z - centre[2]) * spacing[2]) / radii[2];
        const r = Math.sqrt(px * px + py * py + pz * pz);
        const theta = Math.atan2(py, px);
        let bound = 1;
        for (const l of lobes) bound += l.a * Math.sin(l.k * theta + l.phase);
        let readerBound = bound;
        for (const j of jitter) readerBound += j.a * Math.sin(j.k * theta + j.phase);
        const inside = r <= bound;
        const shading = 0.9 + 0.2 * (y / Math.max(ny - 1, 1));
        const base = inside
          ? lesionMean + textureSd * 3 * texture[i]!
          : backgroundMean * shading + noiseSd * noise[i]!;
        image[i] = Math.max(-32768, Math.min(32767, Math.round(base)));
        if (r <= readerBound) {
          mask[i] = 1;
          sliceArea[z]!++;
        }
      }
    }
  }
  if (options.maskSlices === "largest") {
    let best = 0;
    for (let z = 1; z < nz; z++) if (sliceArea[z]! > sliceArea[best]!) best = z;
    const plane = nx * ny;
    mask.fill(0, 0, best * plane);
    mask.fill(0, (best + 1) * plane);
  }
  const geometry = {
    size,
    spacing,
    origin: [0, 0, 0] as Vec3,
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] as Volume["direction"],
    dimension: 3 as const,
  };
  return { image: { ...geometry, data: image }, mask: { ...geometry, data: mask } };
}
