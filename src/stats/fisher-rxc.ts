/**
 * Exact two-sided p of Fisher's test for general r x c tables, R `fisher.test` (FEXACT, fexact.c:
 * Mehta & Patel's network algorithm with its tolerance): a column-by-column network over the
 * remaining row margins, pruned by completion bounds.
 */

/** log n! table 0 … N. */
function logFactorials(N: number): Float64Array {
  const f = new Float64Array(N + 1);
  for (let i = 2; i <= N; i++) f[i] = (f[i - 1] as number) + Math.log(i);
  return f;
}

/**
 * Bounds on the completion value −Σ log x_ij! over the tables with row sums `rows` and column sums
 * `cols`, from two relaxations (only column sums + row caps, only row sums + column caps): the
 * maximum spreads each line as evenly as its caps allow, the minimum concentrates it greedily in the
 * largest caps (log x! is superadditive). Both relaxations contain the feasible set, so the bounds hold.
 */
function completionBounds(
  rows: readonly number[],
  cols: readonly number[],
  lf: Float64Array,
): { maxValue: number; minValue: number } {
  const lineBounds = (totals: readonly number[], caps: readonly number[]) => {
    let mx = 0;
    let mn = 0;
    const sortedCaps = [...caps].sort((a, b) => a - b);
    for (const t of totals) {
      // even spread with caps (water filling), ascending caps
      let left = t;
      let k = sortedCaps.length;
      for (const cap of sortedCaps) {
        const share = Math.floor(left / k);
        const extra = left - share * k;
        if (cap <= share) {
          mx -= lf[cap] as number;
          left -= cap;
          k--;
          continue;
        }
        // all remaining caps exceed the share: split evenly (extra cells get share + 1)
        mx -= (k - extra) * (lf[share] as number) + extra * (lf[share + 1] as number);
        left = 0;
        break;
      }
      // greedy concentration in the largest caps
      left = t;
      for (let i = sortedCaps.length - 1; i >= 0 && left > 0; i--) {
        const v = Math.min(left, sortedCaps[i] as number);
        mn -= lf[v] as number;
        left -= v;
      }
    }
    return { mx, mn };
  };
  const byCols = lineBounds(cols, rows);
  const byRows = lineBounds(rows, cols);
  return { maxValue: Math.min(byCols.mx, byRows.mx), minValue: Math.max(byCols.mn, byRows.mn) };
}

/**
 * Exact two-sided p of a general r x c table. Tables with the observed margins have probability
 * P = (Π r_i! Π c_j!)/(n! Π x_ij!); they are built column by column as in a network (Mehta &
 * Patel 1983): a node is the multiset of remaining row sums after some columns (rows are
 * exchangeable, so the sorted vector is the key) and holds the distinct past values −Σ log x_ij!
 * reached so far with their multiplicities (merged within 1e-10 in log scale); the last column is
 * determined by the remaining row sums. p = Σ P over tables with log P ≤ log P_obs + logTol.
 */
export function fisherRxC(
  table0: readonly (readonly number[])[],
  logTol: number,
  maxStates: number,
): number {
  // rows = the smaller dimension (fewer compositions per column)
  const transpose = table0.length > (table0[0] as readonly number[]).length;
  const table = transpose
    ? Array.from({ length: (table0[0] as readonly number[]).length }, (_, j) =>
        table0.map((row) => row[j] as number),
      )
    : table0.map((row) => [...row]);
  const nr = table.length;
  const nc = (table[0] as number[]).length;
  const sr = table.map((row) => row.reduce((a, b) => a + b, 0));
  const sc = Array.from({ length: nc }, (_, j) =>
    table.reduce((a, row) => a + (row[j] as number), 0),
  ).sort((a, b) => a - b);
  const n = sr.reduce((a, b) => a + b, 0);
  const lf = logFactorials(n);
  let constant = -(lf[n] as number);
  for (const v of sr) constant += lf[v] as number;
  for (const v of sc) constant += lf[v] as number;
  let obs = 0;
  for (const row of table) for (const v of row) obs -= lf[v] as number;
  const threshold = obs + logTol;

  interface Past {
    value: number;
    /** Σ exp(past − value) over the merged paths */
    weight: number;
  }
  type Node = { rows: number[]; pasts: Map<number, Past> };
  const keyOf = (rows: number[]) => rows.join(",");
  let nodes = new Map<string, Node>();
  const startRows = [...sr].sort((a, b) => b - a);
  nodes.set(keyOf(startRows), {
    rows: startRows,
    pasts: new Map([[0, { value: 0, weight: 1 }]]),
  });
  let states = 0;
  let p = 0;
  // Decide whole pasts of a node: those whose every completion is counted are added (Σ over
  // completions of Π 1/x! = N!/(Π r! Π c!)) and removed; those with none counted are removed.
  const prune = (node: Node, cols: readonly number[]): number => {
    const { maxValue, minValue } = completionBounds(node.rows, cols, lf);
    let nRem = 0;
    for (const r of node.rows) nRem += r;
    let logAll = lf[nRem] as number;
    for (const r of node.rows) logAll -= lf[r] as number;
    for (const c of cols) logAll -= lf[c] as number;
    let added = 0;
    for (const [k, past] of node.pasts) {
      if (past.value + maxValue <= threshold) {
        added += past.weight * Math.exp(past.value + logAll + constant);
        node.pasts.delete(k);
      } else if (past.value + minValue > threshold) node.pasts.delete(k);
    }
    return added;
  };
  for (let j = 0; j < nc - 2; j++) {
    const next = new Map<string, Node>();
    const cj = sc[j] as number;
    const cols = sc.slice(j);
    for (const node of nodes.values()) {
      const rem = node.rows;
      p += prune(node, cols);
      if (node.pasts.size === 0) continue;
      // enumerate compositions x of cj with x_i <= rem_i
      const x = new Array<number>(nr).fill(0);
      const capAfter = new Array<number>(nr + 1).fill(0);
      for (let i = nr - 1; i >= 0; i--)
        capAfter[i] = (capAfter[i + 1] as number) + (rem[i] as number);
      const emit = (contrib: number) => {
        const newRows = rem.map((r, i) => r - (x[i] as number)).sort((a, b) => b - a);
        const key = keyOf(newRows);
        let target = next.get(key);
        if (!target) {
          target = { rows: newRows, pasts: new Map() };
          next.set(key, target);
        }
        for (const past of node.pasts.values()) {
          const v = past.value + contrib;
          const k = Math.round(v * 1e10);
          const existing = target.pasts.get(k);
          if (existing) existing.weight += past.weight * Math.exp(v - existing.value);
          else {
            target.pasts.set(k, { value: v, weight: past.weight });
            if (++states > maxStates) {
              throw new Error(
                `Fisher exact test: more than ${maxStates} network states; the table is too large for the exact test`,
              );
            }
          }
        }
      };
      const rec = (i: number, left: number, contrib: number) => {
        if (i === nr - 1) {
          if (left > (rem[i] as number)) return;
          x[i] = left;
          emit(contrib - (lf[left] as number));
          return;
        }
        const lo = Math.max(0, left - (capAfter[i + 1] as number));
        const hi = Math.min(rem[i] as number, left);
        for (let v = lo; v <= hi; v++) {
          x[i] = v;
          rec(i + 1, left - v, contrib - (lf[v] as number));
        }
      };
      rec(0, cj, 0);
    }
    nodes = next;
  }
  // two columns left: list every completion value of a node once, sorted, with prefix sums of
  // exp(value); each past then adds the completions with past + value <= threshold
  const ca = sc[nc - 2] as number;
  for (const node of nodes.values()) {
    const rem = node.rows;
    p += prune(node, sc.slice(nc - 2));
    if (node.pasts.size === 0) continue;
    const values: number[] = [];
    const capAfter = new Array<number>(nr + 1).fill(0);
    for (let i = nr - 1; i >= 0; i--)
      capAfter[i] = (capAfter[i + 1] as number) + (rem[i] as number);
    const rec = (i: number, left: number, acc: number) => {
      const r = rem[i] as number;
      if (i === nr - 1) {
        if (left <= r) values.push(acc - (lf[left] as number) - (lf[r - left] as number));
        return;
      }
      const lo = Math.max(0, left - (capAfter[i + 1] as number));
      const hi = Math.min(r, left);
      for (let v = lo; v <= hi; v++)
        rec(i + 1, left - v, acc - (lf[v] as number) - (lf[r - v] as number));
    };
    rec(0, ca, 0);
    values.sort((a, b) => a - b);
    const top = values[values.length - 1] as number;
    const prefix = new Float64Array(values.length + 1);
    for (let k = 0; k < values.length; k++) {
      prefix[k + 1] = (prefix[k] as number) + Math.exp((values[k] as number) - top);
    }
    for (const past of node.pasts.values()) {
      const limit = threshold - past.value;
      let lo = 0;
      let hi = values.length; // first index with values[idx] > limit
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((values[mid] as number) <= limit) lo = mid + 1;
        else hi = mid;
      }
      if (lo > 0) p += past.weight * (prefix[lo] as number) * Math.exp(past.value + top + constant);
    }
  }
  return p;
}
