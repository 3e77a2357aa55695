/**
 * Voxel-based GLCM's empty angles: PyRadiomics keeps a GLCM angle when some kernel of the image
 * pairs voxels along it, and a kernel where a kept angle pairs none gets NaN for that angle
 * (JointAverage is then NaN, and MCC fails for the whole map; src/extract/voxel.ts applies both).
 * Which kernels are affected is found here, by one of two strategies with the same answer.
 */
import { angleCount, generateAngles } from "../../features/angles.js";
import type { Volume } from "../../image/volume.js";
import type { TextureSettings } from "../../features/types.js";

/**
 * For each kernel (in the order of `boxes`, VoxelKernels.boxes): 1 when one of the GLCM angles
 * that some kernel pairs voxels along pairs none in this one (PyRadiomics' NaN angle), else 0.
 */
export function kernelsWithEmptyAngle(
  mask: Uint8Array,
  image: Volume,
  texture: Pick<TextureSettings, "distances" | "force2D" | "force2Ddimension">,
  boxes: Int32Array,
): Uint8Array {
  const [nx, ny, nz] = image.size;
  const shape = image.dimension === 2 ? [ny, nx] : [nz, ny, nx];
  const opts = {
    shape,
    distances: texture.distances,
    bidirectional: false,
    force2Ddimension: texture.force2D ? texture.force2Ddimension : -1,
  };
  const angles = (angleCount(opts) > 0 ? generateAngles(opts) : []).map((a) =>
    image.dimension === 2 ? [a[1]!, a[0]!, 0] : [a[2]!, a[1]!, a[0]!],
  );
  // paired[k * na + a]: kernel k pairs voxels along angle a, i.e. some voxel v of its box with
  // v + a in the box has both in the mask. Two ways to find it, the same answer:
  // - a direct scan of the box, stopping at the first pair (cheap when boxes are few or small:
  //   most kernels pair along most angles within a few voxels);
  // - with pairs[v] = mask[v] && mask[v + a], a box query on pairs over the box's voxels whose
  //   v + a stays inside: one summed-volume table per angle answers it for every kernel in O(1)
  //   (for many large kernels).
  // The scan is chosen unless even its worst case (no pair anywhere: two mask reads per box voxel
  // and angle) costs more than building the tables (about eight reads per grid voxel and angle).
  const na = angles.length;
  const kernelCount = boxes.length / 6;
  const paired = new Uint8Array(kernelCount * na);
  let boxVoxels = 0;
  for (let b = 0; b < boxes.length; b += 6)
    boxVoxels +=
      (boxes[b + 3]! - boxes[b]! + 1) *
      (boxes[b + 4]! - boxes[b + 1]! + 1) *
      (boxes[b + 5]! - boxes[b + 2]! + 1);
  if (boxVoxels <= 4 * nx * ny * nz) pairedByScan(mask, nx, ny, angles, boxes, paired);
  else pairedByTables(mask, image.size, angles, boxes, paired);
  const everPaired = new Uint8Array(na);
  for (let k = 0; k < kernelCount; k++)
    for (let a = 0; a < na; a++) if (paired[k * na + a] === 1) everPaired[a] = 1;
  const flags = new Uint8Array(kernelCount);
  for (let k = 0; k < kernelCount; k++) {
    for (let a = 0; a < na; a++) {
      if (everPaired[a] === 1 && paired[k * na + a] === 0) {
        flags[k] = 1;
        break;
      }
    }
  }
  return flags;
}

type HalfOpenBox = [x0: number, y0: number, z0: number, x1: number, y1: number, z1: number];

/** The box of kernel k clipped so that v and v + a both stay in it: [x0, y0, z0, x1, y1, z1). */
function pairBox(boxes: Int32Array, k: number, ax: number, ay: number, az: number): HalfOpenBox {
  // boxes: lower x, y, z, upper x, y, z per kernel (VoxelKernels.boxes), inclusive.
  const b = 6 * k;
  return [
    boxes[b]! + Math.max(0, -ax),
    boxes[b + 1]! + Math.max(0, -ay),
    boxes[b + 2]! + Math.max(0, -az),
    boxes[b + 3]! - Math.max(0, ax) + 1,
    boxes[b + 4]! - Math.max(0, ay) + 1,
    boxes[b + 5]! - Math.max(0, az) + 1,
  ];
}

/** kernelsWithEmptyAngle's pairing flags by scanning each box until its first pair. */
export function pairedByScan(
  mask: Uint8Array,
  nx: number,
  ny: number,
  angles: number[][],
  boxes: Int32Array,
  paired: Uint8Array,
): void {
  const na = angles.length;
  const kernelCount = boxes.length / 6;
  for (let k = 0; k < kernelCount; k++) {
    for (let a = 0; a < na; a++) {
      const [ax, ay, az] = angles[a]!;
      const [x0, y0, z0, x1, y1, z1] = pairBox(boxes, k, ax!, ay!, az!);
      const shift = ax! + nx * (ay! + ny * az!);
      let found = false;
      for (let z = z0; z < z1 && !found; z++) {
        for (let y = y0; y < y1 && !found; y++) {
          const row = nx * (y + ny * z);
          for (let x = x0; x < x1; x++) {
            if (mask[row + x] !== 0 && mask[row + x + shift] !== 0) {
              found = true;
              break;
            }
          }
        }
      }
      if (found) paired[k * na + a] = 1;
    }
  }
}

/** kernelsWithEmptyAngle's pairing flags from one summed-volume table of pair starts per angle. */
export function pairedByTables(
  mask: Uint8Array,
  size: readonly number[],
  angles: number[][],
  boxes: Int32Array,
  paired: Uint8Array,
): void {
  const [nx, ny, nz] = size as [number, number, number];
  const na = angles.length;
  const kernelCount = boxes.length / 6;
  const sx = nx + 1;
  const sxy = sx * (ny + 1);
  const table = new Int32Array(sxy * (nz + 1));
  angles.forEach(([ax, ay, az], a) => {
    // table[(x + 1) + sx (y + 1) + sxy (z + 1)] = number of pair starts v <= (x, y, z).
    for (let z = 0; z < nz; z++) {
      for (let y = 0; y < ny; y++) {
        for (let x = 0; x < nx; x++) {
          const qx = x + ax!;
          const qy = y + ay!;
          const qz = z + az!;
          const inside = qx >= 0 && qy >= 0 && qz >= 0 && qx < nx && qy < ny && qz < nz;
          const pair =
            inside && mask[x + nx * (y + ny * z)] !== 0 && mask[qx + nx * (qy + ny * qz)] !== 0
              ? 1
              : 0;
          const at = x + 1 + sx * (y + 1) + sxy * (z + 1);
          table[at] =
            pair +
            table[at - 1]! +
            table[at - sx]! +
            table[at - sxy]! -
            table[at - 1 - sx]! -
            table[at - 1 - sxy]! -
            table[at - sx - sxy]! +
            table[at - 1 - sx - sxy]!;
        }
      }
    }
    for (let k = 0; k < kernelCount; k++) {
      const [x0, y0, z0, x1, y1, z1] = pairBox(boxes, k, ax!, ay!, az!);
      if (x1 <= x0 || y1 <= y0 || z1 <= z0) continue;
      const count =
        table[x1 + sx * y1 + sxy * z1]! -
        table[x0 + sx * y1 + sxy * z1]! -
        table[x1 + sx * y0 + sxy * z1]! -
        table[x1 + sx * y1 + sxy * z0]! +
        table[x0 + sx * y0 + sxy * z1]! +
        table[x0 + sx * y1 + sxy * z0]! +
        table[x1 + sx * y0 + sxy * z0]! -
        table[x0 + sx * y0 + sxy * z0]!;
      if (count > 0) paired[k * na + a] = 1;
    }
  });
}
