/**
 * The synthetic cohort of the perturbation-robustness tests (test/study-robustness.test.ts in the
 * library, test/app-robustness-e2e.test.ts in the page): 16 patients on a 24 x 24 x 12 grid of 1 mm
 * voxels, each ROI a sphere plus i voxels in a row (a volume that a V perturbation changes far more
 * than the patients differ), patient i's level L = 100 + 60 i, pCR mostly where L is high.
 */
import { IDENTITY3, type Vec3, type Volume } from "../../src/image/volume.js";

export const ROBUSTNESS_GRID: Vec3 = [24, 24, 12];
const CENTRE: Vec3 = [11.5, 11.5, 5.5];

/** `data` as a volume on the cohort's grid (1 mm, identity direction, origin 0). */
export function gridVolume<T extends Volume["data"]>(data: T): Volume<T> {
  return {
    data,
    size: [...ROBUSTNESS_GRID],
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [...IDENTITY3],
    dimension: 3,
  };
}

/**
 * Patient i's ROI (value `label`): the voxels within `radius` of the grid's centre, and i voxels
 * continuing the sphere along +x in its central slice, x = 16 ... 15 + i (with radius 4, the
 * sphere's last voxel on that row is x = 15, 3.5 from the centre).
 */
export function sphereWithRow(i: number, radius: number, label: number): Volume<Uint8Array> {
  const [nx, ny, nz] = ROBUSTNESS_GRID;
  const mask = gridVolume(new Uint8Array(nx * ny * nz));
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        const d2 = (x - CENTRE[0]) ** 2 + (y - CENTRE[1]) ** 2 + (z - CENTRE[2]) ** 2;
        if (d2 <= radius * radius) mask.data[x + nx * (y + ny * z)] = label;
      }
  for (let k = 0; k < i; k++) mask.data[16 + k + nx * (11 + ny * 5)] = label;
  return mask;
}

/**
 * 10 training and 6 test patients: level L = 100 + 60 i; pCR where i mod 10 >= 5, except patients
 * 3 and 12 (flipped, so that L does not separate the outcome); Ki-67 high for every third.
 */
export const ROBUSTNESS_PATIENTS = Array.from({ length: 16 }, (_, i) => ({
  id: `P${String(i + 1).padStart(2, "0")}`,
  set: i < 10 ? "training" : "test",
  level: 100 + 60 * i,
  pcr: (i % 10 >= 5 ? 1 : 0) ^ (i === 3 || i === 12 ? 1 : 0),
  ki67: i % 3 === 0 ? 1 : 0,
}));
