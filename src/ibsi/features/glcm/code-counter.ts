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

/** True when a counter of `codeSpace` codes counts in a dense array (else in a Map). */
export function countsDensely(codeSpace: number): boolean {
  return codeSpace <= DENSE_LIMIT;
}

/** A sparse texture matrix: sorted cell codes and their counts. */
export interface SparseCounts {
  codes: Int32Array;
  counts: Float64Array;
}

/**
 * A dense counter's storage: the counts by code, the codes touched since the last drain (in the
 * order they left 0) and their number, state[0]. Given from outside (src/kernels/ibsi-code-counts.ts),
 * it lives in WebAssembly memory, where a kernel counts into it too.
 */
export interface CounterCells {
  dense: Int32Array;
  touched: Int32Array;
  state: Int32Array;
}

export class CodeCounter {
  private readonly cells: CounterCells | undefined;
  private readonly map: Map<number, number> | undefined;

  /**
   * A counter for codes 0..codeSpace-1; dense ones may be given their storage (all counts 0,
   * state[0] 0, touched holding codeSpace codes).
   */
  constructor(codeSpace: number, cells?: CounterCells) {
    if (countsDensely(codeSpace)) {
      this.cells = cells ?? {
        dense: new Int32Array(codeSpace),
        touched: new Int32Array(Math.min(codeSpace, 1024)),
        state: new Int32Array(1),
      };
    } else this.map = new Map();
  }

  /** Adds `weight` (a positive integer) to the count of `code`. */
  add(code: number, weight: number): void {
    const cells = this.cells;
    if (cells) {
      if (cells.dense[code] === 0) this.remember(cells, code);
      cells.dense[code]! += weight;
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
    const { dense, touched, state } = this.cells!;
    const n = state[0]!;
    state[0] = 0;
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
    codes.set(touched.subarray(0, n));
    codes.sort();
    for (let k = 0; k < n; k++) {
      const c = codes[k]!;
      counts[k] = dense[c]!;
      dense[c] = 0;
    }
    return { codes, counts };
  }

  private remember(cells: CounterCells, code: number): void {
    const n = cells.state[0]!;
    // Storage of our own grows; storage given holds every code (each is touched once per drain).
    if (n === cells.touched.length) {
      const grown = new Int32Array(Math.min(cells.touched.length * 2, cells.dense.length));
      grown.set(cells.touched);
      cells.touched = grown;
    }
    cells.touched[n] = code;
    cells.state[0] = n + 1;
  }
}
