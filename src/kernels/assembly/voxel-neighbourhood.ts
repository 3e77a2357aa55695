/**
 * Voxel-based GLDM and NGTDM (binding and documentation: src/kernels/voxel-neighbourhood.ts; the
 * drivers: src/extract/voxel/gldm.ts, ngtdm.ts). PyRadiomics' voxel mode (cmatrices calculate_gldm /
 * calculate_ngtdm with set_bb per kernel) builds each kernel's matrix from the neighbours inside the
 * kernel's box and the discretisation mask; one call here does that for every kernel of an image and
 * evaluates the class's formulas with the segment-based routines (./texture-features), so each
 * kernel's row of features is bit for bit what src/features/gldm.ts / ngtdm.ts give on its ROI.
 *
 * GLDM's dependence: each mask voxel of the grid gets, once per image, a bit per angle (words of
 * 32 bits) telling whether that neighbour lies in the grid and the mask and is dependent. A kernel's
 * box keeps the angles whose offset along each axis stays inside the box: that depends only on the
 * voxel's distances to the box's faces (capped at the angles' reach), so it is the AND of three
 * precomputed per-axis masks, and the dependence is a popcount. An angle a kernel's box is too small
 * for (PyRadiomics' build_angles drops it there) pairs no voxels, so one angle set serves every box.
 * NGTDM's neighbour counts and level sums: box sums over the kernel's box (voxelNgtdm).
 *
 * Inputs: the grid's `levels` (Int32) and `mask` (Uint8), x fastest, nx x ny x nz; `boxes`
 * (6 Int32 per kernel: lower x, y, z, upper x, y, z, inclusive); for GLDM `angles` (x, y, z offset
 * triples, both directions of every angle), none longer than `reach` along any axis.
 */
import {
  ngtdmFeatureScratchBytes,
  ngtdmFeatures,
  zoneFeatureScratchBytes,
  zoneFeatures,
} from "./texture-features";
import {
  align16,
  boxLowX,
  boxLowY,
  boxLowZ,
  boxSizeX,
  boxSizeY,
  boxSizeZ,
  f64At,
  i32At,
  rankPresent,
  readBox,
} from "./voxel-common";

/** Features per kernel row: the zone-type table (ZONE_* slots) and NGTDM's. */
const ZONE_FEATURES: i32 = 16;
const NGTDM_FEATURES: i32 = 5;

/** 32-bit words of an angle bit set. */
function wordsFor(angleCount: i32): i32 {
  return (angleCount + 31) >> 5;
}

/** Bytes of the neighbour bits and per-axis masks (neighbourBits' layout). */
function bitsBytes(cells: i32, angleCount: i32, reach: i32): usize {
  const words = <usize>wordsFor(angleCount);
  const combos = <usize>((reach + 1) * (reach + 1));
  return align16((<usize>cells * words) << 2) + align16((3 * combos * words) << 2);
}

/**
 * Fills `bits` (per grid cell of a mask voxel: bit a set when angle a's neighbour is in the grid
 * and the mask and its level differs by at most alpha, PyRadiomics' dependence) and `axisMasks` (per axis and per (room below, room above) the voxel, each capped at `reach`: the
 * angles whose offset along the axis fits), and writes each angle's cell offset into `offsets`.
 */
function neighbourBits(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  angles: usize,
  angleCount: i32,
  reach: i32,
  alpha: f64,
  bits: usize,
  axisMasks: usize,
  offsets: usize,
): void {
  const words = wordsFor(angleCount);
  const combos = (reach + 1) * (reach + 1);
  memory.fill(axisMasks, 0, (<usize>(3 * combos * words)) << 2);
  for (let a = 0; a < angleCount; a++) {
    const t = i32At(angles, 3 * a);
    const bit: u32 = (<u32>1) << (<u32>(a & 31));
    const word = a >> 5;
    for (let axis = 0; axis < 3; axis++) {
      const d = load<i32>(i32At(t, axis));
      for (let below = 0; below <= reach; below++) {
        for (let above = 0; above <= reach; above++) {
          if (d < -below || d > above) continue;
          const at = i32At(axisMasks, (axis * combos + below * (reach + 1) + above) * words + word);
          store<u32>(at, load<u32>(at) | bit);
        }
      }
    }
    store<i32>(i32At(offsets, a), load<i32>(t) + nx * (load<i32>(t, 4) + ny * load<i32>(t, 8)));
  }
  let g = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, g++) {
        if (load<u8>(mask + <usize>g) === 0) continue;
        const level = load<i32>(i32At(levels, g));
        const cell = i32At(bits, g * words);
        for (let w = 0; w < words; w++) store<u32>(i32At(cell, w), 0);
        for (let a = 0; a < angleCount; a++) {
          const t = i32At(angles, 3 * a);
          const qx = x + load<i32>(t);
          const qy = y + load<i32>(t, 4);
          const qz = z + load<i32>(t, 8);
          if (qx < 0 || qy < 0 || qz < 0 || qx >= nx || qy >= ny || qz >= nz) continue;
          const w = g + load<i32>(i32At(offsets, a));
          if (load<u8>(mask + <usize>w) === 0) continue;
          if (<f64>abs(level - load<i32>(i32At(levels, w))) > alpha) continue;
          const at = i32At(cell, a >> 5);
          store<u32>(at, load<u32>(at) | ((<u32>1) << (<u32>(a & 31))));
        }
      }
    }
  }
}

/** The per-axis mask of a voxel `below` / `above` voxels from its box's faces, capped at reach. */
function axisMask(
  axisMasks: usize,
  axis: i32,
  below: i32,
  above: i32,
  reach: i32,
  words: i32,
): usize {
  const combos = (reach + 1) * (reach + 1);
  return i32At(
    axisMasks,
    (axis * combos + min(below, reach) * (reach + 1) + min(above, reach)) * words,
  );
}

/** Bytes of scratch voxelGldm needs. */
export function voxelGldmScratchBytes(
  cells: i32,
  angleCount: i32,
  reach: i32,
  maxBoxVoxels: i32,
  nLevels: i32,
): usize {
  const rows = min(maxBoxVoxels, nLevels);
  const cols = angleCount + 1;
  const ints: usize =
    <usize>angleCount + 2 * <usize>maxBoxVoxels + <usize>nLevels + 1 + <usize>cols;
  const doubles: usize = <usize>rows * <usize>cols + <usize>rows + <usize>cols;
  return (
    bitsBytes(cells, angleCount, reach) +
    align16(ints << 2) +
    (doubles << 3) +
    16 +
    zoneFeatureScratchBytes(rows, cols)
  );
}

/**
 * GLDM features of every kernel into out (16 doubles per kernel, the ZONE_* slots), as
 * PyRadiomics gldm.py on calculate_gldm's matrix: a voxel's dependence is its number of neighbours
 * (in the box and the mask) with |level difference| <= alpha; P(i, j) counts the voxels of level i
 * with dependence j - 1, over the kernel's levels (rows) and the dependence counts that occur
 * (columns), the matrix gldmFeatures compacts to; the formulas are zoneFeatures' with gldm.py's
 * grouped large-high term. Scratch: voxelGldmScratchBytes.
 */
export function voxelGldm(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  angles: usize,
  angleCount: i32,
  reach: i32,
  boxes: usize,
  kernelCount: i32,
  maxBoxVoxels: i32,
  nLevels: i32,
  alpha: f64,
  scratch: usize,
  out: usize,
): void {
  const words = wordsFor(angleCount);
  const rowsMax = min(maxBoxVoxels, nLevels);
  const bits = scratch;
  const axisMasks = align16(bits + ((<usize>(nx * ny * nz * words)) << 2));
  const offsets = scratch + bitsBytes(nx * ny * nz, angleCount, reach);
  const voxelLevel = i32At(offsets, angleCount);
  const voxelDependence = i32At(voxelLevel, maxBoxVoxels);
  const rowIndex = i32At(voxelDependence, maxBoxVoxels);
  const colIndex = i32At(rowIndex, nLevels + 1);
  const p = align16(i32At(colIndex, angleCount + 1));
  const ivector = f64At(p, rowsMax * (angleCount + 1));
  const jvector = f64At(ivector, rowsMax);
  const zoneScratch = align16(f64At(jvector, angleCount + 1));
  neighbourBits(
    levels,
    mask,
    nx,
    ny,
    nz,
    angles,
    angleCount,
    reach,
    alpha,
    bits,
    axisMasks,
    offsets,
  );
  // -1: level / dependence count not in the kernel; restored after each kernel.
  memory.fill(rowIndex, 0xff, (<usize>(nLevels + 1)) << 2);
  memory.fill(colIndex, 0xff, (<usize>(angleCount + 1)) << 2);
  for (let k = 0; k < kernelCount; k++) {
    readBox(boxes, k);
    const lx = boxLowX;
    const ly = boxLowY;
    const lz = boxLowZ;
    const ux = lx + boxSizeX - 1;
    const uy = ly + boxSizeY - 1;
    const uz = lz + boxSizeZ - 1;
    let count = 0;
    let lowest = nLevels + 1;
    let highest = 0;
    let maxDependence = 0;
    // The box's mask voxels in x-fastest order (the C kernel's; the counts do not depend on it).
    for (let z = lz; z <= uz; z++) {
      const mz = axisMask(axisMasks, 2, z - lz, uz - z, reach, words);
      for (let y = ly; y <= uy; y++) {
        const my = axisMask(axisMasks, 1, y - ly, uy - y, reach, words);
        let g = lx + nx * (y + ny * z);
        for (let x = lx; x <= ux; x++, g++) {
          if (load<u8>(mask + <usize>g) === 0) continue;
          const mx = axisMask(axisMasks, 0, x - lx, ux - x, reach, words);
          const cell = i32At(bits, g * words);
          let dependence = 0;
          for (let w = 0; w < words; w++) {
            const m =
              load<u32>(i32At(cell, w)) &
              load<u32>(i32At(mx, w)) &
              load<u32>(i32At(my, w)) &
              load<u32>(i32At(mz, w));
            dependence += <i32>popcnt<u32>(m);
          }
          const level = load<i32>(i32At(levels, g));
          store<i32>(i32At(voxelLevel, count), level);
          store<i32>(i32At(voxelDependence, count), dependence);
          count++;
          store<i32>(i32At(rowIndex, level), 0);
          store<i32>(i32At(colIndex, dependence), 0);
          if (level < lowest) lowest = level;
          if (level > highest) highest = level;
          if (dependence > maxDependence) maxDependence = dependence;
        }
      }
    }
    // PyRadiomics deletes the rows of levels absent from the kernel and the empty columns.
    const rows = rankPresent<f64>(rowIndex, lowest, highest, ivector, 0);
    // Column j of PyRadiomics' matrix is the dependence j - 1 (its count of neighbours plus one).
    const cols = rankPresent<f64>(colIndex, 0, maxDependence, jvector, 1);
    memory.fill(p, 0, (<usize>(rows * cols)) << 3);
    for (let r = 0; r < count; r++) {
      const level = load<i32>(i32At(voxelLevel, r));
      const dependence = load<i32>(i32At(voxelDependence, r));
      const cell = f64At(
        p,
        load<i32>(i32At(rowIndex, level)) * cols + load<i32>(i32At(colIndex, dependence)),
      );
      store<f64>(cell, load<f64>(cell) + 1);
    }
    for (let r = 0; r < count; r++) {
      store<i32>(i32At(rowIndex, load<i32>(i32At(voxelLevel, r))), -1);
      store<i32>(i32At(colIndex, load<i32>(i32At(voxelDependence, r))), -1);
    }
    zoneFeatures(p, rows, cols, ivector, jvector, true, zoneScratch, f64At(out, k * ZONE_FEATURES));
  }
}

/**
 * Box sums of `packed` (cells of a grid bordered by px, py, pz, a box of bx x by x bz inside) over
 * the cube of radius rx, ry, rz around each box cell, added (sign 1) or subtracted (-1) into acc
 * (bx x by x bz, x fastest); rows, planes: scratch of sz * sy * bx and sz * by * bx cells.
 * Separable: along x, then y, then z.
 */
function addCubeSums(
  packed: usize,
  bx: i32,
  by: i32,
  bz: i32,
  px: i32,
  py: i32,
  pz: i32,
  rx: i32,
  ry: i32,
  rz: i32,
  sign: i64,
  rows: usize,
  planes: usize,
  acc: usize,
): void {
  const sx = bx + 2 * px;
  const sy = by + 2 * py;
  const sz = bz + 2 * pz;
  // Border rows and planes of `packed` are zero, so are their sums: only the box's are summed.
  memory.fill(rows, 0, (<usize>(sz * sy * bx)) << 3);
  for (let z = pz; z < pz + bz; z++) {
    for (let y = py; y < py + by; y++) {
      const line = f64At(packed, sx * (y + sy * z) + px);
      const o = bx * (y + sy * z);
      for (let x = 0; x < bx; x++) {
        let s: i64 = 0;
        for (let d = -rx; d <= rx; d++) s += load<i64>(f64At(line, x + d));
        store<i64>(f64At(rows, o + x), s);
      }
    }
  }
  memory.fill(planes, 0, (<usize>(sz * by * bx)) << 3);
  for (let z = pz; z < pz + bz; z++) {
    for (let y = 0; y < by; y++) {
      const o = bx * (y + by * z);
      for (let x = 0; x < bx; x++) {
        let s: i64 = 0;
        for (let d = -ry; d <= ry; d++) s += load<i64>(f64At(rows, x + bx * (y + py + d + sy * z)));
        store<i64>(f64At(planes, o + x), s);
      }
    }
  }
  let o = 0;
  for (let z = 0; z < bz; z++) {
    for (let y = 0; y < by; y++) {
      for (let x = 0; x < bx; x++, o++) {
        let s: i64 = 0;
        for (let d = -rz; d <= rz; d++)
          s += load<i64>(f64At(planes, x + bx * (y + by * (z + pz + d))));
        const at = f64At(acc, o);
        store<i64>(at, load<i64>(at) + sign * s);
      }
    }
  }
}

/** Bytes of scratch voxelNgtdm needs. */
export function voxelNgtdmScratchBytes(
  maxBx: i32,
  maxBy: i32,
  maxBz: i32,
  px: i32,
  py: i32,
  pz: i32,
  nLevels: i32,
): usize {
  const sx = <usize>(maxBx + 2 * px);
  const sy = <usize>(maxBy + 2 * py);
  const sz = <usize>(maxBz + 2 * pz);
  const cells: usize =
    sx * sy * sz +
    sz * sy * <usize>maxBx +
    sz * <usize>maxBy * <usize>maxBx +
    <usize>(maxBx * maxBy * maxBz);
  const boxVoxels = maxBx * maxBy * maxBz;
  return (
    (cells << 3) +
    align16(((<usize>nLevels) << 4) + 16) +
    ngtdmFeatureScratchBytes(nLevels, min(boxVoxels, nLevels))
  );
}

/**
 * NGTDM features of every kernel into out (5 doubles per kernel, NGTDM_CLASS.features order), as
 * PyRadiomics ngtdm.py on calculate_ngtdm's tallies: for each mask voxel of the kernel's box, in
 * x-fastest order (the C kernel's, which s_i's sums follow), with k neighbours in the box and the
 * mask whose levels sum to S, n_i += 1 and s_i += |i - S / k| (0 when k = 0), then ngtdmFeatures
 * over levels 1..nLevels (the whole ROI's Ng).
 *
 * The neighbours at distances (infinity norm) a..b are the cube of radius b less the cube of radius
 * a - 1 (radius 0 along an axis the angles do not use: force2D's, a 2D image's z), so with the box
 * copied into a zero-bordered grid of (count << 32 | level) per mask voxel, k and S of every voxel
 * are differences of separable box sums: integers, so the same as counting angle by angle.
 * `shells`: (a, b) pairs; ux, uy, uz: 1 where the angles move along that axis, else 0; px, py, pz:
 * border (the largest b along the axes used). Scratch: voxelNgtdmScratchBytes.
 */
export function voxelNgtdm(
  levels: usize,
  mask: usize,
  nx: i32,
  ny: i32,
  boxes: usize,
  kernelCount: i32,
  shells: usize,
  shellCount: i32,
  ux: i32,
  uy: i32,
  uz: i32,
  maxBx: i32,
  maxBy: i32,
  maxBz: i32,
  px: i32,
  py: i32,
  pz: i32,
  nLevels: i32,
  scratch: usize,
  out: usize,
): void {
  const msx = maxBx + 2 * px;
  const msy = maxBy + 2 * py;
  const msz = maxBz + 2 * pz;
  const packed = scratch;
  const rows = f64At(packed, msx * msy * msz);
  const planes = f64At(rows, msz * msy * maxBx);
  const acc = f64At(planes, msz * maxBy * maxBx);
  const count = align16(f64At(acc, maxBx * maxBy * maxBz));
  const sumAbsDiff = align16(f64At(count, nLevels));
  const featureScratch = align16(f64At(sumAbsDiff, nLevels));
  memory.fill(count, 0, (<usize>nLevels) << 3);
  memory.fill(sumAbsDiff, 0, (<usize>nLevels) << 3);
  for (let k = 0; k < kernelCount; k++) {
    readBox(boxes, k);
    const lx = boxLowX;
    const ly = boxLowY;
    const lz = boxLowZ;
    const bx = boxSizeX;
    const by = boxSizeY;
    const bz = boxSizeZ;
    const sx = bx + 2 * px;
    const sy = by + 2 * py;
    const sz = bz + 2 * pz;
    memory.fill(packed, 0, (<usize>(sx * sy * sz)) << 3);
    for (let z = 0; z < bz; z++) {
      for (let y = 0; y < by; y++) {
        const g = lx + nx * (ly + y + ny * (lz + z));
        const p = px + sx * (y + py + sy * (z + pz));
        for (let x = 0; x < bx; x++) {
          if (load<u8>(mask + <usize>(g + x)) === 0) continue;
          const level = <i64>load<i32>(i32At(levels, g + x));
          store<i64>(f64At(packed, p + x), ((<i64>1) << 32) | level);
        }
      }
    }
    const boxVoxels = bx * by * bz;
    memory.fill(acc, 0, (<usize>boxVoxels) << 3);
    for (let s = 0; s < shellCount; s++) {
      const inner = load<i32>(i32At(shells, 2 * s)) - 1;
      const outer = load<i32>(i32At(shells, 2 * s + 1));
      addCubeSums(
        packed,
        bx,
        by,
        bz,
        px,
        py,
        pz,
        outer * ux,
        outer * uy,
        outer * uz,
        1,
        rows,
        planes,
        acc,
      );
      if (inner > 0) {
        addCubeSums(
          packed,
          bx,
          by,
          bz,
          px,
          py,
          pz,
          inner * ux,
          inner * uy,
          inner * uz,
          -1,
          rows,
          planes,
          acc,
        );
      } else {
        // The cube of radius 0 is the voxel itself.
        let o = 0;
        for (let z = 0; z < bz; z++) {
          for (let y = 0; y < by; y++) {
            const line = f64At(packed, px + sx * (y + py + sy * (z + pz)));
            for (let x = 0; x < bx; x++, o++) {
              const at = f64At(acc, o);
              store<i64>(at, load<i64>(at) - load<i64>(f64At(line, x)));
            }
          }
        }
      }
    }
    let o = 0;
    for (let z = 0; z < bz; z++) {
      for (let y = 0; y < by; y++) {
        const g = lx + nx * (ly + y + ny * (lz + z));
        for (let x = 0; x < bx; x++, o++) {
          if (load<u8>(mask + <usize>(g + x)) === 0) continue;
          const level = load<i32>(i32At(levels, g + x));
          const tally = load<i64>(f64At(acc, o));
          const neighbours = <i32>(tally >> 32);
          const sum = <i32>(tally & 0xffffffff);
          const diff: f64 = neighbours === 0 ? 0 : abs(<f64>level - <f64>sum / <f64>neighbours);
          const at = level - 1;
          store<f64>(f64At(count, at), load<f64>(f64At(count, at)) + 1);
          store<f64>(f64At(sumAbsDiff, at), load<f64>(f64At(sumAbsDiff, at)) + diff);
        }
      }
    }
    ngtdmFeatures(count, sumAbsDiff, nLevels, featureScratch, f64At(out, k * NGTDM_FEATURES));
    // Only the levels of the box's mask voxels were touched.
    for (let z = 0; z < bz; z++) {
      for (let y = 0; y < by; y++) {
        const g = lx + nx * (ly + y + ny * (lz + z));
        for (let x = 0; x < bx; x++) {
          if (load<u8>(mask + <usize>(g + x)) === 0) continue;
          const at = load<i32>(i32At(levels, g + x)) - 1;
          store<f64>(f64At(count, at), 0);
          store<f64>(f64At(sumAbsDiff, at), 0);
        }
      }
    }
  }
}
