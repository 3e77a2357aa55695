/**
 * Comparison of computed values with golden values: |got - ref| <= rel * |ref| + abs.
 * Golden JSON spells non-finite values as "Inf", "-Inf", "NaN", "NA"; those must match exactly
 * (NA and NaN both mean "not a number" on our side).
 */

export interface Tolerance {
  rel: number;
  abs?: number;
}

export type GoldenValue =
  | number
  | string
  | null
  | boolean
  | GoldenValue[]
  | { [k: string]: GoldenValue };

export function goldenNumber(v: GoldenValue): number {
  if (typeof v === "number") return v;
  if (v === "Inf") return Number.POSITIVE_INFINITY;
  if (v === "-Inf") return Number.NEGATIVE_INFINITY;
  if (v === "NaN" || v === "NA" || v === null) return Number.NaN;
  throw new Error(`not a number: ${JSON.stringify(v)}`);
}

export class Comparator {
  readonly failures: string[] = [];
  compared = 0;

  /** Compare a number (or nested arrays/objects of numbers) at `path`. */
  check(path: string, got: unknown, ref: GoldenValue, tol: Tolerance): void {
    if (Array.isArray(ref)) {
      if (!Array.isArray(got) && !ArrayBuffer.isView(got)) {
        this.failures.push(`${path}: expected an array of ${ref.length}, got ${describe(got)}`);
        return;
      }
      const arr = got as ArrayLike<unknown>;
      if (arr.length !== ref.length) {
        this.failures.push(`${path}: expected length ${ref.length}, got ${arr.length}`);
        return;
      }
      ref.forEach((r, i) => {
        this.check(`${path}[${i}]`, arr[i], r, tol);
      });
      return;
    }
    if (ref !== null && typeof ref === "object") {
      if (got === null || typeof got !== "object") {
        this.failures.push(`${path}: expected an object, got ${describe(got)}`);
        return;
      }
      for (const [k, r] of Object.entries(ref)) {
        this.check(`${path}.${k}`, (got as Record<string, unknown>)[k], r, tol);
      }
      return;
    }
    if (typeof ref === "string" && !["Inf", "-Inf", "NaN", "NA"].includes(ref)) {
      this.compared++;
      if (got !== ref) this.failures.push(`${path}: expected '${ref}', got ${describe(got)}`);
      return;
    }
    if (typeof ref === "boolean") {
      this.compared++;
      if (got !== ref) this.failures.push(`${path}: expected ${ref}, got ${describe(got)}`);
      return;
    }
    const expected = goldenNumber(ref);
    this.compared++;
    if (typeof got !== "number") {
      this.failures.push(`${path}: expected ${expected}, got ${describe(got)}`);
      return;
    }
    if (Number.isNaN(expected)) {
      if (!Number.isNaN(got)) this.failures.push(`${path}: expected NaN/NA, got ${got}`);
      return;
    }
    if (!Number.isFinite(expected)) {
      if (got !== expected) this.failures.push(`${path}: expected ${expected}, got ${got}`);
      return;
    }
    const abs = tol.abs ?? 1e-12;
    if (!(Math.abs(got - expected) <= tol.rel * Math.abs(expected) + abs)) {
      this.failures.push(
        `${path}: expected ${expected}, got ${got} (rel diff ${(Math.abs(got - expected) / Math.max(Math.abs(expected), 1e-300)).toExponential(2)}, tol rel ${tol.rel} abs ${abs})`,
      );
    }
  }

  fail(message: string): void {
    this.failures.push(message);
  }
}

function describe(v: unknown): string {
  if (v === undefined) return "nothing (undefined)";
  if (typeof v === "string") return `'${v}'`;
  if (typeof v === "object" && v !== null)
    return Array.isArray(v) ? `array(${v.length})` : "object";
  return String(v);
}
