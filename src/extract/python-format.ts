/** Python number formatting that PyRadiomics feature and image names depend on. */

/** Python's str(float(x)) (shortest round-trip repr: '1.0', '0.5', '1e-05', '1e+16'). */
export function pythonFloatString(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, exponentText] = x.toExponential().split("e") as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -5 + 1 && exponent < 16) {
    // Fixed notation; JS switches to exponents only below 1e-6 / above 1e21, so this is safe.
    const fixed = String(x);
    return fixed.includes(".") ? fixed : `${fixed}.0`;
  }
  const sign = exponent < 0 ? "-" : "+";
  const digits = String(Math.abs(exponent)).padStart(2, "0");
  return `${mantissa}e${sign}${digits}`;
}
