/**
 * Gray Level Size Zone Matrix (GLSZM) features, as PyRadiomics computes them (radiomics/glszm.py with
 * the C kernel calculate_glszm / fill_glszm in radiomics/src/cmatrices.c, commit 8ed5793).
 *
 * A zone is a maximal set of connected ROI voxels sharing one gray level. Voxels are connected when
 * one lies at a PyRadiomics "angle" of distance 1 (infinity norm) from the other: 26-connectivity in
 * 3D, 8-connectivity in 2D, and in-plane connectivity only when force2D is set (the angles along
 * force2Ddimension are dropped). P(i, j) counts the zones of gray level i and size j.
 *
 * This module also holds the small helpers the GLDM and NGTDM modules share (ROI checks, neighbour
 * offsets, zone-matrix formulas, feature-name handling).
 */
import { generateAngles } from "./angles.js";
import { pairwiseSum as numpySum } from "./numpy-compat.js";
import type { DiscretisedRoi, FeatureClassInfo, FeatureValues, TextureSettings } from "./types.js";

// ---------------------------------------------------------------------------------------------
// Shared helpers (used by gldm.ts and ngtdm.ts too)
// ---------------------------------------------------------------------------------------------

/** numpy's np.spacing(1): the machine epsilon used in the entropy features. */
export const NUMPY_EPS = 2.220446049250313e-16;

/** Grid facts of a discretised ROI after validation. */
export interface RoiGrid {
  nx: number;
  ny: number;
  nz: number;
  /** Number of ROI voxels. */
  voxelCount: number;
  /** Highest gray level inside the ROI (PyRadiomics' coefficient Ng). */
  maxLevel: number;
  /** present[g] = 1 when gray level g (1..maxLevel) occurs inside the ROI. */
  present: Uint8Array;
}

/** Checks the ROI arrays and gathers its gray levels; throws an Error naming what is wrong. */
export function inspectRoi(roi: DiscretisedRoi, className: string): RoiGrid {
  const [nx, ny, nz] = roi.size;
  for (const n of roi.size) {
    if (!Number.isInteger(n) || n < 1) {
      throw new Error(
        `${className}: ROI size must be positive integers, got ${roi.size.join("x")}`,
      );
    }
  }
  if (roi.dimension !== 2 && roi.dimension !== 3) {
    throw new Error(`${className}: ROI dimension must be 2 or 3, got ${String(roi.dimension)}`);
  }
  if (roi.dimension === 2 && nz !== 1) {
    throw new Error(`${className}: a 2D ROI must have z size 1, got ${roi.size.join("x")}`);
  }
  const total = nx * ny * nz;
  if (roi.levels.length !== total) {
    throw new Error(
      `${className}: ROI levels has ${roi.levels.length} voxels, size ${roi.size.join("x")} needs ${total}`,
    );
  }
  if (roi.mask.length !== total) {
    throw new Error(
      `${className}: ROI mask has ${roi.mask.length} voxels, size ${roi.size.join("x")} needs ${total}`,
    );
  }
  let voxelCount = 0;
  let maxLevel = 0;
  for (let v = 0; v < total; v++) {
    if (roi.mask[v] === 0) continue;
    const level = roi.levels[v]!;
    if (level < 1) {
      throw new Error(`${className}: ROI voxel ${v} has gray level ${level}; levels must be >= 1`);
    }
    voxelCount++;
    if (level > maxLevel) maxLevel = level;
  }
  if (voxelCount === 0) throw new Error(`${className}: the ROI mask is empty`);
  const present = new Uint8Array(maxLevel + 1);
  for (let v = 0; v < total; v++) if (roi.mask[v] !== 0) present[roi.levels[v]!] = 1;
  return { nx, ny, nz, voxelCount, maxLevel, present };
}

/** Neighbour offsets in radscore's (x, y, z) voxel axes, one entry per PyRadiomics angle. */
export interface NeighbourOffsets {
  count: number;
  dx: Int32Array;
  dy: Int32Array;
  dz: Int32Array;
  /** Flat-index offset dx + nx * (dy + ny * dz). */
  linear: Int32Array;
  /** Largest |offset| along x, y, z: voxels at least this far from every edge skip bounds checks. */
  reach: [number, number, number];
}

/**
 * The bidirectional angle set PyRadiomics' C kernels use (build_angles over the whole cropped
 * array, numpy axes (z, y, x) in 3D or (y, x) in 2D; force2D drops force2Ddimension), converted to
 * (x, y, z) offsets.
 */
export function neighbourOffsets(
  roi: DiscretisedRoi,
  distances: readonly number[],
  settings: Pick<TextureSettings, "force2D" | "force2Ddimension">,
  className: string,
): NeighbourOffsets {
  const [nx, ny, nz] = roi.size;
  if (distances.length === 0) throw new Error(`${className}: setting 'distances' is empty`);
  for (const d of distances) {
    if (!Number.isInteger(d) || d < 1) {
      throw new Error(`${className}: setting 'distances' must hold integers >= 1, got ${d}`);
    }
  }
  if (new Set(distances).size !== distances.length) {
    throw new Error(`${className}: setting 'distances' repeats a value: [${distances.join(", ")}]`);
  }
  if (settings.force2D && ![0, 1, 2].includes(settings.force2Ddimension)) {
    throw new Error(
      `${className}: setting 'force2Ddimension' must be 0, 1 or 2, got ${settings.force2Ddimension}`,
    );
  }
  const shape = roi.dimension === 2 ? [ny, nx] : [nz, ny, nx];
  const angles = generateAngles({
    shape,
    distances,
    bidirectional: true,
    force2Ddimension: settings.force2D ? settings.force2Ddimension : -1,
  });
  const count = angles.length;
  if (count === 0) {
    // PyRadiomics' C extension refuses this too ("Error getting angle count.").
    throw new Error(
      `${className}: no neighbour angles for an array of size ${roi.size.join("x")}` +
        (settings.force2D ? ` with force2Ddimension ${settings.force2Ddimension}` : ""),
    );
  }
  const out: NeighbourOffsets = {
    count,
    dx: new Int32Array(count),
    dy: new Int32Array(count),
    dz: new Int32Array(count),
    linear: new Int32Array(count),
    reach: [0, 0, 0],
  };
  for (let a = 0; a < count; a++) {
    const angle = angles[a]!;
    const ox = angle[angle.length - 1]!;
    const oy = angle[angle.length - 2]!;
    const oz = angle.length === 3 ? angle[0]! : 0;
    out.dx[a] = ox;
    out.dy[a] = oy;
    out.dz[a] = oz;
    out.linear[a] = ox + nx * (oy + ny * oz);
    out.reach[0] = Math.max(out.reach[0], Math.abs(ox));
    out.reach[1] = Math.max(out.reach[1], Math.abs(oy));
    out.reach[2] = Math.max(out.reach[2], Math.abs(oz));
  }
  return out;
}

/**
 * The requested features in the order asked, after checking every name against the class. Deprecated
 * features are dropped: PyRadiomics raises a DeprecationWarning for them and stores no value.
 */
export function resolveFeatureNames(info: FeatureClassInfo, names: readonly string[]): string[] {
  const known = new Set(info.features);
  const deprecated = new Set(info.deprecated);
  const wanted: string[] = [];
  for (const name of names) {
    if (!known.has(name)) {
      throw new Error(
        `${info.name}: unknown feature '${name}' (known: ${info.features.join(", ")})`,
      );
    }
    if (!deprecated.has(name)) wanted.push(name);
  }
  return wanted;
}

/**
 * Features shared by the zone-type matrices (GLSZM and GLDM have the same formulas on P(i, j)):
 * gray-level marginal pg, column marginal pc, and the matrix itself with empty rows and columns
 * removed, as PyRadiomics deletes them before computing features.
 */
export interface CompactZoneMatrix {
  /** Row-major rows x cols counts. */
  p: Float64Array;
  rows: number;
  cols: number;
  /** Gray level of each row (as float). */
  ivector: Float64Array;
  /** Zone size / dependence size of each column. */
  jvector: Float64Array;
  /** Row sums (np.sum(P, 2)). */
  pg: Float64Array;
  /** Column sums (np.sum(P, 1)). */
  pc: Float64Array;
  /** Total count (np.sum of the column sums). */
  nz: number;
}

/**
 * Marginals of a compacted matrix: row sums pg (np.sum(P, 2), numpy pairwise order), column sums
 * pc (np.sum(P, 1), accumulated row by row) and their total Nz.
 */
export function zoneMatrix(
  p: Float64Array,
  ivector: Float64Array,
  jvector: Float64Array,
): CompactZoneMatrix {
  const rows = ivector.length;
  const cols = jvector.length;
  if (p.length !== rows * cols) {
    throw new Error(`zone matrix has ${p.length} cells, expected ${rows} x ${cols}`);
  }
  const pg = new Float64Array(rows);
  const pc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    pg[r] = numpySum(p, r * cols, cols);
    for (let c = 0; c < cols; c++) pc[c] = pc[c]! + p[r * cols + c]!;
  }
  return { p, rows, cols, ivector, jvector, pg, pc, nz: numpySum(pc) };
}

/**
 * Compacts a full matrix (rows = gray levels 1..maxLevel, cols = sizes 1..maxCol) the way
 * PyRadiomics does: drop the rows of gray levels absent from the ROI, then drop the columns whose
 * total is 0.
 */
export function compactZoneMatrix(
  full: Float64Array,
  maxLevel: number,
  maxCol: number,
  present: Uint8Array,
): CompactZoneMatrix {
  let rows = 0;
  for (let g = 1; g <= maxLevel; g++) if (present[g]) rows++;
  const colTotals = new Float64Array(maxCol);
  for (let g = 1; g <= maxLevel; g++) {
    if (!present[g]) continue;
    const base = (g - 1) * maxCol;
    for (let c = 0; c < maxCol; c++) colTotals[c] = colTotals[c]! + full[base + c]!;
  }
  let cols = 0;
  for (let c = 0; c < maxCol; c++) if (colTotals[c] !== 0) cols++;
  const p = new Float64Array(rows * cols);
  const ivector = new Float64Array(rows);
  const jvector = new Float64Array(cols);
  let col = 0;
  for (let c = 0; c < maxCol; c++) if (colTotals[c] !== 0) jvector[col++] = c + 1;
  let row = 0;
  for (let g = 1; g <= maxLevel; g++) {
    if (!present[g]) continue;
    ivector[row] = g;
    const base = (g - 1) * maxCol;
    col = 0;
    for (let c = 0; c < maxCol; c++) {
      if (colTotals[c] !== 0) p[row * cols + col++] = full[base + c]!;
    }
    row++;
  }
  return zoneMatrix(p, ivector, jvector);
}

/** Scratch-backed helpers computing the GLRLM-style formulas in PyRadiomics' evaluation order. */
export class ZoneFormulas {
  private readonly m: CompactZoneMatrix;
  private readonly nz: number;
  private readonly colBuf: Float64Array;
  private readonly rowBuf: Float64Array;
  private readonly cellBuf: Float64Array;

  constructor(m: CompactZoneMatrix) {
    this.m = m;
    this.nz = m.nz === 0 ? 1 : m.nz;
    this.colBuf = new Float64Array(m.cols);
    this.rowBuf = new Float64Array(m.rows);
    this.cellBuf = new Float64Array(m.rows * m.cols);
  }

  /** sum_j pc(j) / j^2 / Nz (small zone / dependence emphasis). */
  smallEmphasis(): number {
    const { pc, jvector } = this.m;
    for (let c = 0; c < this.m.cols; c++) this.colBuf[c] = pc[c]! / (jvector[c]! * jvector[c]!);
    return numpySum(this.colBuf) / this.nz;
  }

  /** sum_j pc(j) j^2 / Nz. */
  largeEmphasis(): number {
    const { pc, jvector } = this.m;
    for (let c = 0; c < this.m.cols; c++) this.colBuf[c] = pc[c]! * (jvector[c]! * jvector[c]!);
    return numpySum(this.colBuf) / this.nz;
  }

  /** sum_i pg(i)^2, divided by Nz (normalised: Nz^2). */
  grayLevelNonUniformity(normalised: boolean): number {
    const { pg } = this.m;
    for (let r = 0; r < this.m.rows; r++) this.rowBuf[r] = pg[r]! * pg[r]!;
    const s = numpySum(this.rowBuf);
    return normalised ? s / (this.nz * this.nz) : s / this.nz;
  }

  /** sum_j pc(j)^2, divided by Nz (normalised: Nz^2). */
  sizeNonUniformity(normalised: boolean): number {
    const { pc } = this.m;
    for (let c = 0; c < this.m.cols; c++) this.colBuf[c] = pc[c]! * pc[c]!;
    const s = numpySum(this.colBuf);
    return normalised ? s / (this.nz * this.nz) : s / this.nz;
  }

  /** sum_i p_g(i) (i - mu)^2 with p_g = pg / Nz and mu = sum_i p_g(i) i. */
  grayLevelVariance(): number {
    return this.variance(this.m.pg, this.m.ivector, this.rowBuf);
  }

  /** sum_j p_c(j) (j - mu)^2 with p_c = pc / Nz and mu = sum_j p_c(j) j. */
  sizeVariance(): number {
    return this.variance(this.m.pc, this.m.jvector, this.colBuf);
  }

  private variance(marginal: Float64Array, vector: Float64Array, buf: Float64Array): number {
    const n = marginal.length;
    const normalised = new Float64Array(n);
    for (let k = 0; k < n; k++) normalised[k] = marginal[k]! / this.nz;
    for (let k = 0; k < n; k++) buf[k] = normalised[k]! * vector[k]!;
    const mu = numpySum(buf);
    for (let k = 0; k < n; k++) {
      const d = vector[k]! - mu;
      buf[k] = normalised[k]! * (d * d);
    }
    return numpySum(buf);
  }

  /** -sum p(i,j) log2(p(i,j) + eps) with p = P / Nz. */
  entropy(): number {
    const { p } = this.m;
    for (let k = 0; k < p.length; k++) {
      const q = p[k]! / this.nz;
      this.cellBuf[k] = q * Math.log2(q + NUMPY_EPS);
    }
    return -numpySum(this.cellBuf);
  }

  /** sum_i pg(i) / i^2 / Nz. */
  lowGrayLevelEmphasis(): number {
    const { pg, ivector } = this.m;
    for (let r = 0; r < this.m.rows; r++) this.rowBuf[r] = pg[r]! / (ivector[r]! * ivector[r]!);
    return numpySum(this.rowBuf) / this.nz;
  }

  /** sum_i pg(i) i^2 / Nz. */
  highGrayLevelEmphasis(): number {
    const { pg, ivector } = this.m;
    for (let r = 0; r < this.m.rows; r++) this.rowBuf[r] = pg[r]! * (ivector[r]! * ivector[r]!);
    return numpySum(this.rowBuf) / this.nz;
  }

  /**
   * sum_ij of a per-cell term / Nz; `term(P, i^2, j^2)` must follow PyRadiomics' operation order
   * (e.g. P / (i2 * j2), P * i2 / j2).
   */
  joint(term: (count: number, i2: number, j2: number) => number): number {
    const { p, ivector, jvector, rows, cols } = this.m;
    for (let r = 0; r < rows; r++) {
      const i2 = ivector[r]! * ivector[r]!;
      for (let c = 0; c < cols; c++) {
        this.cellBuf[r * cols + c] = term(p[r * cols + c]!, i2, jvector[c]! * jvector[c]!);
      }
    }
    return numpySum(this.cellBuf) / this.nz;
  }
}

// ---------------------------------------------------------------------------------------------
// GLSZM
// ---------------------------------------------------------------------------------------------

/** GLSZM features in PyRadiomics order (alphabetical by getter name); none is deprecated. */
export const GLSZM_CLASS: FeatureClassInfo = {
  name: "glszm",
  features: [
    "GrayLevelNonUniformity",
    "GrayLevelNonUniformityNormalized",
    "GrayLevelVariance",
    "HighGrayLevelZoneEmphasis",
    "LargeAreaEmphasis",
    "LargeAreaHighGrayLevelEmphasis",
    "LargeAreaLowGrayLevelEmphasis",
    "LowGrayLevelZoneEmphasis",
    "SizeZoneNonUniformity",
    "SizeZoneNonUniformityNormalized",
    "SmallAreaEmphasis",
    "SmallAreaHighGrayLevelEmphasis",
    "SmallAreaLowGrayLevelEmphasis",
    "ZoneEntropy",
    "ZonePercentage",
    "ZoneVariance",
  ],
  deprecated: [],
};

/**
 * Builds the GLSZM (PyRadiomics calculate_glszm / fill_glszm): every ROI voxel not yet assigned
 * starts a zone, grown with an explicit stack over the distance-1 neighbour angles; each zone adds
 * 1 to P(level, size). Returned compacted as PyRadiomics uses it: rows = gray levels present in the
 * ROI, columns = zone sizes that occur (ascending).
 */
export function computeGlszmMatrix(
  roi: DiscretisedRoi,
  settings: TextureSettings,
): CompactZoneMatrix {
  const grid = inspectRoi(roi, "glszm");
  const { nx, ny, nz, maxLevel, present } = grid;
  const nb = neighbourOffsets(roi, [1], settings, "glszm");
  const total = nx * ny * nz;
  const unassigned = new Uint8Array(total);
  for (let v = 0; v < total; v++) unassigned[v] = roi.mask[v] !== 0 ? 1 : 0;
  const stack = new Int32Array(grid.voxelCount);
  const zoneLevel = new Int32Array(grid.voxelCount);
  const zoneSize = new Int32Array(grid.voxelCount);
  let zoneCount = 0;
  let maxZoneSize = 0;
  const levels = roi.levels;
  const { dx, dy, dz, linear, count: na } = nb;
  const [rx, ry, rz] = nb.reach;
  const nxy = nx * ny;
  for (let seed = 0; seed < total; seed++) {
    if (unassigned[seed] === 0) continue;
    const level = levels[seed]!;
    let top = 0;
    stack[top++] = seed;
    unassigned[seed] = 0;
    let size = 0;
    while (top > 0) {
      const v = stack[--top]!;
      size++;
      const z = Math.floor(v / nxy);
      const rem = v - z * nxy;
      const y = Math.floor(rem / nx);
      const x = rem - y * nx;
      if (x >= rx && x < nx - rx && y >= ry && y < ny - ry && z >= rz && z < nz - rz) {
        for (let a = 0; a < na; a++) {
          const w = v + linear[a]!;
          if (unassigned[w] !== 0 && levels[w] === level) {
            unassigned[w] = 0;
            stack[top++] = w;
          }
        }
      } else {
        for (let a = 0; a < na; a++) {
          const xx = x + dx[a]!;
          const yy = y + dy[a]!;
          const zz = z + dz[a]!;
          if (xx < 0 || xx >= nx || yy < 0 || yy >= ny || zz < 0 || zz >= nz) continue;
          const w = v + linear[a]!;
          if (unassigned[w] !== 0 && levels[w] === level) {
            unassigned[w] = 0;
            stack[top++] = w;
          }
        }
      }
    }
    zoneLevel[zoneCount] = level;
    zoneSize[zoneCount] = size;
    zoneCount++;
    if (size > maxZoneSize) maxZoneSize = size;
  }
  // Column of each zone size that occurs, row of each gray level present.
  const sizeColumn = new Int32Array(maxZoneSize + 1).fill(-1);
  for (let k = 0; k < zoneCount; k++) sizeColumn[zoneSize[k]!] = 0;
  let cols = 0;
  for (let s = 1; s <= maxZoneSize; s++) if (sizeColumn[s] === 0) sizeColumn[s] = cols++;
  const jvector = new Float64Array(cols);
  for (let s = 1; s <= maxZoneSize; s++) if (sizeColumn[s]! >= 0) jvector[sizeColumn[s]!] = s;
  const levelRow = new Int32Array(maxLevel + 1).fill(-1);
  let rows = 0;
  for (let g = 1; g <= maxLevel; g++) if (present[g]) levelRow[g] = rows++;
  const ivector = new Float64Array(rows);
  for (let g = 1; g <= maxLevel; g++) if (present[g]) ivector[levelRow[g]!] = g;
  const p = new Float64Array(rows * cols);
  for (let k = 0; k < zoneCount; k++) {
    const idx = levelRow[zoneLevel[k]!]! * cols + sizeColumn[zoneSize[k]!]!;
    p[idx] = p[idx]! + 1;
  }
  return zoneMatrix(p, ivector, jvector);
}

/**
 * GLSZM features (PyRadiomics glszm.py). With P(i,j) the zone counts, Nz = sum P and
 * Np = sum_j j * sum_i P(i,j):
 * SAE = sum P/j^2 / Nz, LAE = sum P j^2 / Nz, GLN(N) = sum_i (sum_j P)^2 / Nz (Nz^2),
 * SZN(N) = sum_j (sum_i P)^2 / Nz (Nz^2), ZP = Nz / Np, GLV / ZV = variances of i / j under
 * p = P / Nz, ZE = -sum p log2(p + eps), LGLZE = sum P/i^2 / Nz, HGLZE = sum P i^2 / Nz, and the
 * joint emphases SALGLE = sum P/(i^2 j^2), SAHGLE = sum P i^2/j^2, LALGLE = sum P j^2/i^2,
 * LAHGLE = sum P i^2 j^2 (each / Nz).
 */
export function computeGlszmFeatures(
  roi: DiscretisedRoi,
  settings: TextureSettings,
  names: readonly string[],
): FeatureValues {
  const wanted = resolveFeatureNames(GLSZM_CLASS, names);
  const out: FeatureValues = {};
  if (wanted.length === 0) return out;
  const m = computeGlszmMatrix(roi, settings);
  // Np = sum_j j * (number of zones of size j): every ROI voxel lies in exactly one zone.
  let np = 0;
  for (let c = 0; c < m.cols; c++) np += m.pc[c]! * m.jvector[c]!;
  if (np === 0) np = 1;
  const f = new ZoneFormulas(m);
  const nz = m.nz === 0 ? 1 : m.nz;
  for (const name of wanted) {
    switch (name) {
      case "SmallAreaEmphasis":
        out[name] = f.smallEmphasis();
        break;
      case "LargeAreaEmphasis":
        out[name] = f.largeEmphasis();
        break;
      case "GrayLevelNonUniformity":
        out[name] = f.grayLevelNonUniformity(false);
        break;
      case "GrayLevelNonUniformityNormalized":
        out[name] = f.grayLevelNonUniformity(true);
        break;
      case "SizeZoneNonUniformity":
        out[name] = f.sizeNonUniformity(false);
        break;
      case "SizeZoneNonUniformityNormalized":
        out[name] = f.sizeNonUniformity(true);
        break;
      case "ZonePercentage":
        out[name] = nz / np;
        break;
      case "GrayLevelVariance":
        out[name] = f.grayLevelVariance();
        break;
      case "ZoneVariance":
        out[name] = f.sizeVariance();
        break;
      case "ZoneEntropy":
        out[name] = f.entropy();
        break;
      case "LowGrayLevelZoneEmphasis":
        out[name] = f.lowGrayLevelEmphasis();
        break;
      case "HighGrayLevelZoneEmphasis":
        out[name] = f.highGrayLevelEmphasis();
        break;
      case "SmallAreaLowGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => p / (i2 * j2));
        break;
      case "SmallAreaHighGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => (p * i2) / j2);
        break;
      case "LargeAreaLowGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => (p * j2) / i2);
        break;
      case "LargeAreaHighGrayLevelEmphasis":
        out[name] = f.joint((p, i2, j2) => p * i2 * j2);
        break;
      default:
        throw new Error(`glszm: feature '${name}' is not implemented`);
    }
  }
  return out;
}
