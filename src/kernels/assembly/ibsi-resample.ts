/**
 * The passes of IBSI mode's separable resampling (src/ibsi/processing/resample.ts documents the
 * method: lines extended by edge voxels or zeros, Unser's cubic B-spline prefilter, then the
 * kernel's taps at the output positions), on blocks of lines side by side ([index][lane]). Every
 * value goes through the same operations in the same order as the TypeScript it replaced, with the
 * taps and the prefilter's constants computed in TypeScript, so the results are the same bit for
 * bit.
 *
 * Shared arguments of both passes: `length` = low + n + high (the extended line), `edge` (1: edge
 * extension, 0: zeros), `spline` (1: cubic B-spline prefilter with pole z, z^(n' - 1) as zn1 for
 * the extended length n', z / (z^2 - 1) as anticausal, `horizon` terms of the initial sum), `gain`
 * (applied as the samples are copied in), `taps` per output position with first tap `first` (i32)
 * and weights (f64, taps per position), `count` output positions; `line` and `sum` are scratch.
 */

function at(base: usize, i: i32): usize {
  return base + ((<usize>i) << 3);
}

/** Fills the padding blocks of a block of extended lines with the edge blocks, or zeros. */
function extendLines(line: usize, n: i32, width: i32, low: i32, high: i32, edge: i32): void {
  const bytes = (<usize>width) << 3;
  const end = low + n;
  if (edge) {
    for (let p = 0; p < low; p++) memory.copy(at(line, p * width), at(line, low * width), bytes);
    for (let p = 0; p < high; p++)
      memory.copy(at(line, (end + p) * width), at(line, (end - 1) * width), bytes);
  } else {
    memory.fill(line, 0, <usize>low * bytes);
    memory.fill(at(line, end * width), 0, <usize>high * bytes);
  }
}

/**
 * Samples (already multiplied by the gain) to cubic B-spline coefficients in place: n blocks of
 * `width` values, the causal initial sum over the mirrored line, then the causal and anticausal
 * recursions (Unser, Aldroubi & Eden 1991; scipy.ndimage.spline_filter1d, order 3).
 */
function splineCoefficients(
  c: usize,
  n: i32,
  width: i32,
  sum: usize,
  z: f64,
  zn1: f64,
  anticausal: f64,
  horizon: i32,
): void {
  const total = n * width;
  const last = (n - 1) * width;
  if (n - 1 <= horizon) {
    for (let a = 0; a < width; a++)
      store<f64>(at(sum, a), load<f64>(at(c, a)) + zn1 * load<f64>(at(c, last + a)));
    let zi = z;
    for (let i = 1; i < n - 1; i++) {
      const row = i * width;
      const mirrored = (n - 1 - i) * width;
      for (let a = 0; a < width; a++) {
        const s = at(sum, a);
        store<f64>(
          s,
          load<f64>(s) + zi * (load<f64>(at(c, row + a)) + zn1 * load<f64>(at(c, mirrored + a))),
        );
      }
      zi *= z;
    }
    const norm = 1 - zn1 * zn1;
    for (let a = 0; a < width; a++) store<f64>(at(c, a), load<f64>(at(sum, a)) / norm);
  } else {
    for (let a = 0; a < width; a++) store<f64>(at(sum, a), load<f64>(at(c, a)));
    let zi = z;
    for (let i = 1; i < horizon; i++) {
      const row = i * width;
      for (let a = 0; a < width; a++) {
        const s = at(sum, a);
        store<f64>(s, load<f64>(s) + zi * load<f64>(at(c, row + a)));
      }
      zi *= z;
    }
    for (let a = 0; a < width; a++) store<f64>(at(c, a), load<f64>(at(sum, a)));
  }
  for (let i = width; i < total; i++) {
    const p = at(c, i);
    store<f64>(p, load<f64>(p) + z * load<f64>(at(c, i - width)));
  }
  for (let a = 0; a < width; a++) {
    const p = at(c, last + a);
    store<f64>(p, (z * load<f64>(at(c, last - width + a)) + load<f64>(p)) * anticausal);
  }
  for (let i = last - 1; i >= 0; i--) {
    const p = at(c, i);
    store<f64>(p, z * (load<f64>(at(c, i + width)) - load<f64>(p)));
  }
}

/**
 * The taps at every output position of a block of extended lines (`width` lanes): lane a of
 * position j goes to out[outStart + a laneStep + j positionStep].
 */
function evaluateBlock(
  line: usize,
  width: i32,
  taps: i32,
  first: usize,
  weights: usize,
  count: i32,
  out: usize,
  outStart: i32,
  laneStep: i32,
  positionStep: i32,
): void {
  for (let j = 0; j < count; j++) {
    const f = load<i32>(first + ((<usize>j) << 2)) * width;
    const base = outStart + j * positionStep;
    if (taps === 1) {
      for (let a = 0; a < width; a++)
        store<f64>(at(out, base + a * laneStep), load<f64>(at(line, f + a)));
    } else if (taps === 2) {
      const w0 = load<f64>(at(weights, 2 * j));
      const w1 = load<f64>(at(weights, 2 * j + 1));
      const f1 = f + width;
      for (let a = 0; a < width; a++)
        store<f64>(
          at(out, base + a * laneStep),
          w0 * load<f64>(at(line, f + a)) + w1 * load<f64>(at(line, f1 + a)),
        );
    } else {
      const w0 = load<f64>(at(weights, 4 * j));
      const w1 = load<f64>(at(weights, 4 * j + 1));
      const w2 = load<f64>(at(weights, 4 * j + 2));
      const w3 = load<f64>(at(weights, 4 * j + 3));
      const f1 = f + width;
      const f2 = f1 + width;
      const f3 = f2 + width;
      for (let a = 0; a < width; a++)
        store<f64>(
          at(out, base + a * laneStep),
          w0 * load<f64>(at(line, f + a)) +
            w1 * load<f64>(at(line, f1 + a)) +
            w2 * load<f64>(at(line, f2 + a)) +
            w3 * load<f64>(at(line, f3 + a)),
        );
    }
  }
}

/** Extension, prefilter and taps of one block of `width` lines (their samples already in place). */
function finishBlock(
  line: usize,
  n: i32,
  width: i32,
  low: i32,
  high: i32,
  edge: i32,
  spline: i32,
  z: f64,
  zn1: f64,
  anticausal: f64,
  horizon: i32,
  sum: usize,
  taps: i32,
  first: usize,
  weights: usize,
  count: i32,
  out: usize,
  outStart: i32,
  laneStep: i32,
  positionStep: i32,
): void {
  extendLines(line, n, width, low, high, edge);
  if (spline) splineCoefficients(line, low + n + high, width, sum, z, zn1, anticausal, horizon);
  evaluateBlock(line, width, taps, first, weights, count, out, outStart, laneStep, positionStep);
}

/**
 * The x pass over the rows (nx voxels each, `rows` of them, contiguous) of `source`: `maxLanes`
 * rows at a time side by side (`line` holds maxLanes extended rows); row r's outputs at
 * out[r count + j].
 */
export function ibsiResampleRows(
  source: usize,
  nx: i32,
  rows: i32,
  maxLanes: i32,
  low: i32,
  high: i32,
  edge: i32,
  spline: i32,
  gain: f64,
  z: f64,
  zn1: f64,
  anticausal: f64,
  horizon: i32,
  taps: i32,
  first: usize,
  weights: usize,
  count: i32,
  out: usize,
  line: usize,
  sum: usize,
): void {
  for (let r0 = 0; r0 < rows; r0 += maxLanes) {
    const lanes = min(maxLanes, rows - r0);
    for (let l = 0; l < lanes; l++) {
      const from = (r0 + l) * nx;
      for (let i = 0, to = low * lanes + l; i < nx; i++, to += lanes)
        store<f64>(at(line, to), gain * load<f64>(at(source, from + i)));
    }
    finishBlock(
      line,
      nx,
      lanes,
      low,
      high,
      edge,
      spline,
      z,
      zn1,
      anticausal,
      horizon,
      sum,
      taps,
      first,
      weights,
      count,
      out,
      r0 * count,
      count,
      1,
    );
  }
}

/**
 * The y or z pass of a contiguous grid: `slabs` slabs of n blocks of `width` contiguous values
 * (the axes below); slab b's outputs at out[b count width + j width + a].
 */
export function ibsiResampleBlocks(
  data: usize,
  n: i32,
  width: i32,
  slabs: i32,
  low: i32,
  high: i32,
  edge: i32,
  spline: i32,
  gain: f64,
  z: f64,
  zn1: f64,
  anticausal: f64,
  horizon: i32,
  taps: i32,
  first: usize,
  weights: usize,
  count: i32,
  out: usize,
  line: usize,
  sum: usize,
): void {
  const values = n * width;
  for (let b = 0; b < slabs; b++) {
    const slab = b * values;
    const to = low * width;
    for (let i = 0; i < values; i++)
      store<f64>(at(line, to + i), gain * load<f64>(at(data, slab + i)));
    finishBlock(
      line,
      n,
      width,
      low,
      high,
      edge,
      spline,
      z,
      zn1,
      anticausal,
      horizon,
      sum,
      taps,
      first,
      weights,
      count,
      out,
      b * count * width,
      1,
      width,
    );
  }
}
