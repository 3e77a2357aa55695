/**
 * Distribution tails accurate in the far tails: standard normal lower / upper tail (R
 * `pnorm(z)`, `pnorm(z, lower.tail = FALSE)`) via erfc, and the χ² upper tail for integer df (R
 * `pchisq(x, df, lower.tail = FALSE)`) by closed forms. Used by the tests' p-values and the models'
 * likelihood-ratio / Wald tests.
 */
import erfc from "@stdlib/math-base-special-erfc";

const SQRT1_2 = Math.SQRT1_2;

/** Standard normal lower tail Φ(z) = erfc(−z/√2)/2. */
export function normalLowerTail(z: number): number {
  return 0.5 * erfc(-z * SQRT1_2);
}

/** Standard normal upper tail 1 − Φ(z) = erfc(z/√2)/2 (no cancellation for large z). */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z * SQRT1_2);
}

/**
 * Upper tail P(X ≥ x) of the χ² distribution with integer df (R `pchisq(x, df, lower.tail =
 * FALSE)`), by the closed forms of the regularised upper incomplete gamma function for integer
 * and half-integer shape (Abramowitz & Stegun 26.4.4 / 26.4.5): even df: e^(−x/2) Σ_{k<df/2}
 * (x/2)^k / k!; odd df: 2(1 − Φ(√x)) + 2φ(√x) Σ_{k=1}^{(df−1)/2} x^(k−½) / (1·3·…·(2k−1)).
 * Every term is positive, so the result keeps full relative accuracy in the far tail.
 */
export function chiSquareUpperTail(x: number, df: number): number {
  if (!(Number.isInteger(df) && df >= 1)) {
    throw new Error(`chiSquareUpperTail: df must be a positive integer, got ${df}`);
  }
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 1;
  if (x === Number.POSITIVE_INFINITY) return 0;
  if (df % 2 === 0) {
    const h = x / 2;
    let term = Math.exp(-h);
    let sum = term;
    for (let k = 1; k < df / 2; k++) {
      term *= h / k;
      sum += term;
    }
    return sum;
  }
  const s = Math.sqrt(x);
  let sum = 2 * normalUpperTail(s);
  if (df > 1) {
    // φ(√x) · √x^(2k−1) / (1·3·…·(2k−1)), k = 1 … (df−1)/2
    let term = (Math.exp(-x / 2) / Math.sqrt(2 * Math.PI)) * s;
    let acc = term;
    for (let k = 2; k <= (df - 1) / 2; k++) {
      term *= x / (2 * k - 1);
      acc += term;
    }
    sum += 2 * acc;
  }
  return sum;
}
