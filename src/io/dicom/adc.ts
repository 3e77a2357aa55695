/**
 * Trace-weighted images and apparent diffusion coefficient (ADC) maps from diffusion volumes.
 *
 * Model: mono-exponential decay S(b) = S0 exp(-b ADC) (Stejskal-Tanner), so ln S is linear in b
 * with slope -ADC. With b in s/mm^2 the ADC is in mm^2/s; radscore reports it by default in
 * 10^-6 mm^2/s (= um^2/s), the unit scanners store their ADC maps in (integers such as 800 for
 * 0.8e-3 mm^2/s), so that features computed on a radscore ADC map and on a scanner's agree.
 * `units: "mm2/s"` gives mm^2/s instead.
 */
import { type Volume, type VoxelArray, withData } from "../../image/volume.js";

function checkSameGrid(volumes: readonly Volume[], what: string): void {
  if (volumes.length === 0) throw new Error(`${what}: no volumes given`);
  const first = volumes[0]!;
  volumes.forEach((v, k) => {
    if (v.size.some((n, i) => n !== first.size[i])) {
      throw new Error(
        `${what}: volume ${k} has size ${v.size.join("x")}, volume 0 ${first.size.join("x")}`,
      );
    }
    const near = (a: readonly number[], b: readonly number[]) =>
      a.every((x, i) => Math.abs(x - b[i]!) <= 1e-4 * Math.max(1, Math.abs(x)));
    if (
      !near(v.spacing, first.spacing) ||
      !near(v.origin, first.origin) ||
      !near(v.direction, first.direction)
    ) {
      throw new Error(
        `${what}: volume ${k} does not share volume 0's geometry (spacing, origin, direction)`,
      );
    }
  });
}

/**
 * The trace-weighted image of the diffusion-weighted volumes of one b-value (one per gradient
 * direction): the voxel-wise geometric mean
 *
 *   T = (S_1 S_2 ... S_N)^(1/N) = exp(mean_i ln S_i),
 *
 * which is how scanners form their trace (isotropic) image: for S_i = S0 exp(-b g_i' D g_i) over
 * directions whose outer products average to I/3, T = S0 exp(-b trace(D)/3). Voxels where any
 * S_i <= 0 (the logarithm is undefined) are 0. Float32, with the first volume's geometry.
 */
export function traceWeighted(volumes: readonly Volume[]): Volume<Float32Array> {
  checkSameGrid(volumes, "trace-weighted image");
  const n = volumes[0]!.data.length;
  const out = new Float32Array(n);
  const count = volumes.length;
  const data: VoxelArray[] = volumes.map((v) => v.data);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let valid = true;
    for (let k = 0; k < count; k++) {
      const s = data[k]![i]!;
      if (!(s > 0)) {
        valid = false;
        break;
      }
      sum += Math.log(s);
    }
    out[i] = valid ? Math.exp(sum / count) : 0;
  }
  return withData(volumes[0]!, out);
}

export type AdcUnits = "1e-6 mm2/s" | "mm2/s";

export interface AdcOptions {
  /** Signals at or below this value (and always <= 0) make a voxel invalid (default 0). */
  floor?: number;
  /** The value written to invalid voxels (default 0, what scanners write outside the body). */
  invalidValue?: number;
  /** Unit of the map (default "1e-6 mm2/s", scanners' unit; "mm2/s" for SI-style values). */
  units?: AdcUnits;
}

export interface AdcResult {
  /** The ADC map, Float32, with the first volume's geometry. */
  volume: Volume<Float32Array>;
  /** Human-readable unit of the values: "10^-6 mm²/s" or "mm²/s". */
  units: string;
  /** Voxels where some signal was <= floor (or not finite): set to invalidValue. */
  invalidVoxels: number;
  invalidValue: number;
}

/**
 * The ADC map of volumes acquired at `bvalues` (s/mm^2; one volume per b-value entry, repeats
 * allowed, at least two distinct b-values), by ordinary least squares of ln S on b in every voxel:
 *
 *   ADC = -slope = -sum_i (b_i - mean b) ln S_i / sum_i (b_i - mean b)^2.
 *
 * With exactly two b-values this is ADC = ln(S0 / S1) / (b1 - b0). Negative ADCs (signal rising
 * with b, noise) are kept as computed. Voxels where any signal is <= `floor` (default 0) get
 * `invalidValue` (default 0) and are counted in `invalidVoxels`.
 */
export function adcMap(
  volumes: readonly Volume[],
  bvalues: readonly number[],
  options: AdcOptions = {},
): AdcResult {
  if (volumes.length !== bvalues.length) {
    throw new Error(`ADC map: ${volumes.length} volume(s) but ${bvalues.length} b-value(s)`);
  }
  if (bvalues.some((b) => !Number.isFinite(b) || b < 0)) {
    throw new Error(`ADC map: b-values must be finite and >= 0, got ${bvalues.join(", ")}`);
  }
  if (new Set(bvalues).size < 2) throw new Error("ADC map: needs at least two different b-values");
  checkSameGrid(volumes, "ADC map");
  // The logarithm needs S > 0 whatever the floor.
  const floor = Math.max(0, options.floor ?? 0);
  const invalidValue = options.invalidValue ?? 0;
  const units = options.units ?? "1e-6 mm2/s";
  const scale = units === "mm2/s" ? 1 : 1e6;
  const count = bvalues.length;
  const mean = bvalues.reduce((a, b) => a + b, 0) / count;
  const centred = bvalues.map((b) => b - mean);
  const sxx = centred.reduce((a, c) => a + c * c, 0);
  // ADC = -sum(w_i ln S_i) with w_i = (b_i - mean) / sxx, scaled to the output unit.
  const weights = centred.map((c) => (-c / sxx) * scale);
  const data: VoxelArray[] = volumes.map((v) => v.data);
  const n = data[0]!.length;
  const out = new Float32Array(n);
  let invalid = 0;
  for (let i = 0; i < n; i++) {
    let adc = 0;
    let valid = true;
    for (let k = 0; k < count; k++) {
      const s = data[k]![i]!;
      if (!(s > floor) || !Number.isFinite(s)) {
        valid = false;
        break;
      }
      adc += weights[k]! * Math.log(s);
    }
    if (valid) out[i] = adc;
    else {
      out[i] = invalidValue;
      invalid++;
    }
  }
  return {
    volume: withData(volumes[0]!, out),
    units: units === "mm2/s" ? "mm²/s" : "10^-6 mm²/s",
    invalidVoxels: invalid,
    invalidValue,
  };
}
