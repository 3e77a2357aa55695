/**
 * Binary morphology with the face-connected (cross) structuring element, as scipy.ndimage's
 * `binary_dilation` / `binary_erosion` / `binary_closing` with `generate_binary_structure(3, 1)`
 * (6 neighbours), or its in-plane version (4 neighbours, no neighbours across slices: MIRP's
 * structure for slice-wise processing). Masks are 0/1 arrays, x fastest.
 */
import type { Vec3 } from "../volume.js";

/**
 * One step of dilation (`erode` false) or erosion (`erode` true). Outside the grid counts as
 * `border` (scipy's border_value; 0 by default, so erosion removes ROI voxels on the grid's edge).
 */
function morph(
  mask: Uint8Array,
  size: Vec3,
  inPlane: boolean,
  erode: boolean,
  border: 0 | 1,
): Uint8Array {
  const [nx, ny, nz] = size;
  const sy = nx;
  const sz = nx * ny;
  const acrossSlices = !inPlane && nz > 1;
  const out = new Uint8Array(mask.length);
  // The six (or four) neighbours' values, outside the grid = `border` for erosion, 0 for dilation.
  const outside = erode ? border : 0;
  for (let z = 0, i = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        const self = mask[i]!;
        if (erode ? !self : self) {
          out[i] = self ? 1 : 0;
          continue;
        }
        // Erosion keeps a voxel when every neighbour is set; dilation sets it when any is.
        const xm = x > 0 ? mask[i - 1]! : outside;
        const xp = x < nx - 1 ? mask[i + 1]! : outside;
        const ym = y > 0 ? mask[i - sy]! : outside;
        const yp = y < ny - 1 ? mask[i + sy]! : outside;
        let zm = erode ? 1 : 0;
        let zp = zm;
        if (acrossSlices) {
          zm = z > 0 ? mask[i - sz]! : outside;
          zp = z < nz - 1 ? mask[i + sz]! : outside;
        }
        out[i] = erode
          ? xm && xp && ym && yp && zm && zp
            ? 1
            : 0
          : xm || xp || ym || yp || zm || zp
            ? 1
            : 0;
      }
    }
  }
  return out;
}

/** One dilation step with the cross structuring element. */
export function dilate(mask: Uint8Array, size: Vec3, inPlane: boolean): Uint8Array {
  return morph(mask, size, inPlane, false, 0);
}

/** One erosion step with the cross structuring element (outside the grid counts as background). */
export function erode(mask: Uint8Array, size: Vec3, inPlane: boolean): Uint8Array {
  return morph(mask, size, inPlane, true, 0);
}

/**
 * Binary closing (one dilation, then one erosion). Unlike scipy's default (border_value 0), the
 * erosion counts outside the grid as foreground, so closing never removes ROI voxels that touch
 * the grid's edge (closing is then extensive: the result contains the input).
 */
export function close(mask: Uint8Array, size: Vec3, inPlane: boolean): Uint8Array {
  return morph(morph(mask, size, inPlane, false, 0), size, inPlane, true, 1);
}

/** Number of non-zero voxels. */
export function countNonZero(mask: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}
