/**
 * A reusable counter of non-negative integer codes (a texture-matrix cell index such as
 * (i - 1) * Ng + (j - 1)), drained into a sparse, code-sorted list of (code, count) pairs.
 *
 * Why: IBSI texture matrices are Ng x Ng (GLCM) or Ng x Nr (GLRLM) with Ng up to ~1000 after a
 * fine fixed bin size, but each slice or direction touches few cells. Counting in a dense scratch
 * array while remembering which cells were touched costs O(events + touched log touched) per matrix,
 * never O(Ng^2), and the scratch array is allocated once per feature family. Where the code space is
 * too large for a dense scratch array (Ng in the thousands), a Map is used instead.
 *
 * Sorting by code makes every later floating-point sum run in the same cell order, whatever the
 * voxel traversal order, so feature values are deterministic.
 */

/** Largest code space counted in a dense Int32Array scratch (4M cells, 16 MB). */
const DENSE_LIMIT = 1 << 22;

/** A sparse texture matrix: sorted cell codes and their counts. */
export interface SparseCounts {
  codes: Int32Array;
  counts: Float64Array;
}

export class CodeCounter {
  private readonly dense: Int32Array | undefined;
  private readonly map: Map<number, number> | undefined;
  private touched: Int32Array;
  private nTouched = 0;

  /** A counter for codes 0..codeSpace-1. */
  constructor(codeSpace: number) {
    if (codeSpace <= DENSE_LIMIT) this.dense = new Int32Array(codeSpace);
    else this.map = new Map();
    this.touched = new Int32Array(1024);
  }

  /** Adds `weight` (a positive integer) to the count of `code`. */
  add(code: number, weight: number): void {
    const dense = this.dense;
    if (dense) {
      if (dense[code] === 0) this.remember(code);
      dense[code]! += weight;
      return;
    }
    const map = this.map!;
    map.set(code, (map.get(code) ?? 0) + weight);
  }

  /** Adds every cell of a sparse matrix (merging matrices by summing counts, IBSI-1 aggregation). */
  addAll(m: SparseCounts): void {
    const { codes, counts } = m;
    for (let k = 0; k < codes.length; k++) this.add(codes[k]!, counts[k]!);
  }

  /** The counted cells, sorted by code; the counter is empty afterwards. */
  drain(): SparseCounts {
    if (this.map) {
      const codes = Int32Array.from(this.map.keys()).sort();
      const counts = Float64Array.from(codes, (c) => this.map!.get(c)!);
      this.map.clear();
      return { codes, counts };
    }
    const dense = this.dense!;
    const n = this.nTouched;
    this.nTouched = 0;
    const codes = new Int32Array(n);
    const counts = new Float64Array(n);
    if (n * Math.log2(n + 1) > dense.length) {
      // Many touched cells (a merged matrix): one in-order scan of the scratch beats sorting.
      let k = 0;
      for (let c = 0; k < n; c++) {
        if (dense[c] === 0) continue;
        codes[k] = c;
        counts[k++] = dense[c]!;
        dense[c] = 0;
      }
      return { codes, counts };
    }
    codes.set(this.touched.subarray(0, n));
    codes.sort();
    for (let k = 0; k < n; k++) {
      const c = codes[k]!;
      counts[k] = dense[c]!;
      dense[c] = 0;
    }
    return { codes, counts };
  }

  private remember(code: number): void {
    if (this.nTouched === this.touched.length) {
      const grown = new Int32Array(this.touched.length * 2);
      grown.set(this.touched);
      this.touched = grown;
    }
    this.touched[this.nTouched++] = code;
  }
}
