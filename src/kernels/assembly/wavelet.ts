/**
 * PyRadiomics' Wavelet image type, the loops of one single-level SWT pass (binding:
 * src/kernels/wavelet.ts; the transform around them: src/filters/wavelet.ts).
 *
 * Each pass is PyWavelets 1.1.1's `downsampling_convolution_periodization` (c/convolution.c.src)
 * with step 1 along one axis of an x-fastest volume, for every line of the volume at once:
 * out[o] = sum_j filter[j] * x[(o + f/2 - j) mod n] over the f taps, for an even axis length n.
 * The sum starts at +0 and adds the products one by one in pywt's term order (`tapOrder`), each
 * product and each partial sum rounded in the sample type: float64, or float32 for float32 images
 * (C float arithmetic). SIMD computes neighbouring outputs in the lanes of one vector (along x,
 * where the samples are contiguous): every lane repeats the scalar operations exactly (WebAssembly
 * has no fused multiply-add), so the results are those of the scalar loops bit for bit.
 */

/**
 * Bytes of the scratch a pass needs for a filter of `taps` taps (enough for either use): along y
 * or z one term table (weight, sample index and row offset per term: at most 16 bytes), along x
 * one per output whose taps wrap around (at most `taps` of them; weight and sample index per term:
 * at most 12 bytes).
 */
export function waveletScratchBytes(taps: i32): i32 {
  return taps * 16 + taps * taps * 12;
}

/** The sample of type T (f64 or f32) at `at` in every lane of a vector. */
function loadSplat<T>(at: usize): v128 {
  if (sizeof<T>() === 8) return v128.load64_splat(at);
  return v128.load32_splat(at);
}

/** acc + weight * sample, lane by lane: the product rounded, then the sum rounded (no FMA). */
function addProduct<T>(acc: v128, weight: v128, samples: v128): v128 {
  if (sizeof<T>() === 8) return f64x2.add(acc, f64x2.mul(weight, samples));
  return f32x4.add(acc, f32x4.mul(weight, samples));
}

/** v mod n in [0, n) (numpy's modulo for n > 0; `%` truncates towards zero). */
function wrapIndex(v: i32, n: i32): i32 {
  const r = v % n;
  return r < 0 ? r + n : r;
}

/**
 * pywt's term order for output o of an axis of n samples (n even) and a filter of f taps: with
 * i = o + f/2, the taps run j = 0, 1, ..., f-1 when i < n; when i >= n pywt first adds the wrapped
 * taps j = i-n, i-n-1, ..., 0 and then j = i-n+1, ..., f-1. Writes, per term t, the weight
 * filter[j] (T at weights + t sizeof<T>) and the sample index (i - j) mod n (i32 at sources + 4 t).
 */
function tapOrder<T>(
  o: i32,
  n: i32,
  filter: usize,
  taps: i32,
  weights: usize,
  sources: usize,
): void {
  const i = o + (taps >> 1);
  let t = 0;
  if (i < n) {
    for (let j = 0; j < taps; j++, t++) putTerm<T>(t, j, i, n, filter, weights, sources);
  } else {
    for (let j = i - n; j >= 0; j--, t++) putTerm<T>(t, j, i, n, filter, weights, sources);
    for (let j = i - n + 1; j < taps; j++, t++) putTerm<T>(t, j, i, n, filter, weights, sources);
  }
}

function putTerm<T>(
  t: i32,
  j: i32,
  i: i32,
  n: i32,
  filter: usize,
  weights: usize,
  sources: usize,
): void {
  store<T>(weights + <usize>t * sizeof<T>(), load<T>(filter + <usize>j * sizeof<T>()));
  store<i32>(sources + ((<usize>t) << 2), wrapIndex(i - j, n));
}

/**
 * A pass along x (axis 0; lines of n = inX samples). Outputs whose taps do not wrap
 * (o + f/2 - (f-1) >= 0 and o + f/2 < n) sum j = 0..f-1 directly, lane k of a vector being output
 * o + k (reading samples o + k + f/2 - j); the others (the same few o on every line) follow
 * `tapOrder`, tabulated once per pass.
 */
function passAlongX<T>(
  inBase: usize,
  inX: i32,
  inY: i32,
  outBase: usize,
  outX: i32,
  outY: i32,
  filter: usize,
  taps: i32,
  scratch: usize,
  x0: i32,
  y0: i32,
  z0: i32,
  x1: i32,
  y1: i32,
  z1: i32,
): void {
  const n = inX;
  const half = taps >> 1;
  let firstDirect = max(x0, max(0, taps - 1 - half));
  let lastDirect = min(x1, n - half - 1);
  if (firstDirect > lastDirect) {
    firstDirect = x1 + 1;
    lastDirect = x1;
  }
  // Term tables of the wrapping outputs x0 .. firstDirect-1, then lastDirect+1 .. x1.
  const termBytes = <usize>taps * sizeof<T>();
  const edgeWeights = scratch;
  const edgeSources = scratch + <usize>taps * termBytes;
  let edge: usize = 0;
  for (let o = x0; o <= x1; o++) {
    if (o >= firstDirect && o <= lastDirect) continue;
    const weights = edgeWeights + edge * termBytes;
    tapOrder<T>(o, n, filter, taps, weights, edgeSources + ((edge * <usize>taps) << 2));
    edge++;
  }
  const lanes = <i32>(16 / sizeof<T>());
  for (let z = z0; z <= z1; z++) {
    for (let y = y0; y <= y1; y++) {
      const line = inBase + <usize>((z * inY + y) * inX) * sizeof<T>();
      const out = outBase + <usize>((z * outY + y) * outX) * sizeof<T>();
      edge = 0;
      for (let o = x0; o < firstDirect; o++, edge++) {
        wrappedOutput<T>(line, out, o, taps, edgeWeights + edge * termBytes, edgeSources, edge);
      }
      let o = firstDirect;
      for (; o + 4 * lanes - 1 <= lastDirect; o += 4 * lanes) {
        let acc0 = v128.splat<i64>(0);
        let acc1 = v128.splat<i64>(0);
        let acc2 = v128.splat<i64>(0);
        let acc3 = v128.splat<i64>(0);
        let at = line + <usize>(o + half) * sizeof<T>();
        for (let j = 0; j < taps; j++, at -= sizeof<T>()) {
          const weight = loadSplat<T>(filter + <usize>j * sizeof<T>());
          acc0 = addProduct<T>(acc0, weight, v128.load(at));
          acc1 = addProduct<T>(acc1, weight, v128.load(at, 16));
          acc2 = addProduct<T>(acc2, weight, v128.load(at, 32));
          acc3 = addProduct<T>(acc3, weight, v128.load(at, 48));
        }
        const to = out + <usize>o * sizeof<T>();
        v128.store(to, acc0);
        v128.store(to, acc1, 16);
        v128.store(to, acc2, 32);
        v128.store(to, acc3, 48);
      }
      for (; o + lanes - 1 <= lastDirect; o += lanes) {
        let acc = v128.splat<i64>(0);
        let at = line + <usize>(o + half) * sizeof<T>();
        for (let j = 0; j < taps; j++, at -= sizeof<T>()) {
          acc = addProduct<T>(acc, loadSplat<T>(filter + <usize>j * sizeof<T>()), v128.load(at));
        }
        v128.store(out + <usize>o * sizeof<T>(), acc);
      }
      for (; o <= lastDirect; o++) {
        let sum: T = <T>0;
        let at = line + <usize>(o + half) * sizeof<T>();
        for (let j = 0; j < taps; j++, at -= sizeof<T>()) {
          sum += load<T>(filter + <usize>j * sizeof<T>()) * load<T>(at);
        }
        store<T>(out + <usize>o * sizeof<T>(), sum);
      }
      for (o = lastDirect + 1; o <= x1; o++, edge++) {
        wrappedOutput<T>(line, out, o, taps, edgeWeights + edge * termBytes, edgeSources, edge);
      }
    }
  }
}

/** Output o of a line along x from its term table (edge number `edge`). */
function wrappedOutput<T>(
  line: usize,
  out: usize,
  o: i32,
  taps: i32,
  weights: usize,
  edgeSources: usize,
  edge: usize,
): void {
  const sources = edgeSources + ((edge * <usize>taps) << 2);
  let sum: T = <T>0;
  for (let t = 0; t < taps; t++) {
    const index = load<i32>(sources + ((<usize>t) << 2));
    sum += load<T>(weights + <usize>t * sizeof<T>()) * load<T>(line + <usize>index * sizeof<T>());
  }
  store<T>(out + <usize>o * sizeof<T>(), sum);
}

/**
 * Outputs x0..x1 of one output row along x, for a pass along y or z: term t (in `tapOrder`, weight
 * weights[t]) reads the input row at byte address lineBase + rows[t]; every x is an independent
 * sum, so the row goes 4 vectors at a time (independent sums keep the adder busy), then 1, then
 * single samples.
 */
function accumulateRows<T>(
  lineBase: usize,
  rows: usize,
  weights: usize,
  taps: i32,
  out: usize,
  x0: i32,
  x1: i32,
): void {
  const lanes = <i32>(16 / sizeof<T>());
  let x = x0;
  for (; x + 4 * lanes - 1 <= x1; x += 4 * lanes) {
    const offset = <usize>x * sizeof<T>();
    const from = lineBase + offset;
    let acc0 = v128.splat<i64>(0);
    let acc1 = v128.splat<i64>(0);
    let acc2 = v128.splat<i64>(0);
    let acc3 = v128.splat<i64>(0);
    for (let t = 0; t < taps; t++) {
      const weight = loadSplat<T>(weights + <usize>t * sizeof<T>());
      const at = from + load<usize>(rows + ((<usize>t) << 2));
      acc0 = addProduct<T>(acc0, weight, v128.load(at));
      acc1 = addProduct<T>(acc1, weight, v128.load(at, 16));
      acc2 = addProduct<T>(acc2, weight, v128.load(at, 32));
      acc3 = addProduct<T>(acc3, weight, v128.load(at, 48));
    }
    const to = out + offset;
    v128.store(to, acc0);
    v128.store(to, acc1, 16);
    v128.store(to, acc2, 32);
    v128.store(to, acc3, 48);
  }
  for (; x + lanes - 1 <= x1; x += lanes) {
    const offset = <usize>x * sizeof<T>();
    const from = lineBase + offset;
    let acc = v128.splat<i64>(0);
    for (let t = 0; t < taps; t++) {
      const at = from + load<usize>(rows + ((<usize>t) << 2));
      acc = addProduct<T>(acc, loadSplat<T>(weights + <usize>t * sizeof<T>()), v128.load(at));
    }
    v128.store(out + offset, acc);
  }
  for (; x <= x1; x++) {
    const offset = <usize>x * sizeof<T>();
    const from = lineBase + offset;
    let sum: T = <T>0;
    for (let t = 0; t < taps; t++) {
      const at = from + load<usize>(rows + ((<usize>t) << 2));
      sum += load<T>(weights + <usize>t * sizeof<T>()) * load<T>(at);
    }
    store<T>(out + offset, sum);
  }
}

/**
 * One pass along `axis` (0 = x, 1 = y, 2 = z) of an input of size (inX, inY, inZ), computing the
 * outputs inside the region [x0..x1] x [y0..y1] x [z0..z1] of an output of size (outX, outY, ...).
 * Only spans of the arrays are in memory: `input` holds input samples inFirst, inFirst + 1, ...
 * (every sample the region's outputs read) and `output` samples outFirst .. outLast, the region's
 * first to its last voxel; output samples of that span outside the region are set to 0.
 * `scratch`: waveletScratchBytes(taps) bytes.
 */
function swtPass<T>(
  input: usize,
  inFirst: i32,
  inX: i32,
  inY: i32,
  inZ: i32,
  output: usize,
  outFirst: i32,
  outLast: i32,
  outX: i32,
  outY: i32,
  axis: i32,
  filter: usize,
  taps: i32,
  scratch: usize,
  x0: i32,
  y0: i32,
  z0: i32,
  x1: i32,
  y1: i32,
  z1: i32,
): void {
  // Byte addresses of sample 0 (wrapping arithmetic: only addresses inside the spans are used).
  const inBase = input - <usize>inFirst * sizeof<T>();
  const outBase = output - <usize>outFirst * sizeof<T>();
  memory.fill(output, 0, <usize>(outLast - outFirst + 1) * sizeof<T>());
  if (axis === 0) {
    passAlongX<T>(
      inBase,
      inX,
      inY,
      outBase,
      outX,
      outY,
      filter,
      taps,
      scratch,
      x0,
      y0,
      z0,
      x1,
      y1,
      z1,
    );
    return;
  }
  // Lines along y are indexed by (z, o), along z by (y, o); line u's sample o starts an x row at
  // u * outer + o * stride. The term order depends on o only: one table per o, for every u.
  const weights = scratch;
  const sources = weights + <usize>taps * sizeof<T>();
  const rows = sources + ((<usize>taps) << 2);
  const inOuter = axis === 1 ? inX * inY : inX;
  const inStride = axis === 1 ? inX : inX * inY;
  const outOuter = axis === 1 ? outX * outY : outX;
  const outStride = axis === 1 ? outX : outX * outY;
  const n = axis === 1 ? inY : inZ;
  const uLo = axis === 1 ? z0 : y0;
  const uHi = axis === 1 ? z1 : y1;
  const oLo = axis === 1 ? y0 : z0;
  const oHi = axis === 1 ? y1 : z1;
  for (let o = oLo; o <= oHi; o++) {
    tapOrder<T>(o, n, filter, taps, weights, sources);
    for (let t = 0; t < taps; t++) {
      const sample = load<i32>(sources + ((<usize>t) << 2));
      store<usize>(rows + ((<usize>t) << 2), <usize>(sample * inStride) * sizeof<T>());
    }
    for (let u = uLo; u <= uHi; u++) {
      const lineBase = inBase + <usize>(u * inOuter) * sizeof<T>();
      const out = outBase + <usize>(u * outOuter + o * outStride) * sizeof<T>();
      accumulateRows<T>(lineBase, rows, weights, taps, out, x0, x1);
    }
  }
}

/** swtPass on float64 samples and filter. */
export function waveletPassF64(
  input: usize,
  inFirst: i32,
  inX: i32,
  inY: i32,
  inZ: i32,
  output: usize,
  outFirst: i32,
  outLast: i32,
  outX: i32,
  outY: i32,
  axis: i32,
  filter: usize,
  taps: i32,
  scratch: usize,
  x0: i32,
  y0: i32,
  z0: i32,
  x1: i32,
  y1: i32,
  z1: i32,
): void {
  swtPass<f64>(
    input,
    inFirst,
    inX,
    inY,
    inZ,
    output,
    outFirst,
    outLast,
    outX,
    outY,
    axis,
    filter,
    taps,
    scratch,
    x0,
    y0,
    z0,
    x1,
    y1,
    z1,
  );
}

/** swtPass on float32 samples and filter (C float arithmetic). */
export function waveletPassF32(
  input: usize,
  inFirst: i32,
  inX: i32,
  inY: i32,
  inZ: i32,
  output: usize,
  outFirst: i32,
  outLast: i32,
  outX: i32,
  outY: i32,
  axis: i32,
  filter: usize,
  taps: i32,
  scratch: usize,
  x0: i32,
  y0: i32,
  z0: i32,
  x1: i32,
  y1: i32,
  z1: i32,
): void {
  swtPass<f32>(
    input,
    inFirst,
    inX,
    inY,
    inZ,
    output,
    outFirst,
    outLast,
    outX,
    outY,
    axis,
    filter,
    taps,
    scratch,
    x0,
    y0,
    z0,
    x1,
    y1,
    z1,
  );
}

/**
 * np.pad(..., 'wrap') by at most one sample at the end of each axis: the volume `source` of size
 * (nx, ny, nz) copied to `padded` of size (px, py, pz), index p >= n reading index p - n.
 * `sampleBytes`: bytes per sample (any type: samples are copied, not converted).
 */
export function waveletPadWrap(
  source: usize,
  nx: i32,
  ny: i32,
  nz: i32,
  padded: usize,
  px: i32,
  py: i32,
  pz: i32,
  sampleBytes: i32,
): void {
  const lineBytes = <usize>nx * sampleBytes;
  let to = padded;
  for (let z = 0; z < pz; z++) {
    const zz = z < nz ? z : z - nz;
    for (let y = 0; y < py; y++) {
      const from = source + <usize>((zz * ny + (y < ny ? y : y - ny)) * nx) * sampleBytes;
      memory.copy(to, from, lineBytes);
      to += lineBytes;
      for (let x = nx; x < px; x++, to += sampleBytes) {
        memory.copy(to, from + <usize>(x - nx) * sampleBytes, sampleBytes);
      }
    }
  }
}
