/**
 * Feature formulas of the GLRLM, the zone-type matrices (GLSZM, GLDM) and the NGTDM (binding:
 * src/kernels/texture-features.ts; matrices and feature definitions: src/features/glrlm.ts,
 * glszm.ts, gldm.ts, ngtdm.ts, after PyRadiomics radiomics/glrlm.py, glszm.py, gldm.py, ngtdm.py,
 * commit 8ed5793). Each kernel computes every feature of its class at once into a small table.
 *
 * The floating-point operations are those of the former JavaScript, in the same order (WebAssembly
 * has no implicit FMA), sums in numpy's pairwise order where PyRadiomics' numpy reductions were
 * reproduced, and log2 the engine's own (./math), so every value is bit-identical to it.
 */
import { log2 } from "./math";
import { pairwiseSum } from "./numpy-sum";

/** numpy.spacing(1): PyRadiomics' eps in the entropy terms. */
const NUMPY_EPS: f64 = 2.220446049250313e-16;

function f64At(base: usize, k: i32): usize {
  return base + ((<usize>k) << 3);
}

function i32At(base: usize, k: i32): usize {
  return base + ((<usize>k) << 2);
}

// ---------------------------------------------------------------------------------------------
// GLRLM

/** Number of GLRLM features: the table's slots follow GLRLM_CLASS.features (alphabetical). */
const GLRLM_FEATURE_COUNT: i32 = 16;

/**
 * Entropy terms p log2(p + eps) of the run-length matrix being evaluated, by integer count below
 * ENTROPY_CACHE (most cells hold small counts, and log2 is the costliest step of the formulas):
 * entropyTerms[v] holds the term of count v when entropyStamps[v] is the current call's stamp.
 */
const ENTROPY_CACHE: i32 = 64;
const entropyTerms: usize = memory.data(ENTROPY_CACHE * 8, 16);
const entropyStamps: usize = memory.data(ENTROPY_CACHE * 4, 16);
let entropyStamp: i32 = 0;

/**
 * Features of one run-length matrix m (levels x maxRun, gray level i, run length j = column + 1)
 * with Nr runs into out[0 .. 16) (PyRadiomics glrlm.py): pr(j) = sum_i P, pg(i) = sum_j P, e.g.
 * SRE = sum pr / j^2 / Nr, RP = Nr / sum(j pr), GLV = sum pg/Nr (i - mu)^2,
 * RE = -sum P/Nr log2(P/Nr + eps). Sums run in index order. pr, pg: zeroed scratch.
 */
function glrlmAngleFeatures(
  m: usize,
  grayLevels: usize,
  levels: i32,
  maxRun: i32,
  nr: f64,
  pr: usize,
  pg: usize,
  out: usize,
): void {
  let srlgle: f64 = 0;
  let srhgle: f64 = 0;
  let lrlgle: f64 = 0;
  let lrhgle: f64 = 0;
  let entropy: f64 = 0;
  if (entropyStamp === i32.MAX_VALUE) {
    memory.fill(entropyStamps, 0, (<usize>ENTROPY_CACHE) << 2);
    entropyStamp = 0;
  }
  const stamp = ++entropyStamp;
  for (let i = 0; i < levels; i++) {
    const gi = <f64>load<i32>(i32At(grayLevels, i));
    const i2 = gi * gi;
    const row = m + ((<usize>i * <usize>maxRun) << 3);
    for (let r = 0; r < maxRun; r++) {
      const v = load<f64>(f64At(row, r));
      if (v === 0) continue;
      const j = <f64>(r + 1);
      const j2 = j * j;
      store<f64>(f64At(pr, r), load<f64>(f64At(pr, r)) + v);
      store<f64>(f64At(pg, i), load<f64>(f64At(pg, i)) + v);
      srlgle += v / (i2 * j2);
      srhgle += (v * i2) / j2;
      lrlgle += (v * j2) / i2;
      lrhgle += v * (j2 * i2);
      // v < ENTROPY_CACHE first: the conversion of a large weighted count would trap.
      const count = v < <f64>ENTROPY_CACHE ? <i32>v : 0;
      if (count > 0 && <f64>count === v) {
        const at = i32At(entropyStamps, count);
        if (load<i32>(at) !== stamp) {
          const p = v / nr;
          store<f64>(f64At(entropyTerms, count), p * log2(p + NUMPY_EPS));
          store<i32>(at, stamp);
        }
        entropy += load<f64>(f64At(entropyTerms, count));
      } else {
        const p = v / nr;
        entropy += p * log2(p + NUMPY_EPS);
      }
    }
  }
  let sre: f64 = 0;
  let lre: f64 = 0;
  let rln: f64 = 0;
  let np: f64 = 0;
  for (let r = 0; r < maxRun; r++) {
    const v = load<f64>(f64At(pr, r));
    const j = <f64>(r + 1);
    sre += v / (j * j);
    lre += v * (j * j);
    rln += v * v;
    np += v * j;
  }
  let gln: f64 = 0;
  let lglre: f64 = 0;
  let hglre: f64 = 0;
  for (let i = 0; i < levels; i++) {
    const v = load<f64>(f64At(pg, i));
    const gi = <f64>load<i32>(i32At(grayLevels, i));
    gln += v * v;
    lglre += v / (gi * gi);
    hglre += v * (gi * gi);
  }
  let muI: f64 = 0;
  for (let i = 0; i < levels; i++) {
    muI += (load<f64>(f64At(pg, i)) / nr) * <f64>load<i32>(i32At(grayLevels, i));
  }
  let glv: f64 = 0;
  for (let i = 0; i < levels; i++) {
    const d = <f64>load<i32>(i32At(grayLevels, i)) - muI;
    glv += (load<f64>(f64At(pg, i)) / nr) * (d * d);
  }
  let muJ: f64 = 0;
  for (let r = 0; r < maxRun; r++) muJ += (load<f64>(f64At(pr, r)) / nr) * <f64>(r + 1);
  let rv: f64 = 0;
  for (let r = 0; r < maxRun; r++) {
    const d = <f64>(r + 1) - muJ;
    rv += (load<f64>(f64At(pr, r)) / nr) * (d * d);
  }
  store<f64>(out, gln / nr); // GrayLevelNonUniformity
  store<f64>(out, gln / (nr * nr), 8); // GrayLevelNonUniformityNormalized
  store<f64>(out, glv, 16); // GrayLevelVariance
  store<f64>(out, hglre / nr, 24); // HighGrayLevelRunEmphasis
  store<f64>(out, lre / nr, 32); // LongRunEmphasis
  store<f64>(out, lrhgle / nr, 40); // LongRunHighGrayLevelEmphasis
  store<f64>(out, lrlgle / nr, 48); // LongRunLowGrayLevelEmphasis
  store<f64>(out, lglre / nr, 56); // LowGrayLevelRunEmphasis
  store<f64>(out, -entropy, 64); // RunEntropy
  store<f64>(out, rln / nr, 72); // RunLengthNonUniformity
  store<f64>(out, rln / (nr * nr), 80); // RunLengthNonUniformityNormalized
  store<f64>(out, nr / np, 88); // RunPercentage
  store<f64>(out, rv, 96); // RunVariance
  store<f64>(out, sre / nr, 104); // ShortRunEmphasis
  store<f64>(out, srhgle / nr, 112); // ShortRunHighGrayLevelEmphasis
  store<f64>(out, srlgle / nr, 120); // ShortRunLowGrayLevelEmphasis
}

/** Bytes of scratch glrlmFeatures needs. */
export function glrlmFeatureScratchBytes(angleCount: i32, levels: i32, maxRun: i32): usize {
  const doubles = <usize>angleCount * (GLRLM_FEATURE_COUNT + 1) + <usize>levels + <usize>maxRun;
  return doubles << 3;
}

/**
 * GLRLM features of `angleCount` run-length matrices (levels x maxRun doubles each, one after the
 * other) with run counts runCounts[a] (NaN: empty matrix, every feature NaN): each feature per
 * angle (glrlmAngleFeatures), then numpy.nanmean over the angles (NaN replaced by 0, pairwise sum,
 * divided by the number of non-NaN values; NaN when there is none) into out[0 .. 16).
 */
export function glrlmFeatures(
  matrices: usize,
  runCounts: usize,
  angleCount: i32,
  grayLevels: usize,
  levels: i32,
  maxRun: i32,
  scratch: usize,
  out: usize,
): void {
  const perAngle = scratch;
  const pr = f64At(perAngle, angleCount * GLRLM_FEATURE_COUNT);
  const pg = f64At(pr, maxRun);
  const block = <usize>levels * <usize>maxRun;
  for (let a = 0; a < angleCount; a++) {
    const row = f64At(perAngle, a * GLRLM_FEATURE_COUNT);
    const nr = load<f64>(f64At(runCounts, a));
    if (Number.isNaN(nr)) {
      for (let f = 0; f < GLRLM_FEATURE_COUNT; f++) store<f64>(f64At(row, f), NaN);
      continue;
    }
    memory.fill(pr, 0, (<usize>maxRun) << 3);
    memory.fill(pg, 0, (<usize>levels) << 3);
    const m = matrices + ((<usize>a * block) << 3);
    glrlmAngleFeatures(m, grayLevels, levels, maxRun, nr, pr, pg, row);
  }
  // The column of one feature over the angles, NaN replaced by 0.
  const column = pg + ((<usize>levels) << 3);
  for (let f = 0; f < GLRLM_FEATURE_COUNT; f++) {
    let count = 0;
    for (let a = 0; a < angleCount; a++) {
      const v = load<f64>(f64At(perAngle, a * GLRLM_FEATURE_COUNT + f));
      if (Number.isNaN(v)) {
        store<f64>(f64At(column, a), 0);
      } else {
        store<f64>(f64At(column, a), v);
        count++;
      }
    }
    store<f64>(f64At(out, f), count === 0 ? NaN : pairwiseSum(column, angleCount) / <f64>count);
  }
}

// ---------------------------------------------------------------------------------------------
// Zone-type matrices (GLSZM and GLDM share their formulas on P(i, j))

/** Slots of zoneFeatures' table (the binding's ZONE_* constants). */
const ZONE_SMALL_EMPHASIS = 0;
const ZONE_LARGE_EMPHASIS = 1;
const ZONE_GRAY_LEVEL_NON_UNIFORMITY = 2;
const ZONE_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED = 3;
const ZONE_SIZE_NON_UNIFORMITY = 4;
const ZONE_SIZE_NON_UNIFORMITY_NORMALIZED = 5;
const ZONE_GRAY_LEVEL_VARIANCE = 6;
const ZONE_SIZE_VARIANCE = 7;
const ZONE_ENTROPY = 8;
const ZONE_LOW_GRAY_LEVEL_EMPHASIS = 9;
const ZONE_HIGH_GRAY_LEVEL_EMPHASIS = 10;
const ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS = 11;
const ZONE_SMALL_HIGH_GRAY_LEVEL_EMPHASIS = 12;
const ZONE_LARGE_LOW_GRAY_LEVEL_EMPHASIS = 13;
const ZONE_LARGE_HIGH_GRAY_LEVEL_EMPHASIS = 14;
const ZONE_PERCENTAGE = 15;

/** Doubles of scratch zoneFormulas needs. */
function zoneFormulaScratch(rows: i32, cols: i32): usize {
  return <usize>rows * <usize>cols + 2 * <usize>max(rows, cols);
}

/** Bytes of scratch zoneFeatures needs. */
export function zoneFeatureScratchBytes(rows: i32, cols: i32): usize {
  return (<usize>rows + <usize>cols + zoneFormulaScratch(rows, cols)) << 3;
}

/**
 * Marginals of a compacted zone matrix P (rows x cols, row-major): row sums pg (np.sum(P, 2), each
 * row pairwise), column sums pc (np.sum(P, 1), accumulated row by row); returns their total Nz (the
 * column sums pairwise).
 */
function zoneMarginals(p: usize, rows: i32, cols: i32, pg: usize, pc: usize): f64 {
  memory.fill(pc, 0, (<usize>cols) << 3);
  for (let r = 0; r < rows; r++) {
    const row = f64At(p, r * cols);
    store<f64>(f64At(pg, r), pairwiseSum(row, cols));
    for (let c = 0; c < cols; c++) {
      store<f64>(f64At(pc, c), load<f64>(f64At(pc, c)) + load<f64>(f64At(row, c)));
    }
  }
  return pairwiseSum(pc, cols);
}

/** zoneMarginals for the binding: pg (rows) and pc (cols) filled, Nz returned. */
export function zoneMatrixMarginals(p: usize, rows: i32, cols: i32, pg: usize, pc: usize): f64 {
  return zoneMarginals(p, rows, cols, pg, pc);
}

/**
 * sum_k p_k (v_k - mu)^2 with p_k = marginal_k / Nz and mu = sum_k p_k v_k (both sums pairwise):
 * the gray-level and size variances. normalised, buf: n doubles of scratch each.
 */
function zoneVariance(
  marginal: usize,
  vector: usize,
  n: i32,
  nz: f64,
  normalised: usize,
  buf: usize,
): f64 {
  for (let k = 0; k < n; k++) store<f64>(f64At(normalised, k), load<f64>(f64At(marginal, k)) / nz);
  for (let k = 0; k < n; k++) {
    store<f64>(f64At(buf, k), load<f64>(f64At(normalised, k)) * load<f64>(f64At(vector, k)));
  }
  const mu = pairwiseSum(buf, n);
  for (let k = 0; k < n; k++) {
    const d = load<f64>(f64At(vector, k)) - mu;
    store<f64>(f64At(buf, k), load<f64>(f64At(normalised, k)) * (d * d));
  }
  return pairwiseSum(buf, n);
}

/**
 * The joint emphases sum_ij term(P(i,j), i^2, j^2) / Nz (pairwise over the cells in row-major
 * order), with PyRadiomics' operation order per feature (`kind`: the ZONE_* slot;
 * groupedLargeHigh: P * (j^2 i^2) as gldm.py, else (P i^2) j^2 as glszm.py).
 */
function zoneJoint(
  p: usize,
  ivector: usize,
  jvector: usize,
  rows: i32,
  cols: i32,
  nz: f64,
  kind: i32,
  groupedLargeHigh: bool,
  cells: usize,
): f64 {
  for (let r = 0; r < rows; r++) {
    const i = load<f64>(f64At(ivector, r));
    const i2 = i * i;
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const j = load<f64>(f64At(jvector, c));
      const j2 = j * j;
      const count = load<f64>(f64At(p, base + c));
      let term: f64;
      if (kind === ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS) term = count / (i2 * j2);
      else if (kind === ZONE_SMALL_HIGH_GRAY_LEVEL_EMPHASIS) term = (count * i2) / j2;
      else if (kind === ZONE_LARGE_LOW_GRAY_LEVEL_EMPHASIS) term = (count * j2) / i2;
      else if (groupedLargeHigh) term = count * (j2 * i2);
      else term = count * i2 * j2;
      store<f64>(f64At(cells, base + c), term);
    }
  }
  return pairwiseSum(cells, rows * cols) / nz;
}

/**
 * Every zone-type feature of a compacted matrix P (rows x cols, row-major; gray level ivector[r],
 * size / dependence size jvector[c]) with row sums pg, column sums pc and total Nz (1 when 0), into
 * out[0 .. 16) (slots ZONE_*), as PyRadiomics glszm.py / gldm.py evaluate them:
 * SE = sum_j pc / j^2 / Nz, LE = sum_j pc j^2 / Nz, GLN(N) = sum_i pg^2 / Nz (Nz^2),
 * SN(N) = sum_j pc^2 / Nz (Nz^2), GLV / SV = variances of i / j under p = P / Nz,
 * E = -sum p log2(p + eps), LGLE = sum_i pg / i^2 / Nz, HGLE = sum_i pg i^2 / Nz, the joint
 * emphases (zoneJoint), each sum pairwise; and GLSZM's zone percentage Nz / Np with
 * Np = sum_j pc j in order (1 when 0).
 */
function zoneFormulas(
  p: usize,
  rows: i32,
  cols: i32,
  ivector: usize,
  jvector: usize,
  pg: usize,
  pc: usize,
  total: f64,
  groupedLargeHigh: bool,
  scratch: usize,
  out: usize,
): void {
  const nz = total === 0 ? 1 : total;
  const cells = scratch;
  const line = f64At(cells, rows * cols);
  const line2 = f64At(line, max(rows, cols));

  for (let c = 0; c < cols; c++) {
    const j = load<f64>(f64At(jvector, c));
    store<f64>(f64At(line, c), load<f64>(f64At(pc, c)) / (j * j));
  }
  store<f64>(f64At(out, ZONE_SMALL_EMPHASIS), pairwiseSum(line, cols) / nz);
  for (let c = 0; c < cols; c++) {
    const j = load<f64>(f64At(jvector, c));
    store<f64>(f64At(line, c), load<f64>(f64At(pc, c)) * (j * j));
  }
  store<f64>(f64At(out, ZONE_LARGE_EMPHASIS), pairwiseSum(line, cols) / nz);

  for (let r = 0; r < rows; r++) {
    const v = load<f64>(f64At(pg, r));
    store<f64>(f64At(line, r), v * v);
  }
  const grayLevelSquares = pairwiseSum(line, rows);
  store<f64>(f64At(out, ZONE_GRAY_LEVEL_NON_UNIFORMITY), grayLevelSquares / nz);
  store<f64>(f64At(out, ZONE_GRAY_LEVEL_NON_UNIFORMITY_NORMALIZED), grayLevelSquares / (nz * nz));
  for (let c = 0; c < cols; c++) {
    const v = load<f64>(f64At(pc, c));
    store<f64>(f64At(line, c), v * v);
  }
  const sizeSquares = pairwiseSum(line, cols);
  store<f64>(f64At(out, ZONE_SIZE_NON_UNIFORMITY), sizeSquares / nz);
  store<f64>(f64At(out, ZONE_SIZE_NON_UNIFORMITY_NORMALIZED), sizeSquares / (nz * nz));

  store<f64>(
    f64At(out, ZONE_GRAY_LEVEL_VARIANCE),
    zoneVariance(pg, ivector, rows, nz, line, line2),
  );
  store<f64>(f64At(out, ZONE_SIZE_VARIANCE), zoneVariance(pc, jvector, cols, nz, line, line2));

  const cellCount = rows * cols;
  for (let k = 0; k < cellCount; k++) {
    const q = load<f64>(f64At(p, k)) / nz;
    store<f64>(f64At(cells, k), q * log2(q + NUMPY_EPS));
  }
  store<f64>(f64At(out, ZONE_ENTROPY), -pairwiseSum(cells, cellCount));

  for (let r = 0; r < rows; r++) {
    const i = load<f64>(f64At(ivector, r));
    store<f64>(f64At(line, r), load<f64>(f64At(pg, r)) / (i * i));
  }
  store<f64>(f64At(out, ZONE_LOW_GRAY_LEVEL_EMPHASIS), pairwiseSum(line, rows) / nz);
  for (let r = 0; r < rows; r++) {
    const i = load<f64>(f64At(ivector, r));
    store<f64>(f64At(line, r), load<f64>(f64At(pg, r)) * (i * i));
  }
  store<f64>(f64At(out, ZONE_HIGH_GRAY_LEVEL_EMPHASIS), pairwiseSum(line, rows) / nz);

  for (
    let kind = ZONE_SMALL_LOW_GRAY_LEVEL_EMPHASIS;
    kind <= ZONE_LARGE_HIGH_GRAY_LEVEL_EMPHASIS;
    kind++
  ) {
    const value = zoneJoint(p, ivector, jvector, rows, cols, nz, kind, groupedLargeHigh, cells);
    store<f64>(f64At(out, kind), value);
  }

  let np: f64 = 0;
  for (let c = 0; c < cols; c++) np += load<f64>(f64At(pc, c)) * load<f64>(f64At(jvector, c));
  if (np === 0) np = 1;
  store<f64>(f64At(out, ZONE_PERCENTAGE), nz / np);
}

/**
 * Every zone-type feature (zoneFormulas) of a compacted matrix P (rows x cols, row-major; gray
 * level ivector[r], size jvector[c]), its marginals first (zoneMarginals). Scratch:
 * zoneFeatureScratchBytes(rows, cols).
 */
export function zoneFeatures(
  p: usize,
  rows: i32,
  cols: i32,
  ivector: usize,
  jvector: usize,
  groupedLargeHigh: bool,
  scratch: usize,
  out: usize,
): void {
  const pg = scratch;
  const pc = f64At(pg, rows);
  const total = zoneMarginals(p, rows, cols, pg, pc);
  const rest = f64At(pc, cols);
  zoneFormulas(p, rows, cols, ivector, jvector, pg, pc, total, groupedLargeHigh, rest, out);
}

/**
 * The GLDM as PyRadiomics' calculate_gldm fills it (maxLevel x columns, row-major, before empty
 * rows and columns are removed): each ROI voxel (grid cells roiVoxels, level grid[v]) adds 1 at
 * (level - 1, dependent[v]), its number of dependent neighbours. counts must be zeroed.
 */
function gldmFill(
  grid: usize,
  roiVoxels: usize,
  roiCount: i32,
  dependent: usize,
  columns: i32,
  counts: usize,
): void {
  for (let r = 0; r < roiCount; r++) {
    const v = load<i32>(i32At(roiVoxels, r));
    const cell = (load<i32>(i32At(grid, v)) - 1) * columns + load<i32>(i32At(dependent, v));
    const at = f64At(counts, cell);
    store<f64>(at, load<f64>(at) + 1);
  }
}

/** gldmFill for the binding (zeroes counts first). */
export function gldmCounts(
  grid: usize,
  roiVoxels: usize,
  roiCount: i32,
  dependent: usize,
  maxLevel: i32,
  columns: i32,
  counts: usize,
): void {
  memory.fill(counts, 0, (<usize>maxLevel * <usize>columns) << 3);
  gldmFill(grid, roiVoxels, roiCount, dependent, columns, counts);
}

/** Bytes of scratch gldmFeatures needs. */
export function gldmFeatureScratchBytes(maxLevel: i32, columns: i32): usize {
  // The full and the compacted matrix, column totals, ivector, jvector, then zoneFeatures' scratch.
  const matrices: usize =
    <usize>2 * <usize>maxLevel * <usize>columns + <usize>2 * <usize>columns + <usize>maxLevel;
  return (matrices << 3) + zoneFeatureScratchBytes(maxLevel, columns);
}

/**
 * Every GLDM feature (zoneFeatures, large-high term P * (j^2 i^2) as gldm.py) from the per-voxel
 * dependence counts: the full matrix (gldmFill), compacted as PyRadiomics does (the rows of gray
 * levels absent from the ROI, present[g] = 0, dropped, then the columns whose total is 0; column
 * totals summed over the kept rows in order).
 */
export function gldmFeatures(
  grid: usize,
  roiVoxels: usize,
  roiCount: i32,
  dependent: usize,
  maxLevel: i32,
  columns: i32,
  present: usize,
  scratch: usize,
  out: usize,
): void {
  const full = scratch;
  const p = f64At(full, maxLevel * columns);
  const colTotals = f64At(p, maxLevel * columns);
  const jvector = f64At(colTotals, columns);
  const ivector = f64At(jvector, columns);
  const rest = f64At(ivector, maxLevel);
  memory.fill(full, 0, (<usize>maxLevel * <usize>columns) << 3);
  gldmFill(grid, roiVoxels, roiCount, dependent, columns, full);

  memory.fill(colTotals, 0, (<usize>columns) << 3);
  for (let g = 1; g <= maxLevel; g++) {
    if (load<u8>(present + <usize>g) === 0) continue;
    const row = f64At(full, (g - 1) * columns);
    for (let c = 0; c < columns; c++) {
      store<f64>(f64At(colTotals, c), load<f64>(f64At(colTotals, c)) + load<f64>(f64At(row, c)));
    }
  }
  let cols = 0;
  for (let c = 0; c < columns; c++) {
    if (load<f64>(f64At(colTotals, c)) !== 0) store<f64>(f64At(jvector, cols++), <f64>(c + 1));
  }
  let rows = 0;
  for (let g = 1; g <= maxLevel; g++) {
    if (load<u8>(present + <usize>g) === 0) continue;
    store<f64>(f64At(ivector, rows), <f64>g);
    const row = f64At(full, (g - 1) * columns);
    let col = 0;
    for (let c = 0; c < columns; c++) {
      if (load<f64>(f64At(colTotals, c)) !== 0) {
        store<f64>(f64At(p, rows * cols + col++), load<f64>(f64At(row, c)));
      }
    }
    rows++;
  }
  zoneFeatures(p, rows, cols, ivector, jvector, true, rest, out);
}

// ---------------------------------------------------------------------------------------------
// NGTDM

/** Slots of ngtdmFeatures' table (NGTDM_CLASS.features order). */
const NGTDM_BUSYNESS = 0;
const NGTDM_COARSENESS = 1;
const NGTDM_COMPLEXITY = 2;
const NGTDM_CONTRAST = 3;
const NGTDM_STRENGTH = 4;

/**
 * n_i and s_i of the NGTDM (PyRadiomics calculate_ngtdm) from each ROI voxel's neighbour count k
 * and neighbour level sum (grid-cell arrays), ROI voxels in flat-index order (the C kernel's
 * accumulation order): n_i += 1, s_i += |i - sum / k| (0 when k = 0). count and sumAbsDiff
 * (maxLevel doubles each, index level - 1) must be zeroed.
 */
export function ngtdmTallies(
  grid: usize,
  roiVoxels: usize,
  roiCount: i32,
  neighbours: usize,
  sums: usize,
  count: usize,
  sumAbsDiff: usize,
): void {
  for (let r = 0; r < roiCount; r++) {
    const v = load<i32>(i32At(roiVoxels, r));
    const level = load<i32>(i32At(grid, v));
    const k = load<i32>(i32At(neighbours, v));
    const diff: f64 = k === 0 ? 0 : abs(<f64>level - <f64>load<i32>(i32At(sums, v)) / <f64>k);
    const at = level - 1;
    store<f64>(f64At(count, at), load<f64>(f64At(count, at)) + 1);
    store<f64>(f64At(sumAbsDiff, at), load<f64>(f64At(sumAbsDiff, at)) + diff);
  }
}

/** Bytes of scratch ngtdmFeatures needs with `presentLevels` levels of n_i > 0. */
export function ngtdmFeatureScratchBytes(maxLevel: i32, presentLevels: i32): usize {
  return (<usize>presentLevels * <usize>presentLevels + 5 * <usize>maxLevel) << 3;
}

/**
 * NGTDM features (PyRadiomics ngtdm.py) into out[0 .. 5) (slots NGTDM_*), over the Ngp gray levels
 * with n_i > 0 (PyRadiomics deletes the others; p_i = n_i / Nvp, Nvp = sum n_i, sums pairwise):
 * Coarseness = 1 / sum p_i s_i (1e6 when the sum is 0);
 * Contrast = [sum_ij p_i p_j (i-j)^2] [sum_i s_i] / Nvp / (Ngp (Ngp-1)) (0 when Ngp = 1);
 * Busyness = sum p_i s_i / sum_ij |i p_i - j p_j| (0 when the denominator is 0);
 * Complexity = sum_ij |i-j| (p_i s_i + p_j s_j) / (p_i + p_j) / Nvp;
 * Strength = sum_ij (p_i + p_j)(i-j)^2 / sum_i s_i (0 when sum s_i = 0).
 */
export function ngtdmFeatures(
  count: usize,
  sumAbsDiff: usize,
  maxLevel: i32,
  scratch: usize,
  out: usize,
): void {
  const n = scratch;
  const s = f64At(n, maxLevel);
  const iv = f64At(s, maxLevel);
  const p = f64At(iv, maxLevel);
  const ps = f64At(p, maxLevel);
  const cells = f64At(ps, maxLevel);
  let ngp = 0;
  for (let g = 0; g < maxLevel; g++) {
    const c = load<f64>(f64At(count, g));
    if (c === 0) continue;
    store<f64>(f64At(n, ngp), c);
    store<f64>(f64At(s, ngp), load<f64>(f64At(sumAbsDiff, g)));
    store<f64>(f64At(iv, ngp), <f64>(g + 1));
    ngp++;
  }
  const nvp = pairwiseSum(n, ngp);
  for (let a = 0; a < ngp; a++) store<f64>(f64At(p, a), load<f64>(f64At(n, a)) / nvp);
  for (let a = 0; a < ngp; a++) {
    store<f64>(f64At(ps, a), load<f64>(f64At(p, a)) * load<f64>(f64At(s, a)));
  }
  const sumPs = pairwiseSum(ps, ngp);
  const sumS = pairwiseSum(s, ngp);
  const cellCount = ngp * ngp;

  store<f64>(f64At(out, NGTDM_COARSENESS), sumPs !== 0 ? 1 / sumPs : 1e6);

  for (let a = 0; a < ngp; a++) {
    const pa = load<f64>(f64At(p, a));
    const ia = load<f64>(f64At(iv, a));
    for (let b = 0; b < ngp; b++) {
      const d = ia - load<f64>(f64At(iv, b));
      store<f64>(f64At(cells, a * ngp + b), pa * load<f64>(f64At(p, b)) * (d * d));
    }
  }
  const div = <f64>ngp * <f64>(ngp - 1);
  store<f64>(
    f64At(out, NGTDM_CONTRAST),
    div !== 0 ? (pairwiseSum(cells, cellCount) * sumS) / nvp / div : 0,
  );

  for (let a = 0; a < ngp; a++) {
    const ipa = load<f64>(f64At(iv, a)) * load<f64>(f64At(p, a));
    for (let b = 0; b < ngp; b++) {
      const ipb = load<f64>(f64At(iv, b)) * load<f64>(f64At(p, b));
      store<f64>(f64At(cells, a * ngp + b), abs(ipa - ipb));
    }
  }
  const absdiff = pairwiseSum(cells, cellCount);
  store<f64>(f64At(out, NGTDM_BUSYNESS), absdiff !== 0 ? sumPs / absdiff : 0);

  for (let a = 0; a < ngp; a++) {
    const ia = load<f64>(f64At(iv, a));
    const pa = load<f64>(f64At(p, a));
    const psa = load<f64>(f64At(ps, a));
    for (let b = 0; b < ngp; b++) {
      const numerator = psa + load<f64>(f64At(ps, b));
      const divisor = pa + load<f64>(f64At(p, b));
      const term = (abs(ia - load<f64>(f64At(iv, b))) * numerator) / (divisor === 0 ? 1 : divisor);
      store<f64>(f64At(cells, a * ngp + b), term);
    }
  }
  store<f64>(f64At(out, NGTDM_COMPLEXITY), pairwiseSum(cells, cellCount) / nvp);

  for (let a = 0; a < ngp; a++) {
    const ia = load<f64>(f64At(iv, a));
    const pa = load<f64>(f64At(p, a));
    for (let b = 0; b < ngp; b++) {
      const d = ia - load<f64>(f64At(iv, b));
      store<f64>(f64At(cells, a * ngp + b), (pa + load<f64>(f64At(p, b))) * (d * d));
    }
  }
  store<f64>(f64At(out, NGTDM_STRENGTH), sumS !== 0 ? pairwiseSum(cells, cellCount) / sumS : 0);
}
