/**
 * Spherical harmonics as scipy 1.10 `scipy.special.sph_harm(m, n, theta, phi)` evaluates them
 * (scipy/special/sph_harm.pxd), with the associated Legendre function of specfun's LPMV/LPMV0
 * (Zhang & Jin, "Computation of Special Functions", 1996) and cephes' poch.
 *
 * Convention (scipy's): theta is the azimuthal angle, phi the polar one:
 * Y_n^m(theta, phi) = sqrt((2n + 1) / (4 pi) * (n - m)! / (n + m)!) * P_n^m(cos phi) * e^{i m theta},
 * with the Condon-Shortley phase inside P_n^m, and Y_n^{-m} from P_n^{|m|} times
 * (-1)^|m| * poch(n + |m| + 1, -2|m|).
 */

/** cephes poch(a, m) = Gamma(a + m) / Gamma(a) for the integer m that sph_harm needs. */
export function poch(a: number, m: number): number {
  if (!Number.isInteger(m)) throw new Error(`poch: only integer m is supported, got ${m}`);
  let r = 1.0;
  let mm = m;
  while (mm >= 1.0) {
    if (a + mm === 1) break;
    mm -= 1.0;
    r *= a + mm;
    if (!Number.isFinite(r) || r === 0) break;
  }
  while (mm <= -1.0) {
    if (a + mm === 0) break;
    r /= a + mm;
    mm += 1.0;
    if (!Number.isFinite(r) || r === 0) break;
  }
  if (mm === 0) return r;
  // a + mm is then 0 or 1 with the integer arguments of sph_harm: Gamma ratio of integers.
  throw new Error(`poch(${a}, ${m}): non-integer remainder is not supported`);
}

/** specfun LPMV0: P_v^m(x) for integer degree v >= m >= 0 (DLMF 14.3.4 series in (1 + x)). */
function lpmv0(v: number, m: number, x: number): number {
  const nv = Math.trunc(v);
  let c0 = 1.0;
  if (m !== 0) {
    let rg = v * (v + m);
    for (let j = 1; j <= m - 1; j++) rg = rg * (v * v - j * j);
    const xq = Math.sqrt(1.0 - x * x);
    let r0 = 1.0;
    for (let j = 1; j <= m; j++) r0 = (0.5 * r0 * xq) / j;
    c0 = r0 * rg;
  }
  let pmv = 1.0;
  let r = 1.0;
  for (let k = 1; k <= nv - m; k++) {
    r = ((0.5 * r * (-nv + m + k - 1.0) * (nv + m + k)) / (k * (k + m))) * (1.0 + x);
    pmv = pmv + r;
  }
  const sign = nv % 2 === 0 ? 1 : -1;
  return sign * c0 * pmv;
}

/**
 * specfun LPMV for integer degree n >= 0 and order 0 <= m: up-recursion on the degree
 * (DLMF 14.10.3) from P_m^m, P_{m+1}^m when n > 2 and n > m, else LPMV0. Zero for m > n.
 */
export function associatedLegendre(m: number, n: number, x: number): number {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 0 || n < 0) {
    throw new Error(`associatedLegendre: need integers n >= 0, m >= 0 (got n=${n}, m=${m})`);
  }
  if (n > 2 && n > m) {
    let p0 = lpmv0(m, m, x);
    let p1 = lpmv0(m + 1, m, x);
    let pmv = p1;
    for (let j = m + 2; j <= n; j++) {
      pmv = ((2 * (0 + j) - 1) * x * p1 - (0 + j - 1 + m) * p0) / (0 + j - m);
      p0 = p1;
      p1 = pmv;
    }
    return pmv;
  }
  return lpmv0(n, m, x);
}

/**
 * scipy.special.sph_harm(m, n, theta, phi) for integer |m| <= n: returns [re, im] of
 * P * (prefactor) * sqrt((2n+1)/4/pi) * sqrt(poch(n+m+1, -2m)) * exp(i m theta),
 * multiplied in scipy's order.
 */
export function sphericalHarmonic(
  m: number,
  n: number,
  theta: number,
  phi: number,
): [number, number] {
  if (!Number.isInteger(m) || !Number.isInteger(n) || n < 0 || Math.abs(m) > n) {
    throw new Error(`sphericalHarmonic: need integers n >= 0 and |m| <= n (got n=${n}, m=${m})`);
  }
  const x = cosRounded(phi);
  const mp = Math.abs(m);
  let val = associatedLegendre(mp, n, x);
  if (m < 0) {
    const prefactor = (mp % 2 === 0 ? 1 : -1) * poch(n + mp + 1, -2 * mp);
    val *= prefactor;
  }
  val *= Math.sqrt((2 * n + 1) / 4.0 / Math.PI);
  val *= Math.sqrt(poch(n + m + 1, -2 * m));
  // exp(i m theta) as glibc cexp(0 + i m theta) = (cos, sin); tiny arguments keep (1, arg).
  const angle = m * theta;
  if (Math.abs(angle) > 2.2250738585072014e-308) {
    return [val * cosRounded(angle), val * sinRounded(angle)];
  }
  return [val * 1, val * angle];
}

// ---------------------------------------------------------------------------------------------
// Correctly rounded elementary functions (glibc's libm, which numpy and scipy call, returns the
// correctly rounded double for these; V8's fdlibm ports are sometimes one ulp off). Evaluated in
// 256-bit binary fixed point with BigInt, then rounded to nearest-even. Meant for a handful of
// calls (the icosphere's angles), not for hot loops.
// ---------------------------------------------------------------------------------------------

const FRAC = 256n;
const ONE = 1n << FRAC;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * A finite double as sign, integer significand and exponent: |x| = mant * 2^e exactly (IEEE 754
 * binary64 fields; subnormals have no implicit bit and e = -1074).
 */
function decomposeDouble(x: number): { negative: boolean; mant: bigint; e: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e = -1074;
  if (biased !== 0) {
    mant |= 1n << 52n;
    e = biased - 1075;
  }
  return { negative: hi >>> 31 === 1, mant, e };
}

/** The exact value of a finite double as n / 2^256 (truncated below 2^-256). */
function toFixed(x: number): bigint {
  if (x === 0) return 0n;
  const { negative, mant, e } = decomposeDouble(x);
  const shift = BigInt(e) + FRAC;
  const v = shift >= 0n ? mant << shift : mant >> -shift;
  return negative ? -v : v;
}

/** round-to-nearest-even of n * 2^e as a double (normal range). */
function roundScaled(n: bigint, e: number): number {
  if (n === 0n) return 0;
  const neg = n < 0n;
  const a = neg ? -n : n;
  const shift = bitLength(a) - 53;
  let q: bigint;
  if (shift > 0) {
    const s = BigInt(shift);
    q = a >> s;
    const rem = a - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  } else {
    q = a << BigInt(-shift);
  }
  const r = Number(q) * 2 ** (shift + e);
  return neg ? -r : r;
}

const fromFixed = (n: bigint): number => roundScaled(n, -256);
/** Fixed-point product, truncated toward zero (series terms must reach 0 for either sign). */
const mul = (a: bigint, b: bigint): bigint => (a * b) / ONE;
const div = (a: bigint, b: bigint): bigint => (a << FRAC) / b;

function bigSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}
const sqrtFixed = (a: bigint): bigint => bigSqrt(a << FRAC);

/** atan(t) by its Taylor series, for small |t|. */
function atanSeries(t: bigint): bigint {
  const t2 = mul(t, t);
  let term = t;
  let sum = 0n;
  for (let k = 0n; term !== 0n; k++) {
    const d = term / (2n * k + 1n);
    sum += k % 2n === 0n ? d : -d;
    term = mul(term, t2);
  }
  return sum;
}

/** Machin: pi = 16 atan(1/5) - 4 atan(1/239). */
const PI_FIXED = 16n * atanSeries(ONE / 5n) - 4n * atanSeries(ONE / 239n);
const HALF_PI_FIXED = PI_FIXED >> 1n;

/** atan(t) for |t| <= 1: four argument halvings t -> t / (1 + sqrt(1 + t^2)), then the series. */
function atanFixed(t: bigint): bigint {
  let r = t;
  for (let i = 0; i < 4; i++) r = div(r, ONE + sqrtFixed(ONE + mul(r, r)));
  return atanSeries(r) << 4n;
}

function atan2Fixed(y: bigint, x: bigint): bigint {
  const ay = y < 0n ? -y : y;
  const ax = x < 0n ? -x : x;
  if (ay <= ax) {
    const a = atanFixed(div(y, x));
    if (x > 0n) return a;
    return y >= 0n ? a + PI_FIXED : a - PI_FIXED;
  }
  return (y > 0n ? HALF_PI_FIXED : -HALF_PI_FIXED) - atanFixed(div(x, y));
}

/** Correctly rounded atan2(y, x); zero arguments and non-finite ones follow IEEE (Math.atan2). */
export function atan2Rounded(y: number, x: number): number {
  if (y === 0 || x === 0 || !Number.isFinite(x) || !Number.isFinite(y)) return Math.atan2(y, x);
  return fromFixed(atan2Fixed(toFixed(y), toFixed(x)));
}

/** Correctly rounded acos(z) = atan2(sqrt(1 - z^2), z) for |z| < 1; NaN beyond [-1, 1]. */
export function acosRounded(z: number): number {
  if (!(Math.abs(z) < 1)) return Math.acos(z);
  const zf = toFixed(z);
  return fromFixed(atan2Fixed(sqrtFixed(ONE - mul(zf, zf)), zf));
}

/** sin and cos of x in fixed point: reduction by the nearest multiple of pi/2, Taylor series. */
function sinCosFixed(x: number): [bigint, bigint] {
  const xf = toFixed(x);
  const k = (div(xf, HALF_PI_FIXED) + ONE / 2n) >> FRAC;
  const r = xf - k * HALF_PI_FIXED;
  const r2 = mul(r, r);
  let s = 0n;
  let term = r;
  for (let n = 1n; term !== 0n; n += 2n) {
    s += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  let c = 0n;
  term = ONE;
  for (let n = 0n; term !== 0n; n += 2n) {
    c += term;
    term = -mul(term, r2) / ((n + 1n) * (n + 2n));
  }
  switch (Number(((k % 4n) + 4n) % 4n)) {
    case 0:
      return [s, c];
    case 1:
      return [c, -s];
    case 2:
      return [-s, -c];
    default:
      return [-c, s];
  }
}

/** Correctly rounded sin(x) for moderate |x| (here: angles of a few pi). */
export function sinRounded(x: number): number {
  if (x === 0 || !Number.isFinite(x)) return Math.sin(x);
  return fromFixed(sinCosFixed(x)[0]);
}

/** Correctly rounded cos(x) for moderate |x|. */
export function cosRounded(x: number): number {
  if (!Number.isFinite(x)) return Math.cos(x);
  if (x === 0) return 1;
  return fromFixed(sinCosFixed(x)[1]);
}

/** Correctly rounded x^k for a double x and a non-negative integer k (exact power, then rounded). */
export function powIntRounded(x: number, k: number): number {
  if (!Number.isInteger(k) || k < 0) throw new Error(`powIntRounded: bad exponent ${k}`);
  if (k === 0) return 1;
  if (x === 0 || !Number.isFinite(x)) return x ** k;
  const { negative, mant, e } = decomposeDouble(x);
  const magnitude = mant ** BigInt(k);
  const exponent = e * k;
  const negativeResult = negative && k % 2 === 1;
  // Results below the normal range (|x|^k < 2^-1022) are returned as 0 (signed).
  if (bitLength(magnitude) + exponent < -1021) return negativeResult ? -0 : 0;
  const r = roundScaled(magnitude, exponent);
  return negativeResult ? -r : r;
}
