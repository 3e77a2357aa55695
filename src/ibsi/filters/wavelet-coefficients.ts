/**
 * Filter banks of the orthogonal wavelets that IBSI-2's separable wavelet filters use (IBSI-2
 * reference manual, arXiv:2006.05470, "Separable wavelets"): Haar (= db1), Daubechies db1-db10 and
 * Coiflets coif1-coif5.
 *
 * Coefficients: PyWavelets' tables (pywt/_extensions/c/wavelets_coeffs.template.h), which IBSI's
 * reference implementation (MIRP) and consensus maps use, as the PyRadiomics mode transcribed them
 * (src/filters/wavelet-tables/, one table for both modes). Its Daubechies table was computed by
 * Kazuo Hatano (Aichi Institute of Technology) and agrees with Daubechies, "Ten Lectures on
 * Wavelets" (SIAM 1992), Table 6.1 (h_n with sum sqrt(2)); its Coiflet table (also Hatano's) is
 * normalised to sum 1 and PyWavelets multiplies it by sqrt(2).
 *
 * PyWavelets' filter bank from the scaling table h (length F, h = rec_lo):
 * dec_lo[k] = h[F-1-k], dec_hi[k] = (-1)^(F-1-k) h[k] (pywt/_extensions/c/wavelets.c).
 */
import { COIF_COEFFS } from "../../filters/wavelet-tables/coiflets.js";
import { DB_COEFFS } from "../../filters/wavelet-tables/daubechies.js";
import { IbsiSettingError } from "../types.js";

/** The analysis (decomposition) filters of a wavelet, as PyWavelets' `dec_lo` and `dec_hi`. */
export interface WaveletFilterBank {
  readonly name: string;
  /** Low-pass decomposition filter (scaling function). */
  readonly decLo: Float64Array;
  /** High-pass decomposition filter (wavelet function). */
  readonly decHi: Float64Array;
}

/** The wavelets of the IBSI mode: db1-db10 and coif1-coif5 (of the tables' db1-db38, coif1-coif17). */
const DAUBECHIES_ORDERS = 10;
const COIFLET_ORDERS = 5;

/** Wavelet names this module knows ("haar" is db1). */
export const WAVELET_NAMES: readonly string[] = [
  "haar",
  ...Array.from({ length: DAUBECHIES_ORDERS }, (_, k) => `db${k + 1}`),
  ...Array.from({ length: COIFLET_ORDERS }, (_, k) => `coif${k + 1}`),
];

/** The scaling filter h (PyWavelets' rec_lo) of a wavelet, sum sqrt(2); errors name `setting`. */
export function scalingFilter(name: string, setting = "wavelet"): Float64Array {
  const key = typeof name === "string" ? name.toLowerCase() : "";
  const match = /^(db|coif)([1-9][0-9]?)$/.exec(key === "haar" ? "db1" : key);
  const order = match ? Number(match[2]) : 0;
  if (match?.[1] === "db" && order <= DAUBECHIES_ORDERS) {
    return Float64Array.from(DB_COEFFS[order - 1]!);
  }
  if (match?.[1] === "coif" && order <= COIFLET_ORDERS) {
    return Float64Array.from(COIF_COEFFS[order - 1]!, (v) => v * Math.SQRT2);
  }
  throw new IbsiSettingError(
    `${setting}: unknown wavelet ${JSON.stringify(name)}; known: ${WAVELET_NAMES.join(", ")}`,
  );
}

/** PyWavelets' decomposition filters of a wavelet (an unknown name's error names `setting`). */
export function waveletFilterBank(name: string, setting = "wavelet"): WaveletFilterBank {
  const h = scalingFilter(name, setting);
  const length = h.length;
  const decLo = new Float64Array(length);
  const decHi = new Float64Array(length);
  for (let k = 0; k < length; k++) {
    decLo[k] = h[length - 1 - k]!;
    decHi[k] = ((length - 1 - k) % 2 === 0 ? 1 : -1) * h[k]!;
  }
  return { name: name.toLowerCase(), decLo, decHi };
}
