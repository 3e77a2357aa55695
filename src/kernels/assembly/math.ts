/**
 * Elementary functions the kernels share, with exactly the results of the JavaScript engine's
 * Math functions (feature values must not change in the last bit when a loop moves here):
 * ported where that is proven bit for bit, else imported from JavaScript (a call out of
 * WebAssembly costs some nanoseconds). Never AssemblyScript's own Math: its results can differ.
 */

/**
 * Math.pow, the same function as JavaScript's `**` (V8's ieee754::pow), imported: a function
 * declared here is imported from the "math" module, which src/kernels/wasm.ts binds to
 * JavaScript's own Math functions.
 */
export declare function pow(base: f64, exponent: f64): f64;

/** Math.hypot of two and of three arguments (V8's scaled, compensated sum), imported likewise. */
export declare function hypot2(x: f64, y: f64): f64;
export declare function hypot3(x: f64, y: f64, z: f64): f64;

// log2: V8's base::ieee754::log2 (src/base/ieee754.cc), FreeBSD msun's e_log2.c (fdlibm,
// Sun Microsystems 1993), which Math.log2 calls: the same operations in the same order, so the
// result is Math.log2's bit for bit (checked against Node 20's Math.log2 on +-0, subnormals,
// every power of two, NaN, +-Infinity, negatives, MAX_VALUE, MIN_VALUE and 4 x 10^7 random
// arguments over all exponents, in (0, 1], around 1, sqrt(2), sqrt(1/2) and at p + eps).
// WebAssembly has no implicit fused multiply-add, and binaryen does not reassociate.

/** 2^54, to scale subnormal arguments into the normal range. */
const TWO54: f64 = 18014398509481984; // 0x43500000 00000000
/** 1 / ln 2 split: the high part has its low 32 bits clear, the low part the rest. */
const IVLN2HI: f64 = 1.4426950407214463; // 0x3ff71547 65200000
const IVLN2LO: f64 = 1.6751713164886512e-10; // 0x3de705fc 2eefa200
// Remez polynomial coefficients of k_log1p (|error| < 2^-58.45, msun's k_log.h); fdlibm's bit
// patterns beside the shortest decimals that give them.
const LG1: f64 = 0.6666666666666735; // 0x3fe55555 55555593
const LG2: f64 = 0.3999999999940942; // 0x3fd99999 9997fa04
const LG3: f64 = 0.2857142874366239; // 0x3fd24924 94229359
const LG4: f64 = 0.22222198432149784; // 0x3fcc71c5 1d8e78af
const LG5: f64 = 0.1818357216161805; // 0x3fc74664 96cb03de
const LG6: f64 = 0.15313837699209373; // 0x3fc39a09 d078c69f
const LG7: f64 = 0.14798198605116586; // 0x3fc2f112 df3e5244

/**
 * log(1 + f) - f + f^2 / 2 for 1 + f in [sqrt(2)/2, sqrt(2)] (msun's k_log1p): with
 * s = f / (2 + f), log(1 + f) = 2s + s R(s^2), R a polynomial of degree 7 in s^2.
 */
function kLog1p(f: f64): f64 {
  const s = f / (2.0 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  const hfsq = 0.5 * f * f;
  return s * (hfsq + r);
}

/**
 * Math.log2(x), bit for bit: x = 2^k (1 + f) with 1 + f in [sqrt(2)/2, sqrt(2)), then
 * log2(x) = k + (f - f^2/2 + k_log1p(f)) / ln 2, the leading part split so that adding k and
 * multiplying by 1 / ln 2 lose nothing.
 */
export function log2(x: f64): f64 {
  let hx = <i32>(reinterpret<u64>(x) >> 32);
  const lx = <u32>reinterpret<u64>(x);
  let k: i32 = 0;
  if (hx < 0x00100000) {
    // x < 2^-1022: zero, subnormal or negative.
    if (((hx & 0x7fffffff) | lx) === 0) return -Infinity;
    if (hx < 0) return NaN;
    k -= 54;
    x *= TWO54;
    hx = <i32>(reinterpret<u64>(x) >> 32);
  }
  if (hx >= 0x7ff00000) return x + x;
  if (hx === 0x3ff00000 && lx === 0) return 0;
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  // Normalise x or x / 2 to [sqrt(2)/2, sqrt(2)) (0x6a09e: sqrt(2)'s high mantissa bits).
  const i = (hx + 0x95f64) & 0x100000;
  x = reinterpret<f64>(((<u64>(hx | (i ^ 0x3ff00000))) << 32) | (reinterpret<u64>(x) & 0xffffffff));
  k += i >> 20;
  const y = <f64>k;
  const f = x - 1.0;
  const hfsq = 0.5 * f * f;
  const r = kLog1p(f);
  // f - hfsq as hi + lo, hi with its low word cleared (exact products with IVLN2HI's 21 bits).
  const hi = reinterpret<f64>(reinterpret<u64>(f - hfsq) & 0xffffffff00000000);
  const lo = f - hi - hfsq + r;
  let valHi = hi * IVLN2HI;
  let valLo = (lo + hi) * IVLN2LO + lo * IVLN2HI;
  // y + valHi normalised as a double-double (Dekker), then summed.
  const w = y + valHi;
  valLo += y - w + valHi;
  valHi = w;
  return valLo + valHi;
}
