/** Text values the DICOM writers format: decimal and integer strings, dates and times. */

// ---------------------------------------------------------------------------------------------
// Value formatting (PS3.5 6.2).

/**
 * A Decimal String of at most 16 characters: the shortest representation of the number when it
 * fits, else the number rounded to as many significant digits as fit.
 */
export function formatDecimalString(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`DS value ${x} is not a finite number`);
  if (Object.is(x, -0)) x = 0;
  const s = String(x);
  if (s.length <= 16) return s;
  for (let p = 15; p >= 1; p--) {
    // The number rounded to p significant digits, in whichever of fixed and exponent notation
    // (both allowed by PS3.5 table 6.2-1) is shorter.
    const r = Number(x.toPrecision(p));
    const fixed = String(r);
    const exponent = r.toExponential();
    const best = exponent.length < fixed.length ? exponent : fixed;
    if (best.length <= 16) return best;
  }
  throw new Error(`DS value ${x} does not fit in 16 characters`);
}

export function formatIntegerString(x: number): string {
  if (!Number.isInteger(x) || x < -(2 ** 31) || x > 2 ** 31 - 1) {
    throw new Error(`IS value ${x} is not a 32-bit integer`);
  }
  return String(x);
}

export const pad = (n: number, width: number) => String(n).padStart(width, "0");

export const MICROS_PER_DAY = 86_400_000_000;

/** A date (DA) and time (TM) as microseconds since 1970-01-01T00:00 (in the scanner's local time). */
export function parseDateTime(what: string, date: string, time: string): number {
  const d = /^(\d{4})(\d{2})(\d{2})$/.exec(date);
  if (!d) throw new Error(`${what} date "${date}" is not YYYYMMDD`);
  const [y, m, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const ms = Date.UTC(y, m - 1, day);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== day) {
    throw new Error(`${what} date "${date}" is not a calendar date`);
  }
  const t = /^(\d{2})(\d{2})(\d{2})(?:\.(\d{1,6}))?$/.exec(time);
  if (!t) throw new Error(`${what} time "${time}" is not HHMMSS[.ffffff]`);
  const [hh, mm, ss] = [Number(t[1]), Number(t[2]), Number(t[3])];
  if (hh > 23 || mm > 59 || ss > 59) throw new Error(`${what} time "${time}" is not a time of day`);
  const micros = Number((t[4] ?? "").padEnd(6, "0"));
  return (ms / 86_400_000) * MICROS_PER_DAY + ((hh * 60 + mm) * 60 + ss) * 1e6 + micros;
}

/**
 * DA and TM of a point in time. `fractionDigits` follows the vendor: Philips writes hundredths
 * ("101530.24"), Siemens microseconds ("101530.240000").
 */
export function formatDateTime(
  micros: number,
  fractionDigits: number,
): { date: string; time: string } {
  const unit = 10 ** (6 - fractionDigits);
  const rounded = Math.round(micros / unit) * unit;
  const days = Math.floor(rounded / MICROS_PER_DAY);
  let rest = rounded - days * MICROS_PER_DAY;
  const day = new Date(days * 86_400_000);
  const date = `${pad(day.getUTCFullYear(), 4)}${pad(day.getUTCMonth() + 1, 2)}${pad(day.getUTCDate(), 2)}`;
  const hh = Math.floor(rest / 3.6e9);
  rest -= hh * 3.6e9;
  const mm = Math.floor(rest / 6e7);
  rest -= mm * 6e7;
  const ss = Math.floor(rest / 1e6);
  const frac = Math.round(rest - ss * 1e6) / unit;
  const time = `${pad(hh, 2)}${pad(mm, 2)}${pad(ss, 2)}${fractionDigits > 0 ? `.${pad(frac, fractionDigits)}` : ""}`;
  return { date, time };
}

export function nowDateTime(): { date: string; time: string } {
  const n = new Date();
  return {
    date: `${pad(n.getFullYear(), 4)}${pad(n.getMonth() + 1, 2)}${pad(n.getDate(), 2)}`,
    time: `${pad(n.getHours(), 2)}${pad(n.getMinutes(), 2)}${pad(n.getSeconds(), 2)}`,
  };
}
