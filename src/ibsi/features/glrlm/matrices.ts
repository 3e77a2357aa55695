/**
 * IBSI-1 grey level run length matrices (GLRLM, IBSI-1 manual "Grey level run length based
 * features", TP0I): one matrix per slice and in-plane direction (2D, 2.5D) and one per 3D
 * direction. A run is a maximal sequence of consecutive ROI voxels v, v + m, v + 2m, ... with the
 * same grey level along direction m; r_ij counts runs of grey level i and length j. N_v is the
 * number of ROI voxels the matrix was computed from (the slice's in 2D, the ROI's in 3D).
 *
 * Cells are coded (i - 1) * Nr + (j - 1), with Nr the longest possible run (the largest extent of
 * the ROI's bounding box), and stored sparse (glcm/code-counter.ts). Each voxel is visited O(1)
 * times per direction: a voxel starts a run when its predecessor v - m is outside the ROI box or
 * has another level, and only run starts walk forward.
 */
import type { BoundingBox } from "../../../image/mask.js";
import { nonZeroBounds } from "../../../image/mask-box.js";
import type { Vec3 } from "../../../image/volume.js";
import { KernelCodeCounts } from "../../../kernels/ibsi-code-counts.js";
import type { IbsiDiscretised } from "../../types.js";
import { CodeCounter, countsDensely } from "../glcm/code-counter.js";
import { type DirectionalMatrixSet, directionalMatrices } from "../glcm/directional-matrices.js";

/**
 * Counts the runs along `direction` within the ROI box restricted to slices z0..z1: by the
 * WebAssembly kernel when the counter's cells are in kernel memory (`kernel`), else here.
 */
function countRuns(
  levels: Int32Array,
  size: Vec3,
  box: BoundingBox,
  direction: Readonly<Vec3>,
  z0: number,
  z1: number,
  maxRun: number,
  counter: CodeCounter,
  kernel: KernelCodeCounts | null,
): void {
  const [x0, y0] = box.lower;
  const [x1, y1] = box.upper;
  if (kernel) {
    kernel.countRuns(size, [x0, y0, z0], [x1, y1, z1], direction, maxRun);
    return;
  }
  const [nx, ny] = size;
  const [dx, dy, dz] = direction;
  const offset = dx + nx * (dy + ny * dz);
  const inside = (x: number, y: number, z: number) =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1 && z >= z0 && z <= z1;
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const row = nx * (y + ny * z);
      for (let x = x0; x <= x1; x++) {
        const v = row + x;
        const g = levels[v]!;
        if (g === 0) continue;
        if (inside(x - dx, y - dy, z - dz) && levels[v - offset] === g) continue;
        let length = 1;
        let qx = x + dx;
        let qy = y + dy;
        let qz = z + dz;
        let w = v + offset;
        while (inside(qx, qy, qz) && levels[w] === g) {
          length++;
          qx += dx;
          qy += dy;
          qz += dz;
          w += offset;
        }
        counter.add((g - 1) * maxRun + (length - 1), 1);
      }
    }
  }
}

/** The GLRLMs of a discretised ROI, Nr (the run-length dimension of the cell codes) and the counter. */
export interface RunLengthMatrices {
  set: DirectionalMatrixSet;
  maxRun: number;
  /** A counter over the cell codes, for merging the matrices. */
  counter: CodeCounter;
}

/**
 * The GLRLMs per slice and in-plane direction (DIRECTIONS_2D order) and, when `with3d`, per 3D
 * direction (DIRECTIONS_3D order); runs counted in WebAssembly unless `inKernel` is false (the
 * same counts, here: the kernel's tests compare the two).
 */
export function runLengthMatrices(
  d: IbsiDiscretised,
  size: Vec3,
  with3d: boolean,
  { inKernel = true }: { inKernel?: boolean } = {},
): RunLengthMatrices {
  const box = nonZeroBounds(d.levels, size);
  if (!box) {
    return { set: { perSlice: [], perDirection3d: [] }, maxRun: 1, counter: new CodeCounter(1) };
  }
  const maxRun = Math.max(...box.upper.map((hi, axis) => hi - box.lower[axis]! + 1));
  // Runs are counted in WebAssembly into the counter's dense cells in kernel memory (a Map-based
  // counter, for very many cells, counts here).
  const codeSpace = d.nLevels * maxRun;
  const kernel =
    inKernel && countsDensely(codeSpace) ? new KernelCodeCounts(d.levels, codeSpace) : null;
  const counter = new CodeCounter(codeSpace, kernel?.cells);
  const set = directionalMatrices(d.levels, size, box, with3d, counter, (direction, z0, z1) =>
    countRuns(d.levels, size, box, direction, z0, z1, maxRun, counter, kernel),
  );
  return { set, maxRun, counter };
}
